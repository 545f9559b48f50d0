"""lpf: super-resolution networks as signal-processing systems.

The reproduction and analysis kit for Deng et al., "Exploring the Low-Pass Filtering Behavior in
Image Super-Resolution" (ICML 2024). Layers, each importing only the ones below it:

- :mod:`lpf.signal`    spectra, windows, kernels, sinc LPF super-resolution, 1-D sampling
- :mod:`lpf.metrics`   FSDS (function, module, loss, torchmetrics Metric), PSNR/SSIM, l1/l2, ranks
- :mod:`lpf.analysis`  impulse responses, sinc-likeness, invariance, HyRA, feature probes
- :mod:`lpf.data`      image IO, SR pairs, embedded and benchmark sets, downloads, MATLAB imresize
- :mod:`lpf.models`    the model registry (a catalog file), one calling convention, detection
- :mod:`lpf.train`     the seeded trainer and the kit models' recipes
- :mod:`lpf.evaluate`  one evaluator (models x scales x images, cached), ranks and tables
- :mod:`lpf.studies`   one module per figure/table: ``compute(...)`` -> result; ``claims``
- :mod:`lpf.plot`      figure style and drawing (never computes)
- :mod:`lpf.cli`       the ``lpf`` command

``lpf.fsds(pred, target)`` and ``lpf.hyra(model, lr, scale=4)`` are plain functions. Heavy
submodules are imported lazily: ``import lpf`` is cheap.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

from lpf._checks import LpfError, RangeError, ShapeError
from lpf._version import __version__

# public name -> (module, attribute)
_LAZY = {
    "fsds": ("lpf.metrics.frequency", "fsds"),
    "fsds_loss": ("lpf.metrics.frequency", "fsds_loss"),
    "FSDS": ("lpf.metrics.frequency", "FSDS"),
    "FSDSLoss": ("lpf.metrics.frequency", "FSDSLoss"),
    "FSDSMetric": ("lpf.metrics.fsds_metric", "FSDSMetric"),
    "integrated_spectrum": ("lpf.metrics.frequency", "integrated_spectrum"),
    "lpf_sr": ("lpf.signal.lpfsr", "lpf_sr"),
    "lpf_sr_paper": ("lpf.signal.lpfsr", "lpf_sr_paper"),
    "impulse_image": ("lpf.analysis.impulse", "impulse_image"),
    "impulse_response": ("lpf.analysis.impulse", "impulse_response"),
    "impulse_response_matrix": ("lpf.analysis.impulse", "impulse_response_matrix"),
    "impulse_response_paper": ("lpf.analysis.impulse", "impulse_response_paper"),
    "frequency_response": ("lpf.analysis.impulse", "frequency_response"),
    "sinc_likeness": ("lpf.analysis.sinc", "sinc_likeness"),
    "sinc_correlation": ("lpf.analysis.sinc", "sinc_correlation"),
    "diagnose": ("lpf.analysis.diagnostics", "diagnose"),
    "hyra": ("lpf.analysis.hyra", "hyra"),
    "hyra_bands": ("lpf.analysis.hyra", "hyra_bands"),
    "HyRA": ("lpf.analysis.hyra", "HyRA"),
    "load_model": ("lpf.models", "load_model"),
    "wrap_model": ("lpf.models", "wrap_model"),
    "list_models": ("lpf.models", "list_models"),
    "local_impulse_response": ("lpf.analysis.local", "local_impulse_response"),
    "local_receptive_field": ("lpf.analysis.local", "local_receptive_field"),
    "local_response_map": ("lpf.analysis.local", "local_response_map"),
    "jacobian_decomposition": ("lpf.analysis.local", "jacobian_decomposition"),
}
_SUBMODULES = {
    "signal", "metrics", "analysis", "data", "models", "train", "evaluate", "studies", "plot",
    "cli",
}

# Old module paths that the README documented (one table; no shim files). ``lpf.fsds`` and
# ``lpf.hyra`` are functions now: their functions live in lpf.metrics.frequency / lpf.analysis.hyra.
_ALIASES = {
    "lpf.spectra": "lpf.signal.spectra",
    "lpf.kernels": "lpf.signal.kernels",
    "lpf.lpfsr": "lpf.signal.lpfsr",
    "lpf.resize": "lpf.data.resize",
    "lpf.impulse": "lpf.analysis.impulse",
    "lpf.plotting": "lpf.plot",
    "lpf.zoo": "lpf.models",
    "lpf.zoo_detect": "lpf.models.detection",
    "lpf.archs": "lpf.models.archs",
}


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str):
        self.target = target

    def create_module(self, spec):
        return importlib.import_module(self.target)

    def exec_module(self, module) -> None:  # the target module is already executed
        pass


class _AliasFinder(importlib.abc.MetaPathFinder):
    """Resolves ``import lpf.zoo`` (and its submodules, ``lpf.archs.rdn``) to the new modules."""

    def find_spec(self, fullname, path=None, target=None):
        for old, new in _ALIASES.items():
            if fullname == old or fullname.startswith(old + "."):
                real = new + fullname[len(old):]
                return importlib.util.spec_from_loader(fullname, _AliasLoader(real))
        return None


if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
    sys.meta_path.insert(0, _AliasFinder())

__all__ = ["LpfError", "RangeError", "ShapeError", "__version__", *_LAZY, *sorted(_SUBMODULES)]


def __getattr__(name: str):
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"lpf.{name}")
    old = f"lpf.{name}"
    if old in _ALIASES:
        return importlib.import_module(old)
    raise AttributeError(f"module 'lpf' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
