"""The engine with the solver: models as proposals (counterexamples and witnesses re-checked exactly), hypotheses
that are not linear, and an ``unknown`` that shows what is left. Truths by hand in the comments."""

from __future__ import annotations

from pathlib import Path

from search.test_engine import run


def test_a_solver_model_refutes_only_after_an_exact_check(tmp_path: Path) -> None:
    # x^2 + 2 = 3x fails at x = 0 (2 != 0); the point given is one where it fails: x^2 + 2 - 3x != 0 there.
    result = run(tmp_path, 'statement = "x^2 + 2 = 3*x"')
    (outcome,) = result.outcomes
    assert outcome.verdict == "refuted"
    from fractions import Fraction
    v = Fraction(outcome.counterexample["x"])     # a rational model: exact arithmetic with Fraction
    assert v * v + 2 != 3 * v


def test_an_exists_witness_can_be_irrational(tmp_path: Path) -> None:
    # x^2 = 2 has the witness sqrt(2) (or -sqrt(2)); no rational point is one.
    result = run(tmp_path, 'exists = "x^2 = 2"')
    (outcome,) = result.outcomes
    assert outcome.verdict == "proved" and outcome.method == "witness from a solver model, exact evaluation"


def test_a_sum_constraint_is_used(tmp_path: Path) -> None:
    # With sum_j v_j = 1 (j in 1..K): K * sum_j v_j / K = 1; without it the claim fails (K = 1, v_1 = 0).
    claim = 'assume = ["Sum(v[j], (j, 1, K)) = 1"]\nstatement = "Sum(v[j], (j, 1, K))^2 = 1"'
    assert run(tmp_path, claim).verdict == "proved"
    assert run(tmp_path, 'statement = "Sum(v[j], (j, 1, K))^2 = 1"').verdict == "refuted"


def test_unknown_shows_the_residual(tmp_path: Path) -> None:
    # asin(p/sqrt(1 + p^2)) = atan(p) is true for every real p (sin(atan p) = p/sqrt(1 + p^2), atan p in
    # (-pi/2, pi/2)), but asin through atan is outside the rules: unknown, and the message shows what is left.
    result = run(tmp_path, 'statement = "asin(p/sqrt(1 + p^2)) = atan(p)"')
    (outcome,) = result.outcomes
    assert outcome.verdict == "unknown"
    assert "left to show: asin(p/sqrt(p**2 + 1)) - atan(p) = 0" in outcome.message
