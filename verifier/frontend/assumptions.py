"""What an obligation may assume: the ``assume`` texts, read (:class:`Assumptions`: ordinary hypotheses and
hypotheses over all indices, by kind), the checks of ``where`` values against their names' declarations
(:func:`violation`), and a declared name as the kernel's :class:`~verifier.kernel.declarations.Declaration`
(:func:`declaration_of`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast

import sympy as sp

from verifier.errors import ExpressionError
from verifier.frontend import parser as P
from verifier.frontend.builder import Builder
from verifier.frontend.builtins import CONSTANTS
from verifier.frontend.declarations import check_consistent
from verifier.frontend.problem import substituted
from verifier.frontend.scope import SymbolInfo
from verifier.frontend.values import Vec
from verifier.kernel import Declaration, interval
from verifier.kernel.declarations import SIGN_WORDS
from verifier.kernel.declarations import Interval as ValueInterval
from verifier.kernel.relations import MIRRORED
from verifier.kernel.universal import AllIndices


def declaration_of(info: SymbolInfo) -> Declaration:
    """A ``[symbols]`` entry as the kernel's :class:`Declaration` (the one place the two meet): the declaration
    :func:`~verifier.frontend.declarations.declare` read, or, for a name the front end made itself, one from its
    words."""
    if info.declaration is not None:
        return info.declaration
    words = set(info.words)
    signs = frozenset(w for w in words if w in SIGN_WORDS)
    integer = "integer" in words
    if info.indexed:
        index_range = (info.lo, info.hi) if info.lo is not None else None
        return Declaration(info.symbol, integer=integer, signs=signs, domain=info.domain, index_range=index_range)
    values = ValueInterval(info.lo, info.hi) if info.lo is not None else None
    return Declaration(info.symbol, integer=integer, signs=signs, values=values, domain=info.domain)



def provable_assumptions(value: sp.Expr) -> dict[str, bool]:
    """What a ``where`` value is, as SymPy assumptions for its stand-in: read from exact rationals and from the
    assumptions of the names in it, never from a numerical evaluation."""
    if value.is_Rational:
        keys = {"integer": value.is_Integer, "real": True, "positive": value > 0, "negative": value < 0,
                "nonnegative": value >= 0, "nonpositive": value <= 0, "nonzero": value != 0}
        return {k: True for k, v in keys.items() if v}
    if value.is_number:      # its sign is not read here (SymPy may decide it numerically); that it is real is kept
        return {"real": True} if value.is_real is True else {}
    return {k: True for k in ("integer", "real", "positive", "negative", "nonnegative", "nonpositive", "nonzero")
            if getattr(value, "is_" + k) is True}


def violation(info: SymbolInfo, value: sp.Expr, where: dict,
               holds: Callable[[sp.Expr, bool], bool] | None = None) -> str | None:
    """Why ``value`` does not (provably) satisfy the declaration of ``info``, or ``None`` when it does; ``holds``
    decides a bound that the value's own words leave open (from the declarations and the claim's assumes)."""
    d = info.declaration
    if d is None:
        return None
    if info.domain is not None:
        if not any(_sign(value - v) == 0 for v in info.domain):
            return f"is not in its domain {{{', '.join(map(str, info.domain))}}}"
        return None
    if d.integer and value.is_integer is not True and not integer_valued(value):
        what = "an integer" if value.is_number else "provably an integer"
        return f"is not {what}, but {info.name} is declared integer"
    words = set(info.words)
    if (words & {"real", "integer"} or d.signs or d.values is not None) and not _is_real(value):
        return f"is not {'real' if value.is_number else 'provably real'}, but {info.name} is declared real"
    for word in sorted(d.signs):
        allowed = SIGN_WORDS[word]
        s = _sign(value)
        if s is None:     # names in the value: their declared words decide; an unenclosable number: not shown
            if value.is_number or getattr(value, "is_" + word) is not True:
                return f"is not provably {word}, as {info.name} is declared"
        elif s not in allowed:
            return f"is not {word}, as {info.name} is declared"
    box = d.values
    if box is not None:
        for bound, open_, below in ((box.lo, box.lo_open, True), (box.hi, box.hi_open, False)):
            if bound is None:
                continue
            gap = (value - bound) if below else (bound - value)
            gap = sp.expand(substituted(gap, where))
            s = _sign(gap)
            ok = (s is not None and (s > 0 or (s == 0 and not open_))) or \
                (s is None and not gap.is_number and (gap.is_positive if open_ else gap.is_nonnegative) is True) or \
                (s is None and holds is not None and holds(gap, open_))
            if not ok:
                side = ("above" if open_ else "at least") if below else ("below" if open_ else "at most")
                return f"is not provably {side} {substituted(bound, where)}, as the declaration of {info.name} requires"
    return None


def integer_valued(value: sp.Expr) -> bool:
    """Whether a polynomial with rational coefficients in integer names takes only integer values
    (``n*(n + 1)/2``): of degree d in each name, it does exactly when it does at every point of {0..d}^k
    (its coefficients in the binomial basis are then integers)."""
    names = sorted(value.free_symbols, key=sp.default_sort_key)
    if not names or not all(isinstance(s, sp.Symbol) and s.is_integer for s in names) or len(names) > 3:
        return False
    try:
        p = sp.Poly(value, *names)
    except sp.PolynomialError:
        return False
    if not all(c.is_Rational for c in p.coeffs()) or max(p.degree_list()) > 8:
        return False
    grid = itertools.product(*[range(p.degree(s) + 1) for s in names])
    return all(p.eval(dict(zip(names, point, strict=True))).is_Integer for point in grid)


def _sign(e: sp.Expr) -> int | None:
    """The sign of a number, exactly or by a rigorous enclosure; ``None`` for an expression with names."""
    if not e.is_number:
        return None
    return interval.sign(e)


def _is_real(value: sp.Expr) -> bool:
    if value.is_number:
        return bool(interval.is_real(value))
    return value.is_real is True


def universal_hypothesis(builder: Builder, text: str, line: int | None) -> AllIndices | Literal[True] | None:
    """An ``assume`` over all indices, built with its index variables bound (names declared nowhere, written
    free in an index: ``r``, ``s`` in ``W[r, s] = W[s, r]``), and the entries they index as written; ``None``
    for an ordinary hypothesis; ``True`` for one that the declarations make true at every index (``x[j] >= 0``
    for a positive ``x``)."""
    try:
        node = P.parse_relation(text)
    except ExpressionError:
        return None     # reported when it is built as an ordinary hypothesis
    known = set(builder.scope.symbols) | set(builder.scope.definitions) | set(CONSTANTS) | set(builder.rebound)
    occurrences = _free_occurrences(node)
    unknown = {name: n for name, n, _ in occurrences if name not in known}
    if not unknown:
        return None
    indexing = {name for name, _, in_index in occurrences if in_index and name in unknown}
    for name, n in unknown.items():
        if name not in indexing:
            raise ExpressionError(f"undeclared name '{name}': declare it in [symbols] or [define] (a name declared "
                                  "nowhere may only index a family, in a hypothesis over all indices)",
                                  file=builder.file, line=line, column=n.col)
    variables = {name: sp.Dummy(name, integer=True) for name in unknown}
    written = []
    # Bound as a sum binds its index: the names of a [define] body used here stay that definition's own.
    with builder.binding(variables):
        body = builder.hypothesis(text, line=line)
        for entry, bound in _indexed_by(node, set(unknown)):
            # An entry alone, outside its sums: a sum's own index there is any integer (only the positions
            # that a variable indexes matter).
            with builder.binding({b: sp.Dummy(b, integer=True) for b in bound}):
                written.append(builder.value(entry))
    entries = sorted({x for x in written if isinstance(x, sp.Indexed)}, key=sp.default_sort_key)
    taken = set().union(*[x.free_symbols for x in entries])
    for name, v in variables.items():
        if v not in taken:
            raise ExpressionError(f"'{name}' cancels out of every index it is written in: write the hypothesis "
                                  "without it", file=builder.file, line=line, column=unknown[name].col)
    if body is sp.true or _implied_by_domains(body, entries, builder.scope.symbols.values()):
        return True
    return AllIndices(body, list(variables.values()), entries)


#: Combinations of finite-domain values tried before a hypothesis over all indices is kept as one.
DOMAIN_COMBINATIONS = 64


def _implied_by_domains(body: sp.Basic, entries: list[sp.Indexed], infos: Any) -> bool:
    """Whether a hypothesis over all indices holds whatever values its entries take, each entry of a family with a
    finite domain ranging over that domain and 0 (its value outside its index range), independently of the others
    (more cases than there are, so that holding in all of them is holding at every index): ``u[r]^2 = u[r]`` for
    ``u`` in {0, 1} is then no hypothesis. Each case is decided rigorously; a name besides the entries leaves it
    undecided, and so kept."""
    domains = {info.symbol: info.declaration.domain for info in infos
               if info.indexed and info.declaration is not None and info.declaration.domain is not None}
    choices = []
    for e in entries:
        if e.base not in domains:
            return False
        choices.append(sorted({*domains[e.base], sp.Integer(0)}, key=sp.default_sort_key))
    if not choices or len(list(itertools.islice(itertools.product(*choices), DOMAIN_COMBINATIONS + 1))) \
            > DOMAIN_COMBINATIONS:
        return False
    return all(interval.settle(body, dict(zip(entries, values, strict=True))) is sp.true
               for values in itertools.product(*choices))


@dataclass
class Assumptions:
    """The ``assume`` texts of an obligation, read.

    A hypothesis over all indices (:class:`~verifier.kernel.universal.AllIndices`) is used by kind:

    - ``F[r, s] = F[s, r]`` (symmetric) and ``F[r, s] = -F[s, r]`` (antisymmetric) of a family whose values are
      closed under averaging (real, no finite domain): the claim is read with every entry replaced by its symmetric
      or antisymmetric part (:meth:`averaged`);
    - a bound on every entry of one family (``x[i] > 0``, ``p[k] <= 1``): added to that family's declaration
      (:attr:`folded`), whose words hold inside its index range, just as the hypothesis says;
    - any other: handed to the kernel, which uses it through its instances at the entries the problem names.
    """

    hypotheses: list[sp.Basic] = field(default_factory=list)
    symmetric: tuple[sp.IndexedBase, ...] = ()
    antisymmetric: tuple[sp.IndexedBase, ...] = ()
    folded: dict[sp.Basic, Declaration] = field(default_factory=dict)

    def read(self, universal: list[AllIndices], infos: dict[sp.Basic, SymbolInfo],
             arities: dict[sp.IndexedBase, set[int]]) -> None:
        """Sort the hypotheses over all indices by kind (``infos``: the declared names). Bounds come first, so that
        a symmetry is read against the declaration they make (the antisymmetric part of a nonnegative family is
        not nonnegative); a hypothesis whose entries SymPy cancelled (``x[j] + 0*x[j + 5]``) is never a bound or a
        symmetry, since it holds at fewer indices than its remaining entries. A bound is folded only when the
        obligation uses the family's entries with the bound's number of indices alone (``arities``): the words of
        a declaration hold for entries with any number of indices, and ``M[1]`` and ``M[1, 2]`` are unrelated."""
        rest = []
        for h in universal:
            bound = _entry_bound(h) if _as_written(h) else None
            if bound is not None and arities.get(bound[0].base, set()) - {len(bound[0].indices)}:
                bound = None
            stronger = _strengthened(self.declaration(infos[bound[0].base]), *bound) if bound else None
            if stronger is not None:
                self.folded[stronger.name] = stronger
            else:
                rest.append(h)
        for h in rest:
            transposition = _transposition(h) if _as_written(h) else None
            if transposition is not None and _closed_under_averaging(self.declaration(infos[transposition[1]]),
                                                                     transposition[0]):
                sign, family = transposition
                if sign == 1:
                    self.symmetric += (family,)
                else:
                    self.antisymmetric += (family,)
            else:
                self.hypotheses.append(h)

    def declaration(self, info: SymbolInfo) -> Declaration:
        """A name's declaration with the bounds read so far."""
        return self.folded.get(info.symbol) or declaration_of(info)

    def averaged(self, e: Any) -> Any:
        """``e`` with every entry ``F[a, b]`` of a symmetric family replaced by ``(F[a, b] + F[b, a])/2``, and of an
        antisymmetric one by ``(F[a, b] - F[b, a])/2``.

        A claim holds for every symmetric ``F`` exactly when the claim so rewritten holds for every ``F``: the
        rewritten claim at ``F`` is the claim at the symmetric ``(F + F^T)/2``, and at a symmetric ``F`` the two are
        the same (likewise for ``(F - F^T)/2``, which is antisymmetric, and equal to ``F`` when ``F`` is)."""
        if not isinstance(e, sp.Basic):
            return e
        sign = {f: 1 for f in self.symmetric} | {f: -1 for f in self.antisymmetric}
        mapping = {x: (x + sign[x.base] * x.base[x.indices[1], x.indices[0]]) / 2 for x in e.atoms(sp.Indexed)
                   if x.base in sign and len(x.indices) == 2}
        return e.xreplace(mapping) if mapping else e


