r"""LIIF: Local Implicit Image Function with an EDSR-baseline encoder (Chen et al., CVPR 2021).

Y. Chen, S. Liu, X. Wang, "Learning Continuous Image Representation with Local Implicit Image
Function", CVPR 2021, arXiv:2012.09161. Re-written from the official code,
https://github.com/yinboc/liif (``models/liif.py``, ``models/edsr.py``, ``models/mlp.py``,
``test.py``, ``utils.py``), with the same parameter names, so that the official
``edsr-baseline-liif.pth`` (``{'model': {'name': 'liif', 'args': ..., 'sd': state_dict}}``) loads
strictly. EDSR-LIIF is one of the networks analysed in the low-pass-filtering paper.

How an image is rendered (as the official test does it, for any output size :math:`H' \times W'`):

1. the input, RGB in [0, 1], is normalised to ``(x - 0.5) / 0.5``;
2. the encoder (EDSR-baseline without upsampler: 16 residual blocks of 64 features) gives a
   feature map ``z`` of the input's size;
3. every output pixel has the coordinate of its centre in :math:`[-1, 1]^2` (row first) and the
   cell ``(2 / H', 2 / W')``. For each of the 4 neighbouring latent codes (local ensemble; the
   query shifted by :math:`\pm` half a feature pixel, plus 1e-6, clamped to the image, then
   nearest-neighbour lookup) the MLP (580-256-256-256-256-3, ReLU) reads the 3x3-unfolded code
   (576), the offset to the code's centre in feature pixels (2) and the cell in feature pixels (2);
4. the 4 predictions are blended with the area of the rectangle between the query and the
   *diagonally opposite* code, normalised to sum 1;
5. the output is de-normalised, ``y * 0.5 + 0.5``, and not clamped.

Implementation notes (the same function as the official code to float rounding, about 1e-6;
checked in the tests against a line-by-line port of it; about half its CPU time):

- the first MLP layer acting on the unfolded 3x3 code is exactly a 3x3 convolution of the feature
  map with that layer's weights reshaped to ``(256, 64, 3, 3)`` (the zero padding of
  ``F.unfold(z, 3, padding=1)``); it is applied once per feature pixel, and each query looks up
  its 256-vector instead of multiplying a 576-vector per query and ensemble member;
- the query grid is separable, so the nearest code (found with the official nearest-neighbour
  ``grid_sample``, ties included) and the offset to it are computed once per output row and once
  per output column.
"""

from __future__ import annotations

import numbers

import torch
import torch.nn.functional as F
from torch import nn

from lpf.models.archs._common import (
    PathLike,
    check_input,
    check_window,
    load_weights,
    read_state_dict,
)
from lpf.models.archs.rdn import RDN

__all__ = ["LIIF", "EDSRBaselineEncoder", "load_liif", "make_coord"]

DIV2K_MEAN = (0.4488, 0.4371, 0.4040)


def make_coord(shape: tuple[int, ...], *, flatten: bool = True) -> torch.Tensor:
    """Coordinates of the pixel centres of an ``H x W`` grid in ``[-1, 1]`` (row, column).

    Computed with the official float32 arithmetic (``-1 + r + 2 r * arange(n)``, ``r = 1/n``),
    so that nearest-neighbour lookups break ties as the official code does.

    Args:
        shape: ``(H, W)`` (or any number of axes, e.g. ``(n,)``).
        flatten: return ``(H*W, 2)`` instead of ``(H, W, 2)``.

    Returns:
        float32 coordinates, ``[..., 0]`` the row and ``[..., 1]`` the column.

    Examples:
        >>> make_coord((2, 4))[:4].tolist()
        [[-0.5, -0.75], [-0.5, -0.25], [-0.5, 0.25], [-0.5, 0.75]]
    """
    seqs = []
    for n in shape:
        r = 2 / (2 * n)
        seqs.append(-1 + r + (2 * r) * torch.arange(n).float())
    coord = torch.stack(torch.meshgrid(*seqs, indexing="ij"), dim=-1)
    return coord.view(-1, len(shape)) if flatten else coord


