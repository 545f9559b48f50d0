"""Plots of impulse responses (Figs. 1, 9, 10, 15, 16).

They draw arrays and study results, never compute (profiles, fits and correlations come from
:mod:`lpf.studies`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import numpy as np

from lpf.plot._base import as_array, figure_and_axes
from lpf.plot.spectra import image_grid
from lpf.plot.style import style

__all__ = [
    "DISPLAY_CMAP",
    "plot_feature_maps",
    "plot_gan_exceptions",
    "plot_impulse_grid",
    "plot_impulse_profile",
    "plot_impulse_response",
    "plot_impulse_responses",
    "plot_shift_invariance",
    "plot_sinc_quiz",
    "RAW_CMAP",
]


#: Colormap of raw impulse responses: diverging, centred at 0 (blue negative lobes, red positive).
RAW_CMAP = "RdBu_r"


#: Smallest error drawn on a log axis (an exactly shift-invariant model's errors are 0).
LOG_FLOOR = 1e-16


#: Colormap of display-clamped responses (values in [0, 1]): the paper's jet.
DISPLAY_CMAP = "jet"


def _response_map(response: Any, name: str = "response") -> np.ndarray:
    """A response as a 2-D float64 map: ``(H, W)`` or the channel mean of ``(C, H, W)``."""
    arr = as_array(response, name).astype(np.float64)
    if arr.ndim == 3:
        arr = arr.mean(0)
    if arr.ndim != 2:
        raise ValueError(f"`{name}` must be (H, W) or (C, H, W), got shape {arr.shape}.")
    return arr


def plot_impulse_response(
    response: Any,
    ax=None,
    *,
    view: str = "top",
    raw: bool = True,
    vmax: float | None = None,
    cmap: str | None = None,
    colorbar: bool = True,
    title: str | None = None,
):
    """Draw one impulse response as a top-view heat map or a 3-D surface.

    Raw responses (``raw=True``, values as measured, negative lobes kept) use a diverging colormap
    (:data:`RAW_CMAP`) centred at 0 with limits ``+-vmax``; display-clamped ones (``raw=False``,
    e.g. :func:`lpf.impulse.impulse_response_paper`) are clipped to ``[0, vmax]`` (default 1)
    and drawn in :data:`DISPLAY_CMAP` (the paper's jet).

    Args:
        response: ``(H, W)`` or ``(C, H, W)`` NumPy array (channel mean shown), HR pixels.
        ax: axes to draw on (a 3-D axes for ``view="surface"``); default a new figure.
        view: ``"top"`` (heat map) or ``"surface"`` (3-D side view).
        raw: raw (diverging, centred at 0) or display-clamped (``[0, vmax]``).
        vmax: colour limit; default the largest absolute value (raw) or 1 (clamped).
        cmap: override the colormap.
        colorbar: add a colorbar (top view only).
        title: axes title.

    Returns:
        ``(fig, ax)``.

    Raises:
        ValueError: an unknown ``view`` or a wrong shape.
        TypeError: a torch tensor.

    Examples:
        >>> import numpy as np
        >>> h = np.zeros((8, 8)); h[4, 4] = 1.0; h[4, 6] = -0.2
        >>> fig, ax = plot_impulse_response(h, title="delta")
        >>> ax.images[0].get_clim(), ax.get_title()
        ((-1.0, 1.0), 'delta')
        >>> fig, ax = plot_impulse_response(h, view="surface", raw=False)
        >>> ax.name
        '3d'
        >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    if view not in ("top", "surface"):
        raise ValueError(f"`view` must be 'top' or 'surface', got {view!r}.")
    h = _response_map(response)
    if raw:
        lim = float(np.abs(h).max()) if vmax is None else float(vmax)
        lim = lim or 1.0
        lo, hi, shown = -lim, lim, h
    else:
        hi = 1.0 if vmax is None else float(vmax)
        lo, shown = 0.0, np.clip(h, 0.0, hi)
    cmap = cmap or (RAW_CMAP if raw else DISPLAY_CMAP)
    if view == "top":
        fig, ax = figure_and_axes(ax)
        im = ax.imshow(shown, cmap=cmap, vmin=lo, vmax=hi, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        if colorbar:
            fig.colorbar(im, ax=ax, fraction=0.046, pad=0.03)
    else:
        if ax is None:
            import matplotlib.pyplot as plt

            fig = plt.figure()
            ax = fig.add_subplot(projection="3d")
        fig = ax.figure
        if getattr(ax, "name", "") != "3d":
            raise ValueError("`view='surface'` needs a 3-D axes (projection='3d').")
        yy, xx = np.mgrid[: shown.shape[0], : shown.shape[1]]
        ax.plot_surface(xx, yy, shown, cmap=cmap, vmin=lo, vmax=hi, linewidth=0,
                        antialiased=False, rcount=shown.shape[0], ccount=shown.shape[1])
        ax.set_zlim(min(lo, float(shown.min())), hi)
        ax.set_xticklabels([])
        ax.set_yticklabels([])
        ax.tick_params(labelsize="x-small")
    if title:
        ax.set_title(title)
    return fig, ax


def plot_impulse_grid(
    responses: Mapping[str, Any],
    axes=None,
    *,
    raw: bool = True,
    vmax: float | None = None,
    ncols: int = 4,
    notes: Mapping[str, str] | None = None,
    colorbar: bool = True,
    panel_size: float = 2.0,
):
    """Top views of several impulse responses on one shared colour scale (paper Fig. 9 grid).

    Args:
        responses: ``{name: (H, W) or (C, H, W) array}``, shown in order, titled by name.
        axes: at least ``len(responses)`` axes (any array shape); default a new figure with
            ``ncols`` columns (unused axes hidden).
        raw: as in :func:`plot_impulse_response`; the shared limit is the largest ``|value|``
            (raw) or 1 (clamped) unless ``vmax`` is given.
        vmax: shared colour limit.
        ncols: columns of a new figure.
        notes: ``{name: text}`` added as a second title line (e.g. a correlation score).
        colorbar: one colorbar for the whole grid.
        panel_size: inches per panel of a new figure.

    Returns:
        ``(fig, axes)``, ``axes`` a flat NumPy array of the axes used.

    Raises:
        ValueError: no responses, or too few axes.

    Examples:
        >>> import numpy as np
        >>> fig, axes = plot_impulse_grid({"a": np.eye(4), "b": -np.eye(4)}, ncols=2)
        >>> [ax.get_title() for ax in axes], axes[1].images[0].get_clim()
        (['a', 'b'], (-1.0, 1.0))
        >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    if len(responses) == 0:
        raise ValueError("`responses` is empty.")
    maps = {name: _response_map(r, f"responses[{name!r}]") for name, r in responses.items()}
    if vmax is None:
        vmax = max(float(np.abs(m).max()) for m in maps.values()) if raw else 1.0
    if axes is None:
        import matplotlib.pyplot as plt

        ncols = max(1, min(int(ncols), len(maps)))
        nrows = -(-len(maps) // ncols)
        fig, grid = plt.subplots(nrows, ncols, squeeze=False,
                                 figsize=(panel_size * ncols, panel_size * nrows))
        flat = grid.ravel()
        for extra in flat[len(maps):]:
            extra.set_visible(False)
    else:
        flat = np.asarray(axes, dtype=object).ravel()
        if flat.size < len(maps):
            raise ValueError(f"{flat.size} axes for {len(maps)} responses.")
        fig = flat[0].figure
    for ax, (name, h) in zip(flat, maps.items(), strict=False):
        title = name if not notes or name not in notes else f"{name}\n{notes[name]}"
        plot_impulse_response(h, ax, raw=raw, vmax=vmax, colorbar=False, title=title)
    if colorbar:
        fig.colorbar(flat[0].images[0], ax=list(flat[: len(maps)]), fraction=0.02, pad=0.02,
                     label="response (raw)" if raw else "response (clamped to [0, 1])")
    return fig, flat[: len(maps)]


def plot_impulse_profile(profile, ax=None, *, fit=None, label: str = "response",
                         fit_label: str = "windowed sinc fit"):
    """Draw the central profile of an impulse response, with an optional fitted curve.

    The profile and the fit are computed elsewhere (e.g. by
    :func:`lpf.studies._impulse.central_profile` and
    :func:`lpf.studies._impulse.windowed_sinc_profile`); this only draws them.

    Args:
        profile: ``(offsets, values)``: the offsets from the peak (HR pixels) and the profile.
        ax: axes to draw on; default a new figure.
        fit: values of a fitted curve at the same offsets (dashed), or None.
        label: legend label of the profile.
        fit_label: legend label of the fit.

    Returns:
        ``(fig, ax)``.

    Raises:
        TypeError: ``profile`` is not an ``(offsets, values)`` pair.
        ValueError: offsets, values and fit of different lengths.

    Examples:
        >>> import numpy as np
        >>> d = np.arange(-8, 9)
        >>> fig, ax = plot_impulse_profile((d, np.sinc(d / 4)), fit=np.sinc(d / 4.2))
        >>> len(ax.lines)
        3
        >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    if not (isinstance(profile, tuple | list) and len(profile) == 2):
        raise TypeError("`profile` must be an (offsets, values) pair (e.g. from "
                        "lpf.studies._impulse.central_profile), got "
                        f"{type(profile).__name__}.")
    d = as_array(profile[0], "offsets").astype(np.float64)
    prof = as_array(profile[1], "values").astype(np.float64)
    if d.shape != prof.shape or d.ndim != 1:
        raise ValueError(f"offsets {d.shape} and values {prof.shape} must be 1-D of one length.")
    fig, ax = figure_and_axes(ax)
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.plot(d, prof, "o-", ms=3, label=label)
    if fit is not None:
        f = as_array(fit, "fit").astype(np.float64)
        if f.shape != d.shape:
            raise ValueError(f"`fit` {f.shape} must have the offsets' shape {d.shape}.")
        ax.plot(d, f, "--", label=fit_label)
    ax.set_xlabel("offset from peak (HR pixels)")
    ax.legend(fontsize="small")
    return fig, ax


def _sinc_profile(ax, profile, label: str) -> None:
    """The sinc's central profile as a grey dashed reference line."""
    plot_impulse_profile(profile, ax, label=label)
    ax.lines[-1].set(color="0.55", ls="--", marker="none")


def plot_sinc_quiz(result, *, colour_limit: float = 0.4):
    """Fig. 1: the impulse and options A-D, with the answer and the profiles below.

    Options are raw, on one diverging scale clipped at ``+-colour_limit``; below, the answer and
    each option's central profile against the sinc's.

    Args:
        result: :class:`lpf.studies.fig01_sinc_quiz.Fig01SincQuizResult`.
        colour_limit: the colour scale is ``+-colour_limit`` (peaks saturate, side lobes show).

    Returns:
        The figure.
    """
    import matplotlib.pyplot as plt

    r = result
    top = max(float(h.max()) for h in r.responses.values())
    with style():
        fig, axes = plt.subplots(2, 5, figsize=(15, 6.4), gridspec_kw={"height_ratios": [1.15, 1]})
        image_grid([r.image], ax=axes[0, :1], titles=[f"I: {r.size}x{r.size} impulse"])
        plot_impulse_grid({letter: r.responses[name] for letter, name in r.options.items()},
                          axes=axes[0, 1:], vmax=colour_limit, colorbar=False)
        fig.colorbar(axes[0, 1].images[0], ax=list(axes[0, 1:]), fraction=0.015, pad=0.01,
                     extend="both", label=f"response (raw; colours clipped at +-{colour_limit})")
        axes[1, 0].axis("off")
        axes[1, 0].text(0.0, 0.5, f"Answer: {r.answer}\n= {r.model} (x{r.scale})\n\nits side "
                        f"lobes are\nnegative, as the sinc's\n(sinc LPF: "
                        f"{r.ideal_sinc['side_lobe_level']:+.3f},\nideal sinc: -0.217)",
                        fontsize=12, va="center", transform=axes[1, 0].transAxes)
        for ax, (letter, name) in zip(axes[1, 1:], r.options.items(), strict=False):
            _sinc_profile(ax, r.profiles["sinc-lpf"], "ideal sinc LPF")
            plot_impulse_profile(r.profiles[name], ax, label=name)
            ax.set_ylim(-0.3, 1.05 * top)
            row = r.candidates[name]
            lobe = row["side_lobe_level"]
            lobe = lobe if np.isfinite(lobe) else 0.0
            ax.set_title(f"{letter} = {name}\nside lobe {lobe:+.3f}, "
                         f"corr. with sinc {row['sinc_correlation']:.3f}",
                         color="tab:red" if name == r.model else "black")
        axes[1, 1].set_ylabel("central profile")
        fig.suptitle(f"Fig. 1: which output does an SR network give for one bright pixel? "
                     f"{r.answer} ({r.model}): a sinc-like main lobe with negative side lobes")
    return fig


def plot_impulse_responses(result, *, raw_colour_limit: float = 0.5):
    """Fig. 9: the 2-D sinc, the raw and the clamped responses, and the paper's bitmaps.

    The sinc in top and 3-D views, the raw responses, the display-clamped ones
    and the paper's bitmaps (when found), each network in its slot of the paper's grid.

    Args:
        result: :class:`lpf.studies.fig09_impulse_responses.Fig09ImpulseResponsesResult`.
        raw_colour_limit: raw top views use ``+-raw_colour_limit`` (side lobes show).

    Returns:
        The figure.
    """
    import matplotlib.pyplot as plt

    r = result
    grid = [(g["paper_slot"], g["model"]) for g in r.grid]
    rows = r.models
    s, n = r.scale, r.scale * r.size
    ncols = 4
    nrows = -(-len(grid) // ncols)
    labels = {m: m if p in (None, m) else
              f"{m} ({'as ' if rows[m]['same_architecture_as_slot'] else 'in place of '}{p})"
              for p, m in grid}
    with style():
        fig = plt.figure(figsize=(2.05 * ncols * 2 + 0.8, 2.35 * max(nrows, 3) * 2 + 0.8))
        top, bottom = fig.subfigures(2, 1)
        sinc_fig, raw_fig = top.subfigures(1, 2)
        clamp_fig, paper_fig = bottom.subfigures(1, 2)

        axes = [sinc_fig.add_subplot(2, 2, 1), sinc_fig.add_subplot(2, 2, 2),
                sinc_fig.add_subplot(2, 2, 3, projection="3d"),
                sinc_fig.add_subplot(2, 2, 4, projection="3d")]
        image_grid([r.image], ax=axes[:1],
                   titles=[f"impulse input {r.size}x{r.size}\n-> SR network x{s} ->"])
        plot_impulse_response(r.sinc_display, axes[1], raw=False,
                              title=f"2-D sinc LPF, top view ({n}x{n})")
        for ax, (elev, azim) in zip(axes[2:], [(30, -60), (4, 0)], strict=True):
            plot_impulse_response(r.sinc, ax, view="surface", raw=False, vmax=1.0, cmap="jet",
                                  title=f"3-D view (elev. {elev})")
            ax.set_zlim(float(r.sinc.min()), 1.0)
            ax.view_init(elev=elev, azim=azim)
        sinc_fig.suptitle("Views of the 2-D sinc (ideal low-pass filter)", fontsize="large")

        raw_axes = raw_fig.subplots(nrows, ncols, squeeze=False)
        for ax in raw_axes.ravel()[len(grid):]:
            ax.set_visible(False)
        plot_impulse_grid(
            {labels[m]: r.raw[m] for _, m in grid}, axes=raw_axes, vmax=raw_colour_limit,
            notes={labels[m]: f"side lobe {rows[m]['side_lobe_level']:+.2f}, "
                              f"corr. {rows[m]['sinc_correlation_raw']:.2f}" for _, m in grid})
        raw_fig.suptitle(f"Raw responses (colours clipped at +-{raw_colour_limit}; blue = "
                         "negative lobes); side lobe / peak and correlation with the sinc",
                         fontsize="large")

        clamp_axes = clamp_fig.subplots(nrows, ncols, squeeze=False)
        for ax in clamp_axes.ravel()[len(grid):]:
            ax.set_visible(False)
        plot_impulse_grid(
            {labels[m]: r.display[m] for _, m in grid}, axes=clamp_axes, raw=False,
            notes={labels[m]: ("vs paper bitmap: " + (
                "-" if rows[m]["paper_correlation"] is None
                else f"{rows[m]['paper_correlation']:.3f}")) if r.reference_dir_found
                else rows[m].get("provenance", "") for _, m in grid})
        clamp_fig.suptitle("Display-clamped responses (the paper's protocol: no background "
                           "subtraction, clamped to [0, 1])", fontsize="large")

        paper_axes = paper_fig.subplots(3, 4, squeeze=False)
        matches = {rows[m]["paper_reference"]: m for m in rows if rows[m]["paper_reference"]}
        shown = [p for p in r.paper_grid if p in r.references][: paper_axes.size]
        for ax in paper_axes.ravel():
            ax.set_visible(False)
        if shown:
            slots = [ax for ax, p in zip(paper_axes.ravel(), r.paper_grid, strict=False)
                     if p in r.references]
            for ax in slots:
                ax.set_visible(True)
            plot_impulse_grid(
                {p: r.references[p] for p in shown}, axes=slots, raw=False, colorbar=False,
                notes={p: (f"corr. with {matches[p]}: {rows[matches[p]]['paper_correlation']:.3f}"
                           if p in matches else "") for p in shown})
            paper_fig.suptitle("The paper's published bitmaps (slide deck, no enhancement, "
                               "8-bit)", fontsize="large")
        else:  # the bitmaps are not bundled: this quadrant lists the networks drawn instead
            paper_fig.suptitle("The networks drawn: whose weights, and in which slot",
                               fontsize="large")
            ax = paper_fig.add_subplot()
            ax.axis("off")
            head = f"{'network':<16}{'weights':<23}{'slot':<26}corr."
            lines = [head, "-" * len(head)] + [
                f"{m:<16}{rows[m].get('provenance', ''):<23}"
                f"{(rows[m].get('slot_role', '') + ' ' + (p or '')).strip():<26}"
                f"{rows[m]['sinc_correlation_raw']:.2f}" for p, m in grid]
            note = textwrap.fill(getattr(r, "paper_bitmaps", ""), len(head))
            ax.text(0.02, 0.98, "\n".join(lines) + "\n\n" + note, family="monospace",
                    fontsize="medium", va="top", ha="left", transform=ax.transAxes)
        fig.suptitle(f"Fig. 9: x{s} impulse responses: L1-trained networks ring like a windowed "
                     "sinc (negative side lobes), bicubic barely rings", fontsize="x-large")
    return fig


def plot_gan_exceptions(result, *, colour_limit: float = 0.4):
    """Fig. 10: per L1/GAN pair, top views, 3-D views and central profiles.

    The profiles are drawn against the sinc's.

    Args:
        result: :class:`lpf.studies.fig10_gan_exceptions.Fig10GanExceptionsResult`.
        colour_limit: the top views use ``+-colour_limit`` (side lobes show).

    Returns:
        The figure.
    """
    import matplotlib.pyplot as plt

    r = result
    pairs = [(p["l1"], p["gan"]) for p in r.pairs]
    rows = r.models
    with style():
        fig = plt.figure(figsize=(14, 3.8 * len(pairs) + 0.5))
        rows_fig = fig.subfigures(len(pairs) + 1, 1, height_ratios=[0.5] + [3.8] * len(pairs))
        rows_fig[0].suptitle(f"Fig. 10: GAN training breaks the sinc phenomenon (x{r.scale} "
                             f"impulse responses, raw; top views clipped at +-{colour_limit})",
                             fontsize="x-large", y=0.5)
        for subfig, (l1, gan) in zip(rows_fig[1:], pairs, strict=True):
            axes = [subfig.add_subplot(1, 5, 1), subfig.add_subplot(1, 5, 2),
                    subfig.add_subplot(1, 5, 3, projection="3d"),
                    subfig.add_subplot(1, 5, 4, projection="3d"), subfig.add_subplot(1, 5, 5)]
            for ax, name in zip(axes[:2], (l1, gan), strict=True):
                plot_impulse_response(
                    r.responses[name], ax, vmax=colour_limit, colorbar=ax is axes[1],
                    title=f"{name} ({rows[name]['training'].upper()})\n"
                          f"corr. with sinc {rows[name]['sinc_correlation']:.3f}")
            low = min(float(r.responses[n].min()) for n in (l1, gan))
            high = max(float(r.responses[n].max()) for n in (l1, gan))
            for ax, name in zip(axes[2:4], (l1, gan), strict=True):
                plot_impulse_response(r.responses[name], ax, view="surface", vmax=0.6 * high,
                                      title=f"{name}: 3-D view")
                ax.set_zlim(low, high)
            _sinc_profile(axes[4], r.profiles["sinc-lpf"], "sinc LPF")
            plot_impulse_profile(r.profiles[l1], axes[4], label=f"{l1} (L1)")
            plot_impulse_profile(r.profiles[gan], axes[4], label=f"{gan} (GAN)")
            axes[4].set_title("central profiles")
            subfig.suptitle(f"{gan} vs {l1}: distance to the ideal sinc "
                            f"{rows[gan]['ideal_sinc_distance']:.2f} vs "
                            f"{rows[l1]['ideal_sinc_distance']:.2f}, to the best windowed sinc "
                            f"{rows[gan]['windowed_sinc_distance']:.3f} vs "
                            f"{rows[l1]['windowed_sinc_distance']:.3f}")
    return fig


def plot_shift_invariance(result, *, shown: int = 3):
    """Fig. 15: moved impulses give the same responses, moved; and the errors.

    Per model the centred response, the last ``shown`` moved ones (``+`` at the
    expected peak) and the overlay of all; right, the relative L2 error per offset (log).

    Args:
        result: :class:`lpf.studies.fig15_shift_invariance.Fig15ShiftInvarianceResult`.
        shown: how many of the last offsets get a panel of their own.

    Returns:
        The figure.
    """
    import matplotlib.pyplot as plt

    r = result
    models = list(r.results)
    offs = r.offsets
    s, p0 = r.scale, r.centre
    lim = max(float(np.abs(h).max()) for resp in r.responses.values() for h in resp.values())
    ncols = 2 + min(shown, len(offs))
    with style():
        fig = plt.figure(figsize=(3.0 * ncols + 5.5, 3.2 * len(models) + 0.6))
        left, right = fig.subfigures(1, 2, width_ratios=[3.0 * ncols, 5.5])
        axes = left.subplots(len(models), ncols, squeeze=False)
        for row, name in zip(axes, models, strict=True):
            resp = r.responses[name]
            panels = {f"{name}: impulse at centre": resp[(0, 0)]}
            panels.update({f"moved by {o} LR px": resp[o] for o in offs[-shown:]})
            panels[f"overlay of all {len(offs) + 1}"] = r.overlays[name]
            plot_impulse_grid(panels, axes=row, vmax=lim, colorbar=False)
            for ax, o in zip(row[1:], offs[-shown:], strict=False):
                ax.plot(s * (p0 + o[1]) + (s - 1) / 2, s * (p0 + o[0]) + (s - 1) / 2,
                        "+", color="k", ms=10, mew=1.0)
        left.colorbar(axes[0, 0].images[0], ax=axes.ravel().tolist(), fraction=0.02, pad=0.01,
                      label="response (raw)")
        ax = right.subplots()
        width = 0.8 / len(models)
        xs = np.arange(len(offs))
        for i, name in enumerate(models):
            errors = np.maximum(r.results[name]["relative_l2_errors"], LOG_FLOOR)  # exact: 0
            ax.bar(xs + i * width - 0.4 + width / 2, errors, width,
                   label=f"{name} (max {r.results[name]['max_relative_l2_error']:.1e})")
        ax.set_yscale("log")
        ax.set_xticks(xs, [str(o) for o in offs], rotation=30)
        ax.set_xlabel("LR offset (dy, dx)")
        ax.set_ylabel("relative L2 error after shifting back")
        ax.legend(frameon=False)
        ax.set_title("shift errors per offset")
        fig.suptitle(f"Fig. 15: a moved impulse gives the same response, moved {s}x as far "
                     f"(x{s}, {r.canvas}x{r.canvas} LR canvas; + marks the expected peak)")
    return fig


def plot_feature_maps(result):
    """Fig. 16: each stage's feature maps and their correlation with the sinc.

    Per stage the channel-mean map (signed) and the max |activation|, the sinc as a
    reference, and each stage's correlation with the sinc.

    Args:
        result: :class:`lpf.studies.fig16_feature_maps.Fig16FeatureMapsResult`.

    Returns:
        The figure.
    """
    import matplotlib.pyplot as plt

    r = result
    labels = r.stage_order
    n = len(labels)
    with style():
        fig = plt.figure(figsize=(3.3 * (n + 1.4), 7.4))
        grid = fig.add_gridspec(2, n + 1, width_ratios=[1] * n + [1.4])
        for j, label in enumerate(labels):
            st = r.stages[label]
            ax = fig.add_subplot(grid[0, j])
            plot_impulse_response(
                r.mean_maps[label], ax,
                title=f"{label}\n{st['shape'][0]} ch, {st['shape'][1]}x{st['shape'][2]} "
                      f"({st['resolution']})\nchannel mean, corr. "
                      f"{st['sinc_correlation_mean']:+.2f}")
            ax = fig.add_subplot(grid[1, j])
            plot_impulse_response(
                r.maxabs_maps[label], ax, raw=False, vmax=float(r.maxabs_maps[label].max()),
                cmap="viridis",
                title=f"max |activation|, corr. {st['sinc_correlation_maxabs']:+.2f}")
        ax = fig.add_subplot(grid[0, n])
        plot_impulse_response(r.sinc, ax, title=f"reference: sinc LPF x{r.scale}")
        ax = fig.add_subplot(grid[1, n])
        xs = np.arange(n)
        ax.plot(xs, [r.stages[k]["sinc_correlation_mean"] for k in labels], "o-",
                label="channel mean")
        ax.plot(xs, [r.stages[k]["sinc_correlation_maxabs"] for k in labels], "s-",
                label="max |activation|")
        ax.axhline(0.0, color="0.6", lw=0.8)
        ax.set_xticks(xs, [k.split(" ")[0] for k in labels])
        ax.set_ylim(-1.0, 1.0)
        ax.set_ylabel("correlation with the sinc")
        ax.legend(frameon=False, loc="lower right")
        ax.set_title("envelope after the upsampler,\nsigned sinc after the tail")
        fig.suptitle(f"Fig. 16: {r.model} activations for an impulse (background subtracted): "
                     "the sinc shape forms after the upsampler and is complete after the tail "
                     "conv\n(activations in the network's internal units; each panel on its own "
                     "scale)")
    return fig
