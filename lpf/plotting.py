"""One figure style and one way to save figures.

Plot functions take ``ax=None`` and return ``(fig, ax)``; they never show or save. The style is
applied as a context manager (:func:`style`), never by changing global ``rcParams``.
:func:`savefig` writes ``name.png`` and ``name.pdf`` into a required ``out_dir``, atomically.
matplotlib is imported lazily, so ``import lpf`` does not pay for it.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = ["STYLE", "savefig", "style", "write_json"]

STYLE = Path(__file__).with_name("paper.mplstyle")


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Context manager applying the kit's figure style (``lpf/paper.mplstyle``).

    Examples:
        >>> import matplotlib.pyplot as plt
        >>> with style():
        ...     fig, ax = plt.subplots()
        >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    with plt.style.context(STYLE):
        yield


def _atomic_write(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def savefig(fig, name: str, *, out_dir: str | os.PathLike, formats=("png", "pdf")) -> list[Path]:
    """Write ``fig`` as ``out_dir/name.png`` and ``out_dir/name.pdf``; return the paths.

    ``out_dir`` is created if needed. Each file is written to a temporary name and renamed, so an
    interrupted save leaves no partial file. PDFs are byte-stable when ``SOURCE_DATE_EPOCH`` is
    set (the Makefile sets it).

    Args:
        fig: a matplotlib figure.
        name: the file stem, e.g. ``"fig02_kernels"``.
        out_dir: the folder to write into (required: no environment fallback).
        formats: file formats to write.

    Returns:
        The written paths.

    Examples:
        >>> import tempfile, matplotlib.pyplot as plt
        >>> fig, ax = plt.subplots()
        >>> paths = savefig(fig, "demo", out_dir=tempfile.mkdtemp())
        >>> [p.suffix for p in paths]
        ['.png', '.pdf']
        >>> plt.close(fig)
    """
    out = Path(out_dir)
    paths = []
    for fmt in formats:
        path = out / f"{name}.{fmt}"
        _atomic_write(path, lambda tmp, fmt=fmt: fig.savefig(tmp, format=fmt))
        paths.append(path)
    return paths


def _jsonable(value: Any) -> Any:
    import numpy as np

    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "tolist"):  # numpy arrays/scalars, torch tensors
        return _jsonable(value.tolist())
    if isinstance(value, float | np.floating):
        value = float(value)
        return value if np.isfinite(value) else str(value)  # JSON has no inf/nan
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
    path = Path(out_dir) / f"{name}.json"
    text = json.dumps(_jsonable(data), indent=1, sort_keys=True)
    _atomic_write(path, lambda tmp: Path(tmp).write_text(text + "\n"))
    return path
