"""The red-team sheet: LaTeX whose reading could silently change its meaning (``sheets/power.md``).

The CLI reads the sheet with its notation table (``sheets/power.notation.toml``, found beside it) and each step's
verdict is judged against its truth, established by hand and written below: a true step must never be ``refuted``,
a false one never ``proved`` or ``checked``, and no step may be ``error``. A step the reader cannot read with
certainty is ``unknown`` ("not read: ..."), which is allowed: a guess that changes the meaning is not.

Truths are those of a mathematician reading the sheet, with the names the notation table gives:
``x`` and ``u`` positive,
``t``, ``a``, ``b`` real, ``y`` in {0, 1}, ``v`` an indexed real family, ``\\sum_j`` over 1..K, and in question 8
the letter ``e`` declared as the real ``a`` (not Euler's number).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from redteam.sheet_judge import sheet_run, wrong_verdicts

SHEET = Path(__file__).resolve().parent / "sheets" / "power.md"

#: Claim id -> the truth of its only step, "true" or "false".
TRUTHS = {
    "q1.1": "true",    # log_2 8 = 3: 2^3 = 8.
    "q1.2": "true",    # log_10 100 = 2: 10^2 = 100.
    "q1.3": "true",    # y(1 - y) = 0 for y in {0, 1}: 0*1 = 1*0 = 0.
    "q1.4": "true",    # (sum_j v_j) + 1 = 1 + sum_{j=1}^K v_j: the body of a sum is one term.
    "q1.5": "true",    # -t^2 <= 0: the minus applies to t^2 >= 0.
    "q1.6": "true",    # 2^(3^2) = 2^9 = 512: powers associate to the right.
    "q1.7": "true",    # exp(t^2) >= exp(0) = 1.
    "q1.8": "true",    # log(2x) = log 2 + log x for x > 0: "\log 2x" is read as log(2x) by every textbook.
    "q1.9": "true",    # h^1_1 w^2_1 = w^2_1 h^1_1: superscripts are layer labels (patterns), products commute.
    "q2.1": "true",    # (v_1)^2 >= 0.
    "q2.2": "true",    # log(1/x) = -log x for x > 0.
    "q2.3": "true",    # x/2 + x/2 = x.
    "q2.4": "true",    # sigma'(t) = sigma(t)(1 - sigma(t)): the logistic derivative, e^-t/(1 + e^-t)^2.
    "q2.5": "true",    # sin^2 t + cos^2 t = 1.
    "q2.6": "true",    # sum_j v_j^2 >= 0: a sum of squares.
    "q2.7": "true",    # max(a, b) >= a.
    "q2.8": "true",    # |t|^2 = t^2.
    "q2.9": "true",    # log(x^2) = 2 log x for x > 0.
    "q3.1": "true",    # e^(ln x) = x for x > 0.
    "q3.2": "false",   # a/(2b) = (a/2) b fails at a = 1, b = 2: 1/4 != 1.
    "q3.3": "true",    # sigma(0) = 1/(1 + e^0) = 1/2.
    "q3.4": "false",   # (log x)^2 = 2 log x fails at x = e: 1 != 2 (and at x = 2: 0.480 != 1.386).
    "q3.5": "true",    # exp(t)^2 = exp(2t).
    "q3.6": "true",    # cube root of 8 is 2.
    "q3.7": "true",    # f(1 - f) = f - f^2: f is an abbreviation (a number), not a function.
    "q3.8": "true",    # w^2_1 and w_1^2 are the same entry of layer 2.
    "q3.9": "true",    # (a/x)/2 = a/(2x): division associates to the left.
    "q4.1": "true",    # 1/10 + 2/10 = 3/10 exactly.
    "q4.2": "true",    # d/dt t^2 = 2t.
    "q4.3": "true",    # log x + 1 = log(x) + 1.
    "q4.4": "true",    # x^-1 = 1/x for x > 0.
    "q5.1": "true",    # log(xu) = log x + log u for x, u > 0: "\\log xu" is log(xu), as "\\log 2x" (q1.8).
    "q5.2": "true",    # -(2^2) = -4: the minus applies to the power.
    "q5.3": "true",    # (sqrt t)^2 = t where sqrt t is defined (t >= 0); nothing is claimed for t < 0.
    "q5.4": "true",    # v_1 v_2 = v_2 v_1.
    "q5.5": "true",    # (a/2) b = ab/2.
    "q5.6": "true",    # |t| |t| = t^2.
    "q5.7": "false",   # max(a, b)^2 >= a^2 fails at a = -2, b = 1: 1 < 4.
    "q5.8": "true",    # |a - |b|| <= |a| + |b| by the triangle inequality.
    "q5.9": "true",    # (v^2)_1 = v_1^2 = v_1 v_1, whichever way the superscript is read.
    "q8.1": "true",    # e^2 = e*e with e the real a.
    "q8.2": "false",   # e^(log 2) = 2 with e the real a fails at a = 1: 1 != 2.
}


@pytest.fixture(scope="module")
def sheet_report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The JSON report of the CLI on the red-team sheet."""
    return sheet_run(SHEET, tmp_path_factory.mktemp("sheet"))


def test_every_answer_of_the_sheet_is_reported(sheet_report: dict) -> None:
    """One claim per answer heading, each with its steps."""
    assert sorted(c["id"] for c in sheet_report["claims"]) == sorted(TRUTHS)
    assert all(c["obligations"] for c in sheet_report["claims"])


def test_no_reading_changes_the_meaning(sheet_report: dict) -> None:
    """No true step refuted, no false step proved or checked, no step in error."""
    wrong = wrong_verdicts(sheet_report, TRUTHS)
    assert wrong == [], "\n".join(wrong)
