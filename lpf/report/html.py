"""Small HTML pieces of the report: escaping, inline Markdown, tables, JSON as tables, the page.

Everything the site shows goes through :func:`esc` (or :func:`md_inline`, which escapes first), so
a value in a JSON cannot inject markup. The site is static and self-contained: one style sheet
(:data:`SITE_CSS`) and one script (:data:`SORT_JS`, sortable tables), no external resource.

Examples:
    >>> md_inline("**not** `a<b`")
    '<strong>not</strong> <code>a&lt;b</code>'
    >>> "<table" in json_html({"a": 1, "b": {"c": [1, 2]}})
    True
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["SITE_CSS", "SORT_JS", "esc", "json_html", "md_inline", "page", "table"]

#: lists longer than this are summarised (count, min, max) with the values in a <details>
LIST_INLINE = 12
#: nesting depth below which a JSON value is shown as indented JSON text
MAX_DEPTH = 4


def esc(value: Any) -> str:
    """HTML-escaped ``str(value)`` (quotes too)."""
    return html.escape(str(value), quote=True)


_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def md_inline(text: str) -> str:
    """The inline Markdown of the figure index (``code``, **bold**) as HTML, escaped."""
    parts = _CODE.split(text)  # odd indices: code spans
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(f"<code>{esc(part)}</code>")
        else:
            out.append(_BOLD.sub(r"<strong>\1</strong>", esc(part)))
    return "".join(out)


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}" if math.isfinite(value) else str(value)
    return str(value)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], *, sortable: bool = True,
          cls: str = "") -> str:
    """An HTML table; ``header`` is escaped, ``rows`` hold HTML (escape them before)."""
    classes = " ".join(c for c in ("sortable" if sortable else "", cls) if c)
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (f'<table class="{classes}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def _scalar_html(value: Any) -> str:
    if value is None:
        return '<span class="muted">null</span>'
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<span class="num">{esc(_number(value))}</span>'
    return esc(_number(value))


def _list_html(values: list, depth: int) -> str:
    if all(_is_scalar(v) for v in values):
        text = ", ".join(_scalar_html(v) for v in values)
        if len(values) <= LIST_INLINE:
            return f"[{text}]"
        nums = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)
                and math.isfinite(v)]
        summary = f"{len(values)} values"
        if nums:
            summary += f", min {_number(min(nums))}, max {_number(max(nums))}"
        return f"<details><summary>{esc(summary)}</summary>[{text}]</details>"
    if all(isinstance(v, Mapping) and all(_is_scalar(x) for x in v.values()) for v in values):
        cols = list(dict.fromkeys(k for v in values for k in v))
        rows = [[_scalar_html(v.get(c, "")) for c in cols] for v in values]
        return table(["#", *cols], [[str(i), *r] for i, r in enumerate(rows)])
    return "<ol start=\"0\">" + "".join(f"<li>{_value_html(v, depth + 1)}</li>"
                                      for v in values) + "</ol>"


def _records(value: Mapping) -> bool:
    """An object of objects of scalars with at least two rows (a matrix table)."""
    return len(value) >= 2 and all(
        isinstance(v, Mapping) and v and all(_is_scalar(x) for x in v.values())
        for v in value.values())


def _value_html(value: Any, depth: int) -> str:
    if _is_scalar(value):
        return _scalar_html(value)
    if depth >= MAX_DEPTH:
        return f"<pre>{esc(json.dumps(value, indent=1)[:4000])}</pre>"
    if isinstance(value, list):
        return _list_html(value, depth)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        if _records(value):
            cols = list(dict.fromkeys(k for v in value.values() for k in v))
            rows = [[esc(k), *(_scalar_html(v.get(c, "")) for c in cols)]
                    for k, v in value.items()]
            return table(["", *cols], rows)
        rows = [[f"<code>{esc(k)}</code>", _value_html(v, depth + 1)] for k, v in value.items()]
        return table(["key", "value"], rows, sortable=False, cls="kv")
    return esc(value)


def json_html(data: Mapping[str, Any]) -> str:
    """A study's JSON as HTML tables: its scalars in one table, then one section per other key."""
    scalars = {k: v for k, v in data.items() if _is_scalar(v)}
    parts = []
    if scalars:
        rows = [[f"<code>{esc(k)}</code>", _scalar_html(v)] for k, v in scalars.items()]
        parts.append(table(["key", "value"], rows, sortable=False, cls="kv"))
    for key, value in data.items():
        if key in scalars:
            continue
        parts.append(f'<h3 id="json-{esc(key)}"><code>{esc(key)}</code></h3>')
        parts.append(f'<div class="scroll">{_value_html(value, 1)}</div>')
    return "\n".join(parts)


