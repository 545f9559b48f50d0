"""Figure 15: spatial (shift) invariance of the impulse response (Appx. C.2).

:func:`compute` moves the impulse by LR offsets (odd and even: every phase of internal stride-2
or stride-4 processing) on a canvas with room for the largest one, for each of ``models`` (zoo
names, checkpoint paths or TorchScript files), and measures the error after shifting each
response back: relative L2 (:func:`lpf.analysis.invariance.shift_invariance`) and the largest
absolute difference relative to the peak. :func:`lpf.plot.impulse.plot_shift_invariance` draws
it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from lpf._checks import check_scale
from lpf.analysis.invariance import shift_invariance
from lpf.studies._common import Result, available_models, check_profile, choose, load_models
from lpf.studies._impulse import check_model_list, check_positive_int, raw_response

__all__ = ["BASELINE_CHANGES", "CLAIM", "DEFINITIONS", "FULL_OFFSETS", "MODELS", "SMOKE_OFFSETS",
           "Fig15ShiftInvarianceResult", "check_offsets", "compute", "invariance_of"]

#: keys whose values changed on purpose
BASELINE_CHANGES: dict[str, str] = {
    "definitions.relative_l2_errors": "names the new module path of shift_invariance",
}

#: the networks (the paper's text: RDN) and the sinc low-pass filter as a linear reference
MODELS = ["rdn-kit", "sinc-lpf"]
#: LR offsets (dy, dx) of the full profile: odd and even, both signs
FULL_OFFSETS = [[0, 1], [1, 0], [1, 1], [2, 2], [3, -1], [-2, 3]]
#: the smoke profile's offsets
SMOKE_OFFSETS = [[0, 1], [1, 1], [-2, 3]]

CLAIM = ("the impulse response moves with the impulse and keeps its shape "
         "(small error after shifting back)")
DEFINITIONS = {
    "relative_l2_errors": "||shifted-back response - reference|| / ||reference|| over the "
                          "common region (lpf.analysis.invariance.shift_invariance)",
    "abs_errors_over_peak": "max |shifted-back response - reference| / max |reference|",
}


@dataclasses.dataclass
class Fig15ShiftInvarianceResult(Result):
    """Shift errors per model and offset.

    Attributes:
        claim, scale, size: the figure's claim and parameters.
        canvas: the LR canvas side (``size`` plus the largest offset on each side).
        results: per label: offsets, relative L2 errors and their max, absolute errors over the
            peak and their max.
        responses: ``{label: {(dy, dx): raw response}}`` (``(0, 0)``: the reference);
        overlays: ``{label: the sum of its responses}``: not in the JSON.
    """

    _arrays = ("responses", "overlays")

    claim: str
    scale: int
    size: int
    canvas: int
    results: dict[str, dict[str, Any]]
    definitions: dict[str, str]
    responses: dict[str, dict[tuple[int, int], np.ndarray]]
    overlays: dict[str, np.ndarray]

    @property
    def offsets(self) -> list[tuple[int, int]]:
        """The offsets probed, in order."""
        first = next(iter(self.results.values()))
        return [tuple(o) for o in first["offsets"]]

    @property
    def centre(self) -> int:
        """The LR pixel of the reference impulse."""
        return self.canvas // 2


def check_offsets(offsets: object) -> list[tuple[int, int]]:
    """``offsets`` as ``[(dy, dx)]`` int pairs, at least one; else ``ValueError`` naming it."""
    try:
        offs = [(int(o[0]), int(o[1])) for o in offsets if len(o) == 2
                and all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in o)]
        ok = bool(offs) and len(offs) == len(offsets)
    except TypeError:
        ok = False
    if not ok:
        raise ValueError(f"parameter `offsets` must be a non-empty list of [dy, dx] int pairs, "
                         f"got {offsets!r}.")
    return offs


def invariance_of(net: Any, *, scale: int, size: int,
                  offsets: Sequence[tuple[int, int]]) -> tuple[dict[str, Any], dict]:
    """``(row, responses)`` of one model: its errors (the JSON row) and its responses."""
    inv = shift_invariance(net, scale=scale, offsets=offsets, size=size)
    canvas = size + 2 * max(max(abs(dy), abs(dx)) for dy, dx in offsets)
    p0 = canvas // 2
    resp = {o: raw_response(net, scale=scale, size=canvas, position=(p0 + o[0], p0 + o[1]))
            for o in [(0, 0), *offsets]}
    ref = resp[(0, 0)]
    peak = float(np.abs(ref).max())
    abs_errors = [float(np.abs(np.roll(resp[o], (-scale * o[0], -scale * o[1]), axis=(0, 1))
                               - ref).max()) / peak for o in offsets]
    row = {
        "offsets": [list(o) for o in offsets],
        "relative_l2_errors": list(inv.errors),
        "max_relative_l2_error": inv.max_error,
        "max_abs_error_over_peak": max(abs_errors),
        "abs_errors_over_peak": abs_errors,
    }
    return row, resp


def compute(*, profile: str = "full", models: Sequence[str | os.PathLike] | None = None,
            scale: int = 4, size: int = 11, offsets: Sequence[Sequence[int]] | None = None,
            seed: int = 0, device: str = "cpu") -> Fig15ShiftInvarianceResult:
    """The shift-invariance test of Fig. 15.

    Args:
        profile: ``"full"`` or ``"smoke"``: the default ``offsets`` of each.
        models: zoo names, checkpoint paths or TorchScript files; ``None``: :data:`MODELS`.
        scale: the upscaling factor.
        size: the reference window (LR pixels); the canvas adds the largest offset on each side.
        offsets: LR offsets ``[dy, dx]``; ``None``: the profile's (:data:`FULL_OFFSETS`,
            :data:`SMOKE_OFFSETS`).
        seed: unused by the computation (deterministic); part of every study's interface.
        device: torch device of the networks.

    Raises:
        ValueError: an unknown profile, a bad ``scale``/``size``/``offsets`` (named).
        KeyError: an unknown model name (naming ``models``).
        FileNotFoundError: a checkpoint path that does not exist, or weights not here.
    """
    check_profile(profile)
    scale = check_scale(scale)
    size = check_positive_int(size, "size")
    offs = check_offsets(choose(profile, offsets, full=FULL_OFFSETS, smoke=SMOKE_OFFSETS))
    wanted = check_model_list(MODELS if models is None else models, "models")
    here, missing = available_models(wanted, scale=scale)
    if missing:
        raise FileNotFoundError(f"parameter `models`: the weights of {missing!r} at x{scale} "
                                "are not on this machine (`lpf fetch`).")
    nets = load_models(here, scale=scale, device=device)
    results, responses = {}, {}
    for name, net in nets.items():
        results[name], responses[name] = invariance_of(net, scale=scale, size=size, offsets=offs)
    canvas = size + 2 * max(max(abs(dy), abs(dx)) for dy, dx in offs)
    return Fig15ShiftInvarianceResult(
        claim=CLAIM, scale=scale, size=size, canvas=canvas, results=results,
        definitions=dict(DEFINITIONS), responses=responses,
        overlays={name: np.sum(list(resp.values()), axis=0) for name, resp in responses.items()})
