"""RDN: Residual Dense Network (Zhang et al., CVPR 2018), also the encoder of RDN-LIIF / RDN-LTE.

Y. Zhang, Y. Tian, Y. Kong, B. Zhong, Y. Fu, "Residual Dense Network for Image Super-Resolution",
CVPR 2018, arXiv:1802.08797. Written for the kit after the layout of the official LIIF code,
https://github.com/yinboc/liif (``models/rdn.py``, itself modified from EDSR-PyTorch), with the same
parameter names, so that an RDN state dict of that code (or the ``encoder.`` part of an official
RDN-LIIF checkpoint, with ``no_upsampling=True``) loads strictly:

- ``SFENet1``, ``SFENet2``: shallow feature extraction (two ``k x k`` convs, ``G0`` features);
- ``RDBs.{i}.convs.{j}.conv.0``: the ``j``-th densely connected 3x3 conv (+ ReLU) of block ``i``,
  taking ``G0 + j * G`` channels to ``G``; ``RDBs.{i}.LFF``: the block's 1x1 local feature fusion
  back to ``G0``, with a local residual connection;
- ``GFF.0`` (1x1 over the ``D * G0`` concatenated block outputs) and ``GFF.1`` (``k x k``): global
  feature fusion, plus the global residual from ``SFENet1``;
- ``UPNet``: ``conv(G0 -> G r^2), PixelShuffle(r), conv(G -> 3)`` for x2/x3, and two
  ``conv + PixelShuffle(2)`` steps for x4 (``UPNet.0``, ``UPNet.2``, ``UPNet.4``). As in the
  official code the upsampler works with ``G`` (not ``G0``) channels.

Convention: RGB in, RGB out, in the input's own range (no mean shift, no normalisation inside). The
kit-trained ``rdn-kit`` takes [0, 1]; LIIF normalises its input to ``(x - 0.5) / 0.5`` before the
encoder.
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from torch import nn

from lpf.models.archs._common import (
    CheckpointError,
    PathLike,
    check_input,
    load_weights,
    read_state_dict,
)

__all__ = ["RDN", "RDN_CONFIGS", "load_rdn", "rdn_config_from_state_dict"]

RDN_CONFIGS: dict[str, tuple[int, int, int]] = {"A": (20, 6, 32), "B": (16, 8, 64)}
"""The paper's two configurations, ``name -> (D, C, G)``: blocks, convs per block, growth rate."""


