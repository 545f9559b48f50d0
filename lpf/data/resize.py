r"""MATLAB-exact ``imresize``: the degradation behind every super-resolution benchmark.

The low-resolution images of Set5, Set14, B100, Urban100 and DIV2K (``LR_bicubic``) were made with
MATLAB's ``imresize(hr, 1/s, 'bicubic')`` on 8-bit images. :func:`imresize` reproduces it:

* the cubic convolution kernel of Keys (1981) with :math:`a = -0.5`,

  .. math:: k(x) = \begin{cases} 1.5|x|^3 - 2.5|x|^2 + 1 & |x| \le 1 \\
            -0.5|x|^3 + 2.5|x|^2 - 4|x| + 2 & 1 < |x| \le 2 \\ 0 & \text{otherwise;} \end{cases}

* when shrinking (``scale < 1``) the kernel is stretched to :math:`k_s(x) = s\,k(s x)` and its
  support widens to :math:`4/s` input pixels (antialiasing, MATLAB's default);
* output pixel :math:`i = 1..\lceil s\,n\rceil` (1-based) samples the input at
  :math:`u = i/s + (1 - 1/s)/2`, from the taps :math:`\lfloor u - w/2\rfloor + p`,
  :math:`p = 0..\lceil w\rceil + 1`, whose weights are normalised to sum 1;
* taps outside the image are mirrored with repetition of the edge pixel (MATLAB's index
  mirroring ``[1:n, n:-1:1]``, i.e. symmetric padding);
* rows (the height axis) are resized first, then columns (MATLAB resizes the dimension with the
  smaller scale first, and the first one on a tie);
* on integer input MATLAB keeps the integer class between the two passes: the intermediate image
  is rounded half away from zero and clipped to the type's range, then the second pass reads it,
  and the result is rounded again. This intermediate rounding is part of what makes a fresh
  ``imresize`` equal to the stored ``LR_bicubic`` images (checked in ``tests/test_resize.py``).

Each pass is a sum over the kernel taps (a few per output pixel) of gathered rows or columns times
precomputed weights: vectorised, in the order of MATLAB's ``imresizemex`` (tap by tap), in float64
for NumPy input and in the input precision for tensors (differentiable).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from typing import Literal

import numpy as np
import torch

from lpf._checks import ShapeError

__all__ = [
    "imresize",
    "Mode",
    "MODES",
    "output_size",
    "resize_weights",
]

Mode = Literal["bicubic", "bilinear", "nearest", "box", "lanczos2", "lanczos3"]


def _cubic(x: np.ndarray) -> np.ndarray:
    ax = np.abs(x)
    ax2, ax3 = ax * ax, ax * ax * ax
    return (1.5 * ax3 - 2.5 * ax2 + 1.0) * (ax <= 1) + (-0.5 * ax3 + 2.5 * ax2 - 4.0 * ax + 2.0) * (
        (ax > 1) & (ax <= 2)
    )


def _triangle(x: np.ndarray) -> np.ndarray:
    return (x + 1.0) * ((x >= -1) & (x < 0)) + (1.0 - x) * ((x >= 0) & (x <= 1))


def _box(x: np.ndarray) -> np.ndarray:
    return ((x >= -0.5) & (x < 0.5)).astype(np.float64)


def _lanczos(order: int) -> Callable[[np.ndarray], np.ndarray]:
    eps = np.finfo(np.float64).eps

    def kernel(x: np.ndarray) -> np.ndarray:
        # MATLAB: (sin(pi*x).*sin(pi*x/a) + eps)./((pi^2*x.^2/a) + eps) .* (abs(x) < a)
        f = (np.sin(np.pi * x) * np.sin(np.pi * x / order) + eps) / (
            np.pi**2 * x**2 / order + eps
        )
        return f * (np.abs(x) < order)

    return kernel


# mode -> (kernel, support width in input pixels at scale 1, antialias when shrinking)
MODES: dict[str, tuple[Callable[[np.ndarray], np.ndarray], float, bool]] = {
    "bicubic": (_cubic, 4.0, True),
    "bilinear": (_triangle, 2.0, True),
    "nearest": (_box, 1.0, False),
    "box": (_box, 1.0, True),
    "lanczos2": (_lanczos(2), 4.0, True),
    "lanczos3": (_lanczos(3), 6.0, True),
}
"""The interpolation kernels of MATLAB's ``imresize``: name -> (kernel, width, antialiased)."""


