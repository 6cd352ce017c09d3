"""The engine's untrusted search: where to look for counterexamples and witnesses, and which sizes to check.

Nothing here decides a verdict. Each function proposes (a point, a set of instances); the trusted checker
(:mod:`verifier.kernel.checker`) confirms or rejects each proposal.

- :func:`instances` enumerates the integer names of a problem (sizes such as ``K``, and indices in their declared
  ranges) over a finite set: the ``sizes`` of the claim, or a small default, filtered by the integer hypotheses.
- :func:`beyond` proposes instances outside a bounded check (larger sizes), where a counterexample is searched for
  before a claim is reported ``checked``.
- :func:`points` extends an instance with values for the remaining real names and entries: small integers,
  simple fractions, and ``log`` of small rationals (so that ``exp`` of them is rational and evaluation stays exact).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

import sympy as sp
from mpmath.libmp.libhyper import NoConvergence

from verifier.frontend.problem import Case, Problem
from verifier.kernel import Facts, linear
from verifier.kernel.evaluation import apply_zero_outside, at_point, condition_truth
from verifier.kernel.relations import RELATION_OPS, show_relation, sign_satisfies

T = TypeVar("T")

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
_NONNEGATIVE: tuple[sp.Expr, ...] = (sp.Integer(0), *_POSITIVE)


@dataclass
class InstanceSet:
    """The integer assignments of a bounded check, and how to describe the set to a reader.

    ``description`` names exactly the assignments given: the whole set of ``total`` assignments, or, when
    ``total`` is larger than the cap, which ones of it (the first ones in a stated order).
    """

    assignments: list[dict[sp.Symbol, sp.Integer]]
    description: str
    total: int
    sizes: dict[sp.Symbol, list[int]] = field(default_factory=dict)


def integer_names(case: Case) -> list[sp.Symbol]:
    """The free integer symbols of a case (sizes and indices), in a stable order."""
    syms: set[sp.Symbol] = set()
    for lhs, _, rhs in case.relations:
        syms |= _int_symbols(lhs) | _int_symbols(rhs)
    for h in case.hypotheses:
        syms |= _int_symbols(h)
    return sorted(syms, key=lambda s: s.name)


def _int_symbols(e: sp.Basic) -> frozenset[sp.Symbol]:
    """The integer names of ``e``: not the label of a family (``B`` of ``B[j, 1]``, which SymPy lists among the
    free symbols of a sum over its entries)."""
    if not isinstance(e, sp.Basic):
        return frozenset()

    def names() -> frozenset[sp.Symbol]:
        labels = {x.base.label for x in e.atoms(sp.Indexed)}
        return frozenset(s for s in e.free_symbols if isinstance(s, sp.Symbol) and s.is_integer and s not in labels)
    return _cached(_NAMES, (e,), names, 4096)


_NAMES: dict[tuple, frozenset[sp.Symbol]] = {}


def instances(case: Case, problem: Problem, *, max_size: int = DEFAULT_MAX_SIZE) -> InstanceSet:
    """Every assignment of the case's integer names within the bounded set (sizes first, then ranged indices)."""
    # The obligations of one claim usually share their integer names and hypotheses: enumerate once for all.
    return _cached(_INSTANCES, _instances_key(case, problem, max_size), lambda: _instances(case, problem, max_size))


def _instances_key(case: Case, problem: Problem, max_size: int) -> tuple:
    """What the instances of a case depend on: its integer names, their hypotheses, ranges and sizes."""
    names = integer_names(case)
    return (tuple(names), tuple(h for h in case.hypotheses if _only_integers(h)),
            tuple((s, problem.bounds(s)) for s in names if s in problem.infos),
            tuple(sorted((k, tuple(v)) for k, v in problem.sizes.items())), max_size)


_INSTANCES: dict[tuple, Any] = {}


def _cached(table: dict, key: tuple, make: Callable[[], T], size: int = 256) -> T:
    """``make()``, made once per key in ``table`` (emptied when it holds more than ``size`` entries)."""
    if key not in table:
        if len(table) > size:
            table.clear()
        table[key] = make()
    return table[key]


