r"""Centred spectra, radial profiles, band energies and zero insertion (paper Figs. 4, 14, 18).

Conventions, shared by every function here:

* Images are real tensors whose **last two dimensions are (H, W)**: ``(H, W)``, ``(C, H, W)`` or
  ``(N, C, H, W)``; leading dimensions are batched and kept. NumPy arrays (channel-first) and
  uint8/uint16 (scaled to [0, 1]) are accepted; float16/bfloat16 are computed in float32;
  float32 and float64 in their own precision. Any ``H, W >= 1``, odd or even.
* Spectra are the unnormalised DFT (``torch.fft.fft2``, ``norm="backward"``), ``fftshift``-ed over
  the last two dimensions: the DC term sits at index ``(H // 2, W // 2)`` and the frequency axes are
  ``frequencies(H)`` (rows, :math:`f_y`) and ``frequencies(W)`` (columns, :math:`f_x`), in
  **cycles/pixel**, in ``[-0.5, 0.5)``.
* ``pad_to=(H', W')`` zero-pads at the bottom and right before the transform (finer frequency
  sampling of the same spectrum; it changes the phase reference, not the amplitude).

Zero insertion (:func:`zero_insert`) is the first half of every LPF upsampler (paper Sec. 3,
Eq. 2): it places each pixel in an ``s x s`` block of zeros, which tiles the spectrum ``s x s``
times (Appx. F, Eqs. 18-22, Fig. 18); the low-pass filter that follows must remove the copies.
"""

from __future__ import annotations

import math
from typing import Literal, NamedTuple

import numpy as np
import torch

from lpf._checks import RangeError, ShapeError, as_image_tensor, check_finite, check_scale
from lpf.signal import windows
from lpf.signal.windows import parse_window

__all__ = [
    "amplitude",
    "band_energy",
    "BandEnergy",
    "decimate",
    "energy_fraction_above",
    "fft2c",
    "frequencies",
    "Norm",
    "phase",
    "power_spectrum",
    "radial_profile",
    "RadialProfile",
    "WindowSpec",
    "zero_insert",
    "zero_insertion_check",
    "ZeroInsertionCheck",
]

WindowSpec = str | tuple[str, float] | None
Norm = Literal["euclidean", "chebyshev"]


# ---------------------------------------------------------------------------------------------
# helpers


def _prepare(image: torch.Tensor | np.ndarray, name: str = "image") -> torch.Tensor:
    """Validate an image argument: real float tensor with >= 2 dims, finite, H, W >= 1."""
    x = as_image_tensor(image, name, ndims=(2, 3, 4))
    if x.dtype in (torch.float16, torch.bfloat16):
        x = x.float()
    if x.shape[-2] < 1 or x.shape[-1] < 1:
        raise ShapeError(
            f"`{name}` must have H >= 1 and W >= 1, got shape {tuple(x.shape)}.",
            expected="H >= 1 and W >= 1",
            actual=tuple(x.shape),
        )
    check_finite(x, name)
    return x


def _pad_size(pad_to: int | tuple[int, int] | None, h: int, w: int) -> tuple[int, int] | None:
    """Validate ``pad_to`` against the image size (H, W); None means no padding."""
    if pad_to is None:
        return None
    pair = (pad_to, pad_to) if isinstance(pad_to, int | np.integer) else tuple(pad_to)
    if len(pair) != 2 or not all(
        isinstance(p, int | np.integer) and not isinstance(p, bool) for p in pair
    ):
        raise TypeError(f"`pad_to` must be an int or a pair of ints (H, W), got {pad_to!r}.")
    if pair[0] < h or pair[1] < w:
        raise ShapeError(
            f"`pad_to` must be at least the image size {(h, w)}, got {tuple(pair)}.",
            expected=f">= {(h, w)}",
            actual=tuple(pair),
        )
    return int(pair[0]), int(pair[1])


def _check_cutoff(cutoff: float) -> float:
    if isinstance(cutoff, bool) or not isinstance(cutoff, int | float | np.integer | np.floating):
        raise TypeError(f"`cutoff` must be a number in cycles/pixel, got {cutoff!r}.")
    if not math.isfinite(cutoff) or cutoff < 0:
        raise ValueError(f"`cutoff` must be a finite number >= 0 (cycles/pixel), got {cutoff}.")
    return float(cutoff)


