"""The pre-commit hooks, run for real against this checkout in throw-away git repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from tests.helpers import D_MSG

ROOT = Path(__file__).resolve().parent.parent
OLD = "factory = get_agent_instance_factory()\n"
NEW = "def later():\n    return get_agent_instance_factory()\n"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def new_repo(tmp_path: Path, files: dict[str, str]) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    for name, content in files.items():
        (repo / name).write_text(content)
    git(repo, "add", ".")
    return repo


def pre_commit(repo: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(cache), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def try_repo(repo: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    # Without --all-files: the staged files, as at commit time.
    return pre_commit(repo, cache, "try-repo", str(ROOT), "ssot-factory")


def record_baseline(repo: Path) -> None:
    script = Path(sys.executable).parent / "ssot-factory"
    subprocess.run(
        [str(script), "baseline", ".", "--write", "ssot-baseline.json"], cwd=repo, check=True
    )


def assert_old_findings_pass_and_a_new_one_fails(
    repo: Path, run_hook: Callable[[], subprocess.CompletedProcess[str]]
) -> None:
    """With a baseline of old.py's finding: the commit passes; with a new finding, it fails
    and names only the new one."""
    record_baseline(repo)
    git(repo, "add", ".")
    passed = run_hook()
    assert passed.returncode == 0, passed.stdout + passed.stderr

    (repo / "new.py").write_text(NEW)
    git(repo, "add", ".")
    failed = run_hook()
    assert failed.returncode == 1
    assert f"new.py:2:12: SSF002 {D_MSG}" in failed.stdout.splitlines()
    assert "old.py" not in failed.stdout


def test_blocks_a_violation_and_passes_once_fixed(tmp_path: Path, cache: Path) -> None:
    repo = new_repo(tmp_path, {"service.py": OLD, "notes.txt": OLD})
    failed = try_repo(repo, cache)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert f"service.py:1:11: SSF002 {D_MSG}" in failed.stdout.splitlines()
    assert "notes.txt" not in failed.stdout  # not Python: not checked

    (repo / "service.py").write_text("factory = create_agent_instance_factory(user_context)\n")
    git(repo, "add", ".")
    passed = try_repo(repo, cache)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "SSF" not in passed.stdout


def test_baseline_from_the_shared_config(tmp_path: Path, cache: Path) -> None:
    repo = new_repo(
        tmp_path,
        {"old.py": OLD, "setup.cfg": "[flake8]\nssot-baseline = ssot-baseline.json\n"},
    )
    assert_old_findings_pass_and_a_new_one_fails(repo, lambda: try_repo(repo, cache))


def test_baseline_in_hook_args(tmp_path: Path, cache: Path) -> None:
    config = (
        "repos:\n"
        f"  - repo: {ROOT}\n"
        f"    rev: {git(ROOT, 'rev-parse', 'HEAD')}\n"
        "    hooks:\n"
        "      - id: ssot-factory\n"
        "        args: [--baseline, ssot-baseline.json]\n"
    )
    repo = new_repo(tmp_path, {"old.py": OLD, ".pre-commit-config.yaml": config})
    assert_old_findings_pass_and_a_new_one_fails(repo, lambda: pre_commit(repo, cache, "run"))


def test_fix_hook_rewrites_fails_and_then_passes(tmp_path: Path, cache: Path) -> None:
    source = (
        "from m import get_agent_instance_factory\n\n\n"
        "def handle(user_context):\n    return get_agent_instance_factory()\n"
    )
    repo = new_repo(tmp_path, {"service.py": source})
    changed = pre_commit(repo, cache, "try-repo", str(ROOT), "ssot-factory-fix")
    assert changed.returncode == 1, changed.stdout + changed.stderr
    assert "Rewriting service.py" in changed.stdout
    assert (repo / "service.py").read_text() == source.replace(
        "get_agent_instance_factory()", "create_agent_instance_factory(user_context)"
    ).replace("import get_agent_instance_factory", "import create_agent_instance_factory")

    git(repo, "add", ".")
    passed = pre_commit(repo, cache, "try-repo", str(ROOT), "ssot-factory-fix")
    assert passed.returncode == 0, passed.stdout + passed.stderr
