"""Where the kit finds and keeps files.

- :func:`data_dir`: the kit's data folder (committed small data; ``cache/`` inside is ignored by
  git). ``$LPF_DATA_DIR`` overrides it; the default is ``data/`` of the repository when the package
  runs from a checkout, else ``~/.cache/lpf``.
- :func:`bundled_dir`: the data that ships with the kit (``models/``: the kit-trained checkpoints;
  ``networks/``: the published networks whose licences allow redistribution): ``data/`` of the
  checkout, or its copy inside an installed package (``lpf/_data``, put there by ``setup.py``).
- :func:`cache_dir`: downloads and computed intermediates, ``<data_dir>/cache`` (or
  ``$LPF_CACHE_DIR``).
- :func:`shared_assets`: the folder of real weights and benchmark images that lies beside the
  repository in the development setup (``../shared/assets``), or ``$LPF_SHARED_ASSETS``; ``None``
  when absent. Nothing in the kit requires it; tests that use it skip without it.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["repo_root", "data_dir", "bundled_dir", "cache_dir", "shared_dir", "shared_assets"]

_PACKAGE = Path(__file__).resolve().parent


def repo_root() -> Path | None:
    """The repository checkout containing this package, or ``None`` for an installed wheel."""
    root = _PACKAGE.parent
    return root if (root / "pyproject.toml").is_file() else None


def data_dir() -> Path:
    """The kit's data folder (see module docstring)."""
    env = os.environ.get("LPF_DATA_DIR")
    if env:
        return Path(env).expanduser()
    root = repo_root()
    return root / "data" if root is not None else Path.home() / ".cache" / "lpf"


def bundled_dir() -> Path:
    """The kit's shipped data: ``data/`` of the checkout, else ``lpf/_data`` of the installed wheel.

    Read-only at run time: ``models/`` (kit-trained checkpoints with their JSON records) and
    ``networks/`` (published networks, with ``NOTICE.md``). Unlike :func:`data_dir` it ignores
    ``$LPF_DATA_DIR``: moving the writable data folder does not hide what ships with the kit.
    """
    root = repo_root()
    if root is not None and (root / "data" / "models").is_dir():
        return root / "data"
    return _PACKAGE / "_data"


def cache_dir() -> Path:
    """Downloads and cached results: ``$LPF_CACHE_DIR``, else ``<data_dir>/cache``.

    Created on demand by writers. The notebook tests point ``$LPF_CACHE_DIR`` at a temporary
    folder.
    """
    env = os.environ.get("LPF_CACHE_DIR")
    return Path(env).expanduser() if env else data_dir() / "cache"


def shared_dir() -> Path | None:
    """``../shared`` beside the repository (or ``$LPF_SHARED``), if it exists."""
    env = os.environ.get("LPF_SHARED")
    if env:
        path = Path(env).expanduser()
        return path if path.is_dir() else None
    root = repo_root()
    if root is None:
        return None
    path = root.parent / "shared"
    return path if path.is_dir() else None


def shared_assets() -> Path | None:
    """``shared/assets`` (real weights, Set5/Set14/B100), or ``$LPF_SHARED_ASSETS``, if present."""
    env = os.environ.get("LPF_SHARED_ASSETS")
    if env:
        path = Path(env).expanduser()
        return path if path.is_dir() else None
    shared = shared_dir()
    if shared is None:
        return None
    path = shared / "assets"
    return path if path.is_dir() else None
