"""Every example in examples/ gives exactly these findings through real flake8."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import CREATE_MSG, D_MSG, IMPORT_MSG, R_MSG, REF_MSG, R

ROOT = Path(__file__).resolve().parent.parent
C = "configure_agent_instance_factory"
C_IMPORT = f"{C} is a deprecated singleton; import {R} and call {R}(user_context)"
C_CALL = f"{C}() is a deprecated singleton; use {R}(user_context)"
C_REF = f"{C} is a deprecated singleton referenced without a call; use {R}(user_context)"
INSTANCE_MSG = CREATE_MSG.replace("create_agent()", "create_agent_instance()")
MODULE = "netra_backend.app.agents.supervisor.agent_instance_factory"
BARE_STRING = (
    '"get_agent_instance_factory" names the deprecated singleton get_agent_instance_factory; '
    'use "create_agent_instance_factory"'
)
PATH_STRING = (
    f'"{MODULE}.get_agent_instance_factory" names the deprecated singleton '
    f'get_agent_instance_factory; use "{MODULE}.create_agent_instance_factory"'
)

SERVICE = "examples/chat_service.py"
TESTS = "examples/tests/test_chat_handler.py"
EXPECTED = [
    f"{SERVICE}:13:5: SSF001 {IMPORT_MSG}",
    f"{SERVICE}:18:66: SSF001 {C_IMPORT}",
    f"{SERVICE}:27:27: SSF004 {BARE_STRING}",
    f"{SERVICE}:32:35: SSF002 {D_MSG}",
    f"{SERVICE}:37:30: SSF010 {CREATE_MSG}",
    f"{SERVICE}:45:63: SSF003 {REF_MSG}",
    f"{SERVICE}:51:8: SSF003 {C_REF}",
    f"{SERVICE}:52:9: SSF002 {C_CALL}",
    f"{SERVICE}:53:15: SSF011 {R_MSG}",
    f"{SERVICE}:54:13: SSF010 {INSTANCE_MSG}",
    f"{TESTS}:12:8: SSF004 {PATH_STRING}",
    f"{TESTS}:19:28: SSF004 {BARE_STRING}",
    f"{TESTS}:21:30: SSF004 {BARE_STRING}",
    f"{TESTS}:22:9: SSF003 {REF_MSG}",
    f"{TESTS}:27:13: SSF002 {D_MSG}",
    f"{TESTS}:38:20: SSF010 {CREATE_MSG}",
]


def test_examples_give_exact_findings() -> None:
    process = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "SSF", "examples/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert process.stdout.splitlines() == EXPECTED
    assert process.returncode == 1


def test_examples_show_every_code() -> None:
    from flake8_ssot_factory.engine.catalogue import RULES

    shown = {line.split(": ")[1].split()[0] for line in EXPECTED}
    assert shown == {rule.code for rule in RULES}


def test_readme_fix_example_is_what_fix_does() -> None:
    from flake8_ssot_factory.config.settings import DEFAULT_SETTINGS
    from flake8_ssot_factory.fixer.text import fix_text

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("Before:\n") :]
    blocks = section.split("```python\n")
    before, after = blocks[1].split("```")[0], blocks[2].split("```")[0]
    assert "After `ssot-factory fix`:" in blocks[1]
    assert fix_text(before, DEFAULT_SETTINGS).text == after


MULTI = ROOT / "examples" / "multi"
EXPECTED_MULTI = [
    "./notifications.py:5:54: SSF001 get_execution_tracker is imported from "
    "netra_backend.app.core.execution_tracker; import it from "
    "netra_backend.app.core.agent_execution_tracker [execution-tracker]",
    "./notifications.py:6:47: SSF001 create_execution_engine is deprecated: use "
    "ExecutionEngineFactory(user_context).create_for_user() [execution-engine]",
    "./notifications.py:7:46: SSF001 create_websocket_manager is deprecated; import "
    "get_websocket_manager instead [websocket-manager]",
    "./notifications.py:13:15: SSF002 create_websocket_manager() is deprecated; call "
    "get_websocket_manager() with the same arguments [websocket-manager]",
    "./notifications.py:20:12: SSF002 create_execution_engine() is deprecated: use "
    "ExecutionEngineFactory(user_context).create_for_user() [execution-engine]",
    "./notifications.py:24:21: SSF002 get_execution_tracker() is called from "
    "netra_backend.app.core.execution_tracker; import it from "
    "netra_backend.app.core.agent_execution_tracker [execution-tracker]",
    "./notifications.py:27:26: SSF003 create_websocket_manager is deprecated; refer to "
    "get_websocket_manager instead [websocket-manager]",
]


def test_the_migration_table_example_through_flake8_and_check() -> None:
    # Run from the example's own folder: its setup.cfg holds the table.
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "SSF", "."],
        cwd=MULTI,
        capture_output=True,
        text=True,
    )
    check = subprocess.run(
        [sys.executable, "-m", "flake8_ssot_factory", "check", "."],
        cwd=MULTI,
        capture_output=True,
        text=True,
    )
    assert flake8.stdout.splitlines() == EXPECTED_MULTI
    assert check.stdout.splitlines() == EXPECTED_MULTI


def test_the_migration_table_example_is_fixed_by_shape(tmp_path: Path) -> None:
    from flake8_ssot_factory.config.settings import build_settings
    from flake8_ssot_factory.fixer.text import fix_text

    config = (MULTI / "setup.cfg").read_text()
    table = config.split("ssot-migrations =\n", 1)[1]
    settings = build_settings({"ssot-migrations": table})
    source = (MULTI / "notifications.py").read_text()
    fixed = fix_text(source, settings).text
    assert fixed == (
        source.replace(
            "netra_backend.app.core.execution_tracker import get_execution_tracker",
            "netra_backend.app.core.agent_execution_tracker import get_execution_tracker",
        ).replace("create_websocket_manager", "get_websocket_manager")
    )
