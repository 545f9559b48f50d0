"""Kit-trained models: small EDSR, RDN, RCAN, SwinIR (x4) and one GAN-trained counterpart.

The paper analyses trained networks. These five are trained by the kit itself (:mod:`lpf.train`)
on the embedded photographs (those shipped inside scikit-image, :func:`lpf.data.embedded_images`),
so that every figure has real trained networks offline. Their state dicts live in
``data/models/<name>.pth`` beside a ``<name>.json`` record of how each was made; ``make models``
(``python scripts/train_models.py --model all``) rebuilds them from the recipes below.

This module is the single source of truth for them: :data:`KIT_RECIPES` holds the architecture,
its arguments and the training configuration of each; :func:`register_kit_models` turns them
into :class:`lpf.zoo.ModelSpec` entries (kind ``"kit"`` weight sources with the sha256 recorded
in :data:`KIT_SHA256`). It imports :mod:`lpf.zoo` only inside functions, so that ``lpf.zoo`` can
call :func:`register_kit_models` at import time without an import cycle.

Examples:
    >>> sorted(KIT_RECIPES)
    ['edsr-kit', 'edsr-kit-gan', 'rcan-kit', 'rdn-kit', 'swinir-kit']
    >>> KIT_RECIPES["edsr-kit-gan"].init_from
    'edsr-kit'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from lpf.zoo import ModelSpec

__all__ = [
    "KIT_RECIPES",
    "KIT_SHA256",
    "KitRecipe",
    "kit_filename",
    "kit_spec",
    "register_kit_models",
]


@dataclass(frozen=True)
class KitRecipe:
    """How one kit-trained model is built and trained (see :func:`lpf.train.train`).

    Attributes:
        name: the registry name, e.g. ``"edsr-kit"``.
        arch: the architecture, a key of :data:`lpf.zoo.ARCHS`.
        arch_kwargs: its constructor arguments (the small configuration).
        paper: the citation of the architecture.
        description: one line for tables.
        figures: the paper figures that use the model.
        scale: the upscaling factor (all kit models are x4).
        iterations: optimiser steps.
        batch_size: patches per step.
        patch_size: LR patch side (HR patches are ``scale`` times larger).
        lr: Adam's learning rate (cosine-annealed to 0 over ``iterations``).
        loss: ``"l1"`` or ``"l1+gan"``.
        seed: the seed of the initialisation and of the patch sampler.
        init_from: the kit model whose trained weights start this one (GAN fine-tuning), or
            ``None`` for a random initialisation.
        l1_weight: weight of the L1 term.
        gan_weight: weight of the relativistic-average adversarial term (``"l1+gan"`` only).
    """

    name: str
    arch: str
    arch_kwargs: dict[str, Any]
    paper: str
    description: str
    figures: tuple[str, ...] = ()
    scale: int = 4
    iterations: int = 3000
    batch_size: int = 16
    patch_size: int = 48
    lr: float = 2e-4
    loss: str = "l1"
    seed: int = 0
    init_from: str | None = None
    l1_weight: float = 1.0
    gan_weight: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def training(self) -> str:
        """``"l1"`` or ``"gan"``, for :attr:`lpf.zoo.ModelSpec.training`."""
        return "gan" if "gan" in self.loss else "l1"

    def train_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of :func:`lpf.train.train` this recipe fixes.

        Examples:
            >>> KIT_RECIPES["edsr-kit"].train_kwargs()["patch_size"]
            48
        """
        kwargs: dict[str, Any] = {
            "scale": self.scale, "iterations": self.iterations, "batch_size": self.batch_size,
            "patch_size": self.patch_size, "lr": self.lr, "loss": self.loss, "seed": self.seed,
            "l1_weight": self.l1_weight,
        }
        if self.loss == "l1+gan":
            kwargs["gan_weight"] = self.gan_weight
        return {**kwargs, **self.extra}


_EDSR = ("Lim et al., Enhanced Deep Residual Networks for Single Image Super-Resolution, "
         "CVPRW 2017 (kit-trained small version)")
_EDSR_SMALL = {"num_feat": 32, "num_block": 8}

