"""Turning parsed expressions into SymPy objects, under the names a derivation file declares.

The parser (:mod:`verifier.frontend.parser`) gives a tree; this module walks it and calls SymPy constructors directly,
so nothing from a file is ever evaluated as Python. Only the names of :data:`FUNCTIONS` and :data:`CONSTANTS`, the
declared symbols, the definitions and locally bound names (function parameters, ``Sum`` indices) resolve; anything
else is an :class:`ExpressionError` naming it.

Values while building are SymPy expressions, booleans (conditions), tuples (``Sum`` limits, ``Piecewise`` pairs),
matrices, or a :class:`Vec`: a family over an integer range (an indexed symbol, over its declared range; a vector
literal, ``vector(...)`` or ``flip(v)``, indexed from 1; or arithmetic on those, which acts entry by entry).

Declarations of ``[symbols]`` are read here too (:func:`declare`), in a small language of their own::

    decl     := ['indexed'] word* ['in' '{' expr (',' expr)* '}'] [interval] [expr '..' expr]
    interval := ('[' | '(') expr ',' expr (']' | ')')
    word     := real | positive | negative | nonnegative | nonpositive | nonzero | integer | complex

For a scalar, ``lo..hi`` is an integer range, or with ``real`` (and not ``integer``) the closed interval; for a
family it is the index range outside which every entry is 0, and the values of its entries are an interval in
brackets. The meaning is a :class:`~verifier.kernel.declarations.Declaration`.

SymPy evaluates while it builds (``x/x`` is 1, ``sqrt(x)^2`` is ``x``, ``exp(log(u))`` is ``u``), which would lose
the points where the written expression is undefined (section 2a). So every division, negative power, ``log``,
``sqrt`` and fractional power records its condition while it is built, and a side whose built value no longer
carries one of them is wrapped as a partial ``Piecewise((value, lost conditions))`` (:meth:`Builder.side`). Inside a
sum, product, vector or limit the conditions wrap the body (they may mention its bound index, and an empty range
needs none); in a ``Piecewise`` they wrap the branch that needs them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TypeAlias, cast

import sympy as sp

from verifier import kernel
from verifier.errors import ExpressionError, VerifierError
from verifier.frontend import names
from verifier.frontend import parser as P
from verifier.kernel import defined
from verifier.kernel.declarations import SIGN_WORDS, Declaration
from verifier.kernel.declarations import Interval as ValueInterval

Expr: TypeAlias = sp.Expr

#: Upper limit on exponents and literal sizes a file can ask SymPy to compute with eagerly.
MAX_EXPONENT = 10_000
MAX_VECTOR = 10_000
#: Sums and products with numeric bounds and at most this many terms are built term by term.
MAX_WRITTEN_OUT = 200

_ASSUMPTION_WORDS = {
    "real": {"real": True}, "positive": {"positive": True}, "negative": {"negative": True},
    "nonnegative": {"nonnegative": True}, "nonpositive": {"nonpositive": True}, "nonzero": {"nonzero": True},
    "integer": {"integer": True}, "complex": {"complex": True},
}


@dataclass
class SymbolInfo:
    """A declared name: a scalar symbol or an indexed family, with what the declaration says about it."""

    name: str
    symbol: sp.Symbol | sp.IndexedBase
    indexed: bool = False
    domain: tuple[Expr, ...] | None = None      # finite domain ``in {...}``
    lo: Expr | None = None                      # range bounds (integers; for families: zero outside)
    hi: Expr | None = None
    words: tuple[str, ...] = ()
    line: int | None = None
    declaration: Declaration | None = None      # what the declaration means, for the kernel

    @property
    def is_integer(self) -> bool:
        """Whether the name is an integer scalar (an index or a size)."""
        return not self.indexed and "integer" in self.words


@dataclass
class Definition:
    """One ``[define]`` entry: an abbreviation (``params is None``) or a function with local parameters."""

    name: str
    params: tuple[str, ...] | None
    body: P.Node
    text: str
    file: str | None = None
    line: int | None = None


@dataclass
class Scope:
    """Every name a file can use: declared symbols and definitions, in the order they were written."""

    symbols: dict[str, SymbolInfo] = field(default_factory=dict)
    definitions: dict[str, Definition] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def merged(self, other: Scope) -> Scope:
        """A new scope with ``other``'s names added after this one's (a ``use``d file's names come first)."""
        out = Scope(dict(self.symbols), dict(self.definitions))
        out.symbols.update(other.symbols)
        out.definitions.update(other.definitions)
        return out

    def by_symbol(self) -> dict[Any, SymbolInfo]:
        """Declared infos keyed by their SymPy object."""
        return {info.symbol: info for info in self.symbols.values()}


class Vec:
    """A family of entries over the integer range ``first..last``, zero outside it (``last`` is ``None`` for a
    family without a range): ``entry(idx)`` gives the entry at a tuple of indices. Vector literals and
    ``vector(...)`` start at 1; a declared family starts where its range does."""

    def __init__(self, entry: Callable[[tuple[Expr, ...]], Any], label: str, *, first: Expr = sp.S.One,
                 last: Expr | None = None, items: Sequence[Any] | None = None) -> None:
        self.entry = entry
        self.label = label
        self.first = sp.sympify(first)
        self.last = last
        self.items = list(items) if items is not None else None

    def __repr__(self) -> str:
        return f"Vec({self.label})"

    @property
    def length(self) -> Expr | None:
        """How many entries: ``last - first + 1``, or 0 when the range is empty (``Max`` unless SymPy can tell)."""
        if self.last is None:
            return None
        return sp.Max(sp.expand(self.last - self.first + 1), 0)

    def inside(self, i: Expr) -> sp.Basic:
        """The condition that index ``i`` lies in the family's range."""
        if self.last is None:
            return sp.true
        return sp.And(sp.Ge(i, self.first), sp.Le(i, self.last))

    def concrete_items(self) -> list[Any] | None:
        """All entries when the range is known numerically, else ``None``."""
        if self.items is not None:
            return self.items
        n = self.length
        if n is not None and n.is_Integer and self.first.is_Integer and int(n) <= MAX_VECTOR:
            return [self.entry((self.first + k,)) for k in range(int(n))]
        return None

    def same_range(self, fn: Callable[[tuple[Expr, ...]], Any], label: str, *, keeps_zero: bool) -> Vec:
        """A new family over this one's range, with entries ``fn(idx)`` inside and 0 outside; ``keeps_zero`` says
        that ``fn`` is already 0 wherever this family's entries are, so no guard is needed."""
        if keeps_zero or self.last is None:
            return Vec(fn, label, first=self.first, last=self.last)
        return Vec(lambda idx: _guarded(self, idx, fn), label, first=self.first, last=self.last)

    def map(self, fn: Callable[[Any], Any], label: str) -> Vec:
        """Apply ``fn`` to every entry (the result is again 0 outside the range: ``exp([1, 2])[3] = 0``)."""
        return self.same_range(lambda idx: fn(self.entry(idx)), label, keeps_zero=_sends_zero_to_zero(fn))


def _sends_zero_to_zero(fn: Callable[[Any], Any]) -> bool:
    try:
        with _frame():      # a probe: what it records is no part of the expression
            out = fn(sp.Integer(0))
    except Exception:  # an operation undefined at 0 (1/v) is guarded like any other
        return False
    return isinstance(out, sp.Expr) and out == 0


def _guarded(v: Vec, idx: tuple[Expr, ...], fn: Callable[[tuple[Expr, ...]], Any]) -> Any:
    """``fn(idx)`` where ``idx`` is inside ``v``'s range, 0 outside (decided now when the index allows it)."""
    if len(idx) != 1:
        return fn(idx)
    inside = v.inside(idx[0])
    if inside is sp.false:
        return sp.Integer(0)
    value = fn(idx)
    if not isinstance(value, sp.Expr) or value == 0:
        return value
    if inside is sp.true:
        return value
    return sp.Piecewise((value, inside), (0, True))


def _literal_entry(items: list[Any], idx: tuple[Expr, ...]) -> Any:
    if len(idx) != 1:
        raise ExpressionError(f"a vector takes one index, got {len(idx)}")
    (i,) = idx
    if i.is_Integer:
        return items[int(i) - 1] if 1 <= int(i) <= len(items) else sp.Integer(0)
    return sp.Piecewise(*[(item, sp.Eq(i, n)) for n, item in enumerate(items, start=1)], (0, True))


def literal_vec(items: list[Any], label: str = "vector") -> Vec:
    """A vector literal: entries 1..len, zero outside."""
    return Vec(lambda idx: _literal_entry(items, idx), label, last=sp.Integer(len(items)), items=items)


def family_vec(info: SymbolInfo) -> Vec:
    """An indexed symbol as a family (zero outside its range when it has one)."""
    base = info.symbol

    def entry(idx: tuple[Expr, ...]) -> Expr:
        if info.lo is not None and len(idx) == 1:
            (i,) = idx
            below, above = sp.Lt(i, info.lo), sp.Gt(i, info.hi)
            if below is sp.true or above is sp.true:
                return sp.Integer(0)
        return base[idx]

    if info.lo is None:
        return Vec(entry, info.name, last=None)
    return Vec(entry, info.name, first=info.lo, last=info.hi)


def _check_exponent(value: Any, col: int) -> None:
    if isinstance(value, sp.Basic) and value.is_Number and abs(value) > MAX_EXPONENT:
        raise ExpressionError(f"exponent {value} is too large (at most {MAX_EXPONENT})", column=col)


def _excerpt(node: P.Node, limit: int = 60) -> str:
    text = P.unparse(node)
    return f"'{text}'" if len(text) <= limit else f"'{text[:limit - 3]}...'"


def _reason(err: Exception) -> str:
    """SymPy's message on one line (its messages may span several, or be empty)."""
    if isinstance(err, sp.SympifyError):
        return "an argument is not a scalar expression (a vector, matrix, tuple or condition where a value belongs)"
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= 200 else text[:197] + "..."


# -- definedness that SymPy's evaluation would lose ---------------------------------------------------------------

#: Open frames of conditions recorded while building, innermost last (see the module's docstring).
_FRAMES: list[list[sp.Basic]] = []


def _record(c: sp.Basic | None) -> None:
    """Note that the expression being built needs ``c`` to be defined."""
    if c is not None and _FRAMES and c not in _FRAMES[-1]:
        _FRAMES[-1].append(c)


@contextmanager
def _frame() -> Iterator[list[sp.Basic]]:
    """A new innermost frame: the conditions recorded while it is open go to it, and no further."""
    frame: list[sp.Basic] = []
    _FRAMES.append(frame)
    try:
        yield frame
    finally:
        _FRAMES.pop()


def _power_condition(base: Expr, exponent: Expr) -> sp.Basic | None:
    """What ``base^exponent`` needs to be defined: ``base != 0`` for a negative integer exponent, ``base >= 0`` for
    a positive non-integer rational (``sqrt``), ``base > 0`` for a negative one; ``None`` otherwise (a symbolic
    exponent needs nothing of every point: ``0^x`` is defined for ``x > 0``)."""
    if exponent.is_integer:
        return sp.Ne(base, 0, evaluate=False) if exponent.is_negative else None
    if exponent.is_Rational:
        return (sp.Ge if exponent > 0 else sp.Gt)(base, 0, evaluate=False)
    return None


def _closed(build: Callable[[], Any]) -> Any:
    """``build()`` in a frame of its own, wrapped with the conditions its value lost (:func:`_wrap`)."""
    with _frame() as recorded:
        value = build()
    return _wrap(value, recorded)


def _keep(value: Any) -> Any:
    """Record what a built sum, product, limit, derivative or ``Piecewise`` itself needs to be defined (a partial
    summand, a kink, no branch chosen), so that it is not lost if SymPy drops the value (``0*Sum(...)`` is 0)."""
    if isinstance(value, sp.Expr) and not isinstance(value, sp.MatrixBase) and _FRAMES:
        for c in defined.conditions(value, sufficient=False):
            _record(c)
    return value


def _wrap(value: Any, recorded: Sequence[sp.Basic], given: sp.Basic = sp.true) -> Any:
    """``value`` made undefined wherever a condition in ``recorded`` fails that it does not carry itself (or that
    ``given``, where the value is used, does not imply): a scalar as ``Piecewise((value, lost))``, a matrix entry by
    entry, a vector entry by entry as its entries are read (with what reading an entry records). A condition or a
    tuple leaves the conditions to the enclosing frame."""
    if isinstance(value, Vec):
        return _wrapped_vec(value, tuple(recorded))
    if not recorded:
        return value
    if isinstance(value, sp.MatrixBase):
        return value.applyfunc(lambda e: _wrap(e, recorded, given))
    if isinstance(value, sp.Expr):
        lost = _lost(value, recorded)
        if lost and given is not sp.true:
            facts = kernel.Facts().add(given)
            lost = [c for c in lost if facts.decide(c) is not True]
        lost = [c if isinstance(c, sp.logic.boolalg.Boolean) else _opaque(c) for c in lost]
        # Unevaluated: a lost condition that is false (log(-1)) must stay, and SymPy would drop the branch.
        return sp.Piecewise((value, sp.And(*lost)), evaluate=False) if lost else value
    for c in recorded:
        _record(c)
    return value


def _opaque(c: sp.Expr) -> sp.Basic:
    """The kernel's opaque ``defined(e)`` (a sum with a partial summand, a limit... is defined) as a condition that
    nothing decides: the side is then never proved, nor refuted at a point, through it. (``e`` itself cannot go
    into a condition: SymPy rewrites a condition that holds a ``Piecewise``, and fails.)"""
    return sp.Eq(defined.DEFINED(sp.Integer(0)), 1, evaluate=False)


def _wrapped_vec(v: Vec, recorded: tuple[sp.Basic, ...]) -> Vec:
    def entry(idx: tuple[Expr, ...]) -> Any:
        with _frame() as inner:
            e = v.entry(idx)
        return _wrap(e, list(recorded) + inner)

    items = [_wrap(x, recorded) for x in v.items] if v.items is not None else None
    return Vec(entry, v.label, first=v.first, last=v.last, items=items)


def _lost(value: Expr, recorded: Sequence[sp.Basic]) -> list[sp.Basic]:
    """The conditions of ``recorded`` that ``value`` does not carry: not among the conditions the kernel reads from
    ``value`` itself (:func:`verifier.kernel.defined.conditions`), up to constant and power factors, and not
    holding for every value of their names."""
    own = set(defined.conditions(value, sufficient=False))
    return [c for c in recorded if not _carried(c, own)]


def _carried(c: sp.Basic, own: set[sp.Basic]) -> bool:
    if c in own or defined.holds(c):
        return True
    if not isinstance(c, (sp.Ne, sp.Gt, sp.Ge)) or c.rhs != 0:
        return False
    factors = sp.Mul.make_args(c.lhs)
    if isinstance(c, sp.Ne):
        # c * u1^k1 * u2^k2 != 0 where each u_i != 0 (or u_i > 0) is carried: SymPy splits 1/(2*x*y). A factor
        # u^k with k < 0 is never 0 where it is defined (its own condition u != 0 was recorded when it was built).
        powers = [f.as_base_exp() for f in factors if not f.is_number]
        return (bool(powers) and all(
            k.is_negative or sp.Ne(u, 0, evaluate=False) in own or sp.Gt(u, 0, evaluate=False) in own
            or defined.holds(sp.Ne(u, 0, evaluate=False)) for u, k in powers)) \
            or kernel.confirm_relation((c.lhs, "!=", sp.Integer(0)), kernel.Facts()) is not None
    # u * (positive factors) > 0 (or >= 0) is carried by u > 0 (or u >= 0): SymPy writes sqrt(4*x) as 2*sqrt(x).
    rest = sp.Mul(*[f for f in factors if not ((f.is_Rational and f > 0) or (not f.is_number and f.is_positive))])
    if rest == 1 or sp.Gt(rest, 0, evaluate=False) in own \
            or (isinstance(c, sp.Ge) and sp.Ge(rest, 0, evaluate=False) in own):
        return True
    # The kernel's sign proof, for every value of the names (1 - sigma(a) > 0, from log(1 - f)*0).
    op = ">" if isinstance(c, sp.Gt) else ">="
    return kernel.confirm_relation((c.lhs, op, sp.Integer(0)), kernel.Facts()) is not None


def _binary(op: str, a: Any, b: Any, col: int) -> Any:
    if isinstance(a, Vec) or isinstance(b, Vec):
        return _vec_binary(op, a, b, col)
    if isinstance(a, tuple) or isinstance(b, tuple):
        raise ExpressionError("a tuple cannot take part in arithmetic", column=col)
    if not (isinstance(a, (sp.Expr, sp.MatrixBase)) and isinstance(b, (sp.Expr, sp.MatrixBase))):
        raise ExpressionError("a relation cannot take part in arithmetic", column=col)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if isinstance(b, sp.MatrixBase):
            raise ExpressionError("cannot divide by a matrix", column=col)
        _record(sp.Ne(b, 0, evaluate=False))
        return a / b
    if op == "^":
        _check_exponent(b, col)
        if isinstance(a, sp.Basic) and a.is_Number and isinstance(b, sp.Basic) and b.is_Number:
            if abs(a) > 1 and abs(b) * max(1, sp.log(abs(a), 2).evalf(5)) > MAX_EXPONENT * 4:
                raise ExpressionError("number too large to compute exactly", column=col)
        if isinstance(a, sp.Expr) and isinstance(b, sp.Expr) and not isinstance(a, sp.MatrixBase):
            _record(_power_condition(a, b))
        return a ** b
    raise ExpressionError(f"unknown operator {op!r}", column=col)


def _vec_binary(op: str, a: Any, b: Any, col: int) -> Vec:
    va, vb = (a if isinstance(a, Vec) else None), (b if isinstance(b, Vec) else None)
    if va is not None and vb is not None:
        if va.last is not None and vb.last is not None:
            if (cast(Expr, va.length) - cast(Expr, vb.length)).is_nonzero:
                raise ExpressionError(f"vectors of different lengths ({va.length} and {vb.length})", column=col)
            if (va.first - vb.first).is_nonzero:
                raise ExpressionError(f"families over different ranges (from {va.first} and from {vb.first})",
                                      column=col)
    shape = va if va is not None and (va.last is not None or vb is None) else vb
    assert shape is not None

    def entry(idx: tuple[Expr, ...]) -> Any:
        x = a.entry(idx) if isinstance(a, Vec) else a
        y = b.entry(idx) if isinstance(b, Vec) else b
        return _binary(op, x, y, col)

    try:
        with _frame():      # a probe: what it records is no part of the expression
            keeps_zero = _binary(op, sp.Integer(0) if va else a, sp.Integer(0) if vb else b, col) == 0
    except Exception:   # 0/0 and the like: guard the entries
        keeps_zero = False
    keeps_zero = keeps_zero and (va is None or vb is None or (va.last is not None and vb.last is not None))
    label = f"({a.label if isinstance(a, Vec) else a} {op} {b.label if isinstance(b, Vec) else b})"
    return shape.same_range(entry, label, keeps_zero=keeps_zero)


class Builder:
    """Builds SymPy values from parse trees, resolving names in a :class:`Scope`."""

    def __init__(self, scope: Scope, *, file: str | None = None) -> None:
        self.scope = scope
        self.file = file
        self._locals: list[dict[str, Any]] = []
        self._expanding: list[str] = []
        #: Declared names given another value everywhere, definitions included: a ``where`` name's stand-in, or a
        #: limit's variable.
        self.rebound: dict[str, Any] = {}

    # -- entry points -------------------------------------------------------------------------------------------

    def expression(self, text: str, *, line: int | None = None) -> Any:
        """Parse and build one expression (a relation is allowed and becomes a SymPy boolean)."""
        try:
            return self.node(P.parse_expression(text))
        except ExpressionError as err:
            err.located(file=self.file, line=line)
            raise
        except RecursionError:
            raise ExpressionError("expression nested too deeply", file=self.file, line=line) from None

    def side(self, node: P.Node) -> Any:
        """Build a side of a relation or an entry of a chain: a value, undefined wherever the expression as written
        is (a division by zero, a log or fractional power of a negative), though SymPy's evaluation removed it."""
        return _closed(lambda: self.value(node))

    def hypothesis(self, text: str, *, line: int | None = None) -> Any:
        """Build an ``assume``: a condition that holds only where it is defined as written, so its conditions
        (``x != 0`` for ``x/x = 1``, which SymPy makes true) are part of it."""
        with _frame() as needs:
            value = self.expression(text, line=line)
        if not needs or not isinstance(value, sp.logic.boolalg.Boolean) or isinstance(value, sp.Expr):
            return value
        return sp.And(*[c for c in needs if isinstance(c, sp.logic.boolalg.Boolean)], value)

    def value(self, node: P.Node) -> Any:
        """Build a node that must be a value (not a relation)."""
        out = self.node(node)
        if isinstance(out, sp.logic.boolalg.Boolean) and not isinstance(out, sp.Expr):
            raise ExpressionError("expected a value, found a relation", column=node.col)
        return out

    def node(self, node: P.Node) -> Any:
        """Build any node; SymPy's own complaints about ill-typed input become an :class:`ExpressionError`."""
        method = getattr(self, "_" + type(node).__name__)
        try:
            return method(node)
        except (VerifierError, RecursionError, MemoryError):
            raise
        except Exception as err:  # SymPy signals ill-typed input with many exception types (TypeError, ShapeError...)
            raise ExpressionError(f"cannot build {_excerpt(node)}: {_reason(err)}", column=node.col) from None

    # -- nodes --------------------------------------------------------------------------------------------------

    def _Num(self, node: P.Num) -> Expr:
        v: Fraction = node.value
        return sp.Rational(v.numerator, v.denominator)

    def _Name(self, node: P.Name) -> Any:
        name = node.id
        for frame in reversed(self._locals):
            if name in frame:
                return frame[name]
        if name in self.rebound:
            return self.rebound[name]
        if name in self.scope.symbols:
            info = self.scope.symbols[name]
            return family_vec(info) if info.indexed else info.symbol
        if name in self.scope.definitions:
            definition = self.scope.definitions[name]
            if definition.params is not None:
                raise ExpressionError(f"'{name}' is a function of {len(definition.params)} argument(s); "
                                      f"call it as {name}({', '.join(definition.params)})", column=node.col)
            return self._abbreviation(definition, node.col)
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in FUNCTIONS:
            raise ExpressionError(f"'{name}' is a function; call it with arguments", column=node.col)
        raise ExpressionError(f"undeclared name '{name}': declare it in [symbols] or [define]"
                              f"{self._suggest(name, call=False)}", column=node.col)

    def _abbreviation(self, definition: Definition, col: int) -> Any:
        if self.rebound:    # the cache holds values built under the declared names
            return self._expand(definition, {}, col)
        cached = self.scope._cache.get(definition.name)
        if cached is None:
            with _frame() as recorded:
                value = self._expand(definition, {}, col)
            cached = self.scope._cache[definition.name] = (value, tuple(recorded))
        value, conditions = cached
        for c in conditions:      # the conditions of the definition's body, each time it is used
            _record(c)
        return value

    def _expand(self, definition: Definition, frame: dict[str, Any], col: int) -> Any:
        if definition.name in self._expanding:
            cycle = [*self._expanding[self._expanding.index(definition.name):], definition.name]
            via = f" (through {' -> '.join(cycle)})" if len(cycle) > 2 else ""
            raise ExpressionError(f"definition '{definition.name}' refers to itself{via}; a definition may use only "
                                  "names declared or defined before it", column=col)
        self._expanding.append(definition.name)
        saved, self._locals = self._locals, [frame]
        try:
            return self.node(definition.body)
        except ExpressionError as err:
            if err.line is None and definition.line is not None:
                err.message = f"in definition of '{definition.name}': {err.message}"
                err.file, err.line = definition.file, definition.line
            raise
        finally:
            self._locals = saved
            self._expanding.pop()

    def _Neg(self, node: P.Neg) -> Any:
        value = self.value(node.operand)
        if isinstance(value, Vec):
            return value.map(lambda e: -e, f"-{value.label}")
        if isinstance(value, tuple):
            raise ExpressionError("a tuple cannot be negated", column=node.col)
        return -value

    def _BinOp(self, node: P.BinOp) -> Any:
        left, right = self.value(node.left), self.value(node.right)
        # A vector acts entry by entry, lazily: a matrix or tuple beside it would fail only when an entry is read,
        # far from this expression.
        if isinstance(left, Vec) or isinstance(right, Vec):
            other = right if isinstance(left, Vec) else left
            if isinstance(other, (sp.MatrixBase, tuple)):
                kind = "a matrix" if isinstance(other, sp.MatrixBase) else "a tuple"
                raise ExpressionError(f"cannot combine a vector with {kind} by '{node.op}' (write the vector as "
                                      "Matrix([...]) to use matrix arithmetic)", column=node.col)
        return _binary(node.op, left, right, node.col)

    def _Compare(self, node: P.Compare) -> Any:
        values = [self.value(o) for o in node.operands]
        links = []
        for op, a, b in zip(node.ops, values, values[1:], strict=False):
            if isinstance(a, (Vec, tuple)) or isinstance(b, (Vec, tuple)):
                raise ExpressionError("a condition must compare scalars", column=node.col)
            if _irrational_number(a) or _irrational_number(b):
                links.append(RELATIONS[op](a, b, evaluate=False))     # decided by the kernel, not by SymPy
            else:
                links.append(RELATIONS[op](a, b))
        return sp.And(*links) if len(links) > 1 else links[0]

    def _Vector(self, node: P.Vector) -> Any:
        if len(node.items) > MAX_VECTOR:
            raise ExpressionError(f"vector literal too long (at most {MAX_VECTOR} entries)", column=node.col)
        items = [self.value(i) for i in node.items]
        for item, child in zip(items, node.items, strict=True):
            if isinstance(item, (sp.MatrixBase, tuple)):
                raise ExpressionError("a vector's entries are numbers or expressions (or rows [..] of a matrix), "
                                      f"not {'a matrix' if isinstance(item, sp.MatrixBase) else 'a tuple'}",
                                      column=child.col)
        if any(isinstance(i, Vec) for i in items):
            rows = []
            for item in items:
                row = item.concrete_items() if isinstance(item, Vec) else None
                if row is None:
                    raise ExpressionError("a nested vector must have a known length", column=node.col)
                rows.append(row)
            return sp.Matrix(rows)
        return literal_vec(items)

    def _Tuple(self, node: P.Tuple) -> tuple[Any, ...]:
        return tuple(self.node(i) for i in node.items)

    def _Index(self, node: P.Index) -> Any:
        base = self.value(node.base)
        idx = tuple(self.value(i) for i in node.indices)
        for i in idx:
            if not isinstance(i, sp.Expr):
                raise ExpressionError("an index must be a scalar expression", column=node.col)
            if i.is_number and not i.is_Integer:
                raise ExpressionError(f"index {i} is not an integer", column=node.col)
            if i.is_integer is not True:
                raise ExpressionError(f"index {i} is not an integer expression: declare its names 'integer'",
                                      column=node.col)
        if isinstance(base, Vec):
            return base.entry(idx)
        if isinstance(base, sp.MatrixBase):
            if not all(i.is_Integer for i in idx) or len(idx) not in (1, 2):
                raise ExpressionError("a matrix takes one or two integer indices", column=node.col)
            pos = [int(i) - 1 for i in idx]
            if len(pos) == 1 and 0 <= pos[0] < len(base):
                return base[pos[0]]
            if len(pos) == 2 and 0 <= pos[0] < base.rows and 0 <= pos[1] < base.cols:
                return base[pos[0], pos[1]]
            shown = ", ".join(str(i) for i in idx)
            raise ExpressionError(f"matrix entry [{shown}] is out of range: the matrix is {base.rows} x {base.cols}, "
                                  "indexed from 1 (a matrix has no out-of-range-is-zero convention)",
                                  column=node.col)
        raise ExpressionError("only indexed families, vectors and matrices can be indexed", column=node.col)

    def _Call(self, node: P.Call) -> Any:
        name = node.func
        if name in self.scope.definitions and not self._shadowed(name):
            definition = self.scope.definitions[name]
            if definition.params is None:
                raise ExpressionError(f"'{name}' is not a function", column=node.col)
            if len(node.args) != len(definition.params):
                raise ExpressionError(f"{name}() takes {len(definition.params)} argument(s), "
                                      f"got {len(node.args)}", column=node.col)
            frame = {p: self.value(a) for p, a in zip(definition.params, node.args, strict=True)}
            return self._expand(definition, frame, node.col)
        special = _SPECIAL.get(name)
        if special is not None:
            return _keep(special(self, node))
        if name in FUNCTIONS:
            args = [self.value(a) for a in node.args]
            return _apply(name, args, node.col)
        if name in self.scope.symbols or self._shadowed(name):
            raise ExpressionError(f"'{name}' is not a function", column=node.col)
        raise ExpressionError(f"unknown function '{name}': use a built-in function or define it in [define]"
                              f"{self._suggest(name, call=True)}", column=node.col)

    def _shadowed(self, name: str) -> bool:
        return any(name in frame for frame in self._locals)

    def _suggest(self, name: str, *, call: bool) -> str:
        """A 'did you mean' hint among the names the expression could have meant."""
        if call:
            known = set(FUNCTIONS) | {d for d, v in self.scope.definitions.items() if v.params is not None}
        else:
            known = set(CONSTANTS) | set(self.scope.symbols) | {d for d, v in self.scope.definitions.items()
                                                                if v.params is None}
            known |= {n for frame in self._locals for n in frame}
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.8)
        if not close and name.lower() != name:
            close = [k for k in sorted(known) if k.lower() == name.lower()][:1]
        return f" (did you mean '{close[0]}'?)" if close else ""

    # -- binders ------------------------------------------------------------------------------------------------

    def bind(self, name: str, col: int) -> sp.Symbol:
        """A fresh integer symbol for a bound index (never captured by a free name of the same spelling)."""
        if name in FUNCTIONS or name in CONSTANTS:
            raise ExpressionError(f"'{name}' cannot be used as an index", column=col)
        return sp.Dummy(name, integer=True)

    def limits(self, node: P.Node, what: str) -> tuple[P.Name, P.Node, P.Node]:
        """Check a ``(j, lo, hi)`` triple of a sum, product or vector."""
        if not isinstance(node, P.Tuple) or len(node.items) != 3 or not isinstance(node.items[0], P.Name):
            raise ExpressionError(f"{what} expects limits (index, low, high), e.g. (j, 1, K)", column=node.col)
        return node.items[0], node.items[1], node.items[2]

    def integer_bound(self, node: P.Node, what: str) -> Expr:
        """A bound of a sum, product or vector: an integer expression, or an infinite one for a series."""
        value = self.value(node)
        if not isinstance(value, sp.Expr) or isinstance(value, sp.MatrixBase):
            raise ExpressionError(f"{what}: a bound must be a scalar", column=node.col)
        if value in (sp.oo, -sp.oo):
            return value
        if value.is_integer is not True:
            hint = "" if value.is_number else " (declare its names 'integer')"
            raise ExpressionError(f"{what}: the bound {value} is not an integer{hint}", column=node.col)
        return value

    @contextmanager
    def binding(self, values: dict[str, Any]) -> Iterator[None]:
        """Names bound to ``values`` while the block builds, as a sum binds its index: seen by the text being built,
        not inside the bodies of definitions it uses (a definition's names are its own)."""
        self._locals.append(values)
        try:
            yield
        finally:
            self._locals.pop()

    def bounded(self, body: P.Node, var: P.Name, value: Any) -> Any:
        """Build ``body`` with ``var`` bound to ``value``."""
        self._locals.append({var.id: value})
        try:
            return self.value(body)
        finally:
            self._locals.pop()


