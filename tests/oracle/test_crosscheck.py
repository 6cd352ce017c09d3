"""The cross-check: a verdict the reference evaluator shows wrong is withheld as ``unknown``, "internal
disagreement", and a right one is left alone. Each truth is worked out by hand beside it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sympy as sp

from tests.conftest import Run
from verifier.frontend.library import Library, load_library
from verifier.model import Claim, Outcome, obligations
from verifier.oracle.crosscheck import review

HEAD = """
[symbols]
u = "real"
z = "real"
m = "integer nonnegative"
K = "integer positive"
x = "indexed real 1..K"
p = "real (0, 1)"

[define]
"relu(v)" = "Piecewise((v, v > 0), (0, True))"
"sigma(t)" = "1/(1 + exp(-t))"
"""


def claim_text(cid: str, body: str) -> str:
    return f'\n[[claim]]\nid = "{cid}"\ntitle = "{cid}"\n{body}\n'


@pytest.fixture
def library(write_library: Callable[[dict[str, str]], Path]) -> Callable[[str], tuple[Library, Claim]]:
    def make(body: str) -> tuple[Library, Claim]:
        root = write_library({"c.toml": HEAD + claim_text("c", body)})
        lib = load_library(root)
        assert not lib.errors, lib.errors
        return lib, lib.claims[0]
    return make


def outcome(claim: Claim, verdict: str, n: int = 0, **evidence: object) -> Outcome:
    ob = obligations(claim)[n][0]
    # One second of engine time: the cross-check looks for a tenth of it.
    return Outcome(ob, verdict, method="by hand", seconds=1.0, **evidence)  # type: ignore[arg-type]


@pytest.mark.parametrize(("body", "point"), [
    # At u = -1 the Piecewise takes its second branch, -sqrt(1) = -1 < 0.
    ('statement = "Piecewise((sqrt(u), u >= 0), (-sqrt(-u), True)) >= 0"', "u = -1"),
    # At m = 0 the sum is empty: 0, not 2.
    ('statement = "Sum(2/m, (j, 1, m)) = 2"', "m = 0"),
    # relu(z) = z fails at every z < 0 (relu is 0 there).
    ('statement = "relu(z) = z"', "z = -"),
    # relu'(z) is 1 for z > 0 (and undefined at 0, where nothing is claimed).
    ('statement = "diff(relu(z), z) = 0"', "z = "),
    # A sum over x with K = 1: x[1] against 2*x[1], different unless x[1] = 0.
    ('statement = "Sum(x[j], (j, 1, K)) = 2*x[1]"', "K = "),
])
def test_a_wrong_proof_is_withheld(library: Callable[[str], tuple[Library, Claim]], body: str, point: str) -> None:
    lib, claim = library(body)
    out = review(lib, claim, outcome(claim, "proved"))
    assert out.verdict == "unknown"
    assert out.message is not None and out.message.startswith("internal disagreement: ")
    assert point in out.message


@pytest.mark.parametrize("body", [
    'statement = "relu(z) - relu(-z) = z"',                   # z > 0: z - 0; z < 0: 0 - (-z); z = 0: 0
    'statement = "Sum(2/m, (j, 1, m)) = 2"\nassume = ["m >= 1"]',  # m terms of 2/m
    'statement = "diff(sigma(z), z) = sigma(z)*(1 - sigma(z))"',
    'statement = "0 < sigma(z) < 1"',
    'statement = "Sum(x[j]^2, (j, 1, K)) >= 0"',
    'statement = "p*(1 - p) <= 1/4"',
    'statement = "u/u = 1"',                                  # its left side is undefined at u = 0: nothing claimed
])
def test_a_right_proof_stands(library: Callable[[str], tuple[Library, Claim]], body: str) -> None:
    lib, claim = library(body)
    original = outcome(claim, "proved")
    assert review(lib, claim, original) is original


def test_a_derivative_at_a_where_value(library: Callable[[str], tuple[Library, Claim]]) -> None:
    # sigma'(0) = 1/4 (sigma(0) = 1/2); 1/3 is wrong, and so is a proof of it.
    lib, claim = library('statement = "diff(sigma(z), z) = 1/4"\nwhere = { z = "0" }')
    assert review(lib, claim, outcome(claim, "proved")).verdict == "proved"
    lib, claim = library('statement = "diff(sigma(z), z) = 1/3"\nwhere = { z = "0" }')
    assert review(lib, claim, outcome(claim, "proved")).verdict == "unknown"


def test_counterexamples_and_witnesses_are_evaluated(library: Callable[[str], tuple[Library, Claim]]) -> None:
    lib, claim = library('statement = "relu(z) = z"')
    # At z = -2 relu is 0, not -2: a counterexample. At z = 3 it holds: no counterexample.
    assert review(lib, claim, outcome(claim, "refuted", counterexample={"z": "-2"})).verdict == "refuted"
    wrong = review(lib, claim, outcome(claim, "refuted", counterexample={"z": "3"}))
    assert wrong.verdict == "unknown" and "internal disagreement" in (wrong.message or "")
    # ReLU has no derivative at 0, so z = 0 is no witness of diff(relu(z), z) = 0 (any z < 0 is one).
    lib, claim = library('exists = "diff(relu(z), z) = 0"')
    assert review(lib, claim, outcome(claim, "proved", counterexample={"z": "0"})).verdict == "unknown"
    assert review(lib, claim, outcome(claim, "proved", counterexample={"z": "-1"})).verdict == "proved"
    # A point the declarations do not allow is no counterexample: p is in (0, 1).
    lib, claim = library('statement = "p < 1/2"')
    assert review(lib, claim, outcome(claim, "refuted", counterexample={"p": "1"})).verdict == "unknown"
    assert review(lib, claim, outcome(claim, "refuted", counterexample={"p": "3/4"})).verdict == "refuted"


def test_a_refutation_on_an_undefined_derivative_must_be_confirmed(
        library: Callable[[str], tuple[Library, Claim]]) -> None:
    # Max(z^3, 0) is differentiable at 0 (both one-sided slopes 0, by hand), so 0 = diff(Max(z^3, 0), z)*Min(z, 0)
    # holds at z = 0 (0 = 0*0): a refutation there that says the right side is undefined is withheld.
    lib, claim = library('statement = "0 = diff(Max(z^3, 0), z)*Min(z, 0)"')
    said = {"lhs": "0", "rhs": "undefined there (not a real number)"}
    out = review(lib, claim, outcome(claim, "refuted", counterexample={"z": "0"}, values=said))
    assert out.verdict == "unknown" and "the engine finds the rhs undefined" in (out.message or "")
    # ReLU has no derivative at 0 (one-sided slopes 0 and 1): there the same kind of refutation stands.
    lib, claim = library('statement = "0 = diff(relu(z), z)"')
    out = review(lib, claim, outcome(claim, "refuted", counterexample={"z": "0"}, values=said))
    assert out.verdict == "refuted", out.message


@pytest.mark.parametrize(("body", "point", "lhs"), [
    # acosh(cosh(u)) = |u| has one-sided slopes -1 and 1 at 0: no derivative there (its sign(0) = 0 is no value).
    ('statement = "sign(u) = diff(acosh(cosh(u)), u)"', "0", "0"),
    # tan is undefined at pi/2 (cos(pi/2) = 0), so atan(tan(u)) and 1/tan(u), as written, are, and so are their
    # derivatives, although 1/tan(u) has the continuous extension cot(u), 0 at pi/2.
    ('statement = "1 = diff(atan(tan(u)), u)"', "pi/2", "1"),
    ('statement = "-csc(u)^2 = diff(1/tan(u), u)"', "pi/2", "-1"),
])
def test_an_undefined_derivative_confirmed_at_a_kink_or_a_pole(
        library: Callable[[str], tuple[Library, Claim]], body: str, point: str, lhs: str) -> None:
    lib, claim = library(body)
    said = {"lhs": lhs, "rhs": "undefined there (not a real number)"}
    out = review(lib, claim, outcome(claim, "refuted", counterexample={"u": point}, values=said))
    assert out.verdict == "refuted", out.message
    # A little off the pole the derivative of 1/tan(u) is -csc(u)^2, defined: no counterexample there.
    out = review(lib, claim, outcome(claim, "refuted", counterexample={"u": "3/2"}, values=said))
    assert out.verdict == "unknown" and "internal disagreement" in (out.message or "")


def test_a_checked_bound_that_fails_past_the_checked_sizes(library: Callable[[str], tuple[Library, Claim]]) -> None:
    # The harmonic sum passes 8 at K = 1674 (H_1673 ≈ 7.9998, H_1674 ≈ 8.0004), so "checked" on K in 1..5 is wrong.
    lib, claim = library('statement = "Sum(1/j, (j, 1, K)) <= 8"')
    out = review(lib, claim, outcome(claim, "checked", sizes="K in 1..5"))
    assert out.verdict == "unknown" and "K = 2000" in (out.message or "")


def test_a_hypothesis_over_all_indices_is_left_alone(library: Callable[[str], tuple[Library, Claim]]) -> None:
    # x[j] > 0 for every j: the evaluator does not look at every instance, so it leaves the verdict as it is.
    lib, claim = library('statement = "x[1] > 0"\nassume = ["x[j] > 0"]')
    original = outcome(claim, "proved")
    assert review(lib, claim, original) is original


def test_a_hypothesis_over_all_indices_about_other_names_is_left_out(
        library: Callable[[str], tuple[Library, Claim]]) -> None:
    # relu(z) = z is false at z = -1 (relu is 0 there); x[j] <= x[j + 1] says nothing about z (outside red team,
    # round 3, r3c.10: such a hypothesis switched the check off), so a proof is still withheld.
    lib, claim = library('statement = "relu(z) = z"\nassume = ["x[j] <= x[j + 1]"]')
    out = review(lib, claim, outcome(claim, "proved"))
    assert out.verdict == "unknown" and "internal disagreement" in (out.message or "")


def test_a_counterexample_that_leaves_names_out_holds_for_all_of_them(
        library: Callable[[str], tuple[Library, Claim]]) -> None:
    # u^2 + z^2 >= 0 holds everywhere (a sum of squares): {z: 1} leaves u out, and at every drawn u it holds there,
    # so it is no counterexample (outside red team, round 3, r3c.9: counterexamples that leave names out).
    lib, claim = library('statement = "u^2 + z^2 >= 0"')
    out = review(lib, claim, outcome(claim, "refuted", counterexample={"z": "1"}))
    assert out.verdict == "unknown" and "leaves out" in (out.message or "")
    # At m = 0 the sum is empty (0, not 1) whatever z is: a counterexample that leaves z out stands.
    lib, claim = library('statement = "Sum(z, (j, 1, m)) = 1"')
    assert review(lib, claim, outcome(claim, "refuted", counterexample={"m": "0"})).verdict == "refuted"


def test_a_counterexample_that_leaves_entries_out_is_evaluated_at_drawn_entries(
        library: Callable[[str], tuple[Library, Claim]]) -> None:
    # d/dx[2] of |x[1]| + |x[2]| at x[2] = 0 does not exist (slopes -1 and 1) whatever x[1] is (outside red team,
    # round 3, r3c.4): the counterexample {K: 2, x[2]: 0} stands, though it does not give x[1].
    lib, claim = library('statement = "0 = diff(Sum(Abs(x[j]), (j, 1, K)), x[2])"')
    said = {"lhs": "0", "rhs": "undefined there (not a real number)"}
    out = review(lib, claim, outcome(claim, "refuted", counterexample={"K": "2", "x[2]": "0"}, values=said))
    assert out.verdict == "refuted", out.message


def forge(monkeypatch: pytest.MonkeyPatch) -> None:
    """Break a kernel rule on purpose (``Abs(u) = u`` for every u), and turn the engine's own search for
    counterexamples off, so that only the cross-check stands between a forged proof and the report."""
    from verifier.kernel import rules
    from verifier.search import engine

    real = rules._by_sign

    def forged(e: sp.Basic, facts: object) -> sp.Basic:
        return e.args[0] if isinstance(e, sp.Abs) else real(e, facts)  # type: ignore[arg-type]

    monkeypatch.setattr(rules, "_by_sign", forged)
    for name in ("_probe", "_solver_model", "_integer_model"):
        monkeypatch.setattr(engine, name, lambda *a, **k: None)


def test_a_forged_proof_is_caught(library: Callable[[str], tuple[Library, Claim]],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The forged rule proves ``Abs(z - 1) = z - 1``, false at z = 0 (|-1| = 1, not -1); the cross-check withholds
    it."""
    from verifier.search import engine
    forge(monkeypatch)
    lib, claim = library('statement = "Abs(z - 1) = z - 1"')
    (ob, built), = engine.library_problems(lib, claim)
    assert engine.settle_obligation(ob, built).verdict == "proved"       # the forged rule at work
    result = engine.verify_claim(lib, claim)
    (out,) = result.outcomes
    assert out.verdict == "unknown"
    assert out.message is not None and out.message.startswith("internal disagreement: at z = ")


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "github", "markdown", "html"])
def test_the_disagreement_is_shown_in_every_format(write_library: Callable[[dict[str, str]], Path],
                                                   verify_cli: Callable[..., Run], fmt: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # The workers are forked after the rule is forged, so they run it too.
    forge(monkeypatch)
    write_library({"c.toml": HEAD + claim_text("c", 'statement = "Abs(z - 1) = z - 1"')})
    run = verify_cli("all", "--format", fmt)
    assert run.code == 1
    assert "internal disagreement" in run.out


def test_a_proof_that_loses_a_side_undefined_after_a_where_is_withheld(
        library: Callable[[str], tuple[Library, Claim]]) -> None:
    # sqrt(z^2*u) = z*sqrt(u) at z = 0 (an outside red team, ra.a30): the left side is sqrt(0) = 0 for every u,
    # the right side 0*sqrt(u) is undefined for u < 0 (section 2a), so the claim is false at u = -1. The engine
    # proves it (SymPy folds 0*sqrt(u) to 0 after the where value is put in); the cross-check must withhold that.
    lib, claim = library('statement = "sqrt(z^2*u) = z*sqrt(u)"\nwhere = { z = "0" }')
    out = review(lib, claim, outcome(claim, "proved"))
    assert out.verdict == "unknown" and "internal disagreement" in (out.message or "")
