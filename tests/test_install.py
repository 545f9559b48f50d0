"""A non-editable install is a whole install (issue 12 item 8).

Builds the wheel of this checkout, installs it into a fresh virtual environment (its
dependencies come from the test interpreter's site-packages through a ``.pth`` line, so nothing is
downloaded) and runs the kit from a folder outside the checkout: the kit-trained models and the
shipped published networks load from the package's own copy (``lpf/_data``), and the ``lpf``
command's ``fsds`` and ``impulse`` work.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lpf._paths import repo_root

ROOT = repo_root()
pytestmark = pytest.mark.skipif(ROOT is None,
                                reason="needs the repository checkout (builds its wheel)")

CHECK = """
import json, sys
import torch
import lpf, lpf._paths
from lpf.models import load_model
out = {"file": lpf.__file__, "repo_root": str(lpf._paths.repo_root()),
       "bundled": str(lpf._paths.bundled_dir())}
x = torch.rand(1, 3, 12, 12, generator=torch.Generator().manual_seed(0))
for name, scale in [("edsr-kit", 4), ("carn-m", 3), ("fsrcnn-y", 2)]:
    with torch.no_grad():
        y = load_model(name, scale=scale)(x)
    out[name] = list(y.shape)
json.dump(out, sys.stdout)
"""


def _run(cmd: list[str], cwd: Path, **kw) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in {"LPF_DATA_DIR", "LPF_SHARED", "LPF_SHARED_ASSETS", "LPF_WEIGHTS",
                        "PYTHONPATH"}}
    env["LPF_CACHE_DIR"] = str(cwd / "cache")
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, **kw)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(python of a fresh venv holding the built wheel, a folder outside the checkout, wheel)."""
    tmp = tmp_path_factory.mktemp("install")
    wheels = tmp / "wheels"
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps",
                  "-q", str(ROOT), "-w", str(wheels)], cwd=tmp)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = wheels.glob("lpf_kit-*.whl")
    venv = tmp / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    inst = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                 "-q", str(wheel)], cwd=tmp)
    assert inst.returncode == 0, inst.stderr[-3000:]
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                     cwd=tmp).stdout.strip())
    # The test interpreter's site-packages (torch, basicsr, ...) after the venv's own: the venv's
    # non-editable lpf comes first; the checkout's editable finder is not activated this way.
    (site / "zz_lpf_test_deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    work = tmp / "elsewhere"
    work.mkdir()
    return python, work, wheel


def test_wheel_carries_the_shipped_data(installed):
    _, _, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ["lpf/_data/networks/NOTICE.md", "lpf/_data/networks/carn-m_x2x3x4.pth",
                     "lpf/_data/models/edsr-kit.pth", "lpf/_data/models/edsr-kit.json",
                     "lpf/models/catalog.json"]:
        assert required in names, required
    licences = [n for n in names if n.startswith("lpf/_data/networks/LICENSES/")]
    assert len(licences) >= 2


def test_installed_package_loads_models_outside_the_checkout(installed):
    python, work, _ = installed
    res = _run([str(python), "-c", CHECK], cwd=work)
    assert res.returncode == 0, res.stderr[-3000:]
    out = json.loads(res.stdout)
    assert ROOT not in Path(out["file"]).resolve().parents  # not the checkout's lpf
    assert out["repo_root"] == "None"
    assert out["bundled"].endswith(os.path.join("lpf", "_data"))
    assert out["edsr-kit"] == [1, 3, 48, 48]
    assert out["carn-m"] == [1, 3, 36, 36]
    assert out["fsrcnn-y"] == [1, 3, 24, 24]


def test_installed_cli_fsds_and_impulse(installed):
    python, work, _ = installed
    lpf_cmd = str(python.parent / "lpf")
    rng = np.random.default_rng(0)
    hr = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
    sr = np.clip(hr.astype(int) + rng.integers(-8, 9, hr.shape), 0, 255).astype(np.uint8)
    Image.fromarray(hr).save(work / "hr.png")
    Image.fromarray(sr).save(work / "sr.png")
    res = _run([lpf_cmd, "fsds", "sr.png", "hr.png"], cwd=work)
    assert res.returncode == 0, res.stderr
    assert "dB" in res.stdout or any(c.isdigit() for c in res.stdout)
    res = _run([lpf_cmd, "impulse", "--model", "carn-m", "--scale", "4", "--out", "imp"], cwd=work)
    assert res.returncode == 0, res.stderr[-3000:]
    response = np.load(work / "imp" / "impulse_response.npy")
    assert response.shape == (3, 44, 44) and np.isfinite(response).all()


def test_installed_package_without_its_data_says_what_is_missing(installed):
    """Negative: without the bundled copy a shipped network is reported missing, by name."""
    python, work, _ = installed
    probe = ("import pathlib, lpf.models.weights as w; "
             "w.bundled_dir = lambda: pathlib.Path('no-such-folder'); "
             "from lpf.models import load_model; load_model('carn-m', scale=4)")
    res = _run([str(python), "-c", probe], cwd=work)
    assert res.returncode != 0
    assert "carn-m" in res.stderr
