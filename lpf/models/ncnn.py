r"""ncnn weights (``.param`` + ``.bin``) as PyTorch state dicts: Real-ESRGAN from its ncnn release.

`ncnn <https://github.com/Tencent/ncnn>`_ stores a network as two files:

- ``.param``, text: the magic number ``7767517``, a line ``layer_count blob_count``, then one
  line per layer: ``type name bottom_count top_count bottoms... tops... k=v...``. A key ``k``
  gives an int, or a float when the value has a ``.`` or an ``e``; a key ``-23300 - k`` gives
  an array ``n,v1,...,vn`` for key ``k``. For ``Convolution``: 0 num_output, 1 kernel_w,
  11 kernel_h (default kernel_w), 2/12 dilation, 3/13 stride, 4/14 padding, 5 bias_term,
  6 weight_data_size, 8 int8_scale_term, 9 activation_type (1 ReLU, 2 LeakyReLU with slope
  10[0]), 10 activation_params. ``Eltwise``: 0 op (1 = sum), 1 coefficients. ``Interp``:
  0 resize_type (1 nearest, 2 bilinear, 3 bicubic), 1/2 height/width scale. ``PReLU``: 0
  num_slope. ``PixelShuffle``: 0 upscale_factor.
- ``.bin``, the weights of the layers that have any, in layer order, without names or padding
  between layers (ncnn's ``ModelBinFromDataReader::load``): a ``Convolution`` has its weights
  (``num_output x in_channels x kernel_h x kernel_w``, PyTorch's order) as an *auto-typed* array
  -- a 4-byte little-endian tag, then ``0x01306B47``: float16 values (padded to 4 bytes);
  ``0``: float32; ``0x0002C056``: float32; ``0x000D4B38``: int8 (not supported here); other
  non-zero bytes: a 256-entry float32 table and uint8 indices (padded to 4 bytes) -- then its
  bias as plain float32 (no tag); a ``PReLU`` has its slopes as plain float32.

:func:`ncnn_state_dict` walks the ``Convolution`` (and ``PReLU``) layers in order next to the
``nn.Conv2d`` (and ``nn.PReLU``) modules of a PyTorch network in registration order, checks each
pair (shape, kernel, stride, dilation, padding, bias) and returns the network's state dict;
:func:`check_rrdbnet_graph` and :func:`check_srvgg_graph` verify the rest of the graph against
basicsr's ``RRDBNet`` and ``SRVGGNetCompact`` (activation slopes, the RRDB residual scaling 0.2
in the ``Eltwise`` coefficients, the nearest-neighbour upsampling, no input normalisation), so
that a file exported differently is refused rather than silently mis-read. :func:`load_ncnn`
does both and loads the weights strictly. Real-ESRGAN's ncnn files take RGB in [0, 1] and give
RGB in [0, 1] (the ncnn program divides pixels by 255 before and multiplies by 255 after), the
kit's convention.

Every malformed input raises :class:`NcnnFormatError`, naming the file, the layer and what was
expected.

Examples:
    >>> p = parse_param("7767517\n2 2\nInput in 0 1 data\n"
    ...                 "Convolution c0 1 1 data out 0=4 1=3 4=1 5=1 6=108 -23310=1,2.5e-01")
    >>> c = p.layers[1]
    >>> c.type, c.bottoms, c.params[0], c.params[10]
    ('Convolution', ('data',), 4, (0.25,))
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from lpf._checks import LpfError

__all__ = [
    "FP16_TAG",
    "NCNN_MAGIC",
    "NcnnFormatError",
    "NcnnLayer",
    "NcnnParam",
    "Resampled",
    "check_rrdbnet_graph",
    "check_srvgg_graph",
    "load_ncnn",
    "ncnn_state_dict",
    "parse_param",
    "read_bin",
    "read_param",
]

NCNN_MAGIC = 7767517
FP16_TAG = 0x01306B47
INT8_TAG = 0x000D4B38
FP32_EXTRA_TAG = 0x0002C056
_ARRAY_KEY = -23300

#: layers without data in the .bin (the reader may step over them)
_WEIGHTLESS = frozenset({"Input", "Split", "Concat", "Eltwise", "BinaryOp", "Interp",
                         "PixelShuffle", "ReLU", "Sigmoid", "TanH", "Clip", "Noop", "Crop",
                         "Slice", "Flatten", "Reshape", "Permute"})


class NcnnFormatError(LpfError, ValueError):
    """An ncnn ``.param``/``.bin`` pair is malformed or does not fit the network."""


ParamValue = int | float | tuple[int | float, ...]


@dataclass(frozen=True)
class NcnnLayer:
    """One layer line of a ``.param`` file.

    Attributes:
        type: ncnn's layer type, e.g. ``"Convolution"``.
        name: the layer's name.
        bottoms: its input blob names.
        tops: its output blob names.
        params: ``{key: int | float | tuple}`` (array keys already decoded: ``-23310=1,0.2`` is
            ``{10: (0.2,)}``).
        line: the line number in the file (1-based), for messages.
    """

    type: str
    name: str
    bottoms: tuple[str, ...]
    tops: tuple[str, ...]
    params: dict[int, ParamValue] = field(default_factory=dict)
    line: int = 0

    def get(self, key: int, default: ParamValue) -> ParamValue:
        """The parameter ``key``, or ncnn's ``default`` when the line does not set it."""
        return self.params.get(key, default)

    def where(self, source: str = "param") -> str:
        """``"<source> line N, layer NAME (TYPE)"`` for messages."""
        return f"{source} line {self.line}, layer {self.name!r} ({self.type})"


