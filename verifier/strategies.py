"""The engine's untrusted search: where to look for counterexamples and witnesses, and which sizes to check.

Nothing here decides a verdict. Each function proposes (a point, a set of instances); the trusted checker
(:mod:`verifier.checker`) confirms or rejects each proposal.

- :func:`instances` enumerates the integer names of a problem (sizes such as ``K``, and indices in their declared
  ranges) over a finite set: the ``sizes`` of the claim, or a small default, filtered by the integer hypotheses.
- :func:`points` extends an instance with values for the remaining real names and entries: small integers,
  simple fractions, and ``log`` of small rationals (so that ``exp`` of them is rational and evaluation stays exact).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Iterator

import sympy as sp

from verifier import checker
from verifier.build import SymbolInfo
from verifier.goals import Case, Problem
from verifier.rules import expu, normal

#: The most integer instances a bounded check tries.
MAX_INSTANCES = 400
#: The default largest size for a size with no ``sizes`` entry.
DEFAULT_MAX_SIZE = 5

_REALS: tuple[sp.Expr, ...] = (
    sp.Integer(0), sp.Integer(1), sp.Integer(-1), sp.Integer(2), sp.Rational(1, 2), sp.Integer(-2),
    sp.log(2), -sp.log(2), sp.Integer(3), sp.Rational(-1, 2), sp.log(3), sp.Rational(3, 2), sp.Integer(-3),
)
_POSITIVE: tuple[sp.Expr, ...] = (sp.Integer(1), sp.Integer(2), sp.Rational(1, 2), sp.Integer(3),
                                  sp.Rational(1, 3), sp.Integer(5))


@dataclass
class InstanceSet:
    """The integer assignments of a bounded check, and how to describe the set to a reader."""

    assignments: list[dict[sp.Symbol, sp.Integer]]
    description: str


def integer_names(case: Case, problem: Problem) -> list[sp.Symbol]:
    """The free integer symbols of a case (sizes and indices), in a stable order."""
    syms: set[sp.Symbol] = set()
    for lhs, _, rhs in case.relations:
        syms |= _int_symbols(lhs) | _int_symbols(rhs)
    for h in case.hypotheses:
        syms |= _int_symbols(h)
    return sorted(syms, key=lambda s: s.name)


def _int_symbols(e: Any) -> set[sp.Symbol]:
    if not isinstance(e, sp.Basic):
        return set()
    return {s for s in e.free_symbols if isinstance(s, sp.Symbol) and s.is_integer}


def instances(case: Case, problem: Problem, *, max_size: int = DEFAULT_MAX_SIZE) -> InstanceSet:
    """Every assignment of the case's integer names within the bounded set (sizes first, then ranged indices)."""
    names = integer_names(case, problem)
    infos = problem.infos
    ranged = [s for s in names if s in infos and infos[s].lo is not None]
    sizes = [s for s in names if s not in ranged]
    while True:
        choices = {s: _size_values(s, infos.get(s), problem, max_size) for s in sizes}
        out: list[dict[sp.Symbol, sp.Integer]] = []
        total = 0
        for combo in itertools.product(*[choices[s] for s in sizes]):
            base = dict(zip(sizes, combo))
            for full in _ranged(base, ranged, infos):
                total += 1
                if total > MAX_INSTANCES * 4:
                    break
                if _satisfies(case.hypotheses, full):
                    out.append(full)
        if len(out) <= MAX_INSTANCES or max_size <= 2:
            break
        max_size -= 1
    parts = [f"{s} in {_describe_values(choices[s])}" for s in sizes]
    parts += [f"{s} in {infos[s].lo}..{infos[s].hi}" for s in ranged]
    desc = ", ".join(parts) if parts else "no integer names"
    int_hyps = [h for h in case.hypotheses if _only_integers(h) and not _is_range(h, infos)]
    if int_hyps:
        desc += " with " + ", ".join(_show_relation(h) for h in int_hyps)
    return InstanceSet(out[:MAX_INSTANCES], f"{desc} ({len(out[:MAX_INSTANCES])} instances)")


def _size_values(s: sp.Symbol, info: SymbolInfo | None, problem: Problem, max_size: int) -> list[int]:
    if s.name in problem.sizes:
        return problem.sizes[s.name]
    if s.is_positive:
        return list(range(1, max_size + 1))
    if s.is_nonnegative:
        return list(range(0, max_size + 1))
    return list(range(-1, max_size + 1))


def _describe_values(values: list[int]) -> str:
    if values and values == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}..{values[-1]}"
    return "{" + ", ".join(map(str, values)) + "}"


