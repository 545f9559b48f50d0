"""Modules that can be called like their main function (``lpf.fsds(...)``, ``lpf.hyra(...)``).

The paper's concepts are both a module (``lpf.fsds.FSDS``, ``lpf.fsds.integrated_spectrum``) and
a function (``lpf.fsds(pred, target)``). A module is an object whose class can be swapped for a
subclass of :class:`types.ModuleType` with a ``__call__``, so the two never shadow each other,
whatever the import order.
"""

from __future__ import annotations

import sys
import types


def make_module_callable(module_name: str, function_name: str) -> None:
    """Let ``sys.modules[module_name](...)`` call ``module.function_name(...)``."""
    module = sys.modules[module_name]

    class CallableModule(types.ModuleType):
        def __call__(self, *args, **kwargs):
            return getattr(self, function_name)(*args, **kwargs)

    CallableModule.__call__.__doc__ = f"Call :func:`{module_name}.{function_name}`."
    module.__class__ = CallableModule
