"""Tests of the MathML printer of the HTML report and of building steps as written.

Every expected fragment is MathML written out by hand from the mathematics (δ_{ik}, a cases brace, U+2212 ...); the
element set checked against is MathML Core's (https://www.w3.org/TR/mathml-core/, section 3).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sympy as sp

from verifier.display.mathml import Written, families_from_notation, relation_mathml, to_mathml
from verifier.frontend.library import load_library

#: The elements of MathML Core (the semantics/annotation elements left out: the printer writes none).
CORE = {"math", "mi", "mn", "mo", "ms", "mspace", "mtext", "mrow", "mfrac", "msqrt", "mroot", "mstyle", "merror",
        "mpadded", "mphantom", "msub", "msup", "msubsup", "munder", "mover", "munderover", "mmultiscripts",
        "mprescripts", "mtable", "mtr", "mtd"}

x, y, z = sp.symbols("x y z", real=True)
i, j, k, K = sp.symbols("i j k K", integer=True)


def tags(markup: str) -> set[str]:
    """Every element name in a ``<math>`` element (it must be well-formed XML to be read at all)."""
    return {el.tag for el in ET.fromstring(markup).iter()}


def test_kronecker_delta_is_delta_with_subscripts() -> None:
    out = to_mathml(sp.KroneckerDelta(i, k, evaluate=False))
    assert "<msub><mi>δ</mi><mrow><mi>i</mi><mi>k</mi></mrow></msub>" in out
    assert "kronecker" not in out.lower()


def test_kronecker_delta_with_long_indices_separates_them_by_commas() -> None:
    out = to_mathml(sp.KroneckerDelta(j, k - i + 1, evaluate=False))
    assert "<mo>,</mo>" in out


def test_piecewise_is_a_cases_brace() -> None:
    out = to_mathml(sp.Piecewise((x, x > 0), (0, True)))
    assert '<mo stretchy="true">{</mo><mtable' in out
    assert out.count("<mtr>") == 2
    assert "otherwise" in out and "if" in out
    assert "piecewise" not in out.lower()


def test_e_is_an_upright_e_and_exp_a_power_of_it() -> None:
    assert '<mi mathvariant="normal">e</mi>' in to_mathml(sp.E)
    out = to_mathml(sp.exp(x))
    assert out.startswith("<math") and '<msup><mi mathvariant="normal">e</mi><mi>x</mi></msup>' in out
    assert "ExponentialE" not in out


def test_minus_is_the_minus_sign() -> None:
    out = to_mathml(x - y)
    assert "<mo>\u2212</mo>" in out
    assert "<mo>-</mo>" not in out


def test_matrix_brackets_stretch() -> None:
    out = to_mathml(sp.Matrix([[1, 2], [3, 4]]))
    assert '<mo stretchy="true">[</mo>' in out and '<mo stretchy="true">]</mo>' in out


def test_family_entry_is_its_name_with_the_indices_below() -> None:
    w2 = sp.IndexedBase("w2")
    assert "<msub><mi>w2</mi><mrow><mi>k</mi><mi>j</mi></mrow></msub>" in to_mathml(w2[k, j])


def test_layer_labelled_family_follows_the_notation() -> None:
    # w^{(2)}_{kj}: the letter, the indices below, the layer in parentheses above.
    w2 = sp.IndexedBase("w2")
    out = to_mathml(w2[k, j], families={"w2": ("w", "2")})
    assert ("<msubsup><mi>w</mi><mrow><mi>k</mi><mi>j</mi></mrow>"
            "<mrow><mo>(</mo><mn>2</mn><mo>)</mo></mrow></msubsup>") in out


def test_sum_has_its_limits() -> None:
    xs = sp.IndexedBase("x")
    out = to_mathml(sp.Sum(xs[j], (j, 1, K)))
    assert "<munderover><mo" in out and "∑" in out
    assert "<mrow><mi>j</mi><mo>=</mo><mn>1</mn></mrow><mi>K</mi></munderover>" in out


def test_undefined_function_keeps_its_name() -> None:
    out = to_mathml(sp.Function("LMSE")(x, y))
    assert "<mi>LMSE</mi>" in out


def test_greek_names_are_letters() -> None:
    assert "<mi>σ</mi>" in to_mathml(sp.Function("sigma")(z))


def test_second_derivative_has_the_power_on_the_variable() -> None:
    # d²/da² f: in the denominator, d then a², not SymPy's d² a.
    a = sp.Symbol("a")
    out = to_mathml(sp.Derivative(sp.Function("f")(a), (a, 2)))
    assert "<msup><mi>a</mi><mn>2</mn></msup>" in out


@pytest.mark.parametrize("expr", [
    sp.Piecewise((x, x > 0), (0, True)), sp.Abs(x), sp.Matrix([[x, 1]]), sp.conjugate(x), sp.Max(x, y),
    sp.sqrt(x) / (1 + x ** 2), sp.Sum(sp.KroneckerDelta(i, j) * x ** j, (j, 1, K)), sp.Interval(0, 1),
    sp.Derivative(sp.Function("S")(x, y), x), sp.Limit(1 / x, x, sp.oo), sp.log(x) - sp.exp(-x),
])
def test_every_element_is_in_mathml_core(expr: sp.Basic) -> None:
    assert tags(to_mathml(expr)) <= CORE


def test_a_chain_of_relations_is_one_row() -> None:
    out = relation_mathml([(None, x), ("<=", y), ("=", z)])
    assert tags(out) <= CORE
    assert "<mo>≤</mo>" in out and "<mo>=</mo>" in out


LIBRARY = """\
question = "q1"
[symbols]
a = "real"
n = "integer 0..1"
m = "integer positive"
x = "indexed real 1..3"
[define]
"f(t)" = "t^2"
half = "1/2"

