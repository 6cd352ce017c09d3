"""Tests of verifier.frontend.library and verifier.frontend.tomlfile on good input: line numbers, ``use``, selection
by id and question, ``where`` and ``sizes``.

Malformed files are in ``test_hostile.py``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from verifier.errors import DerivationFileError
from verifier.frontend.library import Library, discover, load_library
from verifier.frontend.tomlfile import load_file

COMMON = '''# shared names
[symbols]
K = "integer positive"

[define]
"sigma(z)" = "1/(1 + exp(-z))"
"S(v, i)"  = "exp(v[i]) / Sum(exp(v[j]), (j, 1, K))"
'''

# The line numbers asserted below count the lines of this text from 1: keep them in step with it.
LAYOUT = '''question = "q2"
title = "Softmax"
use = ["_common.toml"]

[symbols]
x = "indexed real"
c = "real"
i = "integer 1..K"

[define]
"T(v, i)" = "S(v, i)"

[[claim]]
id = "q2.1"
title = "one statement"
statement = "S(x + c, i) = S(x, i)"

[[claim]]
id = "q2.2"
title = "several statements over several lines"
statement = [
  "c = c",
  "c + 1 = 1 + c",     # a comment

  'c*2 = 2*c',
]
steps = ["c", "c", "2*c - c"]   # three entries on one line

[[claim]]
id = "q2.3"
title = "a chain of its own, then derivations"
assume = ["c > 0"]
steps = [
  "c",
  "c",
]

[[claim.derivation]]
name = "first"
assume = ["c > 1"]
where = { c = 2 }
steps = [
  """
  c + 1""",
  "= 3",
  "<= 4",
]

[[claim.derivation]]
name = "second"
steps = ["c",
         "c"]

[[claim]]
id = "q2.4"
title = "exists"
note = "steps = [\\"c\\"] inside a string is not a key"
exists = "c > 0"
'''


def load_layout(tmp_path: Path, text: str = LAYOUT, *, newline: str = "\n", prefix: str = "") -> Library:
    """The library of ``_common.toml`` and ``q2.toml`` (``text``), written with the given line ends."""
    (tmp_path / "_common.toml").write_bytes((prefix + COMMON).replace("\n", newline).encode("utf-8"))
    (tmp_path / "q2.toml").write_bytes((prefix + text).replace("\n", newline).encode("utf-8"))
    lib = load_library(tmp_path, display_root=tmp_path)
    assert lib.errors == []
    return lib


@pytest.fixture(params=[("\n", ""), ("\r\n", ""), ("\n", "\ufeff")], ids=["LF", "CRLF", "BOM"])
def layout(request: pytest.FixtureRequest, tmp_path: Path) -> Library:
    newline, prefix = request.param
    return load_layout(tmp_path, newline=newline, prefix=prefix)


def test_claim_lines(layout: Library) -> None:
    assert [(c.id, c.file, c.line) for c in layout.claims] == [
        ("q2.1", "q2.toml", 13), ("q2.2", "q2.toml", 18), ("q2.3", "q2.toml", 29), ("q2.4", "q2.toml", 54)]


@pytest.mark.parametrize("cid, statement_lines", [("q2.1", (16,)), ("q2.2", (22, 23, 25)), ("q2.3", ())])
def test_statement_lines(layout: Library, cid: str, statement_lines: tuple[int, ...]) -> None:
    claim = next(c for c in layout.claims if c.id == cid)
    assert claim.statement_lines == statement_lines


@pytest.mark.parametrize("cid, chain, name, line, step_lines", [
    ("q2.2", 0, None, 27, (27, 27, 27)),
    ("q2.3", 0, None, 33, (34, 35)),
    ("q2.3", 1, "first", 38, (44, 45, 46)),
    ("q2.3", 2, "second", 49, (51, 52)),
])
def test_chain_and_step_lines(layout: Library, cid: str, chain: int, name: str | None, line: int,
                              step_lines: tuple[int, ...]) -> None:
    found = next(c for c in layout.claims if c.id == cid).chains[chain]
    assert (found.name, found.line, found.step_lines) == (name, line, step_lines)


def test_what_a_claim_holds(layout: Library) -> None:
    q22, q23, q24 = layout.claims[1:]
    assert q22.statements == ("c = c", "c + 1 = 1 + c", "c*2 = 2*c")
    assert q22.chains[0].steps == ("c", "c", "2*c - c")
    assert q23.assume == ("c > 0",)
    first = q23.chains[1]
    assert first.steps == ("  c + 1", "= 3", "<= 4")
    assert (first.assume, first.where) == (("c > 1",), (("c", "2"),))
    assert (q24.exists, q24.exists_line, q24.note) == ("c > 0", 58, 'steps = ["c"] inside a string is not a key')
    assert {c.question for c in layout.claims} == {"q2"}
    assert all(c.expect == "holds" for c in layout.claims)


def test_obligation_lines_follow_the_steps(layout: Library) -> None:
    from verifier.model import obligations
    q23 = layout.claims[2]
    shown = [(ob.kind, ob.derivation, ob.index, ob.line) for ob, _ in obligations(q23)]
    assert shown == [("step", None, 1, 35), ("step", "first", 1, 45), ("step", "first", 2, 46),
                     ("step", "second", 1, 52)]


def test_shared_names_and_their_lines(layout: Library) -> None:
    q2 = layout.files["q2.toml"]
    assert q2.symbols == (("x", "indexed real", 6), ("c", "real", 7), ("i", "integer 1..K", 8))
    assert q2.definitions == (("T(v, i)", "S(v, i)", 11),)
    assert (q2.question, q2.title, q2.uses) == ("q2", "Softmax", ("_common.toml",))
    common = layout.files["_common.toml"]
    assert common.symbols == (("K", "integer positive", 3),)
    assert [(k, line) for k, _, line in common.definitions] == [("sigma(z)", 6), ("S(v, i)", 7)]
    assert common.claims == ()


def test_same_text_steps_get_their_own_lines(tmp_path: Path) -> None:
    text = ('[[claim]]\nid = "a.1"\ntitle = "t"\nsteps = [\n  "x",\n  "x",\n  "x",\n]\n'
            '[[claim]]\nid = "a.2"\ntitle = "t"\nsteps = ["a", "b", "a", "b"]\n'
            '[[claim]]\nid = "a.3"\ntitle = "t"\nstatement = ["s", "s"]\nsteps = ["s", "s"]\n')
    (tmp_path / "a.toml").write_text(text)
    lib = load_library(tmp_path, display_root=tmp_path)
    a1, a2, a3 = lib.claims
    assert a1.chains[0].step_lines == (5, 6, 7)
    assert a2.chains[0].step_lines == (12, 12, 12, 12)
    assert (a3.statement_lines, a3.chains[0].step_lines) == ((16, 16), (17, 17))


def test_a_short_step_is_not_found_inside_a_longer_line(tmp_path: Path) -> None:
    # "f" occurs in "-y*(1 - f)" on the line before; the step is the quoted "f" below it.
    text = '[[claim]]\nid = "a.1"\ntitle = "t"\nsteps = [\n  "-y*(1 - f) + f",\n  "f",\n]\n'
    (tmp_path / "a.toml").write_text(text)
    assert load_library(tmp_path, display_root=tmp_path).claims[0].chains[0].step_lines == (5, 6)


def test_escaped_strings_are_found(tmp_path: Path) -> None:
    text = ('[[claim]]\nid = "a.1"\ntitle = "t"\nstatement = [\n  "x = x",\n  "\\\\x = \\"1\\"",\n'
            "  '''y = y''',\n]\n")
    (tmp_path / "a.toml").write_text(text)
    claim = load_library(tmp_path, display_root=tmp_path).claims[0]
    assert claim.statements == ("x = x", '\\x = "1"', "y = y")
    assert claim.statement_lines == (5, 6, 7)


# -- use ---------------------------------------------------------------------------------------------------------

def test_use_brings_names_first(tmp_path: Path) -> None:
    (tmp_path / "_b.toml").write_text('[symbols]\nb = "real"\n')
    (tmp_path / "_a.toml").write_text('use = ["_b.toml"]\n[symbols]\na = "real"\n')
    (tmp_path / "q.toml").write_text('use = ["_a.toml", "_b.toml"]\n[[claim]]\nid = "q.1"\ntitle = "t"\n'
                                     'statement = "a = a"\n')
    lib = load_library(tmp_path, display_root=tmp_path)
    assert lib.errors == []
    assert [f.path for f in lib.context(lib.claims[0])] == ["_b.toml", "_a.toml", "q.toml"]


def test_use_cycles_end(tmp_path: Path) -> None:
    (tmp_path / "_a.toml").write_text('use = ["_b.toml"]\n[symbols]\na = "real"\n')
    (tmp_path / "_b.toml").write_text('use = ["_a.toml"]\n[symbols]\nb = "real"\n')
    (tmp_path / "q.toml").write_text('use = ["_a.toml", "q.toml"]\n[[claim]]\nid = "q.1"\ntitle = "t"\n'
                                     'statement = "a = b"\n')
    lib = load_library(tmp_path, display_root=tmp_path)
    assert lib.errors == []
    assert [f.path for f in lib.context(lib.claims[0])] == ["_b.toml", "_a.toml", "q.toml"]


def test_use_of_a_file_outside_the_folder(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "_names.toml").write_text('[symbols]\nn = "real"\n')
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir()
    (lib_dir / "q.toml").write_text('use = ["../shared/_names.toml"]\n[[claim]]\nid = "q.1"\ntitle = "t"\n'
                                    'statement = "n = n"\n')
    # Outside a git repository the library's root is its folder: the file outside is not read ...
    lib = load_library(lib_dir, display_root=tmp_path)
    assert [str(e) for e in lib.errors] == [
        f"lib/q.toml:1: 'use' names '../shared/_names.toml', which is outside the library's root {lib_dir}: a "
        "library reads only its own files (--use-root DIR allows another root)"]
    # ... unless the root given holds it (as a repository holding both would).
    lib = load_library(lib_dir, display_root=tmp_path, root=tmp_path)
    assert lib.errors == []
    assert [c.id for c in lib.claims] == ["q.1"]
    assert [f.path for f in lib.context(lib.claims[0])] == ["shared/_names.toml", "lib/q.toml"]


def test_use_through_the_cli(write_library: Callable[..., Path], verify_cli: Callable[..., Run]) -> None:
    write_library({"_common.toml": COMMON,
                   "q1.toml": 'use = ["_common.toml"]\n[symbols]\nz = "real"\n[[claim]]\nid = "q1.1"\n'
                              'title = "sigma is between 0 and 1"\nstatement = "0 < sigma(z) < 1"\n'})
    run = verify_cli("all", "--format", "json")
    assert (run.code, run.verdicts()) == (0, {"q1.1": "proved"}), run.err
    claim = run.json()["claims"][0]
    assert (claim["file"], claim["line"], claim["obligations"][0]["line"]) == ("derivations/q1.toml", 4, 7)


# -- selection ---------------------------------------------------------------------------------------------------

SELECTION = {
    "q1.toml": 'question = "q1"\n[symbols]\nx = "real"\n'
               + "".join(f'[[claim]]\nid = "q1.{n}"\ntitle = "t"\nstatement = "x = x"\n' for n in (1, 2)),
    "q2.toml": 'question = "q2"\n[symbols]\nx = "real"\n'
               + "".join(f'[[claim]]\nid = "{cid}"\ntitle = "t"\nstatement = "x = x"\n'
                         for cid in ("q2.1", "q2.1b", "q2.10", "q2.a.b")),
    "soft.toml": 'question = "softmax"\n[symbols]\nx = "real"\n[[claim]]\nid = "s.1"\ntitle = "t"\n'
                 'statement = "x = x"\n',
    "q22.toml": '[symbols]\nx = "real"\n[[claim]]\nid = "q22.1"\ntitle = "t"\nstatement = "x = x"\n',
}


@pytest.mark.parametrize("selectors, ids", [
    (["q2"], ["q2.1", "q2.1b", "q2.10", "q2.a.b"]),
    (["q2.1"], ["q2.1"]),
    (["q2.a"], ["q2.a.b"]),
    (["q1", "q2.10"], ["q1.1", "q1.2", "q2.10"]),
    (["softmax"], ["s.1"]),
    (["s"], ["s.1"]),
    (["q22"], ["q22.1"]),
    (["q"], []),
    (["q2.1", "q2.1"], ["q2.1"]),
])
def test_select(tmp_path: Path, selectors: list[str], ids: list[str]) -> None:
    for name, text in SELECTION.items():
        (tmp_path / name).write_text(text)
    lib = load_library(tmp_path, display_root=tmp_path)
    assert [c.id for c in lib.select(selectors)] == ids
    assert lib.unknown_selectors(selectors) == ([] if ids else selectors)


def test_select_through_the_cli(write_library: Callable[..., Path], verify_cli: Callable[..., Run]) -> None:
    write_library(SELECTION)
    run = verify_cli("q2", "--format", "json")
    assert run.code == 0, run.err
    assert list(run.verdicts()) == ["q2.1", "q2.1b", "q2.10", "q2.a.b"]
    run = verify_cli("q2.1", "softmax", "--format", "json")
    assert list(run.verdicts()) == ["q2.1", "s.1"]
    run = verify_cli("q", "q3")
    assert run.code == 2
    assert run.error_lines() == ["verify: error: unknown claim id(s): q, q3 (see 'verify list')"]


def test_list(write_library: Callable[..., Path], verify_cli: Callable[..., Run]) -> None:
    write_library({"q1.toml": SELECTION["q1.toml"]})
    run = verify_cli("list")
    assert run.code == 0
    assert run.out.splitlines() == ["q1.1  t  (derivations/q1.toml:4)", "q1.2  t  (derivations/q1.toml:8)"]


# -- where and sizes ---------------------------------------------------------------------------------------------

def load_claim(tmp_path: Path, extra: str) -> Library:
    """One claim with ``extra`` TOML lines after its statement."""
    (tmp_path / "a.toml").write_text('[[claim]]\nid = "a.1"\ntitle = "t"\nstatement = "x = x"\n' + extra)
    return load_library(tmp_path, display_root=tmp_path)


@pytest.mark.parametrize("toml, where", [
    ("where = { y = 1 }", (("y", "1"),)),
    ("where = { y = -3, K = 2 }", (("y", "-3"), ("K", "2"))),
    ("where = { y = 0.25 }", (("y", "0.25"),)),
    ("where = { y = 1e-3 }", (("y", "0.001"),)),
    ('where = { y = "1/3" }', (("y", "1/3"),)),
    ('where = { y = "K - 1" }', (("y", "K - 1"),)),
    ("where = {}", ()),
    ("[claim.where]\ny = 1\nz = 2", (("y", "1"), ("z", "2"))),
])
def test_where(tmp_path: Path, toml: str, where: tuple[tuple[str, str], ...]) -> None:
    lib = load_claim(tmp_path, toml + "\n")
    assert lib.errors == []
    assert lib.claims[0].where == where


@pytest.mark.parametrize("toml, sizes", [
    ('sizes = { K = "1..6" }', (("K", "1..6"),)),
    ('sizes = { K = " 2 .. 7 " }', (("K", "2..7"),)),
    ('sizes = { K = "-1..1" }', (("K", "-1..1"),)),
    ('sizes = { K = "1, 3, 5" }', (("K", "1,3,5"),)),
    ("sizes = { K = [2, 4] }", (("K", "2,4"),)),
    ("sizes = { K = 3 }", (("K", "3..3"),)),
    ('sizes = { K = "1..2", M = "1..3", D = 4 }', (("K", "1..2"), ("M", "1..3"), ("D", "4..4"))),
    ('sizes = { K = "1..1000" }', (("K", "1..1000"),)),
])
def test_sizes(tmp_path: Path, toml: str, sizes: tuple[tuple[str, str], ...]) -> None:
    lib = load_claim(tmp_path, toml + "\n")
    assert lib.errors == []
    assert lib.claims[0].sizes == sizes


@pytest.mark.parametrize("toml, message", [
    ("sizes = { K = true }", "a.toml:5: claim 'a.1': sizes.K must be a range like \"1..6\", a list of integers or "
                             "an integer"),
    ("sizes = { K = [] }", "a.toml:5: claim 'a.1': sizes.K must be a range like \"1..6\""),
    ('sizes = { K = "1..2..3" }', "a.toml:5: claim 'a.1': sizes.K must be a range like \"1..6\""),
    ('sizes = { K = "7..6" }', "a.toml:5: claim 'a.1': sizes.K = \"7..6\" is an empty range (write the low bound "
                               "first)"),
    ('sizes = { K = "0..1000" }', "a.toml:5: claim 'a.1': sizes.K = \"0..1000\" is too large (at most 1000 values, "
                                  "each at most 1000000); a bounded check needs only small sizes"),
    ("sizes = { K = 10000000 }", "a.toml:5: claim 'a.1': sizes.K is too large (each size at most 1000000)"),
    ("where = { y = true }", "a.toml:5: claim 'a.1': where.y must be a number or an expression string, got a "
                             "boolean"),
    ("where = { y = nan }", "a.toml:5: claim 'a.1': where.y must be a finite number, got nan"),
])
def test_bad_where_or_sizes(tmp_path: Path, toml: str, message: str) -> None:
    lib = load_claim(tmp_path, toml + "\n")
    assert lib.claims == []
    assert str(lib.errors[0]).startswith(message)


def test_expect_refuted_and_optional_fields(tmp_path: Path) -> None:
    lib = load_claim(tmp_path, 'expect = "refuted"\nlatex = \'\\frac{1}{2}\'\nnote = "why"\n')
    claim = lib.claims[0]
    assert (claim.expect, claim.latex, claim.note) == ("refuted", "\\frac{1}{2}", "why")


# -- files -------------------------------------------------------------------------------------------------------

def test_discover(tmp_path: Path) -> None:
    for name in ("b.toml", "a.toml", "sub/c.toml", "notes.txt", "sub/deeper/_d.toml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    (tmp_path / "folder.toml").mkdir()
    assert [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path)[0]] == [
        "a.toml", "b.toml", "sub/c.toml", "sub/deeper/_d.toml"]
    assert discover(tmp_path / "a.toml") == ([tmp_path / "a.toml"], [])
    with pytest.raises(DerivationFileError, match="no such file or folder"):
        discover(tmp_path / "missing")


def test_a_single_file_library(tmp_path: Path) -> None:
    (tmp_path / "_common.toml").write_text(COMMON)
    (tmp_path / "q.toml").write_text('use = ["_common.toml"]\n[[claim]]\nid = "q.1"\ntitle = "t"\n'
                                     'statement = "K = K"\n')
    lib = load_library(tmp_path / "q.toml", display_root=tmp_path)
    assert lib.errors == [] and [c.id for c in lib.claims] == ["q.1"]
    assert sorted(lib.files) == ["_common.toml", "q.toml"]


def test_the_digest_follows_the_text(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text('[symbols]\nx = "real"\n')
    first = load_file(path, "a.toml").digest
    path.write_text('[symbols]\nx = "real"  # a comment\n')
    assert load_file(path, "a.toml").digest != first


def test_an_empty_file_is_fine(tmp_path: Path) -> None:
    (tmp_path / "empty.toml").write_text("")
    lib = load_library(tmp_path, display_root=tmp_path)
    assert (lib.errors, lib.claims, list(lib.files)) == ([], [], ["empty.toml"])


def test_the_loader_imports_no_sympy() -> None:
    code = ("import sys; from pathlib import Path; from verifier.frontend.library import load_library; "
            "load_library(Path('derivations')); assert 'sympy' not in sys.modules")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
