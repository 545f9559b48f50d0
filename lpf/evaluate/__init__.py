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

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from lpf._checks import LpfError, as_image_tensor, check_scale
from lpf.evaluate._grid import (
    EXECUTORS,
    METRICS,
    SRFolder,
    _Options,
    _plan,
    _run_serial,
    _scales_of,
)
from lpf.evaluate._ray import _run_ray
from lpf.metrics.ranking import kendall_tau, rank, spearman
from lpf.models import load_model
from lpf.models.tiling import check_tiling, tiled_forward

__all__ = [
    "evaluate",
    "Evaluation",
    "LOWER_IS_BETTER",
    "METRICS",
    "SRFolder",
    "rank",
    "super_resolve",
]

#: metrics ranked ascending
LOWER_IS_BETTER = frozenset({"lpips", "l1", "l2", "l1_freq", "l2_freq"})
_FORMAT = {"psnr": ".2f", "ssim": ".3f", "lpips": ".3f", "fsds": ".2f", "fsds_crop": ".2f",
           "l1": ".3f", "l2": ".3f", "l1_freq": ".3f", "l2_freq": ".3f"}
#: column labels; ``{s}`` is the scale (the border crop of ``fsds_crop``)
_LABEL = {"psnr": "PSNR", "ssim": "SSIM", "lpips": "LPIPS", "fsds": "FSDS",
          "fsds_crop": "FSDS (border {s} px cropped)", "l1": "ℓ1", "l2": "ℓ2",
          "l1_freq": "ℓ1^F", "l2_freq": "ℓ2^F"}


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
