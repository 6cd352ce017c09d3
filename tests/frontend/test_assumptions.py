"""Hypotheses over all indices: ``assume = ["W[r, s] = W[s, r]"]`` with r, s declared nowhere makes W symmetric;
``A[r, s] = -A[s, r]`` antisymmetric; ``x[j] > 0`` a bound on every entry; anything else is used through its
instances. Truths by hand in the comments."""

from __future__ import annotations

from pathlib import Path

import sympy as sp
from search.test_engine import HEADER

from verifier.frontend.assumptions import Assumptions, provable_assumptions
from verifier.frontend.library import load_library
from verifier.model import ClaimResult
from verifier.search.engine import verify_claim

W = sp.IndexedBase("W", real=True)
a, b = sp.symbols("a b", integer=True)


def run(tmp_path: Path, claim: str) -> ClaimResult:
    """Verify one claim (the engine tests' header, and a family W) in this process."""
    path = tmp_path / "t.toml"
    header = HEADER.replace("[symbols]", '[symbols]\nW = "indexed real"')
    path.write_text(header + '\n[[claim]]\nid = "t"\ntitle = "t"\n' + claim, encoding="utf-8")
    library = load_library(path)
    assert not library.errors, library.errors
    return verify_claim(library, library.claims[0])


def test_averaged_entries() -> None:
    # W[a, b] becomes (W[a, b] + W[b, a])/2; a diagonal entry W[a, a] stays W[a, a]. For an antisymmetric A,
    # A[a, b] becomes (A[a, b] - A[b, a])/2 and a diagonal entry becomes 0.
    A = sp.IndexedBase("A", real=True)
    read = Assumptions(symmetric=(W,), antisymmetric=(A,))
    assert read.averaged(W[a, b]) == (W[a, b] + W[b, a]) / 2
    assert read.averaged(W[a, a]) == W[a, a]
    assert read.averaged(A[a, b]) == (A[a, b] - A[b, a]) / 2
    assert read.averaged(A[a, a]) == 0


def test_a_claim_true_only_for_symmetric_families(tmp_path: Path) -> None:
    # v[1] W[1, 2] = v[1] W[2, 1] holds for symmetric W, fails for W[1, 2] = 1, W[2, 1] = 0, v[1] = 1.
    claim = 'statement = "v[1]*W[1, 2] = v[1]*W[2, 1]"\n'
    assert run(tmp_path, 'assume = ["W[r, s] = W[s, r]"]\n' + claim).verdict == "proved"
    result = run(tmp_path, claim)
    assert result.verdict == "refuted"


def test_a_counterexample_under_symmetry_is_symmetric(tmp_path: Path) -> None:
    # W[1, 2] = 2 W[2, 1] is false for symmetric W unless W[1, 2] = 0 (then both are 0); the counterexample shown
    # gives W[1, 2] and W[2, 1] one value.
    result = run(tmp_path, 'assume = ["W[r, s] = W[s, r]"]\nstatement = "W[1, 2] = 2*W[2, 1]"\n')
    (outcome,) = result.outcomes
    assert outcome.verdict == "refuted"
    assert outcome.counterexample["W[1, 2]"] == outcome.counterexample["W[2, 1]"] != "0"


def test_a_declared_index_keeps_its_meaning(tmp_path: Path) -> None:
    # With i, k declared (one value each), "W[i, k] = W[k, i]" is a hypothesis at those values only: W[1, 2] = W[2, 1]
    # does not follow (i = k = 1 satisfies it while W[1, 2] = 1, W[2, 1] = 0).
    claim = 'assume = ["W[i, k] = W[k, i]"]\nstatement = "W[1, 2] = W[2, 1]"\n'
    assert run(tmp_path, claim).verdict == "refuted"


def test_a_finite_valued_family_is_symmetric_entry_by_entry(tmp_path: Path) -> None:
    """Averaging does not keep B in {0, 1} (the mean of 0 and 1 is 1/2), so its symmetry is stated entry by entry.
    For symmetric B with entries in {0, 1} (by hand, over the two cases B[1, 2] = B[2, 1] = 0 or 1):
    B[1, 2]*B[2, 1] = B[1, 2] holds, and E[1, 2] + E[2, 1] = 1 never does."""
    path = tmp_path / "t.toml"
    path.write_text('[symbols]\nB = "indexed in {0, 1}"\n[[claim]]\nid = "t"\ntitle = "t"\n'
                    'assume = ["B[r, s] = B[s, r]"]\nstatement = "B[1, 2]*B[2, 1] = B[1, 2]"\n'
                    '[[claim]]\nid = "u"\ntitle = "u"\n'
                    'assume = ["B[r, s] = B[s, r]"]\nexists = "B[1, 2] + B[2, 1] = 1"\n', encoding="utf-8")
    library = load_library(path)
    assert not library.errors, library.errors
    assert verify_claim(library, library.claims[0]).verdict == "proved"
    assert verify_claim(library, library.claims[1]).verdict == "refuted"


