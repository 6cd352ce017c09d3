"""From a claim's text to the problems the engine settles: built relations, hypotheses and facts.

For each obligation of a claim (:func:`verifier.model.obligations`) this module builds a :class:`Problem`: the
relation(s) to settle, split over the cases of every finite domain the relation uses, with the hypotheses that the
declarations (ranges, intervals, signs, a family's words inside its range), ``assume`` and ``where`` give. A
relation between vectors becomes one relation per entry (or, for a symbolic length, the lengths, plus one relation
at a fresh index of the first vector's range, in cases of its own so that the index's range stays local to it).
Finite domains are split into cases: names used by the relations, names their declarations' bounds use
(transitively), and entries at numeric indices of ``indexed in {...}`` families. ``where`` values are checked
against their names' declarations.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast

import sympy as sp

from verifier.errors import ExpressionError
from verifier.frontend import parser as P
from verifier.frontend.builder import Builder
from verifier.frontend.builtins import CONSTANTS
from verifier.frontend.declarations import check_consistent, declare, parse_signature
from verifier.frontend.loader import Library, SourceFile
from verifier.frontend.scope import Definition, Scope, SymbolInfo
from verifier.frontend.values import Vec
from verifier.kernel import Declaration, Facts, facts_from, interval
from verifier.kernel.declarations import SIGN_WORDS
from verifier.kernel.declarations import Interval as ValueInterval
from verifier.kernel.universal import AllIndices
from verifier.model import Chain, Claim, Obligation, obligations

Relation = tuple[sp.Expr, str, sp.Expr]

#: At most this many cases of finite domains per obligation.
MAX_CASES = 64


@dataclass
class Case:
    """One case of a problem: values of finite-domain names, and the relations that must hold in it."""

    values: dict[sp.Symbol, sp.Expr]
    relations: list[Relation]
    hypotheses: list[sp.Basic]
    facts: Facts
    symmetric: tuple[sp.IndexedBase, ...] = ()    # families read as symmetric (a hypothesis over all indices)
    antisymmetric: tuple[sp.IndexedBase, ...] = ()


@dataclass
class Problem:
    """An obligation, built: ``forall`` (every relation holds for all allowed values) or ``exists``."""

    obligation: Obligation
    kind: str
    cases: list[Case]
    infos: dict[Any, SymbolInfo]
    sizes: dict[str, list[int]] = field(default_factory=dict)
    where: dict[Any, Any] = field(default_factory=dict)       # the ``where`` substitution applied to everything
    #: For a ``forall`` with ``where`` values: the same obligation with the ``where`` names left as declared, one
    #: case per case of ``cases``; proved for every allowed value, it holds at the given ones (tried first).
    general: list[Case] = field(default_factory=list)
    #: The ``where`` names (as declared) and their values, for that instantiation.
    values: dict[Any, Any] = field(default_factory=dict)

    def bounds(self, s: Any) -> tuple[Any, Any]:
        """The declared range of a ranged name, with ``where`` applied."""
        info = self.infos[s]
        return _subst(info.lo, self.where), _subst(info.hi, self.where)


def build_scope(files: list[SourceFile]) -> Scope:
    """Declare the symbols and definitions of ``files`` in order (used files first)."""
    scope = Scope()
    for f in files:
        for name, text, line in f.symbols:
            scope.symbols[name] = declare(name, text, scope, file=f.path, line=line)
        for key, text, line in f.definitions:
            try:
                name, params = parse_signature(key)
                body = P.parse_expression(text)
            except ExpressionError as err:
                err.message = f"[define] {key}: {err.message}"
                err.located(file=f.path, line=line)
                raise
            scope.definitions[name] = Definition(name, params, body, text, file=f.path, line=line)
            scope.cache.pop(name, None)
    return scope


class ProblemBuilder:
    """Builds the problems of one claim (entries of a chain are built once)."""

    def __init__(self, claim: Claim, scope: Scope) -> None:
        self.claim = claim
        self.scope = scope
        self.builder = Builder(scope, file=claim.file)
        self.infos = scope.by_symbol()
        self._entries: dict[tuple[int, int, int], Any] = {}
        self._builders: dict[int | None, Builder] = {}
        #: The ``assume`` texts of the obligation being built, read (its declarations strengthened by them).
        self.read = Assumptions()

    def problems(self) -> list[tuple[Obligation, Problem | ExpressionError]]:
        """Every obligation of the claim with its problem, or the error that kept it from being built."""
        out: list[tuple[Obligation, Problem | ExpressionError]] = []
        for ob, where in obligations(self.claim):
            try:
                out.append((ob, self.problem(ob, where)))
            except ExpressionError as err:
                err.located(file=self.claim.file, line=ob.line)
                out.append((ob, err))
            except RecursionError:
                out.append((ob, ExpressionError("expression nested too deeply", file=self.claim.file,
                                                line=ob.line)))
        return out

    def problem(self, ob: Obligation, where: tuple) -> Problem:
        """Build one obligation."""
        claim = self.claim
        kind, chain_no, step_no = where
        chain: Chain | None = claim.chains[chain_no] if chain_no is not None else None
        items = list(claim.where)
        lines = {name: claim.where_line or ob.line for name, _ in claim.where}
        if chain is not None and chain.where:
            items += list(chain.where)
            lines.update({name: chain.where_line or ob.line for name, _ in chain.where})
        subst, builder = self._where_builder(chain_no, items, lines)
        assume_texts = claim.assume + (chain.assume if chain else ())
        if kind == "statement":
            rels = self._relation_text(builder, claim.statements[step_no], ob.line)
        elif kind == "exists":
            rels = self._relation_text(builder, claim.exists or "", ob.line)
        else:
            assert chain is not None
            a = self._entry_with_op(builder, chain_no, step_no, chain)[1]
            op, b = self._entry_with_op(builder, chain_no, step_no + 1, chain)
            rels = [(a, op, b)]
        read = self._assumptions(builder, assume_texts, ob.line,
                                 [e for rel in rels for e in (rel[0], rel[2])] + list(subst.values()))
        self.read = read
        hyps = [_subst(h, subst) for h in read.hypotheses]
        groups = self._scalar_relations(rels, ob.line)
        if kind == "exists" and any(local for _, local in groups):
            raise ExpressionError("exists cannot compare vectors whose length is symbolic (the entries would have "
                                  "to agree at every index, which one witness cannot show)", line=ob.line)
        groups = [([(_put(lhs, subst), op, _put(rhs, subst)) for lhs, op, rhs in rels],
                   [_subst(h, subst) for h in local]) for rels, local in groups]
        averaged = read.symmetric + read.antisymmetric
        if averaged:
            groups = [([(read.averaged(lhs), op, read.averaged(rhs)) for lhs, op, rhs in rels],
                       [read.averaged(h) for h in local]) for rels, local in groups]
            hyps = [read.averaged(h) for h in hyps]
        cases = [Case(c.values, c.relations, c.hypotheses, c.facts, read.symmetric, read.antisymmetric)
                 for c in self._cases(groups, hyps, subst)]
        general, values = [], {}
        if subst and kind != "exists" and not averaged:
            values = {s: v for s, v in subst.items() if not isinstance(s, sp.Dummy)}
            general = self._general(ob, kind, chain_no, step_no, chain, assume_texts)
        return Problem(ob, "exists" if kind == "exists" else "forall", cases, self.infos, self._sizes(ob.line),
                       subst, general=general, values=values)

    def _general(self, ob: Obligation, kind: str, chain_no: int | None, step_no: int, chain: Chain | None,
                 assume_texts: tuple[str, ...]) -> list[Case]:
        """The obligation built with its ``where`` names as declared (no value given), or ``[]`` when it cannot
        be built so (then only the instance is tried)."""
        builder = self.builder
        try:
            if kind == "statement":
                rels = self._relation_text(builder, self.claim.statements[step_no], ob.line)
            else:
                assert chain is not None and chain_no is not None
                a = self._entry_with_op(builder, chain_no, step_no, chain)[1]
                op, b = self._entry_with_op(builder, chain_no, step_no + 1, chain)
                rels = [(a, op, b)]
            hyps = self._assumptions(builder, assume_texts, ob.line, [e for rel in rels for e in (rel[0], rel[2])]
                                     ).hypotheses
            groups = self._scalar_relations(rels, ob.line)
            return self._cases(groups, hyps, {})
        except ExpressionError:
            return []

    def _where_builder(self, chain_no: int | None, items: list[tuple[str, str]], lines: dict[str, int | None]
                       ) -> tuple[dict[Any, Any], Builder]:
        """The ``where`` substitution and the builder that builds the obligation's text under it.

        A ``where`` name is built as a fresh stand-in carrying only what its value provably is, then replaced by
        the value: SymPy never simplifies under the declared words of a name whose value is given (a positive
        ``z`` with ``where = { z = "-1" }`` must not turn ``sqrt(z^2)`` into ``z`` first)."""
        subst = self._where(items, lines, chain_no)
        if not subst:
            return subst, self.builder
        builder = self._builders.get(chain_no)
        if builder is None:
            builder = Builder(self.scope, file=self.claim.file)
            for symbol, value in list(subst.items()):
                assumptions = _provable_assumptions(value)
                if symbol.is_integer and _integer_valued(value):
                    assumptions["integer"] = True       # n*(n + 1)/2 + 1: SymPy cannot tell, the grid can
                if not symbol.is_integer:
                    # z real with where z = 3 stays a real name (diff(z^2, z) is taken before 3 is put in).
                    assumptions.pop("integer", None)
                stand_in = sp.Dummy(symbol.name, **assumptions)
                builder.rebound[symbol.name] = stand_in
                subst[stand_in] = value
            self._builders[chain_no] = builder
        else:
            for symbol in list(subst):
                subst[builder.rebound[symbol.name]] = subst[symbol]
        return subst, builder

    # -- pieces ---------------------------------------------------------------------------------------------

    def _relation_text(self, builder: Builder, text: str, line: int | None) -> list[tuple[Any, str, Any]]:
        node = P.parse_relation(text)
        values = [builder.side(o) for o in node.operands]
        return [(a, op, b) for op, a, b in zip(node.ops, values, values[1:], strict=False)]

    def _entry_with_op(self, builder: Builder, chain_no: int, i: int, chain: Chain) -> tuple[str, Any]:
        key = (chain_no, i, id(builder))
        if key not in self._entries:
            line = chain.step_lines[i]
            try:
                op, node = P.parse_step(chain.steps[i])
                if i == 0 and op is not None:
                    raise ExpressionError("the first entry of a chain cannot start with a relation")
                self._entries[key] = (op or "=", builder.side(node))
            except ExpressionError as err:
                err.located(file=self.claim.file, line=line)
                raise
        return self._entries[key]

    def _assumptions(self, builder: Builder, texts: tuple[str, ...], line: int | None, used: list[Any]
                     ) -> Assumptions:
        """The ``assume`` texts, read: ordinary hypotheses, and hypotheses over all indices by kind (``used``: the
        obligation's sides, whose entries say how many indices each family is used with)."""
        out = Assumptions()
        universal: list[AllIndices] = []
        for text in texts:
            read = self._universal(builder, text, line)
            if read is None:
                # An assume that is false for every allowed value is kept: the kernel proves a forall vacuously
                # and refutes an exists (no allowed point).
                out.hypotheses.append(self._condition(builder, text, line))
            elif read is not True:
                universal.append(read)
        if not universal:
            return out
        # Every entry the obligation may name: its sides (vectors and matrices entry by entry), the values of
        # its where names, and every hypothesis, those over all indices included.
        exprs = [e for e in _entries_of(used) + out.hypotheses + universal if isinstance(e, sp.Basic)]
        exprs += [x for h in universal for x in h.written]
        arities: dict[sp.IndexedBase, set[int]] = {}
        for x in {x for e in exprs for x in e.atoms(sp.Indexed)}:
            arities.setdefault(x.base, set()).add(len(x.indices))
        out.read(universal, self.infos, arities)
        return out

    def _universal(self, builder: Builder, text: str, line: int | None) -> AllIndices | Literal[True] | None:
        """An ``assume`` over all indices, built with its index variables bound (names declared nowhere, written
        free in an index: ``r``, ``s`` in ``W[r, s] = W[s, r]``), and the entries they index as written; ``None``
        for an ordinary hypothesis; ``True`` for one that the declarations make true at every index (``x[j] >= 0``
        for a positive ``x``)."""
        try:
            node = P.parse_relation(text)
        except ExpressionError:
            return None     # reported when it is built as an ordinary hypothesis
        known = set(self.scope.symbols) | set(self.scope.definitions) | set(CONSTANTS) | set(builder.rebound)
        occurrences = _free_occurrences(node)
        unknown = {name: n for name, n, _ in occurrences if name not in known}
        if not unknown:
            return None
        indexing = {name for name, _, in_index in occurrences if in_index and name in unknown}
        for name, n in unknown.items():
            if name not in indexing:
                raise ExpressionError(f"undeclared name '{name}': declare it in [symbols] or [define] (a name declared "
                                      "nowhere may only index a family, in a hypothesis over all indices)",
                                      file=self.claim.file, line=line, column=n.col)
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
                                      "without it", file=self.claim.file, line=line, column=unknown[name].col)
        if body is sp.true:
            return True
        return AllIndices(body, list(variables.values()), entries)

    def _declaration(self, info: SymbolInfo) -> Declaration:
        """The declaration of a name for the obligation being built: a family's, with the bounds that hypotheses over
        all its entries add."""
        return self.read.declaration(info)

    def _condition(self, builder: Builder, text: str, line: int | None) -> sp.Basic:
        value = builder.hypothesis(text, line=line)
        if not isinstance(value, sp.logic.boolalg.Boolean) or isinstance(value, sp.Expr):
            raise ExpressionError(f"assume: expected a relation, got {text!r}", line=line)
        return value

    def _provable_under_assume(self, chain_no: int | None) -> Callable[[sp.Expr, bool], bool]:
        """Whether ``gap > 0`` (strict) or ``gap >= 0`` follows from the declarations and the ``assume``s of the
        claim (and chain): ``k = "integer 1..K"`` with ``where = { k = 2 }`` needs ``K >= 2``, which an assume may
        give."""
        texts = self.claim.assume + (self.claim.chains[chain_no].assume if chain_no is not None else ())
        assumes = []
        for text in texts:
            try:
                assumes.append(self._condition(self.builder, text, None))
            except ExpressionError:
                continue        # reported where the assume is built for the obligation
        declarations = [declaration_of(info) for info in self.infos.values()]

        def holds(gap: sp.Expr, strict: bool) -> bool:
            facts = facts_from(declarations, assumes, {}, [gap])
            return facts.positive(gap) if strict else facts.nonneg(gap)

        return holds

    def _where(self, items: list[tuple[str, str]], lines: dict[str, int | None],
               chain_no: int | None = None) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for name, text in items:
            line = lines.get(name)
            info = self.scope.symbols.get(name)
            if info is None or info.indexed:
                raise ExpressionError(f"where: '{name}' is not a declared scalar symbol", line=line)
            value = self.builder.expression(text, line=line)
            if not isinstance(value, sp.Expr) or isinstance(value, sp.MatrixBase):
                raise ExpressionError(f"where: {name} = {text!r} is not a scalar value", line=line)
            out[info.symbol] = value
        holds = self._provable_under_assume(chain_no)
        for name, _ in items:
            info = self.scope.symbols[name]
            problem = _violation(info, out[info.symbol], out, holds)
            if problem:
                raise ExpressionError(f"where: {name} = {out[info.symbol]} {problem}", line=lines.get(name))
        return out

    def _sizes(self, line: int | None) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for name, text in self.claim.sizes:
            if name not in self.scope.symbols:
                raise ExpressionError(f"sizes: '{name}' is not declared", line=line)
            if ".." in text:
                lo, hi = (int(x) for x in text.split(".."))
                out[name] = list(range(lo, hi + 1))
            else:
                out[name] = [int(x) for x in text.split(",")]
        return out

    def _scalar_relations(self, rels: list[tuple[Any, str, Any]], line: int | None
                          ) -> list[tuple[list[Relation], list[sp.Basic]]]:
        """The scalar relations, in groups that each have their own local hypotheses: the first group has none;
        an equality of vectors of symbolic length adds a group for its entries at a fresh index."""
        main: list[Relation] = []
        groups: list[tuple[list[Relation], list[sp.Basic]]] = [(main, [])]
        for a, op, b in rels:
            if isinstance(a, (Vec, sp.MatrixBase)) or isinstance(b, (Vec, sp.MatrixBase)):
                if op not in ("=",):
                    raise ExpressionError(f"vectors can only be compared with '=', not '{op}'", line=line)
                self._vector_equality(a, b, groups, line)
            elif isinstance(a, sp.Expr) and isinstance(b, sp.Expr):
                main.append((a, op, b))
            else:
                raise ExpressionError("a relation compares two values", line=line)
        return groups

    def _vector_equality(self, a: Any, b: Any, groups: list[tuple[list[Relation], list[sp.Basic]]],
                         line: int | None) -> None:
        """Two vectors are equal when their ranges and all their entries are (both are 0 outside their range)."""
        main = groups[0][0]
        if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
            ma, mb = _as_matrix(a), _as_matrix(b)
            if ma is None or mb is None:
                raise ExpressionError("a matrix can only be compared with a matrix or a vector of known length",
                                      line=line)
            if ma.shape != mb.shape:    # well formed, and false: the shapes differ
                main.extend([(sp.Integer(ma.rows), "=", sp.Integer(mb.rows)),
                             (sp.Integer(ma.cols), "=", sp.Integer(mb.cols))])
                return
            main.extend((x, "=", y) for x, y in zip(ma, mb, strict=True))
            return
        if not (isinstance(a, Vec) and isinstance(b, Vec)):
            raise ExpressionError("a vector can only be compared with a vector", line=line)
        if a.length is None or b.length is None:
            raise ExpressionError("cannot compare vectors whose length is not known", line=line)
        ia, ib = a.concrete_items(), b.concrete_items()
        if ia is not None and ib is not None and a.first == b.first:
            if len(ia) != len(ib):      # well formed, and false: the lengths differ
                main.append((sp.Integer(len(ia)), "=", sp.Integer(len(ib))))
                return
            main.extend((x, "=", y) for x, y in zip(ia, ib, strict=True))
            return
        main.append((a.length, "=", b.length))
        if a.first != b.first:
            main.append((a.first, "=", b.first))
        # The entries at a fresh index t of a's range; t and its range belong to this group only.
        t = sp.Dummy("t'", integer=True)     # shown as _t', which no file can declare
        self.infos[t] = SymbolInfo("t'", t, lo=a.first, hi=a.last, words=("integer",), declaration=Declaration(
            t, integer=True, values=ValueInterval(a.first, a.last)))
        local = [sp.Ge(t, a.first, evaluate=False), sp.Le(t, a.last, evaluate=False)]
        groups.append(([(a.entry((t,)), "=", b.entry((t,)))], local))

    def _cases(self, groups: list[tuple[list[Relation], list[sp.Basic]]], hyps: list[sp.Basic], subst: dict
               ) -> list[Case]:
        used: set[Any] = set()
        for relations, local in groups:
            for lhs, _, rhs in relations:
                used |= _symbols(lhs) | _symbols(rhs)
            for h in local:
                used |= _symbols(h)
        for h in hyps:
            used |= _symbols(h)
        used = self._closure(used, subst)
        domain_syms: list[Any] = sorted((s for s in used if s in self.infos and self.infos[s].domain is not None),
                                        key=lambda s: s.name)
        domain_syms += self._domain_entries(groups, hyps, subst)
        combos = list(itertools.product(*[self._domain(s) for s in domain_syms]))
        if len(combos) > MAX_CASES:
            raise ExpressionError(f"too many cases of finite domains ({len(combos)}; at most {MAX_CASES})")
        cases = []
        for combo in combos:
            values = dict(zip(domain_syms, combo, strict=True))
            case_subst = {**subst, **values}
            for relations, local in groups:
                if not relations:
                    continue
                rels = [(_put(lhs, values), op, _put(rhs, values)) for lhs, op, rhs in relations]
                hs = [h.xreplace(values) for h in hyps + local]
                # A case whose hypotheses are false is kept: the kernel decides that nothing satisfies them.
                hs = [h for h in hs if h is not sp.true]
                hs = list(dict.fromkeys(self._range_hypotheses(rels, hs, case_subst) + hs))
                cases.append(Case(values, rels, hs, self._facts(hs, rels, case_subst)))
        return cases

    def _domain(self, s: Any) -> tuple[sp.Expr, ...]:
        info = self.infos[s.base if isinstance(s, sp.Indexed) else s]
        assert info.declaration is not None and info.declaration.domain is not None
        return info.declaration.domain

    def _domain_entries(self, groups: list[tuple[list[Relation], list[sp.Basic]]], hyps: list[sp.Basic],
                        subst: dict) -> list[sp.Indexed]:
        """The entries ``y[1]``, ``y[2]`` of families declared ``indexed in {...}`` that the relations use: each is
        a name with a finite domain when its index is a number (inside the range, for a family with one)."""
        exprs = [e for relations, local in groups for lhs, _, rhs in relations for e in (lhs, rhs)] + \
            [h for _, local in groups for h in local] + list(hyps)
        out: set[sp.Indexed] = set()
        for e in exprs:
            if not isinstance(e, sp.Basic):
                continue
            for x in free_entries(e):
                info = self.infos.get(x.base)
                if info is None or info.declaration is None or info.declaration.domain is None:
                    continue
                if not all(i.is_Integer for i in x.indices):
                    continue    # y[i] and y[k] are one entry when i = k: not independent names
                rng = info.declaration.index_range
                if rng is not None:
                    lo, hi = (_subst(b, subst) for b in rng)
                    if not (len(x.indices) == 1 and lo.is_Integer and hi.is_Integer and lo <= x.indices[0] <= hi):
                        continue
                out.add(x)
        return sorted(out, key=sp.default_sort_key)

    def _closure(self, names: set[Any], subst: dict) -> set[Any]:
        """``names`` and every name their declarations' bounds use, transitively (a finite-domain ``y`` used only
        in ``h = "indexed real 1..y"`` is split into cases too)."""
        todo, seen = set(names), set()
        while todo:
            s = todo.pop()
            if s in seen:
                continue
            seen.add(s)
            info = self.infos.get(s)
            if info is not None:
                for bound in _declared_bounds(info):
                    todo |= _symbols(_subst(bound, subst))
        return seen

    def _range_hypotheses(self, rels: list[Relation], hyps: list[sp.Basic], subst: dict) -> list[sp.Basic]:
        """Declared ranges and signs of every integer symbol the relations use, and of the bounds' symbols."""
        todo = set()
        for lhs, _, rhs in rels:
            todo |= _symbols(lhs) | _symbols(rhs)
        for h in hyps:
            todo |= _symbols(h)
        out: list[sp.Basic] = []
        seen: set[Any] = set()
        while todo:
            s = todo.pop()
            if s in seen or s not in self.infos:
                continue
            seen.add(s)
            info = self.infos[s]
            if info.indexed:
                if info.lo is not None:
                    todo |= _symbols(_subst(info.lo, subst)) | _symbols(_subst(info.hi, subst))
                continue
            if info.lo is not None:
                lo, hi = _subst(info.lo, subst), _subst(info.hi, subst)
                out.extend([sp.Ge(s, lo, evaluate=False), sp.Le(s, hi, evaluate=False)])
                todo |= _symbols(lo) | _symbols(hi)
            elif info.declaration is not None and info.declaration.values is not None:
                box = info.declaration.values     # a real interval
                lo, hi = _subst(box.lo, subst), _subst(box.hi, subst)
                out.append((sp.Gt if box.lo_open else sp.Ge)(s, lo, evaluate=False))
                out.append((sp.Lt if box.hi_open else sp.Le)(s, hi, evaluate=False))
                todo |= _symbols(lo) | _symbols(hi)
            # Unevaluated: SymPy would fold "K >= 1" to True for a positive integer K, losing the fact.
            if s.is_integer and s.is_positive:
                out.append(sp.Ge(s, 1, evaluate=False))
            elif s.is_integer and s.is_nonnegative:
                out.append(sp.Ge(s, 0, evaluate=False))
        known = Facts()
        for h in out + list(hyps):
            known = known.add(h)
        out += self._entry_hypotheses(rels, hyps, subst, known)
        return [h for h in out if h is not sp.true]

    def _entry_hypotheses(self, rels: list[Relation], hyps: list[sp.Basic], subst: dict, known: Facts
                          ) -> list[sp.Basic]:
        """What a family's declaration says of each entry the relations use: its words, interval or domain,
        inside the family's range only (``p = "indexed positive 1..K"``: ``i < 1 or i > K or p[i] > 0``, or just
        ``p[i] > 0`` when the ranges already known put ``i`` inside)."""
        atoms: set[sp.Indexed] = set()
        for e in [x for lhs, _, rhs in rels for x in (lhs, rhs)] + list(hyps):
            if isinstance(e, sp.Basic):
                atoms |= free_entries(e)
        out: list[sp.Basic] = []
        for x in sorted(atoms, key=sp.default_sort_key):
            info = self.infos.get(x.base)
            d = self._declaration(info) if info is not None and info.declaration is not None else None
            if d is None:
                continue
            says = _entry_conditions(x, d, subst)
            if not says:
                continue
            holds = sp.And(*says)
            if d.index_range is not None:
                if len(x.indices) != 1:
                    continue
                (i,) = x.indices
                lo, hi = (_subst(b, subst) for b in d.index_range)
                inside = known.decide(sp.And(sp.Ge(i, lo, evaluate=False), sp.Le(i, hi, evaluate=False)))
                if inside is False:
                    continue
                if inside is None:
                    holds = sp.Or(sp.Lt(i, lo), sp.Gt(i, hi), holds)
            out.append(holds)
        return out

    def _facts(self, hyps: list[sp.Basic], rels: list[Relation], fixed: dict) -> Facts:
        """The case's facts, derived by the kernel from the declarations, the hypotheses and the fixed values."""
        declarations = [self._declaration(info) for info in self.infos.values()]
        return facts_from(declarations, hyps, fixed, [e for lhs, _, rhs in rels for e in (lhs, rhs)])


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