def page(title: str, body: str, *, root: str = "", active: str = "") -> str:
    """A whole page of the site: head (local CSS/JS, no network), navigation, ``body``.

    Args:
        title: the page title (escaped).
        body: the page's HTML.
        root: the relative path from the page to the site root ("" or "../").
        active: the navigation entry to highlight ("index", "tables", "models", "about").
    """
    nav = [("index", "index.html", "Dashboard"), ("tables", "tables.html", "Tables 1, 4-5"),
           ("models", "models.html", "Model zoo"), ("about", "about.html", "About")]
    links = " ".join(
        f'<a href="{root}{href}"{" class=active" if key == active else ""}>{label}</a>'
        for key, href, label in nav)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} - lpf-kit report</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{root}static/site.css">
<script src="{root}static/sort.js" defer></script>
</head>
<body>
<header><span class="brand">lpf-kit report</span><nav>{links}</nav></header>
<main>
{body}
</main>
<footer>Generated by <code>lpf report</code> from the outputs of <code>make figures</code>;
nothing here is recomputed.</footer>
</body>
</html>
"""


SITE_CSS = """
:root { --fg: #1d2125; --muted: #667; --line: #d8dce0; --bg-alt: #f5f7f9; --link: #0b57b0;
        --holds: #1e7b34; --partly: #9a6700; --fails: #b42318; --na: #555f6d; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--fg); }
header { display: flex; gap: 2em; align-items: baseline; padding: .7em 1.5em;
         border-bottom: 1px solid var(--line); background: var(--bg-alt); }
header .brand { font-weight: 600; }
nav a { margin-right: 1.2em; color: var(--link); text-decoration: none; }
nav a.active { font-weight: 600; text-decoration: underline; }
main { padding: 1em 1.5em 2em; max-width: 1500px; }
footer { padding: 1em 1.5em; color: var(--muted); border-top: 1px solid var(--line);
         font-size: 13px; }
a { color: var(--link); }
code { font: 13px/1.3 ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--bg-alt);
       padding: 0 .2em; border-radius: 3px; }
pre { background: var(--bg-alt); padding: .6em; overflow: auto; font-size: 12px; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: .3em .5em; vertical-align: top;
         text-align: left; }
th { background: var(--bg-alt); }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th[aria-sort=ascending]::after { content: " \\25B2"; font-size: 10px; }
table.sortable th[aria-sort=descending]::after { content: " \\25BC"; font-size: 10px; }
td .num, td.num { font-variant-numeric: tabular-nums; }
.muted { color: var(--muted); }
.scroll { overflow-x: auto; }
.badge { display: inline-block; padding: .05em .55em; border-radius: 1em; color: #fff;
         font-size: 13px; white-space: nowrap; }
.badge.holds { background: var(--holds); }
.badge.partly { background: var(--partly); }
.badge.does-not-hold, .badge.check-error { background: var(--fails); }
.badge.not-computable-offline, .badge.not-built { background: var(--na); }
.summary .badge { margin-right: .6em; }
table.dashboard { width: 100%; }
table.dashboard tbody { border-top: 3px solid #aab; }
table.dashboard td.figure { width: 230px; }
table.dashboard td.figure img { width: 210px; height: auto; display: block;
                                border: 1px solid var(--line); margin-bottom: .3em; }
table.dashboard td.value { max-width: 300px; font-size: 13px; overflow-wrap: anywhere; }
table.dashboard tr.finding td { background: #fbfbf4; font-size: 13px; }
table.dashboard td.networks { font-size: 13px; width: 220px; }
ul.networks { margin: 0; padding-left: 1.1em; }
.kind-kit { color: var(--partly); }
.kind-paper { color: var(--holds); font-weight: 600; }
.kind-missing { color: var(--fails); }
.banner { padding: .6em 1em; border-left: 4px solid var(--partly); background: #fff8e6;
          margin: 1em 0; }
figure.main img { max-width: 100%; height: auto; border: 1px solid var(--line); }
.caption { max-width: 1000px; }
iframe.notebook { width: 100%; height: 80vh; border: 1px solid var(--line); }
.pager { display: flex; justify-content: space-between; margin: 1em 0; }
table.kv td:first-child { white-space: nowrap; }
.caption a.anchor-link { display: none; }
.caption h1 { font-size: 1.35em; }
"""

SORT_JS = """
// Sortable tables: click a header to sort by that column (numbers as numbers), again to reverse.
(function () {
  function key(cell) {
    var text = (cell ? cell.textContent : "").trim();
    var num = parseFloat(text.replace(/[^0-9eE+.\\-]/g, ""));
    return /^[-+]?[0-9.]/.test(text) && !isNaN(num) ? num : text.toLowerCase();
  }
  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = th.getAttribute("aria-sort") !== "ascending";
    rows.sort(function (a, b) {
      var x = key(a.cells[col]), y = key(b.cells[col]);
      if (typeof x !== typeof y) { x = String(x); y = String(y); }
      return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(th.parentNode.cells, function (c) {
      c.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      if (!table.tHead || !table.tBodies.length) { return; }
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
        th.addEventListener("click", function () { sortBy(table, col, th); });
      });
    });
  });
})();
"""
