"""ext03 (beyond the paper): what FSDS responds to, a metric audit (issue 14).

The paper shows FSDS on two edits (Fig. 7: a spectral steganography edit and one JPEG). Here
controlled distortions (:data:`DISTORTIONS`, five graded strengths each, from
:mod:`lpf.analysis.distortions` and :func:`lpf.data.io.jpeg_roundtrip`) are applied to centre crops
of several embedded photographs and scored by PSNR and SSIM (``paper`` preset), FSDS in both
argument orders (``fsds``: HR in the denominator, Eq. 13; ``fsds_pred``: the official table
script's order), FSDS with a border of :data:`CROP` pixels removed (``fsds_crop``), the windowed
variant ``lpf.fsds(..., window="hann")`` (``fsds_hann``) and LPIPS when its weights are on disk.

**How the metrics are made comparable: equivalent noise.** Each metric has its own units (dB,
a similarity in [0, 1], a distance) and PSNR and FSDS are infinite on the clean image, so a
"drop from the clean value" is not defined. Instead every metric is calibrated on the same image
against one reference distortion, white Gaussian noise at :data:`NOISE_GRID` levels: a score is
read as the noise level sigma_eq (intensity units, images in [0, 1]) at which that metric gives the
same score on that image (interpolated in log sigma on the metric's noise curve, made monotone).
``log10 sigma_eq`` is then comparable across metrics: two metrics that agree with each other
about how bad a distortion is *relative to noise* give the same sigma_eq; a metric that reads an
edit as far worse than noise of equal PSNR gives a larger one. The noise distortion itself (a
different noise seed) is the control: every metric must read it as itself. Values beyond the
calibrated range are clipped to its ends (and reported as bounds).

From the per-image sigma_eq (median over the images):

* **thresholds**: for each distortion and metric, the strength at which the metric first drops to
  the score that noise of :data:`REFERENCE_NOISE` (0.02, about 34 dB PSNR) gives, i.e. a fixed
  drop in common units; interpolated linearly between the graded strengths;
* **orderings**: at each distortion's reference strength (the middle one of
  :data:`DISTORTIONS`) each metric orders the distortions by sigma_eq; Kendall's tau between two
  metrics' orderings (:func:`lpf.metrics.ranking.kendall_tau`), and the distortions that FSDS
  judges at least :data:`DIFFERENT` decades harsher or more lenient than both PSNR and SSIM;
* **the windowed variant side by side**: whether ``fsds_hann`` still reads the steganography
  edit (Fig. 7) as harshly as FSDS does, and whether it reads a bad border as leniently as the
  border-cropped FSDS; and the known border case of Table 1 (a kit-trained EDSR against MATLAB
  bicubic on a 120x120 crop of ``astronaut`` at x4, :data:`BORDER_CASE`), uncropped, cropped and
  windowed.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from lpf._checks import check_scale
from lpf.analysis import distortions as dist
from lpf.data import embedded_images, load_embedded, to_numpy, to_tensor
from lpf.data.io import jpeg_roundtrip
from lpf.data.resize import imresize
from lpf.metrics.frequency import fsds
from lpf.metrics.quality import MetricUnavailable, border_crop, lpips, psnr, ssim
from lpf.metrics.ranking import kendall_tau
from lpf.models import load_model
from lpf.studies._common import Result, check_choice, check_profile, choose

__all__ = ["BASELINE_CHANGES", "BORDER_CASE", "CROP", "DIFFERENT", "DISTORTIONS", "METRICS",
           "NOISE_GRID", "REFERENCE_NOISE", "Ext03Result", "apply_distortion", "compute",
           "equivalent_noise"]

#: keys of the JSON before the redesign that changed on purpose (none: a new study).
BASELINE_CHANGES: dict[str, str] = {}

#: distortion -> label, unit and five strengths in increasing severity (the middle one is the
#: reference strength of the orderings)
DISTORTIONS: dict[str, dict[str, Any]] = {
    "offset": {"label": "per-channel offset", "unit": "RGB +s, -s, +s/2",
               "strengths": (0.005, 0.01, 0.02, 0.05, 0.1)},
    "gain": {"label": "per-channel gain", "unit": "RGB x(1+s), x(1-s), x1",
             "strengths": (0.01, 0.02, 0.05, 0.1, 0.2)},
    "brightness": {"label": "global brightness", "unit": "+s (all channels)",
                   "strengths": (0.01, 0.02, 0.05, 0.1, 0.2)},
    "cast": {"label": "colour cast", "unit": "blend s towards orange",
             "strengths": (0.02, 0.05, 0.1, 0.2, 0.3)},
    "shift": {"label": "sub-pixel shift", "unit": "px (Fourier, diagonal)",
              "strengths": (0.125, 0.25, 0.5, 1.0, 2.0)},
    "blur": {"label": "Gaussian blur", "unit": "sigma, px", "strengths": (0.3, 0.5, 0.8, 1.2, 2.0)},
    "noise": {"label": "additive noise (control)", "unit": "sigma",
              "strengths": (0.005, 0.01, 0.02, 0.05, 0.1)},
    "jpeg": {"label": "JPEG", "unit": "quality", "strengths": (95, 80, 60, 40, 20)},
    "ringing": {"label": "sinc ringing (LPF-SR)", "unit": "cutoff, cycles/px",
                "strengths": (0.45, 0.4, 0.3, 0.2, 0.15)},
    "border": {"label": "bad border (zeros)", "unit": "px", "strengths": (1, 2, 4, 8, 16)},
    "stego": {"label": "steganography (Fig. 7)", "unit": "alpha (band RMS)",
              "strengths": (0.02, 0.05, 0.1, 0.2, 0.5)},
}
#: the metrics compared (LPIPS only where its weights are on disk)
METRICS = ("psnr", "ssim", "lpips", "fsds", "fsds_pred", "fsds_crop", "fsds_hann")
#: metrics where lower is better
LOWER_IS_BETTER = ("lpips",)
#: the reference distortion: white Gaussian noise at these levels (intensity, images in [0, 1])
NOISE_GRID = tuple(float(v) for v in np.geomspace(1e-3, 0.5, 13))
#: the fixed drop of the thresholds: the score that noise of this sigma gives
REFERENCE_NOISE = 0.02
#: FSDS reads a distortion "differently" when its log10 sigma_eq differs from both PSNR's and
#: SSIM's by at least this many decades (0.5: a factor 3.2 in equivalent noise)
DIFFERENT = 0.5
#: the border removed by ``fsds_crop`` (pixels per side; the ``sr`` preset's crop at x4)
CROP = 4
#: the steganography edit: a payload of this many bits in the rings up to this many cycles per
#: image (Fig. 7's band, 0.01 cycles/pixel, is 3-4.5 cycles on its 300x451 photograph)
STEGO_BITS, STEGO_CYCLES = 4, 3.0
#: the border case of Table 1 / the README: models, image, HR crop and scale
BORDER_CASE = {"models": ("edsr-kit", "bicubic-matlab"), "image": "astronaut", "hr_size": 120,
               "scale": 4}
FULL_IMAGES = ("astronaut", "chelsea", "coffee", "rocket")
SMOKE_IMAGES = ("chelsea",)
FULL_SIZE, SMOKE_SIZE = 192, 64


@dataclasses.dataclass
class Ext03Result(Result):
    """ext03's numbers (the JSON); ``thumbnails`` (what the figure shows of each edit) is not.

    Attributes:
        metrics: the metrics computed here (LPIPS left out when unavailable).
        distortions: :data:`DISTORTIONS` as run (label, unit, strengths).
        sigma_eq: ``{distortion: {metric: [median log10 sigma_eq per strength]}}``.
        sigma_eq_range: the same, ``[min, max]`` over the images.
        raw: ``{distortion: {metric: [median score per strength]}}`` in each metric's units.
        reference_scores: each metric's median score at :data:`REFERENCE_NOISE`.
        thresholds: ``{distortion: {metric: {"strength", "bound"}}}``.
        ordering: ranks (1 = judged most severe) at the reference strengths, per metric.
        tau: Kendall tau between the metrics' orderings of the distortions.
        fsds_reads_differently: ``{distortion: {"vs_psnr", "vs_ssim", "reading"}}``.
        window: the windowed variant beside FSDS (stego, border, everything).
        border_case: the Table-1 border case, per model and variant.
        control: the noise distortion read through each metric's calibration.
    """

    _arrays = ("thumbnails",)

    claim: str
    images: list
    size: int
    seed: int
    metrics: list
    notes: list
    distortions: dict
    reference_noise: float
    noise_grid: list
    sigma_eq: dict
    sigma_eq_range: dict
    raw: dict
    reference_scores: dict
    thresholds: dict
    ordering: dict
    tau: dict
    fsds_reads_differently: dict
    window: dict
    border_case: dict
    control: dict
    thumbnails: dict


def apply_distortion(image: torch.Tensor, name: str, strength: float, *,
                     seed: int = 0) -> torch.Tensor:
    """One of :data:`DISTORTIONS` at ``strength`` on a ``(C, H, W)`` image in [0, 1].

    Raises:
        ValueError: an unknown distortion (naming the choices) or a bad strength.

    Examples:
        >>> x = torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0))
        >>> apply_distortion(x, "border", 2)[:, :2].abs().sum().item()
        0.0
    """
    check_choice("distortion", name, tuple(DISTORTIONS))
    if name == "offset":
        return dist.channel_affine(image, offset=[strength, -strength, strength / 2])
    if name == "gain":
        return dist.channel_affine(image, gain=[1 + strength, 1 - strength, 1.0])
    if name == "brightness":
        return dist.channel_affine(image, offset=strength)
    if name == "cast":
        return dist.colour_cast(image, strength)
    if name == "shift":
        return dist.fourier_shift(image, (strength, strength))
    if name == "blur":
        return dist.gaussian_blur(image, strength)
    if name == "noise":
        return dist.additive_noise(image, strength, seed=seed)
    if name == "jpeg":
        return jpeg_roundtrip(image, int(strength))
    if name == "ringing":
        return dist.sinc_ringing(image, strength)
    if name == "border":
        return dist.bad_border(image, int(strength))
    h, w = image.shape[-2:]
    band = (0.0, STEGO_CYCLES / min(h, w))
    payload = np.random.default_rng(seed).integers(0, 2, STEGO_BITS)
    return dist.embed_in_spectrum(image, payload, strength=strength, band=band)


def _scores(batch: torch.Tensor, clean: torch.Tensor, metrics: Sequence[str]) -> dict:
    """Each metric's per-image score of ``batch`` (N, C, H, W) against ``clean`` (C, H, W)."""
    ref = clean.expand_as(batch)
    out = {}
    for m in metrics:
        if m == "psnr":
            v = psnr(batch, ref)
        elif m == "ssim":
            v = ssim(batch, ref)
        elif m == "lpips":
            v = lpips(batch, ref)
        elif m == "fsds":
            v = fsds(batch, ref)
        elif m == "fsds_pred":
            v = fsds(batch, ref, denominator="pred")
        elif m == "fsds_crop":
            v = fsds(border_crop(batch, CROP, "pred"), border_crop(ref, CROP, "target"))
        else:  # fsds_hann
            v = fsds(batch, ref, window="hann")
        out[m] = np.asarray(torch.as_tensor(v, dtype=torch.float64).reshape(-1))
    return out


