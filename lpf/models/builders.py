"""Architectures by name: ``ARCHS[name]`` builds a network and loads its weights.

The registry (:mod:`lpf.models.catalog`, a data file) names an architecture for each entry; the
builders stay code, here, keyed by that name. Each :class:`Arch` holds:

- ``build(scale, **arch_kwargs) -> nn.Module``: the network in its own convention;
- ``load(net, path) -> net`` (default: read safely, unwrap, load strictly);
- the adapter options of :class:`lpf.models.SRModel` (input range, channels, window padding,
  whether the scale is passed at call time, the minimum input size) and the supported scales.

Sources: BasicSR's architecture classes (``basicsr``, imported only when one is built), the
kit's own (:mod:`lpf.models.archs`) and spandrel's (HAT, GRL, DAT, RCAN in its official layout; the
official configurations are written here, so that hyper-parameters a state dict does not reveal
come from the official configs, not from a heuristic).

Examples:
    >>> ARCHS["edsr"].source, ARCHS["liif"].call_with_scale, ARCHS["rfdn"].input_range
    ('basicsr', True, 255.0)
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from torch import nn

from lpf._basicsr import basicsr_arch
from lpf.models.archs import (
    BSRN,
    CARNM,
    ESPCN,
    FSRCNN,
    IMDN,
    LIIF,
    LTE,
    PAN,
    RDN,
    RFDN,
    RLFN,
    SAFMN,
    CheckpointError,
)
from lpf.models.archs._common import load_weights
from lpf.models.checkpoint import (
    SpandrelNet,
    kit_layout,
    quiet_construction,
    read_checkpoint,
    spandrel_load,
)
from lpf.models.ncnn import Resampled, load_ncnn

__all__ = ["ARCHS", "Arch", "load_generic", "spandrel_builder", "spandrel_loader"]


@dataclass(frozen=True)
class Arch:
    """One architecture: how to build it, load weights into it, and call it.

    Attributes:
        build: ``build(scale, **kwargs) -> nn.Module``.
        load: ``load(net, path) -> net``, or ``None`` for :func:`load_generic`.
        input_range: the value range the network takes (1.0 or 255.0).
        channels: ``"RGB"`` or ``"Y"``.
        pad_multiple: zero-pad inputs to a multiple of this (window-based transformers).
        call_with_scale: the network takes its scale at call time (LIIF, CARN-M).
        min_size: the smallest input height and width.
        scales: the scales it can be built for (``None``: any real scale).
        source: ``"basicsr"``, ``"lpf"`` or ``"spandrel"``.
    """

    build: Callable[..., nn.Module]
    load: Callable[[nn.Module, Path], nn.Module] | None = None
    input_range: float = 1.0
    channels: str = "RGB"
    pad_multiple: int = 1
    call_with_scale: bool = False
    min_size: int = 1
    scales: tuple[int, ...] | None = (2, 3, 4)
    source: str = ""


def load_generic(net: nn.Module, path: Path) -> nn.Module:
    """Read ``path`` safely and load it strictly into ``net``."""
    return load_weights(net, read_checkpoint(path), source=repr(str(path)))


def _basicsr(module: str, cls: str, **fixed: Any) -> Callable[..., nn.Module]:
    def build(scale: int, **kwargs: Any) -> nn.Module:
        arch = basicsr_arch(module, cls)
        key = "scale" if cls == "RRDBNet" else "upscale"
        with warnings.catch_warnings():  # basicsr's SwinIR calls torch.meshgrid the old way
            warnings.filterwarnings("ignore", message="torch.meshgrid", category=UserWarning)
            return arch(**{**fixed, **kwargs, key: scale})

    return build


def _kit(cls: type[nn.Module]) -> Callable[..., nn.Module]:
    def build(scale: int, **kwargs: Any) -> nn.Module:
        return cls(scale=scale, **kwargs)

    return build


def _kit_any(cls: type[nn.Module]) -> Callable[..., nn.Module]:
    def build(scale: float, **kwargs: Any) -> nn.Module:
        return cls(**kwargs)

    return build


def _load_pth_or_ncnn(net: nn.Module, path: Path) -> nn.Module:
    """A basicsr state dict, or an ncnn ``.bin`` with its ``.param`` beside it (Real-ESRGAN)."""
    if Path(path).suffix == ".bin":
        return load_ncnn(net, path)
    return load_generic(net, path)


def _build_srvgg(scale: int, net_scale: int | None = None, **kwargs: Any) -> nn.Module:
    """The ``SRVGGNetCompact`` of basicsr, at ``scale`` or resampled to it.

    With ``net_scale`` != ``scale``: a x``net_scale`` network followed by a bicubic resize
    (:class:`~lpf.models.ncnn.Resampled`: Real-ESRGAN's ncnn x2/x3 ``realesr-animevideov3`` files).
    """
    native = int(net_scale or scale)
    net = basicsr_arch("srvgg_arch", "SRVGGNetCompact")(
        **{"num_in_ch": 3, "num_out_ch": 3, **kwargs, "upscale": native})
    return net if native == scale else Resampled(net, scale / native)


def _load_tf_npz(net: nn.Module, path: Path) -> nn.Module:
    with np.load(path) as arrays:
        net.load_tf_arrays(dict(arrays), source=repr(str(path)))
    return net.eval()


# --------------------------------------------------------------------------------------------
# spandrel-backed architectures
# --------------------------------------------------------------------------------------------


def _spandrel_class(arch_id: str) -> type:
    try:
        module = importlib.import_module(f"spandrel.architectures.{arch_id}")
    except ImportError as err:
        if err.name and err.name.split(".")[0] == "spandrel":
            raise ImportError(f"the {arch_id} architecture needs spandrel: `pip install "
                              "spandrel` (see the kit's pyproject.toml).") from None
        raise
    return getattr(module, arch_id)


def spandrel_builder(arch_id: str, scale_key: str, **official: Any) -> Callable[..., nn.Module]:
    """An :data:`ARCHS` builder for a spandrel architecture class in a fixed config.

    Args:
        arch_id: spandrel's architecture id, e.g. ``"HAT"`` (module and class name).
        scale_key: the constructor's name for the scale (``"upscale"``, ``"scale"``).
        **official: the official configuration (overridden by the registry's ``arch_kwargs``).

    Returns:
        ``build(scale, **kwargs) -> SpandrelNet`` (the raw module, called on a copy of its
        input, without clamping).
    """

    def build(scale: float, **kwargs: Any) -> nn.Module:
        cls = _spandrel_class(arch_id)
        with quiet_construction():
            model = cls(**{**official, **kwargs, scale_key: int(scale)})
        return SpandrelNet(model.eval())

    build.__name__ = f"build_{arch_id.lower()}"
    return build


def spandrel_loader(arch_id: str) -> Callable[[nn.Module, Path], nn.Module]:
    """An :data:`ARCHS` loader: read safely, canonicalise with spandrel, load strictly.

    The file is read with ``weights_only=True``; spandrel recognises it (and strips the
    container layouts of the official releases, e.g. GRL's ``model_g.`` keys); the tensors are
    then loaded *strictly* into the network built from the registry's configuration, so a file
    of another configuration or scale raises :class:`~lpf.models.archs.CheckpointError`.

    Args:
        arch_id: the spandrel architecture the file must hold.

    Returns:
        ``load(net, path) -> net``.
    """

    def load(net: nn.Module, path: Path) -> nn.Module:
        sd = read_checkpoint(Path(path))
        desc = spandrel_load(sd)
        if desc is None or str(desc.architecture.id) != arch_id:
            what = (f"a {desc.architecture.id} checkpoint" if desc is not None
                    else kit_layout(sd) or "no architecture spandrel knows")
            raise CheckpointError(f"{str(path)!r} holds {what}, not {arch_id}.")
        load_weights(net.model, desc.model.state_dict(), source=repr(str(path)))
        return net.eval()

    load.__name__ = f"load_{arch_id.lower()}"
    return load


_HAT = {"img_size": 64, "in_chans": 3, "window_size": 16, "compress_ratio": 3,
        "squeeze_factor": 30, "conv_scale": 0.01, "overlap_ratio": 0.5, "img_range": 1.0,
        "depths": [6] * 6, "embed_dim": 180, "num_heads": [6] * 6, "mlp_ratio": 2,
        "upsampler": "pixelshuffle", "resi_connection": "1conv"}
# GRL's SR configs: config/model/grl/grl_*.yaml + config/experiment/sr/grl/grl_p256.yaml
_GRL = {"img_size": 64, "in_channels": 3, "img_range": 1.0, "window_size": 32,
        "stripe_size": [64, 64], "stripe_groups": [None, None], "stripe_shift": True,
        "mlp_ratio": 2, "qkv_proj_type": "linear", "anchor_proj_type": "avgpool",
        "anchor_one_stage": True, "anchor_window_down_factor": 4, "out_proj_type": "linear",
        "conv_type": "1conv", "local_connection": False, "upsampler": "pixelshuffle"}
# DAT's classical-SR config (options/Test/test_DAT_x*.yml); DAT-light overrides it in the catalog
# (60 dims, one group of 18 blocks, expansion 2, 3conv, pixelshuffledirect). DAT zero-pads its
# windows inside forward(), so no outside padding is needed.
_DAT = {"img_size": 64, "in_chans": 3, "img_range": 1.0, "split_size": [8, 32],
        "depth": [6] * 6, "embed_dim": 180, "num_heads": [6] * 6, "expansion_factor": 4.0,
        "resi_connection": "1conv", "upsampler": "pixelshuffle"}



ARCHS: dict[str, Arch] = {
    # basicsr architectures
    "edsr": Arch(_basicsr("edsr_arch", "EDSR", num_in_ch=3, num_out_ch=3, num_feat=64,
                          num_block=16), source="basicsr"),
    "rcan": Arch(_basicsr("rcan_arch", "RCAN", num_in_ch=3, num_out_ch=3), source="basicsr"),
    "swinir": Arch(_basicsr("swinir_arch", "SwinIR", in_chans=3, img_size=64, window_size=8,
                            img_range=1.0, depths=[6] * 6, embed_dim=180, num_heads=[6] * 6,
                            mlp_ratio=2, upsampler="pixelshuffle", resi_connection="1conv"),
                   pad_multiple=8, scales=(2, 3, 4, 8), source="basicsr"),
    "rrdbnet": Arch(_basicsr("rrdbnet_arch", "RRDBNet", num_in_ch=3, num_out_ch=3),
                    _load_pth_or_ncnn, scales=(1, 2, 4), source="basicsr"),
    "srvgg": Arch(_build_srvgg, _load_pth_or_ncnn, scales=(1, 2, 3, 4), source="basicsr"),
    "msrresnet": Arch(_basicsr("srresnet_arch", "MSRResNet", num_in_ch=3, num_out_ch=3),
                      scales=(2, 3, 4), source="basicsr"),
    # written in lpf.models.archs
    "liif": Arch(_kit_any(LIIF), call_with_scale=True, scales=None, source="lpf"),
    "rdn-liif": Arch(_kit_any(LIIF), call_with_scale=True, scales=None, source="lpf"),
    "imdn": Arch(_kit(IMDN), source="lpf"),
    "pan": Arch(_kit(PAN), source="lpf"),
    "carn-m": Arch(_kit_any(CARNM), call_with_scale=True, source="lpf"),
    "rfdn": Arch(_kit(RFDN), input_range=255.0, min_size=15, source="lpf"),
    "rlfn": Arch(_kit(RLFN), input_range=255.0, min_size=15, source="lpf"),
    "bsrn": Arch(_kit(BSRN), min_size=15, source="lpf"),
    "safmn": Arch(_kit(SAFMN), min_size=16, source="lpf"),
    "espcn": Arch(_kit(ESPCN), _load_tf_npz, channels="Y", source="lpf"),
    "fsrcnn": Arch(_kit(FSRCNN), _load_tf_npz, channels="Y", source="lpf"),
    "lte": Arch(_kit_any(LTE), call_with_scale=True, scales=None, source="lpf"),
    "swinir-lte": Arch(_kit_any(LTE), call_with_scale=True, scales=None, pad_multiple=8,
                       source="lpf"),
    "rdn": Arch(_kit(RDN), source="lpf"),
    # spandrel architectures in their official configurations
    "hat": Arch(spandrel_builder("HAT", "upscale", **_HAT), spandrel_loader("HAT"),
                pad_multiple=16, min_size=16, scales=(2, 3, 4), source="spandrel"),
    "grl": Arch(spandrel_builder("GRL", "upscale", **_GRL), spandrel_loader("GRL"),
                pad_multiple=64, scales=(2, 3, 4), source="spandrel"),
    "rcan-official": Arch(spandrel_builder("RCAN", "scale"), spandrel_loader("RCAN"),
                          scales=(2, 3, 4, 8), source="spandrel"),
    "dat": Arch(spandrel_builder("DAT", "upscale", **_DAT), spandrel_loader("DAT"),
                scales=(2, 3, 4), source="spandrel"),
}
"""Architecture name -> :class:`Arch` (the catalog's ``arch`` fields refer to these keys)."""
