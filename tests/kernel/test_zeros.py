"""Zero sets of polynomials (verifier.kernel.zeros): ``u != 0`` from expressions known to be nonzero. Each truth is
checked beside it by hand (a factorisation, a discriminant)."""

from __future__ import annotations

import sympy as sp

from verifier.kernel import zeros

x, y = sp.symbols("x y", real=True)


def never(_: sp.Expr) -> bool:
    return False


def test_a_factor_of_a_nonzero_polynomial_is_nonzero() -> None:
    # x^2 - 1 = (x - 1)(x + 1): where it is nonzero, so is each factor.
    assert zeros.nonzero(x - 1, [x**2 - 1], never)
    assert zeros.nonzero((x - 1) * (x + 1), [x**2 - 1], never)
    # 4 + 2x = 2(x + 2).
    assert zeros.nonzero(x + 2, [4 + 2 * x], never)


def test_a_factor_with_another_zero_is_not_shown_nonzero() -> None:
    # x + 3 is 0 at x = -3, where 2x + 4 = -2 is not.
    assert not zeros.nonzero(x + 3, [2 * x + 4], never)
    # x^2 - 2 is 0 at sqrt(2), where x - 1 is not.
    assert not zeros.nonzero(x**2 - 2, [x - 1], never)
    assert not zeros.nonzero(x - 1, [], never)


def test_a_factor_without_real_zeros_needs_no_divisor() -> None:
    # x^2 + x + 1 has discriminant 1 - 4 = -3 < 0: no real zero.
    assert zeros.nonzero((x - 1) * (x**2 + x + 1), [x - 1], never)
    # x^2 - x - 1 has discriminant 5 > 0: real zeros (1 +- sqrt(5))/2.
    assert not zeros.nonzero((x - 1) * (x**2 - x - 1), [x - 1], never)


def test_the_sign_of_a_factor_is_asked_of_the_caller() -> None:
    asked: list[sp.Expr] = []

    def one_sign(f: sp.Expr) -> bool:
        asked.append(f)
        return f == x + y
    assert zeros.nonzero((x + y) * (x - 1), [x - 1], one_sign)
    assert asked == [x + y]


def test_atoms_are_independent_unknowns() -> None:
    # sqrt(x) + 1 - y divides (sqrt(x) + 1 - y)(y + 2) as a polynomial in sqrt(x) and y.
    assert zeros.nonzero(sp.sqrt(x) + 1 - y, [(sp.sqrt(x) + 1 - y) * (y + 2)], never)
    assert not zeros.nonzero(sp.exp(x) - y, [sp.exp(x) + y], never)
