"""The reference evaluator is independent of what it checks: it reads the parser's trees and nothing of the builder,
the obligation maker, the kernel, the search or SymPy, directly or through a project module it imports."""

from __future__ import annotations

import ast
from pathlib import Path

import verifier

ROOT = Path(verifier.__file__).parent
#: The only project modules the evaluator may reach: the parser and the plain data. Anything else of the project
#: (the builder and whatever it is split into, the obligations, the kernel, the engine) is forbidden, and so is
#: SymPy.
ALLOWED = ("verifier.oracle", "verifier.errors", "verifier.model", "verifier.frontend.parser")
PACKAGES = ("verifier", "verifier.frontend")


def _imports(path: Path) -> set[str]:
    """The modules a file imports when it runs (not those under ``if TYPE_CHECKING:``, for types only)."""
    tree = ast.parse(path.read_text())
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
                   for stmt in block.body for n in ast.walk(stmt)}
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


def _module_file(name: str) -> Path | None:
    if not name.startswith("verifier"):
        return None
    parts = name.split(".")[1:]
    for candidate in (ROOT.joinpath(*parts).with_suffix(".py"), ROOT.joinpath(*parts, "__init__.py")):
        if parts and candidate.exists():
            return candidate
    return None


def reached(start: list[Path]) -> dict[str, Path]:
    """Every module name imported, transitively through project modules, from the files ``start``."""
    seen: dict[str, Path] = {}
    todo = list(start)
    done: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in done:
            continue
        done.add(path)
        for name in _imports(path):
            seen.setdefault(name, path)
            f = _module_file(name)
            if f is not None:
                todo.append(f)
    return seen


def forbidden(start: list[Path]) -> list[str]:
    """The forbidden modules reached from ``start``, each with the file that imports it."""
    return sorted(f"{name} (imported by {path.name})" for name, path in reached(start).items()
                  if name == "sympy" or name.startswith("sympy.") or (name.startswith("verifier.")
                                                                        and name not in PACKAGES
                                                                        and not name.startswith(ALLOWED)))


def test_oracle_imports_nothing_it_checks() -> None:
    files = sorted((ROOT / "oracle").glob("*.py"))
    assert len(files) >= 5
    assert forbidden(files) == []


def test_the_import_reader_sees_a_forbidden_import(tmp_path: Path) -> None:
    # The reader itself, on a file that does import the builder through a project module (goals imports build).
    bad = tmp_path / "bad.py"
    bad.write_text("from verifier.frontend import problem_builder\nimport os\n")
    found = forbidden([bad])
    assert any(f.startswith("verifier.frontend.problem_builder") for f in found)
    assert any(f.startswith("verifier.frontend.builder") for f in found)     # reached through problem_builder
    assert any(f.startswith("sympy") for f in found)
