"""Derivation libraries for the benchmark: a copy of the project's own, and generated ones of growing size."""

from __future__ import annotations

import shutil
from pathlib import Path

#: The softmax Jacobian entry (claim q2.4's statement), at a fixed row i = 1 and column k = 2.
_SOFTMAX = '''\
[symbols]
K = "integer positive"
x = "indexed real"
i = "integer 1..K"
k = "integer 1..K"

[define]
"S(v, i)" = "exp(v[i]) / Sum(exp(v[j]), (j, 1, K))"

[[claim]]
id = "jacobian"
title = "Entry (i, k) of the softmax Jacobian, {label}"
statement = "diff(S(x, i), x[k]) = KroneckerDelta(i, k)*S(x, i) - S(x, i)*S(x, k)"
where = {{ {where} }}
{assume}
'''

_SMALL_HEADER = '''\
[symbols]
a = "real"
b = "real"
z = "real"

[define]
"sigma(z)" = "1/(1 + exp(-z))"
'''

#: Small claims, cycled through; ``{c}`` (a positive integer) makes every copy a different claim.
_SMALL_CLAIMS: tuple[tuple[str, str, str], ...] = (
    ("square", "A binomial square", "(a + {c})^2 = a^2 + 2*{c}*a + {c}^2"),
    ("sigmoid", "The derivative of a scaled sigmoid", "diff(sigma({c}*z), z) = {c}*sigma({c}*z)*(1 - sigma({c}*z))"),
    ("exp", "The exponential of a sum", "exp(a + {c}*b) = exp(a)*exp(b)^{c}"),
    ("bound", "The sigmoid is a probability", "0 < sigma(a + {c}) < 1"),
)


def copy_library(source: Path, root: Path) -> Path:
    """Copy the library folder (or one .toml file) ``source`` to ``root/derivations``; the copy's path."""
    dest = root / "derivations"
    if source.is_dir():
        shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    else:
        dest.mkdir(parents=True)
        shutil.copy2(source, dest / source.name)
    return dest


def softmax_library(root: Path, size: int | None) -> Path:
    """A one-claim library: the softmax Jacobian entry for ``K = size`` (symbolic K, with K >= 2, for None)."""
    dest = root / "derivations"
    dest.mkdir(parents=True)
    if size is None:
        text = _SOFTMAX.format(label="symbolic K", where="i = 1, k = 2", assume='assume = ["K >= 2"]')
    else:
        text = _SOFTMAX.format(label=f"K = {size}", where=f"K = {size}, i = 1, k = 2", assume="")
    (dest / "softmax.toml").write_text(text, encoding="utf-8")
    return dest


def softmax_where_library(root: Path, size: int) -> Path:
    """The softmax Jacobian entry with its size given (``where = { K = size }``) and its indices i, k free."""
    dest = root / "derivations"
    dest.mkdir(parents=True)
    text = _SOFTMAX.format(label=f"K = {size}, free i and k", where=f"K = {size}", assume="")
    (dest / "softmax.toml").write_text(text, encoding="utf-8")
    return dest


#: Three forms of one sum, with a term m added and taken away: every entry of the chain is the same value.
_CHAIN_FORMS = (
    "Sum((x[j] + 1)^2 + 2*x[j] + {m}, (j, 1, K)) - {m}*K",
    "Sum(x[j]^2 + 4*x[j] + {m} + 1, (j, 1, K)) - {m}*K",
    "Sum(x[j]^2, (j, 1, K)) + 4*Sum(x[j], (j, 1, K)) + Sum({m}, (j, 1, K)) + K - {m}*K",
)


def chain_library(root: Path, steps: int) -> Path:
    """One claim whose derivation is a chain of ``steps`` rewrites of a sum over a symbolic range (expanding,
    splitting by linearity, a constant summed), each step a true equality."""
    dest = root / "derivations"
    dest.mkdir(parents=True)
    entries = [_CHAIN_FORMS[n % len(_CHAIN_FORMS)].format(m=n + 1) for n in range(steps + 1)]
    text = ('[symbols]\nK = "integer nonnegative"\nx = "indexed real"\n\n[[claim]]\nid = "chain"\n'
            f'title = "A chain of {steps} sum rewrites"\n\n[[claim.derivation]]\nsteps = [\n'
            + "".join(f'  "{e}",\n' for e in entries) + "]\n")
    (dest / "chain.toml").write_text(text, encoding="utf-8")
    return dest


def small_claims_library(root: Path, count: int) -> Path:
    """A library of ``count`` independent small claims with distinct ids and distinct constants."""
    dest = root / "derivations"
    dest.mkdir(parents=True)
    parts = [_SMALL_HEADER]
    for n in range(count):
        name, title, statement = _SMALL_CLAIMS[n % len(_SMALL_CLAIMS)]
        c = n // len(_SMALL_CLAIMS) + 1
        parts.append(f'[[claim]]\nid = "c{n + 1:04d}.{name}"\ntitle = "{title} ({c})"\n'
                     f'statement = "{statement.format(c=c)}"\n')
    (dest / "small.toml").write_text("\n".join(parts), encoding="utf-8")
    return dest
