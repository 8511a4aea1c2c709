"""``fix`` on many files at once: one module's fix may not break another file, and ``fix``
honours the baseline as ``check`` does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli, write

D, R = "get_agent_instance_factory", "create_agent_instance_factory"
SERVICE = f"from core.factory import {D}\n\n\ndef handle(user_context):\n    return {D}()\n"
SERVICE_FIXED = (
    f"from core.factory import {R}\n\n\ndef handle(user_context):\n    return {R}(user_context)\n"
)
PATCHING_TEST = (
    "from unittest.mock import patch\n\n\n"
    f'@patch("app.services.chat.{D}")\n'
    "def test_handle(mock_factory):\n    pass\n"
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_patch_target_in_a_module_without_the_replacement_is_left(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The patched module does not use the factory any more: it has neither name.
    write(repo, {"app/services/chat.py": "def handle():\n    pass\n", "tests/t.py": PATCHING_TEST})
    result = run_cli(capsys, "fix", ".", "--unsafe-fixes")
    assert (repo / "tests/t.py").read_text() == PATCHING_TEST
    assert (
        f"tests/t.py:4:8: SSF004 the module it comes from does not define {R} (app.services.chat)"
    ) in result.lines_err


def test_patch_target_follows_the_module_it_patches(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, {"app/services/chat.py": SERVICE, "tests/t.py": PATCHING_TEST})
    run_cli(capsys, "fix", ".", "--unsafe-fixes")
    assert (repo / "app/services/chat.py").read_text() == SERVICE_FIXED
    assert (repo / "tests/t.py").read_text() == PATCHING_TEST.replace(D, R)


def test_a_patched_name_stays_bound_when_the_patch_is_not_rewritten(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, {"app/services/chat.py": SERVICE, "tests/t.py": PATCHING_TEST})
    result = run_cli(capsys, "fix", ".")
    assert (repo / "app/services/chat.py").read_text() == SERVICE
    reason = (
        f"{D} stays: another file uses it from this module (tests/t.py uses app.services.chat.{D})"
    )
    assert [line for line in result.lines_err if line.startswith("app/")] == [
        f"app/services/chat.py:1:26: SSF001 {reason}",
        f"app/services/chat.py:5:12: SSF002 {reason}",
    ]


def test_a_re_exported_name_stays_while_an_importer_still_needs_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reexport = f"from core.factory import {D}\n\n__all__ = []\n"
    importer = f"from supervisor.ssot import {D}\n\nfactory = {D}()\n"  # no context: stays
    write(repo, {"supervisor/ssot.py": reexport, "app/legacy.py": importer})
    run_cli(capsys, "fix", ".")
    assert (repo / "supervisor/ssot.py").read_text() == reexport
    assert (repo / "app/legacy.py").read_text() == importer


def test_an_importer_does_not_switch_to_a_name_its_module_lacks(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # supervisor/ssot.py keeps D (it is patched elsewhere) and never binds R.
    reexport = f"from core.factory import {D}  # noqa: SSF001\n"
    importer = f"from supervisor.ssot import {D}\n\ndef f(user_context):\n    return {D}()\n"
    write(repo, {"supervisor/ssot.py": reexport, "app/service.py": importer})
    result = run_cli(capsys, "fix", ".")
    assert (repo / "app/service.py").read_text() == importer
    assert (
        f"app/service.py:1:29: SSF001 the module it comes from does not define {R} "
        "(supervisor.ssot)"
    ) in result.lines_err


def test_relative_imports_are_followed(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        repo,
        {
            "pkg/__init__.py": "",
            "pkg/factory.py": f"from core import {D}\n",
            "pkg/use.py": f"from .factory import {D}\nx = {D}()\n",
        },
    )
    run_cli(capsys, "fix", ".")
    assert (repo / "pkg/factory.py").read_text() == f"from core import {D}\n"


# -- the baseline ------------------------------------------------------------------------------

LEFT = "def f():\n    return create_agent_instance_factory()\n"


def test_findings_recorded_in_the_baseline_do_not_fail_fix(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, {"src/old.py": LEFT})
    run_cli(capsys, "baseline", "--write", "ssot-baseline.json")
    result = run_cli(capsys, "fix", "src", "--baseline", "ssot-baseline.json")
    assert (result.code, result.err) == (
        0,
        "ssot-factory: nothing to rewrite\n"
        "ssot-factory: 1 finding left is recorded in the baseline\n",
    )
    write(repo, {"src/new.py": LEFT})
    result = run_cli(capsys, "fix", "src", "--baseline", "ssot-baseline.json")
    assert result.code == 1
    assert "src/new.py:2:12: SSF011 no user context in scope" in result.lines_err


def test_the_configured_baseline_is_honoured_and_follows_rewritten_lines(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = f"from m import {D}\nx = [{D}]\ndef f(user_context):\n    return {D}()\n"
    write(repo, {"src/a.py": source, "setup.cfg": "[flake8]\nssot-baseline = base.json\n"})
    run_cli(capsys, "baseline", "--write", "base.json")
    result = run_cli(capsys, "fix", "src")
    assert result.code == 1  # it changed a file
    assert (repo / "src/a.py").read_text() == (
        f"from m import {D}, {R}\nx = [{D}]\ndef f(user_context):\n    return {R}(user_context)\n"
    )
    assert (
        "ssot-factory: updated base.json: 1 entry of fixed findings removed, "
        "1 entry moved to their rewritten lines\n"
    ) in result.err
    recorded = json.loads((repo / "base.json").read_text())["findings"]
    assert [(e["code"], e["line"]) for e in recorded] == [
        ("SSF001", f"from m import {D}, {R}"),
        ("SSF003", f"x = [{D}]"),
    ]
    again = run_cli(capsys, "fix", "src")
    assert again.code == 0
    assert run_cli(capsys, "check", "src").code == 0


def test_show_left_lists_every_finding(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, {f"src/m{n}.py": LEFT for n in range(25)})
    quiet = run_cli(capsys, "fix", "src")
    assert not any(line.startswith("src/") for line in quiet.lines_err)
    shown = run_cli(capsys, "fix", "src", "--show-left")
    assert len([line for line in shown.lines_err if line.startswith("src/")]) == 25
    few = run_cli(capsys, "fix", "src/m1.py", "--no-show-left")
    assert not any(line.startswith("src/") for line in few.lines_err)


def test_planning_in_workers_gives_the_same_fix(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Enough files for a pool (32), one of which another file patches: the constraint between
    # files is found between rounds, whichever process planned them.
    files = {f"app/handlers/h{n:02d}.py": SERVICE for n in range(40)}
    files.update({"app/services/chat.py": SERVICE, "tests/t.py": PATCHING_TEST})
    write(repo, files)
    serial = run_cli(capsys, "fix", ".", "--diff", "-j", "1")
    pooled = run_cli(capsys, "fix", ".", "--diff", "-j", "2")
    assert pooled.out == serial.out
    assert pooled.err == serial.err
    assert pooled.out.count("+++ b/app/handlers/") == 40
    assert "+++ b/app/services/chat.py" not in pooled.out  # tests/t.py patches its name
    run_cli(capsys, "fix", ".", "-j", "2")
    assert (repo / "app/handlers/h00.py").read_text() == SERVICE_FIXED
    assert (repo / "app/services/chat.py").read_text() == SERVICE