def entries_of(values: list[Any]) -> list[Any]:
    """The SymPy expressions in ``values``: a matrix's entries, a vector's entries at a fresh index and its
    concrete items, and expressions as they are."""
    out: list[Any] = []
    for v in values:
        if isinstance(v, sp.MatrixBase):
            out.extend(v)
        elif isinstance(v, Vec):
            out.append(v.entry((sp.Dummy("t", integer=True),)))
            out.extend(v.concrete_items() or ())
        else:
            out.append(v)
    return out


def _scoped(node: P.Node) -> list[tuple[P.Node, frozenset[str], bool]]:
    """Every node with the names bound around it (by a sum, product or vector: ``j`` in ``Sum(f, (j, 1, n))``
    inside ``f``, not in the bounds) and whether it lies inside an index."""
    out: list[tuple[P.Node, frozenset[str], bool]] = []
    stack: list[tuple[P.Node, frozenset[str], bool]] = [(node, frozenset(), False)]
    while stack:
        current, bound, in_index = stack.pop()
        out.append((current, bound, in_index))
        if isinstance(current, P.Call):
            limits = [a for a in current.args if isinstance(a, P.Tuple) and len(a.items) == 3
                      and isinstance(a.items[0], P.Name)]
            inner = bound | {cast(P.Name, t.items[0]).id for t in limits}
            for a in current.args:
                if a in limits:
                    stack.extend((b, bound, in_index) for b in a.items[1:])
                else:
                    stack.append((a, inner, in_index))
        elif isinstance(current, P.Index):
            stack.append((current.base, bound, in_index))
            stack.extend((i, bound, True) for i in current.indices)
        elif isinstance(current, (P.Vector, P.Tuple)):
            stack.extend((i, bound, in_index) for i in current.items)
        elif isinstance(current, P.BinOp):
            stack.extend([(current.left, bound, in_index), (current.right, bound, in_index)])
        elif isinstance(current, P.Neg):
            stack.append((current.operand, bound, in_index))
        elif isinstance(current, P.Compare):
            stack.extend((o, bound, in_index) for o in current.operands)
    return out


