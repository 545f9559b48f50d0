"""Figure 9: impulse responses of SR networks next to the 2-D sinc (Sec. 5.2).

:func:`compute` measures the x``scale`` impulse response (P-IR: an 11x11 impulse image) of each
available network of ``models`` (zoo names, checkpoint paths or TorchScript files), raw and in
the paper's display protocol (clamped), places them in the paper's 3x4 grid, measures their
sinc-likeness (:func:`lpf.analysis.sinc.sinc_likeness`) and correlation with the ideal sinc
(:func:`lpf.analysis.sinc.sinc_correlation`), and compares them with the paper's published
bitmaps when a folder of them is given (they are not bundled: the official repository has no
licence). :func:`lpf.plot.impulse.plot_impulse_responses` draws it.

A slot gets the paper's network when its weights are here (EDSR-LIIF), else the first available
of its :data:`SUBSTITUTES`: a published network of the same family first (DAT-light, a real
window-attention transformer, for SwinIR), a kit-trained stand-in of the same architecture only
where nothing published exists (EDSR, RDN, RCAN; about 3 dB below the paper's networks). A
stand-in whose slot a published network fills is not drawn (``superseded``). The remaining slots
take the other published networks (``"in place of"``), then anything else; the rest follow as
extras. Each row of the JSON says its ``provenance`` and ``slot_role``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lpf._checks import check_scale
from lpf._paths import shared_dir
from lpf.analysis.impulse import impulse_image, impulse_response_paper
from lpf.analysis.sinc import shape_correlation, sinc_correlation
from lpf.data import read_image
from lpf.studies._common import Result, available_models, check_profile, choose, load_models
from lpf.studies._impulse import (
    ANALYTIC,
    PUBLISHED,
    SINC_MODEL,
    STAND_IN,
    check_model_list,
    check_positive_int,
    likeness_row,
    load_one,
    provenance_of,
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
    "default_reference_dir",
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
    "grid": "the smoke profile adds a shipped published network (carn-m, in the first free slot) "
            "so that the published-network claims run on every clone (issue 12, item 5)",
}

#: every network of the full profile (those whose weights are here are used): every published
#: network of the zoo with x4 weights offline (shipped in data/networks, EDSR-LIIF and DAT-light
#: after `lpf fetch`, IMDN where ../shared/assets exists), the kit-trained stand-ins of the
#: paper's EDSR, RDN, RCAN and SwinIR, and MATLAB bicubic. Not PAN: through the kit its x4
#: response to an impulse explodes (|h| ~ 1e13 while a grey image gives 0.5), so it says nothing
#: about the sinc.
FULL_MODELS = ["edsr-liif", "dat-light", "carn-m", "rfdn", "rlfn", "bsrn", "safmn", "imdn",
               "espcn-y", "fsrcnn-y", "fsrcnn-small-y", "edsr-kit", "rdn-kit", "rcan-kit",
               "swinir-kit", "bicubic-matlab"]
#: the smoke profile's networks: the paper's EDSR-LIIF, a shipped published network (CARN-M), a
#: kit-trained RDN stand-in, and the bicubic reference
SMOKE_MODELS = ["edsr-liif", "carn-m", "rdn-kit", "bicubic-matlab"]
#: the paper's 3x4 grid (pptx "Impulse_Responses")
PAPER_GRID = ["edsr", "edsr-liif", "edsr-opesr", "edsr-lte", "rdn", "rdn-liif", "rdn-metasr",
              "rdn-opesr", "swinir", "swinir-lte", "rcan", "bicubic"]
#: paper slot -> the networks that stand for it, in order of preference: a published network of
#: the same family (DAT-light: a real window-attention transformer, for SwinIR), then the kit's
#: network of the same architecture (a stand-in)
SUBSTITUTES: dict[str, str | list[str]] = {
    "edsr": "edsr-kit", "rdn": "rdn-kit", "swinir": ["dat-light", "swinir-kit"],
    "rcan": "rcan-kit", "bicubic": "bicubic-matlab"}
#: what the figure says when no bitmaps were read
NOT_BUNDLED = ("the paper's impulse-response bitmaps are not bundled (the official repository "
               "has no licence); to compare with them, pass reference_dir = a folder of "
               "<slot>_x{scale}.png (e.g. edsr-liif_x{scale}.png)")

CLAIM = ("L1-trained networks have sinc-like impulse responses with negative side lobes; "
         "bicubic is a smooth blob")
DEFINITIONS = {
    "side_lobe_level": "first side lobe / peak on the central profile (ideal sinc -0.217)",
    "sinc_correlation_raw": "normalised correlation of the raw response with the ideal separable "
                            "sinc on the same grid (lpf.analysis.sinc.sinc_correlation)",
    "sinc_correlation_display": "the same for the clamped responses (paper protocol)",
    "paper_correlation": "normalised correlation of the clamped response with the paper's "
                         "bitmap of the same network (or architecture, for kit-trained nets)",
    "provenance": "published (the authors' weights), kit-trained stand-in (a small network "
                  "the kit trained, ~3 dB below the paper's), analytic, or user file",
    "slot_role": "paper network (its own slot), substitute (same family or architecture), in "
                 "place of (another network in a free slot), extra (after the grid)",
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
        paper_bitmaps: where the bitmaps came from, or that they are not bundled and how to
            compare with them.
        slots: paper slot -> the network drawn in it (``"<model> (<provenance>)"``).
        published_networks, stand_ins: the labels drawn of each provenance.
        superseded: stand-ins not drawn, with the published network that took their slot.
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
    paper_bitmaps: str
    slots: dict[str, str]
    published_networks: list[str]
    stand_ins: list[str]
    superseded: dict[str, str]
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


def _candidates(slot: str, substitutes: Mapping[str, str | Sequence[str]]) -> list[str]:
    """The networks that may fill ``slot``: the paper's own, then its substitutes in order."""
    subs = substitutes.get(slot, [])
    return [slot] + ([subs] if isinstance(subs, str) else list(subs))


