r"""A notation table inferred from a sheet (``verify init``), for a person to correct: every guess says why.

What is guessed, from how each name is written in the sheet's display math:

- a letter written with an index below it (``x_i``, ``\mathbf{x}_{n+j-1}``) is a family, ``indexed real``, and a
  letter used as such an index is an ``integer``;
- a name with digits or capitals below it (``k_1``, ``L_{CE}``) is a name of its own (``k1``, ``LCE``);
- a name applied to arguments and defined in the sheet by a line ``g(z) = ...`` becomes a ``[define]`` with the
  sheet's right side; applied but not defined, or defined differently in two places (``f(x) = x^2`` in one answer,
  ``f(x) = 2x`` in another), it is left to the person, with its lines;
- a sum's index is bound by its sum, and a letter (or a name of its own, ``k_1``) as its upper bound a positive
  integer; a sum written without bounds (``\sum_j``) gets a commented ``[bounds]`` line;
- a digit above a bold letter labels a layer, not a power, where the sheet shows it: the letter written bold with two
  different digits above it (``\mathbf{a}^1``, ``\mathbf{a}^2``) or with a 1 (a vector has no power, and no one
  writes a power 1). Each such letter and digit is a family of its own (``a2``, ``indexed real``), its entries
  ``a_i^2`` (``[latex]`` patterns written in the table); a name the sheet already uses (``a2`` from ``a_2``) leaves
  the letter as it is;
- a letter written only before a bracket (``y[0]``: an entry, or a product?) is left to the person, with its line;
- every other letter is ``real``, the weakest assumption (a sheet that means positive says so in the table).

The table ends with the entries its reading still cannot read, with their lines.
"""

from __future__ import annotations

import bisect
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from verifier.errors import DerivationFileError, ExpressionError
from verifier.frontend import parser as P
from verifier.frontend.latex import Rules, Token, TokenKind, read_tokens, scan
from verifier.frontend.latex_patterns import GREEK, greek_name
from verifier.frontend.latex_tokens import closing, relation_of, split
from verifier.frontend.layout import lay_out
from verifier.frontend.names import CONSTANTS, FUNCTIONS
from verifier.frontend.notation import Notation, notation_from_text
from verifier.frontend.sheet import READ_SECONDS, Sheet, read_sheet
from verifier.model import ClaimResult
from verifier.printable import printable

__all__ = ["INFERRED", "infer_table", "inferred_notation", "settle_inferred"]

K = TokenKind
LineOf = Callable[[int], int]
_STYLES = frozenset({r"\mathbf", r"\boldsymbol", r"\bm", r"\mathit", r"\vec"})
_SIGMOID = '"sigma(z)" = "1/(1 + exp(-z))"'


@dataclass
class _Facts:
    """What the sheet shows about each name: where it is first seen, and how it is used."""

    letters: dict[str, int] = field(default_factory=dict)          # name -> first line
    families: dict[str, tuple[int, str]] = field(default_factory=dict)   # base -> (line, how it is written)
    indices: dict[str, int] = field(default_factory=dict)
    joined: dict[str, tuple[int, str, str]] = field(default_factory=dict)   # k1 -> (line, "k_{1}", "k")
    applied: dict[str, int] = field(default_factory=dict)
    values: set[str] = field(default_factory=set)                  # names also written without '(' after them
    defined: dict[str, tuple[tuple[str, ...], list[Token], int]] = field(default_factory=dict)
    unbounded: dict[str, int] = field(default_factory=dict)        # \sum_j without bounds -> line
    counts: dict[str, int] = field(default_factory=dict)           # K of \sum_{j=1}^{K} -> line
    styled: set[str] = field(default_factory=set)                  # names also written \mathbf{x}
    layered: dict[str, str] = field(default_factory=dict)          # a -> why its digits above are layers
    layers: dict[str, tuple[int, str, str, str]] = field(default_factory=dict)   # a2 -> (line, shown, "a", "2")
    bold_layers: dict[str, str] = field(default_factory=dict)      # a2 -> the style it is written in: \mathbf
    plain_layers: set[str] = field(default_factory=set)            # a2 also written a^2, neither bold nor indexed
    bare: set[str] = field(default_factory=set)                    # letters written as values, neither bold nor indexed
    bracketed: dict[str, int] = field(default_factory=dict)        # y of y[0] -> line
    redefined: dict[str, list[int]] = field(default_factory=dict)  # defined differently at these lines


