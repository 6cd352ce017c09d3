"""Tests of verifier.display.prepare: what an obligation shows in the reports (built in the worker) and what a
claim's Display carries for ``verify show``, computed from its library; out of time, nothing is built and the
reports show text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from verifier.display.prepare import Renderer, for_show
from verifier.frontend.library import load_library
from verifier.frontend.problem_builder import library_problems
from verifier.model import ClaimResult, Obligation, Outcome, RunResult, obligations

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
    result = run.results[0]
    shown = Renderer(load_library(folder)).shown(result.claim, 0, result.outcomes[0], lambda: None)
    assert [e.text for e in shown.entries] == ["(x + 1)^2", "x^2 + 1"]
    assert all(e.mathml is not None and e.mathml.startswith("<math") for e in shown.entries)
    # 4 and 2 are exact as decimals (no approximation); log(2) = 0.69314718056 (mpmath, by hand to 11 digits).
    assert shown.approximations == {"-log(2)": "-0.6931471806"}


def test_a_refuted_step_is_plotted_through_its_counterexample(refuted: tuple[RunResult, Path]) -> None:
    run, folder = refuted
    library = load_library(folder)
    result = run.results[0]
    problems = dict(library_problems(library, result.claim))
    shown = Renderer(library).shown(result.claim, 0, result.outcomes[0],
                                    lambda: problems[result.outcomes[0].obligation])
    # Along x through x = 1: (1 + 1)^2 = 4 and 1^2 + 1 = 2 there (by hand).
    assert shown.plot is not None and shown.plot.label == "x" and shown.plot.center == 1.0
    assert shown.plot.at == (4.0, 2.0)


def test_a_relation_that_does_not_build_is_text(refuted: tuple[RunResult, Path]) -> None:
    run, folder = refuted
    result = run.results[0]
    outcome = Outcome(Obligation("statement", "x + zz = x", 3), "error")
    shown = Renderer(load_library(folder)).shown(result.claim, 5, outcome, lambda: None)
    assert [(e.text, e.mathml) for e in shown.entries] == [("x + zz = x", None)]


def test_out_of_time_nothing_is_built(refuted: tuple[RunResult, Path]) -> None:
    run, folder = refuted
    result = run.results[0]
    shown = Renderer(load_library(folder)).shown(result.claim, 0, result.outcomes[0], lambda: None, budget=0.0)
    assert [e.mathml for e in shown.entries] == [None, None] and shown.plot is None
    assert [e.text for e in shown.entries] == ["(x + 1)^2", "x^2 + 1"]


def test_show_gets_the_relation_as_built_pretty_printed(refuted: tuple[RunResult, Path]) -> None:
    run, folder = refuted
    result = run.results[0]
    library = load_library(folder)
    problems = dict(library_problems(library, result.claim))
    shown = Renderer(library, columns=80).shown(result.claim, 0, result.outcomes[0],
                                                lambda: problems[result.outcomes[0].obligation])
    pretty = shown.pretty
    assert pretty is not None and "2" in pretty and "(x + 1)" in pretty and "=" in pretty
    # Without columns (the page, the JSON report), nothing is pretty-printed.
    assert Renderer(library).shown(result.claim, 0, result.outcomes[0], lambda: None).pretty is None


def test_show_gets_the_sheet_lines_it_was_read_from(tmp_path: Path) -> None:
    # The sheet's line 2 reads "2 a = a + a": the step's entries are at columns 3 and 9, each read as written.
    (tmp_path / "s.md").write_text("**Answer 1.1**\n$$2 a = a + a$$\n", encoding="utf-8")
    (tmp_path / "s.notation.toml").write_text('[symbols]\na = "real"\n', encoding="utf-8")
    library = load_library(tmp_path / "s.md")
    (claim,) = library.claims
    ((obligation, _),) = obligations(claim)
    result = ClaimResult(claim, [Outcome(obligation, "proved")])
    for_show(result, library)
    assert result.display is not None
    lines = [" ".join(line.split()) for line in result.display.sheet_lines[0]]
    assert lines == ["2:3 2 a", "read as: 2 * a", "2:9 = a + a", "read as: a + a"]
