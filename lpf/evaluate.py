"""Models x scales x dataset -> per-image metrics, means, and Table-1-style tables.

:func:`evaluate` runs every (model, scale) over a dataset one image at a time (streaming), with a
progress bar over the whole grid, and caches each image's metrics on disk as soon as it is
computed, one atomic file per cell (:mod:`lpf._cells`): re-running is instant, an interrupted or
killed run resumes where it stopped, and concurrent runs never corrupt or duplicate a cell. The
cache key holds the model (and the sha256 of its weights, or the listing of an SR folder), the
dataset, the scale, the metric preset and the kit's version.

Executors: ``"serial"`` (in this process, the default) and ``"ray"`` (``pip install
lpf-kit[ray]``): Ray actors hold loaded models and compute chunks of cells, the driver writes
their results into the cache as they arrive; both compute a cell with the same function, so they
give the same numbers: bit for bit when this process runs torch with the actors' one thread
(``torch.set_num_threads(1)``), else to float rounding (more threads split a convolution's sums
differently: at most 6e-5 in any metric of CARN-M on B100 x4). ``device="cuda"`` runs models
and metrics on the GPU (one per Ray actor); ``tile`` runs models on overlapping tiles
(:func:`lpf.models.tiled_forward`).

Two metric presets, as in :mod:`lpf.metrics`:

``"paper"``
    What the official Table-1 script computed: PSNR and SSIM on RGB in [0, 1], no border crop
    (torchmetrics' definitions), LPIPS-squeeze on [0, 1] inputs as if they were [-1, 1], and FSDS
    with the **SR** spectrum in the denominator (the script called ``fsds(gt, sr)``), plus the
    l1/l2 columns of Tables 4-5.
``"sr"``
    The SR community's convention: PSNR/SSIM on the MATLAB BT.601 Y channel of uint8-rounded
    outputs, border crop = scale; FSDS as the paper's Eq. 13 (HR in the denominator).

Both presets report FSDS twice: ``fsds`` as the paper computes it (one FFT of the whole image, no
crop) and ``fsds_crop``, the same FSDS (same argument order) after removing a border of ``scale``
pixels from every side of both the SR and the HR image (the border crop the ``sr`` preset's PSNR
uses: the one crop of :mod:`lpf.metrics.quality`). FSDS's single FFT spreads a few bad border pixels
(zero padding in networks trained on small patches) over the whole spectrum: on a 120x120 crop
of ``astronaut`` at x4 (paper preset) the kit-trained EDSR scores 19.6 dB uncropped and 28.9 dB
cropped, against bicubic's 26.2 and 25.4 dB: uncropped, the borders decide the ranking.

Models are registry names, checkpoint paths (architecture auto-detected), TorchScript files,
:class:`~lpf.models.SRModel` objects, or :class:`SRFolder` (SR images made elsewhere, e.g. the
paper's published outputs in the layout ``method/scale/NNNNxS.png``). A model that does not
support a scale is skipped there (a "–" cell); ``scales`` may also give each model its own scales.

On HR centre crops (``hr_size``), a subset of the images (``limit``) or several presets at once,
every model runs once per (scale, image) and its outputs are stored as 8-bit PNGs (as the paper's
published outputs were), then scored in each preset: a second preset or a re-run costs only the
metrics (or nothing, with the cache).

Tables rank methods per column as the official script did: by mean, higher first (lower first for
LPIPS and the l1/l2 columns), ties sharing the rank of the first and later ranks skipping;
:meth:`Evaluation.ranks` gives those ranks and :meth:`Evaluation.compare` the agreement of two
metrics' rankings (Kendall's tau, Spearman's rho).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tqdm.auto import tqdm

from lpf._cells import CellCache
from lpf._checks import LpfError, RangeError, ShapeError, as_image_tensor, check_scale
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
from lpf.metrics.ranking import kendall_tau, rank, spearman
from lpf.models import load_model, model_label, names_a_file
from lpf.models.catalog import get_spec
from lpf.models.tiling import check_tiling, tiled_forward
from lpf.models.wrapper import SRModel, wraps_callable

__all__ = [
    "evaluate",
    "Evaluation",
    "LOWER_IS_BETTER",
    "METRICS",
    "SRFolder",
    "rank",
    "super_resolve",
]

#: the metrics each preset computes, in table order (``fsds_crop``: FSDS without a border of
#: ``scale`` pixels, see the module docstring)
METRICS = {
    "paper": ("psnr", "ssim", "lpips", "fsds", "fsds_crop", "l1", "l2", "l1_freq", "l2_freq"),
    "sr": ("psnr", "ssim", "lpips", "fsds", "fsds_crop"),
}
#: metrics ranked ascending
LOWER_IS_BETTER = frozenset({"lpips", "l1", "l2", "l1_freq", "l2_freq"})
_FORMAT = {"psnr": ".2f", "ssim": ".3f", "lpips": ".3f", "fsds": ".2f", "fsds_crop": ".2f",
           "l1": ".3f", "l2": ".3f", "l1_freq": ".3f", "l2_freq": ".3f"}
#: column labels; ``{s}`` is the scale (the border crop of ``fsds_crop``)
_LABEL = {"psnr": "PSNR", "ssim": "SSIM", "lpips": "LPIPS", "fsds": "FSDS",
          "fsds_crop": "FSDS (border {s} px cropped)", "l1": "ℓ1", "l2": "ℓ2",
          "l1_freq": "ℓ1^F", "l2_freq": "ℓ2^F"}
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


@dataclass
class Evaluation:
    """The result of :func:`evaluate`.

    Attributes:
        rows: one dict per (model, scale, image): ``model``, ``scale``, ``image`` and one value
            per metric (``None`` where a metric is unavailable, e.g. LPIPS offline).
        metrics: the metric names, in table order.
        preset: the metric preset.
        dataset: the dataset's name.
        timing: seconds spent in model inference, metrics and I/O (for benchmarks; with Ray,
            inference and metrics summed over the actors).
        notes: human-readable notes (e.g. why LPIPS is unavailable).
    """

    rows: list[dict[str, Any]]
    metrics: tuple[str, ...]
    preset: str
    dataset: str
    timing: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def models(self) -> list[str]:
        """Model names in order of first appearance."""
        return list(dict.fromkeys(r["model"] for r in self.rows))

    def scales(self) -> list[int]:
        """Scales, sorted."""
        return sorted({int(r["scale"]) for r in self.rows})

    def means(self) -> dict[tuple[str, int], dict[str, float | None]]:
        """Per-(model, scale) mean of each metric over images (``None`` if unavailable)."""
        out: dict[tuple[str, int], dict[str, float | None]] = {}
        for model in self.models():
            for scale in self.scales():
                rows = [r for r in self.rows if r["model"] == model and r["scale"] == scale]
                if not rows:
                    continue
                out[(model, scale)] = {}
                for m in self.metrics:
                    values = [r[m] for r in rows]
                    out[(model, scale)][m] = (None if any(v is None for v in values)
                                              else float(np.mean(values)))
        return out

    def ranks(self, metrics: Sequence[str] | None = None,
              scales: Sequence[int] | None = None) -> dict[str, dict[str, int]]:
        """``{"<metric>@x<scale>": {model: rank}}``: each column ranked as the official script did.

        Models without a value in a column (not run at that scale, metric unavailable) get no
        rank there.

        Examples:
            >>> rows = [{"model": m, "scale": 2, "image": "i", "psnr": v}
            ...         for m, v in (("a", 30.0), ("b", 31.0))]
            >>> Evaluation(rows, ("psnr",), "paper", "t").ranks()
            {'psnr@x2': {'b': 1, 'a': 2}}
        """
        means = self.means()
        out: dict[str, dict[str, int]] = {}
        for metric in metrics or self.metrics:
            for s in scales or self.scales():
                column = {m: means[(m, s)][metric] for m in self.models() if (m, s) in means}
                out[f"{metric}@x{s}"] = rank(column, lower_is_better=metric in LOWER_IS_BETTER)
        return out

    def compare(self, a: str, b: str, scale: int) -> dict[str, Any]:
        """How alike metrics ``a`` and ``b`` rank the models at ``scale``.

        Returns:
            ``{"kendall", "spearman", "identical", "n_models"}``: Kendall's tau-b and Spearman's
            rho between the per-model means (losses negated: higher is better for both), whether
            the two competition rankings are identical, and how many models both rank (``None``
            correlations with fewer than two).

        Examples:
            >>> rows = [{"model": m, "scale": 2, "image": "i", "psnr": p, "l1": l}
            ...         for m, p, l in (("a", 30.0, 0.2), ("b", 31.0, 0.1), ("c", 29.0, 0.3))]
            >>> Evaluation(rows, ("psnr", "l1"), "paper", "t").compare("psnr", "l1", 2)
            {'kendall': 1.0, 'spearman': 1.0, 'identical': True, 'n_models': 3}
        """
        means = self.means()
        models = [m for m in self.models() if (m, scale) in means
                  and means[(m, scale)][a] is not None and means[(m, scale)][b] is not None]
        good = {k: [(-1 if k in LOWER_IS_BETTER else 1) * means[(m, scale)][k] for m in models]
                for k in (a, b)}
        ranks = {k: rank(dict(zip(models, v, strict=True))) for k, v in good.items()}
        few = len(models) < 2
        return {"kendall": None if few else kendall_tau(good[a], good[b]),
                "spearman": None if few else spearman(good[a], good[b]),
                "identical": ranks[a] == ranks[b], "n_models": len(models)}

    def _cells(self, metric: str, scales: Sequence[int]):
        means = self.means()
        cells: dict[tuple[str, int], tuple[float | None, int | None]] = {}
        for scale in scales:
            column = {m: means.get((m, scale), {}).get(metric) for m in self.models()}
            ranks = rank(column, lower_is_better=metric in LOWER_IS_BETTER)
            for model, value in column.items():
                cells[(model, scale)] = (value, ranks.get(model))
        return cells

    def to_markdown(self, metrics: Sequence[str] | None = None,
                    scales: Sequence[int] | None = None) -> str:
        """A Markdown table: one row per model, ``value (rank)`` per metric and scale.

        The best value is bold, the second italic; ``–`` marks scales a model was not run at and
        ``n/a`` unavailable metrics.
        """
        metrics = list(metrics or self.metrics)
        scales = list(scales or self.scales())
        header = ["Method"] + [f"{_LABEL.get(m, m).format(s=s)} x{s}"
                               for m in metrics for s in scales]
        lines = ["| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
        cells = {m: self._cells(m, scales) for m in metrics}
        for model in self.models():
            row = [model]
            for m in metrics:
                for s in scales:
                    value, r = cells[m][(model, s)]
                    if value is None:
                        row.append("–" if (model, s) not in self.means() else "n/a")
                        continue
                    text = f"{value:{_FORMAT.get(m, '.3f')}} ({r})"
                    row.append(f"**{text}**" if r == 1 else f"*{text}*" if r == 2 else text)
            lines.append("| " + " | ".join(row) + " |")
        return "\n".join(lines)

    def to_latex(self, metrics: Sequence[str] | None = None,
                 scales: Sequence[int] | None = None) -> str:
        r"""A LaTeX ``tabular`` in the paper's Table-1 style.

        Best in red, second in blue, gray rank superscripts (needs ``\usepackage{xcolor}``
        and ``booktabs``).
        """
        metrics = list(metrics or self.metrics)
        scales = list(scales or self.scales())
        ncol = len(metrics) * len(scales)
        lines = [r"\begin{tabular}{l" + "c" * ncol + "}", r"\toprule",
                 "Method & " + " & ".join(
                     rf"\multicolumn{{{len(scales)}}}{{c}}{{{_latex_label(m)}}}" for m in metrics)
                 + r" \\",
                 " & " + " & ".join(rf"$\times{s}$" for _ in metrics for s in scales) + r" \\",
                 r"\midrule"]
        cells = {m: self._cells(m, scales) for m in metrics}
        for model in self.models():
            row = [_latex_escape(model)]
            for m in metrics:
                for s in scales:
                    value, r = cells[m][(model, s)]
                    if value is None:
                        row.append("--" if (model, s) not in self.means() else "n/a")
                        continue
                    text = f"{value:{_FORMAT.get(m, '.3f')}}"
                    if r == 1:
                        text = rf"\textcolor{{red}}{{{text}}}"
                    elif r == 2:
                        text = rf"\textcolor{{blue}}{{{text}}}"
                    row.append(text + rf"\textsuperscript{{\textcolor{{gray}}{{{r}}}}}")
            lines.append(" & ".join(row) + r" \\")
        lines += [r"\bottomrule", r"\end{tabular}"]
        return "\n".join(lines)


def _latex_label(metric: str) -> str:
    return {"l1": r"$\ell_1$", "l2": r"$\ell_2$", "l1_freq": r"$\ell_1^F$",
            "l2_freq": r"$\ell_2^F$", "fsds_crop": r"FSDS (border $s$ px cropped)",
            }.get(metric, _LABEL.get(metric, metric))


def _latex_escape(text: str) -> str:
    return text.replace("_", r"\_").replace("&", r"\&").replace("%", r"\%")


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


def evaluate(
    models: Sequence[Any],
    dataset: str | Iterable = "embedded",
    *,
    scales: Sequence[int] | Mapping[Any, Sequence[int]] = (4,),
    preset: str | Sequence[str] = "paper",
    metrics: Sequence[str] | None = None,
    hr_size: int | None = None,
    limit: int | None = None,
    root: str | Path | None = None,
    cache: bool | str | Path = True,
    crop_to_common: bool = False,
    device: str | torch.device = "cpu",
    progress: bool = True,
    executor: str = "serial",
    ray_address: str | None = None,
    workers: int | None = None,
    tile: int | None = None,
    tile_overlap: int = 32,
) -> Evaluation | dict[str, Evaluation]:
    """Evaluate models on a dataset at several scales: THE evaluator of the kit.

    Args:
        models: registry names, checkpoint paths, TorchScript files, :class:`~lpf.models.SRModel`
            objects (their own scale is used; pass one per scale) or :class:`SRFolder` s. A
            registry name that does not support a scale is skipped there.
        dataset: ``"embedded"`` (the scikit-image photographs, offline), ``"auto"`` (DIV2K
            validation when on disk, else the embedded photographs), a benchmark name for
            :func:`lpf.data.load_set` (``"Set5"``, ``"B100"``, ``"DIV2K"``, ...), or an iterable
            of :class:`lpf.data.SRPair`.
        scales: integer scales of every model, or ``{model: scales}`` (each model its own; a
            model missing from the mapping is not run).
        preset: ``"paper"`` or ``"sr"`` (see the module docstring), or a list of presets: then
            each model runs once per image and ``{preset: Evaluation}`` is returned.
        metrics: a subset of ``METRICS[preset]`` (default: all of them; one preset only).
        hr_size: side of the HR centre crop (the LR crop is ``hr_size // s``; divisible by every
            scale), or ``None`` for whole images.
        limit: at most this many images (the first ones of the set).
        root: the datasets folder (see :func:`lpf.data.load_set`).
        cache: ``True`` (``<cache_dir>/evaluate-cells``, SR outputs in
            ``<cache_dir>/sr_outputs``), a folder, or ``False``. One file per cell, written
            atomically (:class:`lpf._cells.CellCache`): concurrent runs and killed runs never
            leave a wrong or duplicated cell, and a re-run computes only the missing cells.
        crop_to_common: crop SR and HR to their common top-left region when their sizes differ
            (the paper's HyRA does so); otherwise a size mismatch raises :class:`ShapeError`.
        device: where models and metrics run (``"cpu"``, ``"cuda"``); models run in float32.
        progress: show one progress bar over the whole grid.
        executor: ``"serial"`` (in this process, the default) or ``"ray"``: the cells are
            spread over Ray actors (``pip install lpf-kit[ray]``), each holding its loaded
            models; the driver writes every result into the cache as it arrives.
        ray_address: the Ray cluster to join (default ``$RAY_ADDRESS``; neither: a local
            cluster of ``workers`` CPUs is started, or the running one in this process used).
        workers: Ray actors (default: one per CPU of the cluster, one per GPU with
            ``device="cuda"``).
        tile: run models on ``tile`` x ``tile`` LR tiles (:func:`lpf.models.tiled_forward`), or
            ``None`` for whole images.
        tile_overlap: LR pixels of context around each tile.

    Returns:
        An :class:`Evaluation` (one preset) or ``{preset: Evaluation}`` (a list of presets). With
        ``hr_size`` the dataset's name gets ``-hr<size>``.

    Raises:
        ShapeError: SR and HR sizes differ (and ``crop_to_common`` is off).
        ValueError: an unknown preset, metric or executor, ``hr_size`` not divisible by a
            scale, bad ``tile``/``tile_overlap``/``workers``.
        FileNotFoundError: a dataset, ground-truth or SR file is missing (the message names it).
        LpfError: no model produced any of the requested scales; a Ray worker died (the cells
            computed before are cached: run again).
        ImportError: ``executor="ray"`` without Ray installed.

    Examples:
        >>> import numpy as np
        >>> from lpf.data import SRPair
        >>> rng = np.random.default_rng(0)
        >>> hr = rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)
        >>> pair = SRPair("img", hr, hr[::2, ::2], 2)
        >>> ev = evaluate(["nearest"], [pair], scales=[2], metrics=["psnr", "fsds"],
        ...               cache=False, progress=False)
        >>> sorted(ev.means()[("nearest", 2)])
        ['fsds', 'psnr']
        >>> evs = evaluate(["nearest"], "embedded", scales=[2], hr_size=16, limit=1,
        ...                preset=["paper", "sr"], cache=False, progress=False)
        >>> evs["paper"].dataset, evs["sr"].models(), len(evs["paper"].rows)
        ('embedded-hr16', ['nearest'], 1)
    """
    presets = [preset] if isinstance(preset, str) else list(preset)
    if not presets:
        raise ValueError("`preset` is empty: pass 'paper', 'sr' or a list of them.")
    for p in presets:
        if p not in METRICS:
            raise ValueError(f"unknown preset {p!r}; choose from {', '.join(METRICS)}.")
    if metrics is not None:
        unknown = [m for m in metrics if m not in METRICS["paper"]]
        if unknown:
            raise ValueError(f"unknown metric(s) {unknown}; known: {', '.join(METRICS['paper'])}.")
    if executor not in EXECUTORS:
        raise ValueError(f"`executor` must be one of {', '.join(map(repr, EXECUTORS))}, "
                         f"got {executor!r}.")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or workers < 1):
        raise ValueError(f"`workers` must be None or an integer >= 1, got {workers!r}.")
    tile, tile_overlap = check_tiling(tile, tile_overlap)
    all_scales, by_scale = _scales_of(scales, list(models))
    if hr_size is not None:
        hr_size = check_scale(hr_size, "hr_size")
        bad = [s for s in all_scales if hr_size % s]
        if bad:
            raise ValueError(f"`hr_size` {hr_size} is not divisible by the scale(s) {bad}.")
    staged = (len(presets) > 1 or hr_size is not None or limit is not None
              or (isinstance(dataset, str) and dataset == "auto"))
    options = _Options(presets=tuple(presets),
                       metrics={p: tuple(metrics or METRICS[p]) for p in presets},
                       quantize=staged, crop_to_common=crop_to_common, device=str(device),
                       tile=tile, tile_overlap=tile_overlap)
    notes: list[str] = []
    # with Ray, this process only computes the cache keys: models load on the CPU here (a
    # driver without a GPU can run a GPU cluster) and on ``device`` in the actors
    plan = _plan(by_scale, dataset, options=options, hr_size=hr_size, limit=limit, root=root,
                 cache=cache, notes=notes,
                 load_device="cpu" if executor == "ray" else options.device)
    if not any(columns for _, columns in plan):
        raise LpfError("nothing was evaluated: no model produced the requested scales.")
    timing = {"model_s": 0.0, "metrics_s": 0.0, "io_s": 0.0}
    if executor == "ray":
        results = _run_ray(plan, options, notes=notes, timing=timing, progress=progress,
                           address=ray_address, workers=workers)
    else:
        results = _run_serial(plan, options, notes=notes, timing=timing, progress=progress)
    out = {}
    for p in presets:
        rows = [{"model": col.name, "scale": col.scale, "image": image,
                 **{m: results[(col.index, image)][p][m] for m in options.metrics[p]}}
                for images, columns in plan for col in columns for image in images.names]
        dataset_name = plan[-1][0].dataset if plan else ""
        out[p] = Evaluation(rows=rows, metrics=options.metrics[p], preset=p,
                            dataset=dataset_name, timing=dict(timing), notes=list(notes))
    if not any(out[p].rows for p in presets):
        raise LpfError("nothing was evaluated: no model produced the requested scales.")
    return out[presets[0]] if isinstance(preset, str) else out


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


# --------------------------------------------------------------------------------------------
# The Ray executor


def _import_ray():
    """``ray``, or an ImportError that says how to install it."""
    try:
        import ray
    except ImportError as err:
        raise ImportError(
            "executor='ray' needs Ray, which is not installed: pip install 'lpf-kit[ray]' "
            "(or pip install ray)."
        ) from err
    return ray


def _connect(ray, address: str | None, workers: int | None, device: str) -> None:
    """Join ``address`` / ``$RAY_ADDRESS``, keep this process's cluster, or start a local one."""
    if ray.is_initialized():
        return
    address = address or os.environ.get("RAY_ADDRESS") or None
    kwargs: dict[str, Any] = {"include_dashboard": False, "logging_level": "warning",
                              "log_to_driver": False}
    if address is not None:
        ray.init(address=address, **kwargs)
    else:
        ray.init(num_cpus=workers or os.cpu_count() or 1, **kwargs)


class _Worker:
    """A Ray actor: holds the models it loaded (the last two) and computes chunks of cells."""

    def __init__(self, threads: int):
        torch.set_num_threads(max(1, threads))
        self.models: dict[str, Any] = {}

    def ping(self) -> int:
        """A no-op round trip (the benchmark's per-task overhead)."""
        return os.getpid()

    def run(self, token: str, spec: Any, scale: int, name: str, items: list,
            options: _Options) -> dict[str, Any]:
        """Cells of the column ``token``: ``[(image, rows per preset, 8-bit output or None)]``.

        ``token`` names the column's model across calls (its cache key, or a one-off name).
        """
        model = self.models.get(token)
        if model is None and any(given is None for _, given in items):
            model = spec
            if isinstance(spec, str | os.PathLike) or isinstance(spec, SRFolder):
                model = _load(spec, scale, options.device)[1]
            elif isinstance(spec, torch.nn.Module):
                model = spec.to(options.device)
            while len(self.models) >= 2:
                self.models.pop(next(iter(self.models)))
            self.models[token] = model
        notes: list[str] = []
        timing = {"model_s": 0.0, "metrics_s": 0.0, "io_s": 0.0}
        cells = []
        for pair, given in items:
            values, sr8 = _cell(model, pair, given, name=name, scale=scale, options=options,
                                notes=notes, timing=timing)
            cells.append((pair.name, values, sr8))
        return {"cells": cells, "notes": notes, "timing": timing, "pid": os.getpid()}


#: the Ray actors of the run in progress in this process (name -> handle); each run starts its
#: own and kills them when it ends, so that no CPU or GPU of a shared cluster stays reserved
RUNNING: dict[str, Any] = {}


def _start(ray, n: int, cuda: bool) -> list:
    """``n`` new actors (one CPU each, and one GPU with ``cuda``), named and in :data:`RUNNING`."""
    remote = ray.remote(_Worker)
    actors = []
    for i in range(n):
        name = f"lpf-evaluate-{os.getpid()}-{time.time_ns()}-{i}"
        actor = remote.options(name=name, num_cpus=1, num_gpus=1 if cuda else 0,
                               max_restarts=0).remote(1)
        RUNNING[name] = actor
        actors.append(actor)
    return actors


def _chunks(n: int, workers: int) -> int:
    """Images per task: small enough to balance the actors, at most 8."""
    return max(1, min(8, -(-n // (2 * workers))))


def _run_ray(plan: list[tuple[_Images, list[_Column]]], options: _Options, *, notes: list[str],
             timing: dict[str, float], progress: bool, address: str | None,
             workers: int | None) -> dict[tuple[int, str], dict[str, dict]]:
    """The missing cells on Ray actors, ``(column, chunk of images)`` per task.

    The driver (this process) reads the cache, sends the missing cells' images (and SR images
    already on disk) to the actors, and writes each result into the cache as it arrives. A dead
    actor stops the run after the results that arrived are written: re-running computes only
    the cells still missing.
    """
    ray = _import_ray()
    from ray.exceptions import RayActorError, RayTaskError

    cuda = options.device.startswith("cuda")
    _connect(ray, address, workers, options.device)
    resources = ray.cluster_resources()
    if cuda and resources.get("GPU", 0) < 1:
        raise LpfError(f"device={options.device!r} with executor='ray', but the Ray cluster has "
                       "no GPU (its resources: "
                       f"{ {k: v for k, v in resources.items() if k in ('CPU', 'GPU')} }).")
    if workers is None:
        workers = max(1, int(resources.get("GPU" if cuda else "CPU", 1)))
    results: dict[tuple[int, str], dict[str, dict]] = {}
    todo: list[tuple[_Images, _Column, list[int]]] = []
    total = sum(len(images.names) * len(columns) for images, columns in plan)
    bar = tqdm(total=total, unit="img", desc="cells (ray)", disable=not progress)
    for images, columns in plan:
        for col in columns:
            missing = []
            for i, image in enumerate(images.names):
                values = _cached(col, image, options)
                if values is None:
                    missing.append(i)
                else:
                    results[(col.index, image)] = values
                    bar.update()
            size = _chunks(len(missing), workers)
            todo += [(images, col, missing[k:k + size]) for k in range(0, len(missing), size)]
    if not todo:
        bar.close()
        return results
    actors = _start(ray, min(workers, len(todo)), cuda)
    specs: dict[int, Any] = {}
    inflight: dict[Any, tuple[Any, _Column, list[str]]] = {}
    idle = list(actors)
    failure: BaseException | None = None
    todo.reverse()
    try:
        while inflight or (todo and failure is None):
            while idle and todo and failure is None:
                images, col, chunk = todo.pop()
                actor = idle.pop()
                t0 = time.perf_counter()
                items = []
                for i in chunk:
                    pair = images.get(i)
                    items.append((pair, _given(col, pair)))
                timing["io_s"] += time.perf_counter() - t0
                if col.index not in specs:
                    spec = (col.spec if isinstance(col.spec, str | os.PathLike | SRFolder)
                            else col.model)
                    specs[col.index] = ray.put(spec)
                ref = actor.run.remote(col.token, specs[col.index], col.scale, col.name, items,
                                       options)
                inflight[ref] = (actor, col, [images.names[i] for i in chunk])
            done, _ = ray.wait(list(inflight), num_returns=1)
            for ref in done:
                actor, col, names = inflight.pop(ref)
                try:
                    out = ray.get(ref)
                except RayActorError as err:
                    failure = failure or LpfError(
                        f"a Ray worker died while computing {col.name} x{col.scale} "
                        f"({len(names)} image(s)); the cells that arrived before are cached: "
                        f"run again to compute the rest. Ray said: {_first_line(err)}")
                    continue
                except RayTaskError as err:
                    failure = failure or err.as_instanceof_cause()
                    idle.append(actor)
                    continue
                for image, values, sr8 in out["cells"]:
                    _store(col, image, values, sr8)
                    results[(col.index, image)] = values
                    bar.update()
                for note in out["notes"]:
                    if note not in notes:
                        notes.append(note)
                for k, v in out["timing"].items():
                    timing[k] += v
                idle.append(actor)
    finally:
        bar.close()
        for name, actor in list(RUNNING.items()):
            if any(actor is a for a in actors):
                ray.kill(actor)
                RUNNING.pop(name)
    if failure is not None:
        raise failure
    return results


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__


def super_resolve(
    model, image: torch.Tensor, *, scale: int | None = None, device: str = "cpu",
    tile: int | None = None, tile_overlap: int = 32,
) -> torch.Tensor:
    """Run a model on one image without gradients; clip the result to [0, 1].

    Args:
        model: a registry name, checkpoint path or TorchScript file for
            :func:`lpf.models.load_model` (``"bicubic-matlab"``, ``"sinc-lpf"``, ...) or a
            loaded :class:`lpf.models.SRModel`.
        image: ``(3, H, W)`` float RGB in [0, 1].
        scale: the scale factor (required with a name).
        device: where to run (``"cpu"`` or ``"cuda"``).
        tile: run on ``tile`` x ``tile`` tiles of the image (:func:`lpf.models.tiled_forward`;
            needs an integer ``scale`` or the model's own), or ``None`` for the whole image.
        tile_overlap: pixels of context around each tile.

    Returns:
        ``(3, sH, sW)`` float in [0, 1], on the CPU, the input's dtype.

    Raises:
        ValueError: a model name without ``scale``.
        ShapeError: not a ``(3, H, W)`` image.

    Examples:
        >>> super_resolve("nearest", torch.rand(3, 4, 5), scale=2).shape
        torch.Size([3, 8, 10])
        >>> super_resolve("nearest", torch.rand(3, 40, 50), scale=2, tile=16, tile_overlap=2).shape
        torch.Size([3, 80, 100])
    """
    x = as_image_tensor(image, "image", ndims=(3,))
    tile, tile_overlap = check_tiling(tile, tile_overlap)
    if isinstance(model, str | os.PathLike):
        if scale is None:
            raise ValueError(f"`scale` is required to load the model {model!r} by name.")
        model = load_model(model, scale=check_scale(scale), device=device)
    inp = x[None].to(device=device, dtype=torch.float32)
    with torch.no_grad():
        if tile is None:
            out = model(inp)[0]
        else:
            s = scale if scale is not None else getattr(model, "scale", None)
            if s is None or float(s) != int(s):
                raise ValueError("tiled inference needs an integer `scale` (or a model with "
                                 f"an integer `scale` attribute), got {s!r}.")
            out = tiled_forward(model, inp, scale=int(s), tile=tile,
                                tile_overlap=tile_overlap)[0]
    return out.clamp(0.0, 1.0).cpu().to(x.dtype)
