"""Shell completion scripts: each names every command and option, and completes claim ids with ``verify list``;
bash runs the script and completes a command and an id for real."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from verifier.cli import main
from verifier.cli.arguments import COMMANDS


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_each_script_names_the_commands_options_and_asks_for_ids(shell: str,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--completion", shell]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in COMMANDS)
    assert "verify list" in out
    assert ("--show-config" in out) if shell != "fish" else ("-l show-config" in out)


def test_bash_completes_a_command_and_a_claim_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    assert main(["--completion", "bash"]) == 0
    script = tmp_path / "verify.bash"
    script.write_text(capsys.readouterr().out, encoding="utf-8")
    # A stand-in for `verify list` on PATH, so that the script's own call is what is tested.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "verify").write_text("#!/bin/sh\nprintf 'q2.4  Softmax  (q2.toml:3)\\nq3.1  Conv  (q3.toml:3)\\n'\n")
    (bin_dir / "verify").chmod(0o755)
    probe = f"source {script}; COMP_WORDS=(verify @TYPED@); COMP_CWORD=1; _verify; echo \"${{COMPREPLY[*]}}\""
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin"}

    def complete(typed: str) -> list[str]:
        out = subprocess.run([bash, "-c", probe.replace("@TYPED@", typed)], capture_output=True, text=True, env=env,
                             check=True)
        return out.stdout.split()

    assert complete("sh") == ["show"]
    assert complete("q2") == ["q2.4"]
