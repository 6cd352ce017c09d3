"""Conditions decided beyond the linear facts (verifier.kernel.conditions): sums matched up to their index's name, and
Piecewise conditions settled by a decision procedure. Each truth by hand beside it."""

from __future__ import annotations

import sympy as sp

from verifier.kernel import conditions
from verifier.kernel.facts import Facts

x, z = sp.symbols("x z", real=True)
n = sp.Symbol("n", integer=True, positive=True)
i, j = sp.Dummy("i", integer=True), sp.Dummy("j", integer=True)
w = sp.IndexedBase("w", real=True)


def test_sums_equal_up_to_their_index_name() -> None:
    assert conditions.alpha_equal(sp.Sum(w[i] ** 2, (i, 1, n)), sp.Sum(w[j] ** 2, (j, 1, n)))
    # other bounds, or another summand: not the same sum
    assert not conditions.alpha_equal(sp.Sum(w[i] ** 2, (i, 1, n)), sp.Sum(w[j] ** 2, (j, 2, n)))
    assert not conditions.alpha_equal(sp.Sum(w[i] ** 2, (i, 1, n)), sp.Sum(w[j], (j, 1, n)))


def test_a_condition_is_renamed_to_the_sum_of_a_known_one() -> None:
    have = sp.Gt(sp.Sum(w[j] ** 2, (j, 1, n)), 0)
    need = sp.Gt(sp.Sum(w[i] ** 2, (i, 1, n)), 0)
    assert conditions.renamed_like(need, Facts(), (have,)) == have


def decide_x_positive(r: sp.Basic) -> bool | None:
    """Decides x > 0 as true (a hypothesis), nothing else."""
    return True if r == sp.Gt(x, 0) else None


def test_decided_conditions_are_replaced_by_their_truth() -> None:
    pw = sp.Piecewise((1, x > 0), (2, True))
    assert conditions.settled(pw, decide_x_positive) == 1
    # undecided: unchanged
    assert conditions.settled(sp.Piecewise((1, z > 0), (2, True)), decide_x_positive) == \
        sp.Piecewise((1, z > 0), (2, True))


def test_a_variable_bound_by_a_limit_is_not_the_free_name() -> None:
    # Inside Limit(..., x, oo) the x of "x > 0" is the limit's variable: a fact on the free x says nothing of it.
    lim = sp.Limit(sp.Piecewise((1, x > 0), (0, True)), x, sp.oo)
    assert conditions.settled(lim + 1, decide_x_positive) == lim + 1
