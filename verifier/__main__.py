"""``python -m verifier``: the same as the ``verify`` command."""

from verifier.cli import main

main()