def _instances(case: Case, problem: Problem, max_size: int) -> InstanceSet:
    names = integer_names(case)
    infos = problem.infos
    ranged = [s for s in names if s in infos and infos[s].lo is not None]
    sizes = [s for s in names if s not in ranged]
    out, total, choices = _assignments(case, problem, max_size, COUNT_LIMIT)
    parts = [f"{s} in {_describe_values(choices[s])}" for s in sizes]
    parts += [f"{s} in {problem.bounds(s)[0]}..{problem.bounds(s)[1]}" for s in ranged]
    desc = ", ".join(parts) if parts else "no integer names"
    int_hyps = [h for h in case.hypotheses if _only_integers(h) and not _is_range(h, problem)]
    if int_hyps:
        desc += " with " + ", ".join(show_relation(h) for h in int_hyps)
    if total > len(out):
        order = ", ".join(str(s) for s in sizes + ranged)
        counted = f"{total}" if total < COUNT_LIMIT else f"more than {COUNT_LIMIT}"
        desc = f"the first {len(out)} of {counted} in the order ({order}) of {desc}"
    chosen = [{k: sp.Integer(v) for k, v in p.items()} for p in out]
    return InstanceSet(chosen, desc, total, choices)


def _assignments(case: Case, problem: Problem, max_size: int, count_limit: int
                 ) -> tuple[list[dict[sp.Symbol, int]], int, dict[sp.Symbol, list[int]]]:
    """The first :data:`MAX_INSTANCES` assignments within the bounded set, how many there are (counted up to
    ``count_limit``), and the values of each size. The largest size shrinks (down to 2) while there are more than
    :data:`MAX_INSTANCES`, unless every size has its ``sizes`` entry."""
    names = integer_names(case)
    infos = problem.infos
    ranged = [s for s in names if s in infos and infos[s].lo is not None]
    sizes = [s for s in names if s not in ranged]
    # Ranges are enforced by the enumeration itself; the other integer hypotheses prune it as soon as their names
    # have values.
    tests = _tests(case, problem)
    bounds = {s: tuple(_Linear(b) for b in problem.bounds(s)) for s in ranged}
    while True:
        choices = {s: _size_values(s, problem, max_size) for s in sizes}
        out, total = _enumerate(sizes, choices, ranged, bounds, tests, count_limit)
        if total <= MAX_INSTANCES or max_size <= 2 or all(s.name in problem.sizes for s in sizes):
            return out, total, choices
        max_size -= 1


#: Assignments beyond this many are not counted.
COUNT_LIMIT = 100_000


def _tests(case: Case, problem: Problem) -> list[_IntTest]:
    return [_IntTest(h) for h in case.hypotheses if _only_integers(h) and not _is_range(h, problem)]


def _enumerate(sizes: list[sp.Symbol], choices: dict, ranged: list[sp.Symbol], bounds: dict,
               tests: Sequence[_IntTest], count_limit: int) -> tuple[list[dict[sp.Symbol, int]], int]:
    """The first :data:`MAX_INSTANCES` assignments satisfying the tests, and how many there are in all (counted up
    to ``count_limit``)."""
    out: list[dict[sp.Symbol, int]] = []
    total = 0
    for combo in itertools.product(*[choices[s] for s in sizes]):
        base = dict(zip(sizes, combo, strict=True))
        if any(t(base) is False for t in tests):
            continue
        for full in _ranged(base, ranged, bounds, tests):
            if all(t(full) is not False for t in tests):
                total += 1
                if len(out) < MAX_INSTANCES:
                    out.append(full)
                if total >= count_limit:
                    return out, total
    return out, total


#: Instances tried beyond a bounded check, and larger sizes drawn at random among them.
BEYOND_INSTANCES = 64
BEYOND_RANDOM = 3


