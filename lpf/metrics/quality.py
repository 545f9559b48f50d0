r"""Image-quality metrics with named conventions: PSNR, SSIM, LPIPS, and the ℓ1/ℓ2 of Tables 4-5.

Super-resolution papers report PSNR and SSIM under two incompatible conventions, and the numbers
differ by about a decibel, so every call here names its convention (``preset``):

``"paper"``
    The official Table-1 script of the paper (``cal_metrcis_and_table.py``): RGB in [0, 1], no
    border crop, no rounding, torchmetrics' PSNR with ``data_range=1`` and torchmetrics' SSIM with
    its defaults (Gaussian window 11, :math:`\sigma = 1.5`, :math:`k_1 = 0.01`, :math:`k_2 = 0.03`,
    reflect padding of 5 pixels, mean over the whole map, ``data_range=None`` i.e. the larger of
    the two images' max - min). The script scored **one image at a time** and averaged the
    per-image values; here a batch ``(N, C, H, W)`` gives the ``N`` per-image values, each equal to
    torchmetrics called on that image alone (torchmetrics called on the whole batch would pool the
    squared errors, and the SSIM data range, over the batch instead). Computed in the input's
    floating dtype, operation for operation as torchmetrics does.
``"sr"``
    The BasicSR / EDSR convention of the SR literature: the images are first rounded to 8-bit levels
    (``round(clamp(x, 0, 1) * 255)``, half to even, as BasicSR's ``tensor2img``; exact .5 cases
    are vanishingly rare in float data), converted to the BT.601 luma of
    MATLAB's ``rgb2ycbcr``, :math:`Y = 16 + 65.481 R + 128.553 G + 24.966 B` (RGB in [0, 1], Y in
    [16, 235], not rounded, as BasicSR's ``to_y_channel``), cropped by ``scale`` pixels on every
    side, and compared in [0, 255]: :math:`\mathrm{PSNR} = 10\log_{10}(255^2/\mathrm{MSE})`, SSIM
    as BasicSR's ``calculate_ssim`` (Gaussian 11 x 11, :math:`\sigma = 1.5`, 'valid' filtering,
    :math:`C_1 = (0.01 \cdot 255)^2`, :math:`C_2 = (0.03 \cdot 255)^2`). One-channel images are
    used as they are. Float64 throughout. ``scale`` is required.

The ℓ1/ℓ2 metrics of the paper's Appendix G (Tables 4 and 5) are functions of their own
(:func:`l1`, :func:`l2`, :func:`l1_freq`, :func:`l2_freq`), with the FFT taken over the
``(C, H, W)`` axes of each image as in the official code. :func:`lpips` wraps torchmetrics'
LPIPS and never downloads: it raises :class:`MetricUnavailable` unless the backbone weights are
already on disk; :func:`metric_cell` turns that into an ``"unavailable"`` table cell.
"""

from __future__ import annotations

import difflib
import functools
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, NamedTuple

import torch
import torch.nn.functional as F  # noqa: N812

from lpf._checks import (
    LpfError,
    ShapeError,
    as_image_tensor,
    check_finite,
    check_range,
    check_same_shape,
    check_scale,
)

__all__ = [
    "border_crop",
    "l1",
    "l1_freq",
    "l2",
    "l2_freq",
    "lpips",
    "LPIPS_NETS",
    "lpips_weights",
    "LpipsWeights",
    "metric_cell",
    "MetricUnavailable",
    "Preset",
    "PRESETS",
    "psnr",
    "rgb_to_y",
    "ssim",
    "UNAVAILABLE",
]

Preset = Literal["paper", "sr"]

PRESETS: dict[str, str] = {
    "paper": "RGB in [0, 1], no crop, no rounding: torchmetrics PSNR (data_range=1) and SSIM "
    "(defaults), per image (the paper's Table 1)",
    "sr": "BasicSR/EDSR: 8-bit rounding, MATLAB BT.601 Y channel, crop `scale` pixels per side, "
    "[0, 255]",
}
"""The metric conventions: name -> one-line description."""

UNAVAILABLE = "unavailable"
"""The table cell :func:`metric_cell` writes for a metric that cannot be computed here."""

_Y_WEIGHTS = (65.481, 128.553, 24.966)


class MetricUnavailable(LpfError, RuntimeError):  # noqa: N818 (the name says what happened)
    """A metric cannot be computed on this machine (missing weights or package).

    Attributes:
        url: where the missing file can be downloaded from (``None`` for a missing package).
        path: where it must be placed (``None`` for a missing package).
    """

    def __init__(self, message: str, *, url: str | None = None, path: Path | None = None):
        super().__init__(message)
        self.url = url
        self.path = path


# ------------------------------------------------------------------------------- validation


def _check_preset(preset: str) -> str:
    if preset not in PRESETS:
        hint = difflib.get_close_matches(str(preset), list(PRESETS), n=1)
        did_you_mean = f" Did you mean {hint[0]!r}?" if hint else ""
        raise ValueError(
            f"`preset` must be one of {sorted(PRESETS)}, got {preset!r}.{did_you_mean}"
        )
    return preset


def _prepare_pair(
    pred: torch.Tensor, target: torch.Tensor, *, in_unit_range: bool
) -> tuple[torch.Tensor, torch.Tensor, bool]:
    """Validate a metric's arguments; return (N, C, H, W) tensors and whether input was 3-D."""
    pred = as_image_tensor(pred, "pred")
    target = as_image_tensor(target, "target")
    check_same_shape(pred, target, ("pred", "target"))
    if pred.dtype != target.dtype:
        dtype = torch.promote_types(pred.dtype, target.dtype)
        pred, target = pred.to(dtype), target.to(dtype)
    if pred.dtype in (torch.float16, torch.bfloat16):
        pred, target = pred.float(), target.float()
    if in_unit_range:
        check_range(pred, "pred")
        check_range(target, "target")
    else:
        check_finite(pred, "pred")
        check_finite(target, "target")
    single = pred.ndim == 3
    if single:
        pred, target = pred.unsqueeze(0), target.unsqueeze(0)
    return pred, target, single


def _result(values: torch.Tensor, single: bool) -> float | torch.Tensor:
    return float(values[0]) if single else values


def border_crop(x: torch.Tensor, border: int, name: str) -> torch.Tensor:
    """``x`` without ``border`` pixels on every side (the ``sr`` preset's crop, ``border = scale``).

    Raises:
        ShapeError: naming ``name`` when nothing would be left.
    """
    h, w = x.shape[-2:]
    if h <= 2 * border or w <= 2 * border:
        raise ShapeError(
            f"`{name}` of size {h}x{w} is too small for a border crop of {border} pixels per "
            "side (`scale`).",
            expected=f"H, W > {2 * border}",
            actual=tuple(x.shape),
        )
    return x[..., border : h - border, border : w - border] if border else x


def _sr_prepare(
    pred: torch.Tensor, target: torch.Tensor, scale: object
) -> tuple[torch.Tensor, torch.Tensor]:
    """The "sr" preset's preprocessing: 8-bit rounding, Y in [0, 255] (float64), border crop."""
    if scale is None:
        raise ValueError(
            "preset 'sr' crops `scale` pixels from every border: pass `scale` (the SR factor, "
            "an integer >= 1)."
        )
    border = check_scale(scale)
    out = []
    for x in (pred, target):
        x = torch.round(x.to(torch.float64).clamp(0, 1) * 255.0) / 255.0
        x = rgb_to_y(x) if x.shape[1] == 3 else x * 255.0
        out.append(x)
    return border_crop(out[0], border, "pred"), border_crop(out[1], border, "target")


