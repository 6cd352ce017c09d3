"""What becomes of an obligation of a claim read from a sheet that cannot be built. The front end knows the step,
its entries and where each is written, so this is decided as the problem is built, from where the error is located,
never by reading messages afterwards:

- an error located in the sheet is about a reading (a name the table does not declare, an index left free, a
  formula nested too deeply): the step is ``unknown``, "not read: REASON (in the reading of FILE:LINE:COL)", charged
  to the entry whose building failed (the step's own entry when the step as a whole could not be built);
- an error located in the notation table stays an error of the table (its ``assume`` and ``where`` values are
  located there as they are built);
- an error located in a file the table uses stays an error of that file, without what the file says: anything
  readable in the library's root could be quoted.
"""

from __future__ import annotations

from verifier.errors import EngineFault, ExpressionError, NotRead
from verifier.model import Claim, Origin
from verifier.printable import printable

__all__ = ["unbuilt"]


def unbuilt(claim: Claim, origin: Origin, err: ExpressionError, failed: int | None = None) -> ExpressionError:
    """What stands for the obligation at ``origin`` of ``claim``, which could not be built because of ``err``:
    ``err`` itself for a claim of a derivation file, else as the module says. ``failed`` is the index in its chain
    of the entry whose building failed, if one did."""
    if claim.table is None or isinstance(err, (NotRead, EngineFault)):
        return err
    kind, chain_no, n = origin
    if err.file == claim.file:
        entries = claim.chains[chain_no].entries if kind == "step" and chain_no is not None else ()
        if not entries:
            return err
        culprit = entries[failed] if failed is not None and n <= failed <= n + 1 else entries[n + 1]
        return NotRead(printable(f"not read: {err.message} (in the reading of {culprit.at})"))
    if err.file is not None and err.file != claim.table:
        return ExpressionError(f"an error in this file, which the notation table {claim.table} uses (what the file "
                               "says is not quoted here: verify the file itself to see it)", file=err.file,
                               line=err.line)
    return err
