"""The value of an expression, as written, at a point (section 2a of the format, read literally).

Undefined where an operation as written is undefined (:class:`~verifier.oracle.values.Undefined`): a division by
zero, a negative power of 0, a ``log`` of a number <= 0, a ``sqrt`` or fractional power of a negative number, a
``Piecewise`` whose first true condition is not reached. ``Piecewise`` takes the first true branch; a sum over an
empty range is 0 and a product 1; a vector is 0 outside its range. ``diff`` is evaluated by differences at the point
on both sides (steps of ``10^-12`` and finer for nested derivatives, exact where the function is rational): the
derivative exists only where the function is defined around the point, continuous, and its one-sided slopes agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

import mpmath
from mpmath import iv

from verifier.frontend import parser as P
from verifier.oracle.functions import UNARY, rational_root
from verifier.oracle.values import (
    CannotTell,
    Close,
    Number,
    PiRational,
    Undefined,
    Vec,
    add,
    approx,
    compare,
    div,
    ends,
    integer,
    mul,
    sign,
    size,
    sub,
    tidy,
)

#: The step of a derivative at each nesting depth, and the deepest nesting evaluated.
STEPS = tuple(Fraction(1, 10 ** (12 + 12 * d)) for d in range(3))
#: A sum or product with more terms than this is not evaluated.
MAX_TERMS = 20_000
#: Slopes this large are looked at again with a finer step (a jump gives a slope that grows as the step shrinks).
STEEP = 10 ** 6

Value = Any  # Number | Vec | bool


@dataclass(frozen=True)
class Definition:
    """One ``[define]`` entry: a function (``params``) or an abbreviation (``params is None``)."""

    params: tuple[str, ...] | None
    body: P.Node


@dataclass
class Family:
    """A declared indexed family: entries inside ``ranges`` (one ``(lo, hi)`` per index; ``None``: every integer)
    come from ``entry``, and are 0 outside."""

    name: str
    ranges: tuple[int, int] | None
    entry: Callable[[tuple[int, ...]], Number]
    drawn: dict[tuple[int, ...], Number] = field(default_factory=dict)   # the entries given so far (to show)

    def get(self, idx: tuple[int, ...]) -> Number:
        """The entry at ``idx``."""
        if self.ranges is not None and not all(self.ranges[0] <= i <= self.ranges[1] for i in idx):
            return Fraction(0)
        return self.entry(idx)


@dataclass
class Point:
    """Values of the declared names (scalars and families), the definitions, and the entries a derivative moves."""

    scalars: dict[str, Number]
    families: dict[str, Family]
    definitions: dict[str, Definition]
    moved: dict[tuple[str, tuple[int, ...]], Number] = field(default_factory=dict)
    depth: int = 0
    #: When set, every quantity whose zero is a critical point is reported here (see :mod:`~verifier.oracle.points`).
    critical: Callable[[Number], None] | None = None

    def entry(self, name: str, idx: tuple[int, ...]) -> Number:
        """A family's entry, moved by a derivative or as declared."""
        if (name, idx) in self.moved:
            return self.moved[(name, idx)]
        return self.families[name].get(idx)


def digits(nodes: list[P.Node], definitions: dict[str, Definition]) -> int:
    """The working precision (decimal digits) derivatives nested as deeply as in ``nodes`` need: 30, and for each
    level of nesting the digits its step takes away."""
    memo: dict[str, int] = {}

    def depth(n: P.Node, active: frozenset[str]) -> int:
        if isinstance(n, P.Call):
            inner = max((depth(a, active) for a in n.args), default=0)
            if n.func == "diff":
                inner += sum(int(a.value) if isinstance(a, P.Num) else 1 for a in n.args[1:]) - \
                    sum(1 for a in n.args[1:] if isinstance(a, P.Num))
            if n.func in definitions and n.func not in active:
                if n.func not in memo:
                    memo[n.func] = depth(definitions[n.func].body, active | {n.func})
                inner = max(inner, memo[n.func] + max((depth(a, active) for a in n.args), default=0))
            return inner
        if isinstance(n, P.Name) and n.id in definitions and n.id not in active:
            if n.id not in memo:
                memo[n.id] = depth(definitions[n.id].body, active | {n.id})
            return memo[n.id]
        return max((depth(c, active) for c in P.children(n)), default=0)

    levels = max((depth(n, frozenset()) for n in nodes), default=0)
    return 30 + sum(12 + 12 * d for d in range(min(levels, len(STEPS))))


