"""Tests of the notation table inferred from a sheet (``verify init``) and of sheets read without a table: each
guess and its reason, the entries still not read, and that an inferred declaration never makes a step refuted."""

from __future__ import annotations

import difflib
import json
import time
import tomllib
from pathlib import Path

import pytest

from verifier.cli import main
from verifier.frontend.infer import infer_table

SHEET = r"""**Answer 1.1**
$$g(z) = \frac{1}{1 + e^{-z}}$$
$$g(0) = \frac{1}{2}$$
**Answer 1.2**
$$\sum_{j=1}^{K} \mathbf{x}_j = \sum_{i=1}^{K} x_i$$
$$\lceil d \rceil + k_1 = d + k_1$$
$$2 h(z) = h(z) + h(z)$$
"""


def test_each_guess_with_its_reason() -> None:
    lines = infer_table(SHEET, "s.md").split("\n")
    table = {line.split(" = ")[0]: line for line in lines if " = " in line and not line.startswith("#")}
    assert '"indexed real"' in table["x"] and "x_{j} at line 5: a family" in table["x"]
    assert '"integer positive"' in table["K"] and "upper bound of a sum at line 5" in table["K"]
    assert '"integer"' in table["i"] and '"integer"' in table["j"]          # indices below a family
    assert '"real"' in table["k1"] and "k_{1} at line 6: a name of its own" in table["k1"]
    assert '"real"' in table["d"] and '"real"' in table["z"]                  # nothing says more: the weakest
    # g is defined by the sheet (line 2); h is applied (line 7) but never defined: left to the person.
    assert table['"g(z)"'].startswith('"g(z)" = "1 / (1 + exp(-z))"')
    assert "h" not in table and any(line.startswith("# h is applied at line 7") for line in lines)
    # The entry the table still cannot read, with its line.
    assert any(line.startswith("#   line 7: 'h' followed by '('") for line in lines)


