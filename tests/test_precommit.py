"""The pre-commit hook, run for real with ``pre-commit try-repo`` against this checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import D_MSG

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def try_repo(repo: Path, home: Path, hook: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_hook_blocks_a_violation_and_passes_once_fixed(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "service.py").write_text("factory = get_agent_instance_factory()\n")
    (repo / "notes.txt").write_text("get_agent_instance_factory()\n")  # not Python: not checked
    git(repo, "add", ".")

    failed = try_repo(repo, tmp_path / "cache", "ssot-factory")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert f"service.py:1:11: SSF002 {D_MSG}" in failed.stdout.splitlines()
    assert "notes.txt" not in failed.stdout

    (repo / "service.py").write_text("factory = create_agent_instance_factory(user_context)\n")
    git(repo, "add", ".")
    passed = try_repo(repo, tmp_path / "cache", "ssot-factory")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "SSF" not in passed.stdout