def _sum_like(cls: type) -> Callable[[Builder, P.Call], Any]:
    what = cls.__name__

    def build(b: Builder, node: P.Call) -> Any:
        if len(node.args) != 2:
            raise ExpressionError(f"{what}(expr, (j, low, high)) takes 2 arguments", column=node.col)
        var, lo_node, hi_node = b.limits(node.args[1], what)
        lo, hi = b.integer_bound(lo_node, what), b.integer_bound(hi_node, what)
        j = b.bind(var.id, var.col)
        if isinstance(lo, sp.Integer) and isinstance(hi, sp.Integer) and hi < lo:
            return sp.Integer(0) if cls is sp.Sum else sp.Integer(1)     # empty: not Karr's convention
        if isinstance(lo, sp.Integer) and isinstance(hi, sp.Integer) and 0 <= hi - lo + 1 <= MAX_WRITTEN_OUT:
            # Numeric bounds: the terms themselves, built with the index as a number (vector literals and
            # families then give their entries directly instead of a Piecewise over every position).
            terms = [b.bounded(node.args[0], var, sp.Integer(v)) for v in range(int(lo), int(hi) + 1)]
            if all(isinstance(t, sp.Expr) for t in terms):
                return sp.Add(*terms) if cls is sp.Sum else sp.Mul(*terms)
        body = _closed(lambda: b.bounded(node.args[0], var, j))
        if isinstance(body, Vec):
            return body.map(lambda e: cls(e, (j, lo, hi)), f"{what}(...)")
        if not isinstance(body, sp.Expr):
            raise ExpressionError(f"{what} of a non-scalar", column=node.col)
        return cls(body, (j, lo, hi))

    return build


