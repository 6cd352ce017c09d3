"""Turning parsed expressions into SymPy objects, under the names a derivation file declares.

The parser (:mod:`verifier.frontend.parser`) gives a tree; this module walks it and calls SymPy constructors directly, so
nothing from a file is ever evaluated as Python. Only the names of :data:`FUNCTIONS` and :data:`CONSTANTS`, the
declared symbols, the definitions and locally bound names (function parameters, ``Sum`` indices) resolve; anything
else is an :class:`ExpressionError` naming it.

Values while building are SymPy expressions, booleans (conditions), tuples (``Sum`` limits, ``Piecewise`` pairs),
matrices, or a :class:`Vec`: a family indexed from 1 (an indexed symbol, a vector literal, ``vector(...)``,
``flip(v)``, or arithmetic on those, which acts entry by entry).

Declarations of ``[symbols]`` are read here too (:func:`declare`), in a small language of their own::

    decl  := 'in' '{' expr (',' expr)* '}'
           | ['indexed'] word* [expr '..' expr]
    word  := real | positive | negative | nonnegative | nonpositive | nonzero | integer | complex
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Sequence

import sympy as sp

from verifier.frontend import names
from verifier.frontend import parser as P
from verifier.errors import ExpressionError, VerifierError

Expr = sp.Expr

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

    def merged(self, other: "Scope") -> "Scope":
        """A new scope with ``other``'s names added after this one's (a ``use``d file's names come first)."""
        out = Scope(dict(self.symbols), dict(self.definitions))
        out.symbols.update(other.symbols)
        out.definitions.update(other.definitions)
        return out

    def by_symbol(self) -> dict[Any, SymbolInfo]:
        """Declared infos keyed by their SymPy object."""
        return {info.symbol: info for info in self.symbols.values()}


class Vec:
    """A family indexed from 1: ``entry(idx)`` gives the entry at a tuple of indices, ``length`` its size if known."""

    def __init__(self, entry: Callable[[tuple[Expr, ...]], Any], length: Expr | None, label: str,
                 items: Sequence[Any] | None = None) -> None:
        self.entry = entry
        self.length = length
        self.label = label
        self.items = list(items) if items is not None else None

    def __repr__(self) -> str:
        return f"Vec({self.label})"

    def concrete_items(self) -> list[Any] | None:
        """All entries when the length is a known integer, else ``None``."""
        if self.items is not None:
            return self.items
        if self.length is not None and self.length.is_Integer and 0 <= int(self.length) <= MAX_VECTOR:
            return [self.entry((sp.Integer(i),)) for i in range(1, int(self.length) + 1)]
        return None

    def map(self, fn: Callable[[Any], Any], label: str) -> "Vec":
        """Apply ``fn`` to every entry."""
        return Vec(lambda idx: fn(self.entry(idx)), self.length, label)


def _literal_entry(items: list[Any], idx: tuple[Expr, ...]) -> Any:
    if len(idx) != 1:
        raise ExpressionError(f"a vector takes one index, got {len(idx)}")
    (i,) = idx
    if i.is_Integer:
        return items[int(i) - 1] if 1 <= int(i) <= len(items) else sp.Integer(0)
    return sp.Piecewise(*[(item, sp.Eq(i, n)) for n, item in enumerate(items, start=1)], (0, True))


def literal_vec(items: list[Any], label: str = "vector") -> Vec:
    """A vector literal: entries 1..len, zero outside."""
    return Vec(lambda idx: _literal_entry(items, idx), sp.Integer(len(items)), label, items)


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

    length = None
    if info.lo is not None:
        length = sp.expand(info.hi - info.lo + 1)
    return Vec(entry, length, info.name)


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
        return a / b
    if op == "^":
        _check_exponent(b, col)
        if isinstance(a, sp.Basic) and a.is_Number and isinstance(b, sp.Basic) and b.is_Number:
            if abs(a) > 1 and abs(b) * max(1, sp.log(abs(a), 2).evalf(5)) > MAX_EXPONENT * 4:
                raise ExpressionError("number too large to compute exactly", column=col)
        return a ** b
    raise ExpressionError(f"unknown operator {op!r}", column=col)


def _vec_binary(op: str, a: Any, b: Any, col: int) -> Vec:
    la = a.length if isinstance(a, Vec) else None
    lb = b.length if isinstance(b, Vec) else None
    if la is not None and lb is not None and (la - lb).is_nonzero:
        raise ExpressionError(f"vectors of different lengths ({la} and {lb})", column=col)

    def entry(idx: tuple[Expr, ...]) -> Any:
        x = a.entry(idx) if isinstance(a, Vec) else a
        y = b.entry(idx) if isinstance(b, Vec) else b
        return _binary(op, x, y, col)

    label = f"({a.label if isinstance(a, Vec) else a} {op} {b.label if isinstance(b, Vec) else b})"
    return Vec(entry, la if la is not None else lb, label)


class Builder:
    """Builds SymPy values from parse trees, resolving names in a :class:`Scope`."""

    def __init__(self, scope: Scope, *, file: str | None = None) -> None:
        self.scope = scope
        self.file = file
        self._locals: list[dict[str, Any]] = []
        self._expanding: list[str] = []

    # -- entry points -------------------------------------------------------------------------------------------

    def expression(self, text: str, *, line: int | None = None) -> Any:
        """Parse and build one expression (a relation is allowed and becomes a SymPy boolean)."""
        try:
            return self.node(P.parse_expression(text))
        except ExpressionError as err:
            raise err.located(file=self.file, line=line)
        except RecursionError:
            raise ExpressionError("expression nested too deeply", file=self.file, line=line) from None

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
        cached = self.scope._cache.get(definition.name)
        if cached is not None:
            return cached
        value = self._expand(definition, {}, col)
        self.scope._cache[definition.name] = value
        return value

    def _expand(self, definition: Definition, frame: dict[str, Any], col: int) -> Any:
        if definition.name in self._expanding:
            cycle = self._expanding[self._expanding.index(definition.name):] + [definition.name]
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
        for op, a, b in zip(node.ops, values, values[1:]):
            if isinstance(a, (Vec, tuple)) or isinstance(b, (Vec, tuple)):
                raise ExpressionError("a condition must compare scalars", column=node.col)
            links.append(RELATIONS[op](a, b))
        return sp.And(*links) if len(links) > 1 else links[0]

    def _Vector(self, node: P.Vector) -> Any:
        if len(node.items) > MAX_VECTOR:
            raise ExpressionError(f"vector literal too long (at most {MAX_VECTOR} entries)", column=node.col)
        items = [self.value(i) for i in node.items]
        for item, child in zip(items, node.items):
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
            if len(pos) == 1:
                return base[pos[0]] if 0 <= pos[0] < len(base) else sp.Integer(0)
            r, c = pos
            return base[r, c] if 0 <= r < base.rows and 0 <= c < base.cols else sp.Integer(0)
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
            frame = {p: self.value(a) for p, a in zip(definition.params, node.args)}
            return self._expand(definition, frame, node.col)
        special = _SPECIAL.get(name)
        if special is not None:
            return special(self, node)
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
        lo, hi = b.value(lo_node), b.value(hi_node)
        j = b.bind(var.id, var.col)
        if isinstance(lo, sp.Integer) and isinstance(hi, sp.Integer) and 0 <= hi - lo + 1 <= MAX_WRITTEN_OUT:
            # Numeric bounds: the terms themselves, built with the index as a number (vector literals and
            # families then give their entries directly instead of a Piecewise over every position).
            terms = [b.bounded(node.args[0], var, sp.Integer(v)) for v in range(int(lo), int(hi) + 1)]
            if all(isinstance(t, sp.Expr) for t in terms):
                return sp.Add(*terms) if cls is sp.Sum else sp.Mul(*terms)
        body = b.bounded(node.args[0], var, j)
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
    lo, hi = b.value(lo_node), b.value(hi_node)
    n = b.bind(var.id, var.col)
    body = b.bounded(node.args[0], var, n)
    length = sp.expand(hi - lo + 1)

    def entry(idx: tuple[Expr, ...]) -> Any:
        if len(idx) != 1:
            raise ExpressionError("a vector takes one index", column=node.col)
        (i,) = idx
        value = body.xreplace({n: lo + i - 1})
        inside = sp.And(sp.Ge(i, 1), sp.Le(i, length))
        if inside is sp.true:
            return value
        if inside is sp.false:
            return sp.Integer(0)
        return sp.Piecewise((value, inside), (0, True))

    if length.is_Integer and int(length) > MAX_VECTOR:
        raise ExpressionError(f"vector too long (at most {MAX_VECTOR} entries)", column=node.col)
    return Vec(entry, length, "vector(...)")


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
            steps.append((value, 1))
        else:
            raise ExpressionError("diff: differentiate with respect to a symbol or an entry x[k]", column=node.col)
    if sum(order for _, order in steps) > 20:
        raise ExpressionError("diff: the total order must be at most 20", column=node.col)
    for var, order in steps:
        if isinstance(expr, Vec):
            expr = expr.map(lambda e, var=var, order=order: sp.diff(e, var, order), "diff(...)")
        elif isinstance(expr, sp.MatrixBase):
            expr = expr.diff(var, order)
        else:
            expr = sp.diff(expr, var, order)
    return expr


def _limit(b: Builder, node: P.Call) -> Any:
    if len(node.args) != 3:
        raise ExpressionError("limit(expr, z, point) takes 3 arguments", column=node.col)
    expr, var, point = (b.value(a) for a in node.args)
    if not isinstance(var, sp.Symbol):
        raise ExpressionError("limit: the variable must be a symbol", column=node.col)
    return sp.Limit(expr, var, point)


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
    n = v.length
    return Vec(lambda idx: v.entry((n - idx[0] + 1,)), n, f"flip({v.label})")


def _jacobian(b: Builder, node: P.Call) -> sp.Matrix:
    if len(node.args) != 2:
        raise ExpressionError("jacobian(F, vars) takes 2 arguments", column=node.col)
    f, xs = (b.value(a) for a in node.args)
    rows = f.concrete_items() if isinstance(f, Vec) else (list(f) if isinstance(f, sp.MatrixBase) else None)
    cols = xs.concrete_items() if isinstance(xs, Vec) else (list(xs) if isinstance(xs, sp.MatrixBase) else None)
    if rows is None or cols is None:
        raise ExpressionError("jacobian: both arguments must be vectors of known length", column=node.col)
    return sp.Matrix([[sp.diff(r, c) for c in cols] for r in rows])


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
    for arg in node.args:
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
    return sp.Piecewise(*pairs)


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
RELATIONS: dict[str, Callable[[Any, Any], Any]] = {
    "=": sp.Eq, "!=": sp.Ne, "<": sp.Lt, "<=": sp.Le, ">": sp.Gt, ">=": sp.Ge,
}


def _apply(name: str, args: list[Any], col: int) -> Any:
    if name in _UNARY:
        if len(args) != 1:
            raise ExpressionError(f"{name}() takes 1 argument, got {len(args)}", column=col)
        (a,) = args
        fn = _UNARY[name]
        if isinstance(a, Vec):
            return a.map(fn, f"{name}({a.label})")
        if isinstance(a, tuple):
            raise ExpressionError(f"{name}() of a tuple", column=col)
        return fn(a)
    fn, lo, hi = _NARY[name]
    if not lo <= len(args) <= hi:
        raise ExpressionError(f"{name}() takes {lo}..{hi} arguments, got {len(args)}", column=col)
    if any(isinstance(a, (Vec, tuple)) for a in args):
        if name == "diag" and len(args) == 1 and isinstance(args[0], Vec) and args[0].concrete_items():
            return sp.diag(*args[0].concrete_items())
        raise ExpressionError(f"{name}() of a vector or tuple", column=col)
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
    """Read one ``[symbols]`` entry (``"integer 1..K"``, ``"in {0, 1}"``, ``"indexed real 1..m"`` ...)."""
    problem = _name_problem(name)
    if problem:
        raise ExpressionError(f"symbol {problem}", file=file, line=line)
    builder = Builder(scope, file=file)
    spec = text.strip()
    if not spec:
        raise ExpressionError(f"symbol '{name}' has an empty declaration; write e.g. {name} = \"real\"",
                              file=file, line=line)
    try:
        if spec == "in" or spec.startswith(("in ", "in{")):
            return _declare_domain(name, spec[2:].strip(), builder, line)
        words, lo, hi = _split_range(spec, builder)
    except ExpressionError as err:
        err.message = f"symbol '{name}' = {text!r}: {err.message}"
        raise err.located(file=file, line=line)
    except RecursionError:
        raise ExpressionError(f"symbol '{name}': declaration nested too deeply", file=file, line=line) from None
    indexed = "indexed" in words
    words = [w for w in words if w != "indexed"]
    for w in words:
        if w not in _ASSUMPTION_WORDS:
            allowed = ", ".join(sorted(_ASSUMPTION_WORDS))
            raise ExpressionError(f"symbol '{name}': unknown word '{w}' (allowed: indexed, {allowed}, a range "
                                  f"LO..HI, or 'in {{...}}')", file=file, line=line)
    words = list(dict.fromkeys(words))
    if lo is not None and hi is not None and (lo - hi).is_positive:
        raise ExpressionError(f"symbol '{name}': the range {lo}..{hi} is empty (write the low bound first)",
                              file=file, line=line)
    if lo is not None and not indexed and "integer" not in words:
        words.append("integer")
    assumptions: dict[str, bool] = {}
    for w in words:
        assumptions.update(_ASSUMPTION_WORDS[w])
    if lo is not None and not indexed and lo.is_number:
        if lo >= 1:
            assumptions["positive"] = True
        elif lo >= 0:
            assumptions["nonnegative"] = True
    try:
        symbol = sp.IndexedBase(name, **assumptions) if indexed else sp.Symbol(name, **assumptions)
    except Exception as err:  # SymPy rejects contradictory assumptions with its own exception types
        raise ExpressionError(f"symbol '{name}': contradictory assumptions {words}", file=file, line=line) from err
    return SymbolInfo(name, symbol, indexed=indexed, lo=lo, hi=hi, words=tuple(words), line=line)


def _split_range(spec: str, builder: Builder) -> tuple[list[str], Expr | None, Expr | None]:
    if ".." not in spec:
        return spec.split(), None, None
    head, _, hi_text = spec.partition("..")
    parts = head.split()
    # The low bound is the last word before '..'; everything before it is assumption words.
    idx = len(parts)
    while idx > 0 and parts[idx - 1] not in _ASSUMPTION_WORDS and parts[idx - 1] != "indexed":
        idx -= 1
    words, lo_text = parts[:idx], " ".join(parts[idx:])
    if not lo_text or not hi_text.strip():
        raise ExpressionError("a range needs both bounds, as in 1..K")
    bounds = []
    for text in (lo_text, hi_text):
        bound = builder.value(P.parse_expression(text))
        if not isinstance(bound, sp.Expr):
            raise ExpressionError(f"range bound '{text.strip()}' is not a scalar: a bound is an integer "
                                  "expression such as 1, K or K - 1")
        if bound.is_number and not bound.is_Integer:
            hint = " (for no bound, leave the range out: 'integer positive' or 'integer')" \
                if bound.is_infinite or bound.has(sp.zoo) else ""
            raise ExpressionError(f"range bound {bound} is not an integer{hint}")
        bounds.append(bound)
    return words, bounds[0], bounds[1]


def _declare_domain(name: str, body: str, builder: Builder, line: int | None) -> SymbolInfo:
    body = body.strip()
    if not (body.startswith("{") and body.endswith("}")):
        raise ExpressionError("a finite domain is written in {a, b, ...}")
    inner = body[1:-1].strip()
    if not inner:
        raise ExpressionError("a finite domain needs at least one value")
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
    assumptions: dict[str, bool] = {}
    if all(v.is_integer for v in values):
        assumptions["integer"] = True
    elif all(v.is_real for v in values):
        assumptions["real"] = True
    words = tuple(assumptions)
    return SymbolInfo(name, sp.Symbol(name, **assumptions), domain=tuple(values), words=words, line=line)


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
