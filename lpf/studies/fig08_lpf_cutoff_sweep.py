"""Figure 8: quality of sinc LPF super-resolution against the cutoff (paper Sec. 5.1).

The paper: x2 on DIV2K validation, PSNR peaks at 31.40 dB at omega = 48, SSIM at 0.87 at
omega = 45.8, curves smoothed with a moving average of length 10. :func:`compute` sweeps the
cutoff of sinc LPF super-resolution over LR centre crops (DIV2K validation when on disk, the
embedded photographs otherwise), in the paper's ``omega`` (:func:`lpf.signal.lpfsr.lpf_sr_paper`,
whose meaning scales with the image size) and in the principled cutoff in cycles per LR pixel
(:func:`lpf.signal.lpfsr.lpf_sr`), finds the smoothed optima, checks that the curves are
unimodal, and sweeps again at several crop sizes: the optimum ``omega`` grows with the image,
the principled cutoff stays put (PAPER.md, open question 2).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Literal, NamedTuple

import numpy as np
import torch

from lpf._checks import check_scale
from lpf.data import load_pairs
from lpf.metrics.quality import psnr as psnr_metric
from lpf.metrics.quality import ssim as ssim_metric
from lpf.signal.curves import find_optimum, is_unimodal, moving_average
from lpf.signal.lpfsr import cutoff_to_omega, lpf_sr, lpf_sr_paper
from lpf.studies._common import Result, check_profile, choose

__all__ = [
    "BASELINE_CHANGES",
    "CutoffSweep",
    "Fig08CutoffSweepResult",
    "PAPER",
    "compute",
    "sweep_lpf_cutoff",
]

#: keys of the JSON before the redesign that changed on purpose (none).
BASELINE_CHANGES: dict[str, str] = {}

#: the paper's optima (Sec. 5.1, Fig. 8; x2, DIV2K validation)
PAPER = {"psnr": {"omega": 48.0, "value": 31.40}, "ssim": {"omega": 45.8, "value": 0.87},
         "dataset": "DIV2K-valid"}
#: a smoothed curve may step against its trend by this much and still count as unimodal
#: (PSNR in dB, SSIM unitless): the ripple of a 10-point moving average over few images
UNIMODAL_TOL = {"psnr": 0.02, "ssim": 5e-4}
#: images of the full and the smoke profile (DIV2K validation has 100)
FULL_IMAGES, SMOKE_IMAGES = 100, 2
#: LR crop sizes of the optimum-vs-size panels, full and smoke
FULL_SIZES, SMOKE_SIZES = (32, 48, 64, 96, 128), (32, 64)
#: points of every grid in the smoke profile (the full one uses omega_step and cutoff_points)
SMOKE_POINTS = 25


class CutoffSweep(NamedTuple):
    """PSNR and SSIM of sinc LPF super-resolution at each cutoff, per image.

    Attributes:
        cutoffs: the cutoffs swept, ``(K,)`` (cycles per LR pixel, or the paper's ``omega``).
        psnr: dB, ``(N, K)`` (image, cutoff); "paper" preset (RGB, no crop).
        ssim: ``(N, K)``, or ``None`` when not computed; "paper" preset.
        names: the image names, ``(N,)``.
    """

    cutoffs: np.ndarray
    psnr: np.ndarray
    ssim: np.ndarray | None
    names: list


def sweep_lpf_cutoff(
    pairs: Sequence,
    cutoffs: Sequence[float] | np.ndarray,
    *,
    scale: int,
    mode: Literal["principled", "paper"] = "principled",
    ssim: bool = True,
) -> CutoffSweep:
    r"""Super-resolve every pair with a sinc low-pass filter at every cutoff; PSNR/SSIM against HR.

    ``mode="principled"`` runs :func:`lpf.lpfsr.lpf_sr` with ``cutoff`` in cycles per LR pixel
    (0.5 is ideal, independent of the image size); ``mode="paper"`` runs
    :func:`lpf.lpfsr.lpf_sr_paper` with the official ``omega``, whose meaning scales with the
    image size (``omega = 2 (H//2) cutoff``; PAPER.md open question 2). Outputs are clipped to
    [0, 1] and scored with :func:`lpf.metrics.psnr` and :func:`lpf.metrics.ssim` (the "paper"
    preset: RGB, no border crop), in float32. Pairs of equal size are processed as one batch.

    Args:
        pairs: :class:`lpf.data.SRPair` objects at ``scale``.
        cutoffs: the cutoffs (principled) or omegas (paper), ``(K,)``.
        scale: the integer scale factor of the pairs.
        mode: ``"principled"`` or ``"paper"``.
        ssim: also compute SSIM (the slow part); ``False`` leaves ``ssim=None``.

    Returns:
        :class:`CutoffSweep` with per-image rows in the order of ``pairs``.

    Raises:
        ValueError: unknown mode, no pairs or cutoffs, a pair at another scale.

    Examples:
        >>> ps = load_pairs("embedded", scale=2, names=["chelsea"], lr_size=24).pairs
        >>> sw = sweep_lpf_cutoff(ps, [0.1, 0.5, 1.5], scale=2, ssim=False)
        >>> sw.psnr.shape, int(sw.psnr[0].argmax())
        ((1, 3), 1)
    """
    scale = check_scale(scale)
    if mode not in ("principled", "paper"):
        raise ValueError(f"`mode` must be 'principled' or 'paper', got {mode!r}.")
    grid = np.asarray(cutoffs, dtype=np.float64).reshape(-1)
    if grid.size == 0 or len(pairs) == 0:
        raise ValueError("`pairs` and `cutoffs` must not be empty.")
    for p in pairs:
        if p.scale != scale:
            raise ValueError(f"pair {p.name!r} has scale {p.scale}, expected {scale}.")
    psnr = np.empty((len(pairs), grid.size))
    ssim_values = np.empty((len(pairs), grid.size)) if ssim else None
    groups: dict[tuple[int, ...], list[int]] = {}
    for i, p in enumerate(pairs):
        groups.setdefault(tuple(p.lr.shape), []).append(i)
    for indices in groups.values():
        hr = torch.stack([pairs[i].tensors()[0] for i in indices])
        lr = torch.stack([pairs[i].tensors()[1] for i in indices])
        for k, c in enumerate(grid):
            if mode == "principled":
                sr = lpf_sr(lr, scale, cutoff=float(c))
            else:
                sr = lpf_sr_paper(lr, scale, float(c))
            sr = sr.clamp(0.0, 1.0)
            psnr[indices, k] = psnr_metric(sr, hr).double().numpy()
            if ssim_values is not None:
                ssim_values[indices, k] = ssim_metric(sr, hr).double().numpy()
    return CutoffSweep(grid, psnr, ssim_values, [p.name for p in pairs])


@dataclasses.dataclass
class Fig08CutoffSweepResult(Result):
    """Mean PSNR/SSIM against the cutoff in both conventions, their optima, and optimum vs size.

    Attributes:
        dataset: the set swept (``"embedded"`` when DIV2K validation is not on disk).
        images: the image names.
        optima: ``"<mode>_<metric>" -> {x, value, index, n_points, interior, unimodal}``
            (``mode``: ``paper`` (omega) or ``principled`` (cycles per LR pixel)).
        optimum_vs_size: ``size -> {omega, omega_psnr, cutoff, cutoff_psnr}`` (PSNR optima).
        curves: ``"<mode>_<metric>" -> {x, y}``, the mean (unsmoothed) curves.
        paper: :data:`PAPER`.
        smoothed: ``"<mode>_<metric>" -> moving average of y`` (what the plot draws on top).
    """

    _arrays = ("smoothed",)

    claim: str
    dataset: str
    n_images: int
    images: list
    scale: int
    lr_size: int
    smooth: int
    optima: dict
    optimum_vs_size: dict
    curves: dict
    paper: dict
    smoothed: dict


def compute(
    *,
    profile: str = "full",
    dataset: str = "auto",
    scale: int = 2,
    lr_size: int = 96,
    omega_range: Sequence[float] = (16.0, 88.0),
    omega_step: float = 1.0,
    cutoff_range: Sequence[float] = (0.1, 1.0),
    cutoff_points: int = 61,
    smooth: int = 10,
    sizes: Sequence[int] | None = None,
    max_images: int | None = None,
    grid_points: int | None = None,
) -> Fig08CutoffSweepResult:
    """Sweep the cutoff of sinc LPF super-resolution; optima, unimodality, optimum vs size.

    Args:
        profile: ``"full"`` or ``"smoke"``.
        dataset: ``"auto"`` (DIV2K validation if on disk, else ``"embedded"``), ``"embedded"``
            or a set name of :func:`lpf.data.load_pairs`.
        scale: upscaling factor (the paper: x2).
        lr_size: LR centre crop of the main sweep.
        omega_range: the paper's omega swept, inclusive ``[lo, hi]``.
        omega_step: the step of the omega grid (full profile).
        cutoff_range: the principled cutoff swept, ``[lo, hi]`` cycles per LR pixel.
        cutoff_points: points of the principled grid (full profile).
        smooth: moving-average window (the paper's 10).
        sizes: LR crop sizes of the optimum-vs-size sweep (None: 32, 48, 64, 96, 128 in the full
            profile; 32, 64 in smoke).
        max_images: at most this many images (None: 100 in the full profile, 2 in smoke).
        grid_points: points of every grid, overriding ``omega_step`` and ``cutoff_points``
            (None: those in the full profile, 25 in smoke).

    Raises:
        ValueError: an unknown profile, an empty or reversed range, a bad size or count.
    """
    profile = check_profile(profile)
    full = profile == "full"
    scale = check_scale(scale, "scale")
    lr_size = check_scale(lr_size, "lr_size")
    smooth = check_scale(smooth, "smooth")
    for name, pair in (("omega_range", omega_range), ("cutoff_range", cutoff_range)):
        if len(pair) != 2 or not 0 < float(pair[0]) < float(pair[1]):
            raise ValueError(f"parameter `{name}` must be [lo, hi] with 0 < lo < hi, got {pair}.")
    if not float(omega_step) > 0:
        raise ValueError(f"parameter `omega_step` must be > 0, got {omega_step!r}.")
    limit = check_scale(choose(profile, max_images, full=FULL_IMAGES, smoke=SMOKE_IMAGES),
                        "max_images")
    size_list = [check_scale(s, "sizes") for s in choose(profile, sizes, full=FULL_SIZES,
                                                          smoke=SMOKE_SIZES)]
    if not size_list:
        raise ValueError("parameter `sizes` must hold at least one size.")
    n_points = grid_points if grid_points is not None else (None if full else SMOKE_POINTS)
    if n_points is not None:
        n_points = check_scale(n_points, "grid_points")
    n_cutoffs = check_scale(cutoff_points if n_points is None else n_points, "cutoff_points")

    pairs = load_pairs(dataset, scale=scale, lr_size=lr_size, limit=limit)
    omegas = (np.arange(omega_range[0], omega_range[1] + omega_step / 2, omega_step)
              if n_points is None else np.linspace(omega_range[0], omega_range[1], n_points))
    cutoffs = np.linspace(cutoff_range[0], cutoff_range[1], n_cutoffs)
    paper = sweep_lpf_cutoff(pairs.pairs, omegas, scale=scale, mode="paper")
    principled = sweep_lpf_cutoff(pairs.pairs, cutoffs, scale=scale)
    curves = {
        "paper_psnr": (omegas, paper.psnr.mean(axis=0)),
        "paper_ssim": (omegas, paper.ssim.mean(axis=0)),
        "principled_psnr": (cutoffs, principled.psnr.mean(axis=0)),
        "principled_ssim": (cutoffs, principled.ssim.mean(axis=0)),
    }
    optima, smoothed = {}, {}
    for key, (xs, ys) in curves.items():
        metric = key.split("_")[1]
        best = find_optimum(xs, ys, smooth=smooth)
        smoothed[key] = moving_average(ys, smooth)
        optima[key] = {
            "x": best.x, "value": best.value, "index": best.index, "n_points": len(xs),
            "interior": 0 < best.index < len(xs) - 1,
            "unimodal": is_unimodal(smoothed[key], tol=UNIMODAL_TOL[metric]),
        }

    by_size = {}
    for size in size_list:
        crops = load_pairs(dataset, scale=scale, lr_size=size, limit=limit).pairs
        omega_grid = np.array([cutoff_to_omega(c, (size, size)) for c in cutoffs])
        sweep_paper = sweep_lpf_cutoff(crops, omega_grid, scale=scale, mode="paper", ssim=False)
        sweep_principled = sweep_lpf_cutoff(crops, cutoffs, scale=scale, ssim=False)
        best_paper = find_optimum(omega_grid, sweep_paper.psnr.mean(0), smooth=smooth)
        best_principled = find_optimum(cutoffs, sweep_principled.psnr.mean(0), smooth=smooth)
        by_size[size] = {"omega": best_paper.x, "omega_psnr": best_paper.value,
                         "cutoff": best_principled.x, "cutoff_psnr": best_principled.value}
    return Fig08CutoffSweepResult(
        claim="PSNR and SSIM of sinc LPF SR are unimodal in the cutoff; the optimum omega of the "
              "paper's code scales with the image size, the principled cutoff does not",
        dataset=pairs.dataset, n_images=len(pairs.pairs), images=principled.names,
        scale=scale, lr_size=lr_size, smooth=smooth,
        optima=optima,
        optimum_vs_size=by_size,
        curves={key: {"x": xs, "y": ys} for key, (xs, ys) in curves.items()},
        paper={k: dict(v) if isinstance(v, dict) else v for k, v in PAPER.items()},
        smoothed=smoothed,
    )