def equivalent_noise(values: np.ndarray, curve: np.ndarray, grid: Sequence[float] = NOISE_GRID,
                     *, lower_is_better: bool = False) -> np.ndarray:
    """log10 of the noise level whose score on the noise curve equals each value.

    Args:
        values: scores to read, any shape (``+inf``, a perfect score, reads as the grid's start).
        curve: the metric's scores at the noise levels ``grid`` (same image), ``(len(grid),)``.
        grid: increasing noise levels.
        lower_is_better: the metric falls as quality rises (LPIPS).

    Returns:
        ``log10 sigma_eq``, clipped to the grid's range. The curve is made monotone first
        (a running minimum of the quality), so the reading is well defined.

    Examples:
        >>> curve = np.array([40.0, 30.0, 20.0])  # e.g. PSNR at noise 0.01, 0.1, 1
        >>> equivalent_noise(np.array([35.0, np.inf, 10.0]), curve, [0.01, 0.1, 1.0]).tolist()
        [-1.5, -2.0, 0.0]
    """
    sign = -1.0 if lower_is_better else 1.0
    quality = np.minimum.accumulate(sign * np.asarray(curve, dtype=np.float64))
    log_grid = np.log10(np.asarray(grid, dtype=np.float64))
    v = sign * np.asarray(values, dtype=np.float64)
    v = np.where(np.isposinf(v), quality[0], v)
    # np.interp needs increasing abscissae: read -quality (increasing with the noise)
    return np.interp(-v, -quality, log_grid)


