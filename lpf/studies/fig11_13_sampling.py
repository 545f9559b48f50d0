r"""Figures 11-13: sampling, recovery with the ideal low-pass filter, and aliasing (Appx. B).

:func:`compute` samples :math:`x(t) = B \operatorname{sinc}^2(Bt)` (band-limited to ``B``, its
spectrum the triangle ``max(0, 1 - |f|/B)``) at a rate above and one below the Nyquist rate
``2B`` and reconstructs it with the ideal low-pass filter
(:func:`lpf.signal.sampling.sampling_demo`).
"""

from __future__ import annotations

import dataclasses

from lpf._checks import check_scale
from lpf.signal.sampling import SamplingDemo, sampling_demo
from lpf.studies._common import Result, check_profile, choose

__all__ = ["BASELINE_CHANGES", "Fig1113SamplingResult", "compute"]

#: keys of the JSON before the redesign that changed on purpose (none).
BASELINE_CHANGES: dict[str, str] = {}

#: points per axis of the full and the smoke profile
FULL_POINTS, SMOKE_POINTS = 1201, 201


@dataclasses.dataclass
class Fig1113SamplingResult(Result):
    """The two sampling demos (above and below the Nyquist rate) and their errors.

    Attributes:
        no_aliasing: ``{rate, aliased, relative_rms_error}`` at ``rate_ok``.
        aliasing: the same at ``rate_alias``.
        ok: the :class:`~lpf.signal.sampling.SamplingDemo` at ``rate_ok`` (arrays of the plot).
        alias: the demo at ``rate_alias``.
    """

    _arrays = ("ok", "alias")

    claim: str
    bandwidth: float
    nyquist_rate: float
    no_aliasing: dict
    aliasing: dict
    ok: SamplingDemo
    alias: SamplingDemo


def compute(
    *,
    profile: str = "full",
    bandwidth: float = 1.0,
    rate_ok: float = 3.0,
    rate_alias: float = 1.5,
    t_max: float = 4.0,
    f_max: float = 4.5,
    n_points: int | None = None,
) -> Fig1113SamplingResult:
    """Sample and reconstruct ``B sinc^2(Bt)`` at two rates.

    Args:
        profile: ``"full"`` or ``"smoke"``.
        bandwidth: ``B``, the band limit of the signal (cycles per unit time).
        rate_ok: a sampling rate (meant above ``2B``).
        rate_alias: a sampling rate (meant below ``2B``).
        t_max: time axis ``[-t_max, t_max]``.
        f_max: frequency axis ``[-f_max, f_max]``.
        n_points: points per axis (None: 1201 in the full profile, 201 in smoke).

    Raises:
        ValueError: an unknown profile, a non-positive value, fewer than 3 points.
    """
    profile = check_profile(profile)
    for name, value in (("bandwidth", bandwidth), ("rate_ok", rate_ok),
                        ("rate_alias", rate_alias), ("t_max", t_max), ("f_max", f_max)):
        if not float(value) > 0:
            raise ValueError(f"parameter `{name}` must be > 0, got {value!r}.")
    n = check_scale(choose(profile, n_points, full=FULL_POINTS, smoke=SMOKE_POINTS), "n_points")
    if n < 3:
        raise ValueError(f"parameter `n_points` must be >= 3, got {n}.")
    ok = sampling_demo(bandwidth=bandwidth, rate=rate_ok, t_max=t_max, n_t=n, f_max=f_max, n_f=n)
    alias = sampling_demo(bandwidth=bandwidth, rate=rate_alias, t_max=t_max, n_t=n, f_max=f_max,
                          n_f=n)
    return Fig1113SamplingResult(
        claim="sampling above the Nyquist rate 2B allows exact recovery with the ideal LPF; "
              "below it the spectral copies overlap (aliasing)",
        bandwidth=bandwidth, nyquist_rate=2 * bandwidth,
        no_aliasing={"rate": rate_ok, "aliased": ok.aliased, "relative_rms_error": ok.error},
        aliasing={"rate": rate_alias, "aliased": alias.aliased,
                  "relative_rms_error": alias.error},
        ok=ok, alias=alias,
    )
