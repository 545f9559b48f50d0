"""SAFMN: Spatially-Adaptive Feature Modulation Network (Sun et al., ICCV 2023).

L. Sun, J. Dong, J. Tang, J. Pan, "Spatially-Adaptive Feature Modulation for Efficient Image
Super-Resolution", ICCV 2023, arXiv:2302.13800. Re-written (without einops) from the NTIRE 2023
efficient SR entry in the official repository, https://github.com/sunny2109/SAFMN
(``NTIRE2023_ESR/models/team15_SAFMN.py``), with the same parameter names, so that
``NTIRE2023_ESR/model_zoo/team15_SAFMN.pth`` (``{'params': state_dict}``) loads strictly.

Convention: RGB in [0, 1] in and out. The network adds the bilinearly upsampled input
(``align_corners=False``) to its output.
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

__all__ = ["SAFMN", "load_safmn"]


class _GRN(nn.Module):
    """Global response normalisation (ConvNeXt-V2): ``gamma * (x * N(x)) + beta + x``."""

    def __init__(self, dim: int):
        super().__init__()
        self.gamma = nn.Parameter(torch.zeros(1, dim, 1, 1))
        self.beta = nn.Parameter(torch.zeros(1, dim, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gx = torch.linalg.vector_norm(x, ord=2, dim=(2, 3), keepdim=True)
        nx = gx / (gx.mean(dim=1, keepdim=True) + 1e-6)
        return self.gamma * (x * nx) + self.beta + x


class _CCM(nn.Module):
    """Convolutional channel mixer: 3x3 conv to ``growth_rate * dim``, GELU, 1x1 conv back."""

    def __init__(self, dim: int, growth_rate: float = 2.0):
        super().__init__()
        hidden = int(dim * growth_rate)
        self.ccm = nn.Sequential(
            nn.Conv2d(dim, hidden, 3, padding=1, bias=False),
            nn.GELU(),
            nn.Conv2d(hidden, dim, 1, bias=False),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.ccm(x)


class _SAFM(nn.Module):
    """Spatially-adaptive feature modulation.

    The channels are split in ``n_levels`` chunks; chunk ``i > 0`` is max-pooled to
    ``(H // 2**(i+1), W // 2**(i+1))``, filtered by a depthwise 3x3 conv and upsampled back
    (nearest); chunk 0 is filtered at full size. A 1x1 conv aggregates them into a modulation map
    ``m``, and the block returns ``GELU(m) * x``.
    """

    def __init__(self, dim: int, n_levels: int = 4):
        super().__init__()
        self.n_levels = n_levels
        chunk = dim // n_levels
        self.mfr = nn.ModuleList(
            nn.Conv2d(chunk, chunk, 3, padding=1, groups=chunk, bias=False) for _ in range(n_levels)
        )
        self.aggr = nn.Conv2d(dim, dim, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h, w = x.shape[-2:]
        out = []
        for i, xc in enumerate(x.chunk(self.n_levels, dim=1)):
            if i == 0:
                out.append(self.mfr[0](xc))
            else:
                s = F.adaptive_max_pool2d(xc, (h // 2 ** (i + 1), w // 2 ** (i + 1)))
                s = F.interpolate(self.mfr[i](s), size=(h, w), mode="nearest")
                out.append(s)
        return F.gelu(self.aggr(torch.cat(out, dim=1))) * x


class _AttBlock(nn.Module):
    def __init__(self, dim: int, ffn_scale: float):
        super().__init__()
        self.safm = _SAFM(dim)
        self.ccm = _CCM(dim, ffn_scale)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.safm(x) + x
        return self.ccm(x) + x


class SAFMN(nn.Module):
    """SAFMN (Sun et al., ICCV 2023), NTIRE 2023 ESR entry, from https://github.com/sunny2109/SAFMN.

    A 3x3 conv to ``dim`` channels, global response normalisation, ``n_blocks`` blocks of
    (SAFM + residual, CCM + residual), a 3x3 conv + pixel shuffle, plus the bilinearly upsampled
    input.

    Args:
        scale: the upscaling factor (the NTIRE 2023 checkpoint is x4).
        dim: feature channels.
        n_blocks: number of blocks.
        ffn_scale: the channel growth of the CCM.

    Shape:
        - Input: :math:`(N, 3, H, W)`, RGB float in [0, 1], ``H, W >= 16`` (the coarsest SAFM
          level pools to ``H // 16``).
        - Output: :math:`(N, 3, sH, sW)`, not clamped.

    Examples:
        >>> net = SAFMN(dim=8, n_blocks=2)
        >>> net(torch.rand(1, 3, 16, 16)).shape
        torch.Size([1, 3, 64, 64])
    """

    INPUT_RANGE = 1.0
    CHANNELS = "RGB"
    SCALES = (2, 3, 4)
    MIN_SIZE = 16

    def __init__(self, scale: int = 4, *, dim: int = 36, n_blocks: int = 8, ffn_scale: float = 2.0):
        super().__init__()
        if scale not in self.SCALES:
            raise ValueError(f"`scale` of SAFMN must be one of {self.SCALES}, got {scale!r}.")
        self.scale = scale
        self.norm = _GRN(dim)
        self.to_feat = nn.Conv2d(3, dim, 3, padding=1)
        self.feats = nn.Sequential(*[_AttBlock(dim, ffn_scale) for _ in range(n_blocks)])
        self.to_img = nn.Sequential(
            nn.Conv2d(dim, 3 * scale**2, 3, padding=1), nn.PixelShuffle(scale)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Super-resolve ``x``.

        Args:
            x: ``(N, 3, H, W)`` RGB in [0, 1], ``H, W >= 16``.

        Returns:
            ``(N, 3, scale*H, scale*W)`` (not clamped).
        """
        check_input(x, "x", channels=3, min_size=self.MIN_SIZE, arch="SAFMN")
        ident = F.interpolate(x, scale_factor=self.scale, mode="bilinear", align_corners=False)
        out = self.feats(self.norm(self.to_feat(x)))
        return self.to_img(out) + ident

    @classmethod
    def from_checkpoint(cls, path: PathLike, *, scale: int | None = None) -> SAFMN:
        """Build SAFMN for the checkpoint at ``path`` and load it strictly.

        Args:
            path: a SAFMN checkpoint such as ``team15_SAFMN.pth`` (``{'params': ...}``).
            scale: the expected scale; inferred from the last conv's shape when ``None``.

        Returns:
            The network in eval mode.

        Raises:
            CheckpointError: the file is not a SAFMN checkpoint (of ``scale``).
        """
        sd = read_state_dict(path)
        scale = scale or infer_shuffle_scale(sd, "to_img.0.weight", 3, cls.SCALES) or 4
        return load_weights(cls(scale), sd, source=repr(str(path)))


def load_safmn(path: PathLike, *, scale: int | None = None) -> SAFMN:
    """Load a SAFMN checkpoint: :meth:`SAFMN.from_checkpoint`."""
    return SAFMN.from_checkpoint(path, scale=scale)
