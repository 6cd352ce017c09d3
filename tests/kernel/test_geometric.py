"""Geometric sums in closed form (kernel/geometric.py), with the ratio-1 case confirmed separately. Truths by hand."""

from __future__ import annotations

import sympy as sp

from verifier.kernel.facts import Facts
from verifier.kernel.identity import confirm_identity

beta = sp.Symbol("beta", real=True)
n = sp.Symbol("n", integer=True, positive=True)
j = sp.Symbol("j", integer=True)
FACTS = Facts().add(sp.Ge(n, 1, evaluate=False))  # unevaluated: SymPy folds n >= 1 to True


def test_momentum_as_a_geometric_sum() -> None:
    # (1 - beta) sum_{j=0}^{n-1} beta^j = 1 - beta^n (telescoping; at beta = 1 both sides are 0).
    lhs = (1 - beta) * sp.Sum(beta**j, (j, 0, n - 1))
    found = confirm_identity(lhs, 1 - beta**n, FACTS)
    assert found is not None and "geometric" in found.method
    # Off by one: at n = 1, beta = 2: -1 != 1 - 4.
    assert confirm_identity(lhs, 1 - beta ** (n + 1), FACTS) is None


def test_the_closed_form_is_not_claimed_at_ratio_one() -> None:
    # sum_{j=1}^{n} beta^j = (beta - beta^(n+1))/(1 - beta) fails at beta = 1: the left side is n, the right side
    # is undefined there. Not proved.
    assert confirm_identity(sp.Sum(beta**j, (j, 1, n)), (beta - beta ** (n + 1)) / (1 - beta), FACTS) is None
