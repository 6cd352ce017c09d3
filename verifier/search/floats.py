"""A float evaluation of an expression at a point, to screen points before the kernel's exact evaluation.

Untrusted and approximate: :func:`screen` only says whether a point is worth an exact check (the relation clearly
fails there, or the floats cannot tell); a counterexample is still confirmed by :func:`verifier.kernel.refute`. The
walk maps each SymPy node to Python's ``math`` on floats and gives up (``None``) on anything it does not know, on an
overflow, a non-real or non-finite value, or a value near where the exact one may be undefined or jump (``log`` near
0, a negative power of a base near 0, ``floor`` near an integer, a ``Piecewise`` condition near its boundary): there
the exact evaluation decides. Sums and products are written out term by term, empty ones (``hi < lo``) being 0 and 1
as in the format.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sympy as sp

from verifier.kernel.relations import RELATION_OPS, sign_satisfies

#: Floats closer than this (relative to ``1 + |a| + |b|``) are not told apart.
TOLERANCE = 1e-9
#: The most nodes one evaluation visits (a sum written out counts each of its terms).
BUDGET = 20_000
#: Integers are exact as floats below this.
EXACT_INTEGERS = 2.0**52


class _Undecided(Exception):
    """The floats cannot give a value that can be relied on."""


class _Missing(_Undecided):
    """A name or an entry without a value at the point (one the exact evaluation may drop: ``0*w[3]`` is 0)."""


class Point:
    """A point as floats: values of names and of entries (``x[2]``), and the index ranges outside which families are
    zero (``None`` for a range that could not be evaluated: every entry of that family is then undecided)."""

    def __init__(self, point: Mapping[sp.Basic, Any],
                 families: Sequence[tuple[sp.IndexedBase, sp.Expr, sp.Expr]] = ()) -> None:
        self.names: dict[sp.Basic, float] = {}
        self.entries: dict[tuple[sp.Basic, tuple[int, ...]], float] = {}
        self.ranges: dict[sp.Basic, tuple[int, int] | None] = {}
        for k, v in point.items():
            x = value(v, self) if isinstance(v, sp.Basic) else None
            if x is None:
                continue
            if isinstance(k, sp.Symbol):
                self.names[k] = x
            elif isinstance(k, sp.Indexed) and all(i.is_Integer for i in k.indices):
                self.entries[(k.base, tuple(int(i) for i in k.indices))] = x
        for base, lo, hi in families:
            a, b = _Walk(self).integer_or_none(lo), _Walk(self).integer_or_none(hi)
            self.ranges[base] = None if a is None or b is None else (a, b)


def value(e: sp.Basic, point: Point) -> float | None:
    """The value of ``e`` at the point as a finite float, or ``None`` when the floats cannot be relied on."""
    return _Walk(point).value_or_none(e)


def screen(relation: tuple[sp.Basic, str, sp.Basic], point: Point) -> bool | None:
    """Whether the relation holds at the point, by floats: ``True`` when it clearly holds (an equation whose sides
    agree within :data:`TOLERANCE` counts as holding), ``False`` when it clearly fails, ``None`` when the floats
    cannot tell (a side without a reliable value, or an inequality at near equality)."""
    lhs, op, rhs = relation
    walk = _Walk(point)
    a, b = walk.value_or_none(lhs), walk.value_or_none(rhs)
    if a is None or b is None:
        return None
    if op == "=":
        if abs(a - b) > TOLERANCE * (1 + abs(a) + abs(b)):
            return False
        # Agreement proves nothing where a float cannot even hold the numbers (10^50 + 1 = 10^50).
        return None if walk.rounded_input or max(abs(a), abs(b)) > EXACT_INTEGERS else True
    return _compare(a, b, op, exact=False)


def _compare(a: float, b: float, op: str, *, exact: bool) -> bool | None:
    """``a op b``, or ``None`` when ``a`` and ``b`` are too close to tell (unless ``exact``: both are integers
    computed exactly)."""
    d = a - b
    if not exact and abs(d) <= TOLERANCE * (1 + abs(a) + abs(b)):
        return None
    sign = (d > 0) - (d < 0)
    return sign_satisfies(sign, op)


def _finite(x: float) -> float:
    if isinstance(x, complex) or not math.isfinite(x):
        raise _Undecided
    return float(x)


def _integral(e: sp.Basic) -> bool:
    """Whether ``e`` is an integer for all values of its names, seen from its shape alone (an integer name, sums,
    products and natural powers of such)."""
    if e.is_Integer:
        return True
    if isinstance(e, sp.Symbol):
        return bool(e.is_integer)
    if isinstance(e, (sp.Add, sp.Mul, sp.Max, sp.Min, sp.Abs)):
        return all(_integral(a) for a in e.args)
    if isinstance(e, sp.Pow):
        return _integral(e.base) and bool(e.exp.is_Integer and e.exp >= 0)
    return isinstance(e, (sp.floor, sp.ceiling, sp.KroneckerDelta, sp.factorial, sp.binomial))


#: Functions of one argument defined (and finite, unless they overflow) at every real number.
_TOTAL: dict[type, Callable[[float], float]] = {
    sp.exp: math.exp, sp.sin: math.sin, sp.cos: math.cos, sp.atan: math.atan, sp.sinh: math.sinh,
    sp.cosh: math.cosh, sp.tanh: math.tanh, sp.Abs: abs,
}


class _Walk:
    """One evaluation: the point, the bound variables of the sums being written out, and the budget left."""

    def __init__(self, point: Point) -> None:
        self.point = point
        self.bound: dict[sp.Basic, float] = {}
        self.left = BUDGET
        self.rounded_input = False     # a number of the expression is not a float (1/10^25, 10^50 + 1)

    def value_or_none(self, e: sp.Basic) -> float | None:
        try:
            return self.value(e)
        except (_Undecided, ArithmeticError, ValueError, TypeError, RecursionError):
            return None

    def integer_or_none(self, e: sp.Basic) -> int | None:
        try:
            return self.integer(e)
        except (_Undecided, ArithmeticError, ValueError, TypeError, RecursionError):
            return None

    def integer(self, e: sp.Basic) -> int:
        """The value of ``e``, which must be an integer (an index, a bound of a sum)."""
        x = self.value(e)
        if not x.is_integer() or abs(x) > EXACT_INTEGERS:
            raise _Undecided
        return int(x)

    def value(self, e: sp.Basic) -> float:
        self.left -= 1
        if self.left < 0 or not isinstance(e, sp.Basic):
            raise _Undecided
        if e.is_Number or isinstance(e, sp.NumberSymbol):
            return self._number(e)
        if isinstance(e, sp.Symbol):
            found = self.bound.get(e, self.point.names.get(e))
            if found is None:
                raise _Missing
            return found
        rule = _RULES.get(type(e))
        if rule is not None:
            return _finite(rule(self, e))
        total = _TOTAL.get(type(e))
        if total is not None and len(e.args) == 1:
            return _finite(total(self.value(e.args[0])))
        raise _Undecided

    def _number(self, e: sp.Basic) -> float:
        if isinstance(e, sp.Rational):
            self.rounded_input = self.rounded_input or max(abs(e.p), e.q) > EXACT_INTEGERS
            return _finite(e.p / e.q)
        if isinstance(e, (sp.Float, sp.NumberSymbol)):
            return _finite(float(e))
        raise _Undecided   # oo, nan, zoo, I

    def near_zero(self, x: float) -> bool:
        return abs(x) <= TOLERANCE

    def add(self, e: sp.Basic) -> float:
        return math.fsum(self.value(a) for a in e.args)

    def mul(self, e: sp.Basic) -> float:
        """A product; a zero factor makes it 0 even where another factor has no value at the point: an entry the
        exact evaluation drops (``KroneckerDelta(1, 2)*w[3]`` is 0). Where such a factor stays in the exact
        evaluation, it has no value either, and refutes nothing."""
        out, missing = 1.0, False
        for a in e.args:
            try:
                out = _finite(out * self.value(a))
            except _Missing:
                missing = True
        if missing and out != 0:
            raise _Missing
        return out

    def power(self, e: sp.Basic) -> float:
        base, x = self.value(e.base), self.value(e.exp)
        if _integral(e.exp):
            n = int(x)
            if n != x or (n < 0 and self.near_zero(base)):
                raise _Undecided
            return base ** n
        if base <= TOLERANCE:     # 0 or a negative base under a fractional or symbolic power: the exact one decides
            raise _Undecided
        return base ** x

    def log(self, e: sp.Basic) -> float:
        if len(e.args) != 1:
            raise _Undecided
        x = self.value(e.args[0])
        if x <= TOLERANCE:
            raise _Undecided
        return math.log(x)

    def tan(self, e: sp.Basic) -> float:
        x = self.value(e.args[0])
        if self.near_zero(math.cos(x)):
            raise _Undecided
        return math.tan(x)

    def jump(self, e: sp.Basic) -> float:
        """``sign``, ``Heaviside``, ``floor`` and ``ceiling``: exact for an integer argument, else away from where
        they jump (Heaviside's value at 0 is a convention the kernel never evaluates)."""
        x = self.value(e.args[0])
        exact = _integral(e.args[0]) and abs(x) <= EXACT_INTEGERS
        if isinstance(e, (sp.floor, sp.ceiling)):
            if not exact and abs(x - round(x)) <= TOLERANCE * (1 + abs(x)):
                raise _Undecided
            return float(math.floor(x) if isinstance(e, sp.floor) else math.ceil(x))
        if isinstance(e, sp.Heaviside):
            if x == 0 or (not exact and self.near_zero(x)):
                raise _Undecided
            return 1.0 if x > 0 else 0.0
        if not exact and self.near_zero(x):
            raise _Undecided
        return float((x > 0) - (x < 0))

    def extremum(self, e: sp.Basic) -> float:
        values = [self.value(a) for a in e.args]
        return max(values) if isinstance(e, sp.Max) else min(values)

    def delta(self, e: sp.Basic) -> float:
        if len(e.args) != 2 or not all(_integral(a) for a in e.args):
            raise _Undecided
        return 1.0 if self.integer(e.args[0]) == self.integer(e.args[1]) else 0.0

    def factorial(self, e: sp.Basic) -> float:
        args = [self.integer(a) for a in e.args]
        if any(not 0 <= n <= 170 for n in args):
            raise _Undecided
        return float(math.factorial(args[0]) if isinstance(e, sp.factorial) else math.comb(*args))

    def entry(self, e: sp.Basic) -> float:
        index = tuple(self.integer(i) for i in e.indices)
        if e.base in self.point.ranges:
            bounds = self.point.ranges[e.base]
            if bounds is None or len(index) != 1:
                raise _Undecided
            if not bounds[0] <= index[0] <= bounds[1]:
                return 0.0
        found = self.point.entries.get((e.base, index))
        if found is None:
            raise _Missing
        return found

    def piecewise(self, e: sp.Basic) -> float:
        for branch, cond in e.args:
            if self.truth(cond):
                return self.value(branch)
        raise _Undecided    # no branch applies: undefined there

    def truth(self, c: sp.Basic) -> bool:
        """Whether a condition holds; :class:`_Undecided` when the floats cannot tell."""
        if c is sp.true:
            return True
        if c is sp.false:
            return False
        if isinstance(c, sp.Not):
            return not self.truth(c.args[0])
        if isinstance(c, (sp.And, sp.Or)):
            values: list[bool | None] = []
            for a in c.args:
                try:
                    values.append(self.truth(a))
                except (_Undecided, ArithmeticError, ValueError):
                    values.append(None)
            decisive = isinstance(c, sp.Or)    # True decides an Or, False an And
            if decisive in values:
                return decisive
            if None in values:
                raise _Undecided
            return not decisive
        op = RELATION_OPS.get(type(c))
        if op is None:
            raise _Undecided
        a, b = self.value(c.lhs), self.value(c.rhs)
        exact = _integral(c.lhs) and _integral(c.rhs) and max(abs(a), abs(b)) <= EXACT_INTEGERS
        found = _compare(a, b, op, exact=exact)
        if found is None:
            raise _Undecided
        return found

    def series(self, e: sp.Basic) -> float:
        """A sum or product written out, the outer limit (the last one) first."""
        product = isinstance(e, sp.Product)
        limits = list(e.limits)
        saved = dict(self.bound)

        def over(k: int) -> float:
            if k < 0:
                return self.value(e.function)
            j, lo, hi = limits[k]
            a, b = self.integer(lo), self.integer(hi)
            if b - a >= self.left:
                raise _Undecided
            out = 1.0 if product else 0.0
            for v in range(a, b + 1):
                self.bound[j] = float(v)
                term = over(k - 1)
                out = _finite(out * term if product else out + term)
            return out

        try:
            return over(len(limits) - 1)
        finally:
            self.bound = saved


_RULES: dict[type, Callable[[_Walk, Any], float]] = {
    sp.Add: _Walk.add, sp.Mul: _Walk.mul, sp.Pow: _Walk.power, sp.log: _Walk.log, sp.tan: _Walk.tan,
    sp.sign: _Walk.jump, sp.Heaviside: _Walk.jump, sp.floor: _Walk.jump, sp.ceiling: _Walk.jump,
    sp.Max: _Walk.extremum, sp.Min: _Walk.extremum, sp.KroneckerDelta: _Walk.delta,
    sp.factorial: _Walk.factorial, sp.binomial: _Walk.factorial, sp.Indexed: _Walk.entry,
    sp.Piecewise: _Walk.piecewise, sp.Sum: _Walk.series, sp.Product: _Walk.series,
}
