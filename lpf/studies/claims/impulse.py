"""Claim checks of the impulse figures: Figs. 1, 9, 10, 15, 16 (see :mod:`lpf.studies.claims`).

Each function takes the figure's JSON (or its study result's ``to_json()``) and returns one
:class:`Verdict` per claim: what was measured, the threshold it had to meet, the paper's value
(None where the paper states the claim qualitatively) and the section it comes from. Sinc
correlations are :func:`lpf.analysis.sinc.sinc_correlation` (the ideal separable sinc on the
response's grid: 1 for the sinc, about 0.94 for bicubic and the best networks at x4).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from lpf.studies.claims._verdict import Verdict, verdict

__all__ = ["CLAIMS"]

# thresholds, named (each verdict reports the one it used)
#: a response "rings like a sinc" when its first side lobe is below this fraction of the peak
#: (ideal sinc -0.217; MATLAB bicubic -0.074, Keys a = -0.5 about -0.07)
MIN_SIDE_LOBE = -0.05
#: Fig. 1: the network is closer to the sinc than the crudest distractor by at least this
QUIZ_CORRELATION_MARGIN = 0.1
#: Fig. 9: the paper's architectures correlate with the ideal sinc at least this much
#: (x4 kit and paper networks: 0.90-0.95; a nearest block 0.79)
MIN_SINC_CORRELATION = 0.88
#: Fig. 9: bicubic "is a smooth blob": its side lobe is smaller than this (|level|)
BICUBIC_MAX_LOBE = 0.1
#: Fig. 9: our clamped responses match the paper's bitmaps of the same architecture this well
MIN_PAPER_CORRELATION = 0.85
#: Fig. 9: and the paper's own network (EDSR-LIIF, the same weights) this well
SAME_NETWORK_CORRELATION = 0.95
#: Fig. 9: the architectures the paper calls the most sinc-like (Sec. 5.2)
MOST_SINC_LIKE = ("rdn", "rcan")
#: Fig. 10: the GAN network's sinc correlation is lower than its L1 partner's by at least this
GAN_CORRELATION_GAP = 0.05
#: Fig. 15: relative L2 error after shifting back ("identical apart from their position")
MAX_SHIFT_L2 = 0.01
#: Fig. 15: largest absolute difference after shifting back, relative to the peak
MAX_SHIFT_ABS = 0.02
#: Fig. 16: an LR stage (before the upsampler) correlates with the sinc less than this
MAX_LR_CORRELATION = 0.6
#: Fig. 16: the upsampler's envelope correlates better than every LR stage's by this
UPSAMPLER_GAIN = 0.2
#: Fig. 16: after the tail conv the channel mean is the sinc: correlation above this
MIN_TAIL_CORRELATION = 0.9


def _lobe(value: Any) -> float:
    """A side-lobe level with "no side lobe" (None/NaN/"nan") read as 0."""
    if value is None or isinstance(value, str):
        return 0.0 if value is None or value == "nan" else float(value)
    return 0.0 if math.isnan(value) else float(value)


def fig01_sinc_quiz(data: Mapping) -> list[Verdict]:
    """Fig. 1 (Sec. 1): the network's output is the sinc-like option."""
    section = "Sec. 1, Fig. 1"
    rows = data["candidates"]
    net = next((r for r in rows.values() if r["kind"] == "network"), None)
    others = {n: r for n, r in rows.items() if r["kind"] != "network"}
    if net is None or not others:
        return [verdict("the quiz has a network and distractors", False, sorted(rows),
                        "one network and >= 1 distractor", section=section)]
    level = _lobe(net["side_lobe_level"])
    depth = {n: _lobe(r["side_lobe_level"]) for n, r in others.items()}
    worst = min(others, key=lambda n: others[n]["sinc_correlation"])
    return [
        verdict("the network's response rings like a sinc: a negative first side lobe",
                net["side_lobe_negative"] and level < MIN_SIDE_LOBE, level,
                f"side lobe / peak < {MIN_SIDE_LOBE} (ideal sinc -0.217)", section=section),
        verdict("its side lobe is deeper than every distractor's (the answer is the sinc-like "
                "option)", all(level < d for d in depth.values()),
                {"network": level, **depth}, "network < every distractor", section=section),
        verdict(f"it is closer to the ideal sinc than the crudest distractor ({worst})",
                net["sinc_correlation"] > others[worst]["sinc_correlation"]
                + QUIZ_CORRELATION_MARGIN,
                {"network": net["sinc_correlation"], worst: others[worst]["sinc_correlation"]},
                f"network > {worst} + {QUIZ_CORRELATION_MARGIN}", section=section),
    ]


