"""Extreme points proposed beyond a bounded check: ends of intervals and patterns of the entries past those written."""

from __future__ import annotations

import sympy as sp

from verifier.kernel import Declaration, Interval, facts_from
from verifier.search import extremes


def test_end_points_reach_every_closed_end_once_bounded_on_one_side_or_both() -> None:
    x, w = sp.symbols("x w", real=True)
    # x >= -5/2 by a hypothesis only: its one end, -5/2, is proposed.
    facts = facts_from([Declaration(x)], [sp.Ge(2 * x + 5, 0)])
    assert [pt[x] for pt in extremes.end_points([x], facts)] == [sp.Rational(-5, 2)]
    # w declared in (0, 4]: 4 belongs to the interval, 0 does not; x on [0, 1/4] by hypotheses: both ends. With two
    # names, one at a time (the other inside its interval), then both at their lower ends and both at their upper.
    facts = facts_from([Declaration(w, values=Interval(sp.Integer(0), sp.Integer(4), lo_open=True)), Declaration(x)],
                       [sp.Ge(x, 0), sp.Le(x, sp.Rational(1, 4))])
    found = list(extremes.end_points([w, x], facts))
    assert {pt[w] for pt in found} == {4, 3}                      # 3 = one past the only closed end, inside
    assert {pt[x] for pt in found} == {0, sp.Rational(1, 4), sp.Rational(1, 8)}
    assert all(pt[w] != 0 for pt in found)
    # w has no closed lower end: at "all lower ends" it stays inside, at 3.
    assert [(pt[w], pt[x]) for pt in found] == [(4, sp.Rational(1, 8)), (3, 0), (3, sp.Rational(1, 4)), (3, 0),
                                                (4, sp.Rational(1, 4))]


def test_end_points_leave_unbounded_names_and_open_ends_alone() -> None:
    x = sp.Symbol("x", real=True)
    assert list(extremes.end_points([x], facts_from([Declaration(x)]))) == []
    assert list(extremes.end_points([x], facts_from([Declaration(x)], [sp.Gt(x, 0)]))) == []


def test_family_patterns_set_the_entries_past_those_written() -> None:
    q = sp.IndexedBase("q", real=True)
    x = sp.Symbol("x", real=True)
    entries = [q[j] for j in range(1, 9)]
    written = set(entries[:6])
    found = list(extremes.family_patterns([x, *entries], written))
    # All past entries 1, then only the last; then -1 in the same two ways; written entries always 0.
    assert [[pt[q[7]], pt[q[8]]] for pt in found] == [[1, 1], [0, 1], [-1, -1], [0, -1]]
    assert all(pt[e] == 0 for pt in found for e in written) and all(x in pt for pt in found)
    # Nothing past the written entries: no pattern.
    assert list(extremes.family_patterns(entries, set(entries))) == []


def test_family_patterns_keep_to_a_positive_family() -> None:
    p = sp.IndexedBase("p", positive=True)
    found = list(extremes.family_patterns([p[1], p[2]], {p[1]}))
    assert found == [{p[1]: 1, p[2]: 2}]                    # no 0 nor -1 for a positive family


def test_written_entries_are_those_outside_sums_once_sizes_have_values() -> None:
    q = sp.IndexedBase("q", real=True)
    j, k = sp.symbols("j k", integer=True)
    relation = (sp.Max(q[1], q[2], q[k]), ">=", sp.Sum(q[j], (j, 1, k)) / k)
    assert extremes.written_entries(relation, [], {k: sp.Integer(7)}) == {q[1], q[2], q[7]}
