"""The figure index: one data file (``lpf/studies/figures.json``) for the README and the report.

Each figure/table notebook ``notebooks/<stem>.ipynb`` has one entry: its label (``"Fig. 9"``),
what it shows, its main parameters and the one sentence "our result vs the paper" (``finding``).
:func:`readme_block` renders the README's figure index from it (the Markdown table between
``<!-- figure-index:start -->`` and ``<!-- figure-index:end -->``), :func:`update_readme` writes it
into the README, and the report's dashboard reads the same entries, so the README and the site
cannot disagree. The verdicts are not in this file: they come from :mod:`lpf.studies.claims`.

Examples:
    >>> entries = load_figures()
    >>> entries[0].label, entries[0].stem
    ('Fig. 1', 'fig01_sinc_quiz')
    >>> readme_block(entries).splitlines()[0]
    '| Figure | What it shows | Notebook | Main parameters | Our result vs the paper |'
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from lpf._checks import LpfError
from lpf._io import atomic_write_text

__all__ = [
    "FIGURES_FILE",
    "FIGURES_FORMAT",
    "README_END",
    "README_START",
    "FigureEntry",
    "FigureIndexError",
    "load_figures",
    "readme_block",
    "readme_block_of",
    "readme_problems",
    "update_readme",
]

FIGURES_FILE = Path(__file__).resolve().parents[1] / "studies" / "figures.json"
FIGURES_FORMAT = "lpf-figures-v1"
README_START = "<!-- figure-index:start -->"
README_END = "<!-- figure-index:end -->"
_HEADER = ("| Figure | What it shows | Notebook | Main parameters | Our result vs the paper |\n"
           "|---|---|---|---|---|")
_FIELDS = ("stem", "label", "shows", "parameters", "finding")
_STEM = re.compile(r"^[a-z0-9_]+$")


class FigureIndexError(LpfError, ValueError):
    """The figure index file or the README's block is malformed (the message says where)."""


@dataclass(frozen=True)
class FigureEntry:
    """One figure/table notebook of the index.

    Attributes:
        stem: the notebook's file name without ``.ipynb`` (``"fig09_impulse_responses"``).
        label: the paper's name for it (``"Fig. 9"``, ``"Tables 4-5"``, ``"Beyond the paper"``).
        shows: what the figure shows (Markdown, one line).
        parameters: its main notebook parameters (Markdown, one line).
        finding: our result vs the paper, one sentence or a few (Markdown, one line).
    """

    stem: str
    label: str
    shows: str
    parameters: str
    finding: str


def load_figures(path: str | os.PathLike | None = None) -> list[FigureEntry]:
    """The entries of the figure index file (default :data:`FIGURES_FILE`), in README order.

    Raises:
        FigureIndexError: a missing or unknown field, a field that is not a one-line string
            without ``|``, a malformed or repeated stem, or a wrong ``format``.
    """
    path = Path(FIGURES_FILE if path is None else path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise FigureIndexError(f"{path}: not valid JSON ({err})") from None
    if not isinstance(doc, dict) or doc.get("format") != FIGURES_FORMAT:
        got = doc.get("format") if isinstance(doc, dict) else type(doc).__name__
        raise FigureIndexError(f"{path}: expected an object with format {FIGURES_FORMAT!r}, "
                               f"got {got!r}")
    items = doc.get("figures")
    if not isinstance(items, list) or not items:
        raise FigureIndexError(f"{path}: field 'figures' must be a non-empty array")
    entries, seen = [], set()
    for i, item in enumerate(items):
        where = f"{path}: figures[{i}]"
        if not isinstance(item, dict):
            raise FigureIndexError(f"{where}: must be an object, got {type(item).__name__}")
        missing = [f for f in _FIELDS if f not in item]
        unknown = sorted(set(item) - set(_FIELDS))
        if missing or unknown:
            raise FigureIndexError(f"{where}: expected the fields {list(_FIELDS)}; missing "
                                   f"{missing}, unknown {unknown}")
        for field in _FIELDS:
            value = item[field]
            if not isinstance(value, str) or not value.strip():
                raise FigureIndexError(f"{where}: field {field!r} must be a non-empty string, "
                                       f"got {value!r}")
            if "\n" in value or "|" in value:
                raise FigureIndexError(f"{where}: field {field!r} must be one line without '|' "
                                       f"(it is a Markdown table cell), got {value[:60]!r}...")
        if not _STEM.match(item["stem"]) or item["stem"] in seen:
            raise FigureIndexError(f"{where}: field 'stem' must be a unique notebook name "
                                   f"([a-z0-9_]+), got {item['stem']!r}")
        seen.add(item["stem"])
        entries.append(FigureEntry(**{f: item[f] for f in _FIELDS}))
    return entries


def readme_block(entries: list[FigureEntry]) -> str:
    """The README's figure index (the Markdown table, without the two marker lines)."""
    rows = [f"| {e.label} | {e.shows} | `{e.stem}` | {e.parameters} | {e.finding} |"
            for e in entries]
    return "\n".join([_HEADER, *rows])


def readme_block_of(text: str) -> str:
    """The text between the figure-index markers of a README (without the marker lines).

    Raises:
        FigureIndexError: the markers are missing, repeated or out of order.
    """
    starts, ends = text.count(README_START), text.count(README_END)
    if starts != 1 or ends != 1 or text.index(README_START) > text.index(README_END):
        raise FigureIndexError(f"README: expected one {README_START!r} line followed by one "
                               f"{README_END!r} line, found {starts} and {ends}")
    inner = text[text.index(README_START) + len(README_START):text.index(README_END)]
    return inner.strip("\n")


def readme_problems(text: str, entries: list[FigureEntry]) -> list[str]:
    """How the README's figure index differs from the rendering of ``entries`` (empty: equal)."""
    have = readme_block_of(text).splitlines()
    want = readme_block(entries).splitlines()
    problems = []
    for i in range(max(len(have), len(want))):
        a = have[i] if i < len(have) else "<missing>"
        b = want[i] if i < len(want) else "<missing>"
        if a != b:
            problems.append(f"line {i + 1} of the figure index: README has {a[:90]!r}, "
                            f"the figure index file renders {b[:90]!r}")
    return problems


def update_readme(readme: str | os.PathLike, entries: list[FigureEntry] | None = None) -> bool:
    """Rewrite the README's figure index from ``entries`` (default: the index file), atomically.

    Returns:
        Whether the file changed.
    """
    readme = Path(readme)
    entries = load_figures() if entries is None else entries
    text = readme.read_text(encoding="utf-8")
    readme_block_of(text)  # the markers are there, once each
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    new = f"{head}{README_START}\n{readme_block(entries)}\n{README_END}{tail}"
    if new == text:
        return False
    atomic_write_text(readme, new)
    return True
