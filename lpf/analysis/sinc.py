"""TODO docstring."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from lpf._checks import RangeError, ShapeError, check_finite, check_scale
from lpf.analysis._base import ToDict, as_response
from lpf.signal import kernels
from lpf.signal.windows import window_fn

__all__ = [
    "central_profile",
    "FIT_WINDOWS",
    "shape_correlation",
    "sinc_correlation",
    "sinc_likeness",
    "SincLikeness",
    "windowed_sinc_profile",
]


#: Windows tried by :func:`sinc_likeness` (names of :func:`lpf.kernels.window_fn`).
FIT_WINDOWS: tuple[str, ...] = ("rectangular", "hann", "hamming", "blackman", "kaiser", "lanczos")


@dataclass(frozen=True, eq=False)
class SincLikeness(ToDict):
    r"""How much an impulse response looks like a (windowed) sinc (paper Sec. 5.2, Appx. E).

    All measured on the central profile :math:`p(d) = \tfrac12 (h[r, c + d] + h[r + d, c])`
    through the peak ``(r, c)`` of the channel mean, ``d`` in HR pixels (see
    :func:`sinc_likeness`).

    Attributes:
        scale: the upscaling factor ``s``.
        peak: :math:`p(0)`, the response's maximum.
        main_lobe_width: distance between the zero crossings on either side of the peak (linear
            interpolation), in HR pixels; ideal sinc: ``2 s``; NaN if a side never crosses zero
            inside the window.
        main_lobe_ratio: ``main_lobe_width / (2 s)``.
        side_lobe_level: the first side lobe's extreme value relative to the peak (mean of both
            sides), signed: about -0.217 for the ideal sinc, -0.11 for Keys' cubic (a = -0.75);
            NaN if there is no zero crossing (no side lobe).
        side_lobe_negative: whether that side lobe is negative (the ringing of a sinc).
        cutoff: the fitted windowed sinc's cutoff in cycles per HR pixel.
        cutoff_ratio: ``cutoff * 2 s``: 1 for the ideal cutoff, < 1 for a narrower passband.
        window: the best-fitting window's name (:data:`FIT_WINDOWS`).
        half_width: the best fit's window half-width, in HR pixels (``inf``: no window).
        centre: the fitted centre relative to the peak pixel, HR pixels (e.g. 0.5 for an even
            ``s`` and an ``align_corners=False`` network).
        distance: relative L2 residual of the best windowed-sinc fit,
            :math:`\lVert p - \hat p\rVert / \lVert p\rVert` (0 = exactly a windowed sinc).
        sinc_distance: the same residual for the ideal sinc (cutoff ``1/(2s)``, no window; centre
            and amplitude fitted).
    """

    scale: int
    peak: float
    main_lobe_width: float
    main_lobe_ratio: float
    side_lobe_level: float
    side_lobe_negative: bool
    cutoff: float
    cutoff_ratio: float
    window: str
    half_width: float
    centre: float
    distance: float
    sinc_distance: float


def central_profile(h2: torch.Tensor | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(offsets d, profile p(d))`` through the peak of a 2-D response, float64 NumPy arrays.

    ``p(d)`` is the mean of the row and the column through the peak, ``d`` in HR pixels: the
    profile that :func:`sinc_likeness` measures and that figures overlay with the fitted sinc.

    Examples:
        >>> d, p = central_profile(np.array([[0.0, 1.0, 0.0], [1.0, 4.0, 1.0], [0.0, 1.0, 0.0]]))
        >>> d.tolist(), p.tolist()
        ([-1.0, 0.0, 1.0], [1.0, 4.0, 1.0])
    """
    d, p = _central_profile(torch.as_tensor(np.asarray(h2, dtype=np.float64)))
    return d.numpy(), p.numpy()


