r"""The computations behind the signal-processing figures (paper Figs. 2, 5-8, 11-13, 17, 18).

Every figure notebook calls into :mod:`lpf` and only plots; whatever a figure needs beyond one
library call lives here, small and tested (``tests/test_experiments.py``):

* **data and models** -- :func:`load_pairs` (the embedded photographs offline, a benchmark set
  such as DIV2K when present), :func:`crop_pair` (centre crops, so that a set can be stacked into
  one batch and the paper's size-dependent ``omega`` means one thing per batch) and
  :func:`super_resolve` (a zoo model on one image, no gradients, clipped);
* **Fig. 6** -- :func:`cross_width`, the half-width of the dark cross of the integrated spectrum,
  and :func:`energy_bandwidth`, the share of low frequencies that the cross is said to reflect;
* **Fig. 7** -- a frequency-domain steganography edit (:func:`embed_in_spectrum`,
  :func:`extract_from_spectrum`, calibrated to a target FSDS by :func:`strength_for_fsds`) and
  JPEG compression (:func:`jpeg_roundtrip`, matched by :func:`jpeg_quality_for_fsds`);
* **Fig. 8** -- :func:`sweep_lpf_cutoff` (PSNR/SSIM of sinc LPF super-resolution against the
  cutoff), :func:`moving_average` (the paper smooths with a window of 10), :func:`find_optimum`
  and :func:`is_unimodal`;
* **Figs. 11-13** -- :func:`sampling_demo`, sampling and ideal low-pass recovery of a 1-D
  band-limited signal, with and without aliasing;
* **Fig. 17** -- :func:`window_response` (main-lobe width and side-lobe level of a window);
* **Fig. 18** -- :func:`zero_insertion_check` (the spectrum of a zero-inserted image is the
  ``s x s`` tiling of the original's, so ``(s^2 - 1)/s^2`` of its energy sits in replicas).

Frequencies are in cycles/pixel (images) or cycles per sample (1-D signals and windows) unless a
function says otherwise; images are float tensors ``(C, H, W)`` or ``(N, C, H, W)`` in [0, 1].
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

import numpy as np
import torch

from lpf._checks import ShapeError, as_image_tensor, check_finite, check_range, check_scale

__all__ = [
    "CutoffSweep",
    "JpegMatch",
    "RankCorrelation",
    "Optimum",
    "PairSet",
    "SamplingDemo",
    "WindowResponse",
    "ZeroInsertionCheck",
    "crop_pair",
    "cross_width",
    "embed_in_spectrum",
    "evaluate_crops",
    "energy_bandwidth",
    "extract_from_spectrum",
    "find_optimum",
    "is_unimodal",
    "jpeg_quality_for_fsds",
    "jpeg_roundtrip",
    "kendall_tau",
    "load_pairs",
    "moving_average",
    "sampling_demo",
    "sinc_correlation",
    "spearman",
    "spearman_with_ci",
    "spectrum_band",
    "strength_for_fsds",
    "super_resolve",
    "sweep_lpf_cutoff",
    "window_response",
    "zero_insertion_check",
]

Band = tuple[float, float]


# ---------------------------------------------------------------------------------------------
# data


class PairSet(NamedTuple):
    """HR/LR pairs and the name of the set they came from.

    Attributes:
        dataset: ``"embedded"`` or the canonical benchmark-set name (e.g. ``"DIV2K-valid"``).
        pairs: the :class:`lpf.data.SRPair` objects, in order.
    """

    dataset: str
    pairs: list


def crop_pair(pair, lr_size: int | tuple[int, int]):
    """Centre-crop an :class:`lpf.data.SRPair` to an LR size, and its HR to match.

    The LR crop starts at ``((H - h) // 2, (W - w) // 2)``; the HR crop is the same region at
    ``scale`` times the resolution, so the pair stays aligned (the LR is cropped from the LR made
    from the whole HR image, not re-made from the HR crop).

    Args:
        pair: an :class:`lpf.data.SRPair` (``hr``, ``lr`` uint8 ``(H, W, C)``, ``scale``).
        lr_size: ``(h, w)`` of the LR crop, or one int for a square.

    Returns:
        A new :class:`lpf.data.SRPair` with ``lr`` of shape ``(h, w, C)`` and ``hr`` of shape
        ``(scale h, scale w, C)`` (contiguous copies).

    Raises:
        ShapeError: the LR image is smaller than ``lr_size``.
        ValueError: a non-positive size.

    Examples:
        >>> from lpf.data import load_embedded
        >>> p = crop_pair(load_embedded("camera", scale=2), 32)
        >>> p.lr.shape, p.hr.shape
        ((32, 32, 3), (64, 64, 3))
    """
    from lpf.data import SRPair

    h, w = (lr_size, lr_size) if isinstance(lr_size, int | np.integer) else tuple(lr_size)
    if h < 1 or w < 1:
        raise ValueError(f"`lr_size` must be positive, got {lr_size!r}.")
    big_h, big_w = pair.lr.shape[:2]
    if h > big_h or w > big_w:
        raise ShapeError(
            f"`lr_size` {(h, w)} is larger than the LR image {pair.name!r} ({big_h}x{big_w}).",
            expected=f"<= {(big_h, big_w)}",
            actual=(h, w),
        )
    y, x, s = (big_h - h) // 2, (big_w - w) // 2, pair.scale
    lr = np.ascontiguousarray(pair.lr[y : y + h, x : x + w])
    hr = np.ascontiguousarray(pair.hr[s * y : s * (y + h), s * x : s * (x + w)])
    return SRPair(name=pair.name, hr=hr, lr=lr, scale=s)


def load_pairs(
    dataset: str = "embedded",
    *,
    scale: int,
    names: Sequence[str] | None = None,
    lr_size: int | tuple[int, int] | None = None,
    limit: int | None = None,
    root: str | None = None,
) -> PairSet:
    """HR/LR pairs for an experiment: the embedded photographs, or a benchmark set if present.

    Args:
        dataset: ``"embedded"`` (the nine colour photographs shipped inside scikit-image, always
            offline), a benchmark-set name for :func:`lpf.data.load_set` (``"DIV2K-valid"``,
            ``"Set5"``, ...), or ``"auto"``: DIV2K validation when :func:`lpf.data.load_set`
            finds it locally, else the embedded set (nothing is downloaded).
        scale: the integer scale factor.
        names: the images to use (default: all of the set).
        lr_size: centre-crop every pair to this LR size (see :func:`crop_pair`).
        limit: use at most this many images (the first ones, in the set's order).
        root: a datasets folder for :func:`lpf.data.load_set`.

    Returns:
        :class:`PairSet` ``(dataset, pairs)``.

    Raises:
        lpf.data.DatasetNotFound: a named benchmark set is not on disk.
        KeyError: an unknown image name.

    Examples:
        >>> ps = load_pairs("embedded", scale=2, names=["chelsea"], lr_size=16)
        >>> ps.dataset, len(ps.pairs), ps.pairs[0].hr.shape
        ('embedded', 1, (32, 32, 3))
    """
    from lpf import data

    scale = check_scale(scale)
    if dataset == "auto":
        try:
            found = data.load_set("DIV2K-valid", scale=scale, root=root)
        except data.DatasetNotFound:
            found = None
        dataset = "DIV2K-valid" if found is not None else "embedded"
    if dataset == "embedded":
        chosen = list(names) if names is not None else data.embedded_images(include_grey=False)
        if limit is not None:
            chosen = chosen[:limit]
        pairs = [data.load_embedded(n, scale=scale) for n in chosen]
    else:
        image_set = data.load_set(dataset, scale=scale, root=root)
        dataset = image_set.name
        chosen = list(names) if names is not None else list(image_set.names)
        if limit is not None:
            chosen = chosen[:limit]
        pairs = [image_set.load(n) for n in chosen]
    if lr_size is not None:
        pairs = [crop_pair(p, lr_size) for p in pairs]
    return PairSet(dataset, pairs)


# ---------------------------------------------------------------------------------------------
# Fig. 6: the dark cross of the integrated spectrum


def cross_width(image: torch.Tensor | np.ndarray, *, level: float = 0.5) -> float:
    r"""Half-width of the dark cross of an image's integrated spectrum (paper Fig. 6), cycles/pixel.

    The integrated spectrum :math:`D` (:func:`lpf.fsds.integrated_spectrum`, the map behind
    FSDS, Eq. 11) accumulates the complex spectrum outward from the origin. Near the frequency
    axes it has summed over few frequencies and is small: the dark cross. Its width says how far
    from an axis the accumulation has to go before it reaches most of its final value, i.e. how
    the energy is spread across frequencies (the paper: outputs with fewer high frequencies have
    a narrower cross, a larger share of low frequencies).

    Measured here on :math:`|D|` averaged over channels: for each distance :math:`d` (in
    frequency bins) from the horizontal axis, the median of :math:`|D|` over the row(s) at
    :math:`\pm d` (all non-zero horizontal frequencies) gives a profile :math:`p_h(d)`, and the
    same over columns gives :math:`p_v(d)` from the vertical axis. Each profile is divided by its
    maximum; the half-width is the first :math:`d` with :math:`p(d) \ge` ``level``, converted to
    cycles/pixel (``d / H`` and ``d / W``). The result is the mean of the two.

    Args:
        image: ``(C, H, W)`` float image (or ``(H, W)``); normalised to zero mean and unit std
            by the integrated spectrum, so its range does not matter. ``H, W >= 4``.
        level: the fraction of the saturated value that ends the cross, in ``(0, 1]``.

    Returns:
        The half-width in cycles/pixel, in ``[0, 0.5]``.

    Raises:
        ValueError: ``level`` outside ``(0, 1]``.
        ShapeError: an image smaller than 4x4 or of the wrong rank.

    Examples:
        >>> g = torch.Generator().manual_seed(0)
        >>> noise = torch.rand(1, 64, 64, generator=g)
        >>> blur = torch.nn.functional.avg_pool2d
        >>> smooth = blur(noise[None], 5, 1, 2, count_include_pad=False)[0]
        >>> cross_width(smooth) < cross_width(noise)
        True
    """
    from lpf.fsds import integrated_spectrum

    if not 0 < level <= 1:
        raise ValueError(f"`level` must be in (0, 1], got {level}.")
    x = as_image_tensor(image, "image", ndims=(2, 3))
    if x.ndim == 2:
        x = x[None]
    h, w = x.shape[-2:]
    if h < 4 or w < 4:
        raise ShapeError(
            f"`image` must be at least 4x4 for a cross width, got {h}x{w}.",
            expected="H, W >= 4",
            actual=tuple(x.shape),
        )
    m = integrated_spectrum(x.to(torch.float64)).magnitude_map().mean(axis=0)  # (H', W//2+1)
    centre = m.shape[0] // 2
    rows = np.array(
        [np.median(np.concatenate([m[centre + d, 1:], m[centre - d, 1:]])) for d in range(centre)]
    )
    cols = np.median(m[np.arange(m.shape[0]) != centre], axis=0)
    widths = []
    for profile, n in ((rows, m.shape[0]), (cols, w)):
        profile = profile / profile.max()
        widths.append(int(np.argmax(profile >= level)) / n)
    return float(np.mean(widths))


def energy_bandwidth(image: torch.Tensor | np.ndarray, *, fraction: float = 0.99) -> float:
    r"""The radial frequency below which a given fraction of an image's spectral energy lies.

    .. math:: f_q = \min\Big\{f : \sum_{r(k) \le f} P(k) \ge q \sum_k P(k)\Big\}

    with :math:`P` the power spectrum of the image with its mean removed (summed over channels;
    :func:`lpf.spectra.power_spectrum`), :math:`r` the radius in cycles/pixel on the rings of
    :func:`lpf.spectra.radial_profile` (up to the Nyquist frequency 0.5) and :math:`q` =
    ``fraction``. A low-passed image (bicubic, a sinc LPF) has a small :math:`f_{0.99}`; an
    image with replicas (nearest) or real detail (HR) a large one. This is the "share of low
    frequencies" that the width of the dark cross of paper Fig. 6 is said to reflect.

    Args:
        image: ``(C, H, W)`` or ``(H, W)``, not constant.
        fraction: :math:`q` in ``(0, 1]``.

    Returns:
        :math:`f_q` in cycles/pixel, in ``[0, 0.5]``.

    Raises:
        ValueError: ``fraction`` outside ``(0, 1]`` or a constant image.

    Examples:
        >>> y, x = torch.meshgrid(torch.arange(64.0), torch.arange(64.0), indexing="ij")
        >>> energy_bandwidth(torch.cos(2 * math.pi * 0.125 * x)[None])
        0.125
    """
    from lpf.spectra import power_spectrum, radial_profile

    if not 0 < fraction <= 1:
        raise ValueError(f"`fraction` must be in (0, 1], got {fraction}.")
    x = as_image_tensor(image, "image", ndims=(2, 3)).to(torch.float64)
    x = x - x.mean(dim=(-2, -1), keepdim=True)
    power = power_spectrum(x)
    if x.ndim == 3:
        power = power.sum(dim=0)
    profile = radial_profile(power, max_frequency="nyquist", reduction="sum")
    cumulative = torch.cumsum(profile.values, dim=0)
    total = float(power.sum())
    if total == 0:
        raise ValueError("`image` is constant: it has no spectral energy besides its mean.")
    index = int(torch.nonzero(cumulative >= fraction * float(cumulative[-1]))[0])
    return float(profile.frequency[index])


# ---------------------------------------------------------------------------------------------
# Fig. 7: steganography and JPEG


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
        >>> from lpf.fsds import fsds
        >>> round(float(fsds(embed_in_spectrum(x, [1, 0], strength=s, band=(0.0, 0.2)), x)), 3)
        30.0
    """
    from lpf.fsds import fsds

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


def jpeg_roundtrip(image: torch.Tensor, quality: int) -> torch.Tensor:
    """Compress an image to JPEG in memory with Pillow and decode it again.

    The image is quantised to 8 bits (:func:`lpf.data.to_numpy`) and encoded with Pillow's
    defaults at ``quality`` (the IJG quantisation tables scaled by the quality, 4:2:0 chroma
    subsampling for colour), then decoded back to float.

    Args:
        image: ``(C, H, W)`` float in [0, 1], ``C`` 1 or 3.
        quality: the JPEG quality, an integer in [1, 100].

    Returns:
        The decoded image, ``(C, H, W)`` in [0, 1], the input's dtype.

    Raises:
        ValueError: ``quality`` outside [1, 100].
        ShapeError: not ``(C, H, W)`` with 1 or 3 channels.
        RangeError: values outside [0, 1].

    Examples:
        >>> x = torch.rand(3, 16, 16)
        >>> y = jpeg_roundtrip(x, 90)
        >>> err_10 = jpeg_roundtrip(x, 10).sub(x).abs().mean()
        >>> y.shape, y.dtype, bool(err_10 > y.sub(x).abs().mean())
        (torch.Size([3, 16, 16]), torch.float32, True)
    """
    from PIL import Image

    from lpf.data import to_numpy, to_tensor

    if isinstance(quality, bool) or not isinstance(quality, int | np.integer):
        raise TypeError(f"`quality` must be an integer in [1, 100], got {quality!r}.")
    if not 1 <= quality <= 100:
        raise ValueError(f"`quality` must be in [1, 100], got {quality}.")
    x = _check_unit_image(image, "image")
    if x.shape[0] not in (1, 3):
        raise ShapeError(
            f"`image` must have 1 or 3 channels for JPEG, got {x.shape[0]}.",
            expected="C in (1, 3)",
            actual=tuple(x.shape),
        )
    array = to_numpy(x)
    pil = Image.fromarray(array[..., 0] if array.shape[-1] == 1 else array)
    buffer = io.BytesIO()
    pil.save(buffer, format="JPEG", quality=int(quality))
    decoded = np.asarray(Image.open(io.BytesIO(buffer.getvalue())))
    return to_tensor(decoded, dtype=x.dtype).to(x.device)


class JpegMatch(NamedTuple):
    """The JPEG quality whose FSDS is closest to a target.

    Attributes:
        quality: the JPEG quality.
        fsds: FSDS of the compressed image against the original, dB.
    """

    quality: int
    fsds: float


def jpeg_quality_for_fsds(
    image: torch.Tensor, *, target_fsds: float, qualities: Iterable[int] = range(1, 101)
) -> JpegMatch:
    """Scan JPEG qualities and return the one whose FSDS is closest to ``target_fsds``.

    FSDS is not monotone in the JPEG quality (block artefacts at low frequencies come and go),
    so every quality is tried.

    Args:
        image: ``(C, H, W)`` float in [0, 1], 1 or 3 channels.
        target_fsds: the FSDS to match, dB.
        qualities: the qualities to try.

    Returns:
        :class:`JpegMatch` ``(quality, fsds)``.

    Raises:
        ValueError: no qualities given, or one outside [1, 100].

    Examples:
        >>> x = torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0))
        >>> jpeg_quality_for_fsds(x, target_fsds=1000.0, qualities=[10, 95]).quality
        95
    """
    from lpf.fsds import fsds

    best: JpegMatch | None = None
    for q in qualities:
        value = float(fsds(jpeg_roundtrip(image, int(q)), image))
        if best is None or abs(value - target_fsds) < abs(best.fsds - target_fsds):
            best = JpegMatch(int(q), value)
    if best is None:
        raise ValueError("`qualities` is empty.")
    return best


# ---------------------------------------------------------------------------------------------
# Fig. 8: the cutoff sweep


class CutoffSweep(NamedTuple):
    """PSNR and SSIM of sinc LPF super-resolution at each cutoff, per image.

    Attributes:
        cutoffs: the cutoffs swept, ``(K,)`` (cycles per LR pixel, or the paper's ``omega``).
        psnr: dB, ``(N, K)`` (image, cutoff); "paper" preset (RGB, no crop).
        ssim: ``(N, K)``, or ``None`` when not computed; "paper" preset.
        names: the image names, ``(N,)``.
    """

    cutoffs: np.ndarray
    psnr: np.ndarray
    ssim: np.ndarray | None
    names: list


def sweep_lpf_cutoff(
    pairs: Sequence,
    cutoffs: Sequence[float] | np.ndarray,
    *,
    scale: int,
    mode: Literal["principled", "paper"] = "principled",
    ssim: bool = True,
) -> CutoffSweep:
    r"""Super-resolve every pair with a sinc low-pass filter at every cutoff; PSNR/SSIM against HR.

    ``mode="principled"`` runs :func:`lpf.lpfsr.lpf_sr` with ``cutoff`` in cycles per LR pixel
    (0.5 is ideal, independent of the image size); ``mode="paper"`` runs
    :func:`lpf.lpfsr.lpf_sr_paper` with the official ``omega``, whose meaning scales with the
    image size (``omega = 2 (H//2) cutoff``; PAPER.md open question 2). Outputs are clipped to
    [0, 1] and scored with :func:`lpf.metrics.psnr` and :func:`lpf.metrics.ssim` (the "paper"
    preset: RGB, no border crop), in float32. Pairs of equal size are processed as one batch.

    Args:
        pairs: :class:`lpf.data.SRPair` objects at ``scale``.
        cutoffs: the cutoffs (principled) or omegas (paper), ``(K,)``.
        scale: the integer scale factor of the pairs.
        mode: ``"principled"`` or ``"paper"``.
        ssim: also compute SSIM (the slow part); ``False`` leaves ``ssim=None``.

    Returns:
        :class:`CutoffSweep` with per-image rows in the order of ``pairs``.

    Raises:
        ValueError: unknown mode, no pairs or cutoffs, a pair at another scale.

    Examples:
        >>> ps = load_pairs("embedded", scale=2, names=["chelsea"], lr_size=24).pairs
        >>> sw = sweep_lpf_cutoff(ps, [0.1, 0.5, 1.5], scale=2, ssim=False)
        >>> sw.psnr.shape, int(sw.psnr[0].argmax())
        ((1, 3), 1)
    """
    from lpf import lpfsr, metrics

    scale = check_scale(scale)
    if mode not in ("principled", "paper"):
        raise ValueError(f"`mode` must be 'principled' or 'paper', got {mode!r}.")
    grid = np.asarray(cutoffs, dtype=np.float64).reshape(-1)
    if grid.size == 0 or len(pairs) == 0:
        raise ValueError("`pairs` and `cutoffs` must not be empty.")
    for p in pairs:
        if p.scale != scale:
            raise ValueError(f"pair {p.name!r} has scale {p.scale}, expected {scale}.")
    psnr = np.empty((len(pairs), grid.size))
    ssim_values = np.empty((len(pairs), grid.size)) if ssim else None
    groups: dict[tuple[int, ...], list[int]] = {}
    for i, p in enumerate(pairs):
        groups.setdefault(tuple(p.lr.shape), []).append(i)
    for indices in groups.values():
        hr = torch.stack([pairs[i].tensors()[0] for i in indices])
        lr = torch.stack([pairs[i].tensors()[1] for i in indices])
        for k, c in enumerate(grid):
            if mode == "principled":
                sr = lpfsr.lpf_sr(lr, scale, cutoff=float(c))
            else:
                sr = lpfsr.lpf_sr_paper(lr, scale, float(c))
            sr = sr.clamp(0.0, 1.0)
            psnr[indices, k] = metrics.psnr(sr, hr).double().numpy()
            if ssim_values is not None:
                ssim_values[indices, k] = metrics.ssim(sr, hr).double().numpy()
    return CutoffSweep(grid, psnr, ssim_values, [p.name for p in pairs])


def super_resolve(
    model, image: torch.Tensor, *, scale: int | None = None, device: str = "cpu"
) -> torch.Tensor:
    """Run a model of :mod:`lpf.zoo` on one image without gradients; clip the result to [0, 1].

    Args:
        model: a registry name for :func:`lpf.zoo.load_model` (``"bicubic-matlab"``,
            ``"sinc-lpf"``, ``"edsr-liif"``, ...) or a loaded :class:`lpf.zoo.SRModel`.
        image: ``(3, H, W)`` float RGB in [0, 1].
        scale: the scale factor (required with a name).
        device: where to run (``"cpu"`` or ``"cuda"``).

    Returns:
        ``(3, sH, sW)`` float in [0, 1], on the CPU, the input's dtype.

    Raises:
        ValueError: a model name without ``scale``.
        ShapeError: not a ``(3, H, W)`` image.

    Examples:
        >>> super_resolve("nearest", torch.rand(3, 4, 5), scale=2).shape
        torch.Size([3, 8, 10])
    """
    from lpf import zoo

    x = as_image_tensor(image, "image", ndims=(3,))
    if isinstance(model, str):
        if scale is None:
            raise ValueError(f"`scale` is required to load the model {model!r} by name.")
        model = zoo.load_model(model, scale=check_scale(scale), device=device)
    with torch.no_grad():
        out = model(x[None].to(device=device, dtype=torch.float32))[0]
    return out.clamp(0.0, 1.0).cpu().to(x.dtype)


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


# ---------------------------------------------------------------------------------------------
# Figs. 11-13: sampling, recovery, aliasing


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


# ---------------------------------------------------------------------------------------------
# Fig. 17: windows


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

    The periodic ("DFT-even") window of :func:`lpf.kernels.window` with ``n`` samples is
    zero-padded to ``n * oversample`` points and transformed. The main lobe ends at the first
    local minimum of :math:`|W|` (the first null); the side-lobe level is the maximum of
    :math:`|W|` beyond it. The network impulse responses of the paper look like windowed sincs
    whose window can be guessed from this ratio of main-lobe peak to first side lobe (Appx. E).

    Reference values (``n = 64``, periodic): rectangular 2 bins / -13.3 dB, Hann 4 / -31.5 dB,
    Hamming 4 / -42.5 dB, Blackman 6 / -58.1 dB, Bartlett 4 / -26.5 dB, Kaiser (beta 8)
    5.5 / -58.8 dB.

    Args:
        name: a window name of :data:`lpf.kernels.WINDOWS`.
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
    from lpf.kernels import window

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


# ---------------------------------------------------------------------------------------------
# Fig. 18: zero insertion


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
    from lpf.spectra import zero_insert

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


# ---------------------------------------------------------------------------------------------
# Tables 1, 4-5 and ext01: evaluation on centre crops, rank agreement, sinc-likeness vs quality


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
    import itertools

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


def sinc_correlation(response: torch.Tensor | np.ndarray, *, scale: int) -> float:
    r"""Correlation of an impulse response with the ideal separable sinc on the same grid.

    The response of an impulse in the centre pixel ``c = L // (2 s)`` of an ``L / s`` LR image
    is compared (Pearson, after removing the means) with :math:`\operatorname{sinc}(u)
    \operatorname{sinc}(v)`, :math:`u = (i + 1/2)/s - (c + 1/2)` (``align_corners=False``
    geometry, cutoff ``1/(2 s)`` cycles per HR pixel), as :func:`lpf.train.impulse_check` does.

    Args:
        response: ``(L, L)`` or ``(C, L, L)`` impulse response (channel mean taken), ``L``
            divisible by ``scale``.
        scale: the upscaling factor ``s``.

    Returns:
        The correlation in [-1, 1]; 1 for the ideal sinc.

    Raises:
        ShapeError: not a square 2-D/3-D response with a side divisible by ``scale``.

    Examples:
        >>> u = (torch.arange(44, dtype=torch.float64) + 0.5) / 4 - 5.5
        >>> sinc_correlation(torch.outer(torch.sinc(u), torch.sinc(u)), scale=4)
        1.0
    """
    s = check_scale(scale)
    h = torch.as_tensor(np.asarray(response) if isinstance(response, np.ndarray) else response)
    h = h.detach().to(torch.float64).cpu()
    if h.ndim == 3:
        h = h.mean(0)
    if h.ndim != 2 or h.shape[0] != h.shape[1] or h.shape[0] % s:
        raise ShapeError(f"`response` must be (L, L) or (C, L, L) with L divisible by {s}, got "
                         f"{tuple(h.shape)}.", expected="(C, L, L)", actual=tuple(h.shape))
    n = h.shape[0] // s
    u = (torch.arange(h.shape[0], dtype=torch.float64) + 0.5) / s - (n // 2 + 0.5)
    sinc = torch.outer(torch.sinc(u), torch.sinc(u))
    a, b = h - h.mean(), sinc - sinc.mean()
    denom = float(a.norm() * b.norm())
    return round(float((a * b).sum()) / denom, 12) if denom > 0 else math.nan


def _supports(model: object, scale: int) -> bool:
    from lpf import zoo

    if not isinstance(model, str):
        return True
    spec = zoo.MODELS[model] if model in zoo.MODELS else None
    return spec is None or spec.scales is None or scale in spec.scales


def evaluate_crops(
    models: Sequence[object],
    dataset: str = "embedded",
    *,
    scales: Sequence[int] = (4,),
    hr_size: int | None = None,
    limit: int | None = None,
    presets: Sequence[str] = ("paper", "sr"),
    root: str | None = None,
    cache: bool = True,
    device: str = "cpu",
    progress: bool = False,
):
    """:func:`lpf.evaluate.evaluate` on HR centre crops, each model run once for all presets.

    Every model is run once per (scale, image) and its outputs are written as 8-bit PNGs into
    ``<cache_dir>/sr_outputs/<dataset tag>/<model>/x<s>/<image>x<s>.png`` (as the paper's
    published outputs are), then evaluated as :class:`lpf.evaluate.SRFolder` s in each preset,
    so a second preset or a re-run costs only the metrics (or nothing, with the evaluation
    cache). A zoo name that does not support a scale is skipped there (a "–" cell);
    :class:`~lpf.evaluate.SRFolder` models are evaluated as they are.

    Args:
        models: zoo names, or :class:`lpf.evaluate.SRFolder` s (full-size images: use with
            ``hr_size=None``).
        dataset: as in :func:`load_pairs` (``"auto"``, ``"embedded"``, a benchmark name).
        scales: integer scales.
        hr_size: side of the HR centre crop (the LR crop is ``hr_size // s``; must be divisible
            by every scale), or ``None`` for whole images (cropped to a multiple of the scale).
        limit: at most this many images.
        presets: metric presets (``"paper"``, ``"sr"``).
        root: datasets folder for :func:`lpf.data.load_set`.
        cache: reuse SR outputs and per-image metrics on disk.
        device: where the models run.
        progress: progress bars.

    Returns:
        ``{preset: Evaluation}``, each over all scales, with ``dataset`` set to the set's name
        (plus ``-hr<size>`` when cropped).

    Raises:
        ValueError: ``hr_size`` not divisible by a scale, or an unknown preset.
        lpf.data.DatasetNotFound: the named set is not on disk.

    Examples:
        >>> ev = evaluate_crops(["nearest"], "embedded", scales=[2], hr_size=16, limit=1,
        ...                     presets=["paper"], cache=False)
        >>> ev["paper"].dataset, ev["paper"].models(), len(ev["paper"].rows)
        ('embedded-hr16', ['nearest'], 1)
    """
    import hashlib
    import tempfile
    from pathlib import Path

    from lpf import zoo
    from lpf._paths import cache_dir
    from lpf.data import to_numpy, write_image
    from lpf.evaluate import METRICS, Evaluation, SRFolder, _model_key, evaluate

    for preset in presets:
        if preset not in METRICS:
            raise ValueError(f"unknown preset {preset!r}; choose from {', '.join(METRICS)}.")
    scales = [check_scale(s) for s in scales]
    if hr_size is not None:
        bad = [s for s in scales if hr_size % s]
        if bad:
            raise ValueError(f"`hr_size` {hr_size} is not divisible by the scale(s) {bad}.")
    tmp = None
    base = cache_dir() / "sr_outputs" if cache else Path(tmp := tempfile.mkdtemp())
    rows: dict[str, list] = {p: [] for p in presets}
    notes: dict[str, list] = {p: [] for p in presets}
    name = None
    for scale in scales:
        ps = load_pairs(dataset, scale=scale, root=root, limit=limit,
                        lr_size=None if hr_size is None else hr_size // scale)
        name = ps.dataset + ("" if hr_size is None else f"-hr{hr_size}")
        pairs = ps.pairs
        digest = hashlib.sha256()
        for p in pairs:
            digest.update(p.name.encode() + p.lr.tobytes())
        tag = f"{name}-{digest.hexdigest()[:12]}"
        folders = []
        for spec in models:
            if isinstance(spec, SRFolder):
                folders.append(spec)
                continue
            if not _supports(spec, scale):
                continue
            model = zoo.load_model(spec, scale=scale, device=device) if isinstance(spec, str) \
                else spec
            mname, key = _model_key(model, scale)
            folder = base / tag / key
            out = folder / f"x{scale}"
            for p in pairs:
                path = out / f"{p.name}x{scale}.png"
                if not path.is_file():
                    _, lr = p.tensors()
                    with torch.no_grad():
                        sr = model(lr[None].to(device))[0].float().cpu().clamp(0, 1)
                    write_image(path, to_numpy(sr))
            folders.append(SRFolder(folder, name=mname))
        for preset in presets:
            ev = evaluate(folders, [p for p in pairs], scales=[scale], preset=preset,
                          cache=cache, progress=progress)
            rows[preset] += ev.rows
            notes[preset] += [n for n in ev.notes if n not in notes[preset]]
    if tmp is not None:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return {p: Evaluation(rows=rows[p], metrics=tuple(METRICS[p]), preset=p, dataset=name or "",
                          notes=notes[p]) for p in presets}
