"""The kernel's contract, checked on its source: it imports nothing of the project outside itself, its verdicts
cannot be made elsewhere, its fresh names are ``Dummy``s, and the engine reports ``proved``, ``checked`` and
``refuted`` only from kernel verdicts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import sympy as sp

from verifier import kernel
from verifier.kernel import verdicts

ROOT = Path(kernel.__file__).resolve().parent.parent
KERNEL_MODULES = sorted((ROOT / "kernel").glob("*.py"))
SEARCH_MODULES = sorted((ROOT / "search").glob("*.py"))


def imported(path: Path) -> list[tuple[str, int]]:
    """Every module a file imports, absolute (a relative import resolved against the file's package), with its
    line."""
    package = "verifier." + path.parent.name
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            out.append((name, node.lineno))
    return out


def test_the_kernel_has_the_modules_the_contract_names() -> None:
    names = {p.stem for p in KERNEL_MODULES}
    assert {"__init__", "checker", "facts", "rules", "linear", "interval", "verdicts", "declarations"} <= names


@pytest.mark.parametrize("path", KERNEL_MODULES, ids=lambda p: p.name)
def test_the_kernel_imports_nothing_of_the_project_outside_itself(path: Path) -> None:
    outside = [(name, line) for name, line in imported(path)
               if name.split(".")[0] == "verifier" and not (name == "verifier.kernel"
                                                             or name.startswith("verifier.kernel."))]
    assert not outside, f"{path.name} imports {outside}"


def test_the_import_check_sees_an_import_from_outside(tmp_path: Path) -> None:
    """The check above can fail: a module importing the engine, absolutely or relatively, is caught."""
    bad = tmp_path / "kernel" / "bad.py"
    bad.parent.mkdir()
    bad.write_text("import sympy\nfrom verifier.search import engine\nfrom ..frontend import goals\n"
                   "from . import rules\n", encoding="utf-8")
    assert imported(bad) == [("sympy", 1), ("verifier.search", 2), ("verifier.frontend", 3),
                             ("verifier.kernel", 4)]


@pytest.mark.parametrize("cls, fields", [
    (kernel.Proved, {"method": "forged"}),
    (kernel.Checked, {"method": "forged", "checked": "K in 1..5: 5 of 5", "instances": 5}),
    (kernel.Refuted, {"method": "forged", "point": {}}),
    (kernel.Witness, {"point": {}, "lhs": sp.Integer(0), "rhs": sp.Integer(0)}),
], ids=lambda v: getattr(v, "__name__", ""))
def test_a_verdict_cannot_be_made_outside_the_kernel(cls: type, fields: dict) -> None:
    with pytest.raises(TypeError):                       # no token at all
        cls(**fields)
    with pytest.raises(kernel.ForgedVerdict):            # a token of one's own
        cls(token=object(), **fields)
    with pytest.raises(kernel.ForgedVerdict):            # the kernel's factory, called from here
        verdicts.made(cls, **fields)


def test_the_kernel_makes_verdicts() -> None:
    """The same classes are made by the kernel's own functions (x + x = 2*x by exact cancellation)."""
    facts = kernel.facts_from([], [])
    proof = kernel.prove([(sp.Symbol("x") * 2, "=", sp.Symbol("x") + sp.Symbol("x"))], [], facts)
    assert isinstance(proof, kernel.Proved)


def test_the_public_api_is_small_and_complete() -> None:
    assert len(kernel.__all__) <= 25
    assert all(hasattr(kernel, name) for name in kernel.__all__)
    assert {"Proved", "Checked", "Refuted", "Witness", "Declaration", "facts_from", "prove", "refute", "witness",
            "check"} <= set(kernel.__all__)


def _calls(path: Path, names: set[str]) -> list[tuple[str, int]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
            if name in names:
                out.append((name, node.lineno))
    return out


@pytest.mark.parametrize("path", KERNEL_MODULES + SEARCH_MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fresh_names_in_the_kernel_and_the_search_are_dummies(path: Path) -> None:
    """A plain Symbol("t") would be the same name as a user's t (name capture); a Dummy never is."""
    assert _calls(path, {"Symbol", "symbols"}) == []


def test_the_engine_reports_a_verdict_only_from_a_kernel_object() -> None:
    """In the engine, a ``Settled`` with a literal ``proved``, ``checked`` or ``refuted`` is made only in the three
    functions that take a kernel verdict object."""
    tree = ast.parse((ROOT / "search" / "engine.py").read_text(encoding="utf-8"))
    makers = {"_from_proved": "Proved", "_from_checked": "Checked", "_from_refuted": "Refuted"}
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Settled" \
                    and node.args and isinstance(node.args[0], ast.Constant) \
                    and node.args[0].value in ("proved", "checked", "refuted"):
                found.append((fn.name, node.args[0].value))
                assert fn.name in makers, (fn.name, node.args[0].value)
                annotation = fn.args.args[0].annotation
                assert isinstance(annotation, ast.Name) and annotation.id == makers[fn.name]
    assert sorted(found) == [("_from_checked", "checked"), ("_from_proved", "proved"), ("_from_proved", "proved"),
                             ("_from_refuted", "refuted")]
