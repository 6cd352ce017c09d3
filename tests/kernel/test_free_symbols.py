"""Tests of verifier.kernel.free_symbols: SymPy's expressions with limits remember their free symbols, and the
answers are SymPy's own. Each expected set is read off the expression by hand (the names it uses that no limit
binds), as the comment beside it says."""

from __future__ import annotations

import sympy as sp

import verifier.kernel  # noqa: F401  (installs the remembering)
from verifier.kernel import free_symbols as remembered

j, k, n = sp.symbols("j k n", integer=True)
y = sp.Symbol("y", real=True)
x = sp.IndexedBase("x")


def test_the_kernel_installs_it() -> None:
    assert sp.Sum(j, (j, 1, n)).free_symbols == {n}     # j is bound; the upper limit n is free
    assert sp.Sum.free_symbols.fget is remembered.free_symbols  # type: ignore[attr-defined]


def test_answers_are_sympys_own() -> None:
    cases = [
        (sp.Sum(j * y, (j, 1, n)), {y, n}),             # j bound; y and n free
        (sp.Sum(sp.Sum(j * k * y, (j, 1, k)), (k, 1, n)), {y, n}),  # j and k bound
        (sp.Product(j + y, (j, 1, 3)), {y}),            # numeric limits add nothing
        (sp.Integral(y * k, (y, 0, n)), {k, n}),        # y bound by the integral
        (sp.Sum(j, (j, 1, n)) + y, {n, y}),             # inside a larger expression
    ]
    for e, expected in cases:
        assert e.free_symbols == expected
        sums = e.atoms(sp.Sum, sp.Product, sp.Integral)
        assert all(s.free_symbols == remembered._computed(s) for s in sums)  # SymPy's own, computed afresh


def test_entries_of_a_family_as_sympy_lists_them() -> None:
    e = sp.Sum(x[j] * y, (j, 1, n))
    assert e.free_symbols == remembered._computed(e)    # SymPy lists x[j] and x's label too: its answer, kept


def test_each_caller_gets_a_set_of_its_own() -> None:
    e = sp.Sum(j * y, (j, 1, n))
    first = e.free_symbols
    first.add(k)
    first.discard(n)
    assert e.free_symbols == {y, n}     # what a caller did to its set is not remembered


def test_an_expression_built_unevaluated_gets_sympys_answer_in_either_mode() -> None:
    # x[j] - x[j] written unevaluated, summed over the entry x[j]: SymPy rebuilds the summand to answer.
    with sp.evaluate(False):
        e = sp.Sum(x[j] - x[j] + y, (x[j], 1, n))
        unevaluated = e.free_symbols
        assert unevaluated == remembered._computed(e)
    assert e.free_symbols == remembered._computed(e)
    with sp.evaluate(False):
        assert e.free_symbols == unevaluated