@dataclass(frozen=True)
class NcnnParam:
    """A parsed ``.param`` file: its layers in order and the number of blobs it declares."""

    layers: tuple[NcnnLayer, ...]
    blob_count: int
    source: str = "param"

    def of_type(self, *types: str) -> list[NcnnLayer]:
        """The layers of the given types, in file order."""
        return [layer for layer in self.layers if layer.type in types]

    @property
    def types(self) -> set[str]:
        """The layer types present."""
        return {layer.type for layer in self.layers}


# --------------------------------------------------------------------------------------------
# .param
# --------------------------------------------------------------------------------------------


def _number(text: str, where: str) -> int | float:
    try:
        if any(c in text for c in ".eE") or text.lower() in ("inf", "-inf", "nan"):
            return float(text)
        return int(text)
    except ValueError:
        raise NcnnFormatError(f"{where}: {text!r} is not a number.") from None


def _parse_params(tokens: Iterable[str], where: str) -> dict[int, ParamValue]:
    params: dict[int, ParamValue] = {}
    for token in tokens:
        key_text, eq, value = token.partition("=")
        if not eq:
            raise NcnnFormatError(f"{where}: parameter {token!r} is not key=value.")
        key = _number(key_text, where)
        if not isinstance(key, int):
            raise NcnnFormatError(f"{where}: parameter key {key_text!r} is not an integer.")
        if key <= _ARRAY_KEY:
            items = value.split(",")
            count = _number(items[0], where)
            values = tuple(_number(v, where) for v in items[1:])
            if not isinstance(count, int) or count != len(values):
                raise NcnnFormatError(f"{where}: array parameter {token!r} announces {items[0]} "
                                      f"values and has {len(values)}.")
            key = _ARRAY_KEY - key
            params[key] = values
        else:
            params[key] = _number(value, where)
    return params


