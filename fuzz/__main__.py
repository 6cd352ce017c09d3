"""``python -m fuzz``: generate ``FUZZ_N`` claims from ``FUZZ_SEED``, verify them, report every disagreement.

Each disagreement is printed as it is found (the claim as TOML, after the shared header of :func:`fuzz.grammar.header`;
its verdict, truth and why); the last line is ``fuzz: N claims, D disagreements, U undecided``. The exit status is 1
when there is a disagreement.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from fuzz.judge import environment_number, run


def main(argv: list[str] | None = None) -> int:
    """Run the fuzzer; 0 when no verdict disagreed."""
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__)
    parser.add_argument("-n", type=int, default=environment_number("FUZZ_N", 200), help="claims (FUZZ_N)")
    parser.add_argument("--seed", type=int, default=environment_number("FUZZ_SEED", 1), help="seed (FUZZ_SEED)")
    parser.add_argument("--jobs", type=int, default=environment_number("FUZZ_JOBS", 2))
    parser.add_argument("--timeout", type=float, default=3.0, help="seconds per obligation")
    parser.add_argument("--keep", type=Path, help="keep the generated libraries in this folder")
    args = parser.parse_args(argv)
    # A stopped run stops the verifier it is waiting for (subprocess.run kills its child on any exception).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))
    print(f"fuzz: seed {args.seed}, {args.n} claims", file=sys.stderr)
    summary = run(args.n, args.seed, jobs=args.jobs, timeout=args.timeout, keep=args.keep,
                  progress=lambda text: print(text, file=sys.stderr, flush=True))
    for finding in summary.findings:
        print(finding.report())
    print(summary.line())
    return 1 if summary.findings else 0


if __name__ == "__main__":
    sys.exit(main())
