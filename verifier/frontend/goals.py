"""From a claim's text to the problems the engine settles: built relations, hypotheses and facts.

For each obligation of a claim (:func:`verifier.model.obligations`) this module builds a :class:`Problem`: the
relation(s) to settle, split over the cases of every finite domain the relation uses, with the hypotheses that the
declarations (ranges, positivity), ``assume`` and ``where`` give. A relation between vectors becomes one relation
per entry (or, for a symbolic length, one relation at a fresh index ``t`` in ``1..len``, plus the lengths).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Iterable

import sympy as sp

from verifier.frontend import parser as P
from verifier.frontend.build import CONSTANTS, Builder, Definition, Scope, SymbolInfo, Vec, declare, parse_signature
from verifier.errors import ExpressionError
from verifier.frontend.loader import Library, SourceFile
from verifier.model import Chain, Claim, Obligation, obligations
from verifier.kernel.rules import Facts

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
    symmetric: tuple[sp.IndexedBase, ...] = ()    # families symmetric by a hypothesis over all indices


@dataclass
class Problem:
    """An obligation, built: ``forall`` (every relation holds for all allowed values) or ``exists``."""

    obligation: Obligation
    kind: str
    cases: list[Case]
    infos: dict[Any, SymbolInfo]
    sizes: dict[str, list[int]] = field(default_factory=dict)
    where: dict[Any, Any] = field(default_factory=dict)       # the ``where`` substitution applied to everything

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
                raise err.located(file=f.path, line=line)
            scope.definitions[name] = Definition(name, params, body, text, file=f.path, line=line)
            scope._cache.pop(name, None)
    return scope


class ProblemBuilder:
    """Builds the problems of one claim (entries of a chain are built once)."""

    def __init__(self, claim: Claim, scope: Scope) -> None:
        self.claim = claim
        self.scope = scope
        self.builder = Builder(scope, file=claim.file)
        self.infos = scope.by_symbol()
        self._entries: dict[tuple[int, int], Any] = {}

    def problems(self) -> list[tuple[Obligation, "Problem | ExpressionError"]]:
        """Every obligation of the claim with its problem, or the error that kept it from being built."""
        out: list[tuple[Obligation, Problem | ExpressionError]] = []
        for ob, where in obligations(self.claim):
            try:
                out.append((ob, self.problem(ob, where)))
            except ExpressionError as err:
                out.append((ob, err.located(file=self.claim.file, line=ob.line)))
            except RecursionError:
                out.append((ob, ExpressionError("expression nested too deeply", file=self.claim.file,
                                                line=ob.line)))
        return out

    def problem(self, ob: Obligation, where: tuple) -> Problem:
        """Build one obligation."""
        claim = self.claim
        kind, chain_no, step_no = where
        chain: Chain | None = claim.chains[chain_no] if chain_no is not None else None
        subst = self._where(claim.where, claim.where_line or ob.line)
        if chain is not None and chain.where:
            subst.update(self._where(chain.where, chain.where_line or ob.line))
        assume_texts = claim.assume + (chain.assume if chain else ())
        if kind == "statement":
            rels = self._relation_text(claim.statements[step_no], ob.line)
        elif kind == "exists":
            rels = self._relation_text(claim.exists or "", ob.line)
        else:
            assert chain is not None
            a = self._entry_with_op(chain_no, step_no, chain)[1]
            op, b = self._entry_with_op(chain_no, step_no + 1, chain)
            rels = [(a, op, b)]
        symmetric = tuple(f for f in (self._symmetry(t) for t in assume_texts) if f is not None)
        hyps = [self._condition(t, ob.line) for t in assume_texts if self._symmetry(t) is None]
        relations, extra = self._scalar_relations(rels, ob.line)
        relations = [(_subst(l, subst), op, _subst(r, subst)) for l, op, r in relations]
        hyps = [_subst(h, subst) for h in hyps + extra]
        if symmetric:
            relations = [(symmetrised(l, symmetric), op, symmetrised(r, symmetric)) for l, op, r in relations]
            hyps = [symmetrised(h, symmetric) for h in hyps]
        for h in hyps:
            if h is sp.false:
                raise ExpressionError("the hypotheses contradict each other (an assume is false)", line=ob.line)
        cases = [Case(c.values, c.relations, c.hypotheses, c.facts, symmetric)
                 for c in self._cases(relations, hyps, subst)]
        return Problem(ob, "exists" if kind == "exists" else "forall", cases, self.infos, self._sizes(ob.line),
                       subst)

    # -- pieces ---------------------------------------------------------------------------------------------

    def _relation_text(self, text: str, line: int | None) -> list[tuple[Any, str, Any]]:
        node = P.parse_relation(text)
        values = [self.builder.value(o) for o in node.operands]
        return [(a, op, b) for op, a, b in zip(node.ops, values, values[1:])]

    def _entry_with_op(self, chain_no: int, i: int, chain: Chain) -> tuple[str, Any]:
        key = (chain_no, i)
        if key not in self._entries:
            line = chain.step_lines[i]
            try:
                op, node = P.parse_step(chain.steps[i])
                if i == 0 and op is not None:
                    raise ExpressionError("the first entry of a chain cannot start with a relation")
                self._entries[key] = (op or "=", self.builder.value(node))
            except ExpressionError as err:
                raise err.located(file=self.claim.file, line=line)
        return self._entries[key]

    def _symmetry(self, text: str) -> sp.IndexedBase | None:
        """The family ``F`` of a hypothesis over all indices ``F[i, j] = F[j, i]``: ``i`` and ``j`` are names that
        are not declared (a declared ``i`` keeps its meaning: one value). ``None`` for any other text."""
        try:
            node = P.parse_relation(text)
        except ExpressionError:
            return None
        if node.ops != ("=",) or not all(isinstance(o, P.Index) for o in node.operands):
            return None
        a, b = node.operands
        if not (isinstance(a.base, P.Name) and isinstance(b.base, P.Name) and a.base.id == b.base.id
                and len(a.indices) == 2 and len(b.indices) == 2
                and all(isinstance(i, P.Name) for i in a.indices + b.indices)):
            return None
        (i, j), (k, m) = [x.id for x in a.indices], [x.id for x in b.indices]
        info = self.scope.symbols.get(a.base.id)
        free = not any(n in self.scope.symbols or n in self.scope.definitions or n in CONSTANTS for n in (i, j))
        if not (i != j and (i, j) == (m, k) and free and info is not None and info.indexed):
            return None
        return info.symbol

    def _condition(self, text: str, line: int | None) -> sp.Basic:
        value = self.builder.expression(text, line=line)
        if not isinstance(value, sp.logic.boolalg.Boolean) or isinstance(value, sp.Expr):
            raise ExpressionError(f"assume: expected a relation, got {text!r}", line=line)
        return value

    def _where(self, items: Iterable[tuple[str, str]], line: int | None) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for name, text in items:
            info = self.scope.symbols.get(name)
            if info is None or info.indexed:
                raise ExpressionError(f"where: '{name}' is not a declared scalar symbol", line=line)
            value = self.builder.expression(text, line=line)
            if not isinstance(value, sp.Expr):
                raise ExpressionError(f"where: {name} = {text!r} is not a scalar value", line=line)
            if info.domain is not None and value not in info.domain:
                raise ExpressionError(f"where: {name} = {value} is not in its domain "
                                      f"{{{', '.join(map(str, info.domain))}}}", line=line)
            if info.is_integer and value.is_number and not value.is_Integer:
                raise ExpressionError(f"where: {name} is an integer, got {value}", line=line)
            out[info.symbol] = value
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
                          ) -> tuple[list[Relation], list[sp.Basic]]:
        out: list[Relation] = []
        extra: list[sp.Basic] = []
        for a, op, b in rels:
            if isinstance(a, (Vec, sp.MatrixBase)) or isinstance(b, (Vec, sp.MatrixBase)):
                if op not in ("=",):
                    raise ExpressionError(f"vectors can only be compared with '=', not '{op}'", line=line)
                out.extend(self._vector_equality(a, b, extra, line))
            elif isinstance(a, sp.Expr) and isinstance(b, sp.Expr):
                out.append((a, op, b))
            else:
                raise ExpressionError("a relation compares two values", line=line)
        return out, extra

    def _vector_equality(self, a: Any, b: Any, extra: list[sp.Basic], line: int | None) -> list[Relation]:
        if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
            ma, mb = _as_matrix(a), _as_matrix(b)
            if ma is None or mb is None or ma.shape != mb.shape:
                raise ExpressionError("matrices of different shapes", line=line)
            return [(x, "=", y) for x, y in zip(ma, mb)]
        if not (isinstance(a, Vec) and isinstance(b, Vec)):
            raise ExpressionError("a vector can only be compared with a vector", line=line)
        ia, ib = a.concrete_items(), b.concrete_items()
        if ia is not None and ib is not None:
            if len(ia) != len(ib):
                raise ExpressionError(f"vectors of different lengths ({len(ia)} and {len(ib)})", line=line)
            return [(x, "=", y) for x, y in zip(ia, ib)]
        if a.length is None or b.length is None:
            raise ExpressionError("cannot compare vectors whose length is not known", line=line)
        t = sp.Symbol("t", integer=True)
        self.infos[t] = SymbolInfo("t", t, lo=sp.Integer(1), hi=a.length, words=("integer",))
        extra.extend([sp.Ge(t, 1), sp.Le(t, a.length)])
        rels: list[Relation] = [(a.length, "=", b.length)]
        rels.append((a.entry((t,)), "=", b.entry((t,))))
        return rels

    def _cases(self, relations: list[Relation], hyps: list[sp.Basic], subst: dict) -> list[Case]:
        used: set[Any] = set()
        for l, _, r in relations:
            used |= _symbols(l) | _symbols(r)
        for h in hyps:
            used |= _symbols(h)
        domain_syms = sorted((s for s in used if s in self.infos and self.infos[s].domain is not None),
                             key=lambda s: s.name)
        combos = list(itertools.product(*[self.infos[s].domain for s in domain_syms]))  # type: ignore[misc]
        if len(combos) > MAX_CASES:
            raise ExpressionError(f"too many cases of finite domains ({len(combos)}; at most {MAX_CASES})")
        cases = []
        for combo in combos:
            values = dict(zip(domain_syms, combo))
            rels = [(l.xreplace(values), op, r.xreplace(values)) for l, op, r in relations]
            hs = [h.xreplace(values) for h in hyps]
            if any(h is sp.false for h in hs):
                continue
            hs = [h for h in hs if h is not sp.true]
            hs = self._range_hypotheses(rels, hs, subst) + hs
            cases.append(Case(values, rels, hs, self._facts(hs, rels, subst)))
        return cases

    def _range_hypotheses(self, rels: list[Relation], hyps: list[sp.Basic], subst: dict) -> list[sp.Basic]:
        """Declared ranges and signs of every integer symbol the relations use, and of the bounds' symbols."""
        todo = set()
        for l, _, r in rels:
            todo |= _symbols(l) | _symbols(r)
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
                    todo |= _symbols(info.lo) | _symbols(info.hi)
                continue
            if info.lo is not None:
                lo, hi = _subst(info.lo, subst), _subst(info.hi, subst)
                out.extend([sp.Ge(s, lo, evaluate=False), sp.Le(s, hi, evaluate=False)])
                todo |= _symbols(lo) | _symbols(hi)
            # Unevaluated: SymPy would fold "K >= 1" to True for a positive integer K, losing the fact.
            if s.is_integer and s.is_positive:
                out.append(sp.Ge(s, 1, evaluate=False))
            elif s.is_integer and s.is_nonnegative:
                out.append(sp.Ge(s, 0, evaluate=False))
        return [h for h in out if h is not sp.true]

    def _facts(self, hyps: list[sp.Basic], rels: list[Relation], subst: dict) -> Facts:
        facts = Facts(families=tuple(
            (info.symbol, _subst(info.lo, subst), _subst(info.hi, subst))
            for info in self.infos.values() if info.indexed and info.lo is not None))
        for h in hyps:
            facts = facts.add(h)
        return facts


