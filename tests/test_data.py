"""Tests of lpf.data: image IO, conversion, modcrop, embedded and benchmark sets, downloads.

Downloads are tested only against an HTTP server started here on 127.0.0.1, serving archives built
in ``tmp_path``; nothing else is ever fetched.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import zipfile

import numpy as np
import pytest
import torch
from _needs import benchmark_root, cases_where, needs_images
from PIL import Image

import lpf._io
import lpf.data.sets
from lpf._checks import LpfError, RangeError, ShapeError
from lpf.data import (
    DATASET_SOURCES,
    ChecksumError,
    DatasetNotFound,
    DownloadError,
    DownloadSource,
    ImageSet,
    SRPair,
    dataset_roots,
    download_file,
    download_set,
    embedded_images,
    load_embedded,
    load_set,
    modcrop,
    read_image,
    to_numpy,
    to_tensor,
    write_image,
)
from lpf.data.download import (
    BENCHMARK_SHA256,
    PINNED_REPOS,
    RAW_GITHUB,
    _pinned_sources,
    _selfexsr_path,
)
from lpf.data.resize import imresize


def _rgb(h=12, w=10, seed=0, dtype=np.uint8):
    rng = np.random.default_rng(seed)
    return rng.integers(0, np.iinfo(dtype).max, size=(h, w, 3), endpoint=True, dtype=dtype)


def _files(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# ------------------------------------------------------------------------------------- IO


@pytest.mark.parametrize("suffix", [".png", ".bmp", ".PNG"])
def test_lossless_roundtrip_8bit(tmp_path, suffix):
    rgb = _rgb()
    grey = rgb[..., :1].copy()
    p = write_image(tmp_path / f"rgb{suffix}", rgb)
    np.testing.assert_array_equal(read_image(p), rgb)
    q = write_image(tmp_path / f"grey{suffix}", grey)
    out = read_image(q)
    assert out.shape == (12, 10, 1) and out.dtype == np.uint8
    np.testing.assert_array_equal(out, grey)
    np.testing.assert_array_equal(read_image(q, channels=3), np.repeat(grey, 3, axis=2))
    write_image(tmp_path / f"flat{suffix}", grey[..., 0])  # (H, W) is accepted too
    np.testing.assert_array_equal(read_image(tmp_path / f"flat{suffix}"), grey)
    assert _files(tmp_path) == sorted([f"rgb{suffix}", f"grey{suffix}", f"flat{suffix}"])


def test_roundtrip_16bit_png(tmp_path):
    rgb16 = _rgb(dtype=np.uint16)
    out = read_image(write_image(tmp_path / "rgb16.png", rgb16))
    assert out.dtype == np.uint16
    np.testing.assert_array_equal(out, rgb16)
    grey16 = rgb16[..., 1:2].copy()
    out = read_image(write_image(tmp_path / "grey16.png", grey16))
    assert out.dtype == np.uint16 and out.shape == (12, 10, 1)
    np.testing.assert_array_equal(out, grey16)
    with Image.open(tmp_path / "grey16.png") as im:
        assert im.mode.startswith("I")  # really 16 bits on disk


def test_jpeg_roundtrip_is_close(tmp_path):
    yy, xx = np.mgrid[0:32, 0:32]
    smooth = np.stack([yy * 4, xx * 4, (yy + xx) * 2], axis=-1).astype(np.uint8)
    out = read_image(write_image(tmp_path / "x.jpg", smooth, quality=95))
    assert out.shape == smooth.shape and out.dtype == np.uint8
    assert np.abs(out.astype(int) - smooth).mean() < 3
    low = read_image(write_image(tmp_path / "low.jpeg", smooth, quality=10))
    assert np.abs(low.astype(int) - smooth).mean() > np.abs(out.astype(int) - smooth).mean()


def test_write_tensor(tmp_path):
    t = torch.rand(3, 5, 7)
    np.testing.assert_array_equal(read_image(write_image(tmp_path / "t.png", t)), to_numpy(t))


def test_alpha_is_composited_on_black(tmp_path):
    rgb = _rgb()
    alpha = np.full(rgb.shape[:2], 255, np.uint8)
    Image.fromarray(np.dstack([rgb, alpha])).save(tmp_path / "opaque.png")
    np.testing.assert_array_equal(read_image(tmp_path / "opaque.png"), rgb)
    alpha = np.arange(120, dtype=np.uint8).reshape(12, 10) * 2
    Image.fromarray(np.dstack([rgb, alpha])).save(tmp_path / "half.png")
    expected = np.floor(rgb.astype(np.float64) * alpha[..., None] / 255 + 0.5).astype(np.uint8)
    np.testing.assert_array_equal(read_image(tmp_path / "half.png"), expected)
    Image.fromarray(np.dstack([rgb[..., 0], alpha]), mode="LA").save(tmp_path / "la.png")
    np.testing.assert_array_equal(read_image(tmp_path / "la.png"), expected[..., :1])


def test_alpha_16bit_is_composited(tmp_path):
    cv2 = pytest.importorskip("cv2")
    rgb = _rgb(dtype=np.uint16)
    alpha = np.full(rgb.shape[:2], 32768, np.uint16)
    ok, buf = cv2.imencode(".png", np.dstack([rgb[..., ::-1], alpha]))
    assert ok
    (tmp_path / "a16.png").write_bytes(buf.tobytes())
    out = read_image(tmp_path / "a16.png")
    expected = (rgb.astype(np.uint64) * 32768 + 32767) // 65535
    assert out.dtype == np.uint16
    np.testing.assert_array_equal(out, expected.astype(np.uint16))


def test_palette_and_bilevel_images(tmp_path):
    pal = Image.fromarray(_rgb()).convert("P")
    pal.save(tmp_path / "p.png")
    assert read_image(tmp_path / "p.png").shape == (12, 10, 3)
    Image.fromarray(np.eye(4, dtype=bool)).save(tmp_path / "b.png")
    out = read_image(tmp_path / "b.png")
    assert out.shape == (4, 4, 1) and set(np.unique(out)) == {0, 255}


def test_read_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_image(tmp_path / "missing.png")
    (tmp_path / "junk.png").write_bytes(b"not an image at all")
    with pytest.raises(LpfError, match="not an image"):
        read_image(tmp_path / "junk.png")
    with pytest.raises(ValueError, match="`channels` must be None, 1 or 3"):
        read_image(tmp_path / "junk.png", channels=2)


def test_write_errors(tmp_path):
    rgb = _rgb()
    with pytest.raises(ValueError, match="must end in one of"):
        write_image(tmp_path / "x.gif", rgb)
    with pytest.raises(ValueError, match="16-bit images can only be written as PNG"):
        write_image(tmp_path / "x.jpg", rgb.astype(np.uint16))
    with pytest.raises(TypeError, match="uint8 or uint16"):
        write_image(tmp_path / "x.png", rgb / 255.0)
    with pytest.raises(ShapeError, match=r"\(H, W\), \(H, W, 1\) or \(H, W, 3\)"):
        write_image(tmp_path / "x.png", np.zeros((4, 4, 4), np.uint8))
    with pytest.raises(ShapeError, match=r"must be \(C, H, W\)"):
        write_image(tmp_path / "x.png", torch.rand(1, 3, 4, 4))
    with pytest.raises(ValueError, match="`quality`"):
        write_image(tmp_path / "x.jpg", rgb, quality=0)
    assert _files(tmp_path) == []


def test_write_is_atomic(tmp_path, monkeypatch):
    target = write_image(tmp_path / "keep.png", _rgb(seed=1))
    before = target.read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(lpf._io.os, "replace", fail)
    with pytest.raises(OSError, match="simulated"):
        write_image(target, _rgb(seed=2))
    with pytest.raises(OSError, match="simulated"):
        write_image(tmp_path / "new.png", _rgb(seed=2))
    assert _files(tmp_path) == ["keep.png"]  # no .part file, no half-written new file
    assert target.read_bytes() == before


def test_write_creates_parent_folders(tmp_path):
    p = write_image(tmp_path / "a" / "b" / "x.png", _rgb())
    assert p.is_file()


# ----------------------------------------------------------------------------- conversion


def test_to_tensor_layout_and_scaling():
    u8 = _rgb()
    t = to_tensor(u8)
    assert t.shape == (3, 12, 10) and t.dtype == torch.float32
    torch.testing.assert_close(t, torch.from_numpy(u8).permute(2, 0, 1).float() / 255)
    t16 = to_tensor(_rgb(dtype=np.uint16), dtype=torch.float64)
    assert t16.dtype == torch.float64 and float(t16.max()) <= 1.0
    assert to_tensor(u8[..., 0]).shape == (1, 12, 10)
    assert to_tensor(np.stack([u8, u8])).shape == (2, 3, 12, 10)
    f = np.random.default_rng(0).random((4, 5, 3)).astype(np.float32)
    torch.testing.assert_close(to_tensor(f), torch.from_numpy(f).permute(2, 0, 1))
    u8[0, 0, 0] = 7
    t2 = to_tensor(u8)
    u8[0, 0, 0] = 9  # the tensor is a copy
    assert round(float(t2[0, 0, 0]) * 255) == 7
    ro = _rgb()
    ro.flags.writeable = False
    to_tensor(ro)  # read-only arrays convert without a warning


def test_to_numpy_rounds_half_away_and_clamps():
    x = torch.tensor([[[-0.2, 0.0, 0.5 / 255, 1.5 / 255, 127.5 / 255, 1.0, 1.3]]],
                     dtype=torch.float64)
    assert to_numpy(x)[0, :, 0].tolist() == [0, 0, 1, 2, 128, 255, 255]
    assert to_numpy(x, dtype=np.uint16)[0, 5, 0] == 65535
    f = to_numpy(x, dtype=np.float32)
    assert f.dtype == np.float32 and f.shape == (1, 7, 1) and f[0, 0, 0] == np.float32(-0.2)
    assert to_numpy(torch.rand(2, 3, 4, 5)).shape == (2, 4, 5, 3)
    t = torch.rand(3, 4, 4, requires_grad=True)
    assert to_numpy(t).dtype == np.uint8


def test_uint8_roundtrip_is_exact():
    levels = np.arange(256, dtype=np.uint8).reshape(16, 16, 1)
    np.testing.assert_array_equal(to_numpy(to_tensor(levels)), levels)
    np.testing.assert_array_equal(to_numpy(to_tensor(levels, dtype=torch.float16).float()), levels)


def test_conversion_errors():
    with pytest.raises(TypeError, match="numpy.ndarray"):
        to_tensor(torch.rand(3, 4, 4))
    with pytest.raises(TypeError, match="uint8, uint16, float32 or float64"):
        to_tensor(np.zeros((4, 4, 3), np.int32))
    with pytest.raises(ShapeError, match=r"\(H, W\), \(H, W, C\)"):
        to_tensor(np.zeros((4,), np.uint8))
    with pytest.raises(RangeError, match=r"`image` must be in \[0, 1\]"):
        to_tensor(np.full((2, 2, 3), 2.0))
    with pytest.raises(TypeError, match="floating torch dtype"):
        to_tensor(np.zeros((2, 2, 3), np.uint8), dtype=torch.int64)
    with pytest.raises(TypeError, match="floating-point torch.Tensor"):
        to_numpy(torch.zeros(3, 4, 4, dtype=torch.uint8))
    with pytest.raises(TypeError, match="floating-point torch.Tensor"):
        to_numpy(np.zeros((3, 4, 4)))
    with pytest.raises(ShapeError, match=r"\(C, H, W\) or \(N, C, H, W\)"):
        to_numpy(torch.rand(4, 4))
    with pytest.raises(RangeError, match="finite"):
        to_numpy(torch.full((1, 2, 2), float("nan")))
    with pytest.raises(TypeError, match="`dtype`"):
        to_numpy(torch.rand(1, 2, 2), dtype=np.int32)


def test_modcrop():
    x = np.arange(10 * 7 * 3).reshape(10, 7, 3)
    out = modcrop(x, 3)
    assert out.shape == (9, 6, 3) and np.shares_memory(out, x)
    np.testing.assert_array_equal(out, x[:9, :6])
    assert modcrop(x[..., 0], 2).shape == (10, 6)
    t = torch.zeros(2, 3, 11, 13)
    assert modcrop(t, 4).shape == (2, 3, 8, 12)
    assert modcrop(t, 1).shape == t.shape
    with pytest.raises(ShapeError, match="smaller than `scale` 8"):
        modcrop(np.zeros((5, 9)), 8)
    with pytest.raises(TypeError, match="`scale` must be an integer"):
        modcrop(x, 2.5)


# --------------------------------------------------------------------------- embedded set


def test_embedded_names():
    names = embedded_images()
    assert len(names) == 19 and names == sorted(names)
    colour = embedded_images(include_grey=False)
    assert {"astronaut", "chelsea", "coffee", "motorcycle_left", "motorcycle_right", "rocket",
            "immunohistochemistry"} <= set(colour)
    assert "camera" in names and "camera" not in colour


def test_load_embedded_pairs():
    pair = load_embedded("astronaut", scale=3)
    assert isinstance(pair, SRPair) and pair.name == "astronaut" and pair.scale == 3
    assert pair.hr.shape == (510, 510, 3) and pair.lr.shape == (170, 170, 3)
    assert pair.hr.dtype == pair.lr.dtype == np.uint8
    np.testing.assert_array_equal(pair.lr, imresize(pair.hr, 1 / 3))
    hr_t, lr_t = pair.tensors()
    assert hr_t.shape == (3, 510, 510) and lr_t.shape == (3, 170, 170)
    grey = load_embedded("camera", scale=2, channels=None)
    assert grey.hr.shape == (512, 512, 1) and grey.lr.shape == (256, 256, 1)
    left = load_embedded("motorcycle_left", scale=4)
    right = load_embedded("motorcycle_right", scale=4)
    assert left.hr.shape == right.hr.shape == (500, 740, 3)
    assert not np.array_equal(left.hr, right.hr)


@pytest.mark.slow
def test_every_embedded_image_loads_offline():
    for name in embedded_images():
        pair = load_embedded(name, scale=4)
        assert pair.hr.shape[2] == 3 and pair.hr.shape[0] == 4 * pair.lr.shape[0]


def test_embedded_errors():
    with pytest.raises(KeyError, match="Did you mean 'astronaut'"):
        load_embedded("astronot", scale=2)
    with pytest.raises(ShapeError, match="is in colour"):
        load_embedded("coffee", scale=2, channels=1)
    with pytest.raises(ValueError, match="`scale`"):
        load_embedded("camera", scale=0)


# ------------------------------------------------------------------------- benchmark sets


def _make_set(root, name="Set5", scales=(2,), n=2, size=(24, 18)):
    """A tiny benchmark set in the EDSR layout, LR made with imresize."""
    for i in range(n):
        hr = _rgb(*size, seed=i)
        write_image(root / name / "HR" / f"im{i}.png", hr)
        for s in scales:
            lr = imresize(np.ascontiguousarray(modcrop(hr, s)), 1 / s)
            write_image(root / name / "LR_bicubic" / f"X{s}" / f"im{i}x{s}.png", lr)
    return root / name


@pytest.fixture
def no_default_sets(tmp_path, monkeypatch):
    """Point every default dataset location at empty folders in tmp_path."""
    monkeypatch.delenv("LPF_DATASETS", raising=False)
    monkeypatch.setenv("LPF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LPF_SHARED_ASSETS", str(tmp_path / "no-assets"))
    return tmp_path


def test_load_set_is_lazy(tmp_path, monkeypatch):
    _make_set(tmp_path, n=3)
    calls = []
    real = lpf.data.sets.read_image
    monkeypatch.setattr(
        lpf.data.sets, "read_image", lambda *a, **k: calls.append(a) or real(*a, **k)
    )
    s = load_set("Set5", scale=2, root=tmp_path)
    assert calls == []
    it = iter(s)
    first = next(it)
    assert len(calls) == 2 and first.name == "im0"  # HR and LR of one image only
    assert first.lr.shape == (12, 9, 3)


def test_search_order_and_env(no_default_sets, monkeypatch):
    tmp = no_default_sets
    _make_set(tmp / "env-root")
    _make_set(tmp / "data" / "datasets", scales=(3,))
    monkeypatch.setenv("LPF_DATASETS", str(tmp / "env-root"))
    roots = dataset_roots()
    assert roots[:2] == [tmp / "env-root", tmp / "data" / "datasets"]
    assert load_set("Set5", scale=2).folder == tmp / "env-root" / "Set5"
    monkeypatch.delenv("LPF_DATASETS")
    s = load_set("Set5", scale=3)
    assert s.folder == tmp / "data" / "datasets" / "Set5" and not s.generated


def test_missing_set_lists_places(no_default_sets, monkeypatch):
    tmp = no_default_sets
    monkeypatch.setenv("LPF_DATASETS", str(tmp / "env-root"))
    with pytest.raises(DatasetNotFound) as info:
        load_set("B100", scale=4)
    msg = str(info.value)
    for place in (tmp / "env-root" / "B100" / "HR", tmp / "env-root" / "BSD100" / "HR",
                  tmp / "data" / "datasets" / "B100" / "HR"):
        assert str(place) in msg
    assert "download_set('B100')" in msg and "github.com/jbhuang0604/SelfExSR" in msg
    assert "pinned sha256" in msg and "verify=False" not in msg
    with pytest.raises(DatasetNotFound, match=r"download_set\('Urban100', verify=False\) .*"
                       r"benchmark.tar \(its sha256 is not known"):
        load_set("Urban100", scale=4)
    with pytest.raises(DatasetNotFound, match="manga109.org"):
        load_set("Manga109", scale=4, root=tmp)
    assert isinstance(info.value, FileNotFoundError)


def test_set_errors(tmp_path):
    folder = _make_set(tmp_path, n=2)
    with pytest.raises(KeyError, match="unknown benchmark set 'Set55'"):
        load_set("Set55", scale=2, root=tmp_path)
    s = load_set("Set5", scale=2, root=tmp_path)
    with pytest.raises(KeyError, match="unknown image of Set5"):
        s["nope"]
    (folder / "LR_bicubic" / "X2" / "im1x2.png").unlink()
    with pytest.raises(FileNotFoundError, match="im1x2.png is missing"):
        s[1]
    write_image(folder / "LR_bicubic" / "X2" / "im1x2.png", _rgb(5, 5))
    with pytest.raises(ShapeError, match=r"im1x2.png has shape \(5, 5, 3\)"):
        s["im1"]


# ------------------------------------------------------------------------------- download


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """Keep every default download location inside tmp_path."""
    monkeypatch.setenv("LPF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LPF_DATASETS", str(tmp_path / "datasets"))
    return tmp_path


def _png_bytes(image):
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG")
    return buf.getvalue()


def _set_zip(prefix="Set5/", extra=()):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(2):
            hr = _rgb(16, 12, seed=i)
            zf.writestr(f"{prefix}HR/im{i}.png", _png_bytes(hr))
            zf.writestr(f"{prefix}LR_bicubic/X2/im{i}x2.png", _png_bytes(imresize(hr, 0.5)))
        zf.writestr("README.txt", "not part of the set")
        for name, content in extra:
            zf.writestr(name, content)
    return buf.getvalue()


def _sha(data):
    return hashlib.sha256(data).hexdigest()


def test_download_file_verified(server, tmp_path):
    body = b"x" * 300_000
    server.files["/a.bin"] = body
    dest = download_file(server.url("/a.bin"), tmp_path / "cache" / "a.bin", sha256=_sha(body),
                         progress=True)
    assert dest.read_bytes() == body
    assert _files(tmp_path / "cache") == ["a.bin"]
    download_file(server.url("/a.bin"), dest, sha256=_sha(body))  # cached: no new request
    assert server.requests == ["/a.bin"]


def test_download_file_wrong_checksum_keeps_nothing(server, tmp_path):
    server.files["/a.bin"] = b"payload"
    with pytest.raises(ChecksumError, match="expected " + "0" * 64):
        download_file(server.url("/a.bin"), tmp_path / "a.bin", sha256="0" * 64, progress=False)
    assert _files(tmp_path) == []


@pytest.mark.parametrize("verify", [True, False])
def test_download_file_interrupted_keeps_nothing(server, tmp_path, verify):
    body = bytes(range(256)) * 400
    server.files["/cut.bin"] = body
    server.truncate.add("/cut.bin")
    sha = _sha(body) if verify else None
    with pytest.raises(DownloadError, match="interrupted|failed"):
        download_file(server.url("/cut.bin"), tmp_path / "cut.bin", sha256=sha, verify=verify,
                      progress=False)
    assert _files(tmp_path) == []


def test_download_file_unknown_hash_policy(server, tmp_path):
    body = b"trust on first use"
    server.files["/t.bin"] = body
    dest = tmp_path / "t.bin"
    with pytest.raises(DownloadError, match="refusing to download .* Pass verify=False"):
        download_file(server.url("/t.bin"), dest, progress=False)
    assert server.requests == [] and _files(tmp_path) == []  # refused before any request
    download_file(server.url("/t.bin"), dest, verify=False, progress=False)
    record = tmp_path / "t.bin.sha256"
    assert record.read_text().split()[0] == _sha(body)
    download_file(server.url("/t.bin"), dest, progress=False)  # the record now verifies it
    dest.write_bytes(b"tampered")
    with pytest.raises(ChecksumError, match="cached file"):
        download_file(server.url("/t.bin"), dest, progress=False)
    assert server.requests == ["/t.bin"]


def test_download_file_http_error(server, tmp_path):
    with pytest.raises(DownloadError, match="failed: HTTP Error 404"):
        download_file(server.url("/missing"), tmp_path / "m.bin", verify=False, progress=False)
    assert _files(tmp_path) == []


def test_download_set_from_local_server(server, isolated, monkeypatch):
    archive = _set_zip()
    server.files["/set5.zip"] = archive
    monkeypatch.setitem(DATASET_SOURCES, "Set5", (
        DownloadSource(server.url("/set5.zip"), _sha(archive), (("Set5/", ""),)),))
    folder = download_set("Set5", progress=False)
    assert folder == isolated / "datasets" / "Set5"
    assert _files(folder) == ["HR", "LR_bicubic"]
    assert _files(isolated / "datasets") == ["Set5"]  # no staging folder left
    assert (isolated / "data" / "cache" / "downloads" / "set5.zip").is_file()
    s = load_set("Set5", scale=2)
    assert len(s) == 2 and s[0].lr.shape == (8, 6, 3)
    assert download_set("Set5") == folder  # already there: nothing downloaded
    assert server.requests == ["/set5.zip"]


def test_download_set_wrong_checksum_leaves_nothing(server, isolated, monkeypatch):
    server.files["/set5.zip"] = _set_zip()
    monkeypatch.setitem(DATASET_SOURCES, "Set5", (
        DownloadSource(server.url("/set5.zip"), "f" * 64, (("Set5/", ""),)),))
    with pytest.raises(ChecksumError):
        download_set("Set5", root=isolated / "root", cache=isolated / "cache", progress=False)
    assert _files(isolated / "root") == [] and _files(isolated / "cache") == []


def test_download_set_interrupted_leaves_nothing(server, isolated, monkeypatch):
    archive = _set_zip()
    server.files["/set5.zip"] = archive
    server.truncate.add("/set5.zip")
    monkeypatch.setitem(DATASET_SOURCES, "Set5", (
        DownloadSource(server.url("/set5.zip"), _sha(archive), (("Set5/", ""),)),))
    with pytest.raises(DownloadError):
        download_set("Set5", root=isolated / "root", cache=isolated / "cache", progress=False)
    assert _files(isolated / "root") == [] and _files(isolated / "cache") == []


def test_download_set_tar_with_prefix_mapping(server, isolated, monkeypatch):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        for name, content in [("DIV2K_valid_HR/0801.png", _png_bytes(_rgb(8, 8))),
                              ("DIV2K_valid_HR/0802.png", _png_bytes(_rgb(8, 8, seed=3)))]:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tf.addfile(info, io.BytesIO(content))
    archive = buf.getvalue()
    server.files["/hr.tar"] = archive
    monkeypatch.setitem(DATASET_SOURCES, "DIV2K-valid", (
        DownloadSource(server.url("/hr.tar"), _sha(archive), (("DIV2K_valid_HR/", "HR/"),)),))
    folder = download_set("div2k_valid", progress=False)
    assert _files(folder / "HR") == ["0801.png", "0802.png"]
    s = load_set("DIV2K-valid", scale=4)
    assert s.generated and s[0].lr.shape == (2, 2, 3)


def test_download_set_rejects_bad_archives(server, isolated, monkeypatch):
    unsafe = _set_zip(extra=[("Set5/../../evil.png", b"x")])
    wrong = _set_zip(prefix="Other/")
    server.files.update({"/unsafe.zip": unsafe, "/wrong.zip": wrong})
    for path, archive, match in [("/unsafe.zip", unsafe, "unsafe member"),
                                 ("/wrong.zip", wrong, "no file under")]:
        monkeypatch.setitem(DATASET_SOURCES, "Set5", (
            DownloadSource(server.url(path), _sha(archive), (("Set5/", ""),)),))
        with pytest.raises(DownloadError, match=match):
            download_set("Set5", root=isolated / "root", progress=False)
        assert _files(isolated / "root") == []
    assert not (isolated / "evil.png").exists()


def test_download_set_refusals(isolated):
    with pytest.raises(DownloadError, match="Manga109 has no public archive"):
        download_set("Manga109")
    with pytest.raises(DownloadError, match="refusing to download https://cv.snu.ac.kr"):
        download_set("Urban100")  # unknown sha256 and verify=True: refused before any network use
    with pytest.raises(KeyError, match="unknown benchmark set"):
        download_set("Set6")
    assert _files(isolated / "datasets") == []


# ------------------------------------------------------- pinned per-file sha256 (Set5, Set14, B100)


def test_pinned_sets_have_a_verified_source_per_file():
    counts = {"Set5": 25, "Set14": 70, "B100": 400}
    for name, n in counts.items():
        sources = DATASET_SOURCES[name]
        repo = PINNED_REPOS[name]
        assert len(sources) == n == sum(k.startswith(f"{name}/") for k in BENCHMARK_SHA256)
        for src in sources:
            assert src.members == () and src.dest and src.filename == f"{name}/{src.dest}"
            assert src.sha256 == BENCHMARK_SHA256[f"{name}/{src.dest}"]
            assert len(src.sha256) == 64 and int(src.sha256, 16) >= 0
            assert src.url.startswith(f"{RAW_GITHUB}/{repo.repo}/{repo.commit}/")
        # every HR image has its LR at x2, x3 and x4 (what load_set reads)
        hr = {d.dest.split("/")[-1][:-4] for d in sources if d.dest.startswith("HR/")}
        for s in (2, 3, 4):
            lr = {d.dest.split("/")[-1][:-6] for d in sources
                  if d.dest.startswith(f"LR_bicubic/X{s}/")}
            assert lr == hr, (name, s)
    assert len({len(r.commit) for r in PINNED_REPOS.values()}) == 1  # full 40-hex commits
    # Urban100 keeps its archive of unknown sha256 (verify=False records one); the DIV2K
    # validation zips are pinned to TensorFlow Datasets' published sha256
    assert all(src.sha256 is None for src in DATASET_SOURCES["Urban100"])
    assert [len(src.sha256) for src in DATASET_SOURCES["DIV2K-valid"]] == [64] * 4


def test_b100_names_map_to_selfexsr_paths():
    assert _selfexsr_path("HR/img_007.png") == "data/BSD100/image_SRF_3/img_007_SRF_3_HR.png"
    assert (_selfexsr_path("LR_bicubic/X4/img_100x4.png")
            == "data/BSD100/image_SRF_4/img_100_SRF_4_LR.png")
    (src,) = [s for s in DATASET_SOURCES["B100"] if s.dest == "LR_bicubic/X2/img_042x2.png"]
    assert src.url.endswith("/data/BSD100/image_SRF_2/img_042_SRF_2_LR.png")


def _pinned_set(server, name="Set5", n=2):
    """A tiny set in the pinned source's layout, served by ``server``; its own sha256 table."""
    table, repo = {}, PINNED_REPOS[name]
    for i in range(n):
        hr = _rgb(16, 12, seed=i)
        for dest, image in [(f"HR/im{i}.png", hr),
                            *((f"LR_bicubic/X{s}/im{i}x{s}.png", imresize(hr, 1 / s))
                              for s in (2, 4))]:
            body = _png_bytes(image)
            table[f"{name}/{dest}"] = _sha(body)
            server.files[repo.url(dest, "")] = body
    return table, _pinned_sources(name, sha256=table, base_url=server.url(""))