def beyond(case: Case, problem: Problem, checked: InstanceSet, *, seed: int = 0) -> list[dict[sp.Symbol, sp.Integer]]:
    """Instances outside a bounded check, to search for a counterexample before ``checked`` is reported: each size
    up to twice the largest value checked (and below the smallest, when its declaration allows), the integers next
    to every number the relations and hypotheses mention (``K < 1000`` fails at 1000), a few random larger sizes,
    and for each, the ends and the middle of every ranged index (those not checked already)."""
    names = integer_names(case)
    infos = problem.infos
    ranged = [s for s in names if s in infos and infos[s].lo is not None]
    sizes = [s for s in names if s not in ranged]
    rng = random.Random(seed)
    marks = _landmarks(case)
    far = FAR_SIZES if _long_ranges(case) else ()
    further = {s: _further_values(s, checked.sizes.get(s) or [0], rng, marks, far) for s in sizes}
    levels = max((len(v) for v in further.values()), default=0)
    combos: list[dict[sp.Symbol, int]] = [] if sizes else [{}]    # no size: the indices' ends and middles
    for k in range(levels):      # every size at its k-th further value together, then one size at a time
        combos.append({s: further[s][min(k, len(further[s]) - 1)] for s in sizes})
    for s in sizes:
        top = {t: max(checked.sizes.get(t) or [0]) for t in sizes}
        combos.extend({**top, s: v} for v in further[s])
    tests = _tests(case, problem)
    bounds = {s: tuple(_Linear(b) for b in problem.bounds(s)) for s in ranged}
    out: list[dict[sp.Symbol, sp.Integer]] = []
    seen = {tuple(sorted((str(k), int(v)) for k, v in p.items())) for p in checked.assignments}
    for base in combos:
        if any(t(base) is False for t in tests):
            continue
        for full in _ranged(base, ranged, bounds, sampled=True):
            key = tuple(sorted((str(k), v) for k, v in full.items()))
            if key in seen or any(t(full) is False for t in tests):
                continue
            seen.add(key)
            out.append({k: sp.Integer(v) for k, v in full.items()})
            if len(out) >= BEYOND_INSTANCES:
                return out
    return out


#: Sizes 16, 32, ... up to 2 to this power are tried beyond a bounded check, and the odd 17, 33, ... up to 2 to the
#: second one plus 1.
DOUBLING_UP_TO = 12
ODD_UP_TO = 7
#: Sizes tried last when a sum or product runs over a range that grows with a size: its value there is enclosed
#: without writing it out (:mod:`verifier.kernel.interval`), so that a partial sum crossing a bound at K in the
#: thousands or beyond (the harmonic numbers pass 10 at K = 12,367) is found before ``checked`` is said.
FAR_SIZES = (2**14, 2**17, 2**20)


def _long_ranges(case: Case) -> bool:
    """Whether an inequality of the case has a sum or product whose range depends on a name (an enclosure can show
    a bound crossed, never an equality, which small sizes refute when it is false)."""
    return any(isinstance(side, sp.Basic) and op in ("<", "<=", ">", ">=") and any(
        any(lim[1].free_symbols or lim[2].free_symbols for lim in s.limits)
        for s in side.atoms(sp.Sum, sp.Product)) for lhs, op, rhs in case.relations for side in (lhs, rhs))
#: Numbers a relation mentions are followed up to this size (a larger size is costly to check exactly).
LANDMARK_LIMIT = 10**4


def _landmarks(case: Case) -> list[int]:
    """The integers where a relation between sizes may change its truth: next to every number the case's relations
    and hypotheses mention (``K < 1000``, ``KroneckerDelta(K, 13) = 0``), to the numerator and denominator of a
    fraction (``K/(K + 1) < 999/1000``) and the integer square root of a large number (``floor(K^2/10^6) = 0``),
    and next to the real roots of a relation that is a polynomial in one integer name (``K^3 <= 10^7*K`` fails
    from 3163 on). Proposals only: each instance is checked exactly."""
    relations = [lhs - rhs for lhs, _, rhs in case.relations if isinstance(lhs, sp.Basic) and isinstance(rhs, sp.Basic)]
    exprs = relations + list(case.hypotheses)
    found: set[sp.Rational] = set()
    for e in exprs:
        if isinstance(e, sp.Basic):
            for a in e.atoms(sp.Rational):
                found |= {a, -a, sp.Integer(a.p), sp.Integer(a.q)}    # K - 41 is K + (-41): its root is 41
                if abs(a) > LANDMARK_LIMIT and a.is_Integer:
                    found.add(sp.Integer(sp.integer_nthroot(abs(int(a)), 2)[0]))
    for d in relations:
        found |= _roots(d)
    out: set[int] = set()
    for c in found:
        if abs(c) <= LANDMARK_LIMIT:
            out |= {int(sp.floor(c)) - 1, int(sp.floor(c)), int(sp.ceiling(c)), int(sp.ceiling(c)) + 1}
    return sorted(out)