#: How the table of a sheet read without one is named: the sheet's name and this.
INFERRED = " (declarations inferred)"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_(])")
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def _defaults(shown: str) -> Notation:
    return notation_from_text("", Path(shown), shown)


def inferred_notation(text: str, sheet: Path, shown: str, deadline: float | None = None) -> Notation:
    """The notation a sheet is read with when it has no table: the inferred one (``verify init`` writes it).
    ``deadline``: as for :func:`infer_table`."""
    table = infer_table(text, shown, deadline)
    return notation_from_text(table, sheet.with_name(sheet.stem + "-inferred.notation.toml"), shown + INFERRED)


def settle_inferred(sheets: dict[str, Sheet], notations: list[Notation], results: list[ClaimResult]) -> None:
    """A step of a sheet that is refuted only under declarations its table lists as guesses (``inferred``, which
    ``verify init`` writes and a sheet read without a table has for every name) is ``unknown``, saying which
    declarations it rests on: a line true for integers is false for reals."""
    tables = {n.path: n for n in notations}
    for result in results:
        sheet = sheets.get(result.claim.file)
        notation = tables.get(sheet.table) if sheet is not None else None
        if notation is None or not notation.inferred:
            continue
        declared = {name: text for name, text, _ in notation.symbols}
        for n, outcome in enumerate(result.outcomes):
            if outcome.verdict in ("proved", "checked") and (unshown := _unshown(
                    outcome.obligation.text, {k: v for k, v in declared.items() if k in notation.inferred})):
                taken = ", ".join(f"{name} as {declared[name]}" for name in unshown)
                result.outcomes[n] = replace(outcome, verdict="unknown", method=None, message=(
                    f"{outcome.verdict}, but only with declarations that are guesses the step does not show "
                    f"({taken}): declare what the sheet means in its table and take the names out of 'inferred', "
                    f"for a verdict. {outcome.message or ''}").strip())
            if outcome.verdict != "refuted":
                continue
            names = sorted({m.group() for m in _NAME.finditer(outcome.obligation.text)} & notation.inferred)
            if not names:
                continue        # 2^10 = 1000, or a step on names the table says it means: a refutation
            taken = ", ".join(f"{name} as {declared.get(name, 'guessed')}" for name in names)
            result.outcomes[n] = replace(outcome, verdict="unknown", method=None, message=(
                f"refuted, but only with declarations that are guesses ({taken}): declare what the sheet means (an "
                f"integer, a positive number) in its table (`verify init {result.claim.file}` writes one) and take "
                f"the names out of 'inferred', for a verdict. {outcome.message or ''}").strip())


def _unshown(text: str, guesses: dict[str, str]) -> list[str]:
    """The names of a step whose guessed declaration says more than ``real`` (an integer, positive, a range) and
    that the step does not show as such: a sum's index or bound, or an index, in the step shows a count; a guess from
    another answer (n a sum's bound there, floor(n) = |n| here) does not."""
    strong = {name for name, decl in guesses.items() if decl.split() not in (["real"], ["indexed", "real"])}
    if not strong:
        return []
    try:
        node = P.parse_relation(text)
    except ExpressionError:
        return sorted(strong & {m.group() for m in _NAME.finditer(text)})
    shown: set[str] = set()
    for sub in P.walk(node):
        if isinstance(sub, P.Call) and sub.func in ("Sum", "Product") and len(sub.args) == 2 and \
                isinstance(sub.args[1], P.Tuple):
            shown |= set().union(*(P.names(item) for item in sub.args[1].items))
        elif isinstance(sub, P.Index):      # x_i: the step shows i as an index
            shown |= set().union(*(P.names(item) for item in sub.indices))
    return sorted((P.names(node) & strong) - shown)


