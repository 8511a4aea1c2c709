"""flake8 with the plugin and ``ssot-factory check`` report the same findings on the same tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import flake8_output, run_cli, write

CALL = "get_agent_instance_factory()"
TREE = {
    "app/plain.py": f"from a import get_agent_instance_factory\nx = {CALL}\n",
    "app/noqa_blanket.py": f"x = {CALL}  # noqa\ny = {CALL}  # NOQA\n",
    "app/noqa_codes.py": (
        f"a = {CALL}  # noqa: SSF002\n"
        f"b = {CALL}  # noqa:SSF001,SSF002\n"
        f"c = {CALL}  # noqa: SSF\n"
        f"d = {CALL}  # noqa: E501\n"
        f"e = {CALL}  # noqa : SSF002\n"
        f"f = {CALL}  # noqa: ssf002\n"
        f"g = {CALL}  # some text # noqa: SSF002 because\n"
    ),
    "app/file_exempt.py": f"# flake8: noqa\nx = {CALL}\n",
    "app/file_noqa_with_code.py": f"x = {CALL}  # flake8: noqa\n",
    "app/multiline_string.py": (
        f'x = ({CALL}, """\ntext\n""")  # noqa: SSF002\n'
        f'y = """\n{{}}\n""".format({CALL})  # noqa: SSF002\n'
    ),
    "app/continued.py": f"x = 1 + \\\n    {CALL}  # noqa: SSF002\n",
    "app/call_spans_lines.py": f"x = (\n    {CALL}\n)  # noqa: SSF002\n",
    "app/noqa_in_string.py": f"x = ({CALL}, '# noqa')\n",
    "app/patch.py": (
        "from unittest.mock import patch\n"
        "@patch('m.get_agent_instance_factory')  # noqa: SSF004\n"
        "def test(m):\n"
        "    m.create_agent('X')\n"
        "    create_agent_instance_factory()\n"
    ),
    "app/tests/test_context.py": (
        "def test(factory: AgentInstanceFactory):\n"
        "    factory.create_agent('X')\n"
        "    factory.create_agent('X', user_context)  # noqa\n"
    ),
}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_same_findings_as_flake8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    write(tmp_path, TREE)
    for n in range(70):  # enough files for the parallel path
        write(tmp_path, {f"more/m{n}.py": f"x = {CALL}  # noqa\n" if n % 2 else "y = 2\n"})
    monkeypatch.chdir(tmp_path)
    ours = run_cli(capsys, "check", ".", "--jobs", jobs).lines
    theirs = flake8_output(tmp_path)
    assert ours == theirs
    # The tree exercises every noqa rule; these are the survivors, as flake8 decides them.
    assert [line.split(": ")[0] for line in ours] == [
        "./app/call_spans_lines.py:2:5",  # parentheses: each line has its own comment
        "./app/file_noqa_with_code.py:1:5",  # "flake8: noqa" after code exempts nothing
        "./app/noqa_codes.py:4:5",  # a comment naming E501 only
        "./app/noqa_codes.py:6:5",  # codes are case-sensitive
        "./app/patch.py:5:5",
        "./app/plain.py:1:15",
        "./app/plain.py:2:5",
        "./app/tests/test_context.py:2:13",
    ]
