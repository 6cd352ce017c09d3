"""The built-in functions, constants and relations of the expression language, as SymPy builds them.

:data:`BUILTINS` is the one table of the functions (:class:`Builtin`: name, arity, how it builds, what it needs to be
defined, whether SymPy's evaluation of it is trusted, how the display shows it). A special function (``Sum``,
``diff``, ``Piecewise``...) is built from its parse tree by the builder it is given; the others are SymPy functions
applied to built arguments (:func:`apply_function`), entry by entry on a vector.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias, cast

import sympy as sp

from verifier.errors import ExpressionError
from verifier.frontend import kinks, names
from verifier.frontend import parser as P
from verifier.frontend.definedness import Frames
from verifier.frontend.joints import flat_points, joint_derivative, removable_points
from verifier.frontend.values import MAX_VECTOR, Vec, closed, real_argument, root, wrap
from verifier.kernel import defined
from verifier.kernel.interval import settle

Expr: TypeAlias = sp.Expr

class Building(Protocol):
    """What a special function needs of the builder that calls it (:class:`verifier.frontend.builder.Builder`)."""

    rebound: dict[str, sp.Symbol]
    given: dict[sp.Symbol, sp.Expr]
    frames: Frames

    def value(self, node: P.Node) -> Any:
        """Build a node that must be a value."""

    def node(self, node: P.Node) -> Any:
        """Build any node."""

    def limits(self, node: P.Node, what: str) -> tuple[P.Name, P.Node, P.Node]:
        """Check a ``(j, lo, hi)`` triple."""

    def integer_bound(self, node: P.Node, what: str) -> Expr:
        """A bound of a sum, product or vector."""

    def bind(self, name: str, col: int) -> sp.Symbol:
        """A fresh integer symbol for a bound index."""

    def bounded(self, body: P.Node, var: P.Name, value: Any) -> Any:
        """Build ``body`` with ``var`` bound to ``value``."""


#: Sums and products with numeric bounds and at most this many terms are built term by term.
MAX_WRITTEN_OUT = 200


def _sum_like(cls: type) -> Callable[[Building, P.Call], Any]:
    what = cls.__name__

    def build(b: Building, node: P.Call) -> Any:
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
        body = closed(b.frames, lambda: b.bounded(node.args[0], var, j))
        if isinstance(body, Vec):
            return body.map(lambda e: cls(e, (j, lo, hi)), f"{what}(...)", b.frames)
        if not isinstance(body, sp.Expr):
            raise ExpressionError(f"{what} of a non-scalar", column=node.col)
        return cls(body, (j, lo, hi))

    return build


def _vector(b: Building, node: P.Call) -> Vec:
    if len(node.args) != 2:
        raise ExpressionError("vector(expr, (n, low, high)) takes 2 arguments", column=node.col)
    var, lo_node, hi_node = b.limits(node.args[1], "vector")
    lo, hi = b.integer_bound(lo_node, "vector"), b.integer_bound(hi_node, "vector")
    if not (lo.is_finite and hi.is_finite):
        raise ExpressionError("vector: the bounds must be finite", column=node.col)
    n = b.bind(var.id, var.col)
    body = closed(b.frames, lambda: b.bounded(node.args[0], var, n))
    if not isinstance(body, sp.Expr):
        raise ExpressionError("vector(expr, ...): the entries must be scalars", column=node.col)
    last = sp.expand(hi - lo + 1)
    if last.is_Integer and int(last) > MAX_VECTOR:
        raise ExpressionError(f"vector too long (at most {MAX_VECTOR} entries)", column=node.col)
    out = Vec(lambda idx: body.xreplace({n: lo + idx[0] - 1}), "vector(...)", last=last)
    return out.same_range(out.entry, "vector(...)", keeps_zero=False)


def _diff(b: Building, node: P.Call) -> Any:
    """``diff(f, v)``, ``diff(f, v, n)`` and several variables ``diff(f, u, v, ...)``, each optionally followed by
    its order (``diff(f, w[a], 2, w[b])``), differentiated in the order written."""
    if not 2 <= len(node.args) <= 21:
        raise ExpressionError("diff(expr, v), diff(expr, v, n) or diff(expr, u, v, ...) takes 2 to 21 arguments",
                              column=node.col)
    expr = b.value(node.args[0])
    steps: list[tuple[sp.Symbol | sp.Indexed, int]] = []
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

    given = {s: v for s, v in b.given.items() if all(s != var for var, _ in steps)}
    if given and isinstance(expr, sp.Expr) and not isinstance(expr, sp.MatrixBase):
        expr = _held_fixed(expr, given)

    def derivative(e: Any) -> Any:
        for var, order in steps:
            for _ in range(order):
                e = derivative_where_defined(e, var)
        return e

    if isinstance(expr, Vec):
        return expr.map(derivative, "diff(...)", b.frames)
    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(derivative)
    return derivative(expr)


def _held_fixed(e: Expr, values: dict[sp.Symbol, sp.Expr]) -> Expr:
    """``e`` with the values of the ``where`` names it is not differentiated in put in first: a partial derivative
    is the derivative of the function of the others at those values (``diff(Abs(x*z), x)`` at ``z = 0`` is that of
    0, defined at every x, not undefined wherever ``x*z`` is 0). Only where ``e`` is then shown defined as written,
    so that no pole is evaluated away (``tan(pi/2)`` would be ``zoo``); else ``e`` unchanged."""
    if any(settle(c, values) is not sp.true for c in defined.conditions(e, sufficient=True)):
        return e
    out = settle(e, values)
    return e if out.has(sp.zoo, sp.nan, sp.oo, -sp.oo) else out


def derivative_where_defined(e: Expr, v: sp.Symbol | sp.Indexed) -> Expr:
    """``de/dv`` where it exists: at the joints of a ``Piecewise`` whose conditions depend on ``v``, only where the
    function is continuous and its one-sided derivatives agree (:mod:`verifier.frontend.joints`); elsewhere as
    :func:`_smooth_derivative`. A sum whose terms each read one entry of ``v``'s family is differentiated through
    its one term that reads ``v`` (:func:`~verifier.frontend.kinks.own_term`), so that its kinks are decided as a
    scalar function's; in any other sum a joint in ``v`` is left undefined
    (:func:`~verifier.frontend.kinks.sum_joints`). A ``Piecewise`` whose conditions do not depend on ``v`` is
    differentiated branch by branch (the branch chosen is the same on a neighbourhood)."""
    e = kinks.factored(e)
    if isinstance(e, sp.Piecewise) and not any(
            c.has(v) or (isinstance(v, sp.Indexed) and c.has(v.base)) for _, c in e.args):
        return sp.Piecewise(*[(derivative_where_defined(x, v), c) for x, c in e.args])
    term = kinks.own_term(e, v)
    if term is not None:        # differentiated in a symbol standing for the entry (the joint rule solves for it)
        c, f, inside = term
        t = sp.Dummy("t", **{w: True for w in _WORDS if getattr(v, "is_" + w)})
        own = derivative_where_defined(f.xreplace({v: t}), t).xreplace({t: v})
        return sp.Piecewise((c * own, inside), (0, True))
    joint = joint_derivative(e, v, derivative_where_defined, _smooth_derivative)
    d = joint if joint is not None else _smooth_derivative(e, v)
    guard = kinks.sum_joints(e, v)
    return d if guard is None else d + guard


#: What a symbol standing for an entry is told of it.
_WORDS = ("real", "positive", "negative", "nonnegative", "nonpositive", "nonzero")


def _smooth_derivative(e: Expr, v: sp.Symbol | sp.Indexed) -> Expr:
    """``de/dv`` where it exists, away from the joints of a ``Piecewise``: a partial ``Piecewise`` (no otherwise
    branch) undefined where an argument of
    ``Abs``, ``sign``, ``Heaviside``, ``Max``, ``Min`` (through SymPy's ``sign`` and ``Heaviside`` in the
    derivative) is at its kink, or an argument of ``floor``/``ceiling`` is an integer.

    First the exact identities ``u*sign(u) = Abs(u)``, ``Abs(u)*sign(u) = u`` and ``u*DiracDelta(u) = 0`` (real u)
    remove the kinks that SymPy's formula only seems to have (``Abs(x)^2``, ``x*Abs(x)`` are differentiable at 0);
    a kink that remains makes the point undefined, even where a cancellation elsewhere would have made the
    function differentiable (the point is then left out of what a relation claims, never given a wrong value).
    """
    d = kinks.in_summands(_exact_signs(kinks.merged_powers(sp.diff(e, v), e)), v)
    conditions: list[sp.Basic] = kinks.relation_kinks(d, v, direct=False)
    flat: list[tuple[Expr, sp.Basic]] = []      # the derivative where a floor or ceiling is locally constant
    repl: dict[sp.Basic, sp.Basic] = {}
    stands = False      # a kink that may be none (kinks.still, kinks.damping): d is right where it is
    for a in set(kinks.outside_sums(d, *kinks.KINKS)):
        w = a.args[0]
        kink = kinks.kink_condition(w, v)
        standing = kinks.still(w, v, d, a) if kink is not None else None
        kink = kink if standing is None else sp.Or(kink, standing)
        stands = stands or standing is not None
        damp = kinks.damping(d, a, w) if isinstance(a, (sp.sign, sp.Heaviside)) else sp.false
        kink = kink if kink is None or damp is sp.false else sp.Or(kink, damp)
        stands = stands or damp not in (sp.true, sp.false)
        if kink is not None and kink is not sp.true:
            conditions.append(kink)
            if isinstance(a, sp.DiracDelta):
                repl[a] = sp.Integer(0)
    for a in d.atoms(sp.Subs):      # the chain rule's Subs(Derivative(floor(t), t), t, u)
        inner = a.expr.expr if isinstance(a.expr, sp.Derivative) else None
        if isinstance(inner, (sp.floor, sp.ceiling)):
            u = inner.args[0].xreplace(dict(zip(a.variables, a.point, strict=True)))
            conditions.append(sp.Ne(u, sp.floor(u)))
            flat += _where_flat(e, v, inner.func(u))
            repl[a] = sp.Integer(0)
    d = d.xreplace(repl) if repl else d
    repl = {}
    for a in d.atoms(sp.Derivative):
        inner = a.expr
        if isinstance(inner, (sp.floor, sp.ceiling)):
            u = inner.args[0]
            conditions.append(sp.Ne(u, sp.floor(u)))
            flat += _where_flat(e, v, inner)
            repl[a] = sp.Integer(0)
        else:
            repl[a] = _bound_derivative(a)
    d = d.xreplace(repl) if repl else d
    if not conditions:
        removable = removable_points(e, d, v)
        return sp.Piecewise(*removable, (d, True)) if removable else d
    cases = _kinks_as_cases(e, v)
    if cases is not None:
        joint = joint_derivative(cases, v, derivative_where_defined, _smooth_derivative)
        if joint is not None:
            if stands:
                return sp.Piecewise(*flat, (d, sp.And(*conditions)), (joint, True))
            return sp.Piecewise(*flat, (joint, True)) if flat else joint
    return sp.Piecewise(*flat, (d, sp.And(*conditions)))


def _where_flat(e: Expr, v: sp.Symbol | sp.Indexed, step: sp.Basic) -> list[tuple[Expr, sp.Basic]]:
    """``de/dv`` at the points where ``step`` (``floor(u)`` or ``ceiling(u)``) is constant on a neighbourhood though
    ``u`` is an integer there (:func:`~verifier.frontend.joints.flat_points`): there ``e`` is ``e`` with ``step``
    replaced by that constant, and so is its derivative; each with the condition ``v = c``."""
    out = []
    for c, n in flat_points(step.args[0], v, floor=isinstance(step, sp.floor)):
        value = derivative_where_defined(e.xreplace({step: n}), v).xreplace({v: c})
        if not value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            out.append((value, sp.Eq(v, c)))
    return out


#: The functions with a kink or a jump that are read as cases at a kink of the derivative.
_KINKED = (sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min)
#: At most this many of them in one expression are read as cases (each adds a boundary).
MAX_KINKS = 4


def _kinks_as_cases(e: Expr, v: sp.Symbol | sp.Indexed) -> Expr | None:
    """``e`` with every ``Abs``, ``sign``, ``Heaviside``, ``Max`` and ``Min`` of an argument depending on ``v``
    written as the ``Piecewise`` of its cases (``Abs(w)`` as ``w`` where ``w >= 0``, ``-w`` elsewhere), innermost
    first, so that the rule for the joints of a ``Piecewise`` (:mod:`verifier.frontend.joints`) decides the
    derivative at a kink by the function itself: ``Max(x, 0) + Min(x, 0)`` is ``x``, with derivative 1 at 0.
    ``None`` when there is none or too many."""
    kinks = [a for a in e.atoms(*_KINKED) if a.has(v)]
    if not kinks or len(kinks) > MAX_KINKS:
        return None

    def cases(x: sp.Basic) -> sp.Basic:
        if not x.args or not x.has(v):
            return x
        x = x.func(*[cases(a) for a in x.args])
        return x.rewrite(sp.Piecewise) if isinstance(x, _KINKED) else x

    try:
        out = cases(e)
    except (ValueError, TypeError, NotImplementedError):
        return None
    return out if isinstance(out, sp.Expr) and not out.atoms(*_KINKED) & set(kinks) else None


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
                    if isinstance(f, sp.DiracDelta) and power.is_positive and kinks.renamed(base) == \
                            kinks.renamed(sp.Abs(u)):
                        return sp.Integer(0)        # |u|^p*sign(u) is continuous at u = 0 for p > 0: no jump
                    if not (power.is_Integer and power >= 1 and kinks.renamed(base) in (
                            kinks.renamed(u), kinks.renamed(sp.Abs(u)))):
                        continue
                    if isinstance(f, sp.DiracDelta):
                        return sp.Integer(0)
                    rest = [x for k, x in enumerate(factors) if k not in (pos, other_pos)]
                    new = (sp.Abs(u) if kinks.renamed(base) == kinks.renamed(u) else u) * base ** (power - 1)
                    factors, changed = [*rest, new], True
                    break
                if changed:
                    break
        return sp.Mul(*factors)

    return d.replace(lambda x: isinstance(x, sp.Mul), simplify_product)


def _limit(b: Building, node: P.Call) -> Expr:
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
        expr = closed(b.frames, lambda: b.bounded(node.args[0], var, z))
    finally:
        if saved is None:
            del b.rebound[var.id]
        else:
            b.rebound[var.id] = saved
    if not isinstance(expr, sp.Expr):
        raise ExpressionError("limit of a non-scalar", column=node.col)
    return sp.Limit(expr, z, point)


def _len(b: Building, node: P.Call) -> Expr:
    if len(node.args) != 1:
        raise ExpressionError("len(v) takes 1 argument", column=node.col)
    v = b.value(node.args[0])
    if isinstance(v, sp.MatrixBase):
        return sp.Integer(len(v))
    if not isinstance(v, Vec) or v.length is None:
        raise ExpressionError("len: the argument must be a vector or a family with a declared range",
                              column=node.col)
    return v.length


def _flip(b: Building, node: P.Call) -> Vec:
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


def _jacobian(b: Building, node: P.Call) -> sp.Matrix:
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


def _matrix(b: Building, node: P.Call) -> sp.Matrix:
    if len(node.args) != 1:
        raise ExpressionError("Matrix([[...], ...]) takes 1 argument", column=node.col)
    v = b.value(node.args[0])
    if isinstance(v, sp.MatrixBase):
        return sp.Matrix(v)
    if isinstance(v, Vec) and v.concrete_items() is not None:
        return sp.Matrix(v.concrete_items())
    raise ExpressionError("Matrix: expected a list of rows", column=node.col)


def _piecewise(b: Building, node: P.Call) -> Any:
    pairs = []
    # A branch's condition is evaluated when no earlier one holds: what it needs, this branch and every later one
    # need; a branch's value needs its own conditions only where it is chosen.
    evaluated: list[sp.Basic] = []
    wrapped = numeric = False
    for arg in node.args:
        if isinstance(arg, P.Tuple) and len(arg.items) == 2:
            with b.frames.recording() as needs:
                cond = b.node(arg.items[1])
            evaluated += [c for c in needs if c not in evaluated]
            with b.frames.recording() as needs:
                value = b.node(arg.items[0])
            given = cond if isinstance(cond, sp.logic.boolalg.Boolean) else sp.true
            pair: Any = (wrap(b.frames, wrap(b.frames, value, needs, given), evaluated), cond)
            wrapped = wrapped or pair[0] is not value
        else:
            pair = b.node(arg)
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise ExpressionError("Piecewise expects pairs (value, condition)", column=arg.col)
        value, cond = pair
        if cond is True or cond is False:
            cond = sp.true if cond else sp.false
        if isinstance(cond, sp.Basic) and not cond.free_symbols and cond not in (sp.true, sp.false):
            # A condition on numbers alone is decided here, rigorously (SymPy's collapse of the arguments would
            # divide by the zero coefficient of its names and fail on zoo); one left undecided is kept as written.
            cond = settle(cond)
            numeric = numeric or cond not in (sp.true, sp.false)
        if not isinstance(cond, sp.logic.boolalg.Boolean) or isinstance(cond, sp.Expr) \
                or isinstance(value, (Vec, tuple)):
            raise ExpressionError("Piecewise expects pairs (value, condition), the condition a relation such as "
                                  "1 <= j <= k, or True", column=arg.col)
        pairs.append((value, cond))
    if not pairs:
        raise ExpressionError("Piecewise needs at least one pair", column=node.col)
    # With a partial branch value, unevaluated: SymPy may merge nested Piecewise conditions, and a branch chosen
    # where its value is undefined must not fall through to the next branch. With an undecided condition on
    # numbers, unevaluated too: SymPy's collapse would fail on it.
    return sp.Piecewise(*pairs, evaluate=not (wrapped or numeric))


@dataclass(frozen=True)
class Builtin:
    """One built-in function of the expression language: how it builds, and what it needs to be defined.

    ``build`` is SymPy's function, applied to built arguments (entry by entry on a vector when ``entrywise``), taking
    ``arity`` arguments; or, when ``special``, how the call builds from its parse tree (it binds a name,
    differentiates, ...). ``needs`` is what its argument must satisfy for a real value (``log``: ``> 0``); ``exact``
    says that SymPy's evaluation at an irrational number is not trusted: the call is then built unevaluated and
    decided by the kernel (a floor of an algebraic number near an integer, SymPy issues #21039, #26368).
    ``compares`` says that its value depends on the sign of a real argument (``Max``, ``Abs``, ``floor``): an
    argument not real anywhere makes the call undefined (:func:`~verifier.frontend.values.real_argument`).
    ``shown_as_call`` says that the display writes it as a call (its value is a vector it does not expand)."""

    name: str
    build: Callable[..., Any]
    arity: tuple[int, int] = (1, 1)
    special: bool = False
    entrywise: bool = False
    needs: Callable[..., sp.Basic] | None = None
    exact: bool = False
    compares: bool = False
    shown_as_call: bool = False


def _sqrt(a: Any) -> Any:
    """``sqrt(a)``, defined wherever it is as written (:func:`verifier.frontend.values.root`)."""
    return root(a, sp.Rational(1, 2)) if isinstance(a, sp.Expr) else sp.sqrt(a)


def _entrywise(name: str, build: Callable[..., Any], **words: Any) -> Builtin:
    return Builtin(name, build, entrywise=True, **words)


def _special(name: str, build: Callable[[Building, P.Call], Any], **words: Any) -> Builtin:
    return Builtin(name, build, special=True, **words)


#: Every built-in function, by name.
BUILTINS: dict[str, Builtin] = {b.name: b for b in (
    _entrywise("exp", sp.exp), _entrywise("log", sp.log, needs=sp.Gt), _entrywise("sqrt", _sqrt, needs=sp.Ge),
    _entrywise("sin", sp.sin), _entrywise("cos", sp.cos), _entrywise("tan", sp.tan), _entrywise("sinh", sp.sinh),
    _entrywise("cosh", sp.cosh), _entrywise("tanh", sp.tanh), _entrywise("Abs", sp.Abs, exact=True, compares=True),
    _entrywise("sign", sp.sign, exact=True, compares=True), _entrywise("floor", sp.floor, exact=True, compares=True),
    _entrywise("ceiling", sp.ceiling, exact=True, compares=True),
    _entrywise("Heaviside", sp.Heaviside, compares=True),
    _entrywise("transpose", sp.transpose), _entrywise("Not", sp.Not),
    _entrywise("sec", sp.sec), _entrywise("csc", sp.csc), _entrywise("cot", sp.cot), _entrywise("asin", sp.asin),
    _entrywise("acos", sp.acos), _entrywise("atan", sp.atan), _entrywise("asinh", sp.asinh),
    _entrywise("acosh", sp.acosh), _entrywise("atanh", sp.atanh),
    Builtin("Max", sp.Max, (1, 64), exact=True, compares=True),
    Builtin("Min", sp.Min, (1, 64), exact=True, compares=True),
    Builtin("KroneckerDelta", sp.KroneckerDelta, (2, 2)), Builtin("eye", sp.eye, (1, 1)),
    Builtin("zeros", sp.zeros, (1, 2)), Builtin("diag", sp.diag, (1, 64)), Builtin("And", sp.And, (1, 64)),
    Builtin("Or", sp.Or, (1, 64)),
    _special("Sum", _sum_like(sp.Sum)), _special("Product", _sum_like(sp.Product)),
    _special("vector", _vector, shown_as_call=True), _special("diff", _diff), _special("limit", _limit),
    _special("len", _len, shown_as_call=True), _special("flip", _flip, shown_as_call=True),
    _special("jacobian", _jacobian, shown_as_call=True), _special("Matrix", _matrix),
    _special("Piecewise", _piecewise),
)}

FUNCTIONS = names.FUNCTIONS
#: The functions whose arguments are conditions, not values.
CONNECTIVES = frozenset({"And", "Or", "Not"})
CONSTANTS: dict[str, sp.Basic] = {"pi": sp.pi, "E": sp.E, "oo": sp.oo, "True": sp.true, "False": sp.false}
assert FUNCTIONS == frozenset(BUILTINS)
assert names.CONSTANTS == frozenset(CONSTANTS)


#: Where the trigonometric functions and their inverses are real (the principal branches), recorded while building:
#: SymPy's evaluation may remove the call (``sin(asin(u)) = u``), not the condition.
_DOMAINS: dict[str, Callable[[sp.Expr], list[sp.Basic]]] = {
    "tan": lambda u: [sp.Ne(sp.cos(u), 0, evaluate=False)], "sec": lambda u: [sp.Ne(sp.cos(u), 0, evaluate=False)],
    "cot": lambda u: [sp.Ne(sp.sin(u), 0, evaluate=False)], "csc": lambda u: [sp.Ne(sp.sin(u), 0, evaluate=False)],
    "asin": lambda u: [sp.Ge(u + 1, 0, evaluate=False), sp.Ge(1 - u, 0, evaluate=False)],
    "acos": lambda u: [sp.Ge(u + 1, 0, evaluate=False), sp.Ge(1 - u, 0, evaluate=False)],
    "acosh": lambda u: [sp.Ge(u - 1, 0, evaluate=False)],
    "atanh": lambda u: [sp.Gt(u + 1, 0, evaluate=False), sp.Gt(1 - u, 0, evaluate=False)],
}


def _log_base(frames: Frames, args: list[Any], col: int) -> Any:
    """``log(u, b)``, the logarithm of ``u`` to the base ``b`` (SymPy's two-argument log): ``log(u)/log(b)``,
    defined where ``u > 0``, ``b > 0`` and ``b != 1``."""
    u, b = args
    if not all(isinstance(a, sp.Expr) and not isinstance(a, sp.MatrixBase) for a in args):
        raise ExpressionError("log(u, b) takes two scalars: the number and the base", column=col)
    frames.record(sp.Gt(u, 0, evaluate=False))
    frames.record(sp.Gt(b, 0, evaluate=False))
    frames.record(sp.Ne(b, 1, evaluate=False))
    return sp.log(u, b)


def irrational_number(a: object) -> bool:
    """Whether ``a`` is a number that is not rational (SymPy's evaluation at it is not trusted)."""
    return isinstance(a, sp.Expr) and not isinstance(a, sp.MatrixBase) and a.is_number and not a.is_Rational


def apply_function(frames: Frames, name: str, args: list[Any], col: int) -> Any:
    """A built-in function that is not special, applied to built arguments (recording what it needs into
    ``frames``)."""
    if name == "log" and len(args) == 2:
        return _log_base(frames, args, col)
    b = BUILTINS[name]
    fn = b.build
    if b.entrywise:
        if len(args) != 1:
            raise ExpressionError(f"{name}() takes 1 argument, got {len(args)}", column=col)
        (a,) = args
        if isinstance(a, Vec):
            return a.map(lambda e: apply_function(frames, name, [e], col), f"{name}({a.label})", frames)
        if isinstance(a, tuple):
            raise ExpressionError(f"{name}() of a tuple", column=col)
        if b.compares:
            a = real_argument(frames, a)
        if b.exact and irrational_number(a):
            return fn(a, evaluate=False)
        if b.needs is not None and isinstance(a, sp.Expr) and not isinstance(a, sp.MatrixBase):
            frames.record(b.needs(a, 0, evaluate=False))
        if name in _DOMAINS and isinstance(a, sp.Expr) and not isinstance(a, sp.MatrixBase):
            for c in _DOMAINS[name](a):
                frames.record(c)
        return fn(a)
    lo, hi = b.arity
    if not lo <= len(args) <= hi:
        raise ExpressionError(f"{name}() takes {lo}..{hi} arguments, got {len(args)}", column=col)
    if any(isinstance(a, (Vec, tuple)) for a in args):
        if name == "diag" and len(args) == 1 and isinstance(args[0], Vec) and args[0].concrete_items():
            return sp.diag(*cast(list[Any], args[0].concrete_items()))
        raise ExpressionError(f"{name}() of a vector or tuple", column=col)
    if b.compares:
        args = [real_argument(frames, a) for a in args]
    if b.exact and any(irrational_number(a) for a in args):
        return fn(*args, evaluate=False)
    if name in ("eye", "zeros"):
        if not all(isinstance(a, sp.Integer) and 0 <= int(a) <= 1000 for a in args):
            raise ExpressionError(f"{name}() needs integer sizes from 0 to 1000", column=col)
        return fn(*[int(a) for a in args])
    return fn(*args)