def infer_table(text: str, shown: str, deadline: float | None = None) -> str:
    """The commented TOML notation table inferred from the sheet ``text`` (``shown`` names it in messages).
    ``deadline`` (on the monotonic clock, by default the reading time of one sheet from now) bounds the inference
    and the trial reading together; past it the table lists the limit among what is not read."""
    if deadline is None:
        deadline = time.monotonic() + READ_SECONDS
    layout = lay_out(text, shown, _defaults(shown))
    facts = _Facts()
    line_of = _line_counter(layout.starts)
    answers: dict[str, _Facts] = {}         # what each answer shows, for a letter that is a family elsewhere
    scanned: dict[int, list[Token]] = {}
    for block in layout.blocks:
        if time.monotonic() > deadline:
            break       # the trial reading below reports the limit
        scanned[block.start] = _tokens(block.content, block.base)
    facts.layered = _layered(list(scanned.values()), line_of)
    for answer in layout.answers:
        for block in layout.blocks_of(answer):
            if block.start in scanned and time.monotonic() <= deadline:
                _observe(scanned[block.start], answers.setdefault(answer.number, _Facts(layered=facts.layered)),
                         line_of)
    for tokens in scanned.values():
        if time.monotonic() > deadline:
            break
        _observe(tokens, facts, line_of)
    body = _table(facts) + _scalars(facts, answers)
    notation = notation_from_text(body, Path(shown), shown)
    unread = _unread(text, shown, notation, deadline)
    tail = ["", "# Not read with this table (line: reason); a pattern under [latex] can say what they mean:"]
    # A reason quotes the sheet, whose text may break a line (a CR read as a line ending): one comment line each.
    tail += [f"#   line {line}: {reason.replace(chr(10), chr(92) + 'n')}" for line, reason in unread] or ["#   (none)"]
    # What the sheet wrote is copied into comments: a control character there is no valid TOML.
    return printable(body + "\n".join(tail) + "\n")


def _tokens(content: str, base: int) -> list[Token]:
    try:
        return scan(content, base=base)
    except ExpressionError:
        return []


def _digit_above(tokens: list[Token], at: int) -> str | None:
    """The digit of ``^{d}`` at ``tokens[at]`` (one digit alone in the braces), if that is what is there."""
    if at + 3 < len(tokens) and tokens[at].kind == K.CARET and tokens[at + 1].kind == K.LBRACE and \
            tokens[at + 2].kind == K.NUMBER and re.fullmatch(r"[0-9]", tokens[at + 2].text) and \
            tokens[at + 3].kind == K.RBRACE:
        return tokens[at + 2].text
    return None


def _layered(scanned: list[list[Token]], line_of: LineOf) -> dict[str, str]:
    """The letters whose digits above are layer labels, each with why: written bold with two different digits
    above (a^1 and a^2) or with a 1; a letter whose family name (a2) the sheet already writes (a_2) is left out."""
    digits: dict[str, dict[str, int]] = {}
    taken: set[str] = set()
    for tokens in scanned:
        for n, t in enumerate(tokens):
            if t.kind == K.CMD and t.text in _STYLES and n + 3 < len(tokens) and \
                    tokens[n + 2].kind == K.LETTER and tokens[n + 3].kind == K.RBRACE and \
                    (digit := _digit_above(tokens, n + 4)) is not None:
                digits.setdefault(tokens[n + 2].text, {}).setdefault(digit, line_of(t.col))
            elif t.kind == K.LETTER and n + 3 < len(tokens) and tokens[n + 1].kind == K.UNDERSCORE and \
                    tokens[n + 2].kind == K.LBRACE and tokens[n + 3].kind == K.NUMBER:
                taken.add(t.text + tokens[n + 3].text)
    out: dict[str, str] = {}
    for letter, seen in digits.items():
        if not _PLAIN.fullmatch(letter) or any(letter + digit in taken for digit in seen) or \
                not (len(seen) > 1 or "1" in seen):
            continue
        shown = " and ".join(f"^{digit} at line {line}" for digit, line in sorted(seen.items()))
        out[letter] = f"bold {letter} with {shown}"
    return out


