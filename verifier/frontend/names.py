"""The built-in names of the expression language (kept apart from SymPy so loading stays light)."""

from __future__ import annotations

#: Functions a derivation may call: SymPy's, by their SymPy names, and the project's own ``len``, ``flip``,
#: ``vector`` and ``jacobian``.
FUNCTIONS: frozenset[str] = frozenset({
    "exp", "log", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "Abs", "sign", "Max", "Min", "floor",
    "ceiling", "Piecewise", "KroneckerDelta", "Heaviside", "Sum", "Product", "diff", "limit", "Matrix", "eye",
    "zeros", "diag", "transpose", "jacobian", "len", "flip", "vector", "And", "Or", "Not",
    "sec", "csc", "cot", "asin", "acos", "atan", "asinh", "acosh", "atanh",
})

#: Constants: ``pi``, ``E``, ``oo`` and the two truth values (for ``Piecewise`` conditions).
CONSTANTS: frozenset[str] = frozenset({"pi", "E", "oo", "True", "False"})

_IDENT = __import__("re").compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def is_identifier(text: str) -> bool:
    """Whether ``text`` is a plain name of the language (no dunder names)."""
    return bool(_IDENT.match(text)) and not text.startswith("__")
