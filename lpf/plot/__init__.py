"""Figures: one style, one ``savefig``, and plot functions that draw arrays and results.

Plot functions take ``ax=None`` and return ``(fig, ax)``; they never show, save or compute (a
spectrum, a fit or an optimum is computed by :mod:`lpf.signal`, :mod:`lpf.analysis` or a study and
passed in). They take NumPy arrays.

- :mod:`lpf.plot.style`    :func:`style` (a context manager), :func:`savefig` (PNG + PDF, atomic;
  refuses a figure whose text runs off the canvas: :func:`check_text_inside`)
- :mod:`lpf.plot.spectra`  kernels, frequency responses, spectra, radial profiles, image grids
- :mod:`lpf.plot.impulse`  impulse responses: maps, grids, profiles
- :mod:`lpf.plot.hyra`     HyRA grids, training evolution
- :mod:`lpf.plot.tables`   rank charts, labelled scatter plots
- :mod:`lpf.plot.audit`    the FSDS metric audit (ext03)
- :mod:`lpf.plot.losses`   training-loss studies: paired differences over seeds (ext04)

``write_json``/``write_text`` (from :mod:`lpf._io`) are re-exported for the notebooks.
"""

from lpf._io import write_json, write_text
from lpf.plot.audit import plot_fsds_audit
from lpf.plot.hyra import HYRA_KINDS, plot_hyra_grid, plot_training_evolution
from lpf.plot.impulse import (
    DISPLAY_CMAP,
    RAW_CMAP,
    plot_impulse_grid,
    plot_impulse_profile,
    plot_impulse_response,
)
from lpf.plot.losses import plot_ext04, plot_paired_deltas
from lpf.plot.spectra import (
    image_grid,
    plot_curve_with_optimum,
    plot_frequency_responses,
    plot_integrated_spectrum,
    plot_kernels,
    plot_radial_profiles,
    plot_spectrum,
)
from lpf.plot.style import (
    PAPER_CMAP,
    STYLE,
    TextOutsideFigureError,
    check_text_inside,
    savefig,
    style,
)
from lpf.plot.tables import plot_labeled_scatter, plot_rank_chart

__all__ = [
    "DISPLAY_CMAP",
    "HYRA_KINDS",
    "PAPER_CMAP",
    "RAW_CMAP",
    "STYLE",
    "TextOutsideFigureError",
    "check_text_inside",
    "image_grid",
    "plot_curve_with_optimum",
    "plot_ext04",
    "plot_frequency_responses",
    "plot_fsds_audit",
    "plot_hyra_grid",
    "plot_impulse_grid",
    "plot_impulse_profile",
    "plot_impulse_response",
    "plot_integrated_spectrum",
    "plot_kernels",
    "plot_labeled_scatter",
    "plot_paired_deltas",
    "plot_radial_profiles",
    "plot_rank_chart",
    "plot_spectrum",
    "plot_training_evolution",
    "savefig",
    "style",
    "write_json",
    "write_text",
]
