"""Tests of what stands for an obligation of a sheet's claim that cannot be built: a reading of the sheet not read
(``unknown``, charged to the entry whose building failed), an error of the notation table kept, an error of a file
the table uses kept without what the file says; a derivation file's claim untouched. Decided from where the error
is located, as the problem is built, with no message read."""

from __future__ import annotations

import pytest

from verifier.errors import EngineFault, ExpressionError, NotRead
from verifier.frontend.problem_builder import ProblemBuilder
from verifier.frontend.scope import Scope
from verifier.frontend.unbuilt import unbuilt
from verifier.model import Chain, Claim, SheetEntry, obligations

ENTRIES = (SheetEntry("s.md:3:3", None, "a"), SheetEntry("s.md:3:9", "=", "Sum(j, (j, 1, 2))"),
           SheetEntry("s.md:4:5", "=", "j"))


def _claim(table: str | None = "s.notation.toml") -> Claim:
    steps = ("a", "= Sum(j, (j, 1, 2))", "= j")
    chain = Chain("line 3", steps, (3, 3, 4), unread=(None, None, None), entries=ENTRIES if table else ())
    return Claim(id="q1.1", title="Answer 1.1", file="s.md", line=1, chains=(chain,), table=table)


@pytest.mark.parametrize("failed, at", [(2, "s.md:4:5"), (1, "s.md:3:9"), (None, "s.md:4:5")])
def test_an_error_in_the_sheet_is_a_reading_not_read(failed: int | None, at: str) -> None:
    # Step 2 relates entries 1 and 2: the entry that failed to build is named; none (the step as a whole), its own.
    err = ExpressionError("undeclared name 'j'", file="s.md", line=4)
    out = unbuilt(_claim(), ("step", 0, 1), err, failed)
    assert isinstance(out, NotRead)
    assert out.message == f"not read: undeclared name 'j' (in the reading of {at})" and str(out) == out.message


def test_an_error_of_the_table_stays_the_tables() -> None:
    err = ExpressionError("undeclared name 'zz'", file="s.notation.toml", line=5, column=16)
    assert unbuilt(_claim(), ("step", 0, 0), err, None) is err


def test_an_error_of_a_file_the_table_uses_is_not_quoted() -> None:
    err = ExpressionError("bad value 'hunter2'", file="lib/_names.toml", line=2, column=7)
    out = unbuilt(_claim(), ("step", 0, 0), err, None)
    assert not isinstance(out, NotRead) and "hunter2" not in str(out)
    assert str(out).startswith("lib/_names.toml:2: an error in this file, which the notation table "
                               "s.notation.toml uses")


@pytest.mark.parametrize("err", [ExpressionError("undeclared name 'j'", file="s.md", line=4),
                                 EngineFault("SymPy recursed too deeply", file="s.md", line=4)])
def test_a_derivation_files_claim_and_an_engine_fault_are_left_alone(err: ExpressionError) -> None:
    assert unbuilt(_claim(table=None), ("step", 0, 1), err, 2) is err
    if isinstance(err, EngineFault):
        assert unbuilt(_claim(), ("step", 0, 1), err, 2) is err


def test_the_builder_says_not_read_as_it_builds() -> None:
    # Nothing declares 'a' or 'j': entry 0 fails first in step 1; in step 2 entry 1 builds (j is bound by the sum)
    # and entry 2 fails. Each step is not read at the entry whose building failed, by the builder itself.
    builder = ProblemBuilder(_claim(), Scope())
    built = [builder.built(ob, origin) for ob, origin in obligations(builder.claim)]
    assert all(isinstance(b, NotRead) for b in built)
    assert [b.message.rsplit(" ", 1)[1] for b in built if isinstance(b, NotRead)] == ["s.md:3:3)", "s.md:4:5)"]