def _vector(b: Builder, node: P.Call) -> Vec:
    if len(node.args) != 2:
        raise ExpressionError("vector(expr, (n, low, high)) takes 2 arguments", column=node.col)
    var, lo_node, hi_node = b.limits(node.args[1], "vector")
    lo, hi = b.integer_bound(lo_node, "vector"), b.integer_bound(hi_node, "vector")
    if not (lo.is_finite and hi.is_finite):
        raise ExpressionError("vector: the bounds must be finite", column=node.col)
    n = b.bind(var.id, var.col)
    body = _closed(lambda: b.bounded(node.args[0], var, n))
    if not isinstance(body, sp.Expr):
        raise ExpressionError("vector(expr, ...): the entries must be scalars", column=node.col)
    last = sp.expand(hi - lo + 1)
    if last.is_Integer and int(last) > MAX_VECTOR:
        raise ExpressionError(f"vector too long (at most {MAX_VECTOR} entries)", column=node.col)
    out = Vec(lambda idx: body.xreplace({n: lo + idx[0] - 1}), "vector(...)", last=last)
    return out.same_range(out.entry, "vector(...)", keeps_zero=False)


def _diff(b: Builder, node: P.Call) -> Any:
    """``diff(f, v)``, ``diff(f, v, n)`` and several variables ``diff(f, u, v, ...)``, each optionally followed by
    its order (``diff(f, w[a], 2, w[b])``), differentiated in the order written."""
    if not 2 <= len(node.args) <= 21:
        raise ExpressionError("diff(expr, v), diff(expr, v, n) or diff(expr, u, v, ...) takes 2 to 21 arguments",
                              column=node.col)
    expr = b.value(node.args[0])
    steps: list[tuple[Any, int]] = []
    for arg in node.args[1:]:
        value = b.value(arg)
        if isinstance(value, sp.Integer) and steps:
            if not 0 <= int(value) <= 20:
                raise ExpressionError("diff: the order must be an integer from 0 to 20", column=node.col)
            steps[-1] = (steps[-1][0], int(value))
        elif isinstance(value, (sp.Symbol, sp.Indexed)):
            if value.is_integer:
                raise ExpressionError(f"diff: {value} is an integer, and a function of an integer has no "
                                      "derivative; differentiate with respect to a real name", column=arg.col)
            steps.append((value, 1))
        else:
            raise ExpressionError("diff: differentiate with respect to a symbol or an entry x[k]", column=node.col)
    if sum(order for _, order in steps) > 20:
        raise ExpressionError("diff: the total order must be at most 20", column=node.col)

    def derivative(e: Any) -> Any:
        for var, order in steps:
            for _ in range(order):
                e = derivative_where_defined(e, var)
        return e

    if isinstance(expr, Vec):
        return expr.map(derivative, "diff(...)")
    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(derivative)
    return derivative(expr)


