"""Figure 17: window functions and the windowed sincs they make (Appx. E).

:func:`compute` computes each window in time and frequency with its two figures of merit
(:func:`lpf.signal.windows.window_response`: the null-to-null main-lobe width in DFT bins and the
highest side lobe in dB), then applies it to the ideal sinc (half-width ``sinc_half_width``)
and computes the resulting low-pass filter and its stop-band leakage
(:func:`lpf.signal.kernels.stopband_leakage`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from lpf._checks import check_scale
from lpf.signal.kernels import kernel_frequency_response, stopband_leakage, windowed_sinc
from lpf.signal.windows import WINDOWS, window, window_response
from lpf.studies._common import Result, check_choice, check_profile, choose

__all__ = ["BASELINE_CHANGES", "Fig17WindowsResult", "compute"]

#: keys of the JSON before the redesign that changed on purpose (none).
BASELINE_CHANGES: dict[str, str] = {}

#: zero-padding factor of the window spectra, full and smoke profile
FULL_OVERSAMPLE, SMOKE_OVERSAMPLE = 64, 8
#: points of the windowed-sinc frequency axis [0, 1.5] cycles/sample, full and smoke
FULL_FREQ_POINTS, SMOKE_FREQ_POINTS = 301, 61
#: the highest frequency of the windowed-sinc responses, cycles/sample
F_MAX = 1.5
#: samples per input sample of the windowed sincs drawn in space
X_DENSITY = 40


@dataclasses.dataclass
class Fig17WindowsResult(Result):
    """Each window's shape, spectrum and figures of merit; each windowed sinc and its response.

    Attributes:
        windows: ``name -> {mainlobe_width_bins, sidelobe_db, windowed_sinc_leakage}``.
        samples: the window's sample index, ``(n,)``.
        shapes: ``name -> w[n]``.
        bins: frequencies of the window spectra (DFT bins), up to ``max_bins``.
        spectra_db: ``name -> 20 log10 |W|`` on ``bins``.
        x: positions of the windowed sincs (input samples).
        kernels: ``name -> windowed sinc on x``.
        frequency: frequencies of the windowed-sinc responses (cycles/sample).
        responses: ``name -> H(f)``.
    """

    _arrays = ("samples", "shapes", "bins", "spectra_db", "x", "kernels", "frequency", "responses")

    claim: str
    n: int
    beta: float
    oversample: int
    sinc_half_width: float
    windows: dict
    samples: np.ndarray
    shapes: dict
    bins: np.ndarray
    spectra_db: dict
    x: np.ndarray
    kernels: dict
    frequency: np.ndarray
    responses: dict


def compute(
    *,
    profile: str = "full",
    windows: Sequence[str] = ("rectangular", "hann", "hamming", "blackman", "bartlett", "kaiser"),
    n: int = 64,
    beta: float = 8.0,
    oversample: int | None = None,
    max_bins: float = 12.0,
    sinc_half_width: float = 4.0,
) -> Fig17WindowsResult:
    """Windows in time and frequency, their main-lobe width and side-lobe level, and the sincs.

    Args:
        profile: ``"full"`` or ``"smoke"``.
        windows: window names of :data:`lpf.signal.windows.WINDOWS`.
        n: window length (samples), >= 8.
        beta: Kaiser's shape parameter.
        oversample: zero-padding factor of the window spectra (None: 64 in the full profile, 8
            in smoke), >= 4.
        max_bins: frequency range of the window spectra (DFT bins).
        sinc_half_width: half-width of the windowed sincs (input samples).

    Raises:
        ValueError: an unknown profile or window, a bad size.
    """
    profile = check_profile(profile)
    names = [str(check_choice("windows", w, sorted(WINDOWS))) for w in windows]
    if not names:
        raise ValueError("parameter `windows` must name at least one window.")
    n = check_scale(n, "n")
    if n < 8:
        raise ValueError(f"parameter `n` must be >= 8, got {n}.")
    factor = check_scale(choose(profile, oversample, full=FULL_OVERSAMPLE,
                                smoke=SMOKE_OVERSAMPLE), "oversample")
    if factor < 4:
        raise ValueError(f"parameter `oversample` must be >= 4, got {factor}.")
    for name, value in (("max_bins", max_bins), ("sinc_half_width", sinc_half_width)):
        if not float(value) > 0:
            raise ValueError(f"parameter `{name}` must be > 0, got {value!r}.")

    responses = {w: window_response(w, n=n, beta=beta, oversample=factor) for w in names}
    keep = responses[names[0]].frequency <= max_bins
    x = np.linspace(-sinc_half_width - 0.5, sinc_half_width + 0.5,
                    X_DENSITY * int(sinc_half_width) + X_DENSITY + 1)
    f = np.linspace(0.0, F_MAX, FULL_FREQ_POINTS if profile == "full" else SMOKE_FREQ_POINTS)

    def kernel(w: str):
        return lambda t: windowed_sinc(t, window=w, half_width=sinc_half_width, beta=beta)

    leakage = {w: stopband_leakage(kernel(w), support=sinc_half_width) for w in names}
    rows = {w: {"mainlobe_width_bins": r.mainlobe_width, "sidelobe_db": r.sidelobe_db,
                "windowed_sinc_leakage": leakage[w]} for w, r in responses.items()}
    return Fig17WindowsResult(
        claim="windows trade main-lobe width against side-lobe level",
        n=n, beta=beta, oversample=factor, sinc_half_width=sinc_half_width,
        windows=rows,
        samples=np.arange(n),
        shapes={w: window(w, n, sym=False, beta=beta).numpy() for w in names},
        bins=responses[names[0]].frequency[keep],
        spectra_db={w: r.response_db[keep] for w, r in responses.items()},
        x=x,
        kernels={w: windowed_sinc(x, window=w, half_width=sinc_half_width, beta=beta).numpy()
                 for w in names},
        frequency=f,
        responses={w: kernel_frequency_response(kernel(w), f, support=sinc_half_width)
                   .response.numpy() for w in names},
    )
