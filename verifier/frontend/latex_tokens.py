r"""The tokens of a LaTeX formula, as the page shows it: the scanner of :mod:`verifier.frontend.latex`.

TeX decides what a formula shows, so the scanner follows TeX where a careless reading would differ from the page:

- spaces vanish: ``2 3`` shows 23 and ``1 000`` shows 1000, so digits with only spaces between them are one
  number; ``.4`` is 0.4; a spacing command between digits (``2\,3``: a product or 23?) is not read;
- ``1{,}000{,}000`` and ``1,000,000`` (thousands) are 1000000, ``3{,}14`` (a decimal comma) is 3.14; ``1{,}000``
  and ``1,000`` are either 1000 or 1.0, and are not read; nor is a comma between digits inside brackets
  (``(1,000)``: a list?);
- a script or a command's argument without braces is one character or one command (``x^10`` raises the 1 only,
  ``\sqrt 2`` is ``\sqrt{2}``, ``\frac32`` is ``\frac{3}{2}``), given braces here so that ``x_i`` and ``x_{i}`` scan
  alike;
- ``\qquad`` between two formulas separates them as a line break ``\\`` does; what follows it without a relation is
  a tag or a remark, dropped (``\qquad [3]``), and ``\text`` after it is not read (a remark, or a condition?); an
  equation tag (``\quad (1)`` at the end, ``\tag{1}``, ``\tag*{..}``), ``\label{..}``, ``\nonumber`` and ``\notag`` are
  dropped;
- ``\boxed{a = b}`` is ``a = b``; ``\boxed{x}`` inside a formula is a group ``{x}``;
- ``\lt``, ``\gt``, ``<=``, ``>=``, ``!=`` are the relations they show; ``\mathrm{e}`` is Euler's number and
  ``\mathrm{d}`` a differential (:attr:`TokenKind.UPRIGHT`);
- ``\left``, ``\right``, small spaces (``\,``, ``\quad``) and ``\displaystyle`` vanish; ``\dfrac``, ``\tfrac`` and
  ``\cfrac`` are ``\frac``; ``\|``, ``\lVert`` and ``\rVert`` are the bars of a norm.

Every token has its column: 1-based offsets in the scanned text plus the ``base`` the caller gives (a sheet passes
the offset of the formula in its file, so that every message points into the file's line).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from verifier.errors import ExpressionError
from verifier.frontend import parser as P

__all__ = ["ARITY", "CLOSERS", "OPENERS", "RELOPS", "Token", "TokenKind", "bar_end", "closing", "describe",
           "digits_apart", "index_after_body", "mixed_number", "not_an_interval", "parts", "relation_of", "scan",
           "split"]


class TokenKind(StrEnum):
    """The kinds of tokens. Punctuation is its own kind, named by its character."""

    CMD = "cmd"            # a command: \frac, \sigma, \\ ...
    LETTER = "letter"      # one Latin letter
    UPRIGHT = "upright"    # \mathrm{e} (Euler's number) or \mathrm{d} (a differential)
    NUMBER = "number"      # digits, with at most one decimal point
    WORD = "word"          # the text of \text{..}, \operatorname{..}, \mathrm{..} of several letters
    BEGIN = "begin"        # \begin{name}
    END = "end"            # \end{name}
    HOLE = "hole"          # a pattern's ?name (only when scanning a pattern)
    STOP = "stop"          # the end of the formula (never in a scan's result)
    SET_OPEN = "set{"      # \{
    SET_CLOSE = "set}"     # \}
    NORM = "||"            # \|, \lVert, \rVert
    LBRACE = "{"
    RBRACE = "}"
    LPAREN = "("
    RPAREN = ")"
    LBRACKET = "["
    RBRACKET = "]"
    CARET = "^"
    UNDERSCORE = "_"
    PLUS = "+"
    MINUS = "-"
    STAR = "*"
    SLASH = "/"
    EQUAL = "="
    LESS = "<"
    GREATER = ">"
    COMMA = ","
    AMPERSAND = "&"
    BAR = "|"
    PRIME = "'"
    BANG = "!"
    PERIOD = "."
    COLON = ":"
    SEMICOLON = ";"


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its text (a command with its backslash, a number's digits, an environment's name) and
    its column. ``width`` is how many characters of the source it spans (``<=`` is the token ``\\leq`` of width 2);
    ``glued`` (scanning only) says that only spaces separate it from the digit before it; ``wide`` that a
    ``\\quad`` comes before it (two formulas side by side, or a product?)."""

    kind: TokenKind
    text: str
    col: int
    glued: bool = field(default=False, compare=False)
    width: int = field(default=0, compare=False)
    wide: bool = field(default=False, compare=False)

    def key(self) -> tuple[str, str]:
        """What must be equal for two tokens to match (columns aside)."""
        return self.kind, self.text


K = TokenKind
#: LaTeX relation commands and characters, and the expression language's operator for each.
RELOPS = {"=": "=", "<": "<", ">": ">", r"\leq": "<=", r"\geq": ">=", r"\neq": "!="}
OPENERS = frozenset({K.LBRACE, K.LPAREN, K.LBRACKET, K.BEGIN})
CLOSERS = frozenset({K.RBRACE, K.RPAREN, K.RBRACKET, K.END})
#: How many arguments a command (or a script mark) takes; each is a braced group or one token.
ARITY = {r"\frac": 2, r"\sqrt": 1, r"\boxed": 1, "^": 1, "_": 1, r"\mathbf": 1, r"\boldsymbol": 1, r"\bm": 1,
         r"\mathit": 1, r"\mathsf": 1, r"\vec": 1, r"\mathbb": 1, r"\mathcal": 1, r"\hat": 1, r"\bar": 1,
         r"\tilde": 1, r"\overline": 1, r"\widehat": 1, r"\widetilde": 1, r"\dot": 1, r"\ddot": 1}

#: Commands that show nothing of the formula's meaning (spacing, sizing, style).
_IGNORED = frozenset({
    r"\,", r"\;", r"\:", r"\!", "\\ ", r"\quad", r"\displaystyle", r"\textstyle", r"\left", r"\right", r"\big",
    r"\Big", r"\bigg", r"\Bigg", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr", r"\limits", r"\nolimits", r"\middle",
    r"\nonumber", r"\notag",
})
_SPACES = frozenset({r"\,", r"\;", r"\:", "\\ ", r"\quad", r"\qquad"})
_SAME = {r"\dfrac": r"\frac", r"\tfrac": r"\frac", r"\cfrac": r"\frac", r"\le": r"\leq", r"\ge": r"\geq",
         r"\ne": r"\neq", r"\leqslant": r"\leq", r"\geqslant": r"\geq", r"\lbrack": "[", r"\rbrack": "]",
         r"\lvert": "|", r"\rvert": "|", r"\vert": "|", r"\ast": "*", r"\lt": "<", r"\gt": ">",
         r"\lVert": r"\|", r"\rVert": r"\|", r"\Vert": r"\|"}
#: Commands that stand for a punctuation token.
_PUNCT_COMMANDS = {"[": K.LBRACKET, "]": K.RBRACKET, "|": K.BAR, "*": K.STAR, "<": K.LESS, ">": K.GREATER,
                   r"\{": K.SET_OPEN, r"\}": K.SET_CLOSE, r"\|": K.NORM}
#: Commands whose braced argument is a word: a name (``\text{Diag}``) or, in cases, a condition's lead-in.
_WORDS = frozenset({r"\text", r"\operatorname", r"\textrm", r"\mathrm", r"\textit", r"\tag", r"\label"})
_ASCII_RELATIONS = {op: cmd for cmd, op in RELOPS.items() if cmd != op}
#: Every spelling of a relation the scanner reads (``\le`` and ``\lt`` too), and the operator it stands for.
RELATION_WORDS = {**RELOPS, **{alias: RELOPS[cmd] for alias, cmd in _SAME.items() if cmd in RELOPS}}
#: Digits as TeX reads them: ASCII only (``²`` and ``①`` satisfy str.isdigit, and are no digits of a number).
_DIGITS = frozenset("0123456789")
#: The kinds named by one character, by that character.
_PUNCTUATION = {kind.value: kind for kind in TokenKind if len(kind.value) == 1}
_CMD = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)
_BRACED_WORD = re.compile(r"\s*\{([^{}]*)\}")
_HOLE = re.compile(r"\?([A-Za-z]+)")
_TAG = re.compile(r"\s*(?:\\(?:q?quad|,|;)\s*)*\(\s*[0-9]+(?:\.[0-9]+)*\s*\)\s*\Z")
_ROW_SPACE = re.compile(r"\s*\[\s*[-+]?(?:[0-9]*\.)?[0-9]+\s*(?:pt|em|ex|mm|cm|in|bp|pc|mu|sp|dd)\s*\]")
_THOUSANDS = re.compile(r",[0-9]{3}(?![0-9])")
_TEXT_NEXT = re.compile(r"\s*\\(?:text|textrm|textit|mathrm|operatorname)\b")
#: The rest of a row after ``\qquad`` (up to ``\\`` or ``&``), and whether it holds a relation (another formula).
_ROW_REST = re.compile(r"(?:[^\\&]|\\(?!\\))*")
_RELATION_TEXT = re.compile(r"[=<>]|\\(?:leq?|geq?|neq?|lt|gt|leqslant|geqslant)(?![A-Za-z])")


