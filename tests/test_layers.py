"""The layers of the package, checked on its source: every module imports only modules of its own layer or a lower
one, the outputs import only the model and the errors besides themselves (imports inside functions count; imports
for annotations only, under ``if TYPE_CHECKING:``, do not), and no modules import each other in a circle (any
import counts).

:data:`LAYERS` is the one list of the layers, lowest first. The kernel has a stricter contract of its own (it
imports nothing of the project: ``tests/kernel/test_contract.py``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import verifier

#: The layers, lowest first: each a name and the modules it holds (a package holds its submodules).
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    # The model, the errors, text made safe to print, and child processes tied to their parent (no import of the
    # project).
    ("base", ("verifier", "verifier.errors", "verifier.model", "verifier.printable", "verifier.runner.lifeline")),
    ("syntax", ("verifier.frontend.parser", "verifier.frontend.names")),
    ("oracle", ("verifier.oracle",)),
    ("kernel", ("verifier.kernel",)),
    ("frontend", ("verifier.frontend",)),
    ("display", ("verifier.display",)),
    ("search", ("verifier.search",)),
    ("runner", ("verifier.runner",)),
    ("outputs", ("verifier.outputs",)),
    ("integrations", ("verifier.integrations", "verifier.api")),
    ("cli", ("verifier.cli", "verifier.__main__")),
]
#: The one import allowed to go up a layer: the package's root loads its Python API when first used (PEP 562), so
#: that ``import verifier`` imports nothing else and ``verifier.check`` still works.
UPWARD = frozenset({("verifier", "verifier.api")})
#: Besides their own layer, the outputs import only these: they render plain data, never build it.
OUTPUTS_MAY_IMPORT = ("verifier", "verifier.errors", "verifier.model", "verifier.printable")

ROOT = Path(verifier.__file__).resolve().parent


def module_name(path: Path, root: Path = ROOT) -> str:
    """``verifier/frontend/parser.py`` as ``verifier.frontend.parser`` (a package by its ``__init__``)."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the package under ``root``, by name."""
    return {module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def layer(name: str) -> int:
    """The position of a module's layer in :data:`LAYERS`: the most specific entry that holds it (the package's
    own ``verifier`` holds only itself)."""
    best, length = -1, -1
    for n, (_, held) in enumerate(LAYERS):
        for h in held:
            if (name == h or (h != "verifier" and name.startswith(h + "."))) and len(h) > length:
                best, length = n, len(h)
    if best < 0:
        raise AssertionError(f"{name} is in no layer: add it to LAYERS")
    return best


def imports(path: Path, known: dict[str, Path], *, typing: bool = True) -> list[tuple[str, int]]:
    """The project's modules a file imports, with the line: ``from P import M`` names the module ``P.M`` when there
    is one, else ``P``; a relative import is resolved against the file's package. Imports under ``if
    TYPE_CHECKING:`` (for annotations only) are left out unless ``typing``; the import of :data:`UPWARD` always."""
    package = _package(path, known)
    me = next(n for n, p in known.items() if p == path)
    out = []
    for node, for_types in _import_nodes(ast.parse(path.read_text(encoding="utf-8")), False):
        if for_types and not typing:
            continue
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names if alias.name.split(".")[0] == "verifier"]
        else:
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != "verifier":
                continue
            for alias in node.names:
                target = f"{source}.{alias.name}"
                out.append((target if target in known else source, node.lineno))
    return [(target, line) for target, line in out if (me, target) not in UPWARD]


def _import_nodes(node: ast.AST, for_types: bool) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement below ``node``, each with whether it sits under ``if TYPE_CHECKING:``."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(node, for_types)]
    out = []
    typing_block = isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
    for field, value in ast.iter_fields(node):
        children = value if isinstance(value, list) else [value]
        for child in children:
            if isinstance(child, ast.AST):
                out += _import_nodes(child, for_types or (typing_block and field == "body"))
    return out