def _paper_networks(rows: Mapping[str, Mapping]) -> dict[str, Mapping]:
    """The pixel-loss networks of the paper's architectures.

    In their grid slot, not analytic, not GAN-trained.
    """
    return {m: r for m, r in rows.items() if r.get("paper_slot") and
            r.get("same_architecture_as_slot") and r.get("training") not in ("none", "gan")}


def fig09_impulse_responses(data: Mapping) -> list[Verdict]:
    """Fig. 9 (Sec. 5.2): L1-trained networks ring like a windowed sinc; bicubic does not."""
    section = "Sec. 5.2, Fig. 9"
    rows = data["models"]
    nets = _paper_networks(rows)
    bicubic = next((r for r in rows.values() if r.get("paper_slot") == "bicubic"), None)
    lobes = {m: _lobe(r["side_lobe_level"]) for m, r in nets.items()}
    corr = {m: r["sinc_correlation_raw"] for m, r in nets.items()}
    out = [
        verdict("every network of the paper's architectures rings: a negative first side lobe",
                bool(nets) and all(v < MIN_SIDE_LOBE for v in lobes.values()), lobes,
                f"every side lobe / peak < {MIN_SIDE_LOBE}", section=section),
        verdict("their responses are sinc-like: correlation with the ideal sinc",
                bool(nets) and all(v > MIN_SINC_CORRELATION for v in corr.values()), corr,
                f"every correlation > {MIN_SINC_CORRELATION}", section=section),
    ]
    if bicubic is not None:
        b = _lobe(bicubic["side_lobe_level"])
        out += [
            verdict("bicubic is a smooth blob: at most faint ringing", abs(b) < BICUBIC_MAX_LOBE,
                    b, f"|side lobe / peak| < {BICUBIC_MAX_LOBE}", section=section),
            verdict("every network rings more than bicubic", bool(nets) and all(
                v < b for v in lobes.values()), {"bicubic": b, **lobes},
                "every network's side lobe < bicubic's", section=section),
        ]
    if nets:
        best = max(corr, key=corr.get)
        out.append(verdict(
            "the most sinc-like network of the paper's architectures is an RDN or an RCAN",
            str(nets[best]["paper_slot"]).split("-")[0] in MOST_SINC_LIKE,
            {"most sinc-like": best, "slot": nets[best]["paper_slot"], "correlation": corr[best]},
            f"argmax correlation in a slot of {MOST_SINC_LIKE}", paper="RDN and RCAN",
            section=section))
    paper = {m: r["paper_correlation"] for m, r in rows.items()
             if r.get("paper_correlation") is not None}
    if data.get("reference_dir_found") and paper:
        out.append(verdict("our clamped responses match the paper's bitmaps (same architecture)",
                           all(v > MIN_PAPER_CORRELATION for v in paper.values()), paper,
                           f"every correlation > {MIN_PAPER_CORRELATION}", section=section))
        same = {m: paper[m] for m, r in rows.items() if m in paper and r["same_network_as_slot"]
                and r.get("training") != "none"}
        if same:
            out.append(verdict("the paper's own network reproduces its bitmap",
                               all(v > SAME_NETWORK_CORRELATION for v in same.values()), same,
                               f"> {SAME_NETWORK_CORRELATION}", section=section))
    return out


def _loses_sinc_shape(gan: Mapping, l1: Mapping) -> bool:
    """Whether the GAN response departs from the sinc's shape more than the L1 one.

    Either its best windowed-sinc fit is worse, or it has lost the sinc's negative side lobes
    that the L1 response has. The windowed-sinc distance alone cannot tell a smooth blob from a
    sinc (a strongly windowed sinc is a blob: MATLAB bicubic fits one to 0.015 at x4, closer than
    any L1 network); Real-ESRGAN x4plus is such a blob (no negative side lobe; windowed distance
    0.026 vs edsr-kit's 0.061).
    """
    if gan["windowed_sinc_distance"] > l1["windowed_sinc_distance"]:
        return True
    return bool(l1.get("side_lobe_negative")) and not bool(gan.get("side_lobe_negative"))


