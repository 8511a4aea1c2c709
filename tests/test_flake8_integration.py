"""Real flake8 runs: the plugin as users meet it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from flake8_ssot_factory import __version__
from tests.helpers import D_MSG, IMPORT_MSG, R_MSG

VIOLATION = "from a import get_agent_instance_factory\n\nf = get_agent_instance_factory()\n"
EXPECTED = [f"./t.py:1:15: SSF001 {IMPORT_MSG}", f"./t.py:3:5: SSF002 {D_MSG}"]


def run(flake8_path: Path, *args: str) -> tuple[list[str], list[str], int]:
    result = flake8_path.run_flake8(extra_args=["--select", "SSF,E9", *args])  # type: ignore[attr-defined]
    return result.out_lines, result.err_lines, result.exit_code


def test_reports_findings(flake8_path: Path) -> None:
    (flake8_path / "t.py").write_text(VIOLATION)
    assert run(flake8_path) == (EXPECTED, [], 1)


def test_version_lists_plugin(flake8_path: Path) -> None:
    result = flake8_path.run_flake8(extra_args=["--version"])  # type: ignore[attr-defined]
    assert f"flake8-ssot-factory: {__version__}" in result.out


def test_noqa(flake8_path: Path) -> None:
    (flake8_path / "t.py").write_text(
        "from a import get_agent_instance_factory  # noqa: SSF001\n\n"
        "f = get_agent_instance_factory()  # noqa: E501\n"
        "g = get_agent_instance_factory()  # noqa\n"
    )
    assert run(flake8_path) == ([f"./t.py:3:5: SSF002 {D_MSG}"], [], 1)


def test_extend_select_enables_codes(flake8_path: Path) -> None:
    (flake8_path / "t.py").write_text(VIOLATION)
    (flake8_path / "setup.cfg").write_text("[flake8]\nselect = E\n")
    result = flake8_path.run_flake8(extra_args=["--extend-select", "SSF002"])  # type: ignore[attr-defined]
    assert result.out_lines == [EXPECTED[1]]


@pytest.mark.parametrize("config_file", ["setup.cfg", "tox.ini", ".flake8"])
def test_options_from_config_file(flake8_path: Path, config_file: str) -> None:
    (flake8_path / "t.py").write_text("x = get_cache()\ny = get_agent_instance_factory()\n")
    (flake8_path / "setup.cfg").unlink()  # the fixture's own; flake8 would read it first
    (flake8_path / config_file).write_text(
        dedent(
            """\
            [flake8]
            ssot-factories =
                get_cache:make_cache,
                get_session:make_session
            """
        )
    )
    # Not run_flake8: it pins --config setup.cfg, and this is about flake8 finding the file.
    process = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "SSF", "."],
        cwd=flake8_path,
        capture_output=True,
        text=True,
    )
    out, code = process.stdout.splitlines(), process.returncode
    assert out == [
        "./t.py:1:5: SSF002 get_cache() is a deprecated singleton; use make_cache(user_context)"
    ]
    assert code == 1


def test_command_line_replaces_default(flake8_path: Path) -> None:
    (flake8_path / "t.py").write_text("x = make(None)\ny = create_agent_instance_factory()\n")
    out, _, _ = run(flake8_path, "--ssot-factories=old:make", "--ssot-context-keyword=ctx")
    assert out == ["./t.py:1:5: SSF011 make() is called without a user context; use make(ctx)"]


def test_any_receiver_flag(flake8_path: Path) -> None:
    (flake8_path / "t.py").write_text("orchestrator.create_agent('triage')\n")
    assert run(flake8_path)[0] == []
    out, _, _ = run(flake8_path, "--ssot-any-receiver")
    assert out == [
        "./t.py:1:14: SSF010 create_agent() is called without a user context; "
        "pass user_context as argument 2 or as user_context="
    ]


@pytest.mark.parametrize(
    ("option", "value", "error"),
    [
        (
            "ssot-factories",
            "get_agent_instance_factory",
            "--ssot-factories: 'get_agent_instance_factory' is not a deprecated:replacement "
            "pair (no colon)",
        ),
        ("ssot-factories", "a:", "--ssot-factories: '' in 'a:' is not a Python identifier"),
        (
            "ssot-context-methods",
            "create_agent:one",
            "--ssot-context-methods: position 'one' in 'create_agent:one' is not a whole "
            "number >= 0",
        ),
        (
            "ssot-factory-classes",
            "Agent-Factory",
            "--ssot-factory-classes: 'Agent-Factory' in 'Agent-Factory' is not a Python identifier",
        ),
        ("ssot-context-keyword", "a,b", "--ssot-context-keyword: expected one name, got 'a,b'"),
    ],
)
def test_malformed_option_is_one_clear_line(
    flake8_path: Path, option: str, value: str, error: str
) -> None:
    (flake8_path / "t.py").write_text("x = 1\n")
    for args in ([f"--{option}={value}"], []):
        if not args:
            (flake8_path / "setup.cfg").write_text(f"[flake8]\n{option} = {value}\n")
        out, err, code = run(flake8_path, *args)
        assert out == ["There was a critical error during execution of Flake8:", error]
        assert "Traceback" not in "\n".join(err)
        assert code == 1


def test_syntax_error_is_flake8_e999(flake8_path: Path) -> None:
    (flake8_path / "t.py").write_text("get_agent_instance_factory(\n")
    out, _, _ = run(flake8_path)
    assert len(out) == 1
    assert out[0].startswith("./t.py:1:")
    assert " E999 SyntaxError: " in out[0]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\xef\xbb\xbf" + VIOLATION.encode(), id="bom"),
        pytest.param(VIOLATION.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(b"# -*- coding: latin-1 -*-\n" + VIOLATION.encode(), id="latin-1"),
    ],
)
def test_encodings_and_line_endings(flake8_path: Path, content: bytes) -> None:
    (flake8_path / "t.py").write_bytes(content)
    shift = 1 if b"latin-1" in content else 0
    out, _, _ = run(flake8_path)
    assert out == [
        f"./t.py:{1 + shift}:15: SSF001 {IMPORT_MSG}",
        f"./t.py:{3 + shift}:5: SSF002 {D_MSG}",
    ]


def test_latin_1_text_before_a_call_counts_characters(flake8_path: Path) -> None:
    source = "# -*- coding: latin-1 -*-\ns = 'é'; f = get_agent_instance_factory()\n"
    (flake8_path / "t.py").write_bytes(source.encode("latin-1"))
    assert run(flake8_path)[0] == [f"./t.py:2:14: SSF002 {D_MSG}"]


def test_null_bytes_do_not_break_the_plugin(flake8_path: Path) -> None:
    (flake8_path / "t.py").write_bytes(b"x = 1\x00\nget_agent_instance_factory()\n")
    out, err, _ = run(flake8_path)
    assert all(" E9" in line for line in out), out
    assert "SSF" not in "\n".join(out + err)


def test_jobs_give_the_same_output(flake8_path: Path) -> None:
    for n in range(6):
        (flake8_path / f"m{n}.py").write_text(VIOLATION + "create_agent_instance_factory()\n")
    serial = run(flake8_path, "-j1")
    parallel = run(flake8_path, "-j2")
    assert serial == parallel
    assert len(serial[0]) == 18
    assert serial[0][2] == f"./m0.py:4:1: SSF011 {R_MSG}"


@pytest.mark.skipif(sys.version_info < (3, 10), reason="match is Python 3.10+")
def test_match_statement(flake8_path: Path) -> None:
    (flake8_path / "t.py").write_text(
        "match x:\n    case {'f': y}:\n        get_agent_instance_factory()\n"
    )
    assert run(flake8_path)[0] == [f"./t.py:3:9: SSF002 {D_MSG}"]
