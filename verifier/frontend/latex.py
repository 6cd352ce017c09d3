r"""The LaTeX math of answer sheets, read into the expression language's syntax tree (:mod:`.parser`'s nodes).

A hand-written scanner (:mod:`.latex_tokens`: TeX decides what the page shows, so ``2 3`` is 23) and a
recursive-descent parser; nothing is evaluated. What a symbol *means* comes from a notation table (:class:`Rules`,
:mod:`.latex_patterns`): LaTeX patterns with ``?placeholders``, the declared symbols and functions, default bounds of
``\sum_j``, and the meaning of operators such as ``*``. What the page leaves ambiguous is an error with its column
(the sheet turns it into an ``unknown`` step, "not read: REASON"), never a guess.

The grammar (EBNF; ``{ }`` repeats, ``[ ]`` is optional; tokens as the scanner gives them, every script and
command argument in braces)::

    relation   = sum { relop sum } ;
    relop      = "=" | "<" | ">" | "\leq" | "\geq" | "\neq" ;   (* also \lt \gt \le \ge \ne <= >= != *)
    sum        = [ "+" | "-" ] term { ( "+" | "-" ) term } ;
    term       = factor { ( "\cdot" | "\times" | "/" | OPERATOR ) factor | factor } ;
                 (* juxtaposition multiplies (:mod:`.latex_juxtapose`), but not before a number (x^10 shows
                    x^1 0, y{0} shows y0) or a braced sign (a{-1} shows a-1), nor after the right side of "/"
                    (1/2x: 1/(2x) or x/2?), nor across \quad (a = a \quad b = b: two equations?), nor a number
                    before a \frac of numbers (2\frac{1}{2}: a mixed number?), nor "[" right after a name or an
                    entry (y[0]: an entry of y?); (a)[b], a^2[b], 2[b] are products *)
    factor     = "-" factor | PATTERN-led power | big | leibniz-op | nabla | power ;
    big        = ( "\sum" | "\prod" ) "_" "{" index [ "=" sum | "\in" set ] "}" [ "^" group ] term ;
                 (* \sum_j: bounds from the notation; \sum_{x \in \{0, 1\}} f(x) is f(0) + f(1); the index
                    used again after the body, before the next relation, is refused (a longer body meant) *)
    set        = "\{" relation { "," relation } "\}" ;
    leibniz-op = "\frac" "{" D [ "^" n ] "}" "{" D var [ "^" n ] { D var [ "^" n ] } "}" reach ;
                 (* D is \partial, d or \mathrm{d}: \frac{d}{dz} f(z), \frac{d^2}{dx^2} f; applied to one factor:
                    what follows it other than + - or a relation is ambiguous *)
    nabla      = "\nabla" "_" "{" var "}" reach ;             (* only for a declared scalar or an entry *)
    power      = postfix [ "^" group ] ;         (* ^\top after a vector literal is a transpose, ^T a power of a
                                                    scalar when T is declared; x^2^3 is refused, as TeX does;
                                                    ^{(2)} and ^{[2]} (labels?) are not read *)
    postfix    = primary { "_" group } ;         (* an entry of a family, or k_1 -> k1; x_{(i)} (an order
                                                    statistic?) is not read *)
    primary    = PATTERN                                        (* the longest notation pattern here *)
               | NUMBER                                         (* 1 000, .4, 1{,}000{,}000, 3{,}14 *)
               | "e" | "\mathrm{e}" [ "^" group ]               (* Euler's number; e^{x} is exp(x) *)
               | NAME | WORD                                    (* a, \alpha, \mathrm{Var}, \operatorname{sign} *)
               | FUNCTION [ "^" n ] ( "(" args ")" | big | power )   (* \log x, \tanh^2(z), \log \sum_j ... *)
               | "\frac" group group                            (* a quotient, or d f / d x as above *)
               | "\sqrt" group | "\lceil" sum "\rceil" | "\lfloor" sum "\rfloor"
               | "(" args ")" | "[" args "]"                    (* a group, or a vector when there is a comma *)
               | "|" sum "|"                                    (* Abs *)
               | "\|" sum "\|"                                  (* a norm: of a scalar or a vector literal *)
               | "{" relation "}" | "\begin{cases}" cases "\end{cases}" ;
    cases      = value "&" condition { "\\" value "&" condition } ;   (* \text{for }, \text{if }, \text{otherwise} *)
    OPERATOR   = "*" | "\tilde{*}" ;                            (* only with a meaning under [operators] *)

Names and applications: a name followed by ``(`` is an application when it is a function of the notation (or built in),
a product when it is a declared value (``y(1 - f)`` with ``y`` a symbol); otherwise the page could mean either and it
is not read. A function's argument without parentheses is the factor that follows (``\log x``, ``\tanh \frac{x}{2}``)
or the sum that follows (``\log \sum_j e^{x_j}``); a second factor after it (``\log 2x``) is ambiguous. ``f^{n}(..)``
with ``n`` a positive integer is a power of the application; ``f^{-1}`` (an inverse, or a reciprocal?) is not read.
``\mathbf{x}``, ``\vec{x}`` are ``x`` for a family ``x`` only (else not read: a vector?); ``\log``, ``\ln``: natural
logarithms. ``\mathbb{E}`` (an expectation), ``\dots``, ``\approx``, matrices and a gradient with respect to a vector
are not read (patterns can say what they mean). Limits: :data:`~.parser.MAX_TEXT`, :data:`~.parser.MAX_DEPTH`.
"""