def run_with(tmp_path: Path, symbols: str, claim: str) -> ClaimResult:
    """Verify one claim with its own ``[symbols]``."""
    path = tmp_path / "t.toml"
    path.write_text(f"[symbols]\n{symbols}\n[[claim]]\nid = \"t\"\ntitle = \"t\"\n{claim}", encoding="utf-8")
    library = load_library(path)
    assert not library.errors, library.errors
    return verify_claim(library, library.claims[0])


ANTI = 'A = "indexed real"\nn = "integer positive"\np = "indexed real"\nassume = ["A[r, s] = -A[s, r]"]'


def test_antisymmetric_quadratic_form_vanishes(tmp_path: Path) -> None:
    # sum_a sum_b A[a, b] p[a] p[b] = 0 for antisymmetric A: the terms (a, b) and (b, a) cancel, and A[a, a] = 0.
    symbols = 'A = "indexed real"\nn = "integer positive"\np = "indexed real"'
    claim = ('assume = ["A[r, s] = -A[s, r]"]\n'
             'statement = "Sum(Sum(A[a, b]*p[a]*p[b], (b, 1, n)), (a, 1, n)) = 0"\n')
    assert run_with(tmp_path, symbols, claim).verdict == "proved"
    # Without the hypothesis it fails: n = 1, A[1, 1] = 1, p[1] = 1 gives 1.
    assert run_with(tmp_path, symbols, claim.split("\n", 1)[1]).verdict == "refuted"


def test_antisymmetric_counterexample_is_antisymmetric(tmp_path: Path) -> None:
    # A[1, 2] = A[2, 1] holds for antisymmetric A only when both are 0; the counterexample shown has
    # A[2, 1] = -A[1, 2] != 0.
    result = run_with(tmp_path, 'A = "indexed real"', 'assume = ["A[r, s] = -A[s, r]"]\n'
                      'statement = "A[1, 2] = A[2, 1]"\n')
    (outcome,) = result.outcomes
    assert outcome.verdict == "refuted"
    shown = outcome.counterexample
    assert sp.Rational(shown["A[1, 2]"]) == -sp.Rational(shown["A[2, 1]"]) != 0


def test_a_bound_on_every_entry_is_a_declaration(tmp_path: Path) -> None:
    # x[j] > 0 for every j in 1..K: log(x[i] x[k]) = log x[i] + log x[k] for i, k in 1..K (both positive).
    symbols = 'K = "integer positive"\ni = "integer 1..K"\nk = "integer 1..K"\nx = "indexed real 1..K"'
    claim = 'assume = ["x[j] > 0"]\nstatement = "log(x[i]*x[k]) = log(x[i]) + log(x[k])"\n'
    assert run_with(tmp_path, symbols, claim).verdict == "proved"
    # x[j] >= 0 allows 0: x[i] > 0 fails at K = 1, i = 1, x[1] = 0.
    result = run_with(tmp_path, symbols, 'assume = ["x[j] >= 0"]\nstatement = "x[i] > 0"\n')
    (outcome,) = result.outcomes
    assert outcome.verdict == "refuted"
    assert [v for key, v in outcome.counterexample.items() if key.startswith("x[")] == ["0"]


def test_a_bound_on_every_entry_under_a_sum(tmp_path: Path) -> None:
    # 0 <= z[j] <= 1 for every j: every term z[j] (1 - z[j]) >= 0, so the sum is >= 0; and it is at most K/4
    # (t (1 - t) <= 1/4), not at most 0 (K = 1, z[1] = 1/2 gives 1/4).
    symbols = 'K = "integer positive"\nz = "indexed real"'
    bounds = 'assume = ["0 <= z[j]", "z[j] <= 1"]\n'
    assert run_with(tmp_path, symbols, bounds + 'statement = "Sum(z[j]*(1 - z[j]), (j, 1, K)) >= 0"\n'
                    ).verdict == "proved"
    assert run_with(tmp_path, symbols, bounds + 'statement = "Sum(z[j]*(1 - z[j]), (j, 1, K)) <= 0"\n'
                    ).verdict == "refuted"


