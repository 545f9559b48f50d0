"""Tests of the impulse studies (Figs. 1, 9, 10, 15, 16): parameter checks, results, plots and
notebook runs.

The papermill runs (``-m notebooks``) give each network notebook a checkpoint path as its model:
the committed kit checkpoints ``data/models/edsr-kit.pth`` (x4) and ``edsr-kit-gan.pth``,
architecture auto-detected.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from _notebooks import run_notebook

from lpf.plot.impulse import (
    plot_feature_maps,
    plot_gan_exceptions,
    plot_impulse_responses,
    plot_shift_invariance,
    plot_sinc_quiz,
)
from lpf.studies import (
    fig01_sinc_quiz,
    fig09_impulse_responses,
    fig10_gan_exceptions,
    fig15_shift_invariance,
    fig16_feature_maps,
)
from lpf.studies._impulse import central_profile, check_positive_int, training_of
from lpf.studies.fig09_impulse_responses import grid_slots, read_reference_responses

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
CHECKPOINT = ROOT / "data" / "models" / "edsr-kit.pth"
GAN_CHECKPOINT = ROOT / "data" / "models" / "edsr-kit-gan.pth"
STUDIES = [fig01_sinc_quiz, fig09_impulse_responses, fig10_gan_exceptions,
           fig15_shift_invariance, fig16_feature_maps]


# ------------------------------------------------------------------------ parameter checks


@pytest.mark.parametrize("study", STUDIES, ids=lambda s: s.__name__.rsplit(".", 1)[-1])
def test_unknown_profile_names_the_parameter(study):
    with pytest.raises(ValueError, match="`profile`.*did you mean 'full'"):
        study.compute(profile="Full")


@pytest.mark.parametrize("study", STUDIES, ids=lambda s: s.__name__.rsplit(".", 1)[-1])
@pytest.mark.parametrize("size", [0, -3, 2.5, True])
def test_bad_size_names_the_parameter(study, size):
    with pytest.raises(ValueError, match="`size`"):
        study.compute(profile="smoke", size=size)


@pytest.mark.parametrize(("study", "kwargs", "name"), [
    (fig01_sinc_quiz, {"model": "edsr-liff"}, "`model`"),
    (fig01_sinc_quiz, {"distractors": ["nearest", "bicubik"]}, "`distractors`"),
    (fig09_impulse_responses, {"models": ["edsr-liif", "rdn-kat"]}, "`models`"),
    (fig10_gan_exceptions, {"gan_models": ["esrgn"]}, "`gan_models`"),
    (fig10_gan_exceptions, {"fallback_counterpart": "edsr-kot"}, "`fallback_counterpart`"),
    (fig15_shift_invariance, {"models": ["rdn-kat"]}, "`models`"),
    (fig16_feature_maps, {"model": "edsr-kat"}, "`model`"),
])
def test_unknown_models_name_the_parameter(study, kwargs, name):
    with pytest.raises(KeyError, match=name):
        study.compute(profile="smoke", **kwargs)


@pytest.mark.parametrize(("study", "kwargs"), [
    (fig01_sinc_quiz, {"model": "/nonexistent/net_x4.pth"}),
    (fig09_impulse_responses, {"models": ["/nonexistent/net_x4.pth"]}),
    (fig15_shift_invariance, {"models": ["/nonexistent/net_x4.pth"]}),
    (fig16_feature_maps, {"model": "/nonexistent/net_x4.pth"}),
])
def test_missing_checkpoint_names_the_parameter(study, kwargs):
    with pytest.raises(FileNotFoundError, match="`model"):
        study.compute(profile="smoke", **kwargs)


def test_other_parameters_are_checked():
    with pytest.raises(ValueError, match="`distractors`"):
        fig01_sinc_quiz.compute(profile="smoke", distractors=["nearest"])
    with pytest.raises(ValueError, match="`distractors`"):
        fig01_sinc_quiz.compute(profile="smoke", model="nearest")  # the network is a distractor
    with pytest.raises(ValueError, match="`gaussian_sigma`"):
        fig01_sinc_quiz.compute(profile="smoke", gaussian_sigma=0)
    with pytest.raises(TypeError, match="`models`"):
        fig09_impulse_responses.compute(profile="smoke", models="edsr-liif")
    for bad in ([], [[0, 1, 2]], [[0.5, 1]], "01", [[True, 0]]):
        with pytest.raises(ValueError, match="`offsets`"):
            fig15_shift_invariance.compute(profile="smoke", offsets=bad)
    with pytest.raises(ValueError, match="`labels`"):
        fig16_feature_maps.compute(profile="smoke", labels=["a", "b"])
    with pytest.raises(ValueError, match="`scale`|scale"):
        fig01_sinc_quiz.compute(profile="smoke", scale=0)
    assert check_positive_int(np.int64(3), "size") == 3


# ------------------------------------------------------------------------ helpers


def test_grid_slots_prefers_the_paper_network_then_its_substitute():
    grid = grid_slots(["imdn", "rdn-kit", "edsr-liif", "carn-m"],
                      ["edsr", "edsr-liif", "rdn"], {"edsr": "edsr-kit", "rdn": "rdn-kit"})
    assert grid == [("edsr", "imdn"), ("edsr-liif", "edsr-liif"), ("rdn", "rdn-kit"),
                    (None, "carn-m")]


def test_training_of_names_and_files():
    assert training_of("edsr-kit-gan") == "gan"
    assert training_of("bicubic-matlab") == "none"
    assert training_of(str(GAN_CHECKPOINT)) == "unknown"  # a file says nothing of its loss


def test_central_profile_of_a_separable_sinc():
    x = np.arange(-8, 9)
    d, p = central_profile(np.outer(np.sinc(x / 4), np.sinc(x / 4)))
    assert d[0] == -8 and d[-1] == 8 and np.allclose(p, np.sinc(x / 4))


def test_read_reference_responses(tmp_path):
    from lpf.data import write_image

    img = np.zeros((8, 8), np.uint8)
    img[4, 4] = 255
    write_image(tmp_path / "edsr_x4.png", img)
    found = read_reference_responses(tmp_path, ["edsr", "rdn"], scale=4)
    assert list(found) == ["edsr"] and found["edsr"].shape == (8, 8)
    assert found["edsr"].max() == pytest.approx(1.0)
    assert read_reference_responses(tmp_path / "missing", ["edsr"]) == {}


# ------------------------------------------------------------------------ results and plots


def test_fig01_result_and_plot():
    r = fig01_sinc_quiz.compute(profile="smoke", model="bicubic", distractors=[
        "nearest", "bilinear"], shuffle=False)
    assert list(r.options.values()) == ["bicubic", "nearest", "bilinear", "gaussian"]
    assert r.answer == "A" and r.candidates["bicubic"]["kind"] == "network"
    js = r.to_json()
    assert "responses" not in js and "profiles" not in js and js["model"] == "bicubic"
    assert float(r.responses["gaussian"].sum()) == pytest.approx(16.0)  # DC gain 1 at x4
    fig = plot_sinc_quiz(r)
    assert fig.axes[0].get_title().startswith("I: 11x11")
    plt.close(fig)


def test_fig09_explicit_models_are_kept_in_smoke():
    # a user's models are never replaced by the smoke profile's; a path is a model like a name
    r = fig09_impulse_responses.compute(profile="smoke", models=["bicubic-matlab", CHECKPOINT],
                                        reference_dir="/nonexistent")
    assert list(r.models) == ["edsr-kit", "bicubic-matlab"]  # grid order: the edsr slot first
    assert r.models["edsr-kit"]["paper_slot"] == "edsr"
    assert r.models["edsr-kit"]["training"] == "unknown"
    assert not r.reference_dir_found and r.not_available == []
    assert r.models["edsr-kit"]["sinc_correlation_raw"] > 0.9
    fig = plot_impulse_responses(r)
    plt.close(fig)


def test_fig10_pairs_a_checkpoint_with_its_counterpart():
    r = fig10_gan_exceptions.compute(profile="smoke", gan_models=[GAN_CHECKPOINT])
    assert r.pairs[0]["l1"] == "edsr-kit" and r.pairs[0]["gan"] == "edsr-kit-gan"
    assert r.pairs[0]["gan_less_sinc_like"]
    assert r.models["edsr-kit-gan"]["training"] == "unknown"
    assert set(r.not_available) <= set()
    plt.close(plot_gan_exceptions(r))


def test_fig15_result_and_plot():
    r = fig15_shift_invariance.compute(profile="smoke", models=["bicubic"], offsets=[[0, 1]])
    assert r.offsets == [(0, 1)] and r.canvas == 13
    assert r.results["bicubic"]["max_relative_l2_error"] < 1e-5
    assert "responses" not in r.to_json()
    plt.close(plot_shift_invariance(r))


def test_fig16_result_and_plot():
    r = fig16_feature_maps.compute(profile="smoke", model=CHECKPOINT)
    assert r.model == "edsr-kit" and r.stage_order == fig16_feature_maps.LABELS
    assert [s["resolution"] for s in r.stages.values()] == ["LR", "LR", "HR", "HR"]
    assert r.tail_sinc_correlation > 0.9
    plt.close(plot_feature_maps(r))


# ------------------------------------------------------------------------ notebook runs


def _run(stem: str, tmp_path, notebook_kernel, **parameters) -> dict:
    return run_notebook(stem, tmp_path, notebook_kernel, **parameters)[1]


@pytest.mark.notebooks
def test_fig01_notebook_with_a_checkpoint(tmp_path, notebook_kernel):
    data = _run("fig01_sinc_quiz", tmp_path, notebook_kernel, model=str(CHECKPOINT))
    assert data["model"] == "edsr-kit" and "edsr-kit" in data["candidates"]


@pytest.mark.notebooks
def test_fig09_notebook_with_a_checkpoint(tmp_path, notebook_kernel):
    data = _run("fig09_impulse_responses", tmp_path, notebook_kernel,
                models=[str(CHECKPOINT), "bicubic-matlab"])
    assert set(data["models"]) == {"edsr-kit", "bicubic-matlab"}


@pytest.mark.notebooks
def test_fig10_notebook_with_a_checkpoint(tmp_path, notebook_kernel):
    data = _run("fig10_gan_exceptions", tmp_path, notebook_kernel, gan_models=[str(GAN_CHECKPOINT)],
                fallback_counterpart=str(CHECKPOINT))
    assert data["pairs"][0]["l1"] == "edsr-kit" and data["pairs"][0]["gan_less_sinc_like"]


@pytest.mark.notebooks
def test_fig15_notebook_with_a_checkpoint(tmp_path, notebook_kernel):
    data = _run("fig15_shift_invariance", tmp_path, notebook_kernel, models=[str(CHECKPOINT)])
    assert list(data["results"]) == ["edsr-kit"]


@pytest.mark.notebooks
def test_fig16_notebook_with_a_checkpoint(tmp_path, notebook_kernel):
    data = _run("fig16_feature_maps", tmp_path, notebook_kernel, model=str(CHECKPOINT))
    assert data["model"] == "edsr-kit"
