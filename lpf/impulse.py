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

import contextlib
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import torch
from torch import nn

from lpf import kernels, spectra
from lpf._checks import ShapeError, as_image_tensor, check_finite, check_scale

__all__ = [
    "DCGain",
    "ImpulseDiagnostics",
    "Linearity",
    "ResponseSpectrum",
    "ShiftInvariance",
    "SincLikeness",
    "dc_gain",
    "diagnose",
    "eval_mode",
    "feature_maps",
    "frequency_response",
    "impulse_image",
    "impulse_response",
    "impulse_response_matrix",
    "impulse_response_paper",
    "linearity",
    "read_reference_responses",
    "run_model",
    "shape_correlation",
    "shift_invariance",
    "sinc_likeness",
]

Model = Callable[[torch.Tensor], torch.Tensor]

#: Amplitudes probed by :func:`linearity` (the issue's range 0.05 .. 1).
DEFAULT_AMPLITUDES: tuple[float, ...] = (0.05, 0.1, 0.25, 0.5, 1.0)
#: Backgrounds (operating points) probed by :func:`linearity`.
DEFAULT_BACKGROUNDS: tuple[float, ...] = (0.0, 0.5)
#: LR offsets probed by :func:`shift_invariance`: odd and even, both signs, rows, columns and
#: diagonals; their residues cover every phase of internal stride-2 and stride-4 processing.
DEFAULT_OFFSETS: tuple[tuple[int, int], ...] = ((0, 1), (1, 0), (1, 1), (2, 2), (3, -1), (-2, 3))
#: Windows tried by :func:`sinc_likeness` (names of :func:`lpf.kernels.window_fn`).
FIT_WINDOWS: tuple[str, ...] = ("rectangular", "hann", "hamming", "blackman", "kaiser", "lanczos")


# ---------------------------------------------------------------------------------------------
# helpers


def _jsonable(value: Any) -> Any:
    """Tensors and arrays to (nested) lists, scalars to Python numbers; recursive."""
    if isinstance(value, torch.Tensor | np.ndarray):
        return value.tolist() if value.ndim else value.item()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


class _ToDict:
    """Mixin: ``to_dict()`` of a dataclass as plain Python values (JSON-ready up to inf/nan)."""

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict of Python numbers, lists and nested dicts."""
        out = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            out[f.name] = value.to_dict() if isinstance(value, _ToDict) else _jsonable(value)
        return out


def _pair(value: int | Sequence[int], name: str) -> tuple[int, int]:
    pair = (value, value) if isinstance(value, int | np.integer) else tuple(value)
    if len(pair) != 2 or not all(
        isinstance(p, int | np.integer) and not isinstance(p, bool) for p in pair
    ):
        raise TypeError(f"`{name}` must be an int or a pair of ints (row, col), got {value!r}.")
    return int(pair[0]), int(pair[1])


def _check_size(size: int) -> int:
    if isinstance(size, bool) or not isinstance(size, int | np.integer):
        raise TypeError(f"`size` must be an integer >= 1 (LR pixels), got {size!r}.")
    if size < 1:
        raise ValueError(f"`size` must be an integer >= 1 (LR pixels), got {size}.")
    return int(size)


def _check_position(position: int | Sequence[int] | None, size: int) -> tuple[int, int]:
    if position is None:
        return size // 2, size // 2
    row, col = _pair(position, "position")
    if not (0 <= row < size and 0 <= col < size):
        raise ValueError(
            f"`position` must lie inside the {size}x{size} image, i.e. in [0, {size}), "
            f"got {(row, col)}."
        )
    return row, col


def _check_number(value: float, name: str, *, nonzero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"`{name}` must be a real number, got {value!r}.")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"`{name}` must be finite, got {value}.")
    if nonzero and value == 0:
        raise ValueError(f"`{name}` must be non-zero (the response is divided by it), got 0.")
    return value


def _placement(
    model: Model, device: torch.device | str | None, dtype: torch.dtype | None
) -> tuple[torch.device, torch.dtype]:
    """Device and dtype to run ``model`` in: explicit arguments, else the model's, else CPU/f32."""
    found_device, found_dtype = torch.device("cpu"), torch.float32
    if isinstance(model, nn.Module):
        for tensor in (*model.parameters(), *model.buffers()):
            if tensor.is_floating_point():
                found_device, found_dtype = tensor.device, tensor.dtype
                break
    if dtype is not None and not dtype.is_floating_point:
        raise TypeError(f"`dtype` must be a floating torch dtype, got {dtype}.")
    return (torch.device(device) if device is not None else found_device), (dtype or found_dtype)


@contextlib.contextmanager
def eval_mode(model: Model) -> Iterator[None]:
    """Run ``model`` in eval mode and without gradients, restoring every submodule's mode after.

    ``model.train(flag)`` would set all submodules alike; restoring each one keeps a model whose
    parts were in mixed modes exactly as it was.

    Args:
        model: an ``nn.Module`` (its modes are switched) or any callable (only ``no_grad``).

    Yields:
        Nothing; the body runs in eval mode under ``torch.no_grad()``.

    Examples:
        >>> net = nn.Sequential(nn.Conv2d(3, 3, 3), nn.Dropout())
        >>> net[1].eval()  # mixed modes
        Dropout(p=0.5, inplace=False)
        >>> with eval_mode(net):
        ...     net.training
        False
        >>> net.training, net[1].training
        (True, False)
    """
    modules = list(model.modules()) if isinstance(model, nn.Module) else []
    states = [(m, m.training) for m in modules]
    try:
        for m in modules:
            m.training = False
        with torch.no_grad():
            yield
    finally:
        for m, flag in states:
            m.training = flag


