"""The evaluation grid of :func:`lpf.evaluate.evaluate` and its serial executor.

SR folders, the models' cache keys, the plan of columns (model, scale) x images, and the cells:
one function computes a cell wherever it runs (here, or on a Ray actor: :mod:`lpf.evaluate._ray`).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tqdm.auto import tqdm

from lpf._cells import CellCache
from lpf._checks import RangeError, ShapeError, check_scale
from lpf._io import sha256_file
from lpf._paths import cache_dir
from lpf._version import __version__
from lpf.data import (
    SRPair,
    embedded_images,
    load_embedded,
    load_pairs,
    load_set,
    read_image,
    to_numpy,
    to_tensor,
    write_image,
)
from lpf.metrics import quality
from lpf.metrics.frequency import fsds
from lpf.metrics.quality import border_crop
from lpf.models import load_model, model_label, names_a_file
from lpf.models.catalog import get_spec
from lpf.models.tiling import tiled_forward
from lpf.models.wrapper import SRModel, wraps_callable

#: the metrics each preset computes, in table order (``fsds_crop``: FSDS without a border of
#: ``scale`` pixels, see the module docstring)
METRICS = {
    "paper": ("psnr", "ssim", "lpips", "fsds", "fsds_crop", "l1", "l2", "l1_freq", "l2_freq"),
    "sr": ("psnr", "ssim", "lpips", "fsds", "fsds_crop"),
}
_SUFFIXES = (".png", ".bmp", ".jpg", ".jpeg", ".tif", ".tiff")


@dataclass(frozen=True)
class SRFolder:
    """SR images made elsewhere, evaluated like a model.

    For scale ``s`` the images are looked up in ``root/<s>``, ``root/x<s>``, ``root/X<s>`` or
    ``root`` itself, under the names ``<image>x<s>``, ``<image>_x<s>``, ``<image>`` (any image
    suffix), or any file whose name starts with the image name (the paper's published outputs are
    named ``NNNNxS.png`` for the DIV2K ground truth ``NNNN.png``).

    Attributes:
        root: the folder.
        name: the method's name in tables (default: the folder name).
    """

    root: Path
    name: str = ""

    def __post_init__(self):
        object.__setattr__(self, "root", Path(self.root))
        if not self.name:
            object.__setattr__(self, "name", self.root.name)

    def _dirs(self, scale: int) -> list[Path]:
        cands = [self.root / str(scale), self.root / f"x{scale}", self.root / f"X{scale}",
                 self.root]
        return [d for d in cands if d.is_dir()]

    def find(self, image: str, scale: int) -> Path:
        """The SR file of ``image`` at ``scale``; ``FileNotFoundError`` lists what was tried."""
        stems = [f"{image}x{scale}", f"{image}_x{scale}", f"{image}_X{scale}", image]
        dirs = self._dirs(scale)
        for d in dirs:
            for stem in stems:
                for suffix in _SUFFIXES:
                    if (d / f"{stem}{suffix}").is_file():
                        return d / f"{stem}{suffix}"
            matches = sorted(p for p in d.iterdir() if p.name.startswith(image)
                             and p.suffix.lower() in _SUFFIXES)
            if len(matches) == 1:
                return matches[0]
        raise FileNotFoundError(
            f"no SR image for {image!r} at x{scale} in {self.root} (looked in "
            f"{', '.join(str(d) for d in dirs) or 'no existing scale folder'} for "
            f"{', '.join(stems)} with an image suffix)."
        )

    def key(self, scale: int) -> str:
        """A cache key that changes when the folder's files change (names, sizes, mtimes)."""
        h = hashlib.sha256(str(self.root.resolve()).encode())
        for d in self._dirs(scale):
            for p in sorted(d.iterdir()):
                if p.is_file():
                    st = p.stat()
                    h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}".encode())
        return f"folder-{self.name}-{h.hexdigest()[:16]}"


# --------------------------------------------------------------------------------------------


def _fsds_denominator(preset: str) -> str:
    """FSDS's denominator in ``preset`` (``fsds`` and ``fsds_crop`` alike).

    The paper preset uses the official table script's argument order, ``fsds(gt, sr)`` (the SR
    spectrum in the denominator); the ``sr`` preset the paper's Eq. 13 (HR in the denominator).
    """
    return "pred" if preset == "paper" else "target"


