"""IMDN: Information Multi-Distillation Network (Hui et al., ACM MM 2019).

Z. Hui, X. Gao, Y. Yang, X. Wang, "Lightweight Image Super-Resolution with Information
Multi-distillation Network", ACM Multimedia 2019, arXiv:1909.11856. Re-written from the official
code, https://github.com/Zheng222/IMDN (``model/architecture.py`` ``IMDN``, ``model/block.py``),
with the same parameter names, so that the official ``checkpoints/IMDN_x{2,3,4}.pth`` load strictly
(after the ``module.`` prefix of ``nn.DataParallel`` is stripped).

Convention: RGB in [0, 1] in and out, no mean shift.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from lpf.models.archs._common import (
    PathLike,
    check_input,
    infer_shuffle_scale,
    load_weights,
    read_state_dict,
)

__all__ = ["IMDN", "load_imdn"]


def _conv(in_ch: int, out_ch: int, k: int) -> nn.Conv2d:
    return nn.Conv2d(in_ch, out_ch, k, padding=k // 2)


class _ContrastChannelAttention(nn.Module):
    """Contrast-aware channel attention (CCA): weights from per-channel std + mean."""

    def __init__(self, channels: int, reduction: int = 16):
        super().__init__()
        self.conv_du = nn.Sequential(
            nn.Conv2d(channels, channels // reduction, 1),
            nn.ReLU(inplace=True),
            nn.Conv2d(channels // reduction, channels, 1),
            nn.Sigmoid(),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean = x.mean(dim=(2, 3), keepdim=True)
        std = (x - mean).pow(2).mean(dim=(2, 3), keepdim=True).sqrt()  # population std
        return x * self.conv_du(std + mean)


class _IMDB(nn.Module):
    """Information multi-distillation block: 3 split steps keep 1/4 of the channels each."""

    def __init__(self, channels: int, distillation_rate: float = 0.25):
        super().__init__()
        self.distilled = int(channels * distillation_rate)
        self.remaining = channels - self.distilled
        self.c1 = _conv(channels, channels, 3)
        self.c2 = _conv(self.remaining, channels, 3)
        self.c3 = _conv(self.remaining, channels, 3)
        self.c4 = _conv(self.remaining, self.distilled, 3)
        self.c5 = _conv(self.distilled * 4, channels, 1)
        self.cca = _ContrastChannelAttention(self.distilled * 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        split = (self.distilled, self.remaining)
        d1, r1 = torch.split(F.leaky_relu(self.c1(x), 0.05), split, dim=1)
        d2, r2 = torch.split(F.leaky_relu(self.c2(r1), 0.05), split, dim=1)
        d3, r3 = torch.split(F.leaky_relu(self.c3(r2), 0.05), split, dim=1)
        d4 = self.c4(r3)
        return self.c5(self.cca(torch.cat([d1, d2, d3, d4], dim=1))) + x


class IMDN(nn.Module):
    """IMDN (Hui et al., ACM MM 2019), from https://github.com/Zheng222/IMDN.

    A 3x3 feature conv, ``num_modules`` information multi-distillation blocks (IMDB) whose outputs
    are concatenated and fused by a 1x1 conv + LeakyReLU(0.05), a 3x3 conv with a global skip, and
    a one-step pixel-shuffle upsampler. Key names follow the official code (``fea_conv``,
    ``IMDB1..6``, ``c.0``, ``LR_conv``, ``upsampler.0``).

    Args:
        scale: the upscaling factor, 2, 3 or 4.
        in_nc: input channels.
        nf: feature channels (a multiple of 4, at least 16).
        num_modules: number of IMDBs.
        out_nc: output channels.

    Shape:
        - Input: :math:`(N, 3, H, W)`, RGB float in [0, 1].
        - Output: :math:`(N, 3, sH, sW)`, RGB in [0, 1] up to overshoot (not clamped).

    Examples:
        >>> net = IMDN(scale=2, nf=16, num_modules=2)
        >>> net(torch.rand(1, 3, 8, 8)).shape
        torch.Size([1, 3, 16, 16])
    """

    INPUT_RANGE = 1.0
    CHANNELS = "RGB"
    SCALES = (2, 3, 4)
    MIN_SIZE = 1

    def __init__(
        self, scale: int = 4, *, in_nc: int = 3, nf: int = 64, num_modules: int = 6, out_nc: int = 3
    ):
        super().__init__()
        if scale not in self.SCALES:
            raise ValueError(f"`scale` of IMDN must be one of {self.SCALES}, got {scale!r}.")
        if nf < 16 or nf % 4:
            raise ValueError(f"`nf` of IMDN must be a multiple of 4 and >= 16, got {nf!r}.")
        self.scale = scale
        self.in_nc = in_nc
        self.num_modules = num_modules
        self.fea_conv = _conv(in_nc, nf, 3)
        for i in range(1, num_modules + 1):
            self.add_module(f"IMDB{i}", _IMDB(nf))
        self.c = nn.Sequential(nn.Conv2d(nf * num_modules, nf, 1), nn.LeakyReLU(0.05, True))
        self.LR_conv = _conv(nf, nf, 3)
        self.upsampler = nn.Sequential(_conv(nf, out_nc * scale**2, 3), nn.PixelShuffle(scale))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Super-resolve ``x``.

        Args:
            x: ``(N, 3, H, W)`` RGB in [0, 1].

        Returns:
            ``(N, 3, scale*H, scale*W)``.
        """
        check_input(x, "x", channels=self.in_nc, arch="IMDN")
        fea = self.fea_conv(x)
        outs = []
        out = fea
        for i in range(1, self.num_modules + 1):
            out = getattr(self, f"IMDB{i}")(out)
            outs.append(out)
        out = self.LR_conv(self.c(torch.cat(outs, dim=1))) + fea
        return self.upsampler(out)

    @classmethod
    def from_checkpoint(cls, path: PathLike, *, scale: int | None = None) -> IMDN:
        """Build IMDN for the checkpoint at ``path`` and load it strictly.

        Args:
            path: an official IMDN checkpoint (``IMDN_x{2,3,4}.pth``).
            scale: the expected scale; inferred from the upsampler's shape when ``None``.

        Returns:
            The network in eval mode.

        Raises:
            CheckpointError: the file is not an IMDN checkpoint, or not of ``scale``.
        """
        sd = read_state_dict(path)
        scale = scale or infer_shuffle_scale(sd, "upsampler.0.weight", 3, cls.SCALES) or 4
        return load_weights(cls(scale), sd, source=repr(str(path)))


def load_imdn(path: PathLike, *, scale: int | None = None) -> IMDN:
    """Load an official IMDN checkpoint: :meth:`IMDN.from_checkpoint`."""
    return IMDN.from_checkpoint(path, scale=scale)
