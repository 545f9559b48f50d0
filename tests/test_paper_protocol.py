"""`lpf table --paper`: the paper's Table 1 protocol, against a local HTTP mirror on 127.0.0.1.

The mirror serves small stand-in files under the official file names: DIV2K validation zips of
two 24x24 images (the official layout) and a copy of the shipped CARN-M checkpoint registered as
a network with an official URL; the DIV2K sources are re-pinned to the stand-ins' sha256. No test
touches the internet.
"""

from __future__ import annotations

import hashlib
import io
import time
import zipfile

import numpy as np
import pytest
from PIL import Image

import lpf.models.catalog
from lpf.cli import main
from lpf.data import DATASET_SOURCES, DownloadSource, imresize, load_set
from lpf.evaluate import evaluate
from lpf.models import MODELS, ModelSpec, WeightSource
from lpf.models.weights import find_local
from lpf.studies import paper_table1
from lpf.studies.paper_table1 import PaperProtocolError


def _png(image):
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG")
    return buf.getvalue()


def _zip(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _sha(data):
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def mirror(server, tmp_path, monkeypatch):
    """Stand-in DIV2K zips and one network's weights on the local server; an isolated kit."""
    for var, sub in (("LPF_DATA_DIR", "data"), ("LPF_DATASETS", "datasets"),
                     ("LPF_CACHE_DIR", "cache"), ("LPF_SHARED_ASSETS", "no-assets")):
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.delenv("LPF_WEIGHTS", raising=False)
    monkeypatch.delenv("LPF_PAPER_MIRROR", raising=False)
    rng = np.random.default_rng(3)
    hrs = {n: rng.integers(0, 256, (24, 24, 3), dtype=np.uint8) for n in ("0801", "0802")}
    zips = {"DIV2K_valid_HR.zip": _zip({f"DIV2K_valid_HR/{n}.png": _png(hr)
                                        for n, hr in hrs.items()})}
    for s in (2, 3, 4):
        zips[f"DIV2K_valid_LR_bicubic_X{s}.zip"] = _zip({
            f"DIV2K_valid_LR_bicubic/X{s}/{n}x{s}.png": _png(imresize(hr, 1 / s))
            for n, hr in hrs.items()})
    sources = []
    for src in DATASET_SOURCES["DIV2K-valid"]:
        server.files[f"/{src.cache_name}"] = zips[src.cache_name]
        sources.append(DownloadSource(src.url, _sha(zips[src.cache_name]), src.members))
    monkeypatch.setitem(DATASET_SOURCES, "DIV2K-valid", tuple(sources))
    carn = MODELS["carn-m"]
    weights = find_local(carn.source(2)).read_bytes()  # shipped in data/networks
    server.files["/carn-m-mirror.pth"] = weights
    spec = ModelSpec(name="carn-m-mirror", arch=carn.arch, scales=(2, 3, 4), paper=carn.paper,
                     license=carn.license, arch_kwargs=carn.arch_kwargs, weights={0: WeightSource(
                         "url", "carn-m-mirror.pth", sha256=_sha(weights),
                         url="https://example.invalid/release/carn-m-mirror.pth")})
    monkeypatch.setitem(lpf.models.catalog.MODELS, "carn-m-mirror", spec)
    return server


def _files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) \
        if folder.exists() else []


def test_plan_sorts_every_network_without_network_access(mirror, tmp_path):
    p = paper_table1.plan()
    assert [d.what for d in p.downloads[:4]] == [
        f"DIV2K-valid {n}" for n in ("DIV2K_valid_HR.zip", "DIV2K_valid_LR_bicubic_X2.zip",
                                     "DIV2K_valid_LR_bicubic_X3.zip",
                                     "DIV2K_valid_LR_bicubic_X4.zip")]
    assert all(d.sha256 and len(d.sha256) == 64 for d in p.downloads)
    fetched = {d.network for d in p.downloads[4:]}
    assert {"edsr", "hat", "hat-s", "swinir-classical", "edsr-liif"} <= fetched
    assert {d.network for d in p.unverified} == {"grl-base", "grl-small", "grl-tiny",
                                                 "swinir-classical"}
    assert any(k.startswith("rdn-liif") and "Google Drive" in v for k, v in p.by_hand.items())
    assert any(k.startswith("edsr-lte") and "drive.google.com" in v for k, v in p.by_hand.items())
    assert set(p.not_written) == {"edsr-opesr", "rdn-opesr", "edsr-srno", "itsrn", "hdsrnet"}
    assert p.scales["bicubic-matlab"] == [2, 3, 4, 6, 12] and p.scales["hat"] == [2, 3, 4]
    assert p.scales["edsr-liif"] == [2, 3, 4, 6, 12]
    assert mirror.requests == [] and _files(tmp_path / "cache") == []
    text = p.to_text()
    assert "to fetch by hand" in text and "--allow-unverified" in text


def test_run_downloads_from_the_mirror_then_evaluates(mirror, tmp_path):
    networks = ["bicubic-matlab", "carn-m-mirror"]
    kw = dict(scales=(2, 3), large_scales=(), mirror=mirror.url(""), cache=tmp_path / "ev",
              progress=False)
    result = paper_table1.run(networks, **kw)
    ev = result.evaluation
    assert ev.dataset == "DIV2K-valid" and ev.preset == "paper"
    assert ev.models() == networks and ev.scales() == [2, 3]
    assert {r["image"] for r in ev.rows} == {"0801", "0802"}
    assert sorted(mirror.requests) == sorted(
        ["/carn-m-mirror.pth"] + [f"/{s.cache_name}" for s in DATASET_SOURCES["DIV2K-valid"]])
    assert len(load_set("DIV2K-valid", scale=3)) == 2
    # the same numbers as evaluating the downloaded set directly
    direct = evaluate(networks, "DIV2K-valid", scales=[2, 3], preset="paper", cache=False,
                      progress=False)
    assert direct.rows == ev.rows
    # a second run downloads nothing (files verified in place) and reads the cache
    again = paper_table1.run(networks, **kw)
    assert again.evaluation.rows == ev.rows and len(mirror.requests) == 5
    assert result.to_json()["means"]["carn-m-mirror@x2"]["psnr"] > 0


def test_offline_fails_at_once_with_the_list_and_keeps_nothing(mirror, tmp_path):
    start = time.monotonic()
    with pytest.raises(PaperProtocolError) as info:
        paper_table1.run(["bicubic-matlab", "carn-m-mirror", "rdn-liif"], scales=(2,),
                         large_scales=(), mirror="http://127.0.0.1:9", progress=False)
    assert time.monotonic() - start < 30
    msg = str(info.value)
    for name in ("DIV2K_valid_HR.zip", "DIV2K_valid_LR_bicubic_X4.zip", "carn-m-mirror.pth",
                 "rdn-liif", "Still missing (5 file(s))"):
        assert name in msg
    assert _files(tmp_path / "cache") == [] and _files(tmp_path / "datasets") == []


def test_cli_paper_dry_run(mirror, capsys):
    assert main(["table", "--paper", "--dry-run", "--models", "bicubic-matlab", "rdn-liif",
                 "itsrn"]) == 0
    out = capsys.readouterr().out
    assert "networks that will run: 1 (bicubic-matlab x[2, 3, 4, 6, 12])" in out
    assert "rdn-liif (rdn-liif.pth)" in out and "not in the kit" in out and "itsrn" in out
    assert mirror.requests == []