def _check_phase(phase: int | tuple[int, int], scale: int) -> tuple[int, int]:
    pair = (phase, phase) if isinstance(phase, int | np.integer) else tuple(phase)
    if len(pair) != 2 or not all(
        isinstance(p, int | np.integer) and not isinstance(p, bool) for p in pair
    ):
        raise TypeError(f"`phase` must be an int or a pair of ints (row, col), got {phase!r}.")
    if not all(0 <= p < scale for p in pair):
        raise ValueError(f"`phase` must lie in [0, scale) = [0, {scale}), got {tuple(pair)}.")
    return int(pair[0]), int(pair[1])


def _window_2d(
    window: WindowSpec, h: int, w: int, dtype: torch.dtype, device: torch.device
) -> torch.Tensor:
    """Separable (H, W) window with unit energy (sum of squares 1), as stylegan3's avg_spectra."""
    name, beta = parse_window(window)
    wy = windows.window(name, h, sym=True, beta=beta, dtype=torch.float64, device=device)
    wx = windows.window(name, w, sym=True, beta=beta, dtype=torch.float64, device=device)
    w2 = torch.outer(wy, wx)
    energy = w2.square().sum()
    if not energy > 0:
        raise ValueError(f"`window` {window!r} is all zeros for size {(h, w)}.")
    return (w2 / energy.sqrt()).to(dtype)


def _radius(h: int, w: int, norm: Norm, device: torch.device | None = None) -> torch.Tensor:
    """Frequency radius (cycles/pixel) of each bin of a centred (h, w) spectrum, float64."""
    fy = frequencies(h, device=device)[:, None]
    fx = frequencies(w, device=device)[None, :]
    if norm == "euclidean":
        return torch.sqrt(fy.square() + fx.square())
    if norm == "chebyshev":
        return torch.maximum(fy.abs(), fx.abs())
    raise ValueError(f"`norm` must be 'euclidean' or 'chebyshev', got {norm!r}.")


# ---------------------------------------------------------------------------------------------
# spectra