def _free_occurrences(node: P.Node) -> list[tuple[str, P.Name, bool]]:
    """The names written free (not bound by a sum around them), each with whether it is inside an index."""
    return [(n.id, n, in_index) for n, bound, in_index in _scoped(node)
            if isinstance(n, P.Name) and n.id not in bound]


def _indexed_by(node: P.Node, names: set[str]) -> list[tuple[P.Index, frozenset[str]]]:
    """The entries with one of ``names`` free in an index, each with the names bound around it."""
    out = []
    for x, bound, _ in _scoped(node):
        if isinstance(x, P.Index) and any(isinstance(n, P.Name) and n.id in names - bound
                                          for i in x.indices for n in P.walk(i)):
            out.append((x, bound))
    return out


def _as_written(h: AllIndices) -> bool:
    """Whether the hypothesis still holds every entry written in it (SymPy cancelled none)."""
    return {x for x in h.body.atoms(sp.Indexed) if x.free_symbols & set(h.variables)} == set(h.written)


def _transposition(h: AllIndices) -> tuple[int, sp.IndexedBase] | None:
    """``(1, F)`` for ``F[r, s] = F[s, r]`` over all indices, ``(-1, F)`` for ``F[r, s] = -F[s, r]``."""
    body = h.body
    if not isinstance(body, sp.Eq) or len(h.variables) != 2:
        return None
    r, s = h.variables
    d = sp.expand(body.lhs - body.rhs)
    for x in d.atoms(sp.Indexed):
        if x.indices == (r, s):
            family = x.base
            if d in (family[r, s] - family[s, r], family[s, r] - family[r, s]):
                return 1, family
            if d in (family[r, s] + family[s, r], -family[r, s] - family[s, r]):
                return -1, family
    return None


