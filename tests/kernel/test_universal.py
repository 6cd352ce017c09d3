"""Hypotheses over all indices in the kernel: the instances it derives, the definitions it reads, and that no
point is ever confirmed under one (symmetry aside). Truths by hand in the comments."""

from __future__ import annotations

import sympy as sp

from verifier.kernel import AllIndices, Declaration, facts_from, prove, refute
from verifier.kernel.universal import definitions, instances, rewrite

x = sp.IndexedBase("x", real=True)
y = sp.IndexedBase("y", real=True)
K = sp.Symbol("K", integer=True, positive=True)
i = sp.Symbol("i", integer=True)
r = sp.Dummy("r", integer=True)
s = sp.Dummy("s", integer=True)


def never(_: sp.Basic) -> bool | None:
    return None


def test_bound_variables_are_not_free_names() -> None:
    h = AllIndices(sp.Le(x[r], x[r + 1]), (r,))
    assert h.free_symbols == {x.label}    # the name x, as for any entry; not r, not x[r]
    assert h.as_dummy() == AllIndices(sp.Le(x[s], x[s + 1]), (s,)).as_dummy()


def test_instances_at_the_indices_the_problem_names() -> None:
    # x[r] <= x[r + 1] for every r; the problem names x[1] and x[3]: the instances at r = 1 (from x[1] as x[r]),
    # r = 0 (x[1] as x[r + 1]), r = 3 and r = 2, then at the entries of those (x[0], x[2], x[4]): r = -1 ... 4, and
    # once more: r = -2 ... 5. Nothing beyond the three rounds.
    h = AllIndices(sp.Le(x[r], x[r + 1]), (r,))
    got = set(instances([h], [x[1] + x[3]], (), never))
    assert got == {sp.Le(x[a], x[a + 1]) for a in range(-2, 6)}


def test_an_instance_outside_the_range_is_guarded_or_dropped() -> None:
    # x zero outside 1..K: at r = i (undecided) the instance holds only where 1 <= i <= K.
    h = AllIndices(sp.Ge(x[r], 1), (r,))
    (guarded,) = instances([h], [x[i]], ((x, sp.Integer(1), K),), never)
    assert isinstance(guarded, sp.Or) and sp.Ge(x[i], 1) in guarded.args
    assert sp.Lt(i, 1, evaluate=False) in guarded.args and sp.Gt(i, K, evaluate=False) in guarded.args
    # Decided outside: no instance (x[0] = 0 need not be >= 1).
    assert instances([h], [x[0]], ((x, sp.Integer(1), K),), lambda c: False) == []


def test_a_bound_index_is_never_an_instance() -> None:
    # Inside Sum(x[j], (j, 1, K)) the index j is bound: x[j] gives no instance (j means nothing outside the sum).
    j = sp.Dummy("j", integer=True)
    h = AllIndices(sp.Ge(x[r], 0), (r,))
    assert instances([h], [sp.Sum(x[j], (j, 1, K))], (), never) == []


def test_definitions_and_their_rewriting() -> None:
    # y[r] = 2 x[r] for every r (no ranges): Sum(y[j], (j, 1, K)) = Sum(2 x[j], (j, 1, K)).
    j = sp.Dummy("j", integer=True)
    h = AllIndices(sp.Eq(y[r], 2 * x[r]), (r,))
    defs = definitions([h])
    assert [d[1:] for d in defs] == [(y, (r,), 2 * x[r])]
    out = rewrite(sp.Sum(y[j], (j, 1, K)) + y[1], defs, (), lambda _: never)
    assert out == sp.Sum(2 * x[j], (j, 1, K)) + 2 * x[1]
    # A ranged y (zero outside 1..K): y[K + 1] is 0, not 2 x[K + 1]; it is left as it is.
    assert rewrite(y[K + 1], defs, ((y, sp.Integer(1), K),), lambda _: lambda c: False) == y[K + 1]
    # With x over 1..K - 1 and y over 1..K, the hypothesis says nothing at r = K (x[K] is outside): y[K] stays.
    ranged = ((y, sp.Integer(1), K), (x, sp.Integer(1), K - 1))

    def inside_y_only(c: sp.Basic) -> bool:
        return all(a.rhs != K - 1 for a in c.args)     # K <= K - 1 (x's range at r = K) is not shown

    assert rewrite(y[K], defs, ranged, lambda _: inside_y_only) == y[K]
    # Not a definition: y on both sides, or an index used twice.
    assert definitions([AllIndices(sp.Eq(y[r], y[r + 1]), (r,))]) == []
    assert definitions([AllIndices(sp.Eq(y[r, r], 1), (r,))]) == []


