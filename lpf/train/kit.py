"""The kit-trained models: run a recipe, record it, keep the sha256 beside the weights.

:func:`train_kit_model` runs a recipe; :func:`update_registry` refreshes the sha256 records.

Each finished run writes ``<out>/<name>.pth`` (the state dict) and ``<out>/<name>.json`` (how it
was made, Set5 numbers, impulse check, and the file's ``sha256``, which the registry reads:
:func:`lpf.models.weights.kit_sha256`). Nothing is written into ``lpf/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from lpf._basicsr import import_basicsr
from lpf._io import atomic_write_text, sha256_file
from lpf._version import __version__
from lpf.data import ImageSet, SRPair, load_set, read_image, to_tensor
from lpf.data.resize import imresize
from lpf.metrics import psnr
from lpf.models import ARCHS, load_model, resolve_weights
from lpf.models.weights import kit_record
from lpf.train.recipes import KIT_RECIPES, kit_filename
from lpf.train.trainer import impulse_check, make_pairs, psnr_validator, save_state_dict, train

__all__ = ["summary", "train_kit_model", "update_registry"]


def _find_set5(set5: str | os.PathLike | None, scale: int):
    """Set5 at ``scale``: a folder with ``HR/`` (Set5 itself) or a datasets root, or the default."""
    if set5 is None:
        return load_set("Set5", scale=scale)
    folder = Path(set5).expanduser()
    if (folder / "HR").is_dir():
        names = tuple(sorted(p.stem for p in (folder / "HR").glob("*.png")))
        if not names:
            raise FileNotFoundError(f"{folder / 'HR'} holds no PNG images.")
        lr_dir = folder / "LR_bicubic" / f"X{scale}"
        return ImageSet(name="Set5", scale=scale, folder=folder, names=names,
                        lr_dir=lr_dir if lr_dir.is_dir() else None)
    return load_set("Set5", scale=scale, root=folder)


def _bicubic_psnr(pairs: Sequence[Any], scale: int) -> float:
    values = [psnr(to_tensor(imresize(p.lr, scale)), to_tensor(p.hr), preset="sr", scale=scale)
              for p in pairs]
    return float(np.mean(values))


def _device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    return f"cpu ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads)"


def _build_net(recipe: Any, *, weights: Path | None = None) -> nn.Module:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(recipe.seed)
        if weights is None:
            return ARCHS[recipe.arch].build(recipe.scale, **recipe.arch_kwargs)
        return load_model(str(weights), arch=recipe.arch, scale=recipe.scale,
                          **recipe.arch_kwargs).net


def train_kit_model(
    name: str,
    *,
    out: str | os.PathLike,
    device: str | torch.device = "cpu",
    set5: str | os.PathLike | None = None,
    iterations: int | None = None,
    batch_size: int | None = None,
    patch_size: int | None = None,
    gan_weight: float | None = None,
    images: Sequence[str] | None = None,
    train_dir: str | os.PathLike | None = None,
    max_seconds: float | None = None,
    val_every: int | None = None,
    resume: bool = True,
    progress: bool = True,
    argv: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Train one kit model from its recipe and write ``out/<name>.pth`` and ``out/<name>.json``.

    The run's resumable state lives in ``out/runs/<name>-<hash>/``, one folder per configuration
    (recipe, overrides, data, starting weights). After training, the state dict is
    saved (:func:`save_state_dict`), loaded back through :func:`lpf.models.load_model` and evaluated
    on Set5 (PSNR-Y, SR convention, against MATLAB-bicubic's); the JSON records the recipe, the
    overrides, the data, seed, iterations, the Set5 numbers, wall time, device and versions.

    Args:
        name: a key of :data:`lpf.train.recipes.KIT_RECIPES`.
        out: the output folder (``data/models`` for the committed checkpoints).
        device: the torch device.
        set5: Set5's folder (with ``HR/`` and ``LR_bicubic/X4/``) or a datasets root holding
            ``Set5/``; default: :func:`lpf.data.load_set`'s search.
        iterations: override the recipe's number of steps (recorded as an override).
        batch_size: override the recipe's batch size (recorded).
        patch_size: override the recipe's LR patch size (recorded).
        gan_weight: override the recipe's adversarial weight (GAN recipes only; recorded).
        images: the embedded images to train on (default: all).
        train_dir: train on the HR PNG images of this folder instead of the embedded set (e.g.
            the embedded set exported beforehand where scikit-image is not installed).
        max_seconds: stop this model's training after this long (resumable; the record then says
            ``"finished": false`` and no ``.pth`` is written).
        val_every: validate on Set5 every this many steps (default: about 4 times per run).
        resume: continue an interrupted run in ``out/runs/<name>``.
        progress: show progress bars.
        argv: the command line, for the record.

    Returns:
        The record written to ``out/<name>.json``.
    """
    if name not in KIT_RECIPES:
        raise KeyError(f"unknown kit model {name!r}; choose from {sorted(KIT_RECIPES)}.")
    recipe = KIT_RECIPES[name]
    out = Path(out)
    device = torch.device(device)
    kwargs = recipe.train_kwargs()
    overrides = {k: v for k, v in (("iterations", iterations), ("batch_size", batch_size),
                                   ("patch_size", patch_size), ("gan_weight", gan_weight))
                 if v is not None and (k != "gan_weight" or recipe.loss == "l1+gan")}
    kwargs.update(overrides)
    set_ = _find_set5(set5, recipe.scale)
    val_pairs = list(set_)
    pad = 8 if recipe.arch == "swinir" else 1
    val = psnr_validator(val_pairs, scale=recipe.scale, pad_multiple=pad)
    init = None
    if recipe.init_from is not None:
        init = out / kit_filename(recipe.init_from)
        if not init.is_file():
            try:
                init = resolve_weights(recipe.init_from, scale=recipe.scale)
            except (FileNotFoundError, KeyError):
                raise FileNotFoundError(
                    f"{name} starts from the trained {recipe.init_from}: train it first "
                    f"(--model {recipe.init_from}) into {out}."
                ) from None
    data: list[Any] | None = list(images) if images else None
    if train_dir is not None:
        files = sorted(Path(train_dir).glob("*.png"))
        if not files:
            raise FileNotFoundError(f"no PNG images in {train_dir}.")
        data = make_pairs([read_image(f, channels=3) for f in files], scale=recipe.scale)
        data = [SRPair(f.stem, d.hr, d.lr, d.scale) for f, d in zip(files, data, strict=True)]
    net = _build_net(recipe, weights=init)
    n_params = sum(p.numel() for p in net.parameters())
    its = kwargs["iterations"]
    init_sha = None if init is None else sha256_file(init)
    # one run folder per configuration (recipe + overrides + data + starting weights): a rerun
    # with the same settings resumes, any change (or a retrained `init_from` model) starts afresh
    key = json.dumps([kwargs, init_sha, images and sorted(images), str(train_dir)],
                     sort_keys=True, default=str)
    run_dir = out / "runs" / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"
    result = train(
        net, pairs_or_images=data, device=device, out=run_dir, resume=resume,
        val=val, val_every=val_every or max(its // 4, 1), log_every=max(min(50, its // 10), 1),
        checkpoint_every=max(its // 10, 1), max_seconds=max_seconds, progress=progress,
        desc=name, **kwargs,
    )
    lr_kind = "generated" if set_.generated else "LR_bicubic"
    record: dict[str, Any] = {
        "name": name, "arch": recipe.arch, "arch_kwargs": recipe.arch_kwargs,
        "scale": recipe.scale, "training": recipe.training, "parameters": n_params,
        "recipe": kwargs, "overrides": overrides,
        "init_from": None if init is None else {"name": recipe.init_from, "file": init.name,
                                                "sha256": init_sha},
        "data": {"train": "embedded (scikit-image photographs)" if train_dir is None else
                 f"HR PNGs of {train_dir}",
                 "images": result.log["config"]["images"],
                 "skipped_images": result.log["skipped_images"],
                 "degradation": "MATLAB bicubic (lpf.data.resize.imresize on uint8)",
                 "validation": f"Set5 x{recipe.scale} ({lr_kind} LR), PSNR-Y, border crop = "
                               "scale"},
        "iterations_done": result.iterations, "finished": result.finished,
        "device": _device_name(device), "torch": torch.__version__,
        "python": platform.python_version(), "lpf": __version__,
        "wall_time_s": round(result.wall_time_s, 1),
        "command": " ".join(argv) if argv else None,
        "val_history": [{"iteration": v["iteration"], "psnr_y": round(v["psnr_y"], 3)}
                        for v in result.log["val"]],
        "final_loss": result.final_loss,
    }
    try:
        record["basicsr"] = import_basicsr().__version__
    except ImportError:  # pragma: no cover
        record["basicsr"] = None
    if result.finished:
        path = out / kit_filename(name)
        dtype = save_state_dict(result.model, path)
        model = _build_net(recipe, weights=path)
        final = psnr_validator(val_pairs, scale=recipe.scale, pad_multiple=pad)(model.to(device))
        bicubic = _bicubic_psnr(val_pairs, recipe.scale)
        record.update({
            "file": path.name, "sha256": sha256_file(path), "bytes": path.stat().st_size,
            "dtype": dtype, "set5_psnr_y": round(final["psnr_y"], 3),
            "set5_psnr_y_per_image": {k.split("/", 1)[1]: round(v, 3) for k, v in final.items()
                                      if "/" in k},
            "bicubic_psnr_y": round(bicubic, 3),
            "gain_over_bicubic_db": round(final["psnr_y"] - bicubic, 3),
            "impulse": impulse_check(model, scale=recipe.scale, pad_multiple=pad),
        })
    atomic_write_text(out / f"{name}.json", json.dumps(record, indent=1) + "\n")
    return record


def summary(records: Sequence[Mapping[str, Any]]) -> str:
    """The Markdown table of training records that ``lpf train`` prints."""
    head = ("| model | training | params | iterations | batch x patch | device | wall s | "
            "Set5 PSNR-Y | vs bicubic | side lobe | sinc corr | file | sha256 |")
    rows = [head, "|" + "---|" * 13]
    for r in records:
        rc = r["recipe"]
        psnr = f"{r['set5_psnr_y']:.2f}" if "set5_psnr_y" in r else "unfinished"
        gain = f"{r['gain_over_bicubic_db']:+.2f}" if "gain_over_bicubic_db" in r else "-"
        rows.append(
            f"| {r['name']} | {r['training']} | {r['parameters']:,} | {r['iterations_done']}/"
            f"{rc['iterations']} | {rc['batch_size']} x {rc['patch_size']} | {r['device']} | "
            f"{r['wall_time_s']:.0f} | {psnr} | {gain} | "
            f"{r['impulse']['side_lobe'] if 'impulse' in r else '-'} | "
            f"{r['impulse']['sinc_corr'] if 'impulse' in r else '-'} | {r.get('file', '-')} "
            f"({r.get('dtype', '-')}) | {r.get('sha256', '-')} |"
        )
    return "\n".join(rows)


def update_registry(out: str | os.PathLike) -> dict[str, str | None]:
    """Record the sha256 of each kit checkpoint in ``out`` in its ``<name>.json``, beside it.

    The registry reads the sha256 of the kit models from these records
    (:func:`lpf.models.weights.kit_sha256`); this brings them up to date after checkpoints were
    replaced (``make models`` runs it). A checkpoint without a record gets a minimal one. Nothing
    is written into ``lpf/``.

    Args:
        out: the folder holding ``<name>.pth`` (``data/models`` for the committed ones).

    Returns:
        ``name -> sha256`` (``None`` for models without a checkpoint in ``out``).
    """
    out = Path(out)
    shas: dict[str, str | None] = {}
    for name in KIT_RECIPES:
        pth = out / kit_filename(name)
        if not pth.is_file():
            shas[name] = None
            continue
        sha = sha256_file(pth)
        record_path = out / f"{name}.json"
        record = kit_record(record_path) or {"name": name}
        if record.get("sha256") != sha or record.get("bytes") != pth.stat().st_size:
            record.update({"file": pth.name, "sha256": sha, "bytes": pth.stat().st_size})
            atomic_write_text(record_path, json.dumps(record, indent=1) + "\n")
        shas[name] = sha
    return shas
