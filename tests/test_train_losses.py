"""Tests of the trainer's frequency losses (``"l1+fsds"``, ``"l1+ffl"``) and of the ext04 runs.

A tiny network (two convs, x2) trains for a few steps on small synthetic images: the losses are
finite, the FSDS term has gradients and moves the network, bad loss names and weights are clear
errors, and the study's recorder (:func:`lpf.studies.ext04_fsds_loss.record_runs`) writes
records that :func:`~lpf.studies.ext04_fsds_loss.compute` reads, resumes without retraining and
re-checks against their weights. The committed runs (``data/runs/fsds_loss/cpu``) are checked
when present.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from lpf._io import sha256_file
from lpf.metrics import fsds_loss
from lpf.train import make_pairs, train
from lpf.train.loss_study import (
    LOSS_RECIPES,
    LOSS_VARIANTS,
    MAX_RUN_BYTES,
    build_network,
    run_name,
)

SCALE = 2


def _image(h: int = 48, w: int = 40, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    noise = torch.from_numpy(rng.random((1, 3, h // 4, w // 4))).float()
    up = F.interpolate(noise, size=(h, w), mode="bicubic", align_corners=False)
    return (up[0].permute(1, 2, 0).clamp(0, 1).numpy() * 255).round().astype(np.uint8)


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def pairs():
    return make_pairs([_image(seed=0), _image(40, 56, seed=1)], scale=SCALE)


def _tiny(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(8, 3 * SCALE**2, 3, padding=1), nn.PixelShuffle(SCALE))


def _run(net, pairs, **kwargs):
    opts = {"scale": SCALE, "pairs_or_images": pairs, "iterations": 4, "batch_size": 2,
            "patch_size": 8, "progress": False, "log_every": 1, "lr": 1e-3}
    opts.update(kwargs)
    return train(net, **opts)


def _has_ffl() -> bool:
    try:
        import focal_frequency_loss  # noqa: F401
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------------------- the losses


@pytest.mark.parametrize("loss", ["l1+fsds", "l1+ffl"])
def test_frequency_losses_are_finite_and_logged(pairs, loss):
    if loss == "l1+ffl" and not _has_ffl():
        pytest.skip("needs focal-frequency-loss (pip install focal-frequency-loss)")
    term = loss.split("+")[1]
    result = _run(_tiny(), pairs, loss=loss, **{f"{term}_weight": 0.5})
    assert result.finished
    for entry in result.log["train"]:
        assert {"loss", "l1", term} <= set(entry)
        assert all(np.isfinite(entry[k]) for k in ("loss", "l1", term))
        assert entry["loss"] == pytest.approx(entry["l1"] + 0.5 * entry[term], rel=1e-5)
    assert result.log["config"][f"{term}_weight"] == 0.5
    assert all(p.isfinite().all() for p in result.model.parameters())


def test_fsds_term_has_gradients_and_changes_training(pairs):
    net = _tiny()
    x = torch.rand(2, 3, 8, 8)
    y = torch.rand(2, 3, 16, 16)
    fsds_loss(net(x), y).backward()
    grads = [p.grad for p in net.parameters()]
    assert all(g is not None and g.isfinite().all() for g in grads)
    assert sum(float(g.abs().sum()) for g in grads) > 0
    l1 = _run(_tiny(), pairs, loss="l1")
    both = _run(_tiny(), pairs, loss="l1+fsds", fsds_weight=1e-2)
    assert not torch.equal(l1.model[0].weight, both.model[0].weight)
    # weight 0: the same steps as plain L1 (the term's gradient is multiplied by 0)
    zero = _run(_tiny(), pairs, loss="l1+fsds", fsds_weight=0.0)
    assert torch.allclose(l1.model[0].weight, zero.model[0].weight, atol=1e-6)


def test_l1_config_is_unchanged_so_old_checkpoints_resume(pairs):
    config = _run(_tiny(), pairs, iterations=1).log["config"]
    assert "fsds_weight" not in config and "ffl_weight" not in config
    assert config["gan_weight"] is None


def test_weights_are_in_the_resume_check(pairs, tmp_path):
    _run(_tiny(), pairs, loss="l1+fsds", fsds_weight=1e-3, out=tmp_path, until=2)
    with pytest.raises(ValueError, match="fsds_weight: 0.001 in the checkpoint vs 0.002 now"):
        _run(_tiny(), pairs, loss="l1+fsds", fsds_weight=2e-3, out=tmp_path)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"loss": "l1+fsd"},
         r"`loss` must be one of .* got 'l1\+fsd' \(did you mean 'l1\+fsds'\?\)"),
        ({"loss": "L1"}, r"did you mean 'l1'\?"),
        ({"loss": "perceptual"},
         r"`loss` must be one of \['l1', 'l1\+gan', 'l1\+fsds', 'l1\+ffl'\]"),
        ({"loss": "l1+fsds", "fsds_weight": -1.0}, "`fsds_weight` must be a finite number >= 0"),
        ({"loss": "l1+fsds", "fsds_weight": float("nan")}, "`fsds_weight` must be a finite"),
        ({"loss": "l1+ffl", "ffl_weight": "1"}, "`ffl_weight` must be a finite number"),
        ({"l1_weight": float("inf")}, "`l1_weight` must be a finite number"),
    ],
)
def test_bad_losses_and_weights_are_clear_errors(pairs, kwargs, match):
    with pytest.raises(ValueError, match=match):
        _run(_tiny(), pairs, **kwargs)


def test_unused_weights_are_not_checked(pairs):
    # a weight of another loss is ignored (as gan_weight always was)
    assert _run(_tiny(), pairs, iterations=1, fsds_weight=-1.0).finished


def test_missing_ffl_package_is_a_clear_error(pairs, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "focal_frequency_loss", None)
    with pytest.raises(ImportError, match="pip install focal-frequency-loss"):
        _run(_tiny(), pairs, loss="l1+ffl")


# ------------------------------------------------------------------------- the study's runs


def test_variants_and_recipes():
    assert [v.loss for v in LOSS_VARIANTS.values()] == ["l1", "l1+fsds", "l1+fsds", "l1+ffl"]
    lo, hi = LOSS_VARIANTS["l1_fsds_lo"], LOSS_VARIANTS["l1_fsds_hi"]
    assert hi.fsds_weight == 5 * lo.fsds_weight  # ~50 % vs ~10 % of L1's gradient
    gpu = LOSS_RECIPES["gpu"]
    # the full recipe is edsr-kit's own
    from lpf.train import KIT_RECIPES
    kit = KIT_RECIPES["edsr-kit"]
    assert (gpu.iterations, gpu.batch_size, gpu.patch_size, gpu.lr, gpu.init_from) == (
        kit.iterations, kit.batch_size, kit.patch_size, kit.lr, None)
    assert len(LOSS_RECIPES["cpu"].seeds) >= 3
    with pytest.raises(KeyError, match="unknown loss variant"):
        run_name("l2", 0)


def test_from_scratch_seed0_is_edsr_kits_initialisation():
    a = build_network(LOSS_RECIPES["gpu"], 0)
    b = build_network(LOSS_RECIPES["gpu"], 0)
    c = build_network(LOSS_RECIPES["gpu"], 1)
    assert torch.equal(a.conv_first.weight, b.conv_first.weight)
    assert not torch.equal(a.conv_first.weight, c.conv_first.weight)


@pytest.mark.slow
def test_record_runs_writes_resumes_and_compute_reads(tmp_path):
    from lpf.studies import ext04_fsds_loss as ext04

    recipe = dataclasses.replace(LOSS_RECIPES["cpu"], iterations=2, batch_size=2, patch_size=16,
                                 b100_limit=1, embedded_lr_size=16)
    out, work = tmp_path / "runs", tmp_path / "work"
    lines: list[str] = []
    variants = ["l1", "l1_fsds_hi"]
    records = ext04.record_runs(recipe, out=out, work=work, variants=variants, seeds=[0, 1],
                                progress=False, log=lines.append)
    assert [r["name"] for r in records] == ["l1-s0", "l1_fsds_hi-s0", "l1-s1", "l1_fsds_hi-s1"]
    for r in records:
        pth = out / r["file"]
        assert r["finished"] and r["sha256"] == sha256_file(pth)
        assert r["dtype"] == "float16" and pth.stat().st_size <= MAX_RUN_BYTES
        assert {"recipe", "seed", "torch", "python", "lpf", "device", "wall_time_s"} <= set(r)
        ev = r["evaluation"]
        assert "embedded" in ev["quality"]
        for preset in ext04.PRESETS:
            assert set(ev["quality"]["embedded"][preset]["mean"]) == set(ext04.METRICS)
        assert set(ev["impulse"]) == set(ext04.IMPULSE_KEYS)
    assert (out / "start.json").is_file()
    # the evaluation is recomputable from the stored weights
    again = ext04.evaluate_run(out / records[0]["file"], recipe=recipe, datasets=["embedded"])
    assert again["quality"]["embedded"] == records[0]["evaluation"]["quality"]["embedded"]
    # a rerun skips every recorded run
    lines.clear()
    ext04.record_runs(recipe, out=out, work=work, variants=variants, seeds=[0, 1],
                      progress=False, log=lines.append)
    assert lines and all("recorded already" in line for line in lines)
    result = ext04.compute(runs=str(out), profile="smoke")
    assert result.seeds == {"l1": [0, 1], "l1_fsds_hi": [0, 1]}
    assert result.recheck["sha256_bad"] == [] and result.recheck["impulse_max_abs_diff"] == 0.0
    delta = result.delta["embedded"]["sr"]["psnr"]["l1_fsds_hi"]
    assert len(delta["values"]) == 2
    # a tampered weight file fails its sha256 and is retrained on the next call
    (out / "l1-s1.pth").write_bytes(b"x")
    assert "l1-s1" in ext04.compute(runs=str(out), profile="smoke").recheck["sha256_bad"]
    lines.clear()
    ext04.record_runs(recipe, out=out, work=work, variants=["l1"], seeds=[1], progress=False,
                      log=lines.append)
    assert "recorded already" not in lines[-1]
    assert json.loads((out / "l1-s1.json").read_text())["sha256"] == sha256_file(
        out / "l1-s1.pth")


def test_compute_without_runs_says_how_to_record(tmp_path):
    from lpf.studies import ext04_fsds_loss as ext04

    with pytest.raises(FileNotFoundError, match="make fsds-loss-runs"):
        ext04.compute(runs=str(tmp_path))