def run_model(model: Model, images: torch.Tensor, *, scale: int) -> torch.Tensor:
    """``model(images)`` in eval mode without gradients, its output shape checked.

    Args:
        model: an ``nn.Module`` or callable mapping ``(N, C, H, W)`` to ``(N, C', s*H, s*W)``.
        images: ``(N, C, H, W)`` float.
        scale: the integer scale ``s`` the model is expected to apply.

    Returns:
        The output ``(N, C', s*H, s*W)``, detached.

    Raises:
        ShapeError: the output is not a 4-D tensor of the expected batch and spatial size.
        TypeError: the model returned something other than a tensor.

    Examples:
        >>> up = lambda x: torch.nn.functional.interpolate(x, scale_factor=2, mode="nearest")
        >>> run_model(up, torch.zeros(1, 3, 4, 5), scale=2).shape
        torch.Size([1, 3, 8, 10])
    """
    with eval_mode(model):
        out = model(images)
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"`model` must return a torch.Tensor, got {type(out).__name__}.")
    n, _, h, w = images.shape
    if out.ndim != 4 or out.shape[0] != n or tuple(out.shape[-2:]) != (scale * h, scale * w):
        raise ShapeError(
            f"`model` must map (N, C, H, W) = {tuple(images.shape)} to "
            f"(N, C', {scale}*H, {scale}*W) = (N, C', {scale * h}, {scale * w}) for scale={scale}, "
            f"got {tuple(out.shape)}; is the model built for another scale?",
            expected=(n, "C'", scale * h, scale * w),
            actual=tuple(out.shape),
        )
    return out.detach()


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
    size = _check_size(size)
    row, col = _check_position(position, size)
    amplitude = _check_number(amplitude, "amplitude")
    background = _check_number(background, "background")
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


