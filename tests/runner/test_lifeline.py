"""Tests of child processes tied to their parent (the SIGKILL case of a whole run is in test_executor.py)."""

from __future__ import annotations

import os
import sys

import pytest

from verifier.runner.lifeline import tie_to_parent


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_child_whose_parent_is_already_gone_ends_at_once() -> None:
    # The child is told its parent is a process that is not its parent (as when the parent died between the fork
    # and the tie): it must end there, with status 1, before doing anything else.
    pid = os.fork()
    if pid == 0:
        tie_to_parent(os.getppid() + 1_000_000)
        os._exit(0)   # never reached
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_child_with_its_parent_alive_goes_on() -> None:
    pid = os.fork()
    if pid == 0:
        tie_to_parent(os.getppid())
        os._exit(7)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 7


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_linux_grants_the_death_signal() -> None:
    # Asked in a child, so that the test runner itself is not tied to its own parent.
    from verifier.runner import lifeline
    pid = os.fork()
    if pid == 0:
        os._exit(0 if lifeline._death_signal() else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == (0 if sys.platform.startswith("linux") else 1)
