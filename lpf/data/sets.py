"""SR pairs, the embedded photographs, benchmark sets on disk, and their verified download.

:class:`SRPair` is the one HR/LR pair type (uint8 ``(H, W, C)`` arrays); :func:`load_embedded`
makes pairs of the photographs that ship inside scikit-image (offline); :func:`load_set` reads a
benchmark set laid out as ``<Set>/HR/<name>.png`` and ``<Set>/LR_bicubic/X<s>/<name>x<s>.png``;
:func:`load_pairs` picks either and centre-crops; :func:`download_set` fetches a set from the
sources of :mod:`lpf.data.download`, verified, into that layout.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch

from lpf._checks import LpfError, ShapeError, check_scale
from lpf._paths import cache_dir, data_dir, shared_assets
from lpf.data.download import (
    DATASET_SOURCES,
    PINNED_REPOS,
    ChecksumError,
    DownloadError,
    _extract,
    download_file,
)
from lpf.data.io import _check_channels, read_image, to_tensor
from lpf.data.resize import imresize

__all__ = [
    "crop_pair",
    "dataset_roots",
    "DatasetNotFound",
    "DATASETS",
    "download_set",
    "EMBEDDED",
    "embedded_images",
    "ImageSet",
    "load_embedded",
    "load_pairs",
    "load_set",
    "make_pair",
    "modcrop",
    "PairSet",
    "SRPair",
]


class DatasetNotFound(LpfError, FileNotFoundError):  # noqa: N818 (reads as what happened)
    """A benchmark set is in none of the places searched (the message lists them)."""


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


def make_pair(name: str, image: np.ndarray, scale: int) -> SRPair:
    """The SR pair of an HR image: HR cropped to a multiple of ``scale``, LR by MATLAB bicubic.

    Examples:
        >>> make_pair("x", np.zeros((9, 10, 3), np.uint8), 2).lr.shape
        (4, 5, 3)
    """
    hr = np.ascontiguousarray(modcrop(image, scale))
    lr = imresize(hr, 1 / scale)
    return SRPair(name=name, hr=hr, lr=lr, scale=scale)


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
    return make_pair(name, image, scale)


# canonical name -> folder names accepted on disk (the first is the one download_set writes)
DATASETS: dict[str, tuple[str, ...]] = {
    "Set5": ("Set5",),
    "Set14": ("Set14",),
    "B100": ("B100", "BSD100", "BSDS100"),
    "Urban100": ("Urban100",),
    "Manga109": ("Manga109",),
    "DIV2K-valid": ("DIV2K-valid", "DIV2K_valid", "DIV2K"),
}


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
            return make_pair(name, hr, self.scale)
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
    if canon in PINNED_REPOS:
        repo = PINNED_REPOS[canon]
        how = (
            f"lpf.data.download_set({canon!r}) downloads it ({len(DATASET_SOURCES[canon])} "
            f"files from https://github.com/{repo.repo} at commit {repo.commit[:12]}, each "
            "checked against its pinned sha256), or place it by hand in one of those folders"
        )
    elif DATASET_SOURCES.get(canon) and all(src.sha256 for src in DATASET_SOURCES[canon]):
        how = (
            f"lpf.data.download_set({canon!r}) downloads it from "
            f"{DATASET_SOURCES[canon][0].url} and the other archives of the set (each checked "
            "against its pinned sha256), or place it by hand in one of those folders"
        )
    elif DATASET_SOURCES.get(canon):
        how = (
            f"lpf.data.download_set({canon!r}, verify=False) downloads it from "
            f"{DATASET_SOURCES[canon][0].url} (its sha256 is not known: the first download "
            "records it), or place it by hand in one of those folders"
        )
    else:
        how = _HOW_TO_GET.get(canon, "place it by hand in one of those folders")
    raise DatasetNotFound(
        f"benchmark set {canon!r} not found. Looked for a non-empty HR folder of PNGs in:\n"
        f"{places}\nTo get it: {how}. Layout: <root>/{DATASETS[canon][0]}/HR/<name>.png and "
        f"<root>/{DATASETS[canon][0]}/LR_bicubic/X<s>/<name>x<s>.png; set $LPF_DATASETS or pass "
        "`root` to use another folder."
    )


class PairSet(NamedTuple):
    """HR/LR pairs and the name of the set they came from.

    Attributes:
        dataset: ``"embedded"`` or the canonical benchmark-set name (e.g. ``"DIV2K-valid"``).
        pairs: the :class:`lpf.data.SRPair` objects, in order.
    """

    dataset: str
    pairs: list


def crop_pair(pair, lr_size: int | tuple[int, int]):
    """Centre-crop an :class:`lpf.data.SRPair` to an LR size, and its HR to match.

    The LR crop starts at ``((H - h) // 2, (W - w) // 2)``; the HR crop is the same region at
    ``scale`` times the resolution, so the pair stays aligned (the LR is cropped from the LR made
    from the whole HR image, not re-made from the HR crop).

    Args:
        pair: an :class:`lpf.data.SRPair` (``hr``, ``lr`` uint8 ``(H, W, C)``, ``scale``).
        lr_size: ``(h, w)`` of the LR crop, or one int for a square.

    Returns:
        A new :class:`lpf.data.SRPair` with ``lr`` of shape ``(h, w, C)`` and ``hr`` of shape
        ``(scale h, scale w, C)`` (contiguous copies).

    Raises:
        ShapeError: the LR image is smaller than ``lr_size``.
        ValueError: a non-positive size.

    Examples:
        >>> from lpf.data import load_embedded
        >>> p = crop_pair(load_embedded("camera", scale=2), 32)
        >>> p.lr.shape, p.hr.shape
        ((32, 32, 3), (64, 64, 3))
    """
    h, w = (lr_size, lr_size) if isinstance(lr_size, int | np.integer) else tuple(lr_size)
    if h < 1 or w < 1:
        raise ValueError(f"`lr_size` must be positive, got {lr_size!r}.")
    big_h, big_w = pair.lr.shape[:2]
    if h > big_h or w > big_w:
        raise ShapeError(
            f"`lr_size` {(h, w)} is larger than the LR image {pair.name!r} ({big_h}x{big_w}).",
            expected=f"<= {(big_h, big_w)}",
            actual=(h, w),
        )
    y, x, s = (big_h - h) // 2, (big_w - w) // 2, pair.scale
    lr = np.ascontiguousarray(pair.lr[y : y + h, x : x + w])
    hr = np.ascontiguousarray(pair.hr[s * y : s * (y + h), s * x : s * (x + w)])
    return SRPair(name=pair.name, hr=hr, lr=lr, scale=s)


def load_pairs(
    dataset: str = "embedded",
    *,
    scale: int,
    names: Sequence[str] | None = None,
    lr_size: int | tuple[int, int] | None = None,
    limit: int | None = None,
    root: str | None = None,
) -> PairSet:
    """HR/LR pairs for an experiment: the embedded photographs, or a benchmark set if present.

    Args:
        dataset: ``"embedded"`` (the nine colour photographs shipped inside scikit-image, always
            offline), a benchmark-set name for :func:`lpf.data.load_set` (``"DIV2K-valid"``,
            ``"Set5"``, ...), or ``"auto"``: DIV2K validation when :func:`lpf.data.load_set`
            finds it locally, else the embedded set (nothing is downloaded).
        scale: the integer scale factor.
        names: the images to use (default: all of the set).
        lr_size: centre-crop every pair to this LR size (see :func:`crop_pair`).
        limit: use at most this many images (the first ones, in the set's order).
        root: a datasets folder for :func:`lpf.data.load_set`.

    Returns:
        :class:`PairSet` ``(dataset, pairs)``.

    Raises:
        lpf.data.DatasetNotFound: a named benchmark set is not on disk.
        KeyError: an unknown image name.

    Examples:
        >>> ps = load_pairs("embedded", scale=2, names=["chelsea"], lr_size=16)
        >>> ps.dataset, len(ps.pairs), ps.pairs[0].hr.shape
        ('embedded', 1, (32, 32, 3))
    """
    scale = check_scale(scale)
    if dataset == "auto":
        try:
            found = load_set("DIV2K-valid", scale=scale, root=root)
        except DatasetNotFound:
            found = None
        dataset = "DIV2K-valid" if found is not None else "embedded"
    if dataset == "embedded":
        chosen = list(names) if names is not None else embedded_images(include_grey=False)
        if limit is not None:
            chosen = chosen[:limit]
        pairs = [load_embedded(n, scale=scale) for n in chosen]
    else:
        image_set = load_set(dataset, scale=scale, root=root)
        dataset = image_set.name
        chosen = list(names) if names is not None else list(image_set.names)
        if limit is not None:
            chosen = chosen[:limit]
        pairs = [image_set.load(n) for n in chosen]
    if lr_size is not None:
        pairs = [crop_pair(p, lr_size) for p in pairs]
    return PairSet(dataset, pairs)


def download_set(
    name: str,
    *,
    root: str | os.PathLike | None = None,
    cache: str | os.PathLike | None = None,
    verify: bool = True,
    progress: bool = True,
) -> Path:
    """Download a benchmark set from its public sources into ``<root>/<Set>`` (explicit only).

    The sources of :data:`DATASET_SOURCES` (archives, or for Set5, Set14 and B100 one file each,
    every file with its pinned sha256: see :mod:`lpf.data.download`) are fetched with
    :func:`download_file` into ``cache`` and kept there; only when all are there and verified are
    the set's files copied (or extracted) into a hidden staging folder in ``root``, which is
    renamed to ``<root>/<Set>`` when complete. On failure nothing is left in ``root`` (the
    verified downloads stay in the cache). A set already present is returned as it is.

    Args:
        name: Set5, Set14, B100, Urban100 or DIV2K-valid (Manga109 has no public archive).
        root: the datasets folder (default ``$LPF_DATASETS``, else ``<data_dir()>/datasets``).
        cache: where downloads are kept (default ``<cache_dir()>/downloads``).
        verify: see :func:`download_file`: ``True`` refuses sources whose sha256 is unknown
            (Urban100's archive: pass ``False`` once to record its hash); Set5, Set14 and B100
            are verified file by file, the DIV2K validation zips against TensorFlow Datasets'
            published sha256, either way.
        progress: show progress bars.

    Returns:
        The set's folder, ready for :func:`load_set`.

    Raises:
        DownloadError: a download failed or was refused, an archive lacks the set, or the set has
            no public archive.
        ChecksumError: a download does not match its sha256 (the message names the file).
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
    from tqdm import tqdm

    downloads = []
    with tqdm(sources, desc=canon, unit="file", disable=not progress or len(sources) < 2,
              leave=False) as bar:
        for src in bar:
            try:
                downloads.append(download_file(
                    src.url, cache / src.cache_name, sha256=src.sha256, verify=verify,
                    progress=progress and src.dest is None))
            except ChecksumError as err:
                if src.dest is None:
                    raise
                raise ChecksumError(f"{canon} file {src.dest}: {err}") from None
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root, prefix=f".{folder.name}.", suffix=".part"))
    try:
        for src, path in zip(sources, downloads, strict=True):
            if src.dest is not None:
                parts = Path(src.dest).parts
                if not parts or Path(src.dest).is_absolute() or ".." in parts:
                    raise DownloadError(f"{canon}: unsafe destination {src.dest!r}.")
                target = staging.joinpath(*parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
            elif _extract(path, dict(src.members), staging) == 0:
                prefixes = [prefix for prefix, _ in src.members]
                raise DownloadError(f"{path} holds no file under {prefixes}.")
        if not any((staging / "HR").glob("*.png")):
            raise DownloadError(f"the archives of {canon} hold no HR/*.png images.")
        os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder
