r"""What the LaTeX reader knows about names: the patterns of a notation table and the declared names.

A pattern is LaTeX with placeholders (``\mathbf{x}_{?i}`` -> ``x[?i]``). What a placeholder ``?name`` takes:

- followed in the pattern by ``^`` or ``_``: one atom, as TeX attaches a script to the atom before it
  (``?a^{-1}`` on ``2 (1 + e^{-z})^{-1}`` takes ``(1 + e^{-z})``, never ``2 (1 + e^{-z})``); followed by another
  placeholder: one atom (``\omega_{?p?q}`` on ``\omega_{kj}`` takes ``k`` and ``j``);
- last in the pattern: one atom with its scripts (``\sigma ?z`` on ``\sigma z^2`` takes ``z^2``), except a
  parenthesised group, an argument list whose script is on the application (``\sigma(z)^2`` takes ``(z)``: the
  square of sigma(z)); an atom is a braced group (without its braces), a bracketed group, a command with its
  arguments (``\mathbf{x}``), a letter, a number or a word;
- otherwise: the shortest balanced run of tokens before the pattern's next token (``S(?v)_{?i}``), never nothing.

A placeholder used twice must take the same tokens both times.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from verifier.errors import ExpressionError
from verifier.frontend import parser as P
from verifier.frontend.latex_tokens import ARITY, CLOSERS, OPENERS, Token, TokenKind, closing, scan
from verifier.frontend.names import CONSTANTS, FUNCTIONS

__all__ = ["GREEK", "Pattern", "Rules", "RunIndex", "fill", "greek_name", "match", "pattern", "placed", "two_letters"]

K = TokenKind
#: The groups a script may be that label it rather than hold a value, by their opening token.
_GROUPS = {K.LPAREN: "parentheses", K.LBRACKET: "brackets"}
_HOLE = re.compile(r"\?([A-Za-z]+)")
_ATOMS = frozenset({K.LETTER, K.NUMBER, K.WORD, K.UPRIGHT})


@dataclass(frozen=True)
class Pattern:
    """A LaTeX pattern of the notation table and the expression-language text it stands for."""

    tokens: tuple[Token, ...]
    replacement: str
    source: str

    @property
    def subscript_holes(self) -> frozenset[str]:
        """The placeholders that open a subscript (``x_{?i}``), where ``ij`` would be two indices or a product."""
        t = self.tokens
        return frozenset(t[n].text for n in range(2, len(t)) if t[n].kind == K.HOLE
                         and t[n - 2].kind == K.UNDERSCORE and t[n - 1].kind == K.LBRACE)

    def check_subscripts(self, holes: dict[str, list[Token]]) -> None:
        """Raise if a placeholder of a subscript took letters side by side (``x_{ij}``)."""
        for name in self.subscript_holes & holes.keys():
            two_letters(holes[name])

    @property
    def ends_with_hole(self) -> bool:
        """Whether the pattern's last token is a placeholder (what follows a match may belong to it)."""
        return self.tokens[-1].kind == K.HOLE


@dataclass(frozen=True)
class Rules:
    """What the reader knows about names: everything comes from the notation table."""

    patterns: tuple[Pattern, ...] = ()
    symbols: dict[str, str] = field(default_factory=dict)     # declared name -> its declaration
    functions: frozenset[str] = frozenset()                    # names defined with parameters
    abbreviations: frozenset[str] = frozenset()                # names defined without parameters
    bounds: dict[str, tuple[str, str]] = field(default_factory=dict)   # \sum_j -> (lo, hi)
    operators: dict[str, str] = field(default_factory=dict)    # "*" -> a function of two arguments
    renames: dict[str, str] = field(default_factory=dict)      # a block's own name -> the name it is read as

    def is_function(self, name: str) -> bool:
        """Whether ``name(...)`` is an application (otherwise it is a product)."""
        return name in self.functions or (name in FUNCTIONS and name not in self.symbols)

    def is_value(self, name: str) -> bool:
        """Whether ``name`` is declared as a value (a symbol or a name defined without parameters)."""
        return name in self.symbols or name in self.abbreviations

    def is_family(self, name: str) -> bool:
        """Whether ``name`` is declared as an indexed family."""
        return "indexed" in self.symbols.get(name, "").split()


def pattern(source: str, replacement: str) -> Pattern:
    """A notation pattern; raises :class:`ExpressionError` if either side is malformed."""
    tokens = tuple(scan(source, holes=True))
    if not tokens:
        raise ExpressionError("an empty LaTeX pattern", column=1)
    holes = {t.text for t in tokens if t.kind == K.HOLE}
    used = set(_HOLE.findall(replacement))
    if used - holes:
        raise ExpressionError(f"the reading uses ?{sorted(used - holes)[0]}, which the pattern does not have",
                              column=1)
    P.parse_expression(_HOLE.sub(lambda m: m.group(1), replacement))
    return Pattern(tokens, replacement, source)


