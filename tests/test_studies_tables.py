"""Tests of the table studies (Table 1, Tables 4-5, ext01), their plots, and the helpers they use.

Quick unit tests of parameter validation (every error names its parameter), small real runs on
analytic models, a falsifying model for ext01 (a TorchScript nearest-neighbour upsampler standing
in for a trained network), and each notebook run with papermill in the smoke profile with a
checkpoint path as its model (``@pytest.mark.notebooks``).
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest
import torch
from _notebooks import run_notebook

from lpf._checks import ShapeError
from lpf._io import write_text
from lpf.analysis.impulse import impulse_response
from lpf.analysis.sinc import sinc_correlation
from lpf.evaluate import evaluate, super_resolve
from lpf.metrics.ranking import kendall_tau, spearman, spearman_with_ci
from lpf.models import load_model
from lpf.plot.tables import (
    plot_ext01,
    plot_labeled_scatter,
    plot_rank_chart,
    plot_table1,
    plot_table4_5,
)
from lpf.studies import ext01_sinc_vs_quality as E
from lpf.studies import table1_metrics as T1
from lpf.studies import table4_5_l1_l2 as T45
from lpf.studies.claims import tables as claims

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
KIT_CHECKPOINT = ROOT / "data" / "models" / "edsr-kit.pth"
ANALYTIC = ["bicubic-matlab", "nearest", "bilinear", "lanczos3", "sinc-lpf", "bicubic"]
STUDIES = [T1, T45, E]


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("LPF_CACHE_DIR", str(tmp_path / "cache"))


# ------------------------------------------------------------------------- parameter checks


@pytest.mark.parametrize("study", STUDIES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_unknown_profile_names_the_parameter(study):
    with pytest.raises(ValueError, match=r"parameter `profile`.*did you mean 'full'"):
        study.compute(profile="Full")


@pytest.mark.parametrize("study", STUDIES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_unknown_model_names_the_parameter(study):
    with pytest.raises(KeyError, match="parameter `models`"):
        study.compute(profile="smoke", models=["bicubic-matlab", "edsr-liff"])


def test_missing_checkpoint_names_the_parameter(tmp_path):
    with pytest.raises(FileNotFoundError, match="parameter `models`"):
        T45.compute(profile="smoke", models=[str(tmp_path / "nope.pth")])


@pytest.mark.parametrize(("study", "kwargs", "name"), [
    (T1, {"hr_size": 90}, "hr_size"),  # not divisible by x4
    (T1, {"scales": [2, 0]}, "scales"),
    (T1, {"max_images": 0}, "max_images"),
    (T1, {"fsds_check_scale": 3}, "fsds_check_scale"),  # not one of the smoke scales
    (T45, {"hr_size": 90}, "hr_size"),  # not divisible by x4
    (T45, {"large_scales": [-6]}, "large_scales"),
    (E, {"hr_size": 122}, "hr_size"),
    (E, {"scale": 0}, "scale"),
    (E, {"impulse_size": -1}, "impulse_size"),
    (E, {"n_boot": 50}, "n_boot"),
    (E, {"level": 1.5}, "level"),
])
def test_bad_sizes_name_the_parameter(study, kwargs, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        study.compute(profile="smoke", **kwargs)


def test_sr_folders_must_exist(tmp_path):
    with pytest.raises(FileNotFoundError, match="parameter `sr_folders`"):
        T1.compute(profile="smoke", sr_folders=[str(tmp_path / "missing")])


def test_full_profiles_evaluate_crops_of_at_least_256_pixels():
    """On small crops a few bad border pixels dominate FSDS (issue 12): the full profiles use
    crops of >= 256 px (Table 1: divisible by every scale it runs) or whole benchmark images."""
    assert T1.FULL_HR_SIZE >= 256
    assert all(T1.FULL_HR_SIZE % s == 0 for s in (*T1.FULL_SCALES, *T1.FULL_LARGE_SCALES))
    assert E.FULL_HR_SIZE >= 256 and E.FULL_HR_SIZE % 4 == 0
    assert set(E.WHOLE_IMAGE_SETS) == {"Set5", "Set14", "B100"}  # at most 512 px: whole
    assert set(E.VERDICT_SCORES) == {"psnr", "fsds_crop"} and "fsds" in E.SCORES


class _Stop(Exception):
    pass


@pytest.mark.parametrize(("found", "profile", "hr_size", "expected"), [
    ("Set5", "full", None, ("Set5", None)),  # a small set: whole images
    ("DIV2K-valid", "full", None, ("DIV2K-valid", 256)),  # large images: 256-px crops
    (None, "full", None, ("embedded", 256)),  # no benchmark on disk: the embedded photographs
    ("Set5", "smoke", None, ("Set5", 120)),
    (None, "full", 0, ("embedded", None)),  # 0: whole images
    ("Set5", "full", 64, ("Set5", 64)),
])
def test_ext01_images_by_profile_and_set(monkeypatch, found, profile, hr_size, expected):
    def load_set(name, **kwargs):
        if found is None:
            raise E.DatasetNotFound(name)
        return type("Found", (), {"name": found})()

    def evaluate(models, dataset, *, hr_size, **kwargs):
        raise _Stop(dataset, hr_size)

    monkeypatch.setattr(E, "load_set", load_set)
    monkeypatch.setattr(E, "evaluate", evaluate)
    with pytest.raises(_Stop) as info:
        E.compute(profile=profile, models=["nearest", "bicubic-matlab"], hr_size=hr_size)
    assert info.value.args == expected


def test_paper_rank_tables_are_permutations_with_ties():
    for table in (T1.PAPER_RANKS, T45.PAPER_RANKS):
        for columns in table.values():
            for ranks in columns.values():
                assert len(ranks) == 18 and min(ranks) == 1 and max(ranks) in (17, 18)
    assert T1.paper_kendall("psnr", "fsds", 2) == pytest.approx(0.342, abs=1e-3)
    assert T45.paper_kendall("l1", "l1_freq", 4) == pytest.approx(0.922, abs=1e-3)


# ------------------------------------------------------------------------------ real runs


def test_table4_5_on_analytic_models_and_its_claims():
    r = T45.compute(profile="smoke", models=ANALYTIC, scales=[2], hr_size=32, max_images=1)
    d = r.to_json()
    assert d["models"] == ANALYTIC and d["scales"] == [2] and d["dataset"] == "embedded-hr32"
    assert d["worst_parseval_relative"] < T45.PARSEVAL_TOL
    assert d["agreement"]["2"]["n_models"] == 6 and d["agreement"]["2"]["l2~l2_freq"]["identical"]
    assert "evaluation" not in d and r.l2.shape == (6,)
    verdicts = claims.table4_5_l1_l2(d)
    assert all(v.passed for v in verdicts if "Parseval" in v.claim or "identically" in v.claim)
    fig = plot_table4_5(r)
    assert len(fig.axes) == 3
    plt.close(fig)


def test_table1_with_a_checkpoint_path_and_its_claims():
    r = T1.compute(profile="smoke", models=["nearest", "sinc-lpf", "lanczos3",
                                            str(KIT_CHECKPOINT)],
                   reference_networks=["edsr-kit"], hr_size=48, max_images=1)
    d = r.to_json()
    # bicubic-matlab is always evaluated (the claims' reference); the path runs at x4 only
    assert d["models"][0] == "bicubic-matlab" and "edsr-kit" in d["models"]
    assert "edsr-kit" not in d["ranks"]["paper"]["psnr@x2"]
    assert "edsr-kit" in d["ranks"]["paper"]["psnr@x4"]
    assert d["fsds_check"]["table"] == pytest.approx(d["fsds_check"]["recomputed_sr_denominator"])
    assert "| Method |" in r.markdown and r"\begin{tabular}" in r.latex
    verdicts = claims.table1_metrics(d)
    assert [v.passed for v in verdicts if "fsds(gt, sr)" in v.claim] == [True]
    # FSDS twice: as the paper computes it, and with a border of `scale` px cropped
    assert set(d["columns"]) == {*d["metrics"], "fsds_crop"} and d["metrics"][-1] == "fsds"
    assert "| FSDS x4 | FSDS (border 2 px cropped) x2 | FSDS (border 4 px cropped) x4 |" in (
        r.markdown)
    assert "FSDS (border $s$ px cropped)" in r.latex
    assert "edsr-kit" in d["ranks"]["sr"]["fsds_crop@x4"]
    assert d["means"]["paper"]["edsr-kit@x4"]["fsds_crop"] is not None
    assert set(d["reference_networks_not_beating_bicubic_fsds"]) == {"fsds", "fsds_crop"}
    fig = plot_table1(r)  # ranks, PSNR, FSDS and the border-cropped FSDS against the scale
    assert len(fig.axes) == 4
    assert fig.axes[3].get_ylabel() == "FSDS, border cropped (dB)"
    plt.close(fig)


class _Nearest(torch.nn.Module):
    def forward(self, x):
        return torch.nn.functional.interpolate(x, scale_factor=4.0, mode="nearest")


def test_ext01_nearest_standing_in_for_networks_fails_the_sinc_claim(tmp_path):
    """A falsifying model: TorchScript nearest upsamplers as the 'trained networks'."""
    paths = []
    for i in range(3):
        path = tmp_path / f"net{i}.pt"
        with warnings.catch_warnings():  # torch deprecates TorchScript; users still have files
            warnings.simplefilter("ignore", FutureWarning)
            torch.jit.save(torch.jit.script(_Nearest()), str(path))
        paths.append(str(path))
    r = E.compute(profile="smoke", models=["bicubic-matlab", "sinc-lpf", "lanczos3", *paths],
                  hr_size=32, max_images=1, n_boot=100)
    d = r.to_json()
    assert d["trained_networks"] == ["net0", "net1", "net2"]
    assert d["diagnostics"]["net0"]["sinc_correlation"] < claims.SINC_LIKE_MIN
    (sinc,) = [v for v in claims.ext01_sinc_vs_quality(d) if "sinc-like (central" in v.claim]
    assert not sinc.passed
    # every score is correlated; the verdict counts PSNR and the border-cropped FSDS only
    assert {"fsds", "fsds_crop"} <= set(d["diagnostics"]["net0"])
    counted = [k for k, v in d["correlations"].items() if "rho" in v
               and any(f" vs {s} (" in k for s in E.VERDICT_SCORES)]
    assert any(" vs fsds (" in k for k in d["correlations"])
    assert d["n_tested"] == len(counted) > 0 and "border-cropped FSDS" in d["verdict"]
    assert d["hr_size"] == 32
    fig = plot_ext01(r)
    assert len(fig.axes) == 4
    plt.close(fig)


# ------------------------------------------- helpers of the table studies (from test_experiments)


def test_evaluate_with_crops_runs_each_model_once_per_preset():
    evs = evaluate(["nearest", "bicubic-matlab", "edsr-kit"], "embedded", scales=[2, 3],
                   hr_size=24, limit=2, preset=["paper", "sr"], progress=False)
    paper, sr = evs["paper"], evs["sr"]
    assert paper.dataset == "embedded-hr24" and paper.scales() == [2, 3]
    # edsr-kit is x4 only: skipped at x2/x3 (a "–" cell), the others are there
    assert paper.models() == ["nearest", "bicubic-matlab"]
    assert len(paper.rows) == 2 * 2 * 2 and len(sr.rows) == len(paper.rows)
    m = paper.means()
    assert m[("bicubic-matlab", 2)]["psnr"] > m[("nearest", 2)]["psnr"]
    assert "l2_freq" in paper.metrics and "l2_freq" not in sr.metrics
    # the paper preset's FSDS is fsds(gt, sr): SR spectrum in the denominator
    assert any(r["fsds"] != s["fsds"] for r, s in zip(paper.rows, sr.rows, strict=True))
    with pytest.raises(ValueError, match="divisible"):
        evaluate(["nearest"], "embedded", scales=[5], hr_size=24)
    with pytest.raises(ValueError, match="preset"):
        evaluate(["nearest"], "embedded", scales=[2], hr_size=24, preset=["nope"])


def test_evaluate_scales_per_model():
    ev = evaluate(["nearest", "bicubic-matlab"], "embedded",
                  scales={"nearest": [2], "bicubic-matlab": [2, 4]}, hr_size=16, limit=1,
                  progress=False, cache=False)
    assert sorted((r["model"], r["scale"]) for r in ev.rows) == [
        ("bicubic-matlab", 2), ("bicubic-matlab", 4), ("nearest", 2)]
    with pytest.raises(ValueError, match="not in `models`"):
        evaluate(["nearest"], "embedded", scales={"bicubic": [2]}, hr_size=16, cache=False)


def test_super_resolve_by_name_and_model():
    x = torch.rand(3, 6, 5, dtype=torch.float64)
    y = super_resolve("sinc-lpf", x, scale=2)
    assert y.shape == (3, 12, 10) and y.dtype == torch.float64
    assert float(y.min()) >= 0.0 and float(y.max()) <= 1.0
    z = super_resolve(load_model("nearest", scale=2), x)
    assert torch.allclose(z, x.repeat_interleave(2, -1).repeat_interleave(2, -2), atol=1e-6)
    with pytest.raises(ValueError, match="scale"):
        super_resolve("nearest", x)


def _reference_spearman(x, y):
    """Spearman's rho from the textbook formula 1 - 6 sum d^2 / (n (n^2 - 1)) (no ties)."""
    rx = np.argsort(np.argsort(x)) + 1
    ry = np.argsort(np.argsort(y)) + 1
    n = len(x)
    return 1 - 6 * float(((rx - ry) ** 2).sum()) / (n * (n * n - 1))


