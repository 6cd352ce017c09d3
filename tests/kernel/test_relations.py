"""Tests of verifier.kernel.relations: the one table of relation operators and every view read from it. The
expected truths are written out by hand (which signs of ``a - b`` make ``a op b`` true)."""

from __future__ import annotations

import pytest
import sympy as sp
import z3

from verifier.frontend import parser
from verifier.frontend.latex_tokens import RELATION_WORDS, RELOPS
from verifier.kernel.relations import (
    MIRRORED,
    NEGATED,
    OPERATORS,
    RELATION_CLASSES,
    RELATION_OPS,
    holds,
    mirrored,
    negated,
    oriented,
    show_relation,
    sign_satisfies,
)

#: The signs of ``a - b`` for which ``a op b`` holds, by hand.
SIGNS = {"=": {0}, "!=": {-1, 1}, "<": {-1}, "<=": {-1, 0}, ">": {1}, ">=": {0, 1}}


@pytest.mark.parametrize("op", sorted(SIGNS))
def test_which_signs_satisfy_each_operator(op: str) -> None:
    assert {s for s in (-1, 0, 1) if sign_satisfies(s, op)} == SIGNS[op]


@pytest.mark.parametrize("op", sorted(SIGNS))
def test_the_negation_holds_at_exactly_the_other_signs(op: str) -> None:
    assert SIGNS[negated(op)] == {-1, 0, 1} - SIGNS[op]
    assert NEGATED[RELATION_CLASSES[op]] is RELATION_CLASSES[negated(op)]


@pytest.mark.parametrize("op", sorted(SIGNS))
def test_the_mirror_holds_at_the_opposite_signs(op: str) -> None:
    # b op' a holds where a op b does: the sign of b - a is the opposite of that of a - b.
    assert SIGNS[mirrored(op)] == {-s for s in SIGNS[op]}
    assert MIRRORED[RELATION_CLASSES[op]] is RELATION_CLASSES[mirrored(op)]


@pytest.mark.parametrize("op", sorted(SIGNS))
def test_oriented_says_the_same_as_a_difference_of_a_sign(op: str) -> None:
    side, goal = oriented(op)
    assert goal in ("=", "!=", ">", ">=")
    assert {s for s in (-1, 0, 1) if s * side in SIGNS[goal]} == SIGNS[op]


def test_sympy_classes_and_operators_are_inverse() -> None:
    assert {RELATION_OPS[cls] for cls in RELATION_CLASSES.values()} == set(OPERATORS)
    assert RELATION_CLASSES["<="](1, 2) is sp.true and RELATION_CLASSES[">"](1, 2) is sp.false
    assert show_relation(sp.Ge(sp.Symbol("K"), 2)) == "K >= 2"


def test_holds_builds_a_z3_condition() -> None:
    x = z3.Real("x")
    solver = z3.Solver()
    solver.add(holds("<", x, 0), holds(">=", x, -1))
    assert solver.check() == z3.sat
    assert -1 <= float(solver.model()[x].as_fraction()) < 0


def test_the_parser_and_the_latex_reader_name_the_same_operators() -> None:
    assert parser.RELATIONS == set(OPERATORS)
    assert set(RELOPS.values()) == set(OPERATORS)
    assert set(RELATION_WORDS.values()) == set(OPERATORS)
    assert RELATION_WORDS[r"\le"] == "<=" and RELATION_WORDS[r"\ne"] == "!="