def scan(text: str, *, base: int = 0, holes: bool = False) -> list[Token]:
    """The tokens of ``text``, as the module docstring says (``holes``: a pattern, where ``?name`` is a token).

    Raises :class:`ExpressionError` at the column of what cannot be scanned.
    """
    if len(text) > P.MAX_TEXT:
        raise ExpressionError(f"formula too long (more than {P.MAX_TEXT} characters)", column=base + 1)
    key = (text, base, holes)
    found = _SCANS.get(key)
    if found is None:
        try:
            raw = _Scanner(text, base, holes).run()
            _check_nesting(raw)     # before anything recursive walks the groups
            tokens = _numbers(_arguments(raw))
            _check_nesting(tokens)
            found = tuple(_unbox(tokens))
        except ExpressionError as err:
            found = _Failed(err.message, err.column)
        global _SCANNED
        _SCANNED += len(text)
        if _SCANNED > _MAX_SCANNED:
            _SCANS.clear()
            _SCANNED = len(text)
        _SCANS[key] = found
    if isinstance(found, _Failed):
        raise ExpressionError(found.message, column=found.column)
    return list(found)


@dataclass(frozen=True)
class _Failed:
    """A scan that raised, kept to be raised again."""

    message: str
    column: int | None


#: Scans already made, by text, base and ``holes``: a sheet read without a table is scanned to infer its
#: declarations, then to list what is not read, then to be read; kept up to :data:`_MAX_SCANNED` characters.
_SCANS: dict[tuple[str, int, bool], tuple[Token, ...] | _Failed] = {}
_SCANNED = 0
_MAX_SCANNED = 300_000