def test_a_hypothesis_nothing_satisfies(tmp_path: Path) -> None:
    # No positive x has x[j] < 0 at every j (x has no range: every j): "1 = 2" holds vacuously, as under any
    # assume that no allowed value satisfies; and an exists under it has no witness.
    symbols = 'x = "indexed positive"'
    assert run_with(tmp_path, symbols, 'assume = ["x[j] < 0"]\nstatement = "1 = 2"\n').verdict == "proved"
    assert run_with(tmp_path, symbols, 'assume = ["x[j] < 0"]\nexists = "x[1] = 1"\n').verdict == "refuted"
    # For x over 1..K with K >= 0, "x[j] > x[j] + 1" at every j in 1..K says that 1..K is empty: K = 0 follows, and
    # "K = 1" is false (K = 0 satisfies the hypothesis); it is not an error.
    symbols = 'K = "integer nonnegative"\ny = "indexed real 1..K"'
    assert run_with(tmp_path, symbols, 'assume = ["y[j] > y[j] + 1"]\nstatement = "K = 0"\n').verdict == "proved"
    assert run_with(tmp_path, symbols, 'assume = ["y[j] > y[j] + 1"]\nstatement = "K = 1"\n').verdict != "proved"
    # Two bounds that contradict each other say the same: K = 0.
    assert run_with(tmp_path, symbols, 'assume = ["y[j] >= 1", "y[j] <= 0"]\nstatement = "K = 0"\n'
                    ).verdict != "refuted"


def test_an_entry_that_sympy_cancels_still_limits_the_indices(tmp_path: Path) -> None:
    # x[j] + 0*x[j + 5] >= 1 holds at the j with j and j + 5 both in 1..K: at K = 1 there is none, so x[1] = 0 is
    # allowed and "x[K] >= 1" (with K >= 1) is false. Never proved.
    symbols = 'K = "integer positive"\nx = "indexed real 1..K"'
    result = run_with(tmp_path, symbols, 'assume = ["x[j] + 0*x[j + 5] >= 1"]\nstatement = "x[K] >= 1"\n')
    assert result.verdict != "proved"
    # A name that cancels out of every index it is written in is an error that says so.
    path = tmp_path / "t.toml"
    path.write_text('[symbols]\np = "indexed real"\n[[claim]]\nid = "t"\ntitle = "t"\n'
                    'assume = ["p[j - j + 1] >= 0"]\nstatement = "p[1] >= 0"\n', encoding="utf-8")
    library = load_library(path)
    (outcome,) = verify_claim(library, library.claims[0]).outcomes
    assert outcome.verdict == "error" and "cancels out of every index" in (outcome.message or "")


def test_a_bound_read_before_a_symmetry(tmp_path: Path) -> None:
    # Antisymmetric and nonnegative: A[1, 2] >= 0 and A[1, 2] = -A[2, 1] <= 0, so A[1, 2] = 0, in either order of
    # the assumes; the antisymmetric part of a nonnegative family is not nonnegative, so A is not averaged.
    symbols = 'A = "indexed real"'
    for assume in ('["A[r, s] = -A[s, r]", "A[r, s] >= 0"]', '["A[r, s] >= 0", "A[r, s] = -A[s, r]"]'):
        assert run_with(tmp_path, symbols, f'assume = {assume}\nstatement = "A[1, 2] = 0"\n').verdict != "refuted"


def test_a_general_hypothesis_proves_through_its_instances(tmp_path: Path) -> None:
    # p[j] <= p[j + 1] for every j (p nondecreasing): p[1] <= p[2] <= p[3].
    symbols = 'p = "indexed real"'
    assert run_with(tmp_path, symbols, 'assume = ["p[j] <= p[j + 1]"]\nstatement = "p[1] <= p[3]"\n'
                    ).verdict == "proved"
    # y[j] = 2 x[j] for every j: y[1] + y[2] = 2 (x[1] + x[2]).
    symbols = 'x = "indexed real"\ny = "indexed real"'
    assert run_with(tmp_path, symbols, 'assume = ["y[j] = 2*x[j]"]\nstatement = "y[1] + y[2] = 2*x[1] + 2*x[2]"\n'
                    ).verdict == "proved"


def test_a_general_hypothesis_never_gives_a_counterexample(tmp_path: Path) -> None:
    # y[1] = x[1] is false for y = 2x (x[1] = 1), but a point gives values to finitely many entries, and whether the
    # rest can be chosen to satisfy an arbitrary hypothesis over all indices is not checked: unknown, never refuted.
    symbols = 'x = "indexed real"\ny = "indexed real"'
    result = run_with(tmp_path, symbols, 'assume = ["y[j] = 2*x[j]"]\nstatement = "y[1] = x[1]"\n')
    assert result.verdict == "unknown"