def rgb_to_y(image: torch.Tensor) -> torch.Tensor:
    r"""The BT.601 luma of MATLAB's ``rgb2ycbcr``, in [16, 235], unrounded.

    .. math:: Y = 16 + 65.481 R + 128.553 G + 24.966 B, \quad R, G, B \in [0, 1]

    Args:
        image: RGB, float, ``(3, H, W)`` or ``(N, 3, H, W)``, in [0, 1].

    Returns:
        ``(1, H, W)`` or ``(N, 1, H, W)``, same dtype, values in [16, 235] (0-255 scale).

    Raises:
        ShapeError: ``image`` does not have 3 channels.

    Examples:
        >>> rgb_to_y(torch.ones(3, 1, 1)).flatten().tolist()
        [235.0]
    """
    image = as_image_tensor(image, "image")
    if image.shape[-3] != 3:
        raise ShapeError(
            f"`image` must have 3 (RGB) channels, got shape {tuple(image.shape)}.",
            expected="C == 3",
            actual=tuple(image.shape),
        )
    r, g, b = image.unbind(-3)
    y = 16.0 + _Y_WEIGHTS[0] * r + _Y_WEIGHTS[1] * g + _Y_WEIGHTS[2] * b
    return y.unsqueeze(-3)


# ------------------------------------------------------------------------------------- PSNR


def psnr(
    pred: torch.Tensor, target: torch.Tensor, *, preset: Preset = "paper", scale: int | None = None
) -> float | torch.Tensor:
    r"""Peak signal-to-noise ratio, in dB, under a named convention (see the module docstring).

    .. math:: \mathrm{PSNR} = 10 \log_{10} \frac{\mathrm{peak}^2}{\mathrm{MSE}}

    with peak 1 on RGB in [0, 1] (``"paper"``) or 255 on the cropped Y channel (``"sr"``).
    Identical images give ``inf``.

    Args:
        pred: the estimate, float ``(C, H, W)`` or ``(N, C, H, W)`` in [0, 1] (uint8 is divided by
            255).
        target: the reference, same shape.
        preset: ``"paper"`` (default) or ``"sr"``.
        scale: the SR factor; required by ``"sr"`` (border crop of ``scale`` pixels per side),
            unused by ``"paper"``.

    Returns:
        A ``float`` for a 3-D input; for a 4-D input a tensor ``(N,)`` of per-image values (the
        input's dtype for ``"paper"``, float64 for ``"sr"``). Average it for a table.

    Raises:
        ShapeError: shapes differ, are not 3-D/4-D, or are too small for the crop.
        RangeError: values outside [0, 1], NaN or inf.
        ValueError: unknown ``preset``, or ``"sr"`` without ``scale``.

    Examples:
        >>> target = torch.full((3, 8, 8), 0.5)
        >>> round(psnr(target + 0.1, target), 4)
        20.0
        >>> pred = torch.full((1, 3, 16, 16), 0.6)
        >>> psnr(pred, torch.full((1, 3, 16, 16), 0.5), preset="sr", scale=2)
        tensor([21.4939], dtype=torch.float64)
    """
    preset = _check_preset(preset)
    pred, target, single = _prepare_pair(pred, target, in_unit_range=True)
    if preset == "paper":
        if scale is not None:
            check_scale(scale)
        # torchmetrics: 2 log(data_range) - log(sse / n), times 10 / log(10); data_range = 1
        diff = pred - target
        sse = torch.pow(diff, 2).flatten(1).sum(dim=1)
        n_obs = torch.tensor(pred[0].numel(), device=pred.device)
        data_range = torch.tensor(1.0, dtype=pred.dtype, device=pred.device)
        base_e = 2 * torch.log(data_range) - torch.log(sse / n_obs)
        values = base_e * (10 / torch.log(torch.tensor(10.0)))
        return _result(values, single)
    y_pred, y_target = _sr_prepare(pred, target, scale)
    mse = torch.pow(y_pred - y_target, 2).flatten(1).mean(dim=1)
    values = 10.0 * torch.log10(255.0**2 / mse)
    return _result(values, single)


# ------------------------------------------------------------------------------------- SSIM


def _gaussian_1d(size: int, sigma: float, dtype: torch.dtype, device: torch.device) -> torch.Tensor:
    """The ``_gaussian`` of torchmetrics: normalised samples at -(size-1)/2 .. (size-1)/2."""
    dist = torch.arange((1 - size) / 2, (1 + size) / 2, 1, dtype=dtype, device=device)
    gauss = torch.exp(-torch.pow(dist / sigma, 2) / 2)
    return (gauss / gauss.sum()).unsqueeze(0)


