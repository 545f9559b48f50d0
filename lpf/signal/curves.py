"""TODO docstring."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

__all__ = [
    "find_optimum",
    "is_unimodal",
    "moving_average",
    "Optimum",
]


def moving_average(x: Sequence[float] | np.ndarray, n: int) -> np.ndarray:
    r"""Centred moving average of length ``n``, same length as ``x`` (paper Fig. 8 uses n = 10).

    Output ``i`` is the mean of ``x[i - n//2 : i + n - n//2]`` clipped to the array, so the
    window shrinks at the ends instead of padding (no edge bias towards zero); for even ``n`` it
    reaches one sample further back than forward. ``n = 1`` returns a copy of ``x``.

    Args:
        x: 1-D values.
        n: the window length, an integer >= 1.

    Returns:
        A float64 array of the shape of ``x``.

    Raises:
        ValueError: ``n < 1`` or ``x`` not 1-D.

    Examples:
        >>> moving_average([0.0, 0.0, 3.0, 0.0, 0.0], 3)
        array([0., 1., 1., 1., 0.])
        >>> moving_average([1.0, 2.0, 3.0, 4.0], 2)
        array([1. , 1.5, 2.5, 3.5])
    """
    values = np.asarray(x, dtype=np.float64)
    if values.ndim != 1:
        raise ValueError(f"`x` must be 1-D, got shape {values.shape}.")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"`n` must be an integer >= 1, got {n!r}.")
    csum = np.concatenate([[0.0], np.cumsum(values)])
    idx = np.arange(values.size)
    start = np.clip(idx - n // 2, 0, values.size)
    stop = np.clip(idx + n - n // 2, 0, values.size)
    return (csum[stop] - csum[start]) / (stop - start)


class Optimum(NamedTuple):
    """The maximum of a curve.

    Attributes:
        x: the abscissa of the maximum.
        value: the (smoothed, if asked) value there.
        index: its index.
    """

    x: float
    value: float
    index: int


def find_optimum(
    x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray, *, smooth: int = 1
) -> Optimum:
    """The maximum of ``y(x)``, after a :func:`moving_average` of length ``smooth``.

    Args:
        x: abscissae, 1-D.
        y: values, 1-D, same length.
        smooth: moving-average length (1: none).

    Returns:
        :class:`Optimum` ``(x, value, index)`` of the (smoothed) maximum.

    Raises:
        ValueError: different lengths or empty input.

    Examples:
        >>> find_optimum([1, 2, 3, 4], [0.0, 2.0, 1.0, 0.5])
        Optimum(x=2.0, value=2.0, index=1)
    """
    xs = np.asarray(x, dtype=np.float64).reshape(-1)
    ys = moving_average(np.asarray(y, dtype=np.float64).reshape(-1), smooth)
    if xs.size == 0 or xs.size != ys.size:
        raise ValueError(
            f"`x` and `y` must be non-empty and equally long, got {xs.size} and {ys.size}."
        )
    i = int(np.argmax(ys))
    return Optimum(float(xs[i]), float(ys[i]), i)


def is_unimodal(y: Sequence[float] | np.ndarray, *, tol: float = 0.0) -> bool:
    """Whether ``y`` rises to its maximum and falls after it (dips up to ``tol`` forgiven).

    Args:
        y: 1-D values.
        tol: the largest step against the trend that is still accepted, >= 0.

    Returns:
        ``True`` when every step before the maximum is ``>= -tol`` and every step after it is
        ``<= tol``.

    Examples:
        >>> is_unimodal([0, 1, 3, 2, 1]), is_unimodal([0, 2, 1, 3, 1])
        (True, False)
        >>> is_unimodal([0, 2, 1.9, 3], tol=0.2)
        True
    """
    ys = np.asarray(y, dtype=np.float64).reshape(-1)
    if ys.size < 2:
        return True
    i = int(np.argmax(ys))
    steps = np.diff(ys)
    return bool((steps[:i] >= -tol).all() and (steps[i:] <= tol).all())