def parse_param(text: str, *, source: str = "param") -> NcnnParam:
    """Parse the text of an ncnn ``.param`` file.

    Args:
        text: the file's text.
        source: the file's name, for messages.

    Returns:
        The layers and the declared blob count.

    Raises:
        NcnnFormatError: a wrong magic number, a wrong layer count, a malformed line, a blob
            used before it is produced.
    """
    lines = [(i + 1, ln.split()) for i, ln in enumerate(text.splitlines()) if ln.strip()]
    if not lines or lines[0][1] != [str(NCNN_MAGIC)]:
        got = " ".join(lines[0][1])[:40] if lines else "an empty file"
        raise NcnnFormatError(f"{source}: not an ncnn .param file: the first line must be the "
                              f"magic number {NCNN_MAGIC}, got {got!r}.")
    if len(lines) < 2 or len(lines[1][1]) != 2 or not all(t.isdigit() for t in lines[1][1]):
        raise NcnnFormatError(f"{source} line 2: expected 'layer_count blob_count'.")
    layer_count, blob_count = (int(t) for t in lines[1][1])
    body = lines[2:]
    if len(body) != layer_count:
        raise NcnnFormatError(f"{source}: line 2 announces {layer_count} layers, the file has "
                              f"{len(body)} (truncated or edited?).")
    layers, produced = [], set()
    for number, tokens in body:
        where = f"{source} line {number}"
        if len(tokens) < 4 or not tokens[2].isdigit() or not tokens[3].isdigit():
            raise NcnnFormatError(f"{where}: expected 'type name bottom_count top_count ...', "
                                  f"got {' '.join(tokens)[:60]!r}.")
        n_in, n_out = int(tokens[2]), int(tokens[3])
        if len(tokens) < 4 + n_in + n_out:
            raise NcnnFormatError(f"{where}: layer {tokens[1]!r} announces {n_in} inputs and "
                                  f"{n_out} outputs, the line names fewer blobs.")
        bottoms = tuple(tokens[4:4 + n_in])
        tops = tuple(tokens[4 + n_in:4 + n_in + n_out])
        for b in bottoms:
            if b not in produced:
                raise NcnnFormatError(f"{where}: layer {tokens[1]!r} reads blob {b!r}, which no "
                                      "earlier layer produces.")
        produced.update(tops)
        params = _parse_params(tokens[4 + n_in + n_out:], f"{where} (layer {tokens[1]!r})")
        layers.append(NcnnLayer(tokens[0], tokens[1], bottoms, tops, params, number))
    if len(produced) != blob_count:
        raise NcnnFormatError(f"{source}: line 2 announces {blob_count} blobs, the layers "
                              f"produce {len(produced)}.")
    return NcnnParam(tuple(layers), blob_count, source)


def read_param(path: str | os.PathLike) -> NcnnParam:
    """Read and parse an ncnn ``.param`` file (see :func:`parse_param`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="ascii")
    except UnicodeDecodeError:
        raise NcnnFormatError(f"{path}: not a text .param file (binary .param.bin files are "
                              "not supported).") from None
    return parse_param(text, source=str(path))


# --------------------------------------------------------------------------------------------
# .bin
# --------------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, data: bytes, source: str):
        self.data, self.pos, self.source = data, 0, source

    def take(self, n: int, what: str) -> bytes:
        if self.pos + n > len(self.data):
            raise NcnnFormatError(
                f"{self.source}: truncated: {what} needs {n} bytes at offset {self.pos}, the file "
                f"has {len(self.data) - self.pos} left (the .bin is cut short or belongs to "
                "another .param).")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def floats(self, n: int, what: str) -> np.ndarray:
        return np.frombuffer(self.take(4 * n, what), dtype="<f4").astype(np.float32)

    def auto(self, n: int, what: str) -> np.ndarray:
        """Ncnn's ``load(w, 0)``: a 4-byte type tag, then the values."""
        raw = self.take(4, f"the type tag of {what}")
        (tag,) = struct.unpack("<I", raw)
        if tag == FP16_TAG:
            values = np.frombuffer(self.take(_align4(2 * n), what), dtype="<f2")[:n]
            return values.astype(np.float32)
        if tag == INT8_TAG:
            raise NcnnFormatError(f"{self.source}: {what} is int8-quantised (tag 0x{tag:08X}); "
                                  "the kit reads float16 and float32 ncnn weights only.")
        if tag in (0, FP32_EXTRA_TAG):
            return self.floats(n, what)
        table = self.floats(256, f"the quantisation table of {what}")
        index = np.frombuffer(self.take(_align4(n), what), dtype=np.uint8)[:n]
        return table[index]


