"""Static checks of a built site: local links and images exist, nothing loads from the network.

Every notebook must also have its dashboard row. :func:`site_problems` parses every page with the
standard library's HTML parser (no browser); ``lpf report`` runs it before it replaces the old
site, and the browser test (``tests/test_report_browser.py``) adds what only a browser sees
(console errors, images that do not decode).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["RESOURCE_TAGS", "links_of", "site_problems"]

#: (tag, attribute) pairs that load a resource the page needs (an external one needs a network)
RESOURCE_TAGS = {("img", "src"), ("script", "src"), ("link", "href"), ("iframe", "src"),
                 ("source", "src")}
_LINK_TAGS = {("a", "href")}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()
        self.stems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for attr in ("href", "src"):
            if (tag, attr) in RESOURCE_TAGS | _LINK_TAGS and attrs.get(attr) is not None:
                self.found.append((tag, attr, attrs[attr]))
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get("data-stem") and tag == "tbody":
            self.stems.append(attrs["data-stem"])


def links_of(page: str | os.PathLike) -> _Links:
    """The links, resources, element ids and dashboard rows (``tbody[data-stem]``) of a page."""
    parser = _Links()
    parser.feed(Path(page).read_text(encoding="utf-8"))
    return parser


def site_problems(site: str | os.PathLike, stems: Iterable[str]) -> list[str]:
    """What is wrong with the site in ``site`` (empty list: nothing).

    Args:
        site: the site's folder (with ``index.html``).
        stems: the notebooks that must each have a row on the dashboard.

    Returns:
        One line per problem: a local link or resource whose file is missing (or outside the
        site), a resource loaded from the network, a link to a missing ``#anchor`` of a page, a
        notebook without a dashboard row.
    """
    site = Path(site).resolve()
    problems: list[str] = []
    index = site / "index.html"
    if not index.is_file():
        return [f"{index}: missing (no dashboard)"]
    parsed = {p: links_of(p) for p in sorted(site.rglob("*.html"))}
    for page, links in parsed.items():
        name = page.relative_to(site).as_posix()
        for tag, attr, value in links.found:
            parts = urlsplit(value)
            if parts.scheme in ("data", "mailto", "javascript"):
                continue
            if parts.scheme or value.startswith("//"):
                if (tag, attr) in RESOURCE_TAGS:
                    problems.append(f"{name}: <{tag} {attr}={value!r}> loads from the network")
                continue
            if not parts.path:  # "#anchor" on the same page
                if parts.fragment and parts.fragment not in links.ids:
                    problems.append(f"{name}: <{tag} {attr}={value!r}>: no element with that id")
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if site not in target.parents and target != site:
                problems.append(f"{name}: <{tag} {attr}={value!r}> points outside the site")
            elif target.is_dir():
                if not (target / "index.html").is_file():
                    problems.append(f"{name}: <{tag} {attr}={value!r}>: a folder, no index.html")
            elif not target.is_file():
                problems.append(f"{name}: <{tag} {attr}={value!r}>: {target.name} does not exist")
            elif parts.fragment and target in parsed and parts.fragment not in parsed[target].ids:
                problems.append(f"{name}: <{tag} {attr}={value!r}>: no element with that id")
    rows = set(parsed[index.resolve()].stems)
    problems += [f"index.html: no dashboard row for notebook {s!r}" for s in stems
                 if s not in rows]
    return problems
