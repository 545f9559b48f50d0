"""Tests of the HyRA studies (Figs. 4, 14, 19): parameter checks, results, plots, notebook runs.

The papermill runs (``-m notebooks``) give each network notebook a checkpoint path as its model:
the committed kit checkpoint ``data/models/edsr-kit.pth`` (x4), architecture auto-detected.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from _notebooks import run_notebook
from PIL import Image

from lpf.analysis.hyra import hyra
from lpf.plot.hyra import plot_evolution, plot_hyra_example, plot_hyra_networks
from lpf.studies import fig04_hyra, fig14_hyra_networks, fig19_training_evolution
from lpf.studies.fig14_hyra_networks import load_hyra_reference
from lpf.studies.fig19_training_evolution import (
    RecordedRunError,
    record_training_evolution,
    recorded_runs_dir,
    training_cache_key,
    training_evolution,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
CHECKPOINT = ROOT / "data" / "models" / "edsr-kit.pth"
TINY_RDN = {"G0": 4, "D": 1, "C": 1, "G": 4}


# ------------------------------------------------------------------------ parameter checks


@pytest.mark.parametrize("study", [fig04_hyra, fig14_hyra_networks, fig19_training_evolution])
def test_unknown_profile_names_the_parameter(study):
    with pytest.raises(ValueError, match="`profile`.*did you mean 'full'"):
        study.compute(profile="Full")


@pytest.mark.parametrize("study", [fig04_hyra, fig14_hyra_networks, fig19_training_evolution])
@pytest.mark.parametrize("size", [0, -3, 2.5, True])
def test_bad_lr_size_names_the_parameter(study, size):
    with pytest.raises(ValueError, match="`lr_size`"):
        study.compute(profile="smoke", lr_size=size)


@pytest.mark.parametrize("study", [fig04_hyra, fig14_hyra_networks, fig19_training_evolution])
def test_unknown_image_names_the_parameter(study):
    with pytest.raises(ValueError, match="`image`"):
        study.compute(profile="smoke", image="astronot")


def test_unknown_models_name_the_parameter():
    with pytest.raises(KeyError, match="`model`"):
        fig04_hyra.compute(profile="smoke", model="edsr-liff")
    with pytest.raises(KeyError, match="`models`"):
        fig14_hyra_networks.compute(profile="smoke", models=["rdn-kit", "swinir-kat"])
    with pytest.raises(KeyError, match="`extra_models`"):
        fig14_hyra_networks.compute(profile="smoke", extra_models=["imbd"])
    with pytest.raises(FileNotFoundError, match="`model`"):
        fig04_hyra.compute(profile="smoke", model="/nonexistent/net_x4.pth")
    with pytest.raises(TypeError, match="`models`"):
        fig14_hyra_networks.compute(profile="smoke", models="rdn-kit")


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"iterations": 0}, "iterations"), ({"batch_size": -1}, "batch_size"),
    ({"patch_size": 1.5}, "patch_size"), ({"snapshots": []}, "snapshots"),
    ({"iterations": 10, "snapshots": [5, 20]}, "snapshots"),
    ({"train_images": ["chelsae"]}, "train_images"),
])
def test_fig19_bad_training_parameters_name_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        fig19_training_evolution.compute(profile="smoke", **kwargs)


# ------------------------------------------------------------------------------ the studies


def test_fig04_accepts_a_checkpoint_path_and_keeps_arrays_out_of_the_json():
    result = fig04_hyra.compute(profile="smoke", model=str(CHECKPOINT), lr_size=12)
    data = result.to_json()
    assert data["model"] == "edsr-kit" and data["lr_size"] == 12
    assert "display" not in data and "amplitude_max" not in data
    assert set(data["summary"]) >= {"fraction_above_linear", "phase_opposition"}
    json.dumps(data)
    assert result.display["nonlinear"]["image"].shape == (48, 48, 3)
    plt.close(plot_hyra_example(result))


def test_fig14_explicit_models_are_kept_in_the_smoke_profile():
    result = fig14_hyra_networks.compute(profile="smoke", lr_size=12,
                                         models=["bicubic-matlab", CHECKPOINT])
    assert list(result.networks) == ["bicubic-matlab", "edsr-kit"]
    assert result.order[0] == result.least_high_frequency_in_H
    assert set(result.low_pass) == set(result.networks) and result.reference is None
    json.dumps(result.to_json())
    plt.close(plot_hyra_networks(result))


def test_fig19_tiny_run_and_its_plot(tmp_path, monkeypatch):
    monkeypatch.setenv("LPF_CACHE_DIR", str(tmp_path))
    result = fig19_training_evolution.compute(
        profile="smoke", iterations=3, snapshots=[1, 3], batch_size=1, patch_size=8,
        train_images=["chelsea"], rdn_kwargs=TINY_RDN, lr_size=8)
    data = result.to_json()
    assert [s["iteration"] for s in data["snapshots"]] == [1, 3]
    assert data["cache_key"] is None and data["training"]["iterations"] == 3
    assert "hr" not in data and "cached" not in data
    assert result.responses[0].ndim == 2 and result.hr.shape == (32, 32, 3)
    plt.close(plot_evolution(result))


# ------------------------------------------------ moved from tests/test_hyra.py (lpf.hyra.*)


def test_load_hyra_reference(tmp_path):
    assert load_hyra_reference(tmp_path) is None
    lin, nonlin = np.random.default_rng(0).random((2, 3, 24, 24)).astype(np.float32)
    np.savez(tmp_path / "hyra_official.npz", linear=lin, nonlinear=nonlin)
    ref = load_hyra_reference(tmp_path)
    assert not ref.computed and ref.max_abs_error is None
    assert ref.result.mode == "paper" and ref.result.scale == 3
    torch.testing.assert_close(ref.result.sr, torch.from_numpy(lin + nonlin))
    np.savez(tmp_path / "hyra_official.npz", linear=lin)
    with pytest.raises(ValueError, match="nonlinear"):
        load_hyra_reference(tmp_path)


def test_load_hyra_reference_recomputes_from_images(tmp_path):
    rng = np.random.default_rng(1)
    lr = rng.integers(0, 256, (12, 12, 3), dtype=np.uint8)
    sr = rng.integers(0, 256, (36, 36, 3), dtype=np.uint8)
    ir = rng.integers(0, 256, (9, 9, 3), dtype=np.uint8)
    for name, arr in (("lr", lr), ("sr", sr), ("impulse_response", ir)):
        Image.fromarray(arr).save(tmp_path / f"{name}.png")
    t = [torch.from_numpy(a).permute(2, 0, 1).float() / 255 for a in (lr, sr, ir)]
    r = hyra(lr=t[0], sr=t[1], impulse_response=t[2], scale=3, mode="paper")
    np.savez(tmp_path / "hyra_official.npz", linear=r.linear.numpy(),
             nonlinear=r.nonlinear.numpy())
    ref = load_hyra_reference(tmp_path)
    assert ref.computed and ref.max_abs_error < 1e-6


def test_training_cache_key_is_order_free_and_sensitive():
    assert training_cache_key({"a": 1, "b": 2}) == training_cache_key({"b": 2, "a": 1})
    assert training_cache_key({"a": 1}) != training_cache_key({"a": 2})


def test_training_evolution_caches_and_reuses_the_run(tmp_path):
    kw = dict(iterations=3, snapshots=[1, 3], batch_size=1, patch_size=8, images=["coins"],
              arch_kwargs=TINY_RDN, cache_root=tmp_path)
    lr = torch.rand(3, 8, 8)
    first = training_evolution(lr, hr=torch.rand(3, 32, 32), **kw)
    assert not first.cached and first.folder.parent == tmp_path
    assert (first.folder / "params.json").is_file()
    assert [s.iteration for s in first.snapshots] == [1, 3]
    s = first.snapshots[-1].summary
    assert {"sinc_distance", "side_lobe_level", "psnr", "energy_above_nonlinear"} <= set(s)
    assert s["reconstruction_error"] < 1e-5
    again = training_evolution(lr, hr=torch.rand(3, 32, 32), **kw)
    assert again.cached and again.folder == first.folder
    for a, b in zip(first.snapshots, again.snapshots, strict=True):
        torch.testing.assert_close(a.result.sr, b.result.sr)
    other = training_evolution(lr, **{**kw, "seed": 1})
    assert other.folder != first.folder and "psnr" not in other.snapshots[0].summary
    with pytest.raises(ValueError, match="snapshots"):
        training_evolution(lr, **{**kw, "snapshots": [5]})
    with pytest.raises(ValueError, match="empty"):
        training_evolution(lr, **{**kw, "snapshots": []})


TINY_RUN = dict(iterations=3, snapshots=[1, 3], batch_size=1, patch_size=8, images=["coins"],
                learning_rate=1e-3,
                arch_kwargs=TINY_RDN)


def test_a_recorded_run_is_used_verified_and_never_half_written(tmp_path):
    runs = tmp_path / "runs"
    folder = record_training_evolution(runs, progress=False, **TINY_RUN)
    record = json.loads((folder / "record.json").read_text())
    assert set(record["files"]) == {"snapshots/iter_000001.pth", "snapshots/iter_000003.pth",
                                    "log.json"}
    assert {"torch", "python", "lpf", "device", "wall_time_s", "command"} <= set(record)
    lr = torch.rand(3, 8, 8)
    used = training_evolution(lr, cache_root=tmp_path / "cache", recorded_root=runs, **TINY_RUN)
    assert used.cached and used.folder == folder
    assert not (tmp_path / "cache").exists()  # nothing trained, nothing cached
    trained = training_evolution(lr, cache=False, **TINY_RUN)  # the same recipe, trained here
    for a, b in zip(used.snapshots, trained.snapshots, strict=True):
        torch.testing.assert_close(a.result.sr, b.result.sr)
    # other parameters: the recorded run does not apply, the run is trained (and cached)
    other = training_evolution(lr, cache_root=tmp_path / "cache", recorded_root=runs,
                               **{**TINY_RUN, "seed": 1})
    assert not other.cached and other.folder.parent == tmp_path / "cache"
    # a changed snapshot file is refused, naming the file and the command that rebuilds it
    snap = folder / "snapshots" / "iter_000003.pth"
    snap.write_bytes(snap.read_bytes() + b"x")
    with pytest.raises(RecordedRunError, match=r"iter_000003\.pth.*make fig19-run"):
        training_evolution(lr, cache_root=tmp_path / "cache", recorded_root=runs, **TINY_RUN)
    # a failing recording leaves nothing behind (and the old run stays)
    with pytest.raises(KeyError, match="no-such"):
        record_training_evolution(runs, progress=False, **{**TINY_RUN, "images": ["no-such"]})
    assert sorted(p.name for p in runs.iterdir()) == [folder.name]
    with pytest.raises(TypeError, match="unknown parameter"):
        record_training_evolution(runs, progress=False, iteration=3)


def test_the_shipped_fig19_run_is_the_full_profile_and_verifies():
    """data/runs/fig19 holds the run of the full profile's recipe; its files match the record."""
    from lpf.studies.fig19_training_evolution import _full_params, _load_recorded

    params = _full_params()
    folder = recorded_runs_dir() / training_cache_key(params)
    assert folder.is_dir(), f"{folder} missing: `make fig19-run` records it"
    assert json.loads((folder / "params.json").read_text()) == params
    loaded = _load_recorded(folder, params["snapshots"])
    assert loaded is not None and sorted(loaded[0]) == params["snapshots"]


# ------------------------------------------------------ the notebooks with a checkpoint path


def _run(stem: str, parameters: dict, tmp_path, notebook_kernel) -> dict:
    return run_notebook(stem, tmp_path, notebook_kernel, **parameters)[1]


@pytest.mark.notebooks
def test_fig04_notebook_with_a_checkpoint_path(tmp_path, notebook_kernel):
    data = _run("fig04_hyra", {"model": str(CHECKPOINT)}, tmp_path, notebook_kernel)
    assert data["model"] == "edsr-kit" and data["profile"] == "smoke"


@pytest.mark.notebooks
def test_fig14_notebook_with_a_checkpoint_path(tmp_path, notebook_kernel):
    data = _run("fig14_hyra_networks", {"models": [str(CHECKPOINT), "rdn-kit"]}, tmp_path,
                notebook_kernel)
    assert list(data["networks"]) == ["edsr-kit", "rdn-kit"]  # the user's models, not smoke's
