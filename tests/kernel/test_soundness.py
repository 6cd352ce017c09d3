"""Soundness: the checker never refutes what is equal by construction, never confirms what is unequal by
construction, and the engine never proves a step of the project's own derivations after a mutation changed its value.

- Property-based tests (hypothesis): random polynomial / rational / exp expressions, written twice in ways that are
  equal by construction (exp(a + b) against exp(a)*exp(b), exp(2a) against exp(a)^2, then expanded, factored or put
  over a common denominator), sums against copies shifted ``j -> j + c`` with their bounds moved correctly; and unequal
  by construction (a small constant added, one sign flipped, bounds moved wrongly).
- Mutation tests: one entry of a chain of ``derivations/*.toml`` altered (``+ 1``, a sign, an index
  ``x[i] -> x[i + 1]``, a sum bound ``K -> K - 1``), the library written to a temporary folder, the two steps around
  the entry settled by the engine in-process. A mutation is only held against the engine when an independent
  evaluation (plain SymPy ``doit``, see :func:`test_rules.plain_value`) finds a point, satisfying every hypothesis,
  where the step fails.

The default example counts keep this module fast; ``-m slow`` runs the larger variants and the full mutation sweep.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kernel.test_rules import differ, make_facts, plain_value

from verifier.frontend.library import Library, load_library
from verifier.frontend.problem import Problem
from verifier.frontend.problem_builder import library_problems
from verifier.kernel import evaluation, identity
from verifier.model import Claim
from verifier.search import strategies
from verifier.search.engine import settle_obligation

R = sp.Rational
x, y = sp.symbols("x y", real=True)
p = sp.Symbol("p", positive=True)
K = sp.Symbol("K", integer=True, positive=True)
v = sp.IndexedBase("v", real=True)
j = sp.Dummy("j", integer=True)
FACTS = make_facts(sp.Ge(K, 1, evaluate=False))

FAST = settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
SLOW = settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))

# -- generators -----------------------------------------------------------------------------------------------------

LEAVES = [x, y, p, sp.Integer(1), sp.Integer(2), sp.Integer(-1), R(1, 2), R(-3, 2)]
DENOMINATORS = [p, 1 + x ** 2, 1 + sp.exp(y), p + y ** 2]      # never 0: every expression is defined everywhere
COEFFS = st.sampled_from([R(-2), R(-1), R(-1, 2), R(1, 3), R(1), R(2), R(3, 2)])


@st.composite
def linear(draw: st.DrawFn) -> sp.Expr:
    """A small linear form in x, y, p with rational coefficients (the argument of an exp)."""
    names = draw(st.lists(st.sampled_from([x, y, p]), min_size=1, max_size=2, unique=True))
    return sp.Add(*[draw(COEFFS) * s for s in names]) + draw(st.sampled_from([0, 1, R(-1, 2)]))


@st.composite
def twins(draw: st.DrawFn, depth: int = 3) -> tuple[sp.Expr, sp.Expr]:
    """Two expressions equal by construction: the same tree, its exponentials written two ways."""
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        leaf = draw(st.sampled_from(LEAVES))
        return leaf, leaf
    op = draw(st.sampled_from(["add", "mul", "pow", "exp", "div"]))
    if op in ("add", "mul"):
        (a, a2), (b, b2) = draw(twins(depth - 1)), draw(twins(depth - 1))
        return (a + b, a2 + b2) if op == "add" else (a * b, a2 * b2)
    if op == "pow":
        (a, a2), k = draw(twins(depth - 1)), draw(st.integers(0, 3))
        return a ** k, a2 ** k
    if op == "div":
        (a, a2), den = draw(twins(depth - 1)), draw(st.sampled_from(DENOMINATORS))
        return a / den, a2 / den
    u, w = draw(linear()), draw(linear())
    form = draw(st.sampled_from(["split", "double", "half"]))
    if form == "split":
        return sp.exp(u + w), sp.exp(u) * sp.exp(w)
    if form == "double":
        return sp.exp(2 * u), sp.exp(u) ** 2
    return sp.exp(u), sp.exp(u / 2) ** 2


REARRANGE: list[Callable[[sp.Expr], sp.Expr]] = [sp.expand, sp.together, sp.factor, lambda e: e]


@st.composite
def equal_pairs(draw: st.DrawFn) -> tuple[sp.Expr, sp.Expr]:
    e, twin = draw(twins())
    return e, draw(st.sampled_from(REARRANGE))(twin)


POINT_VALUES = st.sampled_from([R(0), R(1), R(-1), R(2), R(1, 2), R(-3, 2), R(7, 3), sp.log(2), -sp.log(3)])
POSITIVE_VALUES = st.sampled_from([R(1), R(2), R(1, 2), R(1, 3), R(5)])


@st.composite
def points(draw: st.DrawFn) -> dict:
    # K has a value too: a point must satisfy every fact (here K >= 1), or the checker decides nothing there.
    return {x: draw(POINT_VALUES), y: draw(POINT_VALUES), p: draw(POSITIVE_VALUES), K: sp.Integer(1)}


def holds_nowhere_refuted(lhs: sp.Expr, rhs: sp.Expr, pts: list[dict]) -> int:
    """Assert that no point refutes ``lhs = rhs``; return at how many points the checker decided it."""
    decided = 0
    for pt in pts:
        check = evaluation.confirm_at_point((lhs, "=", rhs), [], pt, FACTS)
        assert check is None or check.holds, (lhs, rhs, pt, check)
        decided += check is not None
    return decided


def rational_points(lhs: sp.Expr, rhs: sp.Expr, pts: list[dict]) -> int:
    """At how many points plain SymPy (substitution and automatic evaluation, no code of the verifier) finds both
    sides rational numbers: there the checker must decide the relation, by exact rational arithmetic."""
    return sum(1 for pt in pts if plain_value(lhs, pt).is_Rational and plain_value(rhs, pt).is_Rational)


def _nonzero_somewhere(e: sp.Expr, pts: list[dict]) -> bool:
    for pt in pts:
        value = sp.N(plain_value(e, pt), 40)
        if value.is_number and value.is_finite and abs(value) > 1e-20:
            return True
    return False


def _flip_one_sign(e: sp.Expr, choice: int) -> tuple[sp.Expr, sp.Expr]:
    """``e`` with the sign of one term of one sum flipped (or the whole, when it has no sum): the copy, and the
    difference ``e - copy`` (twice the flipped term)."""
    adds = [a for a in sp.preorder_traversal(e) if isinstance(a, sp.Add)]
    if not adds:
        return -e, 2 * e
    target = adds[choice % len(adds)]
    term = target.args[choice % len(target.args)]
    flipped = e.xreplace({target: target - 2 * term})
    return flipped, e - flipped


# -- property tests: expressions ----------------------------------------------------------------------------------


def _equal_pairs_property(pair: tuple[sp.Expr, sp.Expr], pts: list[dict]) -> None:
    lhs, rhs = pair
    assert holds_nowhere_refuted(lhs, rhs, pts) >= rational_points(lhs, rhs, pts), (lhs, rhs, pts)
    # The normal form is complete on this fragment (polynomials and rational functions of exp of linear forms).
    assert identity.confirm_identity(lhs, rhs, FACTS) is not None, (lhs, rhs)


def _constant_added_property(pair: tuple[sp.Expr, sp.Expr], r: sp.Rational, pts: list[dict]) -> None:
    lhs, rhs = pair
    assert identity.confirm_identity(lhs, rhs + r, FACTS) is None
    refuted = 0
    for pt in pts:
        check = evaluation.confirm_at_point((lhs, "=", rhs + r), [], pt, FACTS)
        assert check is None or not check.holds, (lhs, rhs + r, pt, check)
        refuted += check is not None
    assert refuted >= rational_points(lhs, rhs + r, pts), (lhs, rhs + r, pts)


def _sign_flipped_property(pair: tuple[sp.Expr, sp.Expr], choice: int, pts: list[dict]) -> None:
    lhs, rhs = pair
    flipped, difference = _flip_one_sign(rhs, choice)
    if not _nonzero_somewhere(difference, pts):
        return      # the flipped term is 0 at every point tried: not known to be unequal
    assert identity.confirm_identity(lhs, flipped, FACTS) is None, (lhs, flipped)


def _negative_sign_property(pair: tuple[sp.Expr, sp.Expr], r: sp.Rational) -> None:
    e = pair[0]
    assert identity.confirm_sign(-(e * e) - abs(r), FACTS, strict=False) is None   # always < 0
    assert identity.confirm_sign(-(e * e) - abs(r), FACTS, strict=True) is None


NONZERO = st.sampled_from([R(1, 1000), R(-1, 7), R(1), R(-3, 2), 1 / sp.Integer(10) ** 30])


@FAST
@given(equal_pairs(), st.lists(points(), min_size=2, max_size=3))
def test_equal_by_construction_is_never_refuted(pair: tuple, pts: list) -> None:
    _equal_pairs_property(pair, pts)


@FAST
@given(equal_pairs(), NONZERO, st.lists(points(), min_size=2, max_size=3))
def test_a_constant_added_is_never_confirmed(pair: tuple, r: sp.Rational, pts: list) -> None:
    _constant_added_property(pair, r, pts)


@FAST
@given(equal_pairs(), st.integers(0, 50), st.lists(points(), min_size=2, max_size=3))
def test_one_sign_flipped_is_never_confirmed(pair: tuple, choice: int, pts: list) -> None:
    _sign_flipped_property(pair, choice, pts)


@FAST
@given(equal_pairs(), NONZERO)
def test_a_negative_expression_is_never_confirmed_nonnegative(pair: tuple, r: sp.Rational) -> None:
    _negative_sign_property(pair, r)


# -- property tests: sums ---------------------------------------------------------------------------------------


@st.composite
def summands(draw: st.DrawFn) -> sp.Expr:
    """A summand in j: a product of entries v[j + d] with a polynomial in j and x."""
    entries = [v[j + draw(st.integers(-2, 2))] for _ in range(draw(st.integers(1, 2)))]
    poly = draw(st.sampled_from([sp.Integer(1), j, j ** 2 - x, 2 * j + 1, x]))
    return sp.Mul(*entries) * poly


@st.composite
def sums(draw: st.DrawFn) -> tuple[sp.Expr, sp.Expr, int, int]:
    """``Sum(f(j), (j, a, K + b))``, its summand, and a shift ``c`` with ``c != 0``."""
    f = draw(summands())
    a, b = draw(st.integers(-1, 2)), draw(st.integers(-1, 2))
    c = draw(st.integers(-3, 3).filter(lambda t: t != 0))
    return f, sp.Integer(a), K + b, c


def sum_points(draw_k: int, seed: int) -> dict:
    rng = random.Random(seed)
    pt: dict = {K: sp.Integer(draw_k), x: R(rng.randint(-5, 5), rng.randint(1, 3))}
    for t in range(-12, 16):
        pt[v[t]] = R(rng.randint(-9, 9), rng.randint(1, 4))
    return pt


def _shift_property(data: tuple, ks: list[int]) -> None:
    f, a, b, c = data
    s = sp.Sum(f, (j, a, b))
    moved = sp.Sum(f.xreplace({j: j + c}), (j, a - c, b - c))        # j -> j + c, bounds moved correctly
    decided = 0
    for seed, k in enumerate(ks):
        check = evaluation.confirm_at_point((s, "=", moved), [], sum_points(k, seed), FACTS)
        assert check is None or check.holds, (s, moved, k)
        decided += check is not None
    # Every entry the sums use has a value at each point (v[-12] .. v[15]): each point is decided.
    assert decided == len(ks), (s, moved, ks)
    assert identity.confirm_identity(s, moved, FACTS) is not None, (s, moved)


def _wrong_bounds_property(data: tuple, which: list[int]) -> None:
    f, a, b, c = data
    s = sp.Sum(f, (j, a, b))
    wrong = [sp.Sum(f.xreplace({j: j + c}), (j, a + c, b + c)),       # bounds moved the wrong way
             sp.Sum(f.xreplace({j: j + c}), (j, a - c, b - c + 1)),   # one term too many
             sp.Sum(f.xreplace({j: j + c}), (j, a - c + 1, b - c)),   # one term too few
             sp.Sum(f, (j, a, b - 1)) + f.xreplace({j: b - 1})]       # last term off by one
    for other in (wrong[w % len(wrong)] for w in which):
        # Unequal only when the referee sees it (at K = 3, random entries): a dropped term may be 0, as j*v[j] at 0.
        if any(differ(s, other, sum_points(3, seed)) for seed in range(3)):
            assert identity.confirm_identity(s, other, FACTS) is None, (s, other)


@FAST
@given(sums(), st.lists(st.integers(1, 4), min_size=1, max_size=2))
def test_shifted_sums_are_never_refuted(data: tuple, ks: list) -> None:
    _shift_property(data, ks)


@FAST
@given(sums(), st.integers(0, 3))
def test_sums_with_bounds_moved_wrongly_are_never_confirmed(data: tuple, which: int) -> None:
    _wrong_bounds_property(data, [which])


@pytest.mark.slow
@SLOW
@given(equal_pairs(), NONZERO, st.integers(0, 50), st.lists(points(), min_size=3, max_size=5))
def test_expression_properties_many_examples(pair: tuple, r: sp.Rational, choice: int, pts: list) -> None:
    _equal_pairs_property(pair, pts)
    _constant_added_property(pair, r, pts)
    _sign_flipped_property(pair, choice, pts)
    _negative_sign_property(pair, r)


@pytest.mark.slow
@SLOW
@given(sums(), st.lists(st.integers(0, 5), min_size=2, max_size=4))
def test_sum_properties_many_examples(data: tuple, ks: list) -> None:
    _shift_property(data, [k for k in ks if k >= 1] or [1])
    _wrong_bounds_property(data, [0, 1, 2, 3])


# -- mutation tests -----------------------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2] / "derivations"


@dataclass(frozen=True)
class Mutation:
    """One entry of one chain of a claim, altered."""

    claim: str
    chain: int
    entry: int
    kind: str

    def __str__(self) -> str:
        return f"{self.claim}/chain{self.chain}/entry{self.entry}/{self.kind.replace(' ', '-')}"


def mutate(text: str, kind: str) -> str | None:
    """The text of a chain entry after one mutation, or ``None`` when the mutation does not apply to it."""
    if text.lstrip()[:1] in "<>=!":
        return None
    if kind == "plus one":
        return f"({text}) + 1"
    if kind == "sign":
        return f"-({text})"
    if kind == "index":
        m = re.search(r"\b([A-Za-z_]\w*)\[([^\[\]]+)\]", text)
        return None if m is None else text[:m.start()] + f"{m.group(1)}[{m.group(2)} + 1]" + text[m.end():]
    if kind == "bound":
        m = re.search(r"\((\w+), ([^,()]+), ([^,()]+)\)\)", text)
        return None if m is None else text[:m.start(3)] + f"{m.group(3)} - 1" + text[m.end(3):]
    raise ValueError(kind)


KINDS = ("plus one", "sign", "index", "bound")


def library() -> Library:
    lib = load_library(ROOT)
    assert not lib.errors, lib.errors
    return lib


def all_mutations() -> list[Mutation]:
    """Every applicable mutation of every entry of every chain of the claims expected to hold."""
    out = []
    for claim in library().claims:
        if claim.expect != "holds":
            continue
        for ci, chain in enumerate(claim.chains):
            for e, text in enumerate(chain.steps):
                out += [Mutation(claim.id, ci, e, kind) for kind in KINDS if mutate(text, kind) is not None]
    return out


def write_mutated(folder: Path, claim: Claim, m: Mutation) -> None:
    """Copy the library (with its shared ``_common.toml``, ``_conv.toml``) into ``folder``, one entry altered."""
    chain = claim.chains[m.chain]
    old = chain.steps[m.entry]
    new = mutate(old, m.kind)
    assert new is not None
    for path in ROOT.glob("*.toml"):
        content = path.read_text(encoding="utf-8")
        if path.name == Path(claim.file).name:
            lines = content.splitlines(keepends=True)
            line = chain.step_lines[m.entry]
            assert line is not None and old in lines[line - 1], (line, old)
            lines[line - 1] = lines[line - 1].replace(old, new, 1)
            content = "".join(lines)
        (folder / path.name).write_text(content, encoding="utf-8")


def referee_points(problem: Problem, case_index: int, rng: random.Random, per_instance: int = 3) -> list[dict]:
    """Points for the independent check: integer instances proposed by the (untrusted) strategies, random rationals
    for everything else; kept only when plain SymPy finds every hypothesis true there."""
    case = problem.cases[case_index]
    families = list(case.facts.families)
    exprs = [e for lhs, _, rhs in case.relations for e in (lhs, rhs)]
    out = []
    for ints in strategies.probe_instances(case, problem)[:4]:
        for _ in range(per_instance):
            pt = dict(ints)
            for _ in range(3):   # entries x[1], x[2]... appear once sums with symbolic bounds are written out
                for e in exprs:
                    value = plain_value(e, pt, families)
                    labels = {a.base for a in value.atoms(sp.Indexed)} | \
                        {a.base.label for a in value.atoms(sp.Indexed)}
                    for s in value.free_symbols - labels:
                        wanted = (isinstance(s, sp.Indexed) and all(i.is_Integer for i in s.indices)) or \
                            (isinstance(s, sp.Symbol) and not s.is_integer)
                        if wanted and s not in pt:
                            r = R(rng.randint(-9, 9), rng.randint(1, 4))
                            pt[s] = abs(r) + 1 if s.is_positive else r
            if all(plain_value(h, pt, families) is sp.true for h in case.hypotheses):
                out.append(pt)
    return out


def fails_somewhere(problem: Problem, seed: int = 0) -> bool:
    """Whether plain SymPy finds an allowed point where an ``=`` relation of the problem fails."""
    rng = random.Random(seed)
    for ci, case in enumerate(problem.cases):
        for lhs, op, rhs in case.relations:
            if op != "=":
                continue
            for pt in referee_points(problem, ci, rng):
                # An error of the referee itself fails the test: it would hide a mutant it could not judge.
                if differ(lhs, rhs, pt, case.facts.families):
                    return True
    return False


def check_mutation(folder: Path, m: Mutation) -> tuple[int, int]:
    """Settle the (one or two) steps around the mutated entry; every one that plain SymPy shows false must not be
    proved. Returns how many steps were held to that, and how many the mutation left true everywhere tried."""
    base = library()
    claim = next(c for c in base.claims if c.id == m.claim)
    write_mutated(folder, claim, m)
    mutated = load_library(folder)
    assert not mutated.errors, mutated.errors
    mclaim = next(c for c in mutated.claims if c.id == m.claim)
    name = claim.chains[m.chain].name
    held = harmless = 0
    for ob, built in library_problems(mutated, mclaim):
        if ob.kind != "step" or ob.derivation != name or ob.index not in (m.entry, m.entry + 1):
            continue
        assert isinstance(built, Problem), built
        outcome = settle_obligation(ob, built)
        if fails_somewhere(built):
            assert outcome.verdict != "proved", (str(m), ob.text, outcome.method)
            held += 1
        else:
            harmless += 1
    return held, harmless


FAST_MUTATIONS = [Mutation("q1.6", 0, 3, "plus one"), Mutation("q2.1", 0, 1, "bound"),
                  Mutation("q2.1", 0, 2, "index"), Mutation("q3", 0, 2, "sign"), Mutation("q5.1", 1, 1, "sign"),
                  Mutation("q2.2", 1, 2, "index")]


@pytest.mark.parametrize("m", FAST_MUTATIONS, ids=str)
def test_a_mutated_step_is_never_proved(tmp_path: Path, m: Mutation) -> None:
    held, _ = check_mutation(tmp_path, m)
    assert held >= 1, f"{m}: the mutation was expected to change the value"


def test_the_sweep_makes_every_mutant() -> None:
    """The sweep alters every entry of every chain of the claims expected to hold, in every applicable way: 222
    mutants of the bundled library (counted by hand from the kinds: 86 + 86 + 30 + 20). A sweep that silently made
    fewer would test less."""
    made = all_mutations()
    assert len(made) == 222
    assert {kind: sum(m.kind == kind for m in made) for kind in KINDS} == \
        {"plus one": 86, "sign": 86, "index": 30, "bound": 20}
    assert len(set(map(str, made))) == len(made)
    assert all(m in made for m in FAST_MUTATIONS)


def test_the_mutations_include_harmless_ones_that_stay_proved(tmp_path: Path) -> None:
    """Translation invariance makes x[0] -> x[0 + 1] harmless in q2.3: then the step is still proved (the sweep
    does not hold harmless mutations against the engine)."""
    m = Mutation("q2.3", 0, 1, "index")
    held, harmless = check_mutation(tmp_path, m)
    assert held == 0 and harmless >= 1


@pytest.mark.slow
@pytest.mark.parametrize("m", all_mutations(), ids=str)
def test_every_mutated_step_is_never_proved(tmp_path: Path, m: Mutation) -> None:
    held, harmless = check_mutation(tmp_path, m)
    assert held + harmless >= 1, f"{m}: no step around the mutated entry was settled"
