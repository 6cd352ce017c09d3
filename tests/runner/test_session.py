"""Tests of verifier.runner.session: claims settled from the cache where it has them and by workers otherwise, with
each claim's result reported as it settles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from verifier.frontend.library import load_library
from verifier.model import ClaimResult
from verifier.runner.cache import CACHE_DIR
from verifier.runner.session import SessionOptions, settle

LIBRARY = """\
[symbols]
x = "real"

[[claim]]
id = "t.1"
title = "Doubling"
statement = "x + x = 2*x"

[[claim]]
id = "t.2"
title = "Off by one"
statement = "x + 1 = x"
expect = "refuted"
"""


@pytest.fixture
def library_folder(write_library: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = write_library({"t.toml": LIBRARY})
    monkeypatch.chdir(folder.parent)
    return folder


def test_claims_settle_in_order_and_each_is_reported(library_folder: Path) -> None:
    library = load_library(library_folder)
    seen: list[ClaimResult] = []
    run = settle(library, list(library.claims), SessionOptions(jobs=1, use_cache=False), on_claim=seen.append)
    # x + x = 2x holds for every x; x + 1 = x holds for none (1 = 0), by hand.
    assert [(r.claim.id, r.verdict) for r in run.results] == [("t.1", "proved"), ("t.2", "refuted")]
    assert sorted(r.claim.id for r in seen) == ["t.1", "t.2"]
    assert run.ok and not run.interrupted
    assert not (library_folder.parent / CACHE_DIR).exists()       # no cache asked for: none written


def test_a_second_session_takes_its_results_from_the_cache(library_folder: Path) -> None:
    library = load_library(library_folder)
    first = settle(library, list(library.claims), SessionOptions(jobs=1))
    assert not any(r.cached for r in first.results)
    again = settle(load_library(library_folder), list(library.claims), SessionOptions(jobs=1))
    assert all(r.cached for r in again.results)
    assert [r.verdict for r in again.results] == [r.verdict for r in first.results]
