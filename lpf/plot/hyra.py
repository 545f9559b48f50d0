"""Plots of hyra (draw only; see :mod:`lpf.plot`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from lpf.plot._base import as_array, figure_and_axes, freq_extent
from lpf.plot.impulse import RAW_CMAP
from lpf.plot.spectra import plot_spectrum
from lpf.plot.style import style

__all__ = [
    "HYRA_KINDS",
    "plot_evolution",
    "plot_hyra_example",
    "plot_hyra_grid",
    "plot_hyra_networks",
    "plot_training_evolution",
]


HYRA_KINDS = ("image", "signed", "amplitude", "phase")


def plot_hyra_grid(rows: Sequence[Sequence[Mapping[str, Any] | None]], axes=None, *,
                   band: float | None = None, panel_size: float = 2.1):
    r"""A grid of HyRA panels: images, signed maps, log-amplitude and phase spectra.

    Each panel is a mapping with ``"kind"`` and ``"data"`` (NumPy) and optionally ``"title"``,
    ``"ylabel"`` (a row label), ``"vmin"``/``"vmax"``:

    * ``"image"``: an RGB/grey image, clipped to [0, 1] (e.g. N(I), H(I));
    * ``"signed"``: a signed map, the channel mean shown with :data:`RAW_CMAP` symmetric about
      ``"centre"`` (default 0; ``"median"`` removes an offset such as a network's bias term), the
      limit ``"vmax"`` or the 99.5th percentile of the deviation (e.g. G(I), an impulse response);
    * ``"amplitude"``: a centred :math:`\log(1 + |F|)` spectrum with :data:`PAPER_CMAP`, axes in
      cycles/pixel, the LR band ``band`` dashed;
    * ``"phase"``: a centred phase spectrum in radians, cyclic colormap on :math:`[-\pi, \pi]`.

    Args:
        rows: a sequence of rows, each a sequence of panels (``None`` leaves a panel empty).
        axes: a 2-D array of axes at least as large as ``rows`` (default: a new figure).
        band: the LR Nyquist frequency in cycles/pixel, drawn on amplitude panels.
        panel_size: inches per panel of a new figure.

    Returns:
        ``(fig, axes)``, ``axes`` a 2-D NumPy array.

    Raises:
        ValueError: no rows, an unknown kind, a panel without data, or too few axes.
        TypeError: a torch tensor.

    Examples:
        >>> import numpy as np
        >>> x = np.random.default_rng(0).random((8, 8, 3))
        >>> fig, axes = plot_hyra_grid([[{"kind": "image", "data": x, "title": "SR"},
        ...                              {"kind": "signed", "data": x - 0.5}],
        ...                             [{"kind": "amplitude", "data": x[..., 0]}, None]])
        >>> axes.shape, axes[0, 0].get_title(), axes[1, 1].get_visible()
        ((2, 2), 'SR', False)
        >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    if len(rows) == 0 or max(len(r) for r in rows) == 0:
        raise ValueError("`rows` is empty.")
    nrows, ncols = len(rows), max(len(r) for r in rows)
    if axes is None:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size * ncols, panel_size * nrows),
                                 squeeze=False)
    else:
        axes = np.asarray(axes, dtype=object)
        axes = axes.reshape(1, -1) if axes.ndim == 1 else axes
        if axes.shape[0] < nrows or axes.shape[1] < ncols:
            raise ValueError(f"{axes.shape} axes for {nrows}x{ncols} panels.")
        fig = axes[0, 0].figure
    for i in range(axes.shape[0]):
        for j in range(axes.shape[1]):
            panel = rows[i][j] if i < nrows and j < len(rows[i]) else None
            ax = axes[i, j]
            if panel is None:
                ax.set_visible(False)
                continue
            kind = panel.get("kind")
            if kind not in HYRA_KINDS:
                raise ValueError(f"panel ({i}, {j}): `kind` must be one of {HYRA_KINDS}, got "
                                 f"{kind!r}.")
            if panel.get("data") is None:
                raise ValueError(f"panel ({i}, {j}) has no `data`.")
            data = as_array(panel["data"], f"rows[{i}][{j}]['data']").astype(float)
            vmin, vmax = panel.get("vmin"), panel.get("vmax")
            if kind == "image":
                if data.ndim == 3 and data.shape[-1] == 1:
                    data = data[..., 0]
                ax.imshow(np.clip(data, 0.0, 1.0), cmap="gray", vmin=0.0, vmax=1.0,
                          interpolation="nearest")
            elif kind == "signed":
                grey = data.mean(-1) if data.ndim == 3 else data
                centre = panel.get("centre", 0.0)
                grey = grey - (float(np.median(grey)) if centre == "median" else float(centre))
                lim = vmax if vmax is not None else float(np.percentile(np.abs(grey), 99.5))
                lim = lim if lim > 0 else 1.0
                ax.imshow(grey, cmap=RAW_CMAP, vmin=-lim, vmax=lim, interpolation="nearest")
            elif kind == "amplitude":
                plot_spectrum(data, ax=ax, is_spectrum=True, band=band, vmin=vmin, vmax=vmax,
                              colorbar=False)
                ax.set_xlabel("")
                ax.set_ylabel("")
            else:
                h, w = data.shape
                ax.imshow(data, cmap="twilight", vmin=-np.pi, vmax=np.pi,
                          extent=freq_extent(h, w), origin="lower", interpolation="nearest")
            if kind in ("image", "signed"):
                ax.set_xticks([])
                ax.set_yticks([])
            else:
                ax.set_xticks([-0.5, 0, 0.5])
                ax.set_yticks([-0.5, 0, 0.5])
                ax.tick_params(labelsize=6)
            if panel.get("title"):
                ax.set_title(panel["title"])
            if panel.get("ylabel"):
                ax.set_ylabel(panel["ylabel"])
    return fig, axes


