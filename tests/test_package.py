"""The kit around the code: packaging metadata, environment files, basicsr import, the CLI."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch
import yaml
from PIL import Image

import lpf
from lpf import cli

ROOT = Path(__file__).resolve().parents[1]


def _names(requirements: list[str]) -> set[str]:
    names = set()
    for req in requirements:
        if req.startswith("-"):
            continue
        names.add(re.split(r"[<>=!~\[ ;]", req, maxsplit=1)[0].lower().replace("_", "-"))
    return names


def test_environment_yml_parses_and_names_the_pyproject_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert any(str(d).startswith("python=3.11") for d in deps)
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert _names(pip) == _names(project["dependencies"])
    for user_named in ("torch", "numpy", "matplotlib", "jupyterlab", "papermill", "basicsr"):
        assert user_named in _names(project["dependencies"])


def test_lock_file_pins_what_the_makefile_installs():
    lock = (ROOT / "requirements.lock").read_text().splitlines()
    pins = dict(line.split("==", 1) for line in lock if line and not line.startswith("#"))
    assert pins["torch"] == "2.14.1" and pins["torchvision"] == "0.29.1"
    makefile = (ROOT / "Makefile").read_text()
    assert "torch==2.14.1 torchvision==0.29.1" in makefile
    assert "basicsr==1.4.2" in makefile and "basicsr" not in pins
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    missing = _names(project["dependencies"] + project["optional-dependencies"]["dev"]) - {
        "basicsr"} - {k.lower() for k in pins}
    assert not missing, f"pyproject dependencies not pinned in requirements.lock: {missing}"


def test_version_and_public_names():
    assert re.fullmatch(r"\d+\.\d+\.\d+", lpf.__version__)
    for name in lpf.__all__:
        assert getattr(lpf, name) is not None


def test_basicsr_imports_inside_lpf_and_builds_edsr():
    from lpf._basicsr import basicsr_arch, import_basicsr

    assert import_basicsr().__version__ == "1.4.2"
    edsr_cls = basicsr_arch("edsr_arch", "EDSR")
    net = edsr_cls(num_in_ch=3, num_out_ch=3, num_feat=16, num_block=2, upscale=2).eval()
    with torch.no_grad():
        out = net(torch.rand(1, 3, 8, 8))
    assert out.shape == (1, 3, 16, 16)


def test_cli_version_and_help():
    run = [sys.executable, "-m", "lpf.cli"]
    out = subprocess.run([*run, "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"lpf-kit {lpf.__version__}"
    out = subprocess.run([*run, "--help"], capture_output=True, text=True, check=True)
    assert "fsds" in out.stdout and "examples:" in out.stdout


def _write(path: Path, arr: np.ndarray) -> None:
    Image.fromarray(arr).save(path)


def test_cli_fsds_files_and_folders(tmp_path, capsys):
    rng = np.random.default_rng(0)
    hr = rng.integers(0, 256, (20, 24, 3), dtype=np.uint8)
    sr = np.clip(hr.astype(int) + rng.integers(-10, 10, hr.shape), 0, 255).astype(np.uint8)
    (tmp_path / "hr").mkdir()
    (tmp_path / "sr").mkdir()
    _write(tmp_path / "hr" / "a.png", hr)
    _write(tmp_path / "sr" / "ax4.png", sr)
    from lpf.data import read_image, to_tensor  # the CLI reads images as the library does

    expected = lpf.fsds(to_tensor(read_image(tmp_path / "sr" / "ax4.png")),
                        to_tensor(read_image(tmp_path / "hr" / "a.png")))
    assert cli.main(["fsds", str(tmp_path / "sr" / "ax4.png"), str(tmp_path / "hr" / "a.png")]) == 0
    assert f"{expected:.4f}" in capsys.readouterr().out
    assert cli.main(["fsds", str(tmp_path / "sr"), str(tmp_path / "hr")]) == 0
    assert f"ax4.png\t{expected:.4f}" in capsys.readouterr().out


def test_cli_fsds_missing_file_is_a_clear_error(tmp_path, capsys):
    assert cli.main(["fsds", str(tmp_path / "nope.png"), str(tmp_path / "hr.png")]) == 2
    assert "image not found" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [[], ["--help"]])
def test_cli_without_command_prints_help(argv, capsys):
    if argv:
        with pytest.raises(SystemExit) as exc:
            cli.main(argv)
        assert exc.value.code == 0
    else:
        assert cli.main(argv) == 0
    assert "usage: lpf" in capsys.readouterr().out


def test_cli_fetch_refuses_analytic_and_unknown(capsys):
    assert cli.main(["fetch", "bicubic"]) == 2
    assert "analytic: there is nothing to fetch" in capsys.readouterr().err
    assert cli.main(["fetch", "edsr-lif"]) == 2
    assert "Did you mean 'edsr-liif'" in capsys.readouterr().err


def test_cli_zoo_list(capsys):
    assert cli.main(["zoo", "list", "sinc*"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:4] == ["name", "architecture", "scales", "available"]
    assert out[1].startswith("sinc-lpf") and "yes" in out[1]


@pytest.mark.assets
def test_cli_table_on_set5(set5_root, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LPF_DATASETS", str(set5_root))  # found by the default search
    monkeypatch.setenv("LPF_DATA_DIR", str(tmp_path))
    tex = tmp_path / "t.tex"
    argv = ["table", "--models", "nearest", "bicubic-matlab", "--dataset", "Set5", "--scales",
            "4", "--preset", "sr", "--metrics", "psnr", "--latex", str(tex)]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert "| bicubic-matlab | **28.4" in out  # 28.42 dB: the literature's bicubic x4 on Set5
    assert r"\textcolor{red}" in tex.read_text()


@pytest.mark.parametrize("old, new", [
    ("lpf.zoo", "lpf.models"), ("lpf.spectra", "lpf.signal.spectra"),
    ("lpf.kernels", "lpf.signal.kernels"), ("lpf.lpfsr", "lpf.signal.lpfsr"),
    ("lpf.resize", "lpf.data.resize"), ("lpf.impulse", "lpf.analysis.impulse"),
    ("lpf.plotting", "lpf.plot"), ("lpf.archs.rdn", "lpf.models.archs.rdn"),
])
def test_documented_old_module_paths_still_import(old, new):
    import importlib

    assert importlib.import_module(old) is importlib.import_module(new)


def test_documented_public_api():
    from lpf.resize import imresize
    from lpf.zoo import list_models, load_model, wrap_model  # noqa: F401

    from lpf.data.resize import imresize as imresize_new

    assert imresize is imresize_new
    for name in ("fsds", "fsds_loss", "FSDS", "FSDSLoss", "FSDSMetric", "lpf_sr", "lpf_sr_paper",
                 "impulse_response", "impulse_response_paper", "diagnose", "hyra", "hyra_bands"):
        assert callable(getattr(lpf, name)), name
    assert callable(lpf.metrics.psnr) and callable(lpf.metrics.ssim)
    assert callable(lpf.evaluate.evaluate)


def test_import_lpf_leaves_slow_optional_imports_until_used():
    """A notebook's imports (lpf, its claims, the metrics) and the ``lpf`` command's module stay
    clear of torchmetrics (~2 s: torchvision, dynamo, scipy) and nbformat (~1 s: jsonschema);
    ``lpf.FSDSMetric`` brings torchmetrics in when it is used."""
    code = ("import sys, lpf, lpf.metrics, lpf.studies.claims, lpf.cli; "
            "print(sorted(m for m in ('torchmetrics', 'nbformat') if m in sys.modules)); "
            "lpf.FSDSMetric; print('torchmetrics' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True"], out.stdout
