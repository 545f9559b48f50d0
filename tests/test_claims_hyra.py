"""Negative and positive tests of the HyRA claim checks (:mod:`lpf.studies.claims.hyra`).

Every claim check gets a falsifying input and must fail on it: a result computed from a model that
contradicts the claim where that is quick (bicubic standing in for the network of Fig. 4: no
phase opposition), else the smoke baseline JSON edited so that the claim is false (Fig. 19's
snapshots reversed: a network that gets worse with training). The smoke baselines (the
notebooks' JSON before the redesign) pass.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from lpf.studies import fig04_hyra, fig14_hyra_networks
from lpf.studies.claims import CLAIMS, check, failed
from lpf.studies.claims import hyra as claims

BASELINE = Path(__file__).resolve().parent / "data" / "smoke_baseline"
STEMS = ["fig04_hyra", "fig14_hyra_networks", "fig19_training_evolution"]


def _baseline(stem: str) -> dict:
    return json.loads((BASELINE / f"{stem}.json").read_text())


def _failing(verdicts) -> list[str]:
    return [v.claim for v in failed(verdicts)]


def _fails(verdicts, words: str) -> bool:
    return any(words in claim for claim in _failing(verdicts))


@pytest.mark.parametrize("stem", STEMS)
def test_registered_and_the_baseline_passes(stem):
    assert CLAIMS[stem] is claims.CLAIMS[stem]
    verdicts = check(stem, _baseline(stem))
    assert verdicts and not failed(verdicts), [str(v) for v in failed(verdicts)]
    for v in verdicts:
        assert v.section and v.threshold is not None and v.measured is not None


# ------------------------------------------------------------------------------------ Fig. 4


def test_fig04_fails_with_bicubic_standing_in_for_the_network():
    # bicubic is linear: G holds only its border and truncation, with no phase opposing H's grid
    result = fig04_hyra.compute(profile="smoke", model="bicubic-matlab")
    verdicts = check("fig04_hyra", result)
    assert _fails(verdicts, "phase opposes"), [str(v) for v in verdicts]


@pytest.mark.parametrize(("key", "value", "words"), [
    ("fraction_above_linear", 0.4, "H(I) is low-pass"),
    ("replica_prominence_linear", 3.0, "replica spots"),
    ("fraction_above_nonlinear", 0.2, "G(I) carries the high frequencies"),
    ("phase_opposition", 0.1, "phase opposes"),
    ("replica_suppression", 0.9, "replica suppression"),
])
def test_fig04_each_claim_fails_on_a_falsified_summary(key, value, words):
    data = _baseline("fig04_hyra")
    data["summary"][key] = value
    assert _fails(claims.fig04_hyra(data), words)


# ----------------------------------------------------------------------------------- Fig. 14


def test_fig14_fails_when_an_h_is_not_low_pass():
    data = _baseline("fig14_hyra_networks")
    data["networks"]["rdn-kit"]["fraction_above_linear"] = 0.8  # like RLFN's H
    assert _fails(claims.fig14_hyra_networks(data), "is low-pass (most energy")


def test_fig14_fails_when_g_has_less_high_frequency_than_h():
    data = _baseline("fig14_hyra_networks")
    data["networks"]["swinir-kit"]["fraction_above_nonlinear"] = 0.05
    assert _fails(claims.fig14_hyra_networks(data), "G(I) adds high frequencies")


def test_fig14_fails_with_one_analytic_model_for_every_row():
    # bicubic alone: no second network, so no "network-dependent strength" to see
    result = fig14_hyra_networks.compute(profile="smoke", models=["bicubic-matlab"])
    assert _fails(check("fig14_hyra_networks", result), "depends on the network")


def test_fig14_fails_without_network_dependent_strength():
    data = _baseline("fig14_hyra_networks")
    same = copy.deepcopy(data["networks"]["rdn-kit"])
    data["networks"]["swinir-kit"] = same
    assert _fails(claims.fig14_hyra_networks(data), "depends on the network")
    one = _baseline("fig14_hyra_networks")
    del one["networks"]["swinir-kit"]
    assert _fails(claims.fig14_hyra_networks(one), "depends on the network")


def test_fig14_edsr_claim_is_checked_and_can_fail():
    data = _baseline("fig14_hyra_networks")
    assert not any("EDSR" in v.claim for v in claims.fig14_hyra_networks(data))  # no EDSR here
    data["networks"]["edsr-kit"] = dict(data["networks"]["rdn-kit"], fraction_above_linear=0.05)
    assert data["least_high_frequency_in_H"] == "rdn-kit"
    assert _fails(claims.fig14_hyra_networks(data), "EDSR removes the most")
    data["least_high_frequency_in_H"] = "edsr-kit"
    assert not failed(claims.fig14_hyra_networks(data))


def test_fig14_fails_when_the_official_example_is_not_reproduced():
    data = _baseline("fig14_hyra_networks")
    data["reference"]["max_abs_error"] = 0.05
    assert _fails(claims.fig14_hyra_networks(data), "reproduces the official example")
    data = _baseline("fig14_hyra_networks")
    data["reference"]["summary"]["phase_opposition"] = 0.3
    assert _fails(claims.fig14_hyra_networks(data), "official example's H")


# ----------------------------------------------------------------------------------- Fig. 19


def test_fig19_fails_when_training_makes_the_network_worse():
    # the snapshots in reverse: the network "unlearns" (the later iteration holds the early state)
    data = _baseline("fig19_training_evolution")
    snaps = data["snapshots"]
    iterations = [s["iteration"] for s in snaps]
    data["snapshots"] = [dict(s, iteration=i) for s, i in zip(snaps[::-1], iterations,
                                                                  strict=True)]
    verdicts = claims.fig19_training_evolution(data)
    for words in ("more sinc-like", "grid of H(I) fades", "more high frequencies",
                  "more edges", "PSNR rises"):
        assert _fails(verdicts, words), (words, [str(v) for v in verdicts])


@pytest.mark.parametrize(("key", "value", "words"), [
    ("sinc_distance", 0.9, "more sinc-like"),
    ("side_lobe_level", 0.05, "negative first side lobe"),
    ("fraction_above_linear", 0.7, "grid of H(I) fades"),
    ("energy_detail_nonlinear", 100.0, "more high frequencies"),
    ("detail_correlation", -0.2, "more edges"),
    ("psnr", 10.0, "PSNR rises"),
])
def test_fig19_each_claim_fails_on_a_falsified_last_snapshot(key, value, words):
    data = _baseline("fig19_training_evolution")
    data["snapshots"][-1][key] = value
    assert _fails(claims.fig19_training_evolution(data), words)


def test_fig19_fails_with_a_single_snapshot():
    data = _baseline("fig19_training_evolution")
    data["snapshots"] = data["snapshots"][:1]
    assert failed(claims.fig19_training_evolution(data))
