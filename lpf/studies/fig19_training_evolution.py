"""Figure 19: N(I), H(I) and G(I) of an RDN over its training (Appx. H).

:func:`compute` trains a small RDN from scratch (:func:`training_evolution`, with the kit's
seeded trainer :func:`lpf.train.train`; the run is cached in the full profile) and decomposes a
held-out crop with HyRA at each snapshot: the impulse response's likeness to a sinc
(:func:`lpf.analysis.sinc.sinc_likeness`), the share of H's energy above the LR Nyquist
frequency, G's detail energy and its correlation with the detail H misses, and the PSNR.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import platform
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import torch

from lpf._checks import LpfError, as_image_tensor, check_scale
from lpf._io import dir_mode, sha256_file
from lpf._paths import bundled_dir, cache_dir
from lpf._version import __version__
from lpf.analysis.hyra import HyRA, HyRABands, hyra, hyra_bands, hyra_display, hyra_summary
from lpf.analysis.sinc import sinc_likeness
from lpf.data import crop_pair, embedded_images, load_embedded
from lpf.metrics import psnr
from lpf.models.archs.rdn import RDN
from lpf.studies._common import Result, check_choice, check_profile, choose
from lpf.studies.fig04_hyra import check_image, check_lr_size
from lpf.train import train

__all__ = ["BASELINE_CHANGES", "EvolutionSnapshot", "Fig19TrainingEvolutionResult",
           "RecordedRunError", "TrainingEvolution", "compute", "record_training_evolution",
           "recorded_runs_dir", "training_cache_key", "training_evolution"]

#: keys of the JSON before the redesign that changed on purpose (none).
BASELINE_CHANGES: dict[str, str] = {}

#: the RDN of the figure (4 blocks of 3 convolutions, 16 features)
DEFAULT_RDN_KWARGS = {"G0": 16, "D": 4, "C": 3, "G": 16}
#: the profiles' defaults: LR crop of the test image, training images, optimiser steps,
#: snapshots, patches per step, LR patch side
FULL = {"lr_size": 48, "iterations": 800, "snapshots": [10, 50, 200, 800], "batch_size": 8,
        "patch_size": 16,
        "train_images": ["chelsea", "coffee", "rocket", "motorcycle_left", "motorcycle_right",
                         "immunohistochemistry", "retina", "brick"]}
SMOKE = {"lr_size": 16, "iterations": 60, "snapshots": [3, 60], "batch_size": 4,
         "patch_size": 12, "train_images": ["chelsea", "coffee"]}
#: the learning rate of :func:`compute` (its default) and of the recorded run
FULL_LEARNING_RATE = 1e-3
#: HR pixels (in LR pixels times the scale) left out of G's colour limit at each border: the
#: border is HyRA's padding mismatch, not G's detail
G_LIMIT_BORDER_LR = 2
#: the percentile of |G - median G| that sets G's colour limit
G_LIMIT_PERCENTILE = 99.5

CLAIM = "over training the impulse response becomes more sinc-like and G sharper"
DEFINITIONS = {
    "sinc_distance": "relative L2 residual of the best ideal-sinc fit of the central "
                     "profile (lpf.impulse.sinc_likeness)",
    "energy_detail_nonlinear": "sum |F_G|^2 above the LR Nyquist frequency, outside the "
                               "replica peaks and their 8 neighbours (channel mean)",
    "detail_correlation": "correlation of G with HR - H (channel mean)",
}


class EvolutionSnapshot(NamedTuple):
    """One snapshot of :func:`training_evolution`.

    Attributes:
        iteration: the optimiser step.
        result: the exact-mode :class:`HyRA` of the test image (``sr`` = N(I), ``linear`` = H(I),
            ``nonlinear`` = G(I), ``impulse_response`` ``(C', C, L, L)``).
        bands: its :func:`hyra_bands`.
        summary: :func:`hyra_summary` plus ``side_lobe_level``, ``sinc_distance``,
            ``fit_distance``, ``main_lobe_ratio`` (:func:`lpf.analysis.sinc.sinc_likeness`)
            and, given an HR image, ``psnr`` of the clipped N(I) and ``detail_correlation``, the
            correlation of G(I) with HR - H(I), the detail the linear part misses (channel mean).
    """

    iteration: int
    result: HyRA
    bands: HyRABands
    summary: dict[str, float]


class TrainingEvolution(NamedTuple):
    """What :func:`training_evolution` returns.

    Attributes:
        snapshots: one :class:`EvolutionSnapshot` per snapshot iteration, in order.
        folder: the cache folder of the training run (``None`` without caching).
        cached: whether the finished run was found there (nothing trained in this call).
        log: the trainer's log (losses per ``log_every`` steps).
    """

    snapshots: list[EvolutionSnapshot]
    folder: Any
    cached: bool
    log: dict[str, Any]


def training_cache_key(params: dict[str, Any]) -> str:
    """A short, stable key of a training run's parameters (a cache folder name).

    Args:
        params: JSON-serialisable parameters (order does not matter).

    Returns:
        16 hex digits of the SHA-256 of the sorted JSON.

    Examples:
        >>> training_cache_key({"a": 1, "b": [2]}) == training_cache_key({"b": [2], "a": 1})
        True
        >>> len(training_cache_key({}))
        16
    """
    text = json.dumps(params, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class RecordedRunError(LpfError, ValueError):
    """A recorded training run (``data/runs/fig19``) is incomplete or does not match its record."""


#: the file of a recorded run that lists its files with their sha256 and how it was made
RECORD = "record.json"


def recorded_runs_dir() -> Path:
    """The recorded Fig. 19 runs shipped with the kit: ``data/runs/fig19`` (read-only).

    One folder per run, named by :func:`training_cache_key` of its parameters, laid out as the
    cache (``params.json``, ``log.json``, ``snapshots/iter_<n>.pth``) plus :data:`RECORD`.
    ``make fig19-run`` (:func:`record_training_evolution`) rebuilds the default one.
    """
    return bundled_dir() / "runs" / "fig19"


def _snapshot_file(iteration: int) -> str:
    return f"snapshots/iter_{iteration:06d}.pth"


def _load_recorded(folder: Path, snaps: Sequence[int]) -> tuple[dict[int, Any], dict] | None:
    """The snapshots and log of a recorded run holding every iteration of ``snaps``, verified.

    ``None`` when ``folder`` has no record (or lacks a snapshot): the caller trains instead.

    Raises:
        RecordedRunError: a file listed in the record is missing or its sha256 differs.
    """
    record_file = folder / RECORD
    if not record_file.is_file():
        return None
    record = json.loads(record_file.read_text())
    files = record.get("files", {})
    if not all(_snapshot_file(s) in files for s in snaps):
        return None
    for name in [*(_snapshot_file(s) for s in snaps), "log.json"]:
        path = folder / name
        expected = files.get(name)
        if expected is None or not path.is_file():
            raise RecordedRunError(f"the recorded run {folder} lacks {name}: rebuild it with "
                                   "`make fig19-run` or pass cache=False to train anew.")
        actual = sha256_file(path)
        if actual != expected:
            raise RecordedRunError(
                f"the recorded run's {path} has sha256 {actual[:16]}..., its {RECORD} says "
                f"{expected[:16]}...: the file changed; rebuild it with `make fig19-run`.")
    states = {s: torch.load(folder / _snapshot_file(s), map_location="cpu", weights_only=True)
              for s in snaps}
    return states, json.loads((folder / "log.json").read_text())


def record_training_evolution(out_root: str | Path | None = None, *, device: str = "cpu",
                              progress: bool = True, **overrides: Any) -> Path:
    """Train the Fig. 19 RDN with the full profile's recipe and record the run (``make fig19-run``).

    The run goes to ``out_root / training_cache_key(params)`` (default
    :func:`recorded_runs_dir`): its snapshots, the trainer's log, ``params.json`` and
    :data:`RECORD` (every file's sha256, the versions, the device, the wall time). It is written
    into a temporary folder that replaces the old run only when everything is there.

    Args:
        out_root: the folder of recorded runs.
        device: where to train (``"cuda"`` when one is available is faster; same recipe).
        progress: show the trainer's progress bar.
        **overrides: keyword arguments of :func:`training_evolution` replacing the full profile's
            (``iterations``, ``snapshots``, ``batch_size``, ...; tests use tiny ones).

    Returns:
        The run's folder.
    """
    params = _full_params(**overrides)
    root = Path(out_root) if out_root is not None else recorded_runs_dir()
    root.mkdir(parents=True, exist_ok=True)
    final = root / training_cache_key(params)
    staging = Path(tempfile.mkdtemp(dir=root, prefix=f".{final.name}."))
    try:
        start = time.perf_counter()
        with torch.random.fork_rng():
            torch.manual_seed(params["seed"])
            net = RDN(params["scale"], **params["arch_kwargs"])
        run = train(net, scale=params["scale"], pairs_or_images=params["images"],
                    iterations=params["iterations"], batch_size=params["batch_size"],
                    patch_size=params["patch_size"], lr=params["learning_rate"],
                    seed=params["seed"], device=device, out=None, checkpoint_every=None,
                    snapshots=params["snapshots"], progress=progress)
        wall = time.perf_counter() - start
        for it in params["snapshots"]:
            (staging / "snapshots").mkdir(exist_ok=True)
            torch.save({k: v.detach().cpu() for k, v in run.snapshots[it].items()},
                       staging / _snapshot_file(it))
        (staging / "log.json").write_text(json.dumps(run.log, indent=1, default=str))
        (staging / "params.json").write_text(json.dumps(params, indent=1, sort_keys=True))
        files = {name: sha256_file(staging / name)
                 for name in [*(_snapshot_file(s) for s in params["snapshots"]), "log.json"]}
        record = {"params": params, "files": files, "device": str(device),
                  "torch": torch.__version__, "python": platform.python_version(),
                  "lpf": __version__, "wall_time_s": round(wall, 1),
                  "command": "make fig19-run (lpf.studies.fig19_training_evolution."
                             "record_training_evolution)"}
        (staging / RECORD).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
        staging.chmod(dir_mode())  # mkdtemp made it 0700
        if final.exists():
            shutil.rmtree(final)
        staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final


def _full_params(**overrides: Any) -> dict[str, Any]:
    """The training parameters of the full profile (as :func:`training_evolution` keys them)."""
    values = {"scale": 4, "arch_kwargs": dict(DEFAULT_RDN_KWARGS),
              "iterations": FULL["iterations"], "snapshots": list(FULL["snapshots"]),
              "batch_size": FULL["batch_size"], "patch_size": FULL["patch_size"],
              "learning_rate": FULL_LEARNING_RATE, "seed": 0,
              "images": list(FULL["train_images"])}
    unknown = set(overrides) - set(values)
    if unknown:
        raise TypeError(f"unknown parameter(s) {sorted(unknown)}; expected some of "
                        f"{sorted(values)}.")
    values.update(overrides)
    return _run_params(**values)


def _run_params(*, arch_kwargs: dict[str, Any], scale: int, iterations: int,
                snapshots: Sequence[int], batch_size: int, patch_size: int,
                learning_rate: float, seed: int, images: Sequence[str] | None) -> dict[str, Any]:
    """What keys a training run (:func:`training_cache_key`): the cache's and the record's key."""
    return {"arch": "rdn", "arch_kwargs": dict(arch_kwargs), "scale": scale,
            "iterations": iterations, "snapshots": sorted({int(s) for s in snapshots}),
            "batch_size": batch_size, "patch_size": patch_size, "learning_rate": learning_rate,
            "seed": seed, "images": None if images is None else list(images)}


def training_evolution(
    image: torch.Tensor | np.ndarray,
    *,
    scale: int = 4,
    arch_kwargs: dict[str, Any] | None = None,
    iterations: int,
    snapshots: Sequence[int],
    batch_size: int = 8,
    patch_size: int = 24,
    learning_rate: float = 2e-4,
    seed: int = 0,
    images: Sequence[str] | None = None,
    hr: torch.Tensor | np.ndarray | None = None,
    cache: bool = True,
    cache_root: str | Any | None = None,
    recorded_root: str | Path | None = None,
    device: str = "cpu",
    progress: bool = False,
) -> TrainingEvolution:
    r"""Train an RDN from scratch and run HyRA on a test image at each snapshot (Appx. H, Fig. 19).

    The network (:class:`lpf.models.archs.rdn.RDN`, seeded with ``seed``) is trained with
    :func:`lpf.train.train` (L1, Adam, cosine schedule) on ``images``. At every snapshot the
    weights are loaded and :func:`hyra` (exact mode) decomposes N(I) of ``image`` into H(I) and
    G(I); :func:`lpf.analysis.sinc.sinc_likeness` measures the impulse response.

    *Cache.* With ``cache=True`` the run lives in ``cache_root / training_cache_key(params)``
    (default ``lpf._paths.cache_dir() / "fig19"``) with a ``params.json``; a second call with the
    same parameters loads the finished run's snapshot files without training (or building the
    training set), and an interrupted run resumes from the trainer's checkpoint.

    Args:
        image: the LR test image ``(C, H, W)`` in [0, 1].
        scale: the upscaling factor.
        arch_kwargs: RDN keyword arguments (default ``G0=16, D=4, C=3, G=16``).
        iterations: the optimiser steps.
        snapshots: the iterations to analyse (each in ``[0, iterations]``).
        batch_size: patches per step.
        patch_size: LR patch side.
        learning_rate: Adam's initial learning rate.
        seed: the initialisation's and the trainer's seed.
        images: embedded image names to train on (default: all of them).
        hr: the HR test image (optional; adds ``psnr`` to the summaries).
        cache: keep the run on disk and reuse it.
        cache_root: the folder holding the runs (default ``cache_dir() / "fig19"``).
        recorded_root: a folder of recorded runs (:func:`recorded_runs_dir`, read-only) looked
            at first when ``cache`` is true: a run there with these parameters is verified
            against its record and used without training.
        device: where to train.
        progress: show the trainer's progress bar.

    Returns:
        :class:`TrainingEvolution`.

    Raises:
        ValueError: no snapshots, or a snapshot outside ``[0, iterations]``.

    Examples:
        >>> ev = training_evolution(torch.rand(3, 8, 8), iterations=2, snapshots=[1, 2],
        ...                         batch_size=1, patch_size=8, images=["coins"], cache=False,
        ...                         arch_kwargs={"G0": 4, "D": 1, "C": 1, "G": 4})
        >>> [s.iteration for s in ev.snapshots], ev.snapshots[0].result.sr.shape
        ([1, 2], torch.Size([3, 32, 32]))
    """
    scale = check_scale(scale)
    snaps = sorted({int(s) for s in snapshots})
    if not snaps:
        raise ValueError("`snapshots` is empty: give at least one iteration to analyse.")
    if snaps[0] < 0 or snaps[-1] > iterations:
        raise ValueError(f"`snapshots` must lie in [0, iterations={iterations}], got {snaps}.")
    x = as_image_tensor(image, "image", ndims=(3,)).float()
    kwargs = dict(DEFAULT_RDN_KWARGS if arch_kwargs is None else arch_kwargs)
    params = _run_params(arch_kwargs=kwargs, scale=scale, iterations=iterations,
                         snapshots=snaps, batch_size=batch_size, patch_size=patch_size,
                         learning_rate=learning_rate, seed=seed, images=images)
    folder = None
    cached = False
    recorded = None
    if cache and recorded_root is not None:
        folder = Path(recorded_root) / training_cache_key(params)
        recorded = _load_recorded(folder, snaps)
        if recorded is None:
            folder = None
    if cache and recorded is None:
        root = Path(cache_root) if cache_root is not None else cache_dir() / "fig19"
        folder = root / training_cache_key(params)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "params.json").write_text(json.dumps(params, indent=1, sort_keys=True))
        cached = (folder / "final.pth").is_file() and all(
            (folder / "snapshots" / f"iter_{s:06d}.pth").is_file() for s in snaps)
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        net = RDN(scale, **kwargs)
    if recorded is not None:  # a run recorded with the kit, verified against its record
        states, log = recorded
        cached = True
        net.to(device)
    elif cached:  # the finished run: its snapshots and log, without rebuilding the training set
        states = {s: torch.load(folder / "snapshots" / f"iter_{s:06d}.pth", map_location="cpu",
                                weights_only=True) for s in snaps}
        log_file = folder / "log.json"
        log = json.loads(log_file.read_text()) if log_file.is_file() else {}
        net.to(device)
    else:
        run = train(net, scale=scale, pairs_or_images=images, iterations=iterations,
                           batch_size=batch_size, patch_size=patch_size, lr=learning_rate,
                           seed=seed, device=device, out=folder, resume=True,
                           checkpoint_every=None, snapshots=snaps, progress=progress)
        states, log, net = run.snapshots, run.log, run.model
    out = []
    for it in snaps:
        net.load_state_dict(states[it])
        net.eval()
        r = hyra(net, x.to(device), scale=scale)
        b = hyra_bands(r)
        summary = hyra_summary(r, b)
        sl = sinc_likeness(r.impulse_response.cpu(), scale=scale)
        summary.update(side_lobe_level=sl.side_lobe_level, sinc_distance=sl.sinc_distance,
                       fit_distance=sl.distance, main_lobe_ratio=sl.main_lobe_ratio)
        if hr is not None:
            target = as_image_tensor(hr, "hr", ndims=(3,)).float()
            summary["psnr"] = float(psnr(r.sr.clamp(0, 1).cpu(), target))
            missing = (target - r.linear.cpu()).flatten(1)  # what H misses of the HR image
            g = r.nonlinear.detach().cpu().flatten(1)
            missing, g = missing - missing.mean(1, keepdim=True), g - g.mean(1, keepdim=True)
            summary["detail_correlation"] = float(
                ((missing * g).sum(1) / (missing.norm(dim=1) * g.norm(dim=1)).clamp(min=1e-12))
                .mean())
        out.append(EvolutionSnapshot(it, r, b, summary))
    return TrainingEvolution(out, folder, cached, log)


@dataclasses.dataclass
class Fig19TrainingEvolutionResult(Result):
    """HyRA of a held-out crop at each snapshot of an RDN's training.

    Attributes:
        claim: the figure's claim in words.
        image: the held-out test image.
        scale: the upscaling factor.
        lr_size: its LR crop side.
        rdn_kwargs: the RDN's size.
        training: the trainer's configuration (its log's ``config``).
        cache_key: the cache folder's name (``None`` without caching).
        snapshots: one ``{"iteration", **summary}`` per snapshot, in order.
        definitions: what the summary's numbers mean.
        cached: whether the finished run was reused (not in the JSON: it differs between runs).
        hr: the HR crop ``(H, W, C)`` in [0, 1] (not in the JSON).
        display: ``hyra_display`` per snapshot (not in the JSON).
        responses: the impulse response per snapshot, summed over input and averaged over
            output channels ``(L, L)`` (not in the JSON).
        amplitude_max: the largest log-amplitude of H and G over all snapshots.
        g_limit: G's colour limit (the :data:`G_LIMIT_PERCENTILE` percentile of |G - median|
            inside the border, the largest over the snapshots).
    """

    _arrays = ("cached", "hr", "display", "responses", "amplitude_max", "g_limit")

    claim: str
    image: str
    scale: int
    lr_size: int
    rdn_kwargs: dict[str, int]
    training: dict[str, Any]
    cache_key: str | None
    snapshots: list[dict[str, float]]
    definitions: dict[str, str]
    cached: bool
    hr: np.ndarray
    display: list[dict[str, dict[str, np.ndarray]]]
    responses: list[np.ndarray]
    amplitude_max: float
    g_limit: float


def _positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"parameter `{name}` must be a positive int, got {value!r}.")
    return int(value)


def compute(*, profile: str = "full", image: str = "astronaut", scale: int = 4,
            lr_size: int | None = None, rdn_kwargs: dict[str, int] | None = None,
            train_images: Sequence[str] | None = None, iterations: int | None = None,
            snapshots: Sequence[int] | None = None, batch_size: int | None = None,
            patch_size: int | None = None, learning_rate: float = FULL_LEARNING_RATE,
            cache: bool = True,
            seed: int = 0, device: str = "cpu",
            progress: bool = False) -> Fig19TrainingEvolutionResult:
    """Train a small RDN and decompose a held-out crop with HyRA at each snapshot (Fig. 19).

    Every ``None`` parameter takes the profile's value (:data:`FULL`, :data:`SMOKE`).

    Args:
        profile: ``"full"`` or ``"smoke"``.
        image: the embedded test image (held out of the training set).
        scale: the upscaling factor.
        lr_size: the LR crop side of the test image.
        rdn_kwargs: the RDN's size (default :data:`DEFAULT_RDN_KWARGS`).
        train_images: embedded images to train on.
        iterations: optimiser steps.
        snapshots: the iterations analysed (each in ``[0, iterations]``).
        batch_size: patches per step.
        patch_size: LR patch side.
        learning_rate: Adam's initial learning rate (cosine schedule).
        cache: reuse the recorded run shipped in ``data/runs/fig19`` (verified by sha256; ``make
            fig19-run`` rebuilds it) or the run cached under ``cache_dir()/fig19`` (full profile
            only).
        seed: seeds the RDN's initialisation and the patch sampler.
        device: where to train and analyse.
        progress: show the trainer's progress bar.

    Raises:
        ValueError: an unknown profile or image, a bad size, count or snapshot (named).
    """
    check_profile(profile)
    full = profile == "full"
    base = FULL if full else SMOKE
    scale = check_scale(scale)
    size = check_lr_size(choose(profile, lr_size, full=FULL["lr_size"], smoke=SMOKE["lr_size"]))
    image = check_image(image)
    steps = _positive_int(iterations if iterations is not None else base["iterations"],
                          "iterations")
    batch = _positive_int(batch_size if batch_size is not None else base["batch_size"],
                          "batch_size")
    patch = _positive_int(patch_size if patch_size is not None else base["patch_size"],
                          "patch_size")
    snaps = list(snapshots if snapshots is not None else base["snapshots"])
    if not snaps or any(isinstance(s, bool) or not isinstance(s, int | np.integer)
                        or not 0 <= s <= steps for s in snaps):
        raise ValueError(f"parameter `snapshots` must be iterations in [0, {steps}], got {snaps}.")
    images = list(train_images if train_images is not None else base["train_images"])
    for name in images:
        check_choice("train_images", name, embedded_images())
    kwargs = dict(DEFAULT_RDN_KWARGS if rdn_kwargs is None else rdn_kwargs)
    pair = crop_pair(load_embedded(image, scale=scale, channels=3), size)
    hr, lr = pair.tensors()
    evolution = training_evolution(
        lr, hr=hr, scale=scale, arch_kwargs=kwargs, seed=seed, device=device, iterations=steps,
        snapshots=snaps, batch_size=batch, patch_size=patch, learning_rate=learning_rate,
        images=images, cache=bool(cache) and full, progress=progress,
        recorded_root=recorded_runs_dir() if full else None)
    rows = [{"iteration": s.iteration, **s.summary} for s in evolution.snapshots]
    shown = [hyra_display(s.result) for s in evolution.snapshots]
    responses = [s.result.impulse_response.detach().cpu().sum(1).mean(0).numpy()
                 for s in evolution.snapshots]
    b = G_LIMIT_BORDER_LR * scale
    inner = [d["nonlinear"]["image"].mean(-1)[b:-b, b:-b] for d in shown]
    g_limit = max(float(np.percentile(np.abs(g - np.median(g)), G_LIMIT_PERCENTILE))
                  for g in inner)
    return Fig19TrainingEvolutionResult(
        claim=CLAIM, image=image, scale=scale, lr_size=size, rdn_kwargs=kwargs,
        training=evolution.log.get("config", {}),
        cache_key=None if evolution.folder is None else evolution.folder.name,
        snapshots=rows, definitions=dict(DEFINITIONS), cached=evolution.cached,
        hr=pair.hr / 255.0, display=shown, responses=responses,
        amplitude_max=max(float(d[k]["amplitude"].max()) for d in shown
                          for k in ("linear", "nonlinear")),
        g_limit=g_limit)