def frequencies(
    n: int,
    *,
    d: float = 1.0,
    dtype: torch.dtype = torch.float64,
    device: torch.device | str | None = None,
) -> torch.Tensor:
    """The centred DFT frequency axis, ``fftshift(fftfreq(n, d))``.

    Zero frequency is at index ``n // 2``; the axis runs from ``-floor(n/2) / (n d)`` to
    ``(ceil(n/2) - 1) / (n d)`` in steps of ``1 / (n d)``. With ``d = 1`` the unit is cycles/pixel
    and the range ``[-0.5, 0.5)``.

    Args:
        n: number of samples, >= 1.
        d: sample spacing (pixels per sample), > 0.
        dtype: floating dtype of the result (default float64).
        device: device of the result.

    Returns:
        A tensor of shape ``(n,)``.

    Raises:
        TypeError: ``n`` is not an integer.
        ValueError: ``n < 1`` or ``d <= 0``.

    Examples:
        >>> frequencies(4)
        tensor([-0.5000, -0.2500,  0.0000,  0.2500], dtype=torch.float64)
        >>> frequencies(5)
        tensor([-0.4000, -0.2000,  0.0000,  0.2000,  0.4000], dtype=torch.float64)
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer):
        raise TypeError(f"`n` must be an integer >= 1, got {n!r}.")
    if n < 1:
        raise ValueError(f"`n` must be an integer >= 1, got {n}.")
    if not (isinstance(d, int | float) and math.isfinite(d) and d > 0):
        raise ValueError(f"`d` must be a positive finite number, got {d!r}.")
    f = torch.fft.fftfreq(int(n), d=float(d), dtype=torch.float64, device=device)
    return torch.fft.fftshift(f).to(dtype)


def fft2c(
    image: torch.Tensor | np.ndarray, *, pad_to: int | tuple[int, int] | None = None
) -> torch.Tensor:
    r"""Centred 2-D DFT over the last two dimensions.

    .. math:: F[k_y, k_x] = \sum_{m,n} x[m, n]\, e^{-2\pi i (k_y m / H + k_x n / W)}

    (paper Eq. 18 in 2-D), then ``fftshift`` so that DC is at ``(H // 2, W // 2)``.

    Args:
        image: real image(s), ``(H, W)``, ``(C, H, W)`` or ``(N, C, H, W)``.
        pad_to: optional size ``(H', W')`` (or one int for both) >= ``(H, W)``; the image is
            zero-padded at the bottom/right to it before the transform.

    Returns:
        A complex tensor (complex64 for float32 input, complex128 for float64) of the input's
        shape with the last two dimensions ``(H, W)`` or ``pad_to``.

    Raises:
        ShapeError: wrong number of dimensions, or ``pad_to`` smaller than the image.
        RangeError: NaN or infinite values.
        TypeError: unsupported input type or dtype.

    Examples:
        >>> x = torch.zeros(1, 3, 8, 8)
        >>> x[..., 0, 0] = 1.0
        >>> fft2c(x).shape, fft2c(x).dtype
        (torch.Size([1, 3, 8, 8]), torch.complex64)
        >>> fft2c(x, pad_to=(16, 12)).shape
        torch.Size([1, 3, 16, 12])
    """
    x = _prepare(image)
    size = _pad_size(pad_to, x.shape[-2], x.shape[-1])
    return torch.fft.fftshift(torch.fft.fft2(x, s=size), dim=(-2, -1))


def amplitude(
    image: torch.Tensor | np.ndarray,
    *,
    log: bool = True,
    pad_to: int | tuple[int, int] | None = None,
) -> torch.Tensor:
    r"""Amplitude spectrum, by default in the paper's display convention ``log(|F| + 1)``.

    .. math:: A = \log\left(\left|\operatorname{fftshift}(\operatorname{fft2}(x))\right| + 1\right)

    (natural logarithm), as the official HyRA code displays spectra (paper Figs. 4 and 14).

    Args:
        image: real image(s), ``(H, W)``, ``(C, H, W)`` or ``(N, C, H, W)``.
        log: apply ``log(. + 1)`` (True) or return ``|F|`` (False).
        pad_to: optional zero-padded size, as in :func:`fft2c`.

    Returns:
        A real tensor of the shape of :func:`fft2c`'s result, >= 0, DC at the centre.

    Raises:
        ShapeError: wrong number of dimensions, or ``pad_to`` smaller than the image.
        RangeError: NaN or infinite values.

    Examples:
        >>> x = torch.zeros(5, 5, dtype=torch.float64)
        >>> x[2, 2] = 1.0
        >>> bool(torch.allclose(amplitude(x, log=False), torch.ones(5, 5, dtype=torch.float64)))
        True
        >>> round(float(amplitude(torch.ones(4, 4))[2, 2]), 4)  # log(16 + 1) at DC
        2.8332
    """
    a = fft2c(image, pad_to=pad_to).abs()
    return torch.log1p(a) if log else a


def phase(
    image: torch.Tensor | np.ndarray, *, pad_to: int | tuple[int, int] | None = None
) -> torch.Tensor:
    """Phase spectrum: the angle of the centred DFT, in radians in ``(-pi, pi]``.

    Args:
        image: real image(s), ``(H, W)``, ``(C, H, W)`` or ``(N, C, H, W)``.
        pad_to: optional zero-padded size, as in :func:`fft2c`.

    Returns:
        A real tensor of the shape of :func:`fft2c`'s result; 0 where the spectrum is 0.

    Raises:
        ShapeError: wrong number of dimensions, or ``pad_to`` smaller than the image.
        RangeError: NaN or infinite values.

    Examples:
        >>> x = torch.zeros(5, 5, dtype=torch.float64)
        >>> x[0, 1] = 1.0  # a delta one pixel right of the origin: phase -2 pi f_x
        >>> phase(x)[2].round(decimals=4)
        tensor([ 2.5133,  1.2566,  0.0000, -1.2566, -2.5133], dtype=torch.float64)
    """
    return torch.angle(fft2c(image, pad_to=pad_to))


def power_spectrum(
    image: torch.Tensor | np.ndarray,
    *,
    window: WindowSpec = None,
    pad_to: int | tuple[int, int] | None = None,
) -> torch.Tensor:
    r"""Centred power spectrum, normalised so that its mean is the image's mean square (Parseval).

    .. math:: P = \left|\operatorname{fftshift}\operatorname{fft2}(x \cdot \tilde w)\right|^2,
              \qquad \tilde w = \frac{w_y \otimes w_x}{\lVert w_y \otimes w_x \rVert_2}

    where :math:`w_y, w_x` are the symmetric 1-D windows of length H and W
    (:func:`lpf.signal.windows.window`) and the separable 2-D window is scaled to unit energy, as
    stylegan3's ``avg_spectra.py`` does. Without a window, :math:`\tilde w = 1/\sqrt{HW}` and
    :math:`P = |F|^2 / (HW)`. In every case the mean of :math:`P` over its (possibly padded) bins
    equals :math:`\sum_n \tilde w_n^2 x_n^2`, the :math:`\tilde w^2`-weighted mean of
    :math:`x^2`; for ``window=None`` that is ``mean(x**2)`` (Parseval) and ``P.sum()`` is
    ``(x**2).sum()``.

    Args:
        image: real image(s), ``(H, W)``, ``(C, H, W)`` or ``(N, C, H, W)``.
        window: None (rectangular), a window name from :data:`lpf.signal.windows.WINDOWS` such as
            ``"hann"`` or ``"kaiser"`` (beta 8), or a pair ``("kaiser", beta)``. Windows reduce the
            leakage of strong components (the image border, the mean) into other bins.
        pad_to: optional zero-padded size ``(H', W')``, padded after windowing.

    Returns:
        A real tensor >= 0 of the shape of :func:`fft2c`'s result, in the image's dtype, DC at
        ``(H' // 2, W' // 2)``.

    Raises:
        ShapeError: wrong number of dimensions, or ``pad_to`` smaller than the image.
        RangeError: NaN or infinite values.
        ValueError: unknown window name.

    Examples:
        >>> x = torch.rand(2, 3, 16, 16, dtype=torch.float64)
        >>> p = power_spectrum(x)
        >>> p.shape
        torch.Size([2, 3, 16, 16])
        >>> bool(torch.allclose(p.mean(dim=(-2, -1)), x.square().mean(dim=(-2, -1))))
        True
        >>> power_spectrum(x, window="hann", pad_to=32).shape
        torch.Size([2, 3, 32, 32])
    """
    x = _prepare(image)
    h, w = x.shape[-2], x.shape[-1]
    size = _pad_size(pad_to, h, w)
    if window is None:
        return fft2c(x, pad_to=size).abs().square() / (h * w)
    x = x * _window_2d(window, h, w, x.dtype, x.device)
    return fft2c(x, pad_to=size).abs().square()


class RadialProfile(NamedTuple):
    """An azimuthally averaged (or summed) profile of a centred 2-D array.

    Attributes:
        frequency: bin centres in cycles/pixel, ``k / max(H, W)`` for ``k = 0, 1, ...``, shape
            ``(B,)``, float64.
        values: the mean (or sum) of the array over each bin, shape ``(*leading, B)``; NaN for
            an empty bin with ``reduction="mean"``.
        counts: number of array elements in each bin, shape ``(B,)``, int64.
    """

    frequency: torch.Tensor
    values: torch.Tensor
    counts: torch.Tensor


def radial_profile(
    spectrum: torch.Tensor | np.ndarray,
    *,
    max_frequency: Literal["corner", "nyquist"] = "corner",
    reduction: Literal["mean", "sum"] = "mean",
) -> RadialProfile:
    r"""Azimuthal average of a centred spectrum over rings of equal frequency radius.

    Each element ``(i, j)`` of the last two dimensions ``(H, W)`` has the radius
    :math:`r = \sqrt{f_y^2 + f_x^2}` with :math:`f_y` = ``frequencies(H)[i]`` and :math:`f_x` =
    ``frequencies(W)[j]`` in cycles/pixel, which is correct for non-square arrays too. Bins have
    the width :math:`\Delta = 1/\max(H, W)`; bin ``k`` is centred on :math:`k\Delta` and holds the
    elements with :math:`(k - \tfrac12)\Delta \le r < (k + \tfrac12)\Delta`, so bin 0 is the DC
    term alone.

    Args:
        spectrum: a real, centred (``fftshift``-ed, DC at ``(H // 2, W // 2)``) array, e.g. from
            :func:`power_spectrum` or :func:`amplitude`; ``(H, W)``, ``(C, H, W)`` or
            ``(N, C, H, W)``. Complex input is refused: take ``abs()`` first.
        max_frequency: ``"corner"`` keeps every bin up to the corner of the spectrum (at most
            :math:`0.5\sqrt2`); ``"nyquist"`` keeps the bins centred at or below 0.5 cycles/pixel
            and ignores the corners beyond them.
        reduction: ``"mean"`` (azimuthal average) or ``"sum"`` (total per ring, e.g. energy).

    Returns:
        :class:`RadialProfile` ``(frequency, values, counts)``. ``values`` has the dtype of
        ``spectrum`` (accumulated in float64).

    Raises:
        TypeError: complex or non-tensor input.
        ShapeError: wrong number of dimensions.
        ValueError: unknown ``max_frequency`` or ``reduction``.

    Examples:
        >>> prof = radial_profile(torch.ones(3, 16, 16))
        >>> prof.values.shape, prof.frequency[:3].tolist()
        (torch.Size([3, 12]), [0.0, 0.0625, 0.125])
        >>> prof.values.unique()
        tensor([1.])
        >>> radial_profile(torch.ones(16, 16), max_frequency="nyquist").frequency[-1].item()
        0.5
    """
    if (isinstance(spectrum, torch.Tensor) and spectrum.is_complex()) or (
        isinstance(spectrum, np.ndarray) and np.iscomplexobj(spectrum)
    ):
        raise TypeError(
            "`spectrum` must be real; pass amplitude(...), power_spectrum(...) or .abs(), "
            f"got dtype {spectrum.dtype}."
        )
    s = as_image_tensor(spectrum, "spectrum", ndims=(2, 3, 4))
    if max_frequency not in ("corner", "nyquist"):
        raise ValueError(f"`max_frequency` must be 'corner' or 'nyquist', got {max_frequency!r}.")
    if reduction not in ("mean", "sum"):
        raise ValueError(f"`reduction` must be 'mean' or 'sum', got {reduction!r}.")
    h, w = s.shape[-2], s.shape[-1]
    n = max(h, w)
    idx = torch.floor(_radius(h, w, "euclidean", device=s.device) * n + 0.5).long().reshape(-1)
    n_bins = int(idx.max()) + 1 if max_frequency == "corner" else n // 2 + 1
    idx = idx.clamp(max=n_bins)  # bin n_bins collects what is dropped
    flat = s.reshape(-1, h * w).to(torch.float64)
    sums = torch.zeros(flat.shape[0], n_bins + 1, dtype=torch.float64, device=s.device)
    sums.index_add_(1, idx, flat)
    counts = torch.bincount(idx, minlength=n_bins + 1)[:n_bins]
    values = sums[:, :n_bins]
    if reduction == "mean":
        values = values / counts.to(torch.float64)
    values = values.reshape(*s.shape[:-2], n_bins).to(s.dtype)
    freq = torch.arange(n_bins, dtype=torch.float64, device=s.device) / n
    return RadialProfile(freq, values, counts)


class BandEnergy(NamedTuple):
    """Spectral energy below and above a cutoff frequency.

    Attributes:
        below: energy in bins with radius <= cutoff, shape ``image.shape[:-2]``, float64.
        above: energy in bins with radius > cutoff, same shape.
    """

    below: torch.Tensor
    above: torch.Tensor

    @property
    def total(self) -> torch.Tensor:
        """``below + above``."""
        return self.below + self.above

    @property
    def fraction_above(self) -> torch.Tensor:
        """``above / (below + above)``; NaN where the total is 0."""
        return self.above / self.total


def band_energy(
    image: torch.Tensor | np.ndarray,
    *,
    cutoff: float,
    norm: Norm = "euclidean",
    include_dc: bool = False,
    window: WindowSpec = None,
    pad_to: int | tuple[int, int] | None = None,
) -> BandEnergy:
    r"""Split an image's spectral energy at a cutoff frequency (paper Sec. 4.1.1, Appx. F).

    The energy is the sum of :func:`power_spectrum` over the bins on each side of the cutoff, so
    with ``window=None`` and ``include_dc=True`` ``below + above`` equals ``(x**2).sum()`` over
    ``(H, W)`` (Parseval). A bin is *above* if its radius is strictly greater than ``cutoff``:

    * ``norm="euclidean"``: :math:`\sqrt{f_x^2 + f_y^2} > f_c` (a disk);
    * ``norm="chebyshev"``: :math:`\max(|f_x|, |f_y|) > f_c` (a square). Zero insertion by ``s``
      puts the spectral copies outside the square of half-width :math:`1/(2s)` (Appx. F,
      Fig. 18), at the corners too, so ``cutoff=1/(2*s)`` with this norm measures their energy.

    Args:
        image: real image(s), ``(H, W)``, ``(C, H, W)`` or ``(N, C, H, W)``.
        cutoff: the cutoff in cycles/pixel, >= 0 (0.5 is the Nyquist frequency).
        norm: ``"euclidean"`` or ``"chebyshev"``, as above.
        include_dc: keep the mean. False (default) removes it: the image's (window-weighted) mean
            is subtracted per ``(H, W)`` plane before the transform, so the DC bin is exactly 0
            and the energies are of the fluctuations only (for ``window=None`` this is the same as
            dropping the DC bin). The mean usually dwarfs everything else and depends on
            brightness, which is why it is excluded by default.
        window: as in :func:`power_spectrum`.
        pad_to: as in :func:`power_spectrum`.

    Returns:
        :class:`BandEnergy` ``(below, above)``, float64 tensors of shape ``image.shape[:-2]``
        (``()`` for an ``(H, W)`` image), with the properties ``total`` and ``fraction_above``.

    Raises:
        ShapeError: wrong number of dimensions, or ``pad_to`` smaller than the image.
        RangeError: NaN or infinite values.
        ValueError: negative ``cutoff`` or unknown ``norm``.

    Examples:
        >>> y, x = torch.meshgrid(torch.arange(32.0), torch.arange(32.0), indexing="ij")
        >>> img = torch.cos(2 * math.pi * 0.25 * x)  # energy at |f_x| = 0.25 only
        >>> e = band_energy(img, cutoff=0.2)
        >>> round(float(e.above), 6), round(float(e.below), 6)
        (512.0, 0.0)
    """
    cutoff = _check_cutoff(cutoff)
    x = _prepare(image)
    h, w = x.shape[-2], x.shape[-1]
    if not include_dc:
        if window is None:
            x = x - x.mean(dim=(-2, -1), keepdim=True)
        else:
            w2 = _window_2d(window, h, w, x.dtype, x.device)
            x = x - (x * w2).sum(dim=(-2, -1), keepdim=True) / w2.sum()
    p = power_spectrum(x, window=window, pad_to=pad_to).to(torch.float64)
    above_mask = _radius(p.shape[-2], p.shape[-1], norm, device=p.device) > cutoff
    above = (p * above_mask).sum(dim=(-2, -1))
    below = (p * ~above_mask).sum(dim=(-2, -1))
    return BandEnergy(below, above)


def energy_fraction_above(
    image: torch.Tensor | np.ndarray,
    cutoff: float,
    *,
    norm: Norm = "euclidean",
    include_dc: bool = False,
    window: WindowSpec = None,
    pad_to: int | tuple[int, int] | None = None,
) -> torch.Tensor:
    r"""Fraction of the spectral energy above ``cutoff`` cycles/pixel.

    .. math:: \rho = \frac{\sum_{r(f) > f_c} P(f)}{\sum_f P(f)}

    with :math:`P` the power spectrum and :math:`r` the Euclidean or Chebyshev radius, the mean
    excluded by default (see :func:`band_energy`, which this divides).

    Args:
        image: real image(s), ``(H, W)``, ``(C, H, W)`` or ``(N, C, H, W)``.
        cutoff: the cutoff in cycles/pixel, >= 0.
        norm: ``"euclidean"`` (disk) or ``"chebyshev"`` (square, for zero-insertion copies).
        include_dc: keep the mean in both sums (default False: mean removed).
        window: as in :func:`power_spectrum`.
        pad_to: as in :func:`power_spectrum`.

    Returns:
        A float64 tensor of shape ``image.shape[:-2]``, values in [0, 1].

    Raises:
        RangeError: an image (plane) has no energy (constant with ``include_dc=False``, or all
            zeros), so the fraction is undefined; or NaN/inf values.
        ShapeError: wrong number of dimensions.
        ValueError: negative ``cutoff`` or unknown ``norm``.

    Examples:
        >>> x = torch.rand(1, 3, 15, 15, dtype=torch.float64)
        >>> frac = energy_fraction_above(zero_insert(x, 2), 0.25, norm="chebyshev",
        ...                              include_dc=True)
        >>> frac.round(decimals=6)  # three of the four spectral copies lie outside the square
        tensor([[0.7500, 0.7500, 0.7500]], dtype=torch.float64)
    """
    e = band_energy(
        image, cutoff=cutoff, norm=norm, include_dc=include_dc, window=window, pad_to=pad_to
    )
    total = e.total
    if bool((total == 0).any()):
        n_zero = int((total == 0).sum())
        raise RangeError(
            f"`image` has {n_zero} plane(s) with zero spectral energy"
            f"{' after removing the mean (constant images)' if not include_dc else ''}; "
            "the fraction of energy above the cutoff is undefined there."
        )
    return e.above / total


# ---------------------------------------------------------------------------------------------
# zero insertion (Appx. F)


def zero_insert(
    image: torch.Tensor | np.ndarray, scale: int, *, phase: int | tuple[int, int] = (0, 0)
) -> torch.Tensor:
    r"""Zero-insertion upsampling by an integer factor (paper Eq. 2 and Appx. F, Eq. 19).

    .. math:: y[s m + p_y,\ s n + p_x] = x[m, n], \quad y = 0 \text{ elsewhere}

    Each pixel goes to position ``phase = (p_y, p_x)`` of its ``s x s`` block (default the
    top-left, as the official HyRA code's zero interpolation). Values are **not** scaled: the
    mean drops by ``s**2``, so a low-pass filter that restores the image needs a DC gain of
    ``s**2``. In the frequency domain the DFT of ``y`` is the ``s x s`` periodic tiling of the
    DFT of ``x`` (Eqs. 20-22), times the linear phase of the offset:
    :math:`Y[k_y, k_x] = X[k_y \bmod H, k_x \bmod W]\, e^{-2\pi i (k_y p_y/(sH) + k_x p_x/(sW))}`.

    Args:
        image: image(s) ``(H, W)``, ``(C, H, W)`` or ``(N, C, H, W)``.
        scale: the integer factor ``s >= 1``.
        phase: position ``(row, col)`` within each block, each in ``[0, s)``; an int sets both.

    Returns:
        A tensor of shape ``(..., s*H, s*W)`` in the image's dtype.

    Raises:
        TypeError: non-integer ``scale`` or ``phase``.
        ValueError: ``scale < 1`` or ``phase`` outside ``[0, s)``.
        ShapeError: wrong number of dimensions.

    Examples:
        >>> zero_insert(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), 2)
        tensor([[1., 0., 2., 0.],
                [0., 0., 0., 0.],
                [3., 0., 4., 0.],
                [0., 0., 0., 0.]])
        >>> zero_insert(torch.ones(2, 3, 5, 7), 3, phase=(1, 2)).shape
        torch.Size([2, 3, 15, 21])
    """
    s = check_scale(scale)
    py, px = _check_phase(phase, s)
    x = as_image_tensor(image, "image", ndims=(2, 3, 4))
    h, w = x.shape[-2], x.shape[-1]
    out = x.new_zeros(*x.shape[:-2], s * h, s * w)
    out[..., py::s, px::s] = x
    return out


def decimate(
    image: torch.Tensor | np.ndarray, scale: int, *, phase: int | tuple[int, int] = (0, 0)
) -> torch.Tensor:
    """Keep one pixel of each ``s x s`` block: the inverse of :func:`zero_insert`.

    ``decimate(zero_insert(x, s, phase=p), s, phase=p) == x`` exactly. No anti-aliasing filter
    is applied (plain subsampling, which aliases any content above ``1/(2s)`` cycles/pixel).

    Args:
        image: image(s) ``(H, W)``, ``(C, H, W)`` or ``(N, C, H, W)`` with ``H`` and ``W``
            multiples of ``scale``.
        scale: the integer factor ``s >= 1``.
        phase: position ``(row, col)`` within each block to keep, each in ``[0, s)``.

    Returns:
        A tensor of shape ``(..., H/s, W/s)`` (a copy) in the image's dtype.

    Raises:
        ShapeError: wrong number of dimensions, or ``H`` or ``W`` not a multiple of ``scale``.
        TypeError: non-integer ``scale`` or ``phase``.
        ValueError: ``scale < 1`` or ``phase`` outside ``[0, s)``.

    Examples:
        >>> x = torch.arange(16.0).reshape(4, 4)
        >>> decimate(x, 2, phase=(0, 1))
        tensor([[ 1.,  3.],
                [ 9., 11.]])
    """
    s = check_scale(scale)
    py, px = _check_phase(phase, s)
    x = as_image_tensor(image, "image", ndims=(2, 3, 4))
    h, w = x.shape[-2], x.shape[-1]
    if h % s or w % s:
        raise ShapeError(
            f"`image` height and width must be multiples of scale={s}, got H={h}, W={w}.",
            expected=f"H % {s} == 0 and W % {s} == 0",
            actual=tuple(x.shape),
        )
    return x[..., py::s, px::s].clone()


class ZeroInsertionCheck(NamedTuple):
    """How exactly zero insertion tiles the spectrum (paper Appx. F, Eqs. 18-22).

    Attributes:
        scale: the insertion factor ``s``.
        replica_fraction: share of the zero-inserted image's spectral energy (DC included)
            outside the baseband, the ``H x W`` bins of the original's frequencies.
        theory: ``(s**2 - 1) / s**2``: ``s**2`` copies of equal energy, one of them in the
            baseband.
        max_tiling_error: ``max |Y - tile(X)| / max |X|``, with ``Y`` the DFT of the
            zero-inserted image and ``tile(X)`` the ``s x s`` periodic tiling of the
            original's DFT (Eq. 22); rounding only (about 1e-15 in float64).
    """

    scale: int
    replica_fraction: float
    theory: float
    max_tiling_error: float


def zero_insertion_check(image: torch.Tensor | np.ndarray, scale: int) -> ZeroInsertionCheck:
    r"""Check that the DFT of a zero-inserted image is the ``s x s`` tiling of the original's.

    .. math:: Y[k_y, k_x] = X[k_y \bmod H,\ k_x \bmod W]

    for :math:`y` = :func:`lpf.spectra.zero_insert` of :math:`x` by ``s`` (phase ``(0, 0)``),
    computed in float64. By Parseval every copy holds the same energy, so the baseband holds
    :math:`1/s^2` of it and the replicas :math:`(s^2-1)/s^2` (3/4 at ``s = 2``, 8/9 at 3,
    15/16 at 4): the grid artefacts that a low-pass filter must remove (Figs. 4, 18).

    Args:
        image: ``(H, W)``, ``(C, H, W)`` or ``(N, C, H, W)``, not all zero.
        scale: the integer factor ``s >= 1``.

    Returns:
        :class:`ZeroInsertionCheck`.

    Raises:
        ValueError: an all-zero image, or a bad ``scale``.
        ShapeError: wrong rank.

    Examples:
        >>> c = zero_insertion_check(torch.rand(3, 8, 8), 3)
        >>> round(c.replica_fraction, 12), round(c.theory, 12), c.max_tiling_error < 1e-12
        (0.888888888889, 0.888888888889, True)
    """
    s = check_scale(scale)
    x = as_image_tensor(image, "image", ndims=(2, 3, 4)).to(torch.float64)
    check_finite(x, "image")
    h, w = x.shape[-2:]
    spec_x = torch.fft.fft2(x)
    spec_y = torch.fft.fft2(zero_insert(x, s))
    peak = float(spec_x.abs().max())
    if peak == 0:
        raise ValueError("`image` is all zeros; its spectrum has nothing to tile.")
    tiled = spec_x.repeat(*([1] * (x.ndim - 2)), s, s)
    error = float((spec_y - tiled).abs().max()) / peak

    def baseband(n: int) -> torch.Tensor:
        k = torch.round(torch.fft.fftfreq(s * n, dtype=torch.float64) * (s * n))  # signed index
        return (k >= -(n // 2)) & (k <= (n - 1) // 2)

    mask = baseband(h)[:, None] & baseband(w)[None, :]
    energy = spec_y.abs().square()
    total = float(energy.sum())
    outside = float((energy * ~mask).sum())
    return ZeroInsertionCheck(s, outside / total, (s * s - 1) / (s * s), error)
