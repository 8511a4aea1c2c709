"""The baseline: record today's findings, fail on new ones only, ratchet down as they are fixed."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli, write
from tests.helpers import D_MSG, R_MSG

OLD = "def old():\n    return get_agent_instance_factory()\n\n\nx = get_agent_instance_factory()\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, {"src/old.py": OLD, "src/other.py": "y = create_agent_instance_factory()\n"})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def record(capsys: pytest.CaptureFixture[str], *extra: str) -> None:
    result = run_cli(capsys, "baseline", "src", "--write", "ssot-baseline.json", *extra)
    assert (result.code, result.out) == (0, "")
    assert result.err == "ssot-factory: recorded 3 findings in 2 files to ssot-baseline.json\n"


def test_file_is_sorted_stable_json(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record(capsys)
    text = (repo / "ssot-baseline.json").read_text(encoding="utf-8")
    assert json.loads(text) == {
        "tool": "flake8-ssot-factory",
        "version": 1,
        "findings": [
            {
                "path": "src/old.py",
                "code": "SSF002",
                "line": "return get_agent_instance_factory()",
                "count": 1,
            },
            {
                "path": "src/old.py",
                "code": "SSF002",
                "line": "x = get_agent_instance_factory()",
                "count": 1,
            },
            {
                "path": "src/other.py",
                "code": "SSF011",
                "line": "y = create_agent_instance_factory()",
                "count": 1,
            },
        ],
    }
    record(capsys)  # again, from another folder and with paths given differently
    assert (repo / "ssot-baseline.json").read_text(encoding="utf-8") == text


def test_same_file_from_another_folder(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record(capsys)
    before = (repo / "ssot-baseline.json").read_text(encoding="utf-8")
    (repo / "ssot-baseline.json").unlink()
    import os

    os.chdir(repo / "src")
    result = run_cli(capsys, "baseline", "old.py", "other.py", "--write", "../ssot-baseline.json")
    assert result.code == 0
    assert (repo / "ssot-baseline.json").read_text(encoding="utf-8") == before


def test_only_new_findings_fail(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record(capsys)
    assert run_cli(capsys, "check", "src", "--baseline", "ssot-baseline.json").code == 0
    # Lines added above an old finding do not make it new; a new call is new.
    write(repo, {"src/old.py": "import os\n\n" + OLD + "y = get_agent_instance_factory()\n"})
    result = run_cli(capsys, "check", "src", "--baseline", "ssot-baseline.json")
    assert (result.code, result.lines) == (1, [f"src/old.py:8:5: SSF002 {D_MSG}"])


def test_repeats_are_counted(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record(capsys)
    write(repo, {"src/other.py": "y = create_agent_instance_factory()\n" * 2})
    result = run_cli(capsys, "check", "src", "--baseline", "ssot-baseline.json")
    assert result.lines == [f"src/other.py:2:5: SSF011 {R_MSG}"]


def test_fixed_findings_are_stale_and_ratchet_down(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record(capsys)
    write(repo, {"src/other.py": "y = create_agent_instance_factory(user_context)\n"})
    result = run_cli(capsys, "check", "src", "--baseline", "ssot-baseline.json")
    assert (result.code, result.out) == (0, "")
    assert result.err == (
        "ssot-factory: 1 baseline entry is fixed and now stale; --update-baseline removes it\n"
    )
    # A new finding is not added by --update-baseline: it still fails.
    write(repo, {"src/new.py": "get_agent_instance_factory()\n"})
    result = run_cli(
        capsys, "check", "src", "--baseline", "ssot-baseline.json", "--update-baseline"
    )
    assert result.code == 1
    assert result.lines == [f"src/new.py:1:1: SSF002 {D_MSG}"]
    assert result.err == "ssot-factory: removed 1 fixed finding from ssot-baseline.json\n"
    entries = json.loads((repo / "ssot-baseline.json").read_text())["findings"]
    assert [(e["path"], e["code"]) for e in entries] == [
        ("src/old.py", "SSF002"),
        ("src/old.py", "SSF002"),
    ]


def test_files_not_checked_keep_their_entries(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record(capsys)
    result = run_cli(
        capsys, "check", "src/old.py", "--baseline", "ssot-baseline.json", "--update-baseline"
    )
    assert (result.code, result.err) == (0, "")
    assert len(json.loads((repo / "ssot-baseline.json").read_text())["findings"]) == 3


def test_baseline_from_config(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record(capsys)
    write(repo, {"setup.cfg": "[flake8]\nssot-baseline = ssot-baseline.json\n"})
    write(repo, {"src/new.py": "get_agent_instance_factory()\n"})
    result = run_cli(capsys, "check", "src")
    assert result.lines == [f"src/new.py:1:1: SSF002 {D_MSG}"]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (None, "--baseline: b.json: no such file"),
        ("{", "--baseline: b.json: not readable JSON (Expecting property name enclosed"),
        (
            '{"version": 1}',
            "--baseline: b.json: not a baseline file ('findings' is missing, not a list)",
        ),
        ('{"version": 9, "findings": []}', "--baseline: b.json: format version 9, this tool"),
        (
            '{"version": 1, "findings": [{"path": "a", "code": "SSF002", "line": "", "count": 0}]}',
            "--baseline: b.json: count 0 is not a number >= 1",
        ),
    ],
)
def test_bad_baseline_file(
    repo: Path, capsys: pytest.CaptureFixture[str], content: str | None, error: str
) -> None:
    if content is not None:
        (repo / "b.json").write_text(content)
    result = run_cli(capsys, "check", "src", "--baseline", "b.json")
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith(f"ssot-factory: error: {error}")
    assert len(result.err.splitlines()) == 1


def test_write_into_a_missing_folder(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "baseline", "src", "--write", "no/such/b.json")
    assert (result.code, result.err) == (
        2,
        "ssot-factory: error: --write: no/such: no such folder\n",
    )


def test_flake8_plugin_honours_the_same_baseline(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record(capsys)
    write(repo, {"src/old.py": "import os\n" + OLD + "y = get_agent_instance_factory()\n"})
    write(repo, {"setup.cfg": "[flake8]\nssot-baseline = ssot-baseline.json\n"})
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "SSF", "src"],
        capture_output=True,
        text=True,
    )
    ours = run_cli(capsys, "check", "src")
    assert flake8.stdout.splitlines() == ours.lines == [f"src/old.py:7:5: SSF002 {D_MSG}"]


def test_flake8_plugin_reads_a_configured_baseline_from_the_folder_of_its_file(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # flake8 leaves a bare name from [flake8] relative to the current folder: from a subfolder
    # the plugin looked for src/ssot-baseline.json and stopped flake8 with "critical error".
    record(capsys)
    write(repo, {"src/old.py": "import os\n" + OLD + "y = get_agent_instance_factory()\n"})
    write(repo, {"setup.cfg": "[flake8]\nssot-baseline = ssot-baseline.json\n"})
    monkeypatch.chdir(repo / "src")
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "SSF", "old.py"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    ours = run_cli(capsys, "check", "old.py")
    assert flake8.stdout.splitlines() == ours.lines == [f"old.py:7:5: SSF002 {D_MSG}"]


def test_flake8_plugin_reports_a_bad_baseline_in_one_line(repo: Path) -> None:
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "SSF", "--ssot-baseline", "x.json", "src"],
        capture_output=True,
        text=True,
    )
    assert flake8.stdout.splitlines() == [
        "There was a critical error during execution of Flake8:",
        "--ssot-baseline: x.json: no such file",
    ]


def test_baseline_command_ignores_the_configured_baseline(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, {"setup.cfg": "[flake8]\nssot-baseline = ssot-baseline.json\n"})
    record(capsys)  # the configured file does not exist yet: no error
    assert run_cli(capsys, "check", "src").code == 0


def test_a_file_that_does_not_parse_is_recorded_by_its_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """E999 (here an unclosed bracket) is baselined like a finding, keyed by the message; a
    second syntax error in that file is new."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"bad.py": "from m import get_agent_instance_factory\nx = (\n"})
    run_cli(capsys, "baseline", "--write", "base.json", ".")
    recorded = json.loads((tmp_path / "base.json").read_text())["findings"]
    assert [(f["path"], f["code"]) for f in recorded] == [("bad.py", "E999")]
    assert run_cli(capsys, "check", "--no-cache", "--baseline", "base.json", ".").code == 0
    (tmp_path / "bad.py").write_text("from m import get_agent_instance_factory\nx = )\n")
    result = run_cli(capsys, "check", "--no-cache", "--baseline", "base.json", ".")
    # The column differs between Python versions; the message does not.
    assert result.code == 1
    assert [(line[:11], line.partition(" ")[2]) for line in result.lines] == [
        ("./bad.py:2:", "E999 SyntaxError: unmatched ')'")
    ]


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("[]", "a JSON array, not an object with 'findings'"),
        ('{"version": 1}', "'findings' is missing, not a list"),
        ('{"version": 1, "findings": ["x"]}', "findings[0] is string, not an object"),
    ],
)
def test_a_baseline_of_the_wrong_shape_is_one_line(
    repo: Path, capsys: pytest.CaptureFixture[str], content: str, why: str
) -> None:
    (repo / "base.json").write_text(content)
    result = run_cli(capsys, "check", "src", "--baseline", "base.json")
    assert (result.code, result.err) == (
        2,
        f"ssot-factory: error: --baseline: base.json: not a baseline file ({why})\n",
    )


