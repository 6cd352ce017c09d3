"""Tests of the result cache in ``.verify_cache/``: keys, invalidation, corrupt entries, ``--no-cache``, and a
fully cached run that never imports SymPy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from libraries import COMMON, Q2

import verifier
import verifier.runner.cache
from verifier.cli import main
from verifier.frontend.library import load_library
from verifier.model import ClaimResult, Outcome, obligations
from verifier.runner.cache import CACHE_DIR, Cache

Q1 = """\
question = "q1"
use = ["_common.toml"]

[[claim]]
id = "q1.1"
title = "Doubling"
statement = "x + x = dbl(x)"

[[claim]]
id = "q1.2"
title = "Off by one"
statement = "x + 1 = x"
expect = "refuted"
"""


@pytest.fixture
def lib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A library in ``tmp_path/derivations``, with the working directory set to ``tmp_path``."""
    folder = tmp_path / "derivations"
    folder.mkdir()
    for name, text in {"_common.toml": COMMON, "q1.toml": Q1, "q2.toml": Q2}.items():
        (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, str]]:
    """``verify ARGV --format json`` in this process: the status and claim id -> verdict."""
    code = main([*argv, "--format", "json"])
    out = capsys.readouterr().out
    return code, {c["id"]: c["verdict"] for c in json.loads(out)["claims"]}


def entries(root: Path) -> list[Path]:
    """The cache's entry files."""
    return sorted((root / CACHE_DIR).rglob("*.json"))


def hits(root: Path) -> dict[str, bool]:
    """Claim id -> whether the cache holds a result for it now."""
    library = load_library(root / "derivations")
    cache = Cache(root / CACHE_DIR, options={"timeout": 60.0})
    return {c.id: cache.get(library, c) is not None for c in library.claims}


