"""Running the command line in-process, as a user would from a folder."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path
from typing import List, Mapping, Union

import pytest

from flake8_ssot_factory.faces.cli import main


@dataclasses.dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> List[str]:
        return self.out.splitlines()

    @property
    def lines_err(self) -> List[str]:
        return self.err.splitlines()


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Outcome:
    code = main(list(argv))
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


def write(root: Path, files: Mapping[str, Union[str, bytes]]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def flake8_output(root: Path, *options: str) -> List[str]:
    """``flake8 --select SSF`` on ``root`` (no configuration), its lines sorted."""
    done = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "SSF", *options, "."],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert done.stderr == ""
    return sorted(done.stdout.splitlines())


def fixed(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    source: str,
    *args: str,
    files: Mapping[str, str] = {},
) -> List[str]:
    """Fix ``app/use.py`` holding ``source`` (with ``files`` written beside it): its text
    after, ``--``, then the lines ``fix`` lists for it."""
    write(repo, {**files, "app/use.py": source})
    result = run_cli(capsys, "fix", ".", *args)
    left = [line for line in result.lines_err if line.startswith("app/use.py:")]
    return [*(repo / "app/use.py").read_text().splitlines(), "--", *left]
