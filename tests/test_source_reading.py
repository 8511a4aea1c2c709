"""Source read as Python and flake8 read it: line breaks, regular files only, decoding, names.

``ssot-factory check``, ``ssot-factory fix`` and ``flake8 --select SSF`` must agree on lines and
columns for any input, however hostile.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flake8_ssot_factory.config.settings import DEFAULT_SETTINGS
from flake8_ssot_factory.engine.positions import split_lines
from flake8_ssot_factory.fixer.text import fix_text
from flake8_ssot_factory.run.printable import printable
from flake8_ssot_factory.run.source import decode_source
from tests.cli_helpers import flake8_output, run_cli, write
from tests.helpers import CREATE_MSG, D_MSG, IMPORT_MSG, R, findings

#: Characters that ``str.splitlines`` breaks at and Python does not.
HOSTILE = {
    "form-feed": "\f",
    "file-separator": "\x1c",
    "group-separator": "\x1d",
    "record-separator": "\x1e",
    "next-line": "\x85",
    "line-separator": "\u2028",
    "paragraph-separator": "\u2029",
}


def placed(char: str, placement: str) -> str:
    """Text before the code under test, holding ``char`` as a comment, a string or a line."""
    if placement == "comment":
        return f"# note {char} here\n"
    if placement == "string":
        return f"s = 'a{char}b'\n"
    # Alone on a line: Python allows only the form feed there; the others, inside a docstring.
    return f"{char}\n" if char == "\f" else f'"""\n{char}\n"""\n'


PLACEMENTS = ("comment", "string", "own-line")
BODY = (
    "from m import get_agent_instance_factory\n"
    "def build(user_context):\n"
    "    f = get_agent_instance_factory()\n"
    '    return f.create_agent("A")\n'
)
FIXED_BODY = (
    "from m import create_agent_instance_factory\n"
    "def build(user_context):\n"
    "    f = create_agent_instance_factory(user_context)\n"
    '    return f.create_agent("A", user_context)\n'
)
SILENCED = "x = get_agent_instance_factory()  # noqa: SSF002\ny = get_agent_instance_factory()\n"
CASES = list(itertools.product(HOSTILE, PLACEMENTS))


def hostile_tree() -> Dict[str, str]:
    files = {}
    for name, placement in CASES:
        prefix = placed(HOSTILE[name], placement)
        files[f"{name}_{placement}.py"] = prefix + BODY
        files[f"noqa_{name}_{placement}.py"] = prefix + SILENCED
    return files


def expected_findings(name: str, placement: str) -> List[str]:
    first = len(split_lines(placed(HOSTILE[name], placement))) + 1
    return [
        f"./{name}_{placement}.py:{first}:15: SSF001 {IMPORT_MSG}",
        f"./{name}_{placement}.py:{first + 2}:9: SSF002 {D_MSG}",
        f"./{name}_{placement}.py:{first + 3}:14: SSF010 {CREATE_MSG}",
        f"./noqa_{name}_{placement}.py:{first + 1}:5: SSF002 {D_MSG}",
    ]


def test_line_breaks_as_python_counts_them_in_check_and_flake8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, hostile_tree())
    monkeypatch.chdir(tmp_path)
    ours = run_cli(capsys, "check", ".", "-j1").lines
    expected = sorted(line for case in CASES for line in expected_findings(*case))
    assert ours == expected
    assert flake8_output(tmp_path) == expected


@pytest.mark.parametrize(("name", "placement"), CASES)
def test_fix_edits_at_the_right_place(name: str, placement: str) -> None:
    prefix = placed(HOSTILE[name], placement)
    outcome = fix_text(prefix + BODY, DEFAULT_SETTINGS)
    assert outcome.error is None
    assert outcome.text == prefix + FIXED_BODY


def test_the_reported_form_feed_case_is_fixed_right() -> None:
    # A form feed on the first line once made the fixer write "create_agent_insta, user_context
    # nce_factory(user_context)", which parses.
    source = (
        "\f\nfrom m import create_agent_instance_factory\n"
        "def build(user_context):\n"
        "    f = create_agent_instance_factory(user_context)\n"
        '    x = f.create_agent("A")\n'
    )
    expected = source.replace('f.create_agent("A")', 'f.create_agent("A", user_context)')
    assert fix_text(source, DEFAULT_SETTINGS).text == expected


def test_fix_command_keeps_every_other_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    crlf = {
        f"{name}.py": (placed(char, "comment") + BODY).replace("\n", "\r\n")
        for name, char in HOSTILE.items()
    }
    for name, content in crlf.items():
        (tmp_path / name).write_bytes(content.encode("utf-8"))
    monkeypatch.chdir(tmp_path)
    run_cli(capsys, "fix", ".")
    for name, char in HOSTILE.items():
        expected = (placed(char, "comment") + FIXED_BODY).replace("\n", "\r\n").encode("utf-8")
        assert (tmp_path / f"{name}.py").read_bytes() == expected


def test_split_lines_breaks_only_where_python_does() -> None:
    text = "a\fb\x1cc\x85d\u2028e\u2029f\rg\r\nh\ni"
    assert split_lines(text) == ["a\fb\x1cc\x85d\u2028e\u2029f\r", "g\r\n", "h\n", "i"]
    assert split_lines("") == []


# -- only regular files ----------------------------------------------------------------------

CALL = "get_agent_instance_factory()\n"
GOOD = f"src/good.py:1:1: SSF002 {D_MSG}"


def cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # A subprocess with a time limit: a regression must fail the test, not hang the suite.
    return subprocess.run(
        [sys.executable, "-m", "flake8_ssot_factory", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="the platform has no named pipes")
def test_named_pipe_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    write(tmp_path, {"src/good.py": CALL})
    os.mkfifo(tmp_path / "src/pipe.py")
    error = (
        "src/pipe.py:0:1: E902 NotARegularFileError: "
        "'src/pipe.py' is a named pipe (FIFO), not a regular file"
    )
    for paths in (["src"], ["src/pipe.py", "src/good.py"]):
        checked = cli(tmp_path, "check", "-j1", *paths)
        assert (checked.returncode, checked.stdout.splitlines()) == (1, [GOOD, error])
    for mode in ([], ["--diff"]):
        fixed = cli(tmp_path, "fix", "src", *mode)
        assert fixed.returncode == 1
        assert (
            "ssot-factory: not fixed: src/pipe.py: cannot read it: "
            "a named pipe (FIFO), not a regular file"
        ) in fixed.stderr.splitlines()


def test_link_to_a_device_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    write(tmp_path, {"src/good.py": CALL})
    os.symlink("/dev/zero", tmp_path / "src/zero.py")
    monkeypatch.chdir(tmp_path)
    assert run_cli(capsys, "check", "src", "-j1").lines == [
        GOOD,
        "src/zero.py:0:1: E902 NotARegularFileError: "
        "'src/zero.py' is a character device, not a regular file",
    ]


# -- decoding as flake8 decodes --------------------------------------------------------------


def test_latin_1_without_cookie_is_read_as_flake8_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "from m import get_agent_instance_factory\n"
        "def f(user_context):\n    s = 'é'; return get_agent_instance_factory()\n"
    )
    (tmp_path / "latin.py").write_bytes(source.encode("latin-1"))
    monkeypatch.chdir(tmp_path)
    expected = [f"./latin.py:1:15: SSF001 {IMPORT_MSG}", f"./latin.py:3:21: SSF002 {D_MSG}"]
    assert run_cli(capsys, "check", ".").lines == expected
    assert flake8_output(tmp_path) == expected
    run_cli(capsys, "fix", ".")
    fixed = source.replace("get_agent_instance_factory()", f"{R}(user_context)")
    fixed = fixed.replace("get_agent_instance_factory", R)
    assert (tmp_path / "latin.py").read_bytes() == fixed.encode("latin-1")


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        pytest.param(b"\xef\xbb\xbfx = 1\n", "x = 1\n", "utf-8-sig", id="bom"),
        pytest.param(b"# coding: latin-1\n'\xe9'\n", "# coding: latin-1\n'é'\n", "iso-8859-1"),
        pytest.param(b"'\xe9'\n", "'é'\n", "latin-1", id="fallback"),
        pytest.param(b"# coding: klingon\n", "# coding: klingon\n", "latin-1", id="unknown"),
    ],
)
def test_decoding_round_trips(data: bytes, text: str, encoding: str) -> None:
    decoded = decode_source(data)
    assert (decoded.text, decoded.encoding) == (text, encoding)
    assert decoded.encode(decoded.text) == data


def test_bom_before_bytes_that_are_not_utf_8_is_stripped_as_flake8_does() -> None:
    data = b"\xef\xbb\xbfs = '\xff'\n"
    decoded = decode_source(data)
    assert decoded.text == "s = 'ÿ'\n"
    assert decoded.encode(decoded.text) == data


# -- spellings Python reads as a watched name: coding cookies, NFKC ------------------------

#: ``BODY``'s first name spelled so that its bytes do not hold it, as each case spells it.
SPELLED = {
    "utf-7": (b"# coding: utf-7\n", "+AGc-et_agent_instance_factory"),
    "unicode-escape": (b"# coding: unicode_escape\n", "\\x67et_agent_instance_factory"),
    "raw-unicode-escape": (b"# coding: raw_unicode_escape\n", "\\u0067et_agent_instance_factory"),
    "full-width": (b"", "\uff47et_agent_instance_factory"),
    "latin-1-ordinal": (b"# coding: latin-1\n", "get_\xaagent_instance_factory"),
}


def spelled_file(case: str, text: str) -> bytes:
    cookie, spelling = SPELLED[case]
    body = text.replace("get_agent_instance_factory", spelling)
    encoding = "latin-1" if case == "latin-1-ordinal" else "utf-8"
    return cookie + body.encode(encoding)


@pytest.mark.parametrize("case", SPELLED)
def test_a_name_spelled_through_its_coding_or_nfkc_is_found_by_every_face(
    tmp_path: Path, case: str
) -> None:
    data = spelled_file(case, BODY)
    assert "get_agent_instance_factory" not in data.decode("latin-1")  # bytes alone: nothing
    (tmp_path / "m.py").write_bytes(data)
    first = 2 if SPELLED[case][0] else 1
    expected = [
        f"./m.py:{first}:15: SSF001 {IMPORT_MSG}",
        f"./m.py:{first + 2}:9: SSF002 {D_MSG}",
        f"./m.py:{first + 3}:14: SSF010 {CREATE_MSG}",
    ]
    checked = cli(tmp_path, "check", ".", "-j1")
    assert (checked.returncode, checked.stdout.splitlines()) == (1, expected)
    assert flake8_output(tmp_path) == expected
    report = cli(tmp_path, "report", ".", "--format", "json")
    assert '"total": 3,' in report.stdout
    assert '"to_migrate": 2,' in report.stdout
    fixed = cli(tmp_path, "fix", ".")
    assert fixed.returncode == 1  # as pyupgrade: files were rewritten, or left
    if case in ("full-width", "latin-1-ordinal"):
        assert "rewrote 1 file, fixing 3 findings (SSF001 1, SSF002 1, SSF010 1)" in fixed.stderr
        assert decode_source((tmp_path / "m.py").read_bytes()).text.endswith(FIXED_BODY)
        assert cli(tmp_path, "check", ".").stdout == ""
    else:  # encoding the fixed text would re-spell the name everywhere: not done
        encoding = SPELLED[case][0].decode().split()[-1]
        assert fixed.stderr.splitlines()[-1] == (
            f"ssot-factory: not fixed: m.py: written back in its coding ({encoding}), "
            "bytes no fix touches would change"
        )
        assert (tmp_path / "m.py").read_bytes() == data


def test_a_name_spelled_through_its_coding_or_nfkc_is_found_in_history(tmp_path: Path) -> None:
    # Enough files that git itself screens the first commit (history.py, _WORTH_A_GREP).
    files: Dict[str, object] = {f"plain{n}.py": "x = 1\n" for n in range(80)}
    write(tmp_path, files)  # type: ignore[arg-type]
    for case in SPELLED:
        (tmp_path / f"{case}.py").write_bytes(spelled_file(case, BODY))
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "one"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *command],
            cwd=tmp_path,
            check=True,
        )
    done = cli(tmp_path, "report", "--history", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert '"total": 15,' in done.stdout  # three findings in each of the five files


def test_an_ascii_transparent_coding_is_screened_on_its_bytes() -> None:
    from flake8_ssot_factory.run.screening import may_spell

    needles = (b"get_agent_instance_factory",)
    assert may_spell(b"# coding: cp1252\nx = 1\n", needles) is False
    assert may_spell(b"# coding: utf-7\nx = +AGc-et_agent_instance_factory\n", needles)
    assert may_spell("x = 'caf\u00e9'\n".encode(), needles) is False
    assert may_spell("\uff47et_agent_instance_factory()\n".encode(), needles)


# -- file names that are not UTF-8 -----------------------------------------------------------

NOT_UTF_8 = os.fsdecode(b"caf\xe9.py")


@pytest.mark.skipif(sys.platform == "win32", reason="Windows file names are Unicode")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_file_name_that_is_not_utf_8_is_printed_escaped(tmp_path: Path, fmt: str) -> None:
    (tmp_path / NOT_UTF_8).write_text(CALL)
    done = cli(tmp_path, "check", ".", "--format", fmt, PYTHONIOENCODING="utf-8")
    assert done.stderr == ""
    assert done.returncode == 1
    if fmt == "text":
        assert done.stdout == f"./caf\\xe9.py:1:1: SSF002 {D_MSG}\n"
    else:
        assert '"path": "caf\\\\xe9.py"' in done.stdout


def test_printable() -> None:
    assert printable("plain/a.py") == "plain/a.py"
    assert printable("é/a.py") == "é/a.py"
    assert printable(NOT_UTF_8) == "caf\\xe9.py"
    assert printable("\ud800.py") == "\\ud800.py"


# -- generated modules: check, flake8 and fix agree ------------------------------------------

BLOCKS = (
    "from netra_backend.app.agents.supervisor.agent_instance_factory import (\n"
    "    get_agent_instance_factory,  # {c}\n"
    "    create_agent_instance_factory,\n"
    ")",
    "import netra_backend.app.agents.supervisor.agent_instance_factory as aif",
    "from unittest.mock import patch",
    "def build(user_context):\n"
    "    f = get_agent_instance_factory()\n"
    "    return f.create_agent('A')",
    "class Handler:\n"
    "    def __init__(self, user_context):\n"
    "        self.user_context = user_context  # {c}\n"
    "        self.factory = create_agent_instance_factory()\n"
    "\n"
    "    def handle(self):\n"
    "        return self.factory.create_agent('X')",
    "@patch('m.get_agent_instance_factory')\n"
    "def test_x(mock):\n"
    "    aif.get_agent_instance_factory().create_agent('X')",
    "x = get_agent_instance_factory()  # noqa: SSF002",
    "def f(factory: AgentInstanceFactory, user_context):\n    factory.create_agent('Y')",
    "s = 'text {c} more'",
    "# comment {c}",
    "\f",
    "doc = '''\n{c}\n'''",
)
ENDINGS = ("\n", "\r\n", "\r")


@st.composite
def hostile_modules(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=8))
    chars = draw(st.lists(st.sampled_from(["", *HOSTILE.values()]), min_size=1, max_size=4))
    endings = draw(st.lists(st.sampled_from(ENDINGS), min_size=1, max_size=3))
    text = "\n".join(b.replace("{c}", chars[n % len(chars)]) for n, b in enumerate(blocks)) + "\n"
    pieces = text.split("\n")
    ending = itertools.cycle(endings)
    return "".join(piece + next(ending) for piece in pieces[:-1])


@settings(max_examples=5, deadline=None)
@given(st.lists(hostile_modules(), min_size=1, max_size=10))
def test_check_and_flake8_agree_on_generated_modules(modules: List[str]) -> None:
    assert_check_and_flake8_agree([module.encode("utf-8") for module in modules])


def assert_check_and_flake8_agree(modules: List[bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for n, module in enumerate(modules):
            (root / f"m{n}.py").write_bytes(module)
        done = cli(root, "check", ".", "-j1")
        assert done.stderr == ""
        assert sorted(done.stdout.splitlines()) == flake8_output(root)


@st.composite
def respelled_modules(draw: st.DrawFn) -> bytes:
    """A generated module in one of :data:`SPELLED`'s codings, its watched name spelled so."""
    module = draw(hostile_modules())
    cookie, spelling = SPELLED[draw(st.sampled_from(sorted(SPELLED)))]
    codec = cookie.decode().split()[-1] if cookie else "utf-8"
    # A line separator has no latin-1 byte: "?" then, which both faces read alike.
    data = module.encode(codec, errors="replace")
    respelled = spelling.encode("latin-1" if spelling.isascii() or codec != "utf-8" else "utf-8")
    return cookie + data.replace(b"get_agent_instance_factory", respelled)


