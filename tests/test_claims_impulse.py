"""Negative and positive tests of the impulse claim checks (Figs. 1, 9, 10, 15, 16).

Every check of :mod:`lpf.studies.claims.impulse` gets a falsifying input (a result computed from a
model that does not show the claim where that is quick, else the smoke baseline edited so that
the claim is false) and must fail it; the smoke baseline (``tests/data/smoke_baseline``), made
by the notebooks before the redesign, must pass where it is still valid.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from lpf.studies import (
    fig01_sinc_quiz,
    fig10_gan_exceptions,
    fig15_shift_invariance,
    fig16_feature_maps,
)
from lpf.studies.claims import CLAIMS, check, failed
from lpf.studies.claims import impulse as claims

BASELINE = Path(__file__).resolve().parent / "data" / "smoke_baseline"
STEMS = ["fig01_sinc_quiz", "fig09_impulse_responses", "fig10_gan_exceptions",
         "fig15_shift_invariance", "fig16_feature_maps"]


def _baseline(stem: str) -> dict:
    return json.loads((BASELINE / f"{stem}.json").read_text())


def _failed_claims(verdicts) -> list[str]:
    return [v.claim for v in failed(verdicts)]


def _fails(verdicts, words: str) -> bool:
    """Whether a verdict whose claim contains ``words`` failed."""
    return any(words in claim for claim in _failed_claims(verdicts))


def test_every_figure_is_registered():
    assert set(STEMS) <= set(CLAIMS)
    assert all(CLAIMS[s] is getattr(claims, s) for s in STEMS)


# ------------------------------------------------------------------ positive: the baseline


@pytest.mark.parametrize("stem", ["fig01_sinc_quiz", "fig10_gan_exceptions",
                                  "fig15_shift_invariance", "fig16_feature_maps"])
def test_baseline_passes(stem):
    verdicts = check(stem, _baseline(stem))
    assert verdicts and not failed(verdicts), "\n".join(map(str, failed(verdicts)))
    assert all(v.section and v.threshold is not None for v in verdicts)


def test_fig09_baseline_passes_but_for_the_old_correlation():
    # the baseline correlated with the sinc-lpf model's response (0.9664 EDSR-LIIF vs 0.9659
    # RDN); with THE sinc correlation (the ideal sinc) RDN leads: 0.948 vs 0.941
    verdicts = check("fig09_impulse_responses", _baseline("fig09_impulse_responses"))
    assert len(verdicts) >= 6
    assert _failed_claims(verdicts) == [
        "the most sinc-like network of the paper's architectures is an RDN or an RCAN"]
    data = _baseline("fig09_impulse_responses")
    data["models"]["rdn-kit"]["sinc_correlation_raw"] = 0.948
    data["models"]["edsr-liif"]["sinc_correlation_raw"] = 0.941
    assert not failed(check("fig09_impulse_responses", data))


# ------------------------------------------------------------------ Fig. 1


@pytest.fixture(scope="module")
def bilinear_quiz():
    """The quiz with bilinear (a triangle: no side lobes) as "the network"."""
    return fig01_sinc_quiz.compute(profile="smoke", model="bilinear")


def test_fig01_fails_for_a_network_without_ringing(bilinear_quiz):
    verdicts = check("fig01_sinc_quiz", bilinear_quiz)
    assert _fails(verdicts, "rings like a sinc")
    assert _fails(verdicts, "deeper than every distractor")


def test_fig01_fails_when_a_distractor_rings_deeper():
    data = _baseline("fig01_sinc_quiz")
    data["candidates"]["bicubic-matlab"]["side_lobe_level"] = -0.2
    assert _failed_claims(check("fig01_sinc_quiz", data)) == [
        "its side lobe is deeper than every distractor's (the answer is the sinc-like option)"]


def test_fig01_fails_when_the_network_is_no_closer_to_the_sinc():
    data = _baseline("fig01_sinc_quiz")
    data["candidates"]["edsr-liif"]["sinc_correlation"] = 0.85  # nearest: 0.816
    assert _fails(check("fig01_sinc_quiz", data), "closer to the ideal sinc")


def test_fig01_fails_without_a_network():
    data = _baseline("fig01_sinc_quiz")
    data["candidates"]["edsr-liif"]["kind"] = "distractor"
    assert failed(check("fig01_sinc_quiz", data))


# ------------------------------------------------------------------ Fig. 9


def test_fig09_fails_with_bicubic_standing_in_for_every_network():
    data = _baseline("fig09_impulse_responses")
    bicubic = data["models"]["bicubic-matlab"]
    for m, row in data["models"].items():
        if m != "bicubic-matlab":
            row.update({k: bicubic[k] for k in ("side_lobe_level", "side_lobe_negative",
                                                 "main_lobe_width", "sinc_correlation_raw",
                                                 "windowed_sinc_distance",
                                                 "ideal_sinc_distance")})
    assert _fails(check("fig09_impulse_responses", data), "every network rings more than bicubic")


def test_fig09_fails_for_a_network_without_negative_side_lobes():
    data = _baseline("fig09_impulse_responses")
    data["models"]["rdn-kit"].update(side_lobe_level="nan", side_lobe_negative=False)
    verdicts = check("fig09_impulse_responses", data)
    assert _fails(verdicts, "rings: a negative first side lobe")
    assert _fails(verdicts, "rings more than bicubic")


def test_fig09_fails_for_a_response_unlike_the_sinc():
    data = _baseline("fig09_impulse_responses")
    data["models"]["edsr-liif"]["sinc_correlation_raw"] = 0.7
    assert _fails(check("fig09_impulse_responses", data), "sinc-like: correlation")


def test_fig09_fails_when_bicubic_rings():
    data = _baseline("fig09_impulse_responses")
    data["models"]["bicubic-matlab"]["side_lobe_level"] = -0.2
    assert _fails(check("fig09_impulse_responses", data), "bicubic is a smooth blob")


def test_fig09_fails_when_edsr_is_the_most_sinc_like():
    data = _baseline("fig09_impulse_responses")
    data["models"]["edsr-liif"]["sinc_correlation_raw"] = 0.99
    assert _fails(check("fig09_impulse_responses", data), "an RDN or an RCAN")


def test_fig09_fails_when_the_paper_bitmaps_disagree():
    data = _baseline("fig09_impulse_responses")
    data["models"]["rdn-kit"]["paper_correlation"] = 0.5
    data["models"]["edsr-liif"]["paper_correlation"] = 0.9
    verdicts = check("fig09_impulse_responses", data)
    assert _fails(verdicts, "match the paper's bitmaps")
    assert _fails(verdicts, "the paper's own network reproduces its bitmap")


def test_fig09_fails_without_networks():
    data = _baseline("fig09_impulse_responses")
    data["models"] = {"bicubic-matlab": data["models"]["bicubic-matlab"]}
    assert _fails(check("fig09_impulse_responses", data), "rings")


# ------------------------------------------------------------------ Fig. 10


def test_fig10_fails_when_the_gan_network_is_the_l1_network():
    # edsr-kit stands in for the GAN network: its counterpart (the fallback) is itself
    result = fig10_gan_exceptions.compute(profile="smoke", gan_models=["edsr-kit"])
    assert result.pairs == [{"l1": "edsr-kit", "gan": "edsr-kit", "gan_less_sinc_like": False}]
    verdicts = check("fig10_gan_exceptions", result)
    assert len(verdicts) == 3 and len(failed(verdicts)) == 3


def test_fig10_fails_when_the_gan_network_is_as_sinc_like():
    data = _baseline("fig10_gan_exceptions")
    data["models"]["edsr-kit-gan"]["sinc_correlation"] = 0.92
    assert _fails(check("fig10_gan_exceptions", data), "correlates less")


def test_fig10_shape_check_accepts_a_blob_and_refuses_a_ringing_close_fit():
    # a smooth blob (no negative side lobe, small windowed-sinc distance: Real-ESRGAN x4plus)
    # departs from the sinc's shape; a GAN that still rings and fits a windowed sinc better does not
    data = _baseline("fig10_gan_exceptions")
    gan, l1 = data["models"]["edsr-kit-gan"], data["models"]["edsr-kit"]
    gan["windowed_sinc_distance"] = l1["windowed_sinc_distance"] / 2
    l1["side_lobe_negative"], gan["side_lobe_negative"] = True, False
    assert not _fails(check("fig10_gan_exceptions", data), "sinc's shape")
    gan["side_lobe_negative"] = True
    assert _fails(check("fig10_gan_exceptions", data), "sinc's shape")


def test_fig10_fails_without_pairs():
    data = _baseline("fig10_gan_exceptions")
    data["pairs"] = []
    assert failed(check("fig10_gan_exceptions", data))


# ------------------------------------------------------------------ Fig. 15


class _Ramp(nn.Module):
    """Bicubic x4 times a fixed horizontal gain ramp: a position-dependent (shift-variant) net."""

    def forward(self, x):
        y = F.interpolate(x, scale_factor=4, mode="bicubic", align_corners=False)
        return y * torch.linspace(0.5, 1.5, y.shape[-1], dtype=y.dtype)


def test_fig15_fails_for_a_shift_variant_model():
    offsets = [(0, 1), (1, 1), (-2, 3)]
    row, _ = fig15_shift_invariance.invariance_of(_Ramp(), scale=4, size=11, offsets=offsets)
    data = _baseline("fig15_shift_invariance")
    data["results"]["ramp"] = row
    verdicts = check("fig15_shift_invariance", data)
    assert _fails(verdicts, "identical apart from their position")
    assert _fails(verdicts, "no pixel differs")


# ------------------------------------------------------------------ Fig. 16


def test_fig16_fails_for_the_gan_trained_edsr():
    # the same architecture trained adversarially: its tail is no sinc (correlation ~0.71)
    result = fig16_feature_maps.compute(profile="smoke", model="edsr-kit-gan")
    assert _fails(check("fig16_feature_maps", result), "after the tail conv")


def test_fig16_fails_when_an_lr_stage_is_already_a_sinc():
    data = _baseline("fig16_feature_maps")
    data["stages"]["head"]["sinc_correlation_maxabs"] = 0.8
    verdicts = check("fig16_feature_maps", data)
    assert _fails(verdicts, "no sinc before the upsampler")
    assert _fails(verdicts, "forms after the upsampler")


def test_fig16_fails_without_an_upsampler_stage():
    data = copy.deepcopy(_baseline("fig16_feature_maps"))
    data["stage_order"] = data["stage_order"][:3]
    assert failed(check("fig16_feature_maps", data))
