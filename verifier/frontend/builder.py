"""Turning parsed expressions into SymPy objects, under the names a derivation file declares.

The parser (:mod:`verifier.frontend.parser`) gives a tree; the :class:`Builder` walks it and calls SymPy
constructors directly, so nothing from a file is ever evaluated as Python. Only the built-in functions and constants
(:mod:`verifier.frontend.builtins`), the declared symbols, the definitions and locally bound names (function
parameters, ``Sum`` indices) resolve; anything else is an :class:`ExpressionError` naming it.

Values while building are SymPy expressions, booleans (conditions), tuples (``Sum`` limits, ``Piecewise`` pairs),
matrices, or a :class:`~verifier.frontend.values.Vec`. A side is wrapped with the definedness conditions its built
value lost (:meth:`Builder.side`; see :mod:`verifier.frontend.values`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from typing import Any, TypeAlias, cast

import sympy as sp

from verifier.errors import EngineFault, ExpressionError, VerifierError
from verifier.frontend import parser as P
from verifier.frontend.builtins import (
    BUILTINS,
    CONNECTIVES,
    CONSTANTS,
    FUNCTIONS,
    apply_function,
    irrational_number,
)
from verifier.frontend.definedness import Frames
from verifier.frontend.scope import Definition, Scope
from verifier.frontend.values import (
    MAX_VECTOR,
    Vec,
    closed,
    family_vec,
    keep,
    literal_vec,
    power_condition,
    real_argument,
    root,
)
from verifier.kernel.relations import RELATION_CLASSES

Expr: TypeAlias = sp.Expr

#: Upper limit on exponents a file can ask SymPy to compute with eagerly.
MAX_EXPONENT = 10_000
#: A recursion error while building a tree deeper than this is the input's nesting (see Builder.recursion_error).
DEEP_INPUT = 60


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

def _binary(frames: Frames, op: str, a: Any, b: Any, col: int) -> Any:
    if isinstance(a, Vec) or isinstance(b, Vec):
        return _vec_binary(frames, op, a, b, col)
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
        frames.record(sp.Ne(b, 0, evaluate=False))
        return a / b
    if op == "^":
        _check_exponent(b, col)
        if isinstance(a, sp.Basic) and a.is_Number and isinstance(b, sp.Basic) and b.is_Number:
            if abs(a) > 1 and abs(b) * max(1, sp.log(abs(a), 2).evalf(5)) > MAX_EXPONENT * 4:
                raise ExpressionError("number too large to compute exactly", column=col)
        if isinstance(a, sp.Expr) and isinstance(b, sp.Expr) and not isinstance(a, sp.MatrixBase):
            frames.record(power_condition(a, b))
            return root(a, b)
        return a ** b
    raise ExpressionError(f"unknown operator {op!r}", column=col)


def _vec_binary(frames: Frames, op: str, a: Any, b: Any, col: int) -> Vec:
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
        return _binary(frames, op, x, y, col)

    try:
        with frames.recording():      # a probe: what it records is no part of the expression
            keeps_zero = _binary(frames, op, sp.Integer(0) if va else a, sp.Integer(0) if vb else b, col) == 0
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
        #: Where the definedness conditions of what is being built are recorded: the scope's, shared by its builders.
        self.frames: Frames = scope.frames
        self._locals: list[dict[str, Any]] = []
        self._expanding: list[str] = []
        #: Declared names given another value everywhere, definitions included: a ``where`` name's stand-in, or a
        #: limit's variable.
        self.rebound: dict[str, sp.Symbol] = {}
        #: The values of the ``where`` names' stand-ins, put in before a partial derivative in another name.
        self.given: dict[sp.Symbol, sp.Expr] = {}
        #: The depth of the node being built, and the deepest reached (definitions expanded): a recursion error
        #: past :data:`DEEP_INPUT` is the input's nesting, below it SymPy's own.
        self.depth = 0
        self.deepest = 0

    # -- entry points -------------------------------------------------------------------------------------------

    def expression(self, text: str, *, line: int | None = None) -> Any:
        """Parse and build one expression (a relation is allowed and becomes a SymPy boolean)."""
        try:
            return self.node(P.parse_expression(text))
        except ExpressionError as err:
            err.located(file=self.file, line=line)
            raise
        except RecursionError:
            raise self.recursion_error(line) from None

    def recursion_error(self, line: int | None) -> ExpressionError:
        """The error for a recursion too deep while building: the input's nesting when it is deep, else a fault
        of the engine (SymPy recursing on a shallow expression, as on some equations in Piecewise conditions)."""
        if self.deepest > DEEP_INPUT:
            return ExpressionError("expression nested too deeply", file=self.file, line=line)
        return EngineFault(f"SymPy recursed too deeply on an expression {self.deepest} levels deep",
                           file=self.file, line=line)

    def side(self, node: P.Node) -> Any:
        """Build a side of a relation or an entry of a chain: a value, undefined wherever the expression as written
        is (a division by zero, a log or fractional power of a negative), though SymPy's evaluation removed it."""
        return closed(self.frames, lambda: self.value(node))

    def hypothesis(self, text: str, *, line: int | None = None) -> Any:
        """Build an ``assume``: a condition that holds only where it is defined as written, so its conditions
        (``x != 0`` for ``x/x = 1``, which SymPy makes true) are part of it."""
        with self.frames.recording() as needs:
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

    def condition(self, node: P.Node) -> sp.logic.boolalg.Boolean:
        """Build a node that must be a condition: a relation, ``True``, ``False``, or ``And``/``Or``/``Not`` of them."""
        out = self.node(node)
        if not isinstance(out, sp.logic.boolalg.Boolean) or isinstance(out, sp.Expr):
            raise ExpressionError("expected a condition (a relation such as x = 2, True or False), found a value",
                                  column=node.col)
        return out

    def node(self, node: P.Node) -> Any:
        """Build any node; SymPy's own complaints about ill-typed input become an :class:`ExpressionError`."""
        method = getattr(self, "_" + type(node).__name__)
        self.depth += 1
        self.deepest = max(self.deepest, self.depth)
        try:
            return method(node)
        except (VerifierError, RecursionError, MemoryError):
            raise
        except Exception as err:  # SymPy signals ill-typed input with many exception types (TypeError, ShapeError...)
            raise ExpressionError(f"cannot build {_excerpt(node)}: {_reason(err)}", column=node.col) from None
        finally:
            self.depth -= 1

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
        cached = self.scope.cache.get(definition.name)
        if cached is None:
            with self.frames.recording() as recorded:
                value = self._expand(definition, {}, col)
            cached = self.scope.cache[definition.name] = (value, tuple(recorded))
        value, conditions = cached
        for c in conditions:      # the conditions of the definition's body, each time it is used
            self.frames.record(c)
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
                err.file = definition.file
                err.located(line=definition.line, column=definition.column)
            raise
        finally:
            self._locals = saved
            self._expanding.pop()

    def _Neg(self, node: P.Neg) -> Any:
        value = self.value(node.operand)
        if isinstance(value, Vec):
            return value.map(lambda e: -e, f"-{value.label}", self.frames)
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
        return _binary(self.frames, node.op, left, right, node.col)

    def _Compare(self, node: P.Compare) -> Any:
        values = [real_argument(self.frames, self.value(o)) for o in node.operands]
        links = []
        for op, a, b in zip(node.ops, values, values[1:], strict=False):
            if isinstance(a, (Vec, tuple)) or isinstance(b, (Vec, tuple)):
                raise ExpressionError("a condition must compare scalars", column=node.col)
            if irrational_number(a) or irrational_number(b):
                links.append(RELATION_CLASSES[op](a, b, evaluate=False))     # decided by the kernel, not by SymPy
            else:
                links.append(RELATION_CLASSES[op](a, b))
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
        builtin = BUILTINS.get(name)
        if builtin is not None and builtin.special:
            return keep(self.frames, builtin.build(self, node))
        if name in CONNECTIVES:
            return apply_function(self.frames, name, [self.condition(a) for a in node.args], node.col)
        if name in FUNCTIONS:
            args = [self.value(a) for a in node.args]
            return apply_function(self.frames, name, args, node.col)
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