def _ranged(base: dict[sp.Symbol, sp.Integer], ranged: list[sp.Symbol], infos: dict) -> Iterator[dict]:
    if not ranged:
        yield {k: sp.Integer(v) for k, v in base.items()}
        return
    assigned = {k: sp.Integer(v) for k, v in base.items()}
    pending = list(ranged)

    def rec(assigned: dict, pending: list) -> Iterator[dict]:
        if not pending:
            yield dict(assigned)
            return
        for s in pending:
            lo = infos[s].lo.xreplace(assigned)
            hi = infos[s].hi.xreplace(assigned)
            if lo.is_Integer and hi.is_Integer:
                rest = [p for p in pending if p is not s]
                for v in range(int(lo), int(hi) + 1):
                    assigned[s] = sp.Integer(v)
                    yield from rec(assigned, rest)
                assigned.pop(s, None)
                return
        # a bound that never becomes a number (depends on a name with no value): give up on this branch

    yield from rec(assigned, pending)


def _satisfies(hyps: list[sp.Basic], point: dict) -> bool:
    for h in hyps:
        if not _only_integers(h):
            continue
        value = checker.condition_truth(h.xreplace(point))
        if value is False:
            return False
    return True


def _only_integers(h: sp.Basic) -> bool:
    return all(isinstance(s, sp.Symbol) and s.is_integer for s in h.free_symbols)


def _is_range(h: sp.Basic, infos: dict) -> bool:
    if not isinstance(h, (sp.Ge, sp.Le)):
        return False
    s = h.lhs
    if s not in infos:
        return False
    info = infos[s]
    return (info.lo is not None and h.rhs in (info.lo, info.hi)) or (h.rhs == 1 and s.is_positive) or \
        (h.rhs == 0 and s.is_nonnegative)


def _show_relation(h: sp.Basic) -> str:
    ops = {sp.Eq: "=", sp.Ne: "!=", sp.Lt: "<", sp.Le: "<=", sp.Gt: ">", sp.Ge: ">="}
    for cls, op in ops.items():
        if isinstance(h, cls):
            return f"{h.lhs} {op} {h.rhs}"
    return str(h)


def instantiate(e: Any, point: dict, case: Case) -> Any:
    """``e`` with integer names replaced (families' out-of-range entries become 0)."""
    value = e.xreplace(point)
    return checker.apply_zero_outside(value, checker.at_point(case.facts, point))


def real_atoms(case: Case, point: dict, relations: list | None = None) -> list[sp.Basic]:
    """The names still free once the integer names have values: real symbols and entries ``x[1]``, ``x[2]``..."""
    atoms: set[sp.Basic] = set()
    rels = relations if relations is not None else case.relations
    exprs = [e for lhs, _, rhs in rels for e in (lhs, rhs)] + list(case.hypotheses)
    for e in exprs:
        value = instantiate(e, point, case)
        if isinstance(value, sp.Expr):
            local = checker.at_point(case.facts, point)
            value = checker.apply_zero_outside(normal(value, local).replace(expu, sp.exp), local)
        elif isinstance(value, sp.Basic):
            value = value.xreplace({})
        for s in value.free_symbols:
            if isinstance(s, sp.Indexed) or (isinstance(s, sp.Symbol) and not s.is_integer):
                atoms.add(s)
        atoms |= {x for x in value.atoms(sp.Indexed) if all(i.is_Integer for i in x.indices)}
    labels = {x.base.label for e in exprs if isinstance(e, sp.Basic) for x in e.atoms(sp.Indexed)}
    atoms = {a for a in atoms if not isinstance(a, sp.IndexedBase) and a not in labels}
    return sorted(atoms, key=sp.default_sort_key)


def points(atoms: list[sp.Basic], count: int, seed: int = 0) -> Iterator[dict]:
    """Up to ``count`` assignments of values to ``atoms``: all zeros first, then varied small values."""
    if not atoms:
        yield {}
        return
    for n in range(count):
        point = {}
        for k, a in enumerate(atoms):
            pool = _POSITIVE if _is_positive(a) else _REALS
            point[a] = pool[(n * (k + 1) + k + seed) % len(pool)] if n else pool[0]
        yield point


def _is_positive(a: sp.Basic) -> bool:
    if isinstance(a, sp.Indexed):
        return bool(a.base.is_positive) or bool(a.is_positive)
    return bool(a.is_positive) or bool(a.is_nonnegative)


def probe_instances(case: Case, problem: Problem) -> list[dict]:
    """A few integer instances to look for counterexamples at: small, but not degenerate ones first."""
    found = instances(case, problem, max_size=4).assignments
    if not found:
        return [{}] if not integer_names(case, problem) else []
    # Prefer instances whose sizes are 2 or 3 (size 1 hides most index mistakes), then the rest.
    def weight(p: dict) -> tuple:
        return (sum(abs(int(v) - 2) for v in p.values()), [int(v) for v in p.values()])
    return sorted(found, key=weight)