def grid_slots(labels: Sequence[str], paper_grid: Sequence[str],
               substitutes: Mapping[str, str | Sequence[str]]) -> list[tuple[str | None, str]]:
    """``[(paper slot or None, label)]``: the networks placed in the paper's grid.

    Each slot gets the paper's network, else the first of its substitutes (one name or a list in
    order of preference) among ``labels``; a later substitute of a filled slot is dropped (it is
    superseded). The networks left over fill the empty slots in the order of ``labels``, then
    follow as extras.

    Examples:
        >>> grid_slots(["rdn-kit", "imdn"], ["edsr", "rdn"], {"rdn": "rdn-kit"})
        [('edsr', 'imdn'), ('rdn', 'rdn-kit')]
        >>> grid_slots(["swinir-kit", "dat-light", "carn-m"], ["swinir", "rcan"],
        ...            {"swinir": ["dat-light", "swinir-kit"]})
        [('swinir', 'dat-light'), ('rcan', 'carn-m')]
    """
    slots: list[list[Any]] = []
    used: set[str] = set()
    dropped: set[str] = set()
    for paper_name in paper_grid:
        options = [m for m in _candidates(paper_name, substitutes) if m in labels and m not in used]
        slots.append([paper_name, options[0] if options else None])
        used.update(options[:1])
        dropped.update(options[1:])
    extras = [m for m in labels if m not in used and m not in dropped]
    for slot in slots:
        if slot[1] is None and extras:
            slot[1] = extras.pop(0)
    slots += [[None, m] for m in extras]
    return [(p, m) for p, m in slots if m is not None]


def default_reference_dir() -> Path | None:
    """The paper's bitmaps in the development folder (``<shared>/reference/...``), if present.

    They are not bundled with the kit (the official repository has no licence): ``None`` on a
    clone without that folder.
    """
    shared = shared_dir()
    if shared is None:
        return None
    folder = shared / "reference" / "paper_impulse_responses"
    return folder if folder.is_dir() else None


#: provenance -> its rank when free slots are filled (published networks first)
_RANK = {PUBLISHED: 0, STAND_IN: 2, ANALYTIC: 3}


