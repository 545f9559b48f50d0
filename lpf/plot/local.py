"""Plots of the local linearisation study (draw only; see :mod:`lpf.plot`)."""

from __future__ import annotations

import numpy as np

from lpf.plot.impulse import RAW_CMAP
from lpf.plot.style import style

__all__ = ["plot_local_linearisation"]

_MAPS = [("side_lobe_level", "side lobe / peak", "RdBu_r", (-0.3, 0.3)),
         ("sinc_correlation", "sinc correlation", "viridis", (0.6, 1.0)),
         ("cutoff_6db", "-6 dB cutoff (cyc/HR px)", "magma", None)]
_RESPONSES = [("black", "P-IR on black (a=1)"), ("flat", "local: flat"), ("edge", "local: edge"),
              ("texture", "local: texture")]
_MARKERS = {"flat": "o", "edge": "s", "texture": "^"}


def plot_local_linearisation(result):
    """Ext. 2: per network, maps of the local filter, the local responses, and (c)/(d) panels.

    One row per network: the LR crop (first row: the grid and the region pixels), maps of the
    side-lobe level, the sinc correlation and the -6 dB cutoff over the grid, then the paper's
    black-background response and the local response at the flat, edge and texture pixel
    (channel mean, raw, one colour scale per row). The last row: (c) the residual of ``J(x) x``
    against HyRA's ``G`` and (d) the distance between the P-IR and the Jacobian against the
    impulse amplitude, per background.

    Args:
        result: :class:`lpf.studies.ext02_local_linearisation.Ext02LocalLinearisationResult`.

    Returns:
        The figure.
    """
    import matplotlib.pyplot as plt

    labels = result.models
    rows, cols = result.grid
    n = len(labels)
    ncols = 1 + len(_MAPS) + len(_RESPONSES)
    half = result.stride / 2
    extent = (cols[0] - half, cols[-1] + half, rows[-1] + half, rows[0] - half)
    with style():
        fig = plt.figure(figsize=(2.0 * ncols, 2.0 * n + 2.8))
        grid = fig.add_gridspec(n + 1, ncols, height_ratios=[1.0] * n + [1.3])
        for i, label in enumerate(labels):
            ax = fig.add_subplot(grid[i, 0])
            ax.imshow(np.clip(result.lr, 0, 1))
            if i == 0:
                rr, cc = np.meshgrid(rows, cols, indexing="ij")
                ax.plot(cc.ravel(), rr.ravel(), ".", ms=2, color="white")
                for kind, (r, c) in result.region_pixels.items():
                    ax.plot([c], [r], _MARKERS[kind], mfc="none", mec="yellow", ms=7,
                            label=kind)
                ax.legend(fontsize=6, loc="lower right", framealpha=0.5)
            ax.set_ylabel(label)
            ax.set_xticks([])
            ax.set_yticks([])
            for j, (field, title, cmap, lim) in enumerate(_MAPS):
                ax = fig.add_subplot(grid[i, 1 + j])
                data = result.map_arrays[label][field]
                vmin, vmax = lim if lim else (np.nanmin(data), np.nanmax(data))
                im = ax.imshow(data, cmap=cmap, vmin=vmin, vmax=vmax, extent=extent)
                ax.set_xticks([])
                ax.set_yticks([])
                fig.colorbar(im, ax=ax, fraction=0.046, pad=0.02)
                if i == 0:
                    ax.set_title(title, fontsize=8)
            shown = result.responses[label]
            top = max(float(np.abs(shown[k]).max()) for k, _ in _RESPONSES) * 0.5
            for j, (kind, title) in enumerate(_RESPONSES):
                ax = fig.add_subplot(grid[i, 1 + len(_MAPS) + j])
                ax.imshow(shown[kind], cmap=RAW_CMAP, vmin=-top, vmax=top)
                ax.set_xticks([])
                ax.set_yticks([])
                side = (result.black[label]["pir"] if kind == "black"
                        else result.regions[label][kind])["side_lobe_level"]
                ax.set_xlabel(f"side lobe {side:+.2f}", fontsize=7)
                if i == 0:
                    ax.set_title(title, fontsize=8)
        ax = fig.add_subplot(grid[n, : ncols // 2])
        y = np.arange(n)
        dec = result.decomposition
        ax.barh(y - 0.2, [dec[m]["jx_residual"] for m in labels], 0.4, label="||N - J(x) x||")
        ax.barh(y + 0.2, [dec[m]["hyra_residual"] for m in labels], 0.4,
                label="||G|| = ||N - H(x)|| (HyRA)")
        ax.set_yticks(y, labels)
        ax.set_xlabel("residual / ||N|| (crop interior)")
        ax.set_title("(c) what the local linear filter leaves unexplained", fontsize=9)
        ax.legend(fontsize=7)
        ax = fig.add_subplot(grid[n, ncols // 2:])
        for k, label in enumerate(labels):
            sw = result.sweeps[label]
            for b, dist in zip(sw["backgrounds"], sw["distance"], strict=True):
                ax.plot(sw["amplitudes"], np.maximum(dist, 1e-8), marker="o", ms=3,
                        color=f"C{k}", alpha=0.4 + 0.6 * (1 - b),
                        label=f"{label}, background {b:g}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("impulse amplitude a")
        ax.set_ylabel("||P-IR(a, b) - J(b)|| / ||J(b)||")
        ax.set_title("(d) the paper's P-IR against the Jacobian at the same background",
                     fontsize=9)
        ax.legend(fontsize=6, ncol=2)
        fig.suptitle(f"Ext. 2: the local (Jacobian) filter of each network on '{result.image}' "
                     f"({result.lr_size}x{result.lr_size} LR, x{result.scale}; grid step "
                     f"{result.stride}, window {result.size}, context {result.context})")
    return fig