def test_init_never_writes_through_a_symbolic_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A link to nothing used to be followed: the table was created wherever the link pointed.
    sheet = tmp_path / "a.md"
    sheet.write_text("#### Answer 1.1\n\n$$x = x$$\n", encoding="utf-8")
    (tmp_path / "a.notation.toml").symlink_to(tmp_path / "elsewhere" / "victim.toml")
    (tmp_path / "elsewhere").mkdir()
    assert main(["init", str(sheet)]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert not (tmp_path / "elsewhere" / "victim.toml").exists()


def test_init_writes_the_table_and_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "s.md"
    sheet.write_text(SHEET, encoding="utf-8")
    assert main(["init", str(sheet)]) == 0
    table = tmp_path / "s.notation.toml"
    assert table.read_text(encoding="utf-8") == infer_table(SHEET, str(sheet))
    assert main(["init", str(sheet)]) == 2                               # it exists: corrected by hand, kept
    assert "exists" in capsys.readouterr().err
    assert main(["init", str(sheet), "--output", str(tmp_path / "other.toml")]) == 0
    assert main(["init", str(tmp_path / "missing.md")]) == 2


def test_a_sheet_without_a_table_is_read_with_inferred_declarations(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # ceil(d) + k1 = d + k1 holds for an integer d and not for d = 1/2: with d inferred real, the step is not
    # refuted (the sheet may mean an integer) but unknown, naming the declarations it rests on.
    sheet = tmp_path / "s.md"
    sheet.write_text(SHEET, encoding="utf-8")
    main(["all", "--derivations", str(sheet), "--format", "json", "--no-cache"])
    captured = capsys.readouterr()
    assert captured.err.count("declarations inferred; `verify init") == 1
    report = json.loads(captured.out)
    verdicts = {(c["id"], o["line"]): (o["verdict"], o.get("message") or "") for c in report["claims"]
                for o in c["obligations"]}
    assert verdicts[("q1.1", 2)][0] == "proved" and verdicts[("q1.1", 3)][0] == "proved"
    assert verdicts[("q1.2", 5)][0] == "proved"
    verdict, message = verdicts[("q1.2", 6)]
    assert verdict == "unknown" and "declarations that are guesses (d as real, k1 as real)" in message
    # Declared as the sheet means it, in the table init wrote, the same step is proved.
    main(["init", str(sheet)])
    table = tmp_path / "s.notation.toml"
    table.write_text(table.read_text(encoding="utf-8").replace('d = "real"', 'd = "integer"'), encoding="utf-8")
    main(["all", "--derivations", str(sheet), "--format", "json", "--no-cache"])
    report = json.loads(capsys.readouterr().out)
    line6 = [o for c in report["claims"] for o in c["obligations"] if o["line"] == 6]
    assert [o["verdict"] for o in line6] == ["proved"]


TOPICS = Path(__file__).resolve().parent / "sheets" / "topics"


def _verdicts(sheet: Path, capsys: pytest.CaptureFixture[str]) -> dict[int, set[str]]:
    main(["all", "--derivations", str(sheet), "--format", "json", "--no-cache"])
    found: dict[int, set[str]] = {}
    for claim in json.loads(capsys.readouterr().out)["claims"]:
        for ob in claim["obligations"]:
            found.setdefault(ob["line"], set()).add(ob["verdict"])
    return found


def test_a_sheet_on_other_topics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # answers.md: 21 answers, 42 steps (logistic loss, log-sum-exp, KL, batch and layer norm, momentum, tanh, L2),
    # with the mistakes of truth.toml planted, shown false by hand there.
    wrong = set(tomllib.loads((TOPICS / "truth.toml").read_text(encoding="utf-8"))["wrong"])
    sheet = tmp_path / "answers.md"
    sheet.write_text((TOPICS / "answers.md").read_text(encoding="utf-8"), encoding="utf-8")
    # With no table, the inferred declarations refute no right line (a refutation that rests on one is unknown).
    alone = _verdicts(sheet, capsys)
    refuted = {line for line, verdicts in alone.items() if "refuted" in verdicts}
    assert refuted <= wrong and refuted == {84}         # 2^10 = 1 000 rests on no declaration
    # The table `verify init` writes, unedited, refutes no right line either (its declarations are listed as guesses).
    main(["init", str(sheet)])
    capsys.readouterr()
    written = _verdicts(sheet, capsys)
    assert {line for line, verdicts in written.items() if "refuted" in verdicts} == {84}
    # The committed table is what `verify init` writes, with at most 15 lines edited.
    edited = (TOPICS / "answers.notation.toml").read_text(encoding="utf-8").split("\n")
    inferred = infer_table(sheet.read_text(encoding="utf-8"), "answers.md").split("\n")
    edits = sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in
                difflib.SequenceMatcher(a=inferred, b=edited, autojunk=False).get_opcodes() if op != "equal")
    assert edits <= 15          # 11: the list of guesses taken out, 3 declarations corrected, 7 lines added
    (tmp_path / "answers.notation.toml").write_text("\n".join(edited), encoding="utf-8")     # over init's
    found = _verdicts(sheet, capsys)
    steps = sum(len(v) for v in found.values())
    read = {line for line, verdicts in found.items() if "unknown" not in verdicts and "error" not in verdicts}
    assert len(read) == len(found) and steps >= 21                          # every step read
    assert {line for line, verdicts in found.items() if "refuted" in verdicts} == wrong


def test_inference_and_reading_share_one_time_budget() -> None:
    # The reading-time limit applied to each pass on its own, so inferring and then reading a large sheet took
    # several times the limit. With the budget spent, the table says so among what is not read.
    sheet = "#### Answer 1.1\n\n$$x = x$$\n"
    table = infer_table(sheet, "s.md", deadline=time.monotonic() - 1)
    assert "reading this sheet took more than" in table