def test_spearman_and_kendall_reference_values():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=12), rng.normal(size=12)
    assert spearman(x, y) == pytest.approx(_reference_spearman(x, y), abs=1e-12)
    assert spearman(x, 3 * x + 1) == 1.0 and spearman(x, -x) == -1.0
    # Kendall tau-b with ties, by hand: P - Q = 4 over sqrt(5 * 5) untied pairs on each side
    assert kendall_tau([1, 2, 2, 3], [1, 3, 2, 3]) == pytest.approx(0.8)
    assert kendall_tau([1, 2, 3], [3, 2, 1]) == -1.0
    assert math.isnan(kendall_tau([1, 1, 1], [1, 2, 3]))
    with pytest.raises(ShapeError, match="same length"):
        spearman([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="finite"):
        kendall_tau([1, 2, float("nan")], [1, 2, 3])


def test_spearman_with_ci_is_seeded_and_sound():
    x = [1, 2, 3, 4, 5, 6]
    y = [1, 3, 2, 5, 4, 6]
    a = spearman_with_ci(x, y, n_boot=300, seed=3)
    b = spearman_with_ci(x, y, n_boot=300, seed=3)
    assert a == b and a.n == 6 and a.level == 0.95
    assert a.rho == pytest.approx(spearman(x, y))
    assert a.low <= a.rho <= a.high <= 1.0
    # exact permutation p-value for n = 4, perfect order: 2 of 24 permutations reach |rho| = 1
    assert spearman_with_ci([1, 2, 3, 4], [1, 2, 3, 4], n_boot=100).p_value == pytest.approx(
        2 / 24)
    # n > 8: random permutations; an unrelated pair is not significant
    rng = np.random.default_rng(0)
    r = spearman_with_ci(rng.normal(size=20), rng.normal(size=20), n_boot=200, n_perm=2000)
    assert r.p_value > 0.05 and r.low < r.rho < r.high
    with pytest.raises(ValueError, match="at least 3"):
        spearman_with_ci([1, 2], [1, 2])
    with pytest.raises(ValueError, match="level"):
        spearman_with_ci(x, y, level=1.5)
    with pytest.raises(ValueError, match="n_boot"):
        spearman_with_ci(x, y, n_boot=10)


def test_sinc_correlation():
    h = impulse_response(load_model("bicubic-matlab", scale=4), scale=4, size=11)
    corr = sinc_correlation(h, scale=4)
    assert 0.85 < corr < 1.0  # bicubic: sinc-like, but not the sinc
    near = sinc_correlation(impulse_response(load_model("nearest", scale=4), scale=4), scale=4)
    assert near < corr
    assert sinc_correlation(h.numpy(), scale=4) == pytest.approx(corr)
    with pytest.raises(ShapeError, match="divisible"):
        sinc_correlation(torch.zeros(3, 10, 10), scale=4)


def test_table_plot_helpers(tmp_path):
    fig, ax = plot_rank_chart({"PSNR": {"a": 1, "b": 2, "c": None},
                               "FSDS": {"a": 2, "b": 1, "c": 3}}, highlight=["a"])
    assert len(ax.lines) == 3 and ax.get_ylim()[0] > ax.get_ylim()[1]  # rank 1 on top
    plt.close(fig)
    with pytest.raises(ValueError, match="empty"):
        plot_rank_chart({})
    fig, ax = plot_labeled_scatter([0, 1, 2], [2, 1, 0], ["a", "b", "c"],
                                   colors=["C0", "C1", "C2"], xlabel="x")
    assert [t.get_text() for t in ax.texts] == ["a", "b", "c"]
    plt.close(fig)
    with pytest.raises(ValueError, match="same length"):
        plot_labeled_scatter([0, 1], [0], ["a", "b"])
    path = write_text("| a |\n", "t.md", out_dir=tmp_path)
    assert path.read_text() == "| a |\n"
    with pytest.raises(ValueError, match="bare file name"):
        write_text("x", "sub/t.md", out_dir=tmp_path)


# ------------------------------------------------------------ notebooks with a checkpoint path


def _run_notebook(stem, tmp_path, notebook_kernel, parameters):
    return run_notebook(stem, tmp_path, notebook_kernel, **parameters)


@pytest.mark.notebooks
def test_table1_notebook_with_a_checkpoint_path(tmp_path, notebook_kernel):
    out, data = _run_notebook("table1_metrics", tmp_path, notebook_kernel, {
        "models": ["nearest", str(KIT_CHECKPOINT)], "hr_size": 48, "max_images": 1})
    assert "edsr-kit" in data["models"] and data["profile"] == "smoke"
    assert (out / "table1_metrics.md").is_file() and (out / "table1_metrics.tex").is_file()


@pytest.mark.notebooks
def test_table4_5_notebook_with_a_checkpoint_path(tmp_path, notebook_kernel):
    out, data = _run_notebook("table4_5_l1_l2", tmp_path, notebook_kernel, {
        "models": ["nearest", "bicubic-matlab", str(KIT_CHECKPOINT)], "scales": [4],
        "hr_size": 48, "max_images": 1})
    assert data["models"] == ["nearest", "bicubic-matlab", "edsr-kit"]
    assert (out / "table4_5_l1_l2.md").is_file()


@pytest.mark.notebooks
def test_ext01_notebook_with_a_checkpoint_path(tmp_path, notebook_kernel):
    _, data = _run_notebook("ext01_sinc_vs_quality", tmp_path, notebook_kernel, {
        "models": ["bicubic-matlab", "nearest", "sinc-lpf", str(KIT_CHECKPOINT)],
        "hr_size": 48, "max_images": 1, "n_boot": 100})
    assert data["trained_networks"] == ["edsr-kit"] and "edsr-kit" in data["diagnostics"]
