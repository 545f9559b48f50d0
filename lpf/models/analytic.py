"""The analytic upsamplers of the registry, behind the kit's calling convention.

Nearest, bilinear, bicubic, MATLAB bicubic, Lanczos-3 and the ideal-cutoff sinc low-pass filter.

Examples:
    >>> import torch
    >>> from lpf.models.catalog import MODELS
    >>> build_analytic(MODELS["sinc-lpf"], 2)(torch.rand(1, 3, 6, 6)).shape
    torch.Size([1, 3, 12, 12])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from lpf.data.resize import resize_weights
from lpf.models.catalog import ModelSpec
from lpf.models.wrapper import SRModel
from lpf.signal.lpfsr import resampling_matrix

__all__ = ["build_analytic"]


class _Interpolate(nn.Module):
    def __init__(self, scale: float, mode: str):
        super().__init__()
        self.scale, self.mode = scale, mode

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        size = (round(x.shape[-2] * self.scale), round(x.shape[-1] * self.scale))
        opts = {} if self.mode == "nearest" else {"align_corners": False}
        return F.interpolate(x, size=size, mode=self.mode, **opts)


class _Separable(nn.Module):
    """Upsampling by per-axis resampling matrices built by ``matrix(n, scale)``."""

    def __init__(self, scale: int, matrix: Callable[[int, int], Any]):
        super().__init__()
        self.scale, self.matrix = scale, matrix

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = torch.as_tensor(self.matrix(x.shape[-2], self.scale)).to(x)
        cols = torch.as_tensor(self.matrix(x.shape[-1], self.scale)).to(x)
        return rows @ x @ cols.T


def _lanczos3(n: int, s: int) -> Any:
    return resampling_matrix(n, s, cutoff=0.5, window="lanczos", half_width=3, normalize="phase")


def _sinc(n: int, s: int) -> Any:
    return resampling_matrix(n, s)


def _matlab_bicubic(n: int, s: int) -> Any:
    return resize_weights(n, float(s))


def build_analytic(spec: ModelSpec, scale: float) -> SRModel:
    """The analytic model of registry entry ``spec`` (``arch == "analytic"``) at ``scale``."""
    kind = spec.arch_kwargs["kind"]
    if kind in ("nearest", "bilinear", "bicubic"):
        net: nn.Module = _Interpolate(scale, kind)
    elif kind == "lanczos3":
        net = _Separable(int(scale), _lanczos3)
    elif kind == "sinc":
        net = _Separable(int(scale), _sinc)
    elif kind == "bicubic-matlab":
        net = _Separable(int(scale), _matlab_bicubic)
    else:  # pragma: no cover - the catalog's schema allows only the kinds above
        raise ValueError(f"unknown analytic kind {kind!r}")
    return SRModel(net, scale=scale, name=spec.name, spec=spec).eval()
