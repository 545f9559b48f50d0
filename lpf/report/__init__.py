"""The report: the reproduction as a static web site, and the README's figure index.

``make report`` (``lpf report``) builds ``build/site`` from what ``make figures`` produced
(:func:`build_site`); ``make readme`` (``lpf report --readme``) rewrites the README's figure
index from ``lpf/studies/figures.json`` (:func:`update_readme`), the one data file that the
README and the site's dashboard share. Modules: :mod:`~lpf.report.index` (the figure index),
:mod:`~lpf.report.status` (verdicts and networks of a figure), :mod:`~lpf.report.notebook`
(nbconvert, offline), :mod:`~lpf.report.html` (HTML pieces), :mod:`~lpf.report.site` (the
pages), :mod:`~lpf.report.check` (the static link check).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from lpf._paths import repo_root
from lpf.report.check import site_problems
from lpf.report.index import (
    FIGURES_FILE,
    FigureEntry,
    FigureIndexError,
    load_figures,
    readme_block,
    readme_problems,
    update_readme,
)
from lpf.report.site import FigureReport, SiteError, build_site, notebook_stems
from lpf.report.status import figure_status, networks_of, verdict_status

__all__ = [
    "FIGURES_FILE",
    "FigureEntry",
    "FigureIndexError",
    "FigureReport",
    "SiteError",
    "add_report_parser",
    "build_site",
    "figure_status",
    "load_figures",
    "networks_of",
    "notebook_stems",
    "readme_block",
    "readme_problems",
    "run_report",
    "site_problems",
    "update_readme",
    "verdict_status",
]


def add_report_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``report`` sub-command to ``subparsers`` (of ``argparse``); return its parser."""
    p = subparsers.add_parser(
        "report",
        help="build the report site (build/site) from the outputs of make figures",
        description="Build a static site from figures/ and build/notebooks/ (what `make "
                    "figures` wrote): a dashboard of every figure's claims and verdicts, one "
                    "page per figure, Tables 1/4-5, the model zoo. Offline; nothing is "
                    "recomputed. With --readme: rewrite the README's figure index from "
                    "lpf/studies/figures.json instead.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  lpf report\n  lpf report --figures figures --out build/site\n"
               "  lpf report --readme",
    )
    p.add_argument("--out", type=Path, default=Path("build/site"), help="site folder")
    p.add_argument("--figures", type=Path, default=Path("figures"),
                   help="folder of <stem>.png/.pdf/.json (default figures)")
    p.add_argument("--executed", type=Path, default=Path("build/notebooks"),
                   help="folder of the executed notebooks (default build/notebooks)")
    p.add_argument("--notebooks", type=Path, default=Path("notebooks"),
                   help="folder of the source notebooks (default notebooks)")
    p.add_argument("--readme", nargs="?", const=True, default=None, metavar="README",
                   help="rewrite the figure index of README (default: the checkout's README.md) "
                        "and exit")
    return p


def run_report(args: argparse.Namespace) -> int:
    """Run ``lpf report`` with parsed ``args``; return the exit status."""
    if args.readme is not None:
        readme = Path(args.readme) if args.readme is not True else (
            (repo_root() or Path.cwd()) / "README.md")
        changed = update_readme(readme)
        print(f"{readme}: figure index {'rewritten' if changed else 'already up to date'}")
        return 0
    start = time.perf_counter()
    reports = build_site(args.out, figures_dir=args.figures, executed_dir=args.executed,
                         notebooks_dir=args.notebooks,
                         warn=lambda m: print(f"lpf report: {m}"))
    counts: dict[str, int] = {}
    for r in reports:
        counts[r.status] = counts.get(r.status, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())
    print(f"{args.out}/index.html: {len(reports)} notebooks ({summary}) in "
          f"{time.perf_counter() - start:.1f} s")
    return 0
