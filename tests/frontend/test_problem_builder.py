"""Tests of verifier.frontend.problem_builder: what a claim's text means once built (spec section 2a), case by case.

Every expected value is worked out by hand or with plain SymPy/mpmath on concrete numbers, and written beside it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import sympy as sp

from verifier.errors import ExpressionError
from verifier.frontend.library import load_library
from verifier.frontend.problem import Problem
from verifier.frontend.problem_builder import library_problems
from verifier.model import Written

SYMBOLS = """
[symbols]
K = "integer positive"
m = "integer"
x = "real"
t = "integer"
t5 = "in {0, 5}"
y = "in {1, 2}"
h = "indexed real 1..y"
yb = "indexed in {0, 1}"
z = "positive"
n = "integer"
pr = "real 0..1"
q = "real (0, 1)"
"""


def problems(tmp_path: Path, claim: str) -> list[Problem | ExpressionError]:
    """The built obligations of the one claim ``c`` whose keys are ``claim``."""
    (tmp_path / "f.toml").write_text(SYMBOLS + '[[claim]]\nid = "c"\ntitle = "t"\n' + claim)
    library = load_library(tmp_path, display_root=tmp_path)
    assert not library.errors, library.errors
    return [built for _, built in library_problems(library, library.claims[0])]


def one(tmp_path: Path, claim: str) -> Problem:
    (built,) = problems(tmp_path, claim)
    assert isinstance(built, Problem), built
    return built


def error(tmp_path: Path, claim: str) -> str:
    (built,) = problems(tmp_path, claim)
    assert isinstance(built, ExpressionError), built
    return str(built)


# -- where: values satisfy their declarations; nothing simplified under the old words ------------------------------

@pytest.mark.parametrize("where, message", [
    ('{ z = "-1" }', "f.toml:19: where: z = -1 is not positive, as z is declared"),     # -1 < 0
    ('{ z = "0" }', "f.toml:19: where: z = 0 is not positive, as z is declared"),
    ('{ n = "x" }', "f.toml:19: where: n = x is not provably an integer, but n is declared integer"),
    ('{ n = "1/2" }', "f.toml:19: where: n = 1/2 is not an integer, but n is declared integer"),
    ('{ y = "3" }', "f.toml:19: where: y = 3 is not in its domain {1, 2}"),
    ('{ pr = "3/2" }', "f.toml:19: where: pr = 3/2 is not provably at most 1, as the declaration of pr requires"),
    ('{ q = "0" }', "f.toml:19: where: q = 0 is not provably above 0, as the declaration of q requires"),
    ('{ K = "sqrt(2)" }', "f.toml:19: where: K = sqrt(2) is not an integer, but K is declared integer"),
])
def test_a_where_value_outside_its_declaration_is_an_error(tmp_path: Path, where: str, message: str) -> None:
    assert error(tmp_path, f'statement = "x = x"\nwhere = {where}\n') == message


def test_a_where_value_inside_its_declaration_is_accepted(tmp_path: Path) -> None:
    # 1/2 is in [0, 1]; 2 is in {1, 2}; K = 3 is a positive integer.
    built = one(tmp_path, 'statement = "pr + y + K = 11/2"\nwhere = { pr = "1/2", y = "2", K = "3" }\n')
    ((lhs, op, rhs),) = built.cases[0].relations
    assert (lhs, op, rhs) == (sp.Rational(11, 2), "=", sp.Rational(11, 2))


def test_where_builds_before_it_substitutes(tmp_path: Path) -> None:
    # x real, x = -1: sqrt((-1)^2) = 1, not -1 (had x been simplified under some positive word first, it would be).
    built = one(tmp_path, 'statement = "sqrt(x^2) = x"\nwhere = { x = "-1" }\n')
    ((lhs, _, rhs),) = built.cases[0].relations
    assert (lhs, rhs) == (1, -1)


# -- names never capture ---------------------------------------------------------------------------------------------

def test_the_index_of_a_vector_comparison_is_fresh_and_local(tmp_path: Path) -> None:
    built = one(tmp_path, 'statement = "vector(t, (j, 1, K)) = vector(j, (j, 1, K))"\n')
    user_t = next(s for s in built.infos if getattr(s, "name", None) == "t" and not isinstance(s, sp.Dummy))
    lengths, entries = built.cases
    assert lengths.relations == [(sp.Symbol("K", integer=True, positive=True), "=",
                                  sp.Symbol("K", integer=True, positive=True))]
    ((lhs, _, rhs),) = entries.relations
    (fresh,) = [s for s in rhs.free_symbols if isinstance(s, sp.Dummy)]
    assert fresh != user_t and fresh.name == "t'"
    # Entry t' of vector(t, (j, 1, K)) is t (the user's) inside 1..K; of vector(j, ...) it is t' itself.
    assert lhs.subs(fresh, 2).subs(sp.Symbol("K", integer=True, positive=True), 3) == user_t
    assert rhs.subs(fresh, 2).subs(sp.Symbol("K", integer=True, positive=True), 3) == 2
    # The fresh index's range 1 <= t' <= K is a hypothesis of its own case only.
    assert not any(fresh in h.free_symbols for h in lengths.hypotheses)
    assert any(fresh in h.free_symbols for h in entries.hypotheses)


def test_a_finite_domain_name_called_t_does_not_interact(tmp_path: Path) -> None:
    built = one(tmp_path, 'statement = "vector(t5 + j - t5, (j, 1, K)) = vector(j, (j, 1, K))"\n')
    # t5 + j - t5 = j, so t5 is not used at all: no case split over {0, 5}.
    assert all(not case.values for case in built.cases)


def test_different_lengths_are_a_false_relation_not_an_error(tmp_path: Path) -> None:
    built = one(tmp_path, 'statement = "[1, 2] = [1, 2, 0]"\n')
    assert built.cases[0].relations == [(2, "=", 3)]       # lengths 2 and 3


# -- finite domains: used in a bound, or as the values of a family's entries -----------------------------------------

def test_a_finite_domain_name_used_only_in_a_range_is_split(tmp_path: Path) -> None:
    built = one(tmp_path, 'statement = "h[3] = 0"\n')
    ys = sorted(case.values[sp.Symbol("y", integer=True, positive=True)] for case in built.cases)
    assert ys == [1, 2]
    # In each case h is zero outside 1..y, with y's value: index 3 is outside 1..1 and 1..2.
    h = next(s for s in built.infos if getattr(s, "name", None) == "h")
    assert sorted(case.facts.family_range(h) for case in built.cases) == [(1, 1), (1, 2)]
    assert all(not h.free_symbols for case in built.cases for h in case.hypotheses)


def test_entries_of_a_finite_domain_family_are_split(tmp_path: Path) -> None:
    built = one(tmp_path, 'statement = "yb[1]*(1 - yb[1]) = 0"\n')
    # yb[1] in {0, 1}: 0*(1 - 0) = 0 and 1*(1 - 1) = 0.
    assert sorted(str(case.values) for case in built.cases) == ["{yb[1]: 0}", "{yb[1]: 1}"]
    assert all(case.relations == [(0, "=", 0)] for case in built.cases)


def test_entries_at_symbolic_indices_are_not_split(tmp_path: Path) -> None:
    # yb[i] and yb[k] are the same entry when i = k: independent cases would include impossible ones.
    built = one(tmp_path, 'statement = "yb[K]*yb[m] = yb[m]*yb[K]"\n')
    assert [case.values for case in built.cases] == [{}]


# -- real intervals are hypotheses of the cases ----------------------------------------------------------------------

def test_a_real_interval_becomes_hypotheses(tmp_path: Path) -> None:
    built = one(tmp_path, 'statement = "pr + q >= 0"\n')
    shown = sorted(str(h) for h in built.cases[0].hypotheses)
    assert shown == ["pr <= 1", "pr >= 0", "q < 1", "q > 0"]


def test_exists_over_vectors_of_symbolic_length_is_an_error(tmp_path: Path) -> None:
    assert "exists cannot compare vectors whose length is symbolic" in \
        error(tmp_path, 'exists = "vector(j, (j, 1, K)) = vector(j, (j, 1, K))"\n')


# -- a family's words hold for its entries inside its range only -----------------------------------------------------

def test_a_familys_words_are_hypotheses_inside_its_range(tmp_path: Path) -> None:
    (tmp_path / "f.toml").write_text('[symbols]\nK = "integer positive"\ni = "integer"\n'
                                     'p = "indexed positive 1..K"\nw = "indexed real [0, 1]"\n'
                                     '[[claim]]\nid = "c"\ntitle = "t"\nstatement = "p[i] + p[2] + w[i] >= 0"\n')
    library = load_library(tmp_path, display_root=tmp_path)
    ((_, built),) = library_problems(library, library.claims[0])
    assert isinstance(built, Problem)
    shown = {str(h) for h in built.cases[0].hypotheses}
    # p[i] > 0 only for 1 <= i <= K (p[0] = 0); w has no range, so 0 <= w[i] <= 1 for every i.
    assert "(i > K) | (i < 1) | (p[i] > 0)" in shown
    assert "(2 > K) | (p[2] > 0)" in shown
    assert "(w[i] >= 0) & (w[i] <= 1)" in shown
    assert "p[i] > 0" not in shown


def test_an_entry_known_to_be_inside_gets_the_words_directly(tmp_path: Path) -> None:
    (tmp_path / "f.toml").write_text('[symbols]\nK = "integer positive"\ni = "integer 1..K"\n'
                                     'p = "indexed positive 1..K"\n'
                                     '[[claim]]\nid = "c"\ntitle = "t"\nstatement = "p[i] + p[K + 1] >= 0"\n')
    library = load_library(tmp_path, display_root=tmp_path)
    ((_, built),) = library_problems(library, library.claims[0])
    assert isinstance(built, Problem)
    shown = {str(h) for h in built.cases[0].hypotheses}
    # 1 <= i <= K puts p[i] inside; K + 1 is outside 1..K, so p[K + 1] = 0 and nothing is said of it.
    assert "p[i] > 0" in shown
    assert not any("p[K + 1]" in h for h in shown)


# -- end to end: the meanings above never lead the engine to a wrong verdict -----------------------------------------

MEANING_SYMBOLS = """[symbols]
K = "integer positive"
i = "integer 1..K"
m = "integer"
x = "real"
t = "integer"
pr = "real 0..1"
q = "real (0, 1)"
p = "indexed positive 1..K"
yb = "indexed in {0, 1}"
g = "indexed real [0, 1] 1..K"
y = "in {1, 2}"
h = "indexed real 1..y"
f0 = "indexed real 0..K"
z = "positive"
"""

# (kind, text, truth), the truth worked out by hand beside each.
MEANING_CLAIMS = [
    ("statement", "pr^2 = pr", False),                          # pr = 1/2: 1/4 != 1/2
    ("statement", "pr*(1 - pr) = 0", False),                    # pr is any real in [0, 1], not only 0 or 1
    ("exists", "q = 0", False),                                 # 0 is not in (0, 1)
    ("statement", "p[i] > 0", True),                            # 1 <= i <= K: inside the range
    ("statement", "p[0] = 0", True),                            # outside 1..K
    ("statement", "p[t] > 0", False),                           # t = 0: p[0] = 0
    ("statement", "yb[1]^2 = yb[1]", True),                     # 0^2 = 0, 1^2 = 1
    ("statement", "yb[2] = 1", False),                          # yb[2] = 0 is allowed
    ("statement", "g[0] = 0", True),                            # outside 1..K
    ("statement", "g[1] >= 1/2", False),                        # g[1] = 0 is allowed
    ("statement", "h[3] = 0", True),                            # 3 is outside 1..1 and 1..2
    ("exists", "h[3] != 0", False),
    ("statement", "flip(f0)[1] = f0[K]", True),                 # a vector from 1: entry i is f0[K + 1 - i]
    ("statement", "flip(f0)[K + 1] = f0[0]", True),             # the last of its K + 1 entries
    ("statement", "flip(f0)[0] = f0[K]", False),                # index 0 is outside 1..K + 1: 0, and f0[K] = 1
    ("statement", "len(flip(f0)) = K + 1", True),               # as many entries as f0
    ("statement", "len(f0) = K + 1", True),                     # entries 0..K
    ("statement", "len(vector(j, (j, 1, m))) = m", False),      # m = -1: length 0
    ("statement", "Sum(x, (j, 1, -2)) = 0", True),              # empty sum
    ("statement", "vector(t, (j, 1, K)) = vector(j, (j, 1, K))", False),   # K = 2: [t, t] != [1, 2]
    ("statement", "t >= 1", False),                             # t = 0 (no range leaks from a comparison)
    ("exists", "diff(Abs(x), x) = 0", False),                   # |x|' = sign(x) = +-1 wherever it exists
    ("statement", "diff(Abs(x), x)^2 = 1", True),               # wherever it exists
    ("statement", "diff(x*Abs(x), x) = 2*Abs(x)", True),        # also at 0, where both are 0
    ("statement", "diff(floor(x), x) = 1", False),              # 0 at x = 1/2
    ("statement", "([1, 2] + 1)[3] = 1", False),                # the sum is 0 outside 1..2
    ("statement", "exp([1, 2])[3] = 0", True),
    ("statement", "[1, 2] = [1, 2, 0]", False),                 # lengths 2 and 3
    ("statement", "limit(1/(1 + exp(-Abs(z))), z, -oo) = 0", False),   # -|z| -> -oo, so the limit is 1
    ("statement", "floor(sqrt(2)/(541131238821888000 - 382637568482834149*sqrt(2))) = 1402", False),  # 1401
]


@pytest.mark.parametrize("kind, text, truth", MEANING_CLAIMS, ids=[c[1][:40] for c in MEANING_CLAIMS])
def test_no_wrong_verdict(tmp_path: Path, kind: str, text: str, truth: bool) -> None:
    from verifier.search.engine import settle_obligation

    (tmp_path / "f.toml").write_text(MEANING_SYMBOLS + f'[[claim]]\nid = "c"\ntitle = "t"\n{kind} = "{text}"\n')
    library = load_library(tmp_path, display_root=tmp_path)
    ((ob, built),) = library_problems(library, library.claims[0])
    verdict = settle_obligation(ob, built).verdict
    assert verdict != "error"
    if truth:
        assert verdict != "refuted"
    else:
        assert verdict not in ("proved", "checked")


# (assume, kind, text, verdict): hypotheses that no allowed value satisfies, worked out by hand beside each.
VACUOUS_CLAIMS = [
    ("K < 0", "statement", "K = 0", "proved"),          # K is a positive integer: never below 0
    ("K < 1", "statement", "K = 7", "proved"),          # K >= 1
    ("x^2 < 0", "statement", "x = 1", "proved"),        # a real square is >= 0
    ("y > 5", "statement", "y = 7", "proved"),          # y is 1 or 2 (both cases vacuous)
    ("K < 0", "exists", "K = 0", "refuted"),            # no allowed K at all: nothing exists
    ("x^2 < 0", "exists", "x = x", "refuted"),          # no real x with x^2 < 0
]


@pytest.mark.parametrize("assume, kind, text, expected", VACUOUS_CLAIMS,
                         ids=[f"{c[0]} {c[1]}" for c in VACUOUS_CLAIMS])
def test_hypotheses_nothing_satisfies(tmp_path: Path, assume: str, kind: str, text: str, expected: str) -> None:
    from verifier.search.engine import settle_obligation

    (tmp_path / "f.toml").write_text(MEANING_SYMBOLS + f'[[claim]]\nid = "c"\ntitle = "t"\nassume = ["{assume}"]\n'
                                     f'{kind} = "{text}"\n')
    library = load_library(tmp_path, display_root=tmp_path)
    ((ob, built),) = library_problems(library, library.claims[0])
    outcome = settle_obligation(ob, built)
    assert outcome.verdict == expected
    if expected == "proved":
        assert outcome.method is not None and outcome.method.startswith("vacuous")


# Sums over a family's range that include an index outside it (the summand's entry p[j] is bound by the sum).
BOUND_ENTRY_CLAIMS = [
    ("Sum(p[j], (j, 0, K)) > 0", True),                 # p[0] = 0 and K >= 1 positive terms p[1..K]
    ("Sum(p[j], (j, 0, K)) = Sum(p[j], (j, 1, K))", True),   # they differ by p[0] = 0
    ("Sum(p[j], (j, 0, K)) = p[1]", False),             # K = 2: p[1] + p[2] != p[1] as p[2] > 0
]


@pytest.mark.parametrize("text, truth", BOUND_ENTRY_CLAIMS, ids=[c[0] for c in BOUND_ENTRY_CLAIMS])
def test_an_entry_bound_by_a_sum_is_never_given_a_value(tmp_path: Path, text: str, truth: bool) -> None:
    from verifier.search.engine import settle_obligation

    (tmp_path / "f.toml").write_text(MEANING_SYMBOLS + f'[[claim]]\nid = "c"\ntitle = "t"\nstatement = "{text}"\n')
    library = load_library(tmp_path, display_root=tmp_path)
    ((ob, built),) = library_problems(library, library.claims[0])
    assert all(not h.has(sp.Dummy) or h.has(sp.Sum) for case in built.cases for h in case.hypotheses)
    verdict = settle_obligation(ob, built).verdict
    assert verdict != "error"
    assert verdict == "refuted" if not truth else verdict != "refuted"


DEFINEDNESS_SYMBOLS = """[symbols]
x = "real"
u = "nonnegative"
z = "positive"
y = "in {0, 1}"
K = "integer positive"

