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


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout as it is now (uncommitted changes included), committed once to a
    throw-away repository: every test names the same revision, so pre-commit builds the
    hooks' environment once (``try-repo`` would build one per call)."""
    snapshot = tmp_path_factory.mktemp("hooks-repo")
    listed = git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(snapshot, "init", "-q")
    git(snapshot, "add", ".")
    git(snapshot, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "snapshot")
    return snapshot, git(snapshot, "rev-parse", "HEAD")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)
    return done.stdout.strip("\n")


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


def run_hook(
    repo: Path, cache: Path, hooks: tuple[Path, str], hook: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """``pre-commit run`` of one hook of this checkout, on the staged files (as at commit)."""
    snapshot, rev = hooks
    config = f"repos:\n  - repo: {snapshot}\n    rev: {rev}\n    hooks:\n      - id: {hook}\n"
    if args:
        config += f"        args: [{', '.join(args)}]\n"
    (repo / ".pre-commit-config.yaml").write_text(config)
    git(repo, "add", ".pre-commit-config.yaml")
    return pre_commit(repo, cache, "run")


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


def test_blocks_a_violation_and_passes_once_fixed(
    tmp_path: Path, cache: Path, hooks: tuple[Path, str]
) -> None:
    repo = new_repo(tmp_path, {"service.py": OLD, "notes.txt": OLD})
    failed = run_hook(repo, cache, hooks, "ssot-factory")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert f"service.py:1:11: SSF002 {D_MSG}" in failed.stdout.splitlines()
    assert "notes.txt" not in failed.stdout  # not Python: not checked

    (repo / "service.py").write_text("factory = create_agent_instance_factory(user_context)\n")
    git(repo, "add", ".")
    passed = run_hook(repo, cache, hooks, "ssot-factory")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "SSF" not in passed.stdout


def test_baseline_from_the_shared_config(
    tmp_path: Path, cache: Path, hooks: tuple[Path, str]
) -> None:
    repo = new_repo(
        tmp_path,
        {"old.py": OLD, "setup.cfg": "[flake8]\nssot-baseline = ssot-baseline.json\n"},
    )
    assert_old_findings_pass_and_a_new_one_fails(
        repo, lambda: run_hook(repo, cache, hooks, "ssot-factory")
    )


def test_fix_hook_honours_the_baseline(
    tmp_path: Path, cache: Path, hooks: tuple[Path, str]
) -> None:
    # A baselined migration: old.py's finding is recorded, so committing old.py passes the fix
    # hook as it passes the check hook; a new finding fails it, named with its reason.
    repo = new_repo(
        tmp_path,
        {"old.py": OLD, "setup.cfg": "[flake8]\nssot-baseline = ssot-baseline.json\n"},
    )
    record_baseline(repo)
    git(repo, "add", ".")
    passed = run_hook(repo, cache, hooks, "ssot-factory-fix")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    (repo / "new.py").write_text(NEW)
    git(repo, "add", ".")
    failed = run_hook(repo, cache, hooks, "ssot-factory-fix")
    assert failed.returncode == 1
    assert "new.py:2:12: SSF002 no user context in scope" in failed.stdout.splitlines()


def test_baseline_in_hook_args(tmp_path: Path, cache: Path, hooks: tuple[Path, str]) -> None:
    repo = new_repo(tmp_path, {"old.py": OLD})
    assert_old_findings_pass_and_a_new_one_fails(
        repo,
        lambda: run_hook(repo, cache, hooks, "ssot-factory", "--baseline", "ssot-baseline.json"),
    )


def test_fix_hook_rewrites_fails_and_then_passes(
    tmp_path: Path, cache: Path, hooks: tuple[Path, str]
) -> None:
    source = (
        "from m import get_agent_instance_factory\n\n\n"
        "def handle(user_context):\n    return get_agent_instance_factory()\n"
    )
    repo = new_repo(tmp_path, {"service.py": source})
    changed = run_hook(repo, cache, hooks, "ssot-factory-fix")
    assert changed.returncode == 1, changed.stdout + changed.stderr
    assert "Rewriting service.py" in changed.stdout
    assert (repo / "service.py").read_text() == source.replace(
        "get_agent_instance_factory()", "create_agent_instance_factory(user_context)"
    ).replace("import get_agent_instance_factory", "import create_agent_instance_factory")

    git(repo, "add", ".")
    passed = run_hook(repo, cache, hooks, "ssot-factory-fix")
    assert passed.returncode == 0, passed.stdout + passed.stderr
