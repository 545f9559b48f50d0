r"""ext04 (beyond the paper): FSDS as a training loss (issue 14; the official repository's TODO).

Does training for FSDS buy FSDS without losing PSNR, and does it make the network more or less
sinc-like? The kit's small x4 EDSR is trained with four losses (:data:`lpf.train.loss_study.
LOSS_VARIANTS`: L1; L1 + FSDS at two weights; L1 + the focal frequency loss of Jiang et al.,
ICCV 2021), three seeds each, by :func:`record_runs` (``make fsds-loss-runs``); each run is
recorded in ``data/runs/fsds_loss/<recipe>/<variant>-s<seed>.{pth,json}`` with its evaluation
(:func:`evaluate_run`):

- quality on the embedded photographs (:func:`lpf.data.load_pairs`; the nine colour photographs
  of the training set, so not held out; whole or centre crops, by the recipe) and on Set5 and
  B100 when present (held out), by :func:`lpf.evaluate.evaluate` in both presets (``paper``,
  ``sr``): PSNR, SSIM, FSDS (one FFT of the whole image) and ``fsds_crop`` (FSDS without a
  border of ``scale`` pixels);
- the impulse response's sinc-likeness (:func:`lpf.analysis.diagnostics.diagnose` on an 11x11
  impulse image): the correlation with the ideal sinc (:func:`lpf.analysis.sinc.sinc_correlation`,
  the kit's one sinc correlation), the side-lobe level (the ideal x4 sinc's is -0.217), the
  distance from the best-fitting ideal sinc.

:func:`compute` reads the recorded runs (seconds; nothing is trained) and summarises each variant
over its seeds (mean, standard deviation, each seed) and its difference from L1 per seed (runs of
the same seed saw the same patches in the same order: paired differences). It also re-checks
every run: the weight file's sha256 against its record, and the impulse diagnostics recomputed
from the stored (float16) weights against the recorded ones.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from lpf._io import atomic_write_text, sha256_file
from lpf._paths import bundled_dir, cache_dir, data_dir
from lpf.analysis.diagnostics import diagnose
from lpf.analysis.sinc import sinc_correlation
from lpf.data import DatasetNotFound, load_pairs, load_set
from lpf.evaluate import evaluate
from lpf.models import SRModel
from lpf.studies._common import Result, check_choice, check_profile
from lpf.train.loss_study import (
    LOSS_RECIPES,
    LOSS_VARIANTS,
    LossRecipe,
    build_network,
    run_name,
    train_loss_run,
)

__all__ = ["DATASETS", "IMPULSE_KEYS", "METRICS", "PRESETS", "Ext04Result", "compute",
           "evaluate_run", "impulse_numbers", "record_runs", "runs_dir"]

#: the evaluation sets: the embedded photographs (always), Set5 and B100 (when on disk)
DATASETS = ("embedded", "Set5", "B100")
#: the presets and metrics of :func:`lpf.evaluate.evaluate` recorded per run
PRESETS = ("paper", "sr")
METRICS = ("psnr", "ssim", "fsds", "fsds_crop")
#: the impulse-response numbers recorded per run (:func:`impulse_numbers`)
IMPULSE_KEYS = ("sinc_correlation", "side_lobe_level", "sinc_distance", "main_lobe_ratio")
#: the recorded impulse numbers must be recomputed from the stored weights to this tolerance
RECHECK_TOL = 1e-6
#: the ideal x4 sinc's first side-lobe level (relative to the peak)
IDEAL_SIDE_LOBE = -0.217


def runs_dir(recipe: str = "cpu") -> Path:
    """The recorded runs of ``recipe`` shipped with the kit: ``data/runs/fsds_loss/<recipe>``.

    In a checkout ``data/`` itself (where :func:`record_runs` writes by default); in an installed
    wheel its read-only copy (:func:`lpf._paths.bundled_dir`).
    """
    check_choice("recipe", recipe, sorted(LOSS_RECIPES))
    return bundled_dir() / "runs" / "fsds_loss" / recipe


def impulse_numbers(net: torch.nn.Module, *, scale: int = 4, size: int = 11) -> dict[str, float]:
    """The sinc-likeness of ``net``'s impulse response (one ``size`` x ``size`` impulse image).

    :func:`lpf.analysis.diagnostics.diagnose` (in the network's dtype) gives the response and
    its sinc fit; the correlation with the ideal sinc is :func:`lpf.analysis.sinc.sinc_correlation`.

    Returns:
        ``{"sinc_correlation", "side_lobe_level", "sinc_distance", "main_lobe_ratio"}``.

    Examples:
        >>> up = torch.nn.Upsample(scale_factor=4, mode="bicubic", align_corners=False)
        >>> round(impulse_numbers(up)["sinc_correlation"], 2) > 0.8
        True
    """
    d = diagnose(net, scale=scale, size=size)
    return {"sinc_correlation": float(sinc_correlation(d.response, scale=scale)),
            "side_lobe_level": float(d.sinc.side_lobe_level),
            "sinc_distance": float(d.sinc.sinc_distance),
            "main_lobe_ratio": float(d.sinc.main_lobe_ratio)}


def _dataset_pairs(dataset: str, scale: int, root: str | os.PathLike | None,
                   recipe: LossRecipe) -> list[Any] | None:
    if dataset == "embedded":
        return list(load_pairs("embedded", scale=scale, lr_size=recipe.embedded_lr_size).pairs)
    try:
        set_ = load_set(dataset, scale=scale, root=root)
    except DatasetNotFound:
        return None
    pairs = list(set_)
    limit = recipe.b100_limit if dataset == "B100" else None
    return pairs[:limit] if limit is not None else pairs


def evaluate_run(
    model: torch.nn.Module | str | os.PathLike,
    *,
    recipe: str | LossRecipe = "cpu",
    datasets: Sequence[str] = DATASETS,
    root: str | os.PathLike | None = None,
    device: str | torch.device = "cpu",
) -> dict[str, Any]:
    """The evaluation numbers of one network of the study (recorded in each run's JSON).

    Args:
        model: the network (``edsr-kit``'s architecture) or its weight file (a run's ``.pth``).
        recipe: the recipe (its ``b100_limit``: the first images of B100 only; its
            ``embedded_lr_size``: centre crops of the embedded photographs).
        datasets: among :data:`DATASETS`; Set5 and B100 are skipped when not on disk (listed in
            ``"missing"``).
        root: the benchmark sets' folder (see :func:`lpf.data.load_set`).
        device: where the network runs.

    Returns:
        ``{"quality": {dataset: {preset: {"mean": {metric: value}, "per_image": {image:
        {metric: value}}}}}, "images": {dataset: n}, "impulse": impulse_numbers(...),
        "missing": [...], "seconds": ...}``.
    """
    t0 = time.perf_counter()
    r = LOSS_RECIPES[recipe] if isinstance(recipe, str) else recipe
    net = (build_network(r, 0, weights=model) if isinstance(model, str | os.PathLike)
           else model)
    net = net.to(device).eval()
    sr_model = SRModel(net, scale=4, name="run")
    out: dict[str, Any] = {"quality": {}, "images": {}, "missing": []}
    for ds in datasets:
        check_choice("datasets", ds, DATASETS)
        pairs = _dataset_pairs(ds, 4, root, r)
        if pairs is None:
            out["missing"].append(ds)
            continue
        evs = evaluate([sr_model], pairs, scales=[4], preset=list(PRESETS), metrics=METRICS,
                       cache=False, device=device, progress=False)
        out["images"][ds] = len(pairs)
        out["quality"][ds] = {}
        for preset, ev in evs.items():
            ((_, means),) = ev.means().items()
            out["quality"][ds][preset] = {
                "mean": {m: means[m] for m in METRICS},
                "per_image": {row["image"]: {m: row[m] for m in METRICS} for row in ev.rows},
            }
    out["impulse"] = impulse_numbers(net.cpu())
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


def _finished_record(path: Path) -> dict[str, Any] | None:
    """The record at ``path`` if it is a finished, evaluated run whose weights match it."""
    if not path.is_file():
        return None
    record = json.loads(path.read_text())
    pth = path.with_suffix(".pth")
    if (not record.get("finished") or "evaluation" not in record or not pth.is_file()
            or sha256_file(pth) != record.get("sha256")):
        return None
    return record


def record_runs(
    recipe: str | LossRecipe = "cpu",
    *,
    out: str | os.PathLike | None = None,
    work: str | os.PathLike | None = None,
    variants: Sequence[str] | None = None,
    seeds: Sequence[int] | None = None,
    device: str | torch.device = "cpu",
    root: str | os.PathLike | None = None,
    resume: bool = True,
    max_minutes: float | None = None,
    progress: bool = True,
    log: Any = print,
) -> list[dict[str, Any]]:
    """Train, save, evaluate and record every run of the study (``make fsds-loss-runs``).

    Resumable at two levels: a run whose JSON says it finished, was evaluated and whose weight
    file matches its sha256 is skipped; an interrupted run continues from its trainer
    checkpoint in ``work/<run>`` (default: the kit's cache, ``data/cache/fsds_loss/<recipe>``,
    ignored by git). The starting point of a fine-tuning recipe is evaluated once, into
    ``start.json``.

    Args:
        recipe: a key of :data:`lpf.train.loss_study.LOSS_RECIPES` (``"cpu"``, ``"gpu"``).
        out: the records' folder (default ``<data_dir>/runs/fsds_loss/<recipe>``: in a checkout
            the shipped ``data/runs/fsds_loss/<recipe>``, :func:`runs_dir`).
        work: the trainer checkpoints' folder.
        variants: the loss variants (default: all four).
        seeds: the seeds (default: the recipe's).
        device: the torch device of training and evaluation.
        root: the benchmark sets' folder.
        resume: skip finished runs and continue interrupted ones; ``False`` retrains all.
        max_minutes: time budget of the call: the run in progress when it ends stops
            checkpointed (rerun to continue), later ones are skipped.
        progress: show the trainer's progress bars.
        log: called with one line per run.

    Returns:
        The records, in run order (unfinished runs included, ``"finished": false``).
    """
    r = (recipe if isinstance(recipe, LossRecipe)
         else LOSS_RECIPES[str(check_choice("recipe", recipe, sorted(LOSS_RECIPES)))])
    out = Path(out) if out is not None else data_dir() / "runs" / "fsds_loss" / r.name
    work = Path(work) if work is not None else cache_dir() / "fsds_loss" / r.name
    names = list(variants) if variants is not None else list(LOSS_VARIANTS)
    for v in names:
        check_choice("variants", v, sorted(LOSS_VARIANTS))
    seeds = [int(s) for s in (seeds if seeds is not None else r.seeds)]
    deadline = None if max_minutes is None else time.perf_counter() + 60 * max_minutes
    out.mkdir(parents=True, exist_ok=True)
    if r.init_from is not None and (not resume or not (out / "start.json").is_file()):
        start = build_network(r, 0)
        record = {"name": "start", "study": "fsds_loss", "recipe_name": r.name,
                  "init_from": r.init_from,
                  "evaluation": evaluate_run(start, recipe=r, root=root, device=device)}
        atomic_write_text(out / "start.json", json.dumps(record, indent=1) + "\n")
        log(f">> start ({r.init_from}): evaluated in {record['evaluation']['seconds']} s")
    records = []
    for seed in seeds:  # seed-major: a budget cut leaves whole seeds of every variant
        for v in names:
            name = run_name(v, seed)
            path = out / f"{name}.json"
            done = _finished_record(path) if resume else None
            if done is not None:
                log(f">> {name}: recorded already (skipped)")
                records.append(done)
                continue
            left = None if deadline is None else deadline - time.perf_counter()
            if left is not None and left <= 0:
                log(f">> {name}: skipped (time budget spent; rerun to continue)")
                continue
            record, result = train_loss_run(r, v, seed, out=out, work=work, device=device,
                                            resume=resume, max_seconds=left, progress=progress)
            if result.finished:
                record["evaluation"] = evaluate_run(out / record["file"], recipe=r, root=root,
                                                    device=device)
            atomic_write_text(path, json.dumps(record, indent=1) + "\n")
            records.append(record)
            state = "finished" if result.finished else "stopped (rerun to resume)"
            log(f">> {name}: {state}, train {record['wall_time_s']} s, evaluation "
                f"{record.get('evaluation', {}).get('seconds', '-')} s")
    return records


# ------------------------------------------------------------------------------------------------
# The figure's study: read the recorded runs
# ------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Ext04Result(Result):
    """What :func:`compute` returns (every field is in the JSON).

    Attributes:
        recipe: the recipe's name and settings, as recorded in the runs.
        variants: ``{variant: label}``, in order.
        seeds: ``{variant: [seeds of the recorded runs]}``.
        datasets: the evaluation sets found in the records, with their image counts.
        summary: ``{dataset: {preset: {metric: {variant: {"mean", "std", "values"}}}}}``.
        delta: the same, of each variant minus L1 at the same seed (``"l1"`` left out).
        impulse: ``{key: {variant: {"mean", "std", "values"}}}`` of :data:`IMPULSE_KEYS`.
        impulse_delta: the impulse numbers minus L1's at the same seed.
        start: the starting network's numbers (fine-tuning recipes), same layout as one run.
        training: ``{variant: {"wall_time_s": [...], "final_losses": [...]}}``.
        recheck: ``{"sha256_ok": [...], "sha256_bad": [...], "impulse_max_abs_diff": ...}``.
        profile: ``"full"`` or ``"smoke"`` (smoke rechecks one run's impulse numbers).
    """

    recipe: dict[str, Any]
    variants: dict[str, str]
    seeds: dict[str, list[int]]
    datasets: dict[str, int]
    summary: dict[str, Any]
    delta: dict[str, Any]
    impulse: dict[str, Any]
    impulse_delta: dict[str, Any]
    start: dict[str, Any] | None
    training: dict[str, Any]
    recheck: dict[str, Any]
    profile: str


def _stats(values: Sequence[float]) -> dict[str, Any]:
    a = np.asarray([v for v in values if v is not None], dtype=float)
    return {"mean": float(a.mean()) if a.size else None,
            "std": float(a.std(ddof=1)) if a.size > 1 else None,
            "values": [float(v) for v in a]}


def compute(*, profile: str = "full", recipe: str = "cpu", runs: str | None = None,
            recheck: bool = True, device: str | torch.device = "cpu") -> Ext04Result:
    """Read the recorded runs of ``recipe`` and summarise them over seeds (nothing is trained).

    Args:
        profile: ``"full"`` rechecks the impulse numbers of every run from its stored weights,
            ``"smoke"`` those of one run per variant (both read every record).
        recipe: ``"cpu"`` (recorded here) or ``"gpu"`` (when its runs were recorded).
        runs: the records' folder (default :func:`runs_dir` of ``recipe``).
        recheck: verify each weight file's sha256 and recompute impulse numbers.
        device: where the rechecked networks run.

    Returns:
        :class:`Ext04Result`.

    Raises:
        FileNotFoundError: no recorded run in the folder (the message says how to record them).
    """
    profile = check_profile(profile)
    r = LOSS_RECIPES[str(check_choice("recipe", recipe, sorted(LOSS_RECIPES)))]
    folder = Path(runs) if runs is not None else runs_dir(r.name)
    records = {}
    for v in LOSS_VARIANTS:
        for path in sorted(folder.glob(f"{v}-s*.json")):
            rec = json.loads(path.read_text())
            if rec.get("finished") and "evaluation" in rec:
                records[(v, int(rec["seed"]))] = (rec, path)
    if not records:
        raise FileNotFoundError(
            f"no recorded run in {folder}: record them with `make fsds-loss-runs` "
            f"(python scripts/fsds_loss_runs.py --recipe {r.name}).")
    variants = [v for v in LOSS_VARIANTS if any(k[0] == v for k in records)]
    seeds = {v: sorted(s for (w, s) in records if w == v) for v in variants}
    first = next(iter(records.values()))[0]["evaluation"]
    datasets = dict(first["images"])
    summary: dict[str, Any] = {}
    delta: dict[str, Any] = {}
    for ds in datasets:
        summary[ds], delta[ds] = {}, {}
        for preset in PRESETS:
            summary[ds][preset], delta[ds][preset] = {}, {}
            for m in METRICS:
                def val(v: str, s: int, ds=ds, preset=preset, m=m) -> float | None:
                    return records[(v, s)][0]["evaluation"]["quality"][ds][preset]["mean"][m]
                summary[ds][preset][m] = {v: _stats([val(v, s) for s in seeds[v]])
                                          for v in variants}
                delta[ds][preset][m] = {
                    v: _stats([val(v, s) - val("l1", s) for s in seeds[v]
                               if ("l1", s) in records])
                    for v in variants if v != "l1" and "l1" in seeds}
    imp = {k: {v: _stats([records[(v, s)][0]["evaluation"]["impulse"][k] for s in seeds[v]])
               for v in variants} for k in IMPULSE_KEYS}
    imp_delta = {k: {v: _stats([records[(v, s)][0]["evaluation"]["impulse"][k]
                                - records[("l1", s)][0]["evaluation"]["impulse"][k]
                                for s in seeds[v] if ("l1", s) in records])
                     for v in variants if v != "l1" and "l1" in seeds} for k in IMPULSE_KEYS}
    start = None
    if (folder / "start.json").is_file():
        ev = json.loads((folder / "start.json").read_text())["evaluation"]
        start = {"quality": {ds: {p: ev["quality"][ds][p]["mean"] for p in ev["quality"][ds]}
                             for ds in ev["quality"]}, "impulse": ev["impulse"]}
    training = {v: {"wall_time_s": [records[(v, s)][0]["wall_time_s"] for s in seeds[v]],
                    "device": sorted({records[(v, s)][0]["device"] for s in seeds[v]}),
                    "final_losses": [records[(v, s)][0]["final_losses"] for s in seeds[v]]}
                for v in variants}
    check: dict[str, Any] = {"sha256_ok": [], "sha256_bad": [], "impulse_rechecked": [],
                             "impulse_max_abs_diff": None}
    if recheck:
        diffs = []
        for (v, s), (rec, path) in records.items():
            pth = path.with_suffix(".pth")
            ok = pth.is_file() and sha256_file(pth) == rec.get("sha256")
            check["sha256_ok" if ok else "sha256_bad"].append(rec["name"])
            if ok and (profile == "full" or s == seeds[v][0]):
                again = impulse_numbers(build_network(r, s, weights=pth).to(device))
                diffs += [abs(again[k] - rec["evaluation"]["impulse"][k]) for k in IMPULSE_KEYS]
                check["impulse_rechecked"].append(rec["name"])
        check["impulse_max_abs_diff"] = float(max(diffs)) if diffs else None
    recipe_json = next(iter(records.values()))[0]["recipe"]  # as recorded, not as now
    return Ext04Result(
        recipe=recipe_json, variants={v: LOSS_VARIANTS[v].label for v in variants}, seeds=seeds,
        datasets=datasets, summary=summary, delta=delta, impulse=imp, impulse_delta=imp_delta,
        start=start, training=training, recheck=check, profile=profile)