def nearest_index(coord: torch.Tensor, shift: int, n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Nearest latent code along one axis for one local-ensemble member, as LIIF does it.

    The query coordinates ``coord`` are shifted by ``shift`` half feature pixels plus 1e-6 and
    clamped inside ``(-1, 1)``; the code index is found by nearest-neighbour ``grid_sample``
    (``align_corners=False``, the official lookup, ties included), and the offset from the code's
    centre is returned in feature pixels.

    Args:
        coord: ``(Q,)`` query coordinates along the axis.
        shift: -1 or +1.
        n: the feature map's size along the axis.

    Returns:
        ``(index, offset)``: ``(Q,)`` long indices into ``[0, n)`` and ``(Q,)`` offsets
        ``(coord - centre) * n``.
    """
    shifted = (coord + (shift * (2 / n / 2) + 1e-6)).clamp(-1 + 1e-6, 1 - 1e-6)
    grid = torch.stack([torch.zeros_like(shifted), shifted], dim=-1).view(1, 1, -1, 2)
    positions = torch.arange(n, dtype=coord.dtype, device=coord.device).view(1, 1, n, 1)
    index = F.grid_sample(positions, grid, mode="nearest", align_corners=False).view(-1).long()
    centres = make_coord((n,)).to(coord).view(-1)
    return index, (coord - centres[index]) * n


class _MeanShift(nn.Conv2d):
    """EDSR's frozen 1x1 conv adding ``sign * rgb_range * mean`` (std 1)."""

    def __init__(self, rgb_range: float, sign: int, mean: tuple[float, ...] = DIV2K_MEAN):
        super().__init__(3, 3, kernel_size=1)
        with torch.no_grad():
            self.weight.copy_(torch.eye(3).view(3, 3, 1, 1))
            self.bias.copy_(sign * rgb_range * torch.tensor(mean))
        self.requires_grad_(False)


class _ResBlock(nn.Module):
    def __init__(self, n_feats: int):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(n_feats, n_feats, 3, padding=1),
            nn.ReLU(True),
            nn.Conv2d(n_feats, n_feats, 3, padding=1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x) + x


class EDSRBaselineEncoder(nn.Module):
    r"""EDSR-baseline without upsampler (LIIF's encoder): head conv, residual blocks, conv, skip.

    ``sub_mean``/``add_mean`` exist for checkpoint compatibility, but, as in LIIF's
    ``models/edsr.py``, are *not* applied (LIIF normalises its input itself).

    Args:
        n_resblocks: number of residual blocks.
        n_feats: feature channels (the encoder's output channels).
        rgb_range: the range of the (unused) mean-shift layers.

    Shape:
        - Input: :math:`(N, 3, H, W)`, normalised RGB.
        - Output: :math:`(N, n\_feats, H, W)`.
    """

    def __init__(self, n_resblocks: int = 16, n_feats: int = 64, rgb_range: float = 1.0):
        super().__init__()
        self.out_dim = n_feats
        self.sub_mean = _MeanShift(rgb_range, -1)
        self.add_mean = _MeanShift(rgb_range, +1)
        self.head = nn.Sequential(nn.Conv2d(3, n_feats, 3, padding=1))
        self.body = nn.Sequential(
            *[_ResBlock(n_feats) for _ in range(n_resblocks)],
            nn.Conv2d(n_feats, n_feats, 3, padding=1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode ``x`` to a feature map of the same size."""
        x = self.head(x)
        return self.body(x) + x


class MLP(nn.Module):
    def __init__(self, in_dim: int, out_dim: int, hidden: tuple[int, ...]):
        super().__init__()
        layers: list[nn.Module] = []
        last = in_dim
        for h in hidden:
            layers += [nn.Linear(last, h), nn.ReLU()]
            last = h
        layers.append(nn.Linear(last, out_dim))
        self.layers = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


class LIIF(nn.Module):
    """EDSR-baseline-LIIF (Chen et al., CVPR 2021), from https://github.com/yinboc/liif.

    An arbitrary-scale SR network: :meth:`upsample` renders any output size, :meth:`forward` any
    (also non-integer) scale. See the module docstring for the rendering procedure.

    Args:
        n_resblocks: residual blocks of the EDSR-baseline encoder.
        n_feats: encoder features (the MLP reads ``9 * n_feats + 4`` values).
        hidden: widths of the MLP's hidden layers.
        query_chunk: output pixels decoded per MLP batch (the official test's ``eval_bsize``;
            bounds memory, does not change the result).
        encoder: ``"edsr-baseline"`` (EDSR-LIIF) or ``"rdn"`` (RDN-LIIF:
            :class:`~lpf.models.archs.rdn.RDN`
            with ``no_upsampling=True``, the official ``rdn-liif.pth`` key layout).
        encoder_kwargs: constructor arguments of the RDN encoder (default: config B, G0 = 64).

    Shape:
        - Input: :math:`(N, 3, H, W)`, RGB float in [0, 1].
        - Output: :math:`(N, 3, H', W')`, RGB, not clamped.

    Examples:
        >>> net = LIIF(n_resblocks=1, n_feats=8, hidden=(16,))
        >>> net(torch.rand(1, 3, 6, 5), scale=2.5).shape
        torch.Size([1, 3, 15, 12])
    """

    INPUT_RANGE = 1.0
    CHANNELS = "RGB"
    SCALES = None  # any real scale > 0 (trained for x1 to x4; extrapolates beyond)
    MIN_SIZE = 1

    def __init__(
        self,
        *,
        n_resblocks: int = 16,
        n_feats: int = 64,
        hidden: tuple[int, ...] = (256, 256, 256, 256),
        query_chunk: int = 30000,
        encoder: str = "edsr-baseline",
        encoder_kwargs: dict | None = None,
    ):
        super().__init__()
        if encoder not in ("edsr-baseline", "rdn"):
            raise ValueError(
                f"`encoder` of LIIF must be 'edsr-baseline' or 'rdn', got {encoder!r}."
            )
        if not hidden:
            raise ValueError("`hidden` of LIIF must name at least one hidden layer, got ().")
        if query_chunk < 1:
            raise ValueError(f"`query_chunk` must be a positive integer, got {query_chunk!r}.")
        self.query_chunk = int(query_chunk)
        if encoder == "rdn":  # RDN-LIIF: RDN (config B) without upsampler, 64 features
            self.encoder = RDN(no_upsampling=True, **(encoder_kwargs or {}))
            n_feats = self.encoder.out_dim
        else:
            self.encoder = EDSRBaselineEncoder(n_resblocks, n_feats)
        self.imnet = MLP(n_feats * 9 + 4, 3, tuple(hidden))

    def forward(self, x: torch.Tensor, scale: float) -> torch.Tensor:
        """Super-resolve ``x`` by ``scale``: an output of size ``round(H*scale), round(W*scale)``.

        Args:
            x: ``(N, 3, H, W)`` RGB in [0, 1].
            scale: any positive real factor.

        Returns:
            ``(N, 3, round(scale*H), round(scale*W))``.
        """
        if isinstance(scale, bool) or not isinstance(scale, numbers.Real) or not scale > 0:
            raise ValueError(f"`scale` of LIIF must be a positive number, got {scale!r}.")
        h, w = x.shape[-2:]
        return self.upsample(x, (round(h * scale), round(w * scale)))

    def upsample(self, x: torch.Tensor, out_hw: tuple[int, int],
                 window: tuple[int, int, int, int] | None = None) -> torch.Tensor:
        """Render ``x`` at the output size ``out_hw``, or only a window of that output.

        Args:
            x: ``(N, 3, H, W)`` RGB in [0, 1].
            out_hw: ``(H', W')``, positive integers.
            window: ``(top, left, height, width)`` inside ``(H', W')``: only those output
                pixels are decoded (the query coordinates are separable), equal to the same
                window of the whole output; ``None``: the whole output.

        Returns:
            ``(N, 3, H', W')`` RGB (not clamped), or ``(N, 3, height, width)`` for a window.
        """
        check_input(x, "x", channels=3, arch="LIIF")
        if len(out_hw) != 2 or any(isinstance(v, bool) or int(v) != v or v < 1 for v in out_hw):
            raise ValueError(f"`out_hw` must be two positive integers, got {out_hw!r}.")
        out_h, out_w = int(out_hw[0]), int(out_hw[1])
        top, left, win_h, win_w = ((0, 0, out_h, out_w) if window is None
                                   else check_window(window, out_h, out_w))
        feat = self.encoder((x - 0.5) / 0.5)
        h, w = feat.shape[-2:]
        # the first MLP layer, split by its inputs: unfolded code | offset | cell
        first = self.imnet.layers[0]
        c9 = 9 * feat.shape[1]
        w_code = first.weight[:, :c9].reshape(-1, feat.shape[1], 3, 3)
        w_row, w_col = first.weight[:, c9], first.weight[:, c9 + 1]
        w_cell = first.weight[:, c9 + 2 : c9 + 4]
        # code term at every feature pixel, channels last: (N, h, w, hidden)
        code = F.conv2d(feat, w_code, first.bias, padding=1).permute(0, 2, 3, 1).contiguous()
        cell = x.new_tensor([2 / out_h, 2 / out_w]) * x.new_tensor([h, w])  # in feature pixels
        cell_term = w_cell @ cell

        # query coordinates, separable (a window takes its rows and columns of the whole grid)
        rows = make_coord((out_h,)).to(x).view(-1)[top:top + win_h]
        cols = make_coord((out_w,)).to(x).view(-1)[left:left + win_w]
        out_h, out_w = win_h, win_w
        members = []  # the 4 local-ensemble members: indices and offsets per row and column
        for vx in (-1, 1):
            for vy in (-1, 1):
                iy, ry = nearest_index(rows, vx, h)
                ix, rx = nearest_index(cols, vy, w)
                members.append((iy, ry, ix, rx))
        chunk_rows = max(1, self.query_chunk // out_w)
        out = x.new_empty(x.shape[0], out_h, out_w, 3)
        for r0 in range(0, out_h, chunk_rows):
            sl = slice(r0, min(out_h, r0 + chunk_rows))
            areas = [torch.abs(ry[sl, None] * rx[None, :]) + 1e-9 for _, ry, _, rx in members]
            total = torch.stack(areas).sum(dim=0)
            acc = 0
            for k, (iy, ry, ix, rx) in enumerate(members):
                hidden = code[:, iy[sl, None], ix[None, :]]  # (N, rows, W', hidden)
                hidden += (ry[sl, None] * w_row)[None, :, None, :]
                hidden += (rx[:, None] * w_col + cell_term)[None, None, :, :]
                weight = areas[3 - k] / total  # the area of the diagonally opposite member
                acc = acc + self._mlp_tail(hidden) * weight[None, :, :, None]
            out[:, sl] = acc
        return out.permute(0, 3, 1, 2).contiguous() * 0.5 + 0.5

    def upsample_window(self, x: torch.Tensor, out_hw: tuple[int, int],
                        window: tuple[int, int, int, int]) -> torch.Tensor:
        """Only ``window`` of the ``out_hw`` rendering (see :meth:`upsample`).

        The protocol that :meth:`lpf.models.wrapper.SRModel.forward_window` looks for.
        """
        return self.upsample(x, out_hw, window=window)

    def _mlp_tail(self, hidden: torch.Tensor) -> torch.Tensor:
        """The MLP after its first linear layer (ReLU, linear, ...), applied to the last axis."""
        out = hidden
        for layer in self.imnet.layers[1:]:
            out = torch.relu_(out) if isinstance(layer, nn.ReLU) else layer(out)
        return out

    @classmethod
    def from_checkpoint(cls, path: PathLike, **kwargs: int) -> LIIF:
        """Build EDSR-baseline-LIIF and load the checkpoint at ``path`` strictly.

        Args:
            path: the official ``edsr-baseline-liif.pth`` (``{'model': {'sd': ...}}``), or a
                plain state dict of this class.
            **kwargs: constructor arguments (e.g. ``query_chunk``).

        Returns:
            The network in eval mode.

        Raises:
            CheckpointError: the file is not an EDSR-baseline-LIIF checkpoint.
        """
        return load_weights(cls(**kwargs), read_state_dict(path), source=repr(str(path)))


def load_liif(path: PathLike, *, query_chunk: int = 30000) -> LIIF:
    """Load the official EDSR-baseline-LIIF checkpoint: :meth:`LIIF.from_checkpoint`."""
    return LIIF.from_checkpoint(path, query_chunk=query_chunk)
