"""The paper's remaining networks by name: HAT, GRL, official RCAN, RDN, LTE, and what is missing.

The low-pass-filtering paper analyses a long list of networks (Table 1, Table 6, Fig. 9, Fig. 10).
:mod:`lpf.zoo` registers the ones it started with (EDSR, LIIF, RCAN in BasicSR's layout, SwinIR,
ESRGAN, ...); this module adds the rest, so that every network of the paper has a registry row
that says honestly what works (:data:`PAPER_NETWORKS` maps the paper's names to the rows):

- **HAT, HAT-S** (x2/x3/x4) and **GRL** base/small/tiny (x2/x3/x4) and **RCAN in its official
  layout** (x2/x3/x4/x8) run on spandrel's architecture classes (``spandrel`` is imported only
  when one is built). The official configurations are written here, so that hyper-parameters
  that a state dict does not reveal (GRL's window and stripe sizes, RCAN's ``rgb_range``) come
  from the official configs, not from a heuristic; the weights are read with
  ``weights_only=True``, canonicalised by spandrel, and loaded strictly.
- **LTE** with its three official encoders (EDSR-baseline, RDN, SwinIR), written in the kit
  (:mod:`lpf.archs.lte`).
- **RDN** as a plain x2/x3/x4 network (:mod:`lpf.archs.rdn`), if no other module registered it.
- **MetaSR, OPE-SR, SRNO, ITSRN, HDSRNet**: entries whose architecture is not written yet; their
  description says what is missing and where the official weights are.

Weight sources: HAT's official files (Apache-2.0) are mirrored byte-identically by the
ccrestoration model zoo, whose configs publish their sha256 (the same digests appear in other
catalogues under the official file names); GRL's are direct GitHub release URLs without a
published sha256 (``lpf fetch`` then needs ``allow_unverified=True``); the rest are Google Drive
pages or repositories, fetched by hand and passed as ``weights=PATH`` (or put in
``$LPF_WEIGHTS``).

:func:`register_paper_models` is called by :mod:`lpf.zoo` at import time; it imports
:mod:`lpf.zoo` only inside itself, so there is no import cycle.

Examples:
    >>> from lpf import zoo
    >>> zoo.MODELS["hat-s"].scales, zoo.MODELS["grl-base"].arch
    ((2, 3, 4), 'grl')
    >>> sorted(PAPER_NETWORKS["LTE"])
    ['edsr-lte', 'rdn-lte', 'swinir-lte']
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from torch import nn

__all__ = ["PAPER_NETWORKS", "register_paper_models", "spandrel_builder", "spandrel_loader"]

PAPER_NETWORKS: dict[str, tuple[str, ...]] = {
    # Table 6 (code repositories) and the rows of Table 1
    "EDSR": ("edsr", "edsr-baseline"),
    "RDN": ("rdn",),
    "RCAN": ("rcan", "rcan-official"),
    "SwinIR": ("swinir-classical",),
    "HAT": ("hat", "hat-s"),
    "GRL": ("grl-base", "grl-small", "grl-tiny"),
    "LIIF": ("edsr-liif", "rdn-liif"),
    "LTE": ("edsr-lte", "rdn-lte", "swinir-lte"),
    "OPE-SR": ("edsr-opesr", "rdn-opesr"),
    "SRNO": ("edsr-srno",),
    "ITSRN": ("itsrn",),
    "HDSRNet": ("hdsrnet",),
    # used in figures, not in Table 6
    "MetaSR": ("rdn-metasr",),
    "ESRGAN": ("esrgan",),
    "SwinIR-Real": ("swinir-real",),
    # the encoder-decoder pairs of Fig. 9 and Table 1
    "EDSR-LIIF": ("edsr-liif",),
    "RDN-LIIF": ("rdn-liif",),
    "EDSR-LTE": ("edsr-lte",),
    "RDN-LTE": ("rdn-lte",),
    "SwinIR-LTE": ("swinir-lte",),
    "EDSR-OPESR": ("edsr-opesr",),
    "RDN-OPESR": ("rdn-opesr",),
    "RDN-MetaSR": ("rdn-metasr",),
    "EDSR-SRNO": ("edsr-srno",),
    "HAT-S": ("hat-s",),
    "GRLBase": ("grl-base",),
    "GRLSmall": ("grl-small",),
    "GRLTiny": ("grl-tiny",),
    "Bicubic": ("bicubic-matlab",),
}
"""The paper's network names (Table 1, Table 6, Fig. 9, Fig. 10) -> the registry names that
cover them."""


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
    """A :data:`lpf.zoo.ARCHS` builder for a spandrel architecture class in a fixed config.

    Args:
        arch_id: spandrel's architecture id, e.g. ``"HAT"`` (module and class name).
        scale_key: the constructor's name for the scale (``"upscale"``, ``"scale"``).
        **official: the official configuration (overridden by the registry's ``arch_kwargs``).

    Returns:
        ``build(scale, **kwargs) -> SpandrelNet`` (the raw module, called on a copy of its
        input, without clamping).
    """

    def build(scale: float, **kwargs: Any) -> nn.Module:
        from lpf.zoo_detect import SpandrelNet, quiet_construction

        cls = _spandrel_class(arch_id)
        with quiet_construction():
            model = cls(**{**official, **kwargs, scale_key: int(scale)})
        return SpandrelNet(model.eval())

    build.__name__ = f"build_{arch_id.lower()}"
    return build


def spandrel_loader(arch_id: str) -> Callable[[nn.Module, Path], nn.Module]:
    """A :data:`lpf.zoo.ARCHS` loader: read safely, canonicalise with spandrel, load strictly.

    The file is read with ``weights_only=True``; spandrel recognises it (and strips the
    container layouts of the official releases, e.g. GRL's ``model_g.`` keys); the tensors are
    then loaded *strictly* into the network built from the registry's configuration, so a file
    of another configuration or scale raises :class:`~lpf.archs._common.CheckpointError`.

    Args:
        arch_id: the spandrel architecture the file must hold.

    Returns:
        ``load(net, path) -> net``.
    """

    def load(net: nn.Module, path: Path) -> nn.Module:
        from lpf.archs._common import CheckpointError, load_weights
        from lpf.zoo_detect import _kit_layout, _read, _spandrel_load

        sd = _read(Path(path))
        desc = _spandrel_load(sd)
        if desc is None or str(desc.architecture.id) != arch_id:
            what = (f"a {desc.architecture.id} checkpoint" if desc is not None
                    else _kit_layout(sd) or "no architecture spandrel knows")
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
_GRL_SIZES = {
    "tiny": {"embed_dim": 64, "depths": [4] * 4, "num_heads_window": [2] * 4,
             "num_heads_stripe": [2] * 4, "upsampler": "pixelshuffledirect"},
    "small": {"embed_dim": 128, "depths": [4] * 4, "num_heads_window": [2] * 4,
              "num_heads_stripe": [2] * 4},
    "base": {"embed_dim": 180, "depths": [4, 4, 8, 8, 8, 4, 4], "num_heads_window": [3] * 7,
             "num_heads_stripe": [3] * 7, "local_connection": True},
}


def _register_archs() -> None:
    from lpf.zoo import ARCHS, _Arch, _kit, _kit_any

    def add(name: str, arch: _Arch) -> None:
        if name not in ARCHS:  # another module may have registered the same architecture
            ARCHS[name] = arch

    add("hat", _Arch(spandrel_builder("HAT", "upscale", **_HAT), spandrel_loader("HAT"),
                     pad_multiple=16, min_size=16, scales=(2, 3, 4), source="spandrel"))
    add("grl", _Arch(spandrel_builder("GRL", "upscale", **_GRL), spandrel_loader("GRL"),
                     pad_multiple=64, scales=(2, 3, 4), source="spandrel"))
    add("rcan-official", _Arch(spandrel_builder("RCAN", "scale"), spandrel_loader("RCAN"),
                               scales=(2, 3, 4, 8), source="spandrel"))
    add("lte", _Arch(_kit_any("lte", "LTE"), call_with_scale=True, scales=None, source="lpf"))
    add("swinir-lte", _Arch(_kit_any("lte", "LTE"), call_with_scale=True, scales=None,
                            pad_multiple=8, source="lpf"))
    add("rdn", _Arch(_kit("rdn", "RDN"), source="lpf"))


# --------------------------------------------------------------------------------------------
# Registry entries
# --------------------------------------------------------------------------------------------

_CCR = "https://github.com/TensoRaws/ccrestoration/releases/download/model_zoo/"
_GRL_URL = "https://github.com/ofsoundof/GRL-Image-Restoration/releases/download/v1.0.0/"
# sha256 of the official HAT files (ccrestoration's hat_config.py; its HAT_<s>x.pth and
# HAT_S_<s>x.pth are the official HAT_SRx<s>.pth and HAT-S_SRx<s>.pth)
_HAT_SHA = {2: "35e9409849016ab2bfc0c549639ea4f1d4d5b2bdd75f856a925e124dd05670d0",
            3: "453c90b94d494d041c8bff2d222987af311f07b4a09b4dafbd9ab6492f15206c",
            4: "02dabea478aa5902a7170ad89350124e691bd89c91356f24b3267022622dc030"}
_HAT_S_SHA = {2: "3e249a901c2aed6b82548875e21847ef6c015a40c814237a7a0abb10c69d5ddf",
              3: "3733345caeb2b6cb0a7514d634b143f318e2441faf32316195a47e4cda67669e",
              4: "a92f81bd2c0c1aaa371a6e4d6cac69e749fde2e36196885ee47a4a3667542c9a"}
_HAT_PAPER = ("Chen et al., Activating More Pixels in Image Super-Resolution Transformer (HAT), "
              "CVPR 2023")
_GRL_PAPER = ("Li et al., Efficient and Explicit Modelling of Image Hierarchies for Image "
              "Restoration (GRL), CVPR 2023")
_LTE_PAPER = ("Lee & Jin, Local Texture Estimator for Implicit Representation Function (LTE), "
              "CVPR 2022")
_LTE_DRIVE = {
    "edsr": "https://drive.google.com/file/d/108-wQJOTR41JNn_2Q-5X4p07DvgrBNSB/view",
    "rdn": "https://drive.google.com/file/d/1fdj5cvSopIqFi74x9rofPP9O_2HfSp7K/view",
    "swinir": "https://drive.google.com/file/d/1DnrL86pUKwRXNLOxoK_GJdrP6IZ3y9nH/view",
}
_T1 = "Table 1"


def register_paper_models() -> None:
    """Register the architectures and registry entries of this module (idempotent).

    Entries whose name is already registered (by :mod:`lpf.zoo` or another module) are left as
    they are.
    """
    from lpf.zoo import MODELS, ModelSpec, WeightSource, register_model

    _register_archs()

    def add(**kwargs: Any) -> None:
        if kwargs["name"] not in MODELS:
            register_model(ModelSpec(**kwargs))

    def by_hand(filename: str, url: str) -> WeightSource:
        return WeightSource(kind="url", filename=filename, url=url)

    # HAT, HAT-S: official weights, mirrored with sha256
    for name, sha, prefix, ccr, desc, kw in (
        ("hat", _HAT_SHA, "HAT_SRx", "HAT_", "HAT (6 RHAG x 6, 180 dims, window 16)", {}),
        ("hat-s", _HAT_S_SHA, "HAT-S_SRx", "HAT_S_", "HAT-S (6 RHAG x 6, 144 dims, window 16)",
         {"embed_dim": 144, "compress_ratio": 24, "squeeze_factor": 24}),
    ):
        add(name=name, arch="hat", scales=(2, 3, 4), paper=_HAT_PAPER,
            license="Apache-2.0 (HAT)",
            weights={s: WeightSource(kind="url", filename=f"{prefix}{s}.pth",
                                     url=f"{_CCR}{ccr}{s}x.pth", sha256=h,
                                     alternatives=((f"{ccr}{s}x.pth", h),))
                     for s, h in sha.items()},
            arch_kwargs=kw, figures=(_T1,),
            description=f"{desc}, DF2K; official weights (ccrestoration mirror, sha256)")

    # GRL: official release URLs, no published sha256
    for size in ("base", "small", "tiny"):
        add(name=f"grl-{size}", arch="grl", scales=(2, 3, 4), paper=_GRL_PAPER,
            license="MIT (GRL)",
            weights={s: WeightSource(kind="url", filename=f"sr_grl_{size}_c3x{s}.ckpt",
                                     url=f"{_GRL_URL}sr_grl_{size}_c3x{s}.ckpt")
                     for s in (2, 3, 4)},
            arch_kwargs=dict(_GRL_SIZES[size]), figures=(_T1,),
            description=f"GRL-{size[0].upper()} (window 32, stripes 64x64), official release "
                        "v1.0.0; no published sha256 (fetch with allow_unverified=True)")

    add(name="rcan-official", arch="rcan-official", scales=(2, 3, 4, 8),
        paper="Zhang et al., Image Super-Resolution Using Very Deep Residual Channel Attention "
              "Networks, ECCV 2018",
        license="MIT (RCAN)",
        weights={s: by_hand(f"RCAN_BIX{s}.pt", "https://github.com/yulunzhang/RCAN#test "
                            "(models_ECCV2018RCAN: Dropbox / Google Drive)")
                 for s in (2, 3, 4, 8)},
        figures=("Fig. 9",),
        description="RCAN (10 groups x 20 blocks) in the official EDSR-PyTorch layout "
                    "(RCAN_BIX<s>.pt, rgb_range 255 inside), spandrel's RCAN class")

    add(name="rdn", arch="rdn", scales=(2, 3, 4),
        paper="Zhang et al., Residual Dense Network for Image Super-Resolution, CVPR 2018",
        license="see github.com/yulunzhang/RDN",
        weights={s: by_hand(f"RDN_BIX{s}.pth",
                            "https://github.com/yulunzhang/RDN (the official models are "
                            "Torch7 .t7 files: convert them to a PyTorch state dict in the "
                            "EDSR-PyTorch/LIIF layout first)") for s in (2, 3, 4)},
        figures=("Fig. 9", "Fig. 15", _T1),
        description="RDN (16 RDB x 8 convs, G0=G=64) in the EDSR-PyTorch/LIIF layout; no "
                    "official PyTorch weights (the paper's 'RDN_small' is unidentified)")

    # LTE: written in the kit; official weights on Google Drive (by hand)
    for name, arch, enc, key, figs in (
        ("edsr-lte", "lte", "edsr-baseline", "edsr", ("Fig. 9", _T1)),
        ("rdn-lte", "lte", "rdn", "rdn", (_T1,)),
        ("swinir-lte", "swinir-lte", "swinir", "swinir", ("Fig. 9",)),
    ):
        filename = {"edsr": "edsr-baseline-lte.pth"}.get(key, f"{key}-lte.pth")  # official
        add(name=name, arch=arch, scales=None, paper=_LTE_PAPER,
            license="BSD-3-Clause (LTE, after LIIF)",
            weights={0: by_hand(filename,
                                f"{_LTE_DRIVE[key]} (official README, Google Drive)")},
            arch_kwargs={"encoder": enc}, figures=figs,
            description=f"{enc} encoder + LTE decoder (Fourier features), any scale; "
                        "official weights by hand from Google Drive")

    # architectures not written yet: what is missing and where the weights are
    missing = "architecture not yet written in the kit"
    add(name="rdn-metasr", arch="metasr", scales=None,
        paper="Hu et al., Meta-SR: A Magnification-Arbitrary Network for Super-Resolution, "
              "CVPR 2019",
        license="see the official repository",
        weights={0: by_hand("rdn-metasr.pth",
                            "https://github.com/XuecaiHu/Meta-SR-Pytorch (official code; "
                            "LIIF/LTE also train an RDN-MetaSR: configs train_rdn-metasr.yaml)")},
        figures=("Fig. 9",),
        description=f"RDN encoder + Meta-Upscale; {missing} (needs the Meta-Upscale module "
                    "on lpf.archs.rdn); which checkpoint the paper used is not stated")
    for enc in ("edsr", "rdn"):
        add(name=f"{enc}-opesr", arch="opesr", scales=None,
            paper="Song et al., OPE-SR: Orthogonal Position Encoding for Designing a "
                  "Parameter-free Upsampling Module in Arbitrary-scale Image Super-Resolution, "
                  "CVPR 2023",
            license="see github.com/gaochao-s/ope-sr",
            weights={0: by_hand(f"{enc}-ope_epoch-1000.pth",
                                "https://github.com/gaochao-s/ope-sr#checkpoints (Google Drive "
                                f"folder '{enc.upper()}-OPE', file epoch-1000.pth)")},
            figures=("Fig. 9", _T1),
            description=f"{enc.upper()} encoder + OPE upsampler (parameter-free); {missing} "
                        "(needs the orthogonal position encoding of the official code)")
    add(name="edsr-srno", arch="srno", scales=None,
        paper="Wei & Zhang, Super-Resolution Neural Operator (SRNO), CVPR 2023",
        license="see the official repository",
        weights={0: by_hand("edsr-srno.pth",
                            "https://github.com/2y7c3/Super-Resolution-Neural-Operator "
                            "(no checkpoint URL recorded in the kit)")},
        figures=(_T1,),
        description=f"EDSR encoder + neural-operator (Galerkin attention) decoder; {missing}")
    add(name="itsrn", arch="itsrn", scales=None,
        paper="Yang et al., Implicit Transformer Network for Screen Content Image Continuous "
              "Super-Resolution (ITSRN), NeurIPS 2021",
        license="see the official repository",
        weights={0: by_hand("itsrn.pth", "https://github.com/codyshen0000/ITSRN (no "
                            "checkpoint URL recorded in the kit)")},
        figures=(_T1,),
        description=f"implicit transformer upsampler, any scale; {missing}")
    add(name="hdsrnet", arch="hdsrnet", scales=(2, 3, 4),
        paper="Tian et al., Heterogeneous Dynamic Convolutional Network in Image "
              "Super-Resolution (HDSRNet), arXiv 2024",
        license="see the official repository",
        weights={s: by_hand(f"HDSRNet_x{s}.pt", "https://github.com/hellloxiaotian/HDSRNet "
                            "(README names checkpoint/HDSRNet_x<s>.pt; no download link)")
                 for s in (2, 3, 4)},
        figures=(_T1,),
        description=f"heterogeneous dynamic convolutions (EDSR-PyTorch code base); {missing}")