def _metric_values(sr: torch.Tensor, hr: torch.Tensor, *, preset: str, scale: int,
                   metrics: Sequence[str], notes: list[str]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for m in metrics:
        if m == "psnr":
            out[m] = float(quality.psnr(sr, hr, preset=preset, scale=scale))
        elif m == "ssim":
            out[m] = float(quality.ssim(sr, hr, preset=preset, scale=scale))
        elif m == "fsds":
            out[m] = fsds(sr, hr, denominator=_fsds_denominator(preset))
        elif m == "fsds_crop":
            try:
                out[m] = fsds(border_crop(sr, scale, "pred"), border_crop(hr, scale, "target"),
                              denominator=_fsds_denominator(preset))
            except ShapeError:
                out[m] = None
                note = (f"fsds_crop is n/a where an image side is {2 * scale} px or less at "
                        f"x{scale}: nothing is left after cropping {scale} px from every side")
                if note not in notes:
                    notes.append(note)
        elif m == "lpips":
            try:
                out[m] = float(quality.lpips(sr, hr, net="squeeze",
                                             preset="paper" if preset == "paper" else "standard"))
            except quality.MetricUnavailable as err:
                out[m] = None
                if str(err) not in notes:
                    notes.append(str(err))
        elif m in ("l1", "l2", "l1_freq", "l2_freq"):
            out[m] = float(getattr(quality, m)(sr, hr))
        else:
            raise ValueError(f"unknown metric {m!r}; known: {', '.join(METRICS['paper'])}.")
    return out


def _load(model: Any, scale: int, device: str | torch.device) -> tuple[str, Any]:
    """``(label, loaded model)`` of a name, a path or a module (an SRFolder as it is)."""
    if isinstance(model, SRFolder):
        return model.name, model
    if isinstance(model, str | os.PathLike):
        return model_label(model), load_model(model, scale=scale, device=device)
    return str(getattr(model, "name", type(model).__name__)), model


#: the wrapper settings of an SRModel that change its output
_WRAPPER_SETTINGS = ("scale", "input_range", "channels", "pad_multiple", "call_with_scale",
                     "min_size")


def _config(module: torch.nn.Module) -> str:
    """What configures ``module`` besides its tensors (for the cache key).

    Each submodule's type and ``extra_repr`` (an ``nn.Upsample``'s mode, a convolution's
    padding...) and the SRModel wrapper settings.
    """
    parts = [f"{name}|{type(sub).__module__}.{type(sub).__qualname__}|{sub.extra_repr()}|"
             + repr([(k, getattr(sub, k)) for k in _WRAPPER_SETTINGS if isinstance(sub, SRModel)])
             for name, sub in module.named_modules()]
    return "\n".join(parts)


def _model_key(model: Any, scale: int, label: str | None = None) -> tuple[str, str | None]:
    """(display name, cache key) of a loaded model or an SR folder; key None: not cacheable.

    The key covers everything that changes the output: the weights (the file's sha256, or the
    tensors), the architecture and its settings (:func:`_config`, wrapper settings included). A
    plain callable (a function, a lambda) cannot be identified across runs: it is not cached.
    """
    if isinstance(model, SRFolder):
        return model.name, model.key(scale)
    name = label or str(getattr(model, "name", type(model).__name__))
    if not isinstance(model, torch.nn.Module) or wraps_callable(model):
        return name, None
    h = hashlib.sha256(_config(model).encode())
    path = getattr(model, "weights_path", None)
    if path is not None:
        h.update(sha256_file(Path(path)).encode())
    else:
        for k, v in model.state_dict().items():
            h.update(k.encode())
            h.update(v.detach().cpu().contiguous().view(torch.uint8).numpy().tobytes()
                     if v.numel() else b"")
    return name, f"{name}-{h.hexdigest()[:16]}"


def _pairs_key(pairs: Sequence[Any]) -> str:
    """A content hash of SR pairs (names, HR and LR pixels): custom data sets are keyed by it."""
    h = hashlib.sha256()
    for p in pairs:
        h.update(p.name.encode())
        for a in (p.hr, p.lr):
            arr = np.ascontiguousarray(a)
            h.update(f"{arr.shape}{arr.dtype}".encode())
            h.update(arr.tobytes())
    return h.hexdigest()[:16]


def _check_output(sr: torch.Tensor, name: str, image: str, scale: int) -> torch.Tensor:
    """``sr`` if finite (checked before any clamp: +inf must not become a white pixel)."""
    if not bool(torch.isfinite(sr).all()):
        bad = int((~torch.isfinite(sr)).sum())
        raise RangeError(
            f"the output of {name} for {image!r} at x{scale} has {bad} non-finite value(s) "
            "(NaN or inf); it cannot be scored."
        )
    return sr


def _models_at(scale: int, models: Sequence[Any], device: str | torch.device):
    """``(label, loaded model)`` of every model that runs at ``scale`` (the others: "–" cells)."""
    for spec in models:
        if not _supports(spec, scale):
            continue
        try:
            yield _load(spec, scale, device)
        except ValueError:
            if not names_a_file(spec):
                raise
            continue  # a checkpoint of another scale: a "–" cell


def _supports(model: object, scale: int) -> bool:
    """Whether a registry name supports ``scale`` (paths, modules, folders: tried as they are)."""
    if not isinstance(model, str) or names_a_file(model):
        return True
    scales = get_spec(model).scales
    return scales is None or float(scale) in map(float, scales)


def _scales_of(scales: Sequence[int] | Mapping[Any, Sequence[int]], models: Sequence[Any]
               ) -> tuple[list[int], dict[int, list[Any]]]:
    """All scales (sorted, checked) and, per scale, the models to run there (in model order)."""
    if isinstance(scales, Mapping):
        unknown = [m for m in scales if not any(m is x or m == x for x in models)]
        if unknown:
            raise ValueError(f"`scales` names models that are not in `models`: {unknown}.")
        per_model = [[check_scale(s) for s in scales.get(m, ())] for m in models]
    else:
        checked = [check_scale(s) for s in scales]
        per_model = [checked for _ in models]
    every = sorted({s for ss in per_model for s in ss})
    return every, {s: [m for m, ss in zip(models, per_model, strict=True) if s in ss]
                   for s in every}


# --------------------------------------------------------------------------------------------
# The grid: columns (model, scale) x images; cells computed by one function, wherever it runs


#: the executors of :func:`evaluate`
EXECUTORS = ("serial", "ray")
#: the cache's folder under ``cache_dir()`` (one file per cell; the JSONL files that kit
#: versions before 0.x appended to, in ``evaluate/``, are ignored)
CACHE_FOLDER = "evaluate-cells"


@dataclass(frozen=True)
class _Options:
    """What every cell of one :func:`evaluate` call computes, and how."""

    presets: tuple[str, ...]
    metrics: dict[str, tuple[str, ...]]
    quantize: bool  # outputs rounded to 8 bits (stored as PNGs) before scoring
    crop_to_common: bool
    device: str
    tile: int | None
    tile_overlap: int


@dataclass
class _Images:
    """The images of one scale, loaded one at a time by index."""

    dataset: str
    names: list[str]
    get: Callable[[int], SRPair]


@dataclass
class _Column:
    """One (model, scale) of the grid; its cells are the images of the scale."""

    index: int  # its position in the grid
    token: str  # names its model for Ray actors (which keep the models they loaded)
    scale: int
    name: str  # the model's name in tables
    spec: Any  # what the caller passed (actors load it again) or the loaded module
    model: Any  # loaded here (the cache key is computed from it)
    caches: dict[str, CellCache] | None  # per preset; None: not cached
    png: Path | None  # the folder of its 8-bit outputs (quantized runs with a cache)


def _images(dataset: str | Iterable, scale: int, *, root: Path | None, staged: bool,
            hr_size: int | None, limit: int | None) -> tuple[_Images, str]:
    """The images of ``scale`` and the tag of the data (names the PNG outputs' folder)."""
    if staged:
        if isinstance(dataset, str):
            ps = load_pairs(dataset, scale=scale, root=None if root is None else str(root),
                            limit=limit, lr_size=None if hr_size is None else hr_size // scale)
            name, pairs = ps.dataset, list(ps.pairs)
        else:
            name = getattr(dataset, "name", "custom")
            pairs = list(dataset)[:limit]
        name += "" if hr_size is None else f"-hr{hr_size}"
        digest = hashlib.sha256()
        for p in pairs:
            digest.update(p.name.encode() + p.lr.tobytes())
        return (_Images(name, [p.name for p in pairs], pairs.__getitem__),
                f"{name}-{digest.hexdigest()[:12]}")
    if not isinstance(dataset, str):
        pairs = list(dataset)
        name = f"{getattr(dataset, 'name', 'custom')}-{_pairs_key(pairs)}"
        return _Images(name, [p.name for p in pairs], pairs.__getitem__), name
    if dataset == "embedded":
        names = embedded_images(include_grey=False)
        return _Images("embedded", names,
                       lambda i: load_embedded(names[i], scale=scale)), "embedded"
    image_set = load_set(dataset, scale=scale, root=root)
    return _Images(dataset, list(image_set.names), image_set.__getitem__), dataset


def _plan(by_scale: dict[int, list[Any]], dataset: str | Iterable, *, options: _Options,
          hr_size: int | None, limit: int | None, root: str | Path | None,
          cache: bool | str | Path, notes: list[str], load_device: str
          ) -> list[tuple[_Images, list[_Column]]]:
    """The grid: per scale, its images and the columns (models) that run there."""
    cache_root = (cache_dir() / CACHE_FOLDER if cache is True else Path(cache) if cache
                  else None)
    png_root = (cache_dir() / "sr_outputs" if cache is True
                else Path(cache) / "sr_outputs" if cache else None)
    root = Path(root) if root is not None else None
    plan = []
    index = 0
    for scale, models in by_scale.items():
        columns: list[_Column] = []
        images, tag = None, ""
        for (label, model), spec in _models_with_specs(scale, models, load_device):
            own_scale = getattr(model, "scale", scale)
            if isinstance(model, torch.nn.Module) and float(own_scale) != scale:
                continue  # an SRModel built for another scale
            if images is None:
                images, tag = _images(dataset, scale, root=root, staged=options.quantize,
                                      hr_size=hr_size, limit=limit)
            name, key = _model_key(model, scale, label)
            caches = png = None
            if cache_root is not None and key is None:
                note = (f"{name} is a plain callable that cannot be identified across runs: "
                        "its results are not cached")
                if note not in notes:
                    notes.append(note)
            elif cache_root is not None:
                data = (images.dataset if isinstance(model, SRFolder) or not options.quantize
                        else f"8bit|{tag}")
                caches = {}
                for p in options.presets:
                    full = f"{key}|{data}|{scale}|{p}|{root}|{__version__}"
                    digest = hashlib.sha256(full.encode()).hexdigest()[:16]
                    caches[p] = CellCache(cache_root, f"{name}-x{scale}-{p}-{digest}", meta={
                        "model": name, "model_key": key, "dataset": images.dataset,
                        "scale": scale, "preset": p, "root": str(root), "version": __version__,
                        "8bit": options.quantize and not isinstance(model, SRFolder)})
                    caches[p].clean()  # temporary files of writers killed an hour ago
                if options.quantize and not isinstance(model, SRFolder):
                    png = png_root / tag / key / f"x{scale}"
            token = (f"{key}|{scale}|{options.device}" if key is not None
                     else f"{os.getpid()}-{time.time_ns()}-{index}")
            columns.append(_Column(index, token, scale, name, spec, model, caches, png))
            index += 1
        if images is not None:
            plan.append((images, columns))
    return plan


def _models_with_specs(scale: int, models: Sequence[Any], device: str):
    """``((label, loaded model), spec)`` of every model that runs at ``scale``."""
    for spec in models:
        for loaded in _models_at(scale, [spec], device):
            yield loaded, spec


def _cached(col: _Column, image: str, options: _Options) -> dict[str, dict] | None:
    """The cached rows of one cell in every preset, or ``None`` if any is missing."""
    if col.caches is None:
        return None
    out = {}
    for p in options.presets:
        row = col.caches[p].get(image)
        if row is None or not all(m in row for m in options.metrics[p]):
            return None
        out[p] = row
    return out


def _given(col: _Column, pair: SRPair) -> np.ndarray | None:
    """The SR image of a cell when it is already on disk: an SR folder's file, a stored PNG."""
    if isinstance(col.model, SRFolder):
        return read_image(col.model.find(pair.name, col.scale), channels=3)
    if col.png is not None:
        path = col.png / f"{pair.name}x{col.scale}.png"
        if path.is_file():
            return read_image(path, channels=3)
    return None


def _store(col: _Column, image: str, values: dict[str, dict], sr8: np.ndarray | None) -> None:
    """Write one computed cell: its 8-bit output first, then its rows (each file atomic)."""
    if sr8 is not None and col.png is not None:
        write_image(col.png / f"{image}x{col.scale}.png", sr8)
    if col.caches is not None:
        for p, row in values.items():
            col.caches[p].put(image, row)


def _forward(model: Any, lr: torch.Tensor, options: _Options, scale: int) -> torch.Tensor:
    """The model's output ``(C, H, W)`` in float32 on ``options.device`` (tiled if asked)."""
    x = lr[None].to(options.device)
    with torch.no_grad():
        if options.tile is None:
            out = model(x)
        else:
            out = tiled_forward(model, x, scale=scale, tile=options.tile,
                                tile_overlap=options.tile_overlap)
    return out[0].float()


def _cell(model: Any, pair: SRPair, given: np.ndarray | None, *, name: str, scale: int,
          options: _Options, notes: list[str], timing: dict[str, float]
          ) -> tuple[dict[str, dict[str, float | None]], np.ndarray | None]:
    """One cell: the SR image (``given``, or the model's output) scored in every preset.

    The same function runs in this process (serial) and in Ray actors, so both executors give
    the same numbers. Returns the rows per preset and, when the output was quantized here, the
    8-bit image (to store as a PNG).
    """
    t0 = time.perf_counter()
    hr, lr = pair.tensors()
    sr8 = None
    if given is not None:
        sr = to_tensor(given)
    else:
        sr = _check_output(_forward(model, lr, options, scale), name, pair.name, scale)
        sr = sr.clamp(0, 1)
        if options.quantize:
            sr8 = to_numpy(sr.cpu())
            sr = to_tensor(sr8)
        timing["model_s"] += time.perf_counter() - t0
    t1 = time.perf_counter()
    sr = _check_output(sr.to(options.device), name, pair.name, scale).clamp(0, 1)
    hr = hr.to(options.device)
    if sr.shape[:-2] != hr.shape[:-2]:
        raise ShapeError(
            f"SR image of {name} for {pair.name!r} at x{scale} has "
            f"{sr.shape[-3]} channel(s), the HR image {hr.shape[-3]}: the model must "
            "output RGB (3 channels).", expected=tuple(hr.shape), actual=tuple(sr.shape))
    if sr.shape != hr.shape:
        if not options.crop_to_common:
            raise ShapeError(
                f"SR image of {name} for {pair.name!r} at x{scale} has shape "
                f"{tuple(sr.shape)} but the HR image has {tuple(hr.shape)}; pass "
                "crop_to_common=True to compare their common top-left region.",
                expected=tuple(hr.shape), actual=tuple(sr.shape))
        h = min(sr.shape[-2], hr.shape[-2])
        w = min(sr.shape[-1], hr.shape[-1])
        sr, hr = sr[..., :h, :w], hr[..., :h, :w]
    values = {p: _metric_values(sr, hr, preset=p, scale=scale, metrics=options.metrics[p],
                                notes=notes) for p in options.presets}
    timing["metrics_s"] += time.perf_counter() - t1
    return values, sr8


def _run_serial(plan: list[tuple[_Images, list[_Column]]], options: _Options, *,
                notes: list[str], timing: dict[str, float], progress: bool
                ) -> dict[tuple[int, str], dict[str, dict]]:
    """Every cell in this process, one after another; each computed cell cached at once."""
    results: dict[tuple[int, str], dict[str, dict]] = {}
    total = sum(len(images.names) * len(columns) for images, columns in plan)
    with tqdm(total=total, unit="img", disable=not progress) as bar:
        for images, columns in plan:
            for col in columns:
                bar.set_description(f"{col.name} x{col.scale} on {images.dataset}")
                for i, image in enumerate(images.names):
                    values = _cached(col, image, options)
                    if values is None:
                        t0 = time.perf_counter()
                        pair = images.get(i)
                        given = _given(col, pair)
                        timing["io_s"] += time.perf_counter() - t0
                        values, sr8 = _cell(col.model, pair, given, name=col.name,
                                            scale=col.scale, options=options, notes=notes,
                                            timing=timing)
                        _store(col, image, values, sr8)
                    results[(col.index, image)] = values
                    bar.update()
    return results