def derivative_where_defined(e: Expr, v: sp.Symbol | sp.Indexed) -> Expr:
    """``de/dv`` where it exists: a partial ``Piecewise`` (no otherwise branch) undefined where an argument of
    ``Abs``, ``sign``, ``Heaviside``, ``Max``, ``Min`` (through SymPy's ``sign`` and ``Heaviside`` in the
    derivative) is at its kink, or an argument of ``floor``/``ceiling`` is an integer.

    First the exact identities ``u*sign(u) = Abs(u)``, ``Abs(u)*sign(u) = u`` and ``u*DiracDelta(u) = 0`` (real u)
    remove the kinks that SymPy's formula only seems to have (``Abs(x)^2``, ``x*Abs(x)`` are differentiable at 0);
    a kink that remains makes the point undefined, even where a cancellation elsewhere would have made the
    function differentiable (the point is then left out of what a relation claims, never given a wrong value).
    """
    d = _exact_signs(sp.diff(e, v))
    conditions: list[sp.Basic] = []
    repl: dict[sp.Basic, sp.Basic] = {}
    for a in d.atoms(sp.sign, sp.Heaviside, sp.DiracDelta):
        w = a.args[0]
        if w.has(v):
            conditions.append(sp.Ne(w, 0))
            if isinstance(a, sp.DiracDelta):
                repl[a] = sp.Integer(0)
    for a in d.atoms(sp.Subs):      # the chain rule's Subs(Derivative(floor(t), t), t, u)
        inner = a.expr.expr if isinstance(a.expr, sp.Derivative) else None
        if isinstance(inner, (sp.floor, sp.ceiling)):
            u = inner.args[0].xreplace(dict(zip(a.variables, a.point, strict=True)))
            conditions.append(sp.Ne(u, sp.floor(u)))
            repl[a] = sp.Integer(0)
    d = d.xreplace(repl) if repl else d
    repl = {}
    for a in d.atoms(sp.Derivative):
        inner = a.expr
        if isinstance(inner, (sp.floor, sp.ceiling)):
            u = inner.args[0]
            conditions.append(sp.Ne(u, sp.floor(u)))
            repl[a] = sp.Integer(0)
        else:
            repl[a] = _bound_derivative(a)
    d = d.xreplace(repl) if repl else d
    if not conditions:
        return d
    return sp.Piecewise((d, sp.And(*conditions)))