def _scalars(facts: _Facts, answers: dict[str, _Facts]) -> str:
    """Claim tables declaring ``real`` a letter that is a family elsewhere but written in these answers only as a
    plain letter, never indexed nor bold (``x`` one input in question 7, ``x_j`` a batch in question 4); a question's
    table when no answer of the question indexes it."""
    out: list[str] = []
    for base in facts.families:
        plain = {number: f.letters[base] for number, f in answers.items()
                 if base in f.values and base not in f.families and base not in f.styled}
        indexed = {number for number, f in answers.items() if base in f.families or base in f.styled}
        questions: dict[str, list[str]] = {}
        for number in plain:
            questions.setdefault(number.split(".")[0], []).append(number)
        for question, numbers in questions.items():
            whole = "." in numbers[0] and not any(n.split(".")[0] == question for n in indexed)
            for number in [question] if whole else numbers:
                line = min(plain[n] for n in numbers) if whole else plain[number]
                out += ["", _line(f'[claim."q{number}"]', f"{base} is written without an index here (first at "
                                  f"line {line}): a value of its own, not the family"),
                        f'symbols = {{ {base} = "real" }}']
    return "\n".join(out) + ("\n" if out else "")


def _line_counter(starts: list[int]) -> LineOf:
    def line_of(col: int) -> int:
        return bisect.bisect_right(starts, col - 1)
    return line_of


def _observe(tokens: list[Token], facts: _Facts, line_of: LineOf) -> None:
    skip: set[int] = set()
    for n, t in enumerate(tokens):
        if t.kind == K.CMD and t.text == r"\frac" and n + 1 < len(tokens):
            top_end = closing(tokens, n + 1)
            for first in (n + 2, top_end + 2):      # the d of d/dx is no name
                if first < len(tokens) and tokens[first].kind == K.LETTER and tokens[first].text == "d":
                    skip.add(first)
        if t.kind == K.CMD and t.text in (r"\sum", r"\prod") and n + 2 < len(tokens) and \
                tokens[n + 1].kind == K.UNDERSCORE:
            end = closing(tokens, n + 2)
            below = tokens[n + 3:end]
            if below and below[0].kind == K.LETTER:
                skip.add(n + 3)
                bounded = any(x.kind == K.EQUAL for x in below) or (end + 1 < len(tokens)
                                                                   and tokens[end + 1].kind == K.CARET)
                if not bounded and not any(x.kind == K.CMD and x.text == r"\in" for x in below):
                    facts.unbounded.setdefault(below[0].text, line_of(t.col))
            upper = end + 4 < len(tokens) and tokens[end + 1].kind == K.CARET and tokens[end + 3].kind == K.LETTER
            if upper and tokens[end + 4].kind == K.RBRACE:     # \sum_{j=1}^{K}: K counts terms
                facts.counts.setdefault(tokens[end + 3].text, line_of(t.col))
            elif upper and tokens[end + 4].kind == K.UNDERSCORE and end + 5 < len(tokens) and \
                    tokens[end + 5].kind == K.LBRACE:                # \sum_{j=1}^{k_1}: so does k1
                last = closing(tokens, end + 5)
                below = tokens[end + 6:last]
                if _own_name(below) and last + 1 < len(tokens) and tokens[last + 1].kind == K.RBRACE:
                    facts.counts.setdefault(tokens[end + 3].text + "".join(x.text for x in below), line_of(t.col))
    _definitions(tokens, facts, line_of)
    n = 0
    while n < len(tokens):
        n = _name_at(tokens, n, facts, line_of, skip)


