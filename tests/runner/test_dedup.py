"""Identical obligations settled once per run: content keys (the same text in the same context, wherever it is
written), the engine called once per distinct obligation, and each copy's outcome at its own place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import verifier.search.engine
from verifier.frontend.library import Library, load_library
from verifier.model import Obligation, Outcome
from verifier.runner.dedup import obligation_keys, relocated
from verifier.runner.executor import run_obligations

SUBMISSION = """\
question = "q1"
[symbols]
x = "real"

[[claim]]
id = "{id}"
title = "t"
statement = "x + x = 2*x"
steps = ["(x + 1)^2", "x^2 + 2*x + 1", "x^2 + 2*x + 2"]
"""


def library(tmp_path: Path, files: dict[str, str]) -> Library:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return load_library(tmp_path, display_root=tmp_path)


def test_the_same_text_in_the_same_context_has_the_same_key(tmp_path: Path) -> None:
    # bob's copy has a comment line and more spaces: positions move, nothing that is built changes.
    bob = "# graded\n" + SUBMISSION.format(id="bob.1").replace('statement = "', 'statement   =   "')
    lib = library(tmp_path, {"alice.toml": SUBMISSION.format(id="alice.1"), "bob.toml": bob})
    alice_keys, bob_keys = obligation_keys(lib, lib.claims)
    assert alice_keys == bob_keys and len(set(alice_keys)) == 3


def test_a_different_declaration_or_hypothesis_changes_the_key(tmp_path: Path) -> None:
    positive = SUBMISSION.format(id="p.1").replace('x = "real"', 'x = "positive"')
    assumed = SUBMISSION.format(id="a.1").replace('title = "t"', 'title = "t"\nassume = ["x > 1"]')
    lib = library(tmp_path, {"r.toml": SUBMISSION.format(id="r.1"), "p.toml": positive, "a.toml": assumed})
    keys = obligation_keys(lib, lib.claims)
    for n in range(3):
        assert len({k[n] for k in keys}) == 3


def test_a_first_entry_that_starts_with_a_relation_is_not_a_later_one(tmp_path: Path) -> None:
    # ["= a", "b"] is an error (a chain's first entry cannot start with a relation); ["c", "= a", "b"]'s second step
    # is the same two texts but a valid step: they must not share an outcome.
    first = 'question = "q"\n[symbols]\na = "real"\nb = "real"\n[[claim]]\nid = "f"\ntitle = "t"\n' \
            'steps = ["= a", "b"]\n'
    later = first.replace('id = "f"', 'id = "g"').replace('steps = ["= a", "b"]', 'steps = ["a", "= a", "b"]')
    lib = library(tmp_path, {"f.toml": first, "g.toml": later})
    (f_key,), (_, g_key) = obligation_keys(lib, lib.claims)
    assert f_key != g_key


def test_each_distinct_obligation_is_settled_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"s{n}.toml": SUBMISSION.format(id=f"s{n}.1") for n in range(5)}
    lib = library(tmp_path, files)
    calls = tmp_path / "calls.txt"
    real = verifier.search.engine.settle_obligation

    def counted(ob: Obligation, problem: Any) -> Outcome:
        with open(calls, "a", encoding="utf-8") as out:   # forked workers inherit this patch
            out.write(ob.text + "\n")
        return real(ob, problem)

    monkeypatch.setattr(verifier.search.engine, "settle_obligation", counted)
    results, _ = run_obligations(lib, lib.claims, jobs=2, timeout=60)
    assert len(calls.read_text(encoding="utf-8").splitlines()) == 3
    # By hand: x + x = 2x holds; (x + 1)^2 = x^2 + 2x + 1 holds; x^2 + 2x + 1 = x^2 + 2x + 2 never does.
    assert all([o.verdict for o in r.outcomes] == ["proved", "proved", "refuted"] for r in results)
    assert [o.obligation.line for o in results[3].outcomes] == [8, 9, 9]
    assert all(r.claim.file == f"s{n}.toml" for n, r in enumerate(results))


def test_an_error_is_reported_at_each_copy_s_own_place(tmp_path: Path) -> None:
    bad = SUBMISSION.format(id="{id}").replace("x + x = 2*x", "x + y = 2*x")
    lib = library(tmp_path, {"a.toml": bad.format(id="a.1"), "b.toml": "\n\n" + bad.format(id="b.1")})
    results, _ = run_obligations(lib, lib.claims, jobs=1, timeout=60)
    # `statement = "x + y = 2*x"`: the text starts at column 14, y is its 5th character: column 18.
    assert results[0].outcomes[0].message.startswith("a.toml:8:18: undeclared name 'y'")
    assert results[1].outcomes[0].message.startswith("b.toml:10:18: undeclared name 'y'")


def test_relocated_moves_only_the_first_obligation_s_own_place() -> None:
    first = Obligation("statement", "x = y", 8, column=14)
    copy = Obligation("statement", "x = y", 20, column=16)
    error = Outcome(first, "error", message="a.toml:8:18: undeclared name 'y'", bad_input=True, seconds=0.2)
    moved = relocated(error, "a.toml", "b.toml", copy)
    assert moved is not None and moved.message == "b.toml:20:20: undeclared name 'y'" and moved.seconds == 0.0
    elsewhere = Outcome(first, "error", message="a.toml:3:1: symbol 'y' ...", bad_input=True)
    assert relocated(elsewhere, "a.toml", "b.toml", copy) is None
    shared = Outcome(first, "error", message="_common.toml:3:7: bad declaration", bad_input=True)
    assert relocated(shared, "a.toml", "b.toml", copy).message == "_common.toml:3:7: bad declaration"


def test_a_step_not_read_at_a_place_of_its_sheet_is_settled_for_each_sheet() -> None:
    # The reading charged is the first sheet's (a.md:4:9): shared, the copy in b.md would name a place in a.md.
    first = Obligation("step", "x = y", 4, "line 4", 1)
    copy = Obligation("step", "x = y", 7, "line 7", 1)
    unread = Outcome(first, "unknown", message="not read: undeclared name 'y' (in the reading of a.md:4:9)")
    assert relocated(unread, "a.md", "b.md", copy) is None
    unknown = Outcome(first, "unknown", message="not read: '\\dots' at _common.md:2:1")     # no place of a.md
    assert relocated(unknown, "a.md", "b.md", copy) is not None
