"""The paper's claims as checks that can fail: one function per figure/table.

Each check takes a study's result (or its JSON, as written next to the figure) and returns a list
of :class:`Verdict`: what was measured, the threshold it had to meet, the paper's own value and the
section it comes from. ``make test`` runs every notebook in the smoke profile and asserts that
every verdict passed; ``tests/test_claims_*.py`` feed each check a falsifying input (a negative
test) and assert that it fails.

Modules: :mod:`~lpf.studies.claims.signal` (Figs. 2, 5-8, 11-13, 17, 18),
:mod:`~lpf.studies.claims.impulse` (Figs. 1, 9, 10, 15, 16), :mod:`~lpf.studies.claims.hyra`
(Figs. 4, 14, 19), :mod:`~lpf.studies.claims.tables` (Tables 1, 4-5, ext01),
:mod:`~lpf.studies.claims.losses` (ext04),
:mod:`~lpf.studies.claims.audit` (ext03).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lpf.studies.claims import audit, hyra, impulse, local, losses, signal, tables
from lpf.studies.claims._verdict import Verdict, verdict

__all__ = ["CLAIMS", "Verdict", "check", "failed", "verdict"]

#: notebook stem -> claim check of its result/JSON.
CLAIMS: dict[str, Callable[[Mapping[str, Any]], list[Verdict]]] = {
    **signal.CLAIMS, **impulse.CLAIMS, **hyra.CLAIMS, **tables.CLAIMS, **local.CLAIMS,
    **losses.CLAIMS, **audit.CLAIMS,
}


def check(stem: str, result: Any) -> list[Verdict]:
    """Every verdict of the figure/table ``stem`` on ``result`` (a study result or its JSON)."""
    if stem not in CLAIMS:
        raise KeyError(f"no claim check for {stem!r}; known: {sorted(CLAIMS)}")
    return CLAIMS[stem](result.to_json() if hasattr(result, "to_json") else result)


def failed(verdicts: list[Verdict]) -> list[Verdict]:
    """The verdicts that did not pass."""
    return [v for v in verdicts if not v.passed]
