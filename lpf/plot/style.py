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
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from lpf._checks import LpfError
from lpf._io import atomic_path

if TYPE_CHECKING:  # pragma: no cover
    pass

__all__ = [
    "PAPER_CMAP",
    "TextOutsideFigureError",
    "check_text_inside",
    "savefig",
    "STYLE",
    "style",
]

STYLE = Path(__file__).with_name("paper.mplstyle")

#: The paper's spectrum colours: matplotlib's reversed "Blues" (the official HyRA code's choice):
#: dark blue for small amplitudes, white for large ones.
PAPER_CMAP = "Blues_r"

#: how far (display pixels at the figure's dpi) a text may reach past the figure's edge: rounding
TEXT_TOLERANCE_PX = 1.0


class TextOutsideFigureError(LpfError, ValueError):
    """A figure's text runs past the figure's edge: it would be cut off in the saved file.

    Attributes:
        texts: ``[(text, how far past the edge in pixels, which edges)]``.
    """

    def __init__(self, message: str, texts: list[tuple[str, float, str]]):
        super().__init__(message)
        self.texts = texts


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


def _visible_texts(fig) -> list:
    """The texts of ``fig`` under visible artists only (an invisible axes hides its titles)."""
    from matplotlib.text import Text

    found, stack, seen = [], [fig], set()
    while stack:
        artist = stack.pop()
        if id(artist) in seen or not artist.get_visible():
            continue
        seen.add(id(artist))
        if isinstance(artist, Text):
            found.append(artist)
        if getattr(artist, "name", None) == "3d":
            # a 3-D axes places its tick labels in its own projection while drawing and leaves
            # those of clipped ticks where they were: only its titles are checked
            stack.extend(t for t in (artist.title, artist._left_title, artist._right_title))
            continue
        children = artist.get_children()
        if getattr(artist, "axison", True) is False:  # ax.axis("off"): its axes are not drawn
            hidden = {id(a) for a in getattr(artist, "_axis_map", {}).values()}
            children = [c for c in children if id(c) not in hidden]
        stack.extend(children)
    return found


def _undrawn_tick_labels(fig) -> set[int]:
    """``id`` of the tick labels matplotlib does not draw (ticks outside the view interval)."""
    from matplotlib.axis import Axis

    skipped: set[int] = set()
    for axis in fig.findobj(Axis):
        ticks = axis.get_major_ticks() + axis.get_minor_ticks()
        drawn = {id(t) for t in axis._update_ticks()} if hasattr(axis, "_update_ticks") else None
        if drawn is None:
            continue
        for tick in ticks:
            if id(tick) not in drawn:
                skipped.update((id(tick.label1), id(tick.label2)))
    return skipped


def texts_outside(fig, *, tolerance: float = TEXT_TOLERANCE_PX) -> list[tuple[str, float, str]]:
    """The visible texts of ``fig`` that extend past its edges, after drawing it.

    Returns:
        ``[(text, overhang in pixels, edges)]`` (``edges`` e.g. ``"right, top"``), empty when
        every text fits. Texts clipped to their axes count with their clipped extent.
    """
    from matplotlib.transforms import Bbox

    fig.draw_without_rendering()  # lays the figure out (constrained layout) on any canvas
    box = fig.bbox
    undrawn = _undrawn_tick_labels(fig)
    out = []
    for text in _visible_texts(fig):
        if not text.get_text().strip() or id(text) in undrawn:
            continue
        ext = text.get_window_extent()
        clip = text.get_clip_box() if text.get_clip_on() else None
        if clip is not None:
            ext = Bbox.intersection(ext, clip)
            if ext is None:
                continue
        over = {"left": box.x0 - ext.x0, "right": ext.x1 - box.x1,
                "bottom": box.y0 - ext.y0, "top": ext.y1 - box.y1}
        bad = {k: v for k, v in over.items() if v > tolerance}
        if bad:
            out.append((text.get_text(), round(max(bad.values()), 1), ", ".join(bad)))
    return out