#: up to this side, SSIM's 'valid' Gaussian filtering runs as two products with banded matrices
#: (``A_h @ x @ A_w.T``): ~20x the arithmetic of a direct 11-tap filter, but matrix products run
#: at BLAS speed, 3-4x faster than the grouped ``conv2d`` at 200x200 on this 2-core CPU; beyond it
#: the band's cost (linear in the side) loses, and the direct filters run.
BANDED_MAX_SIDE = 512


def _banded(n: int, taps: torch.Tensor) -> torch.Tensor:
    """The ``(n - k + 1, n)`` matrix of a 'valid' correlation with ``taps`` (``k`` values)."""
    k = taps.numel()
    rows = torch.arange(n - k + 1, device=taps.device)
    band = torch.zeros(n - k + 1, n, dtype=taps.dtype, device=taps.device)
    for i in range(k):
        band[rows, rows + i] = taps[i]
    return band


def _separable_valid(x: torch.Tensor, taps: torch.Tensor, direct) -> torch.Tensor:
    """'valid' filtering of ``x``'s last two dims with ``taps`` (x) ``taps``.

    Banded matrix products up to :data:`BANDED_MAX_SIDE`, else ``direct(x)`` (the preset's own
    direct filter); both give the same values to rounding.
    """
    h, w = x.shape[-2:]
    if max(h, w) > BANDED_MAX_SIDE:
        return direct(x)
    return _banded(h, taps) @ x @ _banded(w, taps).T


def _ssim_maps(
    pred: torch.Tensor,
    target: torch.Tensor,
    window: Callable[[torch.Tensor], torch.Tensor],
    c1: torch.Tensor | float,
    c2: torch.Tensor | float,
) -> torch.Tensor:
    """The SSIM map of (N, C, H, W) images; ``window`` filters each channel ('valid')."""
    batch = pred.shape[0]
    stacked = torch.cat((pred, target, pred * pred, target * target, pred * target))
    outputs = window(stacked).split(batch)
    mu_pred_sq = outputs[0].pow(2)
    mu_target_sq = outputs[1].pow(2)
    mu_pred_target = outputs[0] * outputs[1]
    sigma_pred_sq = torch.clamp(outputs[2] - mu_pred_sq, min=0.0)
    sigma_target_sq = torch.clamp(outputs[3] - mu_target_sq, min=0.0)
    sigma_pred_target = outputs[4] - mu_pred_target
    upper = 2 * sigma_pred_target + c2
    lower = sigma_pred_sq + sigma_target_sq + c2
    return ((2 * mu_pred_target + c1) * upper) / ((mu_pred_sq + mu_target_sq + c1) * lower)


