"""Plots of training-loss studies (draw only; see :mod:`lpf.plot`): ext04, FSDS as a loss."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from lpf.plot._base import figure_and_axes
from lpf.plot.style import style

__all__ = ["plot_ext04", "plot_paired_deltas"]

#: the quality columns of :func:`plot_ext04` (``sr`` preset) and their labels
_COLUMNS = (("psnr", "Δ PSNR-Y (dB)"), ("ssim", "Δ SSIM-Y"), ("fsds", "Δ FSDS, whole image (dB)"),
            ("fsds_crop", "Δ FSDS, border cropped (dB)"))
#: the impulse-response numbers of the last column, one per row
_IMPULSE = (("sinc_correlation", "sinc correlation (→ 1: sinc)"),
            ("side_lobe_level", "side-lobe level (ideal sinc: -0.217)"),
            ("sinc_distance", "distance from the ideal sinc"))


def plot_paired_deltas(
    deltas: Mapping[str, Mapping[str, Sequence[float]]],
    ax=None,
    *,
    labels: Mapping[str, str] | None = None,
    ylabel: str = "",
    title: str | None = None,
):
    """Per-seed differences from a baseline, one column of dots per variant, with mean +- std.

    Args:
        deltas: ``{variant: {"values": [per seed], "mean": m, "std": s or None}}``.
        ax: axes to draw on; default a new figure.
        labels: display labels of the variants.
        ylabel: the y axis label.
        title: axes title.

    Returns:
        ``(fig, ax)``.

    Examples:
        >>> fig, ax = plot_paired_deltas({"a": {"values": [0.1, 0.2], "mean": 0.15, "std": 0.07}})
        >>> len(ax.collections) >= 1
        True
    """
    fig, ax = figure_and_axes(ax, figsize=(3.5, 3.2))
    names = list(deltas)
    for i, v in enumerate(names):
        d = deltas[v]
        values = np.asarray(d["values"], dtype=float)
        jitter = np.linspace(-0.12, 0.12, len(values)) if len(values) > 1 else np.zeros(1)
        ax.scatter(i + jitter[: len(values)], values, s=14, color=f"C{i + 1}", zorder=3)
        if d.get("mean") is not None:
            err = d.get("std") or 0.0
            ax.errorbar(i + 0.3, d["mean"], yerr=err, fmt="_", color="k", capsize=3, ms=10)
    ax.axhline(0.0, color="0.5", lw=0.8, ls="--")
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels([(labels or {}).get(v, v) for v in names], rotation=20, fontsize=7,
                       ha="right")
    ax.set_xlim(-0.5, len(names) - 0.3)
    ax.set_ylabel(ylabel, fontsize=8)
    if title:
        ax.set_title(title, fontsize=8)
    return fig, ax


def _impulse_panel(ax, values: Mapping[str, Mapping[str, object]], labels: Mapping[str, str],
                   ylabel: str, start: float | None) -> None:
    names = list(values)
    for i, v in enumerate(names):
        vs = np.asarray(values[v]["values"], dtype=float)
        jitter = np.linspace(-0.12, 0.12, len(vs)) if len(vs) > 1 else np.zeros(1)
        ax.scatter(i + jitter[: len(vs)], vs, s=14, color=f"C{i}", zorder=3)
    if start is not None:
        ax.axhline(start, color="0.5", lw=0.8, ls="--", label="start (edsr-kit)")
        ax.legend(fontsize=7, loc="best")
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels([labels.get(v, v) for v in names], rotation=20, fontsize=7, ha="right")
    ax.set_ylabel(ylabel, fontsize=8)


def plot_ext04(result):
    """ext04: each loss minus L1 (same seed) in PSNR, SSIM and FSDS per set; impulse numbers.

    Rows: the evaluation sets (embedded photographs, Set5, B100 as recorded); columns: the
    ``sr`` preset's PSNR-Y, SSIM-Y, FSDS (whole image) and FSDS without a border of 4 pixels,
    as paired differences from the L1 run of the same seed (dots: seeds; bar: mean +- std);
    last column: the impulse response's sinc correlation, side-lobe level and distance from the
    ideal sinc of every run (dashed: the starting network of a fine-tuning recipe).

    Args:
        result: a :class:`lpf.studies.ext04_fsds_loss.Ext04Result` (or its JSON).

    Returns:
        The figure.
    """
    import matplotlib.pyplot as plt

    data = result.to_json() if hasattr(result, "to_json") else result
    labels = data["variants"]
    sets = list(data["datasets"])
    rows = max(len(sets), len(_IMPULSE))
    with style():
        fig, axes = plt.subplots(rows, len(_COLUMNS) + 1, figsize=(18, 3.3 * rows),
                                 squeeze=False)
        for r in range(rows):
            for c, (metric, ylabel) in enumerate(_COLUMNS):
                ax = axes[r][c]
                if r >= len(sets):
                    ax.axis("off")
                    continue
                ds = sets[r]
                plot_paired_deltas(data["delta"][ds]["sr"][metric], ax, labels=labels,
                                   ylabel=ylabel,
                                   title=f"{ds} ({data['datasets'][ds]} images), vs L1")
            key, ylabel = _IMPULSE[r] if r < len(_IMPULSE) else (None, "")
            if key is None:
                axes[r][-1].axis("off")
                continue
            start = (data["start"] or {}).get("impulse", {}).get(key)
            _impulse_panel(axes[r][-1], data["impulse"][key], labels, ylabel, start)
            axes[r][-1].set_title("impulse response (11x11 impulse image)", fontsize=8)
        recipe = data["recipe"]
        seeds = sorted({s for v in data["seeds"].values() for s in v})
        fig.suptitle(
            f"ext04: FSDS as a training loss. Recipe '{recipe['name']}': {recipe['description']}"
            f"; seeds {seeds}.\nDifferences from L1 at the same seed (sr preset: Y channel, 8-bit; "
            "FSDS in the paper's Eq. 13 order); dots = seeds, bars = mean ± std.", fontsize=10)
    return fig
