"""Plots of tables (draw only; see :mod:`lpf.plot`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from lpf.plot._base import figure_and_axes
from lpf.plot.style import style

__all__ = [
    "plot_ext01",
    "plot_labeled_scatter",
    "plot_rank_chart",
    "plot_table1",
    "plot_table4_5",
]


def plot_rank_chart(
    ranks: Mapping[str, Mapping[str, int | None]],
    ax=None,
    *,
    title: str | None = None,
    highlight: Sequence[str] = (),
):
    """A bump chart: each method's rank (1 = best, at the top) across columns (metrics, scales).

    Args:
        ranks: ``{column: {method: rank or None}}``; a ``None`` rank (or a missing method)
            leaves a gap in that method's line.
        ax: axes to draw on; default a new figure.
        title: axes title.
        highlight: methods drawn thicker and labelled in bold.

    Returns:
        ``(fig, ax)``.

    Raises:
        ValueError: ``ranks`` is empty.

    Examples:
        >>> fig, ax = plot_rank_chart({"PSNR": {"a": 1, "b": 2}, "FSDS": {"a": 2, "b": 1}})
        >>> len(ax.lines)
        2
    """
    if not ranks:
        raise ValueError("`ranks` is empty: pass {column: {method: rank}}.")
    fig, ax = figure_and_axes(ax, figsize=(max(4.0, 0.9 * len(ranks) + 2.5), 4.5))
    columns = list(ranks)
    methods = list(dict.fromkeys(m for col in ranks.values() for m in col))
    import matplotlib.pyplot as plt

    palette = plt.get_cmap("tab20").colors if len(methods) > 10 else [f"C{i}" for i in range(10)]
    colours = [palette[i % len(palette)] for i in range(len(methods))]
    for method, colour in zip(methods, colours, strict=True):
        y = np.array([np.nan if ranks[c].get(method) is None else ranks[c][method]
                      for c in columns], dtype=float)
        bold = method in highlight
        ax.plot(range(len(columns)), y, "o-", color=colour, lw=2.4 if bold else 1.2,
                ms=5 if bold else 3.5, alpha=0.95 if bold else 0.75, label=method)
        last = np.flatnonzero(np.isfinite(y))
        if last.size:
            i = last[-1]
            ax.annotate(method, (i, y[i]), xytext=(6, 0), textcoords="offset points",
                        va="center", fontsize=7, color=colour,
                        fontweight="bold" if bold else "normal")
    ax.set_xticks(range(len(columns)), columns, rotation=45, ha="right")
    n_max = max((r for col in ranks.values() for r in col.values() if r is not None), default=1)
    ax.set_ylim(n_max + 0.5, 0.5)
    ax.set_yticks(range(1, n_max + 1))
    ax.set_ylabel("rank (1 = best)")
    ax.set_xlim(-0.3, len(columns) - 0.3 + 1.2)
    if title:
        ax.set_title(title)
    return fig, ax


def plot_labeled_scatter(
    x: Sequence[float],
    y: Sequence[float],
    labels: Sequence[str],
    ax=None,
    *,
    xlabel: str = "",
    ylabel: str = "",
    title: str | None = None,
    colors: Sequence[str] | None = None,
):
    """A scatter plot with one text label per point (e.g. one point per model).

    Args:
        x: ``(n,)`` values.
        y: ``(n,)`` values.
        labels: ``n`` point labels.
        ax: axes to draw on; default a new figure.
        xlabel: x-axis label.
        ylabel: y-axis label.
        title: axes title.
        colors: ``n`` matplotlib colours (default: one colour).

    Returns:
        ``(fig, ax)``.

    Raises:
        ValueError: ``x``, ``y`` and ``labels`` differ in length.

    Examples:
        >>> fig, ax = plot_labeled_scatter([0, 1], [1, 0], ["a", "b"])
        >>> len(ax.texts)
        2
    """
    if not len(x) == len(y) == len(labels):
        raise ValueError(f"`x`, `y` and `labels` must have the same length, got {len(x)}, "
                         f"{len(y)} and {len(labels)}.")
    if colors is not None and len(colors) != len(x):
        raise ValueError(f"`colors` must have {len(x)} entries, got {len(colors)}.")
    fig, ax = figure_and_axes(ax, figsize=(5, 4))
    ax.scatter(x, y, s=22, c=list(colors) if colors is not None else "C0", zorder=3)
    for xi, yi, text in zip(x, y, labels, strict=True):
        ax.annotate(text, (xi, yi), xytext=(4, 3), textcoords="offset points", fontsize=7)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return fig, ax


# --------------------------------------------------------------------------------------------
# the figures of the table notebooks: they draw a study's result (lpf.studies.<stem>)
# --------------------------------------------------------------------------------------------

_LABELS = {"psnr": "PSNR", "ssim": "SSIM", "lpips": "LPIPS", "fsds": "FSDS",
           "fsds_crop": "FSDS (border cropped)", "l1": "ℓ1",
           "l1_freq": "ℓ1^F", "l2": "ℓ2", "l2_freq": "ℓ2^F"}


def _bump_scale(scales: Sequence[int]) -> int:
    return 4 if 4 in scales else scales[-1]


def plot_table1(result):
    """Table 1 as charts: the rank bump chart at x4 (both presets), PSNR and FSDS against scale.

    FSDS is drawn twice where the result has both columns: as the paper computes it (one FFT of
    the whole image) and with a border of ``scale`` pixels cropped (``fsds_crop``).

    Args:
        result: a :class:`lpf.studies.table1_metrics.Table1Result`.

    Returns:
        The figure.
    """
    import matplotlib.pyplot as plt

    models, scales = result.models, result.scales
    highlight = [m for m in ("edsr-liif", "bicubic-matlab") if m in models]
    bump_scale = _bump_scale(scales)
    bump = {}
    for preset, columns in result.ranks.items():
        for metric in result.metrics:
            column = columns[f"{metric}@x{bump_scale}"]
            if column:  # in model order, so that the colours match the other panels
                bump[f"{_LABELS[metric]} ({preset})"] = {m: column.get(m) for m in models}
    palette = (plt.get_cmap("tab20").colors if len(models) > 10
               else [f"C{i}" for i in range(10)])
    means = result.means["paper"]
    crop = result.hr_size
    panels = [("psnr", "PSNR (dB)"), ("fsds", "FSDS (dB)")]
    if any("fsds_crop" in row for row in means.values()):
        panels.append(("fsds_crop", "FSDS, border cropped (dB)"))
    with style():
        fig, axes = plt.subplots(1, 1 + len(panels), figsize=(9.5 + 4.4 * len(panels), 5.2),
                                 gridspec_kw={"width_ratios": [1.5] + [1] * len(panels)})
        plot_rank_chart(bump, axes[0], highlight=highlight,
                        title=f"ranks at x{bump_scale}, both presets")
        for ax, (metric, unit) in zip(axes[1:], panels, strict=True):
            for i, model in enumerate(models):
                xs = [s for s in scales if f"{model}@x{s}" in means]
                ys = [means[f"{model}@x{s}"][metric] for s in xs]
                bold = model in highlight
                ax.plot(xs, ys, "o-" if len(xs) > 1 else "o", color=palette[i % len(palette)],
                        lw=2.2 if bold else 1.0, ms=4, label=model)
            for model, values in result.paper.get(metric, {}).items():
                ax.plot(result.paper["scales"], values, "x--", color="0.4", lw=0.8, ms=5,
                        label=f"{model} (paper, DIV2K)")
            ax.set_xscale("log")
            ax.set_xticks(scales, [f"x{s}" for s in scales])
            ax.minorticks_off()
            ax.set_xlabel("scale")
            ax.set_ylabel(unit)
            ax.set_title(f"{_LABELS[metric]} (paper preset) against the scale")
        axes[-1].legend(frameon=False, fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        fig.suptitle(f"Table 1 as charts: {result.dataset}, {result.n_images} images"
                     + (f", {crop}x{crop} HR crops" if crop else "")
                     + ("" if result.same_data_as_paper
                        else " (not the paper's DIV2K: compare shapes, not values)"))
    return fig


def plot_table4_5(result):
    """Tables 4-5 as charts: Parseval (ℓ2^F vs ℓ2), ranks at x4, rank agreement per scale.

    Args:
        result: a :class:`lpf.studies.table4_5_l1_l2.Table45Result`.

    Returns:
        The figure.
    """
    import matplotlib.pyplot as plt


    scales = result.scales
    bump_scale = str(_bump_scale(scales))
    crop = f"{result.hr_size}x{result.hr_size} HR crops" if result.hr_size else "whole images"
    with style():
        fig, axes = plt.subplots(1, 3, figsize=(16, 5), gridspec_kw={"width_ratios": [1, 1.3, 1]})
        ax = axes[0]
        l2, l2f = np.asarray(result.l2), np.asarray(result.l2_freq)
        ax.loglog(l2, l2f, "o", ms=4)
        ax.plot([l2.min(), l2.max()], [l2.min(), l2.max()], "--", color="0.5", lw=0.8,
                label="y = x")
        ax.set_xlabel("ℓ2, image domain (sum of squares)")
        ax.set_ylabel("ℓ2^F, frequency domain (Σ|ΔFFT|²/M)")
        ax.set_title(f"Parseval: worst relative difference {result.worst_parseval_relative:.1e}")
        ax.legend(frameon=False)
        plot_rank_chart({_LABELS[m]: result.ranks[bump_scale][m]
                         for m in ("l1", "l1_freq", "l2", "l2_freq", "fsds", "psnr")},
                        axes[1], title=f"ranks at x{bump_scale}",
                        highlight=["bicubic-matlab", "edsr-liif"])
        ax = axes[2]
        shown = [("l1~l1_freq", "ℓ1 vs ℓ1^F"), ("l2~l2_freq", "ℓ2 vs ℓ2^F"),
                 ("fsds~l1", "FSDS vs ℓ1"), ("fsds~l2", "FSDS vs ℓ2"),
                 ("psnr~fsds", "PSNR vs FSDS")]
        width = 0.8 / len(scales)
        for i, s in enumerate(scales):
            a = result.agreement[str(s)]
            values = [np.nan if a.get(k, {}).get("kendall") is None else a[k]["kendall"]
                      for k, _ in shown]
            ax.bar(np.arange(len(shown)) + i * width, values, width,
                   label=f"x{s} ({a['n_models']} models)")
        ax.set_xticks(np.arange(len(shown)) + width * (len(scales) - 1) / 2,
                      [t for _, t in shown], rotation=30, ha="right")
        ax.axhline(1, color="0.6", lw=0.7, ls=":")
        ax.set_ylim(min(0.0, ax.get_ylim()[0]), 1.05)
        ax.set_ylabel("Kendall's τ between rankings")
        ax.set_title("rank agreement per scale")
        ax.legend(frameon=False, fontsize=7, loc="lower left")
        fig.suptitle(f"Tables 4-5 as charts: {result.dataset}, {result.n_images} images, {crop}"
                     + ("" if result.dataset.startswith("DIV2K") else " (not the paper's DIV2K)"))
    return fig


def plot_ext01(result):
    """ext01: each sinc-likeness diagnostic against PSNR/FSDS, one labelled point per model.

    The FSDS panel shows the border-cropped FSDS (``fsds_crop``, what the verdict counts) where
    the result has it, else the paper's uncropped FSDS.

    Args:
        result: a :class:`lpf.studies.ext01_sinc_vs_quality.Ext01Result`.

    Returns:
        The figure.
    """
    import matplotlib.pyplot as plt

    degenerate = set(result.degenerate_models)
    names = [m for m in result.models if m not in degenerate]
    grey = {m: "0.55" if result.diagnostics[m]["analytic"] else "C0" for m in names}
    fsds = "fsds_crop" if all("fsds_crop" in result.diagnostics[m] for m in names) else "fsds"
    panels = [("sinc_correlation", "psnr"), ("sinc_correlation", fsds),
              ("-sinc_distance", "psnr"), ("-|side lobe - sinc's|", "psnr")]
    units = {"psnr": "PSNR (dB)", "fsds": "FSDS (dB)",
             "fsds_crop": f"FSDS, {result.scale} px border cropped (dB)"}
    main = result.correlations.get(result.main, {})
    with style():
        fig, axes = plt.subplots(1, 4, figsize=(19, 4.8))
        for ax, (diag, metric) in zip(axes, panels, strict=True):
            shown = [m for m in names if np.isfinite(result.scores[diag][m])]
            plot_labeled_scatter([result.scores[diag][m] for m in shown],
                                 [result.diagnostics[m][metric] for m in shown], shown, ax,
                                 colors=[grey[m] for m in shown],
                                 xlabel=f"{diag}  (→ more sinc-like)", ylabel=units[metric])
            lines = []
            for group in ("all models", "trained networks"):
                c = result.correlations.get(f"{diag} vs {metric} ({group})", {})
                if "rho" in c:
                    lines.append(f"{group}: ρ = {c['rho']:+.2f} [{c['low']:+.2f}, "
                                 f"{c['high']:+.2f}], n = {c['n']}")
            ax.set_title("\n".join(lines), fontsize=8)
        head = (f"ext01: sinc-likeness of the x{result.scale} impulse response against quality "
                f"({result.dataset}, {result.n_images} images; grey = analytic"
                + (f"; left out, degenerate response: {', '.join(result.degenerate_models)}"
                   if degenerate else "") + ").")
        if "rho" in main:
            head += (f"\nMain test ({result.main}): ρ = {main['rho']:+.2f} [{main['low']:+.2f}, "
                     f"{main['high']:+.2f}] → "
                     + ("supported" if main["supported"] else "not clearly supported"))
        fig.suptitle(head, fontsize=10)
    return fig