def _check_scale(scale: object) -> float:
    if isinstance(scale, bool) or not isinstance(scale, int | float | np.integer | np.floating):
        raise TypeError(f"`scale` must be a positive real number, got {scale!r}.")
    value = float(scale)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"`scale` must be a positive finite number, got {scale!r}.")
    return value


def _check_mode(mode: str) -> tuple[Callable[[np.ndarray], np.ndarray], float, bool]:
    if mode not in MODES:
        raise ValueError(f"`mode` must be one of {sorted(MODES)}, got {mode!r}.")
    return MODES[mode]


def output_size(size: int, scale: float) -> int:
    """The length of one axis after resizing, MATLAB's ``ceil(scale * size)``.

    The product is rounded to 12 significant digits before the ceiling, so that ``scale = 1/3``
    on a length of 3k gives k and not k + 1 through a rounding error in ``1/3``.

    Args:
        size: the input length (pixels), >= 1.
        scale: the scale factor, > 0.

    Returns:
        The output length, at least 1.

    Raises:
        ValueError: ``size`` < 1 or ``scale`` not positive.
        TypeError: ``scale`` is not a real number.

    Examples:
        >>> output_size(255, 1 / 3), output_size(10, 1.5), output_size(7, 0.5)
        (85, 15, 4)
    """
    scale = _check_scale(scale)
    if int(size) < 1:
        raise ValueError(f"`size` must be >= 1, got {size}.")
    return max(1, math.ceil(float(f"{scale * int(size):.12g}")))


@lru_cache(maxsize=64)
def _contributions(
    in_len: int, out_len: int, scale: float, mode: str, antialiasing: bool
) -> tuple[np.ndarray, np.ndarray]:
    """MATLAB's ``contributions``: (out_len, P) weights and 0-based input indices (read-only)."""
    kernel, width, mode_antialias = MODES[mode]
    if scale < 1 and antialiasing and mode_antialias:
        def h(x: np.ndarray) -> np.ndarray:
            return scale * kernel(scale * x)

        width = width / scale
    else:
        h = kernel
    x = np.arange(1, out_len + 1, dtype=np.float64)
    u = x / scale + 0.5 * (1.0 - 1.0 / scale)
    left = np.floor(u - width / 2.0)
    taps = math.ceil(width) + 2
    indices = left[:, None] + np.arange(taps, dtype=np.float64)[None, :]
    weights = h(u[:, None] - indices)
    weights = weights / weights.sum(axis=1, keepdims=True)
    # symmetric (half-sample) mirroring: aux = [1:n, n:-1:1], index = aux(mod(i - 1, 2n) + 1)
    aux = np.concatenate([np.arange(in_len), np.arange(in_len - 1, -1, -1)])
    idx = aux[np.mod(indices.astype(np.int64) - 1, 2 * in_len)]
    # drop tap columns whose weights are all zero (MATLAB's `kill`), keeping the tap order
    keep = np.any(weights != 0, axis=0)
    weights, idx = np.ascontiguousarray(weights[:, keep]), np.ascontiguousarray(idx[:, keep])
    weights.flags.writeable = False
    idx.flags.writeable = False
    return weights, idx


