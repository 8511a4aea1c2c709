"""The runner: results in input order, and a progress line only on a terminal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from flake8_ssot_factory.config.settings import DEFAULT_SETTINGS
from flake8_ssot_factory.run import runner


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def make_files(tmp_path: Path, count: int) -> list[str]:
    paths = []
    for n in range(count):
        path = tmp_path / f"m{n:03}.py"
        path.write_text("get_agent_instance_factory()\n" if n % 3 == 0 else "x = 1\n")
        paths.append(str(path))
    return paths


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_follow_the_input_order(tmp_path: Path, jobs: int) -> None:
    paths = make_files(tmp_path, 70)
    results = runner.check_files(list(reversed(paths)), DEFAULT_SETTINGS, jobs, io.StringIO())
    assert [r.path for r in results] == list(reversed(paths))
    assert sum(len(r.violations) for r in results) == 24


def test_progress_line_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "_PROGRESS_AFTER_SECONDS", 0.0)
    monkeypatch.setattr(runner, "_PROGRESS_EVERY_SECONDS", 0.0)
    stream = Terminal()
    runner.check_files(make_files(tmp_path, 5), DEFAULT_SETTINGS, 1, stream)
    written = stream.getvalue()
    assert written.startswith("\rssot-factory: checked 1/5 files")
    assert "\rssot-factory: checked 5/5 files" in written
    assert written.endswith("\r\033[K")  # the line is cleared before the results print


def test_no_progress_line_when_not_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "_PROGRESS_AFTER_SECONDS", 0.0)
    stream = io.StringIO()
    runner.check_files(make_files(tmp_path, 5), DEFAULT_SETTINGS, 1, stream)
    assert stream.getvalue() == ""
