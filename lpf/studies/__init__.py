"""One module per paper figure/table: ``compute(...)`` -> a result with ``to_json()``.

Notebooks call a study, a plot function of :mod:`lpf.plot` and save; :mod:`lpf.studies.claims`
checks each result against the paper's claims. Submodules import on first use, so that after
``import lpf`` a notebook can write ``lpf.studies.fig09_impulse_responses.compute(...)``.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil


def __getattr__(name: str):
    if name.startswith("_") or importlib.util.find_spec(f"{__name__}.{name}") is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return importlib.import_module(f"{__name__}.{name}")


def __dir__() -> list[str]:
    return sorted({*globals(), *(m.name for m in pkgutil.iter_modules(__path__))})