def _align4(n: int) -> int:
    return (n + 3) // 4 * 4


def _int(layer: NcnnLayer, key: int, default: int, source: str) -> int:
    value = layer.get(key, default)
    if not isinstance(value, int):
        raise NcnnFormatError(f"{layer.where(source)}: parameter {key} must be an integer, got "
                              f"{value!r}.")
    return value


def read_bin(param: NcnnParam, data: bytes | str | os.PathLike, *,
             source: str | None = None) -> dict[str, dict[str, np.ndarray]]:
    """Read the weights of an ncnn ``.bin`` file, layer by layer, as ``param`` describes them.

    Args:
        param: the parsed ``.param`` of the same network.
        data: the ``.bin`` file (a path) or its bytes.
        source: the file's name, for messages (default: the path).

    Returns:
        ``{layer name: {"weight": (O, I, kh, kw) float32, "bias": (O,) float32}}`` for each
        ``Convolution`` (``"bias"`` only when it has one) and ``{"weight": (n,)}`` for each
        ``PReLU``, in layer order.

    Raises:
        NcnnFormatError: a truncated file, bytes left over at the end, an int8 file, a weight
            size that does not fit the layer, or a layer type whose data the kit cannot read.
    """
    if isinstance(data, bytes | bytearray):
        blob, source = bytes(data), source or "bin"
    else:
        path = Path(data)
        blob, source = path.read_bytes(), source or str(path)
    reader = _Reader(blob, source)
    out: dict[str, dict[str, np.ndarray]] = {}
    for layer in param.layers:
        where = layer.where(param.source)
        if layer.type == "Convolution":
            num_output = _int(layer, 0, 0, param.source)
            kw = _int(layer, 1, 0, param.source)
            kh = _int(layer, 11, kw, param.source)
            size = _int(layer, 6, 0, param.source)
            if _int(layer, 8, 0, param.source):
                raise NcnnFormatError(f"{where}: int8 convolution (8=int8_scale_term); the kit "
                                      "reads float weights only.")
            if num_output <= 0 or kw <= 0 or kh <= 0 or size <= 0 \
                    or size % (num_output * kh * kw):
                raise NcnnFormatError(
                    f"{where}: weight_data_size 6={size} is not num_output 0={num_output} x "
                    f"kernel {kh}x{kw} x a whole number of input channels.")
            what = f"the weights of layer {layer.name!r}"
            weight = reader.auto(size, what).reshape(num_output, -1, kh, kw)
            entry = {"weight": weight}
            if _int(layer, 5, 0, param.source):
                entry["bias"] = reader.floats(num_output, f"the bias of layer {layer.name!r}")
            out[layer.name] = entry
        elif layer.type == "PReLU":
            n = _int(layer, 0, 0, param.source)
            if n <= 0:
                raise NcnnFormatError(f"{where}: num_slope 0={n} must be positive.")
            out[layer.name] = {"weight": reader.floats(n, f"the slopes of layer {layer.name!r}")}
        elif layer.type not in _WEIGHTLESS:
            raise NcnnFormatError(f"{where}: the kit's ncnn reader does not know the layer type "
                                  f"{layer.type!r}, so it cannot step over its data in the .bin.")
    left = len(blob) - reader.pos
    if left:
        raise NcnnFormatError(f"{source}: {left} bytes are left after the last layer's weights "
                              f"(offset {reader.pos} of {len(blob)}): the .bin belongs to another "
                              ".param.")
    return out


# --------------------------------------------------------------------------------------------
# ncnn layers -> a PyTorch network's state dict
# --------------------------------------------------------------------------------------------