def _package(path: Path, known: dict[str, Path]) -> str:
    name = next(n for n, p in known.items() if p == path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def forbidden(known: dict[str, Path]) -> list[str]:
    """Every import that breaks a layer rule, as ``module:line imports target (why)``."""
    out = []
    for name, path in known.items():
        mine = layer(name)
        for target, line in imports(path, known, typing=False):
            if target not in known:
                continue
            if layer(target) > mine:
                out.append(f"{name}:{line} imports {target} (layer {LAYERS[layer(target)][0]} is above "
                           f"{LAYERS[mine][0]})")
            elif LAYERS[mine][0] == "outputs" and LAYERS[layer(target)][0] != "outputs" \
                    and target not in OUTPUTS_MAY_IMPORT:
                out.append(f"{name}:{line} imports {target} (the outputs import only the model and the errors)")
    return out


def circles(known: dict[str, Path]) -> list[list[str]]:
    """The groups of modules that import each other in a circle (strongly connected components of more than one
    module, or a module importing itself)."""
    graph = {name: {t for t, _ in imports(path, known) if t in known} for name, path in known.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1 or v in graph[v]:
                found.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_every_module_is_in_a_layer() -> None:
    for name in modules():
        layer(name)


def test_every_module_imports_only_its_own_layer_or_lower() -> None:
    assert forbidden(modules()) == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    assert circles(modules()) == []


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A small package laid out as the project is, with one module per layer the checks below use."""
    root = tmp_path / "verifier"
    for rel in ("__init__.py", "model.py", "kernel/__init__.py", "kernel/facts.py", "frontend/__init__.py",
                "frontend/parser.py", "frontend/builder.py", "outputs/__init__.py", "outputs/text.py",
                "cli/__init__.py"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("", encoding="utf-8")
    (root / "outputs/text.py").write_text("from verifier.model import RunResult\n", encoding="utf-8")
    return root


def test_the_checks_pass_a_tree_that_keeps_the_rules(tree: Path) -> None:
    known = modules(tree)
    assert forbidden(known) == [] and circles(known) == []


def test_an_import_for_annotations_only_may_name_a_higher_layer_but_not_close_a_circle(tree: Path) -> None:
    (tree / "kernel/facts.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                          "    from verifier.frontend.builder import Builder\n", encoding="utf-8")
    assert forbidden(modules(tree)) == []
    (tree / "frontend/builder.py").write_text("from verifier.kernel import facts\n", encoding="utf-8")
    assert circles(modules(tree)) == [["verifier.frontend.builder", "verifier.kernel.facts"]]


def test_an_import_of_a_higher_layer_is_caught(tree: Path) -> None:
    """The check can fail: the kernel importing the front end, relatively, is named with its line."""
    (tree / "kernel/facts.py").write_text("import sympy\n\nfrom ..frontend import builder\n", encoding="utf-8")
    assert forbidden(modules(tree)) == [
        "verifier.kernel.facts:3 imports verifier.frontend.builder (layer frontend is above kernel)"]


def test_an_output_that_imports_the_front_end_is_caught(tree: Path) -> None:
    """An output may not rebuild what it shows, even though the front end is a lower layer."""
    (tree / "outputs/text.py").write_text("def f():\n    from verifier.frontend.parser import parse\n",
                                          encoding="utf-8")
    assert forbidden(modules(tree)) == [
        "verifier.outputs.text:2 imports verifier.frontend.parser (the outputs import only the model and the errors)"]


def test_a_circle_is_caught(tree: Path) -> None:
    (tree / "frontend/parser.py").write_text("from verifier.frontend import builder\n", encoding="utf-8")
    (tree / "frontend/builder.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                              "    from verifier.frontend.parser import Node\n", encoding="utf-8")
    found = circles(modules(tree))
    assert found == [["verifier.frontend.builder", "verifier.frontend.parser"]]
