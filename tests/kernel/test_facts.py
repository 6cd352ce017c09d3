"""Tests of verifier.kernel.facts: the facts the kernel derives from declarations, hypotheses and fixed values, what
they decide, and which points they admit. Every truth below is arithmetic on small integers or rationals, worked
by hand beside it."""

from __future__ import annotations

import sympy as sp

from verifier.kernel.declarations import Declaration, Interval
from verifier.kernel.facts import Facts, admits, allows, entry_relations, exact_number, facts_from

K = sp.Symbol("K", integer=True)
k = sp.Symbol("k", integer=True)
n = sp.Symbol("n", integer=True)
x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
p = sp.IndexedBase("p")

SIZE = Declaration(K, integer=True, signs=frozenset({"positive"}))          # K >= 1
INDEX = Declaration(k, integer=True, values=Interval(sp.Integer(1), K))     # 1 <= k <= K
UNIT = Declaration(x, values=Interval(sp.Integer(0), sp.Integer(1), lo_open=True))   # 0 < x <= 1
FAMILY = Declaration(p, signs=frozenset({"positive"}), index_range=(sp.Integer(1), K))   # p[i] > 0 for 1 <= i <= K


def test_a_declared_range_decides_the_relations_it_implies() -> None:
    facts = facts_from([SIZE, INDEX], expressions=[k])
    # 1 <= k <= K with K >= 1: k - 1 >= 0 and K - k >= 0 hold; k >= K + 1 fails; k = 2 is open (K may be 1 or 5).
    assert facts.decide(sp.Ge(k, 1)) is True
    assert facts.decide(sp.Le(k, K)) is True
    assert facts.decide(sp.Ge(k, K + 1)) is False
    assert facts.decide(sp.Eq(k, 2)) is None
    assert facts.decide(sp.Gt(K, 0)) is True            # from "positive"


def test_only_the_names_used_give_facts() -> None:
    # Nothing mentions k, so its range is not among the facts: k >= 1 is not decided.
    facts = facts_from([SIZE, INDEX], expressions=[K])
    assert facts.decide(sp.Ge(k, 1)) is None
    # The names a range uses come with it: k's range brings K's sign (K >= 1, so K - 1 >= 0).
    assert facts_from([SIZE, INDEX], expressions=[k]).nonneg(K - 1)


def test_an_open_end_gives_a_strict_fact() -> None:
    facts = facts_from([UNIT], expressions=[x])
    # 0 < x <= 1: x > 0 holds, x >= 1 is open (x = 1 and x = 1/2 both allowed), x > 1 fails.
    assert facts.positive(x)
    assert facts.decide(sp.Ge(x, 1)) is None
    assert facts.decide(sp.Gt(x, 1)) is False


def test_hypotheses_add_linear_facts_and_disequalities() -> None:
    facts = facts_from([SIZE, INDEX], [sp.Ne(k, K), sp.Ge(K, 3)], expressions=[k])
    # k != K is kept as a disequality: k = K is false, k != K true; K >= 3 makes K - 2 > 0.
    assert facts.decide(sp.Eq(k, K)) is False
    assert facts.decide(sp.Ne(k, K)) is True
    assert facts.positive(K - 2)


def test_a_nonlinear_hypothesis_adds_nothing() -> None:
    # x*y >= 1 is not linear: the facts neither use it nor read an empty conjunction as "implied".
    facts = Facts().add(sp.Ge(x * y, 1))
    assert facts == Facts()
    assert facts.decide(sp.Ge(x * y, 1)) is None


def test_a_false_relation_makes_the_facts_infeasible() -> None:
    # sp.false is read as -1 >= 0: then every relation follows (ex falso), 0 > 1 included.
    facts = Facts().add(sp.false)
    assert facts.positive(sp.Integer(-1))


def test_a_relation_between_irrational_numbers_is_decided_by_its_enclosure() -> None:
    # 1 - 2*pi >= 0 is false (2*pi = 6.28): the facts become infeasible, as with sp.false; 2*pi - 6 > 0 is true and
    # adds nothing; sqrt(2) - 1 < 0 is false (sqrt(2) = 1.414).
    assert Facts().add(sp.Ge(1 - 2 * sp.pi, 0, evaluate=False)).positive(sp.Integer(-1))
    assert Facts().add(sp.Gt(2 * sp.pi - 6, 0, evaluate=False)) == Facts()
    assert Facts().add(sp.Lt(sp.sqrt(2) - 1, 0, evaluate=False)).positive(sp.Integer(-1))


def test_bounds_are_the_tightest_linear_facts_on_one_name() -> None:
    # 0 < x, x <= 3, 2x <= 5 (x <= 5/2), x + y <= 1 (two names: not a bound of x alone).
    facts = Facts().add(sp.Gt(x, 0)).add(sp.Le(x, 3)).add(sp.Le(2 * x, 5)).add(sp.Le(x + y, 1))
    assert facts.bounds(x) == ((0, True), (sp.Rational(5, 2), False))
    assert facts.bounds(y) == (None, None)


