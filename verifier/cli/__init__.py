"""The ``verify`` command (:func:`main`): its arguments (:mod:`verifier.cli.arguments`), its commands
(:mod:`verifier.cli.commands`), progress while claims settle, the report delivered, and ``--changed`` (git)."""

from verifier.cli.commands import main

__all__ = ["main"]
