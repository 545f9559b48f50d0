"""The one place where :mod:`basicsr` is imported (lazily).

basicsr 1.4.2 imports ``torchvision.transforms.functional_tensor``, a module that torchvision
removed in 0.17. Its only use there is ``rgb_to_grayscale``, which lives on in
``torchvision.transforms.functional``; aliasing the old module name to the new one before the
import is the known two-line fix. The alias is installed only if the old module is really gone.
"""

from __future__ import annotations

import importlib
import sys
import types
import warnings

__all__ = ["import_basicsr", "basicsr_arch"]


def _install_functional_tensor_alias() -> None:
    name = "torchvision.transforms.functional_tensor"
    if name in sys.modules:
        return
    try:
        importlib.import_module(name)
    except ModuleNotFoundError:
        import torchvision.transforms.functional as functional

        sys.modules[name] = functional


def import_basicsr() -> types.ModuleType:
    """Import and return :mod:`basicsr`, applying the torchvision compatibility alias first.

    Raises:
        ImportError: basicsr is not installed (with how to install it).
    """
    _install_functional_tensor_alias()
    try:
        # basicsr's import chain emits deprecation warnings (scipy.ndimage.filters, ...) that are
        # not ours to fix; silence them for the import only.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", UserWarning)
            return importlib.import_module("basicsr")
    except ModuleNotFoundError as err:
        if err.name != "basicsr":
            raise
        raise ImportError(
            "basicsr is not installed; install it after torch with "
            "`pip install --no-build-isolation basicsr==1.4.2` (the Makefile does this)."
        ) from None


def basicsr_arch(module: str, name: str) -> type:
    """Return the architecture class ``name`` from ``basicsr.archs.<module>``.

    Args:
        module: the module name inside ``basicsr.archs``, e.g. ``"edsr_arch"``.
        name: the class name, e.g. ``"EDSR"``.
    """
    import_basicsr()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        mod = importlib.import_module(f"basicsr.archs.{module}")
    return getattr(mod, name)
