"""TODO docstring."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch

from lpf._checks import ShapeError, as_image_tensor, check_range
from lpf.metrics.frequency import fsds

__all__ = [
    "Band",
    "embed_in_spectrum",
    "extract_from_spectrum",
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