@settings(max_examples=10, deadline=None)
@given(st.lists(respelled_modules(), min_size=1, max_size=10))
def test_check_and_flake8_agree_on_respelled_modules(modules: List[bytes]) -> None:
    assert_check_and_flake8_agree(modules)


@settings(max_examples=150, deadline=None)
@given(hostile_modules())
def test_fix_never_refuses_its_own_rewrite(module: str) -> None:
    outcome = fix_text(module, DEFAULT_SETTINGS, unsafe=True)
    # The pyflakes gate may refuse a module that was broken already (a name used above its
    # import); the rewrite itself must always parse and lose exactly what it fixed.
    assert outcome.error is None or outcome.error.startswith("the rewrite would add a pyflakes")
    assert fix_text(outcome.text, DEFAULT_SETTINGS, unsafe=True).text == outcome.text


def test_import_positions_in_a_file_ending_lines_with_cr_alone() -> None:
    # On Python 3.9 import names are found by a token scan, which must break lines at "\r" too.
    source = (
        "from m import (\r    get_agent_instance_factory,  # \r"
        "    create_agent_instance_factory,\r)\r"
    )
    assert findings(source) == [f"2:5: SSF001 {IMPORT_MSG}"]
    outcome = fix_text(source, DEFAULT_SETTINGS)
    assert outcome.error is None
    assert outcome.text == "from m import (\r    create_agent_instance_factory,\r)\r"
