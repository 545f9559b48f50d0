"""Figure 18: zero insertion makes periodic copies of the spectrum (Appx. F, Eqs. 18-22).

:func:`compute` zero-inserts a grey crop of an embedded photograph by each factor ``s`` and
checks (:func:`lpf.signal.spectra.zero_insertion_check`) that the DFT of the result is the
``s x s`` tiling of the original's and that ``(s^2 - 1)/s^2`` of its energy lies in replicas.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from lpf._checks import check_scale
from lpf.data import crop_pair, embedded_images, load_embedded, to_tensor
from lpf.signal.spectra import amplitude, zero_insert, zero_insertion_check
from lpf.studies._common import Result, check_choice, check_profile, choose

__all__ = ["BASELINE_CHANGES", "Fig18ZeroInsertionResult", "compute"]

#: keys of the JSON before the redesign that changed on purpose (none).
BASELINE_CHANGES: dict[str, str] = {}

#: centre crop of the original (pixels), full and smoke profile
FULL_SIZE, SMOKE_SIZE = 64, 16


@dataclasses.dataclass
class Fig18ZeroInsertionResult(Result):
    """The replica energy and the tiling error of each factor, with the images and spectra.

    Attributes:
        scales: ``"s" -> {replica_fraction, theory, abs_error, max_tiling_error}``.
        factors: the factors ``s``, in order.
        images: ``[original, zero-inserted by each s]``, grey ``(H, W)`` float.
        spectra: their log-amplitude spectra, same order.
    """

    _arrays = ("images", "spectra")

    claim: str
    image: str
    size: int
    factors: list
    scales: dict
    images: list
    spectra: list


def compute(
    *,
    profile: str = "full",
    image: str = "astronaut",
    scales: Sequence[int] = (2, 3, 4),
    size: int | None = None,
) -> Fig18ZeroInsertionResult:
    """Zero-insert a grey crop by each factor; replica energy and tiling error.

    Args:
        profile: ``"full"`` or ``"smoke"``.
        image: an embedded photograph (:func:`lpf.data.embedded_images`), shown in grey.
        scales: zero-insertion factors (the paper's derivation uses 3).
        size: centre crop of the original (None: 64 in the full profile, 16 in smoke).

    Raises:
        ValueError: an unknown profile or image, a bad factor or size.
    """
    profile = check_profile(profile)
    image = str(check_choice("image", image, embedded_images()))
    factors = [check_scale(s, "scales") for s in scales]
    if not factors:
        raise ValueError("parameter `scales` must hold at least one factor.")
    crop = check_scale(choose(profile, size, full=FULL_SIZE, smoke=SMOKE_SIZE), "size")

    pair = crop_pair(load_embedded(image, scale=1), crop)
    original = to_tensor(pair.hr).mean(0)  # grey (H, W)
    inserted = [zero_insert(original, s) for s in factors]
    checks = {s: zero_insertion_check(original, s) for s in factors}
    return Fig18ZeroInsertionResult(
        claim="the spectrum of the zero-inserted image is the s x s tiling of the original's; "
              "(s^2-1)/s^2 of its energy lies in replicas",
        image=image, size=crop, factors=factors,
        scales={str(s): {"replica_fraction": c.replica_fraction, "theory": c.theory,
                         "abs_error": abs(c.replica_fraction - c.theory),
                         "max_tiling_error": c.max_tiling_error} for s, c in checks.items()},
        images=[original.numpy()] + [img.numpy() for img in inserted],
        spectra=[amplitude(img).numpy() for img in [original, *inserted]],
    )