from __future__ import annotations

import functools
import re
from fractions import Fraction

from verifier.errors import ExpressionError
from verifier.frontend import latex_calculus as C
from verifier.frontend import latex_juxtapose as J
from verifier.frontend import latex_patterns as N
from verifier.frontend import latex_tokens as T
from verifier.frontend import parser as P
from verifier.frontend.latex_patterns import Pattern, Rules, RunIndex, pattern
from verifier.frontend.latex_tokens import CLOSERS, RELOPS, Token, TokenKind, scan
from verifier.frontend.names import CONSTANTS, FUNCTIONS

__all__ = ["RELOPS", "Pattern", "Rules", "Token", "TokenKind", "pattern", "read", "read_tokens", "scan"]

K = TokenKind
#: Functions written as commands, and their names in the expression language.
_FUNCTIONS = {r"\log": "log", r"\ln": "log", r"\exp": "exp", r"\tanh": "tanh", r"\sinh": "sinh",
              r"\cosh": "cosh", r"\sin": "sin", r"\cos": "cos", r"\tan": "tan", r"\max": "Max", r"\min": "Min"}
_STYLES = frozenset({r"\mathbf", r"\boldsymbol", r"\bm", r"\mathit", r"\mathsf", r"\vec"})
#: Things a sheet writes that have no reading.
_UNREADABLE = {r"\dots": "'\\dots' (an elided list)", r"\cdots": "'\\cdots' (an elided list)",
               r"\ldots": "'\\ldots' (an elided list)", r"\vdots": "'\\vdots' (an elided list)",
               r"\ddots": "'\\ddots' (an elided list)", r"\approx": "'\\approx' (an approximation)",
               r"\partial": "'\\partial' outside \\frac{\\partial ..}{\\partial ..}"}
_TERM_OPS = {r"\cdot": "*", r"\times": "*", "/": "/"}
_STARTS_FACTOR = frozenset({K.LETTER, K.UPRIGHT, K.NUMBER, K.CMD, K.WORD, K.LPAREN, K.LBRACKET, K.LBRACE, K.BAR,
                            K.NORM, K.BEGIN, K.SET_OPEN})
