"""Small known-answer models shared by the impulse/HyRA/CLI tests."""

from __future__ import annotations

import torch.nn.functional as F
from lpf.lpfsr import lpf_sr
from torch import nn


class Bicubic(nn.Module):
    """torch's bicubic upsampler (Keys a = -0.75, align_corners=False): a linear system."""

    def __init__(self, scale: int):
        super().__init__()
        self.scale = scale

    def forward(self, x):
        return F.interpolate(x, scale_factor=self.scale, mode="bicubic", align_corners=False)


class SincLPF(nn.Module):
    """The kit's sinc low-pass upsampler as a module: linear, shift-invariant, sinc-like."""

    def __init__(self, scale: int, half_width: int = 4):
        super().__init__()
        self.scale, self.half_width = scale, half_width

    def forward(self, x):
        return lpf_sr(x, self.scale, half_width=self.half_width)
