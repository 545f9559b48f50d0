r"""Impulse responses of SR networks and what they say (paper Sec. 4.1, 5.2, Figs. 1, 9, 15).

An SR network :math:`N` maps a low-resolution (LR) image to one ``s`` times larger. Feeding it an
impulse (one bright pixel on a constant background) and recording the output gives its *impulse
response*; for a linear, shift-invariant upsampler it is the kernel of Eq. 7,
:math:`H(I) = I * H(\delta)`, and for ``l1``/``l2``-trained networks it looks like a windowed
sinc, the ideal low-pass filter (the "sinc phenomenon").

Conventions used throughout:

* **Geometry.** The impulse image is ``size x size`` LR pixels (default 11), the impulse at LR
  pixel ``position = (row, col)`` (default the centre, ``(size // 2, size // 2)``). The response is
  the model's whole output, ``(C, s*size, s*size)`` HR pixels. Its **origin** (the HR pixel that
  corresponds to the impulse's LR pixel, i.e. offset 0 of the kernel) is ``(s*row, s*col)``: the
  top-left pixel of the impulse's ``s x s`` block. A network whose HR pixel centres follow the usual
  ``align_corners=False`` convention has its peak at ``s*row + (s - 1)/2``, between pixels for even
  ``s``; no centre is ever assumed, the origin convention is all :func:`lpf.hyra.hyra` needs.
* **Raw values.** Responses are returned as the model computes them, unclamped (negative side lobes
  kept), divided by the impulse amplitude, with the model's response to the plain background
  subtracted (``subtract_background=True``): the impulse response of the model's linearisation at
  that background. The paper's display protocol (P-IR: 11x11, pixel (5, 5) = 1, no subtraction,
  clamped to [0, 1]) is :func:`impulse_response_paper`.
* **Evaluation.** The model runs in eval mode (each submodule's mode is restored afterwards,
  whatever it was), without gradients, on the model's device and dtype (those of its first floating
  parameter or buffer; ``device``/``dtype`` arguments override; a parameter-free model runs in
  float32 on the CPU by default). All impulses of one call go through the model as one batch.
* **Receptive field.** The window must contain the response: the model's receptive field radius, in
  LR pixels, must not exceed ``min(position, size - 1 - position)`` (5 for the default), or the
  measured response is truncated and, for networks with zero padding in several layers, altered.
  Use a larger ``size`` for large receptive fields.
* **Frequencies** are in cycles per HR pixel: the LR Nyquist frequency, the ideal cutoff of an
  ``s``-times upsampler, is ``1 / (2 s)``.

Diagnostics (each a frozen dataclass with ``to_dict()`` for JSON):

* :func:`linearity`: amplitude and operating-point (background) dependence of the response.
* :func:`shift_invariance`: the response of a moved impulse, moved back, against the reference.
* :func:`dc_gain`: the response's sum relative to ``s**2`` and its spread over sub-pixel phases.
* :func:`sinc_likeness`: main-lobe width, first side lobe, best-fitting windowed sinc.
* :func:`frequency_response`: 2-D magnitude, radial and axial profiles, -3 dB / -6 dB cutoffs.
* :func:`diagnose`: all of them for one model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from lpf._checks import check_finite, check_scale
from lpf.analysis._base import (
    Model,
    ToDict,
    as_response,
    check_divisible,
    check_number,
    check_position,
    check_size,
    jsonable,
    placement,
    run_model,
)
from lpf.signal import spectra

__all__ = [
    "dc_gain",
    "DCGain",
    "frequency_response",
    "impulse_image",
    "impulse_response",
    "impulse_response_matrix",
    "impulse_response_paper",
    "measure",
    "ResponseSpectrum",
]


# ---------------------------------------------------------------------------------------------
# helpers


# ---------------------------------------------------------------------------------------------
# impulse images and responses


def impulse_image(
    size: int = 11,
    *,
    position: int | Sequence[int] | None = None,
    amplitude: float = 1.0,
    background: float = 0.0,
    channels: int = 3,
    dtype: torch.dtype = torch.float32,
    device: torch.device | str | None = None,
) -> torch.Tensor:
    r"""A constant image with one pixel raised: the discrete impulse :math:`b + a\,\delta`.

    .. math:: I[c, i, j] = b + a\,[\,(i, j) = (r_0, c_0)\,]

    With the defaults this is the paper's P-IR input (Fig. 1; Sec. 5.2): 11x11, pixel (5, 5) = 1 in
    every channel, 0 elsewhere.

    Args:
        size: side length in pixels, >= 1.
        position: ``(row, col)`` of the impulse (an int sets both); default the centre
            ``(size // 2, size // 2)``.
        amplitude: the impulse height :math:`a` above the background.
        background: the constant :math:`b` everywhere else.
        channels: number of channels; the impulse is in all of them.
        dtype: floating dtype (default float32).
        device: device of the result.

    Returns:
        A tensor ``(channels, size, size)``.

    Raises:
        ValueError: ``size < 1``, ``channels < 1`` or ``position`` outside the image.
        TypeError: non-integer ``size``/``position`` or non-numeric values.

    Examples:
        >>> x = impulse_image()
        >>> x.shape, float(x.sum()), x[:, 5, 5].tolist()
        (torch.Size([3, 11, 11]), 3.0, [1.0, 1.0, 1.0])
        >>> impulse_image(5, position=(0, 4), amplitude=0.5, background=0.25, channels=1)[0, 0]
        tensor([0.2500, 0.2500, 0.2500, 0.2500, 0.7500])
    """
    size = check_size(size)
    row, col = check_position(position, size)
    amplitude = check_number(amplitude, "amplitude")
    background = check_number(background, "background")
    if isinstance(channels, bool) or not isinstance(channels, int | np.integer) or channels < 1:
        raise ValueError(f"`channels` must be an integer >= 1, got {channels!r}.")
    image = torch.full((int(channels), size, size), background, dtype=dtype, device=device)
    image[:, row, col] += amplitude
    return image


def _impulse_batch(
    size: int,
    position: tuple[int, int],
    amplitude: float,
    background: float,
    channels: int,
    *,
    per_channel: bool,
    dtype: torch.dtype,
    device: torch.device,
) -> torch.Tensor:
    """[background, impulse in all channels] or [background, impulse in channel 0, 1, ...]."""
    base = torch.full((channels, size, size), background, dtype=dtype, device=device)
    images = [base]
    if per_channel:
        for c in range(channels):
            img = base.clone()
            img[c, position[0], position[1]] += amplitude
            images.append(img)
    else:
        img = base.clone()
        img[:, position[0], position[1]] += amplitude
        images.append(img)
    return torch.stack(images)


def measure(
    model: Model,
    *,
    scale: int,
    size: int,
    amplitude: float,
    background: float,
    position: int | Sequence[int] | None,
    subtract_background: bool,
    channels: int,
    per_channel: bool,
    device: torch.device | str | None,
    dtype: torch.dtype | None,
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """(responses (K, C', L, L), the background's output (C', L, L) or None), one batch."""
    scale = check_scale(scale)
    size = check_size(size)
    pos = check_position(position, size)
    amplitude = check_number(amplitude, "amplitude", nonzero=True)
    background = check_number(background, "background")
    if isinstance(channels, bool) or not isinstance(channels, int | np.integer) or channels < 1:
        raise ValueError(f"`channels` must be an integer >= 1, got {channels!r}.")
    dev, dt = placement(model, device, dtype)
    batch = _impulse_batch(size, pos, amplitude, background, int(channels),
                           per_channel=per_channel, dtype=dt, device=dev)
    if not subtract_background:
        batch = batch[1:]
    out = run_model(model, batch, scale=scale)
    check_finite(out, "model output")
    if not subtract_background:
        return out / amplitude, None
    return (out[1:] - out[:1]) / amplitude, out[0]


def impulse_response(
    model: Model,
    *,
    scale: int,
    size: int = 11,
    amplitude: float = 1.0,
    background: float = 0.0,
    position: int | Sequence[int] | None = None,
    subtract_background: bool = True,
    channels: int = 3,
    device: torch.device | str | None = None,
    dtype: torch.dtype | None = None,
) -> torch.Tensor:
    r"""The raw impulse response of an SR model (paper Eq. 7's :math:`H(\delta)`).

    .. math:: h = \frac{N(b + a\,\delta_{r_0, c_0}) - N(b)}{a}

    with the impulse in every channel at once (as in the paper), :math:`N(b)` the response to the
    plain background image (dropped with ``subtract_background=False``). For a linear
    shift-invariant upsampler :math:`h` is its kernel, with origin at HR pixel
    ``(scale * r0, scale * c0)`` (see the module docstring); for an affine one (biases) too, thanks
    to the subtraction. Nothing is clamped. For the per-channel responses of a network that mixes
    colours, use :func:`impulse_response_matrix`.

    Args:
        model: an ``nn.Module`` (or a callable) mapping ``(N, C, H, W)`` float to
            ``(N, C', s*H, s*W)``.
        scale: the integer upscaling factor ``s`` of the model.
        size: the LR impulse image's side in pixels (default 11, the paper's).
        amplitude: impulse height :math:`a` (non-zero); the response is divided by it.
        background: the background :math:`b`, the operating point of the linearisation.
        position: the impulse's LR pixel ``(row, col)``; default the centre.
        subtract_background: subtract :math:`N(b)` (default True).
        channels: the number of input channels the model takes (default 3).
        device: run on this device (default: the model's; CPU for parameter-free models).
        dtype: run in this dtype (default: the model's; float32 for parameter-free models).

    Returns:
        A tensor ``(C', s*size, s*size)`` on the run device, in the run dtype, unclamped.

    Raises:
        ShapeError: the model's output does not have the size ``s`` implies.
        RangeError: the model's output has NaN/inf values.
        ValueError: bad ``size``, ``position`` or ``scale``, or ``amplitude == 0``.

    Examples:
        >>> import torch.nn.functional as F
        >>> bicubic = lambda x: F.interpolate(x, scale_factor=4, mode="bicubic")
        >>> h = impulse_response(bicubic, scale=4, dtype=torch.float64)
        >>> h.shape, round(float(h[0].sum()), 6)  # DC gain 1 -> the kernel sums to s**2
        (torch.Size([3, 44, 44]), 16.0)
        >>> bool(h.min() < 0)  # negative lobes are kept
        True
    """
    out = measure(model, scale=scale, size=size, amplitude=amplitude, background=background,
                   position=position, subtract_background=subtract_background, channels=channels,
                   per_channel=False, device=device, dtype=dtype)[0]
    return out[0]


def impulse_response_matrix(
    model: Model,
    *,
    scale: int,
    size: int = 11,
    amplitude: float = 1.0,
    background: float = 0.0,
    position: int | Sequence[int] | None = None,
    subtract_background: bool = True,
    channels: int = 3,
    device: torch.device | str | None = None,
    dtype: torch.dtype | None = None,
) -> torch.Tensor:
    r"""Impulse responses from each input channel to each output channel (a MIMO kernel).

    .. math:: h[c', c] = \frac{N(b + a\,\delta^{(c)}_{r_0, c_0})[c'] - N(b)[c']}{a}

    where :math:`\delta^{(c)}` is an impulse in channel ``c`` only. Networks mix colours, so the
    linear part of an RGB network is a 3x3 matrix of kernels; the paper's all-channel response
    (:func:`impulse_response`) is its sum over input channels,
    ``impulse_response(...) == impulse_response_matrix(...).sum(1)`` for a linear model. This is
    the kernel :func:`lpf.hyra.hyra` uses in exact mode, so that ``G = 0`` for every linear model,
    colour-mixing or not.

    Args:
        model: as in :func:`impulse_response`.
        scale: the model's integer scale ``s``.
        size: the LR impulse image's side in pixels.
        amplitude: impulse height (non-zero).
        background: the background (operating point).
        position: the impulse's LR pixel; default the centre.
        subtract_background: subtract the background response (default True).
        channels: the number of input channels ``C``.
        device: run device (default: the model's).
        dtype: run dtype (default: the model's).

    Returns:
        A tensor ``(C', C, s*size, s*size)``: output channel first, input channel second.

    Raises:
        ShapeError: the model's output does not have the size ``s`` implies.
        ValueError: bad arguments, as in :func:`impulse_response`.

    Examples:
        >>> mix = torch.nn.Conv2d(3, 3 * 4, 1, bias=False)
        >>> net = torch.nn.Sequential(mix, torch.nn.PixelShuffle(2))
        >>> m = impulse_response_matrix(net, scale=2, size=5)
        >>> m.shape
        torch.Size([3, 3, 10, 10])
        >>> bool(torch.allclose(m.sum(1), impulse_response(net, scale=2, size=5), atol=1e-6))
        True
    """
    out = measure(model, scale=scale, size=size, amplitude=amplitude, background=background,
                   position=position, subtract_background=subtract_background, channels=channels,
                   per_channel=True, device=device, dtype=dtype)[0]
    return out.transpose(0, 1)


def impulse_response_paper(
    model: Model,
    *,
    scale: int,
    device: torch.device | str | None = None,
    dtype: torch.dtype | None = None,
) -> torch.Tensor:
    """The paper's display protocol P-IR: the clamped output for an 11x11 impulse image.

    The input is 11x11 RGB, pixel (5, 5) = 1 (255 in 8 bits) in every channel, 0 elsewhere; the
    output (44x44 at x4) is clamped to [0, 1], as the official repository's pictures (paper
    Figs. 1, 9, 10); no background subtraction. The official pictures were also quantised to 8
    bits (and some brightened in PowerPoint); that is not done here. For analysis use the raw
    :func:`impulse_response`.

    Args:
        model: as in :func:`impulse_response` (3 input channels).
        scale: the model's integer scale ``s``.
        device: run device (default: the model's).
        dtype: run dtype (default: the model's).

    Returns:
        A tensor ``(C', 11*s, 11*s)`` in [0, 1].

    Examples:
        >>> import torch.nn.functional as F
        >>> bicubic = lambda x: F.interpolate(x, scale_factor=4, mode="bicubic")
        >>> h = impulse_response_paper(bicubic, scale=4)
        >>> h.shape, float(h.min()), round(float(h.max()), 4)
        (torch.Size([3, 44, 44]), 0.0, 0.9356)
    """
    h = impulse_response(model, scale=scale, size=11, position=(5, 5), amplitude=1.0,
                         background=0.0, subtract_background=False, channels=3, device=device,
                         dtype=dtype)
    return h.clamp(0.0, 1.0)


# ---------------------------------------------------------------------------------------------
# frequency response


@dataclass(frozen=True, eq=False)
class ResponseSpectrum(ToDict):
    """The frequency response of an impulse response (on the HR grid).

    Attributes:
        magnitude: ``|DFT|`` of the zero-padded response, centred (DC at ``(P//2, P//2)``),
            shape ``(..., P, P)``; ``magnitude[DC] = sum(h)``.
        frequency: radial/axial frequencies in cycles per HR pixel, ``k / P``, shape ``(B,)``.
        radial: the azimuthal mean of ``magnitude`` over rings (``lpf.spectra.radial_profile``),
            divided by its DC value (1 at ``f = 0``), shape ``(..., B)``.
        axial: the mean of the horizontal and vertical cuts through DC, for ``f >= 0``, divided
            by the DC value, shape ``(..., B)``.
        cutoff_3db: first frequency where ``radial`` falls to ``10**(-3/20) = 0.708`` (linear
            interpolation between bins), shape ``(...)``; NaN if it never does.
        cutoff_6db: the same for ``10**(-6/20) = 0.501``.
        axial_cutoff_3db: the -3 dB frequency of ``axial``.
        axial_cutoff_6db: the -6 dB frequency of ``axial`` (for an ideal-like low-pass filter
            with a symmetric transition: its cutoff).
        ideal_cutoff: ``1 / (2 s)``, the LR Nyquist frequency, the ideal upsampler's cutoff.
    """

    magnitude: torch.Tensor
    frequency: torch.Tensor
    radial: torch.Tensor
    axial: torch.Tensor
    cutoff_3db: torch.Tensor
    cutoff_6db: torch.Tensor
    axial_cutoff_3db: torch.Tensor
    axial_cutoff_6db: torch.Tensor
    ideal_cutoff: float

    def to_dict(self) -> dict[str, Any]:
        """The cutoffs and the ideal cutoff (the arrays are left out), as Python values."""
        keys = ("cutoff_3db", "cutoff_6db", "axial_cutoff_3db", "axial_cutoff_6db",
                "ideal_cutoff")
        return {k: jsonable(getattr(self, k)) for k in keys}


def _first_crossing(profile: torch.Tensor, freq: torch.Tensor, level: float) -> torch.Tensor:
    """First frequency where ``profile`` (..., B) falls to ``level``; linear interpolation; NaN."""
    below = profile <= level
    any_below = below.any(dim=-1)
    idx = torch.argmax(below.to(torch.int8), dim=-1).clamp(min=1)
    p1 = torch.gather(profile, -1, idx[..., None])[..., 0]
    p0 = torch.gather(profile, -1, (idx - 1)[..., None])[..., 0]
    f1, f0 = freq[idx], freq[idx - 1]
    t = ((p0 - level) / (p0 - p1)).clamp(0, 1)
    value = f0 + t * (f1 - f0)
    return torch.where(any_below & torch.isfinite(value), value, torch.nan)


def frequency_response(
    response: torch.Tensor | np.ndarray,
    *,
    scale: int,
    pad_to: int | None = None,
) -> ResponseSpectrum:
    r"""Magnitude frequency response of an impulse response, with its -3 dB and -6 dB cutoffs.

    .. math:: |\hat h(f)| = \Big|\sum_{n} h[n]\, e^{-2\pi i f\cdot n}\Big|, \quad
              f \text{ in cycles per HR pixel}

    The response is zero-padded to ``pad_to x pad_to`` (finer frequency sampling). An ideal
    ``s``-times upsampler passes ``|f| < 1/(2s)`` with gain ``s**2`` and stops the rest (paper
    Sec. 3, Eq. 1; Appx. F): the replicas that zero-insertion creates lie beyond ``1/(2s)``.
    Cutoffs are measured on profiles normalised by the DC value, so a network's DC gain does not
    move them.

    Args:
        response: ``(..., L, L)`` real (from :func:`impulse_response`); any leading dimensions.
        scale: the upscaling factor ``s`` (for ``ideal_cutoff``).
        pad_to: padded size, >= ``L`` (default ``max(256, L)``).

    Returns:
        :class:`ResponseSpectrum`.

    Raises:
        ShapeError: wrong number of dimensions or ``pad_to`` smaller than the response.
        RangeError: NaN/inf values.

    Examples:
        >>> import torch.nn.functional as F
        >>> up = lambda x: F.interpolate(x, scale_factor=4, mode="bicubic")
        >>> fr = frequency_response(impulse_response(up, scale=4, dtype=torch.float64), scale=4)
        >>> fr.magnitude.shape, fr.ideal_cutoff
        (torch.Size([3, 256, 256]), 0.125)
        >>> round(float(fr.axial_cutoff_6db[0]), 3)  # bicubic: close to the ideal 0.125
        0.124
    """
    scale = check_scale(scale)
    h = as_response(response)
    lh, lw = h.shape[-2:]
    size = pad_to if pad_to is not None else max(256, lh, lw)
    mag = spectra.fft2c(h, pad_to=(size, size)).abs()
    centre = size // 2
    dc = mag[..., centre, centre]
    safe_dc = torch.where(dc > 0, dc, torch.nan)
    prof = spectra.radial_profile(mag, max_frequency="nyquist")
    radial = prof.values / safe_dc[..., None]
    n_bins = radial.shape[-1]
    horizontal = mag[..., centre, centre:centre + n_bins]
    vertical = mag[..., centre:centre + n_bins, centre]
    axial = 0.5 * (horizontal + vertical)
    if axial.shape[-1] < n_bins:  # even size: the +Nyquist bin is missing; mirror it
        axial = torch.cat([axial, 0.5 * (mag[..., centre, :1] + mag[..., :1, centre])], dim=-1)
    axial = axial / safe_dc[..., None]
    freq = prof.frequency.to(mag.dtype)
    db3, db6 = 10.0 ** (-3.0 / 20.0), 10.0 ** (-6.0 / 20.0)
    return ResponseSpectrum(
        magnitude=mag,
        frequency=prof.frequency,
        radial=radial,
        axial=axial,
        cutoff_3db=_first_crossing(radial, freq, db3),
        cutoff_6db=_first_crossing(radial, freq, db6),
        axial_cutoff_3db=_first_crossing(axial, freq, db3),
        axial_cutoff_6db=_first_crossing(axial, freq, db6),
        ideal_cutoff=1.0 / (2 * scale),
    )


# ---------------------------------------------------------------------------------------------
# DC gain


@dataclass(frozen=True, eq=False)
class DCGain(ToDict):
    r"""DC gain of an impulse response, overall and per sub-pixel phase.

    Attributes:
        gain: :math:`\sum_n h[n] / s^2`, shape ``(...)``: the output level for a constant input
            of 1, averaged over the ``s x s`` output phases (1 for an upsampler that keeps
            brightness: a kernel applied to a zero-inserted image must sum to ``s**2``).
        phase_gain: :math:`g[p, q] = \sum_{i, j} h[p + s i, q + s j]`, shape ``(..., s, s)``:
            the output of HR pixels with phase ``(p, q)`` (row, column modulo ``s``) for a
            constant input of 1, away from the borders.
        spread: ``(max - min) / |mean|`` of ``phase_gain``, shape ``(...)``: 0 when a constant
            image comes out constant; otherwise the strength of the fixed ``s``-periodic grid
            pattern, i.e. how much the filter passes the replicas of DC at ``k / s`` cycles per
            HR pixel (paper Sec. 4.1.1, grid artefacts).
    """

    gain: torch.Tensor
    phase_gain: torch.Tensor
    spread: torch.Tensor


def dc_gain(response: torch.Tensor | np.ndarray, *, scale: int) -> DCGain:
    r"""DC gain of an impulse response relative to ``s**2``, and its sub-pixel-phase spread.

    .. math:: g = \frac{1}{s^2}\sum_n h[n], \qquad
              g_{p,q} = \sum_{i,j} h[p + s i,\, q + s j]

    A constant LR image of value 1, zero-inserted, has ones on a grid of spacing ``s``; the
    convolution with ``h`` gives ``g_{p,q}`` at every HR pixel of phase ``(p, q)``. So
    ``g_{p,q} == 1`` for all phases is "a constant stays the same constant" and the overall gain
    is their mean, ``sum(h) / s**2``. The response's origin is a multiple of ``s`` (see the module
    docstring), so the phases are those of the output image.

    Args:
        response: ``(..., s*size, s*size)`` from :func:`impulse_response` (or the matrix form,
            whose output-channel gains are then ``.sum(1)`` of the result).
        scale: the upscaling factor ``s``.

    Returns:
        :class:`DCGain`, tensors with the response's leading dimensions.

    Raises:
        ShapeError: the spatial size is not a multiple of ``scale``.

    Examples:
        >>> import torch.nn.functional as F
        >>> up = lambda x: F.interpolate(x, scale_factor=2, mode="bilinear")
        >>> g = dc_gain(impulse_response(up, scale=2, dtype=torch.float64), scale=2)
        >>> g.gain.tolist(), g.spread.abs().max().item() < 1e-12
        ([1.0, 1.0, 1.0], True)
    """
    scale = check_scale(scale)
    h = as_response(response)
    sh, sw = check_divisible(h, scale, "response")
    blocks = h.reshape(*h.shape[:-2], sh, scale, sw, scale)
    phase_gain = blocks.sum(dim=(-4, -2))
    gain = h.sum(dim=(-2, -1)) / scale**2
    flat = phase_gain.flatten(-2)
    spread = (flat.amax(-1) - flat.amin(-1)) / gain.abs()
    return DCGain(gain=gain, phase_gain=phase_gain, spread=spread)


# ---------------------------------------------------------------------------------------------
# sinc-likeness


# ---------------------------------------------------------------------------------------------
# linearity and shift invariance


# ---------------------------------------------------------------------------------------------
# all diagnostics


# ---------------------------------------------------------------------------------------------
# shape comparison, reference bitmaps and feature maps (Figs. 1, 9, 16)


