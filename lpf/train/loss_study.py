r"""FSDS as a training loss: the loss variants, the two recipes and one recorded run (issue 14).

The study behind ``notebooks/ext04_fsds_loss.ipynb``: the kit's small x4 EDSR (``edsr-kit``'s
architecture, 32 features, 8 blocks) trained with four losses (:data:`LOSS_VARIANTS`), several
seeds each, every run recorded like the kit-trained models (weights + JSON with the recipe, seed,
versions, device, wall time and sha256). The evaluation numbers are added to each record by
:mod:`lpf.studies.ext04_fsds_loss` (the evaluator is a layer above the trainer); that module's
:func:`~lpf.studies.ext04_fsds_loss.record_runs` is the one command (``make fsds-loss-runs``).

**The loss weights.** The FSDS loss (:func:`lpf.metrics.fsds_loss`) is in dB: on 128-pixel HR
patches of the embedded photographs, at ``edsr-kit``'s trained weights, the norm of its gradient
with respect to the network's parameters is about 2,600 times that of the L1 term (measured over
4 batches of 8 patches: median 2,600, range 1,500-4,900; at 96- and 192-pixel patches
1,800-3,300). The two FSDS weights make the FSDS term's gradient about 10 % (``4e-5``) and 50 %
(``2e-4``) of L1's. The focal frequency loss (Jiang et al., ICCV 2021) at its package's default
weight 1 has about 6 % of L1's gradient (0.04-0.08); its weight 8 brings it to about 50 %, the
strong FSDS variant's share, so that the two frequency losses are compared at the same strength.

**The recipes** (:data:`LOSS_RECIPES`):

- ``"cpu"`` (recorded in ``data/runs/fsds_loss/cpu``, what the notebook shows): fine-tune the
  committed ``edsr-kit`` weights for 100 steps (batch 8 of 32-pixel LR patches, Adam 1e-4
  cosine-annealed), one run per loss and seed; the seed changes the patch sampler only (the
  starting weights are the same). About 1 s per step on this project's 2 shared CPU cores.
- ``"gpu"``: the full recipe, from scratch: ``edsr-kit``'s exact recipe (3000 steps, batch 16 of
  48-pixel patches, Adam 2e-4 cosine), the seed changing the initialisation and the patch
  sampler (seed 0 with L1 rebuilds ``edsr-kit``). For ``--device cuda``; not run in this
  repository so far.

Examples:
    >>> sorted(LOSS_VARIANTS)
    ['l1', 'l1_ffl', 'l1_fsds_hi', 'l1_fsds_lo']
    >>> LOSS_VARIANTS["l1_fsds_hi"].train_kwargs()
    {'loss': 'l1+fsds', 'fsds_weight': 0.0002}
    >>> LOSS_RECIPES["cpu"].init_from, LOSS_RECIPES["gpu"].iterations
    ('edsr-kit', 3000)
"""

from __future__ import annotations

import os
import platform
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from lpf._io import sha256_file
from lpf._version import __version__
from lpf.models import ARCHS, load_model, resolve_weights
from lpf.train.recipes import KIT_RECIPES
from lpf.train.trainer import TrainResult, save_state_dict, train

__all__ = [
    "LOSS_RECIPES",
    "LOSS_VARIANTS",
    "LossRecipe",
    "LossVariant",
    "MAX_RUN_BYTES",
    "build_network",
    "run_name",
    "train_loss_run",
]

#: the committed weights of one run are stored in float16 (about 470 KB for 233k parameters)
MAX_RUN_BYTES = 512 * 1024
#: the network of the study: edsr-kit's architecture and scale
BASE_MODEL = "edsr-kit"


