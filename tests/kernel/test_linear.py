"""Fourier-Motzkin implication (:mod:`verifier.kernel.linear`): tables of implications that hold and that do not.

``implies`` answers ``True`` only when the facts really imply the goal; ``False`` means "not shown", so every FALSE
row below is a goal that some point satisfying the facts violates (the point is given and re-checked).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from verifier.kernel import linear

k, m, n = sp.symbols("k m n", integer=True)
x, y = sp.symbols("x y", real=True)


def facts(*relations: sp.Basic) -> list[linear.Constraint]:
    """Relations ``a >= b``, ``a > b`` (or ``<=``, ``<``) as constraints."""
    out = []
    for r in relations:
        d = r.lhs - r.rhs if isinstance(r, (sp.Ge, sp.Gt)) else r.rhs - r.lhs
        c = linear.constraint(d, strict=isinstance(r, (sp.Gt, sp.Lt)))
        assert c is not None
        out.append(c)
    return out


GE, GT, LE, LT = (lambda a, b: sp.Ge(a, b, evaluate=False)), (lambda a, b: sp.Gt(a, b, evaluate=False)), \
    (lambda a, b: sp.Le(a, b, evaluate=False)), (lambda a, b: sp.Lt(a, b, evaluate=False))

# (facts, goal, strict): the facts imply goal >= 0 (goal > 0 when strict).
IMPLIED = [
    ([GE(k, 1)], k, False),
    ([GE(k, 1)], k, True),
    ([GE(k, 1)], k - 1, False),
    ([GT(k, 0)], k - 1, False),                    # integer tightening: k > 0 means k >= 1
    ([GT(2 * k, 1)], k - 1, False),                # 2k > 1 means k >= 1
    ([GE(2 * k, 1)], k - 1, False),                # 2k >= 1 means k >= 1 (rounded up)
    ([LT(k, n)], n - k - 1, False),                # k < n means k <= n - 1
    ([GE(k, 1), LE(k, n)], n - 1, False),          # eliminating k
    ([GE(k, 1), LE(k, n), LE(n, m)], m - k, False),
    ([GE(3 * k, 2), LE(3 * k, 4)], k - 1, False),  # 2/3 <= k <= 4/3 forces k = 1
    ([GE(3 * k, 2), LE(3 * k, 4)], 1 - k, False),
    ([GE(x, 1), GE(y, x)], y - 1, False),
    ([GT(x, 1), GE(y, x)], y - 1, True),           # strictness carried through a combination
    ([GE(x, 0), GE(y, 0)], x + y, False),
    ([], sp.Integer(0), False),
    ([], sp.Integer(1), True),
    ([GE(k, 3), LE(k, 2)], k + 100, True),         # contradictory facts imply anything
    ([GT(2 * k, 2), LT(2 * k, 4)], k + 100, True),  # 1 < k < 2 has no integer solution
]

# (facts, goal, strict, point): the point satisfies the facts and violates the goal.
NOT_IMPLIED = [
    ([GE(k, 0)], k, True, {k: 0}),
    ([GE(k, 0)], k - 1, False, {k: 0}),
    ([GE(x, 0)], x, True, {x: 0}),
    ([GT(x, 0)], x - 1, False, {x: sp.Rational(1, 2)}),   # no tightening for real x
    ([GT(2 * x, 1)], x - 1, False, {x: sp.Rational(3, 4)}),
    ([GE(k, 1), LE(k, n)], n - 2, False, {k: 1, n: 1}),
    ([GE(k, 1), LE(k, n)], n - k, True, {k: 1, n: 1}),
    ([GE(x, 1), GE(y, x)], y - 1, True, {x: 1, y: 1}),      # both facts non-strict: y = 1 allowed
    ([GE(k + x, 1)], k, False, {k: -1, x: 2}),
    ([], k, False, {k: -1}),
    ([GE(2 * k, 1)], k - 2, False, {k: 1}),
]


@pytest.mark.parametrize("rels, goal, strict", IMPLIED)
def test_implied(rels: list, goal: sp.Expr, strict: bool) -> None:
    assert linear.implies(facts(*rels), goal, strict=strict)


@pytest.mark.parametrize("rels, goal, strict, point", NOT_IMPLIED)
def test_not_implied(rels: list, goal: sp.Expr, strict: bool, point: dict) -> None:
    for r in rels:
        assert bool(r.xreplace(point)), "the witness point must satisfy the facts"
    value = goal.xreplace(point)
    assert (value <= 0) if strict else (value < 0), "the witness point must violate the goal"
    assert not linear.implies(facts(*rels), goal, strict=strict)


@pytest.mark.parametrize("expr", [k * n, k ** 2, sp.sqrt(2) * k, sp.Float(0.5) * k, sp.Indexed("v", 1), sp.pi + k,
                                  sp.oo + k])
def test_non_linear_is_never_a_fact_nor_a_goal(expr: sp.Expr) -> None:
    assert linear.constraint(expr) is None
    assert not linear.implies(facts(GE(k, 1)), expr)


def test_tightening_keeps_every_integer_solution() -> None:
    # 2k + 4n >= 3 over integers is k + 2n >= 2 (3/2 rounded up); k = 2, n = 0 is still a solution.
    c = linear.constraint(2 * k + 4 * n - 3)
    assert c is not None and c.coeff(k) == 1 and c.coeff(n) == 2 and c.const == -2 and not c.strict
    # For reals nothing is rounded.
    r = linear.constraint(2 * x - 3, strict=True)
    assert r is not None and r.coeff(x) == 2 and r.const == -3 and r.strict
    # Mixed integer and real variables: not tightened either.
    mixed = linear.constraint(2 * k + x - 1, strict=True)
    assert mixed is not None and mixed.strict and mixed.const == -1


def test_linear_form_reads_rationals_exactly() -> None:
    form = linear.linear_form(k / 3 - 2 * n + sp.Rational(5, 7))
    assert form == ({k: Fraction(1, 3), n: Fraction(-2)}, Fraction(5, 7))


def test_too_many_constraints_means_not_shown() -> None:
    vs = sp.symbols("v0:12", integer=True)
    many = facts(*[GE(a, b) for a in vs for b in vs if a != b])
    assert not linear.infeasible(many)   # feasible (all equal); and elimination must stop, never claim infeasible


def test_answers_kept_for_a_process_tell_names_apart_by_their_assumptions() -> None:
    # The constraint and the implication are computed once per process for equal arguments. An integer k and a
    # real k print alike but are different names: for the integer, 2k - 1 > 0 tightens to k >= 1 (so k >= 1 is
    # implied); for the real, k = 0.6 satisfies 2k - 1 > 0 and violates k >= 1 (by hand: 0.2 > 0, -0.4 < 0).
    real_k = sp.Symbol("k", real=True)
    assert linear.implies(facts(sp.Gt(2 * k - 1, 0)), k - 1)
    assert not linear.implies(facts(sp.Gt(2 * real_k - 1, 0)), real_k - 1)
    assert linear.implies(facts(sp.Gt(2 * k - 1, 0)), k - 1)    # asked again, after the real one
    assert linear.constraint(2 * real_k - 1, strict=True) != linear.constraint(2 * k - 1, strict=True)