class _DenseConv(nn.Module):
    """One densely connected layer: ``cat(x, relu(conv(x)))`` (official ``RDB_Conv``)."""

    def __init__(self, in_channels: int, growth: int, kernel_size: int = 3):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(in_channels, growth, kernel_size, padding=(kernel_size - 1) // 2),
            nn.ReLU(),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat((x, self.conv(x)), 1)


class _RDB(nn.Module):
    """Residual dense block: ``C`` dense layers, 1x1 local feature fusion, local residual."""

    def __init__(self, g0: int, growth: int, n_convs: int, kernel_size: int = 3):
        super().__init__()
        self.convs = nn.Sequential(
            *[_DenseConv(g0 + c * growth, growth, kernel_size) for c in range(n_convs)]
        )
        self.LFF = nn.Conv2d(g0 + n_convs * growth, g0, 1)  # noqa: N815 (official name)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.LFF(self.convs(x)) + x


class RDN(nn.Module):
    r"""Residual Dense Network (Zhang et al., CVPR 2018) in the layout of the official LIIF code.

    Args:
        scale: the upscaling factor, 2, 3 or 4 (ignored when ``no_upsampling``).
        G0: feature channels between blocks (64 in the paper).
        RDNkSize: kernel size of the shallow-feature, global-fusion and upsampler convs (3). The
            dense layers inside the blocks are always 3x3, as in the official code.
        RDNconfig: ``"A"`` (D, C, G = 20, 6, 32) or ``"B"`` (16, 8, 64, the paper's RDN); the
            defaults of ``D``, ``C``, ``G``.
        D: number of residual dense blocks (overrides the config).
        C: dense conv layers per block (overrides the config).
        G: growth rate, the channels each dense layer adds (overrides the config).
        n_colors: image channels in and out.
        no_upsampling: drop ``UPNet`` and return the ``G0``-channel feature map of the input's size
            (the LIIF/LTE encoder).

    Shape:
        - Input: :math:`(N, 3, H, W)`, RGB float.
        - Output: :math:`(N, 3, sH, sW)` (unclamped), or :math:`(N, G_0, H, W)` with
          ``no_upsampling``.

    Raises:
        ValueError: a scale other than 2, 3, 4, an unknown config, or a non-positive size.

    Examples:
        >>> net = RDN(scale=4, G0=8, D=2, C=2, G=4)
        >>> net(torch.rand(1, 3, 6, 5)).shape
        torch.Size([1, 3, 24, 20])
        >>> RDN(G0=8, D=2, C=2, G=4, no_upsampling=True)(torch.rand(1, 3, 6, 5)).shape
        torch.Size([1, 8, 6, 5])
    """

    INPUT_RANGE = 1.0
    CHANNELS = "RGB"
    SCALES = (2, 3, 4)
    MIN_SIZE = 1

    def __init__(
        self,
        scale: int = 4,
        *,
        G0: int = 64,  # noqa: N803 (official names)
        RDNkSize: int = 3,  # noqa: N803
        RDNconfig: str = "B",  # noqa: N803
        D: int | None = None,  # noqa: N803
        C: int | None = None,  # noqa: N803
        G: int | None = None,  # noqa: N803
        n_colors: int = 3,
        no_upsampling: bool = False,
    ):
        super().__init__()
        if RDNconfig not in RDN_CONFIGS:
            raise ValueError(
                f"`RDNconfig` must be one of {sorted(RDN_CONFIGS)}, got {RDNconfig!r}."
            )
        d0, c0, g_0 = RDN_CONFIGS[RDNconfig]
        D, C, G = D or d0, C or c0, G or g_0  # noqa: N806
        for name, value in (("G0", G0), ("D", D), ("C", C), ("G", G), ("n_colors", n_colors)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"`{name}` of RDN must be a positive integer, got {value!r}.")
        if not isinstance(RDNkSize, int) or RDNkSize < 1 or RDNkSize % 2 == 0:
            raise ValueError(f"`RDNkSize` must be a positive odd integer, got {RDNkSize!r}.")
        if not no_upsampling and scale not in self.SCALES:
            raise ValueError(f"`scale` of RDN must be one of {self.SCALES}, got {scale!r}.")
        self.scale = None if no_upsampling else int(scale)
        self.D, self.C, self.G, self.G0 = D, C, G, G0
        self.n_colors = n_colors
        self.no_upsampling = no_upsampling
        pad = (RDNkSize - 1) // 2
        self.SFENet1 = nn.Conv2d(n_colors, G0, RDNkSize, padding=pad)  # noqa: N815
        self.SFENet2 = nn.Conv2d(G0, G0, RDNkSize, padding=pad)  # noqa: N815
        self.RDBs = nn.ModuleList([_RDB(G0, G, C) for _ in range(D)])  # noqa: N815
        self.GFF = nn.Sequential(  # noqa: N815
            nn.Conv2d(D * G0, G0, 1), nn.Conv2d(G0, G0, RDNkSize, padding=pad)
        )
        self.out_dim = G0 if no_upsampling else n_colors
        if not no_upsampling:
            if scale in (2, 3):
                layers = [
                    nn.Conv2d(G0, G * scale * scale, RDNkSize, padding=pad),
                    nn.PixelShuffle(scale),
                    nn.Conv2d(G, n_colors, RDNkSize, padding=pad),
                ]
            else:
                layers = [
                    nn.Conv2d(G0, G * 4, RDNkSize, padding=pad),
                    nn.PixelShuffle(2),
                    nn.Conv2d(G, G * 4, RDNkSize, padding=pad),
                    nn.PixelShuffle(2),
                    nn.Conv2d(G, n_colors, RDNkSize, padding=pad),
                ]
            self.UPNet = nn.Sequential(*layers)  # noqa: N815

    def extra_repr(self) -> str:
        """The configuration in ``repr``."""
        up = "no_upsampling=True" if self.no_upsampling else f"scale={self.scale}"
        return f"{up}, G0={self.G0}, D={self.D}, C={self.C}, G={self.G}"

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Super-resolve ``x`` (or encode it, with ``no_upsampling``).

        Args:
            x: ``(N, n_colors, H, W)`` float.

        Returns:
            ``(N, n_colors, scale*H, scale*W)``, or ``(N, G0, H, W)`` with ``no_upsampling``.
        """
        check_input(x, "x", channels=self.n_colors, arch="RDN")
        f1 = self.SFENet1(x)
        h = self.SFENet2(f1)
        outs = []
        for block in self.RDBs:
            h = block(h)
            outs.append(h)
        h = self.GFF(torch.cat(outs, 1)) + f1
        return h if self.no_upsampling else self.UPNet(h)

    @classmethod
    def from_checkpoint(cls, path: PathLike, *, prefix: str = "") -> RDN:
        """Build the RDN that a checkpoint describes and load it strictly.

        The configuration (``G0``, ``RDNkSize``, ``D``, ``C``, ``G``, the scale and whether there
        is an upsampler) is read from the tensor shapes (:func:`rdn_config_from_state_dict`).

        Args:
            path: a checkpoint holding an RDN state dict (plain, or in the layouts that
                :func:`~lpf.models.archs._common.unwrap_state_dict` knows).
            prefix: keep only keys starting with this and strip it, e.g. ``"encoder."`` to take
                the RDN encoder out of an official RDN-LIIF checkpoint.

        Returns:
            The network in eval mode.

        Raises:
            CheckpointError: the file holds no RDN (the message lists the keys that do not fit).
        """
        sd = read_state_dict(path)
        if prefix:
            sd = {k[len(prefix) :]: v for k, v in sd.items() if k.startswith(prefix)}
        net = cls(**rdn_config_from_state_dict(sd))
        return load_weights(net, sd, source=repr(str(path)))


def rdn_config_from_state_dict(state_dict: Mapping[str, torch.Tensor]) -> dict[str, object]:
    """The :class:`RDN` constructor arguments that fit an RDN state dict.

    Args:
        state_dict: a plain state dict with the official key names.

    Returns:
        ``{"scale", "G0", "RDNkSize", "D", "C", "G", "n_colors", "no_upsampling"}``.

    Raises:
        CheckpointError: ``SFENet1.weight`` or ``RDBs.0`` is missing (not an RDN).

    Examples:
        >>> cfg = rdn_config_from_state_dict(RDN(scale=3, G0=8, D=2, C=3, G=4).state_dict())
        >>> [cfg[k] for k in ("scale", "G0", "D", "C", "G", "no_upsampling")]
        [3, 8, 2, 3, 4, False]
    """
    sfe = state_dict.get("SFENet1.weight")
    first = state_dict.get("RDBs.0.convs.0.conv.0.weight")
    if sfe is None or first is None or sfe.ndim != 4 or first.ndim != 4:
        found = ", ".join(sorted(state_dict)[:6])
        raise CheckpointError(
            "not an RDN state dict: `SFENet1.weight` and `RDBs.0.convs.0.conv.0.weight` are "
            f"needed (pass prefix='encoder.' for an RDN-LIIF checkpoint); first keys: {found}."
        )
    d = 1 + max(int(k.split(".")[1]) for k in state_dict if k.startswith("RDBs."))
    c = 1 + max(int(k.split(".")[3]) for k in state_dict if k.startswith("RDBs.0.convs."))
    g = int(first.shape[0])
    cfg: dict[str, object] = {
        "G0": int(sfe.shape[0]),
        "RDNkSize": int(sfe.shape[-1]),
        "D": d,
        "C": c,
        "G": g,
        "n_colors": int(sfe.shape[1]),
        "no_upsampling": "UPNet.0.weight" not in state_dict,
        "scale": 4,
    }
    if not cfg["no_upsampling"]:
        if "UPNet.4.weight" in state_dict:
            cfg["scale"] = 4
        else:
            r2 = int(state_dict["UPNet.0.weight"].shape[0]) // g
            cfg["scale"] = {4: 2, 9: 3}.get(r2, 2)  # a misfit is reported by strict loading
    return cfg


def load_rdn(path: PathLike, *, prefix: str = "") -> RDN:
    """Load an RDN checkpoint (official LIIF layout): :meth:`RDN.from_checkpoint`."""
    return RDN.from_checkpoint(path, prefix=prefix)
