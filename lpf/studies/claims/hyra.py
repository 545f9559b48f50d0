"""Claim checks of the HyRA figures: Fig. 4 (Sec. 4.1), Fig. 14 (Appx. C.1), Fig. 19 (Appx. H).

Each function takes the figure's JSON (``lpf.studies.<stem>.compute(...).to_json()``) and returns
one :class:`Verdict` per claim. ``H + G == N(I)`` is not checked: G is defined as ``N(I) - H(I)``
(Eq. 8), so it holds by construction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lpf.studies.claims._verdict import Verdict, verdict

__all__ = ["CLAIMS", "fig04_hyra", "fig14_hyra_networks", "fig19_training_evolution"]

#: Fig. 4: H keeps less than this share of its energy above the LR Nyquist frequency
FIG04_LINEAR_MAX_FRACTION = 0.35
#: Fig. 4: H's replica peaks stand this many times above its median amplitude above Nyquist
FIG04_MIN_REPLICA_PROMINENCE = 10.0
#: Fig. 4: G's share above Nyquist is at least this many times H's
FIG04_NONLINEAR_OVER_LINEAR = 2.0
#: Figs. 4, 14: G's phase opposes H's at the replica bins (mean cosine at most this)
MAX_PHASE_OPPOSITION = -0.9
#: Fig. 4: N(I) keeps less than this share of H's replica amplitude
FIG04_MAX_REPLICA_SUPPRESSION = 0.5
#: Fig. 14: H is low-pass when less than this share of its energy lies above Nyquist
FIG14_LOW_PASS_MAX_FRACTION = 0.5
#: Fig. 14: "network-dependent strength": the largest share of H above Nyquist over the smallest
FIG14_MIN_SPREAD = 1.2
#: Fig. 14: the kit's paper mode reproduces the official HyRA example to this (max abs error)
FIG14_REFERENCE_TOLERANCE = 1e-4
#: Fig. 19: the first side lobe of the last snapshot's impulse response is below this (negative)
FIG19_MAX_SIDE_LOBE = 0.0

SEC_FIG4 = "Sec. 4.1, Fig. 4"
SEC_FIG14 = "Appx. C.1, Fig. 14"
SEC_FIG19 = "Appx. H, Fig. 19"


def _r(x: Any) -> Any:
    return round(float(x), 4) if isinstance(x, int | float) else x


def fig04_hyra(data: Mapping[str, Any]) -> list[Verdict]:
    """Fig. 4: H is low-pass with replica spots; G holds the high frequencies, cancels H's grid."""
    s = data["summary"]
    lin, nonlin = s["fraction_above_linear"], s["fraction_above_nonlinear"]
    return [
        verdict("H(I) is low-pass: little of its energy lies above the LR Nyquist frequency",
                lin < FIG04_LINEAR_MAX_FRACTION, _r(lin), f"< {FIG04_LINEAR_MAX_FRACTION}",
                section=SEC_FIG4),
        verdict("H(I) shows the replica spots of zero insertion (replica prominence)",
                s["replica_prominence_linear"] > FIG04_MIN_REPLICA_PROMINENCE,
                _r(s["replica_prominence_linear"]), f"> {FIG04_MIN_REPLICA_PROMINENCE}",
                section=SEC_FIG4),
        verdict("G(I) carries the high frequencies: its share above Nyquist is far larger than H's",
                nonlin > FIG04_NONLINEAR_OVER_LINEAR * lin,
                {"nonlinear": _r(nonlin), "linear": _r(lin)},
                f"nonlinear > {FIG04_NONLINEAR_OVER_LINEAR} x linear", section=SEC_FIG4),
        verdict("G's phase opposes H's at the replica spots (the phase compensates the distortion)",
                s["phase_opposition"] < MAX_PHASE_OPPOSITION, _r(s["phase_opposition"]),
                f"< {MAX_PHASE_OPPOSITION}", section=SEC_FIG4),
        verdict("so N(I) keeps little of H's grid (replica suppression)",
                s["replica_suppression"] < FIG04_MAX_REPLICA_SUPPRESSION,
                _r(s["replica_suppression"]), f"< {FIG04_MAX_REPLICA_SUPPRESSION}",
                section=SEC_FIG4),
    ]