def resize_weights(
    in_len: int, scale: float, *, mode: Mode = "bicubic", antialiasing: bool = True
) -> np.ndarray:
    """The dense ``(out_len, in_len)`` matrix of one resize pass along one axis.

    Row ``i`` holds the weights with which output sample ``i`` sums the input samples (mirrored
    taps are accumulated onto their pixel), so ``resize_weights(n, s) @ signal`` resizes a 1-D
    signal of length ``n`` without intermediate rounding. Useful to analyse the degradation as a
    linear operator (its frequency response, its pseudo-inverse).

    Args:
        in_len: the input length, >= 1.
        scale: the scale factor (> 0; < 1 shrinks).
        mode: the kernel, one of :data:`MODES` (default ``"bicubic"``).
        antialiasing: stretch the kernel when shrinking (MATLAB's default ``true``).

    Returns:
        A float64 array of shape ``(output_size(in_len, scale), in_len)`` whose rows sum to 1.

    Raises:
        ValueError: bad ``in_len``, ``scale`` or ``mode``.
        TypeError: ``scale`` is not a real number.

    Examples:
        >>> w = resize_weights(8, 0.5)
        >>> w.shape, bool(np.allclose(w.sum(axis=1), 1.0))
        ((4, 8), True)
    """
    scale = _check_scale(scale)
    _check_mode(mode)
    out_len = output_size(in_len, scale)
    weights, idx = _contributions(int(in_len), out_len, scale, mode, bool(antialiasing))
    matrix = np.zeros((out_len, int(in_len)), dtype=np.float64)
    rows = np.broadcast_to(np.arange(out_len)[:, None], idx.shape)
    np.add.at(matrix, (rows, idx), weights)
    return matrix


