"""RLFN: Residual Local Feature Network (Kong et al., CVPR Workshops 2022).

F. Kong, M. Li, S. Liu, D. Liu, J. He, Y. Bai, F. Chen, L. Fu, "Residual Local Feature Network
for Efficient Super-Resolution", CVPR 2022 Workshops (NTIRE 2022 efficient SR challenge, winner of
the runtime track), arXiv:2205.07514. Re-written from the challenge's code,
https://github.com/ofsoundof/NTIRE2022_ESR (``models/team04_rlfn.py``, class ``RLFN_cut``), with
the same parameter names, so that ``model_zoo/team04_rlfn.pth`` loads strictly.

Convention: RGB in **[0, 255]** in and out (the challenge's evaluation feeds uint8 values).
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
from lpf.models.archs.rfdn import ESA, ESA_MIN_SIZE

__all__ = ["RLFN", "load_rlfn"]


class _RLFB(nn.Module):
    """Residual local feature block: 3 x (3x3 conv + LeakyReLU 0.05), skip, 1x1 conv, ESA."""

    def __init__(self, channels: int, mid_channels: int, esa_channels: int = 16):
        super().__init__()
        self.c1_r = nn.Conv2d(channels, mid_channels, 3, padding=1)
        self.c2_r = nn.Conv2d(mid_channels, mid_channels, 3, padding=1)
        self.c3_r = nn.Conv2d(mid_channels, channels, 3, padding=1)
        self.c5 = nn.Conv2d(channels, channels, 1)
        self.esa = ESA(channels, esa_channels, full=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.leaky_relu(self.c1_r(x), 0.05)
        out = F.leaky_relu(self.c2_r(out), 0.05)
        out = F.leaky_relu(self.c3_r(out), 0.05)
        return self.esa(self.c5(out + x))


class RLFN(nn.Module):
    """RLFN_cut (Kong et al., CVPR-W 2022), from https://github.com/ofsoundof/NTIRE2022_ESR.

    A 3x3 conv, four residual local feature blocks (RLFB), a 3x3 conv with a global skip, and a
    one-step pixel-shuffle upsampler. The challenge model ("cut") has ``nf=46`` features and
    ``mf=48`` channels inside the blocks.

    Args:
        scale: the upscaling factor (the NTIRE 2022 checkpoint is x4).
        in_nc: input channels.
        out_nc: output channels.
        nf: feature channels.
        mf: channels inside each block.
        num_blocks: number of RLFBs.
        esa_channels: ESA's reduced channels.

    Shape:
        - Input: :math:`(N, 3, H, W)`, RGB float in **[0, 255]**, ``H, W >= 15``.
        - Output: :math:`(N, 3, sH, sW)` in [0, 255], not clamped.

    Examples:
        >>> net = RLFN(nf=8, mf=8, num_blocks=2, esa_channels=4)
        >>> net(255 * torch.rand(1, 3, 16, 16)).shape
        torch.Size([1, 3, 64, 64])
    """

    INPUT_RANGE = 255.0
    CHANNELS = "RGB"
    SCALES = (2, 3, 4)
    MIN_SIZE = ESA_MIN_SIZE

    def __init__(
        self,
        scale: int = 4,
        *,
        in_nc: int = 3,
        out_nc: int = 3,
        nf: int = 46,
        mf: int = 48,
        num_blocks: int = 4,
        esa_channels: int = 16,
    ):
        super().__init__()
        if scale not in self.SCALES:
            raise ValueError(f"`scale` of RLFN must be one of {self.SCALES}, got {scale!r}.")
        self.scale = scale
        self.in_nc = in_nc
        self.num_blocks = num_blocks
        self.fea_conv = nn.Conv2d(in_nc, nf, 3, padding=1)
        for i in range(1, num_blocks + 1):
            self.add_module(f"B{i}", _RLFB(nf, mf, esa_channels))
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
        check_input(x, "x", channels=self.in_nc, min_size=self.MIN_SIZE, arch="RLFN")
        fea = self.fea_conv(x)
        out = fea
        for i in range(1, self.num_blocks + 1):
            out = getattr(self, f"B{i}")(out)
        return self.upsampler(self.LR_conv(out) + fea)

    @classmethod
    def from_checkpoint(cls, path: PathLike, *, scale: int | None = None) -> RLFN:
        """Build RLFN_cut for the checkpoint at ``path`` and load it strictly.

        Args:
            path: an RLFN_cut checkpoint such as ``team04_rlfn.pth``.
            scale: the expected scale; inferred from the upsampler's shape when ``None``.

        Returns:
            The network in eval mode.

        Raises:
            CheckpointError: the file is not an RLFN_cut checkpoint (of ``scale``).
        """
        sd = read_state_dict(path)
        scale = scale or infer_shuffle_scale(sd, "upsampler.0.weight", 3, cls.SCALES) or 4
        return load_weights(cls(scale), sd, source=repr(str(path)))


def load_rlfn(path: PathLike, *, scale: int | None = None) -> RLFN:
    """Load an RLFN_cut checkpoint (input/output in [0, 255]): :meth:`RLFN.from_checkpoint`."""
    return RLFN.from_checkpoint(path, scale=scale)