def _pairs(value: ParamValue) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def ncnn_state_dict(net: nn.Module, param: NcnnParam,
                    weights: Mapping[str, Mapping[str, np.ndarray]]) -> dict[str, torch.Tensor]:
    """The state dict of ``net`` filled from ncnn's layers, checked pair by pair.

    The ``Convolution`` layers of ``param`` are matched in file order with the ``nn.Conv2d``
    modules of ``net`` in registration order (and ``PReLU`` layers with ``nn.PReLU`` modules);
    each pair must agree in weight shape, kernel, stride, dilation, padding and bias.

    Args:
        net: the PyTorch network (e.g. basicsr's ``RRDBNet``).
        param: the parsed ``.param``.
        weights: :func:`read_bin`'s result.

    Returns:
        ``{key: tensor}`` with every parameter of ``net`` (float32).

    Raises:
        NcnnFormatError: a different number of layers, or a pair that disagrees (naming the
            ncnn layer, the PyTorch module and both shapes).
    """
    state: dict[str, torch.Tensor] = {}
    for kind, module_type in (("Convolution", nn.Conv2d), ("PReLU", nn.PReLU)):
        layers = param.of_type(kind)
        modules = [(n, m) for n, m in net.named_modules() if isinstance(m, module_type)]
        if len(layers) != len(modules):
            raise NcnnFormatError(
                f"{param.source}: {len(layers)} {kind} layers, but the {type(net).__name__} "
                f"network has {len(modules)} {module_type.__name__} modules: the file holds "
                "another architecture or configuration.")
        for layer, (mname, module) in zip(layers, modules, strict=True):
            where = f"{layer.where(param.source)} vs {type(net).__name__}.{mname}"
            data = weights[layer.name]
            w = data["weight"]
            if tuple(w.shape) != tuple(module.weight.shape):
                raise NcnnFormatError(f"{where}: weight shape {tuple(w.shape)} in the ncnn "
                                      f"file, {tuple(module.weight.shape)} in the network.")
            if kind == "Convolution":
                ncnn_geom = {
                    "stride": (_int(layer, 13, _int(layer, 3, 1, param.source), param.source),
                               _int(layer, 3, 1, param.source)),
                    "dilation": (_int(layer, 12, _int(layer, 2, 1, param.source), param.source),
                                 _int(layer, 2, 1, param.source)),
                    "padding": (_int(layer, 14, _int(layer, 4, 0, param.source), param.source),
                                _int(layer, 4, 0, param.source)),
                }
                for attr, value in ncnn_geom.items():
                    if tuple(getattr(module, attr)) != value:
                        raise NcnnFormatError(f"{where}: {attr} {value} in the ncnn file, "
                                              f"{tuple(getattr(module, attr))} in the network.")
                pads = [_int(layer, k, -233, param.source) for k in (15, 16)]
                if any(p not in (-233, q) for p, q in zip(pads, ncnn_geom["padding"][::-1],
                                                          strict=True)):
                    raise NcnnFormatError(f"{where}: asymmetric padding {pads} is not supported.")
                if ("bias" in data) != (module.bias is not None):
                    raise NcnnFormatError(f"{where}: bias_term {int('bias' in data)} in the ncnn "
                                          f"file, bias={module.bias is not None} in the network.")
                if "bias" in data:
                    state[f"{mname}.bias"] = torch.from_numpy(data["bias"].copy())
            state[f"{mname}.weight"] = torch.from_numpy(np.ascontiguousarray(w))
    expected = set(net.state_dict())
    if set(state) != expected:
        other = sorted(expected ^ set(state))[:6]
        raise NcnnFormatError(f"{param.source}: the network has parameters the ncnn layers do "
                              f"not fill (or the other way round): {other}.")
    return state


# --------------------------------------------------------------------------------------------
# Graph checks: the parts of the computation that are not weights
# --------------------------------------------------------------------------------------------


