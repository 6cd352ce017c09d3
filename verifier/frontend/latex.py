r"""The LaTeX math of answer sheets, read into the expression language's syntax tree (:mod:`.parser`'s nodes).

A hand-written scanner and recursive-descent parser; nothing is evaluated. What a symbol *means* comes from a
notation table (:class:`Rules`, built by :mod:`verifier.frontend.notation`): LaTeX patterns with ``?placeholders``
(``\mathbf{x}_{?i}`` -> ``x[?i]``), the declared symbols and functions, default bounds of ``\sum_j``, and the
meaning of operators such as ``*``. What the reader cannot read with certainty is an error with its column (the
sheet turns it into an ``unknown`` step, "not read: REASON"), never a guess.

The grammar (EBNF; ``{ }`` repeats, ``[ ]`` is optional; tokens as the scanner gives them)::

    relation   = sum { relop sum } ;
    sum        = [ "+" | "-" ] term { ( "+" | "-" ) term } ;
    term       = factor { [ "\cdot" | "\times" | "/" | OPERATOR ] factor } ;   (* juxtaposition multiplies *)
    factor     = "-" factor | big | power ;
    big        = ( "\sum" | "\prod" ) [ "_" group ] [ "^" group ] term          (* the body is one term *)
               | "\frac" "{" "\partial" "}" "{" "\partial" var "}" factor        (* d/dB F *)
               | FUNCTION power ;          (* \log x, \tanh(..); \log 2x is not read: the argument is ambiguous *)
    power      = postfix { "^" group } ;                 (* ^\top after a vector literal is a transpose *)
    postfix    = primary { "_" group } ;                 (* an entry of an indexed family, or k_1 -> k1 *)
    primary    = PATTERN                                  (* the longest notation pattern that matches here *)
               | NUMBER | NAME [ "(" args ")" ]           (* a call only if NAME is a function *)
               | "e" "^" group                            (* exp *)
               | "\frac" group group                      (* a quotient, or a derivative d A / d B *)
               | "\sqrt" group | "\lceil" sum "\rceil" | "\lfloor" sum "\rfloor"
               | "(" args ")" | "[" args "]"              (* a group, or a vector when there is a comma *)
               | "|" sum "|"                              (* Abs *)
               | "{" relation "}" | "\begin{cases}" cases "\end{cases}" ;
    cases      = value "&" condition { "\\" value "&" condition } ;   (* \text{for }, \text{if }, \text{otherwise} *)
    relop      = "=" | "<" | ">" | "\leq" | "\geq" | "\neq" ;
    OPERATOR   = "*" | "\tilde{*}" ;                      (* only with a meaning under [operators] *)

A single character after ``_`` or ``^`` is read as if it were in braces (``x_i`` is ``x_{i}``). ``\left`` and
``\right``, spacing (``\,``, ``\quad``) and ``\displaystyle`` are ignored; ``\dfrac`` and ``\tfrac`` are ``\frac``,
and ``\frac12`` is ``\frac{1}{2}``;
``\mathbf{x}``, ``\boldsymbol{x}`` are ``x`` unless a pattern says otherwise. ``e`` is Euler's number unless the
notation declares it; ``\log`` and ``\ln`` are natural logarithms.

Limits are those of the expression parser: at most :data:`~.parser.MAX_TEXT` characters and
:data:`~.parser.MAX_DEPTH` levels of nesting.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from verifier.errors import ExpressionError
from verifier.frontend import parser as P
from verifier.frontend.names import FUNCTIONS

__all__ = ["RELOPS", "Pattern", "Rules", "Token", "read", "read_tokens", "scan"]

#: LaTeX relation commands and characters, and the expression language's operator for each.
RELOPS = {"=": "=", "<": "<", ">": ">", r"\leq": "<=", r"\geq": ">=", r"\neq": "!=", r"\le": "<=",
          r"\ge": ">=", r"\ne": "!=", r"\leqslant": "<=", r"\geqslant": ">="}

#: Commands that carry no meaning in a formula (spacing, sizing, style).
_IGNORED = frozenset({
    r"\,", r"\;", r"\:", r"\!", "\\ ", r"\quad", r"\qquad", r"\displaystyle", r"\textstyle", r"\left", r"\right",
    r"\big", r"\Big", r"\bigg", r"\Bigg", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr", r"\limits", r"\nolimits",
})
_SAME = {r"\dfrac": r"\frac", r"\tfrac": r"\frac", r"\le": r"\leq", r"\ge": r"\geq", r"\ne": r"\neq",
         r"\leqslant": r"\leq", r"\geqslant": r"\geq", r"\lbrack": "[", r"\rbrack": "]", r"\lvert": "|",
         r"\rvert": "|", r"\vert": "|", r"\ast": "*"}
#: Commands whose braced argument is read as if written plainly (font and accent styles).
_STYLES = frozenset({r"\mathbf", r"\boldsymbol", r"\bm", r"\mathit", r"\mathrm", r"\mathsf", r"\vec"})
#: Commands whose argument is a word: a name (``\text{Diag}``) or, in cases, a condition's lead-in.
_WORDS = frozenset({r"\text", r"\operatorname", r"\textrm", r"\mathrm", r"\textit"})
#: Functions written as commands, and their names in the expression language.
_FUNCTIONS = {r"\log": "log", r"\ln": "log", r"\exp": "exp", r"\tanh": "tanh", r"\sinh": "sinh",
              r"\cosh": "cosh", r"\sin": "sin", r"\cos": "cos", r"\tan": "tan", r"\max": "Max", r"\min": "Min"}
_GREEK = frozenset("""alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi
    pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi
    Omega""".split())
#: Things a sheet writes that have no reading: an elided pattern, a matrix.
_UNREADABLE = {r"\dots": "'\\dots' (an elided list)", r"\cdots": "'\\cdots' (an elided list)",
               r"\ldots": "'\\ldots' (an elided list)", r"\vdots": "'\\vdots' (an elided list)",
               r"\ddots": "'\\ddots' (an elided list)", r"\approx": "'\\approx' (an approximation)",
               r"\nabla": "'\\nabla' (no pattern of the notation matches this gradient)"}
_OPENERS = {"{": "}", "(": ")", "[": "]", "begin": "end"}


@dataclass(frozen=True, slots=True)
class Token:
    """One token: ``kind`` is "cmd", "letter", "number", "word" (the text of ``\\text{..}``), "begin"/"end"
    (an environment, ``text`` its name), "hole" (a pattern's ``?name``), "stop" or the character itself."""

    kind: str
    text: str
    col: int

    def key(self) -> tuple[str, str]:
        """What must be equal for two tokens to match (columns aside)."""
        return self.kind, self.text


_CMD = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_BRACED_WORD = re.compile(r"\s*\{([^{}]*)\}")
_SHORT_FRACTION = re.compile(r"\s*([0-9A-Za-z])\s*([0-9A-Za-z])")
_HOLE = re.compile(r"\?([A-Za-z]+)")
_PUNCT = frozenset("{}()[]^_+-*/=<>,&|'!.:;")


def _fill(replacement: str, texts: dict[str, str]) -> str:
    """A pattern's replacement with each hole replaced by its text, in parentheses."""
    return _HOLE.sub(lambda m: f"({texts[m.group(1)]})", replacement)


def scan(text: str, *, base: int = 0, holes: bool = False) -> list[Token]:
    """The tokens of ``text`` (columns are 1-based offsets plus ``base``), normalised as the module docstring says.

    Raises :class:`ExpressionError` at the column of a character that no token starts with.
    """
    if len(text) > P.MAX_TEXT:
        raise ExpressionError(f"formula too long (more than {P.MAX_TEXT} characters)", column=base + 1)
    out: list[Token] = []
    pos, n = 0, len(text)
    while pos < n:
        ch, col = text[pos], base + pos + 1
        if ch in " \t\r\n~":
            pos += 1
            continue
        if ch == "%":
            while pos < n and text[pos] != "\n":
                pos += 1
            continue
        if ch == "\\":
            m = _CMD.match(text, pos)
            if m is None:
                raise ExpressionError("a lone '\\' at the end of the formula", column=col)
            cmd = _SAME.get(m.group(), m.group())
            pos = m.end()
            if cmd in (r"\left", r"\right") and text[pos:pos + 1] == ".":
                pos += 1
                continue
            if cmd in _IGNORED:
                continue
            if cmd in (r"\begin", r"\end") or cmd in _WORDS:
                w = _BRACED_WORD.match(text, pos)
                if w is None:
                    raise ExpressionError(f"'{cmd}' must be followed by {{...}}", column=col)
                pos = w.end()
                if cmd in (r"\begin", r"\end"):
                    out.append(Token(cmd[1:], w.group(1).strip(), col))
                elif cmd == r"\mathrm" and len(w.group(1).strip()) == 1:
                    out.append(Token("letter", w.group(1).strip(), col))
                else:
                    out.append(Token("word", w.group(1), col))
                continue
            if cmd in ("[", "]", "|", "*", "{", "}"):   # \lbrack, \vert, \ast ...; \{ \} are set braces
                out.append(Token("set" + cmd if cmd in "{}" and m.group() in (r"\{", r"\}") else cmd, cmd, col))
                continue
            out.append(Token("cmd", cmd, col))
            if cmd == r"\frac" and (short := _SHORT_FRACTION.match(text, pos)):
                for g in (1, 2):    # \frac12 is \frac{1}{2}
                    at = base + short.start(g) + 1
                    kind = "number" if short.group(g).isdigit() else "letter"
                    out += [Token("{", "{", at), Token(kind, short.group(g), at), Token("}", "}", at)]
                pos = short.end()
            continue
        if m := _NUMBER.match(text, pos):
            out.append(Token("number", m.group(), col))
            pos = m.end()
            continue
        if ch.isascii() and ch.isalpha():
            out.append(Token("letter", ch, col))
            pos += 1
            continue
        if holes and (m := _HOLE.match(text, pos)):
            out.append(Token("hole", m.group(1), col))
            pos = m.end()
            continue
        if ch in _PUNCT:
            out.append(Token(ch, ch, col))
            pos += 1
            continue
        raise ExpressionError(f"unexpected character {ch!r}", column=col)
    _check_nesting(out)
    return _brace_scripts(out)


def _check_nesting(tokens: list[Token]) -> None:
    """Brackets and environments closed in order, at most :data:`~.parser.MAX_DEPTH` levels deep."""
    open_at: list[Token] = []
    for t in tokens:
        if t.kind in _OPENERS:
            open_at.append(t)
            if len(open_at) > P.MAX_DEPTH:
                raise ExpressionError(f"formula nested too deeply (more than {P.MAX_DEPTH} levels)", column=t.col)
        elif t.kind in ("}", ")", "]", "end"):
            if not open_at:
                raise ExpressionError(f"unmatched '{t.text}'", column=t.col)
            open_at.pop()
    if open_at:
        raise ExpressionError(f"'{open_at[-1].text}' is never closed", column=open_at[-1].col)


def _brace_scripts(tokens: list[Token]) -> list[Token]:
    """``x_i`` -> ``x_{i}`` and ``e^\\top`` -> ``e^{\\top}``: one token after ``_`` or ``^`` gets braces, so that a
    pattern written either way matches both. A command with a braced argument (``\\mathbf{x}``) keeps it."""
    out: list[Token] = []
    n = 0
    while n < len(tokens):
        t = tokens[n]
        out.append(t)
        n += 1
        if t.kind in ("_", "^") and n < len(tokens) and tokens[n].kind != "{":
            first = tokens[n]
            out.append(Token("{", "{", first.col))
            out.append(first)
            n += 1
            if first.kind == "cmd" and first.text in _STYLES and n < len(tokens) and tokens[n].kind == "{":
                end = _closing(tokens, n)
                out.extend(tokens[n:end + 1])
                n = end + 1
            out.append(Token("}", "}", first.col))
    return out


def _closing(tokens: list[Token], start: int) -> int:
    """The index of the token closing the bracket or environment at ``start``."""
    depth = 0
    for n in range(start, len(tokens)):
        kind = tokens[n].kind
        if kind in _OPENERS:
            depth += 1
        elif kind in ("}", ")", "]", "end"):
            depth -= 1
            if depth == 0:
                return n
    raise ExpressionError(f"'{tokens[start].text}' is never closed", column=tokens[start].col)


# --- The notation the reader uses ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pattern:
    """A LaTeX pattern of the notation table and the expression-language text it stands for."""

    tokens: tuple[Token, ...]
    replacement: str
    source: str


@dataclass(frozen=True)
class Rules:
    """What the reader knows about names: everything comes from the notation table."""

    patterns: tuple[Pattern, ...] = ()
    symbols: dict[str, str] = field(default_factory=dict)     # declared name -> its declaration
    functions: frozenset[str] = frozenset()                    # names defined with parameters
    abbreviations: frozenset[str] = frozenset()                # names defined without parameters
    bounds: dict[str, tuple[str, str]] = field(default_factory=dict)   # \sum_j -> (lo, hi)
    operators: dict[str, str] = field(default_factory=dict)    # "*" -> a function of two arguments

    def is_function(self, name: str) -> bool:
        """Whether ``name(...)`` is an application (otherwise it is a product)."""
        return name in self.functions or (name in FUNCTIONS and name not in self.symbols)


def pattern(source: str, replacement: str) -> Pattern:
    """A notation pattern; raises :class:`ExpressionError` if either side is malformed."""
    tokens = tuple(scan(source, holes=True))
    if not tokens:
        raise ExpressionError("an empty LaTeX pattern", column=1)
    holes = {t.text for t in tokens if t.kind == "hole"}
    used = set(_HOLE.findall(replacement))
    if used - holes:
        raise ExpressionError(f"the reading uses ?{sorted(used - holes)[0]}, which the pattern does not have",
                              column=1)
    P.parse_expression(_HOLE.sub(lambda m: m.group(1), replacement))
    return Pattern(tokens, replacement, source)


# --- The parser ------------------------------------------------------------------------------------------------

_STARTS_FACTOR = frozenset({"letter", "number", "cmd", "word", "(", "[", "{", "|", "begin", "set{"})
_TERM_OPS = {r"\cdot": "*", r"\times": "*", "/": "/"}
_END = Token("stop", "", 0)


class _Reader:
    def __init__(self, tokens: list[Token], rules: Rules, depth: int = 0) -> None:
        self.tokens = tokens
        self.pos = 0
        self.rules = rules
        self.depth = depth
        self.index: _Index | None = None

    # -- helpers
    @property
    def token(self) -> Token:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else self._end()

    def _end(self) -> Token:
        col = self.tokens[-1].col + len(self.tokens[-1].text) if self.tokens else 1
        return Token("stop", "", col)

    def peek(self, k: int = 1) -> Token:
        n = self.pos + k
        return self.tokens[n] if n < len(self.tokens) else self._end()

    def advance(self) -> Token:
        token = self.token
        self.pos += 1
        return token

    def expect(self, kind: str) -> Token:
        if self.token.kind != kind:
            raise ExpressionError(f"expected '{kind}', found {_describe(self.token)}", column=self.token.col)
        return self.advance()

    def group(self) -> list[Token]:
        """The tokens inside the braces (or the single bracket group) at the current position."""
        start = self.token
        if start.kind != "{":
            raise ExpressionError(f"expected '{{', found {_describe(start)}", column=start.col)
        end = _closing(self.tokens, self.pos)
        inner = self.tokens[self.pos + 1:end]
        self.pos = end + 1
        return inner

    def sub(self, tokens: list[Token], at: Token) -> _Reader:
        if self.depth >= P.MAX_DEPTH:
            raise ExpressionError(f"formula nested too deeply (more than {P.MAX_DEPTH} levels)", column=at.col)
        if not tokens:
            raise ExpressionError("an empty group", column=at.col)
        return _Reader(tokens, self.rules, self.depth + 1)

    def whole(self, tokens: list[Token], at: Token, *, relation: bool = False) -> P.Node:
        """Read a token list completely (a group's contents)."""
        reader = self.sub(tokens, at)
        node = reader.relation() if relation else reader.sum()
        reader.finish()
        return node

    def finish(self) -> None:
        token = self.token
        if token.kind != "stop":
            raise ExpressionError(f"cannot read {_describe(token)} here", column=token.col)

    # -- grammar
    def relation(self) -> P.Node:
        first = self.sum()
        operands, ops = [first], []
        while (op := _relop(self.token)) is not None:
            self.advance()
            ops.append(op)
            operands.append(self.sum())
        return P.Compare(tuple(operands), tuple(ops), first.col) if ops else first

    def sum(self) -> P.Node:
        token = self.token
        if token.kind in ("+", "-"):
            self.advance()
            operand = self.term()
            left: P.Node = P.Neg(operand, token.col) if token.kind == "-" else operand
        else:
            left = self.term()
        while self.token.kind in ("+", "-"):
            op = self.advance()
            left = P.BinOp(op.kind, left, self.term(), left.col)
        return left

    def term(self) -> P.Node:
        left = self.factor()
        while True:
            token = self.token
            if (token.kind == "cmd" and token.text in _TERM_OPS) or token.kind == "/":
                self.advance()
                left = P.BinOp(_TERM_OPS[token.text] if token.kind == "cmd" else "/", left, self.factor(), left.col)
            elif (operator := self._operator(token)) is not None:
                name, width = operator
                self.pos += width
                left = P.Call(name, (left, self.factor()), left.col)
            elif token.kind == "*":
                raise ExpressionError("'*' has no meaning in the notation (give it one under [operators])",
                                      column=token.col)
            elif self._starts_factor(token):
                left = P.BinOp("*", left, self.factor(), left.col)
            else:
                return left

    def _operator(self, token: Token) -> tuple[str, int] | None:
        """The function a binary operator of the notation stands for (``*`` or ``\\tilde{*}``), and how many
        tokens the operator takes."""
        if token.kind == "*" and "*" in self.rules.operators:
            return self.rules.operators["*"], 1
        if token.kind == "cmd" and token.text == r"\tilde" and self.peek().kind == "{" and \
                self.peek(2).kind == "*" and self.peek(3).kind == "}":
            name = self.rules.operators.get(r"\tilde{*}")
            if name is None:
                raise ExpressionError("'\\tilde{*}' has no meaning in the notation (give it one under "
                                      "[operators])", column=token.col)
            return name, 4
        return None

    def _starts_factor(self, token: Token) -> bool:
        if token.kind not in _STARTS_FACTOR:
            return False
        if token.kind == "cmd" and (token.text in _TERM_OPS or token.text in RELOPS or token.text in (
                r"\rceil", r"\rfloor", r"\to", r"\rightarrow", r"\in")):
            return False
        return True

    def factor(self) -> P.Node:
        token = self.token
        if token.kind == "-":
            self.advance()
            return P.Neg(self.factor(), token.col)
        if token.kind == "cmd" and token.text in (r"\sum", r"\prod"):
            return self.big(token)
        if token.kind == "cmd" and token.text == r"\frac" and self._is_operator_derivative():
            return self.derivative_operator(token)
        return self.power()

    def big(self, token: Token) -> P.Node:
        self.advance()
        lower = upper = None
        for _ in range(2):
            if self.token.kind == "_" and lower is None:
                self.advance()
                lower = self.group()
            elif self.token.kind == "^" and upper is None:
                self.advance()
                upper = self.group()
        if lower is None:
            raise ExpressionError(f"'{token.text}' without an index below it", column=token.col)
        sub = self.sub(lower, token)
        index = sub.sum()
        lo: P.Node | None = None
        if _relop(sub.token) == "=":
            sub.advance()
            lo = sub.sum()
        sub.finish()
        if not isinstance(index, P.Name):
            raise ExpressionError(f"the index of '{token.text}' must be a name", column=token.col)
        if lo is None or upper is None:
            if lo is not None or upper is not None or index.id not in self.rules.bounds:
                raise ExpressionError(f"'{token.text}_{index.id}' has no bounds (give them in the sheet, or under "
                                      "[bounds] in the notation)", column=token.col)
            lo_text, hi_text = self.rules.bounds[index.id]
            lo, hi = P.parse_expression(lo_text), P.parse_expression(hi_text)
        else:
            hi = self.whole(upper, token)
        body = self.term()
        name = "Sum" if token.text == r"\sum" else "Product"
        return P.Call(name, (body, P.Tuple((index, lo, hi), token.col)), token.col)

    def _is_operator_derivative(self) -> bool:
        """``\\frac{\\partial}{\\partial B}``: a derivative applied to what follows."""
        nxt, after = self.peek(), self.peek(2)
        return nxt.kind == "{" and after.kind == "cmd" and after.text == r"\partial" and self.peek(3).kind == "}"

    def derivative_operator(self, token: Token) -> P.Node:
        self.advance()
        self.group()
        var = self._variable(self.group(), token)
        target = self.factor()
        return P.Call("diff", (target, var), token.col)

    def _variable(self, tokens: list[Token], at: Token) -> P.Node:
        if not tokens or tokens[0].kind != "cmd" or tokens[0].text != r"\partial":
            raise ExpressionError("a derivative's denominator must start with '\\partial'", column=at.col)
        var = self.whole(tokens[1:], tokens[0])
        if not isinstance(var, (P.Name, P.Index)):
            raise ExpressionError(f"cannot differentiate with respect to '{P.unparse(var)}' (not a variable)",
                                  column=tokens[0].col)
        return var

    def power(self) -> P.Node:
        base = self.postfix()
        while self.token.kind == "^":
            hat = self.advance()
            exponent_tokens = self.group()
            if len(exponent_tokens) == 1 and exponent_tokens[0].text in (r"\top", "T", r"\intercal"):
                if not isinstance(base, P.Vector):
                    raise ExpressionError("a transpose is read only for a vector literal [a, b]^\\top",
                                          column=hat.col)
                continue
            exponent = self.whole(exponent_tokens, hat)
            base = P.BinOp("^", base, exponent, base.col)
        return base

    def postfix(self) -> P.Node:
        node = self.primary()
        while self.token.kind == "_":
            under = self.advance()
            index_tokens = self.group()
            node = self._subscript(node, index_tokens, under)
        return node

    def _subscript(self, node: P.Node, tokens: list[Token], at: Token) -> P.Node:
        """``x_{i}``: an entry of a declared family, or a name written with its subscript (``k_1`` is ``k1``)."""
        if isinstance(node, P.Name):
            joined = node.id + "".join(t.text for t in tokens)
            if all(t.kind in ("letter", "number") for t in tokens) and (
                    joined in self.rules.symbols or joined in self.rules.abbreviations):
                return P.Name(joined, node.col)
            if "indexed" in self.rules.symbols.get(node.id, "").split():
                index = self.whole(tokens, at)
                return P.Index(node, (index,), node.col)
        shown = P.unparse(node) + "_{" + " ".join(t.text for t in tokens) + "}"
        raise ExpressionError(f"the subscripted name '{shown}' is not in the notation", column=node.col)

    def primary(self) -> P.Node:
        token = self.token
        if (found := self._pattern()) is not None:
            return found
        kind = token.kind
        if kind == "number":
            self.advance()
            return P.Num(Fraction(token.text), token.col)
        if kind == "letter":
            return self.letter(token)
        if kind == "word":
            self.advance()
            word = token.text.strip()
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", word):
                raise ExpressionError(f"the text '{word}' is not a name", column=token.col)
            return self.named(word, token)
        if kind in ("(", "["):
            return self.bracket(token)
        if kind == "{":
            return self.whole(self.group(), token, relation=True)
        if kind == "|":
            end = _bar(self.tokens, self.pos)
            inner = self.tokens[self.pos + 1:end]
            self.pos = end + 1
            return P.Call("Abs", (self.whole(inner, token),), token.col)
        if kind == "begin":
            return self.environment(token)
        if kind == "cmd":
            return self.command(token)
        raise ExpressionError(f"expected a formula, found {_describe(token)}", column=token.col)

    def letter(self, token: Token) -> P.Node:
        self.advance()
        if token.text == "e" and "e" not in self.rules.symbols:
            if self.token.kind == "^":
                hat = self.advance()
                return P.Call("exp", (self.whole(self.group(), hat),), token.col)
            return P.Name("E", token.col)
        return self.named(token.text, token)

    def named(self, name: str, token: Token) -> P.Node:
        """A name, applied to arguments when it is a function and ``(`` follows."""
        if not self.rules.is_function(name):
            return P.Name(name, token.col)
        if self.token.kind == "(":
            return P.Call(name, self.arguments(), token.col)
        if self._starts_factor(self.token):
            call = P.Call(name, (self.power(),), token.col)     # \log x, \tanh \frac{x}{2}
            if self._starts_factor(self.token):
                # \log 2x: log(2x) to most readers, (log 2)*x to a grammar. Nothing is guessed.
                raise ExpressionError(f"the argument of '{name}' without parentheses is ambiguous here: write "
                                      f"{name}(...) around it, or put the factor after it first",
                                      column=self.token.col)
            return call
        raise ExpressionError(f"the function '{name}' needs an argument", column=token.col)

    def arguments(self) -> tuple[P.Node, ...]:
        opener = self.token
        end = _closing(self.tokens, self.pos)
        inner = self.tokens[self.pos + 1:end]
        self.pos = end + 1
        return tuple(self.whole(part, opener, relation=True) for part in _split(inner, ",", opener))

    def bracket(self, token: Token) -> P.Node:
        end = _closing(self.tokens, self.pos)
        inner = self.tokens[self.pos + 1:end]
        self.pos = end + 1
        parts = _split(inner, ",", token)
        if len(parts) == 1:
            return self.whole(parts[0], token)
        return P.Vector(tuple(self.whole(part, token) for part in parts), token.col)

    def command(self, token: Token) -> P.Node:
        text = token.text
        if text in _UNREADABLE:
            raise ExpressionError(f"{_UNREADABLE[text]} cannot be read", column=token.col)
        if text in _STYLES:
            self.advance()
            return self.whole(self.group(), token)
        if text == r"\frac":
            self.advance()
            top, bottom = self.group(), self.group()
            if top and top[0].kind == "cmd" and top[0].text == r"\partial":
                var = self._variable(bottom, token)
                return P.Call("diff", (self.whole(top[1:], top[0]), var), token.col)
            return P.BinOp("/", self.whole(top, token), self.whole(bottom, token), token.col)
        if text == r"\sqrt":
            self.advance()
            if self.token.kind == "[":
                raise ExpressionError("only square roots are read (\\sqrt[n]{..} is not)", column=token.col)
            return P.Call("sqrt", (self.whole(self.group(), token),), token.col)
        if text in (r"\lceil", r"\lfloor"):
            self.advance()
            inner = self.sum()
            closer = r"\rceil" if text == r"\lceil" else r"\rfloor"
            if self.token.text != closer:
                raise ExpressionError(f"expected '{closer}', found {_describe(self.token)}", column=self.token.col)
            self.advance()
            return P.Call("ceiling" if text == r"\lceil" else "floor", (inner,), token.col)
        if text in _FUNCTIONS:
            self.advance()
            return self.named(_FUNCTIONS[text], token)
        if text[1:] in _GREEK:
            self.advance()
            return self.named(text[1:], token)
        raise ExpressionError(f"'{text}' is not read (no pattern of the notation matches it)", column=token.col)

    def environment(self, token: Token) -> P.Node:
        end = _closing(self.tokens, self.pos)
        inner = self.tokens[self.pos + 1:end]
        self.pos = end + 1
        if token.text != "cases":
            raise ExpressionError(f"the environment '{token.text}' is not read", column=token.col)
        pairs: list[P.Node] = []
        for row in _split(inner, r"\\", token):
            cells = _split(row, "&", token)
            if len(cells) != 2:
                raise ExpressionError("each line of cases needs one '&' between the value and its condition",
                                      column=row[0].col if row else token.col)
            value = self.whole(cells[0], token)
            pairs.append(P.Tuple((value, self._condition(cells[1], token)), value.col))
        return P.Call("Piecewise", tuple(pairs), token.col)

    def _condition(self, tokens: list[Token], at: Token) -> P.Node:
        if tokens and tokens[0].kind == "word":
            lead = tokens[0].text.strip().lower()
            if lead == "otherwise" and len(tokens) == 1:
                return P.Name("True", tokens[0].col)
            if lead in ("for", "if", "when"):
                tokens = tokens[1:]
        if tokens and tokens[-1].kind in (",", "."):
            tokens = tokens[:-1]
        condition = self.whole(tokens, at, relation=True)
        if not isinstance(condition, P.Compare):
            raise ExpressionError("a condition of cases must be a relation or \\text{otherwise}",
                                  column=condition.col)
        return condition

    # -- patterns
    def _pattern(self) -> P.Node | None:
        for pat in self.rules.patterns:
            if self.index is None and any(t.kind == "hole" for t in pat.tokens):
                self.index = _Index(self.tokens)
            found = _match(pat.tokens, self.tokens, self.pos, self.index)
            if found is None:
                continue
            end, holes = found
            at = self.token
            texts = {name: P.unparse(self.whole(tokens, at, relation=True)) for name, tokens in holes.items()}
            self.pos = end
            reading = _fill(pat.replacement, texts)
            try:
                node = P.parse_expression(reading)
            except ExpressionError as err:
                raise ExpressionError(f"the pattern '{pat.source}' reads as '{reading}', which is not an "
                                      f"expression: {err.message}", column=at.col) from None
            return _at(node, at.col)
        return None


def _match(pattern: tuple[Token, ...], tokens: list[Token], start: int, index: _Index | None = None
           ) -> tuple[int, dict[str, list[Token]]] | None:
    """Match ``pattern`` at ``tokens[start]``: the end position and what each hole took, or ``None``.

    A hole takes the shortest balanced run of tokens followed by the pattern's next token (or, last in the
    pattern, one braced group or one token), never nothing.
    """
    holes: dict[str, list[Token]] = {}
    pos = start
    for n, want in enumerate(pattern):
        if want.kind != "hole":
            if pos >= len(tokens) or tokens[pos].key() != want.key():
                return None
            pos += 1
            continue
        if pos >= len(tokens):
            return None
        if n + 1 < len(pattern) and pattern[n + 1].kind != "hole":
            found = (index or _Index(tokens)).hole_end(pos, pattern[n + 1].key())
            if found is None:
                return None
            end = found
            taken = tokens[pos:end]
        else:
            end = _closing(tokens, pos) + 1 if tokens[pos].kind in _OPENERS else pos + 1
            taken = tokens[pos + 1:end - 1] if tokens[pos].kind == "{" else tokens[pos:end]
        if want.text in holes and [t.key() for t in holes[want.text]] != [t.key() for t in taken]:
            return None
        holes[want.text] = taken
        pos = end
    return pos, holes


class _Index:
    """Where a hole can end in a token list: each token's nesting depth, and the positions of each token and of each
    closing bracket by depth. A pattern that starts with a hole is tried at every position of a formula; with the
    index, finding where its hole ends is a search, not a scan to the end (which made reading quadratic)."""

    def __init__(self, tokens: list[Token]) -> None:
        self.depths: list[int] = []
        self.at: dict[tuple[tuple[str, str], int], list[int]] = {}
        self.closers: dict[int, list[int]] = {}
        depth = 0
        for n, t in enumerate(tokens):
            self.depths.append(depth)
            self.at.setdefault((t.key(), depth), []).append(n)
            if t.kind in _OPENERS:
                depth += 1
            elif t.kind in ("}", ")", "]", "end"):
                self.closers.setdefault(depth, []).append(n)
                depth -= 1

    def hole_end(self, pos: int, stop: tuple[str, str]) -> int | None:
        """The first token after ``pos`` equal to ``stop`` at the depth of ``pos``, with no bracket closed between
        (a hole takes a balanced run of tokens, never nothing); ``None`` if there is none."""
        depth = self.depths[pos]
        candidates = self.at.get((stop, depth), [])
        k = bisect.bisect_right(candidates, pos)
        if k == len(candidates):
            return None
        end = candidates[k]
        closers = self.closers.get(depth, [])
        j = bisect.bisect_left(closers, pos)
        return None if j < len(closers) and closers[j] < end else end


def _bar(tokens: list[Token], start: int) -> int:
    """The index of the ``|`` closing the one at ``start`` (outside brackets)."""
    depth = 0
    for n in range(start + 1, len(tokens)):
        kind = tokens[n].kind
        if kind == "|" and depth == 0:
            return n
        if kind in _OPENERS:
            depth += 1
        elif kind in ("}", ")", "]", "end"):
            depth -= 1
    raise ExpressionError("'|' is never closed", column=tokens[start].col)


def _at(node: P.Node, col: int) -> P.Node:
    """The same tree with every column set to ``col`` (a pattern's reading sits where the pattern matched)."""
    changes: dict[str, Any] = {"col": col}
    for name in ("args", "indices", "items", "operands"):
        if hasattr(node, name):
            changes[name] = tuple(_at(child, col) for child in getattr(node, name))
    for name in ("base", "left", "right", "operand"):
        if hasattr(node, name):
            changes[name] = _at(getattr(node, name), col)
    return dataclasses.replace(node, **changes)


def _split(tokens: list[Token], separator: str, at: Token) -> list[list[Token]]:
    """Split at ``separator`` tokens outside brackets and environments."""
    parts: list[list[Token]] = [[]]
    depth = 0
    for t in tokens:
        if t.kind in _OPENERS:
            depth += 1
        elif t.kind in ("}", ")", "]", "end"):
            depth -= 1
        if depth == 0 and (t.kind == separator or (t.kind == "cmd" and t.text == separator)):
            parts.append([])
        else:
            parts[-1].append(t)
    if any(not part for part in parts) and not (separator == r"\\" and not parts[-1]):
        raise ExpressionError(f"an empty part between '{separator}'", column=at.col)
    return [part for part in parts if part]


def _relop(token: Token) -> str | None:
    if token.kind in ("=", "<", ">"):
        return token.kind
    if token.kind == "cmd":
        return RELOPS.get(token.text)
    return None


def _describe(token: Token) -> str:
    if token.kind == "stop":
        return "the end of the formula"
    return f"'{token.text}'"


def read_tokens(tokens: list[Token], rules: Rules) -> P.Node:
    """Read one formula (an expression, or a relation) from its tokens."""
    if not tokens:
        raise ExpressionError("an empty formula", column=1)
    reader = _Reader(tokens, rules)
    try:
        node = reader.relation()
        reader.finish()
    except RecursionError:
        raise ExpressionError(f"formula nested too deeply (more than {P.MAX_DEPTH} levels)",
                              column=tokens[0].col) from None
    P.parse_expression(P.unparse(node))   # the reading must be an expression the builder accepts (depth, size)
    return node


def read(text: str, rules: Rules | None = None) -> P.Node:
    """Read the LaTeX formula ``text`` into the expression language's tree.

    Raises :class:`ExpressionError` with the 1-based column of what cannot be read.
    """
    return read_tokens(scan(text), rules or Rules())
