r"""When two factors written side by side are a product on the page, and when the page leaves it open.

TeX prints ``a b`` and ``ab`` alike, so a space never decides anything; what a reader of the printed page takes a
juxtaposition for does. It is a product (``2a``, ``2(z + 1)``, ``(a)(b)``, ``g(z)[1 - g(z)]``, ``z^2 [1 + z]``)
except where the page shows something else or could:

- a bracket right after a name other than ``\pi`` (``y[0]``, ``e[z]``, ``\mathbf{x}[i]``, ``{y}[0]``, ``x_i[j]``,
  ``y\left[0\right]``) is an entry to most readers, a product to a grammar; entries are written with subscripts
  (``y_{0}`` of a family);
- a number in scientific notation (``1e-3``: 0.001, or 1 times e minus 3?);
- a number right after a factor (``x^10`` shows x^1 0; ``y{0}`` shows y0, a name or an entry), or a sign (``a{-1}``
  shows a - 1);
- digits in separate groups (``{2}{3}`` shows 23), a number before a fraction of numbers (``2\frac{1}{2}``: a mixed
  number?), a factor after ``a/b`` (``1/2x``), two formulas side by side across ``\quad``;
- a vector written out before ``[`` (an entry?), an undeclared name in braces before ``(`` (``{q}(1 - z)`` shows
  q(1 - z): an application, or a product?).
"""

from __future__ import annotations

from verifier.errors import ExpressionError
from verifier.frontend import latex_tokens as T
from verifier.frontend import parser as P
from verifier.frontend.latex_patterns import Rules
from verifier.frontend.latex_tokens import Token, TokenKind
from verifier.frontend.names import CONSTANTS

__all__ = ["check"]

K = TokenKind
#: Closing marks the page shows: after one, the factor before '[' is no bare name.
_SHOWN_CLOSERS = frozenset({K.RPAREN, K.RBRACKET, K.BAR, K.NORM, K.END, K.SET_CLOSE})


def check(tokens: list[Token], pos: int, last: P.Node, after_slash: bool, rules: Rules) -> None:
    """Raise :class:`ExpressionError` (at the column of what makes it so) unless the factor starting at
    ``tokens[pos]``, written right after the factor ``last``, is a product on the page. ``after_slash``: ``last``
    is the right side of ``/``."""
    token = tokens[pos]
    if token.wide:
        raise ExpressionError("'\\quad' between two factors: a product, or two formulas side by side? write \\cdot, "
                              "or \\qquad between formulas", column=token.col)
    if token.kind == K.NUMBER:
        _number_after(token)
    if _exponent_form(tokens, pos):
        raise ExpressionError(f"'{tokens[pos - 1].text}e{tokens[pos + 1].text}{tokens[pos + 2].text}': a number in "
                              f"scientific notation, or a product with e? write {tokens[pos - 1].text} \\cdot "
                              f"10^{{{tokens[pos + 1].text.strip('+')}{tokens[pos + 2].text}}}, or \\cdot before e",
                              column=token.col)
    if after_slash:
        raise ExpressionError("a factor after a/b written with '/': a/(b c) or (a/b) c? use \\frac or parentheses",
                              column=token.col)
    if T.mixed_number(tokens, pos):
        raise ExpressionError("a number before a fraction of numbers (2\\frac{1}{2}): a mixed number or a product? "
                              "write 2 + \\frac{1}{2}, or \\cdot", column=token.col)
    if T.digits_apart(tokens, pos):
        raise ExpressionError("digits in separate groups ({2}{3} shows 23): write the number, or \\cdot",
                              column=token.col)
    leading = _leading(tokens, pos)
    if leading.kind == K.NUMBER:     # y{0} shows y0
        _number_after(leading)
    if leading.kind in (K.PLUS, K.MINUS):
        raise ExpressionError(f"a sign right after a factor (a{{{leading.text}1}} shows a {leading.text} 1): a "
                              f"product or a {'difference' if leading.kind == K.MINUS else 'sum'}? write \\cdot "
                              "and parentheses for a product", column=leading.col)
    if leading.kind == K.LBRACKET:     # y{[0]} shows y[0] too
        _not_an_entry(last, _closed(tokens, pos), leading, rules)
    if leading.kind == K.LPAREN and isinstance(last, P.Name) and not _closed(tokens, pos) and \
            not rules.is_value(last.id) and last.id not in CONSTANTS:     # {q}(1 - z) shows q(1 - z)
        raise ExpressionError(f"'{last.id}' followed by '(': an application or a product? declare '{last.id}' in "
                              "the notation (a function under [define], a value under [symbols])", column=last.col)