def _roots(d: sp.Expr) -> set[sp.Rational]:
    """The real roots, rounded to rationals, of ``d`` when it is a polynomial of small degree in one integer name
    (numerical: a proposal)."""
    names = [s for s in d.free_symbols if isinstance(s, sp.Symbol)]
    if len(names) != 1 or not names[0].is_integer or d.has(sp.Function, sp.Sum, sp.Product, sp.Indexed):
        return set()
    try:
        p = sp.Poly(sp.expand(d), names[0])
        if not 1 <= p.degree() <= 8:
            return set()
        roots = p.nroots(n=15, maxsteps=100)
    except (sp.PolynomialError, NoConvergence, ValueError, TypeError):
        return set()
    return {sp.Rational(str(sp.re(r))) for r in roots if abs(sp.im(r)) < 1e-9 and abs(sp.re(r)) <= LANDMARK_LIMIT}


def _further_values(s: sp.Symbol, checked: list[int], rng: random.Random, marks: Sequence[int] = (),
                    far: Sequence[int] = ()) -> list[int]:
    """Values of a size outside the checked ones: up to twice the largest, below the smallest when the sign allows,
    the landmarks (numbers next to those the relations mention), a few random larger ones, and the far sizes."""
    lo, hi = min(checked), max(checked)
    top = max(2 * hi, hi + 5)
    above = list(range(hi + 1, top + 1))
    floor = 1 if s.is_positive else (0 if s.is_nonnegative else None)
    bottom = min(2 * lo, lo - 5) if floor is None else floor
    below = [v for v in range(lo - 1, bottom - 1, -1) if floor is None or v >= floor]
    larger = sorted(rng.sample(range(top + 1, 10 * top + 10), BEYOND_RANDOM))
    out: list[int] = []
    for pair in itertools.zip_longest(above, below):     # nearest first, on both sides
        out.extend(v for v in pair if v is not None)
    out[2:2] = [v for v in marks if v not in checked and v not in out and (floor is None or v >= floor)]
    # Doubling reaches a size where an exponential or a factorial overtakes a bound (2^K < 10^300 fails at 997);
    # the odd sizes next to the first powers reach a power of a negative number at its negative sign
    # ((-11/10)^K >= 1 - 21*K/10 fails at odd K from 49 on).
    doubling = [2**k + d for k in range(4, DOUBLING_UP_TO + 1) for d in ((0, 1) if k <= ODD_UP_TO else (0,))]
    doubling += [] if floor is not None else [-v for v in doubling]
    out += [v for v in doubling if v not in checked and v not in out]
    return out + larger + [v for v in far if v not in out and v not in larger]


class _Linear:
    """A linear integer expression evaluated with Python integers (SymPy's relational evaluation is slow)."""

    def __init__(self, e: sp.Expr) -> None:
        form = linear.linear_form(e) if isinstance(e, sp.Expr) else None
        self.expr = e
        self.terms: list[tuple[sp.Symbol, Any]] | None = None
        if form is not None:
            coeffs, const = form
            integral = const.denominator == 1 and all(a.denominator == 1 for a in coeffs.values())
            self.terms = [(s, int(a) if integral else a) for s, a in coeffs.items()]
            self.const = int(const) if integral else const

    def __call__(self, values: dict) -> Any:
        if self.terms is None:
            v = self.expr.xreplace({k: sp.Integer(x) for k, x in values.items()})
            return int(v) if v.is_Integer else None
        total = self.const
        for s, a in self.terms:
            if s not in values:
                return None
            total += a * values[s]
        return total