def _bound_derivative(a: sp.Derivative) -> sp.Basic:
    """``Derivative(g(x), x)`` that SymPy left unevaluated, written as ``Subs(Derivative(g(t), t), t, x)`` with a
    fresh ``t``, so that a value given to ``x`` later is a point, not a new variable of differentiation."""
    fresh = {x: sp.Dummy(str(x), real=True) for x, _ in a.variable_count}
    inner = sp.Derivative(a.expr.xreplace(fresh), *[(fresh[x], n) for x, n in a.variable_count])
    return sp.Subs(inner, tuple(fresh.values()), tuple(fresh.keys()))


def _exact_signs(d: Expr) -> Expr:
    """Apply ``u*sign(u) = Abs(u)``, ``Abs(u)*sign(u) = u`` and ``u*DiracDelta(u) = 0`` inside products (real u)."""

    def simplify_product(m: sp.Mul) -> Expr:
        factors = list(m.args)
        changed = True
        while changed:
            changed = False
            for pos, f in enumerate(factors):
                if not isinstance(f, (sp.sign, sp.DiracDelta)) or len(f.args) != 1 or f.args[0].is_real is not True:
                    continue
                u = f.args[0]
                for other_pos, g in enumerate(factors):
                    if other_pos == pos:
                        continue
                    base, power = g.as_base_exp()
                    if not (power.is_Integer and power >= 1 and base in (u, sp.Abs(u))):
                        continue
                    if isinstance(f, sp.DiracDelta):
                        return sp.Integer(0)
                    rest = [x for k, x in enumerate(factors) if k not in (pos, other_pos)]
                    new = (sp.Abs(u) if base == u else u) * base ** (power - 1)
                    factors, changed = [*rest, new], True
                    break
                if changed:
                    break
        return sp.Mul(*factors)

    return d.replace(lambda x: isinstance(x, sp.Mul), simplify_product)


