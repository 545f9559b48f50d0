"""RFDN: Residual Feature Distillation Network (Liu et al., ECCV Workshops 2020).

J. Liu, J. Tang, G. Wu, "Residual Feature Distillation Network for Lightweight Image
Super-Resolution", ECCV 2020 Workshops (AIM 2020 efficient SR challenge, winner),
arXiv:2009.11551. Re-written from the official code, https://github.com/njulj/RFDN (``RFDN.py``,
``block.py``), with the same parameter names, so that ``trained_model/RFDN_AIM.pth`` (the same
bytes as ``model_zoo/rfdn_baseline.pth`` of the NTIRE 2022 ESR challenge) loads strictly.

Convention: the AIM 2020 model was trained on RGB in **[0, 255]**: it takes and returns values in
[0, 255] (fed [0, 1] it loses about 6 dB on Set5).

The enhanced spatial attention (:class:`ESA`) is shared with :mod:`lpf.models.archs.rlfn`.
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

__all__ = ["ESA", "ESA_MIN_SIZE", "RFDN", "load_rfdn"]

#: The smallest input size of networks with ESA: its stride-2 conv and 7x7/3 max pooling need 15.
ESA_MIN_SIZE = 15


class ESA(nn.Module):
    """Enhanced spatial attention (Liu et al. 2020), in the RFDN and the RLFN variants.

    ``x * sigmoid(conv4(up(g(maxpool(conv2(conv1(x))))) + conv_f(conv1(x))))`` where ``g`` is
    ``conv3_(relu(conv3(relu(conv_max(.)))))`` (RFDN, ``full=True``) or ``conv3(.)`` (RLFN,
    ``full=False``), ``maxpool`` is 7x7 with stride 3 and ``up`` bilinear
    (``align_corners=False``) to the input size.

    Args:
        n_feats: input/output channels.
        f: reduced channels.
        full: build the RFDN variant (with ``conv_max`` and ``conv3_``).
    """

    def __init__(self, n_feats: int, f: int, *, full: bool = True):
        super().__init__()
        self.full = full
        self.conv1 = nn.Conv2d(n_feats, f, 1)
        self.conv_f = nn.Conv2d(f, f, 1)
        if full:
            self.conv_max = nn.Conv2d(f, f, 3, padding=1)
        self.conv2 = nn.Conv2d(f, f, 3, stride=2, padding=0)
        self.conv3 = nn.Conv2d(f, f, 3, padding=1)
        if full:
            self.conv3_ = nn.Conv2d(f, f, 3, padding=1)
        self.conv4 = nn.Conv2d(f, n_feats, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return ``x`` scaled by its spatial attention map (same shape)."""
        c1_ = self.conv1(x)
        v = F.max_pool2d(self.conv2(c1_), kernel_size=7, stride=3)
        if self.full:
            c3 = self.conv3_(F.relu(self.conv3(F.relu(self.conv_max(v)))))
        else:
            c3 = self.conv3(v)
        c3 = F.interpolate(c3, size=x.shape[-2:], mode="bilinear", align_corners=False)
        return x * torch.sigmoid(self.conv4(c3 + self.conv_f(c1_)))


def _lrelu(x: torch.Tensor) -> torch.Tensor:
    return F.leaky_relu(x, 0.05)


