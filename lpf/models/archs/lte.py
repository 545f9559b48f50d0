r"""LTE: Local Texture Estimator for implicit representation functions (Lee & Jin, CVPR 2022).

J. Lee, K. H. Jin, "Local Texture Estimator for Implicit Representation Function", CVPR 2022,
arXiv:2111.08918. Written for the kit from a reading of the official code,
https://github.com/jaewon-lee-b/lte (``models/lte.py``, ``test.py``, the ``train_*-lte.yaml``
configs), with the official parameter names, so that the official checkpoints
(``{'model': {'name': 'lte', 'args': ..., 'sd': state_dict}}``) load strictly. LTE is LIIF's
closest relative (:mod:`lpf.models.archs.liif`):
the same encoder, local ensemble and MLP decoder, but
the MLP reads a *Fourier* feature of the query instead of the raw latent code. EDSR-LTE, RDN-LTE
and SwinIR-LTE are among the networks the low-pass-filtering paper analyses (Fig. 9, Table 1).

How an output pixel is rendered (the official test procedure, for any output size
:math:`H' \times W'`):

1. the input, RGB in [0, 1], is normalised to ``(x - 0.5) / 0.5`` and encoded to a feature map
   ``z`` of the input's size (EDSR-baseline, RDN or SwinIR without upsampler);
2. three estimators act on ``z``: the *amplitude* ``coef = conv3x3(z)`` and the *frequency*
   ``freq = conv3x3(z)`` (``hidden_dim`` channels each, read as ``hidden_dim / 2`` 2-D
   frequencies), and the *phase* ``phase = Linear(2, hidden_dim / 2, bias=False)`` of the cell;
3. for each of the 4 neighbouring latent codes (local ensemble, the same nearest-code lookup as
   LIIF) with offset :math:`\delta = (\delta_y, \delta_x)` in feature pixels and cell
   :math:`c` in feature pixels,

   .. math::

       q_k = f_{2k}\,\delta_y + f_{2k+1}\,\delta_x + (W_{\text{phase}} c)_k,\qquad
       \text{input} = \text{coef} \odot [\cos(\pi q), \sin(\pi q)],

   and the MLP (``hidden_dim``-256-256-256-3, ReLU) maps it to RGB;
4. the 4 predictions are blended with the area of the rectangle to the diagonally opposite code
   (as LIIF), and the input bilinearly upsampled (``grid_sample``, border padding,
   ``align_corners=False``) is added: LTE predicts a residual;
5. the output is de-normalised, ``y * 0.5 + 0.5``, and not clamped.

The official test clips the cell for extrapolation, ``cell * max(scale / scale_max, 1)`` with
``scale_max = 4``: beyond x4 the decoder is told the x4 cell. :class:`LTE` does the same per axis
(``scale_max=None`` turns it off). SwinIR-LTE's official test pads the input by reflection to a
window multiple *plus one window* and crops the output; the kit's :class:`lpf.zoo.SRModel` pads
with zeros to the next window multiple instead (an impulse stays an impulse).

Implementation notes: the query grid is separable, so the nearest code and the offsets are found
once per output row and once per output column
(:func:`lpf.models.archs.liif.nearest_index`, the official
``grid_sample`` lookup, ties included), and the outputs are decoded in chunks of rows (the
official ``eval_bsize``; bounds memory, does not change the result).
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Mapping
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from lpf._basicsr import basicsr_arch
from lpf.models.archs._common import (
    CheckpointError,
    PathLike,
    check_input,
    load_weights,
    read_state_dict,
)
from lpf.models.archs.liif import MLP, EDSRBaselineEncoder, make_coord, nearest_index
from lpf.models.archs.rdn import RDN, rdn_config_from_state_dict

__all__ = ["ENCODERS", "LTE", "load_lte", "lte_config_from_state_dict"]

ENCODERS = ("edsr-baseline", "rdn", "swinir")
"""The encoders of the official LTE models: EDSR-baseline (16 x 64), RDN (config B), SwinIR."""

# SwinIR encoder of the official swinir-lte (models/swinir.py: SwinIR() with its defaults)
_SWINIR_DEFAULTS: dict[str, Any] = {
    "img_size": 48, "patch_size": 1, "in_chans": 3, "embed_dim": 180, "depths": [6] * 6,
    "num_heads": [6] * 6, "window_size": 8, "mlp_ratio": 2.0, "resi_connection": "1conv",
}


def _make_encoder(name: str, kwargs: Mapping[str, Any]) -> nn.Module:
    if name == "edsr-baseline":
        return EDSRBaselineEncoder(**kwargs)
    if name == "rdn":
        return RDN(**{**kwargs, "no_upsampling": True})
    if name == "swinir":
        swinir = basicsr_arch("swinir_arch", "SwinIR")
        cfg = {**_SWINIR_DEFAULTS, **kwargs}
        with warnings.catch_warnings():  # basicsr's SwinIR calls torch.meshgrid the old way
            warnings.filterwarnings("ignore", message="torch.meshgrid", category=UserWarning)
            net = swinir(upscale=2, upsampler="pixelshuffle", img_range=1.0, **cfg)
        # LTE's SwinIR ('none' upsampler) ends with conv_before_upsample (embed_dim -> 64, ReLU)
        del net.upsample, net.conv_last
        net.out_dim = net.conv_before_upsample[0].out_channels
        net.window_size = int(cfg["window_size"])
        return net
    raise ValueError(f"`encoder` of LTE must be one of {ENCODERS}, got {name!r}.")


def _swinir_features(net: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """LTE's SwinIR encoder: the SwinIR body without mean shift and upsampler."""
    h, w = x.shape[-2:]
    ws = net.window_size  # the official check_image_size: reflection to the window multiple
    pad_h, pad_w = (-h) % ws, (-w) % ws
    if pad_h or pad_w:  # (a no-op behind lpf.zoo.SRModel, which zero-pads first)
        x = F.pad(x, (0, pad_w, 0, pad_h), mode="reflect")
    x = net.conv_first(x)
    x = net.conv_after_body(net.forward_features(x)) + x
    return net.conv_before_upsample(x)[..., :h, :w]