def ssim(
    pred: torch.Tensor, target: torch.Tensor, *, preset: Preset = "paper", scale: int | None = None
) -> float | torch.Tensor:
    r"""Structural similarity (Wang et al. 2004) under a named convention (module docstring).

    .. math:: \mathrm{SSIM} = \operatorname{mean}
              \frac{(2\mu_p\mu_t + C_1)(2\sigma_{pt} + C_2)}
                   {(\mu_p^2 + \mu_t^2 + C_1)(\sigma_p^2 + \sigma_t^2 + C_2)}

    with local statistics under an 11 x 11 Gaussian window (:math:`\sigma = 1.5`),
    :math:`C_1 = (0.01 L)^2`, :math:`C_2 = (0.03 L)^2`. ``"paper"``: torchmetrics' defaults, reflect
    padding, all channels, ``L`` = the larger max - min of the two images (per image).
    ``"sr"``: BasicSR, Y channel in [0, 255], ``L = 255``, 'valid' filtering after the border crop.

    Args:
        pred: the estimate, float ``(C, H, W)`` or ``(N, C, H, W)`` in [0, 1].
        target: the reference, same shape.
        preset: ``"paper"`` (default) or ``"sr"``.
        scale: the SR factor; required by ``"sr"``, unused by ``"paper"``.

    Returns:
        A ``float`` for a 3-D input; a tensor ``(N,)`` of per-image values for a 4-D input.

    Raises:
        ShapeError: shapes differ, are not 3-D/4-D, or are smaller than the window (after the
            crop for ``"sr"``; ``"paper"`` needs H, W >= 6 for its reflect padding).
        RangeError: values outside [0, 1], NaN or inf.
        ValueError: unknown ``preset``, or ``"sr"`` without ``scale``.

    Examples:
        >>> x = torch.linspace(0, 1, 3 * 16 * 16).reshape(3, 16, 16)
        >>> ssim(x, x)
        1.0
        >>> round(ssim(x, x.flip(-1), preset="sr", scale=2), 4)
        0.9945
    """
    preset = _check_preset(preset)
    pred, target, single = _prepare_pair(pred, target, in_unit_range=True)
    if preset == "paper":
        if scale is not None:
            check_scale(scale)
        h, w = pred.shape[-2:]
        if h < 6 or w < 6:
            raise ShapeError(
                f"`pred` must be at least 6x6 for SSIM's reflect padding of 5, got {h}x{w}.",
                expected="H, W >= 6",
                actual=tuple(pred.shape),
            )
        n, channels = pred.shape[:2]
        dtype, device = pred.dtype, pred.device
        # torchmetrics: data_range = max(range(pred), range(target)), per image here
        p_flat, t_flat = pred.flatten(1), target.flatten(1)
        data_range = torch.maximum(
            p_flat.amax(1) - p_flat.amin(1), t_flat.amax(1) - t_flat.amin(1)
        ).reshape(n, 1, 1, 1)
        c1 = torch.pow(0.01 * data_range, 2)
        c2 = torch.pow(0.03 * data_range, 2)
        size = int(3.5 * 1.5 + 0.5) * 2 + 1  # torchmetrics' Gaussian size for sigma 1.5: 11
        g = _gaussian_1d(size, 1.5, dtype, device)
        kernel = torch.matmul(g.t(), g).expand(channels, 1, size, size)
        pad = (size - 1) // 2
        pred = F.pad(pred, (pad, pad, pad, pad), mode="reflect")
        target = F.pad(target, (pad, pad, pad, pad), mode="reflect")
        maps = _ssim_maps(
            pred, target,
            lambda x: _separable_valid(x, g[0], lambda y: F.conv2d(y, kernel, groups=channels)),
            c1, c2,
        )
        return _result(maps.reshape(n, -1).mean(-1), single)

    y_pred, y_target = _sr_prepare(pred, target, scale)
    h, w = y_pred.shape[-2:]
    if h < 11 or w < 11:
        raise ShapeError(
            f"`pred` after the border crop is {h}x{w}, smaller than SSIM's 11x11 window.",
            expected="H, W >= 11 after the crop",
            actual=tuple(y_pred.shape),
        )
    # cv2.getGaussianKernel(11, 1.5); the 11 x 11 window is separable: rows, then columns,
    # each as 11 shifted multiply-adds ('valid'), which is much faster than a float64 conv2d
    taps = _gaussian_1d(11, 1.5, torch.float64, y_pred.device)[0]
    g = taps.tolist()

    def shifted(x: torch.Tensor) -> torch.Tensor:
        for dim in (-1, -2):
            size = x.shape[dim] - len(g) + 1
            acc = g[0] * x.narrow(dim, 0, size)
            for k in range(1, len(g)):
                acc = acc + g[k] * x.narrow(dim, k, size)
            x = acc
        return x

    maps = _ssim_maps(y_pred, y_target, lambda x: _separable_valid(x, taps, shifted),
                      (0.01 * 255) ** 2, (0.03 * 255) ** 2)
    # BasicSR averages per channel then over channels: the same as the mean of all values here
    return _result(maps.flatten(1).mean(-1), single)


# ------------------------------------------------------------------------- Tables 4 and 5


