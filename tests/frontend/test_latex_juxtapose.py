r"""Tests of juxtaposition: factors side by side that the page shows as a product (each reading worked out by hand
from what TeX prints), and those it leaves open, refused at the column of the reason. TeX prints ``a [b]`` and
``a[b]`` alike, so a space decides nothing."""

from __future__ import annotations

import pytest

from verifier.errors import ExpressionError
from verifier.frontend.latex import Rules, pattern, read
from verifier.frontend.parser import unparse

RULES = Rules(
    patterns=(pattern(r"\omega_{?p?q}^{(2)}", "om2[?p, ?q]"),),
    symbols={"x": "indexed real", "y": "real", "a": "real", "b": "real", "z": "real", "k": "integer",
             "j": "integer", "k1": "real", "s": "real"},
    functions=frozenset({"g", "sigma"}),
)

# (LaTeX, its reading): products on the page.
GOOD = [
    (r"2(z + 1)", "2 * (z + 1)"),
    (r"a\,(b + 1)", "a * (b + 1)"),                      # a thin space: clearly a product
    (r"a (b) + a(b) + {a}(b)", "a * b + a * b + a * b"),  # a declared value before '(': a product, however written
    (r"g (z) + g(z)", "g(z) + g(z)"),                    # a declared function: an application, space or none
    (r"(a)(b)", "a * b"),
    (r"(a)[b] + [a][b]", "a * b + a * b"),               # a closing mark the page shows: no bare name before '['
    (r"g(z)[1 - g(z)]", "g(z) * (1 - g(z))"),            # the derivative of the sigmoid, as sheets write it
    (r"a^2 [b + z]", "a^2 * (b + z)"),                   # a superscript before '[': a power, not an entry
    (r"\omega_{kj}^{(2)} \left[ a + b \right]", "om2[k, j] * (a + b)"),   # as the bundled sheet writes it
    (r"2[3] + 2 [a + b]", "2 * 3 + 2 * (a + b)"),        # a number has no entries
    (r"\pi[1 + z]", "pi * (1 + z)"),                     # nor a constant
    (r"\sigma[z] + g[a] + \log[1 + z]", "sigma(z) + g(a) + log(1 + z)"),   # a function's argument in brackets
    (r"|a|[b]", "Abs(a) * b"),
    (r"a \cdot [b + z]", "a * (b + z)"),                 # an operator written out
    (r"\frac{a}{b}[z]", "a / b * z"),
    (r"2e + e^{z} - 1", "2 * E + exp(z) - 1"),            # e before a sign and a name, or a power: Euler's number
    (r"2e - a", "2 * E - a"),
]


@pytest.mark.parametrize("latex, reading", GOOD)
def test_a_product_on_the_page(latex: str, reading: str) -> None:
    assert unparse(read(latex, RULES)) == reading


# (LaTeX, a fragment of the reason, its 1-based column), counted by hand.
BAD = [
    # y[0] + 1 = 1 with y real was read y*0 + 1 = 1 and proved: on the page y[0] is an entry of y.
    (r"y[0] + 1 = 1", "'[' right after 'y': an entry of y, or a product?", 2),
    (r"y[0] + 1", "declare 'y' a family", 2),
    (r"a[b + z]", "'[' right after 'a'", 2),
    (r"a [b + z]", "'[' right after 'a'", 3),             # TeX drops the space: the page is the same
    (r"a\,[b + z]", "'[' right after 'a'", 4),
    (r"y[0]^2", "'[' right after 'y'", 2),                # was y*0^2
    (r"y\left[0\right]", "'[' right after 'y'", 7),       # \left only sizes the bracket
    (r"{y}[0]", "'[' right after 'y'", 4),                # braces print nothing: y[0]
    (r"y{[0]}", "'[' right after 'y'", 3),
    (r"q{(1 - z)}", "'q' followed by '('", 1),            # shows q(1 - z); was q*(1 - z)
    (r"2y[0]", "'[' right after 'y'", 3),                 # the factor before '[' is y, not 2y
    (r"a \cdot y[0]", "'[' right after 'y'", 10),
    (r"-y[0]", "'[' right after 'y'", 3),
    (r"e[z] + 1", "'[' right after 'e'", 2),               # e times z, or an expectation E[z]? (was E*z)
    (r"k_1[0]", "'[' right after 'k1'", 4),
    (r"\sigma[0] + s[0]", "'[' right after 's'", 14),     # sigma a function: its argument; s a value
    (r"\mathbf{x}[0]", "write the entry as x_{..}", 11),  # a family: entries are subscripts
    (r"\mathbf{x}_k[0]", "'[' right after 'x[k]'", 13),
    (r"[1, 2][1]", "vector before '['", 7),
    # A group that starts with a number or a sign prints glued to the factor before it.
    (r"y{0} + 1", "number right after a factor ('0')", 3),   # shows y0; was y*0
    (r"a{2}", "number right after a factor ('2')", 3),
    (r"a{-1}", "sign right after a factor", 3),               # shows a-1; was a*(-1)
    (r"a{+b}", "sign right after a factor", 3),
    (r"{2}{3}", "digits in separate groups", 4),
    # Braces print nothing: {q}(1 - z) shows q(1 - z), refused as such with q undeclared (it was q*(1 - z)).
    (r"{q}(1 - z)", "'q' followed by '('", 2),
    (r"a + {\text{Cov}}(a)", "'Cov' followed by '('", 6),
    # A learning rate written 1e-3 was read 1*e - 3 (e - 3 < 0, not 0.001): a line 1e-3 = e - 3 was provable.
    (r"\alpha = 1e-3", "scientific notation, or a product with e?", 11),
    (r"2.5 e + 4", "write 2.5 \\cdot 10^{4}", 5),
    (r"a \quad [b]", "'\\quad' between two factors", 9),
    (r"1/2[a]", "after a/b written with '/'", 4),
]


@pytest.mark.parametrize("latex, reason, column", BAD)
def test_not_a_product_on_the_page(latex: str, reason: str, column: int) -> None:
    with pytest.raises(ExpressionError) as info:
        read(latex, RULES)
    assert reason in info.value.message
    assert info.value.column == column