def test_download_set_pinned_files_verify_true(server, isolated, monkeypatch):
    table, sources = _pinned_set(server)
    monkeypatch.setitem(DATASET_SOURCES, "Set5", sources)
    folder = download_set("Set5", progress=True)  # verify=True: every file has its sha256
    assert folder == isolated / "datasets" / "Set5" and _files(isolated / "datasets") == ["Set5"]
    for key, digest in table.items():
        assert _sha((isolated / "datasets" / key).read_bytes()) == digest
    assert sorted(server.requests) == sorted(
        f"/{PINNED_REPOS['Set5'].repo}/{PINNED_REPOS['Set5'].commit}/testsets/Set5/"
        + k.split("/", 1)[1] for k in table)
    s = load_set("Set5", scale=4)
    assert len(s) == 2 and not s.generated and s[1].lr.shape == (4, 3, 3)
    assert (isolated / "data" / "cache" / "downloads" / "Set5" / "HR" / "im0.png").is_file()


def test_download_set_pinned_file_modified_is_refused(server, isolated, monkeypatch):
    table, sources = _pinned_set(server)
    bad = PINNED_REPOS["Set5"].url("LR_bicubic/X2/im1x2.png", "")
    good = server.files[bad]
    server.files[bad] = good[:-1] + bytes([good[-1] ^ 1])  # one bit of one file changed
    monkeypatch.setitem(DATASET_SOURCES, "Set5", sources)
    root, cache = isolated / "root", isolated / "cache"
    with pytest.raises(ChecksumError, match=r"Set5 file LR_bicubic/X2/im1x2.png: the download "
                       r"of http://.*/testsets/Set5/LR_bicubic/X2/im1x2.png has sha256 .*"
                       + table["Set5/LR_bicubic/X2/im1x2.png"]):
        download_set("Set5", root=root, cache=cache, progress=False)
    assert _files(root) == []  # no set, no staging folder
    assert not (cache / "Set5" / "LR_bicubic" / "X2" / "im1x2.png").exists()
    # the verified files stay in the cache; of the refused one not even a .part file
    assert _files(cache / "Set5" / "LR_bicubic" / "X2") == ["im0x2.png"]
    # a cached file changed after its download is refused too
    server.files[bad] = good
    download_set("Set5", root=root, cache=cache, progress=False)
    cached = cache / "Set5" / "HR" / "im0.png"
    cached.write_bytes(cached.read_bytes() + b"x")
    with pytest.raises(ChecksumError, match="Set5 file HR/im0.png: the cached file"):
        download_set("Set5", root=isolated / "other", cache=cache, progress=False)
    assert _files(isolated / "other") == []