def _leaky(layer: NcnnLayer) -> float | None:
    """The activation fused into a Convolution: ``None`` (none), 0.0 (ReLU) or the slope."""
    act = layer.get(9, 0)
    if act == 0:
        return None
    if act == 1:
        return 0.0
    if act == 2:
        return float(_pairs(layer.get(10, (0.0,)))[0])
    raise NcnnFormatError(f"{layer.where()}: activation_type 9={act} is not none, ReLU or "
                          "LeakyReLU.")


def _expect(cond: bool, layer: NcnnLayer | None, source: str, message: str) -> None:
    if not cond:
        where = layer.where(source) if layer is not None else source
        raise NcnnFormatError(f"{where}: {message}")


def _check_types(param: NcnnParam, allowed: set[str], what: str) -> None:
    for layer in param.layers:
        _expect(layer.type in allowed, layer, param.source,
                f"a {what} export has no {layer.type} layers (allowed: "
                f"{', '.join(sorted(allowed))}); the file computes something else.")


def _first_consumer_of_input(param: NcnnParam) -> NcnnLayer:
    first = param.layers[0]
    _expect(first.type == "Input", first, param.source, "the first layer must be the Input.")
    return param.layers[1] if len(param.layers) > 1 else first


def check_rrdbnet_graph(param: NcnnParam, *, num_block: int = 23, scale: int = 4) -> None:
    """Check that ``param`` computes basicsr's ``RRDBNet`` (apart from the weights).

    Checked: only Input/Convolution/Split/Concat/Eltwise/BinaryOp/Interp layers (no input
    normalisation, no output scaling); LeakyReLU with slope 0.2 after exactly the convolutions
    where ``RRDBNet`` has one (conv1-4 of each dense block, the two upsampling convolutions,
    ``conv_hr``); ``4 * num_block`` Eltwise sums with coefficients ``(0.2, 1)`` (the residual
    scaling of the dense blocks and of the RRDBs, not folded into the weights); one plain
    BinaryOp add (the trunk); ``log2(scale)`` nearest-neighbour x2 Interp layers.

    Raises:
        NcnnFormatError: naming the first layer that differs.
    """
    src = param.source
    _check_types(param, {"Input", "Convolution", "Split", "Concat", "Eltwise", "BinaryOp",
                         "Interp"}, "RRDBNet")
    _first_consumer_of_input(param)
    convs = param.of_type("Convolution")
    # basicsr's x1 and x2 RRDBNets pixel-unshuffle their input first (not read here)
    _expect(scale == 4, None, src, f"the kit reads x4 RRDBNet ncnn files only, got x{scale}.")
    ups = 2
    n_expected = 1 + 15 * num_block + 1 + ups + 2
    _expect(len(convs) == n_expected, None, src,
            f"{len(convs)} Convolution layers, RRDBNet(num_block={num_block}, scale={scale}) "
            f"has {n_expected}.")
    leaky = [False] + [i % 5 != 4 for i in range(15 * num_block)] + [False] + [True] * ups \
        + [True, False]
    for layer, want in zip(convs, leaky, strict=True):
        slope = _leaky(layer)
        _expect((slope is not None) == want, layer, src,
                f"{'a' if want else 'no'} LeakyReLU expected after this convolution "
                f"(got activation {slope}).")
        if want:
            _expect(abs(slope - 0.2) < 1e-6, layer, src,
                    f"LeakyReLU slope {slope}, RRDBNet uses 0.2.")
    sums = param.of_type("Eltwise")
    _expect(len(sums) == 4 * num_block, None, src,
            f"{len(sums)} Eltwise layers, RRDBNet(num_block={num_block}) has {4 * num_block} "
            "residual sums.")
    for layer in sums:
        coeffs = tuple(float(c) for c in _pairs(layer.get(1, ())))
        _expect(layer.get(0, 1) == 1 and len(coeffs) == 2 and abs(coeffs[0] - 0.2) < 1e-6
                and abs(coeffs[1] - 1.0) < 1e-6, layer, src,
                f"expected a sum 0.2*x + y (op 0=1, coefficients (0.2, 1)), got op "
                f"{layer.get(0, 1)} with coefficients {coeffs}: the residual scaling is not "
                "basicsr's.")
    adds = param.of_type("BinaryOp")
    _expect(len(adds) == 1, None, src, f"{len(adds)} BinaryOp layers, RRDBNet has 1 (the "
            "trunk's residual add).")
    _expect(adds[0].get(0, 0) == 0 and not adds[0].get(1, 0) and len(adds[0].bottoms) == 2,
            adds[0], src, "expected a plain add of two blobs (0=0).")
    interps = param.of_type("Interp")
    _expect(len(interps) == ups, None, src, f"{len(interps)} Interp layers, RRDBNet x{scale} "
            f"has {ups}.")
    for layer in interps:
        factors = (float(layer.get(1, 1.0)), float(layer.get(2, 1.0)))
        _expect(layer.get(0, 0) == 1 and factors == (2.0, 2.0), layer, src,
                f"expected nearest-neighbour x2 (0=1 1=2 2=2), got type {layer.get(0, 0)} "
                f"scales {factors}.")
    _expect(param.layers[-1].tops != () and param.layers[-1] is convs[-1], param.layers[-1], src,
            "RRDBNet ends with conv_last (no output scaling after it).")


