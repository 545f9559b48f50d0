"""Claim checks of the local-linearisation extension (ext02, issue 13; beyond the paper).

The paper states its low-pass claim on one operating point (P-IR: amplitude 1 on black, Sec. 5.2,
Fig. 9); these checks state what the Jacobian says about the same networks on a photograph. The
linear control (bicubic) must behave as calculus says, so that the method itself can fail.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lpf.studies.claims._verdict import Verdict, verdict

__all__ = ["CLAIMS", "ext02_local_linearisation"]

#: the control's local responses equal its black-background impulse response to this (rel. L2)
CONTROL_TOLERANCE = 1e-4
#: the control's J(x) x reproduces its output to this (relative residual)
CONTROL_RESIDUAL = 1e-5
#: a network's local filter varies across the photograph: the p10-p90 spread of its side lobe
MIN_SIDE_LOBE_SPREAD = 0.02
#: the local filter on the photograph differs from the P-IR on black (median over the regions)
MIN_DISTANCE_TO_BLACK = 0.1
#: the P-IR (amplitude 1, black) differs from the Jacobian at black by at least this
MIN_PIR_VS_JACOBIAN = 0.1
#: J(x) x leaves at most this fraction of HyRA's residual G unexplained
MAX_JX_OVER_HYRA = 0.5
#: the maps' crop context changes the local responses by at most this (relative L2)
MAX_CONTEXT_ERROR = 0.1

SECTION = "ext02 (beyond the paper; cf. Sec. 5.2, Fig. 9 and Sec. 4.1 HyRA)"


def _r(x: Any) -> Any:
    return round(float(x), 4) if isinstance(x, int | float) else x


def _networks(data: Mapping[str, Any]) -> list[str]:
    return [m for m in data["models"] if m != data.get("control")]


def ext02_local_linearisation(data: Mapping[str, Any]) -> list[Verdict]:
    """The local filter of a linear model is its impulse response everywhere; a network's is not."""
    out: list[Verdict] = []
    control = data.get("control")
    if control is not None:
        dev = data["control_deviation"]
        out.append(verdict(
            f"control ({control}, linear): its local filter equals its black-background impulse "
            "response at every compared pixel", dev is not None and dev <= CONTROL_TOLERANCE,
            _r(dev), f"<= {CONTROL_TOLERANCE}", section=SECTION))
        res = data["decomposition"][control]["jx_residual"]
        out.append(verdict(
            f"control ({control}): J(x) x reproduces its output (Euler, no bias)",
            res <= CONTROL_RESIDUAL, _r(res), f"<= {CONTROL_RESIDUAL}", section=SECTION))
    nets = _networks(data)
    if not nets:
        return out
    side = {m: data["maps"][m]["side_lobe_level"] for m in nets}
    spread = {m: s["p90"] - s["p10"] for m, s in side.items()}
    out.append(verdict(
        "every network's local filter changes across the photograph (p90 - p10 of the side-lobe "
        "level over the map)", all(v >= MIN_SIDE_LOBE_SPREAD for v in spread.values()),
        {m: _r(v) for m, v in spread.items()}, f">= {MIN_SIDE_LOBE_SPREAD}", section=SECTION))
    dist = {m: sorted(data["regions"][m][k]["distance_to_black"] for k in data["regions"][m])
            for m in nets}
    med = {m: v[len(v) // 2] for m, v in dist.items()}
    out.append(verdict(
        "on the photograph (flat, edge, texture pixels) every network's local filter differs "
        "from its black-background P-IR (median relative L2)",
        all(v >= MIN_DISTANCE_TO_BLACK for v in med.values()), {m: _r(v) for m, v in med.items()},
        f">= {MIN_DISTANCE_TO_BLACK}", section=SECTION))
    pir = {m: data["black"][m]["pir_vs_jacobian"] for m in nets}
    out.append(verdict(
        "even on black, the paper's P-IR (amplitude 1) is not the network's linearisation there "
        "(relative L2 to the Jacobian at black)",
        all(v >= MIN_PIR_VS_JACOBIAN for v in pir.values()), {m: _r(v) for m, v in pir.items()},
        f">= {MIN_PIR_VS_JACOBIAN}", section=SECTION))
    ratio = {m: data["decomposition"][m]["jx_residual"]
             / max(data["decomposition"][m]["hyra_residual"], 1e-300) for m in nets}
    out.append(verdict(
        "J(x) x explains the SR output far better than HyRA's H (black-background kernel): "
        "||N - J x|| / ||G||", all(v <= MAX_JX_OVER_HYRA for v in ratio.values()),
        {m: _r(v) for m, v in ratio.items()}, f"<= {MAX_JX_OVER_HYRA}", section=SECTION))
    ctx = data["context_error"]
    out.append(verdict(
        f"the maps' crop context ({data['context']} LR pixels) changes the local responses "
        "little (relative L2 to the whole image at the region pixels)",
        all(v <= MAX_CONTEXT_ERROR for v in ctx.values()), {m: _r(v) for m, v in ctx.items()},
        f"<= {MAX_CONTEXT_ERROR}", section=SECTION))
    return out


CLAIMS = {"ext02_local_linearisation": ext02_local_linearisation}