def _measure(
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
    size = _check_size(size)
    pos = _check_position(position, size)
    amplitude = _check_number(amplitude, "amplitude", nonzero=True)
    background = _check_number(background, "background")
    if isinstance(channels, bool) or not isinstance(channels, int | np.integer) or channels < 1:
        raise ValueError(f"`channels` must be an integer >= 1, got {channels!r}.")
    dev, dt = _placement(model, device, dtype)
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
    out = _measure(model, scale=scale, size=size, amplitude=amplitude, background=background,
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
    out = _measure(model, scale=scale, size=size, amplitude=amplitude, background=background,
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


def _as_response(response: torch.Tensor | np.ndarray, name: str = "response") -> torch.Tensor:
    r = as_image_tensor(response, name, ndims=(2, 3, 4))
    if r.dtype in (torch.float16, torch.bfloat16):
        r = r.float()
    check_finite(r, name)
    return r


def _check_divisible(r: torch.Tensor, scale: int, name: str) -> tuple[int, int]:
    lh, lw = r.shape[-2:]
    if lh % scale or lw % scale:
        raise ShapeError(
            f"`{name}` must be (..., s*size, s*size) for scale s={scale}, got spatial size "
            f"{(lh, lw)}, not a multiple of {scale}.",
            expected=f"multiples of {scale}",
            actual=tuple(r.shape),
        )
    return lh // scale, lw // scale


# ---------------------------------------------------------------------------------------------
# frequency response


@dataclass(frozen=True, eq=False)
class ResponseSpectrum(_ToDict):
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
        return {k: _jsonable(getattr(self, k)) for k in keys}


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
    h = _as_response(response)
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
class DCGain(_ToDict):
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
    h = _as_response(response)
    sh, sw = _check_divisible(h, scale, "response")
    blocks = h.reshape(*h.shape[:-2], sh, scale, sw, scale)
    phase_gain = blocks.sum(dim=(-4, -2))
    gain = h.sum(dim=(-2, -1)) / scale**2
    flat = phase_gain.flatten(-2)
    spread = (flat.amax(-1) - flat.amin(-1)) / gain.abs()
    return DCGain(gain=gain, phase_gain=phase_gain, spread=spread)


# ---------------------------------------------------------------------------------------------
# sinc-likeness


@dataclass(frozen=True, eq=False)
class SincLikeness(_ToDict):
    r"""How much an impulse response looks like a (windowed) sinc (paper Sec. 5.2, Appx. E).

    All measured on the central profile :math:`p(d) = \tfrac12 (h[r, c + d] + h[r + d, c])`
    through the peak ``(r, c)`` of the channel mean, ``d`` in HR pixels (see
    :func:`sinc_likeness`).

    Attributes:
        scale: the upscaling factor ``s``.
        peak: :math:`p(0)`, the response's maximum.
        main_lobe_width: distance between the zero crossings on either side of the peak (linear
            interpolation), in HR pixels; ideal sinc: ``2 s``; NaN if a side never crosses zero
            inside the window.
        main_lobe_ratio: ``main_lobe_width / (2 s)``.
        side_lobe_level: the first side lobe's extreme value relative to the peak (mean of both
            sides), signed: about -0.217 for the ideal sinc, -0.11 for Keys' cubic (a = -0.75);
            NaN if there is no zero crossing (no side lobe).
        side_lobe_negative: whether that side lobe is negative (the ringing of a sinc).
        cutoff: the fitted windowed sinc's cutoff in cycles per HR pixel.
        cutoff_ratio: ``cutoff * 2 s``: 1 for the ideal cutoff, < 1 for a narrower passband.
        window: the best-fitting window's name (:data:`FIT_WINDOWS`).
        half_width: the best fit's window half-width, in HR pixels (``inf``: no window).
        centre: the fitted centre relative to the peak pixel, HR pixels (e.g. 0.5 for an even
            ``s`` and an ``align_corners=False`` network).
        distance: relative L2 residual of the best windowed-sinc fit,
            :math:`\lVert p - \hat p\rVert / \lVert p\rVert` (0 = exactly a windowed sinc).
        sinc_distance: the same residual for the ideal sinc (cutoff ``1/(2s)``, no window; centre
            and amplitude fitted).
    """

    scale: int
    peak: float
    main_lobe_width: float
    main_lobe_ratio: float
    side_lobe_level: float
    side_lobe_negative: bool
    cutoff: float
    cutoff_ratio: float
    window: str
    half_width: float
    centre: float
    distance: float
    sinc_distance: float


def _central_profile(h2: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(offsets d, profile p(d)) through the peak of a 2-D response, float64."""
    lh, lw = h2.shape
    flat = int(torch.argmax(h2))
    r, c = divmod(flat, lw)
    lo = min(r, c)
    hi = min(lh - 1 - r, lw - 1 - c)
    d = torch.arange(-lo, hi + 1, dtype=torch.float64)
    row = h2[r, c - lo:c + hi + 1]
    col = h2[r - lo:r + hi + 1, c]
    return d, 0.5 * (row + col)


def _lagrange(p: torch.Tensor, i: int, t: float) -> float:
    """Value at ``i + t`` (0 <= t <= 1) of the cubic through samples i-1..i+2 (clipped to p)."""
    idx = [min(max(j, 0), p.numel() - 1) for j in (i - 1, i, i + 1, i + 2)]
    if idx[0] == idx[1] or idx[2] == idx[3]:  # at an end: linear
        return float(p[idx[1]]) * (1 - t) + float(p[idx[2]]) * t
    y0, y1, y2, y3 = (float(p[j]) for j in idx)
    return (-t * (t - 1) * (t - 2) / 6 * y0 + (t + 1) * (t - 1) * (t - 2) / 2 * y1
            - (t + 1) * t * (t - 2) / 2 * y2 + (t + 1) * t * (t - 1) / 6 * y3)


def _crossing(p: torch.Tensor, start: int, step: int) -> tuple[float, int]:
    """Distance from ``start`` to the first zero crossing walking by ``step``, and its index.

    The index is that of the first sample at or below zero; (nan, -1) if there is none. The
    crossing between the two samples is the root of the local cubic interpolant (bisection),
    exact for cubic pieces.
    """
    q = p if step > 0 else p.flip(0)
    i = start if step > 0 else p.numel() - 1 - start
    first = i
    while i + 1 < q.numel():
        if float(q[i + 1]) <= 0.0:
            lo, hi = 0.0, 1.0
            if float(q[i]) > 0.0:
                for _ in range(50):
                    mid = 0.5 * (lo + hi)
                    lo, hi = (mid, hi) if _lagrange(q, i, mid) > 0.0 else (lo, mid)
            index = i + 1 if step > 0 else p.numel() - 2 - i
            return (i - first) + 0.5 * (lo + hi), index
        i += 1
    return math.nan, -1


def _extremum(p: torch.Tensor, i: int, sign: float) -> bool:
    """Whether sample ``i`` is a local maximum (sign 1) or minimum (-1).

    Strict, or one of two equal samples between which a symmetric lobe peaks (the sample beyond
    the pair falls away again); a plateau (a box's edge) is not an extremum.
    """
    n = p.numel()
    a, b, c = (sign * float(p[j]) for j in (i - 1, i, i + 1))
    if b > a and b > c:
        return True
    if b > a and b == c:
        return i + 2 < n and sign * float(p[i + 2]) < c
    if b == a and b > c:
        return i - 2 >= 0 and sign * float(p[i - 2]) < a
    return False


def _vertex(p: torch.Tensor, i: int) -> float:
    """Extreme value of the parabola through samples i-1, i, i+1.

    Only at a strict local extremum; elsewhere (an end, a plateau such as a box's edge) the
    sample itself, so that flat pieces are not extrapolated into spurious lobes.
    """
    n = p.numel()
    if i <= 0 or i >= n - 1:
        return float(p[i])
    a, b, c = float(p[i - 1]), float(p[i]), float(p[i + 1])
    if not any(_extremum(p, i, sign) for sign in (1.0, -1.0)):
        return b
    denom = a - 2 * b + c
    if denom == 0:
        return b
    t = 0.5 * (a - c) / denom
    return b - 0.25 * (a - c) * t


def _side_lobe(p: torch.Tensor, first_neg: int, step: int) -> float:
    """Extreme (parabolic interpolation) of the lobe from ``first_neg`` to the next sign change."""
    i, best = first_neg, first_neg
    while 0 <= i + step < p.numel() and float(p[i + step]) <= 0.0:
        i += step
        if float(p[i]) < float(p[best]):
            best = i
    return min(_vertex(p, best), float(p[best]))


def _fit(
    d: torch.Tensor,
    p: torch.Tensor,
    cutoffs: torch.Tensor,
    centres: torch.Tensor,
    windows: Sequence[tuple[str, float | None]],
) -> tuple[float, float, float, str, float | None]:
    """Best (residual^2, cutoff, centre, window, half-width) of a windowed sinc over a grid.

    The model is ``A sinc(2 fc (d - t0)) w((d - t0)/hw)``, ``A`` by least squares.
    """
    x = d[None, :] - centres[:, None]  # (T, M)
    base = torch.sinc(2.0 * cutoffs[:, None, None] * x[None])  # (F, T, M)
    p2 = float(p.square().sum())
    best = (math.inf, 0.0, 0.0, "", None)
    for window, half_width in windows:
        f = base if half_width is None else base * kernels.window_fn(
            window, x, half_width=half_width)
        ff = f.square().sum(-1)
        fp = f @ p
        gain = torch.where(ff > 0, fp.square() / ff.clamp(min=1e-300), 0.0)
        k = int(torch.argmax(gain))
        r2 = p2 - float(gain.flatten()[k])
        if r2 < best[0]:
            i, j = divmod(k, centres.numel())
            best = (r2, float(cutoffs[i]), float(centres[j]), window, half_width)
    return best


def sinc_likeness(response: torch.Tensor | np.ndarray, *, scale: int) -> SincLikeness:
    r"""Main lobe, first side lobe and best-fitting windowed sinc of an impulse response.

    The 2-D response is reduced to the channel mean (a matrix response ``(C', C, L, L)`` is first
    summed over input channels), then to its central profile through the peak ``(r, c)``,

    .. math:: p(d) = \tfrac12\,(h[r, c + d] + h[r + d, c]),

    the mean of the horizontal and vertical cuts (the same for a separable symmetric kernel). On
    ``p``:

    * main lobe: the zero crossings on either side of ``d = 0`` (linear interpolation between
      samples); ``main_lobe_width`` is their distance, ``2 s`` for the ideal sinc
      :math:`\operatorname{sinc}(d/s)`;
    * first side lobe: the most negative value between the first and the second crossing, divided
      by ``p(0)``, the mean of both sides;
    * windowed-sinc fit (Appx. E, Fig. 17): :math:`\hat p(d) = A\,\operatorname{sinc}(2 f_c (d -
      t_0))\,w((d - t_0)/w_h)` minimising :math:`\lVert p - \hat p\rVert_2` over the windows of
      :data:`FIT_WINDOWS`, half-widths ``w_h`` of ``s * {1, 1.5, 2, 2.5, 3, 4, 5, 6}`` HR pixels
      (and the unwindowed sinc, reported as ``"rectangular"`` with ``half_width = inf``),
      cutoffs ``f_c`` from 0.25 to 2 times ``1/(2s)`` and centres ``t_0`` within one pixel of the
      peak (a grid search refined around the best point; :math:`A` in closed form). Network
      responses are windowed sincs to the extent that ``distance`` is small (paper Fig. 9:
      RDN/RCAN more than EDSR).

    Args:
        response: ``(L, L)``, ``(C, L, L)`` or ``(C', C, L, L)`` real, from
            :func:`impulse_response` or :func:`impulse_response_matrix`.
        scale: the upscaling factor ``s``.

    Returns:
        :class:`SincLikeness` (Python floats).

    Raises:
        ShapeError: wrong number of dimensions.
        RangeError: NaN/inf values.

    Examples:
        >>> import torch.nn.functional as F
        >>> up = lambda x: F.interpolate(x, scale_factor=4, mode="bicubic")
        >>> s = sinc_likeness(impulse_response(up, scale=4, dtype=torch.float64), scale=4)
        >>> round(s.main_lobe_width, 2), round(s.side_lobe_level, 3), s.side_lobe_negative
        (8.05, -0.111, True)
    """
    scale = check_scale(scale)
    h = _as_response(response).to(torch.float64).cpu()
    if h.ndim == 4:
        h = h.sum(1)
    if h.ndim == 3:
        h = h.mean(0)
    d, p = _central_profile(h)
    zero = int(torch.nonzero(d == 0)[0])
    peak = max(_vertex(p, zero), float(p[zero]))
    right, right_neg = _crossing(p, zero, +1)
    left, left_neg = _crossing(p, zero, -1)
    width = left + right
    if right_neg >= 0 and left_neg >= 0:
        level = 0.5 * (_side_lobe(p, right_neg, +1) + _side_lobe(p, left_neg, -1)) / peak
    elif right_neg >= 0 or left_neg >= 0:
        neg, step = (right_neg, +1) if right_neg >= 0 else (left_neg, -1)
        level = _side_lobe(p, neg, step) / peak
    else:
        level = math.nan

    ideal = 1.0 / (2 * scale)
    norm2 = float(p.square().sum())
    grid: list[tuple[str, float | None]] = [("rectangular", None)]  # the untruncated sinc
    grid += [(w, f * scale) for w in FIT_WINDOWS for f in (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0)]
    cutoffs = ideal * torch.linspace(0.25, 2.0, 36, dtype=torch.float64)
    centres = torch.arange(-1.0, 1.0 + 1e-9, 0.25, dtype=torch.float64)
    _, fc, t0, window, hw = _fit(d, p, cutoffs, centres, grid)
    step_f = float(cutoffs[1] - cutoffs[0])
    fine_f = torch.linspace(fc - step_f, fc + step_f, 41, dtype=torch.float64).clamp(min=1e-6)
    fine_t = torch.linspace(t0 - 0.25, t0 + 0.25, 21, dtype=torch.float64)
    r2, fc, t0, window, hw = _fit(d, p, fine_f, fine_t, [(window, hw)])
    r2_sinc = _fit(d, p, torch.tensor([ideal], dtype=torch.float64),
                   torch.linspace(-1.0, 1.0, 81, dtype=torch.float64), [("rectangular", None)])[0]
    return SincLikeness(
        scale=scale,
        peak=peak,
        main_lobe_width=width,
        main_lobe_ratio=width / (2 * scale),
        side_lobe_level=level,
        side_lobe_negative=bool(level < 0),
        cutoff=fc,
        cutoff_ratio=fc / ideal,
        window=window,
        half_width=math.inf if hw is None else hw,
        centre=t0,
        distance=math.sqrt(max(r2, 0.0) / norm2) if norm2 > 0 else math.nan,
        sinc_distance=math.sqrt(max(r2_sinc, 0.0) / norm2) if norm2 > 0 else math.nan,
    )


# ---------------------------------------------------------------------------------------------
# linearity and shift invariance


@dataclass(frozen=True, eq=False)
class Linearity(_ToDict):
    r"""Amplitude and operating-point dependence of the impulse response.

    Attributes:
        reference_amplitude: the amplitude of the reference response (the largest probed).
        records: one ``(background, amplitude, error)`` per probe, with
            :math:`e = \lVert h_{b,a} - h_{0,a_{ref}}\rVert_2 / \lVert h_{0,a_{ref}}\rVert_2`
            and :math:`h_{b,a} = (N(b + a\delta) - N(b)) / a`.
        amplitude_error: the largest error at background 0 (homogeneity; note that a bias-free
            ReLU network is positively homogeneous, so this is 0 for it).
        background_error: the largest error at non-zero backgrounds (how much the linearisation
            depends on the operating point).
        max_error: the largest of all; 0 (to rounding) for a linear or affine model.
    """

    reference_amplitude: float
    records: tuple[tuple[float, float, float], ...]
    amplitude_error: float
    background_error: float
    max_error: float


def linearity(
    model: Model,
    *,
    scale: int,
    amplitudes: Sequence[float] = DEFAULT_AMPLITUDES,
    backgrounds: Sequence[float] = DEFAULT_BACKGROUNDS,
    size: int = 11,
    position: int | Sequence[int] | None = None,
    channels: int = 3,
    device: torch.device | str | None = None,
    dtype: torch.dtype | None = None,
) -> Linearity:
    r"""How far the impulse response depends on the impulse's amplitude and on the background.

    .. math:: e(b, a) = \frac{\lVert h_{b,a} - h_{0,a_{ref}}\rVert_2}
              {\lVert h_{0,a_{ref}}\rVert_2}, \qquad h_{b,a} = \frac{N(b + a\delta) - N(b)}{a}

    with :math:`a_{ref}` the largest amplitude and norms over all channels and HR pixels. A linear
    (or affine) model gives :math:`e = 0` for every probe. Inputs stay in [0, 1]: at a background
    ``b`` only the amplitudes with ``b + a <= 1`` are probed (at ``b = 0.5``: up to 0.5). All
    probes run as one batch.

    Args:
        model: as in :func:`impulse_response`.
        scale: the model's integer scale.
        amplitudes: positive impulse heights (default 0.05, 0.1, 0.25, 0.5, 1).
        backgrounds: backgrounds in [0, 1) (default 0 and 0.5); 0 must be among them.
        size: the LR impulse image's side.
        position: the impulse's LR pixel; default the centre.
        channels: input channels.
        device: run device (default: the model's).
        dtype: run dtype (default: the model's).

    Returns:
        :class:`Linearity`.

    Raises:
        ValueError: empty or non-positive amplitudes, or no background 0.

    Examples:
        >>> net = torch.nn.Sequential(torch.nn.Conv2d(3, 12, 3, padding=1),
        ...                           torch.nn.PixelShuffle(2)).double()
        >>> lin = linearity(net, scale=2, size=7)
        >>> lin.max_error < 1e-12  # affine: exact, the bias is subtracted with the background
        True
    """
    scale = check_scale(scale)
    size = _check_size(size)
    pos = _check_position(position, size)
    amps = [_check_number(a, "amplitudes") for a in amplitudes]
    bgs = [_check_number(b, "backgrounds") for b in backgrounds]
    if not amps or min(amps) <= 0:
        raise ValueError(f"`amplitudes` must be non-empty and positive, got {list(amplitudes)}.")
    if 0.0 not in bgs:
        raise ValueError(f"`backgrounds` must include 0 (the reference), got {list(backgrounds)}.")
    dev, dt = _placement(model, device, dtype)
    a_ref = max(amps)
    probes = [(b, a) for b in bgs for a in amps if b == 0.0 or b + a <= 1.0 + 1e-12]
    images = [torch.full((channels, size, size), b, dtype=dt, device=dev) for b in bgs]
    for b, a in probes:
        img = torch.full((channels, size, size), b, dtype=dt, device=dev)
        img[:, pos[0], pos[1]] += a
        images.append(img)
    out = run_model(model, torch.stack(images), scale=scale).to(torch.float64)
    base = dict(zip(bgs, out[: len(bgs)], strict=True))
    responses = {
        probe: (out[len(bgs) + i] - base[probe[0]]) / probe[1] for i, probe in enumerate(probes)
    }
    ref = responses[(0.0, a_ref)]
    ref_norm = float(ref.norm())
    records = []
    for (b, a), h in responses.items():
        err = float((h - ref).norm()) / ref_norm if ref_norm > 0 else math.nan
        records.append((b, a, err))
    amp_err = max((e for b, _, e in records if b == 0.0), default=math.nan)
    bg_err = max((e for b, _, e in records if b != 0.0), default=0.0)
    return Linearity(
        reference_amplitude=a_ref,
        records=tuple(records),
        amplitude_error=amp_err,
        background_error=bg_err,
        max_error=max(amp_err, bg_err),
    )


@dataclass(frozen=True, eq=False)
class ShiftInvariance(_ToDict):
    r"""Whether a moved impulse gives the same response, moved by ``scale`` times as much.

    Attributes:
        offsets: the LR offsets ``(dy, dx)`` probed.
        errors: per offset, :math:`\lVert S_{-s o}\,h_o - h_0\rVert_2 / \lVert h_0\rVert_2` over the
            region where both are defined, with :math:`S` a shift of the HR image.
        max_error: the largest; 0 (to rounding) for a shift-invariant upsampler.
    """

    offsets: tuple[tuple[int, int], ...]
    errors: tuple[float, ...]
    max_error: float


def shift_invariance(
    model: Model,
    *,
    scale: int,
    offsets: Sequence[Sequence[int]] = DEFAULT_OFFSETS,
    size: int = 11,
    channels: int = 3,
    device: torch.device | str | None = None,
    dtype: torch.dtype | None = None,
) -> ShiftInvariance:
    r"""Shift invariance of the impulse response (paper Sec. 4.1, Eqs. 4-6, Fig. 15).

    An upsampler is shift-invariant in the SR sense when moving the input by ``o`` LR pixels moves
    the output by ``s * o`` HR pixels. The impulse is placed at the centre ``p0`` of a canvas of
    ``size + 2 m`` LR pixels (``m`` the largest offset component, so that every moved impulse
    keeps ``size // 2`` pixels of margin) and at ``p0 + o`` for each offset; with
    :math:`h_o` the background-subtracted responses,

    .. math:: e(o) = \frac{\lVert h_o[\cdot + s o] - h_0\rVert_2}{\lVert h_0\rVert_2}

    over the HR pixels where both are inside the canvas. Odd and even offsets matter: a network
    that downsamples internally by 2 or 4 is only invariant to shifts by multiples of 2 or 4 (its
    "phase" within its blocks), which the default offsets expose.

    Args:
        model: as in :func:`impulse_response`.
        scale: the model's integer scale.
        offsets: LR offsets ``(dy, dx)``; default :data:`DEFAULT_OFFSETS`.
        size: the reference window (the canvas is larger by the offsets).
        channels: input channels.
        device: run device (default: the model's).
        dtype: run dtype (default: the model's).

    Returns:
        :class:`ShiftInvariance`.

    Raises:
        ValueError: no offsets.

    Examples:
        >>> import torch.nn.functional as F
        >>> up = lambda x: F.interpolate(x, scale_factor=3, mode="bicubic")
        >>> shift_invariance(up, scale=3, dtype=torch.float64).max_error < 1e-12
        True
    """
    scale = check_scale(scale)
    size = _check_size(size)
    offs = tuple(_pair(o, "offsets") for o in offsets)
    if not offs:
        raise ValueError("`offsets` must hold at least one (dy, dx) pair.")
    dev, dt = _placement(model, device, dtype)
    m = max(max(abs(dy), abs(dx)) for dy, dx in offs)
    canvas = size + 2 * m
    p0 = canvas // 2
    images = [torch.zeros(channels, canvas, canvas, dtype=dt, device=dev)]
    for dy, dx in ((0, 0), *offs):
        img = torch.zeros(channels, canvas, canvas, dtype=dt, device=dev)
        img[:, p0 + dy, p0 + dx] = 1.0
        images.append(img)
    out = run_model(model, torch.stack(images), scale=scale).to(torch.float64)
    resp = out[1:] - out[:1]
    ref = resp[0]
    n = ref.shape[-1]
    errors = []
    for (dy, dx), h in zip(offs, resp[1:], strict=True):
        sy, sx = scale * dy, scale * dx
        ys, xs = slice(max(0, -sy), min(n, n - sy)), slice(max(0, -sx), min(n, n - sx))
        ys2, xs2 = slice(ys.start + sy, ys.stop + sy), slice(xs.start + sx, xs.stop + sx)
        r0 = ref[..., ys, xs]
        norm = float(r0.norm())
        err = float((h[..., ys2, xs2] - r0).norm()) / norm if norm > 0 else math.nan
        errors.append(err)
    return ShiftInvariance(offsets=offs, errors=tuple(errors), max_error=max(errors))


# ---------------------------------------------------------------------------------------------
# all diagnostics


@dataclass(frozen=True, eq=False)
class ImpulseDiagnostics(_ToDict):
    """Every impulse-response diagnostic of one model (see the module docstring).

    Attributes:
        scale: the upscaling factor.
        size: the LR impulse image's side.
        response: the raw response ``(C', s*size, s*size)`` (left out of ``to_dict``).
        dc_gain: :class:`DCGain` of the response.
        frequency: :class:`ResponseSpectrum` of the response (only its cutoffs in ``to_dict``).
        sinc: :class:`SincLikeness` of the response.
        linearity: :class:`Linearity` of the model.
        shift_invariance: :class:`ShiftInvariance` of the model.
    """

    scale: int
    size: int
    response: torch.Tensor
    dc_gain: DCGain
    frequency: ResponseSpectrum
    sinc: SincLikeness
    linearity: Linearity
    shift_invariance: ShiftInvariance

    def to_dict(self) -> dict[str, Any]:
        """All numbers as a JSON-ready dict (the response array is left out)."""
        out = super().to_dict()
        out.pop("response")
        return out


def diagnose(
    model: Model,
    *,
    scale: int,
    size: int = 11,
    channels: int = 3,
    device: torch.device | str | None = None,
    dtype: torch.dtype | None = None,
) -> ImpulseDiagnostics:
    """Impulse response and all its diagnostics for one model, with the default probes.

    Runs :func:`impulse_response`, :func:`dc_gain`, :func:`frequency_response`,
    :func:`sinc_likeness`, :func:`linearity` and :func:`shift_invariance` (four small batched
    forward passes on ``size``-pixel images).

    Args:
        model: as in :func:`impulse_response`.
        scale: the model's integer scale.
        size: the LR impulse image's side (default 11).
        channels: input channels.
        device: run device (default: the model's).
        dtype: run dtype (default: the model's).

    Returns:
        :class:`ImpulseDiagnostics`; ``to_dict()`` gives the JSON of ``lpf impulse``.

    Examples:
        >>> import torch.nn.functional as F
        >>> up = lambda x: F.interpolate(x, scale_factor=2, mode="bicubic")
        >>> d = diagnose(up, scale=2, dtype=torch.float64)
        >>> sorted(d.to_dict())
        ['dc_gain', 'frequency', 'linearity', 'scale', 'shift_invariance', 'sinc', 'size']
        >>> d.linearity.max_error < 1e-12, round(d.sinc.main_lobe_ratio, 1)
        (True, 1.0)
    """
    scale = check_scale(scale)
    opts = {"channels": channels, "device": device, "dtype": dtype}
    h = impulse_response(model, scale=scale, size=size, **opts)
    return ImpulseDiagnostics(
        scale=scale,
        size=size,
        response=h,
        dc_gain=dc_gain(h, scale=scale),
        frequency=frequency_response(h, scale=scale),
        sinc=sinc_likeness(h, scale=scale),
        linearity=linearity(model, scale=scale, size=size, **opts),
        shift_invariance=shift_invariance(model, scale=scale, size=size, **opts),
    )



# ---------------------------------------------------------------------------------------------
# shape comparison, reference bitmaps and feature maps (Figs. 1, 9, 16)


def _as_map(x: torch.Tensor | np.ndarray, name: str) -> torch.Tensor:
    """A 2-D float64 map: ``(H, W)``, or the channel mean of ``(C, H, W)`` / ``(H, W, C)``."""
    t = torch.as_tensor(np.asarray(x) if not isinstance(x, torch.Tensor) else x)
    t = t.detach().to(torch.float64).cpu()
    if t.ndim == 3:
        t = t.mean(-1) if t.shape[-1] in (1, 3, 4) and t.shape[0] not in (1, 3) else t.mean(0)
    if t.ndim != 2:
        raise ShapeError(f"`{name}` must be (H, W), (C, H, W) or (H, W, C), got shape "
                         f"{tuple(t.shape)}.", expected="(H, W)", actual=tuple(t.shape))
    check_finite(t, name)
    return t


def shape_correlation(a: torch.Tensor | np.ndarray, b: torch.Tensor | np.ndarray) -> float:
    r"""Normalised (Pearson) correlation of two response maps: their shape, not their scale.

    .. math:: \rho = \frac{\sum (a - \bar a)(b - \bar b)}
              {\sqrt{\sum (a - \bar a)^2 \sum (b - \bar b)^2}}

    Multi-channel inputs are reduced to their channel mean; ``b`` is resized to ``a``'s shape
    (bilinear, ``align_corners=False``) when the shapes differ, e.g. an LR feature map against an
    HR sinc. Invariant to gain and offset, so a clamped 8-bit bitmap and a raw float response can
    be compared.

    Args:
        a: ``(H, W)``, ``(C, H, W)`` (tensor) or ``(H, W, C)`` (NumPy image) map.
        b: the same kinds; any size.

    Returns:
        :math:`\rho \in [-1, 1]` (NaN if either map is constant).

    Raises:
        ShapeError: not a 2-D or 3-D map.
        RangeError: NaN/inf values.

    Examples:
        >>> x = torch.arange(16.0).reshape(4, 4)
        >>> shape_correlation(x, 3 * x + 1), shape_correlation(x, -x)
        (1.0, -1.0)
    """
    ta, tb = _as_map(a, "a"), _as_map(b, "b")
    if ta.shape != tb.shape:
        tb = torch.nn.functional.interpolate(tb[None, None], size=tuple(ta.shape),
                                             mode="bilinear", align_corners=False)[0, 0]
    ta, tb = ta - ta.mean(), tb - tb.mean()
    denom = math.sqrt(float(ta.square().sum()) * float(tb.square().sum()))
    return round(float((ta * tb).sum()) / denom, 12) if denom > 0 else math.nan


def read_reference_responses(
    folder: str | Any, names: Sequence[str], *, scale: int = 4
) -> dict[str, np.ndarray]:
    """Read published impulse-response bitmaps ``<name>_x<scale>.png`` from a folder, if any.

    For comparing a model's response with a paper's figure (e.g. the slide-deck bitmaps of Fig.
    9). Missing files, or a missing folder, are skipped silently: the result holds only the names
    found, so notebooks can take an optional reference folder.

    Args:
        folder: the folder (str or path-like).
        names: bitmap stems to look for (e.g. ``["edsr-liif", "rdn"]``).
        scale: the scale in the file names.

    Returns:
        ``{name: (H, W) float64 array in [0, 1]}`` (channel mean of the image) for the files found.

    Examples:
        >>> read_reference_responses("/nonexistent", ["edsr"])
        {}
    """
    from pathlib import Path

    from lpf.data import read_image

    scale = check_scale(scale)
    root = Path(folder)
    found: dict[str, np.ndarray] = {}
    if not root.is_dir():
        return found
    for name in names:
        path = root / f"{name}_x{scale}.png"
        if path.is_file():
            img = np.asarray(read_image(path), dtype=np.float64) / 255.0
            found[name] = img.mean(-1) if img.ndim == 3 else img
    return found


def feature_maps(
    model: nn.Module,
    image: torch.Tensor,
    layers: Sequence[str],
    *,
    baseline: torch.Tensor | None = None,
) -> dict[str, torch.Tensor]:
    """Intermediate activations of a model for one input, by forward hooks (paper Fig. 16).

    A forward hook on each named submodule records a copy of its output (taken when the module
    returns, so later in-place operations such as a residual ``+=`` do not change it) while
    ``model(image)`` runs in eval mode without gradients; the hooks are removed afterwards, even
    on error. With ``baseline``
    (e.g. the plain background, ``impulse_image(amplitude=0.0)``) each map is the difference
    ``act(image) - act(baseline)``: the impulse's own contribution, as :func:`impulse_response`
    subtracts the background response.

    Args:
        model: an ``nn.Module``.
        image: ``(C, H, W)`` or ``(1, C, H, W)`` float input.
        layers: submodule names as in ``model.named_modules()`` (e.g. ``"net.upsample"``).
        baseline: an input of the same shape whose activations are subtracted.

    Returns:
        ``{layer: (C_l, H_l, W_l) float tensor}`` in the order of ``layers``, detached, on the CPU.

    Raises:
        KeyError: an unknown layer name (the message lists the top-level names).
        ValueError: no layers, or a layer that never ran.
        TypeError: ``model`` is not an ``nn.Module``.

    Examples:
        >>> net = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 3, 1))
        >>> maps = feature_maps(net, impulse_image(5), ["0", "2"])
        >>> {k: tuple(v.shape) for k, v in maps.items()}
        {'0': (4, 5, 5), '2': (3, 5, 5)}
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"`model` must be an nn.Module, got {type(model).__name__}.")
    layers = list(layers)
    if not layers:
        raise ValueError("`layers` must name at least one submodule.")
    modules = dict(model.named_modules())
    for name in layers:
        if name not in modules:
            top = [n for n in modules if n and "." not in n]
            raise KeyError(f"no submodule {name!r} in the model; top-level submodules: {top}")
    x = image if image.ndim == 4 else image[None]
    if baseline is not None:
        b = baseline if baseline.ndim == 4 else baseline[None]
        if b.shape != x.shape:
            raise ShapeError(f"`baseline` must have the shape of `image`, {tuple(x.shape)}, "
                             f"got {tuple(b.shape)}.", expected=tuple(x.shape),
                             actual=tuple(b.shape))
        x = torch.cat([x, b])
    dev, dt = _placement(model, None, None)
    x = x.to(device=dev, dtype=dt)
    found: dict[str, torch.Tensor] = {}
    handles = [
        modules[name].register_forward_hook(
            lambda _m, _i, out, name=name: found.__setitem__(
                name, out.detach().float().cpu().clone()))
        for name in layers
    ]
    try:
        with eval_mode(model):
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    missing = [name for name in layers if name not in found]
    if missing:
        raise ValueError(f"layers {missing} did not run in the forward pass.")
    return {name: found[name][0] - found[name][1] if baseline is not None else found[name][0]
            for name in layers}
