"""The one error hierarchy of the verifier.

Every problem a user can cause (a malformed derivation file, an expression that does not parse, an undeclared
name, a bad command line) is a :class:`VerifierError`. Its message says what is wrong and, where it can, what to do;
the CLI prints it on one line with the file and line, and exits with status 2. Anything else that escapes is a bug.
"""

from __future__ import annotations


class VerifierError(Exception):
    """Base of every error the verifier reports to a user (never shown as a traceback)."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column

    def located(self, *, file: str | None = None, line: int | None = None, column: int | None = None
                ) -> VerifierError:
        """Fill in the file and line where they are not known yet, and return self (for re-raising). ``column`` is
        where the text the error's column counts in starts on that line of the file: the column becomes the file's
        (an undeclared name at column 5 of a string that starts at column 14 is at column 18)."""
        if self.file is None:
            self.file = file
        if self.line is None:
            self.line = line
            if column is not None and self.column is not None and line is not None:
                self.column += column - 1
        return self

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        return where + self.message


class ExpressionError(VerifierError):
    """An expression that cannot be parsed or built (syntax, unknown name, wrong arguments)."""


class EngineFault(ExpressionError):
    """An obligation the engine failed to build although its text is well formed (SymPy's own recursion on a
    shallow expression): not the file's fault, so it is settled ``unknown`` with this reason, never blamed on the
    input."""


class NotRead(ExpressionError):
    """A step of a sheet that touches an entry the reader did not read, or whose reading cannot be built: not an
    error of the file (the sheet is a page, not a program), so it is settled ``unknown`` with this message ("not
    read: REASON ..."), the rest of the sheet still checked."""


class DerivationFileError(VerifierError):
    """A derivation file that cannot be read: TOML syntax, wrong types, missing or duplicate keys."""


class UsageError(VerifierError):
    """A bad command line: unknown claim id, unknown option value, missing path."""
