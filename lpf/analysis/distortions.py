"""Controlled image distortions: the steganography edit of Fig. 7 and the graded edits of ext03.

Every function takes one ``(C, H, W)`` float image in [0, 1] and returns the distorted image in
[0, 1] (clipped), in the input's dtype; a strength of 0 returns the image unchanged (to rounding).

* :func:`embed_in_spectrum` / :func:`extract_from_spectrum` / :func:`strength_for_fsds`: bits
  hidden in the amplitudes of the lowest frequencies (paper Fig. 7's edit, a documented stand-in);
* :func:`fourier_shift`: an exact sub-pixel translation (a phase ramp; periodic, band-limited);
* :func:`gaussian_blur`: a periodic Gaussian blur, applied in the Fourier domain;
* :func:`channel_affine`: a per-channel gain and offset (a global brightness change is the case
  of equal offsets; a colour cast blends towards a colour, :func:`colour_cast`);
* :func:`additive_noise`: seeded white Gaussian noise;
* :func:`sinc_ringing`: a truncated-sinc low-pass (the kit's LPF-SR, :func:`lpf.signal.lpfsr.lpf_sr`
  at scale 1), which rings at edges;
* :func:`bad_border`: a frame of ``k`` pixels set to a constant (the zero padding of a network).

JPEG compression is :func:`lpf.data.io.jpeg_roundtrip` (the data layer).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch

from lpf._checks import ShapeError, as_image_tensor, check_range
from lpf.metrics.frequency import fsds
from lpf.signal.lpfsr import lpf_sr

__all__ = [
    "Band",
    "additive_noise",
    "bad_border",
    "channel_affine",
    "colour_cast",
    "embed_in_spectrum",
    "extract_from_spectrum",
    "fourier_shift",
    "gaussian_blur",
    "sinc_ringing",
    "spectrum_band",
    "strength_for_fsds",
]

#: A frequency band ``(low, high)`` in cycles/pixel.
Band = tuple[float, float]


def spectrum_band(size: tuple[int, int], band: Band) -> torch.Tensor:
    r"""The free ``rfft2`` bins of an ``(H, W)`` image whose radial frequency lies in a band.

    A bin :math:`(k_y, k_x)` of ``torch.fft.rfft2`` (shape ``(H, W//2 + 1)``) is selected when
    :math:`lo < \sqrt{f_y^2 + f_x^2} \le hi` (cycles/pixel) and it is *free*: in the columns
    :math:`0 < k_x < W/2` every bin is; in the columns :math:`k_x = 0` and :math:`k_x = W/2`
    (even ``W``), which hold their own conjugate twins (:math:`X[-k_y] = \overline{X[k_y]}`),
    only the positive frequencies :math:`0 < k_y < H/2` are, and a change there must be mirrored
    to :math:`-k_y` (:func:`embed_in_spectrum` does). Each selected bin is one independent
    complex number of the real image's spectrum.

    Args:
        size: ``(H, W)`` of the image.
        band: ``(lo, hi)`` in cycles/pixel, ``0 <= lo < hi``.

    Returns:
        A boolean tensor of shape ``(H, W//2 + 1)``.

    Raises:
        ValueError: an invalid band.

    Examples:
        >>> m = spectrum_band((8, 8), (0.0, 0.2))
        >>> m.shape, int(m.sum())
        (torch.Size([8, 5]), 4)
    """
    lo, hi = (float(v) for v in band)
    if not 0 <= lo < hi:
        raise ValueError(f"`band` must be (lo, hi) with 0 <= lo < hi cycles/pixel, got {band!r}.")
    h, w = size
    fy = torch.fft.fftfreq(h, dtype=torch.float64)[:, None]
    fx = torch.fft.rfftfreq(w, dtype=torch.float64)[None, :]
    r = torch.sqrt(fy.square() + fx.square())
    ky = torch.arange(h)[:, None]
    kx = torch.arange(w // 2 + 1)[None, :]
    inner = (kx > 0) & (2 * kx < w)
    self_paired_half = ~inner & (ky > 0) & (2 * ky < h)
    return (r > lo) & (r <= hi) & (inner | self_paired_half)


def _mirror_self_paired(spec: torch.Tensor, mask: torch.Tensor, w: int) -> None:
    """Restore conjugate symmetry in the self-paired columns of an rfft2 after editing ``mask``."""
    h = spec.shape[-2]
    for col in {0, w // 2} if w % 2 == 0 else {0}:
        rows = torch.nonzero(mask[:, col]).flatten()
        if rows.numel():
            spec[..., (h - rows) % h, col] = spec[..., rows, col].conj()


def _payload_signs(payload: torch.Tensor | np.ndarray | Sequence[int], n_bins: int) -> torch.Tensor:
    bits = torch.as_tensor(np.asarray(payload)).reshape(-1)
    if bits.numel() == 0:
        raise ValueError("`payload` is empty.")
    if not bool(((bits == 0) | (bits == 1)).all()):
        raise ValueError("`payload` must hold bits (0 or 1).")
    if bits.numel() > n_bins:
        raise ValueError(
            f"`payload` has {bits.numel()} bits but the band holds only {n_bins} coefficients; "
            "widen the band or shorten the payload."
        )
    reps = math.ceil(n_bins / bits.numel())
    return (bits.to(torch.float64) * 2 - 1).repeat(reps)[:n_bins]


def _check_unit_image(image: torch.Tensor | np.ndarray, name: str) -> torch.Tensor:
    x = as_image_tensor(image, name, ndims=(3,))
    check_range(x, name)
    return x


def embed_in_spectrum(
    image: torch.Tensor,
    payload: torch.Tensor | np.ndarray | Sequence[int],
    *,
    strength: float,
    band: Band = (0.0, 0.01),
) -> torch.Tensor:
    r"""Hide bits in the amplitude spectrum of an image (the steganography edit of paper Fig. 7).

    The paper does not say how its steganography worked (PAPER.md, open question 6); this is a
    documented stand-in that reproduces its effect. Each bin :math:`k` of :func:`spectrum_band`
    (a low-frequency ring by default: 0 < r <= 0.01 cycles/pixel, i.e. a few cycles per image)
    carries one bit :math:`b_k \in \{0, 1\}` of the payload (repeated cyclically over the bins in
    raster order), in every channel:

    .. math:: Y_k = X_k + \alpha\, A\, (2 b_k - 1)\, e^{i \angle X_k},
              \qquad A = \sqrt{\operatorname{mean}_{k \in \text{band}} |X_k|^2}

    i.e. the amplitude of the bin moves by :math:`\pm \alpha A` along its own phase, with
    :math:`\alpha` = ``strength`` relative to the band's RMS amplitude :math:`A`. The image is
    then transformed back and clipped to [0, 1]. Low-frequency bins change slowly varying
    brightness (a faint, smooth oscillation across the image), which SSIM's local windows barely
    notice; FSDS, whose cumulative spectra carry every low-frequency difference into all the
    bins beyond it, sees it at once.

    Args:
        image: ``(C, H, W)`` float in [0, 1].
        payload: a 1-D sequence of bits (0/1), at most as many as the band's bins.
        strength: :math:`\alpha`, >= 0 (0 returns the image unchanged).
        band: ``(lo, hi)`` radial band in cycles/pixel.

    Returns:
        The stego image, ``(C, H, W)`` in [0, 1], the input's dtype.

    Raises:
        ValueError: bad ``strength``, ``band`` or ``payload`` (not bits, too long), or a band
            with no bins for this image size.
        ShapeError: not a 3-D image.
        RangeError: values outside [0, 1].

    Examples:
        >>> x = torch.full((3, 64, 64), 0.5, dtype=torch.float64)
        >>> x[:, 16:48, 16:48] = 0.6
        >>> y = embed_in_spectrum(x, [1, 0, 1, 1], strength=0.5, band=(0.0, 0.1))
        >>> y.shape, extract_from_spectrum(y, x, n_bits=4, band=(0.0, 0.1)).tolist()
        (torch.Size([3, 64, 64]), [1, 0, 1, 1])
    """
    x = _check_unit_image(image, "image")
    if not (isinstance(strength, int | float) and math.isfinite(strength) and strength >= 0):
        raise ValueError(f"`strength` must be a finite number >= 0, got {strength!r}.")
    h, w = x.shape[-2:]
    mask = spectrum_band((h, w), band).to(x.device)
    n_bins = int(mask.sum())
    if n_bins == 0:
        raise ValueError(f"`band` {band!r} holds no free rfft2 bins for a {h}x{w} image.")
    signs = _payload_signs(payload, n_bins).to(x.device)
    spec = torch.fft.rfft2(x.to(torch.float64))
    inside = spec[:, mask]
    rms = inside.abs().square().mean().sqrt()
    spec[:, mask] = inside + float(strength) * rms * signs * torch.exp(1j * torch.angle(inside))
    _mirror_self_paired(spec, mask, w)
    out = torch.fft.irfft2(spec, s=(h, w)).clamp(0.0, 1.0)
    return out.to(x.dtype)


def extract_from_spectrum(
    stego: torch.Tensor, image: torch.Tensor, *, n_bits: int, band: Band = (0.0, 0.01)
) -> torch.Tensor:
    r"""Read back the bits of :func:`embed_in_spectrum`, given the original (non-blind decoding).

    Each bit is the sign of the projection of the spectral difference onto the original's phase,
    :math:`\operatorname{Re}\left[(Y_k - X_k)\, e^{-i\angle X_k}\right]`, summed over the channels
    and over every bin that carries the bit. Exact while clipping to [0, 1] leaves the
    difference alone.

    Args:
        stego: the stego image, ``(C, H, W)`` in [0, 1].
        image: the original, same shape.
        n_bits: the payload length used for embedding, >= 1.
        band: the band used for embedding.

    Returns:
        A uint8 tensor ``(n_bits,)`` of 0/1.

    Raises:
        ShapeError: different shapes or not 3-D.
        ValueError: ``n_bits`` larger than the band.

    Examples:
        >>> x = torch.linspace(0.2, 0.8, 32 * 32, dtype=torch.float64).reshape(1, 32, 32)
        >>> y = embed_in_spectrum(x, [0, 1], strength=1.0, band=(0.0, 0.2))
        >>> extract_from_spectrum(y, x, n_bits=2, band=(0.0, 0.2)).tolist()
        [0, 1]
    """
    y = _check_unit_image(stego, "stego")
    x = _check_unit_image(image, "image")
    if y.shape != x.shape:
        raise ShapeError(
            f"`stego` and `image` must have the same shape, got {tuple(y.shape)} and "
            f"{tuple(x.shape)}.",
            expected=tuple(x.shape),
            actual=tuple(y.shape),
        )
    h, w = x.shape[-2:]
    mask = spectrum_band((h, w), band).to(x.device)
    n_bins = int(mask.sum())
    if not 1 <= n_bits <= n_bins:
        raise ValueError(f"`n_bits` must be in [1, {n_bins}] for this band, got {n_bits}.")
    sx = torch.fft.rfft2(x.to(torch.float64))[:, mask]
    sy = torch.fft.rfft2(y.to(torch.float64))[:, mask]
    proj = ((sy - sx) * torch.exp(-1j * torch.angle(sx))).real.sum(dim=0)  # (n_bins,)
    which = torch.arange(n_bins, device=x.device) % n_bits
    votes = torch.zeros(n_bits, dtype=torch.float64, device=x.device).index_add_(0, which, proj)
    return (votes > 0).to(torch.uint8)


def strength_for_fsds(
    image: torch.Tensor,
    payload: torch.Tensor | np.ndarray | Sequence[int],
    *,
    target_fsds: float,
    band: Band = (0.0, 0.01),
    bounds: tuple[float, float] = (1e-3, 10.0),
    iterations: int = 40,
) -> float:
    """The embedding strength at which the stego image has a given FSDS (bisection).

    FSDS of :func:`embed_in_spectrum` against the original falls as the strength grows (the
    spectral difference grows linearly with it), so a bisection on ``log(strength)`` finds it.

    Args:
        image: ``(C, H, W)`` float in [0, 1].
        payload: the bits, as for :func:`embed_in_spectrum`.
        target_fsds: the FSDS to reach, in dB (the paper's stego image has 26.37 dB).
        band: the embedding band in cycles/pixel.
        bounds: ``(low, high)`` strengths that bracket the target, ``0 < low < high``.
        iterations: bisection steps (40 gives a relative precision of about 1e-11).

    Returns:
        The strength as a float.

    Raises:
        ValueError: the target is not bracketed by ``bounds``, or bad bounds.

    Examples:
        >>> x = torch.linspace(0.2, 0.8, 32 * 32, dtype=torch.float64).reshape(1, 32, 32)
        >>> s = strength_for_fsds(x, [1, 0], target_fsds=30.0, band=(0.0, 0.2))
        >>> from lpf.metrics.frequency import fsds
        >>> round(float(fsds(embed_in_spectrum(x, [1, 0], strength=s, band=(0.0, 0.2)), x)), 3)
        30.0
    """
    lo, hi = (float(b) for b in bounds)
    if not 0 < lo < hi:
        raise ValueError(f"`bounds` must satisfy 0 < low < high, got {bounds!r}.")

    def value(strength: float) -> float:
        return float(fsds(embed_in_spectrum(image, payload, strength=strength, band=band), image))

    f_lo, f_hi = value(lo), value(hi)
    if not f_hi <= target_fsds <= f_lo:
        raise ValueError(
            f"`target_fsds` {target_fsds} dB is not between FSDS({hi:g}) = {f_hi:.2f} dB and "
            f"FSDS({lo:g}) = {f_lo:.2f} dB; widen `bounds`."
        )
    for _ in range(iterations):
        mid = math.sqrt(lo * hi)
        if value(mid) > target_fsds:
            lo = mid
        else:
            hi = mid
    return math.sqrt(lo * hi)




def _strength(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or value < 0:
        raise ValueError(f"`{name}` must be a finite number >= 0, got {value!r}.")
    return float(value)


def _frequencies(h: int, w: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """Vertical (H, 1) and horizontal (1, W//2+1) frequencies of an rfft2, cycles/pixel."""
    fy = torch.fft.fftfreq(h, dtype=torch.float64, device=device)[:, None]
    fx = torch.fft.rfftfreq(w, dtype=torch.float64, device=device)[None, :]
    return fy, fx


def fourier_shift(image: torch.Tensor, shift: float | tuple[float, float]) -> torch.Tensor:
    r"""Translate an image by a (sub-)pixel amount, exactly, with a Fourier phase ramp.

    .. math:: Y(f_y, f_x) = X(f_y, f_x)\, e^{-2\pi i (f_y \Delta y + f_x \Delta x)}

    The image is treated as periodic and band-limited (what leaves one side re-enters on the
    other); integer shifts equal :func:`torch.roll`. At even sizes the Nyquist bins of a
    fractional shift keep only their real part (the result stays real), so a half-pixel shift
    attenuates the Nyquist frequency. The result is clipped to [0, 1] (the band-limited
    interpolation rings slightly past the input's range at sharp edges).

    Args:
        image: ``(C, H, W)`` float in [0, 1].
        shift: ``(dy, dx)`` in pixels (positive: down/right), or one number for both.

    Returns:
        The shifted image, ``(C, H, W)`` in [0, 1], the input's dtype.

    Raises:
        ValueError: a non-finite shift.
        ShapeError, RangeError: not a 3-D image in [0, 1].

    Examples:
        >>> x = torch.rand(3, 8, 10, dtype=torch.float64)
        >>> torch.allclose(fourier_shift(x, (1, -2)), torch.roll(x, (1, -2), dims=(1, 2)))
        True
        >>> smooth = gaussian_blur(x, 1.0)  # band-limited: a shift there and back is exact
        >>> y = fourier_shift(fourier_shift(smooth, 0.25), -0.25)
        >>> bool((y - smooth).abs().max() < 1e-3)
        True
    """
    x = _check_unit_image(image, "image")
    dy, dx = (shift, shift) if isinstance(shift, int | float) else tuple(shift)
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in (dy, dx)):
        raise ValueError(f"`shift` must be finite numbers (dy, dx) in pixels, got {shift!r}.")
    h, w = x.shape[-2:]
    fy, fx = _frequencies(h, w, x.device)
    ramp = torch.exp(-2j * math.pi * (fy * float(dy) + fx * float(dx)))
    out = torch.fft.irfft2(torch.fft.rfft2(x.to(torch.float64)) * ramp, s=(h, w))
    return out.clamp(0.0, 1.0).to(x.dtype)


def gaussian_blur(image: torch.Tensor, sigma: float) -> torch.Tensor:
    r"""Blur with a Gaussian of standard deviation ``sigma`` pixels, periodically (in Fourier).

    .. math:: Y(f) = X(f)\, e^{-2\pi^2\sigma^2 |f|^2}

    the transfer function of a continuous Gaussian (no border handling: the image wraps around,
    as an FFT-based metric sees it).

    Args:
        image: ``(C, H, W)`` float in [0, 1].
        sigma: the standard deviation in pixels, >= 0.

    Returns:
        The blurred image, ``(C, H, W)`` in [0, 1], the input's dtype.

    Examples:
        >>> x = torch.zeros(1, 16, 16, dtype=torch.float64); x[0, 8, 8] = 1.0
        >>> y = gaussian_blur(x, 1.0)
        >>> round(float(y.sum()), 2), bool(y[0, 8, 8] < 0.2)
        (1.0, True)
    """
    x = _check_unit_image(image, "image")
    sigma = _strength(sigma, "sigma")
    h, w = x.shape[-2:]
    fy, fx = _frequencies(h, w, x.device)
    gain = torch.exp(-2.0 * math.pi**2 * sigma**2 * (fy.square() + fx.square()))
    out = torch.fft.irfft2(torch.fft.rfft2(x.to(torch.float64)) * gain, s=(h, w))
    return out.clamp(0.0, 1.0).to(x.dtype)


def channel_affine(
    image: torch.Tensor, *, gain: Sequence[float] | float = 1.0,
    offset: Sequence[float] | float = 0.0,
) -> torch.Tensor:
    """``gain[c] * image[c] + offset[c]``, clipped to [0, 1].

    A global brightness change is ``offset=b`` (one number); a global contrast change ``gain=g``.
    FSDS normalises each image by one mean and std over all channels, so it is invariant to a
    global gain and offset (up to the clipping), but not to per-channel ones.

    Args:
        image: ``(C, H, W)`` float in [0, 1].
        gain: one number or one per channel.
        offset: one number or one per channel (intensity units).

    Returns:
        ``(C, H, W)`` in [0, 1], the input's dtype.

    Raises:
        ValueError: a gain/offset list of the wrong length, or non-finite values.

    Examples:
        >>> x = torch.full((3, 2, 2), 0.5)
        >>> channel_affine(x, gain=[1.0, 2.0, 0.5], offset=[0.1, 0.0, 0.0])[:, 0, 0].tolist()
        [0.6000000238418579, 1.0, 0.25]
    """
    x = _check_unit_image(image, "image")
    c = x.shape[0]
    values = []
    for name, v in (("gain", gain), ("offset", offset)):
        t = torch.as_tensor(v, dtype=torch.float64).reshape(-1)
        if t.numel() == 1:
            t = t.expand(c)
        if t.numel() != c or not bool(torch.isfinite(t).all()):
            raise ValueError(f"`{name}` must be one finite number or {c} (one per channel), "
                             f"got {v!r}.")
        values.append(t.view(c, 1, 1).to(x.device))
    g, o = values
    return (x.to(torch.float64) * g + o).clamp(0.0, 1.0).to(x.dtype)


#: the colour of :func:`colour_cast` by default: a warm orange (RGB)
CAST_COLOUR = (1.0, 0.6, 0.2)


def colour_cast(
    image: torch.Tensor, strength: float, *, colour: Sequence[float] = CAST_COLOUR
) -> torch.Tensor:
    """Blend towards a colour: ``(1 - s) * image + s * colour`` (a tinted filter, white balance).

    Args:
        image: ``(C, H, W)`` float in [0, 1].
        strength: ``s`` in [0, 1].
        colour: one value per channel in [0, 1] (default :data:`CAST_COLOUR`).

    Returns:
        ``(C, H, W)`` in [0, 1], the input's dtype.

    Examples:
        >>> colour_cast(torch.zeros(3, 1, 1), 0.5)[:, 0, 0].tolist()
        [0.5, 0.30000001192092896, 0.10000000149011612]
    """
    s = _strength(strength, "strength")
    if s > 1:
        raise ValueError(f"`strength` must be in [0, 1], got {strength!r}.")
    tint = torch.as_tensor(colour, dtype=torch.float64).reshape(-1)
    if not bool(((tint >= 0) & (tint <= 1)).all()):
        raise ValueError(f"`colour` must hold values in [0, 1], got {colour!r}.")
    return channel_affine(image, gain=1.0 - s, offset=(s * tint).tolist())


def additive_noise(image: torch.Tensor, sigma: float, *, seed: int = 0) -> torch.Tensor:
    """Add white Gaussian noise of standard deviation ``sigma`` (seeded), clipped to [0, 1].

    Examples:
        >>> x = torch.full((3, 64, 64), 0.5, dtype=torch.float64)
        >>> round(float((additive_noise(x, 0.1) - x).std()), 2)
        0.1
    """
    x = _check_unit_image(image, "image")
    sigma = _strength(sigma, "sigma")
    g = torch.Generator().manual_seed(int(seed))
    noise = torch.randn(x.shape, generator=g, dtype=torch.float64).to(x.device)
    return (x.to(torch.float64) + sigma * noise).clamp(0.0, 1.0).to(x.dtype)


def sinc_ringing(image: torch.Tensor, cutoff: float, *, half_width: int = 8) -> torch.Tensor:
    """Low-pass an image with a truncated (rectangular-window) sinc: blur plus ringing at edges.

    The kit's sinc LPF-SR (:func:`lpf.signal.lpfsr.lpf_sr`, ``window="rect"``) at scale 1: the
    lower the cutoff, the wider the sinc's lobes and the stronger the ringing.

    Args:
        image: ``(C, H, W)`` float in [0, 1].
        cutoff: in cycles/pixel, in (0, 0.5]; 0.5 keeps nearly everything.
        half_width: half support of the truncated sinc, pixels.

    Returns:
        ``(C, H, W)`` in [0, 1], the input's dtype.

    Examples:
        >>> x = torch.zeros(1, 32, 32, dtype=torch.float64); x[:, :, 16:] = 1.0
        >>> y = sinc_ringing(x, 0.2)
        >>> bool(y[0, 16, 12:16].min() == 0.0 and y[0, 16, 16:20].max() == 1.0)  # clipped
        True
    """
    x = _check_unit_image(image, "image")
    if not (isinstance(cutoff, int | float) and 0 < cutoff <= 0.5):
        raise ValueError(f"`cutoff` must be in (0, 0.5] cycles/pixel, got {cutoff!r}.")
    out = lpf_sr(x.to(torch.float64), 1, cutoff=float(cutoff), window="rect",
                 half_width=half_width)
    return out.clamp(0.0, 1.0).to(x.dtype)


def bad_border(image: torch.Tensor, width: int, *, value: float = 0.0) -> torch.Tensor:
    """Set a frame of ``width`` pixels on every side to ``value`` (a zero-padded network's border).

    Examples:
        >>> y = bad_border(torch.ones(1, 6, 6), 1)
        >>> int(y.sum()), y[0, 0].tolist()
        (16, [0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    """
    x = _check_unit_image(image, "image")
    if isinstance(width, bool) or not isinstance(width, int | np.integer) or width < 0:
        raise ValueError(f"`width` must be an integer >= 0, got {width!r}.")
    h, w = x.shape[-2:]
    if 2 * width >= min(h, w):
        raise ValueError(f"`width` {width} leaves nothing of a {h}x{w} image.")
    if not 0 <= value <= 1:
        raise ValueError(f"`value` must be in [0, 1], got {value!r}.")
    out = x.clone()
    if width:
        out[:, :width], out[:, -width:] = value, value
        out[:, :, :width], out[:, :, -width:] = value, value
    return out