class _RFDB(nn.Module):
    """Residual feature distillation block: 3 distillation steps (1x1) + shallow residuals."""

    def __init__(self, channels: int):
        super().__init__()
        dc, rc = channels // 2, channels
        self.c1_d = nn.Conv2d(channels, dc, 1)
        self.c1_r = nn.Conv2d(channels, rc, 3, padding=1)
        self.c2_d = nn.Conv2d(rc, dc, 1)
        self.c2_r = nn.Conv2d(rc, rc, 3, padding=1)
        self.c3_d = nn.Conv2d(rc, dc, 1)
        self.c3_r = nn.Conv2d(rc, rc, 3, padding=1)
        self.c4 = nn.Conv2d(rc, dc, 3, padding=1)
        self.c5 = nn.Conv2d(dc * 4, channels, 1)
        self.esa = ESA(channels, channels // 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        d1 = _lrelu(self.c1_d(x))
        r1 = _lrelu(self.c1_r(x) + x)
        d2 = _lrelu(self.c2_d(r1))
        r2 = _lrelu(self.c2_r(r1) + r1)
        d3 = _lrelu(self.c3_d(r2))
        r3 = _lrelu(self.c3_r(r2) + r2)
        r4 = _lrelu(self.c4(r3))
        return self.esa(self.c5(torch.cat([d1, d2, d3, r4], dim=1)))


class RFDN(nn.Module):
    """RFDN (Liu et al., ECCV-W 2020), from https://github.com/njulj/RFDN.

    A 3x3 conv, ``num_modules`` residual feature distillation blocks (RFDB, each ending in ESA)
    whose outputs are concatenated and fused by 1x1 conv + LeakyReLU(0.05), a 3x3 conv with a
    global skip, and a one-step pixel-shuffle upsampler.

    Args:
        scale: the upscaling factor (the AIM 2020 checkpoint is x4).
        in_nc: input channels.
        nf: feature channels.
        num_modules: number of RFDBs.
        out_nc: output channels.

    Shape:
        - Input: :math:`(N, 3, H, W)`, RGB float in **[0, 255]**, ``H, W >= 15``.
        - Output: :math:`(N, 3, sH, sW)` in [0, 255], not clamped.

    Examples:
        >>> net = RFDN(nf=8, num_modules=2)
        >>> net(255 * torch.rand(1, 3, 16, 16)).shape
        torch.Size([1, 3, 64, 64])
    """

    INPUT_RANGE = 255.0
    CHANNELS = "RGB"
    SCALES = (2, 3, 4)
    MIN_SIZE = ESA_MIN_SIZE

    def __init__(
        self, scale: int = 4, *, in_nc: int = 3, nf: int = 50, num_modules: int = 4, out_nc: int = 3
    ):
        super().__init__()
        if scale not in self.SCALES:
            raise ValueError(f"`scale` of RFDN must be one of {self.SCALES}, got {scale!r}.")
        self.scale = scale
        self.in_nc = in_nc
        self.num_modules = num_modules
        self.fea_conv = nn.Conv2d(in_nc, nf, 3, padding=1)
        for i in range(1, num_modules + 1):
            self.add_module(f"B{i}", _RFDB(nf))
        self.c = nn.Sequential(nn.Conv2d(nf * num_modules, nf, 1), nn.LeakyReLU(0.05, True))
        self.LR_conv = nn.Conv2d(nf, nf, 3, padding=1)
        self.upsampler = nn.Sequential(
            nn.Conv2d(nf, out_nc * scale**2, 3, padding=1), nn.PixelShuffle(scale)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Super-resolve ``x``.

        Args:
            x: ``(N, 3, H, W)`` RGB in [0, 255], ``H, W >= 15``.

        Returns:
            ``(N, 3, scale*H, scale*W)`` in [0, 255] (not clamped).
        """
        check_input(x, "x", channels=self.in_nc, min_size=self.MIN_SIZE, arch="RFDN")
        fea = self.fea_conv(x)
        outs = []
        out = fea
        for i in range(1, self.num_modules + 1):
            out = getattr(self, f"B{i}")(out)
            outs.append(out)
        out = self.LR_conv(self.c(torch.cat(outs, dim=1))) + fea
        return self.upsampler(out)

    @classmethod
    def from_checkpoint(cls, path: PathLike, *, scale: int | None = None) -> RFDN:
        """Build RFDN for the checkpoint at ``path`` and load it strictly.

        Args:
            path: an RFDN checkpoint such as ``RFDN_AIM.pth``.
            scale: the expected scale; inferred from the upsampler's shape when ``None``.

        Returns:
            The network in eval mode.

        Raises:
            CheckpointError: the file is not an RFDN checkpoint (of ``scale``).
        """
        sd = read_state_dict(path)
        scale = scale or infer_shuffle_scale(sd, "upsampler.0.weight", 3, cls.SCALES) or 4
        return load_weights(cls(scale), sd, source=repr(str(path)))


def load_rfdn(path: PathLike, *, scale: int | None = None) -> RFDN:
    """Load an RFDN checkpoint (input/output in [0, 255]): :meth:`RFDN.from_checkpoint`."""
    return RFDN.from_checkpoint(path, scale=scale)