@dataclass(frozen=True)
class LossVariant:
    """One training loss of the study.

    Attributes:
        name: a file-safe key (``"l1_fsds_lo"``).
        label: for figures and tables.
        loss: :func:`lpf.train.train`'s ``loss``.
        fsds_weight: the FSDS term's weight (``"l1+fsds"`` only).
        ffl_weight: the focal frequency loss's weight (``"l1+ffl"`` only).
    """

    name: str
    label: str
    loss: str
    fsds_weight: float | None = None
    ffl_weight: float | None = None

    def train_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of :func:`lpf.train.train` this variant fixes."""
        out: dict[str, Any] = {"loss": self.loss}
        if self.fsds_weight is not None:
            out["fsds_weight"] = self.fsds_weight
        if self.ffl_weight is not None:
            out["ffl_weight"] = self.ffl_weight
        return out


LOSS_VARIANTS: dict[str, LossVariant] = {
    v.name: v
    for v in (
        LossVariant("l1", "L1", "l1"),
        LossVariant("l1_fsds_lo", "L1 + 4e-5 FSDS", "l1+fsds", fsds_weight=4e-5),
        LossVariant("l1_fsds_hi", "L1 + 2e-4 FSDS", "l1+fsds", fsds_weight=2e-4),
        LossVariant("l1_ffl", "L1 + 8 FFL", "l1+ffl", ffl_weight=8.0),
    )
}
"""The losses compared, ``name -> LossVariant`` (weights: see the module docstring)."""


@dataclass(frozen=True)
class LossRecipe:
    """How every run of the study is trained (the loss and the seed vary).

    Attributes:
        name: ``"cpu"`` or ``"gpu"`` (the runs' folder under ``data/runs/fsds_loss``).
        iterations: optimiser steps.
        batch_size: patches per step.
        patch_size: LR patch side.
        lr: Adam's initial learning rate (cosine-annealed to 0).
        init_from: the kit model whose committed weights start every run (fine-tuning), or
            ``None``: from scratch, initialised with the run's seed.
        seeds: the seeds of the recorded runs.
        b100_limit: evaluate on the first this many B100 images (``None``: all 100).
        embedded_lr_size: evaluate on LR centre crops of this side of the embedded photographs
            (``None``: whole images; up to 1411 px, the evaluation's main cost on a CPU).
        description: one line for the README and the figure.
    """

    name: str
    iterations: int
    batch_size: int
    patch_size: int
    lr: float
    init_from: str | None
    seeds: tuple[int, ...] = (0, 1, 2)
    b100_limit: int | None = None
    embedded_lr_size: int | None = None
    description: str = ""

    def train_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of :func:`lpf.train.train` this recipe fixes."""
        return {"scale": KIT_RECIPES[BASE_MODEL].scale, "iterations": self.iterations,
                "batch_size": self.batch_size, "patch_size": self.patch_size, "lr": self.lr,
                "schedule": "cosine"}


LOSS_RECIPES: dict[str, LossRecipe] = {
    "cpu": LossRecipe(
        "cpu", iterations=100, batch_size=8, patch_size=24, lr=1e-4, init_from=BASE_MODEL,
        b100_limit=10, embedded_lr_size=64,
        description="fine-tune the committed edsr-kit for 100 steps (batch 8 x 24 px LR, Adam "
                    "1e-4 cosine); the seed changes the patch sampler"),
    "gpu": LossRecipe(
        "gpu", iterations=3000, batch_size=16, patch_size=48, lr=2e-4, init_from=None,
        description="from scratch, edsr-kit's recipe (3000 steps, batch 16 x 48 px LR, Adam "
                    "2e-4 cosine); the seed changes the initialisation and the patch sampler"),
}
"""The study's recipes: ``"cpu"`` (recorded, fine-tuning) and ``"gpu"`` (full, from scratch)."""


def run_name(variant: str, seed: int) -> str:
    """The file stem of one run.

    Examples:
        >>> run_name("l1_ffl", 2)
        'l1_ffl-s2'
    """
    if variant not in LOSS_VARIANTS:
        raise KeyError(f"unknown loss variant {variant!r}; choose from {sorted(LOSS_VARIANTS)}.")
    return f"{variant}-s{int(seed)}"


def build_network(recipe: LossRecipe, seed: int, *, weights: str | os.PathLike | None = None
                  ) -> nn.Module:
    """The study's network (``edsr-kit``'s architecture): seeded, or loaded from ``weights``.

    Without ``weights`` a run starts from ``recipe.init_from``'s committed weights, or, for a
    from-scratch recipe, from the initialisation seeded with ``seed`` (as ``lpf train`` seeds the
    kit models: seed 0 gives ``edsr-kit``'s initialisation).
    """
    kit = KIT_RECIPES[BASE_MODEL]
    if weights is None and recipe.init_from is not None:
        weights = resolve_weights(recipe.init_from, scale=kit.scale)
    if weights is not None:
        return load_model(str(weights), arch=kit.arch, scale=kit.scale, **kit.arch_kwargs).net
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return ARCHS[kit.arch].build(kit.scale, **kit.arch_kwargs)


def _device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    return f"cpu ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads)"


def train_loss_run(
    recipe: str | LossRecipe,
    variant: str,
    seed: int,
    *,
    out: str | os.PathLike,
    work: str | os.PathLike,
    device: str | torch.device = "cpu",
    resume: bool = True,
    max_seconds: float | None = None,
    progress: bool = True,
) -> tuple[dict[str, Any], TrainResult]:
    """Train one run of the study and save its weights; return its record and the result.

    The trainer's resumable state lives in ``work/<run>`` (checkpointed every tenth of the
    run: an interrupted run continues there). A finished run's state dict is written to
    ``out/<run>.pth`` in float16 (:func:`lpf.train.save_state_dict`, at most
    :data:`MAX_RUN_BYTES`); the record (not yet written: the caller adds the evaluation) holds
    the recipe, the variant, the seed, the starting weights' sha256, the trainer's final
    losses, the versions, the device, the wall time, and the weight file's sha256.

    Args:
        recipe: a key of :data:`LOSS_RECIPES` or a :class:`LossRecipe`.
        variant: a key of :data:`LOSS_VARIANTS`.
        seed: the run's seed.
        out: the folder of the recorded runs (``data/runs/fsds_loss/<recipe>``).
        work: the folder of the trainer's checkpoints (e.g. under the kit's cache).
        device: the torch device.
        resume: continue an interrupted run from ``work/<run>``.
        max_seconds: stop (checkpointed) after this long; the record then says
            ``"finished": false`` and no weights are written.
        progress: show the trainer's progress bar.

    Returns:
        ``(record, result)``.
    """
    if isinstance(recipe, str):
        if recipe not in LOSS_RECIPES:
            raise KeyError(f"unknown recipe {recipe!r}; choose from {sorted(LOSS_RECIPES)}.")
        recipe = LOSS_RECIPES[recipe]
    name = run_name(variant, seed)
    v = LOSS_VARIANTS[variant]
    device = torch.device(device)
    init = None
    if recipe.init_from is not None:
        init = resolve_weights(recipe.init_from, scale=KIT_RECIPES[BASE_MODEL].scale)
    net = build_network(recipe, seed)
    kwargs = {**recipe.train_kwargs(), **v.train_kwargs(), "seed": int(seed)}
    its = recipe.iterations
    result = train(net, device=device, out=Path(work) / name, resume=resume,
                   checkpoint_every=max(its // 10, 1), log_every=max(min(50, its // 10), 1),
                   max_seconds=max_seconds, progress=progress, desc=name, **kwargs)
    kit = KIT_RECIPES[BASE_MODEL]
    record: dict[str, Any] = {
        "name": name, "study": "fsds_loss", "recipe_name": recipe.name,
        "recipe": {**asdict(recipe), "seeds": list(recipe.seeds)}, "variant": asdict(v),
        "seed": int(seed), "train_kwargs": kwargs,
        "arch": kit.arch, "arch_kwargs": kit.arch_kwargs, "scale": kit.scale,
        "parameters": sum(p.numel() for p in net.parameters()),
        "init_from": None if init is None else {"name": recipe.init_from,
                                                "sha256": sha256_file(init)},
        "data": {"train": "embedded (scikit-image photographs)",
                 "images": result.log["config"]["images"],
                 "degradation": "MATLAB bicubic (lpf.data.resize.imresize on uint8)"},
        "iterations_done": result.iterations, "finished": result.finished,
        "device": _device_name(device), "torch": torch.__version__,
        "python": platform.python_version(), "lpf": __version__,
        "wall_time_s": round(result.wall_time_s, 1),
        "final_losses": result.log["train"][-1] if result.log["train"] else None,
    }
    if result.finished:
        path = Path(out) / f"{name}.pth"
        dtype = save_state_dict(result.model, path, max_bytes=MAX_RUN_BYTES)
        record.update({"file": path.name, "sha256": sha256_file(path),
                       "bytes": path.stat().st_size, "dtype": dtype})
    return record, result