def check_srvgg_graph(param: NcnnParam, *, num_conv: int = 16, num_feat: int = 64,
                      upscale: int = 4, scale: float | None = None) -> None:
    """Check that ``param`` computes basicsr's ``SRVGGNetCompact`` (PReLU), then an optional resize.

    Checked: Conv/PReLU pairs without fused activations; a PixelShuffle by ``upscale``; the input
    upsampled by nearest-neighbour ``upscale`` and added; when ``scale`` differs from
    ``upscale``, a final bicubic Interp by ``scale / upscale`` (Real-ESRGAN's x2 and x3 ncnn files
    of ``realesr-animevideov3`` are the x4 network followed by this resize), else nothing after
    the add.

    Raises:
        NcnnFormatError: naming the first layer that differs.
    """
    src = param.source
    scale = upscale if scale is None else scale
    _check_types(param, {"Input", "Split", "Convolution", "PReLU", "PixelShuffle", "Interp",
                         "BinaryOp"}, "SRVGGNetCompact")
    _first_consumer_of_input(param)
    for layer in param.of_type("Convolution"):
        _expect(_leaky(layer) is None, layer, src, "SRVGGNetCompact has no activation fused "
                "into its convolutions (its PReLUs are separate layers).")
    prelus = param.of_type("PReLU")
    _expect(len(prelus) == num_conv + 1, None, src,
            f"{len(prelus)} PReLU layers, SRVGGNetCompact(num_conv={num_conv}) has "
            f"{num_conv + 1}.")
    shuffles = param.of_type("PixelShuffle")
    _expect(len(shuffles) == 1 and shuffles[0].get(0, 1) == upscale,
            shuffles[0] if shuffles else None, src, f"expected one PixelShuffle by {upscale}.")
    adds = param.of_type("BinaryOp")
    _expect(len(adds) == 1 and adds[0].get(0, 0) == 0 and not adds[0].get(1, 0),
            adds[0] if adds else None, src, "expected one plain add (0=0).")
    interps = param.of_type("Interp")
    nearest = [ly for ly in interps if ly.get(0, 0) == 1]
    _expect(len(nearest) == 1 and float(nearest[0].get(1, 1.0)) == upscale
            and float(nearest[0].get(2, 1.0)) == upscale,
            nearest[0] if nearest else None, src,
            f"expected one nearest-neighbour x{upscale} Interp of the input.")
    rest = [ly for ly in interps if ly is not nearest[0]]
    tail = param.layers[param.layers.index(adds[0]) + 1:]
    if scale == upscale:
        _expect(not tail and not rest, tail[0] if tail else None, src,
                f"x{scale}: nothing may follow the add.")
    else:
        factor = scale / upscale
        ok = (len(tail) == 1 and tail[0] is (rest[0] if rest else None)
              and tail[0].get(0, 0) == 3 and tail[0].get(6, 0) == 0
              and abs(float(tail[0].get(1, 1.0)) - factor) < 1e-6
              and abs(float(tail[0].get(2, 1.0)) - factor) < 1e-6)
        _expect(ok, tail[0] if tail else None, src,
                f"x{scale} from a x{upscale} network: expected one final bicubic Interp by "
                f"{factor:g} (0=3, align_corner 0).")


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


