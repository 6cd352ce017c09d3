"""Linear arithmetic over the rationals, tightened for integers: does a set of facts imply ``e >= 0``?

Part of the trusted core. A fact is a linear constraint ``sum(a_v * v) + c >= 0`` (or ``> 0``). To show that facts
``F`` imply ``e >= 0`` we add the negation ``-e > 0`` and eliminate variables one by one (Fourier-Motzkin): every
derived constraint is a nonnegative combination of the ones before, so reaching ``c >= 0`` with ``c < 0`` (or
``0 > 0``) proves that no point satisfies ``F`` and ``-e > 0`` together. For a constraint over integer variables
only, dividing by the gcd of its coefficients and rounding the constant down (``2k - 1 > 0`` becomes ``k - 1 >= 0``)
keeps every integer solution, so it is sound there and makes the test stronger. Anything non-linear is not decided.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import floor, gcd

import sympy as sp

#: Stop eliminating (and decide nothing) past this many constraints: the answer is then "not shown", never wrong.
MAX_CONSTRAINTS = 4000


@dataclass(frozen=True)
class Constraint:
    """``sum(coeffs[v] * v) + const >= 0``, or ``> 0`` when ``strict``."""

    coeffs: tuple[tuple[sp.Symbol, Fraction], ...]
    const: Fraction
    strict: bool = False

    def coeff(self, v: sp.Symbol) -> Fraction:
        """The coefficient of ``v`` (0 when absent)."""
        for w, a in self.coeffs:
            if w == v:
                return a
        return Fraction(0)


def linear_form(expr: sp.Expr) -> tuple[dict[sp.Symbol, Fraction], Fraction] | None:
    """``expr`` as ``(coefficients, constant)`` if it is linear in its symbols with rational coefficients."""
    expr = sp.expand(expr)
    coeffs: dict[sp.Symbol, Fraction] = {}
    const = Fraction(0)
    for term in sp.Add.make_args(expr):
        c, rest = term.as_coeff_Mul()
        if not c.is_Rational:
            return None
        value = Fraction(int(c.p), int(c.q))
        if rest == 1:
            const += value
        elif isinstance(rest, sp.Symbol):
            coeffs[rest] = coeffs.get(rest, Fraction(0)) + value
        else:
            return None
    return {v: a for v, a in coeffs.items() if a != 0}, const


def constraint(expr: sp.Expr, *, strict: bool = False) -> Constraint | None:
    """The constraint ``expr >= 0`` (``> 0`` if strict), tightened for integers, or ``None`` if not linear."""
    return _constraint(expr, strict)


#: The same few relations (a name's declared range, a summation range) are asked about again and again by every
#: obligation of a run; both functions below are pure, so each answer is computed once per process. A key is the
#: relation's structure (SymPy's ``==`` compares names with their assumptions), never its printed form.
_MEMO = 8192


@lru_cache(maxsize=_MEMO)
def _constraint(expr: sp.Expr, strict: bool) -> Constraint | None:
    form = linear_form(expr)
    if form is None:
        return None
    coeffs, const = form
    return tighten(Constraint(tuple(sorted(coeffs.items(), key=lambda kv: str(kv[0]))), const, strict))


def tighten(c: Constraint) -> Constraint:
    """Over integer variables: ``A.v >= B`` with integer A, B, divided by gcd(A) with B rounded up."""
    if not c.coeffs or not all(v.is_integer for v, _ in c.coeffs):
        return c
    scale = 1
    for _, a in c.coeffs:
        scale = scale * a.denominator // gcd(scale, a.denominator)
    ints = [int(a * scale) for _, a in c.coeffs]
    g = 0
    for i in ints:
        g = gcd(g, abs(i))
    minus_const = -c.const * scale
    bound = floor(minus_const) + 1 if c.strict else -floor(-minus_const)   # A.v >= bound
    bound = -((-bound) // g)                                                # ceil(bound / g)
    coeffs = tuple((v, Fraction(i // g)) for (v, _), i in zip(c.coeffs, ints, strict=True))
    return Constraint(coeffs, Fraction(-bound), False)


def implies(facts: Iterable[Constraint], goal: sp.Expr, *, strict: bool = False) -> bool:
    """Whether ``facts`` imply ``goal >= 0`` (``goal > 0`` if strict). ``False`` means "not shown"."""
    negation = constraint(-goal, strict=not strict)
    if negation is None:
        return False
    return infeasible([*facts, negation])


def infeasible(constraints: Iterable[Constraint]) -> bool:
    """Whether no rational point satisfies every constraint (shown by Fourier-Motzkin elimination)."""
    return _infeasible(tuple(constraints))


@lru_cache(maxsize=_MEMO)
def _infeasible(constraints: tuple[Constraint, ...]) -> bool:
    current = list(constraints)
    while True:
        for c in current:
            if not c.coeffs and (c.const < 0 or (c.const == 0 and c.strict)):
                return True
        counts: dict[sp.Symbol, list[int]] = {}
        for c in current:
            for w, a in c.coeffs:
                counts.setdefault(w, [0, 0])[a < 0] += 1
        if not counts:
            return False
        # Eliminate first the variable that creates the fewest new constraints (ties broken by name: stable).
        v = min(counts, key=lambda w: (counts[w][0] * counts[w][1] - sum(counts[w]), str(w)))
        pos = [c for c in current if c.coeff(v) > 0]
        neg = [c for c in current if c.coeff(v) < 0]
        rest = [c for c in current if c.coeff(v) == 0]
        if len(rest) + len(pos) * len(neg) > MAX_CONSTRAINTS:
            return False
        for p in pos:
            for n in neg:
                rest.append(_combine(p, n, v))
        current = list(dict.fromkeys(rest))


def _combine(p: Constraint, n: Constraint, v: sp.Symbol) -> Constraint:
    a, b = p.coeff(v), -n.coeff(v)
    coeffs: dict[sp.Symbol, Fraction] = {}
    for w, x in p.coeffs:
        coeffs[w] = coeffs.get(w, Fraction(0)) + x * b
    for w, x in n.coeffs:
        coeffs[w] = coeffs.get(w, Fraction(0)) + x * a
    kept = tuple(sorted(((w, x) for w, x in coeffs.items() if x != 0 and w != v), key=lambda kv: str(kv[0])))
    return tighten(Constraint(kept, p.const * b + n.const * a, p.strict or n.strict))