def fig14_hyra_networks(data: Mapping[str, Any]) -> list[Verdict]:
    """Fig. 14: every H is low-pass, with a network-dependent strength; G adds high frequencies.

    With an EDSR among the networks, also the paper's "EDSR removes the most high frequency";
    with the official HyRA example, that the kit's paper mode reproduces it.
    """
    nets = data["networks"]
    lin = {n: s["fraction_above_linear"] for n, s in nets.items()}
    nonlin = {n: s["fraction_above_nonlinear"] for n, s in nets.items()}
    not_low = sorted(n for n, v in lin.items() if not v < FIG14_LOW_PASS_MAX_FRACTION)
    not_more = sorted(n for n in nets if not nonlin[n] > lin[n])
    spread = max(lin.values()) / max(min(lin.values()), 1e-300) if lin else 0.0
    out = [
        verdict("every network's H(I) is low-pass (most energy below the LR Nyquist frequency)",
                bool(nets) and not not_low,
                {"max_fraction_above_linear": _r(max(lin.values(), default=float("nan"))),
                 "not_low_pass": not_low},
                f"every fraction_above_linear < {FIG14_LOW_PASS_MAX_FRACTION}", section=SEC_FIG14),
        verdict("every network's G(I) adds high frequencies (a larger share above Nyquist than H)",
                bool(nets) and not not_more, {"not_higher": not_more},
                "fraction_above_nonlinear > fraction_above_linear for every network",
                section=SEC_FIG14),
        verdict("the low-pass strength depends on the network (H's share above Nyquist varies)",
                len(nets) >= 2 and spread > FIG14_MIN_SPREAD,
                {"networks": len(nets), "max_over_min": _r(spread)},
                f">= 2 networks and max/min > {FIG14_MIN_SPREAD}", section=SEC_FIG14),
    ]
    edsr = sorted(n for n in nets if "edsr" in n.lower())
    if edsr and len(nets) >= 2:
        least = data["least_high_frequency_in_H"]
        out.append(verdict("EDSR removes the most high frequency (least of H above Nyquist)",
                           least in edsr, least, f"one of {edsr}", paper="EDSR",
                           section=SEC_FIG14))
    ref = data.get("reference")
    if ref is not None and ref.get("max_abs_error") is not None:
        out.append(verdict("the kit's paper-mode HyRA reproduces the official example (x3)",
                           ref["max_abs_error"] < FIG14_REFERENCE_TOLERANCE,
                           ref["max_abs_error"], f"< {FIG14_REFERENCE_TOLERANCE}",
                           section=SEC_FIG14 + " (official HyRA.py)"))
    if ref is not None:
        s = ref["summary"]
        out.append(verdict("the official example's H is low-pass and G opposes its replicas",
                           s["fraction_above_linear"] < FIG14_LOW_PASS_MAX_FRACTION
                           and s["phase_opposition"] < MAX_PHASE_OPPOSITION,
                           {"fraction_above_linear": _r(s["fraction_above_linear"]),
                            "phase_opposition": _r(s["phase_opposition"])},
                           f"< {FIG14_LOW_PASS_MAX_FRACTION} and < {MAX_PHASE_OPPOSITION}",
                           section=SEC_FIG14 + " (official HyRA.py)"))
    return out


def fig19_training_evolution(data: Mapping[str, Any]) -> list[Verdict]:
    """Fig. 19: over training the impulse response grows sinc-like, H's grid fades, G sharpens."""
    snaps = data["snapshots"]
    if len(snaps) < 2 or snaps[-1]["iteration"] <= snaps[0]["iteration"]:
        return [verdict("at least two snapshots in training order", False,
                        [s.get("iteration") for s in snaps], ">= 2 increasing iterations",
                        section=SEC_FIG19)]
    first, last = snaps[0], snaps[-1]

    def change(key: str, claim: str, grows: bool) -> Verdict:
        a, b = first[key], last[key]
        return verdict(claim, b > a if grows else b < a,
                       {f"iteration {first['iteration']}": _r(a),
                        f"iteration {last['iteration']}": _r(b)},
                       "last > first" if grows else "last < first", section=SEC_FIG19)

    return [
        change("sinc_distance", "the impulse response becomes more sinc-like "
               "(smaller residual of the best sinc fit)", grows=False),
        verdict("the trained impulse response has a negative first side lobe (a sinc's)",
                last["side_lobe_level"] < FIG19_MAX_SIDE_LOBE, _r(last["side_lobe_level"]),
                f"< {FIG19_MAX_SIDE_LOBE}", section=SEC_FIG19),
        change("fraction_above_linear", "the grid of H(I) fades (less of H's energy above "
               "the LR Nyquist frequency)", grows=False),
        change("energy_detail_nonlinear", "G(I) captures more high frequencies (its energy "
               "above Nyquist off the replica peaks grows)", grows=True),
        change("detail_correlation", "G(I) captures more edges: it correlates more with the "
               "detail H misses (HR - H)", grows=True),
        change("psnr", "the SR output improves (PSNR rises)", grows=True),
    ]


#: notebook stem -> claim check of its JSON.
CLAIMS = {
    "fig04_hyra": fig04_hyra,
    "fig14_hyra_networks": fig14_hyra_networks,
    "fig19_training_evolution": fig19_training_evolution,
}
