"""Mutations: each kind changes what it says it changes, and the result still parses."""

from __future__ import annotations

import random

import pytest

from fuzz.mutate import KINDS, _candidates, mutate_keys, mutate_text
from verifier.frontend import parser as P


@pytest.mark.parametrize(("kind", "text", "expected"), [
    ("bound", "Sum(w[j], (j, 1, n)) = 0", {"Sum(w[j], (j, 1, n + 1)) = 0", "Sum(w[j], (j, 1, n - 1)) = 0",
                                           "Sum(w[j], (j, 1 + 1, n)) = 0", "Sum(w[j], (j, 1 - 1, n)) = 0"}),
    ("index", "w[k] = 0", {"w[k + 1] = 0", "w[k - 1] = 0"}),
    ("exponent", "x^2 = 0", {"x^(2 + 1) = 0", "x^(2 - 1) = 0"}),
    ("branch", "Piecewise((x, x > 0), (0, True)) = 0", {"Piecewise((x, x >= 0), (0, True)) = 0",
                                                         "Piecewise((0, x > 0), (x, True)) = 0"}),
])
def test_each_kind(kind: str, text: str, expected: set[str]) -> None:
    root = P.parse_relation(text)
    got = {P.unparse(m()) for m in _candidates(root, kind, random.Random(0)) for _ in range(4)}
    assert got and got <= expected


def test_derivative_variables_and_range_names_are_left_alone() -> None:
    root = P.parse_relation("diff(x^2, x) = Sum(j, (j, 1, 3))")
    for kind in KINDS:
        for m in _candidates(root, kind, random.Random(1)):
            out = P.unparse(m())
            assert ", x)" in out and "(j, " in out


def test_mutants_parse_and_differ() -> None:
    rng = random.Random(5)
    for _ in range(200):
        found = mutate_text("relu(x - 1) + Sum(w[j]^2, (j, 1, m)) <= Max(x, 2)*exp(-x)", rng, relation=True)
        assert found is not None
        text, kind = found
        assert kind in KINDS
        P.parse_relation(text)
    keys, _ = mutate_keys({"steps": ["(x + 1)^2", "x^2 + 2*x + 1", ">= 0"]}, rng) or ({}, "")
    assert isinstance(keys["steps"], list) and keys["steps"] != ["(x + 1)^2", "x^2 + 2*x + 1", ">= 0"]
