"""Values while building, besides SymPy's own: a :class:`Vec`, a family over an integer range (an indexed symbol,
over its declared range; a vector literal, ``vector(...)`` or ``flip(v)``, indexed from 1; or arithmetic on those,
which acts entry by entry), and the definedness conditions recorded while a value is built.

SymPy evaluates while it builds (``x/x`` is 1, ``sqrt(x)^2`` is ``x``, ``exp(log(u))`` is ``u``), which would lose
the points where the written expression is undefined (section 2a). So every division, negative power, ``log``,
``sqrt`` and fractional power records its condition while it is built (into the innermost open frame of the scope's
:class:`~verifier.frontend.definedness.Frames`, which every function here that builds is given), and a side whose
built value no longer carries one of them is wrapped as a partial ``Piecewise((value, lost conditions))``
(:func:`wrap`, :func:`closed`). Inside a sum, product, vector or limit the conditions wrap the body (they may
mention its bound index, and an empty range needs none); in a ``Piecewise`` they wrap the branch that needs them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

import sympy as sp

from verifier import kernel
from verifier.errors import ExpressionError
from verifier.frontend.definedness import NOWHERE, Frames
from verifier.frontend.scope import SymbolInfo
from verifier.kernel import defined
from verifier.kernel.relations import RELATION_OPS

Expr: TypeAlias = sp.Expr

#: Upper limit on the entries of a vector a file can ask SymPy to compute with eagerly.
MAX_VECTOR = 10_000


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

    def map(self, fn: Callable[[Any], Any], label: str, frames: Frames) -> Vec:
        """Apply ``fn`` to every entry (the result is again 0 outside the range: ``exp([1, 2])[3] = 0``);
        ``frames`` are those ``fn`` records into."""
        return self.same_range(lambda idx: fn(self.entry(idx)), label, keeps_zero=_sends_zero_to_zero(fn, frames))


def _sends_zero_to_zero(fn: Callable[[Any], Any], frames: Frames) -> bool:
    try:
        with frames.recording():      # a probe: what it records is no part of the expression
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



def real_argument(frames: Frames, a: Any) -> Any:
    """``a`` as the argument of an operation that compares it (a relation, ``Max``, ``Min``, ``Abs``, ``floor``...):
    ``a`` itself, unless SymPy shows it is not real at any point (``log(-p)`` for a positive ``p``, ``sqrt(-3)``,
    ``1/0``), which only an operation undefined as written gives. The application is then undefined everywhere
    (section 2a): it records :data:`NOWHERE` into ``frames`` and takes 0 for the argument, so that SymPy never
    compares a non-real number. With no frame open nothing would keep that, and ``a`` is left as it is."""
    if frames.open and isinstance(a, sp.Expr) and not isinstance(a, sp.MatrixBase) and a.is_extended_real is False:
        frames.record(NOWHERE)
        return sp.Integer(0)
    return a


def power_condition(base: Expr, exponent: Expr) -> sp.Basic | None:
    """What ``base^exponent`` needs to be defined: ``base != 0`` for a negative integer exponent (``base != 0`` or
    ``exponent >= 0`` for an integer of unknown sign: ``(x^n)^m`` is built as ``x^(n*m)``, which would lose the
    condition of ``x^n``), ``base >= 0`` for a positive non-integer rational (``sqrt``), ``base > 0`` for a negative
    one, ``base != 0`` for a negative symbolic exponent, an integer exponent for a negative base; ``None`` otherwise
    (a symbolic exponent of unknown sign needs nothing of every point: ``0^x`` is defined for ``x > 0``)."""
    if exponent.is_integer:
        if exponent.is_nonnegative:
            return None
        if exponent.is_negative:
            return sp.Ne(base, 0, evaluate=False)
        return defined.integer_power_condition(base, exponent)
    if exponent.is_Rational:
        return (sp.Ge if exponent > 0 else sp.Gt)(base, 0, evaluate=False)
    if exponent.is_negative:
        # 0 to a negative power is undefined; SymPy writes |x|^t*|x|^(-t) as 1, defined at x = 0.
        return sp.Ne(base, 0, evaluate=False)
    if base.is_negative:
        # (-2)^y is defined only for an integer y; SymPy writes (-2)^y*(-2)^y as (-2)^(2*y), defined at y = 1/2.
        return defined.integer_exponent(exponent)
    return None


def root(base: Expr, exponent: Expr) -> Expr:
    """``base^exponent`` for a positive non-integer rational exponent, defined wherever the written power is.

    SymPy takes out of a root the factors it knows nonnegative: ``sqrt(x^2*(x - 2))`` is built ``|x|*sqrt(x - 2)``,
    undefined at x = 0, where the written root is ``sqrt(0) = 0``. Where the base is 0 the value is then given as
    written, 0; elsewhere the factor taken out is nonzero, so the root left has a positive base where the written
    one has, and the two agree. A root SymPy leaves whole, splits only by a constant (``sqrt(4*x)`` is
    ``2*sqrt(x)``) or takes whole (``sqrt(x^4)`` is ``x^2``) needs nothing."""
    value = base ** exponent
    if not (isinstance(base, sp.Expr) and isinstance(exponent, sp.Rational) and exponent > 0
            and not exponent.is_integer and isinstance(value, sp.Expr)) or not base.free_symbols:
        return value
    roots = [a.base for a in value.atoms(sp.Pow) if a.exp.is_Rational and not a.exp.is_integer]
    if not roots or (len(roots) == 1 and (roots[0] == base or sp.cancel(base / roots[0]).is_number)):
        return value
    # Unevaluated: SymPy would otherwise fold the branch for a base it cannot show is ever 0.
    return sp.Piecewise((sp.Integer(0), sp.Eq(base, 0)), (value, True), evaluate=False)


def closed(frames: Frames, build: Callable[[], Any]) -> Any:
    """``build()`` in a frame of its own, wrapped with the conditions its value lost (:func:`wrap`)."""
    with frames.recording() as recorded:
        value = build()
    return wrap(frames, value, recorded)


def keep(frames: Frames, value: Any) -> Any:
    """Record what a built sum, product, limit, derivative or ``Piecewise`` itself needs to be defined (a partial
    summand, a kink, no branch chosen), so that it is not lost if SymPy drops the value (``0*Sum(...)`` is 0)."""
    if isinstance(value, sp.Expr) and not isinstance(value, sp.MatrixBase) and frames.open:
        for c in defined.conditions(value, sufficient=False):
            frames.record(c)
    return value


def wrap(frames: Frames, value: Any, recorded: Sequence[sp.Basic], given: sp.Basic = sp.true) -> Any:
    """``value`` made undefined wherever a condition in ``recorded`` fails that it does not carry itself (or that
    ``given``, where the value is used, does not imply): a scalar as ``Piecewise((value, lost))``, a matrix entry by
    entry, a vector entry by entry as its entries are read (with what reading an entry records). A condition or a
    tuple leaves the conditions to the enclosing frame of ``frames``."""
    if isinstance(value, Vec):
        return _wrapped_vec(frames, value, tuple(recorded))
    if not recorded:
        return value
    if isinstance(value, sp.MatrixBase):
        return value.applyfunc(lambda e: wrap(frames, e, recorded, given))
    if isinstance(value, sp.Expr):
        lost = _lost(value, recorded)
        if lost and given is not sp.true:
            facts = kernel.Facts().add(given)
            lost = [c for c in lost if facts.decide(c) is not True]
        lost = [c if isinstance(c, sp.logic.boolalg.Boolean) else _opaque() for c in lost]
        # Unevaluated: a lost condition that is false (log(-1)) must stay, and SymPy would drop the branch.
        return sp.Piecewise((value, sp.And(*lost)), evaluate=False) if lost else value
    for c in recorded:
        frames.record(c)
    return value


def _summand_defined_everywhere(e: sp.Basic) -> bool:
    """Whether a sum or product over a finite range is defined at every point: its bounds are, and each condition
    of its summand (``u > 0``, ``u >= 0``, ``u != 0``) is proved by the kernel for every value of every name, the
    index included (``log(sigma(z_m))`` needs ``sigma(z_m) > 0``, which holds whatever ``m`` is)."""
    if not isinstance(e, (sp.Sum, sp.Product)) or len(e.limits) != 1:
        return False
    _, lo, hi = e.limits[0]
    if any(b in (sp.oo, -sp.oo) or not defined.everywhere(b) for b in (lo, hi)):
        return False
    for c in defined.conditions(e.function, sufficient=True):
        op = RELATION_OPS[type(c)] if type(c) in (sp.Gt, sp.Ge, sp.Ne) else None
        if op is None or c.rhs != 0 or kernel.confirm_relation((c.lhs, op, sp.Integer(0)), kernel.Facts()) is None:
            return False
    return True


def _opaque() -> sp.Basic:
    """The kernel's opaque ``defined(e)`` (a sum with a partial summand, a limit... is defined) as a condition that
    nothing decides: the side is then never proved, nor refuted at a point, through it. (``e`` itself cannot go
    into a condition: SymPy rewrites a condition that holds a ``Piecewise``, and fails.)"""
    return sp.Eq(defined.DEFINED(sp.Integer(0)), 1, evaluate=False)


def _wrapped_vec(frames: Frames, v: Vec, recorded: tuple[sp.Basic, ...]) -> Vec:
    def entry(idx: tuple[Expr, ...]) -> Any:
        with frames.recording() as inner:
            e = v.entry(idx)
        return wrap(frames, e, list(recorded) + inner)

    items = [wrap(frames, x, recorded) for x in v.items] if v.items is not None else None
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
    if isinstance(c, sp.core.function.AppliedUndef):
        return _summand_defined_everywhere(c.args[0])
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