def _limit(b: Builder, node: P.Call) -> Any:
    if len(node.args) != 3:
        raise ExpressionError("limit(expr, z, point) takes 3 arguments", column=node.col)
    var = node.args[1]
    if not isinstance(var, P.Name):
        raise ExpressionError("limit: the variable must be a name", column=var.col)
    declared = b.value(var)
    if not isinstance(declared, sp.Symbol):
        raise ExpressionError("limit: the variable must be a scalar symbol", column=var.col)
    point = b.value(node.args[2])
    # Along the limit the variable takes every real value near the point: a fresh real name, with none of the
    # declared name's other words (z positive, limit(f(z), z, -oo) is the limit of f).
    z = sp.Dummy(var.id, real=True)
    saved = b.rebound.get(var.id)
    b.rebound[var.id] = z
    try:
        expr = _closed(lambda: b.bounded(node.args[0], var, z))
    finally:
        if saved is None:
            del b.rebound[var.id]
        else:
            b.rebound[var.id] = saved
    if not isinstance(expr, sp.Expr):
        raise ExpressionError("limit of a non-scalar", column=node.col)
    return sp.Limit(expr, z, point)


def _len(b: Builder, node: P.Call) -> Expr:
    if len(node.args) != 1:
        raise ExpressionError("len(v) takes 1 argument", column=node.col)
    v = b.value(node.args[0])
    if isinstance(v, sp.MatrixBase):
        return sp.Integer(len(v))
    if not isinstance(v, Vec) or v.length is None:
        raise ExpressionError("len: the argument must be a vector or a family with a declared range",
                              column=node.col)
    return v.length


def _flip(b: Builder, node: P.Call) -> Vec:
    if len(node.args) != 1:
        raise ExpressionError("flip(v) takes 1 argument", column=node.col)
    v = b.value(node.args[0])
    if not isinstance(v, Vec) or v.length is None:
        raise ExpressionError("flip: the argument must be a vector or a family with a declared range",
                              column=node.col)
    # A vector, indexed from 1 like every vector, whatever the range first..last of its argument: entry i is entry
    # last + 1 - i (flip(f0)[1] = f0[K] for f0 over 0..K). Outside 1..len the argument's index is outside its range,
    # where its entries are 0 already.
    top = cast(Expr, v.last) + 1
    return Vec(lambda idx: v.entry((top - idx[0],)), f"flip({v.label})", last=sp.expand(v.last - v.first + 1))


def _jacobian(b: Builder, node: P.Call) -> sp.Matrix:
    if len(node.args) != 2:
        raise ExpressionError("jacobian(F, vars) takes 2 arguments", column=node.col)
    f, xs = (b.value(a) for a in node.args)
    rows = f.concrete_items() if isinstance(f, Vec) else (list(f) if isinstance(f, sp.MatrixBase) else None)
    cols = xs.concrete_items() if isinstance(xs, Vec) else (list(xs) if isinstance(xs, sp.MatrixBase) else None)
    if rows is None or cols is None:
        raise ExpressionError("jacobian: both arguments must be vectors of known length", column=node.col)
    for c in cols:
        if not isinstance(c, (sp.Symbol, sp.Indexed)) or c.is_integer:
            raise ExpressionError("jacobian: the variables must be real names or entries x[k]", column=node.col)
    return sp.Matrix([[derivative_where_defined(r, c) for c in cols] for r in rows])


def _matrix(b: Builder, node: P.Call) -> sp.Matrix:
    if len(node.args) != 1:
        raise ExpressionError("Matrix([[...], ...]) takes 1 argument", column=node.col)
    v = b.value(node.args[0])
    if isinstance(v, sp.MatrixBase):
        return sp.Matrix(v)
    if isinstance(v, Vec) and v.concrete_items() is not None:
        return sp.Matrix(v.concrete_items())
    raise ExpressionError("Matrix: expected a list of rows", column=node.col)


def _piecewise(b: Builder, node: P.Call) -> Any:
    pairs = []
    # A branch's condition is evaluated when no earlier one holds: what it needs, this branch and every later one
    # need; a branch's value needs its own conditions only where it is chosen.
    evaluated: list[sp.Basic] = []
    wrapped = False
    for arg in node.args:
        if isinstance(arg, P.Tuple) and len(arg.items) == 2:
            with _frame() as needs:
                cond = b.node(arg.items[1])
            evaluated += [c for c in needs if c not in evaluated]
            with _frame() as needs:
                value = b.node(arg.items[0])
            given = cond if isinstance(cond, sp.logic.boolalg.Boolean) else sp.true
            pair: Any = (_wrap(_wrap(value, needs, given), evaluated), cond)
            wrapped = wrapped or pair[0] is not value
        else:
            pair = b.node(arg)
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise ExpressionError("Piecewise expects pairs (value, condition)", column=arg.col)
        value, cond = pair
        if cond is True or cond is False:
            cond = sp.true if cond else sp.false
        if not isinstance(cond, sp.logic.boolalg.Boolean) or isinstance(cond, sp.Expr) \
                or isinstance(value, (Vec, tuple)):
            raise ExpressionError("Piecewise expects pairs (value, condition), the condition a relation such as "
                                  "1 <= j <= k, or True", column=arg.col)
        pairs.append((value, cond))
    if not pairs:
        raise ExpressionError("Piecewise needs at least one pair", column=node.col)
    # With a partial branch value, unevaluated: SymPy may merge nested Piecewise conditions, and a branch chosen
    # where its value is undefined must not fall through to the next branch.
    return sp.Piecewise(*pairs, evaluate=not wrapped)


_SPECIAL: dict[str, Callable[[Builder, P.Call], Any]] = {
    "Sum": _sum_like(sp.Sum), "Product": _sum_like(sp.Product), "vector": _vector, "diff": _diff,
    "limit": _limit, "len": _len, "flip": _flip, "jacobian": _jacobian, "Matrix": _matrix,
    "Piecewise": _piecewise,
}

_UNARY: dict[str, Callable[..., Any]] = {
    "exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan,
    "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "Abs": sp.Abs, "sign": sp.sign, "floor": sp.floor,
    "ceiling": sp.ceiling, "Heaviside": sp.Heaviside, "transpose": sp.transpose, "Not": sp.Not,
}
_NARY: dict[str, tuple[Callable[..., Any], int, int]] = {
    "Max": (sp.Max, 1, 64), "Min": (sp.Min, 1, 64), "KroneckerDelta": (sp.KroneckerDelta, 2, 2),
    "eye": (sp.eye, 1, 1), "zeros": (sp.zeros, 1, 2), "diag": (sp.diag, 1, 64),
    "And": (sp.And, 1, 64), "Or": (sp.Or, 1, 64),
}

FUNCTIONS = names.FUNCTIONS
CONSTANTS: dict[str, Any] = {"pi": sp.pi, "E": sp.E, "oo": sp.oo, "True": sp.true, "False": sp.false}
assert FUNCTIONS == frozenset(_UNARY) | frozenset(_NARY) | frozenset(_SPECIAL)
assert names.CONSTANTS == frozenset(CONSTANTS)
RELATIONS: dict[str, Callable[..., Any]] = {
    "=": sp.Eq, "!=": sp.Ne, "<": sp.Lt, "<=": sp.Le, ">": sp.Gt, ">=": sp.Ge,
}


#: Functions whose automatic evaluation at an irrational number SymPy may get wrong (a floor of an algebraic number
#: near an integer, SymPy issues #21039, #26368): built unevaluated there, and decided rigorously by the kernel.
_UNEVALUATED = frozenset({"floor", "ceiling", "sign", "Abs", "Max", "Min"})


#: What a function needs of its argument to be defined (a real number).
_NEEDS: dict[str, Callable[..., sp.Basic]] = {"log": sp.Gt, "sqrt": sp.Ge}


def _irrational_number(a: Any) -> bool:
    return isinstance(a, sp.Expr) and not isinstance(a, sp.MatrixBase) and a.is_number and not a.is_Rational


