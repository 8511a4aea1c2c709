"""``ssot-factory check``: exact output and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli, write
from tests.helpers import CREATE_MSG, D_MSG, IMPORT_MSG, R_MSG

SOURCE = (
    "from a import get_agent_instance_factory\n"
    "\n"
    "f = get_agent_instance_factory()\n"
    "g = create_agent_instance_factory()\n"
)
EXPECTED = [
    f"pkg/mod.py:1:15: SSF001 {IMPORT_MSG}",
    f"pkg/mod.py:3:5: SSF002 {D_MSG}",
    f"pkg/mod.py:4:5: SSF011 {R_MSG}",
]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, {"pkg/mod.py": SOURCE, "pkg/clean.py": "x = 1\n", "README.txt": SOURCE})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_findings_and_exit_1(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "check", "pkg", "--jobs", "1")
    assert (result.code, result.lines, result.err) == (1, EXPECTED, "")


def test_default_path_is_the_current_folder(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "check")
    assert result.lines == [f"./{line}" for line in EXPECTED]


def test_clean_exit_0(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "check", "pkg/clean.py")
    assert (result.code, result.out, result.err) == (0, "", "")


def test_sorted_by_path_then_position(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, {"pkg/a.py": "get_agent_instance_factory()\n"})
    result = run_cli(capsys, "check", "pkg", "-j1")
    assert result.lines == [f"pkg/a.py:1:1: SSF002 {D_MSG}", *EXPECTED]


def test_parallel_and_serial_runs_agree(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, {f"many/m{n:03}.py": SOURCE if n % 7 == 0 else "x = 1\n" for n in range(140)})
    serial = run_cli(capsys, "check", "many", "--jobs", "1")
    parallel = run_cli(capsys, "check", "many", "--jobs", "2")
    assert serial == parallel
    assert len(serial.lines) == 3 * 20


@pytest.mark.parametrize(
    ("args", "codes"),
    [
        (["--select", "SSF00"], ["SSF001", "SSF002"]),
        (["--select", "SSF002,SSF011"], ["SSF002", "SSF011"]),
        (["--ignore", "SSF001"], ["SSF002", "SSF011"]),
        (["--select", "SSF0", "--ignore", "SSF01"], ["SSF001", "SSF002"]),
    ],
)
def test_select_and_ignore(
    tree: Path, capsys: pytest.CaptureFixture[str], args: list[str], codes: list[str]
) -> None:
    result = run_cli(capsys, "check", "pkg", *args)
    assert [line.split()[1] for line in result.lines] == codes


def test_all_ignored_exits_0(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "check", "pkg", "--ignore", "SSF").code == 0


def test_show_source(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "check", "pkg/mod.py", "--show-source", "--select", "SSF002")
    assert result.lines == [EXPECTED[1], "f = get_agent_instance_factory()", "    ^"]


def test_statistics(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, {"pkg/b.py": "get_agent_instance_factory()\n"})
    result = run_cli(capsys, "check", "pkg", "--statistics")
    assert result.lines[-3:] == [
        f"1     SSF001 {IMPORT_MSG}",
        f"2     SSF002 {D_MSG}",
        f"1     SSF011 {R_MSG}",
    ]


def test_quiet_prints_file_names(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, {"pkg/b.py": "get_agent_instance_factory()\n"})
    result = run_cli(capsys, "check", "pkg", "-q")
    assert (result.code, result.lines) == (1, ["pkg/b.py", "pkg/mod.py"])


def test_json_format(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "check", "pkg", "--format", "json")
    assert json.loads(result.out)[1] == {
        "path": "pkg/mod.py",
        "line": 3,
        "column": 5,
        "code": "SSF002",
        "message": D_MSG,
    }
    assert len(json.loads(result.out)) == 3
    assert result.code == 1


def test_github_format(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "check", "pkg", "--format", "github", "--select", "SSF002")
    assert result.lines == [
        f"::error file=pkg/mod.py,line=3,col=5,title=SSF002::SSF002 {D_MSG}",
    ]


def test_github_format_escapes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from flake8_ssot_factory.faces.formats import github_line
    from flake8_ssot_factory.run.results import Violation

    violation = Violation("a,b:c.py", 1, 2, "E999", "SyntaxError: 100% bad\nline")
    assert github_line(violation) == (
        "::error file=a%2Cb%3Ac.py,line=1,col=2,title=E999::E999 SyntaxError: 100%25 bad%0Aline"
    )


def test_config_file_options(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        tree,
        {
            "tox.ini": "[flake8]\nssot_factories = get_cache:make_cache\n",
            "pkg/c.py": "x = get_cache()\n",
        },
    )
    result = run_cli(capsys, "check", "pkg")
    assert result.lines == [
        "pkg/c.py:1:5: SSF002 get_cache() is a deprecated singleton; use make_cache(user_context)"
    ]


def test_config_found_in_a_parent_folder(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, {"setup.cfg": "[flake8]\nssot-factories = get_cache:make_cache\n"})
    write(tree, {"pkg/c.py": "x = get_cache()\n"})
    os.chdir(tree / "pkg")
    assert run_cli(capsys, "check", "c.py").lines[0].startswith("c.py:1:5: SSF002 get_cache()")


def test_command_line_wins_over_config(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, {".flake8": "[flake8]\nssot-factories = get_cache:make_cache\n"})
    write(tree, {"pkg/c.py": "x = get_cache()\ny = get_session()\n"})
    result = run_cli(capsys, "check", "pkg/c.py", "--ssot-factories", "get_session:make_session")
    assert [line.split(": ")[1].split()[1] for line in result.lines] == ["get_session()"]


def test_explicit_config_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, {"conf/lint.cfg": "[flake8]\nssot-any-receiver = true\n"})
    write(tree, {"pkg/d.py": "orchestrator.create_agent('triage')\n"})
    assert run_cli(capsys, "check", "pkg/d.py").code == 0
    result = run_cli(capsys, "check", "pkg/d.py", "--config", "conf/lint.cfg")
    assert result.lines == [f"pkg/d.py:1:14: SSF010 {CREATE_MSG}"]


@pytest.mark.parametrize(
    ("config", "error"),
    [
        (
            "[flake8]\nssot-context-methods = create_agent:one\n",
            "ssot-factory: error: setup.cfg [flake8] ssot-context-methods: position 'one' in "
            "'create_agent:one' is not a whole number >= 0",
        ),
        (
            "[flake8]\nssot-any-receiver = maybe\n",
            "ssot-factory: error: setup.cfg [flake8] ssot-any-receiver: 'maybe' is not a boolean",
        ),
    ],
)
def test_malformed_config_value_is_one_line_exit_2(
    tree: Path, capsys: pytest.CaptureFixture[str], config: str, error: str
) -> None:
    write(tree, {"setup.cfg": config})
    result = run_cli(capsys, "check", "pkg")
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines() == [error.format(cfg=tree.resolve() / "setup.cfg")]


def test_malformed_command_line_value(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "check", "pkg", "--ssot-factories", "nocolon")
    assert result.code == 2
    assert result.err == (
        "ssot-factory: error: --ssot-factories: 'nocolon' is not a deprecated:replacement "
        "pair (no colon)\n"
    )


def test_missing_path_is_a_usage_error(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "check", "pkg", "nowhere/x.py")
    assert (result.code, result.out) == (2, "")
    assert result.err == "ssot-factory: error: nowhere/x.py: no such file or folder\n"


def test_missing_config_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "check", "--config", "none.cfg")
    assert (result.code, result.err) == (
        2,
        "ssot-factory: error: --config: none.cfg: no such file\n",
    )


def test_bad_jobs_value(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        run_cli(capsys, "check", "--jobs", "0")
    assert exited.value.code == 2
    assert "argument --jobs/-j: '0' is not a whole number >= 1" in capsys.readouterr().err


def test_excludes(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for folder in (".git", ".venv", "build", "__pycache__", ".tox", "node_modules", "gen"):
        write(tree, {f"{folder}/m.py": SOURCE})
    write(tree, {"setup.cfg": "[flake8]\nextend-exclude = gen\n"})
    result = run_cli(capsys, "check", ".")
    assert {line.split(":")[0] for line in result.lines} == {"./pkg/mod.py"}
    result = run_cli(capsys, "check", ".", "--extend-exclude", "pkg")
    assert result.code == 0


def test_config_exclude_replaces_the_default(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tree, {"build/m.py": SOURCE, "setup.cfg": "[flake8]\nexclude = pkg\n"})
    result = run_cli(capsys, "check", ".")
    assert {line.split(":")[0] for line in result.lines} == {"./build/m.py"}


def test_a_named_file_is_checked_whatever_its_name(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "check", "README.txt", "--select", "SSF002")
    assert result.lines == [f"README.txt:3:5: SSF002 {D_MSG}"]


def test_console_script_and_python_m(tree: Path) -> None:
    for command in (["ssot-factory"], [sys.executable, "-m", "flake8_ssot_factory"]):
        if command[0] == "ssot-factory":
            command = [str(Path(sys.executable).parent / "ssot-factory")]
        done = subprocess.run([*command, "check", "pkg"], capture_output=True, text=True)
        assert (done.returncode, done.stdout.splitlines()) == (1, EXPECTED)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from flake8_ssot_factory import __version__

    with pytest.raises(SystemExit) as exited:
        run_cli(capsys, "--version")
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"ssot-factory {__version__}\n"


def test_closed_output_pipe_is_not_a_traceback(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class ClosedPipe:
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            pass

    monkeypatch.setattr("sys.stdout", ClosedPipe())
    from flake8_ssot_factory.faces.cli import main

    assert main(["check", "pkg"]) == 1
    assert capsys.readouterr().err == ""


def test_output_into_head_exits_quietly(tree: Path) -> None:
    write(tree, {"big/many.py": "get_agent_instance_factory()\n" * 20000})
    script = Path(sys.executable).parent / "ssot-factory"
    done = subprocess.run(
        f"'{script}' check big --show-source | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert done.stdout.startswith("big/many.py:1:1: SSF002")
    assert done.stderr == ""
