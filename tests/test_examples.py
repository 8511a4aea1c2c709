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
    from flake8_ssot_factory.catalogue import RULES

    shown = {line.split(": ")[1].split()[0] for line in EXPECTED}
    assert shown == {rule.code for rule in RULES}


def test_readme_fix_example_is_what_fix_does() -> None:
    from flake8_ssot_factory.fixer import fix_text
    from flake8_ssot_factory.settings import DEFAULT_SETTINGS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("Before:\n") :]
    blocks = section.split("```python\n")
    before, after = blocks[1].split("```")[0], blocks[2].split("```")[0]
    assert "After `ssot-factory fix`:" in blocks[1]
    assert fix_text(before, DEFAULT_SETTINGS).text == after
