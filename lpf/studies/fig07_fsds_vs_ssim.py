"""Figure 7: SSIM misses a spectral edit that FSDS sees (paper Sec. 4.2.2).

The paper does not say how it embedded the hidden content or which JPEG quality it used.
:func:`compute` hides random bits in the amplitudes of the lowest frequencies of one embedded
photograph (:func:`lpf.analysis.distortions.embed_in_spectrum`), with the strength calibrated so
that FSDS equals the paper's 26.37 dB (:func:`~lpf.analysis.distortions.strength_for_fsds`);
then it finds the JPEG quality whose FSDS is closest to the stego image's
(:func:`jpeg_quality_for_fsds`) and reads the bits back from the spectra. At the same FSDS the
stego image keeps a high SSIM while JPEG's is much lower.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import torch

from lpf._checks import check_scale
from lpf.analysis.distortions import embed_in_spectrum, extract_from_spectrum, strength_for_fsds
from lpf.data import embedded_images, load_embedded, to_numpy, to_tensor
from lpf.data.io import jpeg_roundtrip
from lpf.metrics.frequency import fsds
from lpf.metrics.quality import psnr, ssim
from lpf.studies._common import Result, check_choice, check_profile, choose

__all__ = ["BASELINE_CHANGES", "Fig07FsdsVsSsimResult", "JpegMatch", "PAPER", "compute",
           "jpeg_quality_for_fsds"]

#: keys of the JSON before the redesign that changed on purpose (none).
BASELINE_CHANGES: dict[str, str] = {}

#: the paper's Fig. 7 numbers (Sec. 4.2.2): FSDS (dB) and SSIM of each distorted image
PAPER = {"stego": {"fsds": 26.37, "ssim": 0.995}, "jpeg": {"fsds": 26.39, "ssim": 0.842}}
#: JPEG qualities scanned (inclusive) in the full and the smoke profile
FULL_QUALITIES, SMOKE_QUALITIES = (1, 100), (5, 25)
#: the difference panels are clipped at this percentile of |difference|
DIFF_PERCENTILE = 99.5


class JpegMatch(NamedTuple):
    """The JPEG quality whose FSDS is closest to a target.

    Attributes:
        quality: the JPEG quality.
        fsds: FSDS of the compressed image against the original, dB.
    """

    quality: int
    fsds: float


def jpeg_quality_for_fsds(
    image: torch.Tensor, *, target_fsds: float, qualities: Iterable[int] = range(1, 101)
) -> JpegMatch:
    """Scan JPEG qualities and return the one whose FSDS is closest to ``target_fsds``.

    FSDS is not monotone in the JPEG quality (block artefacts at low frequencies come and go),
    so every quality is tried.

    Args:
        image: ``(C, H, W)`` float in [0, 1], 1 or 3 channels.
        target_fsds: the FSDS to match, dB.
        qualities: the qualities to try.

    Returns:
        :class:`JpegMatch` ``(quality, fsds)``.

    Raises:
        ValueError: no qualities given, or one outside [1, 100].

    Examples:
        >>> x = torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0))
        >>> jpeg_quality_for_fsds(x, target_fsds=1000.0, qualities=[10, 95]).quality
        95
    """
    best: JpegMatch | None = None
    for q in qualities:
        value = float(fsds(jpeg_roundtrip(image, int(q)), image))
        if best is None or abs(value - target_fsds) < abs(best.fsds - target_fsds):
            best = JpegMatch(int(q), value)
    if best is None:
        raise ValueError("`qualities` is empty.")
    return best


@dataclasses.dataclass
class Fig07FsdsVsSsimResult(Result):
    """The stego and the JPEG image at (nearly) the same FSDS, and their SSIM.

    Attributes:
        stego: ``{fsds, ssim, psnr, strength, bits_recovered}``.
        jpeg: ``{fsds, ssim, psnr, quality}``.
        paper: :data:`PAPER`.
        qualities_scanned: the inclusive range of JPEG qualities tried.
        images: ``[original, stego, jpeg]``, ``(H, W, 3)`` uint8.
        differences: ``[stego - original, jpeg - original]``, channel means, ``(H, W)``.
        limit: the colour limit of the difference panels.
    """

    _arrays = ("images", "differences")

    claim: str
    image: str
    band_cycles_per_pixel: list
    payload_bits: int
    seed: int
    target_fsds: float
    stego: dict
    jpeg: dict
    paper: dict
    qualities_scanned: list
    limit: float
    images: list
    differences: list


def compute(
    *,
    profile: str = "full",
    seed: int = 0,
    image: str = "chelsea",
    band: Sequence[float] = (0.0, 0.01),
    payload_bits: int = 16,
    target_fsds: float = PAPER["stego"]["fsds"],
    qualities: Sequence[int] | None = None,
) -> Fig07FsdsVsSsimResult:
    """Embed a payload in the spectrum, match a JPEG quality by FSDS, compare SSIM.

    Args:
        profile: ``"full"`` or ``"smoke"``.
        seed: seed of the random payload.
        image: an embedded photograph (:func:`lpf.data.embedded_images`).
        band: the embedding band ``(lo, hi]`` in cycles/pixel.
        payload_bits: length of the random payload.
        target_fsds: the FSDS of the stego image (dB); the paper's 26.37 by default.
        qualities: JPEG qualities scanned, an inclusive ``[lo, hi]`` range (None: [1, 100] in
            the full profile, [5, 25] in smoke).

    Raises:
        ValueError: an unknown profile or image, a bad band, payload or quality range.
    """
    profile = check_profile(profile)
    image = str(check_choice("image", image, embedded_images()))
    band = tuple(float(b) for b in band)
    if len(band) != 2 or not 0 <= band[0] < band[1] <= 0.5:
        raise ValueError(f"parameter `band` must be (lo, hi) with 0 <= lo < hi <= 0.5, got {band}.")
    payload_bits = check_scale(payload_bits, "payload_bits")
    lo, hi = (int(q) for q in choose(profile, qualities, full=FULL_QUALITIES,
                                      smoke=SMOKE_QUALITIES))
    if not 1 <= lo <= hi <= 100:
        raise ValueError(f"parameter `qualities` must be [lo, hi] with 1 <= lo <= hi <= 100, "
                         f"got {[lo, hi]}.")

    original = to_tensor(load_embedded(image, scale=1).hr)
    payload = np.random.default_rng(seed).integers(0, 2, payload_bits)
    strength = strength_for_fsds(original, payload, target_fsds=target_fsds, band=band)
    stego = embed_in_spectrum(original, payload, strength=strength, band=band)
    recovered = extract_from_spectrum(stego, original, n_bits=payload_bits, band=band)
    match = jpeg_quality_for_fsds(original, target_fsds=float(fsds(stego, original)),
                                  qualities=range(lo, hi + 1))
    jpeg = jpeg_roundtrip(original, match.quality)

    rows = {}
    for name, img in (("stego", stego), ("jpeg", jpeg)):
        rows[name] = {"fsds": float(fsds(img, original)), "ssim": ssim(img, original),
                      "psnr": psnr(img, original)}
    rows["stego"].update(strength=strength,
                         bits_recovered=float((recovered.numpy() == payload).mean()))
    rows["jpeg"].update(quality=match.quality)
    differences = [(stego - original).mean(0).numpy(), (jpeg - original).mean(0).numpy()]
    limit = float(np.percentile(np.abs(np.concatenate(differences)), DIFF_PERCENTILE))
    return Fig07FsdsVsSsimResult(
        claim="at equal FSDS the stego image keeps a high SSIM, JPEG does not: SSIM misses the "
              "spectral edit, FSDS sees both",
        image=image, band_cycles_per_pixel=list(band), payload_bits=payload_bits, seed=seed,
        target_fsds=float(target_fsds),
        stego=rows["stego"], jpeg=rows["jpeg"],
        paper={k: dict(v) for k, v in PAPER.items()},
        qualities_scanned=[lo, hi],
        limit=limit,
        images=[to_numpy(original), to_numpy(stego), to_numpy(jpeg)],
        differences=differences,
    )
