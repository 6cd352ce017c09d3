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
