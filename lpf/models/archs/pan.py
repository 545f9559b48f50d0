"""PAN: Pixel Attention Network (Zhao et al., ECCV Workshops 2020).

H. Zhao, X. Kong, J. He, Y. Qiao, C. Dong, "Efficient Image Super-Resolution Using Pixel
Attention", ECCV 2020 Workshops (AIM), arXiv:2010.01073. Re-written from the official code,
https://github.com/zhaohengyuan1/PAN (``codes/models/archs/PAN_arch.py``), with the same parameter
names, so that ``experiments/pretrained_models/PANx{2,3,4}_DF2K.pth`` load strictly.

Convention: RGB in [0, 1] in and out. The x2 and x3 checkpoints have identical shapes, so the scale
of a PAN checkpoint cannot always be read from the file: pass it.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from lpf.models.archs._common import (
    CheckpointError,
    PathLike,
    check_input,
    load_weights,
    read_state_dict,
)

__all__ = ["PAN", "load_pan"]


class _PA(nn.Module):
    """Pixel attention: ``x * sigmoid(conv1x1(x))``."""

    def __init__(self, nf: int):
        super().__init__()
        self.conv = nn.Conv2d(nf, nf, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(self.conv(x))


class _PAConv(nn.Module):
    """Pixel-attention convolution: ``k4(k3(x) * sigmoid(k2(x)))``."""

    def __init__(self, nf: int, k_size: int = 3):
        super().__init__()
        self.k2 = nn.Conv2d(nf, nf, 1)
        self.k3 = nn.Conv2d(nf, nf, k_size, padding=k_size // 2, bias=False)
        self.k4 = nn.Conv2d(nf, nf, k_size, padding=k_size // 2, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.k4(self.k3(x) * torch.sigmoid(self.k2(x)))


class _SCPA(nn.Module):
    """Self-calibrated block with pixel attention (two branches, 1x1 fusion, residual)."""

    def __init__(self, nf: int, reduction: int = 2):
        super().__init__()
        gw = nf // reduction
        self.conv1_a = nn.Conv2d(nf, gw, 1, bias=False)
        self.conv1_b = nn.Conv2d(nf, gw, 1, bias=False)
        self.k1 = nn.Sequential(nn.Conv2d(gw, gw, 3, padding=1, bias=False))
        self.PAConv = _PAConv(gw)
        self.conv3 = nn.Conv2d(gw * reduction, nf, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = F.leaky_relu(self.k1(F.leaky_relu(self.conv1_a(x), 0.2)), 0.2)
        b = F.leaky_relu(self.PAConv(F.leaky_relu(self.conv1_b(x), 0.2)), 0.2)
        return self.conv3(torch.cat([a, b], dim=1)) + x


class PAN(nn.Module):
    """PAN (Zhao et al., ECCV-W 2020), from https://github.com/zhaohengyuan1/PAN.

    A 3x3 conv, ``nb`` SCPA blocks and a 3x3 conv with a global skip; then nearest-neighbour
    upsampling (one x2/x3 step, or two x2 steps for x4), each followed by a 3x3 conv, pixel
    attention and a 3x3 conv (LeakyReLU 0.2); a last 3x3 conv to RGB, plus the bilinearly upsampled
    input (``align_corners=False``) as a global residual.

    Args:
        scale: the upscaling factor, 2, 3 or 4.
        in_nc: input channels.
        out_nc: output channels.
        nf: trunk feature channels.
        unf: channels of the upsampling branch.
        nb: number of SCPA blocks.

    Shape:
        - Input: :math:`(N, 3, H, W)`, RGB float in [0, 1].
        - Output: :math:`(N, 3, sH, sW)`, not clamped.

    Examples:
        >>> net = PAN(scale=4, nf=8, unf=8, nb=2)
        >>> net(torch.rand(1, 3, 8, 8)).shape
        torch.Size([1, 3, 32, 32])
    """

    INPUT_RANGE = 1.0
    CHANNELS = "RGB"
    SCALES = (2, 3, 4)
    MIN_SIZE = 1

    def __init__(
        self,
        scale: int = 4,
        *,
        in_nc: int = 3,
        out_nc: int = 3,
        nf: int = 40,
        unf: int = 24,
        nb: int = 16,
    ):
        super().__init__()
        if scale not in self.SCALES:
            raise ValueError(f"`scale` of PAN must be one of {self.SCALES}, got {scale!r}.")
        self.scale = scale
        self.in_nc = in_nc
        self.conv_first = nn.Conv2d(in_nc, nf, 3, padding=1)
        self.SCPA_trunk = nn.Sequential(*[_SCPA(nf) for _ in range(nb)])
        self.trunk_conv = nn.Conv2d(nf, nf, 3, padding=1)
        self.upconv1 = nn.Conv2d(nf, unf, 3, padding=1)
        self.att1 = _PA(unf)
        self.HRconv1 = nn.Conv2d(unf, unf, 3, padding=1)
        if scale == 4:
            self.upconv2 = nn.Conv2d(unf, unf, 3, padding=1)
            self.att2 = _PA(unf)
            self.HRconv2 = nn.Conv2d(unf, unf, 3, padding=1)
        self.conv_last = nn.Conv2d(unf, out_nc, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Super-resolve ``x``.

        Args:
            x: ``(N, 3, H, W)`` RGB in [0, 1].

        Returns:
            ``(N, 3, scale*H, scale*W)``.
        """
        check_input(x, "x", channels=self.in_nc, arch="PAN")
        fea = self.conv_first(x)
        fea = fea + self.trunk_conv(self.SCPA_trunk(fea))
        fea = self._up_stage(fea, 2 if self.scale == 4 else self.scale, 1)
        if self.scale == 4:
            fea = self._up_stage(fea, 2, 2)
        out = self.conv_last(fea)
        return out + F.interpolate(x, scale_factor=self.scale, mode="bilinear", align_corners=False)

    def _up_stage(self, fea: torch.Tensor, factor: int, stage: int) -> torch.Tensor:
        """Nearest-neighbour upsampling by ``factor``, conv, pixel attention, conv."""
        upconv = getattr(self, f"upconv{stage}")
        att = getattr(self, f"att{stage}")
        hrconv = getattr(self, f"HRconv{stage}")
        fea = upconv(F.interpolate(fea, scale_factor=factor, mode="nearest"))
        fea = F.leaky_relu(att(fea), 0.2)
        return F.leaky_relu(hrconv(fea), 0.2)

    @classmethod
    def from_checkpoint(cls, path: PathLike, *, scale: int | None = None) -> PAN:
        """Build PAN for the checkpoint at ``path`` and load it strictly.

        Args:
            path: an official PAN checkpoint (``PANx{2,3,4}_DF2K.pth``).
            scale: the scale. A x4 checkpoint is recognised by its second upsampling stage; x2
                and x3 checkpoints have the same shapes, so for them ``scale`` is required.

        Returns:
            The network in eval mode.

        Raises:
            CheckpointError: the file is not a PAN checkpoint of ``scale``, or the scale of a
                x2/x3 checkpoint was not given.
        """
        sd = read_state_dict(path)
        if scale is None:
            if "upconv2.weight" in sd:
                scale = 4
            elif "upconv1.weight" in sd:
                raise CheckpointError(
                    f"The scale of the PAN checkpoint {str(path)!r} cannot be read from it (x2 "
                    "and x3 checkpoints have the same shapes); pass scale=2 or scale=3."
                )
            else:
                scale = 4  # not PAN at all: let strict loading list the keys
        return load_weights(cls(scale), sd, source=repr(str(path)))


def load_pan(path: PathLike, *, scale: int | None = None) -> PAN:
    """Load an official PAN checkpoint: :meth:`PAN.from_checkpoint`."""
    return PAN.from_checkpoint(path, scale=scale)
