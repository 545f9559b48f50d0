r"""Local linearisation of an SR network: its Jacobian at an image, as a local filter (issue 13).

The paper's impulse response is one operating point: one pixel of amplitude 1 on a black 11x11
image. What a network does to a photograph :math:`x` is, to first order, its **Jacobian**
:math:`J(x) = \partial N / \partial x`:

.. math:: N(x + \varepsilon\,\delta_p) = N(x) + \varepsilon\,J(x)\,\delta_p + O(\varepsilon^2)

Column :math:`J(x)\,\delta_p` is the exact *local impulse response* at input pixel ``p``
(:func:`local_impulse_response`, forward-mode autodiff, :func:`torch.func.jvp`); a row is the
*local receptive field* of one output pixel (:func:`local_receptive_field`, reverse mode,
:func:`torch.func.vjp`). :func:`local_response_map` summarises the local response on a grid of
pixels with the kit's own diagnostics (:func:`lpf.analysis.sinc.sinc_likeness`,
:func:`lpf.analysis.sinc.sinc_correlation`, :func:`lpf.analysis.impulse.frequency_response`,
:func:`lpf.analysis.impulse.dc_gain`), and :func:`jacobian_decomposition` splits the output as
:math:`N(x) = J(x)\,x + r(x)` (Euler: :math:`r = 0` for bias-free piecewise-linear networks,
the adaptive-linear-filter view of Mohan et al., ICLR 2020).

Conventions (the same as :mod:`lpf.analysis.impulse`, so that the two compare pixel for pixel):

* **Which pixel.** ``pixel = (row, col)`` is an LR pixel of ``image``. The response is returned
  on a window of ``size x size`` LR pixels centred on it, i.e. HR rows
  ``s*(row - size//2) ... s*(row - size//2 + size) - 1`` (columns alike); parts of the window
  outside the image are 0. This is exactly the window of
  ``impulse_response(model, scale=s, size=size)`` with the impulse at ``(size//2, size//2)``.
* **Which phase.** The response's origin (offset 0) is HR pixel ``(s*row, s*col)``, the top-left
  pixel of the LR pixel's ``s x s`` block, at index ``(s*(size//2), s*(size//2))`` of the window;
  no centre is assumed (a network with ``align_corners=False`` geometry peaks at
  ``+ (s - 1)/2``).
* **Colour mixing.** :func:`local_impulse_response` returns the full ``C' x C`` matrix of kernels
  (output channel first, input channel second), as
  :func:`~lpf.analysis.impulse.impulse_response_matrix`. The paper's all-channel impulse (the same
  impulse in every channel) is its sum over input channels, ``.sum(-3)``; the map uses that
  all-channel column (one forward-mode pass per pixel).
* **Raw values**, unclamped, unnormalised: the derivative itself (for a linear model, the kernel).
* **Context.** ``context=None`` (default) differentiates the network on the whole image: the
  exact Jacobian. ``context=k`` runs it on a crop reaching ``k`` LR pixels beyond the response
  window on each side (moved inside the image at its borders, so that all crops have one size and
  batch): the exact Jacobian *of the crop*, equal to the whole image's wherever the network's
  receptive field fits in the crop. It is much cheaper on large images; measure its error by
  comparing a few pixels with ``context=None``.
* **Evaluation**: eval mode (every submodule's mode restored), on the model's device and dtype
  (:func:`lpf.analysis._base.placement`; a parameter-free model runs in the image's dtype);
  gradients are enabled only for the reverse-mode
  :func:`local_receptive_field`. Models that cannot be differentiated (``.round()``,
  ``.detach()``, ``.numpy()``, ``torch.no_grad`` in reverse mode...) raise :class:`LpfError`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from lpf._checks import LpfError, RangeError, ShapeError, as_image_tensor, check_finite, check_scale
from lpf.analysis._base import (
    Model,
    ToDict,
    as_pair,
    check_output,
    check_size,
    eval_mode,
    jsonable,
    placement,
)
from lpf.analysis.impulse import dc_gain, frequency_response
from lpf.analysis.sinc import sinc_correlation, sinc_likeness

__all__ = [
    "JacobianDecomposition",
    "LocalResponseMap",
    "MAP_FIELDS",
    "jacobian_decomposition",
    "local_impulse_response",
    "local_receptive_field",
    "local_response_map",
]

#: the per-pixel summaries of :func:`local_response_map` (each a ``(rows, cols)`` map)
MAP_FIELDS = (
    "side_lobe_level",
    "main_lobe_width",
    "windowed_sinc_distance",
    "sinc_distance",
    "cutoff_ratio",
    "cutoff_3db",
    "cutoff_6db",
    "dc_gain",
    "sinc_correlation",
)

_JIT_WARNING = r"`torch.jit.script` is deprecated"

_NOT_DIFFERENTIABLE = (
    "`model` is not differentiable at `image`: {why}. The local analysis needs a model whose "
    "output is a differentiable torch function of its input (no .round(), .detach(), "
    ".numpy()/.item() round trips, torch.no_grad()/inference_mode inside forward)."
)


# ---------------------------------------------------------------------------------------------
# argument checks and geometry


def _image(image: torch.Tensor | np.ndarray, model: Model, device, dtype) -> torch.Tensor:
    """``image`` as ``(1, C, H, W)`` on the model's device/dtype."""
    x = as_image_tensor(image, "image")
    if x.ndim == 4:
        if x.shape[0] != 1:
            raise ShapeError(f"`image` must be one image, (C, H, W) or (1, C, H, W), got "
                             f"{tuple(x.shape)}.", expected="(1, C, H, W)", actual=tuple(x.shape))
    else:
        x = x[None]
    check_finite(x, "image")
    if dtype is None and not _has_float_state(model):  # parameter-free: the image's dtype
        dtype = x.dtype
    dev, dt = placement(model, device, dtype)
    return x.to(device=dev, dtype=dt)