def _central_profile(h2: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(offsets d, profile p(d)) through the peak of a 2-D response, float64 tensors."""
    lh, lw = h2.shape
    flat = int(torch.argmax(h2))
    r, c = divmod(flat, lw)
    lo = min(r, c)
    hi = min(lh - 1 - r, lw - 1 - c)
    d = torch.arange(-lo, hi + 1, dtype=torch.float64)
    row = h2[r, c - lo:c + hi + 1]
    col = h2[r - lo:r + hi + 1, c]
    return d, 0.5 * (row + col)


def windowed_sinc_profile(offsets: torch.Tensor | np.ndarray, profile: torch.Tensor | np.ndarray,
                          fit: SincLikeness) -> np.ndarray:
    """The windowed sinc fitted by :func:`sinc_likeness` at ``offsets``, scaled to ``profile``.

    Its amplitude is the least-squares fit to ``profile`` (what the impulse-profile plots overlay).
    """
    d = torch.as_tensor(np.asarray(offsets, dtype=np.float64)) - fit.centre
    f = torch.sinc(2 * fit.cutoff * d)
    if math.isfinite(fit.half_width):
        f = f * window_fn(fit.window, d, half_width=fit.half_width)
    f = f.numpy()
    ff = float(f @ f)
    p = np.asarray(profile, dtype=np.float64)
    return (float(f @ p) / ff if ff > 0 else 0.0) * f


def _lagrange(p: torch.Tensor, i: int, t: float) -> float:
    """Value at ``i + t`` (0 <= t <= 1) of the cubic through samples i-1..i+2 (clipped to p)."""
    idx = [min(max(j, 0), p.numel() - 1) for j in (i - 1, i, i + 1, i + 2)]
    if idx[0] == idx[1] or idx[2] == idx[3]:  # at an end: linear
        return float(p[idx[1]]) * (1 - t) + float(p[idx[2]]) * t
    y0, y1, y2, y3 = (float(p[j]) for j in idx)
    return (-t * (t - 1) * (t - 2) / 6 * y0 + (t + 1) * (t - 1) * (t - 2) / 2 * y1
            - (t + 1) * t * (t - 2) / 2 * y2 + (t + 1) * t * (t - 1) / 6 * y3)


def _crossing(p: torch.Tensor, start: int, step: int) -> tuple[float, int]:
    """Distance from ``start`` to the first zero crossing walking by ``step``, and its index.

    The index is that of the first sample at or below zero; (nan, -1) if there is none. The
    crossing between the two samples is the root of the local cubic interpolant (bisection),
    exact for cubic pieces.
    """
    q = p if step > 0 else p.flip(0)
    i = start if step > 0 else p.numel() - 1 - start
    first = i
    while i + 1 < q.numel():
        if float(q[i + 1]) <= 0.0:
            lo, hi = 0.0, 1.0
            if float(q[i]) > 0.0:
                for _ in range(50):
                    mid = 0.5 * (lo + hi)
                    lo, hi = (mid, hi) if _lagrange(q, i, mid) > 0.0 else (lo, mid)
            index = i + 1 if step > 0 else p.numel() - 2 - i
            return (i - first) + 0.5 * (lo + hi), index
        i += 1
    return math.nan, -1


def _extremum(p: torch.Tensor, i: int, sign: float) -> bool:
    """Whether sample ``i`` is a local maximum (sign 1) or minimum (-1).

    Strict, or one of two equal samples between which a symmetric lobe peaks (the sample beyond
    the pair falls away again); a plateau (a box's edge) is not an extremum.
    """
    n = p.numel()
    a, b, c = (sign * float(p[j]) for j in (i - 1, i, i + 1))
    if b > a and b > c:
        return True
    if b > a and b == c:
        return i + 2 < n and sign * float(p[i + 2]) < c
    if b == a and b > c:
        return i - 2 >= 0 and sign * float(p[i - 2]) < a
    return False


def _vertex(p: torch.Tensor, i: int) -> float:
    """Extreme value of the parabola through samples i-1, i, i+1.

    Only at a strict local extremum; elsewhere (an end, a plateau such as a box's edge) the
    sample itself, so that flat pieces are not extrapolated into spurious lobes.
    """
    n = p.numel()
    if i <= 0 or i >= n - 1:
        return float(p[i])
    a, b, c = float(p[i - 1]), float(p[i]), float(p[i + 1])
    if not any(_extremum(p, i, sign) for sign in (1.0, -1.0)):
        return b
    denom = a - 2 * b + c
    if denom == 0:
        return b
    t = 0.5 * (a - c) / denom
    return b - 0.25 * (a - c) * t


def _side_lobe(p: torch.Tensor, first_neg: int, step: int) -> float:
    """Extreme (parabolic interpolation) of the lobe from ``first_neg`` to the next sign change."""
    i, best = first_neg, first_neg
    while 0 <= i + step < p.numel() and float(p[i + step]) <= 0.0:
        i += step
        if float(p[i]) < float(p[best]):
            best = i
    return min(_vertex(p, best), float(p[best]))


def _fit(
    d: torch.Tensor,
    p: torch.Tensor,
    cutoffs: torch.Tensor,
    centres: torch.Tensor,
    windows: Sequence[tuple[str, float | None]],
) -> tuple[float, float, float, str, float | None]:
    """Best (residual^2, cutoff, centre, window, half-width) of a windowed sinc over a grid.

    The model is ``A sinc(2 fc (d - t0)) w((d - t0)/hw)``, ``A`` by least squares.
    """
    x = d[None, :] - centres[:, None]  # (T, M)
    base = torch.sinc(2.0 * cutoffs[:, None, None] * x[None])  # (F, T, M)
    p2 = float(p.square().sum())
    best = (math.inf, 0.0, 0.0, "", None)
    for window, half_width in windows:
        f = base if half_width is None else base * kernels.window_fn(
            window, x, half_width=half_width)
        ff = f.square().sum(-1)
        fp = f @ p
        gain = torch.where(ff > 0, fp.square() / ff.clamp(min=1e-300), 0.0)
        k = int(torch.argmax(gain))
        r2 = p2 - float(gain.flatten()[k])
        if r2 < best[0]:
            i, j = divmod(k, centres.numel())
            best = (r2, float(cutoffs[i]), float(centres[j]), window, half_width)
    return best


def sinc_likeness(response: torch.Tensor | np.ndarray, *, scale: int) -> SincLikeness:
    r"""Main lobe, first side lobe and best-fitting windowed sinc of an impulse response.

    The 2-D response is reduced to the channel mean (a matrix response ``(C', C, L, L)`` is first
    summed over input channels), then to its central profile through the peak ``(r, c)``,

    .. math:: p(d) = \tfrac12\,(h[r, c + d] + h[r + d, c]),

    the mean of the horizontal and vertical cuts (the same for a separable symmetric kernel). On
    ``p``:

    * main lobe: the zero crossings on either side of ``d = 0`` (linear interpolation between
      samples); ``main_lobe_width`` is their distance, ``2 s`` for the ideal sinc
      :math:`\operatorname{sinc}(d/s)`;
    * first side lobe: the most negative value between the first and the second crossing, divided
      by ``p(0)``, the mean of both sides;
    * windowed-sinc fit (Appx. E, Fig. 17): :math:`\hat p(d) = A\,\operatorname{sinc}(2 f_c (d -
      t_0))\,w((d - t_0)/w_h)` minimising :math:`\lVert p - \hat p\rVert_2` over the windows of
      :data:`FIT_WINDOWS`, half-widths ``w_h`` of ``s * {1, 1.5, 2, 2.5, 3, 4, 5, 6}`` HR pixels
      (and the unwindowed sinc, reported as ``"rectangular"`` with ``half_width = inf``),
      cutoffs ``f_c`` from 0.25 to 2 times ``1/(2s)`` and centres ``t_0`` within one pixel of the
      peak (a grid search refined around the best point; :math:`A` in closed form). Network
      responses are windowed sincs to the extent that ``distance`` is small (paper Fig. 9:
      RDN/RCAN more than EDSR).

    Args:
        response: ``(L, L)``, ``(C, L, L)`` or ``(C', C, L, L)`` real, from
            :func:`impulse_response` or :func:`impulse_response_matrix`.
        scale: the upscaling factor ``s``.

    Returns:
        :class:`SincLikeness` (Python floats).

    Raises:
        ShapeError: wrong number of dimensions.
        RangeError: NaN/inf values, or a response that is zero everywhere (a model whose output
            does not change with the impulse has no lobes to measure).

    Examples:
        >>> import torch.nn.functional as F
        >>> from lpf.analysis.impulse import impulse_response
        >>> up = lambda x: F.interpolate(x, scale_factor=4, mode="bicubic")
        >>> s = sinc_likeness(impulse_response(up, scale=4, dtype=torch.float64), scale=4)
        >>> round(s.main_lobe_width, 2), round(s.side_lobe_level, 3), s.side_lobe_negative
        (8.05, -0.111, True)
    """
    scale = check_scale(scale)
    h = as_response(response).to(torch.float64).cpu()
    if h.ndim == 4:
        h = h.sum(1)
    if h.ndim == 3:
        h = h.mean(0)
    if not bool((h != 0).any()):
        raise RangeError(
            "the impulse response is zero everywhere: the model's output does not change with "
            "the impulse (a constant or disconnected model?), so it has no main lobe or side "
            "lobes to measure."
        )
    d, p = _central_profile(h)
    zero = int(torch.nonzero(d == 0)[0])
    peak = max(_vertex(p, zero), float(p[zero]))
    right, right_neg = _crossing(p, zero, +1)
    left, left_neg = _crossing(p, zero, -1)
    width = left + right
    if right_neg >= 0 and left_neg >= 0:
        level = 0.5 * (_side_lobe(p, right_neg, +1) + _side_lobe(p, left_neg, -1)) / peak
    elif right_neg >= 0 or left_neg >= 0:
        neg, step = (right_neg, +1) if right_neg >= 0 else (left_neg, -1)
        level = _side_lobe(p, neg, step) / peak
    else:
        level = math.nan

    ideal = 1.0 / (2 * scale)
    norm2 = float(p.square().sum())
    grid: list[tuple[str, float | None]] = [("rectangular", None)]  # the untruncated sinc
    grid += [(w, f * scale) for w in FIT_WINDOWS for f in (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0)]
    cutoffs = ideal * torch.linspace(0.25, 2.0, 36, dtype=torch.float64)
    centres = torch.arange(-1.0, 1.0 + 1e-9, 0.25, dtype=torch.float64)
    _, fc, t0, window, hw = _fit(d, p, cutoffs, centres, grid)
    step_f = float(cutoffs[1] - cutoffs[0])
    fine_f = torch.linspace(fc - step_f, fc + step_f, 41, dtype=torch.float64).clamp(min=1e-6)
    fine_t = torch.linspace(t0 - 0.25, t0 + 0.25, 21, dtype=torch.float64)
    r2, fc, t0, window, hw = _fit(d, p, fine_f, fine_t, [(window, hw)])
    r2_sinc = _fit(d, p, torch.tensor([ideal], dtype=torch.float64),
                   torch.linspace(-1.0, 1.0, 81, dtype=torch.float64), [("rectangular", None)])[0]
    return SincLikeness(
        scale=scale,
        peak=peak,
        main_lobe_width=width,
        main_lobe_ratio=width / (2 * scale),
        side_lobe_level=level,
        side_lobe_negative=bool(level < 0),
        cutoff=fc,
        cutoff_ratio=fc / ideal,
        window=window,
        half_width=math.inf if hw is None else hw,
        centre=t0,
        distance=math.sqrt(max(r2, 0.0) / norm2) if norm2 > 0 else math.nan,
        sinc_distance=math.sqrt(max(r2_sinc, 0.0) / norm2) if norm2 > 0 else math.nan,
    )


def _as_map(x: torch.Tensor | np.ndarray, name: str) -> torch.Tensor:
    """A 2-D float64 map: ``(H, W)``, or the channel mean of ``(C, H, W)`` / ``(H, W, C)``."""
    t = torch.as_tensor(np.asarray(x) if not isinstance(x, torch.Tensor) else x)
    t = t.detach().to(torch.float64).cpu()
    if t.ndim == 3:
        t = t.mean(-1) if t.shape[-1] in (1, 3, 4) and t.shape[0] not in (1, 3) else t.mean(0)
    if t.ndim != 2:
        raise ShapeError(f"`{name}` must be (H, W), (C, H, W) or (H, W, C), got shape "
                         f"{tuple(t.shape)}.", expected="(H, W)", actual=tuple(t.shape))
    check_finite(t, name)
    return t


def shape_correlation(a: torch.Tensor | np.ndarray, b: torch.Tensor | np.ndarray) -> float:
    r"""Normalised (Pearson) correlation of two response maps: their shape, not their scale.

    .. math:: \rho = \frac{\sum (a - \bar a)(b - \bar b)}
              {\sqrt{\sum (a - \bar a)^2 \sum (b - \bar b)^2}}

    Multi-channel inputs are reduced to their channel mean; ``b`` is resized to ``a``'s shape
    (bilinear, ``align_corners=False``) when the shapes differ, e.g. an LR feature map against an
    HR sinc. Invariant to gain and offset, so a clamped 8-bit bitmap and a raw float response can
    be compared.

    Args:
        a: ``(H, W)``, ``(C, H, W)`` (tensor) or ``(H, W, C)`` (NumPy image) map.
        b: the same kinds; any size.

    Returns:
        :math:`\rho \in [-1, 1]` (NaN if either map is constant).

    Raises:
        ShapeError: not a 2-D or 3-D map.
        RangeError: NaN/inf values.

    Examples:
        >>> x = torch.arange(16.0).reshape(4, 4)
        >>> shape_correlation(x, 3 * x + 1), shape_correlation(x, -x)
        (1.0, -1.0)
    """
    ta, tb = _as_map(a, "a"), _as_map(b, "b")
    if ta.shape != tb.shape:
        tb = torch.nn.functional.interpolate(tb[None, None], size=tuple(ta.shape),
                                             mode="bilinear", align_corners=False)[0, 0]
    ta, tb = ta - ta.mean(), tb - tb.mean()
    denom = math.sqrt(float(ta.square().sum()) * float(tb.square().sum()))
    return round(float((ta * tb).sum()) / denom, 12) if denom > 0 else math.nan


def sinc_correlation(response: torch.Tensor | np.ndarray, *, scale: int) -> float:
    r"""Correlation of an impulse response with the ideal separable sinc on the same grid.

    The response of an impulse in the centre pixel ``c = L // (2 s)`` of an ``L / s`` LR image
    is compared (Pearson, after removing the means) with :math:`\operatorname{sinc}(u)
    \operatorname{sinc}(v)`, :math:`u = (i + 1/2)/s - (c + 1/2)` (``align_corners=False``
    geometry, cutoff ``1/(2 s)`` cycles per HR pixel), as :func:`lpf.train.impulse_check` does.

    Args:
        response: ``(L, L)`` or ``(C, L, L)`` impulse response (channel mean taken), ``L``
            divisible by ``scale``.
        scale: the upscaling factor ``s``.

    Returns:
        The correlation in [-1, 1]; 1 for the ideal sinc.

    Raises:
        ShapeError: not a square 2-D/3-D response with a side divisible by ``scale``.

    Examples:
        >>> u = (torch.arange(44, dtype=torch.float64) + 0.5) / 4 - 5.5
        >>> sinc_correlation(torch.outer(torch.sinc(u), torch.sinc(u)), scale=4)
        1.0
    """
    s = check_scale(scale)
    h = torch.as_tensor(np.asarray(response) if isinstance(response, np.ndarray) else response)
    h = h.detach().to(torch.float64).cpu()
    if h.ndim == 3:
        h = h.mean(0)
    if h.ndim != 2 or h.shape[0] != h.shape[1] or h.shape[0] % s:
        raise ShapeError(f"`response` must be (L, L) or (C, L, L) with L divisible by {s}, got "
                         f"{tuple(h.shape)}.", expected="(C, L, L)", actual=tuple(h.shape))
    n = h.shape[0] // s
    u = (torch.arange(h.shape[0], dtype=torch.float64) + 0.5) / s - (n // 2 + 0.5)
    sinc = torch.outer(torch.sinc(u), torch.sinc(u))
    a, b = h - h.mean(), sinc - sinc.mean()
    denom = float(a.norm() * b.norm())
    return round(float((a * b).sum()) / denom, 12) if denom > 0 else math.nan
