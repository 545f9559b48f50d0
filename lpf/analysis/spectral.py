"""TODO docstring."""

from __future__ import annotations

import numpy as np
import torch

from lpf._checks import ShapeError, as_image_tensor
from lpf.metrics.frequency import integrated_spectrum
from lpf.signal.spectra import power_spectrum, radial_profile

__all__ = [
    "cross_width",
    "energy_bandwidth",
]


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
        >>> import math
        >>> y, x = torch.meshgrid(torch.arange(64.0), torch.arange(64.0), indexing="ij")
        >>> energy_bandwidth(torch.cos(2 * math.pi * 0.125 * x)[None])
        0.125
    """
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
