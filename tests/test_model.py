"""The plain data of :mod:`verifier.model`: verdict order, expectations, obligations of a claim, JSON round trips,
and what makes a run fail (including ``--require-proof``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.cli import main
from verifier.model import (
    Chain,
    Claim,
    ClaimResult,
    Obligation,
    Outcome,
    RunResult,
    meets,
    not_read,
    obligations,
    worst,
)


def claim(**fields: object) -> Claim:
    base: dict = {"id": "c", "title": "t", "file": "f.toml", "line": 1}
    base.update(fields)
    return Claim(**base)


def result(verdict: str, expect: str = "holds") -> ClaimResult:
    r = ClaimResult(claim(expect=expect))
    r.outcomes.append(Outcome(Obligation("statement", "x = x", 2), verdict))    # type: ignore[arg-type]
    return r


@pytest.mark.parametrize("verdicts, expected", [
    ([], "proved"),
    (["proved", "checked"], "checked"),
    (["checked", "unknown"], "unknown"),
    (["unknown", "refuted", "proved"], "refuted"),
    (["refuted", "error"], "error"),
])
def test_the_worst_verdict_decides(verdicts: list, expected: str) -> None:
    assert worst(verdicts) == expected


@pytest.mark.parametrize("verdict, holds, refuted", [
    ("proved", True, False), ("checked", True, False), ("unknown", False, False), ("refuted", False, True),
    ("error", False, False),
])
def test_expectations(verdict: str, holds: bool, refuted: bool) -> None:
    assert meets(verdict, "holds") is holds      # type: ignore[arg-type]
    assert meets(verdict, "refuted") is refuted  # type: ignore[arg-type]


def test_obligations_in_the_order_written() -> None:
    """Two statements, a chain of three entries (two steps, the second written with <=), then the exists."""
    c = claim(statements=("a = a", "b = b"), statement_lines=(3, 4),
              chains=(Chain("d", ("x", "= y", "<= z"), (5, 6, 7)),), exists="x > 0", exists_line=8)
    got = [(ob.kind, ob.text, ob.line, ob.derivation, ob.index) for ob, _ in obligations(c)]
    assert got == [("statement", "a = a", 3, None, 1), ("statement", "b = b", 4, None, 2),
                   ("step", "x = y", 6, "d", 1), ("step", "y <= z", 7, "d", 2), ("exists", "x > 0", 8, None, None)]


def test_a_step_touching_an_entry_not_read_carries_the_readers_reason() -> None:
    """Entries 2 of 4 not read: steps 1 and 2 touch it (step 2's earlier entry is it), step 3 does not; statements
    and derivation files (no reasons) are never not read."""
    reason = "not read: '\\dots' at s.md:6:3"
    c = claim(statements=("a = a",), statement_lines=(3,),
              chains=(Chain("d", ("x", "= ? not read", "= y", "= z"), (5, 6, 7, 8),
                            unread=(None, reason, None, None)),))
    assert [not_read(c, origin) for _, origin in obligations(c)] == [None, reason, reason, None]
    plain = claim(chains=(Chain("d", ("x", "= y"), (5, 6)),))
    assert [not_read(plain, origin) for _, origin in obligations(plain)] == [None]


def test_an_outcome_survives_json() -> None:
    o = Outcome(Obligation("step", "x = y", 6, "d", 1), "checked", method="bounded check", seconds=0.25,
                sizes="K in 1..5: 5 of 5")
    back = Outcome.from_json(o.to_json())
    assert back == o
    assert o.to_json()["sizes"] == "K in 1..5: 5 of 5" and "counterexample" not in o.to_json()


def test_counts_and_ok() -> None:
    run = RunResult([result("proved"), result("checked"), result("refuted", "refuted"), result("unknown")], 1.0,
                    "v", "s")
    assert run.counts() == {"claims": 4, "proved": 1, "checked": 1, "unknown": 1, "refuted": 1, "error": 0,
                            "unexpected": 1}
    assert not run.ok                                     # the unknown one
    assert RunResult([result("proved"), result("checked")], 1.0, "v", "s").ok


def test_require_proof_fails_a_run_with_a_checked_claim() -> None:
    run = RunResult([result("proved"), result("checked")], 1.0, "v", "s", require_proof=True)
    assert [r.verdict for r in run.unproved()] == ["checked"] and not run.ok
    assert RunResult([result("proved")], 1.0, "v", "s", require_proof=True).ok
    assert RunResult([result("checked")], 1.0, "v", "s").unproved() == []


LIBRARY = """
[symbols]
K = "integer positive"

[[claim]]
id = "halves"
title = "floor and ceiling of halves"
statement = "floor(K/2) + ceiling(K/2) = K"
"""


def test_require_proof_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """floor(K/2) + ceiling(K/2) = K (true for every integer K) is checked, not proved: the run passes (exit 0) and
    the text report names the set; with --require-proof it fails (exit 1)."""
    path = tmp_path / "lib.toml"
    path.write_text(LIBRARY, encoding="utf-8")
    args = ["all", "--derivations", str(path), "--no-cache", "--jobs", "1", "--color", "never"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "halves statement: K in 1..5: 5 of 5" in out and "OK" in out
    assert main([*args, "--require-proof"]) == 1
    out = capsys.readouterr().out
    assert "FAILED (1 checked but not proved, with --require-proof)" in out
