"""TODO docstring."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

__all__ = [
    "sampling_demo",
    "SamplingDemo",
]


class SamplingDemo(NamedTuple):
    r"""Sampling and ideal low-pass recovery of :math:`x(t) = B \operatorname{sinc}^2(B t)`.

    Attributes:
        t: time axis of the continuous signals, ``(T,)``.
        signal: :math:`x(t)`, ``(T,)``.
        sample_times: :math:`nT_s` within the time axis, ``(S,)``.
        samples: :math:`x(nT_s)`, ``(S,)``.
        reconstruction: :math:`\sum_n x(nT_s)\operatorname{sinc}(f_s(t - nT_s))` (all samples,
            not only those shown), ``(T,)``.
        frequency: frequency axis, ``(F,)``.
        spectrum: :math:`X(f)`, the triangle of half-width :math:`B`, ``(F,)``.
        copies: the shifted copies :math:`X(f - k f_s)`, one row per :math:`k` that reaches
            the frequency axis, ``(K, F)``; their sum is ``sampled_spectrum``.
        sampled_spectrum: :math:`\sum_k X(f - k f_s)` (paper Eq. 16, without the :math:`1/T`
            factor), ``(F,)``.
        lowpass: the ideal low-pass filter, 1 for :math:`|f| < f_s/2`, ``(F,)``.
        recovered_spectrum: ``lowpass * sampled_spectrum``, ``(F,)``.
        error: relative RMS error of the reconstruction on the time axis.
        aliased: whether :math:`f_s < 2B` (the copies overlap).
    """

    t: np.ndarray
    signal: np.ndarray
    sample_times: np.ndarray
    samples: np.ndarray
    reconstruction: np.ndarray
    frequency: np.ndarray
    spectrum: np.ndarray
    copies: np.ndarray
    sampled_spectrum: np.ndarray
    lowpass: np.ndarray
    recovered_spectrum: np.ndarray
    error: float
    aliased: bool


def sampling_demo(
    *,
    bandwidth: float = 1.0,
    rate: float = 3.0,
    t_max: float = 4.0,
    n_t: int = 801,
    f_max: float = 4.0,
    n_f: int = 801,
    support: float = 400.0,
) -> SamplingDemo:
    r"""Sample a band-limited signal and recover it with the ideal low-pass filter (Figs. 11-13).

    The signal :math:`x(t) = B\operatorname{sinc}^2(Bt)` has the triangular spectrum
    :math:`X(f) = \max(0, 1 - |f|/B)`: it is band-limited to :math:`B`, so the Nyquist rate is
    :math:`2B`. Sampling at :math:`f_s` (Eq. 15) makes the spectrum periodic with period
    :math:`f_s` (Eq. 16); the ideal low-pass filter with cutoff :math:`f_s/2` (Eq. 17, impulse
    response :math:`\operatorname{sinc}(f_s t)` with gain :math:`T_s = 1/f_s`) keeps the central
    copy, which is :math:`X` exactly when :math:`f_s \ge 2B` and an aliased (folded) spectrum
    otherwise (Fig. 13). The reconstruction uses every sample with :math:`|nT_s| \le` ``support``
    (the signal decays like :math:`1/t^2`; the error without aliasing is below ``1e-8``).

    Args:
        bandwidth: :math:`B`, > 0 (cycles per unit time).
        rate: the sampling rate :math:`f_s`, > 0.
        t_max: the time axis is ``[-t_max, t_max]``.
        n_t: points on the time axis.
        f_max: the frequency axis is ``[-f_max, f_max]``.
        n_f: points on the frequency axis.
        support: half-length of the sample train used for the reconstruction.

    Returns:
        :class:`SamplingDemo`.

    Raises:
        ValueError: non-positive ``bandwidth``, ``rate``, ``t_max``, ``f_max`` or ``support``.

    Examples:
        >>> good = sampling_demo(bandwidth=1.0, rate=3.0)
        >>> bad = sampling_demo(bandwidth=1.0, rate=1.5)
        >>> good.aliased, bad.aliased, good.error < 1e-3 < 0.1 < bad.error
        (False, True, True)
    """
    for name, value in (
        ("bandwidth", bandwidth),
        ("rate", rate),
        ("t_max", t_max),
        ("f_max", f_max),
        ("support", support),
    ):
        if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
            raise ValueError(f"`{name}` must be a positive finite number, got {value!r}.")
    b, fs = float(bandwidth), float(rate)
    t = np.linspace(-t_max, t_max, int(n_t))
    signal = b * np.sinc(b * t) ** 2
    n = np.arange(-math.floor(support * fs), math.floor(support * fs) + 1)
    t_n = n / fs
    x_n = b * np.sinc(b * t_n) ** 2
    # chunked sum over samples: sum_n x_n sinc(fs (t - t_n))
    reconstruction = np.zeros_like(t)
    for start in range(0, n.size, 4096):
        sl = slice(start, start + 4096)
        reconstruction += np.sinc(fs * (t[:, None] - t_n[None, sl])) @ x_n[sl]
    shown = np.abs(t_n) <= t_max
    f = np.linspace(-f_max, f_max, int(n_f))

    def triangle(freq: np.ndarray) -> np.ndarray:
        return np.clip(1.0 - np.abs(freq) / b, 0.0, None)

    k_max = math.ceil((f_max + b) / fs)
    copies = np.stack([triangle(f - k * fs) for k in range(-k_max, k_max + 1)])
    copies = copies[copies.max(axis=1) > 0]
    sampled = copies.sum(axis=0)
    lowpass = (np.abs(f) < fs / 2).astype(np.float64)
    error = float(np.sqrt(np.mean((reconstruction - signal) ** 2) / np.mean(signal**2)))
    return SamplingDemo(
        t=t,
        signal=signal,
        sample_times=t_n[shown],
        samples=x_n[shown],
        reconstruction=reconstruction,
        frequency=f,
        spectrum=triangle(f),
        copies=copies,
        sampled_spectrum=sampled,
        lowpass=lowpass,
        recovered_spectrum=lowpass * sampled,
        error=error,
        aliased=bool(fs < 2 * b),
    )