class LTE(nn.Module):
    """LTE (Lee & Jin, CVPR 2022), from https://github.com/jaewon-lee-b/lte.

    An arbitrary-scale SR network: :meth:`upsample` renders any output size, :meth:`forward` any
    (also non-integer) scale. See the module docstring for the rendering procedure.

    Args:
        encoder: ``"edsr-baseline"``, ``"rdn"`` or ``"swinir"``.
        encoder_kwargs: constructor arguments of the encoder
            (:class:`~lpf.models.archs.liif.EDSRBaselineEncoder`,
            :class:`~lpf.models.archs.rdn.RDN` with
            ``no_upsampling=True``, or basicsr's SwinIR); the official configuration by default.
        hidden_dim: channels of the amplitude and frequency estimators (256).
        hidden: widths of the MLP's hidden layers ((256, 256, 256)).
        scale_max: the cell clip of the official test (4); ``None`` = no clip.
        query_chunk: output pixels decoded per MLP batch.

    Shape:
        - Input: :math:`(N, 3, H, W)`, RGB float in [0, 1].
        - Output: :math:`(N, 3, H', W')`, RGB, not clamped.

    Examples:
        >>> net = LTE(encoder_kwargs={"n_resblocks": 1, "n_feats": 8}, hidden_dim=8, hidden=(8,))
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
        encoder: str = "edsr-baseline",
        encoder_kwargs: Mapping[str, Any] | None = None,
        hidden_dim: int = 256,
        hidden: tuple[int, ...] = (256, 256, 256),
        scale_max: float | None = 4.0,
        query_chunk: int = 30000,
    ):
        super().__init__()
        if isinstance(hidden_dim, bool) or not isinstance(hidden_dim, int) or hidden_dim < 2 \
                or hidden_dim % 2:
            raise ValueError(f"`hidden_dim` of LTE must be a positive even integer, got "
                             f"{hidden_dim!r}.")
        if not hidden:
            raise ValueError("`hidden` of LTE must name at least one hidden layer, got ().")
        if query_chunk < 1:
            raise ValueError(f"`query_chunk` must be a positive integer, got {query_chunk!r}.")
        if scale_max is not None and not scale_max > 0:
            raise ValueError(f"`scale_max` must be positive or None, got {scale_max!r}.")
        self.encoder_name = encoder
        self.scale_max = scale_max
        self.query_chunk = int(query_chunk)
        self.encoder = _make_encoder(encoder, dict(encoder_kwargs or {}))
        out_dim = int(self.encoder.out_dim)
        self.coef = nn.Conv2d(out_dim, hidden_dim, 3, padding=1)
        self.freq = nn.Conv2d(out_dim, hidden_dim, 3, padding=1)
        self.phase = nn.Linear(2, hidden_dim // 2, bias=False)
        self.imnet = MLP(hidden_dim, 3, tuple(hidden))

    def extra_repr(self) -> str:
        """The encoder and the cell clip in ``repr``."""
        return f"encoder={self.encoder_name!r}, scale_max={self.scale_max}"

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """The encoder's feature map of ``x`` (RGB in [0, 1]): ``(N, C, H, W)``."""
        xn = (x - 0.5) / 0.5
        if self.encoder_name == "swinir":
            return _swinir_features(self.encoder, xn)
        return self.encoder(xn)

    def forward(self, x: torch.Tensor, scale: float) -> torch.Tensor:
        """Super-resolve ``x`` by ``scale``: an output of size ``round(H*scale), round(W*scale)``.

        Args:
            x: ``(N, 3, H, W)`` RGB in [0, 1].
            scale: any positive real factor.

        Returns:
            ``(N, 3, round(scale*H), round(scale*W))``.
        """
        if isinstance(scale, bool) or not isinstance(scale, numbers.Real) or not scale > 0:
            raise ValueError(f"`scale` of LTE must be a positive number, got {scale!r}.")
        h, w = x.shape[-2:]
        return self.upsample(x, (round(h * scale), round(w * scale)))

    def upsample(self, x: torch.Tensor, out_hw: tuple[int, int]) -> torch.Tensor:
        """Render ``x`` at the output size ``out_hw``.

        Args:
            x: ``(N, 3, H, W)`` RGB in [0, 1].
            out_hw: ``(H', W')``, positive integers.

        Returns:
            ``(N, 3, H', W')`` RGB (not clamped).
        """
        check_input(x, "x", channels=3, arch="LTE")
        if len(out_hw) != 2 or any(isinstance(v, bool) or int(v) != v or v < 1 for v in out_hw):
            raise ValueError(f"`out_hw` must be two positive integers, got {out_hw!r}.")
        out_h, out_w = int(out_hw[0]), int(out_hw[1])
        feat = self.encode(x)
        h, w = feat.shape[-2:]
        # amplitude and frequency maps, channels last: (N, h, w, hidden) and 2 x (N, h, w, hidden/2)
        coef = self.coef(feat).permute(0, 2, 3, 1).contiguous()
        freq = self.freq(feat).permute(0, 2, 3, 1)
        f_row, f_col = freq[..., 0::2].contiguous(), freq[..., 1::2].contiguous()
        # the cell in feature pixels (official: cell * max(scale / scale_max, 1)), then the phase
        cell = x.new_tensor([2 * h / out_h, 2 * w / out_w])
        if self.scale_max is not None:
            cell = torch.clamp(cell, min=2 / self.scale_max)
        phase = self.phase(cell)  # (hidden/2,)

        rows = make_coord((out_h,)).to(x).view(-1)  # query coordinates, separable
        cols = make_coord((out_w,)).to(x).view(-1)
        members = []
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
                iy_, ix_ = iy[sl, None], ix[None, :]
                q = f_row[:, iy_, ix_] * ry[sl, None, None] + f_col[:, iy_, ix_] * rx[:, None]
                q = (q + phase) * math.pi
                basis = torch.cat((torch.cos(q), torch.sin(q)), dim=-1)
                pred = self.imnet(coef[:, iy_, ix_] * basis)  # (N, rows, W', 3)
                weight = areas[3 - k] / total  # the area of the diagonally opposite member
                acc = acc + pred * weight[None, :, :, None]
            out[:, sl] = acc
        # + the bilinearly upsampled (normalised) input, as the official grid_sample does it
        grid = torch.stack(torch.broadcast_tensors(cols[None, :], rows[:, None]), dim=-1)
        skip = F.grid_sample((x - 0.5) / 0.5, grid[None].expand(x.shape[0], -1, -1, -1),
                             mode="bilinear", padding_mode="border", align_corners=False)
        return (out.permute(0, 3, 1, 2) + skip) * 0.5 + 0.5

    @classmethod
    def from_checkpoint(cls, path: PathLike, **kwargs: Any) -> LTE:
        """Build the LTE that a checkpoint describes and load it strictly.

        Args:
            path: an official LTE checkpoint (``{'model': {'sd': ...}}``) or a plain state dict
                of this class; the encoder and the sizes are read from the tensor shapes
                (:func:`lte_config_from_state_dict`).
            **kwargs: other constructor arguments (``scale_max``, ``query_chunk``).

        Returns:
            The network in eval mode.

        Raises:
            CheckpointError: the file is not an LTE checkpoint.
        """
        sd = read_state_dict(path)
        net = cls(**{**lte_config_from_state_dict(sd), **kwargs})
        return load_weights(net, sd, source=repr(str(path)))


