"""TODO docstring."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from lpf._checks import check_scale
from lpf.analysis._base import (
    Model,
    ToDict,
    as_pair,
    check_number,
    check_position,
    check_size,
    placement,
    run_model,
)

__all__ = [
    "DEFAULT_AMPLITUDES",
    "DEFAULT_BACKGROUNDS",
    "DEFAULT_OFFSETS",
    "Linearity",
    "linearity",
    "shift_invariance",
    "ShiftInvariance",
]


#: Amplitudes probed by :func:`linearity` (the issue's range 0.05 .. 1).
DEFAULT_AMPLITUDES: tuple[float, ...] = (0.05, 0.1, 0.25, 0.5, 1.0)


#: Backgrounds (operating points) probed by :func:`linearity`.
DEFAULT_BACKGROUNDS: tuple[float, ...] = (0.0, 0.5)


#: LR offsets probed by :func:`shift_invariance`: odd and even, both signs, rows, columns and
#: diagonals; their residues cover every phase of internal stride-2 and stride-4 processing.
DEFAULT_OFFSETS: tuple[tuple[int, int], ...] = ((0, 1), (1, 0), (1, 1), (2, 2), (3, -1), (-2, 3))


@dataclass(frozen=True, eq=False)
class Linearity(ToDict):
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
    size = check_size(size)
    pos = check_position(position, size)
    amps = [check_number(a, "amplitudes") for a in amplitudes]
    bgs = [check_number(b, "backgrounds") for b in backgrounds]
    if not amps or min(amps) <= 0:
        raise ValueError(f"`amplitudes` must be non-empty and positive, got {list(amplitudes)}.")
    if 0.0 not in bgs:
        raise ValueError(f"`backgrounds` must include 0 (the reference), got {list(backgrounds)}.")
    dev, dt = placement(model, device, dtype)
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
class ShiftInvariance(ToDict):
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
    size = check_size(size)
    offs = tuple(as_pair(o, "offsets") for o in offsets)
    if not offs:
        raise ValueError("`offsets` must hold at least one (dy, dx) pair.")
    dev, dt = placement(model, device, dtype)
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