#: Styles that make another object of a letter: a bold or arrowed x is a vector, not the number x.
_VECTOR_STYLES = frozenset({r"\mathbf", r"\boldsymbol", r"\bm", r"\vec", r"\mathsf"})


def styled(style: str, node: P.Node, rules: Rules, column: int) -> P.Node:
    r"""What ``\mathbf{x}`` (any style) reads as: the letter when the style changes nothing (``\mathit``) or the
    notation declares the letter a family (the vector and its entries ``x_i``); otherwise not read, as the page
    shows another object than the plain letter."""
    if style not in _VECTOR_STYLES or (isinstance(node, P.Name) and rules.is_family(node.id)):
        return node
    shown = P.unparse(node)
    raise ExpressionError(f"'{style}{{{shown}}}' (a vector?) is not the plain {shown}: declare {shown} a family "
                          f"(indexed) in the notation, or give '{style}{{{shown}}}' a pattern", column=column)


def not_a_constant(name: str, token: Token) -> None:
    """Raise for a letter or a word that is a constant's name in the expression language but not on the page: a
    capital E is a letter (an energy, an event), Euler's number is e; ``\\text{oo}`` is no infinity."""
    if name in CONSTANTS and not (name == "pi" and token.text == r"\pi"):
        raise ExpressionError(f"'{name}' on the page is a letter or a word, not the constant '{name}' of the "
                              "expression language (Euler's number is e, pi is \\pi): give it a pattern",
                              column=token.col)


def not_a_label(tokens: list[Token], hat: Token) -> list[Token]:
    """Raise for a superscript that is one parenthesised or bracketed group: ``\\theta^{(t)}``, ``W^{(2)}``,
    ``a^{[2]}`` label an iteration or a layer, ``f^{(2)}`` is a derivative's order; none is a power (a pattern says
    what the sheet means). The tokens otherwise."""
    if _one_group(tokens):
        raise ExpressionError(f"a superscript in {_GROUPS[tokens[0].kind]} (^{{(2)}}, ^{{[2]}}: a label, a "
                              "derivative's order or a power?) is not read: give the notation a pattern",
                              column=hat.col)
    return tokens


def _one_group(tokens: list[Token]) -> bool:
    """Whether the tokens are one group in parentheses or brackets, ``(2)`` or ``[l]``."""
    return bool(tokens) and tokens[0].kind in _GROUPS and closing(tokens, 0) == len(tokens) - 1


def one_index(tokens: list[Token]) -> None:
    """Raise if a family's subscript may be two indices: letters side by side (``x_{ij}``) or digits (``w_{12}``: the
    entry 12, or the entry (1, 2) of a matrix? a pattern ``w_{?i}`` says it is one index)."""
    two_letters(tokens)
    if len(tokens) == 1 and tokens[0].kind == K.NUMBER and len(tokens[0].text) > 1 and tokens[0].text.isdigit():
        raise ExpressionError(f"'{tokens[0].text}' in a subscript: one index, or {len(tokens[0].text)} indices? "
                              "give the notation a pattern ('w_{?i}' = \"w[?i]\" for one)", column=tokens[0].col)


def two_letters(tokens: list[Token]) -> None:
    """Raise if a subscript is letters side by side (``x_{ij}`` is x[i, j] to most readers, x[i*j] to a grammar) or
    one group in parentheses or brackets (``x_{(i)}``)."""
    if _one_group(tokens):      # x_{(i)}: the i-th smallest of x (an order statistic), not x_i
        raise ExpressionError(f"a subscript in {_GROUPS[tokens[0].kind]} (x_{{(i)}}: an order statistic, or the entry "
                              "x_i?) is not read: give the notation a pattern", column=tokens[0].col)
    if len(tokens) > 1 and all(t.kind == K.LETTER for t in tokens):
        raise ExpressionError(f"'{''.join(t.text for t in tokens)}' in a subscript: two indices, or their product? "
                              "give the notation a pattern", column=tokens[0].col)


#: Greek letters the reader takes as names (``\\alpha`` is ``alpha``).
GREEK = frozenset("""alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi
    pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi
    Omega ell""".split())


def greek_name(command: str) -> str:
    """The name a Greek letter's command stands for: ``\\alpha`` is ``alpha``, but ``\\lambda`` (a keyword of the
    expression language) is ``lam``."""
    return "lam" if command == r"\lambda" else command[1:]


