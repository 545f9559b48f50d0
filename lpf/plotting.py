"""One figure style, the plot functions of the figure notebooks, and one way to save figures.

Plot functions take ``ax=None`` (a new figure is made when it is ``None``) and return
``(fig, ax)``; they never show or save. They take NumPy arrays: convert tensors at the call site
(:func:`lpf.data.to_numpy` for images, ``.numpy()`` for other tensors); a tensor is refused with
a message saying so. Images are ``(H, W)`` or ``(H, W, C)``, uint8 or float in [0, 1].
Frequencies are in cycles/pixel (images) or cycles/sample (kernels), DC at the centre.

* :func:`plot_kernels`, :func:`plot_frequency_responses` -- kernels against the sinc, in space
  and in frequency (paper Figs. 2, 17);
* :func:`plot_spectrum` -- a log-amplitude spectrum, in the paper's reversed-Blues colours by
  default (Figs. 4, 5, 14, 18);
* :func:`plot_radial_profiles` -- azimuthally averaged spectra;
* :func:`plot_integrated_spectrum` -- the contour plot of the integrated spectrum behind FSDS
  (Fig. 6);
* :func:`image_grid` -- a row or grid of images with titles;
* :func:`plot_curve_with_optimum` -- a (smoothed) curve with its maximum marked (Fig. 8).

The style is applied as a context manager (:func:`style`), never by changing global
``rcParams``. :func:`savefig` writes ``name.png`` and ``name.pdf`` into a required ``out_dir``,
atomically. matplotlib is imported lazily, so ``import lpf`` does not pay for it.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

__all__ = [
    "DISPLAY_CMAP",
    "HYRA_KINDS",
    "PAPER_CMAP",
    "RAW_CMAP",
    "STYLE",
    "image_grid",
    "plot_curve_with_optimum",
    "plot_frequency_responses",
    "plot_hyra_grid",
    "plot_impulse_grid",
    "plot_impulse_profile",
    "plot_impulse_response",
    "plot_integrated_spectrum",
    "plot_kernels",
    "plot_labeled_scatter",
    "plot_radial_profiles",
    "plot_rank_chart",
    "plot_spectrum",
    "plot_training_evolution",
    "savefig",
    "style",
    "write_json",
    "write_text",
]

STYLE = Path(__file__).with_name("paper.mplstyle")

#: The paper's spectrum colours: matplotlib's reversed "Blues" (the official HyRA code's choice):
#: dark blue for small amplitudes, white for large ones.
PAPER_CMAP = "Blues_r"


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Context manager applying the kit's figure style (``lpf/paper.mplstyle``).

    Examples:
        >>> import matplotlib.pyplot as plt
        >>> with style():
        ...     fig, ax = plt.subplots()
        >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    with plt.style.context(STYLE):
        yield


def _atomic_write(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def savefig(fig, name: str, *, out_dir: str | os.PathLike, formats=("png", "pdf")) -> list[Path]:
    """Write ``fig`` as ``out_dir/name.png`` and ``out_dir/name.pdf``; return the paths.

    ``out_dir`` is created if needed. Each file is written to a temporary name and renamed, so an
    interrupted save leaves no partial file. PDFs are byte-stable when ``SOURCE_DATE_EPOCH`` is
    set (the Makefile sets it).

    Args:
        fig: a matplotlib figure.
        name: the file stem, e.g. ``"fig02_kernels"``.
        out_dir: the folder to write into (required: no environment fallback).
        formats: file formats to write.

    Returns:
        The written paths.

    Examples:
        >>> import tempfile, matplotlib.pyplot as plt
        >>> fig, ax = plt.subplots()
        >>> paths = savefig(fig, "demo", out_dir=tempfile.mkdtemp())
        >>> [p.suffix for p in paths]
        ['.png', '.pdf']
        >>> plt.close(fig)
    """
    out = Path(out_dir)
    paths = []
    for fmt in formats:
        path = out / f"{name}.{fmt}"
        _atomic_write(path, lambda tmp, fmt=fmt: fig.savefig(tmp, format=fmt))
        paths.append(path)
    return paths


def _jsonable(value: Any) -> Any:
    import numpy as np

    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "tolist"):  # numpy arrays/scalars, torch tensors
        return _jsonable(value.tolist())
    if isinstance(value, float | np.floating):
        value = float(value)
        return value if np.isfinite(value) else str(value)  # JSON has no inf/nan
    return value


def write_json(data: Mapping[str, Any], name: str, *, out_dir: str | os.PathLike) -> Path:
    """Write the numbers a figure shows as ``out_dir/name.json`` (atomically); return the path.

    NumPy and torch values are converted; ``inf``/``nan`` become the strings ``"inf"``/``"nan"``.

    Examples:
        >>> import tempfile, json
        >>> p = write_json({"psnr": 31.4, "fsds": float("inf")}, "demo", out_dir=tempfile.mkdtemp())
        >>> json.loads(p.read_text())
        {'fsds': 'inf', 'psnr': 31.4}
    """
    path = Path(out_dir) / f"{name}.json"
    text = json.dumps(_jsonable(data), indent=1, sort_keys=True)
    _atomic_write(path, lambda tmp: Path(tmp).write_text(text + "\n"))
    return path


# ---------------------------------------------------------------------------------------------
# helpers


def _figure_and_axes(ax, **subplots_kw):
    """``(fig, ax)``: a new figure and axes when ``ax`` is None, else ``ax`` and its figure."""
    if ax is None:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(**subplots_kw)
        return fig, ax
    return ax.figure, ax


def _array(x: Any, name: str) -> np.ndarray:
    """``x`` as a NumPy array; tensors are refused (plotting takes NumPy)."""
    import numpy as np

    if type(x).__module__.startswith("torch"):
        raise TypeError(
            f"`{name}` is a torch tensor; plotting takes NumPy arrays: convert images with "
            "lpf.data.to_numpy(tensor) and other tensors with tensor.numpy()."
        )
    return np.asarray(x)


def _image_array(image: Any, name: str = "image") -> np.ndarray:
    """An image as float64 ``(H, W)`` or ``(H, W, C)`` in [0, 1] (uint8/uint16 scaled)."""
    import numpy as np

    arr = _array(image, name)
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[-1] not in (1, 3, 4)):
        raise ValueError(
            f"`{name}` must be an image (H, W) or (H, W, C) with C in (1, 3, 4), got shape "
            f"{arr.shape}."
        )
    if arr.dtype == np.uint8:
        return arr.astype(np.float64) / 255.0
    if arr.dtype == np.uint16:
        return arr.astype(np.float64) / 65535.0
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"`{name}` must be numeric, got dtype {arr.dtype}.")
    return arr.astype(np.float64)


def _grey(image: np.ndarray) -> np.ndarray:
    """The channel mean of an ``(H, W, C)`` image (alpha dropped), or the ``(H, W)`` image."""
    if image.ndim == 3:
        return image[..., :3].mean(axis=-1)
    return image


def _freq_extent(h: int, w: int) -> tuple[float, float, float, float]:
    """``imshow`` extent (``origin="lower"``) of a centred ``(h, w)`` spectrum, cycles/pixel."""
    fy0, fy1 = (-(h // 2) - 0.5) / h, ((h - 1) // 2 + 0.5) / h
    fx0, fx1 = (-(w // 2) - 0.5) / w, ((w - 1) // 2 + 0.5) / w
    return fx0, fx1, fy0, fy1


# ---------------------------------------------------------------------------------------------
# kernels and frequency responses (Figs. 2, 17)


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
    xs = _array(x, "x").reshape(-1)
    if reference is not None and reference not in kernels:
        raise ValueError(f"`reference` {reference!r} is not a key of `kernels` {list(kernels)}.")
    fig, ax = _figure_and_axes(ax)
    ax.axhline(0.0, color="0.7", lw=0.6, zorder=0)
    for name, values in kernels.items():
        ys = _array(values, f"kernels[{name!r}]").reshape(-1)
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
    import numpy as np

    fs = _array(frequency, "frequency").reshape(-1)
    fig, ax = _figure_and_axes(ax)
    if cutoff is not None:
        ax.axvspan(cutoff, fs.max(), color="0.92", zorder=0, lw=0)
        ax.axvline(cutoff, color="0.5", lw=0.8, ls=":", zorder=1)
    for name, values in responses.items():
        mag = np.abs(_array(values, f"responses[{name!r}]").reshape(-1))
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


# ---------------------------------------------------------------------------------------------
# spectra (Figs. 4, 5, 6, 14, 18)


def plot_spectrum(
    image_or_spectrum: Any,
    ax=None,
    *,
    is_spectrum: bool = False,
    cmap: str = PAPER_CMAP,
    colorbar: bool = True,
    band: float | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    title: str | None = None,
):
    r"""Show a log-amplitude spectrum, DC at the centre, axes in cycles/pixel (:math:`f_y` up).

    For an image, the spectrum is :math:`\log(1 + |\operatorname{fftshift}\,\mathrm{fft2}(x)|)`
    of the channel mean (:func:`lpf.spectra.amplitude`, the paper's display convention; Figs. 4,
    14). Colours default to the paper's reversed Blues (:data:`PAPER_CMAP`).

    Args:
        image_or_spectrum: an image ``(H, W)`` / ``(H, W, C)`` (uint8 or float), or, with
            ``is_spectrum=True``, a centred real ``(H, W)`` map already on a log scale.
        ax: the axes to draw on (default: a new figure).
        is_spectrum: whether the input is already a spectrum.
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
        ValueError: a spectrum that is not 2-D, or a bad image shape.
        TypeError: a torch tensor.

    Examples:
        >>> import numpy as np
        >>> fig, ax = plot_spectrum(np.random.default_rng(0).random((16, 16, 3)), band=0.25)
        >>> ax.images[0].get_extent()[0] < 0 < ax.images[0].get_extent()[1]
        True
        >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import torch

    from lpf.spectra import amplitude

    if is_spectrum:
        spec = _array(image_or_spectrum, "image_or_spectrum").astype(float)
        if spec.ndim != 2:
            raise ValueError(f"a spectrum must be 2-D (H, W), got shape {spec.shape}.")
    else:
        grey = _grey(_image_array(image_or_spectrum, "image_or_spectrum"))
        spec = amplitude(torch.from_numpy(grey)).numpy()
    h, w = spec.shape
    fig, ax = _figure_and_axes(ax)
    im = ax.imshow(spec, cmap=cmap, extent=_freq_extent(h, w), vmin=vmin, vmax=vmax,
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
    fig, ax = _figure_and_axes(ax)
    for name, (freq, values) in profiles.items():
        fs = _array(freq, f"profiles[{name!r}] frequency").reshape(-1)
        vs = _array(values, f"profiles[{name!r}] values").reshape(-1)
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
    image_or_map: Any,
    ax=None,
    *,
    is_map: bool = False,
    levels: int | Sequence[float] = 12,
    cmap: str = "viridis",
    colorbar: bool = False,
    title: str | None = None,
):
    r"""Contour plot of the integrated spectrum :math:`\log_{10}|D|` behind FSDS (paper Fig. 6).

    :math:`D` is the cumulative (integrated) complex spectrum of the image normalised to zero
    mean and unit std, summed outward from the origin in each half of the frequency plane
    (:func:`lpf.fsds.integrated_spectrum`, Eq. 11), averaged in magnitude over channels. The map
    covers vertical frequencies -0.5..0.5 and horizontal frequencies 0..0.5 (the other half is
    its mirror image). Near the axes little has been summed yet: the dark cross, whose width
    reflects the share of low frequencies.

    Args:
        image_or_map: an image ``(H, W)`` / ``(H, W, C)`` (uint8 or float), or, with
            ``is_map=True``, a magnitude map ``(H, W//2 + 1)`` with DC at row ``H // 2``
            (:meth:`lpf.fsds.IntegratedSpectrum.magnitude_map`, channel-averaged).
        ax: the axes to draw on (default: a new figure).
        is_map: whether the input is already a magnitude map.
        levels: the number of contour levels, or the levels of ``log10 |D|`` themselves (share
            them between panels to compare methods).
        cmap: a matplotlib colormap name (dark = small, as in the paper).
        colorbar: add a colorbar.
        title: axes title.

    Returns:
        ``(fig, ax)``.

    Raises:
        ValueError: a map that is not 2-D, or a bad image shape.
        TypeError: a torch tensor.

    Examples:
        >>> import numpy as np
        >>> fig, ax = plot_integrated_spectrum(np.random.default_rng(0).random((16, 16)))
        >>> ax.get_xlabel()
        '$f_x$ (cycles/pixel)'
        >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import numpy as np
    import torch

    from lpf.fsds import integrated_spectrum

    if is_map:
        m = _array(image_or_map, "image_or_map").astype(float)
        if m.ndim != 2:
            raise ValueError(f"a magnitude map must be 2-D, got shape {m.shape}.")
        width = 2 * (m.shape[1] - 1)
    else:
        img = _image_array(image_or_map, "image_or_map")
        chw = img[None] if img.ndim == 2 else np.moveaxis(img[..., :3], -1, 0)
        m = integrated_spectrum(torch.from_numpy(np.ascontiguousarray(chw))).magnitude_map()
        m = m.mean(axis=0)
        width = chw.shape[-1]
    h = m.shape[0]
    fy = (np.arange(h) - h // 2) / h
    fx = np.arange(m.shape[1]) / width
    fig, ax = _figure_and_axes(ax)
    contours = ax.contour(fx, fy, np.log10(np.maximum(m, 1e-12)), levels=levels, cmap=cmap,
                          linewidths=0.8)
    ax.set_xlabel("$f_x$ (cycles/pixel)")
    ax.set_ylabel("$f_y$ (cycles/pixel)")
    if colorbar:
        fig.colorbar(contours, ax=ax, shrink=0.8, label="log10 |D|")
    if title:
        ax.set_title(title)
    return fig, ax


# ---------------------------------------------------------------------------------------------
# images and curves


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
    import numpy as np

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
        arr = _image_array(image, f"images[{i}]")
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
    smooth: int = 1,
    label: str | None = None,
    color: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    fmt: str = "{x:.3g}, {y:.4g}",
    reference: tuple[float, float, str] | None = None,
    title: str | None = None,
):
    """A curve with its maximum marked; optionally smoothed, the raw values drawn faintly behind.

    With ``smooth > 1`` the raw curve is drawn thin and transparent and the
    :func:`lpf.experiments.moving_average` of length ``smooth`` (the paper's Fig. 8 uses 10) on
    top, where its window is complete; the maximum of the smoothed curve
    (:func:`lpf.experiments.find_optimum`) is marked with a star and annotated with ``fmt``.
    A ``reference`` point (e.g. the paper's reported optimum) is drawn as a black diamond with
    its label.

    Args:
        x: abscissae, ``(K,)``.
        y: values, ``(K,)``.
        ax: the axes to draw on (default: a new figure).
        smooth: moving-average length (1: none).
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
        ValueError: ``x`` and ``y`` of different lengths, or ``smooth < 1``.
        TypeError: a torch tensor.

    Examples:
        >>> import numpy as np
        >>> x = np.linspace(0, 1, 21)
        >>> fig, ax = plot_curve_with_optimum(x, -(x - 0.4) ** 2, smooth=3, label="psnr")
        >>> len(ax.get_lines()) >= 3  # raw, smoothed, optimum marker
        True
        >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    from lpf.experiments import find_optimum, moving_average

    xs = _array(x, "x").astype(float).reshape(-1)
    ys = _array(y, "y").astype(float).reshape(-1)
    if xs.shape != ys.shape:
        raise ValueError(f"`x` and `y` must have the same length, got {xs.size} and {ys.size}.")
    fig, ax = _figure_and_axes(ax)
    if smooth > 1:
        (raw,) = ax.plot(xs, ys, lw=0.8, alpha=0.35, color=color)
        color = raw.get_color()
        shown = moving_average(ys, smooth)
        # draw the average only where its window is complete (no kinks from shrinking windows)
        full = slice(smooth // 2, max(smooth // 2 + 1, xs.size - (smooth - smooth // 2) + 1))
        ax.plot(xs[full], shown[full], color=color,
                label=f"{label} (moving avg. {smooth})" if label else None)
    else:
        shown = moving_average(ys, 1)
        ax.plot(xs, shown, color=color, label=label)
    best = find_optimum(xs, shown)
    ax.plot([best.x], [best.value], marker="*", ms=11, color="tab:red", ls="none",
            label=f"optimum ({fmt.format(x=best.x, y=best.value)})")
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


# ---------------------------------------------------------------------------------------------
# impulse responses (Figs. 1, 9, 10, 15, 16; `lpf impulse`)

#: Colormap of raw impulse responses: diverging, centred at 0 (blue negative lobes, red positive).
RAW_CMAP = "RdBu_r"
#: Colormap of display-clamped responses (values in [0, 1]): the paper's jet.
DISPLAY_CMAP = "jet"


def _response_map(response: Any, name: str = "response") -> np.ndarray:
    """A response as a 2-D float64 map: ``(H, W)`` or the channel mean of ``(C, H, W)``."""
    import numpy as np

    arr = _array(response, name).astype(np.float64)
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
    import numpy as np

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
        fig, ax = _figure_and_axes(ax)
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
    import numpy as np

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


def plot_impulse_profile(response: Any, ax=None, *, fit=None, label: str = "response"):
    """The central profile of an impulse response, with an optional fitted windowed sinc.

    The profile is the mean of the row and the column through the peak of the channel mean
    (:func:`lpf.impulse.sinc_likeness`'s ``p(d)``), against the offset from the peak in HR pixels.

    Args:
        response: ``(H, W)`` or ``(C, H, W)`` NumPy array.
        ax: axes to draw on; default a new figure.
        fit: a :class:`lpf.impulse.SincLikeness`; its windowed sinc is overlaid (amplitude by
            least squares).
        label: legend label of the profile.

    Returns:
        ``(fig, ax)``.

    Examples:
        >>> import numpy as np
        >>> x = np.arange(-8, 9)
        >>> fig, ax = plot_impulse_profile(np.outer(np.sinc(x / 4), np.sinc(x / 4)))
        >>> len(ax.lines) >= 2
        True
        >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import numpy as np

    h = _response_map(response)
    fig, ax = _figure_and_axes(ax)
    r, c = np.unravel_index(int(np.argmax(h)), h.shape)
    lo, hi = min(r, c), min(h.shape[0] - 1 - r, h.shape[1] - 1 - c)
    d = np.arange(-lo, hi + 1)
    prof = 0.5 * (h[r, c - lo:c + hi + 1] + h[r - lo:r + hi + 1, c])
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.plot(d, prof, "o-", ms=3, label=label)
    if fit is not None:
        import torch

        from lpf import kernels

        x = torch.from_numpy((d - fit.centre).astype(np.float64))
        f = torch.sinc(2 * fit.cutoff * x)
        if np.isfinite(fit.half_width):
            f = f * kernels.window_fn(fit.window, x, half_width=fit.half_width)
        f = f.numpy()
        amp = float(f @ prof) / float(f @ f) if float(f @ f) > 0 else 0.0
        ax.plot(d, amp * f, "--", label=f"{fit.window} sinc, fc={fit.cutoff:.3f}")
    ax.set_xlabel("offset from peak (HR pixels)")
    ax.legend(fontsize="small")
    return fig, ax


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
    import numpy as np

    if not ranks:
        raise ValueError("`ranks` is empty: pass {column: {method: rank}}.")
    fig, ax = _figure_and_axes(ax, figsize=(max(4.0, 0.9 * len(ranks) + 2.5), 4.5))
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
    fig, ax = _figure_and_axes(ax, figsize=(5, 4))
    ax.scatter(x, y, s=22, c=list(colors) if colors is not None else "C0", zorder=3)
    for xi, yi, text in zip(x, y, labels, strict=True):
        ax.annotate(text, (xi, yi), xytext=(4, 3), textcoords="offset points", fontsize=7)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return fig, ax


def write_text(text: str, filename: str, *, out_dir: str | os.PathLike) -> Path:
    """Write a table or note as ``out_dir/filename`` (e.g. ``"table1.md"``), atomically.

    Args:
        text: the content (UTF-8).
        filename: the file name with its suffix (no folders).
        out_dir: the folder to write into (created if needed).

    Returns:
        The written path.

    Raises:
        ValueError: ``filename`` contains a folder.

    Examples:
        >>> import tempfile
        >>> write_text("| a |", "t.md", out_dir=tempfile.mkdtemp()).read_text()
        '| a |'
    """
    if Path(filename).name != filename:
        raise ValueError(f"`filename` must be a bare file name, got {filename!r}.")
    path = Path(out_dir) / filename
    _atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return path


# ------------------------------------------------------------------------------------------------
# HyRA panels (paper Figs. 4, 14, 19)

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
    import numpy as np

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
            data = _array(panel["data"], f"rows[{i}][{j}]['data']").astype(float)
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
                          extent=_freq_extent(h, w), origin="lower", interpolation="nearest")
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
    import numpy as np

    x = _array(iterations, "iterations").astype(float)
    if not series:
        raise ValueError("`series` is empty.")
    fig, ax = _figure_and_axes(ax)
    for label, values in series.items():
        y = _array(values, f"series[{label!r}]").astype(float)
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
