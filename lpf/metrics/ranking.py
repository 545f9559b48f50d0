"""Rank statistics: ranks with ties, Spearman, Kendall tau, bootstrap intervals.

Used by Tables 1, 4-5 and ext01.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np

from lpf._checks import ShapeError

__all__ = [
    "kendall_tau",
    "rank",
    "RankCorrelation",
    "spearman",
    "spearman_with_ci",
]


class RankCorrelation(NamedTuple):
    """A Spearman rank correlation with its uncertainty (see :func:`spearman_with_ci`).

    Attributes:
        rho: Spearman's rho of the data.
        low: lower end of the percentile bootstrap interval.
        high: upper end.
        p_value: two-sided permutation p-value of ``rho`` against "no association".
        n: number of (x, y) pairs.
        level: the interval's confidence level.
    """

    rho: float
    low: float
    high: float
    p_value: float
    n: int
    level: float


def _ranks(x: np.ndarray) -> np.ndarray:
    """Average ranks (ties share the mean rank), 1-based."""
    order = np.argsort(x, kind="mergesort")
    ranks = np.empty(len(x), dtype=np.float64)
    ranks[order] = np.arange(1, len(x) + 1)
    for value in np.unique(x):
        tied = x == value
        if tied.sum() > 1:
            ranks[tied] = ranks[tied].mean()
    return ranks


def _pearson(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    denom = math.sqrt(float((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / denom) if denom > 0 else math.nan


def _paired(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray,
            minimum: int) -> tuple[np.ndarray, np.ndarray]:
    xa = np.asarray(x, dtype=np.float64).ravel()
    ya = np.asarray(y, dtype=np.float64).ravel()
    if xa.shape != ya.shape:
        raise ShapeError(f"`x` and `y` must have the same length, got {xa.size} and {ya.size}.",
                         expected=xa.shape, actual=ya.shape)
    if not (np.isfinite(xa).all() and np.isfinite(ya).all()):
        raise ValueError("`x` and `y` must be finite (drop the NaN entries first).")
    if xa.size < minimum:
        raise ValueError(f"need at least {minimum} pairs, got {xa.size}.")
    return xa, ya


def spearman(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    """Spearman's rank correlation (Pearson correlation of average ranks).

    Args:
        x: ``(n,)`` finite values.
        y: ``(n,)`` finite values.

    Returns:
        rho in [-1, 1] (NaN when one side is constant).

    Raises:
        ShapeError: different lengths.
        ValueError: fewer than 2 pairs or non-finite values.

    Examples:
        >>> spearman([1, 2, 3, 4], [10, 20, 30, 45]), spearman([1, 2, 3], [3, 2, 1])
        (1.0, -1.0)
    """
    xa, ya = _paired(x, y, 2)
    return round(_pearson(_ranks(xa), _ranks(ya)), 12)


def kendall_tau(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    r"""Kendall's tau-b rank correlation (ties handled as in ``scipy.stats.kendalltau``).

    .. math:: \tau_b = \frac{P - Q}{\sqrt{(P + Q + T_x)(P + Q + T_y)}}

    Args:
        x: ``(n,)`` finite values.
        y: ``(n,)`` finite values.

    Returns:
        tau in [-1, 1] (NaN when one side is constant).

    Raises:
        ShapeError: different lengths.
        ValueError: fewer than 2 pairs or non-finite values.

    Examples:
        >>> kendall_tau([1, 2, 3, 4], [1, 3, 2, 4])
        0.666666666667
    """
    xa, ya = _paired(x, y, 2)
    dx = np.sign(xa[:, None] - xa[None, :])
    dy = np.sign(ya[:, None] - ya[None, :])
    upper = np.triu_indices(xa.size, k=1)
    sx, sy = dx[upper], dy[upper]
    concordance = float((sx * sy).sum())
    denom = math.sqrt(float((sx != 0).sum()) * float((sy != 0).sum()))
    return round(concordance / denom, 12) if denom > 0 else math.nan


def spearman_with_ci(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    *,
    n_boot: int = 2000,
    seed: int = 0,
    level: float = 0.95,
    n_perm: int = 20000,
) -> RankCorrelation:
    """Spearman's rho with a seeded bootstrap interval and a permutation p-value.

    The interval resamples the pairs (the models) with replacement ``n_boot`` times and takes
    the percentile interval of rho (resamples where one side is constant are skipped). The
    p-value is the share of permutations of ``y`` whose ``|rho|`` reaches the observed one:
    exact (all ``n!`` permutations) for ``n <= 8``, else ``n_perm`` seeded random permutations.

    Args:
        x: ``(n,)`` finite values, ``n >= 3``.
        y: ``(n,)`` finite values.
        n_boot: bootstrap resamples (>= 100).
        seed: seed of the resampling and the random permutations.
        level: confidence level of the interval, in (0, 1).
        n_perm: random permutations when ``n > 8``.

    Returns:
        :class:`RankCorrelation`.

    Raises:
        ShapeError: different lengths.
        ValueError: fewer than 3 pairs, non-finite values, a bad ``level`` or ``n_boot``.

    Examples:
        >>> r = spearman_with_ci([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], n_boot=200)
        >>> r.rho, r.low <= r.rho <= r.high, round(r.p_value, 3)
        (0.8, True, 0.133)
    """
    xa, ya = _paired(x, y, 3)
    if not 0 < level < 1:
        raise ValueError(f"`level` must be in (0, 1), got {level!r}.")
    if n_boot < 100:
        raise ValueError(f"`n_boot` must be >= 100, got {n_boot!r}.")
    rx, ry = _ranks(xa), _ranks(ya)
    rho = _pearson(rx, ry)
    rng = np.random.default_rng(seed)
    n = xa.size
    boots = []
    for _ in range(n_boot):
        idx = rng.integers(0, n, n)
        value = _pearson(_ranks(xa[idx]), _ranks(ya[idx]))
        if math.isfinite(value):
            boots.append(value)
    alpha = (1 - level) / 2
    low, high = ((float(np.quantile(boots, alpha)), float(np.quantile(boots, 1 - alpha)))
                 if boots else (math.nan, math.nan))
    if n <= 8:
        perms: Iterable = itertools.permutations(range(n))
    else:
        perms = (rng.permutation(n) for _ in range(n_perm))
    hits = total = 0
    for perm in perms:
        total += 1
        hits += abs(_pearson(rx, ry[list(perm)])) >= abs(rho) - 1e-12
    return RankCorrelation(round(rho, 12), low, high, hits / total, n, level)


def rank(values: dict[str, float | None], *, lower_is_better: bool = False) -> dict[str, int]:
    """Competition ranks of ``values`` as the official table script assigns them.

    Sorted by value (descending, or ascending with ``lower_is_better``); equal values share the
    rank of the first, and the next rank skips (1, 2, 2, 4). ``None`` values get no rank.

    Examples:
        >>> rank({"a": 35.46, "b": 35.66, "c": 35.46, "d": 34.0})
        {'b': 1, 'a': 2, 'c': 2, 'd': 4}
        >>> rank({"a": 0.04, "b": 0.03}, lower_is_better=True)
        {'b': 1, 'a': 2}
    """
    items = [(k, v) for k, v in values.items() if v is not None]
    items.sort(key=lambda kv: kv[1] if lower_is_better else -kv[1])
    ranks: dict[str, int] = {}
    for i, (k, v) in enumerate(items):
        if i and v == items[i - 1][1]:
            ranks[k] = ranks[items[i - 1][0]]
        else:
            ranks[k] = i + 1
    return ranks