def _apply(name: str, args: list[Any], col: int) -> Any:
    if name in _UNARY:
        if len(args) != 1:
            raise ExpressionError(f"{name}() takes 1 argument, got {len(args)}", column=col)
        (a,) = args
        fn = _UNARY[name]
        if isinstance(a, Vec):
            return a.map(lambda e: _apply(name, [e], col), f"{name}({a.label})")
        if isinstance(a, tuple):
            raise ExpressionError(f"{name}() of a tuple", column=col)
        if name in _UNEVALUATED and _irrational_number(a):
            return fn(a, evaluate=False)
        if name in _NEEDS and isinstance(a, sp.Expr) and not isinstance(a, sp.MatrixBase):
            _record(_NEEDS[name](a, 0, evaluate=False))
        return fn(a)
    fn, lo, hi = _NARY[name]
    if not lo <= len(args) <= hi:
        raise ExpressionError(f"{name}() takes {lo}..{hi} arguments, got {len(args)}", column=col)
    if any(isinstance(a, (Vec, tuple)) for a in args):
        if name == "diag" and len(args) == 1 and isinstance(args[0], Vec) and args[0].concrete_items():
            return sp.diag(*cast(list[Any], args[0].concrete_items()))
        raise ExpressionError(f"{name}() of a vector or tuple", column=col)
    if name in _UNEVALUATED and any(_irrational_number(a) for a in args):
        return fn(*args, evaluate=False)
    if name in ("eye", "zeros"):
        if not all(isinstance(a, sp.Integer) and 0 <= int(a) <= 1000 for a in args):
            raise ExpressionError(f"{name}() needs integer sizes from 0 to 1000", column=col)
        return fn(*[int(a) for a in args])
    return fn(*args)


# -- declarations ---------------------------------------------------------------------------------------------


def _usable_name(name: str) -> bool:
    """Whether ``name`` reads back as that same plain name in an expression (not a keyword, not a dunder)."""
    if not names.is_identifier(name):
        return False
    try:
        node = P.parse_expression(name)
    except ExpressionError:
        return False
    return isinstance(node, P.Name) and node.id == name


def _name_problem(name: str) -> str | None:
    """Why ``name`` cannot be declared or defined, as in "'exp' is a built-in name" (``None`` when it can)."""
    if name in FUNCTIONS or name in CONSTANTS:
        return f"'{name}' is a built-in name; choose another"
    if not _usable_name(name):
        if names.is_identifier(name):
            return f"'{name}' is a reserved word of the expression language; choose another"
        return f"'{name}' is not a plain name (letters, digits and '_', not starting with a digit or '__')"
    return None


def declare(name: str, text: str, scope: Scope, *, file: str | None = None, line: int | None = None) -> SymbolInfo:
    """Read one ``[symbols]`` entry (``"integer 1..K"``, ``"real (0, 1)"``, ``"in {0, 1}"``,
    ``"indexed real [0, 1] 1..m"`` ...) into a :class:`SymbolInfo` carrying its :class:`Declaration`."""
    problem = _name_problem(name)
    if problem:
        raise ExpressionError(f"symbol {problem}", file=file, line=line)
    spec = text.strip()
    if not spec:
        raise ExpressionError(f"symbol '{name}' has an empty declaration; write e.g. {name} = \"real\"",
                              file=file, line=line)
    try:
        return _declare(name, spec, Builder(scope, file=file), line)
    except ExpressionError as err:
        err.message = f"symbol '{name}' = {text!r}: {err.message}"
        err.located(file=file, line=line)
        raise
    except RecursionError:
        raise ExpressionError(f"symbol '{name}': declaration nested too deeply", file=file, line=line) from None


@dataclass
class _Parts:
    """The pieces of a declaration's text, before they are given a meaning."""

    words: list[str]
    indexed: bool
    domain: tuple[Expr, ...] | None = None
    interval: tuple[Expr, Expr, bool, bool] | None = None
    range: tuple[Expr, Expr] | None = None


def _declare(name: str, spec: str, builder: Builder, line: int | None) -> SymbolInfo:
    parts = _split_declaration(spec, builder)
    words = parts.words
    integer = "integer" in words
    interval, index_range = parts.interval, None
    if parts.range is not None:
        lo, hi = parts.range
        if parts.indexed:
            index_range = _integer_range(lo, hi, "an index range")
        elif "real" in words and not integer:
            if interval is not None:
                raise ExpressionError("give the values either as an interval or as LO..HI, not both")
            interval = (lo, hi, False, False)
        else:
            if interval is not None:
                raise ExpressionError("give the values either as an interval or as LO..HI, not both")
            lo, hi = _integer_range(lo, hi, "an integer range")
            interval, integer = (lo, hi, False, False), True
    if parts.domain is not None and all(v.is_integer for v in parts.domain) and "real" not in words:
        integer = True
    if integer:
        words = [*words, "integer"]
    elif (interval is not None or parts.domain is not None) and "complex" not in words:
        words = [*words, "real"]
    words = list(dict.fromkeys(words))
    if "complex" in words and (interval is not None or parts.domain is not None):
        raise ExpressionError("'complex' contradicts an interval or a finite domain of real numbers")
    signs = frozenset(w for w in words if w in SIGN_WORDS)
    check_consistent(signs, integer, interval, parts.domain)
    assumptions = _assumptions(words, signs, interval, parts.domain, zero_too=index_range is not None)
    try:
        symbol = sp.IndexedBase(name, **assumptions) if parts.indexed else sp.Symbol(name, **assumptions)
    except Exception as err:  # SymPy rejects contradictory assumptions with its own exception types
        raise ExpressionError(f"the words {' '.join(words)} contradict each other") from err
    values = None if interval is None else ValueInterval(*interval)
    declaration = Declaration(symbol, integer=integer, signs=signs, values=values, domain=parts.domain,
                              index_range=index_range)
    lo, hi = index_range if index_range is not None else (None, None)
    if not parts.indexed and integer and interval is not None:
        lo, hi = interval[0], interval[1]
    return SymbolInfo(name, symbol, indexed=parts.indexed, domain=None if parts.indexed else parts.domain,
                      lo=lo, hi=hi, words=tuple(words), line=line, declaration=declaration)


def _split_declaration(spec: str, builder: Builder) -> _Parts:
    """``['indexed'] word* ['in' '{'...'}'] [('['|'(') a ',' b (']'|')')] [lo '..' hi]``."""
    words: list[str] = []
    rest = spec
    while True:
        head, _, tail = rest.partition(" ")
        if head not in _ASSUMPTION_WORDS and head != "indexed":
            break
        words.append(head)
        rest = tail.strip()
    indexed = "indexed" in words
    parts = _Parts([w for w in words if w != "indexed"], indexed)
    if rest == "in" or rest.startswith(("in ", "in{")):
        rest = rest[2:].strip()
        if not rest.startswith("{"):
            raise ExpressionError("a finite domain is written in {a, b, ...}")
        closing = _matching(rest)
        parts.domain = _domain_values(rest[1:closing], builder)
        rest = rest[closing + 1:].strip()
    if rest[:1] in ("[", "(") and len(_top_level_split(rest[1:_matching(rest)])) > 1:
        closing = _matching(rest)
        ends = _top_level_split(rest[1:closing])
        if rest[closing] not in "])" or len(ends) != 2:
            raise ExpressionError("an interval is written [a, b], (a, b), [a, b) or (a, b], with two bounds")
        lo, hi = (_bound(t, builder) for t in ends)
        parts.interval = (lo, hi, rest[0] == "(", rest[closing] == ")")
        rest = rest[closing + 1:].strip()
    if rest:
        if ".." not in rest:
            allowed = ", ".join(sorted(_ASSUMPTION_WORDS))
            raise ExpressionError(f"unknown word '{rest.split()[0]}' (allowed: indexed, {allowed}, 'in {{...}}', "
                                  "an interval [a, b] or (a, b), a range LO..HI)")
        lo_text, _, hi_text = rest.partition("..")
        if not lo_text.strip() or not hi_text.strip():
            raise ExpressionError("a range needs both bounds, as in 1..K")
        parts.range = (_bound(lo_text, builder), _bound(hi_text, builder))
    return parts


