"""Bad input: one flake8-style line per file, the run goes on, never a traceback."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli, write
from tests.helpers import D_MSG

CALL = "get_agent_instance_factory()\n"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, {"src/good.py": CALL})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    result = run_cli(capsys, "check", "src", "-j1")
    return result.code, result.lines, result.err


GOOD = f"src/good.py:1:1: SSF002 {D_MSG}"


def test_broken_symlink(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink("missing.py", tree / "src/link.py")
    assert check(capsys) == (
        1,
        [
            GOOD,
            "src/link.py:0:1: E902 FileNotFoundError: [Errno 2] No such file or directory: "
            "'src/link.py'",
        ],
        "",
    )


def test_folder_named_like_a_module(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "src/x.py").mkdir()
    write(tree, {"src/x.py/inner.py": CALL})  # not walked: the "file" itself is reported
    assert check(capsys)[1] == [
        GOOD,
        "src/x.py:0:1: E902 IsADirectoryError: [Errno 21] Is a directory: 'src/x.py'",
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, {"src/secret.py": CALL})
    (tree / "src/secret.py").chmod(0)
    assert check(capsys)[1][1] == (
        "src/secret.py:0:1: E902 PermissionError: [Errno 13] Permission denied: 'src/secret.py'"
    )


def test_unreadable_file_as_the_os_reports_it(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Runs as root too (where chmod cannot make a file unreadable): the open itself fails.
    write(tree, {"src/secret.py": CALL})
    real_open = os.open

    def fake_open(path: str, flags: int, *args: int) -> int:
        if str(path).endswith("secret.py"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args)

    monkeypatch.setattr("flake8_ssot_factory.run.source.os.open", fake_open)
    assert check(capsys)[1] == [
        GOOD,
        "src/secret.py:0:1: E902 PermissionError: [Errno 13] Permission denied: 'src/secret.py'",
    ]


@pytest.mark.parametrize(
    ("content", "position"),
    [
        pytest.param(b"x = 1\ny = '\xff'\n" + CALL.encode(), "3:1", id="not-utf-8"),
        pytest.param(b"# -*- coding: klingon -*-\n" + CALL.encode(), "2:1", id="unknown-coding"),
        pytest.param(b"# coding: ascii\ns = '\xe9'; " + CALL.encode(), "2:10", id="wrong-coding"),
    ],
)
def test_undecodable_is_read_as_latin_1_as_flake8_does(
    tree: Path, capsys: pytest.CaptureFixture[str], content: bytes, position: str
) -> None:
    write(tree, {"src/bad.py": content})
    assert check(capsys)[1] == [f"src/bad.py:{position}: SSF002 {D_MSG}", GOOD]


def parse_error(source: str) -> BaseException:
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError) as error:
        return error
    raise AssertionError("expected a parse error")


def test_syntax_error(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = "x = 1\nget_agent_instance_factory(\n"
    write(tree, {"src/broken.py": source})
    error = parse_error(source)
    assert isinstance(error, SyntaxError)
    expected = f"src/broken.py:{error.lineno}:{(error.offset or 0) + 1}: E999 SyntaxError: "
    assert check(capsys)[1] == [expected + str(error.args[0]), GOOD]


def test_null_bytes(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = "x = 1\x00\n" + CALL
    write(tree, {"src/nul.py": source})
    error = parse_error(source)  # ValueError before 3.11.4, SyntaxError after
    line = check(capsys)[1][1]
    assert line.startswith("src/nul.py:1:")
    assert line.endswith(
        f" E999 {type(error).__name__}: source code string cannot contain null bytes"
    )


def test_too_deep_to_parse(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, {"src/deep.py": "x = " + "-" * 200_000 + "1\n" + CALL})
    code, lines, err = check(capsys)
    assert lines[0].startswith("src/deep.py:1:1: E999 ")
    assert lines[1] == GOOD
    assert (code, err) == (1, "")


def test_recursion_error_is_reported(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tree, {"src/deep.py": CALL})

    def too_deep(source: str, filename: str = "") -> ast.Module:
        raise RecursionError("maximum recursion depth exceeded during compilation")

    monkeypatch.setattr("flake8_ssot_factory.run.checking.ast.parse", too_deep)
    assert check(capsys)[1] == [
        "src/deep.py:1:1: E999 RecursionError: maximum recursion depth exceeded during compilation",
        "src/good.py:1:1: E999 RecursionError: maximum recursion depth exceeded during compilation",
    ]


def test_bom_crlf_latin_1(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        tree,
        {
            "src/bom.py": b"\xef\xbb\xbf" + CALL.encode(),
            "src/crlf.py": b"x = 1\r\n" + CALL.encode().replace(b"\n", b"\r\n"),
            "src/latin.py": (
                "# -*- coding: latin-1 -*-\ns = 'é'; f = get_agent_instance_factory()\n"
            ).encode("latin-1"),
        },
    )
    assert check(capsys)[1] == [
        f"src/bom.py:1:1: SSF002 {D_MSG}",
        f"src/crlf.py:2:1: SSF002 {D_MSG}",
        GOOD,
        f"src/latin.py:2:14: SSF002 {D_MSG}",
    ]


def test_file_without_watched_names_is_not_parsed(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A syntax error cannot hide a finding in a file that never spells a watched name.
    write(tree, {"src/other.py": "def broken(:\n"})
    assert check(capsys)[1] == [GOOD]
