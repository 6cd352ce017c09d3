"""The engine on small libraries: true identities are proved, false ones refuted with a counterexample that the
test re-checks with plain SymPy arithmetic, and what cannot be settled is unknown."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from recheck import fails_at

from verifier.search.engine import verify_claim
from verifier.frontend.loader import load_library
from verifier.model import ClaimResult

HEADER = """
[symbols]
x = "real"
y = "in {0, 1}"
p = "positive"
K = "integer positive"
i = "integer 1..K"
k = "integer 1..K"
v = "indexed real"
g = "indexed real 1..K"

[define]
"sigma(z)" = "1/(1 + exp(-z))"
"S(u, r)" = "exp(u[r]) / Sum(exp(u[j]), (j, 1, K))"
"""


def run(tmp_path: Path, claim: str) -> ClaimResult:
    """Verify one claim written in TOML (with the shared header above) in this process."""
    path = tmp_path / "t.toml"
    path.write_text(HEADER + "\n[[claim]]\nid = \"t\"\ntitle = \"t\"\n" + textwrap.dedent(claim), encoding="utf-8")
    library = load_library(path)
    assert not library.errors, library.errors
    return verify_claim(library, library.claims[0])


TRUE = [
    ('statement = "x + x = 2*x"', "proved"),
    ('statement = "sigma(x) + sigma(-x) = 1"', "proved"),
    ('statement = "diff(sigma(x), x) = sigma(x)*(1 - sigma(x))"', "proved"),
    ('statement = "(tanh(x/2) + 1)/2 = sigma(x)"', "proved"),
    ('statement = "0 < sigma(x) < 1"', "proved"),
    ('statement = "limit(sigma(x), x, oo) = 1"', "proved"),
    ('statement = "S(v + x, i) = S(v, i)"', "proved"),
    ('statement = "diff(S(v, i), v[k]) = KroneckerDelta(i, k)*S(v, i) - S(v, i)*S(v, k)"', "proved"),
    ('statement = "Sum(g[j], (j, 1, K)) = Sum(g[j], (j, 0, K + 3))"', "proved"),
    ('statement = "-y*log(sigma(x)) - (1 - y)*log(1 - sigma(x)) = -log(sigma(x)^y*(1 - sigma(x))^(1 - y))"',
     "proved"),
    ('steps = ["[1, 2, 3][2]", "2"]', "proved"),
    ('exists = "x^2 - 2*x < 0"', "proved"),
    ('statement = "sqrt(p^2) = p"', "proved"),
]

FALSE = [
    'statement = "x + 1 = x"',
    'statement = "sigma(x) = 1 - sigma(x)"',
    'statement = "diff(S(v, i), v[k]) = -S(v, i)*S(v, k)"',
    'statement = "Sum(v[j], (j, 1, K)) = Sum(v[j], (j, 1, K - 1))"',
    'statement = "Sum(g[j], (j, 1, K)) = Sum(g[j], (j, 2, K))"',
    'steps = ["x^2", "x*x", "x*x + 1"]',
    'statement = "[1, 2, 3] = [1, 2, 4]"',
    'statement = "sigma(x) < 1/2"',
]


@pytest.mark.parametrize("claim, verdict", TRUE)
def test_true_claims_are_proved(tmp_path: Path, claim: str, verdict: str) -> None:
    result = run(tmp_path, claim)
    assert [o.verdict for o in result.outcomes] == [verdict] * len(result.outcomes), result.outcomes


@pytest.mark.parametrize("claim", FALSE)
def test_false_claims_are_refuted_with_a_counterexample_that_rechecks(tmp_path: Path, claim: str) -> None:
    result = run(tmp_path, claim)
    assert result.verdict == "refuted", result.outcomes
    failing = result.first_failure()
    assert failing is not None and failing.counterexample is not None and failing.values is not None
    library = load_library(tmp_path / "t.toml")
    assert fails_at(library, library.claims[0], failing)


def test_real_branch_cuts_are_not_proved(tmp_path: Path) -> None:
    """log(a*b) = log(a) + log(b) and sqrt(x^2) = x are false for real values (a = b = -1; x = -1)."""
    result = run(tmp_path, 'statement = "sqrt(x^2) = x"')
    assert result.verdict in ("refuted", "unknown")
    assert result.verdict != "proved"


def test_a_hypothesis_decides_a_delta(tmp_path: Path) -> None:
    result = run(tmp_path, 'assume = ["k != i"]\nstatement = "KroneckerDelta(i, k) = 0"')
    assert result.verdict == "proved"
    without = run(tmp_path, 'statement = "KroneckerDelta(i, k) = 0"')
    assert without.verdict == "refuted"
    assert without.first_failure().counterexample["i"] == without.first_failure().counterexample["k"]


def test_out_of_range_entries_are_zero_in_counterexamples(tmp_path: Path) -> None:
    result = run(tmp_path, 'statement = "g[K + 1] = 1"')
    assert result.verdict == "refuted"
    assert result.first_failure().values["lhs"] == "0"


def test_unknown_when_nothing_settles(tmp_path: Path) -> None:
    result = run(tmp_path, 'statement = "sin(x)^2 + cos(x)^2 = 1"')
    assert result.verdict == "unknown"
    assert "tried" in (result.first_failure().message or "")


def test_an_input_error_is_an_error_verdict_naming_the_line(tmp_path: Path) -> None:
    result = run(tmp_path, 'statement = ["x = x", "nope(x) = 1"]')
    assert [o.verdict for o in result.outcomes] == ["proved", "error"]
    assert result.outcomes[1].bad_input and "unknown function 'nope'" in (result.outcomes[1].message or "")
    assert "t.toml:" in (result.outcomes[1].message or "")


@pytest.mark.parametrize("claim, sizes", [
    ('statement = "floor(K/2) + ceiling(K/2) = K"', "K in 1..5 (5 instances)"),
    ('statement = "floor(i/2) + ceiling(i/2) = i"\nwhere = { K = 4 }', "i in 1..4 (4 instances)"),
    ('statement = "floor(K/2) + ceiling(K/2) = K"\nsizes = { K = "3..8" }', "K in 3..8 (6 instances)"),
])
def test_what_no_rule_proves_is_checked_on_a_named_set(tmp_path: Path, claim: str, sizes: str) -> None:
    result = run(tmp_path, claim)
    assert [o.verdict for o in result.outcomes] == ["checked"]
    assert result.outcomes[0].sizes == sizes


def test_a_bounded_check_finds_what_sampling_missed(tmp_path: Path) -> None:
    """False only at K = 5: the early probes use small sizes, the bounded check finds it and refutes it."""
    result = run(tmp_path, 'statement = "KroneckerDelta(K, 5) = 0"')
    assert result.verdict == "refuted"
    assert result.first_failure().counterexample == {"K": "5"}


def test_a_bad_where_points_at_its_own_line(tmp_path: Path) -> None:
    result = run(tmp_path, 'statement = "y = y"\n\nwhere = { y = 2 }')
    (outcome,) = result.outcomes
    assert outcome.verdict == "error" and outcome.bad_input
    where_line = (tmp_path / "t.toml").read_text(encoding="utf-8").splitlines().index("where = { y = 2 }") + 1
    assert f"t.toml:{where_line}: where: y = 2 is not in its domain {{0, 1}}" in (outcome.message or "")
