"""TODO docstring."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from lpf._checks import check_scale
from lpf.analysis._base import Model, ToDict
from lpf.analysis.impulse import (
    DCGain,
    ResponseSpectrum,
    dc_gain,
    frequency_response,
    impulse_response,
)
from lpf.analysis.invariance import Linearity, ShiftInvariance, linearity, shift_invariance
from lpf.analysis.sinc import SincLikeness, sinc_likeness

__all__ = [
    "diagnose",
    "ImpulseDiagnostics",
]


@dataclass(frozen=True, eq=False)
class ImpulseDiagnostics(ToDict):
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