def _pass_numpy(x: np.ndarray, axis: int, weights: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """One pass along ``axis`` of a float64 array, summing tap by tap (MATLAB's order)."""
    shape = [1] * x.ndim
    shape[axis] = weights.shape[0]
    out = None
    for p in range(weights.shape[1]):
        term = np.take(x, idx[:, p], axis=axis) * weights[:, p].reshape(shape)
        out = term if out is None else out + term
    return out


def _pass_torch(x: torch.Tensor, dim: int, weights: np.ndarray, idx: np.ndarray) -> torch.Tensor:
    """One pass along ``dim`` of a float tensor, summing tap by tap (differentiable)."""
    w = torch.tensor(weights, dtype=x.dtype, device=x.device)  # copies the read-only cache
    i = torch.tensor(idx, device=x.device)
    shape = [1] * x.ndim
    shape[dim] = w.shape[0]
    out = None
    for p in range(w.shape[1]):
        term = x.index_select(dim, i[:, p]) * w[:, p].reshape(shape)
        out = term if out is None else out + term
    return out


def _round_to(x: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Round half away from zero and saturate, as MATLAB casts double to an integer class."""
    info = np.iinfo(dtype)
    return np.clip(np.sign(x) * np.floor(np.abs(x) + 0.5), info.min, info.max).astype(dtype)


def imresize(
    image: np.ndarray | torch.Tensor,
    scale: float,
    *,
    mode: Mode = "bicubic",
    antialiasing: bool = True,
) -> np.ndarray | torch.Tensor:
    r"""Resize an image exactly as MATLAB's ``imresize(image, scale, mode)``.

    The output has ``ceil(scale * H)`` rows and ``ceil(scale * W)`` columns; rows are resized
    first. See the module docstring for the algorithm.

    Two kinds of input, two behaviours (as in MATLAB):

    * a NumPy array ``(H, W)`` or ``(H, W, C)``:

      - ``uint8`` / ``uint16``: computed in float64, rounded (half away from zero, saturated)
        to the input type after **each** pass; returns the same integer type. This is the
        benchmark degradation: ``imresize(hr_uint8, 1 / 4)`` gives ``LR_bicubic/X4``;
      - ``float32`` / ``float64``: no rounding; returns float64 (any range);

    * a floating-point :class:`torch.Tensor` ``(C, H, W)`` or ``(N, C, H, W)``: computed in its
      dtype (float16/bfloat16 in float32, cast back), no rounding, differentiable; returns a tensor
      of the same dtype and device.

    Args:
        image: the image, as above.
        scale: the scale factor, any positive real: ``0.25`` shrinks by 4, ``2`` doubles,
            ``1.5`` and ``2.7`` are fine too.
        mode: the interpolation kernel: ``"bicubic"`` (default, Keys a = -0.5), ``"bilinear"``,
            ``"nearest"``, ``"box"``, ``"lanczos2"``, ``"lanczos3"`` (MATLAB's kernels).
        antialiasing: when shrinking, stretch the kernel to low-pass filter the input (MATLAB's
            default ``true``; ignored for ``"nearest"``, as in MATLAB).

    Returns:
        The resized image, of the type described above.

    Raises:
        TypeError: ``image`` is neither an array nor a tensor, has an unsupported dtype (bool,
            signed integers, an integer tensor), or ``scale`` is not a real number.
        ValueError: ``scale`` is not positive and finite, or ``mode`` is unknown.
        ShapeError: ``image`` has the wrong number of dimensions or an empty axis.

    Examples:
        >>> x = np.arange(16, dtype=np.uint8).reshape(4, 4) * 16
        >>> y = imresize(x, 0.5)
        >>> y.dtype, y.shape
        (dtype('uint8'), (2, 2))
        >>> y.tolist()
        [[37, 71], [170, 204]]
        >>> t = torch.rand(2, 3, 10, 10)
        >>> imresize(t, 2.7).shape
        torch.Size([2, 3, 27, 27])
    """
    scale = _check_scale(scale)
    _check_mode(mode)
    if isinstance(image, np.ndarray):
        if image.ndim not in (2, 3):
            raise ShapeError(
                f"`image` as a NumPy array must have shape (H, W) or (H, W, C), got "
                f"{image.shape} ({image.ndim}-D).",
                expected="(H, W) or (H, W, C)",
                actual=image.shape,
            )
        h_axis, w_axis = 0, 1
        if image.dtype in (np.uint8, np.uint16):
            integer = image.dtype
        elif image.dtype in (np.float32, np.float64):
            integer = None
        else:
            raise TypeError(
                f"`image` as a NumPy array must be uint8, uint16, float32 or float64, got "
                f"dtype {image.dtype}."
            )
    elif isinstance(image, torch.Tensor):
        if not image.is_floating_point():
            raise TypeError(
                f"`image` as a tensor must be floating point (values in [0, 1]), got dtype "
                f"{image.dtype}; convert with lpf.data.to_tensor, or pass a uint8 NumPy array "
                "for MATLAB's integer behaviour."
            )
        if image.ndim not in (3, 4):
            raise ShapeError(
                f"`image` as a tensor must have shape (C, H, W) or (N, C, H, W), got "
                f"{tuple(image.shape)} ({image.ndim}-D).",
                expected="(C, H, W) or (N, C, H, W)",
                actual=tuple(image.shape),
            )
        h_axis, w_axis = image.ndim - 2, image.ndim - 1
    else:
        raise TypeError(
            f"`image` must be a numpy.ndarray or torch.Tensor, got {type(image).__name__}."
        )
    in_h, in_w = int(image.shape[h_axis]), int(image.shape[w_axis])
    if in_h < 1 or in_w < 1:
        raise ShapeError(
            f"`image` must have at least one row and one column, got shape {tuple(image.shape)}.",
            expected="H >= 1 and W >= 1",
            actual=tuple(image.shape),
        )
    aa = bool(antialiasing)
    wh, ih = _contributions(in_h, output_size(in_h, scale), scale, mode, aa)
    ww, iw = _contributions(in_w, output_size(in_w, scale), scale, mode, aa)

    if isinstance(image, torch.Tensor):
        dtype = image.dtype
        x = image.float() if dtype in (torch.float16, torch.bfloat16) else image
        x = _pass_torch(x, h_axis, wh, ih)
        x = _pass_torch(x, w_axis, ww, iw)
        return x.to(dtype)

    x = image.astype(np.float64)
    x = _pass_numpy(x, h_axis, wh, ih)
    if integer is not None:
        x = _round_to(x, integer).astype(np.float64)
    x = _pass_numpy(x, w_axis, ww, iw)
    if integer is not None:
        return _round_to(x, integer)
    return x
