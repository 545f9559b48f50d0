r"""HyRA, Hybrid Response Analysis: N(I) = H(I) + G(I) (paper Sec. 4.1, Eqs. 3-8, Figs. 3, 4, 14).

A super-resolution network :math:`N` is split into a linear, shift-invariant part :math:`H` and a
remainder :math:`G`:

.. math:: H(I) = I \uparrow_s * h, \qquad G(I) = N(I) - H(I)  \qquad \text{(Eqs. 7-8)}

where :math:`I\uparrow_s` is the zero-inserted LR image and :math:`h` the network's impulse
response (:mod:`lpf.impulse`). ``lpf.hyra`` is both this module and, called, :func:`hyra`.

**Exact mode** (default). The decomposition is built so that it is *exact* for linear networks:

* :math:`h` is the raw, unclamped, background-subtracted response, measured per input channel
  (:func:`lpf.impulse.impulse_response_matrix`, a ``C' x C`` matrix of kernels, since networks mix
  colours); from tensors, a ``(C, L, L)`` response is applied channel by channel, as the paper does.
* Zero insertion puts LR pixel ``m`` at HR pixel ``s m`` (phase (0, 0)) and the kernel's origin is
  the HR pixel ``s * position`` of the response window (the top-left pixel of the impulse's block),
  so :math:`H(I)[n] = \sum_m I[m]\, h[n - s m + s\,p_0]`, a **true convolution**, aligned with
  the network's output pixel for pixel. This equals the zero-insertion + convolution form above
  and is computed without multiplying zeros: the ``s*s`` polyphase components of ``h`` are
  convolved with the LR image and interleaved (a convolution with ``C' s^2`` output channels
  followed by ``pixel_shuffle``; the linear part of any SR network *is* such a layer). Outside the
  image the LR is taken as 0 (zero padding).
* :math:`G = N(I) - H(I)`, so ``linear + nonlinear == sr`` (exactly, up to the one floating-point
  rounding of the subtraction), and ``H`` has the SR's shape.

*Border.* For a linear network, :math:`G` vanishes wherever the kernel's footprint lies inside
the image. Near the edges the network's own padding (reflect, replicate, or zero padding repeated
in several layers) differs from the zero extension used for :math:`H`, so :math:`G \ne 0` there.
With the kernel's support spanning the offsets ``[d_min, d_max]`` (HR pixels from the origin,
per axis) the affected border is ``max(0, d_max - s + 1)`` pixels at the top/left and
``max(0, -d_min)`` at the bottom/right (:func:`hyra_border`; stored in :attr:`HyRA.border`). For the
full default window (11 LR pixels, impulse at 5) that is at most ``5 s`` HR pixels on each side;
for bicubic (support 2 LR pixels) ``1.5 s``; for a transposed convolution (no padding) G is zero
everywhere. The window must hold the whole response (see :mod:`lpf.impulse`), else ``G`` holds
the truncated tails everywhere.

*Affine models and Lemma 4.1.* Networks have biases: :math:`N(0) \ne 0` while a linear
:math:`H` has :math:`H(0) = 0`, so :math:`G(0) = N(0)`. With the background-subtracted response,
:math:`G(\delta) = N(\delta) - (N(\delta) - N(0)) = N(0) = G(0)`: Lemma 4.1 (:math:`G(\delta) = 0`)
holds up to the constant term, and exactly for bias-free networks; with
``subtract_background=False`` (the paper's definition, :math:`h = N(\delta)`) it holds exactly
for every network on the measured impulse. For an affine shift-invariant network the constant term
is an ``s``-periodic pattern; in model mode it is estimated from the central ``s x s`` block of
:math:`N(0)` on the impulse window (:attr:`HyRA.constant`, tiled by :attr:`HyRA.offset`), so that
``nonlinear - offset`` vanishes (away from the border) for affine models too.

**Paper mode** reproduces the official ``HyRA.py`` (protocol P-HyRA), quirks included: the LR
image is reflect-padded by ``k // (2 s)`` pixels (``k`` the kernel size; the official code pads the
width by the kernel's height and vice versa), zero-inserted (top-left), cross-correlated ("valid",
per channel, kernel not flipped) with the impulse-response *image* (clamped to [0, 1]; from files,
8-bit), giving an ``(s (H + 2p) - k + 1)``-sized linear part (124x124 for the official 42x42 x3
example instead of 126x126); the SR image is resized to that size with nearest-neighbour
interpolation before the subtraction. It is there to compare with the paper's figures, not for
analysis.

**Band analysis** (:func:`hyra_bands`, paper Sec. 4.1.1-4.1.2, Figs. 4 and 14): amplitude and
phase spectra of SR, H and G; energies below and above the LR Nyquist frequency; and how G's phase
opposes H's at the replica peaks that zero insertion creates (G "erases" H's grid artefacts).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import torch
import torch.nn.functional as F

from lpf._checks import ShapeError, as_image_tensor, check_finite, check_scale
from lpf.analysis import impulse as _impulse
from lpf.analysis._base import (
    Model,
    ToDict,
    as_pair,
    check_position,
    jsonable,
    placement,
    run_model,
)
from lpf.analysis.impulse import impulse_response_paper
from lpf.signal import spectra

__all__ = [
    "HyRA",
    "hyra",
    "hyra_bands",
    "hyra_border",
    "hyra_display",
    "hyra_summary",
    "HyRABands",
    "linear_part",
    "Mode",
]

Mode = Literal["exact", "paper"]


@dataclass(frozen=True, eq=False)
class HyRA:
    """The result of :func:`hyra`: the SR image and its linear and nonlinear parts.

    Tensors share the LR's rank: ``(C', sH, sW)`` for a ``(C, H, W)`` LR image, ``(N, C', sH, sW)``
    for a batch.

    Attributes:
        sr: the network's output :math:`N(I)`. In paper mode: the SR resized (nearest) to the
            linear part's size, as the official code subtracts it.
        linear: :math:`H(I)`, the linear shift-invariant part (Eq. 7).
        nonlinear: :math:`G(I) = N(I) - H(I)` (Eq. 8); ``linear + nonlinear == sr`` up to the
            rounding of the subtraction (a few ulps).
        impulse_response: the kernel used: ``(C', C, L, L)`` (per input channel) or ``(C, L, L)``
            (channel by channel), ``L = s * size``.
        scale: the upscaling factor ``s``.
        mode: ``"exact"`` or ``"paper"``.
        position: the impulse's LR pixel in the response window; the kernel origin is
            ``scale * position`` (exact mode).
        border: ``(top, bottom, left, right)`` HR pixels where ``G`` may be non-zero even for a
            linear network (exact mode; ``None`` in paper mode). See :func:`hyra_border`.
        constant: one ``s x s`` period ``(C', s, s)`` of the constant term of an affine network,
            the central block of its response to a black image (model form, exact mode with
            background subtraction); ``None`` otherwise. :attr:`offset` tiles it.
    """

    sr: torch.Tensor
    linear: torch.Tensor
    nonlinear: torch.Tensor
    impulse_response: torch.Tensor
    scale: int
    mode: str
    position: tuple[int, int] | None
    border: tuple[int, int, int, int] | None
    constant: torch.Tensor | None

    @property
    def offset(self) -> torch.Tensor | None:
        """The constant term tiled to the SR's shape (``None`` where :attr:`constant` is).

        For an affine shift-invariant network ``nonlinear - offset`` vanishes outside
        :attr:`border`; in general it is :math:`G(I) - G(0)` there.
        """
        if self.constant is None:
            return None
        s = self.scale
        h, w = self.sr.shape[-2:]
        reps = (math.ceil(h / s), math.ceil(w / s))
        tiled = self.constant.repeat(1, *reps)[..., :h, :w]
        return tiled.expand(self.sr.shape) if self.sr.ndim == 4 else tiled

    def crop(self, image: torch.Tensor) -> torch.Tensor:
        """``image`` without :attr:`border` (the region where ``G`` is exact for linear nets).

        Args:
            image: ``(..., sH, sW)``, e.g. :attr:`nonlinear`.

        Returns:
            The interior view ``(..., sH - top - bottom, sW - left - right)``.

        Raises:
            ValueError: in paper mode (no border is defined).

        Examples:
            >>> import torch.nn.functional as F
            >>> up = lambda x: F.interpolate(x, scale_factor=2, mode="bicubic")
            >>> r = hyra(up, torch.rand(3, 16, 16, dtype=torch.float64), scale=2)
            >>> r.border, r.crop(r.nonlinear).shape  # bicubic: 1.5 s rounded up
            ((3, 3, 3, 3), torch.Size([3, 26, 26]))
            >>> bool(r.crop(r.nonlinear).abs().max() < 1e-12)
            True
        """
        if self.border is None:
            raise ValueError("`border` is only defined in exact mode.")
        top, bottom, left, right = self.border
        h, w = image.shape[-2:]
        return image[..., top:h - bottom, left:w - right]


# ---------------------------------------------------------------------------------------------
# exact mode


def _kernel_shape(ir: torch.Tensor, scale: int) -> tuple[int, int]:
    lh, lw = ir.shape[-2:]
    if lh % scale or lw % scale:
        raise ShapeError(
            f"`impulse_response` must be (..., s*size, s*size) for scale s={scale}; got spatial "
            f"size {(lh, lw)}, not a multiple of {scale}. (Use mode='paper' for the official "
            "code's arbitrary kernels.)",
            expected=f"multiples of {scale}",
            actual=tuple(ir.shape),
        )
    return lh // scale, lw // scale


def hyra_border(
    impulse_response: torch.Tensor | np.ndarray,
    *,
    scale: int,
    position: int | Sequence[int] | None = None,
    tol: float = 1e-6,
) -> tuple[int, int, int, int]:
    r"""The border where exact-mode ``G`` may be non-zero for a linear network.

    With the kernel's support (where :math:`|h| > \mathrm{tol}\cdot\max|h|`, over all channels)
    spanning the offsets ``[d_min, d_max]`` HR pixels from the origin ``s * position`` along an
    axis, an HR pixel ``n`` uses LR pixels outside the image (where ``H`` assumes 0 and the
    network its own padding) only if ``n <= d_max - s`` or ``n >= sH + d_min``.

    .. math:: \text{top} = \max(0, d^y_{max} - s + 1), \qquad \text{bottom} = \max(0, -d^y_{min})

    and likewise left/right. A network whose border handling is zero extension in a single layer
    (or a transposed convolution) has ``G = 0`` inside the border too.

    Args:
        impulse_response: ``(..., L, L)`` real, ``L = s * size``.
        scale: the upscaling factor ``s``.
        position: the impulse's LR pixel in the window; default the centre.
        tol: support threshold relative to the largest magnitude (0 = every non-zero value).

    Returns:
        ``(top, bottom, left, right)`` in HR pixels.

    Raises:
        ShapeError: the window is not a multiple of ``scale``.

    Examples:
        >>> h = torch.zeros(3, 44, 44)
        >>> h[:, 14:30, 14:30] = 1.0  # support offsets -6..9 around the origin 20
        >>> hyra_border(h, scale=4)
        (6, 6, 6, 6)
        >>> hyra_border(torch.ones(3, 44, 44), scale=4)  # the whole window: 5 s
        (20, 20, 20, 20)
    """
    scale = check_scale(scale)
    ir = as_image_tensor(impulse_response, "impulse_response", ndims=(2, 3, 4))
    size_h, size_w = _kernel_shape(ir, scale)
    if position is None:
        r0, c0 = size_h // 2, size_w // 2
    else:
        r0, c0 = check_position(position, max(size_h, size_w))
    mag = ir.abs().reshape(-1, *ir.shape[-2:]).amax(0)
    peak = float(mag.max())
    if peak == 0:
        return 0, 0, 0, 0
    support = mag > tol * peak
    rows = torch.nonzero(support.any(1)).flatten()
    cols = torch.nonzero(support.any(0)).flatten()
    dy = (int(rows.min()) - scale * r0, int(rows.max()) - scale * r0)
    dx = (int(cols.min()) - scale * c0, int(cols.max()) - scale * c0)
    return (max(0, dy[1] - scale + 1), max(0, -dy[0]), max(0, dx[1] - scale + 1), max(0, -dx[0]))


def linear_part(
    lr: torch.Tensor | np.ndarray,
    impulse_response: torch.Tensor | np.ndarray,
    *,
    scale: int,
    position: int | Sequence[int] | None = None,
) -> torch.Tensor:
    r"""The exact linear part :math:`H(I)`: zero insertion and true convolution (Eq. 7).

    .. math:: H(I)[c', n] = \sum_{c}\sum_{m} I[c, m]\; h[c', c,\; n - s m + s\,p_0]

    (with a ``(C, L, L)`` kernel, :math:`h[c', c] = \delta_{c'c}\,h[c]`: channel by channel). ``m``
    runs over the LR pixels (zero outside the image), ``n`` over the HR pixels of the output,
    which has exactly the shape ``(C', sH, sW)`` of the SR image and is aligned with it. Computed
    as the polyphase form: ``pixel_shuffle(conv2d(pad(I), W))`` with ``W`` the ``s*s`` phases of
    the flipped kernel, ``C' s^2 x C x size x size``; no multiplication by inserted zeros.

    Args:
        lr: ``(C, H, W)`` or ``(N, C, H, W)`` float.
        impulse_response: ``(C', C, L, L)`` (per input channel, from
            :func:`lpf.impulse.impulse_response_matrix`) or ``(C, L, L)`` (channel by channel, from
            :func:`lpf.impulse.impulse_response`), ``L = s * size``; raw, not clamped.
        scale: the upscaling factor ``s``.
        position: the impulse's LR pixel ``(row, col)`` in the response window (default the
            centre, as :func:`lpf.impulse.impulse_response` places it).

    Returns:
        ``(C', sH, sW)`` or ``(N, C', sH, sW)`` in the promoted dtype of the inputs.

    Raises:
        ShapeError: channel counts disagree, or the window is not a multiple of ``scale``.
        RangeError: NaN/inf values.

    Examples:
        >>> import torch.nn.functional as F
        >>> from lpf.analysis.impulse import impulse_response
        >>> up = lambda x: F.interpolate(x, scale_factor=2, mode="bilinear")
        >>> h = impulse_response(up, scale=2, dtype=torch.float64)
        >>> x = torch.rand(3, 16, 16, dtype=torch.float64)
        >>> H = linear_part(x, h, scale=2)
        >>> H.shape, bool((H - up(x[None])[0])[:, 2:-2, 2:-2].abs().max() < 1e-12)
        (torch.Size([3, 32, 32]), True)
    """
    scale = check_scale(scale)
    x = as_image_tensor(lr, "lr")
    ir = as_image_tensor(impulse_response, "impulse_response", ndims=(3, 4))
    check_finite(x, "lr")
    check_finite(ir, "impulse_response")
    dtype = torch.promote_types(x.dtype, ir.dtype)
    if dtype in (torch.float16, torch.bfloat16):
        dtype = torch.float32
    if x.device != ir.device:
        raise ValueError(f"`lr` is on {x.device} but `impulse_response` is on {ir.device}.")
    single = x.ndim == 3
    x = (x[None] if single else x).to(dtype)
    ir = ir.to(dtype)
    c_in = x.shape[1]
    size_h, size_w = _kernel_shape(ir, scale)
    if position is None:
        r0, c0 = size_h // 2, size_w // 2
    else:
        r0, c0 = check_position(position, max(size_h, size_w))
        if r0 >= size_h or c0 >= size_w:
            raise ValueError(f"`position` {(r0, c0)} lies outside the {size_h}x{size_w} window.")
    if ir.ndim == 4:
        if ir.shape[1] != c_in:
            raise ShapeError(
                f"`impulse_response` (C', C, L, L) = {tuple(ir.shape)} expects C={ir.shape[1]} "
                f"input channels, but `lr` has {c_in}.",
                expected=ir.shape[1],
                actual=c_in,
            )
        c_out, groups = ir.shape[0], 1
    else:
        if ir.shape[0] != c_in:
            raise ShapeError(
                f"`impulse_response` (C, L, L) = {tuple(ir.shape)} is applied channel by "
                f"channel and needs C equal to the LR's {c_in} channels.",
                expected=c_in,
                actual=ir.shape[0],
            )
        c_out, groups = c_in, c_in
        ir = ir[:, None]
    # phases: W[(c', a, b), c, ty, tx] = h[c', c, s ty + a, s tx + b], flipped for conv2d
    weight = ir.reshape(c_out, ir.shape[1], size_h, scale, size_w, scale)
    weight = weight.permute(0, 3, 5, 1, 2, 4).reshape(c_out * scale * scale, ir.shape[1],
                                                      size_h, size_w)
    weight = weight.flip(-2, -1)
    padded = F.pad(x, (size_w - 1 - c0, c0, size_h - 1 - r0, r0))
    out = F.pixel_shuffle(F.conv2d(padded, weight, groups=groups), scale)
    return out[0] if single else out


def _central_block(background: torch.Tensor, scale: int) -> torch.Tensor:
    """The central s x s block (C', s, s) of the background response N(0) (C', L, L)."""
    kh, kw = (background.shape[-2] // scale) // 2, (background.shape[-1] // scale) // 2
    return background[..., scale * kh:scale * (kh + 1), scale * kw:scale * (kw + 1)].clone()


# ---------------------------------------------------------------------------------------------
# paper mode


def _paper_linear(lr: torch.Tensor, ir: torch.Tensor, scale: int) -> torch.Tensor:
    """The official ``get_linear``: reflect pad, zero insertion (top-left), valid correlation."""
    kh, kw = ir.shape[-2:]
    pad_w, pad_h = kh // (2 * scale), kw // (2 * scale)  # the official code swaps them
    h, w = lr.shape[-2:]
    if pad_w >= w or pad_h >= h:
        raise ShapeError(
            f"paper mode reflect-pads `lr` by {pad_h} rows and {pad_w} columns, which needs an "
            f"LR image larger than that; got {h}x{w}.",
            expected=f"H > {pad_h} and W > {pad_w}",
            actual=(h, w),
        )
    padded = F.pad(lr, (pad_w, pad_w, pad_h, pad_h), mode="reflect")
    inserted = spectra.zero_insert(padded, scale)
    channels = lr.shape[1]
    if ir.shape[0] != channels:
        raise ShapeError(
            f"`impulse_response` has {ir.shape[0]} channels but `lr` has {channels}.",
            expected=channels,
            actual=ir.shape[0],
        )
    if kh > inserted.shape[-2] or kw > inserted.shape[-1]:
        raise ShapeError(
            f"`impulse_response` ({kh}x{kw}) is larger than the padded, zero-inserted LR "
            f"({inserted.shape[-2]}x{inserted.shape[-1]}).",
            expected="a smaller kernel",
            actual=(kh, kw),
        )
    return F.conv2d(inserted, ir[:, None], groups=channels)


# ---------------------------------------------------------------------------------------------
# the entry point


def _batch(x: torch.Tensor) -> tuple[torch.Tensor, bool]:
    return (x[None], True) if x.ndim == 3 else (x, False)


def hyra(
    model: Model | None = None,
    lr: torch.Tensor | np.ndarray | None = None,
    *,
    scale: int,
    mode: Mode = "exact",
    sr: torch.Tensor | np.ndarray | None = None,
    impulse_response: torch.Tensor | np.ndarray | None = None,
    position: int | Sequence[int] | None = None,
    size: int = 11,
    cross_channel: bool = True,
    subtract_background: bool = True,
) -> HyRA:
    r"""Hybrid Response Analysis: split an SR output into linear and nonlinear parts (Eqs. 3-8).

    .. math:: N(I) = H(I) + G(I), \qquad H(I) = I\uparrow_s * h, \qquad G(I) = N(I) - H(I)

    Two ways to call it:

    * ``hyra(model, lr, scale=s)``: runs the model on ``lr`` and measures its impulse response
      (exact mode: :func:`lpf.impulse.impulse_response_matrix`, raw, background-subtracted, on an
      ``size``-pixel window; paper mode: :func:`lpf.impulse.impulse_response_paper`). The model
      runs in eval mode without gradients, in its own dtype/device (parameter-free models: the
      LR's).
    * ``hyra(model, lr, scale=s, impulse_response=h)``: the model computes the SR image only, ``h``
      is reused (measure it once with :func:`lpf.impulse.impulse_response_matrix` when
      decomposing many images: the measurement is a second, small forward pass; no
      :attr:`HyRA.constant` then).
    * ``hyra(lr=lr, sr=sr, impulse_response=h, scale=s)``: from tensors, as the official script
      takes its three images. ``h`` is ``(C, L, L)`` (applied channel by channel) or
      ``(C', C, L, L)``; in exact mode its impulse was at ``position`` (default the window's
      centre).

    See the module docstring for the two modes, the border and the constant term.

    Args:
        model: an ``nn.Module`` or callable mapping ``(N, C, H, W)`` to ``(N, C', sH, sW)``.
        lr: the LR image(s) ``(C, H, W)`` or ``(N, C, H, W)``, float in [0, 1] (uint8 accepted).
        scale: the integer upscaling factor ``s``.
        mode: ``"exact"`` (default; ``linear + nonlinear == sr``, aligned, ``G = 0`` for linear
            networks away from the border) or ``"paper"`` (the official HyRA.py).
        sr: the SR image(s) (tensor form): ``(C', sH, sW)`` in exact mode; any size in paper mode.
        impulse_response: the kernel (tensor form, or reused with ``model``), see above.
        position: the impulse's LR pixel in the response window (default the centre).
        size: the LR impulse window's side when measuring from ``model`` (default 11; paper mode
            always uses 11).
        cross_channel: measure one response per input channel (default True; exact mode, model
            form). False uses the paper's all-channel response channel by channel, which is exact
            only for grey images or models that do not mix channels.
        subtract_background: subtract the model's response to a black image from the impulse
            response (default True; see Lemma 4.1 in the module docstring).

    Returns:
        :class:`HyRA` with ``sr``, ``linear``, ``nonlinear``, ``impulse_response`` and more.

    Raises:
        ValueError: an unknown ``mode`` or an invalid combination of arguments.
        ShapeError: sizes that do not match (e.g. ``sr`` not ``scale`` times ``lr`` in exact
            mode, or channel counts).
        RangeError: NaN/inf values.

    Examples:
        >>> net = torch.nn.Sequential(torch.nn.Conv2d(3, 27, 3, padding=1, bias=False),
        ...                           torch.nn.PixelShuffle(3)).double()
        >>> lr = torch.rand(3, 20, 20, dtype=torch.float64)
        >>> r = hyra(net, lr, scale=3)
        >>> r.linear.shape, bool(r.nonlinear.abs().max() < 1e-12)  # linear: G = 0
        (torch.Size([3, 60, 60]), True)
        >>> bool(torch.allclose(r.linear + r.nonlinear, r.sr, rtol=0, atol=1e-15))
        True
    """
    scale = check_scale(scale)
    if mode not in ("exact", "paper"):
        raise ValueError(f"`mode` must be 'exact' or 'paper', got {mode!r}.")
    if lr is None:
        raise ValueError("`lr` is required: hyra(model, lr, scale=s) or "
                         "hyra(lr=..., sr=..., impulse_response=..., scale=s).")
    x = as_image_tensor(lr, "lr")
    if x.dtype in (torch.float16, torch.bfloat16):
        x = x.float()
    check_finite(x, "lr")
    constant = None
    if model is not None:
        if sr is not None:
            raise ValueError("give either `model` (the SR image is computed) or `sr`, not both.")
        has_tensors = any(True for _ in _parameters(model))
        device, dtype = placement(model, None, None) if has_tensors else (x.device, x.dtype)
        x = x.to(device, dtype)
        xb, single = _batch(x)
        out = run_model(model, xb, scale=scale)
        sr_t = out[0] if single else out
        channels = x.shape[-3]
        if impulse_response is not None:  # measured once by the caller, reused here
            ir = as_image_tensor(impulse_response, "impulse_response", ndims=(3, 4))
            check_finite(ir, "impulse_response")
            ir = ir.to(device, dtype)
        elif mode == "paper":
            ir = impulse_response_paper(model, scale=scale, device=device, dtype=dtype)
        else:
            responses, zero = _impulse.measure(
                model, scale=scale, size=size, amplitude=1.0, background=0.0,
                position=position, subtract_background=subtract_background, channels=channels,
                per_channel=cross_channel, device=device, dtype=dtype)
            ir = responses.transpose(0, 1) if cross_channel else responses[0]
            if zero is not None:
                constant = _central_block(zero, scale)
    else:
        if sr is None or impulse_response is None:
            raise ValueError("without `model`, `sr` and `impulse_response` are both required.")
        sr_t = as_image_tensor(sr, "sr")
        ir = as_image_tensor(impulse_response, "impulse_response", ndims=(3, 4))
        check_finite(sr_t, "sr")
        check_finite(ir, "impulse_response")
        if sr_t.ndim != x.ndim:
            raise ShapeError(
                f"`lr` and `sr` must both be (C, H, W) or both (N, C, H, W), got "
                f"{tuple(x.shape)} and {tuple(sr_t.shape)}.",
                expected=x.ndim,
                actual=sr_t.ndim,
            )
        dtype = torch.promote_types(torch.promote_types(x.dtype, sr_t.dtype), ir.dtype)
        x, sr_t, ir = x.to(dtype), sr_t.to(dtype), ir.to(dtype)

    if mode == "paper":
        xb, single = _batch(x)
        srb, _ = _batch(sr_t)
        if ir.ndim != 3:
            raise ShapeError(
                f"paper mode takes a (C, k, k) impulse-response image, got {tuple(ir.shape)}.",
                expected="(C, k, k)",
                actual=tuple(ir.shape),
            )
        lin = _paper_linear(xb, ir, scale)
        sr_resized = F.interpolate(srb, size=lin.shape[-2:], mode="nearest")
        if sr_resized.shape[1] != lin.shape[1]:
            raise ShapeError(
                f"`sr` has {sr_resized.shape[1]} channels but the linear part has "
                f"{lin.shape[1]}.",
                expected=lin.shape[1],
                actual=sr_resized.shape[1],
            )
        nonlin = sr_resized - lin
        if single:
            sr_resized, lin, nonlin = sr_resized[0], lin[0], nonlin[0]
        return HyRA(sr=sr_resized, linear=lin, nonlinear=nonlin, impulse_response=ir,
                    scale=scale, mode="paper", position=None, border=None, constant=None)

    expected = (*x.shape[:-3], sr_t.shape[-3], scale * x.shape[-2], scale * x.shape[-1])
    if tuple(sr_t.shape) != expected:
        raise ShapeError(
            f"exact mode needs `sr` of shape {expected} (scale={scale} times `lr` "
            f"{tuple(x.shape)}), got {tuple(sr_t.shape)}. The official example's SR does not "
            "match its LR; mode='paper' reproduces what the official code does with it.",
            expected=expected,
            actual=tuple(sr_t.shape),
        )
    size_h, size_w = _kernel_shape(ir, scale)
    pos = (size_h // 2, size_w // 2) if position is None else as_pair(position, "position")
    lin = linear_part(x, ir, scale=scale, position=pos)
    if lin.shape[-3] != sr_t.shape[-3]:
        raise ShapeError(
            f"the impulse response gives {lin.shape[-3]} output channels but `sr` has "
            f"{sr_t.shape[-3]}.",
            expected=sr_t.shape[-3],
            actual=lin.shape[-3],
        )
    nonlin = sr_t - lin
    border = hyra_border(ir, scale=scale, position=pos)
    return HyRA(sr=sr_t, linear=lin, nonlinear=nonlin, impulse_response=ir, scale=scale,
                mode="exact", position=(int(pos[0]), int(pos[1])), border=border,
                constant=constant)


def _parameters(model: Model):
    if isinstance(model, torch.nn.Module):
        yield from model.parameters()
        yield from model.buffers()


# ---------------------------------------------------------------------------------------------
# band analysis


@dataclass(frozen=True, eq=False)
class HyRABands(ToDict):
    r"""Spectra and band energies of a HyRA decomposition (paper Sec. 4.1.1-4.1.2, Figs. 4, 14).

    Spectra are centred (DC at ``(sH//2, sW//2)``; frequencies ``lpf.spectra.frequencies`` in
    cycles per HR pixel), with the leading dimensions of the images.

    Attributes:
        scale: the upscaling factor ``s``.
        cutoff: the LR Nyquist frequency ``1 / (2 s)`` in cycles per HR pixel.
        amplitude_sr: :math:`|F[N(I)]|` (display as ``log1p``, the paper's convention).
        amplitude_linear: :math:`|F[H(I)]|`.
        amplitude_nonlinear: :math:`|F[G(I)]|`.
        phase_sr: :math:`\angle F[N(I)]` in radians.
        phase_linear: :math:`\angle F[H(I)]`.
        phase_nonlinear: :math:`\angle F[G(I)]`.
        energy_sr: :class:`lpf.spectra.BandEnergy` of ``sr`` split at ``cutoff`` with the
            Chebyshev (square) norm, the mean removed: ``below`` is the LR band, ``above`` holds
            the replicas and every detail beyond the LR Nyquist frequency.
        energy_linear: the same for ``H``.
        energy_nonlinear: the same for ``G``.
        replica_bins: the ``s*s - 1`` replica-peak frequencies ``(f_y, f_x)``, cycles/HR pixel.
        phase_opposition: per channel,
            :math:`\sum_r \mathrm{Re}(F_H \overline{F_G}) / \sum_r |F_H||F_G|` over the replica
            bins, the amplitude-weighted mean cosine of the phase difference: -1 when G's phase is
            exactly opposite to H's there (G cancels H's grid), +1 when it reinforces it.
        replica_suppression: per channel, :math:`\sum_r |F_{N}| / \sum_r |F_H|`: the SR's replica
            amplitude relative to H's (< 1: the network removes part of H's grid artefacts).
    """

    scale: int
    cutoff: float
    amplitude_sr: torch.Tensor
    amplitude_linear: torch.Tensor
    amplitude_nonlinear: torch.Tensor
    phase_sr: torch.Tensor
    phase_linear: torch.Tensor
    phase_nonlinear: torch.Tensor
    energy_sr: spectra.BandEnergy
    energy_linear: spectra.BandEnergy
    energy_nonlinear: spectra.BandEnergy
    replica_bins: tuple[tuple[float, float], ...]
    phase_opposition: torch.Tensor
    replica_suppression: torch.Tensor

    def to_dict(self) -> dict[str, Any]:
        """The numbers (energies, fractions, phase opposition, suppression) without spectra."""
        out: dict[str, Any] = {"scale": self.scale, "cutoff": self.cutoff}
        for name in ("sr", "linear", "nonlinear"):
            e = getattr(self, f"energy_{name}")
            out[f"energy_{name}"] = {
                "below": jsonable(e.below),
                "above": jsonable(e.above),
                "fraction_above": jsonable(e.fraction_above),
            }
        out["replica_bins"] = [list(b) for b in self.replica_bins]
        out["phase_opposition"] = jsonable(self.phase_opposition)
        out["replica_suppression"] = jsonable(self.replica_suppression)
        return out


def _replica_indices(n: int, scale: int) -> list[int]:
    """Centred bin indices of the frequencies k/s (k = 0..s-1), folded to [-0.5, 0.5)."""
    out = []
    for k in range(scale):
        f = ((k / scale + 0.5) % 1.0) - 0.5
        out.append((int(round(f * n)) + n // 2) % n)
    return out


def hyra_bands(result: HyRA, *, radius: int = 0) -> HyRABands:
    r"""Spectra, band energies and phase opposition of a HyRA result (Sec. 4.1.2, Figs. 4, 14).

    * Energies: :func:`lpf.spectra.band_energy` of SR, H and G at the LR Nyquist frequency
      ``1/(2s)`` cycles per HR pixel, Chebyshev norm (the replicas of zero insertion lie outside
      the square ``max(|f_x|, |f_y|) <= 1/(2s)``, Appx. F), mean removed.
    * Replica peaks: zero insertion copies the LR spectrum, and its DC peak, to the frequencies
      :math:`(k_y/s, k_x/s)`, :math:`(k_y, k_x) \ne (0, 0)`; H leaks them (grid artefacts). At
      those bins (and their Chebyshev neighbourhood of ``radius`` bins)
      :math:`\rho = \sum \mathrm{Re}(F_H\overline{F_G}) / \sum |F_H||F_G|` (-1: G exactly
      opposes H) and the suppression :math:`\sum|F_{SR}| / \sum|F_H|`.

    Args:
        result: a :class:`HyRA` from :func:`hyra`.
        radius: neighbourhood half-size around each replica bin (default 0: the bin itself).

    Returns:
        :class:`HyRABands`.

    Raises:
        ValueError: negative ``radius``.

    Examples:
        >>> lr = torch.rand(3, 16, 16, dtype=torch.float64)
        >>> h = torch.rand(3, 8, 8, dtype=torch.float64)  # any kernel
        >>> r = hyra(lr=lr, sr=torch.zeros(3, 32, 32, dtype=torch.float64),
        ...          impulse_response=h, scale=2)
        >>> b = hyra_bands(r)
        >>> b.phase_opposition.tolist()  # G = -H: exact opposition
        [-1.0, -1.0, -1.0]
        >>> sorted(b.to_dict())[:3]
        ['cutoff', 'energy_linear', 'energy_nonlinear']
    """
    if isinstance(radius, bool) or not isinstance(radius, int) or radius < 0:
        raise ValueError(f"`radius` must be an integer >= 0 (bins), got {radius!r}.")
    s = result.scale
    cutoff = 1.0 / (2 * s)
    images = {"sr": result.sr, "linear": result.linear, "nonlinear": result.nonlinear}
    ffts = {k: spectra.fft2c(v) for k, v in images.items()}
    energies = {k: spectra.band_energy(v, cutoff=cutoff, norm="chebyshev")
                for k, v in images.items()}
    h, w = result.sr.shape[-2:]
    rows, cols = _replica_indices(h, s), _replica_indices(w, s)
    mask = torch.zeros(h, w, dtype=torch.bool, device=result.sr.device)
    bins = []
    for i, ri in enumerate(rows):
        for j, ci in enumerate(cols):
            if i == 0 and j == 0:
                continue
            bins.append((((i / s + 0.5) % 1.0) - 0.5, ((j / s + 0.5) % 1.0) - 0.5))
            for dy in range(-radius, radius + 1):
                for dx in range(-radius, radius + 1):
                    mask[(ri + dy) % h, (ci + dx) % w] = True
    fh, fg, fs = ffts["linear"][..., mask], ffts["nonlinear"][..., mask], ffts["sr"][..., mask]
    cross = (fh * fg.conj()).real.sum(-1)
    weight = (fh.abs() * fg.abs()).sum(-1)
    nan = torch.full_like(cross, math.nan)
    opposition = torch.where(weight > 0, cross / weight.clamp(min=1e-300), nan)
    h_amp = fh.abs().sum(-1)
    suppression = torch.where(h_amp > 0, fs.abs().sum(-1) / h_amp.clamp(min=1e-300), nan)
    return HyRABands(
        scale=s,
        cutoff=cutoff,
        amplitude_sr=ffts["sr"].abs(),
        amplitude_linear=ffts["linear"].abs(),
        amplitude_nonlinear=ffts["nonlinear"].abs(),
        phase_sr=torch.angle(ffts["sr"]),
        phase_linear=torch.angle(ffts["linear"]),
        phase_nonlinear=torch.angle(ffts["nonlinear"]),
        energy_sr=energies["sr"],
        energy_linear=energies["linear"],
        energy_nonlinear=energies["nonlinear"],
        replica_bins=tuple(bins),
        phase_opposition=opposition,
        replica_suppression=suppression,
    )




# ---------------------------------------------------------------------------------------------
# figure helpers: summaries and display arrays (Figs. 4, 14, 19; the official example and the
# training evolution live in lpf.studies.fig14_hyra_networks and fig19_training_evolution)


def hyra_summary(result: HyRA, bands: HyRABands | None = None) -> dict[str, float]:
    r"""The numbers Figs. 4 and 14 claim, as channel means (JSON-ready floats).

    * ``fraction_above_{sr,linear,nonlinear}``: the share of the (mean-removed) spectral energy
      above the LR Nyquist frequency (:attr:`HyRABands.energy_linear` etc.);
    * ``energy_above_{linear,nonlinear}``: that energy itself (sum of :math:`|F|^2`);
    * ``replica_prominence_linear``: H's mean amplitude at the replica peaks divided by its median
      amplitude above the Nyquist frequency (:math:`\gg 1`: H shows the replica spots of zero
      insertion);
    * ``phase_opposition`` (-1: G's phase opposes H's at the replica peaks) and
      ``replica_suppression`` (the SR's replica amplitude relative to H's);
    * ``energy_detail_nonlinear``: G's energy above the Nyquist frequency outside the replica
      peaks and their 8 neighbours (the detail G adds, not its cancelling of H's grid);
    * ``reconstruction_error``: :math:`\max |H + G - N(I)|`.

    Args:
        result: a :class:`HyRA` (exact or paper mode), one image ``(C, H, W)`` or a batch.
        bands: :func:`hyra_bands` of ``result`` (computed when ``None``).

    Returns:
        ``{name: float}``.

    Examples:
        >>> import torch.nn.functional as F
        >>> up = lambda x: F.interpolate(x, scale_factor=2, mode="bicubic")
        >>> s = hyra_summary(hyra(up, torch.rand(3, 16, 16, dtype=torch.float64), scale=2))
        >>> s["reconstruction_error"] < 1e-12, s["fraction_above_linear"] < 0.5
        (True, True)
    """
    b = hyra_bands(result) if bands is None else bands
    out: dict[str, float] = {}
    for name in ("sr", "linear", "nonlinear"):
        e = getattr(b, f"energy_{name}")
        out[f"fraction_above_{name}"] = float(torch.as_tensor(e.fraction_above).nanmean())
        out[f"energy_above_{name}"] = float(torch.as_tensor(e.above).mean())
    amp = b.amplitude_linear
    h, w = amp.shape[-2:]
    rows, cols = _replica_indices(h, b.scale), _replica_indices(w, b.scale)
    peaks = torch.zeros(h, w, dtype=torch.bool, device=amp.device)
    for i, ri in enumerate(rows):
        for j, ci in enumerate(cols):
            if i or j:
                peaks[ri, ci] = True
    yy = (torch.arange(h, device=amp.device) - h // 2).abs() / h
    xx = (torch.arange(w, device=amp.device) - w // 2).abs() / w
    above = torch.maximum(yy[:, None], xx[None, :]) > b.cutoff
    flat = amp.reshape(-1, h, w)
    prominence = [float(a[peaks].mean() / a[above].median().clamp(min=1e-300)) for a in flat]
    out["replica_prominence_linear"] = float(np.mean(prominence))
    near = F.max_pool2d(peaks[None, None].float(), 3, stride=1, padding=1)[0, 0] > 0
    detail = above & ~near  # above Nyquist, away from the replica peaks: G's own detail
    g = b.amplitude_nonlinear.reshape(-1, h, w)
    out["energy_detail_nonlinear"] = float(torch.stack([(a[detail] ** 2).sum() for a in g]).mean())
    out["phase_opposition"] = float(b.phase_opposition.nanmean())
    out["replica_suppression"] = float(b.replica_suppression.nanmean())
    out["reconstruction_error"] = float((result.linear + result.nonlinear - result.sr).abs().max())
    return out


def hyra_display(result: HyRA) -> dict[str, dict[str, np.ndarray]]:
    r"""NumPy arrays to draw a HyRA result (paper Figs. 4, 14; :mod:`lpf.plotting`).

    For ``"sr"``, ``"linear"`` and ``"nonlinear"``: ``"image"`` ``(H, W, C)`` float64 (not
    clipped; G is signed), ``"amplitude"`` :math:`\log(1 + |F|)` of the channel mean and
    ``"phase"`` its angle in radians, both centred ``(H, W)`` (the paper's display convention).
    A batch shows its first image.

    Args:
        result: a :class:`HyRA`.

    Returns:
        ``{"sr" | "linear" | "nonlinear": {"image", "amplitude", "phase"}}``.

    Examples:
        >>> r = hyra(lr=torch.rand(3, 8, 8), sr=torch.rand(3, 16, 16),
        ...          impulse_response=torch.rand(3, 6, 6), scale=2)
        >>> d = hyra_display(r)
        >>> d["nonlinear"]["image"].shape, d["linear"]["phase"].shape
        ((16, 16, 3), (16, 16))
    """
    out = {}
    for name in ("sr", "linear", "nonlinear"):
        x = getattr(result, name).detach().to("cpu", torch.float64)
        if x.ndim == 4:
            x = x[0]
        grey = x.mean(0)
        out[name] = {
            "image": x.permute(1, 2, 0).numpy(),
            "amplitude": spectra.amplitude(grey).numpy(),
            "phase": torch.angle(spectra.fft2c(grey)).numpy(),
        }
    return out