def fill(replacement: str, texts: dict[str, str]) -> str:
    """A pattern's replacement with each hole replaced by its text, in parentheses."""
    return _HOLE.sub(lambda m: f"({texts[m.group(1)]})", replacement)


def match(pattern: tuple[Token, ...], tokens: list[Token], start: int, index: RunIndex | None = None
          ) -> tuple[int, dict[str, list[Token]]] | None:
    """Match ``pattern`` at ``tokens[start]``: the end position and what each hole took (as the module docstring
    says), or ``None``. ``index``: the :class:`RunIndex` of ``tokens``, when they are matched again and again."""
    holes: dict[str, list[Token]] = {}
    pos = start
    for n, want in enumerate(pattern):
        if want.kind != K.HOLE:
            if pos >= len(tokens) or tokens[pos].key() != want.key():
                return None
            pos += 1
            continue
        if pos >= len(tokens):
            return None
        after = pattern[n + 1] if n + 1 < len(pattern) else None
        if after is None or after.kind in (K.CARET, K.UNDERSCORE, K.HOLE):
            end = _atom_end(tokens, pos, scripts=after is None)
            if end is None:
                return None
            braced = tokens[pos].kind == K.LBRACE and closing(tokens, pos) + 1 == end
            taken = tokens[pos + 1:end - 1] if braced else tokens[pos:end]
        else:
            end = (index or RunIndex(tokens)).run_end(pos, after)
            if end is None:
                return None
            taken = tokens[pos:end]
        if not taken or (want.text in holes and [t.key() for t in holes[want.text]] != [t.key() for t in taken]):
            return None
        holes[want.text] = taken
        pos = end
    return pos, holes


def _atom_end(tokens: list[Token], pos: int, *, scripts: bool) -> int | None:
    """Where the atom at ``pos`` ends (with its scripts if ``scripts``), or ``None`` if no atom starts there."""
    t = tokens[pos]
    if t.kind in OPENERS:
        end = closing(tokens, pos) + 1
        scripts = scripts and t.kind != K.LPAREN    # \sigma(z)^2: an argument's script is on the application
    elif t.kind == K.CMD:
        end = pos + 1
        for _ in range(ARITY.get(t.text, 0) + (t.text == r"\sqrt" and end < len(tokens)
                                              and tokens[end].kind == K.LBRACKET)):
            if end < len(tokens) and tokens[end].kind in OPENERS:
                end = closing(tokens, end) + 1
    elif t.kind in _ATOMS:
        end = pos + 1
    else:
        return None
    while scripts and end + 1 < len(tokens) and tokens[end].kind in (K.CARET, K.UNDERSCORE) and \
            tokens[end + 1].kind == K.LBRACE:
        end = closing(tokens, end + 1) + 1
    return end


class RunIndex:
    """Where a placeholder's run can end in a token list: each token's nesting depth, and the positions of each token
    and of each closing bracket by depth. A pattern that starts with a placeholder is tried at every factor of a
    formula; with the index, finding where its run ends is a search, not a scan to the end (which made reading
    quadratic in the formula)."""

    def __init__(self, tokens: list[Token]) -> None:
        self.depths: list[int] = []
        self.at: dict[tuple[tuple[str, str], int], list[int]] = {}
        self.closers: dict[int, list[int]] = {}
        depth = 0
        for n, t in enumerate(tokens):
            self.depths.append(depth)
            self.at.setdefault((t.key(), depth), []).append(n)
            if t.kind in OPENERS:
                depth += 1
            elif t.kind in CLOSERS:
                self.closers.setdefault(depth, []).append(n)
                depth -= 1

    def run_end(self, pos: int, stop: Token) -> int | None:
        """The first token after ``pos`` like ``stop`` at the depth of ``pos``, with no bracket closed between (a
        run is balanced and never empty); ``None`` if there is none."""
        depth = self.depths[pos]
        candidates = self.at.get((stop.key(), depth), [])
        k = bisect.bisect_right(candidates, pos)
        if k == len(candidates):
            return None
        end = candidates[k]
        closers = self.closers.get(depth, [])
        j = bisect.bisect_left(closers, pos)
        return None if j < len(closers) and closers[j] < end else end


def placed(node: P.Node, col: int) -> P.Node:
    """The same tree with every column set to ``col`` (a pattern's reading sits where the pattern matched)."""
    changes: dict[str, Any] = {"col": col}
    for name in ("args", "indices", "items", "operands"):
        if hasattr(node, name):
            changes[name] = tuple(placed(child, col) for child in getattr(node, name))
    for name in ("base", "left", "right", "operand"):
        if hasattr(node, name):
            changes[name] = placed(getattr(node, name), col)
    return dataclasses.replace(node, **changes)