class _Scanner:
    """The raw tokens: one per digit (numbers are joined once scripts have taken their single digit)."""

    def __init__(self, text: str, base: int, holes: bool) -> None:
        self.text = text
        self.base = base
        self.holes = holes
        self.out: list[Token] = []
        self.pos = 0
        self.spaced: Token | None = None     # a spacing command since the last token
        self.depth = 0                       # ( and [ open around here: a comma may separate a list

    def col(self, pos: int) -> int:
        return self.base + pos + 1

    def emit(self, kind: TokenKind, text: str, pos: int, *, glued: bool = False, end: int | None = None) -> None:
        width = len(text) if end is None else end - pos
        spaced = self.spaced
        self.out.append(Token(kind, text, self.base + pos + 1, glued, width,
                              spaced is not None and spaced.text == r"\quad"))
        self.spaced = None

    def last_is_digit(self) -> bool:
        return bool(self.out) and self.out[-1].kind == K.NUMBER

    def run(self) -> list[Token]:
        text, n = self.text, len(self.text)
        while self.pos < n:
            ch = text[self.pos]
            if ch in " \t\r\n":
                self.pos += 1
            elif ch == "%":
                while self.pos < n and text[self.pos] != "\n":
                    self.pos += 1
            elif ch == "~":
                self.spaced = Token(K.CMD, "~", self.col(self.pos))
                self.pos += 1
            elif ch == "\\":
                self.command()
            elif ch in _DIGITS or (ch == "." and self.pos + 1 < n and text[self.pos + 1] in _DIGITS):
                self.digit()
            elif ch.isascii() and ch.isalpha():
                self.emit(K.LETTER, ch, self.pos)
                self.pos += 1
            elif self.holes and (m := _HOLE.match(text, self.pos)):
                self.emit(K.HOLE, m.group(1), self.pos)
                self.pos = m.end()
            elif text.startswith("{,}", self.pos) and self.last_is_digit():
                self.emit(K.NUMBER, "{,}", self.pos, glued=True)
                self.pos += 3
            elif text[self.pos:self.pos + 2] in _ASCII_RELATIONS:
                self.emit(K.CMD, _ASCII_RELATIONS[text[self.pos:self.pos + 2]], self.pos, end=self.pos + 2)
                self.pos += 2
            elif ch == "," and self.last_is_digit() and _THOUSANDS.match(text, self.pos):
                self.comma_in_number()
            else:
                self.punctuation(ch)
        return self.out

    def digit(self) -> None:
        ch, at = self.text[self.pos], self.pos
        glued = self.last_is_digit()
        if self.spaced is not None and self.last_is_digit():
            raise ExpressionError(f"digits separated by '{self.spaced.text}': one number, or a product? write "
                                  "them together, or with \\cdot", column=self.spaced.col)
        self.pos += 1
        self.emit(K.NUMBER, ch, at, glued=glued)

    def comma_in_number(self) -> None:
        if self.depth > 0:
            raise ExpressionError("a comma between digits inside brackets: a thousands separator, or a list? "
                                  "write the number without it, or a space after the comma", column=self.col(self.pos))
        self.emit(K.NUMBER, "{,}", self.pos, glued=True, end=self.pos + 1)
        self.pos += 1

    def punctuation(self, ch: str) -> None:
        kind = _PUNCTUATION.get(ch)
        if kind is None:
            raise ExpressionError(f"unexpected character {ch!r}", column=self.col(self.pos))
        if kind in (K.LPAREN, K.LBRACKET):
            self.depth += 1
        elif kind in (K.RPAREN, K.RBRACKET):
            self.depth -= 1
        self.emit(kind, ch, self.pos)
        self.pos += 1

    def command(self) -> None:
        text, start = self.text, self.pos
        m = _CMD.match(text, start)
        if m is None:
            raise ExpressionError("a lone '\\' at the end of the formula", column=self.col(start))
        cmd = _SAME.get(m.group(), m.group())
        self.pos = m.end()
        if cmd == "\\\\" and (space := _ROW_SPACE.match(text, self.pos)):
            self.pos = space.end()      # \\[4pt]: space between rows, nothing printed
        if cmd in (r"\left", r"\right") and text[self.pos:self.pos + 1] == ".":
            self.pos += 1
            return
        if cmd in (r"\quad", r"\qquad") and _TAG.match(text, self.pos):
            self.pos = len(text)    # an equation's tag at the end: "(1)"
            return
        if cmd == r"\qquad" and self.out and self.out[-1].kind != K.AMPERSAND and self.out[-1].text != "\\\\":
            rest = _ROW_REST.match(text, self.pos)
            assert rest is not None     # it matches the empty string
            if _TEXT_NEXT.match(text, self.pos):        # a remark, or a condition on the formula: not chosen
                raise ExpressionError("text after '\\qquad' (a remark, or a condition on the formula?) is not read",
                                      column=self.col(start))
            if not _RELATION_TEXT.search(rest.group()):
                self.pos = rest.end()   # a tag or a remark ([3], x): no part of the chain, never its anchor
                return
            self.emit(K.CMD, "\\\\", start, end=self.pos)     # two formulas side by side
            return
        if cmd in _IGNORED or cmd == r"\qquad":
            if cmd in _SPACES:
                self.spaced = Token(K.CMD, cmd, self.col(start))
            return
        if cmd == r"\tag" and text.startswith("*", self.pos):
            self.pos += 1       # \tag*{..}: a label without parentheses
        if cmd in (r"\begin", r"\end") or cmd in _WORDS:
            self.braced_word(cmd, start)
            return
        if cmd in _PUNCT_COMMANDS:
            self.emit(_PUNCT_COMMANDS[cmd], cmd, start, end=self.pos)
            return
        self.emit(K.CMD, cmd, start, end=self.pos)

    def braced_word(self, cmd: str, start: int) -> None:
        w = _BRACED_WORD.match(self.text, self.pos)
        if w is None:
            raise ExpressionError(f"'{cmd}' must be followed by {{...}}", column=self.col(start))
        self.pos = w.end()
        word = w.group(1).strip()
        if cmd in (r"\tag", r"\label"):
            return
        if cmd in (r"\begin", r"\end"):
            self.emit(K.BEGIN if cmd == r"\begin" else K.END, word, start, end=self.pos)
        elif cmd == r"\mathrm" and word in ("e", "d"):
            self.emit(K.UPRIGHT, word, start, end=self.pos)
        elif cmd == r"\mathrm" and len(word) == 1:
            self.emit(K.LETTER, word, start, end=self.pos)
        else:
            self.emit(K.WORD, w.group(1), start, end=self.pos)


