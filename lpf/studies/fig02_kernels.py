"""Figure 2: the interpolation kernels as low-pass approximations of the sinc (paper Sec. 3).

:func:`compute` samples each kernel and the sinc in space, their continuous frequency responses,
and measures each kernel's stop-band leakage (the fraction of its spectral energy above the
input's Nyquist frequency, 0.5 cycles/sample, :func:`lpf.signal.kernels.stopband_leakage`); the
reference sinc is truncated to a wide support (``sinc_half_width``), so it leaks a little.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from lpf._checks import check_scale
from lpf.signal.kernels import (
    INTERPOLATION_KERNELS,
    kernel_frequency_response,
    sinc,
    stopband_leakage,
    windowed_sinc,
)
from lpf.studies._common import Result, check_choice, check_profile, choose

__all__ = ["BASELINE_CHANGES", "Fig02KernelsResult", "compute"]

#: keys of the JSON before the redesign that changed on purpose (none).
BASELINE_CHANGES: dict[str, str] = {}

#: points per axis of the full and the smoke profile
FULL_POINTS, SMOKE_POINTS = 801, 101
#: the input's Nyquist frequency, cycles/sample: everything above it is stop band
NYQUIST = 0.5
#: where the pass-band response is reported (half the Nyquist frequency)
QUARTER = 0.25


@dataclasses.dataclass
class Fig02KernelsResult(Result):
    """The kernels in space and frequency, and how much each leaks into the stop band.

    Attributes:
        claim: the figure's claim in words.
        kernels: the kernel names, in order.
        stopband_leakage: ``name -> leakage`` (the kernels and ``"sinc"``).
        leakage_definition: what the leakage is.
        response_at_quarter_nyquist: ``name -> H(0.25)`` (pass band; 1 is ideal).
        sinc_half_width: support of the truncated reference sinc.
        x: positions (input samples), ``(X,)``.
        frequency: frequencies (cycles/sample), ``(F,)``.
        space: ``name -> k(x)`` (``"sinc"`` first).
        response: ``name -> H(f)``.
    """

    _arrays = ("x", "frequency", "space", "response")

    claim: str
    kernels: list
    stopband_leakage: dict
    leakage_definition: str
    response_at_quarter_nyquist: dict
    sinc_half_width: float
    x: np.ndarray
    frequency: np.ndarray
    space: dict
    response: dict


def compute(
    *,
    profile: str = "full",
    kernels: Sequence[str] = ("nearest", "linear", "cubic", "lanczos3"),
    x_max: float = 4.0,
    f_max: float = 2.0,
    sinc_half_width: float = 32.0,
    n_points: int | None = None,
) -> Fig02KernelsResult:
    """Kernels against the sinc in space and frequency, and their stop-band leakage.

    Args:
        profile: ``"full"`` or ``"smoke"``.
        kernels: keys of :data:`lpf.signal.kernels.INTERPOLATION_KERNELS`.
        x_max: kernels are sampled on ``[-x_max, x_max]`` input samples.
        f_max: frequency axis ``[0, f_max]`` cycles/sample.
        sinc_half_width: support of the truncated reference sinc (its leakage).
        n_points: points per axis (None: 801 in the full profile, 101 in smoke).

    Raises:
        ValueError: an unknown profile or kernel, a non-positive range, fewer than 3 points.
    """
    profile = check_profile(profile)
    names = [str(check_choice("kernels", k, sorted(INTERPOLATION_KERNELS))) for k in kernels]
    if not names:
        raise ValueError("parameter `kernels` must name at least one kernel.")
    for name, value in (("x_max", x_max), ("f_max", f_max), ("sinc_half_width", sinc_half_width)):
        if not float(value) > 0:
            raise ValueError(f"parameter `{name}` must be > 0, got {value!r}.")
    n = check_scale(choose(profile, n_points, full=FULL_POINTS, smoke=SMOKE_POINTS), "n_points")
    if n < 3:
        raise ValueError(f"parameter `n_points` must be >= 3, got {n}.")

    x = np.linspace(-x_max, x_max, n)
    f = np.linspace(0.0, f_max, n)
    space = {"sinc": sinc(x).numpy()}
    space.update({name: INTERPOLATION_KERNELS[name](x).numpy() for name in names})
    leakage = {name: stopband_leakage(name, cutoff=NYQUIST) for name in names}
    leakage["sinc"] = stopband_leakage(
        lambda t: windowed_sinc(t, window="rectangular", half_width=sinc_half_width),
        cutoff=NYQUIST, support=sinc_half_width,
    )
    at_quarter = {name: float(kernel_frequency_response(name, [QUARTER]).response[0])
                  for name in names}
    response = {name: kernel_frequency_response(name, f).response.numpy() for name in names}
    return Fig02KernelsResult(
        claim="all interpolation kernels are low-pass approximations of the ideal sinc filter",
        kernels=names,
        stopband_leakage=leakage,
        leakage_definition="fraction of spectral energy above 0.5 cycles/sample",
        response_at_quarter_nyquist=at_quarter,
        sinc_half_width=float(sinc_half_width),
        x=x, frequency=f, space=space, response=response,
    )