def _matching(text: str) -> int:
    """The position of the bracket closing the one that opens ``text``."""
    # An interval may close with the other kind of bracket ([a, b) is half-open); inner brackets must match.
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for pos, ch in enumerate(text):
        if ch in "([{":
            stack.append(ch)
        elif ch in pairs:
            if len(stack) == 1 and (text[0] in "([") == (ch in ")]"):
                return pos
            if not stack or stack.pop() != pairs[ch]:
                break
    raise ExpressionError(f"unbalanced brackets in {text!r}")


def _top_level_split(text: str) -> list[str]:
    """``text`` split at the commas outside brackets."""
    out, depth, start = [], 0, 0
    for pos, ch in enumerate(text):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "," and depth == 0:
            out.append(text[start:pos])
            start = pos + 1
    return [*out, text[start:]]


def _bound(text: str, builder: Builder) -> Expr:
    """One end of a range or interval: a finite real number or an expression of declared names."""
    bound = builder.value(P.parse_expression(text))
    if not isinstance(bound, sp.Expr) or isinstance(bound, sp.MatrixBase):
        raise ExpressionError(f"bound '{text.strip()}' is not a scalar: a bound is a number or an expression such "
                              "as K - 1")
    if bound.is_number and not (bound.is_real and bound.is_finite):
        raise ExpressionError(f"bound {bound} is not a finite real number (for no bound, leave it out: "
                              "'real', 'integer positive')")
    return bound


def _integer_range(lo: Expr, hi: Expr, what: str) -> tuple[Expr, Expr]:
    for bound in (lo, hi):
        if bound.is_integer is not True:
            raise ExpressionError(f"range bound {bound} is not an integer ({what} has integer bounds; a real "
                                  "interval is written 'real a..b' or with brackets, 'real [a, b]')")
    if (lo - hi).is_positive:
        raise ExpressionError(f"the range {lo}..{hi} is empty (write the low bound first)")
    return lo, hi


def _sign_set(signs: frozenset[str]) -> sp.Set:
    """The real numbers the sign words allow."""
    allowed = frozenset({-1, 0, 1})
    for w in signs:
        allowed &= SIGN_WORDS[w]
    pieces = {-1: sp.Interval.open(-sp.oo, 0), 0: sp.FiniteSet(0), 1: sp.Interval.open(0, sp.oo)}
    return sp.Union(*[pieces[s] for s in sorted(allowed)]) if allowed else sp.S.EmptySet


def check_consistent(signs: frozenset[str], integer: bool, interval: tuple | None,
                      domain: tuple[Expr, ...] | None) -> None:
    """A declaration that allows no value at all is an error that says which words contradict."""
    allowed = _sign_set(signs)
    if allowed is sp.S.EmptySet:
        raise ExpressionError(f"the words {' and '.join(sorted(signs))} contradict each other (no number is both)")
    if interval is not None and all(b.is_number for b in interval[:2]):
        lo, hi, lo_open, hi_open = interval
        box = sp.Interval(lo, hi, lo_open, hi_open)
        if box.is_empty:
            raise ExpressionError(f"the interval {_show_interval(interval)} is empty")
        allowed = sp.Intersection(allowed, box)
        if integer:
            allowed = sp.Intersection(allowed, sp.Range(sp.ceiling(lo), sp.floor(hi) + 1))
        if allowed.is_empty:
            said = " ".join(sorted(signs | ({"integer"} if integer else set())))
            raise ExpressionError(f"no number in {_show_interval(interval)} is {said}: the words contradict")
    if domain is not None:
        for v in domain:
            if integer and not v.is_integer:
                raise ExpressionError(f"the domain value {v} is not an integer, though the declaration says "
                                      "'integer'")
            if allowed.contains(v) is not sp.true:
                raise ExpressionError(f"the domain value {v} is not allowed by the other words of the declaration")


def _show_interval(interval: tuple) -> str:
    lo, hi, lo_open, hi_open = interval
    return f"{'(' if lo_open else '['}{lo}, {hi}{')' if hi_open else ']'}"


def _assumptions(words: list[str], signs: frozenset[str], interval: tuple | None,
                 domain: tuple[Expr, ...] | None, *, zero_too: bool) -> dict[str, bool]:
    """The SymPy assumptions of the declared symbol: what holds for every value it can take. For a family with an
    index range (``zero_too``) that includes the 0 outside the range: ``indexed positive 1..K`` gives nonnegative
    entries, never positive ones."""
    real = "real" in words or "integer" in words or bool(signs)
    out: dict[str, bool] = {}
    if "integer" in words:
        out["integer"] = True
    elif real:
        out["real"] = True
    elif "complex" in words:
        out["complex"] = True
    if domain is not None and all(v.is_integer for v in domain):
        out["integer"] = True
    if not real:
        return out
    # Only exact rational bounds and values are compared here: SymPy's numerical comparison of irrational numbers
    # is not trusted, and an assumption SymPy believes is used by every simplification.
    values = _sign_set(signs)
    if interval is not None:
        lo, hi, lo_open, hi_open = interval
        values = sp.Intersection(values, sp.Interval(lo if lo.is_Rational else -sp.oo,
                                                     hi if hi.is_Rational else sp.oo, lo_open, hi_open))
    if domain is not None and all(v.is_Rational for v in domain):
        values = sp.FiniteSet(*domain)
    if zero_too:
        values = sp.Union(values, sp.FiniteSet(0))
    inf, sup = values.inf, values.sup
    if inf.is_number and inf >= 0:
        out["positive" if (inf > 0 or 0 not in values) else "nonnegative"] = True
    elif sup.is_number and sup <= 0:
        out["negative" if (sup < 0 or 0 not in values) else "nonpositive"] = True
    elif 0 not in values and not zero_too:
        out["nonzero"] = True
    return out


def _domain_values(inner: str, builder: Builder) -> tuple[Expr, ...]:
    if not inner.strip():
        raise ExpressionError("the finite domain {} is empty: the declaration allows no value")
    # Parsed as a vector literal: "{1] + [2}" would parse as a sum of two vectors, not as a list of values.
    node = P.parse_expression(f"[{inner}]")
    if not isinstance(node, P.Vector):
        raise ExpressionError("a finite domain is a list of numbers separated by commas, as in {0, 1}")
    if len(node.items) > MAX_DOMAIN:
        raise ExpressionError(f"a finite domain holds at most {MAX_DOMAIN} values (the engine checks each value as "
                              "a case of its own); for a larger range write 'integer LO..HI'")
    values: dict[Expr, None] = {}
    for item in node.items:
        v = builder.value(item)
        if not (isinstance(v, sp.Expr) and v.is_number):
            raise ExpressionError(f"a finite domain holds numbers, got {P.unparse(item)}")
        if not (v.is_real and v.is_finite):
            raise ExpressionError(f"a finite domain holds finite real numbers, got {v}")
        values[v] = None
    return tuple(values)


#: At most this many values in a finite domain ``in {...}``: the engine splits an obligation into one case per value,
#: and no obligation may have more cases than this (``verifier.frontend.goals.MAX_CASES``).
MAX_DOMAIN = 64


def parse_signature(key: str) -> tuple[str, tuple[str, ...] | None]:
    """Split a ``[define]`` key: ``"sigma(z)"`` gives ``("sigma", ("z",))``, ``"f"`` gives ``("f", None)``."""
    key = key.strip()
    if "(" not in key and ")" not in key:
        problem = _name_problem(key)
        if problem:
            raise ExpressionError(problem)
        return key, None
    name, _, rest = key.partition("(")
    name = name.strip()
    rest = rest.strip()
    if not rest.endswith(")") or "(" in rest or ")" in rest[:-1]:
        raise ExpressionError("a function is defined as name(a, b) = \"...\", with plain parameter names inside "
                              "one pair of parentheses")
    problem = _name_problem(name)
    if problem:
        raise ExpressionError(problem)
    inner = rest[:-1].strip()
    params = tuple(p.strip() for p in inner.split(",")) if inner else ()
    for p in params:
        if not p:
            raise ExpressionError("an empty parameter: write name(a, b), without a stray comma")
        problem = _name_problem(p)
        if problem:
            raise ExpressionError(f"parameter {problem}")
    repeated = sorted({p for p in params if params.count(p) > 1})
    if repeated:
        raise ExpressionError(f"parameter '{repeated[0]}' is repeated")
    return name, params