def _has_float_state(model: Model) -> bool:
    return isinstance(model, torch.nn.Module) and any(
        t.is_floating_point() for t in (*model.parameters(), *model.buffers()))


def _pixels(pixel: Any, height: int, width: int, name: str) -> tuple[list[tuple[int, int]], bool]:
    """(list of (row, col), whether a single pair was given), each checked inside the image."""
    if isinstance(pixel, torch.Tensor | np.ndarray):
        pixel = (pixel.cpu().numpy() if isinstance(pixel, torch.Tensor) else pixel).tolist()
    is_int = lambda v: isinstance(v, int | np.integer) and not isinstance(v, bool)  # noqa: E731
    single = isinstance(pixel, Sequence) and len(pixel) == 2 and all(is_int(v) for v in pixel)
    if single:
        pairs = [as_pair(pixel, name)]
    elif (isinstance(pixel, Sequence) and not isinstance(pixel, str) and len(pixel) > 0
          and all(isinstance(p, Sequence) and not isinstance(p, str) for p in pixel)):
        pairs = [as_pair(p, name) for p in pixel]
    else:
        raise TypeError(f"`{name}` must be a pair of ints (row, col) or a sequence of pairs, "
                        f"got {pixel!r}.")
    for r, c in pairs:
        if not (0 <= r < height and 0 <= c < width):
            raise ValueError(f"`{name}` must lie inside the {height}x{width} image (rows in "
                             f"[0, {height}), columns in [0, {width})), got {(r, c)}.")
    return pairs, single


def _context(context: int | None) -> int | None:
    if context is None:
        return None
    if isinstance(context, bool) or not isinstance(context, int | np.integer) or context < 0:
        raise ValueError(f"`context` must be None (the whole image) or an integer >= 0 (LR "
                         f"pixels around the response window), got {context!r}.")
    return int(context)


def _positive(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"`{name}` must be an integer >= 1, got {value!r}.")
    return int(value)