def test_second_run_comes_from_the_cache_without_importing_sympy(lib: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, first = run_json(capsys, "all")
    assert code == 0 and first == {"q1.1": "proved", "q1.2": "refuted", "q2.1": "proved"}
    assert len(entries(lib)) == 3
    script = ("import sys, verifier.cli\n"
              "rc = verifier.cli.main(['all'])\n"
              "print('SYMPY' if 'sympy' in sys.modules else 'NO-SYMPY', file=sys.stderr)\n"
              "sys.exit(rc)\n")
    proc = subprocess.run([sys.executable, "-c", script], cwd=lib, capture_output=True, text=True, check=False,
                          timeout=60, env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().endswith("NO-SYMPY"), proc.stderr
    assert proc.stdout.count("cached") == 3


def test_cache_folder_is_tagged_and_ignored_by_git(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_json(capsys, "q2")
    root = lib / CACHE_DIR
    assert (root / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith(
        "Signature: 8a477f597d28d172789f06886806bc55")
    assert "*" in (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert not list(root.rglob(".tmp-*"))  # atomic writes leave no temporary file behind


def test_editing_a_used_definition_invalidates_its_users_only(lib: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    run_json(capsys, "all")
    assert hits(lib) == {"q1.1": True, "q1.2": True, "q2.1": True}
    common = lib / "derivations" / "_common.toml"
    common.write_text(COMMON.replace('"2*z"', '"3*z"'), encoding="utf-8")
    assert hits(lib) == {"q1.1": False, "q1.2": False, "q2.1": True}
    code, after = run_json(capsys, "all")
    assert after["q1.1"] == "refuted" and code == 1  # recomputed with the new definition, not taken from the cache


def test_options_and_versions_are_part_of_the_key(lib: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library = load_library(lib / "derivations")
    claim = library.claims[0]
    base = Cache(lib / CACHE_DIR, options={"timeout": 60.0})
    other_timeout = Cache(lib / CACHE_DIR, options={"timeout": 5.0})
    other_sympy = Cache(lib / CACHE_DIR, options={"timeout": 60.0})
    other_sympy._sympy = "0.0"
    keys = {base.key(library, claim), other_timeout.key(library, claim), other_sympy.key(library, claim)}
    assert base.key(library, claim) == Cache(lib / CACHE_DIR, options={"timeout": 60.0}).key(library, claim)
    assert verifier.runner.cache.tool_fingerprint().startswith(verifier.__version__ + "+")
    monkeypatch.setattr(verifier.runner.cache, "_fingerprint", "0.1.0+an-edited-engine")
    keys.add(base.key(library, claim))
    assert len(keys) == 4


@pytest.mark.parametrize("content", [
    "{not json",
    "",
    "[]",
    '{"key": "another key", "claim": "q1.1", "outcomes": []}',
    "KEY-EMPTY",
    "KEY-BOGUS-VERDICT",
])
def test_corrupt_or_foreign_entries_are_ignored_and_rewritten(lib: Path, capsys: pytest.CaptureFixture[str],
                                                              content: str) -> None:
    run_json(capsys, "q1.1")
    [entry] = entries(lib)
    key = entry.stem
    if content == "KEY-EMPTY":  # the right key, but no outcome: must not read as "proved"
        content = json.dumps({"key": key, "claim": "q1.1", "outcomes": []})
    elif content == "KEY-BOGUS-VERDICT":
        data = json.loads(entry.read_text(encoding="utf-8"))
        data["outcomes"][0]["verdict"] = "splendid"
        content = json.dumps(data)
    entry.write_text(content, encoding="utf-8")
    assert hits(lib)["q1.1"] is False
    code, again = run_json(capsys, "q1.1")
    assert code == 0 and again == {"q1.1": "proved"}
    assert json.loads(entry.read_text(encoding="utf-8"))["key"] == key  # rebuilt in place
    assert hits(lib)["q1.1"] is True


def test_no_cache_neither_writes_nor_reads(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_json(capsys, "all", "--no-cache")
    assert not (lib / CACHE_DIR).exists()
    run_json(capsys, "q2")
    [entry] = entries(lib)
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["outcomes"][0].update(verdict="refuted", counterexample={"a": "0"}, values={"lhs": "1", "rhs": "2"})
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert run_json(capsys, "q2")[1] == {"q2.1": "refuted"}  # (the doctored entry is read when allowed)
    assert run_json(capsys, "q2", "--no-cache")[1] == {"q2.1": "proved"}


def test_machine_dependent_outcomes_are_not_stored(lib: Path) -> None:
    library = load_library(lib / "derivations")
    claim = next(c for c in library.claims if c.id == "q2.1")
    cache = Cache(lib / CACHE_DIR, options={"timeout": 1.0})
    [(ob, _)] = obligations(claim)
    for message in ("timeout: no verdict within 1s (raise --timeout)",
                    "the worker process died (exit code 3); the obligation may need more memory than allowed",
                    "interrupted before it was settled"):
        cache.put(library, ClaimResult(claim, [Outcome(ob, "unknown", message=message)]))
        assert cache.get(library, claim) is None
    cache.put(library, ClaimResult(claim, [Outcome(ob, "proved", method="normal form")]))
    got = cache.get(library, claim)
    assert got is not None and got.cached and got.verdict == "proved"


def test_an_unwritable_cache_only_costs_time(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lib / CACHE_DIR).write_text("a file where the folder should be", encoding="utf-8")
    code, result = run_json(capsys, "q1.1")
    assert code == 0 and result == {"q1.1": "proved"}


# -- keyed by content (issue 17, class 9) ------------------------------------------------------------------------

def _copy_of_the_package(tmp_path: Path) -> Path:
    package = Path(verifier.__file__).resolve().parent
    copy = tmp_path / "package"
    for source in package.rglob("*.py"):
        target = copy / source.relative_to(package)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    return copy


def test_editing_any_module_of_the_engine_changes_the_fingerprint(tmp_path: Path) -> None:
    copy = _copy_of_the_package(tmp_path)
    before = verifier.runner.cache.engine_digest(copy)
    engine = sorted(copy.rglob("*.py"))
    # Every module of the package: kernel, frontend, search, runner, outputs, the model, ...
    assert {p.relative_to(copy).parts[0] for p in engine} >= {"kernel", "frontend", "search", "runner", "outputs",
                                                               "model.py"}
    for module in engine:
        text = module.read_bytes()
        module.write_bytes(text + b"\n# an edit\n")
        assert verifier.runner.cache.engine_digest(copy) != before, module
        module.write_bytes(text)
    assert verifier.runner.cache.engine_digest(copy) == before
    # A new module of the engine counts too.
    (copy / "kernel" / "new_rule.py").write_text("RULE = 1\n", encoding="utf-8")
    assert verifier.runner.cache.engine_digest(copy) != before


def test_the_fingerprint_is_the_digest_of_the_installed_package() -> None:
    package = Path(verifier.__file__).resolve().parent
    assert verifier.runner.cache.tool_fingerprint() == \
        f"{verifier.__version__}+{verifier.runner.cache.engine_digest(package)}"


def test_a_comment_line_keeps_every_entry_and_the_new_lines_are_shown(lib: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    run_json(capsys, "all")
    assert hits(lib) == {"q1.1": True, "q1.2": True, "q2.1": True}
    for name, text in {"q1.toml": Q1, "q2.toml": Q2, "_common.toml": COMMON}.items():
        (lib / "derivations" / name).write_text("# a comment\n\n" + text, encoding="utf-8")
    assert hits(lib) == {"q1.1": True, "q1.2": True, "q2.1": True}
    main(["all", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    claim = next(c for c in report["claims"] if c["id"] == "q2.1")
    assert claim["cached"] is True
    # The claim and its step, as read now: two lines lower than in Q2 (1-based lines: index + 1 + 2).
    assert claim["line"] == Q2.splitlines().index("[[claim]]") + 3
    assert claim["obligations"][0]["line"] == Q2.splitlines().index('steps = ["(a + 1)^2", "a^2 + 2*a + 1"]') + 3


def test_a_title_is_not_what_is_checked_but_a_relation_is(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_json(capsys, "all")
    q2 = lib / "derivations" / "q2.toml"
    q2.write_text(Q2.replace('title = "Square"', 'title = "The square of a sum"'), encoding="utf-8")
    assert hits(lib)["q2.1"] is True
    q2.write_text(Q2.replace("2*a + 1", "2*a + 2"), encoding="utf-8")
    assert hits(lib)["q2.1"] is False