def test_no_counterexample_is_confirmed_under_a_general_hypothesis() -> None:
    # y[1] = x[1] fails at x[1] = 1, y[1] = 2, which satisfies y[r] = 2 x[r] at r = 1; whether the other entries
    # can be chosen is not decided in general, so the kernel refuses the point.
    facts = facts_from([Declaration(x), Declaration(y)])
    h = AllIndices(sp.Eq(y[r], 2 * x[r]), (r,))
    point = {x[1]: sp.Integer(1), y[1]: sp.Integer(2)}
    assert refute((y[1], "=", x[1]), [h], point, facts, "test") is None
    assert refute((y[1], "=", x[1]), [], point, facts, "test") is not None


def test_a_proof_by_instances() -> None:
    # x[r] <= x[r + 1] for every r gives x[1] <= x[3] through x[2].
    h = AllIndices(sp.Le(x[r], x[r + 1]), (r,))
    rel = (x[1], "<=", x[3])
    facts = facts_from([Declaration(x)], [h], {}, [x[1], x[3]])
    assert prove([rel], [h], facts) is not None
    # Without it, x[1] = 1, x[3] = 0 is a counterexample: nothing is proved.
    assert prove([rel], [], facts_from([Declaration(x)], [], {}, [x[1], x[3]])) is None


def test_definitions_inside_nested_sums() -> None:
    # y[r] = 2 x[r] (no ranges) inside Sum(Sum(y[j], (j, 1, K)), (a, 1, K)): every y[j] is 2 x[j].
    j, a = sp.Dummy("j", integer=True), sp.Dummy("a", integer=True)
    defs = definitions([AllIndices(sp.Eq(y[r], 2 * x[r]), (r,))])
    nested = sp.Sum(y[j] * x[a], (j, 1, K), (a, 1, K))
    assert rewrite(nested, defs, (), lambda _: never) == sp.Sum(2 * x[j] * x[a], (j, 1, K), (a, 1, K))


def test_definitions_inside_a_triangular_sum() -> None:
    # y[r] = 2 x[r] for r in 1..K (y and x over 1..K): in Sum(Sum(y[j], (j, 1, m)), (m, 1, K)), 1 <= j <= m <= K
    # puts every y[j] inside, which needs the inner bound j <= m kept while m is bound: the limits outermost first.
    j, m = sp.Dummy("j", integer=True), sp.Dummy("m", integer=True)
    defs = definitions([AllIndices(sp.Eq(y[r], 2 * x[r]), (r,))])
    ranged = ((y, sp.Integer(1), K), (x, sp.Integer(1), K))
    facts = facts_from([Declaration(x, index_range=(sp.Integer(1), K)), Declaration(y, index_range=(sp.Integer(1), K)),
                        Declaration(K, integer=True)], [sp.Ge(K, 1)], {}, [K])

    def within(limits: list[tuple[sp.Symbol, sp.Expr, sp.Expr]]) -> object:
        inner = facts
        for v, lo, hi in limits:
            inner = inner.forget(v).within(v, lo, hi)
        return inner.decide

    triangular = sp.Sum(y[j], (j, 1, m), (m, 1, K))
    assert rewrite(triangular, defs, ranged, within) == sp.Sum(2 * x[j], (j, 1, m), (m, 1, K))
