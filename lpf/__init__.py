"""lpf: super-resolution networks as signal-processing systems.

The reproduction and analysis kit for Deng et al., "Exploring the Low-Pass Filtering Behavior in
Image Super-Resolution" (ICML 2024). Submodules, one per concept of the paper:

- :mod:`lpf.fsds`     FSDS, the frequency-domain metric (Sec. 4.2): function, module, loss, metric
- :mod:`lpf.spectra`  centred spectra, radial profiles, band energies, zero insertion (Appx. F)
- :mod:`lpf.kernels`  sinc, windows and interpolation kernels (Fig. 2, Appx. E)
- :mod:`lpf.lpfsr`    sinc low-pass-filter super-resolution (Sec. 3, Figs. 5 and 8)
- :mod:`lpf.impulse`  impulse responses of any model and their diagnostics (Sec. 5.2, Fig. 9)
- :mod:`lpf.hyra`     HyRA: N(I) = H(I) + G(I), exact and paper modes (Sec. 4.1); ``lpf.hyra(...)``
- :mod:`lpf.zoo`      the model zoo: networks by name, one calling convention
- :mod:`lpf.data`     image IO, the embedded (offline) image set, benchmark sets, downloads
- :mod:`lpf.metrics`  PSNR/SSIM presets (paper / SR convention), l1/l2 (Tables 4-5), LPIPS
- :mod:`lpf.resize`   MATLAB-exact bicubic ``imresize``

``lpf.fsds`` and ``lpf.hyra`` are both modules and, called, functions: ``lpf.fsds(pred, target)``,
``lpf.hyra(model, lr, scale=4)``.
Heavy submodules are imported lazily: ``import lpf`` is cheap, ``lpf.fsds(...)`` imports what it
needs on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from lpf._checks import LpfError, RangeError, ShapeError
from lpf._version import __version__

# public name -> (module, attribute)
_LAZY = {
    "fsds_loss": ("lpf.fsds", "fsds_loss"),
    "FSDS": ("lpf.fsds", "FSDS"),
    "FSDSLoss": ("lpf.fsds", "FSDSLoss"),
    "FSDSMetric": ("lpf.fsds", "FSDSMetric"),
    "integrated_spectrum": ("lpf.fsds", "integrated_spectrum"),
    "lpf_sr": ("lpf.lpfsr", "lpf_sr"),
    "impulse_image": ("lpf.impulse", "impulse_image"),
    "impulse_response": ("lpf.impulse", "impulse_response"),
    "impulse_response_matrix": ("lpf.impulse", "impulse_response_matrix"),
    "impulse_response_paper": ("lpf.impulse", "impulse_response_paper"),
    "frequency_response": ("lpf.impulse", "frequency_response"),
    "sinc_likeness": ("lpf.impulse", "sinc_likeness"),
    "diagnose": ("lpf.impulse", "diagnose"),
    "hyra_bands": ("lpf.hyra", "hyra_bands"),
    "HyRA": ("lpf.hyra", "HyRA"),
    "load_model": ("lpf.zoo", "load_model"),
    "lpf_sr_paper": ("lpf.lpfsr", "lpf_sr_paper"),
}
_SUBMODULES = {
    "fsds", "spectra", "kernels", "lpfsr", "plotting", "cli", "zoo", "data", "metrics", "resize",
    "evaluate", "impulse", "hyra", "train", "archs", "experiments",
}

__all__ = ["LpfError", "RangeError", "ShapeError", "__version__", *_LAZY, *sorted(_SUBMODULES)]

if TYPE_CHECKING:  # pragma: no cover
    from lpf import (  # noqa: F401
        data,
        fsds,  # noqa: F401
        kernels,
        lpfsr,
        metrics,
        resize,
        spectra,
        zoo,
    )
    from lpf.fsds import FSDS, FSDSLoss, FSDSMetric, fsds_loss, integrated_spectrum  # noqa
    from lpf.lpfsr import lpf_sr, lpf_sr_paper  # noqa: F401


def __getattr__(name: str):
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"lpf.{name}")
    raise AttributeError(f"module 'lpf' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
