"""Zero sets of polynomials: ``u != 0`` shown from other expressions known to be nonzero.

Part of the trusted core. A denominator written one way (``(x - 1)*(x + 1)``, ``x + 2``) is nonzero wherever a
denominator written another way (``x^2 - 1``, ``4 + 2*x``) is: the form differs, the zero set does not. The rule
compares zero sets through the factorisation over the rationals (SymPy's ``factor_list``, polynomial arithmetic over
the rationals, trusted like ``expand``), the atoms of the expressions (``exp``, ``sqrt``, sums, entries) read as
independent unknowns, which is stronger than needed::

    u = c * f1^e1 * ... * fk^ek    (c a nonzero rational, each fi irreducible over the rationals)
    each fi divides some q_j (a polynomial quotient with rational coefficients), or fi is of one strict sign
    for every allowed value
    ------------------------------------------------------------------------------------------------------
    q_1 != 0, ..., q_m != 0  |-  u != 0

(Where every ``q_j`` is nonzero, no ``fi`` dividing one of them is 0, since ``q_j = fi * h`` for a polynomial h;
a factor of one strict sign is never 0; so the product ``u`` is not 0.) A factor in one variable with rational
coefficients and no real root (counted exactly by Sturm sequences, SymPy's ``count_roots``) is of one strict sign.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sympy as sp

#: Factorisation is polynomial work; expressions larger than this (operations) are not factored.
MAX_OPS = 200


def nonzero(u: sp.Expr, known: Iterable[sp.Expr], one_sign: Callable[[sp.Expr], bool]) -> bool:
    """Whether ``u != 0`` follows from every expression of ``known`` being nonzero (the rule of the module
    docstring). ``one_sign(f)`` says that ``f`` is of one strict sign for every allowed value (it is asked only of a
    factor that divides none of ``known``)."""
    factors = _factors(u)
    if factors is None:
        return False
    polys = [p for p in (_polynomial(q) for q in known) if p is not None]
    for f in factors:
        if any(_divides(f, q) for q in polys):
            continue
        if _no_real_root(f) or one_sign(f):
            continue
        return False
    return True


def _polynomial(e: sp.Expr) -> sp.Expr | None:
    """``e`` expanded, when it is a polynomial in its atoms of a size worth factoring (a rational function's
    numerator: where it is defined, a quotient is nonzero exactly when its numerator is)."""
    if sp.count_ops(e) > MAX_OPS:
        return None
    num, den = sp.fraction(sp.together(e))
    if not den.is_number or den == 0:
        return None
    return sp.expand(num)


def _factors(u: sp.Expr) -> list[sp.Expr] | None:
    """The irreducible factors over the rationals of the polynomial ``u`` (not the constant), or ``None``."""
    p = _polynomial(u)
    if p is None or p == 0:
        return None
    try:
        c, fs = sp.factor_list(p)
    except (sp.PolynomialError, sp.GeneratorsNeeded, TypeError):
        return None     # (SymPy may compare a symbolic exponent's relation: Abs(x)**t, "t > 1")
    if not c.is_Rational or c == 0:
        return None
    return [f for f, _ in fs]


def _divides(f: sp.Expr, q: sp.Expr) -> bool:
    """Whether ``q = f * h`` for a polynomial ``h`` with rational coefficients, in the atoms of both."""
    if q == 0:
        return False
    try:
        (pf, pq), _ = sp.parallel_poly_from_expr([f, q], domain="QQ")
    except (sp.PolynomialError, sp.GeneratorsNeeded, sp.CoercionFailed):
        return False
    if pf.is_zero:
        return False
    return pq.rem(pf).is_zero


def _no_real_root(f: sp.Expr) -> bool:
    """A polynomial in one symbol with rational coefficients and no real root (Sturm's count)."""
    syms = f.free_symbols
    if len(syms) != 1:
        return False
    (x,) = syms
    try:
        p = sp.Poly(f, x, domain="QQ")
    except (sp.PolynomialError, sp.CoercionFailed):
        return False
    return p.degree() > 0 and p.count_roots() == 0
