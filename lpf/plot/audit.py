"""Plots of the FSDS metric audit, ext03 (draw only; see :mod:`lpf.plot`)."""

from __future__ import annotations

import numpy as np

from lpf.plot.style import style

__all__ = ["METRIC_STYLES", "plot_fsds_audit"]

#: metric -> (label, colour, line style) of every ext03 panel
METRIC_STYLES = {
    "psnr": ("PSNR", "black", "-"),
    "ssim": ("SSIM", "tab:blue", "-"),
    "lpips": ("LPIPS", "tab:purple", "-"),
    "fsds": ("FSDS (HR denom.)", "tab:red", "-"),
    "fsds_pred": ("FSDS (SR denom.)", "tab:red", ":"),
    "fsds_crop": ("FSDS, border cropped", "tab:orange", "--"),
    "fsds_hann": ('FSDS, window="hann"', "tab:green", "-"),
}


def _curves(ax, data: dict, kind: str, metrics: list[str]) -> None:
    spec = data["distortions"][kind]
    levels = spec["strengths"]
    x = np.arange(len(levels))
    for m in metrics:
        label, colour, ls = METRIC_STYLES[m]
        y = 10.0 ** np.asarray(data["sigma_eq"][kind][m])
        lw = 2.0 if m in ("fsds", "fsds_hann", "psnr") else 1.3
        ax.plot(x, y, ls, color=colour, lw=lw, marker="o", ms=2.5, label=label)
    ax.axhline(data["reference_noise"], color="0.5", lw=0.8, ls="--")
    ax.axvline(len(levels) // 2, color="0.85", lw=6, zorder=0)
    ax.set_yscale("log")
    ax.set_ylim(min(data["noise_grid"]) * 0.8, max(data["noise_grid"]) * 1.25)
    ax.set_xticks(x)
    ax.set_xticklabels([f"{v:g}" for v in levels], fontsize=6.5)
    ax.set_xlabel(spec["unit"], fontsize=7)
    reading = data["fsds_reads_differently"][kind]["reading"]
    mark = {"harsher": "  [FSDS harsher]", "more lenient": "  [FSDS lenient]"}.get(reading, "")
    ax.set_title(spec["label"] + mark, fontsize=8)
    ax.tick_params(labelsize=6.5)


def _tau(ax, data: dict, metrics: list[str]) -> None:
    n = len(metrics)
    mat = np.eye(n)
    for i, a in enumerate(metrics):
        for j, b in enumerate(metrics):
            if i < j:
                v = data["tau"].get(f"{a} vs {b}")
                mat[i, j] = mat[j, i] = np.nan if v is None else v
    im = ax.imshow(mat, cmap="RdBu_r", vmin=-1, vmax=1)
    for i in range(n):
        for j in range(n):
            if np.isfinite(mat[i, j]):
                ax.text(j, i, f"{mat[i, j]:.2f}", ha="center", va="center", fontsize=6,
                        color="white" if abs(mat[i, j]) > 0.6 else "black")
    short = [METRIC_STYLES[m][0].replace("FSDS, ", "").replace('window="hann"', "Hann")
             .replace("border cropped", "crop").replace(" (HR denom.)", "").replace(
                 " (SR denom.)", " SR") for m in metrics]
    ax.set_xticks(range(n))
    ax.set_xticklabels(short, rotation=60, ha="right", fontsize=6.5)
    ax.set_yticks(range(n))
    ax.set_yticklabels(short, fontsize=6.5)
    ax.set_title("Kendall tau: order of the distortions\n(at the grey strengths)", fontsize=8)
    ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04).ax.tick_params(labelsize=6)


def _reading(ax, data: dict, kinds: list[str]) -> None:
    y = np.arange(len(kinds))
    diff = data["fsds_reads_differently"]
    ax.barh(y - 0.2, [diff[k]["vs_psnr"] for k in kinds], 0.4, color="black", label="vs PSNR")
    ax.barh(y + 0.2, [diff[k]["vs_ssim"] for k in kinds], 0.4, color="tab:blue", label="vs SSIM")
    ax.set_yticks(y)
    ax.set_yticklabels([data["distortions"][k]["label"].split(" (")[0] for k in kinds],
                       fontsize=6.5)
    ax.invert_yaxis()
    ax.axvline(0, color="0.3", lw=0.8)
    for v in (-0.5, 0.5):
        ax.axvline(v, color="0.6", lw=0.8, ls="--")
    ax.set_xlabel("FSDS's reading, decades of equivalent noise\n(> 0: FSDS harsher)", fontsize=7)
    ax.legend(fontsize=6.5, loc="lower left")
    ax.tick_params(labelsize=6.5)
    ax.set_title("how FSDS differs, per distortion", fontsize=8)


