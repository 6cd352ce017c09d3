"""The trusted checker: the only code that can make a verdict ``proved``, ``checked`` or ``refuted``.

Strategies (:mod:`verifier.search.strategies`) search, guess and call whatever SymPy offers; none of that is trusted.
They hand this module a *proposal*, and a verdict exists only if a function here confirms it. The verdict functions
:func:`prove`, :func:`refute`, :func:`witness`, :func:`check` and :func:`no_witness_possible` return the kernel's
verdict objects (:mod:`verifier.kernel.verdicts`), which nothing outside the kernel can construct; they rest on:

- :func:`confirm_identity`: ``lhs = rhs`` for all allowed values. Both sides are brought to the normal form of
  :mod:`verifier.kernel.rules` (each rule an equality with its premises discharged from the facts), and the difference
  must cancel to the polynomial 0 over the rationals, its atoms (``expu(t)``, sums, entries, deltas) treated as
  independent unknowns, which is stronger than needed. (An identity of rational functions holds wherever both sides
  are defined.)
- :func:`confirm_sign`: ``e >= 0`` or ``e > 0``: after the normal form, ``e = N/D`` with ``N`` and ``D`` polynomials
  whose every coefficient has one sign and whose every atom is positive.
- :func:`confirm_at_point`: a relation, or its failure, at one point where every free name has a value: the point
  gives every name a number its declaration allows, satisfies every hypothesis and fact, and the relation holds (a
  witness) or fails (a counterexample), by exact rational arithmetic or by interval arithmetic
  (:mod:`verifier.kernel.interval`) whose enclosure excludes the other outcome.
- :func:`confirm_instance`: a relation at integer values of some names (one instance of a bounded check), for all
  values of the others; the checker substitutes the values itself, then confirms as above.

A sum over an empty range (upper bound below the lower one) is 0, a product 1 (:mod:`verifier.kernel.sums`; not
Karr's convention, which SymPy's ``doit`` follows); nothing is decided about a sum whose bounds are not integers.

A relation is claimed where its left side is defined (:mod:`verifier.kernel.defined`): ``lhs = rhs`` (or ``<`` ...)
is confirmed only when ``rhs`` is shown defined wherever ``lhs`` is, and at a point where ``lhs`` is defined and
``rhs`` is not, the relation fails.

The trusted core is this module with :mod:`verifier.kernel.rules`, :mod:`verifier.kernel.sums`,
:mod:`verifier.kernel.defined`, :mod:`verifier.kernel.linear`, :mod:`verifier.kernel.interval` and
:mod:`verifier.kernel.universal` (hypotheses over all indices), and, as last
resorts, :mod:`verifier.kernel.multisum`, :mod:`verifier.kernel.geometric`, :mod:`verifier.kernel.logs`,
:mod:`verifier.kernel.inequalities` and :mod:`verifier.kernel.nra` (which trusts z3's ``unsat`` answer only).
It does no I/O and imports nothing of the CLI or the reports. What it takes from SymPy is listed in
:mod:`verifier.kernel.rules`; nothing here calls ``simplify``, ``equals``, ``is_zero`` or ``refine``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import sympy as sp

from verifier.kernel import defined, geometric, interval, linear, logs
from verifier.kernel.facts import Facts, admits, exact_number, facts_from
from verifier.kernel.rules import expu, normal
from verifier.kernel.sums import merge_sums, peel, size_conditions, well_formed
from verifier.kernel.universal import AllIndices, Definition, definitions, instances, rewrite
from verifier.kernel.verdicts import Checked, Proved, Refuted, Witness, made

Relation = tuple[sp.Expr, str, sp.Expr]   # (lhs, op, rhs), op in "=", "!=", "<", "<=", ">", ">="


@dataclass(frozen=True)
class Confirmed:
    """A confirmation: how the claim was confirmed (shown to users as the method)."""

    method: str


def is_zero_polynomially(e: sp.Expr) -> bool:
    """Whether ``e``, read as a rational function of its atoms, is the zero function."""
    if e == 0:
        return True
    num, den = sp.fraction(sp.together(e))
    if sp.expand(den) == 0:
        return False
    return sp.expand(num) == 0


def confirm_identity(lhs: sp.Expr, rhs: sp.Expr, facts: Facts, *, splits: int = 2) -> Confirmed | None:
    """Confirm ``lhs = rhs`` for every allowed value, or return ``None``.

    When the normal form leaves a condition undecided (of a ``Piecewise`` or a ``KroneckerDelta``), the identity
    is confirmed in both cases, up to ``splits`` conditions deep::

        facts, C |- lhs = rhs        facts, not C |- lhs = rhs
        ------------------------------------------------------
                        facts |- lhs = rhs

    In the case ``s = e`` for a symbol ``s``, ``s`` is replaced by ``e`` (equal values, so equal results).
    The conditions split on include the sizes of sums (``n >= 0`` for ``Sum(g, (j, 1, n))``).

    The identity is claimed where ``lhs`` is defined: ``rhs`` must be shown defined there (:func:`defined_where`).
    Where ``lhs`` is defined nowhere, nothing is claimed::

        facts, the conditions implied by "lhs is defined" are contradictory
        -------------------------------------------------------------------
                        facts |- lhs = rhs (vacuously)
    """
    if not (well_formed(lhs) and well_formed(rhs)):
        return None
    local = where_defined(lhs, facts)
    if local is not facts and (0 in local.unequal or contradictory((), local)):
        return Confirmed("vacuous: the left side is defined nowhere here")
    if not defined_where(rhs, lhs, facts):
        return None
    return _confirm_identity(lhs, rhs, local, splits)


def defined_where(side: sp.Expr, given: sp.Expr, facts: Facts) -> bool:
    """Whether ``side`` is defined wherever ``given`` is (and the facts hold):

        facts, the conditions implied by "given is defined" |- each condition sufficient for "side is defined"
        -----------------------------------------------------------------------------------------------------
                               side is defined wherever given is

    A sub-expression of ``side`` that is also a sub-expression of ``given`` (outside a Piecewise, a sum, a limit)
    is defined there. A condition is discharged when it is one of ``given``'s, when the facts with ``given``'s
    conditions decide it, or, for ``u > 0``, ``u >= 0``, ``u != 0``, by :func:`confirm_sign`. An opaque
    ``defined(L)`` of a limit is discharged when the normal form evaluates the limit to an expression defined
    everywhere.
    """
    need = defined.conditions(side, sufficient=True)
    if need:
        need = defined.conditions_beyond(side, defined.strict_subterms(given))
    if not need:
        return True
    have = defined.conditions(given, sufficient=False)
    local = where_defined(given, facts)
    return all(c in have or _discharged(c, local) for c in need)


def where_defined(e: sp.Expr, facts: Facts) -> Facts:
    """The facts and the conditions implied by ``e`` being defined: a relation is claimed only there."""
    for c in defined.conditions(e, sufficient=False):
        if isinstance(c, (sp.core.relational.Relational, sp.And)):
            facts = facts.add(c)
    return facts


def _discharged(c: sp.Basic, facts: Facts) -> bool:
    if isinstance(c, sp.core.function.AppliedUndef):        # defined(e)
        (e,) = c.args
        if isinstance(e, sp.Limit):
            value = normal(e, facts)
            return not value.has(sp.Limit) and defined.everywhere(value) and not value.has(sp.oo, -sp.oo, sp.zoo)
        return False
    if isinstance(c, sp.Implies):       # a Piecewise branch's value, defined where the branch is chosen
        premise, conclusion = c.args
        if facts.decide(premise) is False:
            return True
        local = facts.add(premise)      # (the premise's linear parts: each a consequence of it)
        return all(_discharged(x, local) for x in sp.And.make_args(conclusion))
    if facts.decide(c) is True:
        return True
    if isinstance(c, (sp.Gt, sp.Ge)) and c.rhs == 0:
        return confirm_sign(c.lhs, facts, strict=isinstance(c, sp.Gt)) is not None
    if isinstance(c, sp.Ne) and c.rhs == 0:
        return any(confirm_sign(s * c.lhs, facts, strict=True) is not None for s in (1, -1))
    return False


def _confirm_identity(lhs: sp.Expr, rhs: sp.Expr, facts: Facts, splits: int) -> Confirmed | None:
    d = normal(lhs - rhs, facts)
    if _leaks(d, lhs - rhs):
        return None
    if is_zero_polynomially(d):
        return Confirmed("normal form: exact cancellation")
    if facts.decide(sp.Eq(d, 0, evaluate=False)) is True:
        return Confirmed("linear arithmetic from the hypotheses")
    if d.has(sp.Sum):
        merged = merge_sums(d)
        if is_zero_polynomially(merged):
            return Confirmed("normal form: sums combined, exact cancellation")
        for front in (False, True):
            peeled = peel(d, facts, front=front)
            if peeled != d and is_zero_polynomially(merge_sums(normal(peeled, facts))):
                where = "first" if front else "last"
                return Confirmed(f"normal form: {where} terms of a sum split off, sums combined, exact cancellation")
    found = _power_identity(d, facts)
    if found is not None:
        return found
    method = geometric.confirm(lhs, rhs, d, facts, confirm_identity, substitute, is_zero_polynomially)
    if method is not None:
        return Confirmed(method)
    if splits <= 0:
        return None
    cond = _undecided_condition(d, facts)
    if cond is None:
        cond = next(iter(size_conditions(d, facts)), None)
    if cond is None:
        return None
    cases = []
    for branch in (cond, _negation(cond)):
        if branch is None:
            return None
        left, right, f = lhs, rhs, facts.add(branch)
        if isinstance(branch, sp.Eq):
            s, e = _solved(branch)
            if s is not None:
                left, right = substitute(left, {s: e}), substitute(right, {s: e})
        confirmed = _confirm_identity(left, right, f, splits - 1)
        if confirmed is None:
            return None
        cases.append(confirmed.method)
    return Confirmed(f"case split on {show_relation(cond)}: " + "; ".join(sorted(set(cases))))


def _power_identity(d: sp.Expr, facts: Facts) -> Confirmed | None:
    """``d = 0`` by the logarithm rules (:mod:`verifier.kernel.logs`), then by nonlinear real arithmetic
    (:mod:`verifier.kernel.nra`), for a normal form that does not cancel by itself. Only where they can add
    something: logarithms, or cases (``Max``, ``Min``, ``Abs``, ``sign``)."""
    if not d.has(sp.log, sp.Max, sp.Min, sp.Abs, sp.sign):
        return None
    from verifier.kernel import nra  # z3 is imported only when a proof needs it
    expanded = logs.expand_logs(d, lambda a: nra.positive(a, facts))
    if expanded != d and not _leaks(expanded, d) and is_zero_polynomially(expanded):
        return Confirmed("logarithm rules under positivity, exact cancellation")
    if isinstance(nra.decide(expanded, "=", facts), nra.Proof):
        return Confirmed(nra.METHOD)
    return None


def _leaks(result: sp.Expr, source: sp.Expr) -> bool:
    """Whether a normal form has a free name its source did not have: a bound index that escaped its sum (the
    failure of SymPy issue #27359). The rules should never do this; a result that does is not trusted."""
    def names(e: sp.Expr) -> set:
        return {s for s in e.free_symbols if not isinstance(s, sp.Indexed)} | \
            {x.base.label for x in e.atoms(sp.Indexed)}
    return not names(result) <= names(source)


def confirm_relation(relation: Relation, facts: Facts) -> Confirmed | None:
    """Confirm ``lhs op rhs`` for every allowed value: :func:`confirm_identity` for ``=``, :func:`confirm_sign` for
    the inequalities (``!=`` by a strict sign either way)."""
    lhs, op, rhs = relation
    if op == "=":
        return confirm_identity(lhs, rhs, facts)
    if not (well_formed(lhs) and well_formed(rhs)) or not defined_where(rhs, lhs, facts):
        return None
    facts = where_defined(lhs, facts)
    if op in ("<", "<="):
        return confirm_sign(rhs - lhs, facts, strict=op == "<")
    if op in (">", ">="):
        return confirm_sign(lhs - rhs, facts, strict=op == ">")
    if op == "!=":
        return confirm_sign(lhs - rhs, facts, strict=True) or confirm_sign(rhs - lhs, facts, strict=True)
    return None


def confirm_instance(relation: Relation, hypotheses: list[sp.Basic], values: Mapping[sp.Basic, sp.Expr],
                     facts: Facts) -> Confirmed | None:
    """Confirm a relation at one instance of a bounded check: integer values for some names (sizes, indices), for
    every value of the others.

    The instance is made here, not by the caller: each value must be an integer that its name's declaration allows,
    the relation's sides and the hypotheses are substituted (bound variables kept), entries of zero-outside families
    outside their range become 0, and the facts are derived again from the declarations, the fixed values and the
    substituted hypotheses.
    """
    values = {k: exact_number(v) for k, v in values.items()}
    if not all(isinstance(k, sp.Symbol) and k.is_integer and isinstance(v, sp.Integer) and _allowed(k, v)
               for k, v in values.items()) or not admits(facts, values):
        return None
    local = at_point(facts, values)
    substituted = []
    for h in hypotheses:
        h = substitute(h, values)
        if condition_truth(h) is False:
            return Confirmed("vacuous: a hypothesis is false at this instance")
        if h is not sp.true and h is not True:
            substituted.append(h)
    lhs, op, rhs = relation
    lhs, rhs = (apply_zero_outside(substitute(exact_number(side), values), local) for side in (lhs, rhs))
    inst = facts_from(facts.declarations, substituted, {**dict(facts.fixed), **values}, (lhs, rhs))
    if not inst.consistent:
        return None
    return confirm_relation((lhs, op, rhs), inst)


def _undecided_condition(d: sp.Expr, facts: Facts) -> sp.Basic | None:
    """The first relation between integers, in a Piecewise condition or a KroneckerDelta, that the facts leave open."""
    candidates: list[sp.Basic] = []
    for x in sp.preorder_traversal(d):
        if isinstance(x, sp.KroneckerDelta) and len(x.args) == 2:
            candidates.append(sp.Eq(*x.args))
        elif isinstance(x, sp.Piecewise):
            for _, c in x.args:
                candidates.extend(a for a in sp.preorder_traversal(c)
                                  if isinstance(a, sp.core.relational.Relational))
    for c in candidates:
        if isinstance(c, sp.core.relational.Relational) and not c.free_symbols & _binders(d) \
                and all(s.is_integer for s in c.free_symbols) and facts.decide(c) is None:
            return c
    return None


def _negation(c: sp.Basic) -> sp.Basic | None:
    table = {sp.Eq: sp.Ne, sp.Ne: sp.Eq, sp.Lt: sp.Ge, sp.Le: sp.Gt, sp.Gt: sp.Le, sp.Ge: sp.Lt}
    for cls, neg in table.items():
        if isinstance(c, cls):
            return neg(c.lhs, c.rhs, evaluate=False)
    return None


def _solved(eq: sp.Eq) -> tuple[sp.Symbol | None, sp.Expr | None]:
    """``eq`` as ``s = e`` with ``s`` a symbol not in ``e``, if it can be read so directly."""
    for s, e in ((eq.lhs, eq.rhs), (eq.rhs, eq.lhs)):
        if isinstance(s, sp.Symbol) and s not in e.free_symbols:
            return s, e
    d = sp.expand(eq.lhs - eq.rhs)
    for s in sorted(d.free_symbols, key=sp.default_sort_key):
        c = d.coeff(s)
        if c in (1, -1) and s not in (d - c * s).free_symbols:
            return s, sp.expand(-(d - c * s) / c)
    return None, None


#: SymPy's relation classes and the operators the project writes for them.
RELATION_OPS: dict[type[sp.Basic], str] = {sp.Eq: "=", sp.Ne: "!=", sp.Lt: "<", sp.Le: "<=", sp.Gt: ">", sp.Ge: ">="}


def show_relation(c: sp.Basic) -> str:
    """A relation as the project writes it (``k != i``, ``K >= 2``), for reports."""
    for cls, op in RELATION_OPS.items():
        if isinstance(c, cls):
            return f"{c.lhs} {op} {c.rhs}"
    return str(c)


def confirm_sign(e: sp.Expr, facts: Facts, *, strict: bool) -> Confirmed | None:
    """Confirm ``e > 0`` (strict) or ``e >= 0`` for every allowed value where ``e`` is defined, or return ``None``:
    by the normal form, else (a last resort) by the logarithm rules and nonlinear real arithmetic
    (:mod:`verifier.kernel.nra`)."""
    if not well_formed(e):
        return None
    found = _sign_by_normal_form(e, facts, strict=strict)
    if found is not None:
        return found
    from verifier.kernel import nra  # z3 is imported only when a proof needs it
    d = normal(e, facts)
    if _leaks(d, e):
        return None
    d = logs.expand_logs(d, lambda a: nra.positive(a, facts))
    # Sums over one range combined first, so that a sum of squares is one sum of nonnegative terms.
    for form in (d, merge_sums(d)) if d.has(sp.Sum) else (d,):
        if isinstance(nra.decide(form, ">" if strict else ">=", facts), nra.Proof):
            return Confirmed(nra.METHOD)
    return None


def _sign_by_normal_form(e: sp.Expr, facts: Facts, *, strict: bool) -> Confirmed | None:
    d = normal(e, facts)
    if _leaks(d, e):
        return None
    if d.is_number:
        s = interval.sign(d)
        if s is not None and (s > 0 or (s == 0 and not strict)):
            return Confirmed("exact evaluation")
        return None
    if facts.positive(d) if strict else facts.nonneg(d):
        return Confirmed("linear arithmetic from the hypotheses")
    num, den = sp.fraction(sp.together(d))
    num, den = sp.expand(num), sp.expand(den)
    sn, sd = _definite_sign(num, facts), _definite_sign(den, facts)
    if sn is None or sd is None or sd[0] == 0:
        return None
    if sn[0] == 0:
        return None if strict else Confirmed("normal form: zero")
    if sn[0] * sd[0] > 0 and (sn[1] or not strict):
        return Confirmed("normal form: positive coefficients over positive atoms")
    return None


def _definite_sign(p: sp.Expr, facts: Facts) -> tuple[int, bool] | None:
    """The sign that every term of the expanded polynomial ``p`` has for all values of its atoms, and whether
    ``p`` is then never 0: ``(0, False)`` for the zero polynomial, ``None`` when the terms' signs are not known.

        every term c*t1^e1*...*tm^em with c > 0 rational, and each factor ti^ei with ti > 0 and ei real
        (then ti^ei > 0), or ei an even integer and ti real (then ti^ei >= 0), or ei a rational non-integer and
        ti real (then ti^ei >= 0 wherever it is defined as a real number)
        ---------------------------------------------------------------------------------------------
        p >= 0; and p > 0 when some term has only factors of the first kind

    An atom ``Sum(g, (j, 1, n))`` counts as positive when ``g > 0`` for every ``j`` and the facts imply ``n >= 1``.
    """
    if p == 0:
        return 0, False
    signs = set()
    strict = False
    for term in sp.Add.make_args(p):
        c, rest = term.as_coeff_Mul()
        if not c.is_Rational or c == 0:
            return None
        positive = True
        for factor in sp.Mul.make_args(rest):
            base, e = factor.as_base_exp()
            if (_positive(base, facts) or _positive_sum(base, facts)) and _real(e):
                continue
            if e.is_Integer and int(e) % 2 == 0 and _real(base):
                positive = False    # an even power of a real is >= 0, and 0 where the base is
                continue
            if e.is_Rational and not e.is_Integer and _real(base):
                positive = False    # a real root, where defined (base >= 0), is >= 0
                continue
            return None
        strict = strict or positive
        signs.add(1 if c > 0 else -1)
    return (signs.pop(), strict) if len(signs) == 1 else None


def _positive(x: sp.Expr, facts: Facts) -> bool:
    """Certainly positive: a number by its rigorous enclosure (SymPy's ``is_positive`` of a number is a low-precision
    float evaluation), anything else by its assumptions, but only where every entry of a family with an index range
    is known to be inside that range (outside, the entry is 0, whatever its words say)."""
    if x.is_number:
        return interval.sign(x) == 1
    return _entries_in_range(x, facts) and x.is_positive is True


def _entries_in_range(x: sp.Expr, facts: Facts) -> bool:
    """Whether the facts place the index of every entry ``F[i]`` in ``x`` inside ``F``'s index range."""
    for entry in x.atoms(sp.Indexed):
        rng = facts.family_range(entry.base)
        if rng is None:
            continue
        if len(entry.indices) != 1:
            return False
        (i,), (lo, hi) = entry.indices, rng
        if not (facts.nonneg(i - lo) and facts.nonneg(hi - i)):
            return False
    return True


def _positive_sum(x: sp.Expr, facts: Facts) -> bool:
    """``Sum(g, (j, 1, n)) > 0``: at least one term (``n >= 1``; for ``n <= 0`` the sum is empty, 0), and every
    term positive (for ``1 <= j <= n``)."""
    if not (isinstance(x, sp.Sum) and len(x.limits) == 1 and x.limits[0][1] == 1):
        return False
    j, _, n = x.limits[0]
    return _positive(x.function, facts.within(j, sp.Integer(1), n)) and facts.positive(n)


def _real(x: sp.Expr) -> bool:
    """Certainly real (numbers as in :func:`_positive`)."""
    return interval.is_real(x) if x.is_number else x.is_real is True


def at_point(facts: Facts, point: Mapping[sp.Basic, sp.Expr]) -> Facts:
    """The facts with the ranges of zero-outside families evaluated at the point's sizes."""
    families = tuple((b, lo.xreplace(dict(point)), hi.xreplace(dict(point)))
                     for b, lo, hi in facts.families)
    return replace(facts, families=families)


def admissible(point: Mapping[sp.Basic, sp.Expr], facts: Facts) -> dict[sp.Basic, sp.Expr]:
    """The point without values for entries that the out-of-bound-is-zero convention fixes to 0."""
    local = at_point(facts, point)
    return {k: v for k, v in point.items()
            if not (isinstance(k, sp.Indexed) and apply_zero_outside(k, local) == 0)}


def evaluate(e: sp.Expr, point: Mapping[sp.Basic, sp.Expr], facts: Facts) -> sp.Expr:
    """``e`` at a point: every free name replaced, finite sums written out, the normal form taken. Entries of a
    zero-outside family at an index outside its range are 0, whatever the point says."""
    facts = at_point(facts, point)
    point = admissible(point, facts)
    value = e
    for _ in range(2):  # entries x[1], x[2] ... appear only once sums over symbolic sizes are written out
        value = apply_zero_outside(substitute(value, point), facts)
        value = normal(value, facts).replace(expu, sp.exp)
    return apply_zero_outside(value, facts)


def substitute(e: sp.Basic, mapping: Mapping[sp.Basic, sp.Expr]) -> sp.Basic:
    """``e.xreplace(mapping)``, except that a variable bound in ``e`` (of a ``Limit``, ``Sum`` or ``Product``) keeps
    its meaning there: ``Limit(f(z), z, oo)`` at ``z = 0`` stays ``Limit(f(z), z, oo)``, not ``Limit(f(0), 0, oo)``."""
    mapping = dict(mapping)
    if not mapping or not isinstance(e, sp.Basic):
        return e
    if not any(v in mapping for v in _binders(e)):
        return interval.settle(e, mapping)
    if isinstance(e, sp.Limit):
        f, z, z0, direction = e.args
        inner = {k: v for k, v in mapping.items() if k != z}
        return sp.Limit(substitute(f, inner), z, substitute(z0, mapping), str(direction))
    if isinstance(e, (sp.Sum, sp.Product)):
        names = {lim[0] for lim in e.limits}
        inner = {k: v for k, v in mapping.items() if k not in names}
        limits = [(lim[0], substitute(lim[1], inner), substitute(lim[2], inner)) for lim in e.limits]
        return e.func(substitute(e.function, inner), *limits)
    return interval.rebuild(e, tuple(substitute(a, mapping) for a in e.args))


def _binders(e: sp.Basic) -> set:
    out: set = set()
    for x in sp.preorder_traversal(e):
        if isinstance(x, sp.Limit):
            out.add(x.args[1])
        elif isinstance(x, (sp.Sum, sp.Product)):
            out |= {lim[0] for lim in x.limits}
    return out


def apply_zero_outside(e: sp.Expr, facts: Facts) -> sp.Expr:
    """Replace entries ``F[n]`` with a numeric index outside ``F``'s declared numeric range by 0."""
    repl = {}
    for x in e.atoms(sp.Indexed):
        rng = facts.family_range(x.base)
        if rng is None or len(x.indices) != 1:
            continue
        (i,) = x.indices
        lo, hi = rng
        if i.is_Integer and lo.is_Integer and hi.is_Integer and not (lo <= i <= hi):
            repl[x] = sp.Integer(0)
    return interval.settle(e, repl) if repl else e


def truth(lhs: sp.Expr, op: str, rhs: sp.Expr) -> bool | None:
    """Whether a relation between two numbers holds, decided exactly or by a rigorous enclosure (else ``None``)."""
    if isinstance(lhs, sp.logic.boolalg.BooleanAtom) or isinstance(rhs, sp.logic.boolalg.BooleanAtom):
        return None
    s = interval.sign(sp.expand(interval.settle(lhs) - interval.settle(rhs)))
    if s is None:
        return None
    return {"=": s == 0, "!=": s != 0, "<": s < 0, "<=": s <= 0, ">": s > 0, ">=": s >= 0}[op]


def condition_truth(cond: sp.Basic) -> bool | None:
    """Whether a condition on numbers (a relation, or And/Or/Not of them) holds, rigorously, else ``None``."""
    if cond is sp.true or cond is True:
        return True
    if cond is sp.false or cond is False:
        return False
    if isinstance(cond, (sp.And, sp.Or)):
        values = [condition_truth(a) for a in cond.args]
        if isinstance(cond, sp.And):
            return False if False in values else (None if None in values else True)
        return True if True in values else (None if None in values else False)
    if isinstance(cond, sp.Not):
        v = condition_truth(cond.args[0])
        return None if v is None else not v
    for cls, op in RELATION_OPS.items():
        if isinstance(cond, cls):
            return truth(cond.lhs, op, cond.rhs)
    return None


@dataclass(frozen=True)
class PointCheck:
    """The relation at a point: both sides' values and whether the relation holds there. When the right side is
    undefined there (and the left side defined), the relation fails, ``undefined`` is ``"rhs"`` and ``rhs`` is
    ``nan``: no value is reported for it."""

    holds: bool
    lhs: sp.Expr
    rhs: sp.Expr
    undefined: str | None = None


def confirm_at_point(relation: Relation, hypotheses: list[sp.Basic], point: Mapping[sp.Basic, sp.Expr],
                     facts: Facts) -> PointCheck | None:
    """Evaluate a relation at a point that satisfies every hypothesis; ``None`` when either cannot be settled
    rigorously, or a hypothesis fails there, or a free name is left without a value.

    The point itself is checked first: every value is a closed-form number allowed by its name's declaration
    (integer, sign words, interval ends, finite domain; an entry of a family outside its index range must be 0:
    :func:`verifier.kernel.facts.admits`), and every linear fact and disequality of ``facts`` holds there.
    """
    try:
        return _confirm_at_point(relation, hypotheses, point, facts)
    except ValueError:
        # SymPy's arithmetic can fail on some large numbers (a root of a large rational: "... is not a prime
        # factor of ..."): nothing is decided at such a point.
        return None


def _confirm_at_point(relation: Relation, hypotheses: list[sp.Basic], point: Mapping[sp.Basic, sp.Expr],
                      facts: Facts) -> PointCheck | None:
    relation = (exact_number(relation[0]), relation[1], exact_number(relation[2]))
    point = {k: exact_number(v) for k, v in point.items()}
    if not all(isinstance(e, sp.Expr) and well_formed(e) for e in (relation[0], relation[2])):
        return None
    if not all(_allowed(k, v) for k, v in point.items()) or not admits(facts, point) \
            or not _satisfies(facts, point):
        return None
    facts = at_point(facts, point)
    for h in hypotheses:
        if isinstance(h, AllIndices):
            # Symmetry is the one hypothesis over all indices that a point can be checked against: the entries it
            # leaves out extend to a symmetric family. For any other, what the point leaves out may not extend.
            family = symmetric_family(h)
            if family is None or not _symmetric_at(family, {**dict(facts.fixed), **point}):
                return None
            continue
        value = _rational_condition(h, point)
        if value is None:
            value = condition_truth(_evaluate_condition(h, point, facts))
        if value is not True:
            return None
    lhs, op, rhs = relation
    left, right = (_defined_at(side, point, facts) for side in (lhs, rhs))
    if left is not True or right is None:
        return None     # the relation is claimed only where its left side is defined
    a = evaluate(lhs, point, facts)
    if not _is_value(a):
        return None
    if right is False:
        return PointCheck(False, a, sp.nan, undefined="rhs")
    b = evaluate(rhs, point, facts)
    if not _is_value(b):
        return None
    holds = truth(a, op, b)
    if holds is None:
        return None
    return PointCheck(holds, a, b)


def _defined_at(e: sp.Expr, point: Mapping[sp.Basic, sp.Expr], facts: Facts) -> bool | None:
    """Whether ``e`` is defined (a real number) at the point, rigorously; ``None`` when undecided."""
    return defined.at_point(e, lambda x: evaluate(x, point, facts),
                            lambda c: condition_truth(_evaluate_condition(c, point, facts)), substitute)


def _is_value(v: sp.Basic) -> bool:
    """A number with nothing left unevaluated: no free name, entry, sum, held node or non-real part."""
    return isinstance(v, sp.Expr) and not (v.free_symbols or v.has(sp.Indexed, sp.Sum, sp.Product, sp.nan, sp.zoo)) \
        and not any(interval.held_original(f) for f in v.atoms(sp.core.function.AppliedUndef))


def symmetric_family(h: sp.Basic) -> sp.IndexedBase | None:
    """The family ``F`` of the hypothesis over all indices ``F[r, s] = F[s, r]``, else ``None``."""
    if not isinstance(h, AllIndices) or len(h.variables) != 2:
        return None
    body = h.body
    if not isinstance(body, sp.Eq) or not all(isinstance(x, sp.Indexed) for x in body.args):
        return None
    a, b = body.args
    r, s = h.variables
    if a.base != b.base or {a.indices, b.indices} != {(r, s), (s, r)}:
        return None
    return a.base


def _symmetric_at(family: sp.IndexedBase, point: Mapping[sp.Basic, sp.Expr]) -> bool:
    """Whether the point gives ``F[a, b]`` and ``F[b, a]`` the same value wherever it gives both (an entry whose
    transpose it leaves out extends to a symmetric ``F``)."""
    for x, v in point.items():
        if isinstance(x, sp.Indexed) and x.base == family and len(x.indices) == 2:
            other = family[x.indices[1], x.indices[0]]
            if other in point and interval.sign(sp.expand(point[other] - v)) != 0:
                return False
    return True


def _rational_condition(h: sp.Basic, point: Mapping[sp.Basic, sp.Expr]) -> bool | None:
    """A relation between polynomials with rational values at the point, decided by exact rational arithmetic
    (most hypotheses are ranges of integers); ``None`` for anything else."""
    if not isinstance(h, sp.core.relational.Relational) or h.has(sp.Function, sp.Sum, sp.Indexed):
        return None
    d = sp.expand(substitute(h.lhs - h.rhs, point))
    if not d.is_Rational:
        return None
    return truth(d, RELATION_OPS[type(h)], sp.Integer(0)) if type(h) in RELATION_OPS else None


def _allowed(name: sp.Basic, value: sp.Basic) -> bool:
    """Whether ``value`` is a number that the declaration of ``name`` (a symbol or an entry ``x[1]``) allows."""
    if not (isinstance(name, sp.Symbol) or (isinstance(name, sp.Indexed) and all(i.is_Integer for i in name.indices))):
        return False    # only names get values: giving exp(x) a value would not constrain x
    if not isinstance(value, sp.Expr) or value.free_symbols or value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return False
    if name.is_integer and not value.is_Integer:
        return False
    if name.is_real and not interval.is_real(value):
        return False
    wanted = {"positive": {1}, "negative": {-1}, "nonnegative": {0, 1}, "nonpositive": {0, -1},
              "nonzero": {1, -1}, "zero": {0}}
    needed = [signs for key, signs in wanted.items() if getattr(name, "is_" + key) is True]
    if needed:
        s = interval.sign(value)
        if s is None or not all(s in signs for signs in needed):
            return False
    return True


def _satisfies(facts: Facts, point: Mapping[sp.Basic, sp.Expr]) -> bool:
    """Whether every linear fact and every disequality of ``facts`` that mentions a name of the point holds there
    (all its names given).

    A fact about none of the point's names is about names that neither the relation nor the hypotheses use (those
    must all have values): the declarations of other relations of the same case, which do not bear on this one.
    """
    values = dict(point)
    for c in facts.constraints:
        if not any(v in values for v, _ in c.coeffs):
            continue
        if not all(v in values for v, _ in c.coeffs):
            return False
        total = sp.Rational(c.const.numerator, c.const.denominator) + \
            sp.Add(*[sp.Rational(a.numerator, a.denominator) * values[v] for v, a in c.coeffs])
        s = interval.sign(sp.expand(total))
        if s is None or s < 0 or (s == 0 and c.strict):
            return False
    for d in facts.unequal:
        if not d.free_symbols & set(values):
            continue
        value = d.xreplace(values)
        if value.free_symbols:
            return False
        s = interval.sign(sp.expand(value))
        if s is None or s == 0:
            return False
    return True


def _evaluate_condition(cond: sp.Basic, point: Mapping[sp.Basic, sp.Expr], facts: Facts) -> sp.Basic:
    if isinstance(cond, (sp.And, sp.Or, sp.Not)):
        return cond.func(*[_evaluate_condition(a, point, facts) for a in cond.args])
    if isinstance(cond, sp.core.relational.Relational):
        lhs, rhs = evaluate(cond.lhs, point, facts), evaluate(cond.rhs, point, facts)
        return cond.func(lhs, rhs, evaluate=False)
    return substitute(cond, dict(point))


# -- verdicts: the only way out of the kernel ----------------------------------------------------------------


def contradictory(hypotheses: Sequence[sp.Basic], facts: Facts) -> bool:
    """Whether no allowed value satisfies the hypotheses: one of them is a false relation between numbers
    (decided rigorously), or the linear facts admit no point.

        some hypothesis h is false, or the linear facts F are infeasible
        ----------------------------------------------------------------
                    no allowed value satisfies the hypotheses
    """
    if any(not _free(h) and not isinstance(h, AllIndices) and condition_truth(h) is False for h in hypotheses):
        return True
    return bool(facts.constraints) and linear.infeasible(list(facts.constraints))


def _free(h: sp.Basic) -> bool:
    return isinstance(h, sp.Basic) and bool(h.free_symbols)


def prove(relations: Sequence[Relation], hypotheses: Sequence[sp.Basic], facts: Facts) -> Proved | None:
    """``proved``: every relation holds for every allowed value that satisfies the hypotheses (vacuously when none
    does), each confirmed by :func:`confirm_relation`; ``None`` when one is not confirmed."""
    if not facts.consistent:
        return None
    sides = [side for lhs, _, rhs in relations for side in (lhs, rhs)]
    hypotheses = [*hypotheses, *instances(hypotheses, sides, facts.families, facts.decide)]
    if contradictory(hypotheses, facts):
        return made(Proved, method="vacuous: no allowed value satisfies the hypotheses")
    defs = definitions(hypotheses)
    if defs:
        relations = [_defined_entries_put(r, defs, facts) for r in relations]
    methods = []
    for relation in relations:
        confirmed = confirm_relation(relation, facts) or _confirm_under_hypotheses(relation, hypotheses, facts)
        if confirmed is None:
            return None
        methods.append(confirmed.method)
    return made(Proved, method="; ".join(sorted(set(methods))) if methods else "nothing to prove")


def _defined_entries_put(relation: Relation, defs: Sequence[Definition], facts: Facts) -> Relation:
    """The relation with the entries of families that a hypothesis over all indices defines replaced by their
    values (:func:`verifier.kernel.universal.rewrite`)."""
    def within(limits: Sequence[tuple[sp.Symbol, sp.Expr, sp.Expr]]) -> Callable[[sp.Basic], bool | None]:
        inner = facts
        for j, lo, hi in limits:
            inner = inner.forget(j).within(j, lo, hi)
        return inner.decide

    lhs, op, rhs = relation
    put = [rewrite(side, defs, facts.families, within) for side in (lhs, rhs)]
    return put[0], op, put[1]


def _confirm_under_hypotheses(relation: Relation, hypotheses: Sequence[sp.Basic], facts: Facts) -> Confirmed | None:
    """The relation by nonlinear real arithmetic using the hypotheses that the facts cannot hold (a sum equal to 1,
    a product), where its left side is defined and its right side is shown defined there too::

        facts, H |- rhs defined where lhs is        facts, H, lhs defined |- lhs op rhs   (z3: the negation unsat)
        -------------------------------------------------------------------------------------------------------
                                             facts, H |- lhs op rhs
    """
    nonlinear = [h for h in hypotheses if not isinstance(h, AllIndices) and Facts().add(h) == Facts()]
    lhs, _, rhs = relation
    if not nonlinear or not (well_formed(lhs) and well_formed(rhs)) or not defined_where(rhs, lhs, facts):
        return None
    from verifier.kernel import nra  # z3 is imported only when a proof needs it
    method = nra.confirm_under(relation, nonlinear, where_defined(lhs, facts))
    return Confirmed(method) if method else None


def _alpha_equal(a: sp.Basic, b: sp.Basic) -> bool:
    """Whether two expressions are the same up to the names of their bound variables (each build of a sum makes
    its own fresh index): SymPy's ``as_dummy`` renames every bound variable canonically, structurally."""
    return bool(a.as_dummy() == b.as_dummy())


#: One case of a problem as the kernel is handed it: its relations, hypotheses and facts.
CaseData = tuple[Sequence[Relation], Sequence[sp.Basic], Facts]


def prove_instance(general: Sequence[CaseData], values: Mapping[sp.Symbol, sp.Expr], instance: Sequence[CaseData]
                   ) -> Proved | None:
    """``proved`` for an obligation whose names were given values (``where``), from a proof for every value::

        facts |- R(v) for every allowed v      every value v0 allowed by its declaration      R(v0) is the obligation
        -------------------------------------------------------------------------------------------------------
                                              the obligation holds

    ``general`` and ``instance`` are the cases of the obligation with the names left free and with their values,
    case by case; each instance relation must be the general one with the values put in (structurally), and each
    general hypothesis, so substituted, true or among the instance's hypotheses. ``None`` when any of it fails.
    """
    if not general or len(general) != len(instance) or not values:
        return None
    methods = []
    for (g_rels, g_hyps, g_facts), (i_rels, i_hyps, _) in zip(general, instance, strict=True):
        if not admits(g_facts, values) or len(g_rels) != len(i_rels):
            return None
        for (gl, op, gr), (il, iop, ir) in zip(g_rels, i_rels, strict=True):
            if op != iop or not _alpha_equal(substitute(gl, values), il) \
                    or not _alpha_equal(substitute(gr, values), ir):
                return None
        given = {h.as_dummy() for h in i_hyps}
        for h in g_hyps:
            h = substitute(h, values)
            if h.as_dummy() not in given and condition_truth(h) is not True:
                return None
        proof = prove(g_rels, g_hyps, g_facts)
        if proof is None:
            return None
        methods.append(proof.method)
    shown = ", ".join(f"{k} = {v}" for k, v in sorted(values.items(), key=lambda kv: str(kv[0])))
    names = ", ".join(sorted(str(k) for k in values))
    return made(Proved, method=f"proved for every {names}, so at {shown}: " + "; ".join(sorted(set(methods))))


def refute(relation: Relation, hypotheses: Sequence[sp.Basic], point: Mapping[sp.Basic, sp.Expr], facts: Facts,
           method: str) -> Refuted | None:
    """``refuted``: the relation fails at the point, which every declaration allows and which satisfies every
    hypothesis (:func:`confirm_at_point`); ``None`` otherwise."""
    check = confirm_at_point(relation, list(hypotheses), point, facts)
    if check is None or check.holds:
        return None
    return made(Refuted, method=method, point=_shown_point(point, facts), lhs=check.lhs, rhs=check.rhs,
                undefined=check.undefined)


def witness(relations: Sequence[Relation], hypotheses: Sequence[sp.Basic], point: Mapping[sp.Basic, sp.Expr],
            facts: Facts, method: str = "witness, exact evaluation") -> Proved | None:
    """``proved`` for an ``exists``: every relation holds at the point, which every declaration allows and which
    satisfies every hypothesis; ``None`` otherwise."""
    if not relations:
        return None
    checks = [confirm_at_point(rel, list(hypotheses), point, facts) for rel in relations]
    if not all(c is not None and c.holds for c in checks):
        return None
    first = checks[0]
    assert first is not None
    found = made(Witness, point=_shown_point(point, facts), lhs=first.lhs, rhs=first.rhs)
    return made(Proved, method=method, witness=found)


def no_witness_possible(cases: Sequence[tuple[Sequence[Relation], Sequence[sp.Basic], Facts]]) -> Refuted | None:
    """``refuted`` for an ``exists`` (never true vacuously) when no case can have a witness: in each case
    ``(relations, hypotheses, facts)`` the hypotheses are contradictory, or a relation with no free name is false;
    ``None`` when some case may have one."""
    def impossible(relations: Sequence[Relation], hypotheses: Sequence[sp.Basic], facts: Facts) -> bool:
        if not facts.consistent:
            return False
        if contradictory(hypotheses, facts):
            return True
        closed = [r for r in relations if not (_free(exact_number(r[0])) or _free(exact_number(r[2])))]
        return any((c := confirm_at_point(r, [], {}, facts)) is not None and not c.holds for r in closed)

    if not cases or not all(impossible(*case) for case in cases):
        return None
    return made(Refuted, method="no allowed value satisfies the hypotheses and the relation", point={},
                message="in every case, no value allowed by the declarations satisfies the hypotheses and the "
                        "relation, so nothing exists")


def check(relations: Sequence[Relation], hypotheses: Sequence[sp.Basic],
          instances: Sequence[Mapping[sp.Basic, sp.Expr]], facts: Facts, named: str, total: int
          ) -> Checked | Mapping[sp.Basic, sp.Expr] | None:
    """``checked``: every relation confirmed (:func:`confirm_instance`) at every instance of a finite set, which
    ``named`` describes (a set of ``total`` instances; when more than the instances given, ``named`` must say which
    were given). Returns the first instance that is not confirmed instead, for the caller to search there for a
    counterexample; ``None`` when there is no instance, or an instance is repeated (the count would overstate what
    was checked). The verdict says how many instances were confirmed."""
    distinct = {tuple(sorted((str(k), exact_number(v)) for k, v in values.items())) for values in instances}
    if not instances or not facts.consistent or len(distinct) != len(instances):
        return None
    for values in instances:
        for rel in relations:
            if confirm_instance(rel, list(hypotheses), values, facts) is None:
                return values
    n = len(instances)
    return made(Checked, method="bounded check: every instance confirmed exactly",
                checked=f"{named}: {n} of {max(total, n)}", instances=n)


def _shown_point(point: Mapping[sp.Basic, sp.Expr], facts: Facts) -> dict[sp.Basic, sp.Expr]:
    """The point's values, without entries the zero-outside rule sets to 0."""
    return admissible({k: exact_number(v) for k, v in point.items()}, facts)