def test_baseline_writes_the_configured_file_without_write(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "pyproject.toml").write_text('[tool.ssot-factory]\nbaseline = "conf.json"\n')
    result = run_cli(capsys, "baseline", "src")
    assert result.err == "ssot-factory: recorded 3 findings in 2 files to conf.json\n"
    assert json.loads((repo / "conf.json").read_text())["tool"] == "flake8-ssot-factory"
    (repo / "pyproject.toml").unlink()
    missing = run_cli(capsys, "baseline", "src")
    assert (missing.code, missing.err) == (
        2,
        "ssot-factory: error: --write: name the baseline file to write (or set baseline = "
        "FILE in the configuration)\n",
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_baseline_that_is_a_pipe_or_a_device_is_refused_not_read(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pipe nobody writes would block the run for ever; /dev/zero would be read until memory
    runs out. Both are one line, at once, in the command and in the flake8 plugin."""
    os.mkfifo(repo / "base.json")
    result = run_cli(capsys, "check", "src", "--baseline", "base.json")
    assert (result.code, result.err) == (
        2,
        "ssot-factory: error: --baseline: base.json: a named pipe (FIFO), not a regular file\n",
    )
    result = run_cli(capsys, "check", "src", "--baseline", "/dev/zero")
    assert (result.code, result.err) == (
        2,
        "ssot-factory: error: --baseline: /dev/zero: a character device, not a regular file\n",
    )
    done = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "SSF", "--ssot-baseline", "base.json", "src"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout.splitlines()[-1] == (
        "--ssot-baseline: base.json: a named pipe (FIFO), not a regular file"
    )


@pytest.mark.parametrize(
    ("configured", "shown"),
    [("../outside.json", "{repo}/../outside.json"), ("out/b.json", "out/b.json")],
    ids=["parent-folder", "folder-linked-out"],
)
def test_a_configured_baseline_outside_the_project_is_written_only_when_given(
    repo: Path, capsys: pytest.CaptureFixture[str], configured: str, shown: str
) -> None:
    (repo / "setup.cfg").write_text(f"[flake8]\nssot-baseline = {configured}\n")
    elsewhere = repo.parent / f"{repo.name}-elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, repo / "out")
    error = (
        f"ssot-factory: error: setup.cfg [flake8] ssot-baseline: {shown.format(repo=repo)} is "
        f"outside the project ({repo.resolve()}); a baseline there is written only when the "
        "command line names it (--write, --baseline)\n"
    )
    for command in (["baseline", "src"], ["check", "--update-baseline", "src"], ["fix", "src"]):
        result = run_cli(capsys, *command)
        assert (result.code, result.out, result.err) == (2, "", error)
    assert (repo / "src/old.py").read_text() == OLD  # fix stopped before rewriting
    assert not (repo.parent / "outside.json").exists()
    assert list(elsewhere.iterdir()) == []
    given = run_cli(capsys, "baseline", "src", "--write", configured)
    assert given.code == 0
    assert (repo / configured).is_file()
    (repo / configured).unlink()  # tmp_path's parent is shared with the other case


def test_a_baseline_that_cannot_be_written_is_one_line(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from flake8_ssot_factory.run import baseline

    def disk_full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(baseline, "write_output", disk_full)
    result = run_cli(capsys, "baseline", "src", "--write", "b.json")
    assert (result.code, result.err) == (
        2,
        "ssot-factory: error: b.json: cannot write the baseline: No space left on device\n",
    )
