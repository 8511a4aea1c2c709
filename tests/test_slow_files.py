"""A file that takes unusually long is named on stderr while the run goes on, in every command."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest

from flake8_ssot_factory.run.slow import SLOW_SECONDS, SLOW_SECONDS_ENV, SlowFileWatch, slow_seconds
from tests.cli_helpers import run_cli, write
from tests.helpers import D

SOURCE = f"from app.factory import {D}\n\n\ndef deprecated():\n    return {D}()\n"
TOOK = re.compile(r"ssot-factory: (.+): slow file: took \d+\.\d s")


def test_a_file_is_named_while_it_is_read_and_again_with_its_time() -> None:
    stream = io.StringIO()
    with SlowFileWatch(stream, after=0.05) as watch:
        with watch.reading("pkg/slow.py"):
            deadline = time.monotonic() + 5
            while "still reading" not in stream.getvalue() and time.monotonic() < deadline:
                time.sleep(0.01)  # what matters: the name is out before the file is done
            assert (
                stream.getvalue()
                == "ssot-factory: pkg/slow.py: slow file: still reading after 0.05 s\n"
            )
        with watch.reading("pkg/fast.py"):
            pass
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    took = TOOK.fullmatch(lines[1])
    assert took is not None
    assert took.group(1) == "pkg/slow.py"


def test_fast_files_are_not_named() -> None:
    stream = io.StringIO()
    with SlowFileWatch(stream, after=30) as watch:
        for name in ("a.py", "b.py"):
            with watch.reading(name):
                pass
    assert stream.getvalue() == ""


@pytest.mark.parametrize(
    ("value", "limit"), [("0.5", 0.5), ("abc", SLOW_SECONDS), ("-1", SLOW_SECONDS)]
)
def test_the_limit_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, limit: float
) -> None:
    monkeypatch.setenv(SLOW_SECONDS_ENV, value)
    assert slow_seconds() == limit


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (["check", "--no-cache", "."], "./svc.py"),  # each as the command's output names it
        (["report", "--no-cache", "."], "./svc.py"),
        (["fix", "--diff", "--no-cache", "."], "./svc.py"),
        (["discover", "."], "svc.py"),
    ],
    ids=["check", "report", "fix", "discover"],
)
def test_every_command_names_a_slow_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    shown: str,
) -> None:
    # Every file is "slow" against a limit of a microsecond.
    write(
        tmp_path,
        {"svc.py": SOURCE + '    warnings.warn("x is deprecated; use y", DeprecationWarning)\n'},
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(SLOW_SECONDS_ENV, "0.000001")
    result = run_cli(capsys, *command)
    named = [TOOK.fullmatch(line) for line in result.lines_err]
    assert [match.group(1) for match in named if match] == [shown]