class _IntTest:
    """An integer hypothesis, evaluated fast: ``True``, ``False``, or ``None`` when it cannot be evaluated."""

    def __init__(self, h: sp.Basic) -> None:
        self.h = h
        self.op = next((op for cls, op in RELATION_OPS.items() if isinstance(h, cls)), None)
        self.diff = _Linear(h.lhs - h.rhs) if self.op is not None else None

    def __call__(self, values: dict) -> bool | None:
        if self.diff is None or self.op is None:
            return condition_truth(self.h.xreplace({k: sp.Integer(v) for k, v in values.items()}))
        d = self.diff(values)
        return None if d is None else sign_satisfies((d > 0) - (d < 0), self.op)


def _size_values(s: sp.Symbol, problem: Problem, max_size: int) -> list[int]:
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


def _ranged(base: dict[sp.Symbol, int], ranged: list[sp.Symbol], bounds: dict,
            tests: Sequence[_IntTest] = (), *, sampled: bool = False) -> Iterator[dict]:
    """Extend an assignment of the sizes to the ranged indices, each within its bounds (bounds may use sizes and
    other indices: an index is assigned once its bounds are numbers), dropping branches a test already fails. Each
    index takes every value of its range, or with ``sampled`` only the ends and the middle."""
    def rec(assigned: dict, pending: list) -> Iterator[dict]:
        if not pending:
            yield dict(assigned)
            return
        for s in pending:
            lo, hi = bounds[s][0](assigned), bounds[s][1](assigned)
            if lo is None or hi is None:
                continue
            rest = [p for p in pending if p is not s]
            lo, hi = int(lo), int(hi)
            values = sorted(v for v in {lo, lo + 1, (lo + hi) // 2, hi - 1, hi} if lo <= v <= hi) if sampled \
                else range(lo, hi + 1)
            for v in values:
                assigned[s] = v
                if any(t(assigned) is False for t in tests):
                    continue
                yield from rec(assigned, rest)
            assigned.pop(s, None)
            return

    yield from rec(dict(base), list(ranged))


def _only_integers(h: sp.Basic) -> bool:
    return all(isinstance(s, sp.Symbol) and s.is_integer for s in h.free_symbols)


def _is_range(h: sp.Basic, problem: Problem) -> bool:
    """Whether ``h`` is a declared range or sign of a name (which the enumeration enforces by itself)."""
    if not isinstance(h, (sp.Ge, sp.Le)):
        return False
    s = h.lhs
    if s not in problem.infos:
        return False
    ranged = problem.infos[s].lo is not None and h.rhs in problem.bounds(s)
    return ranged or (h.rhs == 1 and bool(s.is_positive)) or (h.rhs == 0 and bool(s.is_nonnegative))


def real_atoms(case: Case, point: dict, relations: list | None = None) -> list[sp.Basic]:
    """The names still free once the integer names have values: real symbols and entries ``x[1]``, ``x[2]``..."""
    rels = relations if relations is not None else case.relations
    exprs = [e for lhs, _, rhs in rels for e in (lhs, rhs)] + list(case.hypotheses)
    local = at_point(case.facts, point)
    # The obligations of a claim share hypotheses and, along a chain, sides: each expression is written out once.
    where = (frozenset(point.items()), local.families)
    atoms: set[sp.Basic] = set()
    labels: set[sp.Basic] = set()
    for e in exprs:
        found, named = _cached(_ATOMS, (e, where), partial(_atoms_at, e, point, local), 4096)
        atoms |= found
        labels |= named
    atoms = {a for a in atoms if not isinstance(a, sp.IndexedBase) and a not in labels}
    return sorted(atoms, key=sp.default_sort_key)


_ATOMS: dict[tuple, tuple[frozenset, frozenset]] = {}


def _atoms_at(e: sp.Basic, point: dict, local: Facts) -> tuple[frozenset, frozenset]:
    """The names and entries free in ``e`` once written out at the point (integer names aside), and the labels of
    the families ``e`` uses."""
    value = apply_zero_outside(e.xreplace(point), local)
    if isinstance(value, sp.Basic):
        value = apply_zero_outside(_write_out_sums(value), local)
    free = value.free_symbols
    atoms = {s for s in free if (isinstance(s, sp.Indexed) and all(i.free_symbols <= free for i in s.indices))
             or (isinstance(s, sp.Symbol) and not s.is_integer)}
    atoms |= {x for x in value.atoms(sp.Indexed) if all(i.is_Integer for i in x.indices)}
    labels = {x.base.label for x in e.atoms(sp.Indexed)} if isinstance(e, sp.Basic) else set()
    return frozenset(atoms), frozenset(labels)


def _write_out_sums(e: sp.Basic) -> sp.Basic:
    """Sums with numeric bounds written out term by term, so that the entries they use appear."""
    def numeric(x: sp.Basic) -> bool:
        return isinstance(x, sp.Sum) and all(lim[1].is_Integer and lim[2].is_Integer
                                             and int(lim[2]) - int(lim[1]) < 400 for lim in x.limits)

    def expand(x: sp.Sum) -> sp.Expr:
        f = x.function
        for j, lo, hi in reversed(x.limits):
            f = sp.Add(*[f.xreplace({j: sp.Integer(v)}) for v in range(int(lo), int(hi) + 1)])
        return f

    for _ in range(4):  # sums inside sums
        if not e.has(sp.Sum):
            break
        e = e.replace(numeric, expand)
    return e


def points(atoms: list[sp.Basic], count: int, seed: int = 0, start: int = 0) -> Iterator[dict]:
    """Up to ``count`` assignments of values to ``atoms``: all zeros first, then varied small values (``start``
    skips the first ones: the all-zero point is often a degenerate one where both sides agree)."""
    if not atoms:
        yield {}
        return
    for n in range(start, start + count):
        point = {}
        for k, a in enumerate(atoms):
            pool = _NONNEGATIVE if _zero_allowed(a) else _POSITIVE if _is_positive(a) else _REALS
            point[a] = pool[(n * (k + 1) + k + seed) % len(pool)] if n else pool[0]
        yield point


#: Angles tried for a name inside a trigonometric function: where sin, cos or tan is 0 or undefined, and a few more.
_ANGLES: tuple[sp.Expr, ...] = (sp.pi / 2, sp.pi, -sp.pi / 2, sp.pi / 4, sp.pi / 3, sp.pi / 6, 3 * sp.pi / 2)
_TRIG = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)


def angle_points(atoms: list[sp.Basic], relation: tuple) -> Iterator[dict]:
    """Assignments that put one name found inside a trigonometric function of ``relation`` at a rational multiple of
    pi (the others at small values): the points where tan is undefined or sin is 0, which rationals never reach."""
    lhs, _, rhs = relation
    inside = {s for side in (lhs, rhs) if isinstance(side, sp.Basic)
              for f in side.atoms(*_TRIG) for s in f.args[0].free_symbols}
    for a in atoms:
        if a not in inside or not isinstance(a, sp.Symbol) or a.is_integer:
            continue
        for angle in _ANGLES:
            if angle.is_negative and a.is_nonnegative:
                continue
            for base in points(atoms, 2):
                yield {**base, a: angle}


def in_domains(point: dict, facts: Facts) -> dict:
    """``point`` with each value of an entry or name declared in a finite domain (``indexed in {0, 1}``) that lies
    outside it replaced by a value of the domain (in turn, by the entry's place): such a point is not allowed, and
    an entry at a symbolic index (inside a sum) is not split into cases."""
    out = dict(point)
    for k, (a, v) in enumerate(point.items()):
        name = a.base if isinstance(a, sp.Indexed) else a
        d = facts.declaration(name) if isinstance(name, (sp.Symbol, sp.IndexedBase)) else None
        if d is not None and d.domain and v not in d.domain:
            out[a] = d.domain[k % len(d.domain)]
    return out


#: Where inside a bounded interval names are put: these fractions of the way from its lower to its upper end.
_INSIDE: tuple[sp.Rational, ...] = (sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(3, 4), sp.Rational(1, 5))


def interval_points(atoms: list[sp.Basic], facts: Facts) -> Iterator[dict]:
    """Assignments that put every name bounded on both sides (declared in an interval with numeric ends, or bounded by
    linear hypotheses on it alone) at points inside it (each its own fraction of the way, in turn), then one name at
    a time at each end that belongs to it (where ``acos(cos(w)) = w`` on [0, 4] fails, past pi), the others at small
    values."""
    ends = {a: b for a in atoms if isinstance(a, sp.Symbol) and (b := _bounds(a, facts)) is not None}
    if not ends:
        return
    names = list(ends)
    for n in range(len(_INSIDE) ** min(len(names), 2)):
        base = next(points(atoms, 1, start=n % 3 + 1), {})
        for k, a in enumerate(names):
            lo, hi, _, _ = ends[a]
            base[a] = lo + _INSIDE[(n // len(_INSIDE) ** k) % len(_INSIDE)] * (hi - lo)
        yield base
    for a in names:
        lo, hi, lo_open, hi_open = ends[a]
        for end, is_open in ((hi, hi_open), (lo, lo_open)):
            if not is_open:
                base = next(points(atoms, 1, start=1), {})
                yield {**base, **{b: (ends[b][0] + ends[b][1]) / 2 for b in names}, a: end}


def _bounds(a: sp.Symbol, facts: Facts) -> tuple[sp.Expr, sp.Expr, bool, bool] | None:
    """The numeric ends of ``a``'s declared interval, or else those of the linear facts on it alone, and whether each
    is open; ``None`` unless both exist."""
    d = facts.declaration(a)
    iv = d.values if d is not None else None
    if iv is not None and iv.lo is not None and iv.hi is not None and iv.lo.is_number and iv.hi.is_number:
        return iv.lo, iv.hi, iv.lo_open, iv.hi_open
    lo, hi = facts.bounds(a)
    if lo is None or hi is None or lo[0] > hi[0]:
        return None
    return lo[0], hi[0], lo[1], hi[1]


def _zero_allowed(a: sp.Basic) -> bool:
    """A scalar declared nonnegative (not positive): 0 is allowed, and is where ``log`` and ``1/u`` fail."""
    return isinstance(a, sp.Symbol) and bool(a.is_nonnegative) and not a.is_positive


def _is_positive(a: sp.Basic) -> bool:
    if isinstance(a, sp.Indexed):
        return bool(a.base.is_positive) or bool(a.is_positive)
    return bool(a.is_positive) or bool(a.is_nonnegative)


#: The largest size (by default) of the instances probed for a counterexample.
PROBE_MAX_SIZE = 3


def probe_instances(case: Case, problem: Problem) -> list[dict]:
    """A few integer instances to look for counterexamples at: small, but not degenerate ones first. They are the
    assignments of :func:`instances` with sizes up to 3, found without counting all of them."""
    return _cached(_INSTANCES, ("probe", *_instances_key(case, problem, PROBE_MAX_SIZE)),
                   lambda: _probe_instances(case, problem))


def _probe_instances(case: Case, problem: Problem) -> list[dict]:
    # Counting one past the cap says whether the sizes must shrink, as it does for a bounded check.
    found, _, _ = _assignments(case, problem, PROBE_MAX_SIZE, MAX_INSTANCES + 1)
    if not found:
        return [{}] if not integer_names(case) else []

    # Prefer instances whose sizes are 2 or 3 (size 1 hides most index mistakes), then the rest.
    def weight(p: dict) -> tuple:
        return (sum(abs(int(v) - 2) for v in p.values()), [int(v) for v in p.values()])
    return [{k: sp.Integer(v) for k, v in p.items()} for p in sorted(found, key=weight)]
