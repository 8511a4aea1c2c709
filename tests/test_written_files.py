"""Files the command writes (baselines, --output-file, reports, the cache) get the mode the
umask gives, as open() would; a file that exists keeps its mode."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path
from typing import List

import pytest

from tests.cli_helpers import run_cli, write

SOURCE = "from m import get_agent_instance_factory\n\nx = get_agent_instance_factory()\n"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, {"app/a.py": SOURCE})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def written(tree: Path, capsys: pytest.CaptureFixture[str]) -> List[Path]:
    run_cli(capsys, "baseline", "app", "--write", "baseline.json")
    run_cli(capsys, "check", "app", "--format", "sarif", "--output-file", "check.sarif")
    run_cli(capsys, "report", "app", "--format", "markdown", "--output-file", "report.md")
    return [tree / "baseline.json", tree / "check.sarif", tree / "report.md"]


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_get_the_mode_the_umask_gives(
    tree: Path, capsys: pytest.CaptureFixture[str], mask: int, expected: int
) -> None:
    previous = os.umask(mask)
    try:
        files = written(tree, capsys)
    finally:
        os.umask(previous)
    assert [mode(file) for file in files] == [expected] * 3


def test_a_file_that_exists_keeps_its_mode(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, bits in (("baseline.json", 0o640), ("check.sarif", 0o604), ("report.md", 0o444)):
        (tree / name).write_text("old\n")
        (tree / name).chmod(bits)
    files = written(tree, capsys)
    assert [mode(file) for file in files] == [0o640, 0o604, 0o444]
    assert all(file.read_text() != "old\n" for file in files)
    assert sorted(p.name for p in tree.iterdir() if p.name.endswith(".tmp")) == []


def test_temporary_files_a_killed_fix_left_are_swept_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # SIGKILL runs no ``finally``: a fix killed while writing left ``.a.py.RANDOM.tmp`` files
    # (17 of 40 kills) that nothing removed.
    source = "from m import get_agent_instance_factory\n"
    (tmp_path / "a.py").write_text(source)
    old = tmp_path / ".a.py.0123abcd.tmp"
    young = tmp_path / ".a.py.89abcdef.tmp"  # may be another run's, about to be renamed
    unrelated = tmp_path / ".notes.txt.0123abcd.tmp"
    for leftover in (old, young, unrelated):
        leftover.write_text(source)
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    os.utime(unrelated, (an_hour_ago, an_hour_ago))
    monkeypatch.chdir(tmp_path)
    diff = run_cli(capsys, "fix", "--diff", ".")
    assert old.exists()  # --diff writes nothing, and removes nothing
    result = run_cli(capsys, "fix", ".")
    assert (
        result.lines_err[0]
        == "ssot-factory: removed ./.a.py.0123abcd.tmp, left by an interrupted run"
    )
    assert diff.code == result.code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".a.py.89abcdef.tmp",
        ".notes.txt.0123abcd.tmp",
        "a.py",
    ]