def _declared_bounds(info: SymbolInfo) -> list[sp.Expr]:
    """Every bound a declaration mentions: its range and its interval of values."""
    out = [b for b in (info.lo, info.hi) if b is not None]
    box = info.declaration.values if info.declaration is not None else None
    if box is not None:
        out += [b for b in (box.lo, box.hi) if b is not None]
    return out


def _entry_conditions(x: sp.Indexed, d: Declaration, subst: dict) -> list[sp.Basic]:
    """The conditions a declaration puts on one entry ``x`` (words, interval, domain), unevaluated."""
    out: list[sp.Basic] = []
    relation = {"positive": sp.Gt, "negative": sp.Lt, "nonnegative": sp.Ge, "nonpositive": sp.Le, "nonzero": sp.Ne}
    for word in sorted(d.signs):
        out.append(relation[word](x, 0, evaluate=False))
    box = d.values
    if box is not None:
        if box.lo is not None:
            out.append((sp.Gt if box.lo_open else sp.Ge)(x, _subst(box.lo, subst), evaluate=False))
        if box.hi is not None:
            out.append((sp.Lt if box.hi_open else sp.Le)(x, _subst(box.hi, subst), evaluate=False))
    if d.domain is not None:
        out.append(sp.Or(*[sp.Eq(x, v, evaluate=False) for v in d.domain]))
    return out