def plot_training_evolution(iterations: Sequence[int], series: Mapping[str, Sequence[float]],
                            ax=None, *, title: str | None = None, ylabel: str | None = None,
                            logx: bool = True):
    """Metrics against training iterations, one marked line each (paper Fig. 19, Appx. H).

    Args:
        iterations: the snapshot iterations (x axis).
        series: label -> one value per iteration.
        ax: the axes (default: a new figure).
        title: axes title.
        ylabel: y-axis label.
        logx: logarithmic x axis (iterations > 0 required).

    Returns:
        ``(fig, ax)``.

    Raises:
        ValueError: no series, or a series whose length differs from ``iterations``.
        TypeError: a torch tensor.

    Examples:
        >>> fig, ax = plot_training_evolution([10, 100], {"a": [1.0, 2.0], "b": [0.5, 0.1]})
        >>> len(ax.lines), ax.get_xscale()
        (2, 'log')
        >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    x = as_array(iterations, "iterations").astype(float)
    if not series:
        raise ValueError("`series` is empty.")
    fig, ax = figure_and_axes(ax)
    for label, values in series.items():
        y = as_array(values, f"series[{label!r}]").astype(float)
        if y.shape != x.shape:
            raise ValueError(f"series {label!r} has {y.size} values for {x.size} iterations.")
        ax.plot(x, y, marker="o", label=label)
    if logx:
        if np.any(x <= 0):
            raise ValueError("`logx` needs iterations > 0.")
        ax.set_xscale("log")
    ax.set_xlabel("training iteration")
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(fontsize=7)
    return fig, ax


# ---------------------------------------------------------------------------------------------
# the figures: each draws one study's result (lpf.studies.fig04_hyra, fig14_hyra_networks,
# fig19_training_evolution)

_NAMES = {"sr": "N(I) = SR", "linear": "H(I), linear", "nonlinear": "G(I), non-linear"}


def plot_hyra_example(result):
    """Fig. 4: N(I), H(I), G(I) of one network with their amplitude and phase spectra.

    Args:
        result: a :class:`lpf.studies.fig04_hyra.Fig04HyraResult`.

    Returns:
        The figure (3 x 3 panels).
    """
    import matplotlib.pyplot as plt

    shown, summary, top = result.display, result.summary, result.amplitude_max
    rows = [
        [{"kind": "image" if k != "nonlinear" else "signed", "data": shown[k]["image"],
          "centre": "median", "title": _NAMES[k], "ylabel": "image" if k == "sr" else None}
         for k in _NAMES],
        [{"kind": "amplitude", "data": shown[k]["amplitude"], "vmin": 0.0, "vmax": top,
          "title": f"{100 * summary[f'fraction_above_{k}']:.1f}% of energy above Nyquist",
          "ylabel": "log(1 + |F|)" if k == "sr" else None} for k in _NAMES],
        [{"kind": "phase", "data": shown[k]["phase"], "ylabel": "phase" if k == "sr" else None}
         for k in _NAMES],
    ]
    with style():
        fig, axes = plt.subplots(3, 3, figsize=(8.4, 8.6))
        plot_hyra_grid(rows, axes=axes, band=1.0 / (2 * result.scale))
        axes[2, 1].set_title(f"replica prominence {summary['replica_prominence_linear']:.0f}x",
                             fontsize=8)
        axes[2, 2].set_title(f"phase vs H at replicas: cos = {summary['phase_opposition']:.3f}",
                             fontsize=8)
        fig.suptitle(
            f"Fig. 4: HyRA of {result.model} x{result.scale} on '{result.image}' "
            f"({result.lr_size}x{result.lr_size} LR): N = H + G (max error "
            f"{summary['reconstruction_error']:.1e});\nH is low-pass with replica spots, G holds "
            f"the high frequencies and cancels H's grid (replicas of N: "
            f"{100 * summary['replica_suppression']:.1f}% of H's)")
    return fig


def plot_hyra_networks(result):
    """Fig. 14: one row of N(I), H(I), G(I) and H's and G's spectra per network, and a bar chart.

    Args:
        result: a :class:`lpf.studies.fig14_hyra_networks.Fig14HyraNetworksResult`.

    Returns:
        The figure.
    """
    import matplotlib.pyplot as plt

    nets, shown, top = result.networks, result.display, result.amplitude_max
    rows = [[
        {"kind": "image", "data": shown[n]["sr"]["image"], "ylabel": n,
         "title": "N(I)" if i == 0 else None},
        {"kind": "image", "data": shown[n]["linear"]["image"],
         "title": "H(I)" if i == 0 else None},
        {"kind": "signed", "data": shown[n]["nonlinear"]["image"], "centre": "median",
         "title": "G(I)" if i == 0 else None},
        {"kind": "amplitude", "data": shown[n]["linear"]["amplitude"], "vmin": 0.0, "vmax": top,
         "title": ("|F H|: " if i == 0 else "")
         + f"{100 * nets[n]['fraction_above_linear']:.1f}% above"},
        {"kind": "amplitude", "data": shown[n]["nonlinear"]["amplitude"], "vmin": 0.0,
         "vmax": top, "title": ("|F G|: " if i == 0 else "")
         + f"{100 * nets[n]['fraction_above_nonlinear']:.1f}% above"},
    ] for i, n in enumerate(nets)]
    if result.reference_display is not None:
        ref, ref_sum = result.reference_display, result.reference["summary"]
        rows.append([
            {"kind": "image", "data": ref["sr"]["image"], "ylabel": "official x3"},
            {"kind": "image", "data": ref["linear"]["image"]},
            {"kind": "signed", "data": ref["nonlinear"]["image"], "centre": "median"},
            {"kind": "amplitude", "data": ref["linear"]["amplitude"],
             "title": f"{100 * ref_sum['fraction_above_linear']:.1f}% above"},
            {"kind": "amplitude", "data": ref["nonlinear"]["amplitude"],
             "title": f"{100 * ref_sum['fraction_above_nonlinear']:.1f}% above"},
        ])
    n_rows, order = len(rows), result.order
    with style():
        fig = plt.figure(figsize=(15.0, 2.0 * n_rows + 0.9))
        grid = fig.add_gridspec(n_rows, 8)
        axes = np.array([[fig.add_subplot(grid[i, j]) for j in range(5)] for i in range(n_rows)])
        plot_hyra_grid(rows, axes=axes, band=1.0 / (2 * result.scale))
        bars = fig.add_subplot(grid[:, 5:])
        y = np.arange(len(order))
        bars.barh(y + 0.2, [100 * nets[n]["fraction_above_nonlinear"] for n in order], 0.4,
                  label="G(I), non-linear", color="tab:orange")
        bars.barh(y - 0.2, [100 * nets[n]["fraction_above_linear"] for n in order], 0.4,
                  label="H(I), linear", color="tab:blue")
        bars.set_yticks(y, order)
        bars.set_xlabel("% of spectral energy above the LR Nyquist frequency")
        bars.set_title("H is low-pass for every network, with network-dependent strength")
        bars.legend(loc="lower right")
        fig.suptitle(f"Fig. 14: HyRA of {len(nets)} networks, x{result.scale} on "
                     f"'{result.image}' ({result.lr_size}x{result.lr_size} LR); spectra "
                     "log(1 + |F|) on one colour scale, dashed: LR band")
    return fig


_EVOLUTION_ROWS = ["N(I)", "impulse response", "H(I)", "G(I)", "|F H(I)|", "|F G(I)|"]


def plot_evolution(result):
    """Fig. 19: N(I), the impulse response, H(I), G(I) and spectra per snapshot, and the curves.

    Args:
        result: a :class:`lpf.studies.fig19_training_evolution.Fig19TrainingEvolutionResult`.

    Returns:
        The figure.
    """
    import matplotlib.pyplot as plt

    rows, top, scale = result.snapshots, result.amplitude_max, result.scale
    columns = [[
        {"kind": "image", "data": d["sr"]["image"],
         "title": f"iteration {row['iteration']}\nPSNR {row['psnr']:.1f} dB"},
        {"kind": "signed", "data": r, "vmax": float(np.abs(r).max()),
         "title": f"sinc distance {row['sinc_distance']:.2f}"},
        {"kind": "image", "data": d["linear"]["image"]},
        {"kind": "signed", "data": d["nonlinear"]["image"], "centre": "median",
         "vmax": result.g_limit,
         "title": f"corr(G, HR - H) {row['detail_correlation']:+.2f}"},
        {"kind": "amplitude", "data": d["linear"]["amplitude"], "vmin": 0.0, "vmax": top},
        {"kind": "amplitude", "data": d["nonlinear"]["amplitude"], "vmin": 0.0, "vmax": top},
    ] for d, r, row in zip(result.display, result.responses, rows, strict=True)]
    panels = [[dict(col[i], ylabel=_EVOLUTION_ROWS[i] if j == 0 else None)
               for j, col in enumerate(columns)] for i in range(len(_EVOLUTION_ROWS))]
    its = [row["iteration"] for row in rows]
    first, last = rows[0], rows[-1]
    n = len(its)
    with style():
        fig = plt.figure(figsize=(2.2 * n + 4.6, 13.0))
        grid = fig.add_gridspec(len(_EVOLUTION_ROWS), n + 2)
        axes = np.array([[fig.add_subplot(grid[i, j]) for j in range(n)]
                         for i in range(len(_EVOLUTION_ROWS))])
        plot_hyra_grid(panels, axes=axes, band=1.0 / (2 * scale))
        plot_hyra_grid([[{"kind": "image", "data": result.hr,
                          "title": f"HR ({result.image}, held out)"}]],
                       axes=[fig.add_subplot(grid[0, n:])])
        plot_training_evolution(
            its, {"sinc distance (lower: more sinc-like)": [r["sinc_distance"] for r in rows],
                  "first side lobe / peak": [r["side_lobe_level"] for r in rows]},
            ax=fig.add_subplot(grid[1:3, n:]), title="impulse response")
        plot_training_evolution(
            its, {"corr(G, HR - H)": [r["detail_correlation"] for r in rows],
                  "G detail energy / last": [r["energy_detail_nonlinear"]
                                             / last["energy_detail_nonlinear"] for r in rows]},
            ax=fig.add_subplot(grid[3:5, n:]), title="non-linear part G")
        plot_training_evolution(its, {"PSNR (dB)": [r["psnr"] for r in rows]},
                                ax=fig.add_subplot(grid[5, n:]))
        fig.suptitle(
            f"Fig. 19: an RDN trained from scratch (x{scale}): the impulse response becomes "
            f"more sinc-like\n(sinc distance {first['sinc_distance']:.2f} -> "
            f"{last['sinc_distance']:.2f}) and G sharper (corr(G, HR - H) "
            f"{first['detail_correlation']:+.2f} -> {last['detail_correlation']:+.2f});\n"
            "spectra share one colour scale, dashed: LR band")
    return fig
