"""File output, written once for the whole kit: atomic writes, JSON/text, checksums.

Every file the kit writes (figures, JSON, tables, images, checkpoints, downloads) goes through
:func:`atomic_path`: the content is written to a temporary file beside the target, which replaces
the target only when the write succeeded, so a failing or interrupted run leaves nothing
half-written. Written files get the ordinary permissions of the process umask (``0o666 & ~umask``),
not ``tempfile``'s private ``0o600``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import torch

__all__ = [
    "atomic_path",
    "atomic_torch_save",
    "atomic_write_bytes",
    "atomic_write_text",
    "dir_mode",
    "file_mode",
    "jsonable",
    "sha256_file",
    "write_json",
    "write_text",
]


def file_mode() -> int:
    """The mode a new file gets under the process umask (``0o666 & ~umask``)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def dir_mode() -> int:
    """The mode a new folder gets under the process umask (``0o777 & ~umask``)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o777 & ~mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces ``path`` when the block succeeds.

    The parent folder is created. On any exception (including ``KeyboardInterrupt``) the
    temporary file is removed and ``path`` is left as it was.

    Examples:
        >>> import tempfile
        >>> target = Path(tempfile.mkdtemp()) / "a.txt"
        >>> with atomic_path(target) as tmp:
        ...     _ = tmp.write_text("done")
        >>> target.read_text()
        'done'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically; return the path."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def atomic_torch_save(obj: Any, path: str | os.PathLike) -> Path:
    """``torch.save(obj, path)`` atomically; return the path."""
    with atomic_path(path) as tmp:
        torch.save(obj, tmp)
    return Path(path)


def sha256_file(path: str | os.PathLike) -> str:
    """The hex sha256 of a file, read in 1 MiB blocks (the kit's one checksum routine)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def jsonable(value: Any) -> Any:
    """``value`` with NumPy/torch values as Python ones; ``inf``/``nan`` as strings (JSON has none).

    Examples:
        >>> jsonable({"a": (1, float("inf"))})
        {'a': [1, 'inf']}
    """
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "to_json"):  # results of lpf.studies
        return jsonable(value.to_json())
    if hasattr(value, "tolist"):  # numpy arrays/scalars, torch tensors
        return jsonable(value.tolist())
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return value


def write_json(data: Mapping[str, Any], name: str, *, out_dir: str | os.PathLike) -> Path:
    """Write the numbers a figure shows as ``out_dir/name.json`` (atomically); return the path.

    NumPy and torch values are converted; ``inf``/``nan`` become the strings ``"inf"``/``"nan"``.

    Examples:
        >>> import tempfile, json
        >>> p = write_json({"psnr": 31.4, "fsds": float("inf")}, "demo", out_dir=tempfile.mkdtemp())
        >>> json.loads(p.read_text())
        {'fsds': 'inf', 'psnr': 31.4}
    """
    text = json.dumps(jsonable(data), indent=1, sort_keys=True)
    return atomic_write_text(Path(out_dir) / f"{name}.json", text + "\n")


def write_text(text: str, filename: str, *, out_dir: str | os.PathLike) -> Path:
    """Write a table or note as ``out_dir/filename`` (e.g. ``"table1.md"``), atomically.

    Raises:
        ValueError: ``filename`` contains a folder.

    Examples:
        >>> import tempfile
        >>> write_text("| a |", "t.md", out_dir=tempfile.mkdtemp()).read_text()
        '| a |'
    """
    if Path(filename).name != filename:
        raise ValueError(f"`filename` must be a bare file name, got {filename!r}.")
    return atomic_write_text(Path(out_dir) / filename, text)
