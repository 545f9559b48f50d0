"""Models x scales x dataset -> per-image metrics, means, and Table-1-style tables.

:func:`evaluate` runs every (model, scale) over a dataset one image at a time (streaming), with a
progress bar, and caches each image's metrics on disk as soon as it is computed: re-running is
instant and an interrupted run resumes where it stopped. The cache key holds the model (and the
sha256 of its weights, or the listing of an SR folder), the dataset, the scale, the metric
preset and the kit's version.

Two metric presets, as in :mod:`lpf.metrics`:

``"paper"``
    What the official Table-1 script computed: PSNR and SSIM on RGB in [0, 1], no border crop
    (torchmetrics' definitions), LPIPS-squeeze on [0, 1] inputs as if they were [-1, 1], and FSDS
    with the **SR** spectrum in the denominator (the script called ``fsds(gt, sr)``), plus the
    l1/l2 columns of Tables 4-5.
``"sr"``
    The SR community's convention: PSNR/SSIM on the MATLAB BT.601 Y channel of uint8-rounded
    outputs, border crop = scale; FSDS as the paper's Eq. 13 (HR in the denominator).

Models are zoo names, :class:`~lpf.zoo.SRModel` objects, or :class:`SRFolder` (SR images made
elsewhere, e.g. the paper's published outputs in the layout ``method/scale/NNNNxS.png``).
Tables rank methods per column as the official script did: by mean, higher first (lower first for
LPIPS and the l1/l2 columns), ties sharing the rank of the first and later ranks skipping.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from lpf._checks import LpfError, ShapeError
from lpf._paths import cache_dir

__all__ = [
    "LOWER_IS_BETTER",
    "METRICS",
    "Evaluation",
    "SRFolder",
    "evaluate",
    "rank",
]

#: the metrics each preset computes, in table order
METRICS = {
    "paper": ("psnr", "ssim", "lpips", "fsds", "l1", "l2", "l1_freq", "l2_freq"),
    "sr": ("psnr", "ssim", "lpips", "fsds"),
}
#: metrics ranked ascending
LOWER_IS_BETTER = frozenset({"lpips", "l1", "l2", "l1_freq", "l2_freq"})
_FORMAT = {"psnr": ".2f", "ssim": ".3f", "lpips": ".3f", "fsds": ".2f", "l1": ".3f",
           "l2": ".3f", "l1_freq": ".3f", "l2_freq": ".3f"}
_LABEL = {"psnr": "PSNR", "ssim": "SSIM", "lpips": "LPIPS", "fsds": "FSDS", "l1": "ℓ1",
          "l2": "ℓ2", "l1_freq": "ℓ1^F", "l2_freq": "ℓ2^F"}
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
        timing: seconds spent in model inference, metrics and I/O (for benchmarks).
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
        header = ["Method"] + [f"{_LABEL.get(m, m)} x{s}" for m in metrics for s in scales]
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
            "l2_freq": r"$\ell_2^F$"}.get(metric, _LABEL.get(metric, metric))


def _latex_escape(text: str) -> str:
    return text.replace("_", r"\_").replace("&", r"\&").replace("%", r"\%")


def rank(values: dict[str, float | None], *, lower_is_better: bool = False) -> dict[str, int]:
    """Competition ranks of ``values`` as the official table script assigns them.

    Sorted by value (descending, or ascending with ``lower_is_better``); equal values share the
    rank of the first, and the next rank skips (1, 2, 2, 4). ``None`` values get no rank.

    Examples:
        >>> rank({"a": 35.46, "b": 35.66, "c": 35.46, "d": 34.0})
        {'b': 1, 'a': 2, 'c': 2, 'd': 4}
        >>> rank({"a": 0.04, "b": 0.03}, lower_is_better=True)
        {'b': 1, 'a': 2}
    """
    items = [(k, v) for k, v in values.items() if v is not None]
    items.sort(key=lambda kv: kv[1] if lower_is_better else -kv[1])
    ranks: dict[str, int] = {}
    for i, (k, v) in enumerate(items):
        if i and v == items[i - 1][1]:
            ranks[k] = ranks[items[i - 1][0]]
        else:
            ranks[k] = i + 1
    return ranks


# --------------------------------------------------------------------------------------------


def _metric_values(sr: torch.Tensor, hr: torch.Tensor, *, preset: str, scale: int,
                   metrics: Sequence[str], notes: list[str]) -> dict[str, float | None]:
    from lpf import metrics as M
    from lpf.fsds import fsds

    out: dict[str, float | None] = {}
    for m in metrics:
        if m == "psnr":
            out[m] = float(M.psnr(sr, hr, preset=preset, scale=scale))
        elif m == "ssim":
            out[m] = float(M.ssim(sr, hr, preset=preset, scale=scale))
        elif m == "fsds":
            # paper preset = the official table script's argument order (SR in the denominator)
            out[m] = fsds(sr, hr, denominator="pred" if preset == "paper" else "target")
        elif m == "lpips":
            try:
                out[m] = float(M.lpips(sr, hr, net="squeeze",
                                       preset="paper" if preset == "paper" else "standard"))
            except M.MetricUnavailable as err:
                out[m] = None
                if str(err) not in notes:
                    notes.append(str(err))
        elif m in ("l1", "l2", "l1_freq", "l2_freq"):
            out[m] = float(getattr(M, m)(sr, hr))
        else:
            raise ValueError(f"unknown metric {m!r}; known: {', '.join(METRICS['paper'])}.")
    return out


def _model_key(model: Any, scale: int) -> tuple[str, str]:
    """(display name, cache key) of a model."""
    from lpf import zoo

    if isinstance(model, SRFolder):
        return model.name, model.key(scale)
    if isinstance(model, str):
        model = zoo.load_model(model, scale=scale)
    name = getattr(model, "name", type(model).__name__)
    path = getattr(model, "weights_path", None)
    if path is not None:
        digest = zoo._sha256(Path(path))[:16]
    elif getattr(model, "spec", None) is not None and model.spec.arch == "analytic":
        digest = "analytic"
    else:  # a user module: hash its parameters
        h = hashlib.sha256()
        for t in model.state_dict().values():
            h.update(t.detach().cpu().numpy().tobytes())
        digest = h.hexdigest()[:16]
    return name, f"{name}-{digest}"


def _dataset(dataset: str | Iterable, scale: int, root: Path | None):
    from lpf import data

    if not isinstance(dataset, str):
        return getattr(dataset, "name", "custom"), dataset
    if dataset == "embedded":
        names = data.embedded_images(include_grey=False)
        return "embedded", (data.load_embedded(n, scale=scale) for n in names)
    image_set = data.load_set(dataset, scale=scale, root=root)
    return dataset, image_set


def _read_cache(path: Path) -> dict[str, dict[str, Any]]:
    """Rows cached in ``path``, by image name.

    A line cut short by an interrupted run is dropped, and the file is rewritten (atomically)
    without it so that appending continues on a clean line.
    """
    done: dict[str, dict[str, Any]] = {}
    if not path.is_file():
        return done
    text = path.read_text()
    good = []
    for line in text.splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        done[row["image"]] = row
        good.append(line)
    clean = "".join(f"{line}\n" for line in good)
    if clean != text:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(clean)
        tmp.replace(path)
    return done


def evaluate(
    models: Sequence[Any],
    dataset: str | Iterable = "embedded",
    *,
    scales: Sequence[int] = (4,),
    preset: str = "paper",
    metrics: Sequence[str] | None = None,
    root: str | Path | None = None,
    cache: bool | str | Path = True,
    crop_to_common: bool = False,
    device: str | torch.device = "cpu",
    progress: bool = True,
) -> Evaluation:
    """Evaluate models on a dataset at several scales.

    Args:
        models: zoo names, :class:`~lpf.zoo.SRModel` objects (their own scale is used; pass one
            per scale) or :class:`SRFolder` s.
        dataset: ``"embedded"`` (the scikit-image photographs, offline), a benchmark name for
            :func:`lpf.data.load_set` (``"Set5"``, ``"B100"``, ``"DIV2K"``, ...), or an iterable
            of :class:`lpf.data.SRPair`.
        scales: integer scales.
        preset: ``"paper"`` or ``"sr"`` (see the module docstring).
        metrics: a subset of ``METRICS[preset]`` (default: all of them).
        root: the datasets folder (see :func:`lpf.data.load_set`).
        cache: ``True`` (``<cache_dir>/evaluate``), a folder, or ``False``.
        crop_to_common: crop SR and HR to their common top-left region when their sizes differ
            (the paper's HyRA does so); otherwise a size mismatch raises :class:`ShapeError`.
        device: where models run.
        progress: show a progress bar per (model, scale).

    Returns:
        An :class:`Evaluation`.

    Raises:
        ShapeError: SR and HR sizes differ (and ``crop_to_common`` is off).
        ValueError: an unknown preset or metric.
        FileNotFoundError: a dataset, ground-truth or SR file is missing (the message names it).

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
    """
    from tqdm.auto import tqdm

    from lpf import zoo
    from lpf.data import to_tensor

    if preset not in METRICS:
        raise ValueError(f"unknown preset {preset!r}; choose from {', '.join(METRICS)}.")
    metrics = tuple(metrics or METRICS[preset])
    unknown = [m for m in metrics if m not in METRICS["paper"]]
    if unknown:
        raise ValueError(f"unknown metric(s) {unknown}; known: {', '.join(METRICS['paper'])}.")
    cache_root = (cache_dir() / "evaluate" if cache is True else Path(cache) if cache else None)
    root = Path(root) if root is not None else None
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    timing = {"model_s": 0.0, "metrics_s": 0.0, "io_s": 0.0}
    dataset_name = dataset if isinstance(dataset, str) else "custom"
    for scale in scales:
        for spec in models:
            if isinstance(spec, str):
                model = zoo.load_model(spec, scale=scale, device=device)
            else:
                model = spec
            own_scale = getattr(model, "scale", scale)
            if isinstance(model, torch.nn.Module) and float(own_scale) != scale:
                continue  # an SRModel built for another scale
            name, key = _model_key(model, scale)
            dataset_name, pairs = _dataset(dataset, scale, root)
            cache_file = None
            done: dict[str, dict[str, Any]] = {}
            if cache_root is not None:
                from lpf import __version__

                tag = hashlib.sha256(
                    f"{key}|{dataset_name}|{scale}|{preset}|{root}|{__version__}".encode())
                cache_file = cache_root / f"{name}-x{scale}-{tag.hexdigest()[:16]}.jsonl"
                done = _read_cache(cache_file)
            bar = tqdm(desc=f"{name} x{scale} on {dataset_name}", unit="img",
                       total=len(pairs) if hasattr(pairs, "__len__") else None,
                       disable=not progress)
            for pair in pairs:
                bar.update()
                cached = done.get(pair.name)
                if cached is not None and all(m in cached for m in metrics):
                    rows.append({"model": name, "scale": scale, "image": pair.name,
                                 **{m: cached[m] for m in metrics}})
                    continue
                t0 = time.perf_counter()
                hr, lr = pair.tensors()
                if isinstance(model, SRFolder):
                    from lpf.data import read_image

                    sr = to_tensor(read_image(model.find(pair.name, scale), channels=3))
                    t1 = time.perf_counter()
                    timing["io_s"] += t1 - t0
                else:
                    t1 = time.perf_counter()
                    timing["io_s"] += t1 - t0
                    with torch.no_grad():
                        sr = model(lr[None].to(device))[0].float().cpu()
                    timing["model_s"] += time.perf_counter() - t1
                    t1 = time.perf_counter()
                sr = sr.clamp(0, 1)
                if sr.shape != hr.shape:
                    if not crop_to_common:
                        raise ShapeError(
                            f"SR image of {name} for {pair.name!r} at x{scale} has shape "
                            f"{tuple(sr.shape)} but the HR image has {tuple(hr.shape)}; pass "
                            "crop_to_common=True to compare their common top-left region.",
                            expected=tuple(hr.shape), actual=tuple(sr.shape))
                    h = min(sr.shape[-2], hr.shape[-2])
                    w = min(sr.shape[-1], hr.shape[-1])
                    sr, hr = sr[..., :h, :w], hr[..., :h, :w]
                values = _metric_values(sr, hr, preset=preset, scale=scale, metrics=metrics,
                                        notes=notes)
                timing["metrics_s"] += time.perf_counter() - t1
                row = {"model": name, "scale": scale, "image": pair.name, **values}
                rows.append(row)
                if cache_file is not None:
                    cache_file.parent.mkdir(parents=True, exist_ok=True)
                    with open(cache_file, "a") as f:
                        f.write(json.dumps({"image": pair.name, **values}) + "\n")
            bar.close()
    if not rows:
        raise LpfError("nothing was evaluated: no model produced the requested scales.")
    return Evaluation(rows=rows, metrics=metrics, preset=preset, dataset=dataset_name,
                      timing=timing, notes=notes)


