"""BSRN: Blueprint Separable Residual Network (Li et al., CVPR Workshops 2022).

Z. Li, Y. Liu, X. Chen, H. Cai, J. Gu, Y. Qiao, C. Dong, "Blueprint Separable Residual Network
for Efficient Image Super-Resolution", CVPR 2022 Workshops (NTIRE 2022 efficient SR challenge,
winner of the model-complexity track), arXiv:2205.05996. Re-written from the challenge's code,
https://github.com/ofsoundof/NTIRE2022_ESR (``models/team18_bsrn.py``), with the same parameter
names, so that ``model_zoo/team18_bsrn.pth`` (``{'params': state_dict}``) loads strictly.

In that variant the pointwise (1x1) convolutions are ``nn.Linear`` layers applied over the channel
axis (2-D weights ``(out, in)``); here they are :class:`ChannelLinear`, an ``nn.Linear`` applied to
``(N, C, H, W)`` tensors as a 1x1 convolution: the same parameters and the same function.

Convention: RGB in [0, 1] in and out. The network repeats its 3-channel input 4 times along the
channels (12 channels) before the first convolution; this happens inside :meth:`BSRN.forward`.
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
from lpf.models.archs.rfdn import ESA_MIN_SIZE

__all__ = ["BSRN", "BSConvU", "ChannelLinear", "load_bsrn"]


class ChannelLinear(nn.Linear):
    """``nn.Linear`` over the channel axis of an ``(N, C, H, W)`` tensor (a 1x1 convolution).

    Examples:
        >>> lin = ChannelLinear(4, 2)
        >>> lin(torch.rand(1, 4, 5, 5)).shape
        torch.Size([1, 2, 5, 5])
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the linear map to every pixel of ``x`` (``(N, in, H, W) -> (N, out, H, W)``)."""
        return F.conv2d(x, self.weight[:, :, None, None], self.bias)


class BSConvU(nn.Module):
    """Blueprint separable convolution, unconstrained: pointwise ``pw`` then depthwise ``dw``.

    Args:
        in_channels: input channels.
        out_channels: output channels.
        kernel_size: size of the depthwise kernel.
        padding: zero padding of the depthwise convolution.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 3, padding: int = 1):
        super().__init__()
        self.pw = ChannelLinear(in_channels, out_channels)
        self.dw = nn.Conv2d(
            out_channels, out_channels, kernel_size, padding=padding, groups=out_channels
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the pointwise then the depthwise convolution."""
        return self.dw(self.pw(x))


class _ESA(nn.Module):
    """ESA of BSRN: RFDN's ESA with BSConvU 3x3 convs, GELU, and linear 1x1 convs."""

    def __init__(self, n_feats: int):
        super().__init__()
        f = n_feats // 4
        self.conv1 = ChannelLinear(n_feats, f)
        self.conv_f = ChannelLinear(f, f)
        self.conv_max = BSConvU(f, f)
        self.conv2 = nn.Conv2d(f, f, 3, stride=2, padding=0)
        self.conv3 = BSConvU(f, f)
        self.conv3_ = BSConvU(f, f)
        self.conv4 = ChannelLinear(f, n_feats)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        c1_ = self.conv1(x)
        v = F.max_pool2d(self.conv2(c1_), kernel_size=7, stride=3)
        c3 = self.conv3_(F.gelu(self.conv3(F.gelu(self.conv_max(v)))))
        c3 = F.interpolate(c3, size=x.shape[-2:], mode="bilinear", align_corners=False)
        return x * torch.sigmoid(self.conv4(c3 + self.conv_f(c1_)))


class _ESDB(nn.Module):
    """Efficient separable distillation block (RFDB with BSConvU, GELU, ESA, channel weights)."""

    def __init__(self, channels: int):
        super().__init__()
        dc = channels // 2
        self.c1_d = ChannelLinear(channels, dc)
        self.c1_r = BSConvU(channels, channels)
        self.c2_d = ChannelLinear(channels, dc)
        self.c2_r = BSConvU(channels, channels)
        self.c3_d = ChannelLinear(channels, dc)
        self.c3_r = BSConvU(channels, channels)
        self.c4 = BSConvU(channels, dc)
        self.c5 = ChannelLinear(dc * 4, channels)
        self.esa = _ESA(channels)
        self.cw = nn.Parameter(torch.empty(1, channels).normal_(1.0, 0.2))  # per-channel weights
        self.conv_out = ChannelLinear(channels, channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        d1 = F.gelu(self.c1_d(x))
        r1 = F.gelu(self.c1_r(x) + x)
        d2 = F.gelu(self.c2_d(r1))
        r2 = F.gelu(self.c2_r(r1) + r1)
        d3 = F.gelu(self.c3_d(r2))
        r3 = F.gelu(self.c3_r(r2) + r2)
        r4 = F.gelu(self.c4(r3))
        out = self.esa(self.c5(torch.cat([d1, d2, d3, r4], dim=1)))
        return self.conv_out(out * self.cw[:, :, None, None]) + x


class _PixelShuffleDirect(nn.Module):
    """``upsampleOneStep = Sequential(conv3x3 to out*s*s, PixelShuffle(s))``."""

    def __init__(self, scale: int, num_feat: int, num_out_ch: int):
        super().__init__()
        self.upsampleOneStep = nn.Sequential(
            nn.Conv2d(num_feat, num_out_ch * scale**2, 3, padding=1), nn.PixelShuffle(scale)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.upsampleOneStep(x)


class BSRN(nn.Module):
    """BSRN (Li et al., CVPR-W 2022), from https://github.com/ofsoundof/NTIRE2022_ESR.

    The input is repeated 4 times along channels; a BSConvU 3x3, ``num_block`` efficient separable
    distillation blocks (ESDB) concatenated and fused by a linear 1x1 + GELU, a BSConvU 3x3 with a
    global skip, and a one-step pixel-shuffle upsampler.

    Args:
        scale: the upscaling factor (the NTIRE 2022 checkpoint is x4).
        num_in_ch: input channels (before the 4-fold repetition).
        num_feat: feature channels.
        num_block: number of ESDBs (the checkpoint has 5; the official constructor's default
            ``num_block=4`` was overridden by its hard-coded five blocks ``B1..B5``).
        num_out_ch: output channels.

    Shape:
        - Input: :math:`(N, 3, H, W)`, RGB float in [0, 1], ``H, W >= 15``.
        - Output: :math:`(N, 3, sH, sW)`, not clamped.

    Examples:
        >>> net = BSRN(num_feat=8, num_block=2)
        >>> net(torch.rand(1, 3, 16, 16)).shape
        torch.Size([1, 3, 64, 64])
    """

    INPUT_RANGE = 1.0
    CHANNELS = "RGB"
    SCALES = (2, 3, 4)
    MIN_SIZE = ESA_MIN_SIZE

    def __init__(
        self,
        scale: int = 4,
        *,
        num_in_ch: int = 3,
        num_feat: int = 48,
        num_block: int = 5,
        num_out_ch: int = 3,
    ):
        super().__init__()
        if scale not in self.SCALES:
            raise ValueError(f"`scale` of BSRN must be one of {self.SCALES}, got {scale!r}.")
        self.scale = scale
        self.num_in_ch = num_in_ch
        self.num_block = num_block
        self.fea_conv = BSConvU(num_in_ch * 4, num_feat)
        for i in range(1, num_block + 1):
            self.add_module(f"B{i}", _ESDB(num_feat))
        self.c1 = ChannelLinear(num_feat * num_block, num_feat)
        self.c2 = BSConvU(num_feat, num_feat)
        self.upsampler = _PixelShuffleDirect(scale, num_feat, num_out_ch)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Super-resolve ``x``.

        Args:
            x: ``(N, 3, H, W)`` RGB in [0, 1], ``H, W >= 15``.

        Returns:
            ``(N, 3, scale*H, scale*W)`` (not clamped).
        """
        check_input(x, "x", channels=self.num_in_ch, min_size=self.MIN_SIZE, arch="BSRN")
        fea = self.fea_conv(torch.cat([x, x, x, x], dim=1))
        outs = []
        out = fea
        for i in range(1, self.num_block + 1):
            out = getattr(self, f"B{i}")(out)
            outs.append(out)
        out = F.gelu(self.c1(torch.cat(outs, dim=1)))
        return self.upsampler(self.c2(out) + fea)

    @classmethod
    def from_checkpoint(cls, path: PathLike, *, scale: int | None = None) -> BSRN:
        """Build BSRN for the checkpoint at ``path`` and load it strictly.

        Args:
            path: a BSRN checkpoint such as ``team18_bsrn.pth`` (``{'params': ...}``).
            scale: the expected scale; inferred from the upsampler's shape when ``None``.

        Returns:
            The network in eval mode.

        Raises:
            CheckpointError: the file is not a BSRN checkpoint (of ``scale``).
        """
        sd = read_state_dict(path)
        key = "upsampler.upsampleOneStep.0.weight"
        scale = scale or infer_shuffle_scale(sd, key, 3, cls.SCALES) or 4
        return load_weights(cls(scale), sd, source=repr(str(path)))


def load_bsrn(path: PathLike, *, scale: int | None = None) -> BSRN:
    """Load a BSRN checkpoint: :meth:`BSRN.from_checkpoint`."""
    return BSRN.from_checkpoint(path, scale=scale)
