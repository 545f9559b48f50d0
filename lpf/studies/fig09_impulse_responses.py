"""Figure 9: impulse responses of SR networks next to the 2-D sinc (Sec. 5.2).

:func:`compute` measures the x``scale`` impulse response (P-IR: an 11x11 impulse image) of each
available network of ``models`` (zoo names, checkpoint paths or TorchScript files), raw and in
the paper's display protocol (clamped), places them in the paper's 3x4 grid (the paper's network,
else the kit network of the same architecture, else another available network), measures their
sinc-likeness (:func:`lpf.analysis.sinc.sinc_likeness`) and correlation with the ideal sinc
(:func:`lpf.analysis.sinc.sinc_correlation`), and compares them with the paper's published
bitmaps when that folder exists. :func:`lpf.plot.impulse.plot_impulse_responses` draws it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lpf._checks import check_scale
from lpf.analysis.impulse import impulse_image, impulse_response_paper
from lpf.analysis.sinc import shape_correlation, sinc_correlation
from lpf.data import read_image
from lpf.studies._common import Result, available_models, check_profile, choose, load_models
from lpf.studies._impulse import (
    SINC_MODEL,
    check_model_list,
    check_positive_int,
    likeness_row,
    load_one,
    raw_response,
    training_of,
)

__all__ = [
    "BASELINE_CHANGES",
    "CLAIM",
    "DEFINITIONS",
    "FULL_MODELS",
    "PAPER_GRID",
    "SMOKE_MODELS",
    "SUBSTITUTES",
    "Fig09ImpulseResponsesResult",
    "compute",
    "grid_slots",
    "read_reference_responses",
]

_CHANGED = "correlation with the ideal sinc (lpf.analysis.sinc.sinc_correlation), not with the " \
           "sinc-lpf model's response"
#: keys of the baseline JSON (recorded with ../shared beside the repository) whose values
#: depend on ../shared: compared only where it is present.
NEEDS_SHARED: dict[str, str] = {
    'reference_dir_found': "the paper's bitmaps exist only in ../shared/reference",
    'models.bicubic-matlab.paper_correlation': "needs the paper's bitmaps (../shared/reference)",
    'models.bicubic-matlab.paper_reference': "needs the paper's bitmaps (../shared/reference)",
    'models.edsr-liif.paper_correlation': "needs the paper's bitmaps (../shared/reference)",
    'models.edsr-liif.paper_reference': "needs the paper's bitmaps (../shared/reference)",
    'models.rdn-kit.paper_correlation': "needs the paper's bitmaps (../shared/reference)",
    'models.rdn-kit.paper_reference': "needs the paper's bitmaps (../shared/reference)",
}

#: the sinc correlations are now THE one (lpf.analysis.sinc.sinc_correlation, issue 11 rule 3)
BASELINE_CHANGES: dict[str, str] = {
    **{f"models.{m}.{key}": _CHANGED for m in ("bicubic-matlab", "edsr-liif", "rdn-kit")
       for key in ("sinc_correlation_raw", "sinc_correlation_display")},
    "ranking_by_sinc_correlation": "follows the new sinc correlation",
    "definitions.sinc_correlation_raw": "names the one sinc correlation",
    "definitions.sinc_correlation_display": "names the one sinc correlation",
}

#: every network of the full profile (those whose weights are here are used)
FULL_MODELS = ["edsr-liif", "edsr-kit", "rdn-kit", "rcan-kit", "swinir-kit", "imdn", "carn-m",
               "rfdn", "rlfn", "bsrn", "safmn", "espcn-y", "fsrcnn-y", "bicubic-matlab"]
#: the smoke profile's networks: the paper's EDSR-LIIF, a kit RDN, and the bicubic reference
SMOKE_MODELS = ["edsr-liif", "rdn-kit", "bicubic-matlab"]
#: the paper's 3x4 grid (pptx "Impulse_Responses")
PAPER_GRID = ["edsr", "edsr-liif", "edsr-opesr", "edsr-lte", "rdn", "rdn-liif", "rdn-metasr",
              "rdn-opesr", "swinir", "swinir-lte", "rcan", "bicubic"]
#: paper network -> the kit's network of the same architecture
SUBSTITUTES = {"edsr": "edsr-kit", "rdn": "rdn-kit", "swinir": "swinir-kit", "rcan": "rcan-kit",
               "bicubic": "bicubic-matlab"}

CLAIM = ("L1-trained networks have sinc-like impulse responses with negative side lobes; "
         "bicubic is a smooth blob")
DEFINITIONS = {
    "side_lobe_level": "first side lobe / peak on the central profile (ideal sinc -0.217)",
    "sinc_correlation_raw": "normalised correlation of the raw response with the ideal separable "
                            "sinc on the same grid (lpf.analysis.sinc.sinc_correlation)",
    "sinc_correlation_display": "the same for the clamped responses (paper protocol)",
    "paper_correlation": "normalised correlation of the clamped response with the paper's "
                         "bitmap of the same network (or architecture, for kit-trained nets)",
    "windowed_sinc_distance": "relative L2 residual of the best windowed-sinc fit",
    "ideal_sinc_distance": "relative L2 residual of the ideal (unwindowed) sinc fit",
}


@dataclasses.dataclass
class Fig09ImpulseResponsesResult(Result):
    """The networks' responses in the paper's grid, with their sinc-likeness.

    Attributes:
        claim, scale, size: the figure's claim and parameters.
        paper_grid: the paper's slots in order.
        grid: ``[{"paper_slot", "model"}]`` in drawing order (``paper_slot`` None: an extra).
        models: per network label: its slot, training, side lobe, main-lobe width, fit
            distances and window, sinc correlations (raw, display), paper bitmap correlation.
        ranking_by_sinc_correlation: labels, most to least sinc-like (raw).
        reference_dir_found: whether the paper's bitmaps were read.
        not_available: labels of ``models`` whose weights are not here.
        reference_dir: the bitmap folder (for the figure's note).
        image, sinc, sinc_display, raw, display, references: the arrays drawn (not in the JSON).
    """

    _arrays = ("image", "sinc", "sinc_display", "raw", "display", "references", "reference_dir")

    claim: str
    scale: int
    size: int
    paper_grid: list[str]
    grid: list[dict[str, str | None]]
    models: dict[str, dict[str, Any]]
    ranking_by_sinc_correlation: list[str]
    reference_dir_found: bool
    not_available: list[str]
    definitions: dict[str, str]
    reference_dir: str
    image: np.ndarray
    sinc: np.ndarray
    sinc_display: np.ndarray
    raw: dict[str, np.ndarray]
    display: dict[str, np.ndarray]
    references: dict[str, np.ndarray]


def read_reference_responses(
    folder: str | Any, names: Sequence[str], *, scale: int = 4
) -> dict[str, np.ndarray]:
    """Read published impulse-response bitmaps ``<name>_x<scale>.png`` from a folder, if any.

    For comparing a model's response with a paper's figure (e.g. the slide-deck bitmaps of Fig.
    9). Missing files, or a missing folder, are skipped silently: the result holds only the names
    found, so notebooks can take an optional reference folder.

    Args:
        folder: the folder (str or path-like).
        names: bitmap stems to look for (e.g. ``["edsr-liif", "rdn"]``).
        scale: the scale in the file names.

    Returns:
        ``{name: (H, W) float64 array in [0, 1]}`` (channel mean of the image) for the files found.

    Examples:
        >>> read_reference_responses("/nonexistent", ["edsr"])
        {}
    """
    scale = check_scale(scale)
    root = Path(folder)
    found: dict[str, np.ndarray] = {}
    if not root.is_dir():
        return found
    for name in names:
        path = root / f"{name}_x{scale}.png"
        if path.is_file():
            img = np.asarray(read_image(path), dtype=np.float64) / 255.0
            found[name] = img.mean(-1) if img.ndim == 3 else img
    return found


def grid_slots(labels: Sequence[str], paper_grid: Sequence[str],
               substitutes: Mapping[str, str]) -> list[tuple[str | None, str]]:
    """``[(paper slot or None, label)]``: the networks placed in the paper's grid.

    Each slot gets the paper's network, else its kit substitute, else the next unused network;
    the networks left over follow as extras.

    Examples:
        >>> grid_slots(["rdn-kit", "imdn"], ["edsr", "rdn"], {"rdn": "rdn-kit"})
        [('edsr', 'imdn'), ('rdn', 'rdn-kit')]
    """
    slots: list[list[Any]] = []
    used: set[str | None] = set()
    for paper_name in paper_grid:
        own = paper_name if paper_name in labels else substitutes.get(paper_name)
        slots.append([paper_name, own if own in labels and own not in used else None])
        used.add(slots[-1][1])
    extras = [m for m in labels if m not in used]
    for slot in slots:
        if slot[1] is None and extras:
            slot[1] = extras.pop(0)
    slots += [[None, m] for m in extras]
    return [(p, m) for p, m in slots if m is not None]


def compute(*, profile: str = "full", models: Sequence[str | os.PathLike] | None = None,
            scale: int = 4, size: int = 11, paper_grid: Sequence[str] | None = None,
            substitutes: Mapping[str, str] | None = None,
            reference_dir: str | os.PathLike = "../../shared/reference/paper_impulse_responses",
            seed: int = 0, device: str = "cpu") -> Fig09ImpulseResponsesResult:
    """The impulse responses of Fig. 9.

    Args:
        profile: ``"full"`` or ``"smoke"``: the default ``models`` of each.
        models: zoo names, checkpoint paths or TorchScript files; ``None``: the profile's
            (:data:`FULL_MODELS`, :data:`SMOKE_MODELS`). Zoo networks whose weights are not here
            are skipped (listed in ``not_available``).
        scale: the upscaling factor.
        size: the side of the LR impulse image.
        paper_grid: the paper's slots (default :data:`PAPER_GRID`).
        substitutes: paper network -> network of the same architecture (:data:`SUBSTITUTES`).
        reference_dir: folder of the paper's bitmaps ``<slot>_x<scale>.png`` (optional).
        seed: unused by the computation (deterministic); part of every study's interface.
        device: torch device of the networks.

    Raises:
        ValueError: an unknown profile, a bad ``scale`` or ``size`` (named), no model here.
        KeyError: an unknown model name (naming ``models``).
        FileNotFoundError: a checkpoint path that does not exist.
    """
    check_profile(profile)
    scale = check_scale(scale)
    size = check_positive_int(size, "size")
    wanted = check_model_list(choose(profile, models, full=FULL_MODELS, smoke=SMOKE_MODELS),
                              "models")
    paper_grid = list(PAPER_GRID if paper_grid is None else paper_grid)
    substitutes = dict(SUBSTITUTES if substitutes is None else substitutes)
    here, missing = available_models(wanted, scale=scale)
    if not here:
        raise ValueError(f"parameter `models`: none of {wanted!r} is available here (x{scale}).")
    nets = load_models(here, scale=scale, device=device)
    training = {label: training_of(m) for label, m in zip(nets, here, strict=True)}
    grid = grid_slots(list(nets), paper_grid, substitutes)

    _, sinc_net = load_one(SINC_MODEL, scale=scale, device="cpu", parameter="scale")
    sinc = raw_response(sinc_net, scale=scale, size=size)
    sinc_display = impulse_response_paper(sinc_net, scale=scale).mean(0).numpy()
    refs = read_reference_responses(reference_dir, paper_grid, scale=scale)
    raw, display, rows = {}, {}, {}
    for paper_name, m in grid:
        net = nets[m]
        raw[m] = raw_response(net, scale=scale, size=size)
        display[m] = impulse_response_paper(net, scale=scale).cpu().mean(0).numpy()
        row = likeness_row(raw[m], scale=scale)
        same = m == paper_name or substitutes.get(paper_name) == m
        ref = paper_name if same and paper_name in refs else None
        rows[m] = {
            "paper_slot": paper_name,
            "same_network_as_slot": m == paper_name,
            "same_architecture_as_slot": same,
            "training": training[m],
            **{k: row[k] for k in ("side_lobe_level", "side_lobe_negative", "main_lobe_width",
                                   "windowed_sinc_distance", "ideal_sinc_distance", "window")},
            "sinc_correlation_raw": row["sinc_correlation"],
            "sinc_correlation_display": sinc_correlation(display[m], scale=scale),
            "paper_reference": ref,
            "paper_correlation": None if ref is None else shape_correlation(display[m], refs[ref]),
        }
    ranking = sorted(rows, key=lambda m: -rows[m]["sinc_correlation_raw"])
    return Fig09ImpulseResponsesResult(
        claim=CLAIM, scale=scale, size=size, paper_grid=paper_grid,
        grid=[{"paper_slot": p, "model": m} for p, m in grid], models=rows,
        ranking_by_sinc_correlation=ranking, reference_dir_found=bool(refs),
        not_available=missing, definitions=dict(DEFINITIONS), reference_dir=str(reference_dir),
        image=impulse_image(size).mean(0).numpy(), sinc=sinc, sinc_display=sinc_display,
        raw=raw, display=display, references=refs)
