"""Claim checks of the FSDS metric audit (ext03, issue 14; beyond the paper).

The paper shows FSDS on one steganography edit and one JPEG (Fig. 7, Sec. 4.2.2). These checks
state, in equivalent noise (:mod:`lpf.studies.ext03_fsds_audit`: each score read as the white
noise level that gives the same score on the same image, log10), what FSDS responds to, whether
the windowed variant ``lpf.fsds(..., window="hann")`` keeps Fig. 7's catch while reading bad
borders sensibly, and Table 1's border case. The calibration itself can fail: the noise control.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from lpf.studies.claims._verdict import Verdict, verdict

__all__ = ["CLAIMS", "ext03_fsds_audit"]

#: the noise distortion read through every metric's calibration: within this (decades)
CONTROL_TOLERANCE = 0.15
#: Fig. 7 in equivalent noise: FSDS reads the stego edit this much harsher than SSIM (decades)
STEGO_OVER_SSIM = 0.5
#: FSDS reads a global brightness change this much more leniently than PSNR (decades)
BRIGHTNESS_UNDER_PSNR = 0.5
#: the Hann window reads the reference bad border this much more leniently than FSDS (decades)
WINDOW_BORDER_GAIN = 0.5
#: FSDS's two argument orders order the distortions alike: Kendall tau at least
MIN_ORDER_TAU = 0.9
#: FSDS is no monotone transform of PSNR across distortions: Kendall tau at most
MAX_PSNR_TAU = 0.8

SECTION = "ext03 (beyond the paper; cf. Sec. 4.2.2, Fig. 7 and Table 1)"


def _r(x: Any) -> Any:
    return round(float(x), 3) if isinstance(x, int | float) else x


def _at_reference(data: Mapping[str, Any], kind: str, metric: str) -> float:
    levels = data["distortions"][kind]["strengths"]
    return data["sigma_eq"][kind][metric][len(levels) // 2]


def ext03_fsds_audit(data: Mapping[str, Any]) -> list[Verdict]:
    """What FSDS reads harshly or leniently, in equivalent noise; the windowed variant beside it."""
    out: list[Verdict] = []
    kinds = data["distortions"]
    control = data["control"]
    out.append(verdict(
        "control: every metric reads additive noise (another seed) as the noise level it is "
        "(max |log10 sigma_eq - log10 sigma| over the strengths)",
        all(v <= CONTROL_TOLERANCE for v in control.values()),
        {m: _r(v) for m, v in control.items()}, f"<= {CONTROL_TOLERANCE} decades",
        section=SECTION))
    if "stego" in kinds:
        gap = {m: _at_reference(data, "stego", m) - _at_reference(data, "stego", "ssim")
               for m in ("fsds", "fsds_hann")}
        out.append(verdict(
            "Fig. 7 in equivalent noise: FSDS reads the steganography edit as far worse than SSIM "
            "does (log10 sigma_eq, FSDS - SSIM, reference strength)",
            gap["fsds"] >= STEGO_OVER_SSIM, _r(gap["fsds"]), f">= {STEGO_OVER_SSIM} decades",
            paper="stego: FSDS 26.37 dB at SSIM 0.995", section=SECTION))
        out.append(verdict(
            "the Hann-windowed FSDS keeps that catch (fsds_hann - SSIM, same edit)",
            gap["fsds_hann"] >= STEGO_OVER_SSIM, _r(gap["fsds_hann"]),
            f">= {STEGO_OVER_SSIM} decades", section=SECTION))
    if "brightness" in kinds:
        gap = _at_reference(data, "brightness", "psnr") - _at_reference(data, "brightness", "fsds")
        out.append(verdict(
            "FSDS (normalised by each image's mean and std) reads a global brightness change far "
            "more leniently than PSNR (log10 sigma_eq, PSNR - FSDS)",
            gap >= BRIGHTNESS_UNDER_PSNR, _r(gap), f">= {BRIGHTNESS_UNDER_PSNR} decades",
            section=SECTION))
    if "border" in kinds:
        levels = kinds["border"]["strengths"]
        first = data["sigma_eq"]["border"]["fsds"][0]
        out.append(verdict(
            f"FSDS reads a {levels[0]}-pixel bad border as worse than the reference noise "
            f"(sigma {data['reference_noise']}; log10 sigma_eq)",
            first >= math.log10(data["reference_noise"]), _r(first),
            f">= {round(math.log10(data['reference_noise']), 3)}", section=SECTION))
        gap = _at_reference(data, "border", "fsds") - _at_reference(data, "border", "fsds_hann")
        out.append(verdict(
            "the Hann window reads the reference bad border far more leniently than FSDS "
            "(log10 sigma_eq, FSDS - fsds_hann)",
            gap >= WINDOW_BORDER_GAIN, _r(gap), f">= {WINDOW_BORDER_GAIN} decades",
            section=SECTION))
    case = data.get("border_case") or {}
    if case:
        order = case["first_vs_second"]
        a, b = case["models"]
        ok = order["fsds"] == "below" and order["fsds_crop"] == "above" \
            and order["fsds_hann"] == "above"
        out.append(verdict(
            f"Table 1's border case ({a} vs {b}, {case['image']} {case['hr_size']} px x"
            f"{case['scale']}): FSDS puts {a} below, the border-cropped and the windowed FSDS "
            "put it above", ok, {k: order[k] for k in ("psnr", "fsds", "fsds_crop", "fsds_hann")},
            "fsds below; fsds_crop and fsds_hann above", section=SECTION))
    tau = data["tau"]
    same = tau.get("fsds vs fsds_pred")
    out.append(verdict(
        "FSDS's two argument orders (HR or SR in the denominator) order the distortions alike "
        "(Kendall tau at the reference strengths)",
        same is not None and same >= MIN_ORDER_TAU, same, f">= {MIN_ORDER_TAU}", section=SECTION))
    psnr_tau = tau.get("psnr vs fsds")
    out.append(verdict(
        "FSDS orders the distortions differently from PSNR (Kendall tau at the reference "
        "strengths)", psnr_tau is not None and psnr_tau <= MAX_PSNR_TAU, psnr_tau,
        f"<= {MAX_PSNR_TAU}", section=SECTION))
    return out


CLAIMS = {"ext03_fsds_audit": ext03_fsds_audit}
