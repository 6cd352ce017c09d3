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


def test_a_cube_root_is_denested_and_checked() -> None:
    # (1 + sqrt(2))^3 = 1 + 3 sqrt(2) + 6 + 2 sqrt(2) = 7 + 5 sqrt(2); (2 + sqrt(3))^3 = 26 + 15 sqrt(3).
    assert radicals.denest((7 + 5 * sp.sqrt(2)) ** sp.Rational(1, 3)) == 1 + sp.sqrt(2)
    assert radicals.denest((26 + 15 * sp.sqrt(3)) ** sp.Rational(1, 3)) == 2 + sp.sqrt(3)
    # 7 - 5 sqrt(2) = -0.07 < 0: its cube root is undefined in the format; the candidate 1 - sqrt(2) < 0 is
    # refused (a root is never negative), and the root kept.
    root = (7 - 5 * sp.sqrt(2)) ** sp.Rational(1, 3)
    assert radicals.denest(root) == root
    # 2 + sqrt(2) is no cube root of 7 + 5 sqrt(2) ((2 + sqrt 2)^3 = 20 + 14 sqrt 2): a root without a denesting
    # of this form is kept (1 + sqrt(2) + 1/10^9 is no candidate either: its cube is checked exactly).
    root = (8 + 5 * sp.sqrt(2)) ** sp.Rational(1, 3)
    assert radicals.denest(root) == root


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


def test_a_square_root_of_a_square_is_taken_where_its_root_is_proved_nonnegative() -> None:
    # sqrt(x^4 + 2x^2 + 1) = x^2 + 1 (a square, nonnegative); 1/sqrt(x^2 - 2x + 1) = 1/(x - 1) only where x - 1 >= 0
    # is proved: with no such proof (x = 0: sqrt(1) = 1, not -1) the root is kept.
    x = sp.Symbol("x", real=True)
    def always(_: sp.Expr) -> bool:
        return True
    def never(_: sp.Expr) -> bool:
        return False
    assert radicals.square_roots(sp.sqrt(x**4 + 2 * x**2 + 1), always) == x**2 + 1
    assert radicals.square_roots(1 / sp.sqrt(x**2 - 2 * x + 1), always) == 1 / (x - 1)
    assert radicals.square_roots(1 / sp.sqrt(x**2 - 2 * x + 1), never) == 1 / sp.sqrt(x**2 - 2 * x + 1)
    # Not a square (x^2 + 1 has an odd multiplicity), or a negative constant (-(x - 1)^2): kept.
    assert radicals.square_roots(sp.sqrt(x**2 + 1), always) == sp.sqrt(x**2 + 1)
    assert radicals.square_roots(sp.sqrt(-(x - 1) ** 2), always) == sp.sqrt(-(x - 1) ** 2)
    # A quotient: (u^2 + 1)^2/(4u^2) is ((u^2 + 1)/(2u))^2, so sqrt(sinh(x)^2 + 1) with u = exp(x) is cosh(x).
    u = sp.Symbol("u", positive=True)
    assert sp.cancel(radicals.square_roots(sp.sqrt((u / 2 - 1 / (2 * u)) ** 2 + 1), always)
                       - (u**2 + 1) / (2 * u)) == 0


def test_square_roots_in_a_product_are_merged_where_their_bases_are_proved_nonnegative() -> None:
    # sqrt(x - 1)*sqrt(x + 1) = sqrt(x^2 - 1) for x >= 1 (both bases >= 0); at x = -2 the left side is undefined and
    # sqrt(3) is not, so the merge needs the signs: with none proved, nothing is merged.
    x = sp.Symbol("x", real=True)
    def signed(_: sp.Expr, strict: bool) -> bool:
        return True
    def unsigned(_: sp.Expr, strict: bool) -> bool:
        return False
    assert radicals.merged_roots(sp.sqrt(x - 1) * sp.sqrt(x + 1), signed) == sp.sqrt(x**2 - 1)
    assert radicals.merged_roots(1 / (sp.sqrt(x - 1) * sp.sqrt(x + 1)), signed) == 1 / sp.sqrt(x**2 - 1)
    assert radicals.merged_roots(3 * sp.sqrt(x) / sp.sqrt(x + 1), signed) == 3 * sp.sqrt(x) / sp.sqrt(x + 1)
    assert radicals.merged_roots(sp.sqrt(x - 1) * sp.sqrt(x + 1), unsigned) == sp.sqrt(x - 1) * sp.sqrt(x + 1)
    # A divided base must be proved positive, not only nonnegative.
    def nonneg_only(_: sp.Expr, strict: bool) -> bool:
        return not strict
    assert radicals.merged_roots(1 / (sp.sqrt(x - 1) * sp.sqrt(x + 1)), nonneg_only) == \
        1 / (sp.sqrt(x - 1) * sp.sqrt(x + 1))
