"""Logarithm rules under positivity: log of products, quotients and powers of positive terms, and ``log(exp(u)) = u``.

Part of the trusted core. ``log(a*b) = log(a) + log(b)`` is false for real ``a, b`` in general (``a = b = -1``), so
each rule needs its factors *proved* positive; the caller passes the test that proves it (from the declarations and
the facts). Factoring is SymPy's ``factor_list``, a proposal: the product of the factors is expanded and compared
with the argument before it is used.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from verifier.kernel.rules import expu

#: Integers larger than this are not factored into primes (log(c) stays one atom).
MAX_FACTORED = 10**12


def expand_logs(e: sp.Expr, positive: Callable[[sp.Expr], bool]) -> sp.Expr:
    """Every ``log(a)`` of ``e`` (innermost first) rewritten by :func:`log_of_product` where its premises are proved
    by ``positive``; a ``log`` whose argument cannot be split so stays as it is."""
    if not e.has(sp.log):
        return e

    def rewrite(x: sp.Basic) -> sp.Basic:
        if isinstance(x, sp.log) and len(x.args) == 1:
            split = log_of_product(x.args[0], positive)
            return x if split is None else split
        return x

    return _bottom_up(e, rewrite)


def log_of_product(a: sp.Expr, positive: Callable[[sp.Expr], bool]) -> sp.Expr | None:
    """
        a = c * f1^e1 * ... * fm^em     c > 0 rational     each fi > 0 (proved)     ei integers
        -----------------------------------------------------------------------------------------
        log(a) = log(c) + e1*log(f1) + ... + em*log(fm)
    with the factor rules

        log(expu(t)) = t  (t real)        log(b^r) = r*log(b)  (b > 0, r real)        log(p/q) = log(p) - log(q)
        (p, q > 0 integers: c is split into primes, so log(4) = 2*log(2)).

    A factor ``f`` proved negative enters as ``-f`` with the sign moved into ``c``. ``None`` when a premise fails.
    """
    num, den = sp.fraction(sp.together(a))
    out: sp.Expr = sp.Integer(0)
    sign = 1
    for part, direction in ((num, 1), (den, -1)):
        listed = _factors(part)
        if listed is None:
            return None
        c, factors = listed
        if c < 0:
            sign, c = -sign, -c
        if c == 0:
            return None
        out += direction * _log_rational(c)
        for f, k in factors:
            term = _log_factor(f, positive)
            if term is None:
                if not positive(-f) and not positive(sp.expand(-f)):
                    return None
                term = _log_factor(sp.expand(-f), positive)
                if term is None:
                    return None
                sign *= (-1) ** k
            out += direction * k * term
    if sign < 0:
        return None
    return out


def _factors(p: sp.Expr) -> tuple[sp.Rational, list[tuple[sp.Expr, int]]] | None:
    """``p`` as a rational constant times integer powers of factors, checked by expanding the product back."""
    if p.is_Rational:
        return p, []
    numbers = [a for a in sp.Mul.make_args(p) if a.is_number and not a.is_Rational]
    if numbers and len(numbers) < len(sp.Mul.make_args(p)):
        # Irrational constants (sqrt(2*pi), pi) kept apart, as factors of their own: SymPy does not factor them.
        inner = _factors(sp.Mul(*[a for a in sp.Mul.make_args(p) if a not in numbers]))
        if inner is None:
            return None
        return inner[0], [*[(f, 1) for f in numbers], *inner[1]]
    try:
        c, factors = sp.factor_list(p)
    except (sp.PolynomialError, sp.polys.polyerrors.BasePolynomialError, NotImplementedError, ValueError,
            TypeError):
        return None     # no factorization proposed: the log stays one atom
    if not c.is_Rational:
        # An irrational constant (sqrt(2*pi), pi): its rational part, and its other factors as factors of their own
        # (each must then be proved positive, like any factor).
        c, rest = c.as_coeff_Mul()
        if not c.is_Rational:
            return None
        factors = [*[(f, 1) for f in sp.Mul.make_args(rest)], *factors]
    if sp.expand(c * sp.Mul(*[f ** k for f, k in factors]) - p) != 0:
        return None
    # A symbolic exponent (factor_list gives (a, x) for a^x) keeps its power whole: log(a^x) is x*log(a) only for
    # a proved positive, which _log_factor asks.
    return c, [(f, int(k)) if sp.sympify(k).is_Integer else (f**k, 1) for f, k in factors]


def _log_factor(f: sp.Expr, positive: Callable[[sp.Expr], bool]) -> sp.Expr | None:
    if isinstance(f, expu):
        return f.args[0]
    if isinstance(f, sp.exp) and f.args[0].is_real is True:
        return f.args[0]
    if isinstance(f, sp.Pow) and f.exp.is_real is True and positive(f.base):
        inner = log_of_product(f.base, positive)
        return f.exp * (sp.log(f.base) if inner is None else inner)
    if positive(f):
        return sp.log(f)
    return None


def _log_rational(c: sp.Rational) -> sp.Expr:
    """
        c = p1^k1 * ... * pm^km (primes, integer ki)
        --------------------------------------------
        log(c) = k1*log(p1) + ... + km*log(pm)
    """
    if c == 1:
        return sp.Integer(0)
    out: sp.Expr = sp.Integer(0)
    for part, direction in ((c.p, 1), (c.q, -1)):
        if part == 1:
            continue
        if part > MAX_FACTORED:
            out += direction * sp.log(sp.Integer(part))
            continue
        for prime, k in sp.factorint(part).items():
            out += direction * k * sp.log(sp.Integer(prime))
    return out


def _bottom_up(e: sp.Basic, fn: Callable[[sp.Basic], sp.Basic]) -> sp.Basic:
    if not e.args or isinstance(e, (sp.Symbol, sp.Indexed, sp.IndexedBase)):
        return fn(e)
    args = [_bottom_up(a, fn) for a in e.args]
    if any(a is not b for a, b in zip(args, e.args, strict=True)):
        e = e.func(*args)
    return fn(e)