def l1(pred: torch.Tensor, target: torch.Tensor) -> float | torch.Tensor:
    r"""ℓ1 in the image domain (paper Table 4): the mean absolute difference per image.

    .. math:: \ell_1 = \frac{1}{CHW}\sum |p - t|

    ``torch.nn.functional.l1_loss`` of each image, as in the official code.

    Args:
        pred: float ``(C, H, W)`` or ``(N, C, H, W)`` (any finite range; [0, 1] in the paper).
        target: same shape.

    Returns:
        A ``float`` for a 3-D input; a tensor ``(N,)`` for a 4-D input.

    Raises:
        ShapeError: shapes differ or are not 3-D/4-D.
        RangeError: NaN or inf.

    Examples:
        >>> l1(torch.zeros(3, 4, 4), torch.full((3, 4, 4), 0.25))
        0.25
    """
    pred, target, single = _prepare_pair(pred, target, in_unit_range=False)
    return _result((pred - target).abs().flatten(1).mean(1), single)


def l2(pred: torch.Tensor, target: torch.Tensor) -> float | torch.Tensor:
    r"""ℓ2 in the image domain (paper Table 5): the **sum** of squared differences per image.

    .. math:: \ell_2 = \sum (p - t)^2

    ``mse_loss(..., reduction="sum")`` of each image, as in the official code (no mean, so that
    it equals :func:`l2_freq` by Parseval's theorem).

    Args:
        pred: float ``(C, H, W)`` or ``(N, C, H, W)``.
        target: same shape.

    Returns:
        A ``float`` for a 3-D input; a tensor ``(N,)`` for a 4-D input.

    Raises:
        ShapeError: shapes differ or are not 3-D/4-D.
        RangeError: NaN or inf.

    Examples:
        >>> l2(torch.zeros(3, 4, 4), torch.full((3, 4, 4), 0.5))
        12.0
    """
    pred, target, single = _prepare_pair(pred, target, in_unit_range=False)
    return _result(torch.pow(pred - target, 2).flatten(1).sum(1), single)