def _name_at(tokens: list[Token], n: int, facts: _Facts, line_of: LineOf, skip: set[int]) -> int:
    """Observe the name that starts at ``tokens[n]`` (if one does); the index after it."""
    t = tokens[n]
    name, after = None, n + 1
    if t.kind == K.LETTER and n not in skip and t.text != "e":
        name = t.text
        if name in facts.layered and (digit := _digit_above(tokens, after)) is not None:
            facts.layers.setdefault(name + digit, (line_of(t.col), f"{name}^{digit}", name, digit))
            facts.plain_layers.add(name + digit)
            return after + 4
    elif t.kind == K.CMD and t.text in _STYLES and n + 3 < len(tokens) and tokens[n + 2].kind == K.LETTER \
            and tokens[n + 3].kind == K.RBRACE:
        name, after = tokens[n + 2].text, n + 4
        if name in facts.layered and (digit := _digit_above(tokens, after)) is not None:
            facts.layers.setdefault(name + digit, (line_of(t.col), f"{t.text}{{{name}}}^{digit}", name, digit))
            facts.bold_layers.setdefault(name + digit, t.text)
            return after + 4
        facts.styled.add(name)
    elif t.kind == K.CMD and t.text[1:] in GREEK:
        name = greek_name(t.text)
    elif t.kind == K.WORD and re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", t.text.strip()) and \
            n + 1 < len(tokens) and tokens[n + 1].kind == K.LPAREN:
        name = t.text.strip()       # a word names something only when applied: \text{for } is prose
    if name is None or not _PLAIN.fullmatch(name):      # \mathrm{é}: no name of the language, left not read
        return n + 1
    line = line_of(t.col)
    if after + 1 < len(tokens) and tokens[after].kind == K.UNDERSCORE and tokens[after + 1].kind == K.LBRACE:
        end = closing(tokens, after + 1)
        below = tokens[after + 2:end]
        shown = f"{name}_{{{''.join(x.text for x in below)}}}"
        if any(x.kind == K.WORD for x in below):
            name = None         # J_{\text{softmax}}: a label, for a pattern
        elif _own_name(below):
            facts.joined.setdefault(name + "".join(x.text for x in below), (line, shown, name))
            name = name + "".join(x.text for x in below)
        elif below and name in facts.layered and (digit := _digit_above(tokens, end + 1)) is not None:
            facts.layers.setdefault(name + digit, (line, f"{shown}^{digit}", name, digit))
            for x in below:
                if x.kind == K.LETTER:
                    facts.indices.setdefault(x.text, line)
            return end + 5
        elif below and not (len(below) > 1 and all(x.kind == K.LETTER for x in below)):
            facts.families.setdefault(name, (line, shown))
            for x in below:
                if x.kind == K.LETTER:
                    facts.indices.setdefault(x.text, line)
            name = None
        else:
            name = None         # x_{kj}: two indices or a product; the reader says so
        after = end + 1
    if name is not None:
        facts.letters.setdefault(name, line)
        if after < len(tokens) and tokens[after].kind == K.LPAREN:
            facts.applied.setdefault(name, line)
        elif after < len(tokens) and tokens[after].kind == K.LBRACKET:
            facts.bracketed.setdefault(name, line)      # y[0]: an entry, or y times [0]? no value seen
        else:
            facts.values.add(name)
            if t.kind == K.LETTER and after == n + 1:
                facts.bare.add(name)
    return after


def _own_name(below: list[Token]) -> bool:
    """Whether what is below a letter makes a name of its own with it: digits (``k_1``) or capitals (``L_{CE}``)."""
    return (bool(below) and all(x.kind == K.NUMBER for x in below)) or (
        len(below) > 1 and all(x.kind == K.LETTER and x.text.isupper() for x in below))


