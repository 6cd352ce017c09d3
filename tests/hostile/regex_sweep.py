"""Every regular expression the project writes (a literal pattern given to ``re``), run on adversarial lines.

Run as a program, it prints each pattern before trying it, so that a pattern that never finishes is the last line
printed; ``tests/test_hostile.py`` runs it in a child process with a time limit.
"""

from __future__ import annotations

import ast
import re
import sys
import time
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "verifier"
_CALLS = frozenset({"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"})
#: Characters that make backtracking worse when repeated: spaces, word characters, digits, the punctuation of the
#: formats the project reads.
_ALPHABET = " \t\na1_.-*#$\\{}[]()=<>:,'\"`~%&^|?!/+"


def project_patterns() -> list[tuple[str, int, set[str], str, int]]:
    """(pattern, flags, methods, file, line) of every literal pattern passed to a function of ``re`` in the package:
    the methods it is used with (``search``, ``match`` ...: those called on the name it is compiled into in its
    module; every method when it is passed elsewhere)."""
    found: list[tuple[str, int, set[str], str, int]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: dict[str, set[str]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                names.setdefault(node.value.id, set()).add(node.attr)
        compiled_into: dict[int, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if len(targets) == 1 and isinstance(targets[0], ast.Name):
                    compiled_into[id(node.value)] = targets[0].id
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _CALLS
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                continue
            flags = 0
            for arg in [*node.args[1:], *(k.value for k in node.keywords if k.arg == "flags")]:
                for flag in ast.walk(arg):
                    if isinstance(flag, ast.Attribute) and hasattr(re, flag.attr) and flag.attr.isupper():
                        flags |= getattr(re, flag.attr)
            if node.func.attr != "compile":
                methods = {node.func.attr}
            else:
                used = names.get(compiled_into.get(id(node), ""), set()) & _CALLS
                methods = used or set(_CALLS - {"compile"})
            found.append((node.args[0].value, flags, methods, str(path.relative_to(PACKAGE.parent)), node.lineno))
    return found


def adversarial_lines(pattern: str, n: int) -> list[str]:
    """Lines of ``n`` characters built to make a backtracking engine try many ways: one character repeated, two
    alternating, a word then spaces then a word, and the pattern's own literal characters repeated."""
    own = sorted({ch for ch in pattern if not ch.isalnum()} | {ch for ch in pattern if ch.isalpha()})
    chars = sorted(set(_ALPHABET) | set(own))
    lines = [ch * n for ch in chars]
    lines += [(a + b) * (n // 2) for a in ("a", " ") for b in chars if a != b]
    lines += ["a" + " " * n + "b", "1" + " " * n + "x", "Answer" + " " * n + "x", "a" * n + "!", "1" * n + "!"]
    return lines


#: The longest one call may take on one line of 10^5 characters, in seconds: a linear scan takes milliseconds, a
#: quadratic one many seconds.
BOUND = 0.5


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    slow = []
    for source, flags, methods, where, line in project_patterns():
        compiled = re.compile(source, flags)
        print(f"{where}:{line}: {source}", flush=True)
        worst = 0.0
        for text in adversarial_lines(source, n):
            for method in methods:
                start = time.monotonic()
                if method in ("search", "match", "fullmatch"):
                    getattr(compiled, method)(text)
                elif method in ("sub", "subn"):
                    getattr(compiled, method)("", text)
                else:   # findall, finditer, split: every match found
                    for _ in compiled.finditer(text):
                        pass
                worst = max(worst, time.monotonic() - start)
        if worst > BOUND:
            slow.append(f"{where}:{line}: {source} ({worst:.2f} s on one line)")
    print("SLOW" if slow else "OK", *slow, sep="\n")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
