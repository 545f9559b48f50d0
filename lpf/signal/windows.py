r"""The window family of the kit, defined once (paper Appx. E, Fig. 17).

Every window the kit uses -- spectra (:mod:`lpf.signal.spectra`), windowed sincs
(:mod:`lpf.signal.kernels`), sinc low-pass-filter super-resolution (:mod:`lpf.signal.lpfsr`) and
the sinc fits of :mod:`lpf.analysis.sinc` -- comes from :func:`window` (discrete, SciPy's
definition) or :func:`window_fn` (continuous). A window is named by a *spec*: a name
(``"hann"``), a name with Kaiser's beta (``"kaiser:8"``) or a pair (``("kaiser", 8.0)``);
:func:`parse_window` reads all three.
"""

from __future__ import annotations

import difflib
import math
from typing import NamedTuple

import numpy as np
import torch

__all__ = [
    "ArrayLike",
    "DEFAULT_KAISER_BETA",
    "parse_window",
    "window",
    "window_fn",
    "window_response",
    "WindowResponse",
    "WINDOWS",
]

ArrayLike = torch.Tensor | np.ndarray | float | int | list | tuple


#: Canonical window names accepted by :func:`window` and :func:`window_fn`.
WINDOWS: tuple[str, ...] = (
    "rectangular",
    "hann",
    "hamming",
    "blackman",
    "bartlett",
    "kaiser",
    "lanczos",
)


_WINDOW_ALIASES = {
    "boxcar": "rectangular",
    "rect": "rectangular",
    "none": "rectangular",
    "hanning": "hann",
    "sinc": "lanczos",
}


#: Kaiser's beta when none is given: 8.0, stylegan3 ``avg_spectra.py``'s default.
DEFAULT_KAISER_BETA = 8.0


def _window_name(name: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"`name` must be a window name (str), got {type(name).__name__}.")
    key = name.lower()
    key = _WINDOW_ALIASES.get(key, key)
    if key not in WINDOWS:
        hint = difflib.get_close_matches(key, WINDOWS + tuple(_WINDOW_ALIASES), n=1)
        extra = f" Did you mean {hint[0]!r}?" if hint else ""
        raise ValueError(f"`name` must be one of {list(WINDOWS)}, got {name!r}.{extra}")
    return key


def parse_window(spec: str | tuple[str, float] | None) -> tuple[str, float]:
    """``(name, beta)`` of a window spec: ``"hann"``, ``"kaiser:8"``, ``("kaiser", 8.0)`` or None.

    None means rectangular; beta defaults to :data:`DEFAULT_KAISER_BETA`.

    Raises:
        ValueError: an unknown window name (with a suggestion) or a malformed beta.
        TypeError: a spec of another type.

    Examples:
        >>> parse_window("kaiser:6"), parse_window(("kaiser", 6.0)), parse_window("Hanning")
        (('kaiser', 6.0), ('kaiser', 6.0), ('hann', 8.0))
    """
    if spec is None:
        return "rectangular", DEFAULT_KAISER_BETA
    if isinstance(spec, tuple):
        if len(spec) != 2:
            raise TypeError(f"`window` must be a name or a (name, beta) pair, got {spec!r}.")
        name, beta = spec
    elif isinstance(spec, str):
        name, _, beta_text = spec.partition(":")
        try:
            beta = float(beta_text) if beta_text else DEFAULT_KAISER_BETA
        except ValueError:
            raise ValueError(
                f"`window` {spec!r}: beta must be a number, as in 'kaiser:8'."
            ) from None
    else:
        raise TypeError(f"`window` must be None, a name or a (name, beta) pair, got {spec!r}.")
    beta = float(beta)
    if beta < 0:
        raise ValueError(f"`window` {spec!r}: beta must be >= 0, got {beta}.")
    try:
        return _window_name(name), beta
    except ValueError as err:
        raise ValueError(f"`window` {spec!r}: {err}") from None


def _window_on_unit(key: str, u: torch.Tensor, beta: float) -> torch.Tensor:
    """Window ``key`` at normalised positions ``u`` (the window spans ``[-1, 1]``), 0 outside."""
    pu = math.pi * u
    if key == "rectangular":
        w = torch.ones_like(u)
    elif key == "hann":
        w = 0.5 + 0.5 * torch.cos(pu)
    elif key == "hamming":
        w = 0.54 + 0.46 * torch.cos(pu)
    elif key == "blackman":
        w = 0.42 + 0.5 * torch.cos(pu) + 0.08 * torch.cos(2.0 * pu)
    elif key == "bartlett":
        w = 1.0 - u.abs()
    elif key == "kaiser":
        arg = (1.0 - u.square()).clamp(min=0.0).sqrt()
        w = torch.special.i0(beta * arg) / float(np.i0(beta))
    else:  # lanczos (sinc window)
        w = torch.sinc(u)
    return torch.where(u.abs() <= 1.0, w, torch.zeros_like(w))


