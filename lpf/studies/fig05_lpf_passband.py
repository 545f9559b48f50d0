"""Figure 5: the passband width of a low-pass filter decides the super-resolved image (Sec. 4.1.1).

:func:`compute` runs sinc low-pass-filter super-resolution (:func:`lpf.signal.lpfsr.lpf_sr`,
cutoff in cycles per LR pixel; 0.5 is the LR Nyquist frequency) on one embedded photograph at
several cutoffs and records PSNR, SSIM and the **replica energy**: the share of the output's
mean-removed spectral energy outside the LR band ``max(|fx|, |fy|) <= 1/(2 s)`` cycles/pixel.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from lpf._checks import check_scale
from lpf.data import crop_pair, embedded_images, load_embedded, to_numpy
from lpf.metrics.quality import psnr, ssim
from lpf.signal.lpfsr import lpf_sr
from lpf.signal.spectra import amplitude, energy_fraction_above
from lpf.studies._common import Result, check_choice, check_profile, choose

__all__ = ["BASELINE_CHANGES", "Fig05PassbandResult", "compute"]

#: keys of the JSON before the redesign that changed on purpose (none).
BASELINE_CHANGES: dict[str, str] = {}

#: LR centre crop (pixels) of the full and the smoke profile
FULL_LR_SIZE, SMOKE_LR_SIZE = 64, 24


@dataclasses.dataclass
class Fig05PassbandResult(Result):
    """Sinc LPF outputs at several cutoffs, their quality and their replica energy.

    Attributes:
        results: ``label -> {cutoff, psnr, ssim, replica_energy}``, in the order of the cutoffs.
        hr_replica_energy: the HR image's share outside the LR band (real detail).
        band: the LR band's half-width, cycles/pixel (``1/(2 scale)``).
        images: ``[HR, output per label]`` as ``(H, W, 3)`` uint8.
        spectra: the log-amplitude spectra of the channel means, same order.
    """

    _arrays = ("images", "spectra")

    claim: str
    image: str
    scale: int
    lr_size: int
    window: str
    cutoff_unit: str
    results: dict
    hr_replica_energy: float
    replica_energy_definition: str
    band: float
    images: list
    spectra: list


def compute(
    *,
    profile: str = "full",
    image: str = "astronaut",
    scale: int = 4,
    cutoffs: Sequence[float] = (0.15, 0.5, 0.8),
    labels: Sequence[str] = ("too narrow", "good", "too wide"),
    window: str = "kaiser:8",
    lr_size: int | None = None,
) -> Fig05PassbandResult:
    """Sinc LPF super-resolution of one photograph at each cutoff.

    Args:
        profile: ``"full"`` or ``"smoke"``.
        image: an embedded photograph (:func:`lpf.data.embedded_images`).
        scale: the upscaling factor.
        cutoffs: cutoffs in cycles per LR pixel.
        labels: one label per cutoff.
        window: the window of the sinc (see :func:`lpf.signal.lpfsr.lpf_sr`).
        lr_size: LR centre crop (None: 64 in the full profile, 24 in smoke).

    Raises:
        ValueError: an unknown profile or image, labels that do not match the cutoffs, a
            non-positive cutoff or size.
    """
    profile = check_profile(profile)
    image = str(check_choice("image", image, embedded_images()))
    scale = check_scale(scale, "scale")
    cutoffs = [float(c) for c in cutoffs]
    labels = [str(label) for label in labels]
    if not cutoffs or len(labels) != len(cutoffs) or len(set(labels)) != len(labels):
        raise ValueError(f"parameter `labels` must give one distinct label per cutoff, got "
                         f"{labels} for {cutoffs}.")
    if min(cutoffs) <= 0:
        raise ValueError(f"parameter `cutoffs` must be > 0, got {cutoffs}.")
    size = check_scale(choose(profile, lr_size, full=FULL_LR_SIZE, smoke=SMOKE_LR_SIZE),
                       "lr_size")

    pair = crop_pair(load_embedded(image, scale=scale), size)
    hr, lr = pair.tensors()
    band = 1.0 / (2 * scale)  # LR Nyquist frequency in HR cycles/pixel
    outputs, rows = [], {}
    for cutoff, label in zip(cutoffs, labels, strict=True):
        sr = lpf_sr(lr, scale, cutoff=cutoff, window=window)
        shown = sr.clamp(0.0, 1.0)
        outputs.append(shown)
        rows[label] = {
            "cutoff": cutoff,
            "psnr": psnr(shown, hr),
            "ssim": ssim(shown, hr),
            "replica_energy": float(energy_fraction_above(sr, band, norm="chebyshev").mean()),
        }
    hr_replica = float(energy_fraction_above(hr, band, norm="chebyshev").mean())
    shown_all = [hr, *outputs]
    return Fig05PassbandResult(
        claim="too narrow a passband blurs (low PSNR), too wide leaves replicas (replica energy)",
        image=image, scale=scale, lr_size=size, window=window,
        cutoff_unit="cycles per LR pixel (0.5 = LR Nyquist)",
        results=rows,
        hr_replica_energy=hr_replica,
        replica_energy_definition="fraction of mean-removed spectral energy with "
                                  "max(|fx|, |fy|) > 1/(2 scale) cycles/pixel",
        band=band,
        images=[to_numpy(t) for t in shown_all],
        spectra=[amplitude(t.mean(0)).numpy().astype(np.float64) for t in shown_all],
    )
