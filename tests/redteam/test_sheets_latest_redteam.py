"""The red-team sheet of functions written without parentheses next to other factors (``sheets/latest.md``).

Judged as ``test_sheets_redteam.py`` judges ``sheets/power.md``: a true step must never be ``refuted``, a false one
never ``proved`` or ``checked``, no step may be ``error``; ``unknown`` ("not read: ...") is allowed. Truths are a
mathematician's reading with the names of ``sheets/latest.notation.toml``: ``x``, ``u`` positive, ``t``, ``a``, ``b``
real; a function without parentheses takes the next factor with its power (``\\sin t^2`` is sin(t^2)) and stops at
the next function (``\\sin t \\cos t`` is sin(t) cos(t)).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from redteam.sheet_judge import sheet_run, wrong_verdicts

SHEET = Path(__file__).resolve().parent / "sheets" / "latest.md"

#: Claim id -> the truth of its only step, "true" or "false".
TRUTHS = {
    "q1.1": "true",    # sin(t) cos(t) = cos(t) sin(t): products commute.
    "q1.2": "false",   # sin(t) cos(t) = sin(t) fails at t = 1: 0.4546 != 0.8415 (plain SymPy evalf).
    "q1.3": "true",    # log(x^2) = 2 log x for x > 0.
    "q1.4": "false",   # log(x^2) = (log x)^2 fails at x = e: 2 != 1.
    "q1.5": "false",   # sin(t^2) = sin(t)^2 fails at t = 1: 0.8415 != 0.7081 (plain SymPy evalf).
    "q1.6": "false",   # exp(t^2) = exp(t)^2 fails at t = 1: e != e^2.
    "q1.7": "true",    # exp(a) exp(b) = exp(a + b).
    "q1.8": "true",    # log(x) log(u) = log(u) log(x): products commute.
    "q1.9": "true",    # sin a cos b + cos a sin b = sin(a + b): the addition formula.
    "q2.1": "false",   # sin(a) cos(b) = sin(a cos b) fails at a = b = 1: 0.4546 != sin(0.5403) = 0.5144.
    "q2.2": "true",    # (log x) u = u log x.
    "q2.3": "true",    # log(xu) = log x + log u for x, u > 0 (the sheet power.md reads "\\log xu" as log(xu)).
    "q2.4": "true",    # cos t sin t = sin(2t)/2 <= 1/2.
    "q2.5": "true",    # log(x^2 u) = log(x^2) + log(u) for x, u > 0.
}


@pytest.fixture(scope="module")
def sheet_report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The JSON report of the CLI on the sheet."""
    return sheet_run(SHEET, tmp_path_factory.mktemp("sheet"))


def test_every_answer_of_the_sheet_is_reported(sheet_report: dict) -> None:
    """One claim per answer heading, each with its steps."""
    assert sorted(c["id"] for c in sheet_report["claims"]) == sorted(TRUTHS)
    assert all(c["obligations"] for c in sheet_report["claims"])


def test_no_reading_changes_the_meaning(sheet_report: dict) -> None:
    """No true step refuted, no false step proved or checked, no step in error."""
    wrong = wrong_verdicts(sheet_report, TRUTHS)
    assert wrong == [], "\n".join(wrong)
