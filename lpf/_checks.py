"""Input validation at the public boundary of :mod:`lpf`.

Every public function validates its tensors here, with ``raise`` (never ``assert``), and
messages that name the argument, what was expected and what came.
"""

from __future__ import annotations

import math

import numpy as np
import torch

__all__ = [
    "LpfError",
    "ShapeError",
    "RangeError",
    "as_image_tensor",
    "check_finite",
    "check_range",
    "check_same_shape",
    "check_scale",
]


class LpfError(Exception):
    """Base class of every error raised by :mod:`lpf`."""


class ShapeError(LpfError, ValueError):
    """A tensor has the wrong shape.

    Attributes:
        expected: a description of the expected shape.
        actual: the shape that came.
    """

    def __init__(self, message: str, *, expected: object = None, actual: object = None):
        super().__init__(message)
        self.expected = expected
        self.actual = actual


class RangeError(LpfError, ValueError):
    """A tensor holds values outside the allowed range (or NaN/inf)."""


_FLOAT_TYPES = (torch.float16, torch.bfloat16, torch.float32, torch.float64)


def as_image_tensor(
    x: torch.Tensor | np.ndarray,
    name: str,
    *,
    ndims: tuple[int, ...] = (3, 4),
    dtype: torch.dtype | None = None,
) -> torch.Tensor:
    """Return ``x`` as a floating-point tensor, checking its number of dimensions.

    NumPy arrays are converted with :func:`torch.from_numpy` (no copy where possible); they must
    already be channel-first, like tensors (a 3-D array that looks like ``(H, W, C)`` -- last
    dimension 3 or 4, first not 1, 3 or 4 -- is refused with a hint to
    :func:`lpf.data.to_tensor`). Integer tensors are promoted: ``uint8`` is divided by
    255 (the usual 8-bit image convention), ``uint16`` by 65535; other integer types are refused
    because their range is ambiguous. Boolean input is refused.

    Args:
        x: the input, ``(C, H, W)`` or ``(N, C, H, W)`` (or what ``ndims`` allows).
        name: the argument name, used in error messages.
        ndims: the allowed numbers of dimensions.
        dtype: if given, the floating dtype to convert to.

    Returns:
        A floating-point tensor.

    Raises:
        TypeError: ``x`` is neither a tensor nor an array, or has an unsupported dtype.
        ShapeError: ``x`` has a number of dimensions outside ``ndims``.
    """
    if isinstance(x, np.ndarray):
        if x.ndim == 3 and x.shape[-1] in (3, 4) and x.shape[0] not in (1, 3, 4):
            raise ShapeError(
                f"`{name}` looks like an (H, W, C) array, shape {x.shape}; lpf takes channel-"
                "first (C, H, W): convert with lpf.data.to_tensor(array) (uint8/uint16, HWC -> "
                "CHW) or array.transpose(2, 0, 1).",
                expected="(C, H, W)",
                actual=tuple(x.shape),
            )
        x = np.ascontiguousarray(x)
        if not x.flags.writeable:  # torch warns on read-only arrays; copy those
            x = x.copy()
        x = torch.from_numpy(x)
    if not isinstance(x, torch.Tensor):
        raise TypeError(
            f"`{name}` must be a torch.Tensor or numpy.ndarray, got {type(x).__name__}."
        )
    if x.dtype == torch.bool or x.is_complex():
        raise TypeError(f"`{name}` must hold real image values, got dtype {x.dtype}.")
    if x.dtype == torch.uint8:
        x = x.to(dtype or torch.float32) / 255.0
    elif x.dtype == torch.uint16:
        x = x.to(dtype or torch.float32) / 65535.0
    elif x.dtype not in _FLOAT_TYPES:
        raise TypeError(
            f"`{name}` has integer dtype {x.dtype}, whose value range is ambiguous; "
            "pass uint8 (0-255), uint16 (0-65535) or a float tensor in [0, 1]."
        )
    elif dtype is not None:
        x = x.to(dtype)
    if x.ndim not in ndims:
        shapes = " or ".join({3: "(C, H, W)", 4: "(N, C, H, W)", 2: "(H, W)"}.get(d, f"{d}-D")
                             for d in ndims)
        raise ShapeError(
            f"`{name}` must have shape {shapes}, got {tuple(x.shape)} ({x.ndim}-D).",
            expected=ndims,
            actual=tuple(x.shape),
        )
    return x


def check_same_shape(a: torch.Tensor, b: torch.Tensor, names: tuple[str, str]) -> None:
    """Raise :class:`ShapeError` unless ``a`` and ``b`` have the same shape."""
    if a.shape != b.shape:
        raise ShapeError(
            f"`{names[0]}` and `{names[1]}` must have the same shape, got "
            f"{tuple(a.shape)} and {tuple(b.shape)}.",
            expected=tuple(b.shape),
            actual=tuple(a.shape),
        )


def _extremes(x: torch.Tensor) -> tuple[float, float] | None:
    """``(min, max)`` of a real floating tensor in one pass, or ``None`` where that cannot tell.

    NaN propagates through :func:`torch.aminmax` and an infinity is an extreme, so both values
    are finite exactly when every value is: one read of ``x`` instead of four (``isfinite``,
    ``all``, ``min``, ``max``). ``None`` for empty, complex, integer or boolean tensors.
    """
    if x.numel() == 0 or not x.is_floating_point():
        return None
    lo, hi = torch.aminmax(x.detach())
    return float(lo), float(hi)


def check_finite(x: torch.Tensor, name: str) -> None:
    """Raise :class:`RangeError` if ``x`` holds NaN or infinite values."""
    extremes = _extremes(x)
    if extremes is not None and math.isfinite(extremes[0]) and math.isfinite(extremes[1]):
        return
    if not bool(torch.isfinite(x).all()):
        n_nan = int(torch.isnan(x).sum())
        n_inf = int(torch.isinf(x).sum())
        raise RangeError(f"`{name}` must be finite, got {n_nan} NaN and {n_inf} infinite values.")


def check_range(
    x: torch.Tensor, name: str, low: float = 0.0, high: float = 1.0, *, tol: float = 1e-6
) -> None:
    """Raise :class:`RangeError` unless all values of ``x`` lie in ``[low, high]`` (within tol)."""
    extremes = _extremes(x)
    if extremes is None or not (math.isfinite(extremes[0]) and math.isfinite(extremes[1])):
        check_finite(x, name)
        extremes = (float(x.min()), float(x.max()))
    lo, hi = extremes
    if lo < low - tol or hi > high + tol:
        raise RangeError(
            f"`{name}` must be in [{low:g}, {high:g}], got min={lo:.4g}, max={hi:.4g}."
        )


def check_scale(scale: object, name: str = "scale") -> int:
    """Return ``scale`` as an ``int`` >= 1, or raise ``ValueError``/``TypeError``."""
    if isinstance(scale, bool) or not isinstance(scale, int | np.integer):
        if isinstance(scale, float) and scale.is_integer():
            scale = int(scale)
        else:
            raise TypeError(f"`{name}` must be an integer >= 1, got {scale!r}.")
    if scale < 1:
        raise ValueError(f"`{name}` must be an integer >= 1, got {scale}.")
    return int(scale)
