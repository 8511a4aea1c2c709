"""Inputs that hit the worst case of each scan over source text, each with its exact findings.

These are correctness tests; the timeout is only a hang guard (about a hundred times what
each takes here), never a benchmark: a scan that is not linear would take minutes or hours.
The real code base that showed the first of them: netra-systems/zen, whose
``tests/performance/test_isolation_performance.py`` never finished.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import List

import pytest

from flake8_ssot_factory.config.settings import DEFAULT_SETTINGS
from flake8_ssot_factory.engine.analysis import analyze_module
from flake8_ssot_factory.engine.positions import split_lines
from tests.cli_helpers import run_cli
from tests.helpers import D_MSG, IMPORT_MSG, D, R

pytestmark = pytest.mark.timeout(120)

IMPORT = f"from app.factory import {D}\n"
COMMENTED = "# x = f(a)  # note  # more\n"


def check(tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str) -> List[str]:
    """``check --no-cache`` on one file holding ``source`` (written as bytes, line endings
    kept); its output lines, after making sure the unfocused analysis finds the same."""
    path = tmp_path / "m.py"
    path.write_bytes(source.encode("utf-8"))
    result = run_cli(capsys, "check", "--no-cache", str(path))
    assert result.err == ""
    lines = split_lines(source)
    focused = analyze_module(ast.parse(source), DEFAULT_SETTINGS, lines)
    visited_all = analyze_module(ast.parse(source), DEFAULT_SETTINGS, lines, focused=False)
    assert focused.findings == visited_all.findings
    assert result.code == (1 if result.out else 0)
    prefix = f"{path}:"
    assert all(line.startswith(prefix) for line in result.lines)
    return [line[len(prefix) :] for line in result.lines]


def test_the_issue_reproduction_commented_lines_with_inline_hashes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Each line multiplied the time by about nine: 7 lines took minutes, 60 would take ages.
    source = f"# {D}\n" + COMMENTED * 60
    assert check(tmp_path, capsys, source) == []


def test_commented_out_blocks_around_real_uses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    block = "".join(f"# {D}()  # old  # {D} as x  # as\n" for _ in range(2000))
    source = IMPORT + block + f"factory = {D}()\n" + block
    assert check(tmp_path, capsys, source) == [
        f"1:25: SSF001 {IMPORT_MSG}",
        f"2002:11: SSF002 {D_MSG}",
    ]


def test_comments_after_as_and_an_alias_across_comment_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    comments = "".join(f"    # as  # {D} as  # y  # as z\n" for _ in range(3000))
    source = (
        f"from app.factory import (\n    {D}  # the old one  # really\n{comments}"
        "    as old,  # as  # more\n)\n\n\ndef f():\n    return old()\n"
    )
    assert check(tmp_path, capsys, source) == [
        f"2:5: SSF001 {IMPORT_MSG}",
        f"3008:12: SSF002 {D_MSG}",
    ]


def test_twenty_thousand_calls_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call = f"{D}()"
    source = IMPORT + "x = [" + ", ".join([call] * 20_000) + "]  # noqa: E501\n"
    found = check(tmp_path, capsys, source)
    assert len(found) == 20_001
    assert found[1] == f"2:6: SSF002 {D_MSG}"
    assert found[-1] == f"2:{6 + 19_999 * (len(call) + 2)}: SSF002 {D_MSG}"


def test_a_one_megabyte_line_of_wide_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wide = "€" * 1_000_000  # three bytes each: byte and character columns differ
    source = IMPORT + f"x = '{wide}'; y = [" + f"{D}(), " * 2_000 + "]\n"
    found = check(tmp_path, capsys, source)
    assert len(found) == 2_001
    first = len(f"x = '{wide}'; y = [") + 1
    assert found[1] == f"2:{first}: SSF002 {D_MSG}"
    assert found[-1] == f"2:{first + 1_999 * (len(D) + 4)}: SSF002 {D_MSG}"


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"], ids=["cr", "crlf", "lf"])
def test_thousands_of_uses_with_each_kind_of_line_ending(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], newline: str
) -> None:
    body = "".join(f"f{n} = {D}(){newline}" for n in range(3_000))
    found = check(tmp_path, capsys, IMPORT.replace("\n", newline) + body)
    assert len(found) == 3_001
    assert found[-1] == f"3001:9: SSF002 {D_MSG}"  # f2999 = ...


def test_a_factory_in_each_of_ten_thousand_variables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every variable is a name the focus must look for: many names, one pass over the words.
    body = "".join(f"f{n} = {R}(None)\nf{n}.create_agent('X')\n" for n in range(10_000))
    found = check(tmp_path, capsys, f"from app.factory import {R}\n" + body)
    assert len(found) == 20_000
    assert found[-1].startswith("20001:7: SSF010 create_agent() is called without")


def test_deeply_nested_brackets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    depth = 90  # Python 3.9's parser refuses much deeper nesting in source text
    nested = "[" * depth + f"{D}()" + "]" * depth
    source = IMPORT + "\n".join(f"x{n} = {nested}" for n in range(200)) + "\n"
    found = check(tmp_path, capsys, source)
    assert len(found) == 201
    assert found[-1] == f"201:{8 + depth}: SSF002 {D_MSG}"  # x199 = [[...


def test_fifty_thousand_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    filler = "".join(f"def f{n}(a, b):\n    return a + b  # {D}\n\n" for n in range(16_700))
    source = IMPORT + filler + f"x = {D}()\n"
    assert source.count("\n") > 50_000
    found = check(tmp_path, capsys, source)
    assert found == [f"1:25: SSF001 {IMPORT_MSG}", f"50102:5: SSF002 {D_MSG}"]


def test_a_long_gap_of_blank_lines_and_continuations_after_a_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gap = " \\\n" * 5_000 + "    \n" * 5_000
    source = f"from app.factory import ({D}{gap} as old)\nold()\n" + f"# {D}\n" * 5_000
    found = check(tmp_path, capsys, source)
    assert found == [f"1:26: SSF001 {IMPORT_MSG}", f"10002:1: SSF002 {D_MSG}"]
