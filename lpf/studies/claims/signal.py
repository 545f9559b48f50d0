"""Claim checks of the signal figures: Figs. 2, 5-8, 11-13, 17, 18 (see :mod:`lpf.studies.claims`).

Each function takes the figure's JSON (or its study result's ``to_json()``) and returns one
:class:`Verdict` per claim: what was measured, the threshold it had to meet, the paper's value
(None where the paper states the claim qualitatively) and the section it comes from.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from lpf.studies.claims._verdict import Verdict, verdict

__all__ = ["CLAIMS"]

# thresholds, named (each verdict reports the one it used)
#: a low-pass kernel keeps most of its energy below the Nyquist frequency
MAX_KERNEL_LEAKAGE = 0.5
#: Fig. 5: a too-wide passband leaves at least this many times the good cutoff's replica energy
REPLICA_RATIO = 2.0
#: the ideal cutoff, cycles per LR pixel (the LR Nyquist frequency)
IDEAL_CUTOFF = 0.5
#: Fig. 6: two outputs' 99 % energy bandwidths must differ by this fraction to be compared
#: (nearest's replicas stretch its bandwidth a little past HR's while most energy stays low)
BANDWIDTH_MARGIN = 0.2
#: Fig. 7: the stego image's FSDS must hit the paper's 26.37 dB within this (dB)
STEGO_FSDS_TOL = 0.01
#: Fig. 7: SSIM above this is "SSIM misses the edit" (paper 0.995)
STEGO_MIN_SSIM = 0.98
#: Fig. 7: the stego and JPEG images have comparable FSDS (paper 26.37 vs 26.39 dB) within this
SAME_FSDS_TOL = 3.0
#: Fig. 7: the stego image's SSIM exceeds JPEG's by at least this (paper 0.995 - 0.842 = 0.153)
MIN_SSIM_GAP = 0.1
#: Fig. 8: the PSNR-optimal cutoff lies within this of the LR Nyquist 0.5 (paper omega 48 at 96 px)
OPTIMUM_CUTOFF_TOL = 0.1
#: Fig. 8: the optimum omega grows like the image size, within this relative error
OMEGA_SCALING_TOL = 0.25
#: Fig. 8: the principled optimum moves by less than this between crop sizes (cycles/LR pixel)
CUTOFF_DRIFT_TOL = 0.1
#: Fig. 8: on DIV2K the peak PSNR matches the paper's 31.40 dB within this (dB)
PAPER_PSNR_TOL = 1.0
#: Figs. 11-13: "recovered exactly": relative RMS error below this
EXACT_ERROR = 1e-6
#: Figs. 11-13: "not recovered": relative RMS error above this
ALIAS_ERROR = 0.05
#: Fig. 17: the rectangular window's highest side lobe, dB (theory: -13.26), and the tolerance
RECT_SIDELOBE_DB, RECT_SIDELOBE_TOL = -13.26, 1.0
#: Fig. 18: replica energy equals (s^2 - 1)/s^2 and the DFT equals the tiling within this
TILING_TOL = 1e-6


def _num(value: Any) -> float:
    """A JSON number (``"inf"``/``"nan"`` strings included) as a float."""
    return float(value)


def fig02_kernels(data: Mapping) -> list[Verdict]:
    """Fig. 2 (Sec. 3): interpolation kernels are low-pass approximations of the sinc."""
    section = "Sec. 3, Fig. 2"
    leak = {k: _num(v) for k, v in data["stopband_leakage"].items()}
    kernels = {k: v for k, v in leak.items() if k != "sinc"}
    sinc = leak.get("sinc", math.inf)
    worst = max(kernels, key=kernels.get) if kernels else None
    return [
        verdict("every kernel is a low-pass filter: most of its energy lies below Nyquist",
                bool(kernels) and max(kernels.values()) < MAX_KERNEL_LEAKAGE, kernels,
                f"stop-band leakage < {MAX_KERNEL_LEAKAGE}", section=section),
        verdict("the (truncated) sinc leaks less than every kernel: it is the ideal they "
                "approximate", bool(kernels) and all(sinc < v for v in kernels.values()),
                {"sinc": sinc, "least leaking kernel": min(kernels.values(), default=None)},
                "sinc leakage < every kernel's", section=section),
        verdict("nearest (the box) is the crudest approximation: it leaks most", worst == "nearest",
                worst, "argmax leakage == 'nearest'", section=section),
    ]


def fig05_lpf_passband(data: Mapping) -> list[Verdict]:
    """Fig. 5 (Sec. 4.1.1): too narrow a passband blurs, too wide leaves replicas."""
    section = "Sec. 4.1.1, Fig. 5"
    rows = sorted(data["results"].values(), key=lambda r: _num(r["cutoff"]))
    narrow, wide = rows[0], rows[-1]
    good = min(rows, key=lambda r: abs(_num(r["cutoff"]) - IDEAL_CUTOFF))
    others = [r for r in rows if r is not good]
    psnr = {r["cutoff"]: _num(r["psnr"]) for r in rows}
    return [
        verdict("the cutoff nearest the LR Nyquist frequency gives the best PSNR (too narrow and "
                "too wide both lose)",
                bool(others) and all(_num(good["psnr"]) > _num(r["psnr"]) for r in others),
                psnr, f"PSNR at cutoff {good['cutoff']} > at every other cutoff", section=section),
        verdict("too narrow a passband blurs: lower PSNR than the good cutoff",
                _num(narrow["psnr"]) < _num(good["psnr"]),
                {"narrow": narrow["psnr"], "good": good["psnr"]}, "narrow < good",
                section=section),
        verdict("too wide a passband lets the zero-insertion replicas through",
                _num(wide["replica_energy"]) > REPLICA_RATIO * _num(good["replica_energy"]),
                {"wide": wide["replica_energy"], "good": good["replica_energy"]},
                f"wide > {REPLICA_RATIO:g} x good", section=section),
    ]


def fig06_integrated_spectra(data: Mapping) -> list[Verdict]:
    """Fig. 6 (Sec. 4.2.2): fewer high frequencies, larger low-frequency share."""
    section = "Sec. 4.2.2, Fig. 6"
    rows = data["results"]
    hr = rows["HR"]
    methods = {k: v for k, v in rows.items() if k != "HR"}
    share = {k: _num(v["low_frequency_share"]) for k, v in rows.items()}
    width = {k: _num(v["energy_bandwidth_99"]) for k, v in rows.items()}
    # "fewer high frequencies" (a smaller 99 % energy bandwidth) must come with "a larger share
    # of low frequencies": count the pairs where it does not
    names = list(rows)

    def fewer(a: str, b: str) -> bool:  # a has clearly fewer high frequencies than b
        return width[a] < (1 - BANDWIDTH_MARGIN) * width[b]

    discordant = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]
                  if fewer(a, b) and not share[a] > share[b]
                  or fewer(b, a) and not share[b] > share[a]]
    fsds = {k: _num(v["fsds"]) for k, v in methods.items()}
    cross = {k: _num(v["cross_width"]) for k, v in rows.items()}
    return [
        verdict("every super-resolved output has a larger low-frequency share than HR",
                bool(methods) and all(share[k] > share["HR"] for k in methods), share,
                f"> HR's {_num(hr['low_frequency_share']):.4f}", section=section),
        verdict("outputs with fewer high frequencies (smaller 99% energy bandwidth) have a larger "
                "low-frequency share", len(names) > 2 and not discordant, discordant,
                f"no discordant pair among >= 3 outputs (bandwidths {BANDWIDTH_MARGIN:.0%} apart)",
                section=section),
        verdict("no super-resolved output has a wider dark cross than HR",
                bool(methods) and all(cross[k] <= cross["HR"] for k in methods), cross,
                f"cross half-width <= HR's {cross['HR']:.4f}", section=section),
        verdict("FSDS is finite for every output (it sees each one's spectral difference)",
                bool(fsds) and all(math.isfinite(v) for v in fsds.values()), fsds,
                "finite", section=section),
    ]


def fig07_fsds_vs_ssim(data: Mapping) -> list[Verdict]:
    """Fig. 7 (Sec. 4.2.2): SSIM misses a spectral edit that FSDS sees."""
    section = "Sec. 4.2.2, Fig. 7"
    stego, jpeg = data["stego"], data["jpeg"]
    paper = data.get("paper") or {"stego": {"fsds": 26.37, "ssim": 0.995},
                                  "jpeg": {"fsds": 26.39, "ssim": 0.842}}
    p_stego, p_jpeg = paper["stego"], paper["jpeg"]
    s_fsds, j_fsds = _num(stego["fsds"]), _num(jpeg["fsds"])
    s_ssim, j_ssim = _num(stego["ssim"]), _num(jpeg["ssim"])
    return [
        verdict("the spectral edit brings FSDS down to the paper's value",
                abs(s_fsds - p_stego["fsds"]) < STEGO_FSDS_TOL, s_fsds,
                f"within {STEGO_FSDS_TOL} dB", paper=p_stego["fsds"], section=section),
        verdict("the hidden payload comes back from the spectrum (a real edit)",
                _num(stego["bits_recovered"]) == 1.0, stego["bits_recovered"], "== 1.0",
                section=section),
        verdict("SSIM misses the spectral edit", s_ssim > STEGO_MIN_SSIM, s_ssim,
                f"> {STEGO_MIN_SSIM}", paper=p_stego["ssim"], section=section),
        verdict("JPEG is matched at a comparable FSDS", abs(s_fsds - j_fsds) < SAME_FSDS_TOL,
                {"stego": s_fsds, "jpeg": j_fsds}, f"|difference| < {SAME_FSDS_TOL} dB",
                paper={"stego": p_stego["fsds"], "jpeg": p_jpeg["fsds"]}, section=section),
        verdict("at that FSDS, JPEG's SSIM is much lower than the stego image's",
                s_ssim > j_ssim + MIN_SSIM_GAP, {"stego": s_ssim, "jpeg": j_ssim},
                f"stego - jpeg > {MIN_SSIM_GAP}",
                paper={"stego": p_stego["ssim"], "jpeg": p_jpeg["ssim"]}, section=section),
    ]


def fig08_lpf_cutoff_sweep(data: Mapping) -> list[Verdict]:
    """Fig. 8 (Sec. 5.1): unimodal quality in the cutoff; omega depends on the image size."""
    section = "Sec. 5.1, Fig. 8"
    optima = data["optima"]
    paper = data.get("paper") or {"psnr": {"omega": 48.0, "value": 31.40}}
    lr_size = int(data["lr_size"])
    out = [
        verdict("too narrow and too wide both lose: every optimum is interior",
                all(o["interior"] for o in optima.values()),
                {k: o["x"] for k, o in optima.items()}, "0 < index < n_points - 1",
                section=section),
        verdict("PSNR and SSIM are unimodal in the cutoff (smoothed curves)",
                all(o["unimodal"] for o in optima.values()),
                {k: o["unimodal"] for k, o in optima.items()}, "all unimodal", section=section),
    ]
    omega_cutoff = _num(optima["paper_psnr"]["x"]) / (2 * (lr_size // 2))
    out.append(verdict(
        "PSNR peaks near the LR Nyquist frequency in both conventions",
        abs(omega_cutoff - IDEAL_CUTOFF) <= OPTIMUM_CUTOFF_TOL
        and abs(_num(optima["principled_psnr"]["x"]) - IDEAL_CUTOFF) <= OPTIMUM_CUTOFF_TOL,
        {"paper omega as cutoff": omega_cutoff, "principled": optima["principled_psnr"]["x"]},
        f"within {OPTIMUM_CUTOFF_TOL} of {IDEAL_CUTOFF} cycles per LR pixel",
        paper=f"omega = {paper['psnr']['omega']} (0.5 at 96 px)", section=section))
    by_size = data["optimum_vs_size"]
    sizes = sorted(by_size, key=int)
    first, last = by_size[sizes[0]], by_size[sizes[-1]]
    size_ratio = int(sizes[-1]) / int(sizes[0])
    omega_ratio = _num(last["omega"]) / _num(first["omega"])
    out += [
        verdict("the optimum omega of the paper's code grows in proportion to the image size",
                len(sizes) > 1 and abs(omega_ratio / size_ratio - 1) < OMEGA_SCALING_TOL,
                {"omega ratio": omega_ratio, "size ratio": size_ratio},
                f"ratios equal within {OMEGA_SCALING_TOL:.0%}",
                paper="PAPER.md open question 2", section=section),
        verdict("the optimum principled cutoff does not move with the image size",
                len(sizes) > 1 and abs(_num(last["cutoff"]) - _num(first["cutoff"]))
                < CUTOFF_DRIFT_TOL,
                {s: by_size[s]["cutoff"] for s in sizes}, f"drift < {CUTOFF_DRIFT_TOL}",
                section=section),
    ]
    if str(data.get("dataset", "")).upper().startswith("DIV2K"):
        value = _num(optima["paper_psnr"]["value"])
        out.append(verdict("on DIV2K validation the best PSNR matches the paper's floor",
                           abs(value - paper["psnr"]["value"]) < PAPER_PSNR_TOL, value,
                           f"within {PAPER_PSNR_TOL} dB", paper=paper["psnr"]["value"],
                           section=section))
    return out


def fig11_13_sampling(data: Mapping) -> list[Verdict]:
    """Figs. 11-13 (Appx. B): exact recovery above the Nyquist rate, aliasing below it."""
    ok, alias = data["no_aliasing"], data["aliasing"]
    return [
        verdict("sampled above the Nyquist rate, the ideal LPF recovers the signal exactly",
                _num(ok["relative_rms_error"]) < EXACT_ERROR, ok["relative_rms_error"],
                f"relative RMS error < {EXACT_ERROR:g}", section="Appx. B.2, Figs. 11-12"),
        verdict("sampled below the Nyquist rate, the copies overlap and the signal is lost",
                _num(alias["relative_rms_error"]) > ALIAS_ERROR, alias["relative_rms_error"],
                f"relative RMS error > {ALIAS_ERROR:g}", section="Appx. B.3, Fig. 13"),
    ]


def fig17_windows(data: Mapping) -> list[Verdict]:
    """Fig. 17 (Appx. E): windows trade main-lobe width against side-lobe level."""
    section = "Appx. E, Fig. 17"
    w = data["windows"]
    rect, hann, black = w.get("rectangular"), w.get("hann"), w.get("blackman")
    side = {k: _num(v["sidelobe_db"]) for k, v in w.items()}
    main = {k: _num(v["mainlobe_width_bins"]) for k, v in w.items()}
    have = rect is not None and hann is not None and black is not None
    return [
        verdict("the rectangular window's first side lobe is at -13.26 dB (theory)",
                rect is not None
                and abs(side["rectangular"] - RECT_SIDELOBE_DB) < RECT_SIDELOBE_TOL,
                side.get("rectangular"), f"{RECT_SIDELOBE_DB} +- {RECT_SIDELOBE_TOL} dB",
                section=section),
        verdict("rectangular: the narrowest main lobe and the highest side lobes",
                rect is not None and all(side["rectangular"] >= v for v in side.values())
                and all(main["rectangular"] <= v for v in main.values()),
                {"sidelobe_db": side, "mainlobe_width_bins": main},
                "max side lobe and min main lobe", section=section),
        verdict("lower side lobes cost a wider main lobe (rectangular -> Hann -> Blackman)",
                have and side["blackman"] < side["hann"] < side["rectangular"]
                and main["blackman"] > main["hann"] > main["rectangular"],
                {k: (main.get(k), side.get(k)) for k in ("rectangular", "hann", "blackman")},
                "side lobes fall and main lobes widen in that order", section=section),
    ]


def fig18_zero_insertion(data: Mapping) -> list[Verdict]:
    """Fig. 18 (Appx. F, Eqs. 18-22): zero insertion tiles the spectrum s x s times."""
    section = "Appx. F, Fig. 18"
    scales = data["scales"]
    error = {s: abs(_num(c["replica_fraction"]) - (int(s) ** 2 - 1) / int(s) ** 2)
             for s, c in scales.items()}
    tiling = {s: _num(c["max_tiling_error"]) for s, c in scales.items()}
    return [
        verdict("(s^2 - 1)/s^2 of the zero-inserted spectrum's energy lies in replicas",
                bool(scales) and max(error.values()) < TILING_TOL, error,
                f"|replica fraction - (s^2-1)/s^2| < {TILING_TOL:g}",
                paper="8/9 at s = 3 (Eqs. 18-22)", section=section),
        verdict("the DFT of the zero-inserted image is the s x s tiling of the original's",
                bool(scales) and max(tiling.values()) < TILING_TOL, tiling,
                f"max relative error < {TILING_TOL:g}", section=section),
    ]


#: notebook stem -> claim check of its JSON.
CLAIMS = {
    "fig02_kernels": fig02_kernels,
    "fig05_lpf_passband": fig05_lpf_passband,
    "fig06_integrated_spectra": fig06_integrated_spectra,
    "fig07_fsds_vs_ssim": fig07_fsds_vs_ssim,
    "fig08_lpf_cutoff_sweep": fig08_lpf_cutoff_sweep,
    "fig11_13_sampling": fig11_13_sampling,
    "fig17_windows": fig17_windows,
    "fig18_zero_insertion": fig18_zero_insertion,
}