def test_a_ranged_family_is_constrained_inside_its_range_only(tmp_path: Path) -> None:
    # x[j] >= 1 for every j in 1..K, and x is 0 outside: x[0] = 0 is consistent, so "x[0] >= 1" is false (any K).
    symbols = 'K = "integer positive"\nx = "indexed real 1..K"'
    result = run_with(tmp_path, symbols, 'assume = ["x[j] >= 1"]\nstatement = "x[0] >= 1"\n')
    assert result.verdict == "refuted"
    # For the general kind, an instance outside the range is not used: x[j + 1] >= x[j] + 1 for j, j + 1 in 1..K
    # says nothing of x[K + 1] = 0, so "x[K + 1] >= x[K] + 1" is not proved (K = 1, x[1] = 1 makes it false).
    result = run_with(tmp_path, symbols, 'assume = ["x[j + 1] >= x[j] + 1"]\n'
                      'statement = "x[K + 1] >= x[K] + 1"\n')
    assert result.verdict != "proved"


def test_an_undeclared_name_outside_an_index_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text('[symbols]\nK = "integer positive"\n[[claim]]\nid = "t"\ntitle = "t"\n'
                    'assume = ["kk > 0"]\nstatement = "K > 0"\n', encoding="utf-8")
    library = load_library(path)
    (outcome,) = verify_claim(library, library.claims[0]).outcomes
    assert outcome.verdict == "error"
    assert "undeclared name 'kk'" in (outcome.message or "")


def test_a_hypothesis_with_two_variables_in_separate_entries(tmp_path: Path) -> None:
    # x[r] = x[s] for every r, s (a constant vector): x[1] = x[3], instance r = 1, s = 3.
    symbols = 'x = "indexed real"'
    assert run_with(tmp_path, symbols, 'assume = ["x[r] = x[s]"]\nstatement = "x[1] = x[3]"\n').verdict == "proved"
    # x[1] = 2 x[3] is false for the constant vector 1 (1 != 2): never proved; no counterexample is confirmed
    # under a hypothesis of this kind.
    assert run_with(tmp_path, symbols, 'assume = ["x[r] = x[s]"]\nstatement = "x[1] = 2*x[3]"\n'
                    ).verdict == "unknown"


def test_an_irrational_where_value_is_real() -> None:
    # pi/2 is a real number: its stand-in is real (else SymPy differentiates |cos(x)|^3 as a complex function, with
    # re and im of x); its sign is not read from a number that is not rational. 1/2 is read exactly.
    assert provable_assumptions(sp.pi / 2) == {"real": True}
    assert provable_assumptions(sp.Rational(1, 2)) == {"real": True, "positive": True, "nonnegative": True,
                                                       "nonzero": True}


def test_a_hypothesis_the_finite_domains_imply_restricts_nothing(tmp_path: Path) -> None:
    """``U[r]^2 = U[r]`` holds at every index of a family in {0, 1} (0 and 1 are their own squares, and the family is
    0 outside its range), so it restricts nothing: the claims are refuted as without it (the fuzzer, seed 1207:
    f1207.2904 and f1207.7897 were ``checked``). By hand: n = 1, m = -1 at x = 0 gives 0^0 = 1 on the left and
    0^1*0^(-1), undefined, on the right; the harmonic sum passes 8 at K = 1674. ``W[r]^2 = W[r]`` of a real family
    does restrict (to 0 and 1), and stays a hypothesis: Sum(W[j]^3 - W[j]) = 0 then holds, and is not refuted."""
    family = 'U = "indexed in {0, 1} 1..K"\nm = "integer"\nN = "integer"\n'

    def verdict(claim: str) -> str:
        path = tmp_path / "u.toml"
        header = HEADER.replace("[symbols]", '[symbols]\nW = "indexed real"').replace("[define]", family + "[define]")
        path.write_text(header + '\n[[claim]]\nid = "u"\ntitle = "u"\n' + claim, encoding="utf-8")
        library = load_library(path)
        assert not library.errors, library.errors
        return verify_claim(library, library.claims[0]).verdict

    assert verdict('assume = ["U[r]^2 = U[r]"]\nstatement = "x^(N + m) = x^N*x^m"\n') == "refuted"
    assert verdict('assume = ["U[r]^2 = U[r]"]\nstatement = "Sum(1/j, (j, 1, K)) <= 8"\n') == "refuted"
    assert verdict('assume = ["W[r]^2 = W[r]"]\nstatement = "Sum(W[j]^3 - W[j], (j, 1, K)) = 0"\n') != "refuted"