def fig10_gan_exceptions(data: Mapping) -> list[Verdict]:
    """Fig. 10 (Sec. 5.4): a GAN-trained network is less sinc-like than its L1 counterpart."""
    section = "Sec. 5.4, Fig. 10"
    rows, pairs = data["models"], data["pairs"]
    if not pairs:
        return [verdict("at least one L1/GAN pair was compared", False, 0, ">= 1 pair",
                        section=section)]
    out = []
    for pair in pairs:
        l1, gan = rows[pair["l1"]], rows[pair["gan"]]
        name = f"{pair['gan']} vs {pair['l1']}"
        out += [
            verdict(f"{name}: the GAN network correlates less with the ideal sinc",
                    gan["sinc_correlation"] < l1["sinc_correlation"] - GAN_CORRELATION_GAP,
                    {"gan": gan["sinc_correlation"], "l1": l1["sinc_correlation"]},
                    f"gan < l1 - {GAN_CORRELATION_GAP}", section=section),
            verdict(f"{name}: the GAN network is farther from the ideal sinc",
                    gan["ideal_sinc_distance"] > l1["ideal_sinc_distance"],
                    {"gan": gan["ideal_sinc_distance"], "l1": l1["ideal_sinc_distance"]},
                    "gan > l1", section=section),
            verdict(f"{name}: and from the sinc's shape (a worse windowed-sinc fit, or no "
                    "negative side lobe where the L1 network rings)",
                    _loses_sinc_shape(gan, l1),
                    {"windowed_sinc_distance": {"gan": gan["windowed_sinc_distance"],
                                                "l1": l1["windowed_sinc_distance"]},
                     "side_lobe_negative": {"gan": bool(gan.get("side_lobe_negative")),
                                            "l1": bool(l1.get("side_lobe_negative"))}},
                    "gan windowed distance > l1's, or l1 rings (negative side lobe) and gan "
                    "does not", section=section),
        ]
    return out


def fig15_shift_invariance(data: Mapping) -> list[Verdict]:
    """Fig. 15 (Appx. C.2): a moved impulse gives the same response, moved."""
    section = "Appx. C.2, Fig. 15"
    results = data["results"]
    l2 = {m: r["max_relative_l2_error"] for m, r in results.items()}
    ab = {m: r["max_abs_error_over_peak"] for m, r in results.items()}
    return [
        verdict("the responses are identical apart from their position (relative L2 error "
                "after shifting back)", bool(l2) and all(v < MAX_SHIFT_L2 for v in l2.values()),
                l2, f"every max error < {MAX_SHIFT_L2}", section=section),
        verdict("no pixel differs by more than a small fraction of the peak",
                bool(ab) and all(v < MAX_SHIFT_ABS for v in ab.values()), ab,
                f"every max |difference| / peak < {MAX_SHIFT_ABS}", section=section),
    ]


def fig16_feature_maps(data: Mapping) -> list[Verdict]:
    """Fig. 16 (Appx. C.3): the sinc forms after the upsampler, complete after the tail."""
    section = "Appx. C.3, Fig. 16"
    st = [data["stages"][label] for label in data["stage_order"]]
    lr = [s for s in st if s["resolution"] == "LR"]
    hr = [s for s in st if s["resolution"] == "HR"]
    if not lr or len(hr) < 2 or st[-1]["resolution"] != "HR":
        return [verdict("the stages run from LR ones to an upsampler and a tail at HR", False,
                        [s["resolution"] for s in st], "LR stages, then >= 2 HR stages",
                        section=section)]
    upsampler, tail = hr[-2], hr[-1]
    lr_max = max(s["sinc_correlation_maxabs"] for s in lr)
    return [
        verdict("no sinc before the upsampler (every LR stage)",
                max(max(s["sinc_correlation_mean"], s["sinc_correlation_maxabs"]) for s in lr)
                < MAX_LR_CORRELATION, data["max_lr_sinc_correlation"],
                f"< {MAX_LR_CORRELATION}", section=section),
        verdict("the sinc-like envelope forms after the upsampler (conv + PixelShuffle)",
                upsampler["sinc_correlation_maxabs"] > lr_max + UPSAMPLER_GAIN,
                {"upsampler": upsampler["sinc_correlation_maxabs"], "best LR stage": lr_max},
                f"upsampler > best LR + {UPSAMPLER_GAIN}", section=section),
        verdict("after the tail conv the (signed) response is the sinc",
                tail["sinc_correlation_mean"] > MIN_TAIL_CORRELATION,
                tail["sinc_correlation_mean"], f"> {MIN_TAIL_CORRELATION}", section=section),
    ]


#: notebook stem -> claim check
CLAIMS = {
    "fig01_sinc_quiz": fig01_sinc_quiz,
    "fig09_impulse_responses": fig09_impulse_responses,
    "fig10_gan_exceptions": fig10_gan_exceptions,
    "fig15_shift_invariance": fig15_shift_invariance,
    "fig16_feature_maps": fig16_feature_maps,
}