def _threshold(levels: Sequence[float], log_sigma: Sequence[float], target: float) -> dict:
    """The strength at which ``log_sigma`` first reaches ``target`` (linear between levels)."""
    if log_sigma[0] >= target:
        return {"strength": float(levels[0]), "bound": "at or below"}
    for i in range(1, len(levels)):
        if log_sigma[i] >= target:
            a, b = log_sigma[i - 1], log_sigma[i]
            f = (target - a) / (b - a)
            return {"strength": float(levels[i - 1] + f * (levels[i] - levels[i - 1])),
                    "bound": None}
    return {"strength": None, "bound": f"not reached by {levels[-1]}"}


def _ranks(values: dict[str, float]) -> dict[str, int]:
    """1 = the largest sigma_eq (judged most severe); ties share the smaller rank."""
    order = sorted(values.values(), reverse=True)
    return {k: order.index(v) + 1 for k, v in values.items()}


def _border_case(device: str) -> dict:
    """Table 1's border case: each model uncropped, border-cropped and windowed."""
    case = BORDER_CASE
    hr = load_embedded(case["image"], scale=case["scale"]).hr
    n, s = case["hr_size"], case["scale"]
    top, left = (hr.shape[0] - n) // 2, (hr.shape[1] - n) // 2
    hr = hr[top:top + n, left:left + n]
    lr = to_tensor(imresize(hr, 1 / s))[None].to(device)
    target = to_tensor(hr)[None].to(device)
    out = {}
    for name in case["models"]:
        net = load_model(name, scale=s, device=device)
        with torch.no_grad():
            sr = net(lr).clamp(0, 1)
        sr = torch.round(sr * 255) / 255  # saved as 8-bit, as the paper's outputs were
        out[name] = {
            "psnr": float(psnr(sr, target)[0]),
            "fsds": float(fsds(sr, target)[0]),
            "fsds_crop": float(fsds(border_crop(sr, s, "pred"),
                                    border_crop(target, s, "target"))[0]),
            "fsds_hann": float(fsds(sr, target, window="hann")[0]),
        }
    a, b = case["models"]
    order = {k: ("above" if out[a][k] > out[b][k] else "below")
             for k in ("psnr", "fsds", "fsds_crop", "fsds_hann")}
    return {**{k: v for k, v in case.items() if k != "models"}, "models": list(case["models"]),
            "crop": s, "values": out, "first_vs_second": order}


