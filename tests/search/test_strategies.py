"""The untrusted strategies (:mod:`verifier.search.strategies`): which instances a bounded check enumerates and how it
names them, where it searches beyond them, and which points it proposes. Every count here is worked out by hand in
the comment beside it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import sympy as sp

from verifier.frontend.library import load_library
from verifier.frontend.problem import Problem
from verifier.frontend.problem_builder import library_problems
from verifier.search import integers, strategies

HEADER = """
[symbols]
x = "real"
p = "positive"
n = "integer"
K = "integer positive"
i = "integer 1..K"
k = "integer 1..K"
g = "indexed real 1..K"
"""


def problem(tmp_path: Path, claim: str) -> Problem:
    """The first obligation of one claim (with the header above), built."""
    path = tmp_path / "t.toml"
    path.write_text(HEADER + '\n[[claim]]\nid = "t"\ntitle = "t"\n' + textwrap.dedent(claim), encoding="utf-8")
    library = load_library(path)
    assert not library.errors, library.errors
    (_, built), *_ = library_problems(library, library.claims[0])
    assert isinstance(built, Problem), built
    return built


def named(assignment: dict) -> dict[str, int]:
    return {str(s): int(v) for s, v in assignment.items()}


def test_a_size_and_an_index_in_its_range(tmp_path: Path) -> None:
    """K in 1..5 and i in 1..K: 1 + 2 + 3 + 4 + 5 = 15 pairs, each with 1 <= i <= K."""
    pr = problem(tmp_path, 'statement = "floor(i/2) + ceiling(i/2) = i"')
    inst = strategies.instances(pr.cases[0], pr)
    pairs = [named(a) for a in inst.assignments]
    assert len(pairs) == inst.total == 15
    assert all(1 <= a["i"] <= a["K"] <= 5 for a in pairs)
    assert len({(a["K"], a["i"]) for a in pairs}) == 15
    assert inst.description == "K in 1..5, i in 1..K"


def test_given_sizes_and_hypotheses_shape_the_set(tmp_path: Path) -> None:
    """sizes K = 3..8: six values; with K >= 5 assumed as well, 5..8: four values, and the description says so."""
    pr = problem(tmp_path, 'statement = "floor(K/2) + ceiling(K/2) = K"\nsizes = { K = "3..8" }')
    inst = strategies.instances(pr.cases[0], pr)
    assert [named(a)["K"] for a in inst.assignments] == [3, 4, 5, 6, 7, 8] and inst.total == 6
    pr = problem(tmp_path, 'assume = ["K >= 5"]\nstatement = "floor(K/2) + ceiling(K/2) = K"\nsizes = { K = "3..8" }')
    inst = strategies.instances(pr.cases[0], pr)
    assert [named(a)["K"] for a in inst.assignments] == [5, 6, 7, 8] and inst.total == 4
    assert inst.description == "K in 3..8 with K >= 5"


def test_a_capped_set_says_which_instances_it_holds(tmp_path: Path) -> None:
    """K = 32: 32 * 32 = 1024 pairs (i, k); the first 400 in the order (i, k) are i = 1..12 with every k
    (12 * 32 = 384) and i = 13 with k = 1..16 (16 more)."""
    pr = problem(tmp_path, 'statement = "floor((i + k)/2) + ceiling((i + k)/2) = i + k"\nwhere = { K = 32 }')
    inst = strategies.instances(pr.cases[0], pr)
    assert len(inst.assignments) == strategies.MAX_INSTANCES == 400 and inst.total == 1024
    assert inst.description == "the first 400 of 1024 in the order (i, k) of i in 1..32, k in 1..32"
    pairs = [(a["i"], a["k"]) for a in map(named, inst.assignments)]
    assert pairs == [(a, b) for a in range(1, 13) for b in range(1, 33)] + [(13, b) for b in range(1, 17)]


def test_beyond_a_bounded_check_sizes_reach_twice_the_largest(tmp_path: Path) -> None:
    """Checked K in 1..5: beyond it, every K in 6..10 (twice 5), at least three larger ones, no K <= 5 (K is
    positive and 1..5 were checked), and i at the ends of 1..K."""
    pr = problem(tmp_path, 'statement = "floor(i/2) + ceiling(i/2) = i"')
    inst = strategies.instances(pr.cases[0], pr)
    further = [named(a) for a in strategies.beyond(pr.cases[0], pr, inst)]
    sizes = {a["K"] for a in further}
    assert set(range(6, 11)) <= sizes
    assert len({s for s in sizes if s > 10}) >= strategies.BEYOND_RANDOM
    assert min(sizes) == 6
    assert all(1 <= a["i"] <= a["K"] for a in further)
    assert {"i": 6, "K": 6} in further and {"i": 1, "K": 6} in further
    assert 0 < len(further) <= strategies.BEYOND_INSTANCES


def test_beyond_tries_powers_of_two_and_the_odd_sizes_next_to_the_first(tmp_path: Path) -> None:
    """Checked K in 1..5: beyond it 16, 32, ..., 4096 (2^4 to 2^12), and the odd 17, 33, 65, 129 (2^4 + 1 to
    2^7 + 1), where a power of a negative number is negative; not 257 (2^8 + 1)."""
    pr = problem(tmp_path, 'statement = "floor(K/2) + ceiling(K/2) = K"')
    inst = strategies.instances(pr.cases[0], pr)
    sizes = {named(a)["K"] for a in strategies.beyond(pr.cases[0], pr, inst)}
    assert {2**k for k in range(4, 13)} | {17, 33, 65, 129} <= sizes
    assert 257 not in sizes


def test_beyond_reaches_below_for_a_size_of_any_sign(tmp_path: Path) -> None:
    """n is an integer of any sign, checked at -2..20: beyond it 21..40 and below -3, -4 (twice -2 at least)."""
    pr = problem(tmp_path, 'statement = "Product(n - j, (j, -2, 20)) = 0"\nsizes = { n = "-2..20" }')
    inst = strategies.instances(pr.cases[0], pr)
    assert inst.total == 23
    sizes = {named(a)["n"] for a in strategies.beyond(pr.cases[0], pr, inst)}
    assert {21, 22, -3, -4} <= sizes
    assert not sizes & set(range(-2, 21))
    assert max(sizes) > 40


def test_beyond_a_capped_set_tries_the_instances_left_out(tmp_path: Path) -> None:
    """With no size left (K = 32 fixed), beyond is the ends and middles of i, k outside the 400 checked: (32, 32)
    is one of them, (1, 1) is not (checked)."""
    pr = problem(tmp_path, 'statement = "floor((i + k)/2) + ceiling((i + k)/2) = i + k"\nwhere = { K = 32 }')
    inst = strategies.instances(pr.cases[0], pr)
    further = [named(a) for a in strategies.beyond(pr.cases[0], pr, inst)]
    assert {"i": 32, "k": 32} in further and {"i": 1, "k": 1} not in further
    checked = {(a["i"], a["k"]) for a in map(named, inst.assignments)}
    assert not {(a["i"], a["k"]) for a in further} & checked


def test_points_start_at_zero_and_keep_positive_names_positive() -> None:
    x, p = sp.Symbol("x", real=True), sp.Symbol("p", positive=True)
    pts = list(strategies.points([p, x], 5))
    assert len(pts) == 5
    assert pts[0] == {p: 1, x: 0}
    assert all(v.is_positive for pt in pts for v in [pt[p]])
    assert len({tuple(pt.values()) for pt in pts}) == 5
    assert list(strategies.points([], 5)) == [{}]
    assert next(iter(strategies.points([x], 3, start=1))) != {x: 0}


def test_probes_prefer_sizes_near_two(tmp_path: Path) -> None:
    """Small sizes hide index mistakes: the first probe instance has K = 2 (|2 - 2| = 0 is the least weight)."""
    pr = problem(tmp_path, 'statement = "Sum(g[j], (j, 1, K)) = Sum(g[j], (j, 1, K))"')
    first = strategies.probe_instances(pr.cases[0], pr)[0]
    assert named(first) == {"K": 2}


def test_probe_instances_in_order_of_distance_from_two(tmp_path: Path) -> None:
    """Sizes up to 3: K in 1..3, i in 1..K: (1, 1), (2, 1), (2, 2), (3, 1), (3, 2), (3, 3), of weights
    |K - 2| + |i - 2| = 2, 1, 0, 2, 1, 2; ties in the order of (K, i) (by hand)."""
    pr = problem(tmp_path, 'statement = "floor(i/2) + ceiling(i/2) = i"')
    found = [(a["K"], a["i"]) for a in map(named, strategies.probe_instances(pr.cases[0], pr))]
    assert found == [(2, 2), (2, 1), (3, 2), (1, 1), (3, 1), (3, 3)]


def test_probe_instances_shrink_the_sizes_as_a_bounded_check_does(tmp_path: Path) -> None:
    """Six sizes in 1..3 make 3^6 = 729 > 400 instances: the sizes shrink to 1..2, 2^6 = 64 instances, the first
    with every size 2 (by hand)."""
    sizes = ["A", "B", "C", "D", "F", "G"]
    path = tmp_path / "t.toml"
    path.write_text("[symbols]\n" + "".join(f'{s} = "integer positive"\n' for s in sizes)
                    + '\n[[claim]]\nid = "t"\ntitle = "t"\nstatement = "' + " + ".join(sizes) + ' >= 6"\n',
                    encoding="utf-8")
    library = load_library(path)
    (_, pr), *_ = library_problems(library, library.claims[0])
    assert isinstance(pr, Problem)
    found = [named(a) for a in strategies.probe_instances(pr.cases[0], pr)]
    assert len(found) == 64 and all(set(a.values()) <= {1, 2} for a in found)
    assert found[0] == dict.fromkeys(sizes, 2)


def test_real_atoms_leave_out_entries_outside_a_range(tmp_path: Path) -> None:
    """g is zero outside 1..K: at K = 2, the sum over 0..3 uses g[1], g[2] only (g[0] and g[3] are 0)."""
    pr = problem(tmp_path, 'statement = "Sum(g[j], (j, 0, K + 1)) = x"')
    K = next(s for s in pr.infos if str(s) == "K")
    atoms = strategies.real_atoms(pr.cases[0], {K: sp.Integer(2)})
    assert sorted(map(str, atoms)) == ["g[1]", "g[2]", "x"]


def test_beyond_tries_the_numbers_a_relation_mentions(tmp_path: Path) -> None:
    """K < 1000 holds for K in 1..5 and fails first at K = 1000; (K - 41)*(K - 42) > 0 fails at K = 41 and 42
    (a product with a zero factor); KroneckerDelta(K, 13) = 0 fails at K = 13 (by hand). Each such size is among the
    instances tried beyond the bounded check."""
    for statement, size in (("K < 1000", 1000), ("(K - 41)*(K - 42) > 0", 41), ("KroneckerDelta(K, 13) = 0", 13)):
        pr = problem(tmp_path, f'statement = "{statement}"')
        inst = strategies.instances(pr.cases[0], pr)
        assert size in {named(a)["K"] for a in strategies.beyond(pr.cases[0], pr, inst)}, statement


def test_an_integer_model_proposes_where_a_polynomial_bound_fails(tmp_path: Path) -> None:
    """K(K + 1)/2 <= 1000 K holds for 1 <= K <= 1999 and fails from K = 2000 on (K + 1 > 2000; by hand): the
    integer solver proposes a K where it fails."""
    pr = problem(tmp_path, 'statement = "Sum(j, (j, 1, K)) <= 1000*K"')
    case = pr.cases[0]
    (point,) = integers.integer_failures(case, pr, case.relations[0])
    assert named(point)["K"] >= 2000


def test_angle_points_put_a_name_inside_a_trigonometric_function_at_multiples_of_pi() -> None:
    t, u = sp.symbols("t u", real=True)
    found = list(strategies.angle_points([t, u], (sp.tan(t) * sp.cos(t), "=", sp.sin(t) + u)))
    assert {p[t] for p in found} >= {sp.pi / 2, sp.pi}      # where tan is undefined, where sin is 0
    assert all(p[u] in (0, 1, -1, 2, sp.Rational(1, 2)) or not p[u].has(sp.pi) for p in found)
    assert list(strategies.angle_points([t], (t, "=", t))) == []    # no trigonometric function: nothing


def test_interval_points_lie_inside_declared_intervals() -> None:
    from verifier.kernel import Declaration, Interval, facts_from
    p, q = sp.symbols("p q", positive=True)
    interval = Interval(sp.Integer(0), sp.Integer(1), lo_open=True, hi_open=True)
    facts = facts_from([Declaration(p, values=interval), Declaration(q, values=interval)])
    found = list(strategies.interval_points([p, q], facts))
    assert found and all(0 < pt[p] < 1 and 0 < pt[q] < 1 for pt in found)
    assert any(pt[p] == pt[q] for pt in found)          # p = q = 1/2 is among them


def test_interval_points_reach_the_ends_that_belong_to_the_interval() -> None:
    # acos(cos(w)) = w on [0, 4] fails only on (pi, 4]: of the points inside, 4 (the closed end) is the one past pi.
    from verifier.kernel import Declaration, Interval, facts_from
    w, z = sp.symbols("w z", real=True)
    facts = facts_from([Declaration(w, values=Interval(sp.Integer(0), sp.Integer(4), lo_open=True))])
    found = [pt[w] for pt in strategies.interval_points([w], facts)]
    assert 4 in found and 0 not in found and all(0 < v <= 4 for v in found)
    # Bounds by hypotheses on z alone (0 <= z, z < 4, 1 - z <= 3 - 2z) count like a declared interval: [0, 2].
    facts = facts_from([Declaration(z)], [sp.Ge(z, 0), sp.Lt(z, 4), sp.Le(1 - z, 3 - 2 * z)])
    found = [pt[z] for pt in strategies.interval_points([z], facts)]
    assert 0 in found and 2 in found and all(0 <= v <= 2 for v in found)
    # One bound only: nothing to put names inside.
    assert list(strategies.interval_points([z], facts_from([Declaration(z)], [sp.Ge(z, 0)]))) == []
