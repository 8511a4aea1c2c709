"""Whatever a file is called, each output names that file and stays well-formed: SARIF URIs
are percent-encoded (RFC 3986), markdown cells stay cells with no way to put HTML in, and text
output escapes what a terminal would obey."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import Dict, List

import pytest

from tests.cli_helpers import run_cli

SOURCE = "x = get_agent_instance_factory()\n"
MESSAGE = (
    "SSF002 get_agent_instance_factory() is a deprecated singleton; use "
    "create_agent_instance_factory(user_context)"
)
#: name -> (its SARIF URI, its markdown cell, its text-output spelling)
NAMES: Dict[str, tuple[str, str, str]] = {
    "a #1.py": ("a%20%231.py", "`src/a #1.py`", "a #1.py"),
    "b%20.py": ("b%2520.py", "`src/b%20.py`", "b%20.py"),
    "c d.py": ("c%20d.py", "`src/c d.py`", "c d.py"),
    "e|f.py": ("e%7Cf.py", "`src/e\\|f.py`", "e|f.py"),
    "g`h.py": ("g%60h.py", "``src/g`h.py``", "g`h.py"),
    "i\nj.py": ("i%0Aj.py", "`src/i\\nj.py`", "i\\nj.py"),
    "k\x1b[2Jred.py": ("k%1B%5B2Jred.py", "`src/k\\x1b[2Jred.py`", "k\\x1b[2Jred.py"),
    "<img src=x onerror=alert(1)>.py": (
        "%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.py",
        "`src/<img src=x onerror=alert(1)>.py`",
        "<img src=x onerror=alert(1)>.py",
    ),
}
NOT_UTF8 = b"l\xff.py"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> List[str]:
    """The names made (a file system that refuses one is not tested with it)."""
    if sys.platform == "win32":
        pytest.skip("Windows refuses most of these names")
    (tmp_path / "src").mkdir()
    made = []
    for name in NAMES:
        (tmp_path / "src" / name).write_text(SOURCE)
        made.append(name)
    try:
        with open(os.path.join(os.fsencode(tmp_path / "src"), NOT_UTF8), "w") as file:
            file.write(SOURCE)
        made.append(os.fsdecode(NOT_UTF8))
    except OSError:  # macOS and others keep names UTF-8
        pass
    monkeypatch.chdir(tmp_path)
    return made


def test_sarif_uris_are_percent_encoded_bytes(
    tree: List[str], capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "check", "src", "--format", "sarif")
    results = json.loads(result.out)["runs"][0]["results"]
    uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results)
    expected = [f"src/{uri}" for uri, _, _ in NAMES.values()]
    if os.fsdecode(NOT_UTF8) in tree:
        expected.append("src/l%FF.py")
    assert uris == sorted(expected)
    for uri in uris:  # each names its file's bytes exactly
        assert os.path.exists(urllib.parse.unquote_to_bytes(uri))


def test_markdown_cells_stay_cells(tree: List[str], capsys: pytest.CaptureFixture[str]) -> None:
    out = run_cli(capsys, "report", "src", "--format", "markdown").out
    rows = out.split("| file (top 10) | findings |\n|---|---:|\n")[1].splitlines()
    expected = [f"| {cell} | 1 |" for _, cell, _ in NAMES.values()]
    if os.fsdecode(NOT_UTF8) in tree:
        expected.append("| `src/l\\xff.py` | 1 |")
    assert sorted(rows) == sorted(expected)
    assert "<img" not in out.replace("`src/<img src=x onerror=alert(1)>.py`", "")
    assert "\x1b" not in out


def test_text_output_escapes_what_a_terminal_would_obey(
    tree: List[str], capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "check", "src", "--show-source")
    lines = [line for line in result.out.splitlines() if line.startswith("src/")]
    expected = [f"src/{shown}:1:5: {MESSAGE}" for _, _, shown in NAMES.values()]
    if os.fsdecode(NOT_UTF8) in tree:
        expected.append(f"src/l\\xff.py:1:5: {MESSAGE}")
    assert sorted(lines) == sorted(expected)
    assert "\x1b" not in result.out
    quiet = run_cli(capsys, "check", "src", "-q").out.splitlines()
    assert sorted(quiet) == sorted(line.split(":1:5:")[0] for line in expected)


def test_json_and_github_carry_the_real_name(
    tree: List[str], capsys: pytest.CaptureFixture[str]
) -> None:
    found = json.loads(run_cli(capsys, "check", "src", "--format", "json").out)
    paths = {item["path"] for item in found}
    assert {f"src/{name}" for name in NAMES} <= paths
    github = run_cli(capsys, "check", "src", "--format", "github").out
    assert "::error file=src/i%0Aj.py,line=1,col=5,title=SSF002::" in github
    assert len(github.splitlines()) == len(found)


def test_source_lines_escape_controls_and_keep_the_caret_under_the_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "m.py").write_text('s = "\x1b[2J"; x = get_agent_instance_factory()\n')
    monkeypatch.chdir(tmp_path)
    out = run_cli(capsys, "check", "m.py", "--show-source").out
    assert out == (
        f'm.py:1:17: {MESSAGE}\ns = "\\x1b[2J"; x = get_agent_instance_factory()\n{" " * 19}^\n'
    )


def test_a_tables_note_reaches_no_face_as_a_terminal_escape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A checkout's configuration is its own text: ESC and BEL in a note would colour, hide or
    # rewrite the lines a reviewer reads (flake8 prints a message as it is given).
    (tmp_path / "setup.cfg").write_text(
        '[flake8]\nssot-migrations =\n    m1: old_fn -> report "use \x1b[31mRED\x1b[0m\x07"\n'
    )
    (tmp_path / "a.py").write_text("old_fn()\n")
    monkeypatch.chdir(tmp_path)
    shown = "old_fn() is deprecated: use \\x1b[31mRED\\x1b[0m\\x07 [m1]"
    assert run_cli(capsys, "check", ".").lines == [f"./a.py:1:1: SSF002 {shown}"]
    assert run_cli(capsys, "check", "--format", "github", ".").lines == [
        f"::error file=a.py,line=1,col=1,title=SSF002::SSF002 {shown}"
    ]
    settings = run_cli(capsys, "check", "--show-settings", ".").lines
    assert (
        'ssot-migrations = m1: old_fn -> report "use \\x1b[31mRED\\x1b[0m\\x07"  # '
        in "\n".join(settings)
    )
    done = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "SSF", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.splitlines() == [f"./a.py:1:1: SSF002 {shown}"]
