"""Images in and out: file IO, NumPy <-> torch conversion, the embedded set and benchmark sets.

**File IO** (:func:`read_image`, :func:`write_image`): PNG, JPEG and BMP, 8- and 16-bit.

* Arrays are ``(H, W, C)`` NumPy arrays in the file's own integer type: ``uint8`` (0-255) or
  ``uint16`` (0-65535, 16-bit PNG). Nothing is rescaled on reading.
* Greyscale files come back as ``(H, W, 1)`` (a channel axis is always present);
  ``channels=3`` replicates the grey plane into RGB, as networks trained on RGB expect (one of
  Set14's images, ``bridge.png``, is greyscale). No colour image is ever converted to grey.
* Alpha is dropped by compositing the image over **black**: ``c * a / max`` rounded to the nearest
  integer. A fully opaque image is unchanged, bit for bit; a transparent pixel becomes black.
  Palette images are expanded to RGB(A) first; CMYK and YCbCr JPEGs are converted to RGB.
* Writing is atomic: the file is encoded in memory, written to a temporary ``.part`` file beside
  the destination and renamed over it, so a failure never leaves a half-written image.
* 16-bit colour PNGs are read and written through OpenCV (``cv2``, installed with ``basicsr``),
  because Pillow reduces them to 8 bits; everything else goes through Pillow.

**Conversion** (:func:`to_tensor`, :func:`to_numpy`): the only place where the package moves
between NumPy ``(H, W, C)`` integer images and torch ``(C, H, W)`` float images in [0, 1].
:func:`to_numpy` clamps to [0, 1] and rounds half away from zero (MATLAB's ``im2uint8``).

**Datasets**: :func:`load_embedded` serves the photographs that ship inside scikit-image (offline,
no download) as HR/LR pairs, the LR made by MATLAB-exact bicubic :func:`lpf.resize.imresize`;
:func:`load_set` serves Set5, Set14, B100, Urban100, Manga109 and the DIV2K validation set from a
local folder laid out as ``<Set>/HR/<name>.png`` and ``<Set>/LR_bicubic/X<s>/<name>x<s>.png``
(the EDSR/BasicSR layout), one image in memory at a time; scales the folder lacks are made from
HR with :func:`~lpf.resize.imresize`. :func:`download_set` fetches the public archives with a
progress bar, checksums and an atomic cache, and only when asked.

**Checksum policy of** :func:`download_set`: a known sha256 is always checked. Where this module
does not know the hash of an archive (``sha256=None`` in :data:`DATASET_SOURCES`, because it could
not be downloaded when the kit was written), ``verify=True`` (the default) refuses to download it;
``verify=False`` accepts it once, and records the sha256 it observed beside the cached archive
(``<archive>.sha256``): every later use of that cached file is checked against the record
(trust on first use).
"""

from __future__ import annotations

import difflib
import hashlib
import io
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path
from typing import IO

import numpy as np
import torch

from lpf._checks import LpfError, RangeError, ShapeError, check_range, check_scale
from lpf._paths import cache_dir, data_dir, shared_assets
from lpf._paths import sha256_file as _sha256_file
from lpf.resize import imresize

__all__ = [
    "DATASETS",
    "DATASET_SOURCES",
    "EMBEDDED",
    "ChecksumError",
    "DatasetNotFound",
    "DownloadError",
    "DownloadSource",
    "ImageSet",
    "SRPair",
    "dataset_roots",
    "download_file",
    "download_set",
    "embedded_images",
    "load_embedded",
    "load_set",
    "modcrop",
    "read_image",
    "to_numpy",
    "to_tensor",
    "write_image",
]

_WRITE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".bmp": "BMP"}


class DatasetNotFound(LpfError, FileNotFoundError):  # noqa: N818 (reads as what happened)
    """A benchmark set is in none of the places searched (the message lists them)."""


class DownloadError(LpfError, OSError):
    """A download failed or was refused; nothing was left in the cache."""


class ChecksumError(DownloadError):
    """A downloaded or cached file does not have the expected sha256."""


# ------------------------------------------------------------------------------------- IO


def _check_channels(channels: int | None) -> int | None:
    if channels not in (None, 1, 3):
        raise ValueError(f"`channels` must be None, 1 or 3, got {channels!r}.")
    return channels


