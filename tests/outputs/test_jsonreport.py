"""Tests of verifier.outputs.jsonreport: JSON reports read back from files nobody checked."""

from __future__ import annotations

import pytest

from verifier.errors import UsageError
from verifier.outputs.jsonreport import load_report


@pytest.mark.parametrize("depth", [2_000, 100_000])
def test_a_report_nested_too_deeply_is_refused_naming_the_file(depth: int) -> None:
    # Arrays nested past the interpreter's recursion limit: json.loads raises RecursionError, which is no report.
    text = "[" * depth + "]" * depth
    with pytest.raises(UsageError, match=r"deep\.json: not a report .*nested too deeply"):
        load_report(text, "deep.json")


def test_merged_shards_keep_each_sheets_claims_in_error() -> None:
    from verifier.model import Claim, ClaimResult, Obligation, Outcome, RunResult
    from verifier.outputs.jsonreport import merge_reports

    def shard(cid: str) -> RunResult:
        result = ClaimResult(Claim(cid, "t", "s.md", 1), [Outcome(Obligation("step", "x = 1", 3), "error")])
        entry: dict[str, object] = {"sheet": "s.md", "claims": 1, "wrong": [], "not_read": [], "outside": [],
                                    "errors": [{"claim": cid, "lines": [3]}]}
        return RunResult([result], 1.0, "0", "0", sheets=[entry])

    joined = merge_reports([shard("q1.1"), shard("q1.2")])
    assert joined.sheets is not None
    assert joined.sheets[0]["errors"] == [{"claim": "q1.1", "lines": [3]}, {"claim": "q1.2", "lines": [3]}]