def _definitions(tokens: list[Token], facts: _Facts, line_of: LineOf) -> None:
    """``g(z) = RHS`` at the start of a row or cell: a definition of ``g`` with the parameters written."""
    for row in split(tokens, lambda t: (t.kind == K.CMD and t.text == "\\\\") or t.kind == K.AMPERSAND):
        if len(row) < 5 or row[1].kind != K.LPAREN:
            continue
        head = row[0]
        name = None
        if head.kind == K.LETTER:
            name = head.text
        elif head.kind == K.CMD and head.text[1:] in GREEK:
            name = greek_name(head.text)
        elif head.kind == K.WORD:
            name = head.text.strip()
        close = closing(row, 1)
        params = split(row[2:close], lambda t: t.kind == K.COMMA)
        if name is None or not _PLAIN.fullmatch(name) or name in FUNCTIONS or name in CONSTANTS or \
                not all(len(p) == 1 and p[0].kind == K.LETTER and _PLAIN.fullmatch(p[0].text) for p in params) or \
                len({p[0].text for p in params}) < len(params) or \
                close + 1 >= len(row) or row[close + 1].kind != K.EQUAL:
            continue        # KL(p, p) = 0 is a claim about KL, not its definition
        rest = row[close + 2:]
        rhs = split(rest, lambda t: relation_of(t) is not None)[0]
        if rhs:
            seen, line = facts.defined.get(name), line_of(head.col)
            if seen is None:
                facts.defined[name] = (tuple(p[0].text for p in params), rhs, line)
            elif (seen[0], [t.text for t in seen[1]]) != (tuple(p[0].text for p in params), [t.text for t in rhs]):
                facts.redefined.setdefault(name, [seen[2]]).append(line)    # f(x) = x^2, later f(x) = 2x