# --- on the benchmark images themselves (Set5, Set14, B100), where they are ------------------

#: the datasets folder holding the three pinned sets (../shared/assets/images, or where
#: download_set put them), or None
BENCHMARKS = benchmark_root(*PINNED_REPOS)


def check_read_set14_greyscale_bridge(images, request):
    path = images / "Set14" / "HR" / "bridge.png"
    grey = read_image(path)
    assert grey.shape[2] == 1 and grey.dtype == np.uint8
    rgb = read_image(path, channels=3)
    assert rgb.shape == (*grey.shape[:2], 3)
    assert (rgb == grey).all()
    with pytest.raises(ShapeError, match="`channels=1` needs a greyscale image"):
        read_image(images / "Set5" / "HR" / "baby.png", channels=1)


def check_load_set5(root, request):
    s5 = load_set("Set5", scale=4, root=root)
    assert isinstance(s5, ImageSet) and len(s5) == 5 and not s5.generated
    assert s5.names == ("baby", "bird", "butterfly", "head", "woman")
    pair = s5["bird"]
    assert pair.scale == 4 and pair.hr.shape == (288, 288, 3) and pair.lr.shape == (72, 72, 3)
    np.testing.assert_array_equal(pair.lr, read_image(root / "Set5/LR_bicubic/X4/birdx4.png"))
    assert [p.name for p in s5] == list(s5.names)
    x6 = load_set("set5", scale=6, root=root)  # no X6 folder: generated from HR
    assert x6.generated
    pair6 = x6[0]
    hr = read_image(root / "Set5/HR/baby.png")
    np.testing.assert_array_equal(pair6.hr, modcrop(hr, 6))
    np.testing.assert_array_equal(pair6.lr, imresize(np.ascontiguousarray(modcrop(hr, 6)), 1 / 6))
    bridge = load_set("Set14", scale=3, root=root)["bridge"]
    assert bridge.hr.shape[2] == 3 and bridge.lr.shape[2] == 3
    assert len(load_set("BSD100", scale=2, root=root)) == 100


