"""``ssot-factory report`` and ``ssot-factory rules``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flake8_ssot_factory.engine.catalogue import RULES_BY_CODE
from flake8_ssot_factory.faces.docs import render_rule
from tests.cli_helpers import run_cli, write

TREE = {
    "services/chat.py": (
        "from a import get_agent_instance_factory, create_agent_instance_factory\n"
        "def handle(user_context):\n"
        "    factory = create_agent_instance_factory(user_context)\n"
        "    factory.create_agent('X', user_context)\n"
        "    factory.create_agent('Y')\n"
        "    return get_agent_instance_factory()\n"
    ),
    "tests/test_chat.py": (
        "from unittest.mock import patch\n"
        "@patch('a.get_agent_instance_factory')\n"
        "def test(m):\n"
        "    create_agent_instance_factory(None)\n"
    ),
    "setup.py": "x = 1\n",
}


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, TREE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_text_report(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "report")
    assert result.code == 0
    assert result.out == (
        "SSF findings: 5\n"
        "2 of 5 call sites migrated (40.0%), 3 to go\n"
        "\n"
        "by code:\n"
        "  SSF001       1  a deprecated factory is imported\n"
        "  SSF002       1  a deprecated factory is called\n"
        "  SSF003       0  a deprecated factory is referenced without being called\n"
        "  SSF004       1  a string names a deprecated factory\n"
        "  SSF010       1  a context method is called on a factory without a user context\n"
        "  SSF011       1  a replacement factory is called without a user context\n"
        "\n"
        "by top-level folder:\n"
        "       3  services\n"
        "       2  tests\n"
        "\n"
        "files with the most findings (top 10):\n"
        "       3  services/chat.py\n"
        "       2  tests/test_chat.py\n"
    )


def test_json_report(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = json.loads(run_cli(capsys, "report", "services", "tests", "--format", "json").out)
    assert report == {
        "version": 1,
        "findings": {
            "total": 5,
            "by_code": {
                "SSF001": 1,
                "SSF002": 1,
                "SSF003": 0,
                "SSF004": 1,
                "SSF010": 1,
                "SSF011": 1,
            },
            "by_folder": {"services": 3, "tests": 2},
            "top_files": [
                {"path": "services/chat.py", "findings": 3},
                {"path": "tests/test_chat.py", "findings": 2},
            ],
        },
        "call_sites": {"migrated": 2, "to_migrate": 3, "percent_migrated": 40.0},
        "errors": 0,
        "baseline": None,
    }


def test_markdown_report_with_baseline(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "baseline", ".", "--write", "b.json").code == 0
    write(tree, {"tests/test_chat.py": "x = 1\n", "new.py": "get_agent_instance_factory()\n"})
    result = run_cli(capsys, "report", "--format", "markdown", "--baseline", "b.json")
    assert result.out.splitlines()[:4] == [
        "## Singleton factory migration",
        "",
        "**4** SSF findings; 2 of 5 call sites migrated (40.0%), 3 to go.",
        "2 of 5 baseline findings fixed (40.0%), 3 left, 1 new since `b.json`.",
    ]
    assert "| SSF002 | 2 | a deprecated factory is called |" in result.lines
    assert "| `services/chat.py` | 3 |" in result.lines


def test_rules_lists_every_code(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "rules")
    assert (
        result.lines[0]
        == "SSF001  deprecated-factory-import            a deprecated factory is imported"
    )
    assert [line.split()[0] for line in result.lines] == list(RULES_BY_CODE)


def test_rules_documents_one_code_as_the_readme(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "rules", "ssf004")
    assert result.out == render_rule(RULES_BY_CODE["SSF004"]) + "\n"
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert result.out in readme


def test_unknown_rule(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "rules", "SSF999")
    assert (result.code, result.err) == (
        2,
        "ssot-factory: error: no rule 'SSF999'; the rules are SSF001, SSF002, SSF003, SSF004, "
        "SSF010, SSF011 (a code or its name; 'ssot-factory rules' lists them)\n",
    )


def test_a_rule_by_its_name(capsys: pytest.CaptureFixture[str]) -> None:
    by_name = run_cli(capsys, "rules", "context-method-without-context")
    by_code = run_cli(capsys, "rules", "ssf010")
    assert by_name.code == 0
    assert by_name.out == by_code.out
    assert by_name.out.startswith("### SSF010")


def test_a_misspelt_rule_name_gets_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "rules", "context-method-without-contxt")
    assert result.code == 2
    assert result.err.startswith(
        "ssot-factory: error: no rule 'context-method-without-contxt' "
        "(did you mean 'context-method-without-context'?); the rules are"
    )


def test_files_that_cannot_be_checked_are_counted_not_found(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tree, {"broken.py": "x = get_agent_instance_factory(\n"})
    text = run_cli(capsys, "report").lines
    assert text[:3] == [
        "SSF findings: 5",
        "2 of 5 call sites migrated (40.0%), 3 to go",
        "files not checked (E902/E999): 1",
    ]
    markdown = run_cli(capsys, "report", "--format", "markdown").lines
    assert markdown[2:4] == [
        "**5** SSF findings; 2 of 5 call sites migrated (40.0%), 3 to go.",
        "1 file could not be checked (E902/E999).",
    ]
    assert json.loads(run_cli(capsys, "report", "--format", "json").out)["errors"] == 1
