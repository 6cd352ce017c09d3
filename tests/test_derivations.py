"""The bundled derivations: every claim meets its expectation, and every refuted obligation carries a
counterexample that re-checks without the trusted checker (plain SymPy evaluation at 60 digits)."""

from __future__ import annotations

from pathlib import Path

import pytest
from recheck import fails_at

from verifier.frontend.library import Library, load_library
from verifier.search.engine import verify_claim

ROOT = Path(__file__).resolve().parent.parent / "derivations"


@pytest.fixture(scope="module")
def library() -> Library:
    lib = load_library(ROOT)
    assert not lib.errors, lib.errors
    return lib


def test_the_library_has_every_claim_of_the_answer_sheet(library: Library) -> None:
    ids = {c.id for c in library.claims}
    expected = {f"q1.{n}" for n in range(1, 8)} | {f"q2.{n}" for n in range(1, 5)} | {"q3"} | \
        {f"q4.{n}" for n in range(1, 4)} | {f"q5.{n}" for n in range(1, 7)}
    assert ids == expected


def test_refuted_claims_are_explained(library: Library) -> None:
    for claim in library.claims:
        if claim.expect == "refuted":
            assert claim.note and "Mistake" in claim.note, claim.id


@pytest.mark.slow
@pytest.mark.parametrize("cid", [f"q{q}" for q in range(1, 6)])
def test_each_question_meets_its_expectations(library: Library, cid: str) -> None:
    for claim in library.select([cid]):
        result = verify_claim(library, claim)
        assert result.as_expected, (claim.id, [(o.obligation.text, o.verdict, o.message) for o in result.outcomes])
        assert all(o.verdict != "unknown" and o.verdict != "error" for o in result.outcomes), claim.id
        for outcome in result.outcomes:
            if outcome.verdict == "refuted":
                assert outcome.counterexample is not None and outcome.values is not None
                assert fails_at(library, claim, outcome), (claim.id, outcome.obligation.text)
            if outcome.verdict == "checked":
                assert outcome.sizes, claim.id


@pytest.mark.slow
def test_the_cli_reports_on_the_bundled_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """`verify q2.4 --format json` is the spec's JSON; `verify all --format junit` has one testcase per claim."""
    import json
    import xml.etree.ElementTree as ET

    from verifier.cli import main

    monkeypatch.chdir(tmp_path)  # the cache goes to this folder, not the repository
    assert main(["q2.4", "--derivations", str(ROOT), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["format"] == 1 and set(report) >= {"tool", "summary", "claims"}
    (claim,) = report["claims"]
    assert claim["id"] == "q2.4" and claim["verdict"] == "refuted" and claim["as_expected"] is True
    refuted = [o for o in claim["obligations"] if o["verdict"] == "refuted"]
    assert refuted and all(o["counterexample"] and {"lhs", "rhs"} <= set(o["values"]) for o in refuted)
    assert {o["kind"] for o in claim["obligations"]} == {"statement", "step"}

    assert main(["all", "--derivations", str(ROOT), "--format", "junit"]) == 0
    suite = ET.fromstring(capsys.readouterr().out)
    cases = suite.findall(".//testcase")
    assert len(cases) == 21 and not suite.findall(".//failure") and not suite.findall(".//error")