def _box(pixel: tuple[int, int], size: int, context: int | None, height: int, width: int
         ) -> tuple[int, int, int, int]:
    """(top, left, crop height, crop width) of the LR crop the network sees for ``pixel``."""
    if context is None:
        return 0, 0, height, width
    k = size + 2 * context
    kh, kw = min(k, height), min(k, width)
    top = min(max(pixel[0] - size // 2 - context, 0), height - kh)
    left = min(max(pixel[1] - size // 2 - context, 0), width - kw)
    return top, left, kh, kw


def _window(out: torch.Tensor, top: int, left: int, length: int) -> torch.Tensor:
    """``out[..., top:top+L, left:left+L]`` with zeros where the window leaves ``out``."""
    h, w = out.shape[-2:]
    win = out.new_zeros(*out.shape[:-2], length, length)
    r0, r1 = max(top, 0), min(top + length, h)
    c0, c1 = max(left, 0), min(left + length, w)
    if r1 > r0 and c1 > c0:
        win[..., r0 - top:r1 - top, c0 - left:c1 - left] = out[..., r0:r1, c0:c1]
    return win


# ---------------------------------------------------------------------------------------------
# the forward- and reverse-mode engines


def _render(model: Model, x: torch.Tensor, window: tuple[int, int, int, int]) -> torch.Tensor:
    """The ``(top, left, height, width)`` window of ``model(x)``.

    Computed alone where the model can (``forward_window``: LIIF decodes only those output
    pixels), else cropped from the whole output.
    """
    forward_window = getattr(model, "forward_window", None)
    if callable(forward_window):
        return forward_window(x, window)
    top, left, h, w = window
    return model(x)[..., top:top + h, left:left + w]


def _jvp(model: Model, xs: torch.Tensor, tangents: torch.Tensor, scale: int,
         window: tuple[int, int, int, int] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """``(N(xs), J(xs) t)`` for each ``t`` of ``tangents`` ``(T, B, C, K, K)``.

    The tangents are batched with :func:`torch.func.vmap` (the primal pass is shared); models
    that vmap cannot batch are run tangent by tangent. With ``window`` (output pixels, see
    :func:`_render`) only that window of the output and of its tangents is returned.
    """

    def fn(x: torch.Tensor) -> torch.Tensor:
        return model(x) if window is None else _render(model, x, window)

    def one(t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return torch.func.jvp(fn, (xs,), (t,))

    with eval_mode(model), warnings.catch_warnings():
        # torch builds its jvp decompositions with torch.jit.script on first use, which warns
        warnings.filterwarnings("ignore", message=_JIT_WARNING, category=FutureWarning)
        try:
            if tangents.shape[0] == 1:
                out, tan = one(tangents[0])
                tan = tan[None]
            else:
                try:
                    out, tan = torch.func.vmap(one, out_dims=(None, 0))(tangents)
                except RuntimeError:  # vmap cannot batch this model: one tangent at a time
                    pairs = [one(t) for t in tangents]
                    out, tan = pairs[0][0], torch.stack([p[1] for p in pairs])
        except (RuntimeError, NotImplementedError) as err:
            raise LpfError(_NOT_DIFFERENTIABLE.format(
                why=f"forward-mode autodiff failed ({type(err).__name__}: {err})")) from err
    if window is None:
        check_output(out, xs, scale=scale)
    elif not isinstance(out, torch.Tensor) or tuple(out.shape) != (*xs.shape[:2], *window[2:]):
        raise LpfError(f"the model's output window has shape {tuple(getattr(out, 'shape', ()))},"
                       f" expected {(*xs.shape[:2], *window[2:])}.")
    if tan is None or not isinstance(tan, torch.Tensor):
        raise LpfError(_NOT_DIFFERENTIABLE.format(why="the output has no tangent"))
    return out.detach(), tan.detach()


def _not_zero(values: torch.Tensor, why: str) -> None:
    check_finite(values, "local response")
    if not bool((values != 0).any()):
        raise LpfError(_NOT_DIFFERENTIABLE.format(why=why))


def _columns(model: Model, x: torch.Tensor, pixels: list[tuple[int, int]], *, scale: int,
             size: int, context: int | None, each_channel: bool, batch_size: int
             ) -> torch.Tensor:
    """Columns of J(x): ``(P, C', T, L, L)``, T = C (impulse in one channel) or 1 (in all)."""
    _, c, h, w = x.shape
    s, half, length = scale, size // 2, scale * size
    taps = [[k] for k in range(c)] if each_channel else [list(range(c))]
    out: torch.Tensor | None = None
    if context is None:  # one primal (the whole image), many tangents
        jobs = [(i, k) for i in range(len(pixels)) for k in range(len(taps))]
        for start in range(0, len(jobs), batch_size):
            chunk = jobs[start:start + batch_size]
            t = x.new_zeros(len(chunk), 1, c, h, w)
            for j, (i, k) in enumerate(chunk):
                t[j, 0, taps[k], pixels[i][0], pixels[i][1]] = 1.0
            _, tan = _jvp(model, x, t, s)
            if out is None:
                out = x.new_zeros(len(pixels), tan.shape[2], len(taps), length, length)
            for j, (i, k) in enumerate(chunk):
                r, col = pixels[i]
                out[i, :, k] = _window(tan[j, 0], s * (r - half), s * (col - half), length)
        assert out is not None
        return out
    for start in range(0, len(pixels), batch_size):  # one crop per pixel, batched
        chunk = list(range(start, min(start + batch_size, len(pixels))))
        boxes = [_box(pixels[i], size, context, h, w) for i in chunk]
        kh, kw = boxes[0][2], boxes[0][3]
        xs = torch.stack([x[0, :, t0:t0 + kh, l0:l0 + kw] for t0, l0, _, _ in boxes])
        t = x.new_zeros(len(taps), len(chunk), c, kh, kw)
        for j, i in enumerate(chunk):
            r, col = pixels[i][0] - boxes[j][0], pixels[i][1] - boxes[j][1]
            for k, chans in enumerate(taps):
                t[k, j, chans, r, col] = 1.0
        # only the output window that holds the batch's response windows is computed
        tops = [s * (pixels[i][0] - boxes[j][0] - half) for j, i in enumerate(chunk)]
        lefts = [s * (pixels[i][1] - boxes[j][1] - half) for j, i in enumerate(chunk)]
        top, left = max(0, min(tops)), max(0, min(lefts))
        bottom = min(s * kh, max(tops) + length)
        right = min(s * kw, max(lefts) + length)
        _, tan = _jvp(model, xs, t, s, window=(top, left, bottom - top, right - left))
        if out is None:
            out = x.new_zeros(len(pixels), tan.shape[2], len(taps), length, length)
        for j, i in enumerate(chunk):
            out[i] = _window(tan[:, j], tops[j] - top, lefts[j] - left, length).transpose(0, 1)
    assert out is not None
    return out


# ---------------------------------------------------------------------------------------------
# public functions


def local_impulse_response(
    model: Model,
    image: torch.Tensor | np.ndarray,
    pixel: Sequence[int] | Sequence[Sequence[int]] | torch.Tensor | np.ndarray,
    *,
    scale: int,
    size: int = 11,
    context: int | None = None,
    batch_size: int = 16,
    device: torch.device | str | None = None,
    dtype: torch.dtype | None = None,
) -> torch.Tensor:
    r"""The exact local impulse response: column(s) of the Jacobian :math:`J(x)` at LR pixel(s).

    .. math:: h_p[c', c] = \frac{\partial N(x)[c']}{\partial x[c, p]}
              = \lim_{\varepsilon \to 0} \frac{N(x + \varepsilon\,\delta^{(c)}_p)[c'] - N(x)[c']}
              {\varepsilon}

    computed with forward-mode autodiff (:func:`torch.func.jvp`, one pass per pixel and input
    channel, batched with :func:`torch.func.vmap`). On a black image it is the limit of
    :func:`~lpf.analysis.impulse.impulse_response_matrix` as the amplitude goes to 0; for a
    linear shift-invariant model it *is* that kernel, at every pixel of every image. See the
    module docstring for the window (which pixel), the origin (which phase) and ``context``.

    Args:
        model: an ``nn.Module`` or callable ``(N, C, H, W) -> (N, C', s*H, s*W)``,
            differentiable with :mod:`torch.func`.
        image: the operating point ``x``, ``(C, H, W)`` or ``(1, C, H, W)`` float (values as the
            model takes them, [0, 1] for the kit's models).
        pixel: one LR pixel ``(row, col)``, or a sequence of them.
        scale: the model's integer scale ``s``.
        size: the response window's side in LR pixels (default 11, the paper's).
        context: ``None`` (whole image, exact) or LR pixels of image around the window that the
            network sees (faster; exact for the crop).
        batch_size: tangents (``context=None``) or crops per forward-mode pass.
        device: run device (default: the model's).
        dtype: run dtype (default: the model's).

    Returns:
        ``(C', C, s*size, s*size)`` for one pixel, ``(P, C', C, s*size, s*size)`` for ``P``
        pixels: output channel first, input channel second; ``.sum(-3)`` is the response to an
        impulse in every channel.

    Raises:
        LpfError: the model is not differentiable (autodiff fails, or every tangent is 0).
        ValueError: a pixel outside the image, a bad ``size``/``context``/``batch_size``.
        ShapeError: ``image`` is not one image, or the model's output has the wrong size.

    Examples:
        >>> import torch.nn.functional as F
        >>> up = lambda x: F.interpolate(x, scale_factor=2, mode="bilinear")
        >>> h = local_impulse_response(up, torch.rand(3, 8, 8), (4, 4), scale=2, size=5)
        >>> h.shape, round(float(h[0, 0].sum()), 4), float(h[0, 1].abs().max())
        (torch.Size([3, 3, 10, 10]), 4.0, 0.0)
    """
    scale = check_scale(scale)
    size = check_size(size)
    context = _context(context)
    batch_size = _positive(batch_size, "batch_size")
    x = _image(image, model, device, dtype)
    pixels, single = _pixels(pixel, x.shape[-2], x.shape[-1], "pixel")
    cols = _columns(model, x, pixels, scale=scale, size=size, context=context, each_channel=True,
                    batch_size=batch_size)
    _not_zero(cols, "every local response is exactly 0 (a zero tangent: .round(), .detach() "
                    "or a constant output)")
    return cols[0] if single else cols


def local_receptive_field(
    model: Model,
    image: torch.Tensor | np.ndarray,
    out_pixel: Sequence[int],
    *,
    scale: int,
    size: int = 11,
    context: int | None = None,
    device: torch.device | str | None = None,
    dtype: torch.dtype | None = None,
) -> torch.Tensor:
    r"""The local receptive field of one output pixel: a row of the Jacobian :math:`J(x)`.

    .. math:: g_q[c', c, p] = \frac{\partial N(x)[c', q]}{\partial x[c, p]}

    computed with reverse-mode autodiff (:func:`torch.func.vjp`, one pass per output channel).
    ``q = out_pixel`` is an HR pixel; the row is returned on the ``size x size`` LR window centred
    on ``q``'s LR pixel ``(q_row // s, q_col // s)`` (at index ``(size//2, size//2)``), zero
    outside the image. It is consistent with :func:`local_impulse_response`: for LR pixel ``p``
    in the window, ``g_q[c', c, p - p0] == h_p[c', c, q - s (p - size//2)]``.

    Args:
        model: as in :func:`local_impulse_response`.
        image: the operating point, ``(C, H, W)`` or ``(1, C, H, W)``.
        out_pixel: the HR pixel ``(row, col)`` of the output, inside ``(s*H, s*W)``.
        scale: the model's integer scale ``s``.
        size: the window's side in LR pixels.
        context: ``None`` (whole image) or LR pixels of image around the window the network sees.
        device: run device (default: the model's).
        dtype: run dtype (default: the model's).

    Returns:
        ``(C', C, size, size)``: output channel first, input channel second.

    Raises:
        LpfError: the model is not differentiable in reverse mode (e.g. ``torch.no_grad`` inside
            its forward, or autodiff fails).
        ValueError: ``out_pixel`` outside the output, bad ``size``/``context``.

    Examples:
        >>> import torch.nn.functional as F
        >>> up = lambda x: F.interpolate(x, scale_factor=2, mode="nearest")
        >>> g = local_receptive_field(up, torch.rand(3, 6, 6), (5, 4), scale=2, size=3)
        >>> g.shape, g[0, 0].tolist()
        (torch.Size([3, 3, 3, 3]), [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
    """
    scale = check_scale(scale)
    size = check_size(size)
    context = _context(context)
    x = _image(image, model, device, dtype)
    _, c, h, w = x.shape
    pairs, single = _pixels(out_pixel, scale * h, scale * w, "out_pixel")
    if not single:
        raise TypeError(f"`out_pixel` must be one HR pixel (row, col), got {out_pixel!r}.")
    qr, qc = pairs[0]
    p = (qr // scale, qc // scale)
    top, left, kh, kw = _box(p, size, context, h, w)
    xs = x[:, :, top:top + kh, left:left + kw].detach()
    try:
        with eval_mode(model), torch.enable_grad():
            out, pull = torch.func.vjp(model, xs)
            check_output(out, xs, scale=scale)
            cot = out.new_zeros(out.shape[1], *out.shape)
            for k in range(out.shape[1]):
                cot[k, 0, k, qr - scale * top, qc - scale * left] = 1.0
            try:
                grads = torch.func.vmap(pull)(cot)[0]
            except RuntimeError:
                grads = torch.stack([pull(v)[0] for v in cot])
    except (LpfError, ShapeError, TypeError):
        raise
    except (RuntimeError, NotImplementedError) as err:
        raise LpfError(_NOT_DIFFERENTIABLE.format(
            why=f"reverse-mode autodiff failed ({type(err).__name__}: {err})")) from err
    if grads is None:
        raise LpfError(_NOT_DIFFERENTIABLE.format(why="no gradient reaches the input"))
    row = _window(grads[:, 0].detach(), p[0] - size // 2 - top, p[1] - size // 2 - left, size)
    _not_zero(row, "the gradient of the output pixel is exactly 0 (torch.no_grad, .detach() or "
                   ".round() inside forward?)")
    return row


@dataclass(frozen=True, eq=False)
class LocalResponseMap(ToDict):
    """The local impulse response on a grid of pixels, and its diagnostics per pixel.

    Attributes:
        rows: LR rows of the grid, ``(R,)``.
        cols: LR columns of the grid, ``(K,)``.
        responses: the all-channel local responses (impulse in every input channel), ``(R, K,
            C', s*size, s*size)``, origin and window as in :func:`local_impulse_response`.
        side_lobe_level: first side lobe / peak (:func:`~lpf.analysis.sinc.sinc_likeness`;
            -0.217 for the ideal sinc), ``(R, K)`` float64; NaN where the response is 0 or has no
            side lobe.
        main_lobe_width: main-lobe width in HR pixels (``2 s`` for the ideal sinc).
        windowed_sinc_distance: relative L2 residual of the best windowed-sinc fit.
        sinc_distance: relative L2 residual of the ideal (unwindowed) sinc.
        cutoff_ratio: the fitted sinc's cutoff over the ideal ``1/(2s)``.
        cutoff_3db: -3 dB radial cutoff, cycles per HR pixel, channel mean
            (:func:`~lpf.analysis.impulse.frequency_response`).
        cutoff_6db: -6 dB radial cutoff, cycles per HR pixel, channel mean.
        dc_gain: ``sum(h) / s**2``, channel mean (:func:`~lpf.analysis.impulse.dc_gain`).
        sinc_correlation: THE sinc correlation (:func:`~lpf.analysis.sinc.sinc_correlation`).
        scale: the upscaling factor ``s``.
        size: the window side in LR pixels.
        stride: the grid step in LR pixels.
        context: the crop context (``None``: the whole image).
    """

    rows: np.ndarray
    cols: np.ndarray
    responses: torch.Tensor
    side_lobe_level: np.ndarray
    main_lobe_width: np.ndarray
    windowed_sinc_distance: np.ndarray
    sinc_distance: np.ndarray
    cutoff_ratio: np.ndarray
    cutoff_3db: np.ndarray
    cutoff_6db: np.ndarray
    dc_gain: np.ndarray
    sinc_correlation: np.ndarray
    scale: int
    size: int
    stride: int
    context: int | None

    def summary(self) -> dict[str, dict[str, float]]:
        """``field -> {median, p10, p90, min, max, nan}`` over the grid (NaN-aware)."""
        out = {}
        for name in MAP_FIELDS:
            v = np.asarray(getattr(self, name), dtype=np.float64).ravel()
            ok = v[np.isfinite(v)]
            stats = dict.fromkeys(("median", "p10", "p90", "min", "max"), math.nan)
            if ok.size:
                stats = {"median": float(np.median(ok)), "p10": float(np.percentile(ok, 10)),
                         "p90": float(np.percentile(ok, 90)), "min": float(ok.min()),
                         "max": float(ok.max())}
            out[name] = stats | {"nan": int(v.size - ok.size)}
        return out

    def to_dict(self) -> dict[str, Any]:
        """Grid, geometry and :meth:`summary` (the arrays are left out), as Python values."""
        return {"rows": jsonable(self.rows), "cols": jsonable(self.cols), "scale": self.scale,
                "size": self.size, "stride": self.stride, "context": self.context,
                "summary": self.summary()}


def _diagnostics(h: torch.Tensor, scale: int) -> dict[str, float]:
    """The sinc-likeness fields and the sinc correlation of one response ``(C', L, L)``."""
    try:
        s = sinc_likeness(h, scale=scale)
    except RangeError:  # a zero response: nothing to measure
        return dict.fromkeys(("side_lobe_level", "main_lobe_width", "windowed_sinc_distance",
                              "sinc_distance", "cutoff_ratio", "sinc_correlation"), math.nan)
    corr = sinc_correlation(h, scale=scale)
    return {"side_lobe_level": s.side_lobe_level, "main_lobe_width": s.main_lobe_width,
            "windowed_sinc_distance": s.distance, "sinc_distance": s.sinc_distance,
            "cutoff_ratio": s.cutoff_ratio, "sinc_correlation": corr}


def local_response_map(
    model: Model,
    image: torch.Tensor | np.ndarray,
    *,
    scale: int,
    stride: int = 4,
    offset: int | None = None,
    size: int = 11,
    context: int | None = None,
    batch_size: int = 16,
    pad_to: int | None = None,
    device: torch.device | str | None = None,
    dtype: torch.dtype | None = None,
) -> LocalResponseMap:
    r"""The local impulse response on a grid of pixels, summarised with the kit's diagnostics.

    At every grid pixel ``p`` the all-channel column :math:`J(x)\,\sum_c \delta^{(c)}_p` (the
    paper's impulse, in every channel, at operating point ``x``; one forward-mode pass) is
    measured on the ``size x size`` window of :func:`local_impulse_response`, then summarised:
    sinc-likeness (side-lobe level and sign, main-lobe width, windowed-sinc and ideal-sinc
    distances, fitted cutoff; :func:`~lpf.analysis.sinc.sinc_likeness`), the sinc correlation
    (:func:`~lpf.analysis.sinc.sinc_correlation`), the -3/-6 dB radial cutoffs
    (:func:`~lpf.analysis.impulse.frequency_response`) and the DC gain
    (:func:`~lpf.analysis.impulse.dc_gain`). For a linear shift-invariant model every map is
    constant (away from the borders).

    Args:
        model: as in :func:`local_impulse_response`.
        image: the operating point ``(C, H, W)`` or ``(1, C, H, W)``.
        scale: the model's integer scale ``s``.
        stride: grid step in LR pixels (>= 1).
        offset: first grid row/column (default ``stride // 2``), in ``[0, min(H, W))``.
        size: the response window's side in LR pixels (default 11).
        context: ``None`` (whole image, exact, slow on large images) or LR pixels of context
            around each window (one crop per pixel, batched).
        batch_size: pixels per forward-mode pass (crops with a `context`). Larger batches cost
            memory and, for networks with wide per-pixel decoders, speed (EDSR-LIIF is fastest
            with 2: its MLP's activations stay in cache).
        pad_to: FFT size of the frequency response (default ``max(256, s*size)``).
        device: run device (default: the model's).
        dtype: run dtype (default: the model's).

    Returns:
        :class:`LocalResponseMap` (maps ``(R, K)`` float64 NumPy, NaN where a response is 0).

    Raises:
        ValueError: a bad ``stride``/``offset``/``size``/``context``.
        LpfError: the model is not differentiable.

    Examples:
        >>> import torch.nn.functional as F
        >>> up = lambda x: F.interpolate(x, scale_factor=2, mode="bicubic")
        >>> m = local_response_map(up, torch.rand(3, 16, 16), scale=2, stride=8, size=7)
        >>> m.rows.tolist(), m.side_lobe_level.shape, round(float(m.dc_gain[0, 0]), 4)
        ([4, 12], (2, 2), 1.0)
    """
    scale = check_scale(scale)
    size = check_size(size)
    context = _context(context)
    batch_size = _positive(batch_size, "batch_size")
    x = _image(image, model, device, dtype)
    h, w = x.shape[-2:]
    if isinstance(stride, bool) or not isinstance(stride, int | np.integer) or stride < 1:
        raise ValueError(f"`stride` must be an integer >= 1 (LR pixels), got {stride!r}.")
    stride = int(stride)
    offset = stride // 2 if offset is None else offset
    if (isinstance(offset, bool) or not isinstance(offset, int | np.integer)
            or not 0 <= offset < min(h, w)):
        raise ValueError(f"`offset` must be an integer in [0, {min(h, w)}) (LR pixels), got "
                         f"{offset!r}.")
    rows = np.arange(int(offset), h, stride)
    cols = np.arange(int(offset), w, stride)
    pixels = [(int(r), int(c)) for r in rows for c in cols]
    resp = _columns(model, x, pixels, scale=scale, size=size, context=context, each_channel=False,
                    batch_size=batch_size)[:, :, 0]
    _not_zero(resp, "every local response is exactly 0 (a zero tangent: .round(), .detach() or "
                    "a constant output)")
    fields: dict[str, list[float]] = {k: [] for k in MAP_FIELDS}
    length = scale * size
    for start in range(0, len(pixels), 64):
        block = resp[start:start + 64]
        fr = frequency_response(block, scale=scale, pad_to=pad_to or max(256, length))
        fields["cutoff_3db"] += torch.nanmean(fr.cutoff_3db.double(), dim=-1).tolist()
        fields["cutoff_6db"] += torch.nanmean(fr.cutoff_6db.double(), dim=-1).tolist()
        fields["dc_gain"] += dc_gain(block, scale=scale).gain.double().mean(-1).tolist()
        for hp in block:
            for k, v in _diagnostics(hp, scale).items():
                fields[k].append(v)
    shape = (len(rows), len(cols))
    maps = {k: np.asarray(v, dtype=np.float64).reshape(shape) for k, v in fields.items()}
    return LocalResponseMap(rows=rows, cols=cols,
                            responses=resp.reshape(*shape, *resp.shape[1:]), **maps,
                            scale=scale, size=size, stride=stride, context=context)


@dataclass(frozen=True, eq=False)
class JacobianDecomposition(ToDict):
    r"""The split :math:`N(x) = J(x)\,x + r(x)` of :func:`jacobian_decomposition`.

    Tensors have the rank of the input image: ``(C', sH, sW)`` or ``(1, C', sH, sW)``.

    Attributes:
        sr: the output :math:`N(x)`.
        linear: :math:`J(x)\,x`, the image filtered by the network's local linear filter at ``x``
            (each output pixel with its own kernel).
        residual: :math:`r(x) = N(x) - J(x)\,x`: what no linear filter at ``x`` explains
            (biases, normalisation, non-homogeneous parts); 0 for bias-free piecewise-linear
            networks (Euler's theorem for positively homogeneous maps).
        relative_residual: :math:`\lVert r \rVert_2 / \lVert N(x) \rVert_2`.
    """

    sr: torch.Tensor
    linear: torch.Tensor
    residual: torch.Tensor
    relative_residual: float

    def to_dict(self) -> dict[str, Any]:
        """The relative residual (the images are left out)."""
        return {"relative_residual": self.relative_residual}


def jacobian_decomposition(
    model: Model,
    image: torch.Tensor | np.ndarray,
    *,
    scale: int,
    device: torch.device | str | None = None,
    dtype: torch.dtype | None = None,
) -> JacobianDecomposition:
    r"""Split the output into the local linear filter's part and the rest: :math:`N = J x + r`.

    .. math:: N(x) = J(x)\,x + r(x)

    :math:`J(x)\,x` is one forward-mode product (:func:`torch.func.jvp` with the image itself as
    the tangent): the image passed through the exact local linear filter of the network at that
    image (Mohan et al., ICLR 2020, for bias-free denoisers). Compare with HyRA's
    :math:`H(x)` (:func:`lpf.analysis.hyra.hyra`), which filters with the one kernel measured on
    a black background.

    Args:
        model: as in :func:`local_impulse_response`.
        image: ``(C, H, W)`` or ``(1, C, H, W)`` float.
        scale: the model's integer scale ``s``.
        device: run device (default: the model's).
        dtype: run dtype (default: the model's).

    Returns:
        :class:`JacobianDecomposition`, tensors with the image's rank.

    Raises:
        LpfError: the model is not differentiable.
        ShapeError: ``image`` is not one image, or the output has the wrong size.

    Examples:
        >>> net = torch.nn.Sequential(torch.nn.Conv2d(3, 12, 3, padding=1, bias=False),
        ...                           torch.nn.ReLU(), torch.nn.PixelShuffle(2))
        >>> d = jacobian_decomposition(net, torch.rand(3, 8, 8), scale=2)
        >>> d.sr.shape, d.relative_residual < 1e-6
        (torch.Size([3, 16, 16]), True)
    """
    scale = check_scale(scale)
    raw = as_image_tensor(image, "image")
    x = _image(raw, model, device, dtype)
    out, tan = _jvp(model, x, x[None], scale)
    linear = tan[0]
    check_finite(out, "model output")
    check_finite(linear, "J(x) x")
    if bool((x != 0).any()) and not bool((linear != 0).any()):
        raise LpfError(_NOT_DIFFERENTIABLE.format(
            why="J(x) x is exactly 0 (a zero tangent: .round(), .detach() or a constant output)"))
    residual = out - linear
    norm = float(out.double().norm())
    rel = float(residual.double().norm()) / norm if norm > 0 else math.nan
    if raw.ndim == 3:
        out, linear, residual = out[0], linear[0], residual[0]
    return JacobianDecomposition(sr=out, linear=linear, residual=residual, relative_residual=rel)