KIT_RECIPES: dict[str, KitRecipe] = {
    r.name: r
    for r in (
        KitRecipe(
            name="edsr-kit", arch="edsr", arch_kwargs=dict(_EDSR_SMALL), paper=_EDSR,
            description="EDSR, 8 blocks x 32 features, L1, trained by the kit on the embedded set",
            figures=("Fig. 9", "Fig. 10", "Fig. 14", "Fig. 16", "Table 1"),
        ),
        KitRecipe(
            name="edsr-kit-gan", arch="edsr", arch_kwargs=dict(_EDSR_SMALL), paper=_EDSR,
            description="edsr-kit fine-tuned with L1 + relativistic GAN (ESRGAN-style)",
            figures=("Fig. 10",), iterations=1000, lr=1e-4, loss="l1+gan",
            init_from="edsr-kit", gan_weight=3e-2,
        ),
        KitRecipe(
            name="rdn-kit", arch="rdn", arch_kwargs={"G0": 32, "D": 6, "C": 4, "G": 16},
            paper="Zhang et al., Residual Dense Network for Image Super-Resolution, CVPR 2018 "
                  "(kit-trained small version)",
            description="RDN, 6 blocks x 4 convs, G0=32, G=16, L1, trained by the kit",
            figures=("Fig. 9", "Fig. 14", "Fig. 19", "Table 1"),
        ),
        KitRecipe(
            name="rcan-kit", arch="rcan",
            arch_kwargs={"num_feat": 32, "num_group": 4, "num_block": 4, "squeeze_factor": 8},
            paper="Zhang et al., Image Super-Resolution Using Very Deep Residual Channel "
                  "Attention Networks, ECCV 2018 (kit-trained small version)",
            description="RCAN, 4 groups x 4 blocks x 32 features, L1, trained by the kit",
            figures=("Fig. 9", "Table 1"),
        ),
        KitRecipe(
            name="swinir-kit", arch="swinir",
            arch_kwargs={"img_size": 48, "embed_dim": 48, "depths": [2, 2, 2, 2],
                         "num_heads": [4, 4, 4, 4], "window_size": 8, "mlp_ratio": 2.0,
                         "drop_path_rate": 0.0, "upsampler": "pixelshuffle"},
            paper="Liang et al., SwinIR: Image Restoration Using Swin Transformer, ICCVW 2021 "
                  "(kit-trained small version)",
            description="SwinIR, 4 RSTB x 2 layers, 48 dims, window 8, L1, trained by the kit",
            figures=("Fig. 9", "Fig. 14", "Table 1"), iterations=4000,
        ),
    )
}
"""The recipes, ``name -> KitRecipe``: the small configurations and how they are trained."""

# The sha256 of each committed checkpoint. `python scripts/train_models.py --update-registry`
# rewrites the block between the markers from the files in data/models.
# BEGIN KIT_SHA256
KIT_SHA256: dict[str, str | None] = {
    "edsr-kit": "e810ebc6e97e06e476bd252741bfe2e6a0f002982df7c4667e5f14f5cc40d3b0",
    "edsr-kit-gan": "a57b2285093b27e25d75ceca7683f5bb5bf4bb0ff4b25239eafe48ad164033ce",
    "rdn-kit": "37c83b8513eb85b39e6dece010f26438204d28dd1e039521ecf6449344c241f4",
    "rcan-kit": "563e63878c3dc0ca5bc9c05f9bac35e1c5340dea33d431bc49ce0cb43d410bd1",
    "swinir-kit": "03e86300c344f529e2bd8a7fbc4d78814e9e89e99eba98f5bf89b43c2e8f310b",
}
# END KIT_SHA256
"""``name -> sha256`` of ``data/models/<name>.pth`` (``None`` until the checkpoint is committed)."""

_LICENSE = ("MIT (lpf-kit); trained on the photographs bundled with scikit-image (see "
            "skimage/data/README.txt for their licences)")


def kit_filename(name: str) -> str:
    """The checkpoint file of kit model ``name`` in ``data/models``.

    Examples:
        >>> kit_filename("rdn-kit")
        'rdn-kit.pth'
    """
    if name not in KIT_RECIPES:
        raise KeyError(f"{name!r} is not a kit-trained model; choose from {sorted(KIT_RECIPES)}.")
    return f"{name}.pth"


def kit_spec(name: str) -> ModelSpec:
    """The registry entry of kit model ``name`` (not registered by this call).

    Examples:
        >>> spec = kit_spec("edsr-kit")
        >>> spec.scales, spec.weights[4].kind, spec.weights[4].filename, spec.training
        ((4,), 'kit', 'edsr-kit.pth', 'l1')
    """
    from lpf.zoo import ModelSpec, WeightSource

    recipe = KIT_RECIPES[name] if name in KIT_RECIPES else None
    if recipe is None:
        raise KeyError(f"{name!r} is not a kit-trained model; choose from {sorted(KIT_RECIPES)}.")
    return ModelSpec(
        name=recipe.name, arch=recipe.arch, scales=(recipe.scale,), paper=recipe.paper,
        license=_LICENSE,
        weights={recipe.scale: WeightSource(
            kind="kit", filename=kit_filename(name), sha256=KIT_SHA256.get(name),
            url="data/models/README.md (rebuild with `make models`)")},
        arch_kwargs=dict(recipe.arch_kwargs), description=recipe.description,
        figures=recipe.figures, training=recipe.training,
    )


def _ensure_archs() -> None:
    """Add the architectures the kit models need to :data:`lpf.zoo.ARCHS` if absent (RDN)."""
    from lpf import zoo

    if "rdn" not in zoo.ARCHS:
        zoo.ARCHS["rdn"] = zoo._Arch(zoo._kit("rdn", "RDN"), source="lpf")


def register_kit_models() -> list[str]:
    """Add the kit-trained models to :data:`lpf.zoo.MODELS` (idempotent).

    ``lpf.zoo`` calls this once at import; :func:`kit_spec` gives an entry without registering it.
    The RDN architecture is added to :data:`lpf.zoo.ARCHS` first if it is not there yet.

    Returns:
        The names of the kit models (registered now or before).

    Raises:
        ValueError: another, different entry already uses one of the names.
    """
    from lpf.zoo import MODELS, register_model

    _ensure_archs()
    names = []
    for name in KIT_RECIPES:
        spec = kit_spec(name)
        if name in MODELS:
            if MODELS[name] != spec:
                raise ValueError(f"a different model named {name!r} is already registered.")
        else:
            register_model(spec)
        names.append(name)
    return names
