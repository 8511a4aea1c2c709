"""The flags flake8 and ruff users reach for, the help they read, and paths in machine-readable
output."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import List

import pytest

from flake8_ssot_factory.faces.output import wants_colour
from tests.cli_helpers import run_cli, write
from tests.helpers import D_MSG, IMPORT_MSG

SOURCE = "from a import get_agent_instance_factory\n\nf = get_agent_instance_factory()\n"
TEXT = [f"./pkg/mod.py:1:15: SSF001 {IMPORT_MSG}", f"./pkg/mod.py:3:5: SSF002 {D_MSG}"]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, {"pkg/mod.py": SOURCE})
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def cli(tree: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8_ssot_factory", *args],
        cwd=tree,
        input=stdin,
        capture_output=True,
        text=True,
    )


def test_an_unknown_argument_shows_the_subcommands_usage(tree: Path) -> None:
    done = cli(tree, "check", "--bogus")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines()[0].startswith("usage: ssot-factory check [-h]")
    assert done.stderr.splitlines()[-1] == (
        "ssot-factory check: error: unrecognized arguments: --bogus"
    )


def test_help_shows_the_real_defaults_and_describes_every_argument(tree: Path) -> None:
    done = cli(tree, "check", "--help")
    assert done.returncode == 0
    text = " ".join(done.stdout.split())  # argparse wraps to the terminal's width
    assert "The keyword argument that carries the user context. (default: user_context)" in text
    assert "(default: AgentInstanceFactory)" in text
    assert "(default: None)" not in text
    assert "PATH files and folders (folders give their *.py files)" in text
    assert "--format {text,json,github,sarif} how violations are printed" in text
    assert "--ssot-any-receiver, --no-ssot-any-receiver" in text


def test_exit_zero(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "check", ".", "--exit-zero")
    assert (result.code, result.lines) == (0, TEXT)


def test_count_is_the_last_line_of_text_and_on_stderr_for_json(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "check", ".", "--count")
    assert (result.code, result.lines, result.err) == (1, [*TEXT, "2"], "")
    result = run_cli(capsys, "check", ".", "--count", "--format", "json")
    assert len(json.loads(result.out)) == 2
    assert result.err == "2\n"
    write(tree, {"pkg/mod.py": "x = 1\n"})
    assert run_cli(capsys, "check", ".", "--count").out == "0\n"


def test_output_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "check", ".", "--output-file", "out.txt", "--color", "always")
    assert (result.code, result.out, result.err) == (1, "", "")
    # The file is written whole, uncoloured unless asked: here colour was asked for.
    assert (tree / "out.txt").read_text().splitlines()[0].startswith("\033[1m./pkg/mod.py")
    result = run_cli(capsys, "check", ".", "-o", "out.json", "--format", "json")
    assert [item["path"] for item in json.loads((tree / "out.json").read_text())] == [
        "pkg/mod.py",
        "pkg/mod.py",
    ]
    result = run_cli(capsys, "report", ".", "-o", "report.md", "--format", "markdown")
    assert (result.code, result.out) == (0, "")
    assert (tree / "report.md").read_text().startswith("## Singleton factory migration\n")


def test_output_file_in_a_missing_folder(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "check", ".", "--output-file", "no/such/out.txt")
    assert (result.code, result.lines_err) == (
        2,
        ["ssot-factory: error: --output-file: no/such: no such folder"],
    )


def test_colour(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    coloured = run_cli(capsys, "check", "pkg/mod.py", "--color", "always").lines[1]
    assert coloured == (
        "\033[1mpkg/mod.py\033[m\033[36m:\033[m3\033[36m:\033[m5\033[36m:\033[m "
        f"\033[1m\033[31mSSF002\033[m {D_MSG}"
    )
    assert run_cli(capsys, "check", ".", "--color", "never").lines == TEXT
    # auto: a pipe (pytest's capture) is not a terminal.
    assert run_cli(capsys, "check", ".").lines == TEXT


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_auto_colour_is_for_terminals_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert wants_colour("auto", _Terminal())
    assert not wants_colour("auto", io.StringIO())
    assert wants_colour("always", io.StringIO())
    assert not wants_colour("never", _Terminal())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_colour("auto", _Terminal())
    assert wants_colour("always", _Terminal())  # the flag beats the environment
    monkeypatch.setenv("NO_COLOR", "")  # present but empty: no effect (no-color.org)
    assert wants_colour("auto", _Terminal())
    monkeypatch.setenv("TERM", "dumb")
    assert not wants_colour("auto", _Terminal())


def test_stdin_with_a_file_name(tree: Path) -> None:
    done = cli(tree, "check", "-", "--stdin-filename", "app/x.py", stdin=SOURCE)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines() == [
        f"app/x.py:1:15: SSF001 {IMPORT_MSG}",
        f"app/x.py:3:5: SSF002 {D_MSG}",
    ]
    done = cli(tree, "check", "-", stdin="f = get_agent_instance_factory()  # noqa: SSF002\n")
    assert (done.returncode, done.stdout) == (0, "")
    done = cli(tree, "check", "-", "--format", "json", stdin="f = get_agent_instance_factory(\n")
    assert done.returncode == 1
    assert [(i["path"], i["code"]) for i in json.loads(done.stdout)] == [("stdin", "E999")]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ["check", "pkg", "--stdin-filename", "x.py"],
            "--stdin-filename: applies only to source read from standard input (PATH -)",
        ),
        (
            ["check", "-", "pkg"],
            "-: standard input is read alone, not together with other paths",
        ),
        (["fix", "-"], "fix: reads files; standard input (-) is for check only"),
        (["report", "-"], "report: reads files; standard input (-) is for check only"),
    ],
)
def test_stdin_misuse(tree: Path, args: list[str], error: str) -> None:
    done = cli(tree, *args)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"ssot-factory: error: {error}\n")


@pytest.mark.parametrize("given", [".", "./pkg", "pkg", "pkg/../pkg/mod.py"])
def test_machine_readable_paths_are_normalised_whatever_was_given(
    tree: Path, capsys: pytest.CaptureFixture[str], given: str
) -> None:
    found = json.loads(run_cli(capsys, "check", given, "--format", "json").out)
    assert {item["path"] for item in found} == {"pkg/mod.py"}
    github = run_cli(capsys, "check", given, "--format", "github").lines
    assert {line.split(",")[0] for line in github} == {"::error file=pkg/mod.py"}
    sarif = json.loads(run_cli(capsys, "check", given, "--format", "sarif").out)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert uris == {"pkg/mod.py"}
    report = json.loads(run_cli(capsys, "report", given, "--format", "json").out)
    assert report["findings"]["top_files"] == [{"path": "pkg/mod.py", "findings": 2}]


def test_absolute_paths_under_the_current_folder_are_made_relative(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = json.loads(run_cli(capsys, "check", str(tree / "pkg"), "--format", "json").out)
    assert {item["path"] for item in found} == {"pkg/mod.py"}
    run_cli(capsys, "baseline", "--write", "b.json", "--ssot-factories", "x:y")
    markdown = run_cli(
        capsys, "report", ".", "--baseline", str(tree / "b.json"), "--format", "markdown"
    ).out
    assert "2 new since `b.json`." in markdown


def test_wording_of_one(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, {"pkg/mod.py": "f = get_agent_instance_factory()\n"})
    result = run_cli(capsys, "baseline", "--write", "b.json")
    assert result.err == "ssot-factory: recorded 1 finding in 1 file to b.json\n"
    assert "0 of 1 call site migrated" in run_cli(capsys, "report").out


def test_stdin_in_process(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tree,
        {
            "b.json": '{"tool": "flake8-ssot-factory", "version": 1, "findings": [\n'
            '{"path": "app/x.py", "code": "SSF001", "line": '
            '"from a import get_agent_instance_factory", "count": 1}]}\n'
        },
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SOURCE.encode())))
    result = run_cli(capsys, "check", "-", "--stdin-filename", "app/x.py", "--baseline", "b.json")
    # The baseline knows the import under the name given: only the call is new.
    assert (result.code, result.lines) == (1, [f"app/x.py:3:5: SSF002 {D_MSG}"])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x = 1\n")))
    assert run_cli(capsys, "check", "-").code == 0


def test_output_file_that_cannot_be_written(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "taken").mkdir()
    result = run_cli(capsys, "check", ".", "--output-file", "taken")
    assert result.code == 2
    assert result.lines_err == ["ssot-factory: error: --output-file: taken: Is a directory"]


def test_the_entry_points_are_the_faces(monkeypatch: pytest.MonkeyPatch) -> None:
    """setup.cfg names ``cli:main`` and ``plugin:SSFChecker``; ``python -m`` runs main too."""
    import runpy

    from flake8_ssot_factory import cli, plugin
    from flake8_ssot_factory.faces import cli as cli_face
    from flake8_ssot_factory.faces import flake8 as flake8_face

    assert cli.main is cli_face.main
    assert plugin.SSFChecker is flake8_face.SSFChecker
    monkeypatch.setattr(sys, "argv", ["ssot-factory", "rules"])
    with pytest.raises(SystemExit) as exited:
        runpy.run_module("flake8_ssot_factory", run_name="__main__")
    assert exited.value.code == 0


def _read_into(path: Path, received: List[bytes]) -> None:
    received.append(path.read_bytes())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_output_to_a_pipe_is_written_to_not_replaced(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``-o FIFO`` (``>(...)`` in a shell) and ``baseline --write FIFO``: the reader gets the
    output and the pipe stays a pipe."""
    pipe = tree / "pipe"
    for argv in (["check", ".", "-o", str(pipe)], ["baseline", ".", "--write", str(pipe)]):
        os.mkfifo(pipe)
        received: List[bytes] = []
        # A daemon: were the pipe replaced, the reader would wait forever; the test fails.
        reader = threading.Thread(target=_read_into, args=(pipe, received), daemon=True)
        reader.start()
        run_cli(capsys, *argv)
        reader.join(timeout=30)
        assert stat.S_ISFIFO(pipe.stat().st_mode)
        assert b"pkg/mod.py" in received[0]
        pipe.unlink()


@pytest.mark.skipif(os.geteuid() != 0 if hasattr(os, "geteuid") else True, reason="mknod: root")
def test_output_to_a_device_keeps_the_device(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``check -o /dev/null`` as root (CI containers) must not turn the device into a regular
    file: a private copy of /dev/null is made with mknod."""
    null = tree / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    assert run_cli(capsys, "check", ".", "-o", str(null)).code == 1
    assert run_cli(capsys, "baseline", ".", "--write", str(null)).code == 0
    assert stat.S_ISCHR(null.stat().st_mode)
    assert null.read_bytes() == b""
