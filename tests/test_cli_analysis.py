"""Tests of the analysis commands of the ``lpf`` command line: ``lpf impulse`` and ``lpf hyra``.

Models come from a stand-in ``load_model`` (monkeypatched into ``lpf.cli``) so that the tests
need no weights; the commands themselves import the real ``lpf.zoo.load_model``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _models import Bicubic
from PIL import Image
from torch import nn

from lpf import cli

OFFICIAL_IMAGES = ["linear", "non_linear", "linear_fft", "non_linear_fft", "lr_fft", "hr_fft"]


@pytest.fixture
def fake_zoo(monkeypatch):
    """A stand-in lpf.zoo whose load_model knows 'tiny-relu' and 'bicubic'."""
    calls = []

    def load_model(name, *, scale, device="cpu", **kwargs):
        calls.append((name, scale, device, kwargs))
        if name == "bicubic":
            return Bicubic(scale)
        if name == "tiny-relu":
            torch.manual_seed(0)
            return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(8, 3 * scale * scale, 3, padding=1),
                                 nn.PixelShuffle(scale)).to(device)
        raise KeyError(f"unknown model {name!r}. Did you mean 'tiny-relu'?")

    monkeypatch.setattr(cli, "load_model", load_model)
    return calls


def _write_png(path, array: np.ndarray):
    Image.fromarray(array).save(path)
    return path


def test_help_lists_the_commands_with_examples(capsys):
    for command in ("impulse", "hyra"):
        with pytest.raises(SystemExit) as exc:
            cli.main([command, "--help"])
        assert exc.value.code == 0
        out = capsys.readouterr().out
        assert "examples:" in out and f"lpf {command} --model" in out
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert "impulse" in out and "hyra" in out


def test_impulse_command_writes_views_array_and_diagnostics(tmp_path, fake_zoo, capsys):
    out = tmp_path / "ir"
    assert cli.main(["impulse", "--model", "tiny-relu", "--scale", "2", "--out", str(out),
                     "--size", "9"]) == 0
    assert fake_zoo[0][:3] == ("tiny-relu", 2, "cpu")
    names = {p.name for p in out.iterdir()}
    assert {"impulse_response.npy", "impulse_paper.png", "impulse_top.png", "impulse_side.png",
            "impulse_profile.png", "diagnostics.json"} <= names
    raw = np.load(out / "impulse_response.npy")
    assert raw.shape == (3, 18, 18) and raw.dtype == np.float32
    with Image.open(out / "impulse_paper.png") as im:
        assert im.size == (22, 22)  # the paper preset is always 11x11 -> 11 s
    data = json.loads((out / "diagnostics.json").read_text())
    assert data["model"] == "tiny-relu" and data["scale"] == 2 and data["size"] == 9
    assert data["linearity"]["max_error"] > 1e-3  # a ReLU net with biases
    assert "main lobe" in capsys.readouterr().out


def test_impulse_command_bicubic_numbers(tmp_path, fake_zoo):
    out = tmp_path / "bicubic"
    assert cli.main(["impulse", "--model", "bicubic", "--scale", "3", "--out", str(out)]) == 0
    data = json.loads((out / "diagnostics.json").read_text())
    assert data["sinc"]["main_lobe_width"] == pytest.approx(6.0, abs=1e-4)
    assert data["dc_gain"]["gain"] == pytest.approx([1.0] * 3, abs=1e-5)
    assert data["shift_invariance"]["max_error"] < 1e-5


def test_unknown_model_is_a_clear_error(tmp_path, fake_zoo, capsys):
    assert cli.main(["impulse", "--model", "tiny-reul", "--scale", "2", "--out",
                     str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "unknown model 'tiny-reul'" in err and "Did you mean" in err


def test_hyra_exact_mode_from_files(tmp_path):
    rng = np.random.default_rng(0)
    lr = rng.integers(0, 256, (12, 10, 3), dtype=np.uint8)
    lr_t = torch.from_numpy(lr).permute(2, 0, 1).double()[None] / 255
    sr = F.interpolate(lr_t, scale_factor=2, mode="bicubic", align_corners=False)[0]
    sr8 = (sr.clamp(0, 1) * 255).round().byte().permute(1, 2, 0).numpy()
    ir = torch.zeros(3, 22, 22)
    ir[:, 10:12, 10:12] = 1.0  # nearest-neighbour x2, origin at 2*5
    ir8 = (ir * 255).byte().permute(1, 2, 0).numpy()
    argv = ["hyra", "--lr", str(_write_png(tmp_path / "lr.png", lr)),
            "--sr", str(_write_png(tmp_path / "sr.png", sr8)),
            "--impulse-response", str(_write_png(tmp_path / "ir.png", ir8)),
            "--scale", "2", "--save-path", str(tmp_path / "out")]
    assert cli.main(argv) == 0
    arrays = np.load(tmp_path / "out" / "hyra.npz")
    nearest = np.repeat(np.repeat(lr.transpose(2, 0, 1) / 255.0, 2, axis=1), 2, axis=2)
    assert np.abs(arrays["linear"] - nearest).max() < 1e-6
    data = json.loads((tmp_path / "out" / "hyra.json").read_text())
    assert data["mode"] == "exact" and data["border"] == [0, 0, 0, 0]


def test_hyra_with_a_model(tmp_path, fake_zoo):
    lr = np.random.default_rng(1).integers(0, 256, (16, 16, 3), dtype=np.uint8)
    lr_path = _write_png(tmp_path / "lr.png", lr)
    out = tmp_path / "out"
    assert cli.main(["hyra", "--model", "tiny-relu", "--lr", str(lr_path), "--scale", "2",
                     "--save_path", str(out)]) == 0
    arrays = np.load(out / "hyra.npz")
    assert arrays["sr"].shape == arrays["linear"].shape == (3, 32, 32)
    assert arrays["impulse_response"].shape == (3, 3, 22, 22)
    assert arrays["constant"].shape == (3, 2, 2)
    for name in OFFICIAL_IMAGES:
        assert (out / f"{name}.png").is_file()
    assert cli.main(["hyra", "--model", "tiny-relu", "--lr", str(lr_path), "--scale", "2",
                     "--save_path", str(tmp_path / "paper"), "--mode", "paper"]) == 0
    # the official geometry: pad 22 // 4 = 5, (16 + 10) * 2 - 22 + 1 = 31, not 32
    assert np.load(tmp_path / "paper" / "hyra.npz")["linear"].shape == (3, 31, 31)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "give --sr and --impulse_response"),
        (["--model", "tiny-relu", "--sr", "x.png"], "do not also give --sr"),
        (["--sr", "missing.png", "--impulse_response", "missing.png"], "SR image not found"),
    ],
)
def test_hyra_argument_errors(tmp_path, fake_zoo, capsys, extra, message):
    lr_path = _write_png(tmp_path / "lr.png", np.zeros((8, 8, 3), dtype=np.uint8))
    argv = ["hyra", "--lr", str(lr_path), "--scale", "2", "--save_path", str(tmp_path / "o")]
    assert cli.main(argv + extra) == 2
    assert message in capsys.readouterr().err


def test_hyra_missing_lr_is_a_clear_error(tmp_path, capsys):
    assert cli.main(["hyra", "--lr", str(tmp_path / "nope.png"), "--sr", "a", "--scale", "2",
                     "--impulse_response", "b", "--save_path", str(tmp_path)]) == 2
    assert "LR image not found" in capsys.readouterr().err