def _provable_assumptions(value: sp.Expr) -> dict[str, bool]:
    """What a ``where`` value is, as SymPy assumptions for its stand-in: read from exact rationals and from the
    assumptions of the names in it, never from a numerical evaluation."""
    if value.is_Rational:
        keys = {"integer": value.is_Integer, "real": True, "positive": value > 0, "negative": value < 0,
                "nonnegative": value >= 0, "nonpositive": value <= 0, "nonzero": value != 0}
        return {k: True for k, v in keys.items() if v}
    if value.is_number:
        return {}
    return {k: True for k in ("integer", "real", "positive", "negative", "nonnegative", "nonpositive", "nonzero")
            if getattr(value, "is_" + k) is True}


def _violation(info: SymbolInfo, value: sp.Expr, where: dict,
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
    if d.integer and value.is_integer is not True and not _integer_valued(value):
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
            gap = sp.expand(_subst(gap, where))
            s = _sign(gap)
            ok = (s is not None and (s > 0 or (s == 0 and not open_))) or \
                (s is None and not gap.is_number and (gap.is_positive if open_ else gap.is_nonnegative) is True) or \
                (s is None and holds is not None and holds(gap, open_))
            if not ok:
                side = ("above" if open_ else "at least") if below else ("below" if open_ else "at most")
                return f"is not provably {side} {_subst(bound, where)}, as the declaration of {info.name} requires"
    return None


def _integer_valued(value: sp.Expr) -> bool:
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
    folded: dict[Any, Declaration] = field(default_factory=dict)

    def read(self, universal: list[AllIndices], infos: dict[Any, SymbolInfo],
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


def _entries_of(values: list[Any]) -> list[Any]:
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


#: A relation between an entry and a number, turned round to put the entry on the left.
_MIRRORED: dict[type, type] = {sp.Ge: sp.Le, sp.Gt: sp.Lt, sp.Le: sp.Ge, sp.Lt: sp.Gt, sp.Eq: sp.Eq, sp.Ne: sp.Ne}


def _entry_bound(h: AllIndices) -> tuple[sp.Indexed, type, sp.Rational] | None:
    """``(F[i, j, ...], op, c)`` for a hypothesis ``F[i, j, ...] op c`` over all indices: one entry whose indices
    are the variables, each once, and a rational number."""
    body = h.body
    if type(body) not in _MIRRORED:
        return None
    op, entry, c = type(body), body.lhs, body.rhs
    if not isinstance(entry, sp.Indexed):
        op, entry, c = _MIRRORED[op], body.rhs, body.lhs
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


def _put(side: Any, values: dict) -> Any:
    """A side with ``values`` put in, a partial ``Piecewise`` kept unevaluated: where none of its conditions holds
    any more it stays undefined (SymPy would make it ``nan``, a value)."""
    if not values or not isinstance(side, sp.Basic):
        return side
    if isinstance(side, sp.Piecewise):
        return sp.Piecewise(*[(_put(v, values), _held(c, values)) for v, c in side.args], evaluate=False)
    return side.xreplace(values)


def _held(condition: Any, values: dict) -> Any:
    """A condition with ``values`` put in, its relations left unevaluated (a false one would drop its branch)."""
    if not isinstance(condition, sp.Basic):
        return condition
    relations = condition.atoms(sp.core.relational.Relational)
    return condition.xreplace({r: r.func(r.lhs.xreplace(values), r.rhs.xreplace(values), evaluate=False)
                               for r in relations})


def _subst(e: Any, subst: dict) -> Any:
    return e.xreplace(subst) if subst and isinstance(e, sp.Basic) else e


def _as_matrix(v: Any) -> sp.Matrix | None:
    if isinstance(v, sp.MatrixBase):
        return sp.Matrix(v)
    if isinstance(v, Vec) and v.concrete_items() is not None:
        return sp.Matrix(v.concrete_items())
    return None


def free_entries(e: Any) -> set[sp.Indexed]:
    """The entries ``x[i]`` of ``e`` whose index is free in ``e``: not ``p[j]`` inside ``Sum(p[j], (j, 0, K))``,
    which SymPy lists among the free symbols although its index ``j`` is bound."""
    if not isinstance(e, sp.Basic):
        return set()
    free = e.free_symbols
    return {x for x in free if isinstance(x, sp.Indexed)
            and all(i.free_symbols <= free for i in x.indices)}


def _symbols(e: Any) -> set[Any]:
    """Free scalar symbols and indexed bases of an expression."""
    if not isinstance(e, sp.Basic):
        return set()
    out = set()
    for s in e.free_symbols:
        if isinstance(s, sp.Indexed):
            out.add(s.base)
        elif isinstance(s, (sp.Symbol, sp.IndexedBase)):
            out.add(s)
    return out


def library_problems(library: Library, claim: Claim) -> list[tuple[Obligation, Problem | ExpressionError]]:
    """Build every obligation of a claim in the context of its library (errors kept per obligation)."""
    try:
        scope = _scope_of(library.context(claim))
    except ExpressionError as err:
        return [(ob, err) for ob, _ in obligations(claim)]
    return ProblemBuilder(claim, scope).problems()


#: The scopes of the last few contexts: the claims of one file share one (their declarations are built once).
_SCOPES: OrderedDict[tuple[int, ...], tuple[list[SourceFile], Scope]] = OrderedDict()
_SCOPES_KEPT = 8


def _scope_of(files: list[SourceFile]) -> Scope:
    """:func:`build_scope` of ``files``, from the cache when the same file objects were built last (the cache holds
    the files themselves, so an identity is never reused while its entry lives)."""
    key = tuple(map(id, files))
    if key in _SCOPES:
        _SCOPES.move_to_end(key)
        return _SCOPES[key][1]
    scope = build_scope(files)
    _SCOPES[key] = (files, scope)
    if len(_SCOPES) > _SCOPES_KEPT:
        _SCOPES.popitem(last=False)
    return scope
