"""Tests of verifier.display.prepare: what a claim's Display carries for the HTML page and for ``verify show``,
computed from its library; out of time, nothing is built and the reports show text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from verifier.display.prepare import for_page, for_show
from verifier.frontend.library import load_library
from verifier.model import ClaimResult, Outcome, RunResult, obligations

LIBRARY = """\
[symbols]
x = "real"

[[claim]]
id = "t.1"
title = "A wrong square"
steps = ["(x + 1)^2", "x^2 + 1"]
"""


@pytest.fixture
def refuted(write_library: Callable[[dict[str, str]], Path]) -> tuple[RunResult, Path]:
    """The claim with its one step refuted at x = 1: (1 + 1)^2 = 4 against 1^2 + 1 = 2 (by hand)."""
    folder = write_library({"t.toml": LIBRARY})
    library = load_library(folder)
    (claim,) = library.claims
    ((obligation, _),) = obligations(claim)
    outcome = Outcome(obligation, "refuted", counterexample={"x": "1"},
                      values={"lhs": "4", "rhs": "2", "note": "-log(2)"})
    return RunResult([ClaimResult(claim, [outcome])], 0.0, "0", "0"), folder


def test_the_page_gets_mathml_of_each_entry_and_approximations(refuted: tuple[RunResult, Path]) -> None:
    run, folder = refuted
    for_page(run, load_library(folder))
    display = run.results[0].display
    assert display is not None
    assert set(display.entries) == {("(x + 1)^2", True), ("x^2 + 1", False)}
    assert all(math.startswith("<math") for math in display.entries.values())
    # 4 and 2 are exact as decimals (no approximation); log(2) = 0.69314718056 (mpmath, by hand to 11 digits).
    assert display.approximations == {"-log(2)": "-0.6931471806"}


def test_a_claim_whose_file_is_gone_gets_no_mathml(refuted: tuple[RunResult, Path]) -> None:
    run, folder = refuted
    (folder / "t.toml").unlink()
    for_page(run)       # no library given: read again from the claim's file, which is gone
    display = run.results[0].display
    assert display is not None and display.entries == {} and display.relations == {}


def test_out_of_time_nothing_is_built(refuted: tuple[RunResult, Path]) -> None:
    run, folder = refuted
    for_page(run, load_library(folder), budget=0.0)
    display = run.results[0].display
    assert display is not None and display.entries == {} and display.plots == {}


def test_show_gets_the_relation_as_built_pretty_printed(refuted: tuple[RunResult, Path]) -> None:
    run, folder = refuted
    result = run.results[0]
    for_show(result, load_library(folder), columns=80)
    assert result.display is not None
    pretty = result.display.pretty[0]
    assert "2" in pretty and "(x + 1)" in pretty and "=" in pretty