[define]
"r(t)" = "t/t"
"""

# (text, truth, refuted at): SymPy evaluates each right side into something defined everywhere; as written it is
# undefined at the point given (worked out by hand), where the left side is defined, so the step is false there.
DEFINEDNESS_CLAIMS = [
    ("1 = x/x", {"x": "0"}),                            # 0/0
    ("x = 1/(1/x)", {"x": "0"}),                        # 1/0
    ("0 = log(x)*0", {"x": "0"}),                       # log(0) (also log(-1))
    ("x = sqrt(x)^2", {"x": "-1"}),                     # sqrt(-1)
    ("x = exp(log(x))", {"x": "0"}),                    # log(0)
    ("u = exp(log(u))", {"u": "0"}),                    # log(0); u = 0 is allowed
    ("1 = y/y", {"y": "0"}),                            # 0/0 in the case y = 0
    ("1 = r(x - 1)", {"x": "1"}),                       # (x - 1)/(x - 1) at x = 1: 0/0
    ("0 = 0*diff(Abs(x), x)", {"x": "0"}),              # |x| has no derivative at 0
    ("0 = 0*Piecewise((1, x > 0))", {"x": "0"}),        # no branch holds at x = 0
    ("0 = 0*Piecewise((x/x, x > 0), (x/x, True))", {"x": "0"}),   # the second branch, 0/0, is chosen at 0
]


@pytest.mark.parametrize("text, point", DEFINEDNESS_CLAIMS, ids=[c[0] for c in DEFINEDNESS_CLAIMS])
def test_a_right_side_undefined_as_written_is_refuted(tmp_path: Path, text: str, point: dict[str, str]) -> None:
    from verifier.search.engine import settle_obligation

    (tmp_path / "f.toml").write_text(DEFINEDNESS_SYMBOLS + f'[[claim]]\nid = "c"\ntitle = "t"\nstatement = "{text}"\n')
    library = load_library(tmp_path, display_root=tmp_path)
    ((ob, built),) = library_problems(library, library.claims[0])
    outcome = settle_obligation(ob, built)
    assert outcome.verdict == "refuted"
    assert outcome.counterexample == point
    assert outcome.values is not None and outcome.values["rhs"].startswith("undefined there")


# True claims: each side is defined wherever the left one is (worked out by hand).
DEFINED_TRUE_CLAIMS = [
    "x/x = 1",                                          # a step may remove an undefined point
    "z = exp(log(z))",                                  # z > 0: log(z) is defined
    "z/z = 1",
    "x = log(exp(x))",                                  # exp(x) > 0 for every real x
    "x^2/x = x",
]


@pytest.mark.parametrize("text", DEFINED_TRUE_CLAIMS)
def test_a_side_defined_where_the_left_is_still_proves(tmp_path: Path, text: str) -> None:
    from verifier.search.engine import settle_obligation

    (tmp_path / "f.toml").write_text(DEFINEDNESS_SYMBOLS + f'[[claim]]\nid = "c"\ntitle = "t"\nstatement = "{text}"\n')
    library = load_library(tmp_path, display_root=tmp_path)
    ((ob, built),) = library_problems(library, library.claims[0])
    assert settle_obligation(ob, built).verdict == "proved"


def test_a_chain_step_to_an_expression_undefined_as_written_is_refuted(tmp_path: Path) -> None:
    from verifier.search.engine import settle_obligation

    # x -> x^2/x: at x = 0 the left is 0 and the right 0/0.
    (tmp_path / "f.toml").write_text(DEFINEDNESS_SYMBOLS + '[[claim]]\nid = "c"\ntitle = "t"\nsteps = ["x", "x^2/x"]\n')
    library = load_library(tmp_path, display_root=tmp_path)
    ((ob, built),) = library_problems(library, library.claims[0])
    outcome = settle_obligation(ob, built)
    assert outcome.verdict == "refuted" and outcome.counterexample == {"x": "0"}


@pytest.mark.parametrize("text, expected", [
    ("y/y = 1", "proved"),      # y = 1: 1 = 1; y = 0: the left side 0/0 is defined nowhere, nothing is claimed
    ("y/y = 7", "refuted"),     # y = 1: 1 != 7
])
def test_a_left_side_undefined_in_a_case_claims_nothing_there(tmp_path: Path, text: str, expected: str) -> None:
    from verifier.search.engine import settle_obligation

    (tmp_path / "f.toml").write_text(DEFINEDNESS_SYMBOLS + f'[[claim]]\nid = "c"\ntitle = "t"\nstatement = "{text}"\n')
    library = load_library(tmp_path, display_root=tmp_path)
    ((ob, built),) = library_problems(library, library.claims[0])
    assert settle_obligation(ob, built).verdict == expected


def test_a_sum_with_a_partial_summand_that_sympy_drops_is_not_proved(tmp_path: Path) -> None:
    from verifier.search.engine import settle_obligation

    # 0*Sum(w[j]/w[j], ...) is 0 for SymPy; as written it is undefined wherever some w[j] = 0 (j in 1..K), and the
    # left side 0 is defined there: false at K = 1, w[1] = 0.
    (tmp_path / "f.toml").write_text('[symbols]\nK = "integer positive"\nw = "indexed real 1..K"\n[[claim]]\n'
                                     'id = "c"\ntitle = "t"\nstatement = "0 = 0*Sum(w[j]/w[j], (j, 1, K))"\n')
    library = load_library(tmp_path, display_root=tmp_path)
    ((ob, built),) = library_problems(library, library.claims[0])
    assert not isinstance(built, ExpressionError)
    assert settle_obligation(ob, built).verdict not in ("proved", "checked", "error")


@pytest.mark.parametrize("assume, text, allowed", [
    # An assume holds only where it is defined as written: x/x = 1 says x != 0 (SymPy makes it true everywhere).
    ("x/x = 1", "x != 0", ("proved", "unknown")),       # true: x = 0 does not satisfy the assume
    ("sqrt(x)^2 >= -5", "x >= 0", ("proved",)),         # sqrt(x) needs x >= 0: the statement is the hypothesis
    ("x/x = 1", "x > 0", ("refuted",)),                 # x = -1: -1/-1 = 1, and -1 > 0 is false
])
def test_an_assume_holds_only_where_it_is_defined(tmp_path: Path, assume: str, text: str,
                                                  allowed: tuple[str, ...]) -> None:
    from verifier.search.engine import settle_obligation

    (tmp_path / "f.toml").write_text(DEFINEDNESS_SYMBOLS + f'[[claim]]\nid = "c"\ntitle = "t"\nassume = ["{assume}"]\n'
                                     f'statement = "{text}"\n')
    library = load_library(tmp_path, display_root=tmp_path)
    ((ob, built),) = library_problems(library, library.claims[0])
    assert settle_obligation(ob, built).verdict in allowed


def test_a_polynomial_of_integers_is_knowninteger_valued_from_a_grid() -> None:
    """n(n + 1)/2 + 1 and n(n + 1)(2n + 1)/6 are integers for every integer n (sums of 1..n and of squares, by
    hand); n/2 and n*m/2 are not (n = 1, m = 1 gives 1/2)."""
    from verifier.frontend.assumptions import integer_valued

    n, m = sp.symbols("n m", integer=True)
    assert integer_valued(n * (n + 1) / 2 + 1) and integer_valued(n * (n + 1) * (2 * n + 1) / 6)
    assert not integer_valued(n / 2) and not integer_valued(n * m / 2)


def test_claims_of_one_file_share_their_declarations_and_a_new_library_gets_its_own(tmp_path: Path) -> None:
    # Two claims of one file: the declared K is one object for both. The same file read again (a new library, K
    # now declared otherwise) is built afresh: K is nonnegative there, not positive.
    path = tmp_path / "t.toml"
    text = '[symbols]\nK = "integer {words}"\n[[claim]]\nid = "a"\ntitle = "a"\nstatement = "K = K"\n' \
           '[[claim]]\nid = "b"\ntitle = "b"\nstatement = "K + 1 = 1 + K"\n'
    path.write_text(text.format(words="positive"), encoding="utf-8")
    library = load_library(path)
    (_, first), = library_problems(library, library.claims[0])
    (_, second), = library_problems(library, library.claims[1])
    assert isinstance(first, Problem) and isinstance(second, Problem)
    k_first = next(s for s in first.infos if str(s) == "K")
    assert k_first in second.infos and k_first.is_positive
    path.write_text(text.format(words="nonnegative"), encoding="utf-8")
    other = load_library(path)
    (_, third), = library_problems(other, other.claims[0])
    assert isinstance(third, Problem)
    k_third = next(s for s in third.infos if str(s) == "K")
    assert k_third.is_nonnegative and k_third.is_positive is None


# (text, where value of x, verdict): derivatives at a point given by ``where``, where the function is differentiable
# though SymPy's formula has a kink, a sign or a floor there (outside red team, round 3: r3c.2, r3c.3 z19, z22).
WHERE_DERIVATIVES = [
    ("0 = diff(Abs(cos(x))^3, x)", "pi/2", "proved"),      # |cos(pi/2 + h)|^3/h = |sin h|^3/h -> 0
    ("0 = diff(Abs(x)*sin(x), x)", "0", "proved"),         # |h| sin(h)/h -> 0
    ("0 = diff(Piecewise((x^2, x^2 > 0), (0, True)), x)", "0", "proved"),   # the function is x^2
    ("1 = diff(Max(x, 0) + Min(x, 0), x)", "0", "proved"),  # the function is x
    ("0 = diff(Max(x, 0), x)", "0", "refuted"),            # slopes 1 and 0: no derivative at 0
    ("0 = diff(floor(x^2), x)", "0", "proved"),            # floor(x^2) = 0 on (-1, 1) (r3c.2 d39)
    ("0 = diff(floor(Abs(x)), x)", "0", "proved"),         # floor(|x|) = 0 on (-1, 1) (d41)
    ("0 = diff(floor(Abs(2*x)), x)", "0", "proved"),       # floor(|2x|) = 0 on (-1/2, 1/2) (fuzzer, f8128.15688)
    ("2 = diff(floor(Abs(2*x)), x)", "0", "refuted"),      # the derivative there is 0, not 2
    ("0 = diff(ceiling(-Abs(3*x)), x)", "0", "proved"),    # ceiling(-3|x|) = 0 on (-1/3, 1/3)
    ("0 = diff(ceiling(-x^2), x)", "0", "proved"),         # ceiling(-x^2) = 0 on (-1, 1) (d45)
    ("0 = diff(floor(x^2), x)", "1", "refuted"),           # x^2 crosses 1 at 1: a jump, no derivative
]


@pytest.mark.parametrize("text, value, verdict", WHERE_DERIVATIVES, ids=[c[0][:40] for c in WHERE_DERIVATIVES])
def test_a_derivative_at_a_where_value(tmp_path: Path, text: str, value: str, verdict: str) -> None:
    from verifier.search.engine import settle_obligation

    (tmp_path / "f.toml").write_text(MEANING_SYMBOLS + f'[[claim]]\nid = "c"\ntitle = "t"\nstatement = "{text}"\n'
                                     f'where = {{ x = "{value}" }}\n')
    library = load_library(tmp_path, display_root=tmp_path)
    ((ob, built),) = library_problems(library, library.claims[0])
    assert settle_obligation(ob, built).verdict == verdict


# -- hypotheses written in another file (a sheet's notation table) are reported there --------------------------------

@pytest.mark.parametrize("keys, source, message", [
    # Columns: the value's first character is at column 12 of its line in the other file; an error inside the
    # value adds its column there (z of '1 + zz' is at column 5 of the value: 12 + 5 - 1 = 16).
    ('where = { z = "-1" }', Written("-1", "z", "t.toml", 7, 12), "t.toml:7:12: where: z = -1 is not positive"),
    ('where = { z = "1 + zz" }', Written("1 + zz", "z", "t.toml", 7, 12), "t.toml:7:16: undeclared name 'zz'"),
    ('where = { zz = "1" }', Written("1", "zz", "t.toml", 7, 12), "t.toml:7:12: where: 'zz' is not a declared"),
    ('assume = ["f(x) > 0"]', Written("f(x) > 0", None, "t.toml", 3, 12), "t.toml:3:12: unknown function 'f'"),
    ('assume = ["x"]', Written("x", None, "t.toml", 3, 12), "t.toml:3:12: assume: expected a relation"),
])
def test_an_error_in_a_hypothesis_written_elsewhere_is_located_there(tmp_path: Path, keys: str, source: Written,
                                                                      message: str) -> None:
    (tmp_path / "f.toml").write_text(SYMBOLS + '[[claim]]\nid = "c"\ntitle = "t"\nstatement = "x = x"\n' + keys)
    library = load_library(tmp_path, display_root=tmp_path)
    claim = replace(library.claims[0], sources=(source,))
    (built,) = [built for _, built in library_problems(library, claim)]
    assert isinstance(built, ExpressionError) and str(built).startswith(message), built
    # Without the source, the same error is the claim's own file's, at a line of its own.
    (own,) = [built for _, built in library_problems(library, library.claims[0])]
    assert isinstance(own, ExpressionError) and str(own).startswith("f.toml:"), own


# (text, verdict): a power of a power with integer exponents, which SymPy merges into one power (outside red team,
# round 3: r3c.1, r3c.12). At x = 0, n = -1 the inner 0^(-1) is undefined as written, though 0^(n*m) may not be.
MERGED_POWERS = [
    ("x^(n*m) = (x^n)^m", "refuted"),      # m = 0, n = -1, x = 0: lhs 0^0 = 1, rhs (0^(-1))^0 undefined
    ("(x^n)^m = (x^m)^n", "refuted"),      # n = 0, m = -1, x = 0: lhs (0^0)^(-1) = 1, rhs has 0^(-1)
    ("(x^2)^3 = x^6", "proved"),           # positive integer exponents: nothing undefined
]


@pytest.mark.parametrize("text, verdict", MERGED_POWERS, ids=[c[0] for c in MERGED_POWERS])
def test_a_power_of_a_power_keeps_the_inner_powers_condition(tmp_path: Path, text: str, verdict: str) -> None:
    from verifier.search.engine import settle_obligation

    (tmp_path / "f.toml").write_text('[symbols]\nx = "real"\nn = "integer"\nm = "integer"\n'
                                     f'[[claim]]\nid = "c"\ntitle = "t"\nstatement = "{text}"\n')
    library = load_library(tmp_path, display_root=tmp_path)
    ((ob, built),) = library_problems(library, library.claims[0])
    assert settle_obligation(ob, built).verdict == verdict