def compute(
    *,
    profile: str = "full",
    seed: int = 0,
    images: Sequence[str] | None = None,
    size: int | None = None,
    distortions: Sequence[str] | None = None,
    border_case: bool = True,
    device: str = "cpu",
) -> Ext03Result:
    """Score graded distortions with every metric; compare the metrics in equivalent noise.

    Args:
        profile: ``"full"`` or ``"smoke"``.
        seed: seed of the noise (calibration: ``seed``; the noise distortion: ``seed + 1``) and
            of the steganography payload.
        images: embedded photographs (None: four colour photographs in the full profile, one in
            smoke).
        size: side of the centre crop (None: 192 full, 64 smoke); at least 40 (the widest bad
            border, 16 px per side, must leave an image).
        distortions: a subset of :data:`DISTORTIONS` (None: all; ``noise`` is always run: it is
            the control).
        border_case: also run :data:`BORDER_CASE` (two models on one crop, a few seconds).
        device: where the border case's network runs.

    Raises:
        ValueError: an unknown profile, image or distortion, or a bad size.
    """
    profile = check_profile(profile)
    names = list(choose(profile, images, full=FULL_IMAGES, smoke=SMOKE_IMAGES))
    if isinstance(images, str) or not names:
        raise ValueError(f"parameter `images` must be a non-empty list of names, got {images!r}.")
    for name in names:
        check_choice("images", name, embedded_images())
    size = check_scale(choose(profile, size, full=FULL_SIZE, smoke=SMOKE_SIZE), "size")
    if size < 40:
        raise ValueError(f"parameter `size` must be at least 40 pixels, got {size}.")
    kinds = list(distortions) if distortions is not None else list(DISTORTIONS)
    if isinstance(distortions, str):
        raise ValueError(f"parameter `distortions` must be a list, got {distortions!r}.")
    for kind in kinds:
        check_choice("distortions", kind, tuple(DISTORTIONS))
    if "noise" not in kinds:
        kinds.append("noise")

    notes: list[str] = []
    metrics = list(METRICS)
    probe = torch.rand(3, 16, 16, generator=torch.Generator().manual_seed(0))
    try:
        lpips(probe, probe)
    except MetricUnavailable as err:
        metrics.remove("lpips")
        notes.append(str(err))

    # per image: the noise curves, then every distortion's scores read as equivalent noise
    log_sigma = {k: {m: [] for m in metrics} for k in kinds}  # [image][level]
    raw = {k: {m: [] for m in metrics} for k in kinds}
    at_reference = {m: [] for m in metrics}
    thumbnails = {}
    for index, name in enumerate(names):
        hr = load_embedded(name, scale=1).hr
        top, left = max(0, (hr.shape[0] - size) // 2), max(0, (hr.shape[1] - size) // 2)
        crop = hr[top:top + size, left:left + size]
        if crop.shape[:2] != (size, size):
            raise ValueError(f"parameter `size` {size} is larger than image {name!r} "
                             f"({hr.shape[0]}x{hr.shape[1]}).")
        clean = to_tensor(crop)  # float32: SSIM's float64 convolutions would cost 10x
        noisy = torch.stack([dist.additive_noise(clean, s, seed=seed + 1000 * index)
                             for s in NOISE_GRID])
        curves = _scores(noisy, clean, metrics)
        reference = torch.stack([dist.additive_noise(clean, REFERENCE_NOISE,
                                                     seed=seed + 1000 * index)])
        for m, v in _scores(reference, clean, metrics).items():
            at_reference[m].append(float(v[0]))
        for kind in kinds:
            levels = DISTORTIONS[kind]["strengths"]
            batch = torch.stack([apply_distortion(clean, kind, s, seed=seed + 1 + 1000 * index)
                                 for s in levels])
            if index == 0:
                thumbnails[kind] = to_numpy(batch[len(levels) // 2])
            for m, v in _scores(batch, clean, metrics).items():
                raw[kind][m].append(v.tolist())
                log_sigma[kind][m].append(
                    equivalent_noise(v, curves[m], lower_is_better=m in LOWER_IS_BETTER).tolist())
        if index == 0:
            thumbnails["clean"] = to_numpy(clean)

    def med(x):
        return np.median(np.asarray(x, dtype=np.float64), axis=0)

    sigma_eq = {k: {m: med(v).round(4).tolist() for m, v in by.items()}
                for k, by in log_sigma.items()}
    sigma_range = {k: {m: [np.min(v, axis=0).round(4).tolist(), np.max(v, axis=0).round(4).tolist()]
                       for m, v in by.items()} for k, by in log_sigma.items()}
    raw_med = {k: {m: med(v).round(4).tolist() for m, v in by.items()} for k, by in raw.items()}
    target = math.log10(REFERENCE_NOISE)
    thresholds = {k: {m: _threshold(DISTORTIONS[k]["strengths"], sigma_eq[k][m], target)
                      for m in metrics} for k in kinds}

    mid = {k: len(DISTORTIONS[k]["strengths"]) // 2 for k in kinds}
    at_mid = {m: {k: sigma_eq[k][m][mid[k]] for k in kinds} for m in metrics}
    ordering = {m: _ranks(at_mid[m]) for m in metrics}
    tau = {}
    for i, a in enumerate(metrics):
        for b in metrics[i + 1:]:
            t = kendall_tau([at_mid[a][k] for k in kinds], [at_mid[b][k] for k in kinds])
            tau[f"{a} vs {b}"] = None if math.isnan(t) else round(t, 4)
    differently = {}
    for k in kinds:
        vs_psnr = at_mid["fsds"][k] - at_mid["psnr"][k]
        vs_ssim = at_mid["fsds"][k] - at_mid["ssim"][k]
        reading = ("harsher" if min(vs_psnr, vs_ssim) >= DIFFERENT else
                   "more lenient" if max(vs_psnr, vs_ssim) <= -DIFFERENT else "similar")
        differently[k] = {"vs_psnr": round(vs_psnr, 4), "vs_ssim": round(vs_ssim, 4),
                          "reading": reading}
    window = {k: {"fsds": at_mid["fsds"][k], "fsds_hann": at_mid["fsds_hann"][k],
                  "fsds_crop": at_mid["fsds_crop"][k], "ssim": at_mid["ssim"][k],
                  "psnr": at_mid["psnr"][k]} for k in kinds}
    noise_levels = DISTORTIONS["noise"]["strengths"]
    control = {m: round(float(np.max(np.abs(np.asarray(sigma_eq["noise"][m])
                                              - np.log10(noise_levels)))), 4) for m in metrics}
    return Ext03Result(
        claim="FSDS reads some distortions very differently from PSNR and SSIM (in equivalent "
              "noise); the Hann-windowed FSDS keeps the steganography catch of Fig. 7 and "
              "reads bad borders as the border-cropped FSDS does",
        images=names, size=size, seed=seed, metrics=metrics, notes=notes,
        distortions={k: {"label": DISTORTIONS[k]["label"], "unit": DISTORTIONS[k]["unit"],
                         "strengths": list(DISTORTIONS[k]["strengths"]),
                         "reference": DISTORTIONS[k]["strengths"][mid[k]]} for k in kinds},
        reference_noise=REFERENCE_NOISE, noise_grid=list(NOISE_GRID),
        sigma_eq=sigma_eq, sigma_eq_range=sigma_range, raw=raw_med,
        reference_scores={m: round(float(np.median(v)), 4) for m, v in at_reference.items()},
        thresholds=thresholds, ordering=ordering, tau=tau,
        fsds_reads_differently=differently, window=window,
        border_case=_border_case(device) if border_case else {},
        control=control, thumbnails=thumbnails,
    )
