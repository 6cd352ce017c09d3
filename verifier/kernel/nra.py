"""Nonlinear real arithmetic (z3's nlsat) for the algebraic core of a sign condition.

Part of the trusted core, with z3 trusted for one answer only: ``unsat``. To prove ``e >= 0`` (or ``e > 0``, or
``e = 0``) the expression is *abstracted*: every name becomes a real unknown and every other atom a fresh real unknown
with only true constraints about it:

- a symbol or an entry: its declared sign (an integer is relaxed to a real: fewer constraints, so still sound);
- ``expu(t)`` (``exp(t)``): ``> 0``; ``log(a)``: only where ``a > 0`` is proved first (by the same solver), and
  then the rules of :mod:`verifier.kernel.inequalities` hold between all these logarithms and exponentials;
- ``log(c)`` of a positive number: a rigorous rational enclosure, and ``E`` or ``exp(r)`` (``r`` rational) a log
  term whose logarithm is exactly ``r``; ``sqrt(a)``: ``r >= 0, r^2 = a`` (it is only
  defined where ``a >= 0``);
- ``Max``, ``Min``, ``Abs``, ``sign`` and ``Piecewise``: exactly, by z3's if-then-else (a case split);
- ``sin``, ``cos``, ``tanh``, ``atan``, ``asin``, ``acos``, ``acosh``: their ranges (:mod:`verifier.kernel.ranges`);
- a sum, or any other real atom: a free real unknown.

A partial operation constrains only where it is evaluated: inside a ``Piecewise`` branch, or a condition after the
first, every constraint it brings is guarded by the *path* that reaches it (this branch's condition and the negation
of those before it), and a logarithm there need be positive only on that path. At the top level the path is true:
the relation is claimed only where its side is defined, so there the operation may restrict the domain.

Every linear fact of the facts is added. If z3 answers ``unsat`` for *facts and constraints and not relation*, no
real values of the unknowns satisfy them, so none of the values the abstracted atoms can take does either: the
relation holds. A ``sat`` answer gives a model, which is only a proposal (the atoms' unknowns need not agree with
the names' values): the caller re-checks it exactly before it becomes a counterexample or a witness. Each call has
a time budget; running out gives ``None``.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp
import z3

from verifier.kernel import inequalities, interval, ranges
from verifier.kernel.cases import max_cases
from verifier.kernel.facts import Facts, entry_relations
from verifier.kernel.inequalities import Formula, Term
from verifier.kernel.relations import RELATION_OPS, holds, mirrored, negated
from verifier.kernel.rules import expu
from verifier.kernel.sums import integer_bounds, support_range

#: The method named in a verdict proved here.
METHOD = "nonlinear real arithmetic (z3)"

#: Time budget of one solver call, in milliseconds.
BUDGET_MS = 1500


class Untranslatable(Exception):
    """An atom that cannot be abstracted soundly (not known to be real, or a log of a term not proved positive)."""


@dataclass
class Proof:
    """``unsat``: the relation holds for every value allowed by the facts."""

    method: str = METHOD


@dataclass
class Model:
    """A proposal: rational values of the names (symbols and entries) that z3 found."""

    point: dict[sp.Basic, sp.Rational] = field(default_factory=dict)


@dataclass
class _Abstraction:
    facts: Facts
    unknowns: dict[sp.Basic, Term] = field(default_factory=dict)
    constraints: list[Formula] = field(default_factory=list)
    names: dict[sp.Basic, Term] = field(default_factory=dict)     # symbols and entries: the model's coordinates
    log_terms: list[inequalities.LogTerm] = field(default_factory=list)
    constants: list[inequalities.LogTerm] = field(default_factory=list)
    budget_ms: int = BUDGET_MS
    path: Formula | bool = True        # the condition under which the atom being translated is evaluated
    sum_paths: dict[sp.Basic, Formula | bool] = field(default_factory=dict)

    def where_evaluated(self, constraint: Formula) -> Formula:
        """``constraint``, true only on the current path (unguarded at the top level)."""
        return constraint if self.path is True else z3.Implies(self.path, constraint)

    def fresh(self, key: sp.Basic) -> Term:
        if key not in self.unknowns:
            self.unknowns[key] = z3.Real(f"a{len(self.unknowns)}")
        return self.unknowns[key]


def decide(e: sp.Expr, op: str, facts: Facts, *, budget_ms: int = BUDGET_MS,
           hypotheses: tuple[sp.Basic, ...] = ()) -> Proof | Model | None:
    """Decide ``e op 0`` (op one of ``>=``, ``>``, ``=``) for every value allowed by the facts: a :class:`Proof`,
    a :class:`Model` of its failure (a proposal), or ``None`` (not translatable, or the budget ran out).

    ``hypotheses`` are relations that hold at every allowed point, in normal form (sums as canonical atoms, so that
    a hypothesis ``Sum(y[k], (k, 1, K)) = 1`` and the sum in ``e`` are the same unknown); one that cannot be
    translated is left out (fewer hypotheses: still sound).

    ``Max`` and ``Min`` are split into cases first (one solver call per case, each smaller)::

        C1 or ... or Cn (ai is the largest, for some i)      facts, Ci |- e[Max := ai] op 0   for every i
        ---------------------------------------------------------------------------------------------------
        facts |- e op 0
    """
    deadline = time.monotonic() + budget_ms / 1000
    for case, conditions in max_cases(e):
        left = int((deadline - time.monotonic()) * 1000)
        if left <= 0:
            return None     # the budget is for the whole call, all cases together
        found = _decide_case(case, conditions, op, facts, left, hypotheses)
        if not isinstance(found, Proof):
            return found
    return Proof()


def _decide_case(e: sp.Expr, conditions: list[sp.Basic], op: str, facts: Facts,
                 budget_ms: int, hypotheses: tuple[sp.Basic, ...] = ()) -> Proof | Model | None:
    ab = _Abstraction(facts, budget_ms=budget_ms)
    for h in hypotheses:
        try:
            ab.constraints.append(_condition(h, ab))
        except (Untranslatable, z3.Z3Exception, RecursionError):
            continue
    try:
        for c in conditions:
            ab.constraints.append(_condition(c, ab))
        value = _translate(e, ab)
        terms = _terms_of_sums(ab)
        _facts(ab)
    except (Untranslatable, z3.Z3Exception, RecursionError):
        return None
    lemmas = terms + inequalities.lemmas([(z3.RealVal(0), z3.RealVal(1)), *ab.log_terms], ab.constants) \
        + _cauchy_schwarz(ab)
    failure = holds(negated(op), value, 0)
    result, model = _check(ab.constraints + lemmas + [failure], budget_ms)
    if result == z3.unsat:
        return Proof()
    if result == z3.sat and model is not None:
        return Model(_point(model, ab))
    return None


def _check(formulas: list[Formula], budget_ms: int) -> tuple[z3.CheckSatResult, z3.ModelRef | None]:
    solver = z3.SolverFor("QF_NRA")
    solver.set("timeout", budget_ms)
    solver.add(*formulas)
    result = solver.check()
    return result, (solver.model() if result == z3.sat else None)


def _point(model: z3.ModelRef, ab: _Abstraction) -> dict[sp.Basic, sp.Rational]:
    """The model's values of the names that are rational numbers (algebraic values are left out)."""
    out = {}
    for name, var in ab.names.items():
        v = model.eval(var, model_completion=True)
        if z3.is_rational_value(v):
            out[name] = sp.Rational(v.numerator_as_long(), v.denominator_as_long())
        elif z3.is_algebraic_value(v) and (root := _quadratic_root(v)) is not None:
            out[name] = root
    return out


def _quadratic_root(v: z3.AlgebraicNumRef) -> sp.Expr | None:
    """An algebraic model value of degree at most 2 in radicals (``sqrt(2)`` for a model of ``x^2 = 2``)."""
    coeffs = [sp.Integer(int(str(c))) for c in v.poly()]     # lowest degree first
    if len(coeffs) != 3 or coeffs[2] == 0:
        return None
    c, b, a = coeffs
    if (disc := b**2 - 4 * a * c) < 0:
        return None
    roots = sorted({(-b - sp.sqrt(disc)) / (2 * a), (-b + sp.sqrt(disc)) / (2 * a)}, key=lambda r: float(r))
    k = v.index() - 1     # z3 numbers the real roots from 1, in increasing order
    return roots[k] if 0 <= k < len(roots) else None


def witness(e: sp.Expr, op: str, facts: Facts, hypotheses: tuple[sp.Basic, ...] = (),
            *, budget_ms: int = BUDGET_MS) -> Model | None:
    """A proposal of a point where ``e op 0`` holds (op one of ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``), for an
    ``exists`` claim: a model of the facts, the hypotheses and the relation; the caller re-checks it exactly."""
    ab = _Abstraction(facts, budget_ms=budget_ms)
    try:
        for h in hypotheses:
            ab.constraints.append(_condition(h, ab))
        value = _translate(e, ab)
        _facts(ab)
    except (Untranslatable, z3.Z3Exception, RecursionError):
        return None
    result, model = _check([*ab.constraints, holds(op, value, 0)], budget_ms)
    return Model(_point(model, ab)) if result == z3.sat and model is not None else None


def _facts(ab: _Abstraction) -> None:
    """Every fact over names that appear, as a constraint (facts over other names are true but unneeded)."""
    ab.constraints.extend(_linear_facts(ab))
    for d in ab.facts.unequal:
        if all(s in ab.names for s in d.free_symbols):
            try:
                ab.constraints.append(_translate(d, ab) != 0)
            except Untranslatable:
                continue


def _linear_facts(ab: _Abstraction) -> list[Formula]:
    """The linear facts over names that appear so far."""
    out = []
    for c in ab.facts.constraints:
        if not all(v in ab.names for v, _ in c.coeffs):
            continue
        total = _rational(c.const) + z3.Sum([_rational(a) * ab.names[v] for v, a in c.coeffs] or [z3.RealVal(0)])
        out.append(total > 0 if c.strict else total >= 0)
    return out


def _rational(q: Fraction) -> Term:
    return z3.RealVal(f"{q.numerator}/{q.denominator}")


def _translate(e: sp.Basic, ab: _Abstraction) -> Term:
    if isinstance(e, sp.Rational):
        return z3.RealVal(f"{e.p}/{e.q}")
    if e.is_number and not e.has(sp.log):
        return _number(e, ab)
    if isinstance(e, (sp.Symbol, sp.Indexed)):
        return _name(e, ab)
    if isinstance(e, sp.Add):
        return z3.Sum([_translate(a, ab) for a in e.args])
    if isinstance(e, sp.Mul):
        out = _translate(e.args[0], ab)
        for a in e.args[1:]:
            out = out * _translate(a, ab)
        return out
    if isinstance(e, sp.Pow):
        return _power(e, ab)
    if isinstance(e, expu):
        return _exp(e.args[0], ab)
    if isinstance(e, sp.exp):
        if e.args[0].is_real is not True:
            raise Untranslatable(e)
        return _exp(e.args[0], ab)
    if isinstance(e, sp.log):
        return _log(e.args[0], ab)
    if isinstance(e, (sp.Max, sp.Min)):
        args = [_translate(a, ab) for a in e.args]
        out = args[0]
        for a in args[1:]:
            out = z3.If(a > out, a, out) if isinstance(e, sp.Max) else z3.If(a < out, a, out)
        return out
    if isinstance(e, sp.Abs):
        a = _real_arg(e.args[0], ab)
        return z3.If(a >= 0, a, -a)
    if isinstance(e, sp.sign):
        a = _real_arg(e.args[0], ab)
        return z3.If(a > 0, z3.RealVal(1), z3.If(a < 0, z3.RealVal(-1), z3.RealVal(0)))
    if isinstance(e, sp.Piecewise):
        return _piecewise(e, ab)
    if isinstance(e, sp.KroneckerDelta) and len(e.args) == 2:
        return z3.If(_translate(e.args[0], ab) == _translate(e.args[1], ab), z3.RealVal(1), z3.RealVal(0))
    if (bounds := ranges.range_of(e)) is not None:
        return _bounded(e, bounds, ab)
    if isinstance(e, sp.Sum) and (_real_sum(e) or support_range(e, ab.facts) is not None):
        return _sum(e, ab)
    if isinstance(e, sp.Expr) and e.is_real is True:
        return ab.fresh(e)
    raise Untranslatable(e)


def _bounded(e: sp.Basic, bounds: ranges.Range, ab: _Abstraction) -> Term:
    """A function with a bounded range (:mod:`verifier.kernel.ranges`): a fresh unknown in that range, where the
    function is evaluated (pi in its rational enclosure, the same unknown as every other pi)."""
    if e in ab.unknowns:
        return ab.unknowns[e]
    v = ab.fresh(e)
    lo, hi, lo_open, hi_open = bounds
    parts = []
    if lo is not None:
        end = _translate(lo, ab)
        parts.append(v > end if lo_open else v >= end)
    if hi is not None:
        end = _translate(hi, ab)
        parts.append(v < end if hi_open else v <= end)
    signed = ranges.sign_between_zeros(e, ab.facts)
    if signed is not None:
        sign, strict = signed
        parts.append((v > 0 if strict else v >= 0) if sign > 0 else (v < 0 if strict else v <= 0))
    ab.constraints.append(ab.where_evaluated(z3.And(parts)))
    return v


def _sum(e: sp.Sum, ab: _Abstraction) -> Term:
    """A finite sum as a fresh unknown, with its sign when every term has one:

        b - a + 1 >= 0 (the range is not reversed)      a <= j <= b |- f(j) >= 0  (> 0, and b >= a)
        ---------------------------------------------------------------------------------------------
        Sum(f(j), (j, a, b)) >= 0                        (> 0)
    """
    seen = ab.sum_paths.get(e, False)
    ab.sum_paths[e] = True if True in (seen, ab.path) else ab.path if seen is False else z3.Or(seen, ab.path)
    if e in ab.unknowns:
        return ab.unknowns[e]
    v = ab.fresh(e)
    if len(e.limits) == 1:
        j, lo, hi = support_range(e, ab.facts) or e.limits[0]
        if not integer_bounds((j, lo, hi)):
            return v
        count = hi - lo + 1
        if ab.facts.nonneg(count):
            inner = ab.facts.forget(j).within(j, lo, hi)
            budget = max(ab.budget_ms // 4, 50)
            if ab.facts.positive(count) and isinstance(decide(e.function, ">", inner, budget_ms=budget), Proof):
                ab.constraints.append(v > 0)
            elif isinstance(decide(e.function, ">=", inner, budget_ms=budget), Proof):
                ab.constraints.append(v >= 0)
    return v


def _terms_of_sums(ab: _Abstraction) -> list[Formula]:
    """:func:`inequalities.term_of_sum` for every sum of the abstraction with terms >= 0, at every integer name
    ``k`` that the facts place in its range."""
    out: list[Formula] = []
    integers = sorted({s for x in ab.names for s in x.free_symbols if isinstance(s, sp.Symbol) and s.is_integer},
                      key=sp.default_sort_key)
    for key, var in list(ab.unknowns.items()):
        if not (isinstance(key, sp.Sum) and len(key.limits) == 1):
            continue
        j, lo, hi = support_range(key, ab.facts) or key.limits[0]
        if not integer_bounds((j, lo, hi)):
            continue
        inside = [k for k in integers if ab.facts.nonneg(k - lo) and ab.facts.nonneg(hi - k)]
        if not inside:
            continue
        inner = ab.facts.forget(j).within(j, lo, hi)
        if not isinstance(decide(key.function, ">=", inner, budget_ms=max(ab.budget_ms // 8, 50)), Proof):
            continue
        ab.path = ab.sum_paths.get(key, True)     # the terms are evaluated where the sum is
        for k in inside:
            try:
                out.append(ab.where_evaluated(inequalities.term_of_sum(_translate(key.function.xreplace({j: k}), ab),
                                                                       var)))
            except Untranslatable:
                continue
        ab.path = True
    return out


#: Cauchy-Schwarz is tried on at most this many sums over one range.
MAX_CS_SUMS = 6


def _cauchy_schwarz(ab: _Abstraction) -> list[Formula]:
    """:func:`inequalities.cauchy_schwarz` for every triple of sums of the abstraction over one range (and the
    number of terms, the sum of 1) whose summands fit it."""
    groups: dict[tuple, list[tuple[sp.Expr, Term]]] = {}
    for key, var in ab.unknowns.items():
        if isinstance(key, sp.Sum) and len(key.limits) == 1:
            limit = support_range(key, ab.facts) or tuple(key.limits[0])
            if integer_bounds(limit):
                groups.setdefault(tuple(limit), []).append((key.function, var))
    out: list[Formula] = []
    for (j, lo, hi), sums in groups.items():
        count = hi - lo + 1
        if len(sums) > MAX_CS_SUMS or not ab.facts.nonneg(count):
            continue
        try:
            terms = [*sums, (sp.Integer(1), _translate(count, ab))]
        except Untranslatable:
            continue
        inner = ab.facts.forget(j).within(j, lo, hi)
        budget = max(ab.budget_ms // 8, 50)
        nonneg = {f: f == 1 or isinstance(decide(f, ">=", inner, budget_ms=budget), Proof) for f, _ in terms}
        for (f1, v1) in sums:
            for (f2, v2), (f3, v3) in itertools.combinations_with_replacement(terms, 2):
                if nonneg[f2] and nonneg[f3] and sp.expand(f1**2 - f2 * f3) == 0:
                    out.append(inequalities.cauchy_schwarz(v1, v2, v3))
    return out


def _real_arg(a: sp.Expr, ab: _Abstraction) -> Term:
    if a.is_real is not True and not isinstance(a, sp.Sum):
        raise Untranslatable(a)
    return _translate(a, ab)


def _real_sum(s: sp.Sum) -> bool:
    """A finite sum of real terms is real (bounds integers, or infinite sums left out)."""
    return s.function.is_real is True and all(
        lim[1].is_finite and lim[2].is_finite and lim[0].is_integer for lim in s.limits)


def _name(x: sp.Basic, ab: _Abstraction) -> Term:
    if x in ab.names:
        return ab.names[x]
    if x.is_real is not True:
        raise Untranslatable(x)
    v = z3.Real(f"n{len(ab.names)}")
    ab.names[x] = v
    # An entry of a family that is zero outside its range has its declared sign only inside the range.
    inside = not isinstance(x, sp.Indexed) or ab.facts.family_range(x.base) is None
    if inside:
        if x.is_positive:
            ab.constraints.append(v > 0)
        elif x.is_nonnegative:
            ab.constraints.append(v >= 0)
        if x.is_negative:
            ab.constraints.append(v < 0)
        elif x.is_nonpositive:
            ab.constraints.append(v <= 0)
    if isinstance(x, sp.Indexed):
        for rel in entry_relations(ab.facts, x):
            try:
                ab.constraints.append(_condition(rel, ab))
            except (Untranslatable, z3.Z3Exception):
                continue
    return v


def _number(e: sp.Expr, ab: _Abstraction) -> Term:
    """A closed-form real number without logarithms: a fresh unknown inside its rigorous rational enclosure (a
    rational multiple of one, ``-pi/2``, the multiple of that unknown, so that every multiple of pi shares it)."""
    coeff, rest = e.as_coeff_Mul()
    if coeff.is_Rational and coeff != 1 and not rest.is_Rational:
        return _rational(Fraction(int(coeff.p), int(coeff.q))) * _number(rest, ab)
    lo, hi = _rational_ends(e)
    if lo == hi:
        return z3.RealVal(f"{lo.p}/{lo.q}")
    v = ab.fresh(e)
    ab.constraints.append(z3.And(v >= z3.RealVal(f"{lo.p}/{lo.q}"), v <= z3.RealVal(f"{hi.p}/{hi.q}")))
    if e == sp.E or (isinstance(e, sp.exp) and e.args[0].is_Rational):    # log(exp(r)) = r: a log term
        ab.log_terms.append((_translate(sp.log(e), ab), v))
    return v


def _rational_ends(e: sp.Expr) -> tuple[sp.Rational, sp.Rational]:
    ends = interval.rational_enclosure(e)
    if ends is None:
        raise Untranslatable(e)
    return ends


def _power(e: sp.Pow, ab: _Abstraction) -> Term:
    base, k = e.base, e.exp
    if k.is_Integer:
        b = _translate(base, ab)
        n = int(k)
        if abs(n) > 64:
            raise Untranslatable(e)
        out = z3.RealVal(1)
        for _ in range(abs(n)):
            out = out * b
        return out if n >= 0 else 1 / out     # z3's x/0 is some number: only points where e is defined matter
    if k == sp.Rational(1, 2) or k == sp.Rational(-1, 2):
        b = _translate(base, ab)
        r = ab.fresh(sp.sqrt(base))
        ab.constraints.append(ab.where_evaluated(z3.And(r >= 0, r * r == b)))
        return r if k > 0 else 1 / r
    if base == sp.E:
        return _exp(k, ab)
    raise Untranslatable(e)


def _exp(t: sp.Expr, ab: _Abstraction) -> Term:
    key = expu(t)
    if key in ab.unknowns:
        return ab.unknowns[key]
    u = ab.fresh(key)
    ab.constraints.append(u > 0)
    ab.log_terms.append((_translate(t, ab), u))
    return u


def _log(a: sp.Expr, ab: _Abstraction) -> Term:
    key = sp.log(a)
    if key in ab.unknowns:
        return ab.unknowns[key]
    if a.is_Rational:
        if a <= 0:
            raise Untranslatable(key)
        unknown = ab.fresh(key)
        lo, hi = _rational_ends(key)
        ab.constraints.append(inequalities.log_bounds(unknown, z3.RealVal(f"{lo.p}/{lo.q}"),
                                                      z3.RealVal(f"{hi.p}/{hi.q}")))
        term = (unknown, z3.RealVal(f"{a.p}/{a.q}"))
        ab.log_terms.append(term)
        ab.constants.append(term)
        return unknown
    arg = _translate(a, ab)
    path = [] if ab.path is True else [ab.path]
    if not _proved(ab.constraints + _linear_facts(ab) + path + [arg <= 0], ab.budget_ms):
        raise Untranslatable(key)   # log of a term not proved positive: nothing sound to say about it
    unknown = ab.fresh(key)
    if ab.path is True:
        ab.log_terms.append((unknown, arg))
    else:   # off the path the term is (0, 1), a true log term whatever the unknown's value
        ab.log_terms.append((z3.If(ab.path, unknown, z3.RealVal(0)), z3.If(ab.path, arg, z3.RealVal(1))))
    return unknown


def _proved(negation: list[Formula], budget_ms: int) -> bool:
    result, _ = _check(negation, budget_ms)
    return result == z3.unsat


def _piecewise(e: sp.Piecewise, ab: _Abstraction) -> Term:
    pieces = list(e.args)
    if pieces[-1][1] not in (True, sp.true):    # undefined where no condition holds: some holds where evaluated
        pieces.append((sp.Dummy("undefined", real=True), sp.true))
    outer = ab.path
    conditions: list[Formula] = []
    values: list[Term] = []
    try:
        for value, cond in pieces:
            before = [z3.Not(c) for c in conditions]
            ab.path = _conjunction([outer, *before])
            conditions.append(_condition(cond, ab))
            ab.path = _conjunction([outer, *before, conditions[-1]])
            values.append(_translate(value, ab))
    finally:
        ab.path = outer
    if e.args[-1][1] not in (True, sp.true):
        ab.constraints.append(ab.where_evaluated(z3.Or(conditions[:-1])))
    out = values[-1]
    for c, v in zip(reversed(conditions[:-1]), reversed(values[:-1]), strict=True):
        out = z3.If(c, v, out)
    return out


def _conjunction(parts: list[Formula | bool]) -> Formula | bool:
    """``And`` of the parts that are not ``True`` (``True`` when none is left)."""
    rest = [p for p in parts if p is not True]
    return True if not rest else rest[0] if len(rest) == 1 else z3.And(rest)


def _condition(c: sp.Basic, ab: _Abstraction) -> Formula:
    if c in (True, False, sp.true, sp.false):
        return z3.BoolVal(bool(c))
    if isinstance(c, (sp.And, sp.Or)):
        return (z3.And if isinstance(c, sp.And) else z3.Or)([_condition(a, ab) for a in c.args])
    if isinstance(c, sp.Not):
        return z3.Not(_condition(c.args[0], ab))
    for cls, op in RELATION_OPS.items():
        if isinstance(c, cls):
            return holds(op, _translate(c.lhs, ab), _translate(c.rhs, ab))
    raise Untranslatable(c)


def confirm_under(relation: tuple[sp.Expr, str, sp.Expr], hypotheses: list[sp.Basic], facts: Facts) -> str | None:
    """Confirm ``lhs op rhs`` using every hypothesis, also those that are not linear (``Sum(y[k], (k, 1, K)) = 1``,
    ``a*b = 1``), which the facts cannot hold: each side of each is brought to the normal form, then :func:`decide`.
    Returns the method, or ``None``."""
    from verifier.kernel import logs
    from verifier.kernel.rules import normal

    lhs, op, rhs = relation
    if op in ("<=", "<"):
        lhs, op, rhs = rhs, mirrored(op), lhs
    if op not in (">=", ">", "="):
        return None
    d = logs.expand_logs(normal(lhs - rhs, facts), lambda a: positive(a, facts))
    found = decide(d, op, facts, hypotheses=normal_hypotheses(hypotheses, facts))
    return METHOD + " with the hypotheses" if isinstance(found, Proof) else None


def normal_hypotheses(hypotheses: list[sp.Basic], facts: Facts) -> tuple[sp.Basic, ...]:
    """The relations among ``hypotheses`` and their ``And``/``Or``/``Not``, each side of each relation in the normal
    form of :mod:`verifier.kernel.rules`; anything else is left out (fewer hypotheses: still sound)."""
    from verifier.kernel.rules import normal

    def normalised(h: sp.Basic) -> sp.Basic | None:
        if isinstance(h, sp.core.relational.Relational):
            return h.func(normal(h.lhs, facts), normal(h.rhs, facts), evaluate=False)
        if isinstance(h, (sp.And, sp.Or, sp.Not)):
            args = [normalised(a) for a in h.args]
            if any(a is None for a in args):
                return None
            return h.func(*args, evaluate=False)
        return None

    return tuple(n for n in map(normalised, hypotheses) if n is not None)


def positive(a: sp.Expr, facts: Facts, *, budget_ms: int = 300) -> bool:
    """Whether ``a > 0`` for every value allowed by the facts, proved by :func:`decide` (the premise test of the
    logarithm rules of :mod:`verifier.kernel.logs`)."""
    if a.is_number:
        return interval.sign(a) == 1
    if a.is_positive is True and not a.has(sp.Indexed):
        return True
    return isinstance(decide(a, ">", facts, budget_ms=budget_ms), Proof)