def _fft_diff(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """fftn(target) - fftn(pred) over (C, H, W) of each image, as the official code."""
    dims = (-3, -2, -1)
    return torch.fft.fftn(target, dim=dims) - torch.fft.fftn(pred, dim=dims)


def l1_freq(pred: torch.Tensor, target: torch.Tensor) -> float | torch.Tensor:
    r"""ℓ1 in the frequency domain (paper Table 4): the mean modulus of the spectrum difference.

    .. math:: \ell_1^F = \frac{1}{CHW}\sum_{k} |\mathcal F[t]_k - \mathcal F[p]_k|

    where :math:`\mathcal F` is the unnormalised 3-D DFT over the ``(C, H, W)`` axes of each image
    (``torch.fft.fftn`` of the ``C x H x W`` tensor, as in the official code).

    Args:
        pred: float ``(C, H, W)`` or ``(N, C, H, W)``.
        target: same shape.

    Returns:
        A ``float`` for a 3-D input; a tensor ``(N,)`` for a 4-D input.

    Raises:
        ShapeError: shapes differ or are not 3-D/4-D.
        RangeError: NaN or inf.

    Examples:
        >>> l1_freq(torch.zeros(1, 4, 4), torch.full((1, 4, 4), 0.5))  # all energy in the DC term
        0.5
    """
    pred, target, single = _prepare_pair(pred, target, in_unit_range=False)
    return _result(_fft_diff(pred, target).abs().flatten(1).mean(1), single)


def l2_freq(pred: torch.Tensor, target: torch.Tensor) -> float | torch.Tensor:
    r"""ℓ2 in the frequency domain (paper Table 5): the spectral energy of the difference / M.

    .. math:: \ell_2^F = \frac{1}{M}\sum_{k} |\mathcal F[t]_k - \mathcal F[p]_k|^2, \quad M = CHW

    which equals :func:`l2` by Parseval's theorem (the paper's point in Table 5).

    Args:
        pred: float ``(C, H, W)`` or ``(N, C, H, W)``.
        target: same shape.

    Returns:
        A ``float`` for a 3-D input; a tensor ``(N,)`` for a 4-D input.

    Raises:
        ShapeError: shapes differ or are not 3-D/4-D.
        RangeError: NaN or inf.

    Examples:
        >>> l2_freq(torch.zeros(3, 4, 4), torch.full((3, 4, 4), 0.5))
        12.0
    """
    pred, target, single = _prepare_pair(pred, target, in_unit_range=False)
    spectrum = _fft_diff(pred, target)
    energy = (spectrum.real.pow(2) + spectrum.imag.pow(2)).flatten(1).sum(1)
    return _result(energy / pred[0].numel(), single)


# ------------------------------------------------------------------------------------ LPIPS

LPIPS_NETS: dict[str, tuple[str, str]] = {
    "squeeze": ("squeezenet1_1", "SqueezeNet1_1_Weights"),
    "alex": ("alexnet", "AlexNet_Weights"),
    "vgg": ("vgg16", "VGG16_Weights"),
}
"""LPIPS backbones: torchmetrics' ``net_type`` -> (torchvision model, torchvision weights enum)."""

# The torchvision ImageNet weights torchmetrics' LPIPS loads (their DEFAULT urls in torchvision).
_BACKBONE_URLS = {
    "squeeze": "https://download.pytorch.org/models/squeezenet1_1-b8a52dc0.pth",
    "alex": "https://download.pytorch.org/models/alexnet-owt-7be5be79.pth",
    "vgg": "https://download.pytorch.org/models/vgg16-397923af.pth",
}


class LpipsWeights(NamedTuple):
    """Where LPIPS' backbone weights come from and where torchvision looks for them."""

    url: str
    path: Path
    present: bool


def _check_net(net: str) -> str:
    if net not in LPIPS_NETS:
        raise ValueError(f"`net` must be one of {sorted(LPIPS_NETS)}, got {net!r}.")
    return net


def lpips_weights(net: str = "squeeze") -> LpipsWeights:
    """Locate the ImageNet backbone weights that torchmetrics' LPIPS needs, without loading them.

    torchvision (``torch.hub.load_state_dict_from_url``) reads them from
    ``<torch.hub.get_dir()>/checkpoints/<file name of the url>`` (``$TORCH_HOME/hub/checkpoints``,
    by default ``~/.cache/torch/hub/checkpoints``) and downloads them when the file is absent;
    this function only checks that the file exists. (The small LPIPS linear layers ship inside
    the torchmetrics package.)

    Args:
        net: ``"squeeze"`` (the paper's), ``"alex"`` or ``"vgg"``.

    Returns:
        An :class:`LpipsWeights` ``(url, path, present)``.

    Raises:
        ValueError: unknown ``net``.

    Examples:
        >>> w = lpips_weights("squeeze")
        >>> w.path.name, w.url.startswith("https://download.pytorch.org/models/")
        ('squeezenet1_1-b8a52dc0.pth', True)
    """
    net = _check_net(net)
    url = _BACKBONE_URLS[net]
    path = Path(torch.hub.get_dir()) / "checkpoints" / os.path.basename(url)
    return LpipsWeights(url=url, path=path, present=path.is_file())


@functools.lru_cache(maxsize=4)
def _lpips_module(net: str, path: str, mtime: float) -> torch.nn.Module:
    """The LPIPS network of torchmetrics, built once per backbone file (its weights are on disk)."""
    from torchmetrics.functional.image.lpips import _NoTrainLpips

    return _NoTrainLpips(net=net)


def lpips(
    pred: torch.Tensor,
    target: torch.Tensor,
    *,
    net: Literal["squeeze", "alex", "vgg"] = "squeeze",
    preset: Literal["paper", "standard"] = "paper",
) -> float | torch.Tensor:
    """LPIPS (Zhang et al. 2018) through torchmetrics, only if its weights are already here.

    Nothing is ever downloaded: when the backbone file named by :func:`lpips_weights` is absent,
    :class:`MetricUnavailable` is raised before torchvision could fetch it.

    Presets, for images in [0, 1]:

    * ``"paper"``: the images are passed to torchmetrics as they are, without ``normalize=True``,
      i.e. read as if they were in [-1, 1]: what the official Table-1 script did (Table 1's
      LPIPS values);
    * ``"standard"``: mapped to [-1, 1] first (torchmetrics' ``normalize=True``), the usual LPIPS.

    Args:
        pred: RGB, float ``(3, H, W)`` or ``(N, 3, H, W)`` in [0, 1].
        target: same shape.
        net: the backbone: ``"squeeze"`` (the paper's), ``"alex"`` or ``"vgg"``.
        preset: ``"paper"`` (default) or ``"standard"``.

    Returns:
        A ``float`` for a 3-D input; a tensor ``(N,)`` of per-image values for a 4-D input.
        Lower is better.

    Raises:
        MetricUnavailable: torchmetrics is not installed, or the backbone weights are not on disk
            (the message gives the url and the path to put the file at).
        ShapeError: shapes differ, are not 3-D/4-D, or do not have 3 channels.
        RangeError: values outside [0, 1], NaN or inf.
        ValueError: unknown ``net`` or ``preset``.

    Examples:
        >>> x = torch.rand(3, 64, 64)
        >>> try:
        ...     value = lpips(x, x)
        ... except MetricUnavailable as err:
        ...     value = str(err).startswith("LPIPS unavailable: needs")
        >>> bool(value == 0.0 or value is True)
        True
    """
    net = _check_net(net)
    if preset not in ("paper", "standard"):
        raise ValueError(f"`preset` must be one of ['paper', 'standard'], got {preset!r}.")
    pred, target, single = _prepare_pair(pred, target, in_unit_range=True)
    if pred.shape[1] != 3:
        raise ShapeError(
            f"`pred` must have 3 (RGB) channels for LPIPS, got shape {tuple(pred.shape)}.",
            expected="C == 3",
            actual=tuple(pred.shape),
        )
    weights = lpips_weights(net)
    if not weights.present:
        raise MetricUnavailable(
            f"LPIPS unavailable: needs weights from {weights.url} in {weights.path} "
            "(download that file there; lpf never downloads it).",
            url=weights.url,
            path=weights.path,
        )
    try:
        import torchmetrics.functional.image.lpips  # noqa: F401
    except ImportError as err:
        raise MetricUnavailable(
            "LPIPS unavailable: needs the torchmetrics package (pip install torchmetrics)."
        ) from err
    module = _lpips_module(net, str(weights.path), weights.path.stat().st_mtime)
    module = module.to(device=pred.device, dtype=pred.dtype)
    with torch.no_grad():
        values = module(pred, target, normalize=(preset == "standard")).reshape(-1)
    return _result(values, single)


# ------------------------------------------------------------------------------------ tables


def metric_cell(
    metric: Callable[..., float | torch.Tensor],
    *args: Any,
    fmt: str = ".3f",
    **kwargs: Any,
) -> str:
    """Compute a metric and format it for a table, or ``"unavailable"`` if it cannot be computed.

    Calls ``metric(*args, **kwargs)``; a tensor result is averaged (the per-image mean of a
    batch). Only :class:`MetricUnavailable` becomes the :data:`UNAVAILABLE` cell: every other
    error propagates.

    Args:
        metric: a metric function, e.g. :func:`psnr` or :func:`lpips`.
        *args: its positional arguments (``pred, target``).
        fmt: a format spec for the number, e.g. ``".2f"``.
        **kwargs: its keyword arguments (``preset=..., scale=...``).

    Returns:
        The formatted value, or ``"unavailable"``.

    Examples:
        >>> x = torch.full((3, 8, 8), 0.5)
        >>> metric_cell(psnr, x + 0.1, x, fmt=".2f")
        '20.00'
        >>> def missing(pred, target):
        ...     raise MetricUnavailable("LPIPS unavailable: needs weights")
        >>> metric_cell(missing, x, x)
        'unavailable'
    """
    try:
        value = metric(*args, **kwargs)
    except MetricUnavailable:
        return UNAVAILABLE
    if isinstance(value, torch.Tensor):
        value = float(value.double().mean())
    value = float(value)
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return format(value, fmt)
