"""CARN-M: the mobile Cascading Residual Network (Ahn et al., ECCV 2018).

N. Ahn, B. Kang, K.-A. Sohn, "Fast, Accurate, and Lightweight Super-Resolution with Cascading
Residual Network", ECCV 2018, arXiv:1803.08664. Re-written from the official code,
https://github.com/nmhkahn/CARN-pytorch (``carn/model/carn_m.py``, ``carn/model/ops.py``), with
the same parameter names, so that ``checkpoint/carn_m.pth`` loads strictly.

CARN-M is one multi-scale network: the body is shared, and one of three upsamplers (x2, x3, x4)
is chosen at call time, ``net(x, scale)``. Convention: RGB in [0, 1] in and out; the DIV2K mean is
subtracted at the entry and added back at the exit inside the network.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from lpf.models.archs._common import PathLike, check_input, load_weights, read_state_dict

__all__ = ["CARNM", "load_carn_m"]

DIV2K_MEAN = (0.4488, 0.4371, 0.4040)


class _MeanShift(nn.Module):
    """Adds (``sign=+1``) or subtracts (``sign=-1``) the RGB mean with a frozen 1x1 conv."""

    def __init__(self, mean: tuple[float, float, float], sign: int):
        super().__init__()
        self.shifter = nn.Conv2d(3, 3, 1)
        with torch.no_grad():
            self.shifter.weight.copy_(torch.eye(3).view(3, 3, 1, 1))
            self.shifter.bias.copy_(sign * torch.tensor(mean))
        self.shifter.requires_grad_(False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.shifter(x)


class _ConvReLU(nn.Module):
    """``body = Sequential(conv, ReLU)`` (official ``BasicBlock``)."""

    def __init__(self, in_ch: int, out_ch: int, k: int = 1):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(in_ch, out_ch, k, padding=k // 2), nn.ReLU(True))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


class _EResidualBlock(nn.Module):
    """Efficient residual block: grouped 3x3, ReLU, grouped 3x3, ReLU, 1x1; ReLU(out + x)."""

    def __init__(self, nf: int, group: int):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(nf, nf, 3, padding=1, groups=group),
            nn.ReLU(True),
            nn.Conv2d(nf, nf, 3, padding=1, groups=group),
            nn.ReLU(True),
            nn.Conv2d(nf, nf, 1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.body(x) + x)


class _CascadingBlock(nn.Module):
    """Local cascade: one *shared* efficient residual block applied three times, 1x1 fusions."""

    def __init__(self, nf: int, group: int):
        super().__init__()
        self.b1 = _EResidualBlock(nf, group)
        self.c1 = _ConvReLU(nf * 2, nf)
        self.c2 = _ConvReLU(nf * 3, nf)
        self.c3 = _ConvReLU(nf * 4, nf)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        c1 = torch.cat([x, self.b1(x)], dim=1)
        o1 = self.c1(c1)
        c2 = torch.cat([c1, self.b1(o1)], dim=1)
        o2 = self.c2(c2)
        c3 = torch.cat([c2, self.b1(o2)], dim=1)
        return self.c3(c3)


class _Upsampler(nn.Module):
    """``body``: (grouped conv to ``r*r*nf``, ReLU, PixelShuffle(r)); twice (r=2) for x4."""

    def __init__(self, nf: int, scale: int, group: int):
        super().__init__()
        steps = [2, 2] if scale == 4 else [scale]
        layers: list[nn.Module] = []
        for r in steps:
            layers += [nn.Conv2d(nf, r * r * nf, 3, padding=1, groups=group), nn.ReLU(True)]
            layers.append(nn.PixelShuffle(r))
        self.body = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


class _MultiScaleUpsampler(nn.Module):
    def __init__(self, nf: int, group: int):
        super().__init__()
        self.up2 = _Upsampler(nf, 2, group)
        self.up3 = _Upsampler(nf, 3, group)
        self.up4 = _Upsampler(nf, 4, group)

    def forward(self, x: torch.Tensor, scale: int) -> torch.Tensor:
        return getattr(self, f"up{scale}")(x)


class CARNM(nn.Module):
    """CARN-M (Ahn et al., ECCV 2018), from https://github.com/nmhkahn/CARN-pytorch.

    Mean shift, a 3x3 entry conv, three cascading blocks with a global cascade of 1x1 fusions, a
    scale-specific upsampler (grouped conv + ReLU + pixel shuffle), a 3x3 exit conv, mean shift
    back. The official pretrained ``carn_m.pth`` uses ``group=4``.

    Args:
        nf: feature channels.
        group: groups of the 3x3 convolutions in residual blocks and upsamplers.

    Shape:
        - Input: :math:`(N, 3, H, W)`, RGB float in [0, 1].
        - Output: :math:`(N, 3, sH, sW)` for the ``scale`` given to :meth:`forward`.

    Examples:
        >>> net = CARNM(nf=8, group=4)
        >>> net(torch.rand(1, 3, 8, 8), scale=3).shape
        torch.Size([1, 3, 24, 24])
    """

    INPUT_RANGE = 1.0
    CHANNELS = "RGB"
    SCALES = (2, 3, 4)
    MIN_SIZE = 1

    def __init__(self, *, nf: int = 64, group: int = 4):
        super().__init__()
        self.sub_mean = _MeanShift(DIV2K_MEAN, -1)
        self.add_mean = _MeanShift(DIV2K_MEAN, +1)
        self.entry = nn.Conv2d(3, nf, 3, padding=1)
        self.b1 = _CascadingBlock(nf, group)
        self.b2 = _CascadingBlock(nf, group)
        self.b3 = _CascadingBlock(nf, group)
        self.c1 = _ConvReLU(nf * 2, nf)
        self.c2 = _ConvReLU(nf * 3, nf)
        self.c3 = _ConvReLU(nf * 4, nf)
        self.upsample = _MultiScaleUpsampler(nf, group)
        self.exit = nn.Conv2d(nf, 3, 3, padding=1)

    def forward(self, x: torch.Tensor, scale: int) -> torch.Tensor:
        """Super-resolve ``x`` by ``scale``.

        Args:
            x: ``(N, 3, H, W)`` RGB in [0, 1].
            scale: 2, 3 or 4.

        Returns:
            ``(N, 3, scale*H, scale*W)``, not clamped.
        """
        if scale not in self.SCALES:
            raise ValueError(f"`scale` of CARN-M must be one of {self.SCALES}, got {scale!r}.")
        check_input(x, "x", channels=3, arch="CARN-M")
        x = self.entry(self.sub_mean(x))
        c1 = torch.cat([x, self.b1(x)], dim=1)
        o1 = self.c1(c1)
        c2 = torch.cat([c1, self.b2(o1)], dim=1)
        o2 = self.c2(c2)
        c3 = torch.cat([c2, self.b3(o2)], dim=1)
        o3 = self.c3(c3)
        return self.add_mean(self.exit(self.upsample(o3, scale)))

    @classmethod
    def from_checkpoint(cls, path: PathLike) -> CARNM:
        """Build CARN-M (``group=4``) and load the checkpoint at ``path`` strictly.

        Args:
            path: the official multi-scale ``carn_m.pth``.

        Returns:
            The network in eval mode; choose the scale at call time.

        Raises:
            CheckpointError: the file is not a CARN-M (group 4) checkpoint.
        """
        return load_weights(cls(), read_state_dict(path), source=repr(str(path)))


def load_carn_m(path: PathLike) -> CARNM:
    """Load the official multi-scale CARN-M checkpoint: :meth:`CARNM.from_checkpoint`."""
    return CARNM.from_checkpoint(path)
