"""``ssot-factory fix`` on files: output, exit codes and the safety guarantees."""

from __future__ import annotations

import os
import signal
import stat
from pathlib import Path
from typing import Any, Callable, List

import pytest

import flake8_ssot_factory.fixer.files as fix_files_module
from flake8_ssot_factory.fixer import project
from tests.cli_helpers import run_cli, write

FIXABLE = (
    "from m import get_agent_instance_factory\n"
    "\n"
    "def handle(user_context):\n"
    "    return get_agent_instance_factory()\n"
)
FIXED = (
    "from m import create_agent_instance_factory\n"
    "\n"
    "def handle(user_context):\n"
    "    return create_agent_instance_factory(user_context)\n"
)
#: The tree defines no create_agent_instance_factory: the rewritten call cannot be checked.
UNCHECKED = (
    "ssot-factory: 1 rewritten call of create_agent_instance_factory not checked against its "
    "signature: create_agent_instance_factory is not defined (def) in the files fixed\n"
)
PARTLY = "def f():\n    return create_agent_instance_factory()\n"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, {"src/a.py": FIXABLE, "src/clean.py": "x = 1\n"})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_rewrites_and_reports(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "fix", "src")
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "Rewriting src/a.py\nssot-factory: rewrote 1 file, fixing 2 findings (SSF001 1, SSF002 1)\n"
        + UNCHECKED
    )
    assert (tree / "src/a.py").read_text() == FIXED


