"""Max and Min split into cases: each case's conditions say which argument is the largest (smallest), by hand."""

from __future__ import annotations

import sympy as sp

from verifier.kernel.cases import MAX_CASES, max_cases

x, y, z = sp.symbols("x y z", real=True)


def test_a_max_and_a_min_split_into_their_arguments() -> None:
    # Max(x, y) + Min(y, z): x or y is the largest (2 cases), then y or z the smallest: 4 cases, each exact.
    found = max_cases(sp.Max(x, y) + sp.Min(y, z))
    assert {e for e, _ in found} == {x + y, x + z, y + y, y + z}
    assert (x + z, [sp.Ge(x, y, evaluate=False), sp.Le(z, y, evaluate=False)]) in found


def test_a_max_inside_a_sum_is_not_split_globally() -> None:
    # In sum_j max(w_j, 0) the condition "w_j >= 0" would name the sum's own index outside it: no split.
    n = sp.Symbol("n", integer=True)
    j = sp.Symbol("j", integer=True)
    w = sp.IndexedBase("w", real=True)
    e = sp.Sum(sp.Max(w[j], 0), (j, 1, n))
    assert max_cases(e) == [(e, [])]


def test_past_the_limit_the_rest_stays_unsplit() -> None:
    # Five Max of two arguments would give 32 cases: the split stops at MAX_CASES (16), the fifth stays.
    e = sum(sp.Max(sp.Symbol(f"a{k}", real=True), 0) for k in range(5))
    found = max_cases(e)
    assert len(found) == MAX_CASES and all(len(c.atoms(sp.Max)) == 1 for c, _ in found)
