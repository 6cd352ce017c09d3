"""Radicals and symbolic powers (verifier.kernel.radicals). Each truth is checked beside it by hand."""

from __future__ import annotations

import sympy as sp

from verifier.kernel import radicals

a = sp.Symbol("a", positive=True)
y = sp.Symbol("y", real=True)


def test_a_nested_root_is_replaced_by_its_checked_denesting() -> None:
    # (3 + sqrt(2))^2 = 11 + 6 sqrt(2); (sqrt(3) - sqrt(2))^2 = 5 - 2 sqrt(6), and sqrt(3) > sqrt(2).
    assert radicals.denest(sp.sqrt(11 + 6 * sp.sqrt(2))) == 3 + sp.sqrt(2)
    assert radicals.denest(sp.sqrt(5 - 2 * sp.sqrt(6))) == sp.sqrt(3) - sp.sqrt(2)


def test_a_root_that_does_not_denest_is_kept() -> None:
    # sqrt(1 + sqrt(2)) has no denesting in square roots of rationals.
    root = sp.sqrt(1 + sp.sqrt(2))
    assert radicals.denest(root) == root
    assert radicals.denest(sp.sqrt(y)) == sp.sqrt(y)


def test_powers_of_positive_bases_go_through_exp() -> None:
    out = radicals.powers_through_exp(a**y, lambda b: b.is_positive is True)
    assert out == sp.exp(y * sp.log(a), evaluate=False)
    # a base not shown positive is kept: (-1)^y is not real for y = 1/2
    assert radicals.powers_through_exp(y**a, lambda b: b.is_positive is True) == y**a
    # a numeric exponent is the normal form's business
    assert radicals.powers_through_exp(a**2, lambda b: True) == a**2