def _composite_on_black(color: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """``round(color * alpha / max)`` in integers; exact for opaque pixels."""
    maxval = np.iinfo(color.dtype).max
    if bool((alpha == maxval).all()):
        return color
    wide = color.astype(np.uint64) * alpha.astype(np.uint64)[..., None]
    return ((wide + maxval // 2) // maxval).astype(color.dtype)


def _png_header(data: bytes) -> tuple[int, int] | None:
    """(bit depth, colour type) of a PNG, or None if ``data`` is not a PNG."""
    if len(data) >= 26 and data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return data[24], data[25]
    return None


def _cv2():
    try:
        import cv2
    except ImportError as err:  # pragma: no cover - cv2 comes with basicsr
        raise LpfError(
            "16-bit colour PNG needs OpenCV (Pillow reduces it to 8 bits): "
            "pip install opencv-python-headless"
        ) from err
    return cv2


def _decode_16bit_colour(data: bytes, path: Path) -> np.ndarray:
    cv2 = _cv2()
    array = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_UNCHANGED)
    if array is None:
        raise LpfError(f"cannot decode the 16-bit PNG {path}.")
    if array.ndim == 2:
        return array[..., None]
    if array.shape[2] == 2:  # grey + alpha
        return _composite_on_black(array[..., :1], array[..., 1])
    rgb = array[..., 2::-1]  # BGR(A) -> RGB
    if array.shape[2] == 4:
        rgb = _composite_on_black(np.ascontiguousarray(rgb), array[..., 3])
    return np.ascontiguousarray(rgb)


def _decode_pillow(data: bytes, path: Path) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            mode = im.mode
            if mode == "P":
                im = im.convert("RGBA" if "transparency" in im.info else "RGB")
            elif mode == "PA":
                im = im.convert("RGBA")
            elif mode == "1":
                im = im.convert("L")
            elif mode in ("CMYK", "YCbCr", "LAB", "HSV", "RGBX"):
                im = im.convert("RGB")
            mode = im.mode
            array = np.array(im)
    except UnidentifiedImageError as err:
        raise LpfError(f"{path} is not an image that Pillow can read (PNG, JPEG, BMP).") from err
    if mode in ("I;16", "I;16B", "I;16L", "I"):
        if mode == "I" and (array.min() < 0 or array.max() > 65535):
            raise LpfError(f"{path}: 32-bit integer images are not supported (16 bits at most).")
        return array.astype(np.uint16)[..., None]
    if mode == "L":
        return array[..., None]
    if mode == "LA":
        return _composite_on_black(array[..., :1], array[..., 1])
    if mode == "RGB":
        return array
    if mode == "RGBA":
        return _composite_on_black(np.ascontiguousarray(array[..., :3]), array[..., 3])
    raise LpfError(f"{path}: unsupported image mode {mode!r} (floating-point or exotic images).")


def read_image(path: str | os.PathLike, *, channels: int | None = None) -> np.ndarray:
    """Read a PNG, JPEG or BMP file as an ``(H, W, C)`` integer array.

    See the module docstring for the policy: grey -> ``(H, W, 1)``, alpha composited on black,
    16-bit kept as ``uint16``.

    Args:
        path: the image file.
        channels: ``None`` (default) keeps the file's 1 or 3 channels; ``3`` replicates a grey
            image into RGB; ``1`` requires a greyscale file.

    Returns:
        ``uint8`` or ``uint16`` array ``(H, W, C)``, ``C`` in {1, 3}.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ShapeError: ``channels=1`` and the file is in colour.
        LpfError: the file is not an image, or has an unsupported mode.
        ValueError: bad ``channels``.

    Examples:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "grey.png"
        >>> _ = write_image(p, np.full((4, 5, 1), 7, dtype=np.uint8))
        >>> read_image(p).shape, read_image(p, channels=3).shape
        ((4, 5, 1), (4, 5, 3))
    """
    _check_channels(channels)
    path = Path(path)
    data = path.read_bytes()
    header = _png_header(data)
    if header is not None and header[0] == 16 and header[1] in (2, 4, 6):
        array = _decode_16bit_colour(data, path)
    else:
        array = _decode_pillow(data, path)
    if channels == 3 and array.shape[2] == 1:
        array = np.repeat(array, 3, axis=2)
    elif channels == 1 and array.shape[2] != 1:
        raise ShapeError(
            f"`channels=1` needs a greyscale image, but {path} has {array.shape[2]} channels "
            "(lpf never converts colour to grey implicitly).",
            expected=1,
            actual=array.shape[2],
        )
    return array


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _encode(image: np.ndarray, fmt: str, quality: int) -> bytes:
    from PIL import Image

    if image.dtype == np.uint16:
        if fmt != "PNG":
            raise ValueError(f"16-bit images can only be written as PNG, not {fmt}.")
        if image.shape[2] == 3:
            cv2 = _cv2()
            ok, buf = cv2.imencode(".png", np.ascontiguousarray(image[..., ::-1]))
            if not ok:  # pragma: no cover
                raise LpfError("OpenCV failed to encode the 16-bit PNG.")
            return buf.tobytes()
        pil = Image.fromarray(np.ascontiguousarray(image[..., 0]))  # mode I;16
    else:
        pil = Image.fromarray(np.ascontiguousarray(image if image.shape[2] == 3 else image[..., 0]))
    buffer = io.BytesIO()
    options = {"quality": int(quality)} if fmt == "JPEG" else {}
    pil.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def write_image(
    path: str | os.PathLike, image: np.ndarray | torch.Tensor, *, quality: int = 95
) -> Path:
    """Write an image atomically as PNG, JPEG or BMP (chosen by the file suffix).

    Args:
        path: the destination, ending in ``.png``, ``.jpg``/``.jpeg`` or ``.bmp``. Missing parent
            folders are created.
        image: a NumPy ``uint8``/``uint16`` array ``(H, W)``, ``(H, W, 1)`` or ``(H, W, 3)``, or a
            float tensor ``(C, H, W)`` in [0, 1] (converted by :func:`to_numpy` to ``uint8``).
            ``uint16`` is written as 16-bit PNG only.
        quality: JPEG quality, 1-100 (default 95; Pillow's 4:2:0 chroma subsampling).

    Returns:
        The path written.

    Raises:
        ValueError: unknown suffix, 16-bit to a non-PNG format, or bad ``quality``.
        ShapeError: not 1 or 3 channels, or a tensor that is not ``(C, H, W)``.
        TypeError: an unsupported dtype (floats must come as a tensor).

    Examples:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.png"
        >>> write_image(p, np.zeros((2, 3, 3), dtype=np.uint8)).name
        'x.png'
        >>> sorted(f.name for f in p.parent.iterdir())  # no temporary file left
        ['x.png']
    """
    path = Path(path)
    fmt = _WRITE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(
            f"`path` must end in one of {sorted(_WRITE_FORMATS)}, got {path.name!r}."
        )
    if not 1 <= int(quality) <= 100:
        raise ValueError(f"`quality` must be in 1..100, got {quality}.")
    if isinstance(image, torch.Tensor):
        if image.ndim != 3:
            raise ShapeError(
                f"`image` as a tensor must be (C, H, W), got {tuple(image.shape)}.",
                expected="(C, H, W)",
                actual=tuple(image.shape),
            )
        image = to_numpy(image)
    if not isinstance(image, np.ndarray):
        raise TypeError(f"`image` must be a numpy.ndarray or torch.Tensor, got {type(image)}.")
    if image.dtype not in (np.uint8, np.uint16):
        raise TypeError(
            f"`image` must be uint8 or uint16 to be written, got dtype {image.dtype}; "
            "convert floats with lpf.data.to_numpy."
        )
    if image.ndim == 2:
        image = image[..., None]
    if image.ndim != 3 or image.shape[2] not in (1, 3):
        raise ShapeError(
            f"`image` must be (H, W), (H, W, 1) or (H, W, 3), got {image.shape}.",
            expected="(H, W, 1|3)",
            actual=image.shape,
        )
    _atomic_write_bytes(path, _encode(image, fmt, quality))
    return path


# ----------------------------------------------------------------------------- conversion


def to_tensor(image: np.ndarray, *, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Convert a NumPy image ``(H, W, C)`` to a float tensor ``(C, H, W)`` in [0, 1].

    ``(H, W)`` becomes ``(1, H, W)``; a batch ``(N, H, W, C)`` becomes ``(N, C, H, W)``.
    ``uint8`` is divided by 255, ``uint16`` by 65535; float arrays must already lie in [0, 1].
    The result is a new contiguous tensor (never shares memory with ``image``).

    Args:
        image: ``uint8``, ``uint16``, ``float32`` or ``float64`` array.
        dtype: the floating dtype of the result (default float32).

    Returns:
        A tensor ``(C, H, W)`` (or ``(N, C, H, W)``) of ``dtype`` in [0, 1].

    Raises:
        TypeError: not a NumPy array, or an unsupported dtype.
        ShapeError: not 2-D, 3-D or 4-D.
        RangeError: float values outside [0, 1], NaN or inf.

    Examples:
        >>> t = to_tensor(np.full((2, 3, 3), 255, dtype=np.uint8))
        >>> t.shape, t.dtype, float(t.max())
        (torch.Size([3, 2, 3]), torch.float32, 1.0)
    """
    if not isinstance(image, np.ndarray):
        raise TypeError(f"`image` must be a numpy.ndarray, got {type(image).__name__}.")
    if not dtype.is_floating_point:
        raise TypeError(f"`dtype` must be a floating torch dtype, got {dtype}.")
    if image.ndim == 2:
        image = image[..., None]
    if image.ndim not in (3, 4):
        raise ShapeError(
            f"`image` must be (H, W), (H, W, C) or (N, H, W, C), got {image.shape}.",
            expected="(H, W, C)",
            actual=image.shape,
        )
    if image.dtype == np.uint8:
        scale = 255.0
    elif image.dtype == np.uint16:
        scale = 65535.0
    elif image.dtype in (np.float32, np.float64):
        scale = None
    else:
        raise TypeError(
            f"`image` must be uint8, uint16, float32 or float64, got dtype {image.dtype}."
        )
    work = torch.from_numpy(np.array(image, dtype=np.float64 if scale else image.dtype))
    if scale is None:
        check_range(work, "image")
        tensor = work.to(dtype)
    else:
        tensor = (work / scale).to(dtype)
    return tensor.movedim(-1, -3).contiguous()


def to_numpy(tensor: torch.Tensor, *, dtype: type | np.dtype = np.uint8) -> np.ndarray:
    """Convert a float tensor ``(C, H, W)`` in [0, 1] to a NumPy image ``(H, W, C)``.

    For an integer ``dtype`` the values are clamped to [0, 1], scaled to the type's maximum and
    rounded half away from zero (MATLAB's ``im2uint8``). For a float ``dtype`` only the layout
    changes (no clamping, no rounding). A batch ``(N, C, H, W)`` gives ``(N, H, W, C)``.

    Args:
        tensor: a float tensor (any device; gradients are detached).
        dtype: ``np.uint8`` (default), ``np.uint16``, ``np.float32`` or ``np.float64``.

    Returns:
        A new NumPy array ``(H, W, C)`` of ``dtype``.

    Raises:
        TypeError: not a float tensor, or an unsupported ``dtype``.
        ShapeError: not 3-D or 4-D.
        RangeError: NaN or inf.

    Examples:
        >>> to_numpy(torch.tensor([[[0.0, 0.5, 1.2]]])).tolist()
        [[[0], [128], [255]]]
    """
    if not isinstance(tensor, torch.Tensor) or not tensor.is_floating_point():
        kind = tensor.dtype if isinstance(tensor, torch.Tensor) else type(tensor).__name__
        raise TypeError(f"`tensor` must be a floating-point torch.Tensor, got {kind}.")
    if tensor.ndim not in (3, 4):
        raise ShapeError(
            f"`tensor` must be (C, H, W) or (N, C, H, W), got {tuple(tensor.shape)}.",
            expected="(C, H, W)",
            actual=tuple(tensor.shape),
        )
    np_dtype = np.dtype(dtype)
    if np_dtype not in (np.uint8, np.uint16, np.float32, np.float64):
        raise TypeError(f"`dtype` must be uint8, uint16, float32 or float64, got {np_dtype}.")
    x = tensor.detach().to("cpu", torch.float64).movedim(-3, -1)
    if not bool(torch.isfinite(x).all()):
        raise RangeError("`tensor` must be finite, got NaN or infinite values.")
    if np_dtype.kind == "f":
        return x.numpy().astype(np_dtype)
    maxval = float(np.iinfo(np_dtype).max)
    return torch.floor(x.clamp(0, 1) * maxval + 0.5).numpy().astype(np_dtype)


def modcrop(image: np.ndarray | torch.Tensor, scale: int) -> np.ndarray | torch.Tensor:
    """Crop the bottom and right edges so that height and width are multiples of ``scale``.

    The benchmark convention: the ground truth for scale ``s`` is the HR image cropped at the
    top-left to a multiple of ``s``. NumPy images are ``(H, W[, C])``; tensors ``(..., H, W)``.

    Args:
        image: the image.
        scale: an integer >= 1.

    Returns:
        A view of ``image`` (no copy).

    Raises:
        ShapeError: the image is smaller than ``scale`` or has fewer than 2 dimensions.
        TypeError/ValueError: ``scale`` is not an integer >= 1.

    Examples:
        >>> modcrop(np.zeros((10, 7, 3)), 3).shape
        (9, 6, 3)
        >>> modcrop(torch.zeros(1, 3, 10, 7), 4).shape
        torch.Size([1, 3, 8, 4])
    """
    scale = check_scale(scale)
    if image.ndim < 2:
        raise ShapeError(
            f"`image` must have at least 2 dimensions, got shape {tuple(image.shape)}.",
            expected=">= 2-D",
            actual=tuple(image.shape),
        )
    if isinstance(image, np.ndarray):
        h, w = image.shape[:2]
    else:
        h, w = image.shape[-2:]
    if h < scale or w < scale:
        raise ShapeError(
            f"`image` of size {h}x{w} is smaller than `scale` {scale}.",
            expected=f"H, W >= {scale}",
            actual=tuple(image.shape),
        )
    if isinstance(image, np.ndarray):
        return image[: h - h % scale, : w - w % scale]
    return image[..., : h - h % scale, : w - w % scale]


# ---------------------------------------------------------------------------------- pairs


@dataclass(frozen=True, eq=False)
class SRPair:
    """One super-resolution test pair.

    Attributes:
        name: the image name (file stem).
        hr: the ground truth, ``uint8`` ``(H, W, C)``, mod-cropped to a multiple of ``scale``.
        lr: the low-resolution input, ``uint8`` ``(H / scale, W / scale, C)``.
        scale: the integer scale factor.
    """

    name: str
    hr: np.ndarray
    lr: np.ndarray
    scale: int

    def tensors(self, dtype: torch.dtype = torch.float32) -> tuple[torch.Tensor, torch.Tensor]:
        """``(hr, lr)`` as float tensors ``(C, H, W)`` in [0, 1] (see :func:`to_tensor`).

        Examples:
            >>> pair = SRPair("x", np.zeros((4, 4, 3), np.uint8), np.zeros((2, 2, 3), np.uint8), 2)
            >>> [tuple(t.shape) for t in pair.tensors()]
            [(3, 4, 4), (3, 2, 2)]
        """
        return to_tensor(self.hr, dtype=dtype), to_tensor(self.lr, dtype=dtype)


def _make_pair(name: str, image: np.ndarray, scale: int) -> SRPair:
    hr = np.ascontiguousarray(modcrop(image, scale))
    lr = imresize(hr, 1 / scale)
    return SRPair(name=name, hr=hr, lr=lr, scale=scale)


# --------------------------------------------------------------------------- embedded set


def _skimage(function: str, index: int | None = None) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        import skimage.data

        result = getattr(skimage.data, function)()
        return result[index] if index is not None else result

    return load


# name -> (loader, is colour). Only images that ship inside the scikit-image wheel (checked to
# load without pooch or network); photographs, no synthetic images.
EMBEDDED: dict[str, tuple[Callable[[], np.ndarray], bool]] = {
    "astronaut": (_skimage("astronaut"), True),
    "chelsea": (_skimage("chelsea"), True),
    "coffee": (_skimage("coffee"), True),
    "hubble_deep_field": (_skimage("hubble_deep_field"), True),
    "immunohistochemistry": (_skimage("immunohistochemistry"), True),
    "motorcycle_left": (_skimage("stereo_motorcycle", 0), True),
    "motorcycle_right": (_skimage("stereo_motorcycle", 1), True),
    "retina": (_skimage("retina"), True),
    "rocket": (_skimage("rocket"), True),
    "brick": (_skimage("brick"), False),
    "camera": (_skimage("camera"), False),
    "cell": (_skimage("cell"), False),
    "clock": (_skimage("clock"), False),
    "coins": (_skimage("coins"), False),
    "grass": (_skimage("grass"), False),
    "gravel": (_skimage("gravel"), False),
    "moon": (_skimage("moon"), False),
    "page": (_skimage("page"), False),
    "text": (_skimage("text"), False),
}
"""The embedded set: photographs inside scikit-image, ``name -> (loader, is_colour)``."""


def embedded_images(*, include_grey: bool = True) -> list[str]:
    """The names of the embedded photographs (shipped inside scikit-image; always offline).

    Nine colour photographs (astronaut, chelsea, coffee, hubble_deep_field, immunohistochemistry,
    motorcycle_left, motorcycle_right, retina, rocket) and ten greyscale ones (brick, camera,
    cell, clock, coins, grass, gravel, moon, page, text).

    Args:
        include_grey: also list the greyscale images (default ``True``).

    Returns:
        Sorted names for :func:`load_embedded`.

    Examples:
        >>> len(embedded_images()), len(embedded_images(include_grey=False))
        (19, 9)
    """
    return sorted(name for name, (_, colour) in EMBEDDED.items() if colour or include_grey)


def _unknown(kind: str, name: str, choices: list[str]) -> KeyError:
    hint = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    did_you_mean = f" Did you mean {hint[0]!r}?" if hint else ""
    return KeyError(f"unknown {kind} {name!r}; choose from {choices}.{did_you_mean}")


def load_embedded(name: str, *, scale: int, channels: int | None = 3) -> SRPair:
    """An embedded photograph as an HR/LR pair: HR mod-cropped, LR = MATLAB bicubic of HR.

    Args:
        name: one of :func:`embedded_images`.
        scale: the integer scale factor (>= 1).
        channels: ``3`` (default) replicates greyscale images into RGB; ``None`` keeps their
            single channel; ``1`` requires a greyscale image.

    Returns:
        An :class:`SRPair` of ``uint8`` ``(H, W, C)`` arrays, ``lr = imresize(hr, 1 / scale)``.

    Raises:
        KeyError: unknown name (with a suggestion).
        ShapeError: ``channels=1`` for a colour image.
        TypeError/ValueError: bad ``scale`` or ``channels``.

    Examples:
        >>> pair = load_embedded("camera", scale=4)
        >>> pair.hr.shape, pair.lr.shape, pair.hr.dtype
        ((512, 512, 3), (128, 128, 3), dtype('uint8'))
    """
    scale = check_scale(scale)
    _check_channels(channels)
    if name not in EMBEDDED:
        raise _unknown("embedded image", name, embedded_images())
    loader, colour = EMBEDDED[name]
    image = np.asarray(loader())
    if image.ndim == 2:
        image = image[..., None]
    if channels == 3 and image.shape[2] == 1:
        image = np.repeat(image, 3, axis=2)
    elif channels == 1 and image.shape[2] != 1:
        raise ShapeError(
            f"`channels=1` needs a greyscale image, but {name!r} is in colour.",
            expected=1,
            actual=image.shape[2],
        )
    return _make_pair(name, image, scale)


# ------------------------------------------------------------------------- benchmark sets

# canonical name -> folder names accepted on disk (the first is the one download_set writes)
DATASETS: dict[str, tuple[str, ...]] = {
    "Set5": ("Set5",),
    "Set14": ("Set14",),
    "B100": ("B100", "BSD100", "BSDS100"),
    "Urban100": ("Urban100",),
    "Manga109": ("Manga109",),
    "DIV2K-valid": ("DIV2K-valid", "DIV2K_valid", "DIV2K"),
}
"""The benchmark sets :func:`load_set` knows: name -> folder names looked for."""


@dataclass(frozen=True)
class DownloadSource:
    """One public archive of a benchmark set.

    Attributes:
        url: where to download it.
        sha256: its hex digest, or ``None`` where it is not known (see the module docstring).
        members: ``(archive prefix, destination)`` pairs: every file under the prefix is
            extracted to ``<root>/<set folder>/<destination><rest of the member name>``.
        filename: the cache file name (default: the last part of the url).
    """

    url: str
    sha256: str | None
    members: tuple[tuple[str, str], ...]
    filename: str | None = None

    @property
    def cache_name(self) -> str:
        """The archive's file name in the download cache."""
        return self.filename or self.url.rstrip("/").rsplit("/", 1)[-1]


# The EDSR authors' benchmark archive (Set5, Set14, B100, Urban100 in exactly the layout used
# here). Its sha256 is None: this kit was written without access to it. Pass verify=False once;
# the observed hash is recorded beside the cached archive and checked from then on.
_EDSR_BENCHMARK = "https://cv.snu.ac.kr/research/EDSR/benchmark.tar"
_DIV2K = "http://data.vision.ee.ethz.ch/cvl/DIV2K"

DATASET_SOURCES: dict[str, tuple[DownloadSource, ...]] = {
    "Set5": (DownloadSource(_EDSR_BENCHMARK, None, (("benchmark/Set5/", ""),)),),
    "Set14": (DownloadSource(_EDSR_BENCHMARK, None, (("benchmark/Set14/", ""),)),),
    "B100": (DownloadSource(_EDSR_BENCHMARK, None, (("benchmark/B100/", ""),)),),
    "Urban100": (DownloadSource(_EDSR_BENCHMARK, None, (("benchmark/Urban100/", ""),)),),
    # The official DIV2K archives (ETH Zurich); sha256 unknown here for the same reason.
    "DIV2K-valid": (
        DownloadSource(f"{_DIV2K}/DIV2K_valid_HR.zip", None, (("DIV2K_valid_HR/", "HR/"),)),
        *(
            DownloadSource(
                f"{_DIV2K}/DIV2K_valid_LR_bicubic_X{s}.zip",
                None,
                ((f"DIV2K_valid_LR_bicubic/X{s}/", f"LR_bicubic/X{s}/"),),
            )
            for s in (2, 3, 4)
        ),
    ),
    # Manga109 is distributed by its authors on request only (academic use): no public archive.
    "Manga109": (),
}
"""Public archives per benchmark set (see :class:`DownloadSource`)."""

_HOW_TO_GET = {
    "Manga109": "request it from its authors at http://www.manga109.org/en/download.html "
    "(academic use), then arrange it as <root>/Manga109/HR/*.png",
}


def _canonical(name: str) -> str:
    lowered = {alias.lower(): canon for canon, aliases in DATASETS.items() for alias in aliases}
    lowered.update({canon.lower(): canon for canon in DATASETS})
    canon = lowered.get(str(name).lower())
    if canon is None:
        raise _unknown("benchmark set", str(name), list(DATASETS))
    return canon


def dataset_roots(root: str | os.PathLike | None = None) -> list[Path]:
    """The folders :func:`load_set` searches, in order.

    ``[root]`` if given; otherwise ``$LPF_DATASETS`` (if set), ``<data_dir()>/datasets``, and
    ``<shared assets>/images`` (if that folder exists).

    Args:
        root: an explicit datasets folder.

    Returns:
        The candidate folders (they need not exist).

    Examples:
        >>> dataset_roots("/data/sr") == [Path("/data/sr")]
        True
    """
    if root is not None:
        return [Path(root).expanduser()]
    roots = []
    env = os.environ.get("LPF_DATASETS")
    if env:
        roots.append(Path(env).expanduser())
    roots.append(data_dir() / "datasets")
    assets = shared_assets()
    if assets is not None:
        roots.append(assets / "images")
    return roots


def _default_download_root() -> Path:
    env = os.environ.get("LPF_DATASETS")
    return Path(env).expanduser() if env else data_dir() / "datasets"


@dataclass(frozen=True)
class ImageSet:
    """A benchmark set at one scale, read lazily: one :class:`SRPair` in memory at a time.

    Iterate over it, index it by position or name, take its ``len``. Made by :func:`load_set`.

    Attributes:
        name: the canonical set name.
        scale: the integer scale.
        folder: the set's folder (containing ``HR/``).
        names: the image names (HR file stems), sorted.
        lr_dir: the folder of stored LR images, or ``None`` when LR is generated from HR with
            MATLAB-exact bicubic :func:`~lpf.resize.imresize`.
        channels: passed to :func:`read_image` (3: greyscale replicated to RGB).
    """

    name: str
    scale: int
    folder: Path
    names: tuple[str, ...]
    lr_dir: Path | None
    channels: int | None = 3

    @property
    def generated(self) -> bool:
        """Whether the LR images are made here from HR (the folder lacks this scale)."""
        return self.lr_dir is None

    def __len__(self) -> int:
        return len(self.names)

    def __iter__(self) -> Iterator[SRPair]:
        for name in self.names:
            yield self.load(name)

    def __getitem__(self, key: int | str) -> SRPair:
        if isinstance(key, str):
            return self.load(key)
        return self.load(self.names[key])

    def load(self, name: str) -> SRPair:
        """Read one pair by image name.

        Args:
            name: an entry of :attr:`names`.

        Returns:
            The :class:`SRPair` (HR mod-cropped; LR read from ``lr_dir`` or generated).

        Raises:
            KeyError: unknown name.
            FileNotFoundError: the LR file is missing from a stored scale folder.
            ShapeError: the stored LR does not have the HR size divided by the scale.
        """
        if name not in self.names:
            raise _unknown(f"image of {self.name}", name, list(self.names))
        hr_path = self.folder / "HR" / f"{name}.png"
        hr = read_image(hr_path, channels=self.channels)
        if self.lr_dir is None:
            return _make_pair(name, hr, self.scale)
        hr = np.ascontiguousarray(modcrop(hr, self.scale))
        lr_path = self.lr_dir / f"{name}x{self.scale}.png"
        if not lr_path.is_file():
            raise FileNotFoundError(
                f"{self.name}: the LR image {lr_path} is missing (the folder {self.lr_dir} "
                "exists, so lpf does not regenerate it silently; remove the folder to generate "
                "all LR images of this scale from HR)."
            )
        lr = read_image(lr_path, channels=self.channels)
        expected = (hr.shape[0] // self.scale, hr.shape[1] // self.scale, hr.shape[2])
        if lr.shape != expected:
            raise ShapeError(
                f"{self.name}: {lr_path.name} has shape {lr.shape}, but the mod-cropped HR "
                f"{hr_path.name} {hr.shape} divided by {self.scale} is {expected}.",
                expected=expected,
                actual=lr.shape,
            )
        return SRPair(name=name, hr=hr, lr=lr, scale=self.scale)


def load_set(
    name: str,
    *,
    scale: int,
    root: str | os.PathLike | None = None,
    channels: int | None = 3,
) -> ImageSet:
    """A benchmark set (Set5, Set14, B100, Urban100, Manga109, DIV2K-valid) from a local folder.

    Looks for ``<root>/<Set>/HR/*.png`` in each folder of :func:`dataset_roots` (the ``root``
    argument, else ``$LPF_DATASETS``, else ``<data_dir()>/datasets``, else the shared assets'
    ``images``); the first hit wins. LR images are read from
    ``<Set>/LR_bicubic/X<s>/<name>x<s>.png`` when that folder exists, else made from the
    mod-cropped HR with MATLAB-exact bicubic (e.g. for X6 and X12, which no set ships).
    Nothing is downloaded: see :func:`download_set`.

    Args:
        name: the set, case-insensitive; aliases BSD100 (B100) and DIV2K_valid are accepted.
        scale: the integer scale factor (>= 1).
        root: a datasets folder to use instead of the default search.
        channels: ``3`` (default) replicates greyscale images into RGB; ``None`` keeps them.

    Returns:
        An :class:`ImageSet`; iterating it reads one pair at a time.

    Raises:
        DatasetNotFound: the set is in none of the folders (the message lists each place looked
            and how to get the set).
        KeyError: unknown set name.
        TypeError/ValueError: bad ``scale`` or ``channels``.

    Examples:
        >>> from lpf._paths import shared_assets
        >>> if shared_assets() is not None:
        ...     s5 = load_set("Set5", scale=4, root=shared_assets() / "images")
        ...     print(len(s5), s5.names[0], s5[0].lr.shape)
        ... else:
        ...     print(5, "baby", (128, 128, 3))
        5 baby (128, 128, 3)
    """
    scale = check_scale(scale)
    _check_channels(channels)
    canon = _canonical(name)
    looked = []
    for base in dataset_roots(root):
        for folder_name in DATASETS[canon]:
            folder = base / folder_name
            hr_dir = folder / "HR"
            looked.append(hr_dir)
            if not hr_dir.is_dir():
                continue
            names = tuple(sorted(p.stem for p in hr_dir.glob("*.png")))
            if not names:
                continue
            lr_dir = folder / "LR_bicubic" / f"X{scale}"
            return ImageSet(
                name=canon,
                scale=scale,
                folder=folder,
                names=names,
                lr_dir=lr_dir if lr_dir.is_dir() else None,
                channels=channels,
            )
    places = "\n".join(f"  - {p}" for p in looked)
    if DATASET_SOURCES.get(canon):
        how = (
            f"lpf.data.download_set({canon!r}, verify=False) downloads it from "
            f"{DATASET_SOURCES[canon][0].url} (the first download records its sha256), or "
            "place it by hand in one of those folders"
        )
    else:
        how = _HOW_TO_GET.get(canon, "place it by hand in one of those folders")
    raise DatasetNotFound(
        f"benchmark set {canon!r} not found. Looked for a non-empty HR folder of PNGs in:\n"
        f"{places}\nTo get it: {how}. Layout: <root>/{DATASETS[canon][0]}/HR/<name>.png and "
        f"<root>/{DATASETS[canon][0]}/LR_bicubic/X<s>/<name>x<s>.png; set $LPF_DATASETS or pass "
        "`root` to use another folder."
    )


# ------------------------------------------------------------------------------- download




def _record_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".sha256")


def download_file(
    url: str,
    dest: str | os.PathLike,
    *,
    sha256: str | None = None,
    verify: bool = True,
    progress: bool = True,
    timeout: float = 60.0,
) -> Path:
    """Download ``url`` to ``dest`` atomically, verifying its sha256 (never called implicitly).

    The data goes to a temporary ``<dest>.*.part`` file in the same folder, hashed while it
    streams; it is renamed to ``dest`` only when complete (the ``Content-Length`` was received)
    and verified. On any failure the ``.part`` file is deleted: nothing is left behind.

    If ``dest`` already exists it is not downloaded again, but verified (against ``sha256``, or
    the hash recorded at its first download).

    Args:
        url: an ``http``/``https`` URL.
        dest: the destination file.
        sha256: the expected hex digest, or ``None`` if unknown.
        verify: with an unknown ``sha256``, ``True`` refuses the download (no network access);
            ``False`` accepts it and records the observed hash in ``<dest>.sha256``. A known hash
            is always checked.
        progress: show a tqdm progress bar (on stderr).
        timeout: the socket timeout in seconds.

    Returns:
        ``dest``.

    Raises:
        ChecksumError: the file's sha256 differs from the expected one (nothing is kept).
        DownloadError: the transfer failed or was cut short, or the download was refused
            because its hash is unknown and ``verify=True``.

    Examples:
        >>> import tempfile, pathlib
        >>> dest = pathlib.Path(tempfile.mkdtemp()) / "x.zip"
        >>> try:
        ...     download_file("https://example.invalid/x.zip", dest)
        ... except DownloadError as err:
        ...     print(str(err)[:39])
        refusing to download https://example.in
    """
    dest = Path(dest)
    recorded = _record_path(dest)
    expected = sha256.lower() if sha256 else None
    if expected is None and recorded.is_file():
        expected = recorded.read_text().split()[0].lower()
    if dest.is_file():
        if expected is None:
            if verify:
                raise DownloadError(
                    f"{dest} exists but its sha256 is unknown; pass verify=False to trust it "
                    f"(its hash will be recorded in {recorded})."
                )
            recorded.write_text(f"{_sha256_file(dest)}  {dest.name}\n")
            return dest
        actual = _sha256_file(dest)
        if actual != expected:
            raise ChecksumError(
                f"the cached file {dest} has sha256 {actual}, expected {expected}; delete it to "
                "download it again."
            )
        return dest
    if expected is None and verify:
        raise DownloadError(
            f"refusing to download {url}: its sha256 is not known, so the file could not be "
            "verified. Pass verify=False to accept it once (its sha256 is then recorded in "
            f"{recorded} and checked on every later use), or pass sha256=..."
        )
    if not url.startswith(("http://", "https://")):
        raise DownloadError(f"only http(s) URLs are downloaded, got {url!r}.")

    from tqdm import tqdm

    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f"{dest.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        received = 0
        with os.fdopen(fd, "wb") as out:
            request = urllib.request.Request(url, headers={"User-Agent": "lpf-kit"})
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                length = response.headers.get("Content-Length")
                total = int(length) if length is not None else None
                with tqdm(
                    total=total, unit="B", unit_scale=True, unit_divisor=1024,
                    desc=dest.name, disable=not progress, leave=False,
                ) as bar:
                    while True:
                        block = response.read(1 << 20)
                        if not block:
                            break
                        out.write(block)
                        digest.update(block)
                        received += len(block)
                        bar.update(len(block))
            out.flush()
            os.fsync(out.fileno())
        if total is not None and received != total:
            raise DownloadError(
                f"the download of {url} was interrupted: got {received} of {total} bytes."
            )
        actual = digest.hexdigest()
        if expected is not None and actual != expected:
            raise ChecksumError(
                f"the download of {url} has sha256 {actual}, expected {expected}; it was "
                "discarded."
            )
        os.replace(tmp, dest)
    except (urllib.error.URLError, HTTPException, OSError) as err:
        tmp.unlink(missing_ok=True)
        if isinstance(err, DownloadError):
            raise
        raise DownloadError(f"the download of {url} failed: {err}") from err
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if expected is None:
        recorded.write_text(f"{actual}  {dest.name}\n")
    return dest


def _archive_members(path: Path) -> Iterator[tuple[str, Callable[[], IO[bytes]]]]:
    """(member name, opener) for every regular file of a zip or tar archive."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    yield info.filename, lambda info=info: archive.open(info)
        return
    if tarfile.is_tarfile(path):
        with tarfile.open(path) as archive:
            for member in archive:
                if member.isfile():
                    yield member.name, lambda member=member: archive.extractfile(member)
        return
    raise DownloadError(f"{path} is neither a zip nor a tar archive.")


def _extract(archive: Path, members: Mapping[str, str], target: Path) -> int:
    """Extract the files under each prefix of ``members`` into ``target``; return the count."""
    count = 0
    for member, opener in _archive_members(archive):
        for prefix, destination in members.items():
            if not member.startswith(prefix):
                continue
            rest = member[len(prefix) :]
            parts = Path(destination + rest).parts
            if not rest or Path(member).is_absolute() or ".." in parts:
                raise DownloadError(f"{archive} has an unsafe member name {member!r}.")
            out_path = target.joinpath(*parts)
            out_path.parent.mkdir(parents=True, exist_ok=True)
            with opener() as src, out_path.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            count += 1
            break
    return count


def download_set(
    name: str,
    *,
    root: str | os.PathLike | None = None,
    cache: str | os.PathLike | None = None,
    verify: bool = True,
    progress: bool = True,
) -> Path:
    """Download a benchmark set from its public archives into ``<root>/<Set>`` (explicit only).

    The archives of :data:`DATASET_SOURCES` are fetched with :func:`download_file` into ``cache``
    and kept there; the set's files are extracted into a hidden staging folder in ``root`` that
    is renamed to ``<root>/<Set>`` only when every archive was extracted. On failure nothing is
    left in ``root`` (the verified archives stay in the cache). A set already present is returned
    as it is.

    Args:
        name: Set5, Set14, B100, Urban100 or DIV2K-valid (Manga109 has no public archive).
        root: the datasets folder (default ``$LPF_DATASETS``, else ``<data_dir()>/datasets``).
        cache: where archives are kept (default ``<cache_dir()>/downloads``).
        verify: see :func:`download_file`: ``True`` refuses archives whose sha256 is unknown
            (all of them in this version: pass ``False`` once to record their hashes).
        progress: show progress bars.

    Returns:
        The set's folder, ready for :func:`load_set`.

    Raises:
        DownloadError: a download failed or was refused, an archive lacks the set, or the set has
            no public archive.
        ChecksumError: an archive does not match its sha256.
        KeyError: unknown set name.

    Examples:
        >>> try:
        ...     download_set("Manga109")
        ... except DownloadError as err:
        ...     print(str(err)[:41])
        Manga109 has no public archive to downloa
    """
    canon = _canonical(name)
    sources = DATASET_SOURCES.get(canon, ())
    if not sources:
        how = _HOW_TO_GET.get(canon, "place it by hand")
        raise DownloadError(f"{canon} has no public archive to download: {how}.")
    root = Path(root).expanduser() if root is not None else _default_download_root()
    cache = Path(cache).expanduser() if cache is not None else cache_dir() / "downloads"
    folder = root / DATASETS[canon][0]
    if (folder / "HR").is_dir() and any((folder / "HR").glob("*.png")):
        return folder
    if folder.exists():
        raise DownloadError(
            f"{folder} exists but has no HR/*.png; move it away so that {canon} can be "
            "downloaded there."
        )
    archives = [
        download_file(
            src.url, cache / src.cache_name, sha256=src.sha256, verify=verify, progress=progress
        )
        for src in sources
    ]
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root, prefix=f".{folder.name}.", suffix=".part"))
    try:
        for src, archive in zip(sources, archives, strict=True):
            if _extract(archive, dict(src.members), staging) == 0:
                prefixes = [prefix for prefix, _ in src.members]
                raise DownloadError(f"{archive} holds no file under {prefixes}.")
        if not any((staging / "HR").glob("*.png")):
            raise DownloadError(f"the archives of {canon} hold no HR/*.png images.")
        os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder
