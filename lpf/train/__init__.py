"""Training: a small, seeded SR trainer and the recipes of the kit-trained models.

- :mod:`lpf.train.trainer`  :func:`train` (L1, or L1 + relativistic GAN, + FSDS loss or + focal
  frequency loss; resumable), patch sampler, validators, :func:`impulse_check`,
  :func:`save_state_dict`
- :mod:`lpf.train.recipes`  :data:`KIT_RECIPES`: how each kit model (``edsr-kit``, ...) is trained
- :mod:`lpf.train.kit`      :func:`train_kit_model`, :func:`update_registry` (sha256 records in
  ``data/models/<name>.json``)
- :mod:`lpf.train.loss_study` ext04's runs (FSDS as a loss): :data:`LOSS_VARIANTS`,
  :data:`LOSS_RECIPES`, :func:`train_loss_run` (recorded by ``make fsds-loss-runs``)
- :mod:`lpf.train.command`  ``lpf train`` (:func:`add_train_parser`, :func:`run_train`)
"""

from __future__ import annotations

from lpf.train.command import add_train_parser, run_train
from lpf.train.kit import train_kit_model, update_registry
from lpf.train.loss_study import LOSS_RECIPES, LOSS_VARIANTS, train_loss_run
from lpf.train.recipes import KIT_RECIPES, KitRecipe, kit_filename, kit_spec
from lpf.train.trainer import (
    PatchDiscriminator,
    PatchSampler,
    TrainResult,
    impulse_check,
    make_pairs,
    psnr_validator,
    save_state_dict,
    train,
)

__all__ = [
    "KIT_RECIPES",
    "KitRecipe",
    "LOSS_RECIPES",
    "LOSS_VARIANTS",
    "PatchDiscriminator",
    "PatchSampler",
    "TrainResult",
    "add_train_parser",
    "impulse_check",
    "kit_filename",
    "kit_spec",
    "make_pairs",
    "psnr_validator",
    "run_train",
    "save_state_dict",
    "train",
    "train_kit_model",
    "train_loss_run",
    "update_registry",
]