def test_second_run_changes_nothing(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(capsys, "fix", "src")
    result = run_cli(capsys, "fix", "src")
    assert (result.code, result.out, result.err) == (0, "", "ssot-factory: nothing to rewrite\n")
    assert (tree / "src/a.py").read_text() == FIXED


def test_leftovers_keep_exit_1(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, {"src/b.py": PARTLY})
    run_cli(capsys, "fix", "src")
    result = run_cli(capsys, "fix", "src")
    assert result.code == 1
    assert result.err == (
        "ssot-factory: nothing to rewrite\n"
        "ssot-factory: 1 finding left:\n"
        "  SSF011     1  no user context in scope\n"
        "src/b.py:2:12: SSF011 no user context in scope\n"
    )


def test_diff_writes_nothing(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "fix", "src", "--diff")
    assert result.code == 1
    assert result.out == (
        "--- a/src/a.py\n+++ b/src/a.py\n@@ -1,4 +1,4 @@\n"
        "-from m import get_agent_instance_factory\n"
        "+from m import create_agent_instance_factory\n"
        " \n"
        " def handle(user_context):\n"
        "-    return get_agent_instance_factory()\n"
        "+    return create_agent_instance_factory(user_context)\n"
    )
    assert result.err.startswith("ssot-factory: would rewrite 1 file,")
    assert (tree / "src/a.py").read_text() == FIXABLE


def test_check_writes_nothing(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "fix", "src", "--check")
    assert (result.code, result.out) == (1, "")
    assert (tree / "src/a.py").read_text() == FIXABLE
    assert run_cli(capsys, "fix", "src/clean.py", "--check").code == 0


def test_diff_and_check_exclude_each_other(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        run_cli(capsys, "fix", "--diff", "--check")
    assert exited.value.code == 2


def test_unsafe_fixes_only_when_asked(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, {"tests/t.py": "patch('pkg.get_agent_instance_factory')\n"})
    result = run_cli(capsys, "fix", "tests")
    assert result.err.endswith(
        "  SSF004     1  unsafe fix not requested (--unsafe-fixes)\n"
        "tests/t.py:1:7: SSF004 unsafe fix not requested (--unsafe-fixes)\n"
    )
    result = run_cli(capsys, "fix", "tests", "--unsafe-fixes")
    assert "fixing 1 finding (SSF004 1)" in result.err
    assert (tree / "tests/t.py").read_text() == "patch('pkg.create_agent_instance_factory')\n"


def test_bytes_outside_the_edits_are_kept(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    crlf = FIXABLE.replace("\n", "\r\n").encode()
    latin = ("# -*- coding: latin-1 -*-\n# café\n" + FIXABLE).encode("latin-1")
    write(tree, {"src/bom.py": b"\xef\xbb\xbf" + FIXABLE.encode(), "src/crlf.py": crlf})
    write(tree, {"src/latin.py": latin})
    os.chmod(tree / "src/crlf.py", 0o751)
    run_cli(capsys, "fix", "src")
    assert (tree / "src/bom.py").read_bytes() == b"\xef\xbb\xbf" + FIXED.encode()
    assert (tree / "src/crlf.py").read_bytes() == FIXED.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(os.stat(tree / "src/crlf.py").st_mode) == 0o751
    assert (tree / "src/latin.py").read_bytes() == (
        "# -*- coding: latin-1 -*-\n# café\n" + FIXED
    ).encode("latin-1")


def test_refused_rewrite_leaves_the_file(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "flake8_ssot_factory.fixer.text.apply_edits", lambda text, edits: text + "def (:\n"
    )
    result = run_cli(capsys, "fix", "src")
    assert result.code == 1
    assert "ssot-factory: not fixed: src/a.py: the rewritten text does not parse\n" in result.err
    assert (tree / "src/a.py").read_text() == FIXABLE


def test_rewrite_that_keeps_a_finding_is_refused(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "flake8_ssot_factory.fixer.text.apply_edits", lambda text, edits: text + "\n"
    )
    result = run_cli(capsys, "fix", "src")
    assert "not fixed: src/a.py: the rewrite did not remove exactly the findings it fixed" in (
        result.err
    )
    assert (tree / "src/a.py").read_text() == FIXABLE


def test_interrupted_write_leaves_old_content_and_no_temporary_file(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("flake8_ssot_factory.run.atomic.os.replace", interrupted)
    result = run_cli(capsys, "fix", "src")
    assert "not fixed: src/a.py: cannot write it (No space left on device)" in result.err
    assert (tree / "src/a.py").read_text() == FIXABLE
    assert sorted(p.name for p in (tree / "src").iterdir()) == ["a.py", "clean.py"]


def test_symlink_out_of_the_paths_is_not_followed(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tree, {"outside/shared.py": FIXABLE})
    os.symlink(tree / "outside/shared.py", tree / "src/link.py")
    result = run_cli(capsys, "fix", "src")
    assert (
        "ssot-factory: not fixed: src/link.py: a symbolic link to a file outside the given paths"
        in result.err
    )
    assert (tree / "outside/shared.py").read_text() == FIXABLE


def test_symlink_inside_the_paths_stays_a_link(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.symlink("a.py", tree / "src/alias.py")
    run_cli(capsys, "fix", "src")
    assert (tree / "src/alias.py").is_symlink()
    assert (tree / "src/a.py").read_text() == FIXED


def test_unwritable_file_is_reported_and_skipped(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # os.access as the OS answers it for a read-only file (root may write anything).
    real_access = os.access
    monkeypatch.setattr(
        "flake8_ssot_factory.fixer.files.os.access",
        lambda path, mode: False if str(path).endswith("a.py") else real_access(path, mode),
    )
    result = run_cli(capsys, "fix", "src")
    assert "ssot-factory: not fixed: src/a.py: not writable\n" in result.err
    assert (tree / "src/a.py").read_text() == FIXABLE
    assert result.code == 1


def test_file_that_does_not_parse(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, {"src/broken.py": "get_agent_instance_factory(\n"})
    result = run_cli(capsys, "fix", "src/broken.py")
    assert (result.code, result.err) == (
        1,
        "ssot-factory: nothing to rewrite\n"
        "ssot-factory: not fixed: src/broken.py: does not parse\n",
    )


def test_a_file_edited_while_the_fix_plans_is_left_with_the_edit(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tree, {"src/b.py": FIXABLE})
    edited = FIXABLE + "# saved by an editor while the fix ran\n"
    real_fix_texts = project.fix_texts

    def planning_while_an_editor_saves(*args: Any, **kwargs: Any) -> Any:
        planned = real_fix_texts(*args, **kwargs)
        (tree / "src/b.py").write_text(edited)
        return planned

    monkeypatch.setattr(fix_files_module, "fix_texts", planning_while_an_editor_saves)
    result = run_cli(capsys, "fix", "src")
    assert (result.code, result.err) == (
        1,
        "Rewriting src/a.py\n"
        "ssot-factory: rewrote 1 file, fixing 2 findings (SSF001 1, SSF002 1)\n"
        + UNCHECKED
        + "ssot-factory: not fixed: src/b.py: changed while fixing; run again\n",
    )
    assert (tree / "src/a.py").read_text() == FIXED
    assert (tree / "src/b.py").read_text() == edited
    assert sorted(p.name for p in (tree / "src").iterdir()) == ["a.py", "b.py", "clean.py"]


@pytest.mark.parametrize(
    ("stop", "code", "said"),
    [
        (lambda: _raise(KeyboardInterrupt()), 130, "ssot-factory: interrupted\n"),
        (lambda: os.kill(os.getpid(), signal.SIGTERM), 143, "ssot-factory: terminated\n"),
    ],
    ids=["SIGINT", "SIGTERM"],
)
def test_an_interrupted_fix_has_said_what_it_wrote_and_leaves_no_temporary_file(
    tree: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stop: Callable[[], None],
    code: int,
    said: str,
) -> None:
    write(tree, {"src/b.py": FIXABLE})
    real_fsync = os.fsync
    synced: List[int] = []

    def fsync_then_stop_at_the_second_file(descriptor: int) -> None:
        real_fsync(descriptor)
        synced.append(descriptor)
        if len(synced) == 2:
            stop()

    monkeypatch.setattr(
        "flake8_ssot_factory.run.atomic.os.fsync", fsync_then_stop_at_the_second_file
    )
    before = signal.getsignal(signal.SIGTERM)
    result = run_cli(capsys, "fix", "src")
    assert (result.code, result.err) == (code, "Rewriting src/a.py\n" + said)
    assert (tree / "src/a.py").read_text() == FIXED
    assert (tree / "src/b.py").read_text() == FIXABLE
    assert sorted(p.name for p in (tree / "src").iterdir()) == ["a.py", "b.py", "clean.py"]
    assert signal.getsignal(signal.SIGTERM) == before


def _raise(error: BaseException) -> None:
    raise error


def test_a_file_with_hard_links_is_left_and_said_why(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.link(tree / "src/a.py", tree / "a_copy.py")
    result = run_cli(capsys, "fix", "src")
    assert result.err == (
        "ssot-factory: nothing to rewrite\n"
        "ssot-factory: not fixed: src/a.py: it has 2 hard links, which a rewrite would "
        "separate\n"
    )
    assert (tree / "src/a.py").read_text() == (tree / "a_copy.py").read_text() == FIXABLE


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_a_rewritten_file_keeps_its_owner_and_mode(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tree / "src/a.py"
    os.chown(target, 1234, 5678)
    target.chmod(0o640)
    run_cli(capsys, "fix", "src")
    status = target.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (1234, 5678, 0o640)
    assert target.read_text() == FIXED


def test_a_temporary_file_left_by_a_killed_run_is_never_read(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # SIGKILL leaves no chance to clean up: the name keeps it out of every walk.
    (tree / "src/.a.py.0badf00d.tmp").write_text(FIXABLE)
    result = run_cli(capsys, "check", "src")
    assert [line.split(":")[0] for line in result.out.splitlines()] == ["src/a.py", "src/a.py"]
