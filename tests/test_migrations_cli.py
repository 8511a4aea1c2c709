"""The migration table through every face: check formats, --migrations, report, baseline, flake8."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli, write

CONFIG = (
    "[flake8]\n"
    "ssot-migrations =\n"
    "    agent-factory: get_agent_instance_factory -> create_agent_instance_factory(user_context)\n"
    "    websocket-manager: create_websocket_manager -> get_websocket_manager(...)\n"
)
SOURCE = (
    "from app import create_websocket_manager, get_agent_instance_factory\n"
    "manager = create_websocket_manager(user_context)\n"
    "factory = get_agent_instance_factory()\n"
    "done = create_agent_instance_factory(user_context)\n"
)
WS = (
    "create_websocket_manager() is deprecated; call get_websocket_manager() with the same arguments"
)
AF = "get_agent_instance_factory() is a deprecated singleton; use create_agent_instance_factory(user_context)"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, {"setup.cfg": CONFIG, "src/app.py": SOURCE})
    monkeypatch.chdir(tmp_path)
    return tmp_path


#: What both faces print for src/app.py: each message names its migration.
APP_FINDINGS = [
    "src/app.py:1:17: SSF001 create_websocket_manager is deprecated; import "
    "get_websocket_manager instead [websocket-manager]",
    "src/app.py:1:43: SSF001 get_agent_instance_factory is a deprecated singleton; import "
    "create_agent_instance_factory and call create_agent_instance_factory(user_context) "
    "[agent-factory]",
    f"src/app.py:2:11: SSF002 {WS} [websocket-manager]",
    f"src/app.py:3:11: SSF002 {AF} [agent-factory]",
]


def test_messages_name_their_migration(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "check", "src").lines == APP_FINDINGS


def test_json_and_sarif_carry_the_migration(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = json.loads(run_cli(capsys, "check", "src", "--format", "json").out)
    assert [(item["code"], item["migration"]) for item in items] == [
        ("SSF001", "websocket-manager"),
        ("SSF001", "agent-factory"),
        ("SSF002", "websocket-manager"),
        ("SSF002", "agent-factory"),
    ]
    sarif = json.loads(run_cli(capsys, "check", "src", "--format", "sarif").out)
    results = sarif["runs"][0]["results"]
    assert [r["properties"]["migration"] for r in results] == [
        "websocket-manager",
        "agent-factory",
        "websocket-manager",
        "agent-factory",
    ]


def test_migrations_picks_some(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "check", "src", "--migrations", "websocket-manager")
    assert [line.split(": ")[1].split()[0] for line in result.lines] == ["SSF001", "SSF002"]
    assert all(line.endswith("[websocket-manager]") for line in result.lines)
    wrong = run_cli(capsys, "check", "src", "--migrations", "websocket-manger")
    assert (wrong.code, wrong.err) == (
        2,
        "ssot-factory: error: --migrations: no migration 'websocket-manger' (did you mean "
        "'websocket-manager'?); the migrations are agent-factory, websocket-manager\n",
    )


def test_report_per_migration(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = run_cli(capsys, "report", "src").out
    assert (
        "by migration:\n"
        "  agent-factory           2 findings  1 of 2 call sites migrated (50.0%)  [context]\n"
        "  websocket-manager       2 findings  0 of 1 call site migrated (0.0%)  [rename]\n"
    ) in text
    document = json.loads(run_cli(capsys, "report", "src", "--format", "json").out)
    assert document["migrations"] == [
        {
            "name": "agent-factory",
            "shape": "context",
            "findings": 2,
            "call_sites": {"migrated": 1, "to_migrate": 1, "percent_migrated": 50.0},
        },
        {
            "name": "websocket-manager",
            "shape": "rename",
            "findings": 2,
            "call_sites": {"migrated": 0, "to_migrate": 1, "percent_migrated": 0.0},
        },
    ]


def test_baseline_records_the_migration(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(capsys, "baseline", "src", "--write", "base.json")
    entries = json.loads((repo / "base.json").read_text())["findings"]
    assert [(e["code"], e["migration"]) for e in entries] == [
        ("SSF001", "agent-factory"),
        ("SSF001", "websocket-manager"),
        ("SSF002", "agent-factory"),
        ("SSF002", "websocket-manager"),
    ]
    assert run_cli(capsys, "check", "src", "--baseline", "base.json").code == 0


def test_an_entry_recorded_before_migrations_had_names_still_matches(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = {
        "tool": "flake8-ssot-factory",
        "version": 1,
        "findings": [
            {
                "path": "src/app.py",
                "code": "SSF002",
                "line": "factory = get_agent_instance_factory()",
                "count": 1,
            }
        ],
    }
    (repo / "old.json").write_text(json.dumps(old))
    result = run_cli(
        capsys, "check", "src", "--baseline", "old.json", "--migrations", "agent-factory"
    )
    assert result.lines == [
        "src/app.py:1:43: SSF001 get_agent_instance_factory is a deprecated singleton; import "
        "create_agent_instance_factory and call create_agent_instance_factory(user_context) "
        "[agent-factory]"
    ]


def test_flake8_reads_the_same_table(repo: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "SSF", "src"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert done.stdout.splitlines() == APP_FINDINGS


def test_flake8_reports_a_malformed_table_in_one_line(repo: Path) -> None:
    (repo / "setup.cfg").write_text("[flake8]\nssot-migrations =\n    broken entry\n")
    done = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "SSF", "src"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    # flake8 prints its own header line, then the plugin's one line, on stdout.
    assert (done.returncode, done.stdout.splitlines()) == (
        1,
        [
            "There was a critical error during execution of Flake8:",
            "--ssot-migrations: 'broken entry' is not 'name: old -> new' (a name, then a colon)",
        ],
    )


def test_a_move_has_no_call_sites_to_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not "0 of 0 call sites migrated (100.0%)": a move changes imports, not calls."""
    write(
        tmp_path,
        {
            "setup.cfg": "[flake8]\nssot-migrations =\n"
            "    tracker: app.old.get_tracker -> app.new\n",
            "src/use.py": "from app.old import get_tracker\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    text = run_cli(capsys, "report", "src").out
    assert (
        "by migration:\n"
        "  tracker       1 finding   – (a move has no call sites to count; its findings are "
        "what is left)  [move]\n"
    ) in text
    markdown = run_cli(capsys, "report", "src", "--format", "markdown").out
    assert "| `tracker` | move | 1 | – |" in markdown
    document = json.loads(run_cli(capsys, "report", "src", "--format", "json").out)
    assert document["migrations"][0]["call_sites"] == {
        "migrated": 0,
        "to_migrate": 0,
        "percent_migrated": None,
    }


def test_show_settings_says_the_table_replaces_the_factories(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = run_cli(capsys, "check", "--show-settings").lines
    factories = next(line for line in shown if line.startswith("ssot-factories ="))
    assert factories.endswith("  # default (replaced by ssot-migrations)")