def _arguments(tokens: list[Token], depth: int = 0) -> list[Token]:
    """Each argument of a command or a script mark in braces: ``x^10`` -> ``x^{1}0``, ``\\sqrt 2`` ->
    ``\\sqrt{2}``, ``x_\\mathbf{y}`` -> ``x_{\\mathbf{y}}``. An argument is a braced group, or one token (a
    command with its own arguments)."""
    out: list[Token] = []
    if tokens and depth > P.MAX_DEPTH:
        raise ExpressionError(f"formula nested too deeply (more than {P.MAX_DEPTH} levels)", column=tokens[0].col)
    n, count = 0, len(tokens)
    while n < count:
        t = tokens[n]
        if t.kind in _TAKERS and t.text in ARITY:
            n = _with_arguments(tokens, n, out, depth)
        else:   # most tokens take no argument
            out.append(t)
            n += 1
    return out


#: What a script mark's argument is, for messages.
_ROLE = {"^": "superscript", "_": "subscript"}
#: Kinds of tokens that may take arguments.
_TAKERS = frozenset({K.CMD, K.CARET, K.UNDERSCORE})


def _with_arguments(tokens: list[Token], n: int, out: list[Token], depth: int = 0) -> int:
    """Copy ``tokens[n]`` and its arguments to ``out``; the index after them (``depth``: how many arguments and
    groups hold this token, bounded so that ``\\sqrt\\sqrt..`` is refused before Python's own limit)."""
    t = tokens[n]
    if depth > P.MAX_DEPTH:
        raise ExpressionError(f"formula nested too deeply (more than {P.MAX_DEPTH} levels)", column=t.col)
    out.append(t)
    n += 1
    arity = ARITY.get(t.text, 0) if t.kind in (K.CMD, K.CARET, K.UNDERSCORE) else 0
    if t.text == r"\sqrt" and n < len(tokens) and tokens[n].kind == K.LBRACKET:
        end = closing(tokens, n)
        out.extend(_arguments(tokens[n:end + 1], depth + 1))
        n = end + 1
    for _ in range(arity):
        if n >= len(tokens) or tokens[n].kind in CLOSERS or tokens[n].kind in (K.CARET, K.UNDERSCORE):
            raise ExpressionError(f"'{t.text}' needs an argument", column=t.col)
        first = tokens[n]
        if first.kind in (K.PLUS, K.MINUS) and t.kind == K.CARET:     # z^-1 shows z with a lone minus raised, then 1
            raise ExpressionError(f"'^' raises only '{first.text}' without braces (TeX shows z^-1 as z^{{-}} 1): "
                                  "write braces around the whole superscript", column=first.col)
        if first.kind in (K.LPAREN, K.LBRACKET):    # y_[0] puts '[' below and 0] after it: never what was meant
            raise ExpressionError(f"'{t.text}' takes only '{first.text}' without braces (TeX shows y_[0] as y with "
                                  f"'[' below, then 0]): write braces around the whole {_ROLE.get(t.text, 'argument')}",
                                  column=first.col)
        if first.kind == K.LBRACE:
            end = closing(tokens, n)
            out.extend(_arguments(tokens[n:end + 1], depth + 1))
            n = end + 1
            continue
        out.append(Token(K.LBRACE, "{", first.col))
        n = _with_arguments(tokens, n, out, depth + 1)
        out.append(Token(K.RBRACE, "}", first.col))
    if arity and out[-2].text.isdigit() and n < len(tokens) and tokens[n].kind == K.NUMBER and tokens[n].glued:
        # x^10 and \sum_{j=1}^10 show x^1 0 and a bound 1 before a 0: what was meant is not guessed
        raise ExpressionError(f"a number right after a factor ('{tokens[n].text}'): TeX shows x^10 as x^1 0; "
                              "write \\cdot, or braces around an exponent", column=tokens[n].col)
    return n