_NOT_FACTORS = frozenset({*_TERM_OPS, *RELOPS, r"\rceil", r"\rfloor", r"\to", r"\rightarrow", r"\in", "\\\\"})
#: What may follow an operator applied to one factor (d/dx, nabla) without making its reach ambiguous.
_REACH_ENDS = frozenset({K.PLUS, K.MINUS, K.STOP, K.COMMA, K.AMPERSAND, K.EQUAL, K.LESS, K.GREATER, *CLOSERS,
                         K.BAR, K.NORM})


class _Reader:
    def __init__(self, tokens: list[Token], rules: Rules, depth: int = 0) -> None:
        self.tokens = tokens
        self.pos = 0
        self.rules = rules
        self.depth = depth
        self.index: RunIndex | None = None

    # -- helpers
    @property
    def token(self) -> Token:
        pos = self.pos
        return self.tokens[pos] if pos < len(self.tokens) else self.peek(0)

    def peek(self, k: int = 1) -> Token:
        if (n := self.pos + k) < len(self.tokens):
            return self.tokens[n]
        return Token(K.STOP, "", self.tokens[-1].col + max(self.tokens[-1].width, 1) if self.tokens else 1)

    def runs(self) -> RunIndex:
        """The index of where placeholders' runs end in these tokens (built once)."""
        if self.index is None:
            self.index = RunIndex(self.tokens)
        return self.index

    def advance(self) -> Token:
        token = self.token
        self.pos += 1
        return token

    def is_cmd(self, *texts: str) -> bool:
        return self.token.kind == K.CMD and self.token.text in texts

    def group(self) -> list[Token]:
        """The tokens inside the braces at the current position."""
        start = self.token
        if start.kind != K.LBRACE:
            raise ExpressionError(f"expected '{{', found {T.describe(start)}", column=start.col)
        end = T.closing(self.tokens, self.pos)
        inner = self.tokens[self.pos + 1:end]
        self.pos = end + 1
        return inner

    def whole(self, tokens: list[Token], at: Token, *, relation: bool = False) -> P.Node:
        """Read a token list completely (a group's contents)."""
        if self.depth >= P.MAX_DEPTH:
            raise ExpressionError(f"formula nested too deeply (more than {P.MAX_DEPTH} levels)", column=at.col)
        if not tokens:
            raise ExpressionError("an empty group", column=at.col)
        reader = _Reader(tokens, self.rules, self.depth + 1)
        node = reader.relation() if relation else reader.sum()
        reader.finish()
        return node

    def finish(self) -> None:
        if self.token.kind != K.STOP:
            raise ExpressionError(f"cannot read {T.describe(self.token)} here", column=self.token.col)

    def starts_factor(self, token: Token) -> bool:
        return token.kind in _STARTS_FACTOR and not (token.kind == K.CMD and token.text in _NOT_FACTORS)

    def reach(self, name: str, bare: bool = False) -> None:
        """After an operator applied to one factor: anything but the end of a term (or a sign after a bare one)."""
        t = self.token
        if (t.kind not in _REACH_ENDS and T.relation_of(t) is None) or (bare and t.kind in (K.PLUS, K.MINUS)):
            raise ExpressionError(f"what {name} applies to is ambiguous here ({T.describe(t)} follows): put "
                                  "its operand in parentheses", column=t.col)

    # -- grammar
    def relation(self) -> P.Node:
        first = self.sum()
        operands, ops = [first], []
        while (op := T.relation_of(self.token)) is not None:
            self.advance()
            ops.append(op)
            operands.append(self.sum())
        return P.Compare(tuple(operands), tuple(ops), first.col) if ops else first

    def sum(self) -> P.Node:
        token = self.token
        if token.kind in (K.PLUS, K.MINUS):
            self.advance()
            operand = self.term()
            left: P.Node = P.Neg(operand, token.col) if token.kind == K.MINUS else operand
        else:
            left = self.term()
        while self.token.kind in (K.PLUS, K.MINUS):
            op = self.advance()
            left = P.BinOp(op.text, left, self.term(), left.col)
        return left

    def term(self) -> P.Node:
        left = last = self.factor()
        after_slash = False
        while True:
            token = self.token
            if (token.kind == K.CMD and token.text in _TERM_OPS) or token.kind == K.SLASH:
                self.advance()
                last = _not_vectors(left, self.factor(), token)
                left = P.BinOp(_TERM_OPS[token.text], left, last, left.col)
                after_slash = token.kind == K.SLASH
            elif (operator := self._operator(token)) is not None:
                name, width = operator
                self.pos += width
                last = self.factor()
                left = P.Call(name, (left, last), left.col)
                after_slash = False
            elif token.kind == K.STAR:
                raise ExpressionError("'*' has no meaning in the notation (give it one under [operators])",
                                      column=token.col)
            elif self.starts_factor(token):
                J.check(self.tokens, self.pos, last, after_slash, self.rules)
                last = _not_vectors(left, self.factor(), token)
                left = P.BinOp("*", left, last, left.col)
            else:
                return left

    def _operator(self, token: Token) -> tuple[str, int] | None:
        """The function a binary operator of the notation stands for (``*`` or ``\\tilde{*}``), and how many
        tokens the operator takes."""
        if token.kind == K.STAR and "*" in self.rules.operators:
            return self.rules.operators["*"], 1
        if token.kind == K.CMD and token.text == r"\tilde" and self.peek().kind == K.LBRACE and \
                self.peek(2).kind == K.STAR and self.peek(3).kind == K.RBRACE:
            name = self.rules.operators.get(r"\tilde{*}")
            if name is None:
                raise ExpressionError("'\\tilde{*}' has no meaning in the notation (give it one under "
                                      "[operators])", column=token.col)
            return name, 4
        return None

    def factor(self) -> P.Node:
        token = self.token
        if token.kind == K.MINUS:
            self.advance()
            return P.Neg(self.factor(), token.col)
        if any(N.match(p.tokens, self.tokens, self.pos, self.runs()) for p in self.rules.patterns):
            return self.power()
        if self.is_cmd(r"\sum", r"\prod"):
            return self.big(token)
        return self.power()

    def big(self, token: Token) -> P.Node:
        self.advance()
        lower = upper = None
        for _ in range(2):
            if self.token.kind == K.UNDERSCORE and lower is None:
                self.advance()
                lower = self.group()
            elif self.token.kind == K.CARET and upper is None:
                self.advance()
                upper = self.group()
        if lower is None:
            raise ExpressionError(f"'{token.text}' without an index below it", column=token.col)
        sub = _Reader(lower, self.rules, self.depth + 1)
        index = sub.sum()
        if not isinstance(index, P.Name):
            raise ExpressionError(f"the index of '{token.text}' must be a name", column=token.col)
        name = "Sum" if token.text == r"\sum" else "Product"
        if sub.token.kind == K.CMD and sub.token.text == r"\in":
            values = C.set_elements(sub.tokens, sub.pos, token, sub.whole)
            if upper is not None:
                raise ExpressionError(f"'{token.text}' over a set has no upper bound", column=token.col)
            body = C.big_body(self, token, index.id)
            terms = [C.substitute(body, index.id, value) for value in values]
            op = "+" if name == "Sum" else "*"
            return functools.reduce(lambda left, right: P.BinOp(op, left, right, token.col), terms[1:], terms[0])
        lo: P.Node | None = None
        if T.relation_of(sub.token) == "=":
            sub.advance()
            lo = sub.sum()
        sub.finish()
        if lo is None or upper is None:
            if lo is not None or upper is not None or index.id not in self.rules.bounds:
                raise ExpressionError(f"'{token.text}_{index.id}' has no bounds (give them in the sheet, or under "
                                      "[bounds] in the notation)", column=token.col)
            lo_text, hi_text = self.rules.bounds[index.id]
            lo, hi = P.parse_expression(lo_text), P.parse_expression(hi_text)
        else:
            hi = self.whole(upper, token)
        body = C.big_body(self, token, index.id)
        return P.Call(name, (body, P.Tuple((index, lo, hi), token.col)), token.col)

    def nabla(self, token: Token) -> P.Node:
        if self.token.kind != K.UNDERSCORE:
            raise ExpressionError("'\\nabla' is read only as \\nabla_{x} F, with x below it", column=token.col)
        self.advance()
        below = self.group()
        var = self.whole(below, token)
        vector = (below[0].kind == K.CMD and below[0].text in _STYLES) or (
            isinstance(var, P.Name) and (self.rules.is_family(var.id) or var.id not in self.rules.symbols))
        if vector or not isinstance(var, (P.Name, P.Index)):
            raise ExpressionError(f"a gradient with respect to '{P.unparse(var)}' (a vector, or undeclared) is not "
                                  "read: give the notation a pattern for it", column=token.col)
        target = self.factor()
        self.reach("'\\nabla'")
        return P.Call("diff", (target, var), token.col)

    def power(self) -> P.Node:
        base = self.postfix()
        raised = False
        while self.token.kind == K.CARET:
            if raised:
                raise ExpressionError("a double superscript (TeX refuses x^2^3): write x^{2^3}, or "
                                      "\\left(x^2\\right)^3", column=self.token.col)
            raised, hat = True, self.advance()
            exponent_tokens = N.not_a_label(self.group(), hat)
            top = len(exponent_tokens) == 1 and exponent_tokens[0].text in (r"\top", "T", r"\intercal")
            declared = top and exponent_tokens[0].text == "T" and self.rules.is_value("T")   # beta^T: a power
            if top and not (declared and not isinstance(base, P.Vector)):
                if not isinstance(base, P.Vector) or declared:
                    raise ExpressionError("a transpose is read only for a vector literal [a, b]^\\top (after one, "
                                          "a declared T: a power or a transpose?)", column=hat.col)
                continue
            if isinstance(base, P.Vector):
                raise ExpressionError("a power of a vector (v^2: v \\cdot v, or entrywise?) is not read",
                                      column=hat.col)
            base = P.BinOp("^", base, self.whole(exponent_tokens, hat), base.col)
        return base

    def postfix(self) -> P.Node:
        node = self.primary()
        while self.token.kind == K.UNDERSCORE:
            under = self.advance()
            node = self._subscript(node, self.group(), under)
            if isinstance(node, P.Name) and node.id in self.rules.functions:     # L_{CE}(p, t)
                return self.application(node.id, under)
        return node

    def _subscript(self, node: P.Node, tokens: list[Token], at: Token) -> P.Node:
        """``x_{i}``: an entry of a declared family, or a name written with its subscript (``k_1`` is ``k1``)."""
        if isinstance(node, P.Name):
            joined = node.id + "".join(t.text for t in tokens)
            if all(t.kind in (K.LETTER, K.NUMBER) for t in tokens) and (
                    self.rules.is_value(joined) or joined in self.rules.functions):
                return P.Name(joined, node.col)
            if self.rules.is_family(node.id):
                N.one_index(tokens)
                return P.Index(node, (self.whole(tokens, at),), node.col)
        shown = P.unparse(node) + "_{" + " ".join(t.text for t in tokens) + "}"
        raise ExpressionError(f"the subscripted name '{shown}' is not in the notation", column=node.col)

    def primary(self) -> P.Node:
        token = self.token
        if (found := self._pattern()) is not None:
            return found
        kind = token.kind
        if kind == K.NUMBER:
            self.advance()
            return P.Num(Fraction(token.text), token.col)
        if (kind == K.LETTER and token.text == "e" and "e" not in self.rules.symbols) or \
                (kind == K.UPRIGHT and token.text == "e"):
            self.advance()
            if self.token.kind == K.CARET:
                hat = self.advance()
                power = P.Call("exp", (self.whole(self.group(), hat),), token.col)
                if self.token.kind == K.CARET:
                    raise ExpressionError("a double superscript (TeX refuses x^2^3): write x^{2^3}, or "
                                          "\\left(x^2\\right)^3", column=self.token.col)
                return power
            return P.Name("E", token.col)
        if kind == K.LETTER:
            return self.named(self.advance().text, token)
        if kind == K.WORD:
            self.advance()
            word = token.text.strip()
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", word):
                raise ExpressionError(f"the text '{word}' is not a name", column=token.col)
            return self.named(word, token)
        if kind in (K.LPAREN, K.LBRACKET):
            return self.bracket(token)
        if kind == K.LBRACE:
            group = self.whole(self.group(), token, relation=True)
            if self.token.kind == K.CARET and not isinstance(group, (P.Name, P.Num, P.Index, P.Call)):
                raise ExpressionError("a script on braces, which TeX does not print ({x + 1}^2 shows x + 1²): "
                                      "write \\left( .. \\right)^{..}", column=self.token.col)
            return group
        if kind in (K.BAR, K.NORM):
            return self.bars(token)
        if kind == K.BEGIN:
            return self.environment(token)
        if kind == K.CMD:
            return self.command(token)
        if kind == K.UPRIGHT:
            raise ExpressionError("a differential 'd' outside \\frac{d ..}{d ..} is not read", column=token.col)
        raise ExpressionError(f"expected a formula, found {T.describe(token)}", column=token.col)

    def named(self, name: str, token: Token) -> P.Node:
        """A name: applied to arguments when it is a function; a value (or a product with what follows) when it
        is declared as one; otherwise not guessed when an application could be meant."""
        if self.rules.is_function(name):
            return self.application(name, token)
        N.not_a_constant(name, token)
        nxt = self.token
        if not self.rules.is_value(name) and name not in CONSTANTS and (
                nxt.kind == K.LPAREN or (len(name) > 1 and token.kind == K.WORD and self.starts_factor(nxt))):
            raise ExpressionError(f"'{name}' followed by {T.describe(nxt)}: an application or a product? declare "
                                  f"'{name}' in the notation (a function under [define], a value under [symbols])",
                                  column=token.col)
        return P.Name(name, token.col)

    def application(self, name: str, token: Token) -> P.Node:
        """``f(a, b)``, ``\\log x``, ``\\log \\sum_j ..``, ``\\tanh^2(z)``."""
        exponent: P.Node | None = None
        if self.token.kind == K.CARET:
            hat = self.advance()
            exponent = self.whole(N.not_a_label(self.group(), hat), hat)
            if not (isinstance(exponent, P.Num) and exponent.value.denominator == 1 and exponent.value >= 1) or \
                    name not in FUNCTIONS:      # f^2(x) of a function of the sheet: f(f(x)), or f(x)^2?
                raise ExpressionError(f"'{name}^{{{P.unparse(exponent)}}}': an inverse function, an iterate or a "
                                      f"power? write ({name}(..))^{{..}}", column=hat.col)
        if self.token.kind == K.LPAREN:
            call = P.Call(name, self.arguments(), token.col)
        elif self.is_cmd(r"\sum", r"\prod"):
            call = P.Call(name, (self.big(self.token),), token.col)
        elif self.starts_factor(self.token):
            call = P.Call(name, (self.power(),), token.col)     # \log x, \tanh \frac{x}{2}
            if self.starts_factor(self.token) or self.token.kind == K.SLASH:
                # \log 2x: log(2x) to most readers, (log 2)*x to a grammar; \log x/y likewise. Nothing is guessed.
                raise ExpressionError(f"the argument of '{name}' without parentheses is ambiguous here: write "
                                      f"{name}(...) around it, or put the factor after it first",
                                      column=self.token.col)
        else:
            raise ExpressionError(f"the function '{name}' needs an argument", column=token.col)
        return P.BinOp("^", call, exponent, token.col) if exponent is not None else call

    def arguments(self) -> tuple[P.Node, ...]:
        opener = self.token
        end = T.closing(self.tokens, self.pos)
        inner = self.tokens[self.pos + 1:end]
        self.pos = end + 1
        return tuple(self.whole(part, opener, relation=True) for part in T.parts(inner, K.COMMA, opener))

    def bracket(self, token: Token) -> P.Node:
        end = T.closing(self.tokens, self.pos)
        items = T.parts(self.tokens[self.pos + 1:end], K.COMMA, token)
        T.not_an_interval(token, self.tokens[end], len(items))
        self.pos = end + 1
        if len(items) == 1:
            return self.whole(items[0], token)
        return P.Vector(tuple(self.whole(item, token) for item in items), token.col)

    def bars(self, token: Token) -> P.Node:
        """``|a|`` (Abs) and ``\\|x\\|`` (a norm: of a scalar, or of a vector written out)."""
        end = T.bar_end(self.tokens, self.pos)
        inner, self.pos = self.whole(self.tokens[self.pos + 1:end], token), end + 1
        if token.kind == K.BAR and self.starts_factor(self.token) and self.token.kind != K.BAR and \
                any(t.kind == K.BAR for t in self.tokens[self.pos:]):     # |x|y|x|: |x| y |x|, or |x |y| x|?
            raise ExpressionError("'|' could close here or open: write \\left| .. \\right| with \\cdot, or "
                                  "parentheses", column=self.tokens[end].col)
        if token.kind == K.BAR:
            return P.Call("Abs", (inner,), token.col)
        if isinstance(inner, P.Vector) and all(C.is_scalar(item, self.rules) for item in inner.items):
            return C.euclidean_norm(inner)
        if C.is_scalar(inner, self.rules):
            return P.Call("Abs", (inner,), token.col)
        raise ExpressionError("the norm of a vector not written out is not read: give the notation a pattern "
                              "for it", column=token.col)

    def command(self, token: Token) -> P.Node:
        text = token.text
        self.advance()
        if text in _UNREADABLE:
            raise ExpressionError(f"{_UNREADABLE[text]} cannot be read", column=token.col)
        if text in _STYLES:
            return N.styled(text, self.whole(self.group(), token), self.rules, token.col)
        if text == r"\mathbb":
            letters = "".join(t.text for t in self.group())
            what = "an expectation: write the sum over the outcomes" if letters == "E" else "a set"
            raise ExpressionError(f"'\\mathbb{{{letters}}}' ({what}) is not read", column=token.col)
        if text == r"\nabla":
            return self.nabla(token)
        if text == r"\frac":
            top, bottom = self.group(), self.group()
            form = C.leibniz(top, bottom)
            if form is not None:
                variables = C.differentials(top, bottom, token, self.whole)
                _, rest = C.numerator(top)
                if rest and top[0].kind == K.LETTER and self.rules.is_value("d"):
                    raise ExpressionError("'d' is a value in the notation: \\frac{d ..}{d ..} could be a quotient; "
                                          "write \\mathrm{d} for a derivative", column=token.col)
                if rest:
                    return P.Call("diff", (self.whole(rest, top[0]), *variables), token.col)
                first, target = self.token, self.factor()
                self.reach(f"'\\frac{{{top[0].text}}}{{{bottom[0].text} ..}}'", C.bare(first, target))
                return P.Call("diff", (target, *variables), token.col)
            return P.BinOp("/", self.whole(top, token), self.whole(bottom, token), token.col)
        if text == r"\sqrt":
            if self.token.kind == K.LBRACKET:
                raise ExpressionError("only square roots are read (\\sqrt[n]{..} is not)", column=token.col)
            return P.Call("sqrt", (self.whole(self.group(), token),), token.col)
        if text in (r"\lceil", r"\lfloor"):
            inner = self.sum()
            closer = r"\rceil" if text == r"\lceil" else r"\rfloor"
            if self.token.text != closer:
                raise ExpressionError(f"expected '{closer}', found {T.describe(self.token)}", column=self.token.col)
            self.advance()
            return P.Call("ceiling" if text == r"\lceil" else "floor", (inner,), token.col)
        if text == r"\infty":
            return P.Name("oo", token.col)
        if text in _FUNCTIONS:
            return self.application(_FUNCTIONS[text], token)
        if text[1:] in N.GREEK:
            return self.named(N.greek_name(text), token)
        raise ExpressionError(f"'{text}' is not read (no pattern of the notation matches it)", column=token.col)

    def environment(self, token: Token) -> P.Node:
        end = T.closing(self.tokens, self.pos)
        inner, self.pos = self.tokens[self.pos + 1:end], end + 1
        if token.text != "cases":
            raise ExpressionError(f"the environment '{token.text}' is not read", column=token.col)
        pairs: list[P.Node] = []
        rows = T.parts(inner, "\\\\", token)
        for n, row in enumerate(rows):
            cells = T.parts(row, K.AMPERSAND, token)
            if len(cells) != 2:
                raise ExpressionError("each line of cases needs one '&' between the value and its condition",
                                      column=row[0].col if row else token.col)
            value = self.whole(cells[0], token)
            pairs.append(P.Tuple((value, self._condition(cells[1], token, n == len(rows) - 1)), value.col))
        return P.Call("Piecewise", tuple(pairs), token.col)

    def _condition(self, tokens: list[Token], at: Token, last: bool) -> P.Node:
        if tokens and tokens[0].kind == K.WORD:
            lead = tokens[0].text.strip().lower()
            if lead == "otherwise" and len(tokens) == 1:
                if not last:    # it holds where no other row does: read in place, the rows after it never would
                    raise ExpressionError("'otherwise' before the last row of cases is not read", column=tokens[0].col)
                return P.Name("True", tokens[0].col)
            if lead in ("for", "if", "when"):
                tokens = tokens[1:]
        if tokens and tokens[-1].kind in (K.COMMA, K.PERIOD):
            tokens = tokens[:-1]
        condition = self.whole(tokens, at, relation=True)
        if not isinstance(condition, P.Compare):
            raise ExpressionError("a condition of cases must be a relation or \\text{otherwise}",
                                  column=condition.col)
        return condition

    def _pattern(self) -> P.Node | None:
        for pat in self.rules.patterns:
            found = N.match(pat.tokens, self.tokens, self.pos, self.runs())
            if found is None:
                continue
            end, holes = found
            at = self.token
            pat.check_subscripts(holes)
            texts = {name: P.unparse(self.whole(tokens, at, relation=True)) for name, tokens in holes.items()}
            self.pos = end
            reading = N.fill(pat.replacement, texts)
            try:
                node = P.parse_expression(reading)
            except ExpressionError as err:
                raise ExpressionError(f"the pattern '{pat.source}' reads as '{reading}', which is not an "
                                      f"expression: {err.message}", column=at.col) from None
            if pat.ends_with_hole and self.starts_factor(self.token):
                raise ExpressionError(f"what the pattern '{pat.source}' takes is ambiguous here: "
                                      f"{T.describe(self.token)} follows it", column=self.token.col)
            return N.placed(node, at.col)
        return None


def _not_vectors(left: P.Node, right: P.Node, op: Token) -> P.Node:
    """``right``, unless both sides of a product are vectors written out (dot, cross or entrywise? unsaid)."""
    if isinstance(left, P.Vector) and isinstance(right, P.Vector):
        raise ExpressionError("a product of two vectors (dot, cross or entrywise?) is not read", column=op.col)
    return right


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
    try:    # the reading must be an expression the builder accepts (depth, size); its columns are the reading's
        P.parse_expression(P.unparse(node))
    except ExpressionError as err:
        raise ExpressionError(f"the reading '{P.unparse(node)[:60]}' is not an expression: {err.message}",
                              column=tokens[0].col) from None
    return node


def read(text: str, rules: Rules | None = None) -> P.Node:
    """Read the LaTeX formula ``text`` into the expression language's tree.

    Raises :class:`ExpressionError` with the 1-based column of what cannot be read.
    """
    return read_tokens(scan(text), rules or Rules())
