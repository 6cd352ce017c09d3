"""Tests of verifier.kernel.evaluation: a relation at a point, decided exactly or by a rigorous enclosure; every point
that is not allowed (violates a hypothesis or a declaration, or gives a value to something that is not a name) is
rejected outright.
"""

from __future__ import annotations

import pytest
import sympy as sp
from kernel.test_rules import FAMILIES, GE, LE, NE, K, N, g, i, k, make_facts, p, sigma, v, x, y, z

from verifier.kernel import evaluation
from verifier.kernel.facts import Facts

R = sp.Rational
j = sp.Dummy("j", integer=True)


# -- confirm_at_point --------------------------------------------------------------------------------------------


def at(rel: tuple, point: dict, hyps: list | None = None, facts: Facts | None = None) -> evaluation.PointCheck | None:
    point = {key: sp.sympify(val) for key, val in point.items()}
    return evaluation.confirm_at_point(rel, hyps or [], point, facts if facts is not None else Facts())


def test_counterexample_and_witness() -> None:
    check = at((x ** 2, "=", x), {x: 2})
    assert check is not None and not check.holds and (check.lhs, check.rhs) == (4, 2)
    check = at((x ** 2 - 2 * x, "<", 0), {x: 1})
    assert check is not None and check.holds
    check = at((sp.log(8), "=", 3 * sp.log(2)), {})      # exact: expand writes log(8) as 3*log(2)
    assert check is not None and check.holds
    check = at((sp.log(1 + sp.exp(x)) - x, "<=", 0), {x: 300})
    assert check is not None and not check.holds


@pytest.mark.parametrize("rel, point", [
    ((sp.exp(-x), "=", 0), {x: 50}),                          # tiny, not 0
    ((sp.log(1 + sp.exp(x)), "=", x), {x: 300}),              # ~5e-131 apart: low-precision evalf says equal
    ((sp.sqrt(x ** 2), "=", x), {x: -1}),                     # branch: |x|, not x
    ((sp.Limit(sigma(z), z, sp.oo), "=", sigma(z)), {z: 0}),  # the limit's z is bound: 1 vs 1/2
])
def test_rigorous_counterexamples(rel: tuple, point: dict) -> None:
    check = at(rel, point)
    assert check is not None and not check.holds


@pytest.mark.parametrize("rel, point", [
    ((sp.sin(x) ** 2 + sp.cos(x) ** 2, "=", 1), {x: R(1, 3)}),   # exactly equal, but no exact evaluation shows it
    ((sp.sin(x) ** 2 + sp.cos(x) ** 2, "!=", 1), {x: R(1, 3)}),
])
def test_undecidable_at_a_point_is_none(rel: tuple, point: dict) -> None:
    assert at(rel, point) is None


ALLOWED_NOT = [
    # (relation, hypotheses, point): the relation fails at the point, but the point is not allowed
    ((x, "<", 0), [sp.Gt(x, 0)], {x: -1}),                    # violates a hypothesis
    ((sp.sqrt(p ** 2), "=", p), [], {p: -1}),                 # violates "positive"
    ((sp.sqrt(p ** 2), "=", p), [], {p: 0}),
    ((2 * k, "=", 1), [], {k: R(1, 2)}),                       # an integer given a fraction
    ((x ** 2, ">=", 0), [], {x: sp.I}),                        # a real given a complex value
    ((x ** 2, ">=", 0), [], {x: sp.sqrt(-2)}),
    ((x, "=", x + 1), [], {x: sp.Float(0.5)}),                 # a float is not exact
    ((sp.exp(x), ">", 0), [], {sp.exp(x): -1}),                # a value for exp(x), not for x
    ((x + y, "=", 0), [], {x: 1}),                             # y has no value
    ((v[k], "=", 1), [], {k: 1, v[1]: x}),                     # a value that is not a number
    ((x, "=", 1), [], {x: sp.oo}),
]


@pytest.mark.parametrize("rel, hyps, point", ALLOWED_NOT)
def test_points_that_are_not_allowed_are_rejected(rel: tuple, hyps: list, point: dict) -> None:
    assert at(rel, point, hyps) is None


def test_plain_python_numbers_are_exact() -> None:
    from fractions import Fraction
    check = evaluation.confirm_at_point((x + 1, "=", x), [], {x: 0}, Facts())
    assert check is not None and not check.holds
    check = evaluation.confirm_at_point((2 * x, "=", 1), [], {x: Fraction(1, 2)}, Facts())
    assert check is not None and check.holds
    assert evaluation.confirm_at_point((x, "=", 1), [], {x: 0.5}, Facts()) is None     # a float is not exact


def test_a_point_must_satisfy_the_facts_themselves() -> None:
    """The facts are what the normal form relied on; a point that breaks them is not a counterexample even when the
    caller forgot the matching hypothesis."""
    facts = make_facts(GE(k, 1), LE(k, K), NE(i, k))
    rel = (sp.Sum(v[j] * sp.KroneckerDelta(j, k), (j, 1, K)), "=", v[k])
    assert at(rel, {K: 1, k: 2, v[2]: 1}, facts=facts) is None           # k > K
    assert at((sp.KroneckerDelta(i, k), "=", 0), {i: 1, k: 1, K: 1}, facts=facts) is None   # i = k
    assert at(rel, {K: 2, k: 2, v[1]: 1, v[2]: 1}, facts=facts, hyps=[]) is None             # i has no value
    check = at(rel, {K: 2, k: 2, i: 1, v[1]: 1, v[2]: 1}, facts=facts)
    assert check is not None and check.holds


def test_zero_outside_entries_are_zero_at_a_point() -> None:
    facts = make_facts(families=FAMILIES)
    check = at((g[N + 1], "=", 1), {N: 2, g[3]: 5}, facts=facts)
    assert check is not None and not check.holds and check.lhs == 0


def test_substitute_keeps_bound_variables() -> None:
    lim = sp.Limit(sigma(z), z, sp.oo)
    assert evaluation.substitute(lim, {z: 0}) == lim
    s = sp.Sum(v[j] * z, (j, 1, K))
    assert evaluation.substitute(s, {z: 2, K: 3}) == sp.Sum(2 * v[j], (j, 1, 3))