def _table(facts: _Facts) -> str:
    out = ["# A notation table inferred from the sheet by `verify init`: each guess says why; correct what is wrong.",
           "# A real name may be declared positive, an integer given its range (\"integer 1..K\"); see README.", "",
           "[symbols]"]
    declared: set[str] = set()
    for base, (line, shown) in facts.families.items():
        out.append(_line(f'{base} = "indexed real"', f"{shown} at line {line}: a family, indexed"))
        declared.add(base)
    for layer, (line, shown, letter, digit) in facts.layers.items():
        out.append(_line(f'{layer} = "indexed real"', f"{shown} at line {line}: layer {digit} of {letter}, a family "
                         f"(the digit is a label, not a power: {facts.layered[letter]})"))
        declared.add(layer)
    for count, line in facts.counts.items():
        if count not in declared:
            out.append(_line(f'{count} = "integer positive"', f"the upper bound of a sum at line {line}"))
            declared.add(count)
    # A capital index (K of y_{K-1}) first: a person gives a lower-case one a range up to it (i = "integer 1..K").
    for index, line in sorted(facts.indices.items(), key=lambda item: not item[0][0].isupper()):
        if index not in declared:
            out.append(_line(f'{index} = "integer"', f"an index below a family at line {line}"))
            declared.add(index)
    definitions = {name: d for name, d in facts.defined.items() if name not in facts.redefined}
    defined = {name for name in definitions if name not in declared}
    for name, (line, shown, base) in facts.joined.items():
        if name not in declared and name not in defined and base not in facts.families:
            out.append(_line(f'{name} = "real"', f"{shown} at line {line}: a name of its own"))
            declared.add(name)
    left: list[str] = []
    for name, line in facts.letters.items():
        if name in declared or name in defined or name in facts.joined or name in CONSTANTS or name == "pi":
            continue
        if name in facts.redefined:     # which definition does a line use? not guessed
            lines = " and ".join(str(n) for n in facts.redefined[name])
            left.append(f"# {name} is defined differently at lines {lines} (one for each answer?): define it here, "
                        f"or give each claim a [latex] pattern for it")
            continue
        if name in facts.applied:       # y(1 - f): an application or a product? not guessed
            if name == "sigma":
                left.append(_line(f"# {_SIGMOID}", f"\\sigma is applied at line {line}: the sigmoid? uncomment"))
            elif name not in FUNCTIONS:
                also = f" (and written as a value at line {line}: if {name}(..) multiplies, declare it under " \
                       f"[symbols])" if name in facts.values else ""
                left.append(f"# {name} is applied at line {facts.applied[name]} but not defined in the sheet: "
                            f"define \"{name}(..)\" here{also}")
            continue
        if name in facts.bracketed and name not in facts.values:
            out.append(f"# {name} is written {name}[..] at line {facts.bracketed[name]}: an entry of a family, or a "
                       f"product with a bracket? declare it here (\"indexed real\" for entries)")
            continue
        out.append(_line(f'{name} = "real"', f"first at line {line}; nothing says more"))
        declared.add(name)
    out[3:3] = [f"inferred = [{', '.join(repr(n).replace(chr(39), chr(34)) for n in sorted(declared))}]",
                "# The names above are guesses: a step refuted only under their declarations is reported unknown.",
                "# Take a name out (or the whole list) once its declaration says what the sheet means.", ""]
    out += ["", "[define]"]
    rules = Rules(symbols={name: "real" for name in declared}, functions=frozenset(
        n for n, (params, _, _) in definitions.items() if params))
    for name, (params, rhs, line) in definitions.items():
        key = f'"{name}({", ".join(params)})"'
        try:
            node = read_tokens(rhs, rules)
            free = sorted(P.names(node) - declared - set(params) - set(definitions) - set(CONSTANTS) - {"E"})
            if free:        # y(1 - s) left to the person: the definition waits for y
                out.append(f"# {key} = \"{P.unparse(node)}\": defined at line {line}, but {', '.join(free)} is not "
                           "declared here (declare it, then uncomment)")
            else:
                out.append(_line(f'{key} = "{P.unparse(node)}"', f"as the sheet defines it at line {line}"))
        except ExpressionError as err:
            out.append(f"# {key}: defined at line {line}, but its right side is not read ({err.message})")
    out += left
    if facts.layers:
        out += ["", "[latex]"]
    for layer, (_, _, letter, digit) in facts.layers.items():
        out.append(_line(f"'{letter}_{{?i}}^{digit}' = \"{layer}[?i]\"", f"an entry of the layer {layer}"))
        out.append(_line(f"'{facts.bold_layers.get(layer, chr(92) + 'mathbf')}{{{letter}}}^{digit}' = \"{layer}\"",
                         f"the layer {layer} as a whole"))
        if layer in facts.plain_layers and letter not in facts.bare:        # w^2, w never a value of its own
            out.append(_line(f"'{letter}^{digit}' = \"{layer}\"", f"{letter} is never written alone: the layer too"))
    out += ["", "[bounds]"]
    out += [_line(f'# {index} = "1..K"', f"\\sum_{index} at line {line} has no bounds: write them here")
            for index, line in facts.unbounded.items()]
    return "\n".join(out) + "\n"


def _line(assignment: str, why: str) -> str:
    return f"{assignment.ljust(40)} # {why}"


def _unread(text: str, shown: str, notation: Notation, deadline: float) -> list[tuple[int, str]]:
    try:
        _, sheet = read_sheet(text, shown, notation, deadline=deadline)
    except DerivationFileError as err:
        return [(err.line or 0, err.message)]
    found: dict[tuple[int, str], None] = {}
    for chains in sheet.chains.values():
        for chain in chains:
            for entry in chain:
                if entry.reading is None and entry.reason:
                    found[(entry.reason_line or entry.line, printable(entry.reason))] = None
    return sorted(found)
