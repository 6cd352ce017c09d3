"""Judging verdicts against truths, the truth of a derivative at a point, and a short run end to end."""

from __future__ import annotations

import re

import pytest

from fuzz.grammar import Generated
from fuzz.judge import _at_point, judge, run


def report(verdict: str, message: str | None = None) -> dict:
    return {"verdict": verdict, "obligations": [{"verdict": verdict, "text": "lhs = rhs", "message": message}]}


def made(truth: bool | None, template: str = "identity") -> Generated:
    return Generated("t.1", {"statement": "x = x"}, truth, template)


@pytest.mark.parametrize(("truth", "verdict", "disagrees"), [
    (True, "proved", False), (True, "checked", False), (True, "unknown", False), (True, "refuted", True),
    (False, "refuted", False), (False, "unknown", False), (False, "proved", True), (False, "checked", True),
    (None, "proved", False), (None, "refuted", False),
])
def test_verdict_against_truth(truth: bool | None, verdict: str, disagrees: bool) -> None:
    assert (judge(made(truth), report(verdict), truth, "why") is not None) is disagrees


def test_withheld_verdicts_and_errors_are_findings() -> None:
    found = judge(made(True), report("unknown", "internal disagreement: at x = 0 ..."), True, "")
    assert found is not None and "cross-check" in found.why
    assert judge(made(True), report("error", "diff: _x is an integer"), True, "") is not None
    # A claim true by construction that the evaluator finds false: the construction or the evaluator is wrong.
    assert judge(made(True), report("refuted"), False, "at n = 2") is not None


@pytest.mark.parametrize(("keys", "truth"), [
    # relu'(0) does not exist: the statement's left side is undefined there, so it claims nothing (holds) ...
    ({"statement": "diff(relu(x), x) = 5", "where": {"x": "0"}}, True),
    # ... but with the sides swapped, the left side 5 is defined and the right one is not: false.
    ({"statement": "5 = diff(relu(x), x)", "where": {"x": "0"}}, False),
    # Huber is differentiable at its joint 1 with slope 1; its second derivative is not (0 on the left, ... 1).
    ({"statement": "diff(huber(x), x) = 1", "where": {"x": "1"}}, True),
    ({"statement": "1 = diff(huber(x), x, 2)", "where": {"x": "1"}}, False),
    # No witness at x = 0 for relu' = 0; at x = -2 relu' is 0.
    ({"exists": "diff(relu(x), x) = 0", "assume": ["x = 0"]}, False),
    ({"exists": "diff(relu(x), x) = 0", "assume": ["x = -2"]}, True),
    # The step function jumps at 0.
    ({"statement": "0 = diff(step(x), x)", "assume": ["x = 0"]}, False),
])
def test_derivatives_at_a_point(keys: dict, truth: bool) -> None:
    assert _at_point(Generated("k", keys, None, "kink"))[0] is truth


def test_a_short_run_reproduces() -> None:
    first = run(6, seed=11, jobs=1)
    again = run(6, seed=11, jobs=1)
    assert re.fullmatch(r"fuzz: 6 claims, \d+ disagreements, \d+ undecided", first.line())
    assert first.line() == again.line()