def check_text_inside(fig, name: str = "figure", *,
                      tolerance: float = TEXT_TOLERANCE_PX) -> None:
    """Raise :class:`TextOutsideFigureError` when a visible text of ``fig`` runs off its canvas.

    Draws the figure with its renderer and compares every visible text's window extent with the
    figure's bounding box (a title that runs off the canvas is cut off in the PNG and the PDF).

    Args:
        fig: a matplotlib figure.
        name: the figure's name, for the message.
        tolerance: pixels a text may reach past the edge.

    Raises:
        TextOutsideFigureError: naming the figure, each text and the edges it crosses.

    Examples:
        >>> import matplotlib.pyplot as plt
        >>> fig, ax = plt.subplots(figsize=(2, 2), layout="constrained")
        >>> _ = ax.set_title("fits")
        >>> check_text_inside(fig, "demo")
        >>> _ = ax.set_title("a title far too long for a two-inch figure, running off the canvas")
        >>> try:
        ...     check_text_inside(fig, "demo")
        ... except TextOutsideFigureError as err:
        ...     print(str(err).splitlines()[0])
        figure 'demo': 1 text(s) extend past the figure's edge (they would be cut off):
        >>> plt.close(fig)
    """
    bad = texts_outside(fig, tolerance=tolerance)
    if bad:
        w, h = fig.get_size_inches()
        lines = [f"  {t[:80]!r}: {px} px past the {edges} edge"
                 for t, px, edges in bad]
        raise TextOutsideFigureError(
            f"figure {name!r}: {len(bad)} text(s) extend past the figure's edge (they would be "
            f"cut off):\n" + "\n".join(lines)
            + f"\n(figure {w:.1f}x{h:.1f} in): shorten or wrap the text, or enlarge the figure.",
            bad)


def savefig(fig, name: str, *, out_dir: str | os.PathLike, formats=("png", "pdf"),
            check_text: bool = True) -> list[Path]:
    """Write ``fig`` as ``out_dir/name.png`` and ``out_dir/name.pdf``; return the paths.

    First checks that no visible text runs off the canvas (:func:`check_text_inside`): a clipped
    title is an error, and nothing is written. ``out_dir`` is created if needed. Each file is
    written to a temporary name and renamed, so an interrupted save leaves no partial file. PDFs are
    byte-stable when ``SOURCE_DATE_EPOCH`` is set (the Makefile sets it).

    Args:
        fig: a matplotlib figure.
        name: the file stem, e.g. ``"fig02_kernels"``.
        out_dir: the folder to write into (required: no environment fallback).
        formats: file formats to write.
        check_text: check that every text fits on the canvas (default True).

    Returns:
        The written paths.

    Raises:
        TextOutsideFigureError: a text of ``fig`` extends past its edge (named in the message).

    Examples:
        >>> import tempfile, matplotlib.pyplot as plt
        >>> fig, ax = plt.subplots()
        >>> paths = savefig(fig, "demo", out_dir=tempfile.mkdtemp())
        >>> [p.suffix for p in paths]
        ['.png', '.pdf']
        >>> plt.close(fig)
    """
    if check_text:
        check_text_inside(fig, name)
    out = Path(out_dir)
    paths = []
    for fmt in formats:
        path = out / f"{name}.{fmt}"
        with atomic_path(path, suffix=f".{fmt}") as tmp:
            fig.savefig(tmp, format=fmt)
        paths.append(path)
    return paths


# ---------------------------------------------------------------------------------------------
# helpers


# ---------------------------------------------------------------------------------------------
# kernels and frequency responses (Figs. 2, 17)


# ---------------------------------------------------------------------------------------------
# spectra (Figs. 4, 5, 6, 14, 18)


# ---------------------------------------------------------------------------------------------
# images and curves


# ---------------------------------------------------------------------------------------------
# impulse responses (Figs. 1, 9, 10, 15, 16; `lpf impulse`)


# ------------------------------------------------------------------------------------------------
# HyRA panels (paper Figs. 4, 14, 19)