def symmetrised(e: Any, families: tuple[sp.IndexedBase, ...]) -> Any:
    """``e`` with every entry ``F[a, b]`` of a symmetric family replaced by ``(F[a, b] + F[b, a])/2``.

    A claim holds for every symmetric ``F`` exactly when the claim so rewritten holds for every ``F``: the rewritten
    claim at ``F`` is the claim at the symmetric ``(F + F^T)/2``, and at a symmetric ``F`` the two are the same."""
    if not isinstance(e, sp.Basic):
        return e
    mapping = {x: (x + x.base[x.indices[1], x.indices[0]]) / 2 for x in e.atoms(sp.Indexed)
               if x.base in families and len(x.indices) == 2}
    return e.xreplace(mapping) if mapping else e


def _subst(e: Any, subst: dict) -> Any:
    return e.xreplace(subst) if subst and isinstance(e, sp.Basic) else e


def _as_matrix(v: Any) -> sp.Matrix | None:
    if isinstance(v, sp.MatrixBase):
        return sp.Matrix(v)
    if isinstance(v, Vec) and v.concrete_items() is not None:
        return sp.Matrix(v.concrete_items())
    return None


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


def library_problems(library: Library, claim: Claim) -> list[tuple[Obligation, "Problem | ExpressionError"]]:
    """Build every obligation of a claim in the context of its library (errors kept per obligation)."""
    try:
        scope = build_scope(library.context(claim))
    except ExpressionError as err:
        return [(ob, err) for ob, _ in obligations(claim)]
    return ProblemBuilder(claim, scope).problems()
