"""A symbolic derivation verifier: settles each claim of a derivation library as proved, checked, refuted,
unknown or error, step by step.

The Python API (:mod:`verifier.api`)::

    import verifier
    verifier.check("exp(a) * exp(b) = exp(a + b)", symbols={"a": "real", "b": "real"})
    verifier.check_chain(["(x + 1)^2", "x^2 + 2*x + 1"], symbols={"x": "real"})
    verifier.run("derivations")

Importing ``verifier`` imports nothing else: the API is loaded when first used, so that the ``verify`` command
starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"

#: The name the project is installed under (``pip install derivation-verifier``); the import package is ``verifier``.
DISTRIBUTION = "derivation-verifier"

__all__ = ["DISTRIBUTION", "Report", "Result", "Step", "__version__", "check", "check_chain", "run"]

if TYPE_CHECKING:
    from verifier.api import Report, Result, Step, check, check_chain, run

_API = frozenset({"Report", "Result", "Step", "check", "check_chain", "run"})


def __getattr__(name: str) -> Any:
    if name in _API:
        from verifier import api
        return getattr(api, name)
    raise AttributeError(f"module 'verifier' has no attribute {name!r}")
