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
from collections.abc import Callable
from typing import Any

import sympy as sp

from verifier.errors import ExpressionError, NotRead
from verifier.frontend import parser as P
from verifier.frontend.assumptions import (
    Assumptions,
    declaration_of,
    entries_of,
    integer_valued,
    provable_assumptions,
    universal_hypothesis,
    violation,
)
from verifier.frontend.builder import Builder
from verifier.frontend.declarations import scope_of
from verifier.frontend.library import Library
from verifier.frontend.problem import Case, Problem, Relation, substituted
from verifier.frontend.scope import Scope, SymbolInfo
from verifier.frontend.unbuilt import unbuilt
from verifier.frontend.values import Vec
from verifier.kernel import Declaration, Facts, defined, facts_from
from verifier.kernel.declarations import Interval as ValueInterval
from verifier.kernel.interval import settle
from verifier.kernel.universal import AllIndices
from verifier.model import Chain, Claim, Obligation, Origin, not_read, obligations, written_in

#: At most this many cases of finite domains per obligation.
MAX_CASES = 64


class ProblemBuilder:
    """Builds the problems of one claim (entries of a chain are built once)."""

    def __init__(self, claim: Claim, scope: Scope) -> None:
        self.claim = claim
        self.scope = scope
        self.builder = Builder(scope, file=claim.file)
        self.infos = scope.by_symbol()
        self._entries: dict[tuple[int, int, int], tuple[str, Any]] = {}
        self._builders: dict[int | None, Builder] = {}
        #: The ``assume`` texts of the obligation being built, read (its declarations strengthened by them).
        self.read = Assumptions()
        self._sources = {(w.name, w.text): w for w in claim.sources}
        self._failed: int | None = None     # the entry of a chain whose building failed last

    def problems(self) -> list[tuple[Obligation, Problem | ExpressionError]]:
        """Every obligation of the claim with its problem, or the error that kept it from being built."""
        return [(ob, self.built(ob, where)) for ob, where in obligations(self.claim)]

    def built(self, ob: Obligation, where: Origin) -> Problem | ExpressionError:
        """One obligation's problem, or the error that kept it from being built (a step of a sheet whose entry was
        not read, or whose reading cannot be built, is :class:`NotRead`: :func:`.unbuilt.unbuilt`)."""
        reason = not_read(self.claim, where)
        if reason is not None:
            return NotRead(reason)
        for b in (self.builder, *self._builders.values()):
            b.deepest = 0
        self._failed = None
        try:
            return self.problem(ob, where)
        except ExpressionError as err:
            err.located(file=self.claim.file, line=ob.line, column=ob.column if ob.kind != "step" else None)
            return unbuilt(self.claim, where, err, self._failed)
        except RecursionError:
            builders = [self.builder, *self._builders.values()]
            error = max(builders, key=lambda b: b.deepest).recursion_error(ob.line)
            error.located(file=self.claim.file)
            return unbuilt(self.claim, where, error, self._failed)

    def problem(self, ob: Obligation, where: Origin) -> Problem:
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
            rels = self._relation_text(builder, claim.statements[step_no])
        elif kind == "exists":
            rels = self._relation_text(builder, claim.exists or "")
        else:
            assert chain is not None and chain_no is not None
            a = self._entry_with_op(builder, chain_no, step_no, chain)[1]
            op, b = self._entry_with_op(builder, chain_no, step_no + 1, chain)
            rels = [(a, op, b)]
        read = self._assumptions(builder, assume_texts, ob.line,
                                 [e for rel in rels for e in (rel[0], rel[2])] + list(subst.values()))
        self.read = read
        hyps = [substituted(h, subst) for h in read.hypotheses]
        groups = self._scalar_relations(rels, ob.line)
        if kind == "exists" and any(local for _, local in groups):
            raise ExpressionError("exists cannot compare vectors whose length is symbolic (the entries would have "
                                  "to agree at every index, which one witness cannot show)", line=ob.line)
        groups = [([(_put(lhs, subst), op, _put(rhs, subst)) for lhs, op, rhs in rels],
                   [substituted(h, subst) for h in local]) for rels, local in groups]
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
                rels = self._relation_text(builder, self.claim.statements[step_no])
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
                       ) -> tuple[dict[sp.Basic, sp.Expr], Builder]:
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
                assumptions = provable_assumptions(value)
                if symbol.is_integer and integer_valued(value):
                    assumptions["integer"] = True       # n*(n + 1)/2 + 1: SymPy cannot tell, the grid can
                if not symbol.is_integer:
                    # z real with where z = 3 stays a real name (diff(z^2, z) is taken before 3 is put in); with
                    # z = 0, nonnegative and nonpositive would make SymPy's stand-in zero, hence an integer.
                    assumptions.pop("integer", None)
                    if assumptions.get("nonnegative") and assumptions.get("nonpositive"):
                        del assumptions["nonnegative"], assumptions["nonpositive"]
                stand_in = sp.Dummy(symbol.name, **assumptions)
                builder.rebound[symbol.name] = stand_in
                builder.given[stand_in] = value
                subst[stand_in] = value
            self._builders[chain_no] = builder
        else:
            for symbol in list(subst):
                subst[builder.rebound[symbol.name]] = subst[symbol]
        return subst, builder

    # -- pieces ---------------------------------------------------------------------------------------------

    def _relation_text(self, builder: Builder, text: str) -> list[tuple[Any, str, Any]]:
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
                self._failed = i
                err.located(file=self.claim.file, line=line,
                            column=chain.step_columns[i] if i < len(chain.step_columns) else None)
                raise
        return self._entries[key]

    def _assumptions(self, builder: Builder, texts: tuple[str, ...], line: int | None, used: list[Any]
                     ) -> Assumptions:
        """The ``assume`` texts, read: ordinary hypotheses, and hypotheses over all indices by kind (``used``: the
        obligation's sides, whose entries say how many indices each family is used with)."""
        out = Assumptions()
        universal: list[AllIndices] = []
        for text in texts:
            source = self._sources.get((None, text))
            with written_in(source):
                read = universal_hypothesis(builder, text, None if source else line)
                if read is None:
                    # An assume that is false for every allowed value is kept: the kernel proves a forall
                    # vacuously and refutes an exists (no allowed point).
                    out.hypotheses.append(self._condition(builder, text, None if source else line))
                elif read is not True:
                    universal.append(read)
        if not universal:
            return out
        # Every entry the obligation may name: its sides (vectors and matrices entry by entry), the values of
        # its where names, and every hypothesis, those over all indices included.
        exprs = [e for e in entries_of(used) + out.hypotheses + universal if isinstance(e, sp.Basic)]
        exprs += [x for h in universal for x in h.written]
        arities: dict[sp.IndexedBase, set[int]] = {}
        for x in {x for e in exprs for x in e.atoms(sp.Indexed)}:
            arities.setdefault(x.base, set()).add(len(x.indices))
        out.read(universal, self.infos, arities)
        return out

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
               chain_no: int | None = None) -> dict[sp.Basic, sp.Expr]:
        out: dict[sp.Basic, sp.Expr] = {}
        for name, text in items:
            line = None if (name, text) in self._sources else lines.get(name)
            with written_in(self._sources.get((name, text))):
                info = self.scope.symbols.get(name)
                if info is None or info.indexed:
                    raise ExpressionError(f"where: '{name}' is not a declared scalar symbol", line=line)
                value = self.builder.expression(text, line=line)
                if not isinstance(value, sp.Expr) or isinstance(value, sp.MatrixBase):
                    raise ExpressionError(f"where: {name} = {text!r} is not a scalar value", line=line)
            out[info.symbol] = value
        holds = self._provable_under_assume(chain_no)
        for name, text in items:
            info = self.scope.symbols[name]
            problem = violation(info, out[info.symbol], out, holds)
            if problem:
                with written_in(self._sources.get((name, text))):
                    raise ExpressionError(f"where: {name} = {text} {problem}",    # the value as written
                                          line=None if (name, text) in self._sources else lines.get(name))
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
        used: set[sp.Basic] = set()
        for relations, local in groups:
            for lhs, _, rhs in relations:
                used |= _symbols(lhs) | _symbols(rhs)
            for h in local:
                used |= _symbols(h)
        for h in hyps:
            used |= _symbols(h)
        used = self._closure(used, subst)
        domain_syms: list[sp.Basic] = sorted((s for s in used if s in self.infos and self.infos[s].domain is not None),
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

    def _domain(self, s: sp.Basic) -> tuple[sp.Expr, ...]:
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
                    lo, hi = (substituted(b, subst) for b in rng)
                    if not (len(x.indices) == 1 and lo.is_Integer and hi.is_Integer and lo <= x.indices[0] <= hi):
                        continue
                out.add(x)
        return sorted(out, key=sp.default_sort_key)

    def _closure(self, names: set[sp.Basic], subst: dict) -> set[sp.Basic]:
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
                    todo |= _symbols(substituted(bound, subst))
        return seen

    def _range_hypotheses(self, rels: list[Relation], hyps: list[sp.Basic], subst: dict) -> list[sp.Basic]:
        """Declared ranges and signs of every integer symbol the relations use, and of the bounds' symbols."""
        todo = set()
        for lhs, _, rhs in rels:
            todo |= _symbols(lhs) | _symbols(rhs)
        for h in hyps:
            todo |= _symbols(h)
        out: list[sp.Basic] = []
        seen: set[sp.Basic] = set()
        while todo:
            s = todo.pop()
            if s in seen or s not in self.infos:
                continue
            seen.add(s)
            info = self.infos[s]
            if info.indexed:
                if info.lo is not None:
                    todo |= _symbols(substituted(info.lo, subst)) | _symbols(substituted(info.hi, subst))
                continue
            if info.lo is not None:
                lo, hi = substituted(info.lo, subst), substituted(info.hi, subst)
                out.extend([sp.Ge(s, lo, evaluate=False), sp.Le(s, hi, evaluate=False)])
                todo |= _symbols(lo) | _symbols(hi)
            elif info.declaration is not None and info.declaration.values is not None:
                box = info.declaration.values     # a real interval
                lo, hi = substituted(box.lo, subst), substituted(box.hi, subst)
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
                lo, hi = (substituted(b, subst) for b in d.index_range)
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
            out.append((sp.Gt if box.lo_open else sp.Ge)(x, substituted(box.lo, subst), evaluate=False))
        if box.hi is not None:
            out.append((sp.Lt if box.hi_open else sp.Le)(x, substituted(box.hi, subst), evaluate=False))
    if d.domain is not None:
        out.append(sp.Or(*[sp.Eq(x, v, evaluate=False) for v in d.domain]))
    return out


def _put(side: Any, values: dict[sp.Basic, sp.Expr]) -> Any:
    """A side with ``values`` put in, a partial ``Piecewise`` kept unevaluated: where none of its conditions holds
    any more it stays undefined (SymPy would make it ``nan``, a value). Functions SymPy evaluates wrongly on numbers
    (the floor of an algebraic number next to an integer) are decided rigorously, never by SymPy's evaluation."""
    if not values or not isinstance(side, sp.Basic):
        return side
    if isinstance(side, sp.Piecewise):
        return sp.Piecewise(*[(_put(v, values), _held(c, values)) for v, c in side.args], evaluate=False)
    # Definedness is decided on the written side with the values put in, before SymPy evaluates it away:
    # tan(pi/2) is zoo and 1/zoo is 0, a value, although 1/tan(x) is undefined at pi/2.
    broken = [_held(c, values) for c in defined.conditions(side, sufficient=False)
              if isinstance(c, sp.core.relational.Relational) and settle(c, values) is sp.false]
    if broken:
        cond = broken[0] if len(broken) == 1 else sp.And(*broken, evaluate=False)
        return sp.Piecewise((settle(side, values), cond), evaluate=False)
    return settle(side, values)


def _held(condition: Any, values: dict[sp.Basic, sp.Expr]) -> Any:
    """A condition with ``values`` put in, its relations left unevaluated (a false one would drop its branch)."""
    if not isinstance(condition, sp.Basic):
        return condition
    relations = condition.atoms(sp.core.relational.Relational)
    return condition.xreplace({r: r.func(settle(r.lhs, values), settle(r.rhs, values), evaluate=False)
                               for r in relations})


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


def _symbols(e: object) -> set[sp.Basic]:
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
        scope = scope_of(library.context(claim))
    except ExpressionError as err:
        return [(ob, unbuilt(claim, origin, err)) for ob, origin in obligations(claim)]
    return ProblemBuilder(claim, scope).problems()
