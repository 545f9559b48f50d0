"""Bad input, tried on purpose (issue 18): each case is the input of the hostile trial.

Each test feeds the exact input that gave a wrong answer or an unclear error, and asserts the
clear error (argument named, what was expected, what came) or the right value.
"""

from __future__ import annotations

import os
import stat
import struct
import zlib

import numpy as np
import pytest
import torch
from _notebooks import run_notebook
from PIL import Image

import lpf
from lpf import RangeError, ShapeError, cli
from lpf.data import read_image, to_tensor, write_image


def _pair(seed=0, shape=(3, 32, 32)):
    g = torch.Generator().manual_seed(seed)
    hr = torch.rand(*shape, generator=g)
    return (hr + 0.1 * torch.rand(*shape, generator=g)).clamp(0, 1), hr


# ----------------------------------------------------------------------------- FSDS edge cases


@pytest.mark.parametrize("shape, axis", [((0, 3, 8, 8), "N=0"), ((0, 8, 8), "C=0"),
                                         ((2, 0, 8, 8), "C=0")])
def test_fsds_empty_input_names_the_empty_dimension(shape, axis):
    with pytest.raises(ShapeError, match=f"`pred` is empty \\({axis}\\)"):
        lpf.fsds(torch.rand(*shape), torch.rand(*shape))


@pytest.mark.parametrize("gain", [1e20, 1e-30])
def test_fsds_float32_extreme_magnitudes_do_not_overflow(gain):
    sr, hr = _pair()
    reference = lpf.fsds(sr.double(), hr.double())
    value = lpf.fsds(sr * gain, hr * gain)  # float32: the variance overflows/underflows
    assert np.isfinite(value) and value == pytest.approx(reference, abs=1e-3)


def test_fsds_float32_ordinary_range_is_unchanged_by_the_guard():
    sr, hr = _pair(3)
    assert lpf.fsds(sr, hr) == pytest.approx(lpf.fsds(sr.double(), hr.double()), abs=2e-4)


def test_fsds_constant_image_is_still_an_error():
    sr, _ = _pair()
    with pytest.raises(RangeError, match="constant image"):
        lpf.fsds(sr, torch.full_like(sr, 1e-30))


# ----------------------------------------------------------------------------- impulse responses


def _zero_model(x):
    return torch.zeros(x.shape[0], 3, 4 * x.shape[2], 4 * x.shape[3])


def test_diagnose_of_a_zero_response_is_a_clear_error():
    with pytest.raises(RangeError, match="impulse response is zero everywhere"):
        lpf.diagnose(_zero_model, scale=4)


