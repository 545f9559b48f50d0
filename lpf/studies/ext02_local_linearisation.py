"""Beyond the paper: the exact local linear filter of a network on a photograph (issue 13).

The paper's impulse response (P-IR) is one operating point: one pixel of amplitude 1 on a black
11x11 image. :func:`compute` measures what each network does *on a photograph* to first order,
its Jacobian (:mod:`lpf.analysis.local`):

(a) maps over the photograph of how sinc-like the local filter is (side-lobe level, the sinc
    correlation, the -6 dB cutoff), one forward-mode pass per grid pixel;
(b) the local filter at a flat, an edge and a texture pixel (picked from the LR image's structure
    tensor unless given), next to the paper's black-background response;
(c) how much of the SR output ``J(x) x`` explains (the residual ``r = N - J x``) against HyRA's
    ``H`` (the black-background kernel; the residual is ``G = N - H``), on the same crop;
(d) amplitude and background sweeps of the P-IR against the Jacobian at the same background.

Bicubic (a linear model) is the control: its local filter is the same everywhere.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from lpf._checks import check_scale
from lpf.analysis.hyra import hyra
from lpf.analysis.impulse import impulse_response
from lpf.analysis.local import (
    MAP_FIELDS,
    jacobian_decomposition,
    local_impulse_response,
    local_response_map,
)
from lpf.analysis.sinc import shape_correlation, sinc_correlation, sinc_likeness
from lpf.data import crop_pair, embedded_images, load_embedded
from lpf.models import list_models
from lpf.studies._common import (
    Result,
    available_models,
    check_choice,
    check_profile,
    choose,
    load_models,
)

__all__ = ["BASELINE_CHANGES", "Ext02LocalLinearisationResult", "REGIONS", "compute",
           "pick_regions"]

#: no JSON before this study existed
BASELINE_CHANGES: dict[str, str] = {}

#: real networks of the full profile (EDSR-LIIF is the paper's own checkpoint) and the control
FULL_MODELS = ["edsr-liif", "edsr-kit", "rdn-kit", "bicubic"]
#: added in the full profile when registered and their weights are here
FULL_EXTRA_MODELS = ["carn-m", "dat-light", "realesrgan-x4plus"]
SMOKE_MODELS = ["rdn-kit", "bicubic"]
#: LR crop side, grid step (LR pixels) of the full and the smoke profile
FULL_LR_SIZE, SMOKE_LR_SIZE = 40, 16
FULL_STRIDE, SMOKE_STRIDE = 8, 5
#: the response window (LR pixels; the paper's 11)
WINDOW = 11
#: the crop context of the maps (LR pixels around each window). EDSR-LIIF's local filter on a
#: photograph reaches far: at the region pixels a 2-pixel context is 31 % off the whole image's,
#: 8 pixels 8 %, 12 pixels 2 % (CARN-M: 15 %, 2 %, 0.4 %); the kit networks need 2 (< 2 %).
FULL_CONTEXT, SMOKE_CONTEXT = 8, 2
FULL_AMPLITUDES, SMOKE_AMPLITUDES = [0.01, 0.1, 0.5, 1.0], [0.01, 1.0]
FULL_BACKGROUNDS, SMOKE_BACKGROUNDS = [0.0, 0.25, 0.5], [0.0, 0.5]
#: the region kinds of part (b)
REGIONS = ("flat", "edge", "texture")
#: a local filter "rings like a sinc" where its first side lobe is below this (ideal: -0.217)
SINC_LIKE_SIDE_LOBE = -0.02
#: structure-tensor smoothing (box side, LR pixels) and the coherence of an edge
STRUCTURE_BOX = 5
EDGE_COHERENCE = 0.5
#: the analytic control model, and how far (LR pixels) beyond its window its map pixels must
#: stay from the border to be compared (bicubic's own border handling reaches 2 pixels in)
CONTROL = "bicubic"
CONTROL_BORDER = 2

CLAIM = ("a network's low-pass filter is not one filter: its local (Jacobian) impulse response "
         "changes across a photograph and differs from the paper's black-background response, "
         "while a linear upsampler's does not")


@dataclasses.dataclass
class Ext02LocalLinearisationResult(Result):
    """Local linearisation of several networks on one photograph.

    Attributes:
        claim: the study's claim in words.
        image: the embedded photograph; ``scale``, ``lr_size`` (LR crop side), ``stride`` (map
            grid step), ``size`` (window, LR pixels), ``context`` (crop context of the maps).
        models: the labels, in row order; ``models_missing``: requested but not here.
        control: the label of the linear control (bicubic) or ``None``.
        maps: ``label -> field -> {median, p10, p90, min, max, nan}`` over the grid.
        sinc_like_fraction: ``label ->`` share of grid pixels whose side lobe is below
            :data:`SINC_LIKE_SIDE_LOBE`.
        black: ``label ->`` the diagnostics of the paper's response (amplitude 1 on black, raw,
            background subtracted) and of the Jacobian at black.
        control_deviation: the largest relative L2 difference between the control's local
            responses (map and regions) and its black-background impulse response.
        region_pixels: ``region -> [row, col]`` (LR pixels of the crop).
        regions: ``label -> region ->`` diagnostics of the local filter there, and its
            ``distance_to_black`` (relative L2 to the P-IR) and ``correlation_with_black``.
        context_error: ``label ->`` largest relative L2 difference, at the region pixels, between
            the map's crop context and the whole image (the crop approximation's error).
        decomposition: ``label -> {jx_residual, hyra_residual}``: ``||N - J x|| / ||N||`` and
            ``||G|| / ||N||`` (HyRA, ``G = N - H``) on the crop's interior.
        sweeps: ``label -> {amplitudes, backgrounds, distance[b][a], side_lobe_pir[b][a],
            side_lobe_jacobian[b]}``: the P-IR at amplitude ``a`` on background ``b`` against
            the Jacobian at ``b`` (relative L2).
        lr: the LR crop, ``(H, W, 3)`` float (not in the JSON); ``map_arrays``:
            ``label -> field -> (R, K)``; ``grid``: ``(rows, cols)``; ``responses``:
            ``label -> {"black", "jacobian_black", *REGIONS} -> (L, L)`` channel-mean responses.
    """

    _arrays = ("lr", "map_arrays", "grid", "responses")

    claim: str
    image: str
    scale: int
    lr_size: int
    stride: int
    size: int
    context: int
    models: list[str]
    models_missing: list[str]
    control: str | None
    maps: dict[str, dict[str, dict[str, float]]]
    sinc_like_fraction: dict[str, float]
    black: dict[str, dict[str, dict[str, float]]]
    control_deviation: float | None
    region_pixels: dict[str, list[int]]
    regions: dict[str, dict[str, dict[str, float]]]
    context_error: dict[str, float]
    decomposition: dict[str, dict[str, float]]
    sweeps: dict[str, dict[str, Any]]
    lr: np.ndarray
    map_arrays: dict[str, dict[str, np.ndarray]]
    grid: tuple[np.ndarray, np.ndarray]
    responses: dict[str, dict[str, np.ndarray]]


def _check_int(value: object, name: str, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise ValueError(f"parameter `{name}` must be an integer >= {low}, got {value!r}.")
    return int(value)


def _check_levels(values: Sequence[float], name: str, *, nonzero: bool) -> list[float]:
    out = [float(v) for v in values]
    if not out or any(not np.isfinite(v) or (nonzero and v == 0) for v in out):
        raise ValueError(f"parameter `{name}` must be a non-empty list of finite"
                         f"{' non-zero' if nonzero else ''} numbers, got {values!r}.")
    return out


def pick_regions(lr: torch.Tensor, *, margin: int) -> dict[str, tuple[int, int]]:
    """A flat, an edge and a texture pixel of an LR image, from its structure tensor.

    Gradient products of the grey image are averaged over a :data:`STRUCTURE_BOX` box; with
    eigenvalues ``l1 >= l2``, the energy is ``l1 + l2`` and the coherence ``(l1 - l2) / (l1 +
    l2)``. Flat: the least energy; edge: the most energy among coherent pixels (coherence >=
    :data:`EDGE_COHERENCE`); texture: the most energy among incoherent ones. Pixels closer than
    ``margin`` to the border are not considered.

    Args:
        lr: ``(C, H, W)`` float image.
        margin: LR pixels kept free at each border (``> (min(H, W) - 1) / 2`` is an error).

    Returns:
        ``{"flat": (row, col), "edge": ..., "texture": ...}``.
    """
    grey = lr.double().mean(0)
    h, w = grey.shape
    if 2 * margin >= min(h, w):
        raise ValueError(f"parameter `lr_size` is too small for the regions: {h}x{w} with a "
                         f"margin of {margin} pixels.")
    gy, gx = torch.gradient(grey)
    box = torch.ones(1, 1, STRUCTURE_BOX, STRUCTURE_BOX, dtype=torch.float64) / STRUCTURE_BOX**2
    smooth = [F.conv2d(t[None, None], box, padding=STRUCTURE_BOX // 2)[0, 0]
              for t in (gx * gx, gy * gy, gx * gy)]
    jxx, jyy, jxy = smooth
    energy = jxx + jyy
    gap = torch.sqrt((jxx - jyy) ** 2 + 4 * jxy**2)
    coherence = torch.where(energy > 0, gap / energy.clamp(min=1e-300), 0.0)
    inside = torch.zeros_like(energy, dtype=torch.bool)
    inside[margin:h - margin, margin:w - margin] = True

    def best(score: torch.Tensor, mask: torch.Tensor) -> tuple[int, int]:
        masked = torch.where(mask & inside, score, -torch.inf)
        if not bool(torch.isfinite(masked).any()):
            masked = torch.where(inside, score, -torch.inf)
        r, c = divmod(int(torch.argmax(masked)), w)
        return r, c

    return {"flat": best(-energy, inside), "edge": best(energy, coherence >= EDGE_COHERENCE),
            "texture": best(energy, coherence < EDGE_COHERENCE)}


def _diagnostics(h: torch.Tensor, scale: int) -> dict[str, float]:
    s = sinc_likeness(h, scale=scale)
    return {"side_lobe_level": s.side_lobe_level, "main_lobe_width": s.main_lobe_width,
            "windowed_sinc_distance": s.distance,
            "sinc_correlation": sinc_correlation(h, scale=scale)}


def _distance(a: torch.Tensor, b: torch.Tensor) -> float:
    """Relative L2 distance ``||a - b|| / ||b||``."""
    return float((a.double() - b.double()).norm() / b.double().norm())


def compute(
    *,
    profile: str = "full",
    models: Sequence[str | os.PathLike] | None = None,
    extra_models: Sequence[str | os.PathLike] | None = None,
    image: str = "astronaut",
    scale: int = 4,
    lr_size: int | None = None,
    stride: int | None = None,
    size: int = WINDOW,
    context: int | None = None,
    regions: Mapping[str, Sequence[int]] | None = None,
    amplitudes: Sequence[float] | None = None,
    backgrounds: Sequence[float] | None = None,
    seed: int = 0,
    device: str = "cpu",
) -> Ext02LocalLinearisationResult:
    """Local linearisation of each network of ``models`` on one photograph (parts a-d above).

    Args:
        profile: ``"full"`` or ``"smoke"``.
        models: zoo names, checkpoint paths or TorchScript files; ``None``: the profile's
            (:data:`FULL_MODELS`, :data:`SMOKE_MODELS`). Missing weights: skipped and listed.
        extra_models: added when registered and here; ``None``: :data:`FULL_EXTRA_MODELS` in the
            full profile, none in smoke.
        image: an embedded photograph (:func:`lpf.data.embedded_images`).
        scale: the upscaling factor.
        lr_size: the LR centre crop's side; ``None``: the profile's.
        stride: the map's grid step (LR pixels); ``None``: the profile's.
        size: the response window (LR pixels).
        context: LR pixels of image around each window that the network sees in the maps;
            ``None``: the profile's (:data:`FULL_CONTEXT`, :data:`SMOKE_CONTEXT`). The region
            responses use the whole crop (exact); ``context_error`` measures the difference.
        regions: ``{"flat"|"edge"|"texture": [row, col]}`` LR pixels of the crop; ``None`` (or
            missing kinds): picked by :func:`pick_regions`.
        amplitudes: impulse amplitudes of the sweep; ``None``: the profile's.
        backgrounds: backgrounds of the sweep; ``None``: the profile's.
        seed: seeds torch (the computation is deterministic).
        device: the torch device of the networks.

    Raises:
        ValueError: an unknown profile, image or region kind, bad sizes or levels (named).
        KeyError: an unknown model name (naming ``models``/``extra_models``).
        FileNotFoundError: a checkpoint path that does not exist.
    """
    check_profile(profile)
    scale = check_scale(scale)
    image = str(check_choice("image", image, embedded_images()))
    n = _check_int(choose(profile, lr_size, full=FULL_LR_SIZE, smoke=SMOKE_LR_SIZE), "lr_size")
    stride = _check_int(choose(profile, stride, full=FULL_STRIDE, smoke=SMOKE_STRIDE), "stride")
    size = _check_int(size, "size")
    context = _check_int(choose(profile, context, full=FULL_CONTEXT, smoke=SMOKE_CONTEXT),
                         "context", low=0)
    amps = _check_levels(choose(profile, amplitudes, full=FULL_AMPLITUDES,
                                smoke=SMOKE_AMPLITUDES), "amplitudes", nonzero=True)
    bgs = _check_levels(choose(profile, backgrounds, full=FULL_BACKGROUNDS,
                               smoke=SMOKE_BACKGROUNDS), "backgrounds", nonzero=False)
    wanted = list(choose(profile, models, full=FULL_MODELS, smoke=SMOKE_MODELS))
    extras = [m for m in choose(profile, extra_models, full=FULL_EXTRA_MODELS, smoke=[])
              if not isinstance(m, str) or os.sep in m or m in list_models()]
    here, missing = available_models(wanted, scale=scale, parameter="models")
    extra_here, _ = available_models(extras, scale=scale, parameter="extra_models")
    here += [m for m in extra_here if str(m) not in {str(x) for x in here}]
    if not here:
        raise ValueError(f"parameter `models`: none of {wanted} is available here "
                         "(`lpf fetch`, or give checkpoint paths).")
    lr = crop_pair(load_embedded(image, scale=scale, channels=3), n).tensors()[1]
    found = pick_regions(lr, margin=min(size // 2, (n - 1) // 2))
    for kind, px in (regions or {}).items():
        check_choice("regions", kind, REGIONS)
        r, c = (int(v) for v in px)
        if not (0 <= r < n and 0 <= c < n):
            raise ValueError(f"parameter `regions`: {kind} pixel {px!r} is outside the "
                             f"{n}x{n} crop.")
        found[kind] = (r, c)
    region_px = [found[k] for k in REGIONS]
    edge = scale * min(size // 2, n // 4)  # HR border left out of the residual comparison

    torch.manual_seed(seed)
    maps, fractions, black, regions_out, ctx_err, decomp, sweeps = {}, {}, {}, {}, {}, {}, {}
    map_arrays, shown = {}, {}
    control, control_dev, grid = None, None, None
    for label, net in load_models(here, scale=scale, device=device).items():
        x = lr.to(device)
        # (a) the map
        m = local_response_map(net, x, scale=scale, stride=stride, size=size, context=context,
                               batch_size=8)
        grid = (m.rows, m.cols)
        maps[label] = m.summary()
        map_arrays[label] = {k: getattr(m, k) for k in MAP_FIELDS}
        side = m.side_lobe_level[np.isfinite(m.side_lobe_level)]
        fractions[label] = float(np.mean(side < SINC_LIKE_SIDE_LOBE)) if side.size else 0.0
        # the paper's response (amplitude 1 on black) and the Jacobian at black
        pir = impulse_response(net, scale=scale, size=size).cpu()
        zero = torch.zeros(3, size, size, device=device)
        jac0 = local_impulse_response(net, zero, (size // 2, size // 2), scale=scale,
                                      size=size).sum(1).cpu()
        black[label] = {"pir": _diagnostics(pir, scale), "jacobian": _diagnostics(jac0, scale),
                        "pir_vs_jacobian": _distance(pir, jac0)}
        # (b) regions: the local filter (context as in the map, and the whole image)
        local = local_impulse_response(net, x, region_px, scale=scale, size=size,
                                       context=context).sum(2).cpu()
        whole = local_impulse_response(net, x, region_px, scale=scale, size=size).sum(2).cpu()
        ctx_err[label] = max(_distance(a, b) for a, b in zip(local, whole, strict=True))
        regions_out[label] = {
            kind: _diagnostics(h, scale) | {
                "distance_to_black": _distance(h, pir),
                "correlation_with_black": shape_correlation(h, pir)}
            for kind, h in zip(REGIONS, whole, strict=True)}
        shown[label] = {"black": pir.mean(0).numpy(), "jacobian_black": jac0.mean(0).numpy()}
        shown[label].update({k: h.mean(0).numpy() for k, h in zip(REGIONS, whole, strict=True)})
        if label == CONTROL:
            control = label
            keep = [(i, j) for i, r in enumerate(m.rows) for j, c in enumerate(m.cols)
                    if min(r, c) >= size // 2 + CONTROL_BORDER
                    and max(r, c) < n - size // 2 - CONTROL_BORDER]
            control_dev = max([_distance(h, pir) for h in whole]
                              + [_distance(m.responses[i, j].cpu(), pir) for i, j in keep])
        # (c) J(x) x against HyRA's H on the crop's interior
        d = jacobian_decomposition(net, x, scale=scale)
        hy = hyra(net, x, scale=scale)
        inner = (slice(None), slice(edge, -edge or None), slice(edge, -edge or None))
        sr = d.sr[inner].double()
        decomp[label] = {"jx_residual": float(d.residual[inner].double().norm() / sr.norm()),
                         "hyra_residual": float(hy.nonlinear[inner].double().norm() / sr.norm())}
        # (d) amplitude x background sweep: the P-IR against the Jacobian at the background
        dist, side_pir, side_jac = [], [], []
        for b in bgs:
            flat = torch.full((3, size, size), b, device=device)
            jb = local_impulse_response(net, flat, (size // 2, size // 2), scale=scale,
                                        size=size).sum(1).cpu()
            row_d, row_s = [], []
            for a in amps:
                h = impulse_response(net, scale=scale, size=size, amplitude=a,
                                     background=b).cpu()
                row_d.append(_distance(h, jb))
                row_s.append(sinc_likeness(h, scale=scale).side_lobe_level)
            dist.append(row_d)
            side_pir.append(row_s)
            side_jac.append(sinc_likeness(jb, scale=scale).side_lobe_level)
        sweeps[label] = {"amplitudes": amps, "backgrounds": bgs, "distance": dist,
                         "side_lobe_pir": side_pir, "side_lobe_jacobian": side_jac}
    assert grid is not None
    return Ext02LocalLinearisationResult(
        claim=CLAIM, image=image, scale=scale, lr_size=n, stride=stride, size=size,
        context=context, models=list(maps), models_missing=missing, control=control,
        maps=maps, sinc_like_fraction=fractions, black=black, control_deviation=control_dev,
        region_pixels={k: list(found[k]) for k in REGIONS}, regions=regions_out,
        context_error=ctx_err, decomposition=decomp, sweeps=sweeps,
        lr=lr.permute(1, 2, 0).numpy(), map_arrays=map_arrays, grid=grid, responses=shown)