def _numbers(tokens: list[Token]) -> list[Token]:
    """Digits with nothing but spaces between them joined into one number (as TeX shows them), thousands
    separators and a decimal comma read, or refused where they are ambiguous."""
    out: list[Token] = []
    for t in tokens:
        if t.kind != K.NUMBER:
            out.append(t)       # only digits are glued
        elif t.glued and out and out[-1].kind == K.NUMBER:
            out[-1] = Token(K.NUMBER, out[-1].text + t.text, out[-1].col,
                            width=t.col + t.width - out[-1].col, wide=out[-1].wide)
        else:
            if t.text == "{,}":
                raise ExpressionError("a thousands separator not between digits", column=t.col)
            out.append(Token(t.kind, t.text, t.col, width=t.width, wide=t.wide) if t.glued else t)
    return [_number(t) if t.kind == K.NUMBER else t for t in out]


def _number(token: Token) -> Token:
    text, col = token.text, token.col
    if not any(ch.isdigit() for ch in text.replace("{,}", "")):
        raise ExpressionError("a decimal point without a digit (a script or an argument takes one character: "
                              "x^{.5}, not x^.5)", column=col)
    if text.count(".") > 1:
        raise ExpressionError(f"a number with two decimal points ('{text}')", column=col)
    if text.endswith("{,}"):
        raise ExpressionError("a thousands separator not between digits", column=col)
    groups = text.split("{,}")
    if len(groups) == 1:
        return token
    if "." in text:
        raise ExpressionError(f"a number with both a comma and a decimal point ('{text}')", column=col)
    if len(groups) == 2 and len(groups[1]) != 3:
        # 3{,}14: a decimal comma
        return Token(K.NUMBER, f"{groups[0]}.{groups[1]}", col, width=token.width, wide=token.wide)
    if all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3:
        if len(groups) == 2:
            raise ExpressionError(f"'{text.replace('{,}', ',')}' is a thousands separator or a decimal comma: "
                                  "write the number without it", column=col)
        return Token(K.NUMBER, "".join(groups), col, width=token.width, wide=token.wide)
    raise ExpressionError(f"the digits of '{text.replace('{,}', ',')}' are not in groups of three", column=col)


def _unbox(tokens: list[Token]) -> list[Token]:
    """``\\boxed{a = b}`` -> ``a = b`` (a boxed relation stands at the formula's top); ``\\boxed{x}`` -> ``{x}``."""
    out: list[Token] = []
    n = 0
    while n < len(tokens):
        t = tokens[n]
        if t.kind == K.CMD and t.text == r"\boxed":
            end = closing(tokens, n + 1)
            inner = _unbox(tokens[n + 2:end])
            if len(split(inner, lambda x: relation_of(x) is not None)) > 1:
                out.extend(inner)
            else:
                out.extend([tokens[n + 1], *inner, tokens[end]])
            n = end + 1
            continue
        out.append(t)
        n += 1
    return out


def _check_nesting(tokens: list[Token]) -> None:
    """Brackets and environments closed in order, at most :data:`~.parser.MAX_DEPTH` levels deep."""
    open_at: list[Token] = []
    for t in tokens:
        if t.kind in OPENERS:
            open_at.append(t)
            if len(open_at) > P.MAX_DEPTH:
                raise ExpressionError(f"formula nested too deeply (more than {P.MAX_DEPTH} levels)", column=t.col)
        elif t.kind in CLOSERS:
            if not open_at:
                raise ExpressionError(f"unmatched '{t.text}'", column=t.col)
            open_at.pop()
    if open_at:
        raise ExpressionError(f"'{open_at[-1].text}' is never closed", column=open_at[-1].col)


def closing(tokens: list[Token], start: int) -> int:
    """The index of the token closing the bracket or environment at ``start``."""
    depth = 0
    for n in range(start, len(tokens)):
        kind = tokens[n].kind
        if kind in OPENERS:
            depth += 1
        elif kind in CLOSERS:
            depth -= 1
            if depth == 0:
                return n
    raise ExpressionError(f"'{tokens[start].text}' is never closed", column=tokens[start].col)


