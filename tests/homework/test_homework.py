"""The homework library (tests/homework/*.toml): ordinary deep-learning identities and inequalities, a third of them
typical wrong variants. Each claim's truth is established by hand beside it (a comment in its file), and written
into the file as ``expect``: a wrong verdict is a claim expected to hold that is refuted, or a wrong variant that is
proved or checked. The decided fraction (proved, checked or refuted) is reported and held to at least 90%."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.frontend.library import Library, load_library
from verifier.search.engine import verify_claim

ROOT = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def library() -> Library:
    lib = load_library(ROOT)
    assert not lib.errors, lib.errors
    return lib


def test_the_library_is_large_and_a_third_wrong(library: Library) -> None:
    claims = library.claims
    wrong = [c for c in claims if c.expect == "refuted"]
    assert len(claims) >= 60
    assert len(wrong) * 3 >= len(claims) - 3     # about a third


def test_no_wrong_verdict_and_most_decided(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    wrong, undecided = [], []
    for claim in library.claims:
        verdict = verify_claim(library, claim).verdict
        if verdict in ("unknown", "error"):
            undecided.append(claim.id)
        elif (verdict == "refuted") != (claim.expect == "refuted"):
            wrong.append((claim.id, verdict))
    decided = 1 - len(undecided) / len(library.claims)
    with capsys.disabled():
        print(f"\nhomework: {len(library.claims) - len(undecided)}/{len(library.claims)} decided "
              f"({decided:.0%}); undecided: {', '.join(undecided) or 'none'}")
    assert wrong == []
    assert decided >= 0.9