def window(
    name: str,
    n: int,
    *,
    sym: bool = True,
    beta: float = DEFAULT_KAISER_BETA,
    dtype: torch.dtype = torch.float64,
    device: torch.device | str | None = None,
) -> torch.Tensor:
    r"""A discrete window of ``n`` samples (paper Appx. E, Fig. 17), as SciPy defines it.

    Values equal ``scipy.signal.windows.<name>(n, sym=sym)`` (``("kaiser", beta)`` for Kaiser,
    ``boxcar`` for rectangular). A symmetric window (``sym=True``, for filter design) samples
    :func:`window_fn` at ``k - (n-1)/2`` with ``half_width = (n-1)/2``; a periodic one
    (``sym=False``, "DFT-even", SciPy's ``get_window`` default, for spectral analysis) is the
    first ``n`` samples of the symmetric window of length ``n + 1``.

    Args:
        name: one of :data:`WINDOWS` (``"rectangular"``, ``"hann"``, ``"hamming"``,
            ``"blackman"``, ``"bartlett"``, ``"kaiser"``, ``"lanczos"``; aliases ``"boxcar"``,
            ``"rect"``, ``"hanning"``, ``"sinc"``), case-insensitive.
        n: number of samples, >= 1 (``n == 1`` gives ``[1.0]``, as SciPy).
        sym: symmetric (True) or periodic (False).
        beta: Kaiser's shape parameter (ignored by the other windows); default 8.0.
        dtype: floating dtype of the result.
        device: device of the result.

    Returns:
        A tensor of shape ``(n,)`` with peak value 1 (for odd symmetric windows, at the centre).

    Raises:
        ValueError: unknown ``name``, ``n < 1`` or negative ``beta``.
        TypeError: ``n`` is not an integer.

    Examples:
        >>> window("hann", 5)
        tensor([0.0000, 0.5000, 1.0000, 0.5000, 0.0000], dtype=torch.float64)
        >>> window("hann", 4, sym=False)
        tensor([0.0000, 0.5000, 1.0000, 0.5000], dtype=torch.float64)
    """
    key = _window_name(name)
    if isinstance(n, bool) or not isinstance(n, int | np.integer):
        raise TypeError(f"`n` must be an integer >= 1, got {n!r}.")
    if n < 1:
        raise ValueError(f"`n` must be an integer >= 1, got {n}.")
    if beta < 0:
        raise ValueError(f"`beta` must be >= 0, got {beta}.")
    if n == 1:
        return torch.ones(1, dtype=dtype, device=device)
    m = int(n) if sym else int(n) + 1
    k = torch.arange(m, dtype=torch.float64, device=device)
    u = 2.0 * k / (m - 1) - 1.0  # in [-1, 1]
    w = _window_on_unit(key, u, float(beta))
    if key == "lanczos" and m % 2:  # exact 1 at the centre (rounding of 2k/(m-1) - 1)
        w[m // 2] = 1.0
    return w[:n].to(dtype)


def window_fn(
    name: str,
    x: ArrayLike,
    *,
    half_width: float,
    beta: float = DEFAULT_KAISER_BETA,
) -> torch.Tensor:
    r"""A continuous window on ``[-half_width, half_width]``, zero outside (for windowed sincs).

    With :math:`u = x / \text{half\_width}`: rectangular 1; Hann :math:`0.5 + 0.5\cos\pi u`;
    Hamming :math:`0.54 + 0.46\cos\pi u`; Blackman :math:`0.42 + 0.5\cos\pi u + 0.08\cos 2\pi u`;
    Bartlett :math:`1 - |u|`; Kaiser :math:`I_0(\beta\sqrt{1-u^2})/I_0(\beta)`; Lanczos
    :math:`\operatorname{sinc}(u)`. Values at ``|x| == half_width`` are included (rectangular 1
    there). :func:`window` samples these functions.

    Args:
        name: a window name, as in :func:`window`.
        x: positions (same unit as ``half_width``), any shape.
        half_width: half the window's support, > 0.
        beta: Kaiser's shape parameter; default 8.0.

    Returns:
        A tensor of the shape of ``x``, peak 1 at ``x = 0``.

    Raises:
        ValueError: unknown ``name`` or non-positive ``half_width``.

    Examples:
        >>> window_fn("hann", [0.0, 1.0, 2.0, 3.0], half_width=2.0)
        tensor([1.0000, 0.5000, 0.0000, 0.0000], dtype=torch.float64)
    """
    key = _window_name(name)
    half_width = _check_positive(half_width, "half_width")
    if beta < 0:
        raise ValueError(f"`beta` must be >= 0, got {beta}.")
    x = _as_tensor(x)
    return _window_on_unit(key, x / half_width, float(beta))


class WindowResponse(NamedTuple):
    """The magnitude response of a discrete window and its two classic figures of merit.

    Attributes:
        frequency: frequency in DFT bins of the window length (``1/n`` cycles/sample), from 0 to
            ``n/2``, ``(F,)``.
        response_db: ``20 log10 |W(f)| / |W(0)|``, ``(F,)`` (floored at -300 dB).
        mainlobe_width: null-to-null width of the main lobe, in bins (2 for rectangular, 4 for
            Hann and Hamming, 6 for Blackman).
        sidelobe_db: the highest side lobe, in dB relative to the main-lobe peak.
    """

    frequency: np.ndarray
    response_db: np.ndarray
    mainlobe_width: float
    sidelobe_db: float


def window_response(
    name: str, *, n: int = 64, beta: float = 8.0, oversample: int = 64
) -> WindowResponse:
    r"""Magnitude response, main-lobe width and side-lobe level of a window (paper Fig. 17).

    The periodic ("DFT-even") window of :func:`window` with ``n`` samples is
    zero-padded to ``n * oversample`` points and transformed. The main lobe ends at the first
    local minimum of :math:`|W|` (the first null); the side-lobe level is the maximum of
    :math:`|W|` beyond it. The network impulse responses of the paper look like windowed sincs
    whose window can be guessed from this ratio of main-lobe peak to first side lobe (Appx. E).

    Reference values (``n = 64``, periodic): rectangular 2 bins / -13.3 dB, Hann 4 / -31.5 dB,
    Hamming 4 / -42.5 dB, Blackman 6 / -58.1 dB, Bartlett 4 / -26.5 dB, Kaiser (beta 8)
    5.5 / -58.8 dB.

    Args:
        name: a window name of :data:`WINDOWS`.
        n: window length, >= 8.
        beta: Kaiser's shape parameter.
        oversample: zero-padding factor (frequency resolution ``1/oversample`` bins), >= 4.

    Returns:
        :class:`WindowResponse`.

    Raises:
        ValueError: unknown window, ``n < 8`` or ``oversample < 4``.

    Examples:
        >>> r = window_response("hann")
        >>> round(r.mainlobe_width, 2), round(r.sidelobe_db, 1)
        (4.0, -31.5)
    """
    if n < 8 or oversample < 4:
        raise ValueError(
            f"`n` must be >= 8 and `oversample` >= 4, got n={n}, oversample={oversample}."
        )
    w = window(name, int(n), sym=False, beta=beta).numpy()
    m = int(n) * int(oversample)
    mag = np.abs(np.fft.rfft(w, m))
    mag = mag / mag[0]
    db = 20 * np.log10(np.maximum(mag, 1e-15))
    freq = np.arange(mag.size) / oversample
    rising = np.nonzero(np.diff(mag) > 0)[0]
    if rising.size == 0:  # no side lobes at all (cannot happen for these windows)
        return WindowResponse(freq, db, float(2 * freq[-1]), float("-inf"))
    first_null = int(rising[0])
    return WindowResponse(freq, db, float(2 * freq[first_null]), float(db[first_null:].max()))


def _as_tensor(x: ArrayLike) -> torch.Tensor:
    """Return ``x`` as a floating tensor (float64 unless ``x`` is already a floating tensor)."""
    if isinstance(x, torch.Tensor):
        if x.is_complex():
            raise TypeError(f"expected real values, got a complex tensor ({x.dtype}).")
        return x if x.is_floating_point() else x.to(torch.float64)
    return torch.as_tensor(np.asarray(x, dtype=np.float64))


def _check_positive(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"`{name}` must be a positive number, got {value!r}.")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"`{name}` must be a positive finite number, got {value}.")
    return float(value)
