"""Recipes of the kit-trained models: small EDSR, RDN, RCAN, SwinIR (x4) and one GAN counterpart.

The paper analyses trained networks. These five are trained by the kit itself
(:func:`lpf.train.train_kit_model`) on the embedded photographs (those shipped inside
scikit-image, :func:`lpf.data.embedded_images`), so that every figure has real trained networks
offline. Their state dicts live in ``data/models/<name>.pth`` beside a ``<name>.json`` record of
how each was made, with the file's ``sha256`` (read by the registry, :mod:`lpf.models.catalog`);
``make models`` (``lpf train --model all``) rebuilds them from the recipes below.

The registry entries (architecture, its arguments, paper, description, figures) are in the
catalog (``lpf/models/catalog.json``); a recipe adds how the model is trained.

Examples:
    >>> sorted(KIT_RECIPES)
    ['edsr-kit', 'edsr-kit-gan', 'rcan-kit', 'rdn-kit', 'swinir-kit']
    >>> KIT_RECIPES["edsr-kit-gan"].init_from, KIT_RECIPES["rdn-kit"].arch
    ('edsr-kit', 'rdn')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lpf.models import MODELS, ModelSpec

__all__ = ["KIT_RECIPES", "KitRecipe", "kit_filename", "kit_spec"]


@dataclass(frozen=True)
class KitRecipe:
    """How one kit-trained model is trained (see :func:`lpf.train.train`).

    The model itself (architecture, its arguments, paper, description, figures) is the catalog
    entry of the same name: :attr:`spec`, and the properties below read it.

    Attributes:
        name: the registry name, e.g. ``"edsr-kit"``.
        iterations: optimiser steps.
        batch_size: patches per step.
        patch_size: LR patch side (HR patches are ``scale`` times larger).
        lr: Adam's learning rate (cosine-annealed to 0 over ``iterations``).
        loss: ``"l1"``, ``"l1+gan"``, ``"l1+fsds"`` or ``"l1+ffl"`` (see :func:`lpf.train.train`).
        seed: the seed of the initialisation and of the patch sampler.
        init_from: the kit model whose trained weights start this one (GAN fine-tuning), or
            ``None`` for a random initialisation.
        l1_weight: weight of the L1 term.
        gan_weight: weight of the relativistic-average adversarial term (``"l1+gan"`` only).
        fsds_weight: weight of the FSDS loss term, per dB (``"l1+fsds"`` only).
        ffl_weight: weight of the focal frequency loss term (``"l1+ffl"`` only).
        extra: further keyword arguments of :func:`lpf.train.train`.
    """

    name: str
    iterations: int = 3000
    batch_size: int = 16
    patch_size: int = 48
    lr: float = 2e-4
    loss: str = "l1"
    seed: int = 0
    init_from: str | None = None
    l1_weight: float = 1.0
    gan_weight: float = 0.0
    fsds_weight: float = 0.0
    ffl_weight: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def spec(self) -> ModelSpec:
        """The registry entry (:data:`lpf.models.MODELS`) of this model."""
        return MODELS[self.name]

    @property
    def arch(self) -> str:
        """The architecture, a key of :data:`lpf.models.ARCHS`."""
        return self.spec.arch

    @property
    def arch_kwargs(self) -> dict[str, Any]:
        """Its constructor arguments (the small configuration)."""
        return dict(self.spec.arch_kwargs)

    @property
    def scale(self) -> int:
        """The upscaling factor (all kit models are x4)."""
        (scale,) = self.spec.scales
        return int(scale)

    @property
    def paper(self) -> str:
        """The citation of the architecture."""
        return self.spec.paper

    @property
    def description(self) -> str:
        """One line for tables."""
        return self.spec.description

    @property
    def figures(self) -> tuple[str, ...]:
        """The paper figures that use the model."""
        return self.spec.figures

    @property
    def training(self) -> str:
        """``"l1"`` or ``"gan"``, as :attr:`lpf.models.ModelSpec.training`."""
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
        elif self.loss == "l1+fsds":
            kwargs["fsds_weight"] = self.fsds_weight
        elif self.loss == "l1+ffl":
            kwargs["ffl_weight"] = self.ffl_weight
        return {**kwargs, **self.extra}


KIT_RECIPES: dict[str, KitRecipe] = {
    r.name: r
    for r in (
        KitRecipe(name="edsr-kit"),
        KitRecipe(name="edsr-kit-gan", iterations=1000, lr=1e-4, loss="l1+gan",
                  init_from="edsr-kit", gan_weight=3e-2),
        KitRecipe(name="rdn-kit"),
        KitRecipe(name="rcan-kit"),
        KitRecipe(name="swinir-kit", iterations=4000),
    )
}
"""The recipes, ``name -> KitRecipe``: how each kit model is trained."""


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
    """The registry entry of kit model ``name`` (from the catalog).

    Examples:
        >>> spec = kit_spec("edsr-kit")
        >>> spec.scales, spec.weights[4].kind, spec.weights[4].filename, spec.training
        ((4,), 'kit', 'edsr-kit.pth', 'l1')
    """
    if name not in KIT_RECIPES:
        raise KeyError(f"{name!r} is not a kit-trained model; choose from {sorted(KIT_RECIPES)}.")
    return MODELS[name]