def _count(state_dict: Mapping[str, torch.Tensor], prefix: str) -> int:
    found = {int(k[len(prefix):].split(".", 1)[0]) for k in state_dict
             if k.startswith(prefix) and k[len(prefix):].split(".", 1)[0].isdigit()}
    return max(found) + 1 if found else 0


def lte_config_from_state_dict(state_dict: Mapping[str, torch.Tensor]) -> dict[str, Any]:
    """The :class:`LTE` constructor arguments that fit an LTE state dict.

    Args:
        state_dict: a plain state dict with the official key names.

    Returns:
        ``{"encoder", "encoder_kwargs", "hidden_dim", "hidden"}``.

    Raises:
        CheckpointError: the amplitude/frequency/phase estimators or the encoder are missing.

    Examples:
        >>> net = LTE(encoder_kwargs={"n_resblocks": 2, "n_feats": 8}, hidden_dim=8, hidden=(16,))
        >>> cfg = lte_config_from_state_dict(net.state_dict())
        >>> cfg["encoder"], cfg["encoder_kwargs"], cfg["hidden_dim"], cfg["hidden"]
        ('edsr-baseline', {'n_resblocks': 2, 'n_feats': 8}, 8, (16,))
    """
    needed = ("coef.weight", "freq.weight", "phase.weight", "imnet.layers.0.weight")
    missing = [k for k in needed if k not in state_dict]
    if missing:
        raise CheckpointError(f"not an LTE state dict: missing {', '.join(missing)}.",
                              missing=missing)
    n_linear = _count(state_dict, "imnet.layers.")
    hidden = tuple(int(state_dict[f"imnet.layers.{i}.weight"].shape[0])
                   for i in range(0, n_linear - 1, 2))
    cfg: dict[str, Any] = {"hidden_dim": int(state_dict["coef.weight"].shape[0]),
                           "hidden": hidden}
    if "encoder.head.0.weight" in state_dict:
        cfg["encoder"] = "edsr-baseline"
        cfg["encoder_kwargs"] = {
            "n_resblocks": _count(state_dict, "encoder.body.") - 1,
            "n_feats": int(state_dict["encoder.head.0.weight"].shape[0]),
        }
    elif "encoder.SFENet1.weight" in state_dict:
        enc = {k[len("encoder."):]: v for k, v in state_dict.items() if k.startswith("encoder.")}
        rdn = rdn_config_from_state_dict(enc)
        cfg["encoder"] = "rdn"
        cfg["encoder_kwargs"] = {k: rdn[k] for k in ("G0", "RDNkSize", "D", "C", "G", "n_colors")}
    elif "encoder.conv_first.weight" in state_dict:
        n_layers = _count(state_dict, "encoder.layers.")
        table = state_dict.get("encoder.layers.0.residual_group.blocks.0.attn."
                               "relative_position_bias_table")
        mask = state_dict.get("encoder.layers.0.residual_group.blocks.1.attn_mask")
        cfg["encoder"] = "swinir"
        kw: dict[str, Any] = {
            "embed_dim": int(state_dict["encoder.conv_first.weight"].shape[0]),
            "depths": [_count(state_dict, f"encoder.layers.{i}.residual_group.blocks.")
                       for i in range(n_layers)],
        }
        if table is not None:
            kw["num_heads"] = [int(state_dict[f"encoder.layers.{i}.residual_group.blocks.0.attn."
                                              "relative_position_bias_table"].shape[1])
                               for i in range(n_layers)]
            kw["window_size"] = (int(math.isqrt(table.shape[0])) + 1) // 2
        if mask is not None:  # (windows, ws*ws, ws*ws) for the img_size the model was built with
            side = int(math.isqrt(mask.shape[0])) * kw.get("window_size", 8)
            kw["img_size"] = side
        fc1 = state_dict.get("encoder.layers.0.residual_group.blocks.0.mlp.fc1.weight")
        if fc1 is not None:
            kw["mlp_ratio"] = fc1.shape[0] / kw["embed_dim"]
        cfg["encoder_kwargs"] = kw
    else:
        found = ", ".join(sorted(k for k in state_dict if k.startswith("encoder."))[:4])
        raise CheckpointError(
            "the encoder of this LTE checkpoint is none of EDSR-baseline (encoder.head.0), RDN "
            f"(encoder.SFENet1) or SwinIR (encoder.conv_first); first encoder keys: {found}."
        )
    return cfg


def load_lte(path: PathLike, *, scale_max: float | None = 4.0, query_chunk: int = 30000) -> LTE:
    """Load an official LTE checkpoint (any of its encoders): :meth:`LTE.from_checkpoint`."""
    return LTE.from_checkpoint(path, scale_max=scale_max, query_chunk=query_chunk)