def split(tokens: list[Token], is_separator: Callable[[Token], bool]) -> list[list[Token]]:
    """``tokens`` cut at the separators outside brackets and environments (``is_separator``: a token predicate).
    Empty parts are kept."""
    parts: list[list[Token]] = [[]]
    depth = 0
    for t in tokens:
        if depth == 0 and is_separator(t):
            parts.append([])
            continue
        if t.kind in OPENERS:
            depth += 1
        elif t.kind in CLOSERS:
            depth -= 1
        parts[-1].append(t)
    return parts


def bar_end(tokens: list[Token], start: int) -> int:
    """The index of the bar closing the one at ``start`` (of the same kind, outside brackets)."""
    depth = 0
    for n in range(start + 1, len(tokens)):
        kind = tokens[n].kind
        if kind == tokens[start].kind and depth == 0:
            return n
        if kind in OPENERS:
            depth += 1
        elif kind in CLOSERS:
            depth -= 1
    raise ExpressionError(f"'{tokens[start].text}' is never closed", column=tokens[start].col)


def not_an_interval(opening: Token, close: Token, items: int) -> None:
    r"""Raise for brackets that may show an interval: ``[0, 1)``, ``\left( 0, 1 \right]`` (mismatched) or ``(0, 1)``
    (a pair, or the open interval?); only ``[a, b]`` is a vector, and ``(..)`` without a comma a group."""
    if (opening.kind == K.LPAREN) != (close.kind == K.RPAREN):
        raise ExpressionError(f"'{opening.text}' closed by '{close.text}': an interval? not read", column=opening.col)
    if opening.kind == K.LPAREN and items > 1:
        raise ExpressionError("'(a, b)': a pair, or an open interval? not read (a vector is written [a, b])",
                              column=opening.col)


def parts(tokens: list[Token], separator: str, at: Token) -> list[list[Token]]:
    """Split at ``separator`` tokens (a kind, or a command's text) outside brackets and environments."""
    parts = split(tokens, lambda t: t.kind == separator or (t.kind == K.CMD and t.text == separator))
    if separator == "\\\\" and len(parts) > 1 and not parts[-1]:
        parts = parts[:-1]
    if any(not part for part in parts):
        raise ExpressionError(f"an empty part between '{separator}'", column=at.col)
    return parts


def mixed_number(tokens: list[Token], n: int) -> bool:
    """Whether a number stands right before a ``\\frac`` of two numbers at ``n`` (``2\\frac{1}{2}``: the page shows
    a mixed number, 2½, which a product would misread)."""
    shape = [K.NUMBER, K.CMD, K.LBRACE, K.NUMBER, K.RBRACE, K.LBRACE, K.NUMBER, K.RBRACE]
    window = tokens[n - 1:n + 7] if n >= 1 else []
    return [t.kind for t in window] == shape and window[1].text == r"\frac"


def digits_apart(tokens: list[Token], n: int) -> bool:
    """Whether a braced group starting with a digit at ``n`` follows a digit, bare or braced (``{2}{3}``, ``2{3}``:
    TeX prints 23, a product would be read)."""
    if n < 1 or n + 1 >= len(tokens) or tokens[n].kind != K.LBRACE or tokens[n + 1].kind != K.NUMBER:
        return False
    before = tokens[n - 1]
    return before.kind == K.NUMBER or (before.kind == K.RBRACE and n >= 2 and tokens[n - 2].kind == K.NUMBER)


def index_after_body(rest: list[Token], index: str, big: str) -> None:
    """Refuse ``rest`` (what follows a sum's body) when the sum's index is used in it before the next relation or
    sum: the writer of ``\\sum_j \\frac{1}{j} - \\frac{1}{j+1}`` meant a longer body than the page gives, and the
    index would be read as a free name."""
    for token in rest:
        if relation_of(token) is not None or (token.kind == K.CMD and token.text in (r"\sum", r"\prod")):
            return
        if token.kind == K.LETTER and token.text == index:
            raise ExpressionError(f"the index '{index}' of '{big}' is used after its body: put the body in "
                                  "parentheses", column=token.col)


def relation_of(token: Token) -> str | None:
    """The expression language's relation a token stands for, or ``None``."""
    if token.kind in (K.EQUAL, K.LESS, K.GREATER):
        return token.text
    if token.kind == K.CMD:
        return RELOPS.get(token.text)
    return None


def describe(token: Token) -> str:
    """A token as an error message quotes it."""
    if token.kind == K.STOP:
        return "the end of the formula"
    return f"'{token.text}'"