def _role(model: str, paper_name: str | None, substitutes: Mapping) -> str:
    if paper_name is None:
        return "extra"
    if model == paper_name:
        return "paper network"
    return "substitute" if model in _candidates(paper_name, substitutes) else "in place of"


def compute(*, profile: str = "full", models: Sequence[str | os.PathLike] | None = None,
            scale: int = 4, size: int = 11, paper_grid: Sequence[str] | None = None,
            substitutes: Mapping[str, str | Sequence[str]] | None = None,
            reference_dir: str | os.PathLike | None = None,
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
        substitutes: paper slot -> the network(s) standing for it, in order of preference
            (:data:`SUBSTITUTES`).
        reference_dir: folder of the paper's bitmaps ``<slot>_x<scale>.png``; ``None``: the
            development folder's when present (:func:`default_reference_dir`). The bitmaps are
            not bundled; without them the figure says so and how to compare.
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
    provenance = {label: provenance_of(m) for label, m in zip(nets, here, strict=True)}
    labels = sorted(nets, key=lambda m: _RANK.get(provenance[m], 1))
    grid = grid_slots(labels, paper_grid, substitutes)
    placed = {m: p for p, m in grid}
    superseded = {m: next(placed_m for placed_m, p in placed.items() if p is not None
                          and m in _candidates(p, substitutes)) for m in nets if m not in placed}

    _, sinc_net = load_one(SINC_MODEL, scale=scale, device="cpu", parameter="scale")
    sinc = raw_response(sinc_net, scale=scale, size=size)
    sinc_display = impulse_response_paper(sinc_net, scale=scale).mean(0).numpy()
    folder = default_reference_dir() if reference_dir is None else reference_dir
    refs = {} if folder is None else read_reference_responses(folder, paper_grid, scale=scale)
    raw, display, rows = {}, {}, {}
    for paper_name, m in grid:
        net = nets[m]
        raw[m] = raw_response(net, scale=scale, size=size)
        display[m] = impulse_response_paper(net, scale=scale).cpu().mean(0).numpy()
        row = likeness_row(raw[m], scale=scale)
        same = paper_name is not None and m in _candidates(paper_name, substitutes)
        ref = paper_name if same and paper_name in refs else None
        rows[m] = {
            "paper_slot": paper_name,
            "same_network_as_slot": m == paper_name,
            "same_architecture_as_slot": same,
            "provenance": provenance[m],
            "slot_role": _role(m, paper_name, substitutes),
            "training": training[m],
            **{k: row[k] for k in ("side_lobe_level", "side_lobe_negative", "main_lobe_width",
                                   "windowed_sinc_distance", "ideal_sinc_distance", "window")},
            "sinc_correlation_raw": row["sinc_correlation"],
            "sinc_correlation_display": sinc_correlation(display[m], scale=scale),
            "paper_reference": ref,
            "paper_correlation": None if ref is None else shape_correlation(display[m], refs[ref]),
        }
    ranking = sorted(rows, key=lambda m: -rows[m]["sinc_correlation_raw"])
    bitmaps = (f"compared with the paper's bitmaps of {len(refs)} slots ({', '.join(refs)})"
               if refs else NOT_BUNDLED.format(scale=scale))
    return Fig09ImpulseResponsesResult(
        claim=CLAIM, scale=scale, size=size, paper_grid=paper_grid,
        grid=[{"paper_slot": p, "model": m} for p, m in grid], models=rows,
        ranking_by_sinc_correlation=ranking, reference_dir_found=bool(refs),
        paper_bitmaps=bitmaps,
        slots={p: f"{m} ({provenance[m]})" for p, m in grid if p is not None},
        published_networks=[m for _, m in grid if provenance[m] == PUBLISHED],
        stand_ins=[m for _, m in grid if provenance[m] == STAND_IN],
        superseded=superseded, not_available=missing, definitions=dict(DEFINITIONS),
        reference_dir="" if folder is None else str(folder),
        image=impulse_image(size).mean(0).numpy(), sinc=sinc, sinc_display=sinc_display,
        raw=raw, display=display, references=refs)
