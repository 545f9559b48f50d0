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

import io
import os
from pathlib import Path

import numpy as np
import torch

from lpf._checks import LpfError, RangeError, ShapeError, as_image_tensor, check_range
from lpf._io import atomic_write_bytes

__all__ = [
    "jpeg_roundtrip",
    "read_image",
    "to_numpy",
    "to_tensor",
    "write_image",
]

_WRITE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".bmp": "BMP"}


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
    except Image.DecompressionBombError as err:
        raise LpfError(f"{path} declares a huge image ({err}); refusing to decode it.") from err
    except (OSError, SyntaxError, ValueError) as err:  # truncated or corrupt data
        raise LpfError(f"{path} is a damaged image file: {err}.") from err
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
    atomic_write_bytes(path, _encode(image, fmt, quality))
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


# ---------------------------------------------------------------------------------- pairs


# --------------------------------------------------------------------------- embedded set


"""The embedded set: photographs inside scikit-image, ``name -> (loader, is_colour)``."""


# ------------------------------------------------------------------------- benchmark sets

"""The benchmark sets :func:`load_set` knows: name -> folder names looked for."""


"""Public archives per benchmark set (see :class:`DownloadSource`)."""


# ------------------------------------------------------------------------------- download


def jpeg_roundtrip(image: torch.Tensor, quality: int) -> torch.Tensor:
    """Compress an image to JPEG in memory with Pillow and decode it again.

    The image is quantised to 8 bits (:func:`lpf.data.to_numpy`) and encoded with Pillow's
    defaults at ``quality`` (the IJG quantisation tables scaled by the quality, 4:2:0 chroma
    subsampling for colour), then decoded back to float.

    Args:
        image: ``(C, H, W)`` float in [0, 1], ``C`` 1 or 3.
        quality: the JPEG quality, an integer in [1, 100].

    Returns:
        The decoded image, ``(C, H, W)`` in [0, 1], the input's dtype.

    Raises:
        ValueError: ``quality`` outside [1, 100].
        ShapeError: not ``(C, H, W)`` with 1 or 3 channels.
        RangeError: values outside [0, 1].

    Examples:
        >>> x = torch.rand(3, 16, 16)
        >>> y = jpeg_roundtrip(x, 90)
        >>> err_10 = jpeg_roundtrip(x, 10).sub(x).abs().mean()
        >>> y.shape, y.dtype, bool(err_10 > y.sub(x).abs().mean())
        (torch.Size([3, 16, 16]), torch.float32, True)
    """
    from PIL import Image

    if isinstance(quality, bool) or not isinstance(quality, int | np.integer):
        raise TypeError(f"`quality` must be an integer in [1, 100], got {quality!r}.")
    if not 1 <= quality <= 100:
        raise ValueError(f"`quality` must be in [1, 100], got {quality}.")
    x = as_image_tensor(image, "image", ndims=(3,))
    check_range(x, "image")
    if x.shape[0] not in (1, 3):
        raise ShapeError(
            f"`image` must have 1 or 3 channels for JPEG, got {x.shape[0]}.",
            expected="C in (1, 3)",
            actual=tuple(x.shape),
        )
    array = to_numpy(x)
    pil = Image.fromarray(array[..., 0] if array.shape[-1] == 1 else array)
    buffer = io.BytesIO()
    pil.save(buffer, format="JPEG", quality=int(quality))
    decoded = np.asarray(Image.open(io.BytesIO(buffer.getvalue())))
    return to_tensor(decoded, dtype=x.dtype).to(x.device)
