"""What the kernel knows about the names of a problem, derived by the kernel itself from their declarations.

:func:`facts_from` is the one way the kernel's facts are made for a problem: from the :class:`Declaration` of every
name (ranges, signs, value intervals, finite domains, families zero outside their index range), the problem's
hypotheses (``assume``; one over all indices through its instances, :mod:`verifier.kernel.universal`), and the
values fixed for the problem (``where`` values, the case of a finite domain). No caller hands the kernel a range or
a sign of a declared name.

:func:`admits` checks a point (values of names and entries) against every declaration; the checker calls it before it
makes a verdict from a counterexample or a witness.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction

import sympy as sp

from verifier.kernel import interval, linear, universal
from verifier.kernel.declarations import SIGN_WORDS, Declaration
from verifier.kernel.relations import NEGATED, RELATION_OPS, sign_satisfies


@dataclass(frozen=True)
class Facts:
    """What is known about the integer (and real) symbols: linear constraints, disequalities, zero-outside ranges."""

    constraints: tuple[linear.Constraint, ...] = ()
    unequal: frozenset[sp.Expr] = frozenset()          # expressions known to be nonzero (a - b for a != b)
    families: tuple[tuple[sp.IndexedBase, sp.Expr, sp.Expr], ...] = ()
    declarations: tuple[Declaration, ...] = ()
    fixed: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()     # names given one value for the whole problem
    consistent: bool = True     # False when a fixed value is outside its name's declaration: nothing is decided

    def declaration(self, name: sp.Basic) -> Declaration | None:
        """The declaration of a scalar symbol or of a family (its ``IndexedBase``), if the name is declared."""
        for d in self.declarations:
            if d.name == name:
                return d
        return None

    def add(self, relation: sp.Basic) -> Facts:
        """These facts and one more relation (ignored when it is not linear: facts only ever help)."""
        new = list(self.constraints)
        unequal = set(self.unequal)
        for rel in _conjuncts(relation):
            if rel is sp.false:
                rel = sp.Ge(sp.Integer(-1), 0, evaluate=False)     # no point satisfies it: as -1 >= 0
            if isinstance(rel, sp.Ne):
                unequal.add(sp.expand(rel.lhs - rel.rhs))
                continue
            for c in _as_constraints(rel):
                new.append(c)
        return replace(self, constraints=tuple(new), unequal=frozenset(unequal))

    def within(self, j: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> Facts:
        """These facts and ``lo <= j <= hi``."""
        return self.add(sp.And(sp.Ge(j, lo, evaluate=False), sp.Le(j, hi, evaluate=False)))

    def forget(self, s: sp.Symbol) -> Facts:
        """These facts without any that mention ``s`` (for an expression where ``s`` is a bound variable)."""
        constraints = tuple(c for c in self.constraints if all(v != s for v, _ in c.coeffs))
        unequal = frozenset(d for d in self.unequal if s not in d.free_symbols)
        return replace(self, constraints=constraints, unequal=unequal)

    def nonneg(self, e: sp.Expr) -> bool:
        """Whether the facts imply ``e >= 0``."""
        return linear.implies(self.constraints, e)

    def positive(self, e: sp.Expr) -> bool:
        """Whether the facts imply ``e > 0``."""
        return linear.implies(self.constraints, e, strict=True)

    def bounds(self, x: sp.Symbol) -> tuple[tuple[sp.Rational, bool] | None, tuple[sp.Rational, bool] | None]:
        """The tightest lower and upper bounds of ``x`` among the linear facts on ``x`` alone (its declared interval,
        hypotheses such as ``x <= 3``), each with whether it is strict; ``None`` where there is none."""
        lo: tuple[sp.Rational, bool] | None = None
        hi: tuple[sp.Rational, bool] | None = None
        for c in self.constraints:
            if len(c.coeffs) != 1 or c.coeffs[0][0] != x:
                continue
            k = c.coeffs[0][1]
            end = sp.Rational(-c.const.numerator * k.denominator, c.const.denominator * k.numerator)
            if k > 0 and (lo is None or end > lo[0] or (end == lo[0] and c.strict)):
                lo = (end, c.strict)        # k*x + const >= 0 (> 0) with k > 0: x >= -const/k
            elif k < 0 and (hi is None or end < hi[0] or (end == hi[0] and c.strict)):
                hi = (end, c.strict)
        return lo, hi

    def family_range(self, base: sp.IndexedBase) -> tuple[sp.Expr, sp.Expr] | None:
        """The range outside which a family is zero, if it has one."""
        for b, lo, hi in self.families:
            if b == base:
                return lo, hi
        return None

    def decide(self, cond: sp.Basic) -> bool | None:
        """Settle a condition: ``True`` or ``False`` when the facts imply it or its negation, else ``None``."""
        if cond is sp.true or cond is True:
            return True
        if cond is sp.false or cond is False:
            return False
        if isinstance(cond, sp.And):
            results = [self.decide(a) for a in cond.args]
            if any(r is False for r in results):
                return False
            return True if all(r is True for r in results) else None
        if isinstance(cond, sp.Or):
            results = [self.decide(a) for a in cond.args]
            if any(r is True for r in results):
                return True
            return False if all(r is False for r in results) else None
        if isinstance(cond, sp.Not):
            r = self.decide(cond.args[0])
            return None if r is None else not r
        if isinstance(cond, (sp.Eq, sp.Ne)):
            d = sp.expand(cond.lhs - cond.rhs)
            equal = self._equal(d)
            if equal is None:
                return None
            return equal if isinstance(cond, sp.Eq) else not equal
        if isinstance(cond, sp.core.relational.Relational):
            d = sp.expand(cond.lhs - cond.rhs)
            if d.is_number:
                s = interval.sign(d)
                if s is None:
                    return None
                op = RELATION_OPS.get(type(cond))
                return None if op is None else sign_satisfies(s, op)
            constraints = _as_constraints(cond)
            if not constraints:
                return None     # not linear: nothing is known (an empty conjunction must not read as "implied")
            if all(self._holds(c) for c in constraints):
                return True
            negated = _negate(cond)
            opposite = _as_constraints(negated) if negated is not None else []
            if opposite and all(self._holds(c) for c in opposite):
                return False
        return None

    def _equal(self, d: sp.Expr) -> bool | None:
        if d == 0:
            return True
        if d.is_number:
            s = interval.sign(d)
            return None if s is None else s == 0
        if d in self.unequal or -d in self.unequal:
            return False
        if self.positive(d) or self.positive(-d):
            return False
        if self.nonneg(d) and self.nonneg(-d):
            return True
        return None

    def _holds(self, c: linear.Constraint) -> bool:
        return linear.infeasible([*self.constraints, _negated_constraint(c)])


def _negated_constraint(c: linear.Constraint) -> linear.Constraint:
    """``not (e >= 0)`` is ``-e > 0``; ``not (e > 0)`` is ``-e >= 0``."""
    coeffs = tuple((v, -a) for v, a in c.coeffs)
    return linear.tighten(linear.Constraint(coeffs, -c.const, not c.strict))


def _conjuncts(relation: sp.Basic) -> list[sp.Basic]:
    if isinstance(relation, sp.And):
        return [r for a in relation.args for r in _conjuncts(a)]
    return [relation]


def _as_constraints(rel: sp.Basic) -> list[linear.Constraint]:
    """A relation as linear constraints (``a = b`` gives two); none when it is not linear."""
    if not isinstance(rel, sp.core.relational.Relational):
        return []
    d = rel.lhs - rel.rhs
    if d.is_number and not d.is_Rational and isinstance(rel, (sp.Ge, sp.Gt, sp.Le, sp.Lt)):
        # A relation between numbers (1 - 2*pi >= 0), decided by a rigorous enclosure: false is -1 >= 0.
        s = interval.sign(d)
        if s is None or sign_satisfies(s, RELATION_OPS[type(rel)]):
            return []
        return [linear.Constraint((), Fraction(-1))]
    if isinstance(rel, sp.Eq):
        out = [linear.constraint(d), linear.constraint(-d)]
    elif isinstance(rel, (sp.Ge, sp.Gt)):
        out = [linear.constraint(d, strict=isinstance(rel, sp.Gt))]
    elif isinstance(rel, (sp.Le, sp.Lt)):
        out = [linear.constraint(-d, strict=isinstance(rel, sp.Lt))]
    else:
        return []
    return [c for c in out if c is not None]


def _negate(rel: sp.Basic) -> sp.Basic | None:
    if isinstance(rel, (sp.Ge, sp.Gt, sp.Le, sp.Lt)):
        return NEGATED[type(rel)](rel.lhs, rel.rhs, evaluate=False)
    return None


def facts_from(declarations: Iterable[Declaration], hypotheses: Iterable[sp.Basic] = (),
               values: Mapping[sp.Symbol, sp.Expr] | None = None,
               expressions: Iterable[sp.Basic] = ()) -> Facts:
    """The facts of a problem, from its declarations, hypotheses and fixed values.

    Every declared scalar that ``expressions`` or ``hypotheses`` use (and the names their ranges use in turn) gives
    its range, value interval and signs as linear facts; every family gives its zero-outside range. A fixed value
    (``where``, or a case of a finite domain) is substituted into the ranges and must be allowed by its name's
    declaration; if one is not, the facts are marked inconsistent and the kernel decides nothing with them.
    """
    declarations = tuple(declarations)
    hypotheses = list(hypotheses)
    expressions = list(expressions)
    fixed = dict(values or {})
    families = tuple((d.name, _at(d.index_range[0], fixed), _at(d.index_range[1], fixed))
                     for d in declarations if d.indexed and d.index_range is not None)
    facts = Facts(families=families, declarations=declarations, fixed=tuple(fixed.items()))
    consistent = True
    for s, v in fixed.items():
        d = facts.declaration(s)
        ranged = _range_of_fixed(d, v, fixed)
        if ranged is not None:
            # A number whose declared range has bounds that are not numbers (k = 2 in 1..K): allowed exactly where
            # it lies in that range, which restricts the problem to those values of the bounds' names.
            hypotheses += ranged
            d = replace(d, values=None) if d is not None else None
        consistent = consistent and _fixed_allowed(d, v, fixed)
    facts = replace(facts, consistent=consistent)
    for rel in _declared_relations(facts, hypotheses + list(expressions), fixed):
        facts = facts.add(rel)
    for h in hypotheses:
        facts = facts.add(h)
    # Entries given values (a case of a finite domain) are instances too, with their values put in.
    named = expressions + [k for k in fixed if isinstance(k, sp.Indexed)]
    for h in universal.instances(hypotheses, named, facts.families, facts.decide):
        facts = facts.add(_at(h, fixed))
    return replace(facts, constraints=tuple(dict.fromkeys(facts.constraints)))


def _at(e: sp.Expr, fixed: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    return e.xreplace(dict(fixed)) if fixed and isinstance(e, sp.Basic) else e


def _names(e: sp.Basic) -> set[sp.Basic]:
    if not isinstance(e, sp.Basic):
        return set()
    out: set[sp.Basic] = set()
    for s in e.free_symbols:
        out.add(s.base if isinstance(s, sp.Indexed) else s)
    return out


def _declared_relations(facts: Facts, exprs: list[sp.Basic], fixed: Mapping[sp.Symbol, sp.Expr]) -> list[sp.Basic]:
    """The linear facts that the declarations give about the names ``exprs`` use, closed under the names of
    ranges."""
    todo = set().union(*[_names(e) for e in exprs]) if exprs else set()
    seen: set[sp.Basic] = set()
    out: list[sp.Basic] = []
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        d = facts.declaration(name)
        if d is None:
            continue
        if d.indexed:
            if d.index_range is not None:
                todo |= _names(_at(d.index_range[0], fixed)) | _names(_at(d.index_range[1], fixed))
            continue
        s = d.name
        out.extend(_scalar_relations(d, s, fixed))
        if d.values is not None:
            todo |= _names(_at(d.values.lo, fixed)) | _names(_at(d.values.hi, fixed))
    return out


#: The relation to 0 that a sign word states, by the signs it allows.
_SIGN_RELATION: dict[frozenset[int], type] = {
    frozenset({1}): sp.Gt, frozenset({-1}): sp.Lt, frozenset({0, 1}): sp.Ge, frozenset({-1, 0}): sp.Le,
    frozenset({-1, 1}): sp.Ne,
}


def _scalar_relations(d: Declaration, s: sp.Symbol | sp.Indexed, fixed: Mapping[sp.Symbol, sp.Expr]
                      ) -> list[sp.Basic]:
    """``lo <= s <= hi`` (strict at an open end), the signs, and the bounds of a finite domain of numbers."""
    out: list[sp.Basic] = []
    # Unevaluated: SymPy would fold "K >= 1" to True for a positive integer K, losing the fact.
    if d.values is not None:
        lo, hi = _at(d.values.lo, fixed), _at(d.values.hi, fixed)
        if lo is not None:
            out.append((sp.Gt if d.values.lo_open else sp.Ge)(s, lo, evaluate=False))
        if hi is not None:
            out.append((sp.Lt if d.values.hi_open else sp.Le)(s, hi, evaluate=False))
    out.extend(_SIGN_RELATION[SIGN_WORDS[w]](s, 0, evaluate=False) for w in sorted(d.signs))
    if d.domain and all(v.is_Rational for v in d.domain):
        out.extend([sp.Ge(s, min(d.domain), evaluate=False), sp.Le(s, max(d.domain), evaluate=False)])
    return out


def _range_of_fixed(d: Declaration | None, value: sp.Expr, fixed: Mapping[sp.Symbol, sp.Expr]
                    ) -> list[sp.Basic] | None:
    """``lo <= value <= hi`` (open ends strict) for a fixed number whose declared interval has a bound that is not a
    number once the fixed values are in; ``None`` for any other fixed value."""
    if d is None or d.values is None or not (isinstance(value, sp.Expr) and value.is_number):
        return None
    box = d.values
    lo = _at(box.lo, fixed) if box.lo is not None else None
    hi = _at(box.hi, fixed) if box.hi is not None else None
    if all(b is None or b.is_number for b in (lo, hi)):
        return None
    out: list[sp.Basic] = []
    if lo is not None:
        out.append((sp.Lt if box.lo_open else sp.Le)(lo, value, evaluate=False))
    if hi is not None:
        out.append((sp.Lt if box.hi_open else sp.Le)(value, hi, evaluate=False))
    return out


def _fixed_allowed(d: Declaration | None, value: sp.Expr, fixed: Mapping[sp.Symbol, sp.Expr]) -> bool:
    """Whether a fixed value is allowed by its name's declaration: checked exactly for a number; for an
    expression, by the assumptions its own names declare (``n = x`` with ``n`` an integer and ``x`` a real is not)."""
    if d is None:
        return True
    if isinstance(value, sp.Expr) and value.is_number:
        return allows(d, value, fixed)
    if not isinstance(value, sp.Expr):
        return False
    if d.integer and value.is_integer is not True:
        return False
    checks = {frozenset({1}): value.is_positive, frozenset({-1}): value.is_negative,
              frozenset({0, 1}): value.is_nonnegative, frozenset({-1, 0}): value.is_nonpositive,
              frozenset({-1, 1}): value.is_nonzero}
    return all(checks[SIGN_WORDS[w]] is True for w in d.signs) and d.domain is None and d.values is None


def entry_relations(facts: Facts, x: sp.Indexed) -> list[sp.Basic]:
    """What its family's declaration says of the entry ``x`` (its sign words, value interval and the ends of a
    finite domain of numbers), when the facts place ``x`` inside the family's range (or it has none)::

        x = F[i]      F declared with words W over lo..hi (or no range)      facts |- lo <= i <= hi
        ------------------------------------------------------------------------------------------
                                          x satisfies W
    """
    d = facts.declaration(x.base)
    if d is None:
        return []
    if d.index_range is not None:
        if len(x.indices) != 1:
            return []
        (i,) = x.indices
        lo, hi = (_at(b, dict(facts.fixed)) for b in d.index_range)
        if facts.decide(sp.And(sp.Ge(i, lo, evaluate=False), sp.Le(i, hi, evaluate=False), evaluate=False)) \
                is not True:
            return []
    return _scalar_relations(d, x, dict(facts.fixed))


def allows(d: Declaration, value: sp.Expr, point: Mapping[sp.Basic, sp.Expr]) -> bool:
    """Whether a number is a value the declaration's words allow (for a family: an entry inside its range).

    Integer, sign words, the value interval with its open or closed ends, the finite domain: each decided exactly
    or by a rigorous enclosure; a bound that the point does not make a number is not satisfied.
    """
    if not isinstance(value, sp.Expr) or value.free_symbols or value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return False
    if not value.is_number or not interval.is_real(value):
        return False
    if d.integer and not value.is_Integer:
        return False
    if d.signs:
        s = interval.sign(value)
        if s is None or not all(s in SIGN_WORDS[w] for w in d.signs):
            return False
    if d.values is not None:
        for end, open_, below in ((d.values.lo, d.values.lo_open, True), (d.values.hi, d.values.hi_open, False)):
            if end is None:
                continue
            gap = sp.expand(_at(end, point) - value if not below else value - _at(end, point))
            if gap.free_symbols:
                return False
            s = interval.sign(gap)
            if s is None or s < 0 or (s == 0 and open_):
                return False
    if d.domain is not None:
        return any(interval.sign(sp.expand(value - _at(v, point))) == 0 for v in d.domain)
    return True


def exact_number(v: object) -> object:
    """Python integers and fractions as SymPy numbers (nothing else is converted: no string is ever parsed)."""
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return sp.Integer(v)
    if isinstance(v, Fraction):
        return sp.Rational(v.numerator, v.denominator)
    return v


def admits(facts: Facts, point: Mapping[sp.Basic, sp.Expr]) -> bool:
    """Whether every value of the point (and every fixed value) is one its declaration allows.

    A scalar gets a value its words allow. An entry ``x[i]`` of a family with an index range gets 0 when ``i`` is
    outside the range, and otherwise a value its words allow; the range's ends must be numbers at the point.
    """
    if not facts.consistent:
        return False
    point = {k: exact_number(v) for k, v in point.items()}
    full = {**dict(facts.fixed), **point}
    for name, value in point.items():
        if isinstance(name, sp.Indexed):
            d = facts.declaration(name.base)
            if d is None:
                continue
            if not all(i.is_Integer for i in name.indices):
                return False
            if d.index_range is not None and len(name.indices) == 1:
                lo, hi = (sp.expand(_at(b, full)) for b in d.index_range)
                if not (lo.is_Integer and hi.is_Integer):
                    return False
                if not lo <= name.indices[0] <= hi:
                    if not (isinstance(value, sp.Expr) and interval.sign(value) == 0):
                        return False
                    continue
            if not allows(d, value, full):
                return False
        else:
            d = facts.declaration(name)
            if d is not None and not allows(d, value, full):
                return False
    return True
