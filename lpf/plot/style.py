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

from lpf._io import atomic_path

if TYPE_CHECKING:  # pragma: no cover
    pass

__all__ = [
    "PAPER_CMAP",
    "savefig",
    "STYLE",
    "style",
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