def test_cli_impulse_of_a_zero_model_leaves_no_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "load_model", lambda name, **kw: _zero_model)
    out = tmp_path / "out"
    assert cli.main(["impulse", "--model", "zero", "--scale", "4", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "impulse response is zero" in err
    assert not out.exists()


def test_cli_impulse_size_1_warns_about_undefined_fields(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["impulse", "--model", "bicubic", "--scale", "2", "--size", "1",
                     "--out", str(out)]) == 0
    assert "undefined (NaN)" in capsys.readouterr().err


# ----------------------------------------------------------------------------- one image reader


def _png16_grey(path, value=40000):
    Image.fromarray(np.full((16, 16), value, dtype=np.uint16)).save(path)


def test_cli_fsds_reads_16_bit_grey_as_the_library_does(tmp_path, capsys):
    rng = np.random.default_rng(0)
    hr = rng.integers(1000, 65000, (16, 16), dtype=np.uint16)
    sr = np.clip(hr.astype(int) + rng.integers(-300, 300, hr.shape), 0, 65535).astype(np.uint16)
    Image.fromarray(hr).save(tmp_path / "hr.png")
    Image.fromarray(sr).save(tmp_path / "sr.png")
    expected = lpf.fsds(to_tensor(read_image(tmp_path / "sr.png", channels=3)),
                        to_tensor(read_image(tmp_path / "hr.png", channels=3)))
    assert cli.main(["fsds", str(tmp_path / "sr.png"), str(tmp_path / "hr.png")]) == 0
    assert f"{expected:.4f}" in capsys.readouterr().out
    assert expected > 30  # 8-bit clipping gave ~10 dB


def test_cli_fsds_composites_rgba_on_black(tmp_path, capsys):
    rng = np.random.default_rng(1)
    rgba = rng.integers(0, 256, (16, 16, 4), dtype=np.uint8)
    rgb = rgba[..., :3].copy()
    Image.fromarray(rgba, "RGBA").save(tmp_path / "a.png")
    Image.fromarray(rgb).save(tmp_path / "b.png")
    assert cli.main(["fsds", str(tmp_path / "a.png"), str(tmp_path / "b.png")]) == 0
    value = float(capsys.readouterr().out.split()[-1])
    composited = rgb * (rgba[..., 3:] / 255.0)
    expected = lpf.fsds(to_tensor(composited.round().astype(np.uint8)), to_tensor(rgb))
    assert np.isfinite(value) and value == pytest.approx(expected, abs=0.05)  # alpha not dropped


# ----------------------------------------------------------------------------- CLI errors


def _bomb(path):
    Image.new("L", (1, 1)).save(path)
    data = bytearray(path.read_bytes())
    data[16:24] = struct.pack(">II", 60000, 60000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("make, words", [
    (lambda p: p.write_text("not an image"), "not an image"),
    (lambda p: (Image.fromarray(np.zeros((64, 64, 3), np.uint8) + 7).save(p),
                p.write_bytes(p.read_bytes()[:80])), "damaged image"),
    (_bomb, "huge image"),
])
def test_cli_bad_image_files_give_one_line_naming_the_file(tmp_path, capsys, make, words):
    bad = tmp_path / "bad.png"
    make(bad)
    assert cli.main(["fsds", str(bad), str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and str(bad) in err


def test_cli_out_under_a_file_is_one_line(tmp_path, capsys):
    (tmp_path / "file").write_text("")
    assert cli.main(["impulse", "--model", "bicubic", "--scale", "2",
                     "--out", str(tmp_path / "file" / "sub")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "file/sub" in err


# ----------------------------------------------------------------------------- arrays and files


def test_hwc_numpy_array_is_refused_with_a_hint():
    with pytest.raises(ShapeError, match="looks like an \\(H, W, C\\) array"):
        lpf.fsds(np.random.rand(32, 32, 3), np.random.rand(32, 32, 3))


def test_chw_numpy_array_still_works():
    sr, hr = _pair()
    assert lpf.fsds(sr.numpy(), hr.numpy()) == pytest.approx(lpf.fsds(sr, hr))


def test_written_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        paths = [write_image(tmp_path / "a.png", np.zeros((4, 4, 3), np.uint8)),
                 lpf.plot.write_json({"a": 1}, "b", out_dir=tmp_path)]
        import matplotlib.pyplot as plt

        fig, _ = plt.subplots()
        paths += lpf.plot.savefig(fig, "c", out_dir=tmp_path)
        plt.close(fig)
    finally:
        os.umask(old)
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


# ----------------------------------------------------------------------------- downloads


def test_unverified_download_without_length_is_refused_and_not_recorded(server, tmp_path):
    from lpf.data import DownloadError, download_file

    server.files["/cut.bin"] = b"x" * 1000
    server.no_length.add("/cut.bin")
    dest = tmp_path / "cut.bin"
    with pytest.raises(DownloadError, match="without a Content-Length"):
        download_file(server.url("/cut.bin"), dest, verify=False, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no file, no trusted hash record


def test_download_without_length_but_known_hash_is_fine(server, tmp_path):
    import hashlib

    from lpf.data import download_file

    body = b"y" * 1000
    server.files["/ok.bin"] = body
    server.no_length.add("/ok.bin")
    dest = download_file(server.url("/ok.bin"), tmp_path / "ok.bin",
                         sha256=hashlib.sha256(body).hexdigest(), progress=False)
    assert dest.read_bytes() == body


def test_allow_unverified_with_a_mismatched_sha256_prefix_keeps_nothing(server, tmp_path,
                                                                         monkeypatch):
    from lpf.data import ChecksumError
    from lpf.models.weights import WeightSource, fetch_source

    monkeypatch.setenv("LPF_CACHE_DIR", str(tmp_path / "cache"))
    server.files["/w.pth"] = b"not the published weights"
    src = WeightSource(kind="url", filename="w.pth", url=server.url("/w.pth"),
                       sha256_prefix="0000")
    with pytest.raises(ChecksumError, match="expected one starting with 0000"):
        fetch_source(src, name="demo", allow_unverified=True)
    cached = tmp_path / "cache" / "weights"
    assert not cached.exists() or sorted(p.name for p in cached.iterdir()) == []


# ----------------------------------------------------------------------------- checkpoints


def _write(path, data):
    path.write_bytes(data)
    return path


def test_random_bytes_are_not_a_checkpoint_not_a_code_execution_refusal(tmp_path):
    from lpf.models.archs._common import CheckpointError, read_state_dict

    rand = _write(tmp_path / "rand.pth", np.random.default_rng(0).bytes(2000))
    with pytest.raises(CheckpointError, match="not a valid PyTorch checkpoint"):
        read_state_dict(rand)


def test_random_zip_is_not_a_checkpoint(tmp_path):
    import zipfile

    from lpf.models.archs._common import CheckpointError, read_state_dict

    with zipfile.ZipFile(tmp_path / "z.pth", "w") as archive:
        archive.writestr("a.txt", b"hello")
    with pytest.raises(CheckpointError, match="zip archive without data.pkl"):
        read_state_dict(tmp_path / "z.pth")


def test_code_executing_pickle_is_still_refused_as_such(tmp_path):
    from lpf.models.archs._common import CheckpointError, read_state_dict

    torch.save({"x": print}, tmp_path / "evil.pth")
    with pytest.raises(CheckpointError, match="needs code execution"):
        read_state_dict(tmp_path / "evil.pth")


def test_corrupt_safetensors_is_a_checkpoint_error(tmp_path):
    from lpf.models.archs._common import CheckpointError, read_state_dict

    bad = _write(tmp_path / "w.safetensors", np.random.default_rng(1).bytes(300))
    with pytest.raises(CheckpointError, match="not a valid safetensors file"):
        read_state_dict(bad)


def test_nan_weights_are_refused_at_load_time(tmp_path):
    from lpf.models import load_model
    from lpf.models.archs._common import CheckpointError, read_state_dict

    sd = read_state_dict("data/models/edsr-kit.pth")
    key = next(k for k, v in sd.items() if v.is_floating_point())
    sd[key] = torch.full_like(sd[key], float("nan"))
    torch.save(sd, tmp_path / "nan.pth")
    with pytest.raises(CheckpointError, match=f"NaN or inf weights .*{key}"):
        load_model(tmp_path / "nan.pth", scale=4)


def test_integer_weights_are_refused_at_load_time(tmp_path):
    from lpf.models.archs._common import CheckpointError, load_weights, read_state_dict

    net = torch.nn.Conv2d(3, 3, 3)
    sd = {k: v.to(torch.int32) for k, v in net.state_dict().items()}
    with pytest.raises(CheckpointError, match="non-floating tensors"):
        load_weights(net, sd, source="ints.pth")
    assert read_state_dict  # the reader itself accepts int buffers (they exist in real nets)


def test_a_known_file_at_the_wrong_scale_is_refused():
    from lpf.models import load_model
    from lpf.models.archs._common import CheckpointError

    with pytest.raises(CheckpointError, match="edsr-kit x4 checkpoint .* got scale=2"):
        load_model("data/models/edsr-kit.pth", scale=2)
    assert load_model("data/models/edsr-kit.pth", scale=4) is not None


def test_arch_typo_is_named_as_an_architecture_without_duplicate_hints(tmp_path):
    from lpf.models import load_model

    with pytest.raises(KeyError) as info:
        load_model("data/models/edsr-kit.pth", scale=4, arch="imdnn")
    message = info.value.args[0]
    assert "unknown architecture arch='imdnn'" in message
    assert message.count("'imdn'") == 1


def test_fetch_refusal_names_the_cli_flag(tmp_path, monkeypatch):
    from lpf.data import DownloadError
    from lpf.models.weights import WeightSource, fetch_source

    monkeypatch.setenv("LPF_CACHE_DIR", str(tmp_path))
    src = WeightSource(kind="url", filename="w.pth", url="https://example.invalid/w.pth")
    with pytest.raises(DownloadError, match="--allow-unverified"):
        fetch_source(src, name="demo")


# ----------------------------------------------------------------------------- evaluation cache


def _pairs(seed, name="img", scale=2):
    from lpf.data import make_pair

    rng = np.random.default_rng(seed)
    return [make_pair(name, rng.integers(0, 256, (32, 32, 3), dtype=np.uint8), scale)]


def _psnr(models, pairs, cache, **kw):
    from lpf.evaluate import evaluate

    ev = evaluate(models, pairs, scales=[2], metrics=["psnr"], cache=cache, progress=False, **kw)
    return {r["model"]: r["psnr"] for r in ev.rows}


def test_cache_is_keyed_by_the_content_of_a_custom_data_set(tmp_path):
    first = _psnr(["bicubic"], _pairs(0), tmp_path)
    second = _psnr(["bicubic"], _pairs(1), tmp_path)  # same image name, other pixels
    assert first["bicubic"] != pytest.approx(second["bicubic"], abs=1e-6)
    assert second == _psnr(["bicubic"], _pairs(1), False)


def test_cache_tells_parameter_free_modules_apart(tmp_path):
    from lpf.models import wrap_model

    pairs = _pairs(2)
    nearest = wrap_model(torch.nn.Upsample(scale_factor=2, mode="nearest"), scale=2, name="up")
    cubic = wrap_model(torch.nn.Upsample(scale_factor=2, mode="bicubic"), scale=2, name="up")
    a = _psnr([nearest], pairs, tmp_path)["up"]
    b = _psnr([cubic], pairs, tmp_path)["up"]
    assert a != pytest.approx(b, abs=1e-6)
    assert b == pytest.approx(_psnr([cubic], pairs, False)["up"])


def test_cache_tells_wrapper_settings_apart(tmp_path):
    from lpf.models import wrap_model

    pairs = _pairs(3)
    net = torch.nn.Sequential(torch.nn.Upsample(scale_factor=2, mode="bilinear"),
                              torch.nn.Hardtanh(0.0, 1.0))  # not scale-invariant
    one = _psnr([wrap_model(net, scale=2, name="n", input_range=1.0)], pairs, tmp_path)["n"]
    other = _psnr([wrap_model(net, scale=2, name="n", input_range=255.0)], pairs, tmp_path)["n"]
    assert one != pytest.approx(other, abs=1e-6)


def test_plain_callables_are_not_cached_and_the_evaluation_says_so(tmp_path):
    from lpf.evaluate import evaluate
    from lpf.models import wrap_model

    pairs = _pairs(4)
    up = torch.nn.functional.interpolate
    first = wrap_model(lambda x: up(x, scale_factor=2, mode="nearest"), scale=2, name="f")
    second = wrap_model(lambda x: up(x, scale_factor=2, mode="bicubic"), scale=2, name="f")
    ev = evaluate([first], pairs, scales=[2], metrics=["psnr"], cache=tmp_path, progress=False)
    assert any("not cached" in n for n in ev.notes)
    uncached = _psnr([second], pairs, False)["f"]
    assert _psnr([second], pairs, tmp_path)["f"] == pytest.approx(uncached)
    assert ev.rows[0]["psnr"] != pytest.approx(_psnr([second], pairs, tmp_path)["f"], abs=1e-6)


def test_infinite_outputs_are_refused_not_scored():
    from lpf.models import wrap_model

    def inf_model(x):
        out = torch.nn.functional.interpolate(x, scale_factor=2)
        out[..., 0, 0] = float("inf")
        return out

    with pytest.raises(RangeError, match="non-finite"):
        _psnr([wrap_model(inf_model, scale=2, name="inf")], _pairs(5), False)


def test_one_channel_output_gets_a_channel_error_not_a_crop_hint():
    from lpf.models import wrap_model

    grey = wrap_model(lambda x: torch.nn.functional.interpolate(x[:, :1], scale_factor=2),
                      scale=2, name="grey")
    with pytest.raises(ShapeError, match="1 channel\\(s\\)") as info:
        _psnr([grey], _pairs(6), False)
    assert "crop_to_common" not in str(info.value)


def test_a_cache_file_without_a_cell_name_is_dropped(tmp_path):
    first = _psnr(["bicubic"], _pairs(7), tmp_path)
    columns = {f.parent for f in tmp_path.rglob("*.json")}
    assert columns
    for folder in columns:  # files the cache did not write: a bare row, a torn cell
        (folder / "junk.json").write_text('{"psnr": 1.0}\n')
        for f in folder.glob("*.json"):
            if f.name not in ("junk.json", "column.json"):
                f.write_text('{"cell": "' + f.stem + '", "row": {"psnr": 1.0')
                break
    assert _psnr(["bicubic"], _pairs(7), tmp_path) == first


# ----------------------------------------------------------------------------- notebook parameters


@pytest.mark.notebooks
def test_a_notebook_with_a_typo_in_profile_fails_naming_the_parameter(tmp_path, notebook_kernel):
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError, match="parameter `profile`"):
        run_notebook("fig18_zero_insertion", tmp_path, notebook_kernel, profile="Full")
    assert not (tmp_path / "out" / "fig18_zero_insertion.png").exists()


@pytest.mark.parametrize("stem, parameters, error, words", [
    ("table1_metrics", {"profile": "smoke", "models": ["edsr-lif"]}, KeyError,
     "parameter `models`: unknown model 'edsr-lif'. Did you mean 'edsr-liif'"),
    ("fig09_impulse_responses", {"profile": "smoke", "models": ["/nope/x.pth"]},
     FileNotFoundError, "parameter `models`: no such checkpoint file"),
    ("fig18_zero_insertion", {"profile": "smoke", "size": -3}, ValueError, "`size`"),
])
def test_studies_validate_their_parameters_first(stem, parameters, error, words):
    import importlib
    import re

    study = importlib.import_module(f"lpf.studies.{stem}")
    with pytest.raises(error, match=re.escape(words)):
        study.compute(**parameters)