def check_pinned_table_matches_the_images(images, request):
    on_disk = sorted(str(p.relative_to(images)) for n in PINNED_REPOS
                     for p in (images / n).rglob("*") if p.is_file())
    assert on_disk == sorted(BENCHMARK_SHA256)
    wrong = [k for k, v in BENCHMARK_SHA256.items()
             if hashlib.sha256((images / k).read_bytes()).hexdigest() != v]
    assert wrong == []


def check_download_set5_with_the_real_pins_offline(images, request):
    """The real Set5 files, served locally at their SwinIR paths, pass the real pinned sha256."""
    server, isolated, monkeypatch = (request.getfixturevalue(name)
                                     for name in ("server", "isolated", "monkeypatch"))
    repo = PINNED_REPOS["Set5"]
    for key in BENCHMARK_SHA256:
        if key.startswith("Set5/"):
            server.files[repo.url(key.split("/", 1)[1], "")] = (images / key).read_bytes()
    monkeypatch.setitem(DATASET_SOURCES, "Set5", _pinned_sources("Set5", base_url=server.url("")))
    folder = download_set("Set5", progress=False)
    assert len(server.requests) == 25
    assert load_set("Set5", scale=4).names == ("baby", "bird", "butterfly", "head", "woman")
    assert (folder / "HR" / "baby.png").read_bytes() == (images / "Set5/HR/baby.png").read_bytes()
    path = repo.url("HR/head.png", "")
    server.files[path] = server.files[path][:-1] + bytes([server.files[path][-1] ^ 1])
    with pytest.raises(ChecksumError, match="Set5 file HR/head.png"):
        download_set("Set5", root=isolated / "again", cache=isolated / "cache2", progress=False)
    assert _files(isolated / "again") == []


BENCHMARK_CHECKS = {
    "read-set14-greyscale-bridge": check_read_set14_greyscale_bridge,
    "load-set5-set14-b100": check_load_set5,
    "pinned-table-matches-the-images": check_pinned_table_matches_the_images,
    "download-set5-with-the-real-pins-offline": check_download_set5_with_the_real_pins_offline,
}


@pytest.mark.assets
@pytest.mark.parametrize("case", cases_where(BENCHMARKS is not None, needs_images(*PINNED_REPOS),
                                             list(BENCHMARK_CHECKS)))
def test_on_the_benchmark_images(case, request):
    """One skip, naming the sets, where they are absent (not one per check)."""
    BENCHMARK_CHECKS[case](BENCHMARKS, request)