def value(node: P.Node, point: Point, local: dict[str, Value] | None = None) -> Value:
    """The value of ``node`` at ``point`` (bound names in ``local``)."""
    return _Eval(point).value(node, local or {})


def holds(node: P.Node, point: Point, local: dict[str, Value] | None = None) -> bool:
    """The truth of a condition or relation at ``point``; undefined where a side is."""
    out = _Eval(point).value(node, local or {})
    if not isinstance(out, bool):
        raise CannotTell("a condition that is not a relation")
    return out


def relation(op: str, a: Value, b: Value, *, lenient: bool = False) -> bool:
    """``a op b`` for two values (two vectors are equal when their lengths and all entries are). Two approximate
    values equal as far as can be seen satisfy ``=``, ``<=``, ``>=`` when ``lenient`` (a relation is then not
    found false); otherwise the evaluator cannot tell."""
    if isinstance(a, Vec) or isinstance(b, Vec):
        if not (isinstance(a, Vec) and isinstance(b, Vec)) or op not in ("=", "!="):
            raise CannotTell("a relation between a vector and a number")
        n = a.length()
        if n != b.length():
            return op == "!="
        assert a.lo is not None and b.lo is not None
        same = all(relation("=", a.entry(a.lo + k), b.entry(b.lo + k), lenient=lenient) for k in range(n))
        return same if op == "=" else not same
    if isinstance(a, bool) or isinstance(b, bool):
        raise CannotTell("a truth value compared")
    try:
        c = compare(a, b)
    except Close:
        if lenient and op in ("=", "<=", ">="):
            return True
        raise
    return {"=": c == 0, "!=": c != 0, "<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0}[op]


def _num(v: Value) -> Number:
    if isinstance(v, (Vec, bool)):
        raise CannotTell("a vector or truth value where a number is needed")
    return v


class _Eval:
    def __init__(self, point: Point) -> None:
        self.point = point

    def note(self, q: Number) -> None:
        if self.point.critical is not None:
            self.point.critical(q)

    def value(self, node: P.Node, local: dict[str, Value]) -> Value:
        if isinstance(node, P.Num):
            return node.value
        if isinstance(node, P.Name):
            return self.name(node.id, local)
        if isinstance(node, P.Neg):
            return _map1(self.value(node.operand, local), lambda x: -x)
        if isinstance(node, P.BinOp):
            return self.binop(node.op, self.value(node.left, local), self.value(node.right, local))
        if isinstance(node, P.Compare):
            values = [self.value(o, local) for o in node.operands]
            return all(relation(op, values[k], values[k + 1]) for k, op in enumerate(node.ops))
        if isinstance(node, P.Index):
            return self.index(node, local)
        if isinstance(node, P.Vector):
            items = [_num(self.value(i, local)) for i in node.items]
            return Vec(1, len(items), lambda i: items[i - 1])
        if isinstance(node, P.Call):
            return self.call(node, local)
        raise CannotTell(f"a {type(node).__name__} outside a call")

    def name(self, name: str, local: dict[str, Value]) -> Value:
        if name in local:
            return local[name]
        p = self.point
        if name in p.scalars:
            return p.scalars[name]
        if name in p.families:
            fam = p.families[name]
            lo, hi = fam.ranges if fam.ranges is not None else (None, None)
            return Vec(lo, hi, lambda i: p.entry(name, (i,)))
        if name in p.definitions and p.definitions[name].params is None:
            return self.value(p.definitions[name].body, {})
        if name == "pi":
            return PiRational(Fraction(0), Fraction(1))
        if name == "E":
            return +iv.e
        if name in ("True", "False"):
            return name == "True"
        raise CannotTell(f"the name {name} has no value here")

    def binop(self, op: str, a: Value, b: Value) -> Value:
        if isinstance(a, Vec) or isinstance(b, Vec):
            return _entrywise(a, b, lambda x, y: self.binop(op, x, y))
        a, b = _num(a), _num(b)
        if op == "+":
            return add(a, b)
        if op == "-":
            return sub(a, b)
        if op == "*":
            return mul(a, b)
        if op == "/":
            self.note(b)
            if sign(b) == 0:
                raise Undefined("division by zero")
            return div(a, b)
        return self.power(a, b)

    def power(self, a: Number, b: Number) -> Number:
        self.note(a)
        if isinstance(b, Fraction) and b.denominator == 1:
            n = b.numerator
            if sign(a) == 0:
                if n < 0:
                    raise Undefined("a negative power of 0")
                return Fraction(1) if n == 0 else Fraction(0)
            if isinstance(a, Fraction) and abs(n) <= 4000:
                return tidy(a ** n)
            return approx(a) ** n
        s = sign(a)
        if s < 0:
            if isinstance(b, Fraction):
                raise Undefined("a fractional power of a negative number")
            raise CannotTell("a negative number to a power not known exactly")
        if s == 0:
            if sign(b) <= 0:
                raise Undefined("a power of 0 that is not positive")
            return Fraction(0)
        if isinstance(a, Fraction) and isinstance(b, Fraction):
            root = rational_root(a, b.denominator)
            if root is not None and abs(b.numerator) <= 4000:
                return tidy(root ** b.numerator)
        return approx(a) ** approx(b)

    def index(self, node: P.Index, local: dict[str, Value]) -> Value:
        idx = tuple(integer(_num(self.value(i, local))) for i in node.indices)
        if isinstance(node.base, P.Name) and node.base.id not in local and node.base.id in self.point.families:
            return self.point.entry(node.base.id, idx)
        base = self.value(node.base, local)
        if not isinstance(base, Vec) or len(idx) != 1:
            raise CannotTell("an index into something that is not a vector")
        return base.entry(idx[0])

    def call(self, node: P.Call, local: dict[str, Value]) -> Value:
        f, args = node.func, node.args
        special = _SPECIAL.get(f)
        if special is not None:
            return special(self, args, local)
        if f in self.point.definitions and self.point.definitions[f].params is not None:
            d = self.point.definitions[f]
            assert d.params is not None
            if len(d.params) != len(args):
                raise CannotTell(f"{f} called with {len(args)} arguments")
            bound = {p: self.value(a, local) for p, a in zip(d.params, args, strict=True)}
            return self.value(d.body, bound)
        values = [self.value(a, local) for a in args]
        if f == "log" and len(values) == 2:
            base = _num(values[1])
            if compare(base, Fraction(1)) == 0:
                raise Undefined("a logarithm to the base 1")
            return div(UNARY["log"](self.note, _num(values[0])), UNARY["log"](self.note, base))
        if f in UNARY and len(values) == 1:
            return _map1(values[0], lambda x: UNARY[f](self.note, x))
        if f in ("Max", "Min") and values:
            nums = [_num(v) for v in values]
            best = nums[0]
            for x in nums[1:]:
                self.note(sub(x, best))
                try:
                    c = compare(x, best)
                except Close:
                    continue    # equal as far as can be seen: either is the value
                if (c > 0) if f == "Max" else (c < 0):
                    best = x
            return best
        if f == "KroneckerDelta" and len(values) == 2:
            return Fraction(int(integer(_num(values[0])) == integer(_num(values[1]))))
        if f in ("And", "Or") and all(isinstance(v, bool) for v in values):
            return all(values) if f == "And" else any(values)
        if f == "Not" and len(values) == 1 and isinstance(values[0], bool):
            return not values[0]
        if f == "len" and len(values) == 1 and isinstance(values[0], Vec):
            return Fraction(values[0].length())
        if f == "flip" and len(values) == 1 and isinstance(values[0], Vec):
            v = values[0]
            n, hi = v.length(), v.hi
            assert hi is not None
            return Vec(1, n, lambda i: v.entry(hi + 1 - i))
        raise CannotTell(f"{f}() is not evaluated by the reference evaluator")

    # -- binders ---------------------------------------------------------------------------------------------

    def ranges(self, limits: tuple[P.Node, ...], local: dict[str, Value]) -> list[tuple[str, P.Node, P.Node]]:
        out = []
        for lim in limits:
            if not (isinstance(lim, P.Tuple) and len(lim.items) == 3 and isinstance(lim.items[0], P.Name)):
                raise CannotTell("a range that is not (j, lo, hi)")
            out.append((lim.items[0].id, lim.items[1], lim.items[2]))
        return out

    def bound(self, node: P.Node, local: dict[str, Value]) -> int:
        if (isinstance(node, P.Name) and node.id == "oo") or (isinstance(node, P.Neg) and \
                isinstance(node.operand, P.Name) and node.operand.id == "oo"):
            raise CannotTell("a series")
        return integer(_num(self.value(node, local)))

    def fold(self, body: P.Node, limits: list[tuple[str, P.Node, P.Node]], local: dict[str, Value],
             product: bool, budget: list[int]) -> Number:
        """A sum or product over ``limits`` (the first one innermost, as SymPy reads them)."""
        name, lo_node, hi_node = limits[-1]
        lo, hi = self.bound(lo_node, local), self.bound(hi_node, local)
        total: Number = Fraction(int(product))
        for j in range(lo, hi + 1):
            budget[0] -= 1
            if budget[0] < 0:
                raise CannotTell("a sum or product with too many terms")
            inner = {**local, name: Fraction(j)}
            if len(limits) > 1:
                term: Number = self.fold(body, limits[:-1], inner, product, budget)
            else:
                term = _num(self.value(body, inner))
            total = mul(total, term) if product else add(total, term)
        return total

    def sum_like(self, args: tuple[P.Node, ...], local: dict[str, Value], product: bool) -> Number:
        if len(args) < 2:
            raise CannotTell("a sum without a range")
        return self.fold(args[0], self.ranges(args[1:], local), local, product, [MAX_TERMS])

    def vector(self, args: tuple[P.Node, ...], local: dict[str, Value]) -> Vec:
        if len(args) != 2:
            raise CannotTell("vector() with other than two arguments")
        ((name, lo_node, hi_node),) = self.ranges(args[1:], local)
        lo, hi = self.bound(lo_node, local), self.bound(hi_node, local)
        if hi - lo > MAX_TERMS:
            raise CannotTell("a vector too long")
        body = args[0]

        # Entries are evaluated when they are read, as the builder reads them: an entry undefined as written makes
        # that entry undefined, not the vector's length.
        def entry(i: int) -> Number:
            return _num(self.value(body, {**local, name: Fraction(lo + i - 1)}))

        return Vec(1, max(hi - lo + 1, 0), entry)

    def piecewise(self, args: tuple[P.Node, ...], local: dict[str, Value]) -> Value:
        for pair in args:
            if not (isinstance(pair, P.Tuple) and len(pair.items) == 2):
                raise CannotTell("a Piecewise argument that is not a pair")
            cond = pair.items[1]
            for rel in P.walk(cond):
                if isinstance(rel, P.Compare):
                    for a, b in zip(rel.operands, rel.operands[1:], strict=False):
                        try:
                            self.note(sub(_num(self.value(a, local)), _num(self.value(b, local))))
                        except (Undefined, CannotTell):
                            pass
            truth = self.value(cond, local)
            if not isinstance(truth, bool):
                raise CannotTell("a Piecewise condition that is not a relation")
            if truth:
                return self.value(pair.items[0], local)
        raise Undefined("no branch of the Piecewise holds")

    # -- derivatives -----------------------------------------------------------------------------------------

    def diff(self, args: tuple[P.Node, ...], local: dict[str, Value]) -> Number:
        if len(args) < 2:
            raise CannotTell("diff() without a variable")
        body, rest = args[0], list(args[1:])
        variables: list[P.Node] = []
        while rest:
            var = rest.pop(0)
            order = 1
            if rest and isinstance(rest[0], P.Num):
                order = integer(rest[0].value)
                rest.pop(0)
            variables.extend([var] * order)
        if not variables:
            raise CannotTell("diff() of order 0")
        return self.derivative(body, variables, local)

    def derivative(self, body: P.Node, variables: list[P.Node], local: dict[str, Value]) -> Number:
        """d/dv1 d/dv2 ... of ``body``: the outermost variable is the last one (taken last)."""
        if not variables:
            return _num(self.value(body, local))
        depth = self.point.depth
        if depth >= len(STEPS):
            raise CannotTell("derivatives nested too deeply")
        var, inner = variables[-1], variables[:-1]
        where, key, t0 = self.variable(var, local)

        def at(t: Number) -> Number:
            p, loc = self.point, local
            if where == "local":
                loc = {**local, key: t}
            elif where == "scalar":
                p = replace(p, scalars={**p.scalars, key: t})
            else:
                p = replace(p, moved={**p.moved, key: t})
            p = replace(p, depth=depth + 1, critical=None)
            return _Eval(p).derivative(body, inner, loc)

        return _slope(at, t0, STEPS[depth])

    def variable(self, var: P.Node, local: dict[str, Value]) -> tuple[str, Any, Number]:
        """Where the variable of a derivative lives: a bound name, a declared scalar, or a family's entry."""
        if isinstance(var, P.Name):
            if var.id in local:
                return "local", var.id, _num(local[var.id])
            if var.id in self.point.scalars:
                return "scalar", var.id, self.point.scalars[var.id]
        if isinstance(var, P.Index) and isinstance(var.base, P.Name) and var.base.id in self.point.families:
            idx = tuple(integer(_num(self.value(i, local))) for i in var.indices)
            fam = self.point.families[var.base.id]
            if fam.ranges is not None and not all(fam.ranges[0] <= i <= fam.ranges[1] for i in idx):
                raise CannotTell("a derivative by an entry outside its family's range")
            return "entry", (var.base.id, idx), self.point.entry(var.base.id, idx)
        raise CannotTell("a derivative by something that is not a name or an entry")


def _slope(f: Callable[[Number], Number], t0: Number, h: Fraction) -> Number:
    """The derivative of ``f`` at ``t0`` when ``f`` is differentiable there; :class:`Undefined` where it is not
    (undefined on one side, a jump, one-sided slopes that differ). Each one-sided slope is extrapolated from steps
    ``h`` and ``h/2`` (Richardson), so that a joint of two pieces costs no accuracy."""
    f0 = f(t0)
    up, down = f(add(t0, h)), f(sub(t0, h))
    right, left = div(sub(up, f0), h), div(sub(f0, down), h)
    scale = 1 + size(right) + size(left)
    gap = size(sub(right, left))
    if gap > scale * mpmath.mpf(10) ** -4:
        raise Undefined("not differentiable here (the one-sided slopes differ)")
    if gap > scale * mpmath.mpf(10) ** -8:
        raise CannotTell("one-sided slopes too close to call")
    if size(right) > STEEP or size(left) > STEEP:
        finer = h / 1000
        fine_right = div(sub(f(add(t0, finer)), f0), finer)
        fine_left = div(sub(f0, f(sub(t0, finer))), finer)
        for coarse, fine in ((right, fine_right), (left, fine_left)):
            ratio = size(fine) / max(size(coarse), mpmath.mpf(1))
            if ratio > 100:
                raise Undefined("not differentiable here (the function jumps)")
            if size(sub(fine, coarse)) > size(coarse) * mpmath.mpf(10) ** -6:
                raise CannotTell("a steep slope")
    half = h / 2
    right = sub(mul(Fraction(2), div(sub(f(add(t0, half)), f0), half)), right)
    left = sub(mul(Fraction(2), div(sub(f0, f(sub(t0, half))), half)), left)
    estimate = div(add(right, left), Fraction(2))
    # A difference quotient is not the derivative, even when it is exact: its truncation error is of the order of
    # h^2 (times the third derivative); the value is given as an interval wider than that.
    slack = (mpmath.mpf(h.numerator) / h.denominator) ** mpmath.mpf(1.75) * (1 + size(estimate))
    lo, hi = ends(estimate)
    return iv.mpf([lo - slack, hi + slack])


def _map1(v: Value, fn: Callable[[Number], Number]) -> Value:
    if isinstance(v, Vec):
        return Vec(v.lo, v.hi, lambda i: fn(v.get(i)))
    return fn(_num(v))


def _entrywise(a: Value, b: Value, fn: Callable[[Number, Number], Value]) -> Vec:
    if isinstance(a, Vec) and isinstance(b, Vec):
        if (a.lo, a.hi) != (b.lo, b.hi):
            raise CannotTell("entrywise arithmetic between vectors of different ranges")
        return Vec(a.lo, a.hi, lambda i: _num(fn(a.get(i), b.get(i))))
    if isinstance(a, Vec):
        return Vec(a.lo, a.hi, lambda i: _num(fn(a.get(i), b)))
    assert isinstance(b, Vec)
    return Vec(b.lo, b.hi, lambda i: _num(fn(a, b.get(i))))


_SPECIAL: dict[str, Callable[[_Eval, tuple[P.Node, ...], dict[str, Value]], Value]] = {
    "Sum": lambda ev, a, loc: ev.sum_like(a, loc, False),
    "Product": lambda ev, a, loc: ev.sum_like(a, loc, True),
    "vector": _Eval.vector, "Piecewise": _Eval.piecewise, "diff": _Eval.diff,
}