[[claim]]
id = "q1.1"
title = "As written"
statement = "f(a) + 2*a = a*(a + 2)"
steps = ["Sum(x[j], (j, 1, 3))", "x[1] + x[2] + x[3]", "= half*2*(x[1] + x[2] + x[3])"]
"""


@pytest.fixture
def written(tmp_path: Path) -> Written:
    (tmp_path / "q1.toml").write_text(LIBRARY, encoding="utf-8")
    library = load_library(tmp_path / "q1.toml")
    return Written(library, library.claims[0])


def test_a_definition_stays_a_call(written: Written) -> None:
    out = written.relation("f(a) + 2*a = a*(a + 2)")
    assert out is not None
    # f(a) as written, not expanded to a^2; the terms in the written order (f first, then 2a).
    assert "<mi>f</mi>" in out and "<msup>" not in out
    assert out.index("<mi>f</mi>") < out.index("<mn>2</mn>")


def test_a_sum_with_numeric_bounds_is_not_written_out(written: Written) -> None:
    out = written.chain_entry("Sum(x[j], (j, 1, 3))", True)
    assert out is not None and "∑" in out and "<mn>3</mn>" in out


def test_an_abbreviation_stays_its_name(written: Written) -> None:
    out = written.chain_entry("= half*2*(x[1] + x[2] + x[3])", False)
    assert out is not None
    assert out.startswith("<math") and "<mi>half</mi>" in out and out.index("<mo>=</mo>") < out.index("half")


def text_of(markup: str) -> str:
    """The characters of a ``<math>`` element in reading order, one space apart."""
    return " ".join(t.strip() for t in ET.fromstring(markup).itertext() if t.strip())


def test_a_condition_is_shown_as_written(written: Written) -> None:
    # SymPy's Piecewise, evaluated, rewrites an equation on an integer as n = (1 + 0)/1: the page shows n = 1.
    out = written.chain_entry("= Piecewise((a, n = 1), (0, n = 0))", False)
    assert out is not None and "<mfrac>" not in out
    assert text_of(out) == "= { a if n = 1 0 if n = 0"


def test_a_chain_of_comparisons_in_a_condition_stays_a_chain(written: Written) -> None:
    out = written.chain_entry("= Piecewise((a, 1 <= n + 1 <= m), (0, True))", False)
    assert out is not None
    assert text_of(out) == "= { a if 1 ≤ n + 1 ≤ m 0 otherwise"


def test_the_negative_of_a_sum_keeps_its_parentheses(written: Written) -> None:
    # -(1 - a) is not -1 - a.
    out = written.chain_entry("= -(1 - a)", False)
    assert out is not None and text_of(out) == "= − ( 1 − a )"


def test_text_that_does_not_build_gives_none(written: Written) -> None:
    assert written.relation("a + undeclared = a") is None
    assert written.chain_entry("(a + ", True) is None


def test_families_from_a_notation() -> None:
    found = families_from_notation({"w2": r"\omega^{(2)}", "w1": "w^{(1)}", "x": r"\mathbf{x}", "h": "h^{(l)}"})
    assert found == {"w2": ("ω", "2"), "w1": ("w", "1"), "h": ("h", "l")}
    # A letter label is an identifier, a digit label a number: h^{(l)}_{i}.
    out = to_mathml(sp.IndexedBase("h")[i], families=found)
    assert "<msubsup><mi>h</mi><mrow><mi>i</mi></mrow><mrow><mo>(</mo><mi>l</mi><mo>)</mo></mrow></msubsup>" in out