def _closed_under_averaging(d: Declaration, sign: int) -> bool:
    """Whether the symmetric (``sign`` 1) or antisymmetric (-1) part of any family is allowed by its declaration:
    real values, no finite domain, and for the antisymmetric part no sign or interval either (it takes both
    signs)."""
    if d.integer or d.domain is not None:
        return False
    return sign == 1 or (not d.signs and d.values is None)



def _entry_bound(h: AllIndices) -> tuple[sp.Indexed, type, sp.Rational] | None:
    """``(F[i, j, ...], op, c)`` for a hypothesis ``F[i, j, ...] op c`` over all indices: one entry whose indices
    are the variables, each once, and a rational number."""
    body = h.body
    if type(body) not in MIRRORED:
        return None
    op, entry, c = type(body), body.lhs, body.rhs
    if not isinstance(entry, sp.Indexed):
        op, entry, c = MIRRORED[op], body.rhs, body.lhs
    if not (isinstance(entry, sp.Indexed) and isinstance(c, sp.Rational)):
        return None
    if len(set(entry.indices)) != len(entry.indices) or set(entry.indices) != set(h.variables):
        return None
    return entry, op, c


#: The sign word that ``entry op 0`` states.
_SIGN_OF: dict[type, str] = {sp.Gt: "positive", sp.Ge: "nonnegative", sp.Lt: "negative", sp.Le: "nonpositive",
                             sp.Ne: "nonzero"}


