"""Figure 6: integrated spectra (X-FFT-Σ) of different super-resolution methods (Sec. 4.2.2).

:func:`compute` super-resolves one embedded photograph with each method (a registry name, a
checkpoint path or a TorchScript file) and records, per output and for HR: FSDS and PSNR against
HR, the **low-frequency share** (fraction of the mean-removed spectral energy inside the LR band
``max(|fx|, |fy|) <= 1/(2 s)``), the **99 % energy bandwidth**
(:func:`lpf.analysis.spectral.energy_bandwidth`) and the **cross half-width**
(:func:`lpf.analysis.spectral.cross_width`); plus the arrays of the figure: the image panels,
their log-amplitude spectra and the channel-averaged integrated-spectrum maps ``|D|`` with
contour levels shared by all panels.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence

import numpy as np
import torch

from lpf._checks import check_scale
from lpf.analysis.spectral import cross_width, energy_bandwidth
from lpf.data import crop_pair, embedded_images, load_embedded, to_numpy
from lpf.evaluate import super_resolve
from lpf.metrics.frequency import fsds, integrated_spectrum
from lpf.metrics.quality import psnr
from lpf.signal.spectra import amplitude, energy_fraction_above
from lpf.studies._common import (
    Result,
    available_models,
    check_choice,
    check_profile,
    choose,
    load_models,
)

__all__ = ["BASELINE_CHANGES", "DEFAULT_METHODS", "Fig06IntegratedSpectraResult", "compute"]

#: keys of the JSON before the redesign that changed on purpose.
BASELINE_CHANGES: dict[str, str] = {
    "definitions.cross_width": "names the function's new home, lpf.analysis.spectral.cross_width "
                               "(lpf.experiments is gone); same function, same values",
}

#: the methods of both profiles (analytic: always offline); add networks or checkpoint paths
DEFAULT_METHODS = ("bicubic-matlab", "nearest", "sinc-lpf")
#: LR centre crop of the full profile (128: the whole astronaut) and of the smoke profile
FULL_LR_SIZE, SMOKE_LR_SIZE = 128, 48
#: the share of the energy that the energy bandwidth holds
ENERGY_FRACTION = 0.99
#: the contour levels run from this percentile of log10 |D| of HR to its maximum
LEVEL_PERCENTILE = 1


@dataclasses.dataclass
class Fig06IntegratedSpectraResult(Result):
    """Per output (HR first): its spectral measures, image panel, spectrum and ``|D|`` map.

    Attributes:
        methods: the methods as given (names or paths).
        labels: the display label of each method that ran.
        missing: labels of registry models whose weights are not on this machine (skipped).
        results: ``label -> {fsds, psnr, low_frequency_share, energy_bandwidth_99,
            cross_width}`` (``"HR"`` first; its FSDS and PSNR are infinite).
        band: the LR band's half-width, cycles/pixel.
        details: ``label -> (h, w, 3)`` uint8, the central ``1/zoom`` of each output.
        spectra: ``label -> log-amplitude spectrum`` (channel mean, DC at the centre).
        maps: ``label -> |D|``, channel-averaged, ``(H, W//2 + 1)``, DC at row ``H // 2``.
        levels: the contour levels of ``log10 |D|``, shared by all panels.
    """

    _arrays = ("details", "spectra", "maps", "levels")

    claim: str
    image: str
    scale: int
    lr_size: int
    methods: list
    labels: list
    missing: list
    results: dict
    definitions: dict
    band: float
    details: dict
    spectra: dict
    maps: dict
    levels: np.ndarray


def compute(
    *,
    profile: str = "full",
    image: str = "astronaut",
    scale: int = 4,
    methods: Sequence[str | os.PathLike] | None = None,
    lr_size: int | None = None,
    levels: int = 14,
    zoom: int = 2,
    device: str = "cpu",
) -> Fig06IntegratedSpectraResult:
    """Outputs of each method, their spectra and integrated spectra, and their spectral measures.

    Args:
        profile: ``"full"`` or ``"smoke"``.
        image: an embedded photograph (:func:`lpf.data.embedded_images`).
        scale: the upscaling factor.
        methods: registry names, checkpoint paths or TorchScript files (None:
            :data:`DEFAULT_METHODS`, in both profiles).
        lr_size: LR centre crop (None: 128 in the full profile, 48 in smoke).
        levels: contour levels, shared by all panels (>= 2).
        zoom: the image panels show the central ``1/zoom`` of each output.
        device: where the models run.

    Raises:
        ValueError: an unknown profile or image, a bad size, ``levels`` or ``zoom``.
        KeyError: an unknown model name (naming the parameter ``methods``).
        FileNotFoundError: a checkpoint path that does not exist.
    """
    profile = check_profile(profile)
    image = str(check_choice("image", image, embedded_images()))
    scale = check_scale(scale, "scale")
    size = check_scale(choose(profile, lr_size, full=FULL_LR_SIZE, smoke=SMOKE_LR_SIZE),
                       "lr_size")
    levels = check_scale(levels, "levels")
    zoom = check_scale(zoom, "zoom")
    if levels < 2:
        raise ValueError(f"parameter `levels` must be >= 2, got {levels}.")
    methods = list(choose(profile, methods, full=DEFAULT_METHODS, smoke=DEFAULT_METHODS))
    here, missing = available_models(methods, scale=scale, parameter="methods")
    nets = load_models(here, scale=scale, device=device, parameter="methods")

    pair = crop_pair(load_embedded(image, scale=scale), size)
    hr, lr = pair.tensors()
    outputs: dict[str, torch.Tensor] = {"HR": hr}
    for label, net in nets.items():
        outputs[label] = super_resolve(net, lr, device=device)

    band = 1.0 / (2 * scale)
    rows = {}
    for name, out in outputs.items():
        rows[name] = {
            "fsds": float("inf") if name == "HR" else float(fsds(out, hr)),
            "psnr": float("inf") if name == "HR" else psnr(out, hr),
            "low_frequency_share": 1.0 - float(energy_fraction_above(
                out, band, norm="chebyshev").mean()),
            "energy_bandwidth_99": energy_bandwidth(out, fraction=ENERGY_FRACTION),
            "cross_width": cross_width(out),
        }
    maps = {name: integrated_spectrum(out).magnitude_map().mean(axis=0)
            for name, out in outputs.items()}
    log_hr = np.log10(maps["HR"][maps["HR"] > 0])
    contour_levels = np.linspace(np.percentile(log_hr, LEVEL_PERCENTILE), log_hr.max(), levels)
    side = hr.shape[-1] // zoom
    start = (hr.shape[-1] - side) // 2
    return Fig06IntegratedSpectraResult(
        claim="outputs with fewer high frequencies have a larger low-frequency share "
              "(narrower dark cross in the integrated spectrum)",
        image=image, scale=scale, lr_size=size,
        methods=[os.fspath(m) for m in methods], labels=list(nets), missing=missing,
        results=rows,
        definitions={
            "low_frequency_share": "fraction of mean-removed spectral energy with "
                                   "max(|fx|, |fy|) <= 1/(2 scale) cycles/pixel",
            "energy_bandwidth_99": "radius (cycles/pixel) holding 99% of that energy",
            "cross_width": "lpf.analysis.spectral.cross_width(level=0.5), cycles/pixel",
        },
        band=band,
        details={name: to_numpy(out[:, start:start + side, start:start + side])
                 for name, out in outputs.items()},
        spectra={name: amplitude(out.mean(0)).numpy() for name, out in outputs.items()},
        maps=maps,
        levels=contour_levels,
    )