def test_within_and_forget() -> None:
    j = sp.Symbol("j", integer=True)
    inside = Facts().within(j, sp.Integer(2), sp.Integer(5))
    assert inside.decide(sp.Ge(j, 2)) is True and inside.decide(sp.Gt(j, 5)) is False
    # Forgetting j drops every fact that mentions it.
    assert inside.forget(j).decide(sp.Ge(j, 2)) is None


def test_conditions_combine_as_logic_does() -> None:
    facts = facts_from([SIZE, INDEX], expressions=[k])
    true, false, open_ = sp.Ge(k, 1), sp.Gt(k, K), sp.Eq(k, 2)
    assert facts.decide(sp.And(true, open_)) is None and facts.decide(sp.And(true, false)) is False
    assert facts.decide(sp.Or(false, true)) is True and facts.decide(sp.Or(false, open_)) is None
    assert facts.decide(sp.Not(false)) is True


def test_numbers_are_decided_exactly() -> None:
    # sqrt(2) - 1.414 > 0 (1.4142135... > 1.414); sqrt(2)^2 - 2 = 0 exactly.
    assert Facts().decide(sp.Gt(sp.sqrt(2), sp.Rational(1414, 1000))) is True
    assert Facts().decide(sp.Eq(sp.sqrt(2) ** 2, 2)) is True


def test_families_are_zero_outside_their_range() -> None:
    facts = facts_from([SIZE, FAMILY], expressions=[p[k]], values={K: sp.Integer(4)})
    assert facts.family_range(p) == (1, 4)             # K = 4 put into the range
    assert facts.family_range(sp.IndexedBase("q")) is None


def test_an_entry_gets_its_familys_words_only_inside_the_range() -> None:
    inside = facts_from([SIZE, INDEX, FAMILY], expressions=[k])
    assert entry_relations(inside, p[k]) == [sp.Gt(p[k], 0, evaluate=False)]      # 1 <= k <= K: p[k] > 0
    # j unconstrained: p[j] may be an entry outside 1..K, which is 0, so nothing is said of it.
    j = sp.Symbol("j", integer=True)
    assert entry_relations(inside, p[j]) == []


def test_a_fixed_value_outside_its_declaration_makes_the_facts_inconsistent() -> None:
    # K is positive: K = 0 is not allowed, K = 3 is.
    assert not facts_from([SIZE], values={K: sp.Integer(0)}, expressions=[K]).consistent
    assert facts_from([SIZE], values={K: sp.Integer(3)}, expressions=[K]).consistent


def test_a_fixed_value_inside_a_symbolic_range_restricts_its_bounds() -> None:
    # k = 3 with 1 <= k <= K is allowed exactly where K >= 3: that becomes a fact about K.
    facts = facts_from([SIZE, INDEX], values={k: sp.Integer(3)}, expressions=[k])
    assert facts.consistent and facts.nonneg(K - 3) and not facts.positive(K - 3)


def test_allows_checks_every_word_exactly() -> None:
    assert allows(UNIT, sp.Rational(1, 2), {}) and allows(UNIT, sp.Integer(1), {})     # 0 < 1/2 <= 1, 0 < 1 <= 1
    assert not allows(UNIT, sp.Integer(0), {})                                         # the open end
    assert not allows(UNIT, sp.Rational(3, 2), {})                                     # 3/2 > 1
    assert allows(UNIT, 1 / sp.sqrt(2), {})                                            # 0.7071... by enclosure
    assert not allows(SIZE, sp.Rational(1, 2), {})                                     # not an integer
    assert not allows(INDEX, sp.Integer(2), {})                                        # 2 <= K: K has no value
    assert allows(INDEX, sp.Integer(2), {K: sp.Integer(2)})                            # 1 <= 2 <= 2
    in_domain = Declaration(y, domain=(sp.Integer(0), sp.Integer(1)))
    assert allows(in_domain, sp.Integer(1), {}) and not allows(in_domain, sp.Rational(1, 2), {})


def test_admits_checks_a_point_entry_by_entry() -> None:
    facts = facts_from([SIZE, FAMILY], expressions=[p[1]])
    # K = 2: p[1] = 3 > 0 is allowed; p[3] lies outside 1..2, so only 0 is allowed there; p[1] = -1 is not positive.
    assert admits(facts, {K: 2, p[1]: 3, p[3]: 0})
    assert not admits(facts, {K: 2, p[3]: 1})
    assert not admits(facts, {K: 2, p[1]: -1})
    assert not admits(facts, {p[1]: 3, p[5]: 0})      # the range's end K has no value: 5 may be inside it


def test_exact_number_converts_python_numbers_only() -> None:
    from fractions import Fraction
    assert exact_number(3) == sp.Integer(3) and exact_number(Fraction(1, 3)) == sp.Rational(1, 3)
    assert exact_number(True) is True and exact_number("1/3") == "1/3"      # a string is never parsed