def _strengthened(d: Declaration, entry: sp.Indexed, op: type, c: sp.Rational) -> Declaration | None:
    """``d`` with the bound ``entry op c`` added to its words, or ``None`` when it cannot be: a family with several
    indices and a range, an end to compare that is not a rational number, ``!=`` a number other than 0, or words
    that would then allow no value (a hypothesis nothing satisfies, which the kernel reads as such: vacuous, or
    where the family's range may be empty, a statement that it is)."""
    if d.index_range is not None and len(entry.indices) > 1:
        return None
    if d.values is not None and not all(end is None or end.is_Rational for end in (d.values.lo, d.values.hi)):
        # An end that is a name (real [0, K]) could leave no value at some sizes once narrowed: a point that names
        # no entry would not show it. Such a bound stays a hypothesis.
        return None
    signs, values = d.signs, d.values
    if c == 0 and op in _SIGN_OF:
        signs = signs | {_SIGN_OF[op]}
    elif op is sp.Ne:
        return None
    else:
        values = _narrowed(values, op, c)
        if values is None:
            return None
    box = None
    if values is not None:
        box = (values.lo if values.lo is not None else -sp.oo, values.hi if values.hi is not None else sp.oo,
               values.lo_open, values.hi_open)
    try:
        check_consistent(signs, d.integer, box, d.domain)
    except ExpressionError:
        return None
    return replace(d, signs=signs, values=values)


def _narrowed(values: ValueInterval | None, op: type, c: sp.Rational) -> ValueInterval | None:
    """The interval ``values`` intersected with ``{v : v op c}``; ``None`` when an end to compare is not rational."""
    box = values or ValueInterval(None, None)
    lo, hi, lo_open, hi_open = box.lo, box.hi, box.lo_open, box.hi_open
    if op in (sp.Ge, sp.Gt, sp.Eq):
        if lo is not None and not lo.is_Rational:
            return None
        strict = op is sp.Gt
        if lo is None or c > lo or (c == lo and strict):
            lo, lo_open = c, strict
    if op in (sp.Le, sp.Lt, sp.Eq):
        if hi is not None and not hi.is_Rational:
            return None
        strict = op is sp.Lt
        if hi is None or c < hi or (c == hi and strict):
            hi, hi_open = c, strict
    return ValueInterval(lo, hi, lo_open, hi_open)
