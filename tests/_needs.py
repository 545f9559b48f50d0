"""What a test needs that not every clone has, and the skip messages that name it.

A fresh clone has the kit-trained models, the shipped networks (``data/networks``), the networks
``make test`` fetches (``lpf fetch edsr-liif dat-light realesrgan-x4plus``) and the official-code
references on open images (``tests/data/reference_open``). It lacks:

- the benchmark images (Set5, Set14, B100): ``../shared/assets/images`` beside the repository, or
  :func:`lpf.data.download_set` (into ``data/datasets`` or ``$LPF_DATASETS``); found here the way
  :func:`lpf.data.load_set` finds them (:func:`lpf.data.dataset_roots`);
- the paper's own reference data (``../shared/reference``: official-code values on Set5, the
  official HyRA example), which cannot be redistributed;
- IMDN's and PAN's weights (no licence: ``../shared/assets/weights`` or ``$LPF_WEIGHTS``).

Tests that need them skip with a message naming exactly what is missing. A parametrized test
over many such cases takes its parameters from :func:`cases_where`: the cases where the data is
there, one skipped placeholder where it is not (one skip, not one per case).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

from lpf._paths import shared_dir
from lpf.data import dataset_roots

__all__ = ["benchmark_root", "cases_where", "images_root", "needs_images", "needs_reference",
           "needs_weights", "reference_dir", "require_weights"]


def _has_set(root: Path, name: str) -> bool:
    hr = root / name / "HR"
    return hr.is_dir() and any(hr.glob("*.png"))


def benchmark_root(*sets: str) -> Path | None:
    """The datasets folder holding every one of ``sets`` (``<root>/<Set>/HR/*.png``), or ``None``.

    Searched like :func:`lpf.data.load_set`: ``$LPF_DATASETS``, ``data/datasets``,
    ``../shared/assets/images``. The folder names are the ones :func:`lpf.data.download_set`
    writes (``Set5``, ``Set14``, ``B100``).
    """
    for root in dataset_roots():
        if all(_has_set(root, name) for name in sets):
            return root
    return None


def _listing(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def needs_images(*sets: str) -> str:
    """The skip message of a test that needs the benchmark images ``sets``, e.g. "needs the Set5
    benchmark images (../shared/assets/images/Set5 or lpf.data.download_set('Set5'))"."""
    where = sets[0] if len(sets) == 1 else "{" + ",".join(sets) + "}"
    downloads = ", ".join(f"lpf.data.download_set({name!r})" for name in sets)
    return (f"needs the {_listing(sets)} benchmark images (../shared/assets/images/{where} or "
            f"{downloads})")


def images_root(*sets: str) -> Path:
    """:func:`benchmark_root` of ``sets``, or a skip naming them."""
    root = benchmark_root(*sets)
    if root is None:
        pytest.skip(needs_images(*sets))
    return root


# --- ../shared/reference ----------------------------------------------------------------------

#: what each folder or file of ../shared/reference is (for skip messages)
REFERENCE = {
    "fsds_official.json": "the official FSDS values on Set5 crops",
    "lpf_example": "the official LPF-SR output on Set5's baby",
    "hyra_example": "the official HyRA example, published with the paper's code",
}


def reference_dir() -> Path | None:
    """``../shared/reference`` (the paper's official-code values on its own data), or ``None``."""
    shared = shared_dir()
    if shared is None or not (shared / "reference").is_dir():
        return None
    return shared / "reference"


def needs_reference(*items: str) -> str:
    """The skip message of a test that needs ``items`` of ``../shared/reference``."""
    what = "; ".join(f"{REFERENCE[item]}: ../shared/reference/{item}" for item in items)
    return (f"needs the paper's reference data ({what}; not redistributable; "
            "tests/test_reference_open.py checks the same code on open images)")


# --- weights that do not ship ---------------------------------------------------------------


def needs_weights(names: Iterable[str]) -> str:
    """The skip message of a test that needs the weights of registry models ``names``."""
    from lpf import models as zoo

    names = list(names)
    files = [src.filename for n in names for src in zoo.MODELS[n].weights.values()]
    kinds = {src.kind for n in names for src in zoo.MODELS[n].weights.values()}
    if kinds == {"asset"}:
        how = ("not redistributed (no licence): put them in ../shared/assets/weights or "
               "$LPF_WEIGHTS")
    else:
        how = f"run `lpf fetch {' '.join(names)}`"
    return f"needs the weights of {_listing(names)} ({', '.join(files)}): {how}"


def require_weights(name: str, scale: float) -> Path:
    """The verified local weight file of registry model ``name`` at ``scale`` (the kit's lookup:
    cache, ``data/networks``, ``../shared/assets/weights``...), or a skip saying how to get it."""
    from lpf import models as zoo

    if not zoo.is_available(name, scale=scale):
        pytest.skip(needs_weights([name]))
    return zoo.resolve_weights(name, scale=scale)


# --- parametrization -------------------------------------------------------------------------


def cases_where(available: bool, reason: str, cases: Sequence) -> list:
    """``cases`` (values for ``pytest.mark.parametrize``) if ``available``, else one placeholder
    that skips with ``reason``: the missing data costs one skip, not one per case.

    Every case must have as many values as the first (a plain value: one argument).
    """
    if available:
        return list(cases)
    first = cases[0]
    if isinstance(first, type(pytest.param(None))):
        width = len(first.values)
    elif isinstance(first, tuple):
        width = len(first)
    else:
        width = 1
    return [pytest.param(*([None] * width), id="unavailable",
                         marks=pytest.mark.skip(reason=reason))]
