"""Inputs that hit the worst case of each scan over source text, each with its exact findings.

These are correctness tests; the timeout is only a hang guard (about a hundred times what
each takes here), never a benchmark: a scan that is not linear would take minutes or hours.
The real code base that showed the first of them: netra-systems/zen, whose
``tests/performance/test_isolation_performance.py`` never finished.
"""

from __future__ import annotations

import ast
import subprocess
import sys
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


# -- the fixer on one statement that holds thousands of fixes ---------------------------------

FIX_HEAD = f"{IMPORT}def build(user_context):\n    f = {D}()\n"


@pytest.mark.parametrize(
    ("joined", "between"),
    [
        # A call at each of 20,000 places below one ``and``: finding each call's way down from
        # its function looked at every sibling on the way (quadratic: minutes).
        ("(a or f.create_agent('C'))", " and "),
        # 20,000 fixes in one line: each was compared with every fix kept, and each edit
        # copied the whole text (quadratic: minutes).
        ("f.create_agent('C')", " < "),
    ],
    ids=["and-of-calls", "comparison-chain"],
)
def test_twenty_thousand_fixes_in_one_statement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], joined: str, between: str
) -> None:
    (tmp_path / "m.py").write_text(FIX_HEAD + "    x = " + between.join([joined] * 20_000) + "\n")
    result = run_cli(capsys, "fix", str(tmp_path / "m.py"))
    assert result.err.splitlines()[1] == (
        "ssot-factory: rewrote 1 file, fixing 20002 findings (SSF001 1, SSF002 1, SSF010 20000)"
    )
    fixed = joined.replace("'C')", "'C', user_context)")
    assert (tmp_path / "m.py").read_text() == (
        f"from app.factory import {R}\ndef build(user_context):\n    f = {R}(user_context)\n"
        + "    x = "
        + between.join([fixed] * 20_000)
        + "\n"
    )


# -- files Python runs, nested as deep as its parser allows -----------------------------------


def _unary_chain(depth: int) -> str:
    return f"{IMPORT}def build(user_context):\n    return " + "-" * depth + f"{D}()\n"


@pytest.mark.parametrize("depth", [600, 2_900])
def test_every_command_survives_a_file_nested_as_deep_as_python_allows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], depth: int
) -> None:
    source = _unary_chain(depth)
    path = tmp_path / "m.py"
    path.write_text(source)
    # Python itself takes it, compiled on a fresh stack.
    subprocess.run(
        [sys.executable, "-c", f"compile(open({str(path)!r}).read(), 'm', 'exec')"], check=True
    )
    found = run_cli(capsys, "check", "--no-cache", str(path))
    # The ast module builds the tree with the stack left to it: deep enough, the file is one
    # E999 line (flake8 7.5 dies with a traceback on it); else its findings.
    parsed_here = found.lines != [
        f"{path}:1:1: E999 RecursionError: maximum recursion depth exceeded during ast construction"
    ]
    if parsed_here:
        assert found.lines == [
            f"{path}:1:25: SSF001 {IMPORT_MSG}",
            f"{path}:3:{12 + depth}: SSF002 {D_MSG}",
        ]
    report = run_cli(capsys, "report", "--no-cache", str(path))
    assert report.code == 0
    assert report.lines[0] == f"SSF findings: {2 if parsed_here else 0}"
    fixed = run_cli(capsys, "fix", str(path))
    assert fixed.code == 1
    assert fixed.lines_err[-1] == (
        f"ssot-factory: not fixed: {path}: too deeply nested to verify"
        if parsed_here
        else f"ssot-factory: not fixed: {path}: too deeply nested for Python's ast module "
        "(RecursionError)"
    )
    assert path.read_text() == source
    written = run_cli(capsys, "baseline", "--write", str(tmp_path / "b.json"), str(path))
    assert written.code == 0