def _exponent_form(tokens: list[Token], pos: int) -> bool:
    """Whether ``tokens[pos]`` is the letter e between a number and a signed number: ``1e-3`` (0.001 to a
    programmer, 1 times e minus 3 to a grammar)."""
    return tokens[pos].kind == K.LETTER and tokens[pos].text == "e" and tokens[pos - 1].kind == K.NUMBER and \
        pos + 2 < len(tokens) and tokens[pos + 1].kind in (K.PLUS, K.MINUS) and tokens[pos + 2].kind == K.NUMBER


def _number_after(number: Token) -> None:
    raise ExpressionError(f"a number right after a factor ('{number.text}'): TeX shows x^10 as x^1 0 and y{{0}} as "
                          "y0; write \\cdot, or braces around an exponent", column=number.col)


def _leading(tokens: list[Token], pos: int) -> Token:
    """The first token the page shows of the factor at ``pos`` (inside any braces that open it)."""
    while pos + 1 < len(tokens) and tokens[pos].kind == K.LBRACE:
        pos += 1
    return tokens[pos]


def _closed(tokens: list[Token], pos: int) -> bool:
    """Whether the page shows a closing mark or a superscript right before ``tokens[pos]``: ``(a)[b]``,
    ``\\omega_{kj}^{(2)} [..]`` are products, the bracket is no entry of a bare name."""
    before = tokens[pos - 1]
    if before.kind in _SHOWN_CLOSERS:
        return True
    if before.kind != K.RBRACE:
        return False
    depth, n = 0, pos - 1
    while n >= 0:
        depth += {K.RBRACE: 1, K.LBRACE: -1}.get(tokens[n].kind, 0)
        if depth == 0:
            return n > 0 and tokens[n - 1].kind == K.CARET
        n -= 1
    return False


def _not_an_entry(last: P.Node, closed: bool, bracket: Token, rules: Rules) -> None:
    """Raise if ``[`` right after ``last`` could open an entry of it rather than a factor (``closed``: a closing
    mark the page shows comes before the ``[``, so ``(a)[b]`` is a product)."""
    while isinstance(last, P.Neg):
        last = last.operand
    if isinstance(last, P.Vector):
        raise ExpressionError("a vector before '[': an entry, or a product? write the entry as a name",
                              column=bracket.col)
    if closed or not isinstance(last, (P.Name, P.Index)) or (isinstance(last, P.Name) and last.id == "pi"):
        return
    shown = "e" if isinstance(last, P.Name) and last.id == "E" else P.unparse(last)   # e[X]: e times X, or E[X]?
    if isinstance(last, P.Name) and rules.is_family(last.id):
        advice = f"write the entry as {shown}_{{..}}, or \\cdot for a product"
    elif isinstance(last, P.Name) and last.id not in CONSTANTS:
        advice = (f"for an entry declare '{shown}' a family (\"indexed real\" under [symbols]) and write "
                  f"{shown}_{{..}}; for a product write \\cdot")
    else:
        advice = "write \\cdot for a product, or give the notation a pattern"
    raise ExpressionError(f"'[' right after '{shown}': an entry of {shown}, or a product? {advice}",
                          column=bracket.col)
