"""The verdict record of a claim check."""

from __future__ import annotations

import dataclasses
from typing import Any

__all__ = ["Verdict", "verdict"]


@dataclasses.dataclass(frozen=True)
class Verdict:
    """One claim, checked.

    Attributes:
        claim: the claim in words ("FSDS reorders the ranks at x4").
        passed: whether the measurement meets the threshold.
        measured: the measured value(s).
        threshold: what the value had to meet, in words or as a number (">= 0.9").
        paper: the paper's value, or None when the paper states the claim qualitatively.
        section: where the claim comes from ("Table 1", "Sec. 5.2, Fig. 9").
    """

    claim: str
    passed: bool
    measured: Any
    threshold: Any
    paper: Any = None
    section: str = ""

    def __str__(self) -> str:
        mark = "PASS" if self.passed else "FAIL"
        paper = f"; paper: {self.paper}" if self.paper is not None else ""
        return (
            f"[{mark}] {self.section}: {self.claim} -- measured {self.measured}, "
            f"needs {self.threshold}{paper}"
        )


def verdict(claim: str, passed: bool, measured: Any, threshold: Any, *, paper: Any = None,
            section: str = "") -> Verdict:
    """A :class:`Verdict` (``passed`` coerced to bool)."""
    return Verdict(claim, bool(passed), measured, threshold, paper, section)
