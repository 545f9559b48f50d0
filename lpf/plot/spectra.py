"""Plots of spectra (draw only; see :mod:`lpf.plot`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from lpf.plot._base import as_array, figure_and_axes, freq_extent, image_array
from lpf.plot.style import PAPER_CMAP, style

__all__ = [
    "image_grid",
    "plot_curve_with_optimum",
    "plot_cutoff_sweep",
    "plot_frequency_responses",
    "plot_fsds_vs_ssim",
    "plot_integrated_spectra",
    "plot_integrated_spectrum",
    "plot_interpolation_kernels",
    "plot_kernels",
    "plot_passband",
    "plot_radial_profiles",
    "plot_sampling",
    "plot_spectrum",
    "plot_windows",
    "plot_zero_insertion",
]


def plot_kernels(
    x: Any,
    kernels: Mapping[str, Any],
    *,
    ax=None,
    reference: str | None = None,
    xlabel: str = "x (input samples)",
    ylabel: str = "k(x)",
    title: str | None = None,
):
    """Overlay 1-D kernels sampled at ``x``, one line per kernel (paper Fig. 2, Fig. 17).

    Args:
        x: positions, ``(X,)``.
        kernels: ``name -> values (X,)``, drawn in order with a legend.
        ax: the axes to draw on (default: a new figure).
        reference: a key of ``kernels`` drawn as a thick black dashed line (e.g. ``"sinc"``).
        xlabel: x-axis label.
        ylabel: y-axis label.
        title: axes title.

    Returns:
        ``(fig, ax)``.

    Raises:
        ValueError: a kernel with a length other than ``len(x)``, or an unknown ``reference``.
        TypeError: a torch tensor.

    Examples:
        >>> import numpy as np
        >>> x = np.linspace(-3, 3, 61)
        >>> fig, ax = plot_kernels(x, {"sinc": np.sinc(x), "box": (abs(x) < 0.5) * 1.0},
        ...                        reference="sinc")
        >>> len(ax.get_lines()) >= 2, ax.get_legend() is not None
        (True, True)
        >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    xs = as_array(x, "x").reshape(-1)
    if reference is not None and reference not in kernels:
        raise ValueError(f"`reference` {reference!r} is not a key of `kernels` {list(kernels)}.")
    fig, ax = figure_and_axes(ax)
    ax.axhline(0.0, color="0.7", lw=0.6, zorder=0)
    for name, values in kernels.items():
        ys = as_array(values, f"kernels[{name!r}]").reshape(-1)
        if ys.shape != xs.shape:
            raise ValueError(f"`kernels[{name!r}]` has {ys.size} values for {xs.size} positions.")
        if name == reference:
            ax.plot(xs, ys, color="black", ls="--", lw=1.8, label=name, zorder=3)
        else:
            ax.plot(xs, ys, label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_xlim(xs.min(), xs.max())
    if title:
        ax.set_title(title)
    ax.legend(frameon=False)
    return fig, ax


def plot_frequency_responses(
    frequency: Any,
    responses: Mapping[str, Any],
    *,
    ax=None,
    cutoff: float | None = 0.5,
    db: bool = False,
    floor_db: float = -100.0,
    ideal: bool = True,
    xlabel: str = "frequency (cycles/sample)",
    title: str | None = None,
):
    """Magnitude responses against frequency, with the ideal low-pass filter for reference.

    The stop band (``|f| > cutoff``) is shaded and, with ``ideal=True``, the ideal low-pass
    filter (1 below the cutoff, 0 above) is drawn as a black dashed step: everything a kernel
    lets through in the shaded area is leakage (replicas left in the output, paper Fig. 2, Appx. F).

    Args:
        frequency: frequencies, ``(F,)``, non-negative.
        responses: ``name -> response (F,)`` (real or magnitude; the absolute value is drawn).
        ax: the axes to draw on (default: a new figure).
        cutoff: the ideal cutoff (same unit as ``frequency``), or None for no shading/step.
        db: draw ``20 log10 |H|`` (floored at ``floor_db``) instead of ``|H|``.
        floor_db: the lowest value drawn in dB.
        ideal: draw the ideal low-pass step (needs ``cutoff``).
        xlabel: x-axis label (units!).
        title: axes title.

    Returns:
        ``(fig, ax)``.

    Raises:
        ValueError: a response with a length other than ``len(frequency)``.
        TypeError: a torch tensor.

    Examples:
        >>> import numpy as np
        >>> f = np.linspace(0, 2, 201)
        >>> fig, ax = plot_frequency_responses(f, {"nearest": np.sinc(f)}, db=True)
        >>> ax.get_ylabel()
        'magnitude (dB)'
        >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    fs = as_array(frequency, "frequency").reshape(-1)
    fig, ax = figure_and_axes(ax)
    if cutoff is not None:
        ax.axvspan(cutoff, fs.max(), color="0.92", zorder=0, lw=0)
        ax.axvline(cutoff, color="0.5", lw=0.8, ls=":", zorder=1)
    for name, values in responses.items():
        mag = np.abs(as_array(values, f"responses[{name!r}]").reshape(-1))
        if mag.shape != fs.shape:
            raise ValueError(f"`responses[{name!r}]` has {mag.size} values for {fs.size} freqs.")
        if db:
            mag = np.maximum(20 * np.log10(np.maximum(mag, 1e-300)), floor_db)
        ax.plot(fs, mag, label=name)
    if ideal and cutoff is not None:
        top = 0.0 if db else 1.0
        bottom = floor_db if db else 0.0
        ax.plot([fs.min(), cutoff, cutoff, fs.max()], [top, top, bottom, bottom], color="black",
                ls="--", lw=1.2, label="ideal LPF")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("magnitude (dB)" if db else "|H(f)|")
    ax.set_xlim(fs.min(), fs.max())
    if db:
        ax.set_ylim(floor_db, 5)
    if title:
        ax.set_title(title)
    ax.legend(frameon=False)
    return fig, ax


def plot_spectrum(
    spectrum: Any,
    ax=None,
    *,
    is_spectrum: bool = True,
    cmap: str = PAPER_CMAP,
    colorbar: bool = True,
    band: float | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    title: str | None = None,
):
    r"""Show a centred log-amplitude spectrum, axes in cycles/pixel (:math:`f_y` up).

    The spectrum is computed by the caller (a study), e.g. :func:`lpf.signal.spectra.amplitude`
    of the channel mean, :math:`\log(1 + |\operatorname{fftshift}\,\mathrm{fft2}(x)|)` (the
    paper's display convention; Figs. 4, 5, 14, 18). Colours default to the paper's reversed
    Blues (:data:`PAPER_CMAP`).

    Args:
        spectrum: a centred real ``(H, W)`` map, already on a log scale.
        ax: the axes to draw on (default: a new figure).
        is_spectrum: must be True (kept for callers that pass it; plotting takes spectra, it
            does not compute them).
        cmap: a matplotlib colormap name.
        colorbar: add a colorbar labelled "log(1 + |F|)".
        band: draw a dashed square at ``|f_x|, |f_y| = band`` cycles/pixel (e.g. the LR Nyquist
            frequency ``1/(2 s)``, inside which the baseband lies).
        vmin: lower colour limit (share it between panels to compare them).
        vmax: upper colour limit.
        title: axes title.

    Returns:
        ``(fig, ax)``; the image artist is ``ax.images[0]``.

    Raises:
        ValueError: a spectrum that is not 2-D, or ``is_spectrum=False``.
        TypeError: a torch tensor.

    Examples:
        >>> import numpy as np
        >>> fig, ax = plot_spectrum(np.random.default_rng(0).random((16, 16)), band=0.25)
        >>> ax.images[0].get_extent()[0] < 0 < ax.images[0].get_extent()[1]
        True
        >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    if not is_spectrum:
        raise ValueError("plot_spectrum draws a spectrum computed elsewhere: pass "
                         "lpf.signal.spectra.amplitude(image) (plotting never computes).")
    spec = as_array(spectrum, "spectrum").astype(float)
    if spec.ndim != 2:
        raise ValueError(f"a spectrum must be 2-D (H, W), got shape {spec.shape}.")
    h, w = spec.shape
    fig, ax = figure_and_axes(ax)
    im = ax.imshow(spec, cmap=cmap, extent=freq_extent(h, w), vmin=vmin, vmax=vmax,
                   interpolation="nearest", origin="lower")
    if band is not None:
        ax.plot([-band, band, band, -band, -band], [-band, -band, band, band, -band],
                color="tab:orange", ls="--", lw=0.9)
    ax.set_xlabel("$f_x$ (cycles/pixel)")
    ax.set_ylabel("$f_y$ (cycles/pixel)")
    if title:
        ax.set_title(title)
    if colorbar:
        fig.colorbar(im, ax=ax, shrink=0.8, label="log(1 + |F|)")
    return fig, ax


def plot_radial_profiles(
    profiles: Mapping[str, tuple[Any, Any]],
    ax=None,
    *,
    log: bool = True,
    ylabel: str = "power",
    xlabel: str = "radial frequency (cycles/pixel)",
    title: str | None = None,
):
    """Azimuthally averaged spectra, one line each (e.g. from :func:`lpf.spectra.radial_profile`).

    Args:
        profiles: ``name -> (frequency (B,), values (B,))``; a
            :class:`lpf.spectra.RadialProfile` works after ``.numpy()`` of its two fields.
        ax: the axes to draw on (default: a new figure).
        log: logarithmic y axis.
        ylabel: y-axis label.
        xlabel: x-axis label.
        title: axes title.

    Returns:
        ``(fig, ax)``.

    Raises:
        ValueError: frequency and values of different lengths.
        TypeError: a torch tensor.

    Examples:
        >>> import numpy as np
        >>> f = np.linspace(0, 0.5, 9)
        >>> fig, ax = plot_radial_profiles({"a": (f, 1 / (f + 0.1)), "b": (f, 1 / (f + 0.2))})
        >>> len(ax.get_lines()), ax.get_yscale()
        (2, 'log')
        >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    fig, ax = figure_and_axes(ax)
    for name, (freq, values) in profiles.items():
        fs = as_array(freq, f"profiles[{name!r}] frequency").reshape(-1)
        vs = as_array(values, f"profiles[{name!r}] values").reshape(-1)
        if fs.shape != vs.shape:
            raise ValueError(f"`profiles[{name!r}]`: {fs.size} frequencies for {vs.size} values.")
        ax.plot(fs, vs, label=name)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(frameon=False)
    return fig, ax


def plot_integrated_spectrum(
    magnitude_map: Any,
    ax=None,
    *,
    is_map: bool = True,
    levels: int | Sequence[float] = 12,
    cmap: str = "viridis",
    colorbar: bool = False,
    title: str | None = None,
):
    r"""Contour plot of the integrated spectrum :math:`\log_{10}|D|` behind FSDS (paper Fig. 6).

    :math:`D` is the cumulative (integrated) complex spectrum of the image normalised to zero
    mean and unit std, summed outward from the origin in each half of the frequency plane
    (:func:`lpf.metrics.frequency.integrated_spectrum`, Eq. 11); the caller computes its
    magnitude map (:meth:`~lpf.metrics.frequency.IntegratedSpectrum.magnitude_map`, averaged
    over channels). The map covers vertical frequencies -0.5..0.5 and horizontal frequencies
    0..0.5 (the other half is its mirror image). Near the axes little has been summed yet: the
    dark cross, whose width reflects the share of low frequencies.

    Args:
        magnitude_map: ``|D|``, ``(H, W//2 + 1)`` with DC at row ``H // 2``.
        ax: the axes to draw on (default: a new figure).
        is_map: must be True (kept for callers that pass it; plotting never computes).
        levels: the number of contour levels, or the levels of ``log10 |D|`` themselves (share
            them between panels to compare methods).
        cmap: a matplotlib colormap name (dark = small, as in the paper).
        colorbar: add a colorbar.
        title: axes title.

    Returns:
        ``(fig, ax)``.

    Raises:
        ValueError: a map that is not 2-D, or ``is_map=False``.
        TypeError: a torch tensor.

    Examples:
        >>> import numpy as np
        >>> fig, ax = plot_integrated_spectrum(np.random.default_rng(0).random((16, 9)) + 0.1)
        >>> ax.get_xlabel()
        '$f_x$ (cycles/pixel)'
        >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    if not is_map:
        raise ValueError("plot_integrated_spectrum draws a magnitude map computed elsewhere "
                         "(plotting never computes): pass "
                         "lpf.metrics.frequency.integrated_spectrum(image).magnitude_map().")
    m = as_array(magnitude_map, "magnitude_map").astype(float)
    if m.ndim != 2:
        raise ValueError(f"a magnitude map must be 2-D, got shape {m.shape}.")
    width = 2 * (m.shape[1] - 1)
    h = m.shape[0]
    fy = (np.arange(h) - h // 2) / h
    fx = np.arange(m.shape[1]) / width
    fig, ax = figure_and_axes(ax)
    contours = ax.contour(fx, fy, np.log10(np.maximum(m, 1e-12)), levels=levels, cmap=cmap,
                          linewidths=0.8)
    ax.set_xlabel("$f_x$ (cycles/pixel)")
    ax.set_ylabel("$f_y$ (cycles/pixel)")
    if colorbar:
        fig.colorbar(contours, ax=ax, shrink=0.8, label="log10 |D|")
    if title:
        ax.set_title(title)
    return fig, ax


def image_grid(
    images: Sequence[Any],
    ax=None,
    *,
    titles: Sequence[str] | None = None,
    ncols: int | None = None,
    cmap: str = "gray",
    vmin: float | None = 0.0,
    vmax: float | None = 1.0,
    panel_size: float = 2.2,
):
    """Show images side by side (or in a grid), without axes ticks.

    Args:
        images: images ``(H, W)`` or ``(H, W, C)``, uint8 or float in [0, 1] (floats are
            clipped to ``[vmin, vmax]`` for display only).
        ax: a sequence (or array) of at least ``len(images)`` axes to draw on; default: a new
            figure with ``ncols`` columns. Unused axes of a new figure are hidden.
        titles: one title per image.
        ncols: columns of a new figure (default: all images in one row).
        cmap: colormap for single-channel images.
        vmin: display range of single-channel images.
        vmax: display range of single-channel images.
        panel_size: inches per panel of a new figure.

    Returns:
        ``(fig, axes)``, ``axes`` a flat NumPy array of the axes used.

    Raises:
        ValueError: no images, too few axes, or a title count other than the image count.
        TypeError: a torch tensor.

    Examples:
        >>> import numpy as np
        >>> fig, axes = image_grid([np.zeros((4, 4)), np.ones((4, 4, 3))], titles=["a", "b"])
        >>> len(axes), axes[1].get_title()
        (2, 'b')
        >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    if len(images) == 0:
        raise ValueError("`images` is empty.")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"{len(titles)} titles for {len(images)} images.")
    if ax is None:
        import matplotlib.pyplot as plt

        ncols = len(images) if ncols is None else max(1, int(ncols))
        nrows = -(-len(images) // ncols)
        fig, grid = plt.subplots(nrows, ncols, figsize=(panel_size * ncols, panel_size * nrows),
                                 squeeze=False)
        axes = grid.ravel()
        for extra in axes[len(images):]:
            extra.set_visible(False)
    else:
        axes = np.asarray(ax, dtype=object).ravel()
        if axes.size < len(images):
            raise ValueError(f"{axes.size} axes for {len(images)} images.")
        fig = axes[0].figure
    for i, image in enumerate(images):
        arr = image_array(image, f"images[{i}]")
        if arr.ndim == 3 and arr.shape[-1] == 1:
            arr = arr[..., 0]
        if arr.ndim == 2:
            axes[i].imshow(arr, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
        else:
            axes[i].imshow(np.clip(arr, 0.0, 1.0), interpolation="nearest")
        axes[i].set_xticks([])
        axes[i].set_yticks([])
        if titles is not None:
            axes[i].set_title(titles[i])
    return fig, axes[: len(images)]


def plot_curve_with_optimum(
    x: Any,
    y: Any,
    ax=None,
    *,
    optimum: tuple[float, float],
    smoothed: Any = None,
    window: int = 1,
    label: str | None = None,
    color: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    fmt: str = "{x:.3g}, {y:.4g}",
    reference: tuple[float, float, str] | None = None,
    title: str | None = None,
):
    """A curve with its maximum marked; the smoothed curve on top of the raw one, drawn faintly.

    The caller computes the smoothed curve (e.g. :func:`lpf.signal.curves.moving_average` of
    length ``window``; the paper's Fig. 8 uses 10) and its optimum
    (:func:`lpf.signal.curves.find_optimum`). With ``smoothed``, the raw curve is drawn thin and
    transparent and the smoothed one where its window is complete (no kinks from shrinking
    windows at the ends). The optimum is marked with a star and annotated with ``fmt``; a
    ``reference`` point (e.g. the paper's reported optimum) is drawn as a black diamond.

    Args:
        x: abscissae, ``(K,)``.
        y: values, ``(K,)``.
        ax: the axes to draw on (default: a new figure).
        optimum: ``(x, value)`` of the maximum to mark.
        smoothed: the smoothed values ``(K,)``, or None (the raw curve only).
        window: the moving-average length behind ``smoothed`` (for the label and the drawn range).
        label: legend label of the curve.
        color: line colour (default: the next in the cycle).
        xlabel: x-axis label.
        ylabel: y-axis label.
        fmt: annotation format with fields ``x`` and ``y``.
        reference: ``(x, y, label)`` of a reference point, or None.
        title: axes title.

    Returns:
        ``(fig, ax)``.

    Raises:
        ValueError: ``x``, ``y`` (and ``smoothed``) of different lengths, or ``window < 1``.
        TypeError: a torch tensor.

    Examples:
        >>> import numpy as np
        >>> x = np.linspace(0, 1, 21)
        >>> y = -(x - 0.4) ** 2
        >>> fig, ax = plot_curve_with_optimum(x, y, smoothed=y, window=3, optimum=(0.4, 0.0),
        ...                                   label="psnr")
        >>> len(ax.get_lines()) >= 3  # raw, smoothed, optimum marker
        True
        >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    xs = as_array(x, "x").astype(float).reshape(-1)
    ys = as_array(y, "y").astype(float).reshape(-1)
    if xs.shape != ys.shape:
        raise ValueError(f"`x` and `y` must have the same length, got {xs.size} and {ys.size}.")
    if isinstance(window, bool) or not isinstance(window, int | np.integer) or window < 1:
        raise ValueError(f"`window` must be an integer >= 1, got {window!r}.")
    fig, ax = figure_and_axes(ax)
    if smoothed is not None:
        shown = as_array(smoothed, "smoothed").astype(float).reshape(-1)
        if shown.shape != xs.shape:
            raise ValueError(f"`smoothed` has {shown.size} values for {xs.size} positions.")
        (raw,) = ax.plot(xs, ys, lw=0.8, alpha=0.35, color=color)
        color = raw.get_color()
        full = slice(window // 2, max(window // 2 + 1, xs.size - (window - window // 2) + 1))
        ax.plot(xs[full], shown[full], color=color,
                label=f"{label} (moving avg. {window})" if label else None)
    else:
        ax.plot(xs, ys, color=color, label=label)
    bx, by = (float(v) for v in optimum)
    ax.plot([bx], [by], marker="*", ms=11, color="tab:red", ls="none",
            label=f"optimum ({fmt.format(x=bx, y=by)})")
    if reference is not None:
        rx, ry, rlabel = reference
        ax.plot([rx], [ry], marker="D", ms=6, color="black", ls="none",
                label=f"{rlabel} ({fmt.format(x=rx, y=ry)})")
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(frameon=False)
    return fig, ax


# ----------------------------------------------------------------------------- figures
# One function per figure of the signal studies: each takes the study's result and draws its
# arrays and numbers (nothing is computed here), inside the kit's style, and returns the figure.


def _subplots(nrows: int, ncols: int, figsize: tuple[float, float]):
    import matplotlib.pyplot as plt

    with style():
        return plt.subplots(nrows, ncols, figsize=figsize, squeeze=False)


def plot_interpolation_kernels(result):
    """Fig. 2: kernels against the sinc in space, their responses, and the same in dB.

    Args:
        result: :class:`lpf.studies.fig02_kernels.Fig02KernelsResult`.

    Returns:
        The figure (three panels).
    """
    leak = result.stopband_leakage
    freq = {f"{name} (leakage {leak[name]:.3f})": result.response[name] for name in result.kernels}
    with style():
        fig, axes = _subplots(1, 3, (11, 3.2))
        axes = axes[0]
        plot_kernels(result.x, result.space, ax=axes[0], reference="sinc",
                     title="(a) kernels in space")
        plot_frequency_responses(result.frequency, freq, ax=axes[1], cutoff=0.5,
                                 title="(b) frequency response")
        plot_frequency_responses(result.frequency, freq, ax=axes[2], cutoff=0.5, db=True,
                                 floor_db=-80.0, title="(c) the same in dB")
        axes[2].get_legend().remove()  # same colours as (b)
        fig.suptitle("Fig. 2: every interpolation kernel is a low-pass approximation of the sinc "
                     f"(stop band shaded; sinc leakage {leak['sinc']:.4f})")
    return fig


def plot_passband(result):
    """Fig. 5: HR and the sinc LPF outputs at each cutoff (top), their spectra (bottom).

    Args:
        result: :class:`lpf.studies.fig05_lpf_passband.Fig05PassbandResult`.

    Returns:
        The figure.
    """
    labels = list(result.results)
    rows = result.results
    h, w = result.images[0].shape[:2]
    titles = [f"HR ({w}x{h})"] + [
        f"{label}: cutoff {rows[label]['cutoff']:g}\n"
        f"PSNR {rows[label]['psnr']:.2f} dB, SSIM {rows[label]['ssim']:.3f}" for label in labels]
    replicas = [result.hr_replica_energy] + [rows[label]["replica_energy"] for label in labels]
    kinds = ["real detail"] + ["replicas"] * len(labels)
    top = max(float(s.max()) for s in result.spectra)
    with style():
        n = len(result.images)
        fig, axes = _subplots(2, n, (3 * n, 6.2))
        image_grid(result.images, ax=axes[0], titles=titles)
        for i, (ax, spec) in enumerate(zip(axes[1], result.spectra, strict=True)):
            plot_spectrum(spec, ax=ax, band=result.band, vmin=0.0, vmax=top,
                          colorbar=i == n - 1,
                          title=f"outside the LR band: {100 * replicas[i]:.2f}% ({kinds[i]})")
        fig.suptitle(f"Fig. 5: sinc LPF super-resolution x{result.scale} of '{result.image}': a "
                     "narrow passband blurs, a wide one lets the zero-insertion replicas through "
                     "(dashed: LR band)")
    return fig


def plot_integrated_spectra(result):
    """Fig. 6: per output (HR first) its centre, its spectrum and its integrated spectrum.

    Args:
        result: :class:`lpf.studies.fig06_integrated_spectra.Fig06IntegratedSpectraResult`.

    Returns:
        The figure (one row per output).
    """
    names = list(result.results)
    with style():
        fig, axes = _subplots(len(names), 3, (9.5, 2.9 * len(names)))
        for row, name in zip(axes, names, strict=True):
            info = result.results[name]
            label = "HR (centre)" if name == "HR" else f"{name}: FSDS {info['fsds']:.2f} dB"
            image_grid([result.details[name]], ax=[row[0]], titles=[label])
            plot_spectrum(result.spectra[name], ax=row[1], band=result.band,
                          title=f"low-freq. share {100 * info['low_frequency_share']:.1f}%, "
                                f"99% of energy below {info['energy_bandwidth_99']:.3f}")
            plot_integrated_spectrum(result.maps[name], ax=row[2], levels=result.levels,
                                     title=f"log10 |D|, cross half-width "
                                           f"{info['cross_width']:.4f}")
        missing = f" (not on this machine: {', '.join(result.missing)})" if result.missing else ""
        fig.suptitle(f"Fig. 6: x{result.scale} outputs of '{result.image}', their spectra (dashed: "
                     "LR band) and\nintegrated spectra (X-FFT-Σ): less high frequency, more "
                     f"low-frequency share{missing}")
    return fig


def plot_fsds_vs_ssim(result):
    """Fig. 7: original, stego and JPEG images, their differences, and SSIM against FSDS.

    Args:
        result: :class:`lpf.studies.fig07_fsds_vs_ssim.Fig07FsdsVsSsimResult`.

    Returns:
        The figure.
    """
    stego, jpeg, paper = result.stego, result.jpeg, result.paper
    with style():
        fig, axes = _subplots(2, 3, (11, 6.4))
        image_grid(result.images, ax=axes[0], titles=[
            "original",
            f"steganography (strength {stego['strength']:.3f})\n"
            f"SSIM {stego['ssim']:.4f}, FSDS {stego['fsds']:.2f} dB",
            f"JPEG (quality {jpeg['quality']})\n"
            f"SSIM {jpeg['ssim']:.4f}, FSDS {jpeg['fsds']:.2f} dB"])
        im = None
        for ax, diff, name in zip(axes[1][:2], result.differences,
                                  ("stego - original", "JPEG - original"), strict=True):
            im = ax.imshow(diff, cmap="RdBu_r", vmin=-result.limit, vmax=result.limit)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(f"{name} (channel mean)")
        fig.colorbar(im, ax=list(axes[1][:2]), location="bottom", shrink=0.5,
                     label="difference (intensity, clipped at the 99.5th percentile)")
        ax = axes[1][2]
        ax.plot(stego["fsds"], stego["ssim"], "o", color="tab:blue", ms=8,
                label="steganography (kit)")
        ax.plot(jpeg["fsds"], jpeg["ssim"], "o", color="tab:orange", ms=8,
                label=f"JPEG q{jpeg['quality']} (kit)")
        ax.plot(paper["stego"]["fsds"], paper["stego"]["ssim"], "D", color="tab:blue", mfc="none",
                ms=11, mew=1.5, label="steganography (paper)")
        ax.plot(paper["jpeg"]["fsds"], paper["jpeg"]["ssim"], "D", color="tab:orange", mfc="none",
                ms=11, mew=1.5, label="JPEG (paper)")
        ax.set_xlabel("FSDS (dB, higher = closer)")
        ax.set_ylabel("SSIM")
        ax.set_xlim(min(jpeg["fsds"], result.target_fsds) - 5,
                    max(jpeg["fsds"], result.target_fsds) + 11)
        ax.set_ylim(min(jpeg["ssim"], paper["jpeg"]["ssim"]) - 0.05, 1.01)
        ax.legend(frameon=False, loc="center right")
        ax.set_title("same FSDS, very different SSIM")
        fig.suptitle(f"Fig. 7: a low-frequency spectral edit keeps SSIM at {stego['ssim']:.3f}; "
                     f"JPEG at the same FSDS has SSIM {jpeg['ssim']:.3f}")
    return fig


def plot_cutoff_sweep(result):
    """Fig. 8: PSNR/SSIM against omega (top) and the principled cutoff (bottom), optimum vs size.

    Args:
        result: :class:`lpf.studies.fig08_lpf_cutoff_sweep.Fig08CutoffSweepResult`.

    Returns:
        The figure (2 x 3 panels).
    """
    labels = {"psnr": "PSNR (dB)", "ssim": "SSIM"}
    fmt = {"psnr": "{x:.3g}, {y:.2f} dB", "ssim": "{x:.3g}, {y:.3f}"}
    paper = result.paper
    where = f"{result.dataset}, {result.lr_size} px"
    by_size = result.optimum_vs_size
    sizes = sorted(by_size)
    with style():
        fig, axes = _subplots(2, 3, (13, 7))
        for col, metric in enumerate(("psnr", "ssim")):
            for row, mode in enumerate(("paper", "principled")):
                key = f"{mode}_{metric}"
                curve, best = result.curves[key], result.optima[key]
                if mode == "paper":
                    extra = dict(reference=(paper[metric]["omega"], paper[metric]["value"],
                                            "paper, DIV2K"),
                                 xlabel=f"paper's ω (cutoff = ω/{2 * (result.lr_size // 2)} "
                                        "cycles per LR pixel here)",
                                 title=f"paper's lpf_sr: {labels[metric]} vs ω")
                else:
                    extra = dict(xlabel="cutoff (cycles per LR pixel)",
                                 title=f"principled lpf_sr: {labels[metric]} vs cutoff")
                plot_curve_with_optimum(curve["x"], curve["y"], ax=axes[row][col],
                                        smoothed=result.smoothed[key], window=result.smooth,
                                        optimum=(best["x"], best["value"]), label=where,
                                        fmt=fmt[metric], ylabel=labels[metric], **extra)
            axes[1][col].axvline(0.5, color="0.6", ls=":", lw=0.9)
        ax = axes[0][2]
        ax.plot(sizes, [by_size[s]["omega"] for s in sizes], "o-", label="optimum ω (PSNR)")
        ax.plot(sizes, [s / 2 for s in sizes], "--", color="0.5", label="ω = H/2 (cutoff 0.5)")
        omega = paper["psnr"]["omega"]
        ax.plot([omega * 2], [omega], "D", color="black",
                label=f"paper ω = {omega:g} (↔ {2 * omega:g} px)")
        ax.set_xlabel("LR crop size H (pixels)")
        ax.set_ylabel("optimum ω")
        ax.set_title("paper's ω: the optimum grows with the image")
        ax.legend(frameon=False)
        ax = axes[1][2]
        ax.plot(sizes, [by_size[s]["cutoff"] for s in sizes], "o-", label="optimum cutoff (PSNR)")
        ax.axhline(0.5, color="0.5", ls="--", label="LR Nyquist 0.5")
        ax.set_ylim(0.0, 1.0)
        ax.set_xlabel("LR crop size H (pixels)")
        ax.set_ylabel("optimum cutoff (cycles per LR pixel)")
        ax.set_title("principled cutoff: the optimum stays put")
        ax.legend(frameon=False)
        fig.suptitle(f"Fig. 8: sinc LPF super-resolution x{result.scale} is best at an "
                     f"intermediate cutoff ({result.dataset}, {result.n_images} images; moving "
                     f"average {result.smooth})")
    return fig


def plot_sampling(result):
    """Figs. 11-13: sampling, ideal low-pass recovery, and aliasing (time and frequency).

    Args:
        result: :class:`lpf.studies.fig11_13_sampling.Fig1113SamplingResult`.

    Returns:
        The figure (3 x 2 panels).
    """
    ok, alias = result.ok, result.alias
    rate_ok, rate_alias = result.no_aliasing["rate"], result.aliasing["rate"]
    with style():
        fig, axes = _subplots(3, 2, (11, 9))
        ax = axes[0][0]
        ax.plot(ok.t, ok.signal, color="black", label="x(t)")
        ax.stem(ok.sample_times, ok.samples, linefmt="C0-", markerfmt="C0o", basefmt=" ",
                label=f"samples x(nT), rate {rate_ok:g}")
        ax.set_title("Fig. 11 (time): sampling = multiplying by an impulse train")
        ax = axes[0][1]
        ax.fill_between(ok.frequency, ok.spectrum, color="0.8", label="X(f)")
        ax.plot(ok.frequency, ok.sampled_spectrum, color="C0", label="Σ X(f - k f_s)")
        ax.set_title(f"Fig. 11 (frequency): copies every f_s = {rate_ok:g}")
        ax = axes[1][0]
        for t_n, x_n in zip(ok.sample_times, ok.samples, strict=True):  # the sinc of each sample
            ax.plot(ok.t, x_n * np.sinc(rate_ok * (ok.t - t_n)), color="0.75", lw=0.6)
        ax.plot([], [], color="0.75", lw=0.6, label="x(nT) sinc(f_s (t - nT))")
        ax.plot(ok.t, ok.signal, color="black", label="x(t)")
        ax.plot(ok.t, ok.reconstruction, "C1--", label=f"recovered (error {ok.error:.1e})")
        ax.set_title("Fig. 12 (time): sum of sincs through the samples")
        ax = axes[1][1]
        ax.plot(ok.frequency, ok.sampled_spectrum, color="C0", label="sampled spectrum")
        ax.plot(ok.frequency, ok.lowpass, "k--", label=f"ideal LPF, cutoff f_s/2 = {rate_ok / 2:g}")
        ax.fill_between(ok.frequency, ok.recovered_spectrum, color="C1", alpha=0.35,
                        label="kept: X(f) again")
        ax.set_title("Fig. 12 (frequency): the ideal low-pass filter keeps one copy")
        ax = axes[2][0]
        for copy in alias.copies:
            ax.plot(alias.frequency, copy, color="0.6", lw=0.8, ls=":")
        ax.plot(alias.frequency, alias.sampled_spectrum, color="C3",
                label=f"sum, f_s = {rate_alias:g}")
        ax.plot(alias.frequency, alias.lowpass, "k--",
                label=f"ideal LPF, cutoff {rate_alias / 2:g}")
        ax.plot(alias.frequency, alias.spectrum, color="black", lw=2, alpha=0.4, label="X(f)")
        ax.set_title(f"Fig. 13 (frequency): f_s = {rate_alias:g} < 2B = {result.nyquist_rate:g}, "
                     "copies overlap")
        ax = axes[2][1]
        ax.plot(alias.t, alias.signal, color="black", label="x(t)")
        ax.stem(alias.sample_times, alias.samples, linefmt="C3-", markerfmt="C3o", basefmt=" ",
                label=f"samples, rate {rate_alias:g}")
        ax.plot(alias.t, alias.reconstruction, "C3--", label=f"recovered (error {alias.error:.2f})")
        ax.set_title("Fig. 13 (time): aliasing, the signal is not recovered")
        for row in axes:
            row[0].set_xlabel("t")
            row[1].set_xlabel("f (cycles per unit time)")
            for a in row:
                a.set_ylim(top=1.45)
                a.axhline(0.0, color="0.85", lw=0.6, zorder=0)
                a.legend(frameon=False, fontsize=7, loc="upper right")
        axes[2][0].set_xlabel("f (cycles per unit time)")
        axes[2][1].set_xlabel("t")
        fig.suptitle(f"Figs. 11-13: x(t) = B sinc²(Bt), band-limited to B = "
                     f"{result.bandwidth:g}: sampled at {rate_ok:g} it is recovered exactly, at "
                     f"{rate_alias:g} it aliases")
    return fig


def plot_windows(result):
    """Fig. 17: windows, their spectra, the windowed sincs and their low-pass responses.

    Args:
        result: :class:`lpf.studies.fig17_windows.Fig17WindowsResult`.

    Returns:
        The figure (2 x 2 panels).
    """
    rows = result.windows
    with style():
        fig, axes = _subplots(2, 2, (11, 7))
        plot_kernels(result.samples, result.shapes, ax=axes[0][0], xlabel="sample n",
                     ylabel="w[n]", title=f"(a) windows, n = {result.n}")
        plot_frequency_responses(
            result.bins,
            {f"{w} ({rows[w]['mainlobe_width_bins']:.1f} bins, {rows[w]['sidelobe_db']:.0f} dB)":
             10 ** (db / 20) for w, db in result.spectra_db.items()},
            ax=axes[0][1], cutoff=None, db=True, floor_db=-100.0,
            xlabel="frequency (DFT bins, 1/n)",
            title="(b) window spectra: main-lobe width vs side-lobe level")
        plot_kernels(result.x, result.kernels, ax=axes[1][0], xlabel="x (input samples)",
                     title=f"(c) windowed sincs, half-width {result.sinc_half_width:g}")
        plot_frequency_responses(
            result.frequency,
            {f"{w} (leakage {rows[w]['windowed_sinc_leakage']:.4f})": r
             for w, r in result.responses.items()},
            ax=axes[1][1], cutoff=0.5, db=True, floor_db=-100.0,
            title="(d) windowed-sinc low-pass filters")
        for ax in axes.ravel():
            ax.legend(frameon=False, fontsize=7)
        fig.suptitle("Fig. 17: windows trade main-lobe width against side-lobe level; "
                     "a windowed sinc inherits both")
    return fig


def plot_zero_insertion(result):
    """Fig. 18: the original and its zero-inserted versions (top), their spectra (bottom).

    Args:
        result: :class:`lpf.studies.fig18_zero_insertion.Fig18ZeroInsertionResult`.

    Returns:
        The figure.
    """
    crop = result.size
    factors = result.factors
    top = max(float(s.max()) for s in result.spectra)
    n = 1 + len(factors)
    with style():
        fig, axes = _subplots(2, n, (3.1 * n, 6.2))
        titles = [f"original ({crop}x{crop})"] + [
            f"zero-inserted x{s} ({crop * s}x{crop * s})" for s in factors]
        image_grid(result.images, ax=axes[0], titles=titles)
        plot_spectrum(result.spectra[0], ax=axes[1][0], vmin=0.0, vmax=top, colorbar=False,
                      title="spectrum")
        for ax, spec, s in zip(axes[1][1:], result.spectra[1:], factors, strict=True):
            c = result.scales[str(s)]
            plot_spectrum(spec, ax=ax, band=1.0 / (2 * s), vmin=0.0, vmax=top,
                          colorbar=s == factors[-1],
                          title=f"{s}x{s} copies: replicas {100 * c['replica_fraction']:.2f}%"
                                f"\n(theory {100 * c['theory']:.2f}%)")
        fig.suptitle("Fig. 18: zero insertion tiles the spectrum s x s times "
                     "(dashed: the baseband, the original's frequencies)")
    return fig