def _border_case(ax, case: dict) -> None:
    keys = ["psnr", "fsds", "fsds_crop", "fsds_hann"]
    names = ["PSNR", "FSDS", f"FSDS\ncrop {case['crop']} px", "FSDS\nHann"]
    x = np.arange(len(keys))
    colours = ["tab:gray", "tab:cyan"]
    for i, model in enumerate(case["models"]):
        vals = [case["values"][model][k] for k in keys]
        bars = ax.bar(x + (i - 0.5) * 0.38, vals, 0.38, color=colours[i], label=model)
        for b, v in zip(bars, vals, strict=True):
            ax.text(b.get_x() + b.get_width() / 2, v + 0.3, f"{v:.1f}", ha="center",
                    va="bottom", fontsize=5.5)
    ax.set_xticks(x)
    ax.set_xticklabels(names, fontsize=6.5)
    ax.set_ylabel("dB", fontsize=7)
    top = max(max(case["values"][m].values()) for m in case["models"])
    ax.set_ylim(0, top * 1.2)
    ax.legend(fontsize=6.5, loc="upper left", ncol=2)
    ax.tick_params(labelsize=6.5)
    ax.set_title(f"border case: {case['image']} {case['hr_size']} px, x{case['scale']}",
                 fontsize=8)


def plot_fsds_audit(result):
    """ext03: what each metric reads into each distortion, in equivalent noise.

    Top: the first image's crop clean and under every distortion at its reference strength.
    Then one panel per distortion: each metric's reading as the white-noise level that gives
    the same score (median over the images; log scale; dashed: the reference noise of the
    thresholds; grey band: the reference strength of the orderings). Last panels: Kendall tau
    between the metrics' orderings of the distortions, FSDS's reading against PSNR's and SSIM's
    per distortion, and Table 1's border case (uncropped, border-cropped and windowed FSDS).

    Args:
        result: :class:`lpf.studies.ext03_fsds_audit.Ext03Result`.

    Returns:
        The figure.
    """
    import matplotlib.pyplot as plt

    data = result.to_json()
    metrics = [m for m in METRIC_STYLES if m in data["metrics"]]
    kinds = list(data["distortions"])
    thumbs = result.thumbnails
    with style():
        # a fixed layout: constrained layout would stretch the rows around the square heat map
        fig = plt.figure(figsize=(15.0, 13.0), layout="none")
        top = fig.add_gridspec(1, len(kinds) + 1, left=0.04, right=0.99, top=0.925,
                               bottom=0.85, wspace=0.06)
        for i, key in enumerate(["clean", *kinds]):
            ax = fig.add_subplot(top[0, i])
            ax.imshow(thumbs[key])
            ax.set_xticks([])
            ax.set_yticks([])
            title = "clean" if key == "clean" else data["distortions"][key]["label"].split(" (")[0]
            ax.set_title(title, fontsize=7)
        body = fig.add_gridspec(3, 5, left=0.05, right=0.985, top=0.785, bottom=0.06,
                                hspace=0.5, wspace=0.32)
        axes = []
        for i, kind in enumerate(kinds):
            ax = fig.add_subplot(body[i // 5, i % 5])
            _curves(ax, data, kind, metrics)
            if i % 5 == 0:
                ax.set_ylabel("equivalent noise sigma", fontsize=7)
            axes.append(ax)
        slot = len(kinds)
        if slot < 15:
            _tau(fig.add_subplot(body[slot // 5, slot % 5]), data, metrics)
            slot += 1
        if slot < 15 and data["border_case"]:
            _border_case(fig.add_subplot(body[slot // 5, slot % 5]), data["border_case"])
            slot += 1
        if slot < 15:
            row = slot // 5
            _reading(fig.add_subplot(body[row, slot % 5:]), data, kinds)
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="center", ncol=len(metrics), fontsize=8.5,
                   bbox_to_anchor=(0.5, 0.815), frameon=False)
        fig.suptitle(
            f"ext03: what each metric reads into controlled distortions "
            f"({len(data['images'])} photograph{'s' if len(data['images']) > 1 else ''}, "
            f"{data['size']} px crops), as the white-noise "
            "sigma that gives the same score (median over the photographs)",
            fontsize=10, y=0.975)
    return fig