class Resampled(nn.Module):
    """A network of scale ``net.upscale`` followed by a bicubic resize to ``scale``.

    Real-ESRGAN's ncnn ``realesr-animevideov3-x2``/``-x3`` files are the x4 network followed by
    ncnn's bicubic ``Interp`` (align_corner 0, A = -0.75: PyTorch's ``bicubic`` with
    ``align_corners=False``).

    Args:
        net: the network (with an integer ``upscale`` or ``scale`` attribute).
        factor: the resize factor applied to its output, e.g. ``0.5`` for x2 from a x4 network.

    Shape:
        ``(N, C, H, W)`` -> ``(N, C, round(factor * s * H), round(factor * s * W))``.
    """

    def __init__(self, net: nn.Module, factor: float):
        super().__init__()
        self.net = net
        self.factor = float(factor)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Run the network, then resize."""
        y = self.net(x)
        size = (int(y.shape[-2] * self.factor), int(y.shape[-1] * self.factor))
        return F.interpolate(y, size=size, mode="bicubic", align_corners=False)


def _inner(net: nn.Module) -> tuple[nn.Module, float | None]:
    if isinstance(net, Resampled):
        return net.net, net.factor
    return net, None


def load_ncnn(net: nn.Module, bin_path: str | os.PathLike,
              param_path: str | os.PathLike | None = None) -> nn.Module:
    """Load an ncnn ``.bin``/``.param`` pair into basicsr's ``RRDBNet`` or ``SRVGGNetCompact``.

    Args:
        net: the network, built in the configuration of the file (an ``RRDBNet``, a
            ``SRVGGNetCompact``, or a :class:`Resampled` one).
        bin_path: the ``.bin`` file.
        param_path: the ``.param`` file (default: beside ``bin_path``, same stem).

    Returns:
        ``net`` with the weights loaded, in eval mode.

    Raises:
        FileNotFoundError: the ``.param`` is not there.
        NcnnFormatError: a malformed pair, or one that computes another network (naming the
            layer).
    """
    bin_path = Path(bin_path)
    param_path = Path(param_path) if param_path is not None else bin_path.with_suffix(".param")
    if not param_path.is_file():
        raise FileNotFoundError(f"the ncnn .param of {str(bin_path)!r} is not there: expected "
                                f"{str(param_path)!r}.")
    param = read_param(param_path)
    inner, factor = _inner(net)
    kind = type(inner).__name__
    if kind == "RRDBNet":
        num_block = sum(1 for m in inner.body.children())
        check_rrdbnet_graph(param, num_block=num_block, scale=int(inner.scale))
    elif kind == "SRVGGNetCompact":
        check_srvgg_graph(param, num_conv=inner.num_conv, num_feat=inner.num_feat,
                          upscale=inner.upscale,
                          scale=inner.upscale * (factor if factor is not None else 1.0))
    else:
        raise NcnnFormatError(f"the kit reads ncnn files into RRDBNet or SRVGGNetCompact, not "
                              f"{kind}.")
    state = ncnn_state_dict(inner, param, read_bin(param, bin_path))
    inner.load_state_dict(state, strict=True)
    return net.eval()
