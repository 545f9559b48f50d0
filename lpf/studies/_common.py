"""What every study shares: the profile parameter, model lists, and the result record.

A study is ``lpf.studies.<notebook stem>.compute(...)``: it validates its parameters (errors name
the parameter), does every computation of one figure or table, and returns a :class:`Result`
whose :meth:`Result.to_json` is the figure's JSON. Plotting (:mod:`lpf.plot`) and claim checks
(:mod:`lpf.studies.claims`) take that result; notebooks only pass parameters along.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from collections.abc import Mapping, Sequence
from typing import Any

from lpf._io import jsonable
from lpf.models import is_available, model_label, names_a_file, resolve

__all__ = [
    "PROFILES",
    "Result",
    "check_choice",
    "check_profile",
    "choose",
    "available_models",
    "load_models",
]

#: ``full`` draws the paper's figure; ``smoke`` is the seconds-long run of ``make test``.
PROFILES = ("full", "smoke")


def check_choice(name: str, value: object, choices: Sequence[object]) -> object:
    """``value`` if it is one of ``choices``; else ``ValueError`` naming the parameter.

    Examples:
        >>> try:
        ...     check_choice("profile", "Full", PROFILES)
        ... except ValueError as err:
        ...     print(err)
        parameter `profile` must be one of ['full', 'smoke'], got 'Full' (did you mean 'full'?).
    """
    if value in choices:
        return value
    hint = difflib.get_close_matches(str(value).lower(), [str(c) for c in choices], n=1)
    extra = f" (did you mean {hint[0]!r}?)" if hint else ""
    raise ValueError(f"parameter `{name}` must be one of {list(choices)}, got {value!r}{extra}.")


def check_profile(profile: str) -> str:
    """The ``profile`` parameter, checked: ``"full"`` or ``"smoke"``."""
    return str(check_choice("profile", profile, PROFILES))


def choose(profile: str, value: Any, *, full: Any, smoke: Any) -> Any:
    """``value`` when the user set it (not None), else the profile's default.

    A notebook parameter left at ``None`` means "the profile's default": a user's explicit value
    is never replaced by the smoke profile's.
    """
    if value is not None:
        return value
    return full if check_profile(profile) == "full" else smoke


def available_models(models: Sequence[str | os.PathLike], *, scale: float | None = None,
                     parameter: str = "models") -> tuple[list[str | os.PathLike], list[str]]:
    """Split ``models`` into those that run here now and the labels of those that do not.

    Registry names whose weights are not on this machine are skipped (with their label in the
    second list, for the figure's note). Unknown names and missing files are errors naming the
    parameter: a typo never passes silently.
    """
    if isinstance(models, str | os.PathLike):
        raise TypeError(f"parameter `{parameter}` must be a list of models, got {models!r}.")
    here, missing = [], []
    for m in models:
        if names_a_file(m) and not os.path.isfile(m):
            raise FileNotFoundError(f"parameter `{parameter}`: no such checkpoint file: {m}")
        try:
            ok = is_available(m, scale=scale)
        except KeyError as err:
            raise KeyError(f"parameter `{parameter}`: {err.args[0]}") from None
        (here if ok else missing).append(m if ok else model_label(m))
    return here, missing


def load_models(models: Sequence[str | os.PathLike], *, scale: float, device: str = "cpu",
                parameter: str = "models") -> dict[str, Any]:
    """``{label: SRModel}`` for every model of ``models`` (names, checkpoint paths, TorchScript)."""
    loaded = {}
    for m in models:
        try:
            label, net = resolve(m, scale=scale, device=device)
        except KeyError as err:
            raise KeyError(f"parameter `{parameter}`: {err.args[0]}") from None
        loaded[label] = net
    return loaded


@dataclasses.dataclass
class Result:
    """Base of every study's result: a dataclass whose JSON is :meth:`to_json`.

    Fields named in ``_arrays`` (images, spectra: what the plot draws) are left out of the JSON.
    """

    _arrays = ()

    def to_json(self) -> dict[str, Any]:
        """The figure's numbers as JSON-ready values (arrays listed in ``_arrays`` left out)."""
        out = {}
        for f in dataclasses.fields(self):
            if f.name in self._arrays or f.name.startswith("_"):
                continue
            out[f.name] = jsonable(getattr(self, f.name))
        return out

    def __getitem__(self, key: str) -> Any:
        return self.to_json()[key]

    @classmethod
    def keys_of(cls) -> list[str]:
        return [f.name for f in dataclasses.fields(cls) if f.name not in cls._arrays]


def as_mapping(result: Result | Mapping[str, Any]) -> Mapping[str, Any]:
    """A result or its JSON, as the JSON mapping (claims accept both)."""
    return result.to_json() if isinstance(result, Result) else result
