"""Tests of :mod:`lpf.train` and of the kit-trained registry entries (``lpf train``).

Everything trains a tiny network (two convs, x2) on a small synthetic image for a few steps, so
that the whole file takes seconds on 2 shared CPU cores. The kit's own checkpoints are checked
only when present in ``data/models`` (sha256 and loading); absent files skip cleanly.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from lpf import cli
from lpf import models as zoo
from lpf._io import sha256_file
from lpf._paths import data_dir
from lpf.data import ChecksumError, SRPair
from lpf.models.archs._common import load_weights
from lpf.models.weights import kit_sha256
from lpf.train import (
    KIT_RECIPES,
    PatchDiscriminator,
    PatchSampler,
    impulse_check,
    kit_filename,
    kit_spec,
    make_pairs,
    psnr_validator,
    save_state_dict,
    train,
    update_registry,
)

SCALE = 2


def _image(h: int = 48, w: int = 40, seed: int = 0) -> np.ndarray:
    """A smooth random uint8 RGB image (low-pass filtered noise: learnable in a few steps)."""
    rng = np.random.default_rng(seed)
    noise = torch.from_numpy(rng.random((1, 3, h // 4, w // 4))).float()
    up = nn.functional.interpolate(noise, size=(h, w), mode="bicubic", align_corners=False)
    return (up[0].permute(1, 2, 0).clamp(0, 1).numpy() * 255).round().astype(np.uint8)


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Tiny ops run faster on one thread, much faster on a shared, loaded CPU."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def pairs() -> list[SRPair]:
    return make_pairs([_image(seed=0), _image(40, 56, seed=1)], scale=SCALE)


def _tiny(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(8, 3 * SCALE**2, 3, padding=1), nn.PixelShuffle(SCALE))


def _run(net, pairs, **kwargs):
    opts = {"scale": SCALE, "pairs_or_images": pairs, "iterations": 6, "batch_size": 2,
            "patch_size": 8, "progress": False, "log_every": 2, "lr": 1e-3}
    opts.update(kwargs)
    return train(net, **opts)


def _same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


# ------------------------------------------------------------------------------- training


def test_loss_decreases(pairs):
    result = _run(_tiny(), pairs, iterations=30, log_every=10, lr=5e-3, schedule="constant")
    losses = [e["loss"] for e in result.log["train"]]
    assert result.finished and result.iterations == 30
    assert len(losses) == 3
    assert losses[-1] < 0.7 * losses[0]
    assert result.final_loss == losses[-1]


@pytest.mark.parametrize("loss", ["l1", "l1+gan"])
def test_resume_equals_an_uninterrupted_run(pairs, tmp_path, loss):
    extra = {"loss": loss, "gan_weight": 0.1} if loss == "l1+gan" else {}
    disc = (lambda: PatchDiscriminator(nf=4)) if extra else (lambda: None)
    straight = _run(_tiny(), pairs, out=tmp_path / "a", discriminator=disc(), **extra)
    part = _run(_tiny(), pairs, out=tmp_path / "b", until=3, discriminator=disc(), **extra)
    assert not part.finished and part.iterations == 3
    assert (tmp_path / "b" / "checkpoint.pth").is_file()
    assert not (tmp_path / "b" / "final.pth").exists()
    # a differently initialised model: the checkpoint's weights replace them
    resumed = _run(_tiny(seed=1), pairs, out=tmp_path / "b", discriminator=disc(), **extra)
    assert resumed.finished and resumed.iterations == 6
    assert _same(straight.model.state_dict(), resumed.model.state_dict())
    assert [e["loss"] for e in straight.log["train"]] == [e["loss"] for e in resumed.log["train"]]
    final = torch.load(tmp_path / "b" / "final.pth", weights_only=True)
    assert _same(final, {k: v.cpu() for k, v in resumed.model.state_dict().items()})
    log = json.loads((tmp_path / "b" / "log.json").read_text())
    assert log["config"]["loss"] == loss and log["train"][-1]["iteration"] == 6


def test_a_finished_run_resumes_without_training(pairs, tmp_path):
    first = _run(_tiny(), pairs, out=tmp_path)
    again = _run(_tiny(seed=3), pairs, out=tmp_path)
    assert again.finished and _same(first.model.state_dict(), again.model.state_dict())


def test_resume_false_starts_afresh_and_mismatch_raises(pairs, tmp_path):
    _run(_tiny(), pairs, out=tmp_path, until=2)
    with pytest.raises(ValueError, match="batch_size: 2 in the checkpoint vs 3 now"):
        _run(_tiny(), pairs, out=tmp_path, batch_size=3)
    fresh = _run(_tiny(), pairs, out=tmp_path, batch_size=3, resume=False, iterations=2)
    assert fresh.finished and fresh.iterations == 2


def test_max_seconds_stops_checkpointed(pairs, tmp_path):
    part = _run(_tiny(), pairs, out=tmp_path, max_seconds=0)
    assert part.iterations == 1 and not part.finished
    rest = _run(_tiny(), pairs, out=tmp_path)
    assert rest.finished and rest.iterations == 6


def test_snapshots_are_kept_and_written(pairs, tmp_path):
    net = _tiny()
    init = {k: v.clone() for k, v in net.state_dict().items()}
    result = _run(net, pairs, out=tmp_path, snapshots=(0, 2, 6))
    assert sorted(result.snapshots) == [0, 2, 6] == sorted(result.snapshot_files)
    assert _same(result.snapshots[0], init)
    assert _same(result.snapshots[6], result.model.state_dict())
    on_disk = torch.load(result.snapshot_files[2], weights_only=True)
    assert _same(on_disk, result.snapshots[2])
    assert not _same(result.snapshots[2], init)
    # in memory only, without `out`
    assert sorted(_run(_tiny(), pairs, snapshots=(4,)).snapshots) == [4]


def test_gan_option_runs_and_logs_both_players(pairs):
    result = _run(_tiny(), pairs, loss="l1+gan", discriminator=PatchDiscriminator(nf=4),
                  iterations=3, log_every=1)
    entry = result.log["train"][-1]
    assert {"loss", "l1", "gan", "d"} <= set(entry)
    assert all(np.isfinite(entry[k]) for k in ("loss", "l1", "gan", "d"))


def test_validation_is_logged(pairs):
    val = psnr_validator(pairs[:1], scale=SCALE)
    result = _run(_tiny(), pairs, val=val, val_every=3)
    assert [v["iteration"] for v in result.log["val"]] == [3, 6]
    assert 0 < result.log["val"][-1]["psnr_y"] < 100


def test_cpu_training_uses_channels_last(pairs):
    result = _run(_tiny(), pairs, iterations=1)
    assert result.model[0].weight.is_contiguous(memory_format=torch.channels_last)


def test_srmodel_is_unwrapped(pairs):
    wrapped = zoo.wrap_model(_tiny(), scale=SCALE)
    result = _run(wrapped, pairs, iterations=1)
    assert result.model is wrapped.net


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"loss": "l2"}, ValueError, "`loss` must be one of"),
        ({"schedule": "step"}, ValueError, "`schedule` must be one of"),
        ({"iterations": 0}, ValueError, "`iterations` must be an integer >= 1"),
        ({"patch_size": 64}, ValueError, "no training image has an LR of at least"),
        ({"snapshots": (7,)}, ValueError, "`snapshots` must lie in"),
        ({"pairs_or_images": []}, ValueError, "is empty"),
        ({"pairs_or_images": [3.0]}, TypeError, "items must be embedded image names"),
    ],
)
def test_bad_arguments_are_clear_errors(pairs, kwargs, error, match):
    with pytest.raises(error, match=match):
        _run(_tiny(), pairs, **kwargs)


def test_not_a_module_is_refused(pairs):
    with pytest.raises(TypeError, match="must be an nn.Module"):
        _run(lambda x: x, pairs)


# ---------------------------------------------------------------------------------- data


def test_sampler_patches_are_aligned_under_flips_and_rotations():
    rng = np.random.default_rng(0)
    lr = rng.integers(0, 256, (20, 24, 3), dtype=np.uint8)
    hr = np.repeat(np.repeat(lr, 3, axis=0), 3, axis=1)  # block-constant: every symmetry commutes
    sampler = PatchSampler([SRPair("x", hr, lr, 3)], scale=3, patch_size=6, batch_size=16)
    lr_b, hr_b = sampler.sample()
    assert lr_b.shape == (16, 6, 6, 3) and hr_b.shape == (16, 18, 18, 3)
    np.testing.assert_array_equal(hr_b[:, ::3, ::3], lr_b)


def test_sampler_is_seeded_and_its_state_restores(pairs):
    a = PatchSampler(pairs, scale=SCALE, patch_size=8, batch_size=4, seed=5)
    b = PatchSampler(pairs, scale=SCALE, patch_size=8, batch_size=4, seed=5)
    np.testing.assert_array_equal(a.sample()[1], b.sample()[1])
    state = a.get_state()
    first = a.sample()[0]
    a.set_state(state)
    np.testing.assert_array_equal(a.sample()[0], first)


def test_make_pairs_accepts_names_arrays_and_pairs():
    hr = _image(20, 24)
    from_array = make_pairs([hr], scale=4)[0]
    assert from_array.hr.shape == (20, 24, 3) and from_array.lr.shape == (5, 6, 3)
    grey = make_pairs([hr[..., 0]], scale=4)[0]
    assert grey.hr.shape == (20, 24, 3)
    pair = SRPair("p", from_array.hr, from_array.lr, 4)
    assert make_pairs([pair], scale=4)[0].name == "p"
    with pytest.raises(ValueError, match="is x4, but `scale` is 2"):
        make_pairs([pair], scale=2)
    with pytest.raises(TypeError, match="must be a uint8 numpy array"):
        make_pairs([hr.astype(np.float32)], scale=4)


def test_small_images_are_skipped_and_recorded():
    big, small = _image(48, 48), _image(12, 12)
    result = train(_tiny(), scale=SCALE, pairs_or_images=[big, small], iterations=1,
                   batch_size=1, patch_size=8, progress=False)
    assert result.log["skipped_images"] == ["image1"]
    assert result.log["config"]["images"] == ["image0"]


# ------------------------------------------------------------------------- saving, checks


def test_save_state_dict_falls_back_to_float16(tmp_path):
    net = _tiny()
    assert save_state_dict(net, tmp_path / "a.pth") == "float32"
    size32 = (tmp_path / "a.pth").stat().st_size
    assert save_state_dict(net, tmp_path / "b.pth", max_bytes=size32 - 1) == "float16"
    sd = torch.load(tmp_path / "b.pth", weights_only=True)
    assert all(v.dtype == torch.float16 for v in sd.values())
    back = load_weights(_tiny(seed=2), sd)
    assert back[0].weight.dtype == torch.float32
    torch.testing.assert_close(back[0].weight, net[0].weight, atol=1e-3, rtol=1e-3)
    with pytest.raises(ValueError, match="even in float16"):
        save_state_dict(net, tmp_path / "c.pth", max_bytes=100)
    assert not (tmp_path / "c.pth").exists()


def test_impulse_check_tells_sinc_from_bilinear():
    sinc = impulse_check(zoo.load_model("sinc-lpf", scale=4), scale=4)
    bilinear = impulse_check(zoo.load_model("bilinear", scale=4), scale=4)
    assert sinc["side_lobe"] < -0.15 and bilinear["side_lobe"] == 0.0
    assert sinc["sinc_corr"] > bilinear["sinc_corr"]


# --------------------------------------------------------------------- the kit's registry


def main(argv: list[str]) -> int:
    """``lpf train ARGV`` (the one command line)."""
    return cli.main(["train", *argv])


def test_kit_entries_are_in_the_catalog():
    for name in KIT_RECIPES:
        spec = zoo.MODELS[name]
        assert spec == kit_spec(name)
        assert spec.scales == (4,) and spec.arch in zoo.ARCHS
        assert KIT_RECIPES[name].arch == spec.arch and KIT_RECIPES[name].scale == 4
        src = spec.weights[4]
        assert src.kind == "kit" and src.filename == kit_filename(name)
        assert src.sha256 is None or len(src.sha256) == 64
        assert src.sha256 == kit_sha256(name)  # read from data/models/<name>.json
        assert spec.training == KIT_RECIPES[name].training
        assert spec.training == ("gan" if name.endswith("-gan") else "l1")
    assert zoo.MODELS["edsr-kit-gan"].arch_kwargs == zoo.MODELS["edsr-kit"].arch_kwargs


@pytest.mark.parametrize("name", sorted(KIT_RECIPES))
def test_kit_architectures_build_small(name):
    model = zoo.load_model(name, scale=4, weights="random")
    n_params = sum(p.numel() for p in model.parameters())
    assert n_params < 700_000  # each fits in 3 MB (float16 where float32 would not)
    assert model(torch.rand(1, 3, 8, 9)).shape == (1, 3, 32, 36)


@pytest.mark.parametrize("name", sorted(KIT_RECIPES))
def test_kit_checkpoints_match_their_sha256_and_load(name):
    path = data_dir() / "models" / kit_filename(name)
    if not path.is_file():
        pytest.skip(f"{path} is not present (run `make models`)")
    recorded = kit_sha256(name, folder=path.parent)
    assert recorded is not None, f"{path.with_suffix('.json')} records no sha256"
    assert sha256_file(path) == recorded == zoo.MODELS[name].weights[4].sha256
    assert path.stat().st_size <= 3 * 1024 * 1024
    model = zoo.load_model(name, scale=4)
    assert model(torch.rand(1, 3, 8, 8)).shape == (1, 3, 32, 32)


def test_a_corrupted_kit_checkpoint_is_refused(tmp_path, monkeypatch):
    """The sha256 in data/models/<name>.json guards the committed weights."""
    monkeypatch.setenv("LPF_WEIGHTS", str(tmp_path))
    (tmp_path / "edsr-kit.pth").write_bytes(b"not the trained weights")
    if zoo.MODELS["edsr-kit"].weights[4].sha256 is None:
        pytest.skip("no sha256 recorded for edsr-kit")
    with pytest.raises(ChecksumError, match="sha256"):
        zoo.load_model("edsr-kit", scale=4)


# ------------------------------------------------------------------------------ recipe CLI


@pytest.fixture
def tiny_set5(tmp_path):
    """A stand-in for Set5: two small HR images (LR generated by MATLAB bicubic)."""
    from lpf.data import write_image

    folder = tmp_path / "Set5"
    for i, name in enumerate(("a", "b")):
        write_image(folder / "HR" / f"{name}.png", _image(32, 40, seed=i))
    return folder


def test_recipe_cli_trains_saves_records_and_loads(tiny_set5, tmp_path, capsys):
    out = tmp_path / "models"
    rc = main(["--model", "edsr-kit", "--iterations", "2", "--batch-size", "2", "--patch-size",
               "8", "--images", "coins", "--set5", str(tiny_set5), "--out", str(out),
               "--no-progress"])
    assert rc == 0
    record = json.loads((out / "edsr-kit.json").read_text())
    assert record["finished"] and record["iterations_done"] == 2
    assert record["overrides"] == {"iterations": 2, "batch_size": 2, "patch_size": 8}
    assert record["sha256"] == sha256_file(out / "edsr-kit.pth")
    assert {"set5_psnr_y", "bicubic_psnr_y", "gain_over_bicubic_db", "impulse", "torch",
            "device", "wall_time_s"} <= set(record)
    printed = capsys.readouterr().out
    assert "| edsr-kit | l1 |" in printed and record["sha256"] in printed
    model = zoo.load_model(out / "edsr-kit.pth", arch="edsr", scale=4, **record["arch_kwargs"])
    assert model(torch.rand(1, 3, 8, 8)).shape == (1, 3, 32, 32)
    # --update-registry records the sha256 beside the weights, in <out>/<name>.json
    record_path = out / "edsr-kit.json"
    record_path.write_text(json.dumps({**record, "sha256": "0" * 64}))
    assert update_registry(out)["edsr-kit"] == record["sha256"]
    assert json.loads(record_path.read_text())["sha256"] == record["sha256"]
    assert kit_sha256("edsr-kit", folder=out) == record["sha256"]


def test_update_registry_writes_data_models_json_not_lpf(tmp_path):
    """`lpf train --update-registry` touches <out>/<name>.json only, never lpf/ sources."""
    import lpf

    src = Path(lpf.__file__).parent
    before = {p: p.stat().st_mtime_ns for p in src.rglob("*") if p.is_file()}
    out = tmp_path / "models"
    out.mkdir()
    save_state_dict(_tiny(), out / "rdn-kit.pth")
    assert main(["--update-registry", "--out", str(out)]) == 0
    written = json.loads((out / "rdn-kit.json").read_text())
    assert written["sha256"] == sha256_file(out / "rdn-kit.pth")
    assert sorted(p.name for p in out.iterdir()) == ["rdn-kit.json", "rdn-kit.pth"]
    after = {p: p.stat().st_mtime_ns for p in src.rglob("*") if p.is_file()}
    assert after == before


def test_recipe_cli_rejects_unknown_models(capsys):
    with pytest.raises(SystemExit):
        main(["--model", "vdsr-kit"])
    assert "unknown model" in capsys.readouterr().err


def test_recipe_cli_trains_on_a_folder_of_pngs(tiny_set5, tmp_path):
    out = tmp_path / "models"
    rc = main(["--model", "rdn-kit", "--iterations", "1", "--batch-size", "1", "--patch-size",
               "8", "--train-dir", str(tiny_set5 / "HR"), "--set5", str(tiny_set5), "--out",
               str(out), "--no-progress"])
    assert rc == 0
    record = json.loads((out / "rdn-kit.json").read_text())
    assert record["data"]["images"] == ["a", "b"] and "HR PNGs of" in record["data"]["train"]
    assert record["dtype"] == "float32" and record["bytes"] < 3 * 1024 * 1024


def test_recipe_cli_time_budget_skips_and_fails(tiny_set5, tmp_path, capsys):
    rc = main(["--model", "edsr-kit", "--max-minutes", "0", "--set5", str(tiny_set5), "--out",
               str(tmp_path), "--no-progress"])
    assert rc == 1 and "skipped (time budget spent): edsr-kit" in capsys.readouterr().out
