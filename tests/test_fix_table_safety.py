"""A table is input, and input can be wrong: every rewrite is checked against what the tree
defines (issue 26). Each test is one shape seen on the real code base with the table discover
printed for it."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import List, Set, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flake8_ssot_factory.fixer.text as text_module
from flake8_ssot_factory.config.settings import DEFAULT_SETTINGS
from flake8_ssot_factory.engine.fixes import Edit
from flake8_ssot_factory.fixer.move_results import class_members, difference, returned_class
from flake8_ssot_factory.fixer.text import LineMap, TextFix, apply_edits
from tests.cli_helpers import fixed, run_cli, write

TABLE = (
    "[flake8]\nssot-migrations =\n"
    "    websocket-manager: create_websocket_manager -> get_websocket_manager(...)\n"
    "    mover: app.old.get_thing -> app.new\n"
)
WS = (
    "def create_websocket_manager(user_context=None):\n    return None\n\n\n"
    "def get_websocket_manager(user_context=None):\n    return None\n"
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            "setup.cfg": TABLE,
            "app/__init__.py": "",
            "app/ws.py": WS,
            "app/old.py": "def get_thing():\n    return 1\n",
            "app/new.py": "def get_thing():\n    return 2\n",
        },
    )
    return tmp_path


WARNING_TEST = "a test of the deprecation (inside pytest.warns or a like block)"


def test_calls_inside_warning_asserting_blocks_are_left(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pytest.warns, pytest.deprecated_call, assertWarns(Regex), warnings.catch_warnings: the
    test asserts the old API's warning; the call after the block is migrated."""
    source = (
        "import unittest\nimport warnings\n\nimport pytest\n\n"
        "from app.ws import create_websocket_manager\n\n\n"
        "def test_warns(ctx):\n"
        "    with pytest.warns(DeprecationWarning):\n"
        "        create_websocket_manager(ctx)\n"
        "    with pytest.deprecated_call():\n"
        "        create_websocket_manager(ctx)\n"
        "    with warnings.catch_warnings(record=True):\n"
        "        create_websocket_manager(ctx)\n\n\n"
        "class T(unittest.TestCase):\n"
        "    def test_it(self):\n"
        '        with self.assertWarnsRegex(DeprecationWarning, "old"):\n'
        "            create_websocket_manager(None)\n"
        "        return create_websocket_manager(None)\n"
    )
    after = fixed(repo, capsys, source)
    assert after[5] == "from app.ws import create_websocket_manager, get_websocket_manager"
    assert after[21] == "        return get_websocket_manager(None)"
    assert after[after.index("--") + 1 :] == [
        "app/use.py:6:20: SSF001 create_websocket_manager is still used by code that is not fixed "
        "(line 11, 13, 15, 21)",
        f"app/use.py:11:9: SSF002 {WARNING_TEST}",
        f"app/use.py:13:9: SSF002 {WARNING_TEST}",
        f"app/use.py:15:9: SSF002 {WARNING_TEST}",
        f"app/use.py:21:13: SSF002 {WARNING_TEST}",
    ]


def test_a_warning_block_still_reports_its_findings(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        repo,
        {
            "app/use.py": (
                "import pytest\n\nfrom app.ws import create_websocket_manager\n\n\n"
                "def test_warns(ctx):\n"
                "    with pytest.warns(DeprecationWarning):\n"
                "        create_websocket_manager(ctx)\n"
            )
        },
    )
    result = run_cli(capsys, "check", "--select", "SSF002", "app/use.py")
    assert result.lines == [
        "app/use.py:8:9: SSF002 create_websocket_manager() is deprecated; call "
        "get_websocket_manager() with the same arguments [websocket-manager]"
    ]


def test_one_import_of_a_moved_name_under_two_aliases_is_moved_whole(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "from app.old import get_thing as x, get_thing as y\n\n\ndef f():\n    return x(), y()\n"
    )
    assert fixed(repo, capsys, source)[:2] == [
        "from app.new import get_thing as x, get_thing as y",
        "",
    ]


def test_names_moved_together_stay_together_when_one_is_blocked(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The old result has members the new one lacks: the import stays, for both aliases."""
    files = {
        "app/old.py": (
            "class Old:\n    def register(self):\n        return 1\n\n\n"
            "def get_thing() -> Old:\n    return Old()\n"
        ),
        "app/new.py": (
            "class New:\n    def start(self):\n        return 2\n\n\n"
            "def get_thing() -> New:\n    return New()\n"
        ),
    }
    source = (
        "from app.old import get_thing as x, get_thing as y\n\n\n"
        "def f():\n    return x().register(), y()\n"
    )
    after = fixed(repo, capsys, source, files=files)
    assert after[0] == "from app.old import get_thing as x, get_thing as y"
    assert after[after.index("--") + 1 :] == [
        "app/use.py:1:21: SSF001 the new get_thing returns New, which lacks register",
        "app/use.py:1:37: SSF001 the new get_thing returns New, which lacks register",
    ]


def test_a_file_too_deep_for_the_proof_is_a_leftover_not_a_crash(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Python parses 600 nested conditional expressions; pyflakes, which proves the rewrite,
    recurses once per level. The other files are still fixed."""
    deep = "x = " + "a if b else " * 600 + "create_websocket_manager(None)\n"
    write(
        repo,
        {
            "app/deep.py": f"from app.ws import create_websocket_manager\n\n{deep}",
            "app/fine.py": (
                "from app.ws import create_websocket_manager\n\ncreate_websocket_manager(None)\n"
            ),
        },
    )
    result = run_cli(capsys, "fix", ".")
    assert result.code == 1
    assert (repo / "app/fine.py").read_text().endswith("\nget_websocket_manager(None)\n")
    assert (repo / "app/deep.py").read_text().endswith(f"\n{deep}")
    assert "app/deep.py:1:20: SSF001 not fixed: too deeply nested to verify" in result.lines_err
    assert result.lines_err[-1] == (
        "ssot-factory: not fixed: app/deep.py: too deeply nested to verify"
    )


NOT_A_MODULE = (
    "SSF004 the attribute of an object that is not a module: rename it by hand if the object "
    "has the new name"
)


def test_an_attribute_string_is_renamed_only_on_a_module(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """getattr on a class under test, or an object, names its own attribute: left. On a module
    bound by ``import`` (``monkeypatch.setattr`` too) it is renamed; ``from app import ws`` may
    bind a class, so it is left as well."""
    source = (
        "import app.ws as wsmod\nfrom app import ws\n\n\n"
        "class Target:\n    pass\n\n\n"
        "def test_it(monkeypatch, target):\n"
        '    getattr(target, "create_websocket_manager")()\n'
        '    getattr(Target, "create_websocket_manager")()\n'
        '    hasattr(wsmod, "create_websocket_manager")\n'
        '    getattr(wsmod, "create_websocket_manager")()\n'
        '    getattr(ws, "create_websocket_manager")()\n'
        '    monkeypatch.setattr(wsmod, "create_websocket_manager", None)\n'
    )
    after = fixed(repo, capsys, source, "--unsafe-fixes")
    assert after[9:15] == [
        '    getattr(target, "create_websocket_manager")()',
        '    getattr(Target, "create_websocket_manager")()',
        '    hasattr(wsmod, "create_websocket_manager")',
        '    getattr(wsmod, "get_websocket_manager")()',
        '    getattr(ws, "create_websocket_manager")()',
        '    monkeypatch.setattr(wsmod, "get_websocket_manager", None)',
    ]
    assert after[after.index("--") + 1 :] == [
        f"app/use.py:10:21: {NOT_A_MODULE}",
        f"app/use.py:11:21: {NOT_A_MODULE}",
        f"app/use.py:14:17: {NOT_A_MODULE}",
    ]


OLD_STATE = (
    "from enum import Enum\n\n\n"
    "class ExecutionState(str, Enum):\n"
    '    INITIALIZING = "initializing"\n    RUNNING = "running"\n    SUCCESS = "success"\n'
)
NEW_STATE = (
    "import enum\n\n\n"
    "class ExecutionState(enum.Enum):\n"
    '    RUNNING = "running"\n    COMPLETED = "completed"\n'
)


@pytest.fixture
def states(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A moved enum that is another class: the new one lacks INITIALIZING and SUCCESS (and,
    deriving from Enum alone, the methods of str)."""
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            "setup.cfg": "[flake8]\nssot-migrations =\n"
            "    state: app.oldstate.ExecutionState -> app.newstate\n",
            "app/__init__.py": "",
            "app/oldstate.py": OLD_STATE,
            "app/newstate.py": NEW_STATE,
            "app/uses_lost.py": (
                "from app.oldstate import ExecutionState\n\n\n"
                "def f():\n    return ExecutionState.SUCCESS\n"
            ),
            "app/uses_kept.py": (
                "from app.oldstate import ExecutionState as S\n\n\n"
                "def f(s):\n    return S.RUNNING, S('running').value\n"
            ),
        },
    )
    return tmp_path


def test_a_moved_class_that_is_another_class_is_not_moved(
    states: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "fix", ".")
    assert result.lines_err[-2:] == [
        "app/uses_kept.py:1:26: SSF001 the new module's ExecutionState is another class (it "
        "lacks INITIALIZING, SUCCESS, capitalize, casefold, center, count, encode, endswith, "
        "and 41 more); --unsafe-fixes moves it where those are not used",
        "app/uses_lost.py:1:26: SSF001 the new module's ExecutionState lacks SUCCESS",
    ]
    assert (states / "app/uses_kept.py").read_text().startswith("from app.oldstate import")


def test_unsafe_moves_another_class_only_where_no_missing_member_is_used(
    states: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "fix", "--unsafe-fixes", ".")
    assert (
        (states / "app/uses_kept.py")
        .read_text()
        .startswith("from app.newstate import ExecutionState as S\n")
    )
    assert (states / "app/uses_lost.py").read_text().startswith("from app.oldstate import")
    assert result.lines_err[-1] == (
        "app/uses_lost.py:1:26: SSF001 the new module's ExecutionState lacks SUCCESS"
    )


def test_a_function_moved_to_an_async_one_is_not_moved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            "setup.cfg": "[flake8]\nssot-migrations =\n    mover: app.old.get_thing -> app.new\n",
            "app/__init__.py": "",
            "app/old.py": "def get_thing():\n    return 1\n",
            "app/new.py": "async def get_thing():\n    return 2\n",
            "app/use.py": "from app.old import get_thing\n\nprint(get_thing())\n",
        },
    )
    result = run_cli(capsys, "fix", ".")
    assert result.lines_err[-1] == (
        "app/use.py:1:21: SSF001 the new get_thing is async, the old one not"
    )


AUTH_TABLE = (
    "[flake8]\nssot-migrations =\n"
    "    auth: validate_token -> authenticate(...)\n"
    "    websocket-manager: create_websocket_manager -> get_websocket_manager(...)\n"
)
AUTH = (
    "from typing import Any, Dict\n\n\n"
    "class AuthResult:\n"
    "    def __init__(self, user):\n        self.user = user\n\n\n"
    "def validate_token(token) -> Dict[str, Any]:\n    return {'user': token}\n\n\n"
    "def authenticate(websocket, token=None) -> AuthResult:\n    return AuthResult(token)\n"
)


@pytest.fixture
def auth(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"setup.cfg": AUTH_TABLE, "app/__init__.py": "", "app/auth.py": AUTH})
    return tmp_path


def test_a_rename_whose_parameters_differ_by_position_is_left(
    auth: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """authenticate's first parameter is the WebSocket, not the token: the call would pass the
    token as the socket. Passed by keyword, the socket is missing."""
    source = (
        "from app.auth import validate_token\n\n\n"
        "def f(t):\n    validate_token(t)\n    validate_token(token=t)\n"
    )
    after = fixed(auth, capsys, source)
    assert after[after.index("--") + 1 :] == [
        "app/use.py:1:22: SSF001 validate_token is still used by code that is not fixed "
        "(line 5, 6)",
        "app/use.py:5:5: SSF002 authenticate() takes websocket where validate_token() takes "
        "token (argument 1, passed by position)",
        "app/use.py:6:5: SSF002 authenticate() needs websocket, which the call does not pass",
    ]


def test_a_rename_whose_result_lacks_what_the_caller_uses_is_left(
    auth: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The old function returns a dict; the new one an AuthResult, which has no .get."""
    source = (
        "from app.auth import validate_token\n\n\n"
        "def f(t):\n    result = validate_token(token=t)\n    return result.get('user')\n"
    )
    after = fixed(auth, capsys, source)
    assert after[0] == "from app.auth import validate_token"
    assert after[after.index("--") + 1 :] == [
        "app/use.py:1:22: SSF001 validate_token is still used by code that is not fixed (line 5)",
        "app/use.py:5:14: SSF002 the new authenticate returns AuthResult, which lacks get",
    ]


SYNC_AND_ASYNC = {
    "app/ws.py": (
        "async def create_websocket_manager(user_context=None):\n    return None\n\n\n"
        "def get_websocket_manager(user_context=None):\n    return None\n"
    ),
    "app/legacy.py": "def create_websocket_manager(user_context=None):\n    return None\n",
}


def test_async_or_not_is_decided_by_the_definition_the_import_reaches(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The tree defines the old name twice, async in app.ws and not in app.legacy. This file
    imports the async one: its coroutine is handed to create_task, and a sync replacement
    would hand over a plain value; the reference would be called as a coroutine function."""
    source = (
        "import asyncio\n\nfrom app.ws import create_websocket_manager\n\n\n"
        "def go(ctx, register):\n"
        "    register(create_websocket_manager)\n"
        "    return asyncio.create_task(create_websocket_manager(ctx))\n"
    )
    after = fixed(repo, capsys, source, files=SYNC_AND_ASYNC)
    assert after[after.index("--") + 1 :] == [
        "app/use.py:3:20: SSF001 create_websocket_manager is still used by code that is not "
        "fixed (line 7, 8)",
        "app/use.py:7:14: SSF003 get_websocket_manager is not async, create_websocket_manager "
        "is async: the reference is called as create_websocket_manager was",
        "app/use.py:8:32: SSF002 get_websocket_manager is not async: the call's coroutine would "
        "become a plain value",
    ]


def test_the_sync_definition_reached_is_renamed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "from app.legacy import create_websocket_manager\n"
        "from app.ws import get_websocket_manager\n\n\n"
        "def go(ctx, register):\n"
        "    register(create_websocket_manager)\n"
        "    return create_websocket_manager(ctx)\n"
    )
    after = fixed(repo, capsys, source, files=SYNC_AND_ASYNC)
    assert after == [
        "from app.ws import get_websocket_manager",
        "",
        "",
        "def go(ctx, register):",
        "    register(get_websocket_manager)",
        "    return get_websocket_manager(ctx)",
        "--",
    ]


def test_findings_left_in_a_rewritten_file_are_listed_where_they_now_stand(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The moved name goes to an import of its own below the old one: every line after it
    moves down one, and so do the findings left there and the lines their reasons name."""
    files = {"app/old.py": "def get_thing():\n    return 1\n\n\ndef helper():\n    return 2\n"}
    source = (
        "from app.old import get_thing, helper\n"
        "from app.ws import create_websocket_manager\n\n\n"
        "async def f():\n"
        "    return get_thing(), helper(), await create_websocket_manager(None)\n"
    )
    after = fixed(repo, capsys, source, files=files)
    assert after[:3] == [
        "from app.old import helper",
        "from app.new import get_thing",
        "from app.ws import create_websocket_manager",
    ]
    assert after[after.index("--") + 1 :] == [
        "app/use.py:3:20: SSF001 create_websocket_manager is still used by code that is not "
        "fixed (line 7)",
        "app/use.py:7:41: SSF002 get_websocket_manager is not async: the call is awaited, and "
        "create_websocket_manager "
        "is not async either (if it returns an awaitable, the await is needed); --unsafe-fixes "
        "drops the await",
    ]


def test_fix_says_a_baseline_it_was_not_given_was_not_moved(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """CI runs ``check --baseline ssot-baseline.json``; fix run without it cannot move the
    entries of the lines it rewrites, and says so (with it, they move: test_baseline.py)."""
    write(
        repo,
        {
            "app/use.py": (
                "from app.ws import create_websocket_manager\n\n\n"
                "async def f():\n    create_websocket_manager(None)\n"
                "    return await create_websocket_manager(None)\n"
            )
        },
    )
    assert run_cli(capsys, "baseline", "--write", "ssot-baseline.json", ".").code == 0
    assert "was not in effect" not in run_cli(capsys, "fix", "--diff", ".").err  # nothing written
    result = run_cli(capsys, "fix", ".")
    assert result.lines_err[-1] == (
        "ssot-factory: ssot-baseline.json was not in effect (give --baseline, or set "
        "ssot-baseline): its entries on the lines fix rewrote were not moved with them"
    )


ASYNC_OLD = {
    "app/ws.py": (
        "async def create_websocket_manager(user_context=None):\n    return None\n\n\n"
        "def get_websocket_manager(user_context=None):\n    return None\n"
    )
}


def test_the_await_of_an_async_old_function_goes_with_its_sync_replacement(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``await D()`` of an async D becomes ``R()`` of the sync R: the value awaited before is
    the value returned now. ``await (D())`` is left (removing the keyword alone would leave
    the parenthesis)."""
    source = (
        "from app.ws import create_websocket_manager\n\n\n"
        "async def go(ctx):\n"
        "    manager = await create_websocket_manager(ctx)\n"
        "    return manager, await   create_websocket_manager(None)\n"
    )
    assert fixed(repo, capsys, source, files=ASYNC_OLD) == [
        "from app.ws import get_websocket_manager",
        "",
        "",
        "async def go(ctx):",
        "    manager = get_websocket_manager(ctx)",
        "    return manager, get_websocket_manager(None)",
        "--",
    ]


def test_the_await_of_a_sync_old_function_goes_only_with_unsafe_fixes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "from app.ws import create_websocket_manager\n\n\n"
        "async def go(ctx):\n    return await create_websocket_manager(ctx)\n"
    )
    assert fixed(repo, capsys, source, "--unsafe-fixes")[:5] == [
        "from app.ws import get_websocket_manager",
        "",
        "",
        "async def go(ctx):",
        "    return get_websocket_manager(ctx)",
    ]


def test_a_parenthesized_await_is_left(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = (
        "from app.ws import create_websocket_manager\n\n\n"
        "async def go(ctx):\n    return await (create_websocket_manager(ctx))\n"
    )
    assert fixed(repo, capsys, source, files=ASYNC_OLD)[-1] == (
        "app/use.py:5:19: SSF002 get_websocket_manager is not async: the call is awaited"
    )


def test_a_rename_to_another_migrations_context_factory_needs_a_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """create_router -> create_message_router(...), and create_message_router is the per-user
    factory of another entry: renamed with no argument, the call would be an SSF011 of its
    own (the planner's self-check refused the whole file for it)."""
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            "setup.cfg": "[flake8]\nssot-migrations =\n"
            "    router: create_router -> create_message_router(...)\n"
            "    message-router: get_message_router -> create_message_router(user_context)\n",
            "app/__init__.py": "",
            "app/routers.py": (
                "def create_router(user_context=None):\n    return user_context\n\n\n"
                "def create_message_router(user_context=None):\n    return user_context\n"
            ),
            "app/use.py": (
                "from app.routers import create_router\n\n\n"
                "def f(ctx):\n    return create_router(), create_router(ctx)\n"
            ),
        },
    )
    result = run_cli(capsys, "fix", ".")
    assert (tmp_path / "app/use.py").read_text() == (
        "from app.routers import create_router, create_message_router\n\n\n"
        "def f(ctx):\n    return create_router(), create_message_router(ctx)\n"
    )
    assert result.lines_err[-1] == (
        "app/use.py:5:12: SSF002 create_message_router takes a user context (message-router): "
        "the renamed call passes none"
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "", "c d"]), min_size=1, max_size=12),
    st.lists(
        st.tuples(
            st.integers(0, 11), st.integers(0, 2), st.sampled_from(["", "X", "Y\nZ", "\n\n"])
        ),
        max_size=4,
    ),
)
def test_a_line_an_edit_did_not_touch_is_found_where_the_edits_moved_it(
    words: List[str], raw: List[Tuple[int, int, str]]
) -> None:
    """Each line outside the edits is, after them, at the line LineMap says."""
    lines = [f"{n}:{word}" for n, word in enumerate(words)]
    text = "\n".join(lines) + "\n"
    edits: List[Edit] = []
    taken: Set[int] = set()
    for first, span, new in raw:
        last = min(first + span, len(lines) - 1)
        if first >= len(lines) or taken & set(range(first, last + 1)):
            continue
        taken |= set(range(first, last + 1))
        edits.append(Edit((first + 1, 0), (last + 1, len(lines[last])), new))
    result = apply_edits(text, edits).split("\n")
    moved = LineMap(edits)
    for number, line in enumerate(lines):
        if number not in taken:
            assert result[moved(number + 1) - 1] == line


def test_a_result_member_set_not_read_or_handed_on_is_no_loss(
    auth: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``r.flag = 1`` works on any object (only ``flag`` read would need it); and an old
    function that returns the new one's call returns what the new one returns, whatever the
    caller does with it."""
    (auth / "app/auth.py").write_text(
        AUTH + "\n\nclass OldResult:\n    flag = 0\n    user = None\n\n\n"
        "def old_auth(websocket, token=None) -> OldResult:\n    return OldResult()\n\n\n"
        "def check_token(websocket, token=None):\n    return authenticate(websocket, token)\n"
    )
    (auth / "setup.cfg").write_text(
        AUTH_TABLE
        + "    old: old_auth -> authenticate(...)\n    check: check_token -> authenticate(...)\n"
    )
    source = (
        "from app.auth import check_token, old_auth\n\n\n"
        "def f(ws, t):\n"
        "    result = old_auth(ws, t)\n"
        "    result.flag = 1\n"
        "    checked = check_token(ws, t)\n"
        "    return result.user, checked.anything\n"
    )
    after = fixed(auth, capsys, source)
    assert after[:8] == [
        "from app.auth import authenticate",
        "",
        "",
        "def f(ws, t):",
        "    result = authenticate(ws, t)",
        "    result.flag = 1",
        "    checked = authenticate(ws, t)",
        "    return result.user, checked.anything",
    ]


def test_an_import_that_reaches_no_definition_of_a_name_defined_both_ways_is_left(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The module imported from is gone (the import fails today): async or not, the call's
    old function cannot be told, and the tree defines the name both ways."""
    source = (
        "from app.gone import create_websocket_manager\n\n\n"
        "def go(ctx):\n    return create_websocket_manager(ctx)\n"
    )
    assert fixed(repo, capsys, source, files=SYNC_AND_ASYNC)[-1] == (
        "app/use.py:5:12: SSF002 create_websocket_manager is defined both async and not, and "
        "this file's import of it (from app.gone) reaches none of the definitions"
    )


def _function(source: str) -> ast.FunctionDef:
    node = ast.parse(source).body[-1]
    assert isinstance(node, ast.FunctionDef)
    return node


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f() -> Optional[Tracker]: ...", "Tracker"),
        ("def f() -> Dict[str, Any]: ...", "dict"),
        ("def f() -> list[int]: ...", "list"),
        ("def f() -> Optional[mod.Tracker]: ...", ""),
        ("def f():\n    return Tracker()\n", "Tracker"),
        ("def f():\n    return make()\n", ""),
    ],
)
def test_the_class_a_function_returns(source: str, expected: str) -> None:
    assert (returned_class(_function(source)) or "") == expected


def test_members_of_classes_with_standard_and_unknown_bases() -> None:
    tree = ast.parse(
        "import enum\nfrom lib import Base\n\n"
        "class State(enum.Enum):\n    ON = 1\n\n"
        "class Text(str):\n    def shout(self): ...\n\n"
        "class Other(Base):\n    x = 1\n\n"
        "class Called(make_base()):\n    y = 1\n"
    )

    def nothing(module: str) -> None:
        return None

    state = class_members("m", tree, "State", nothing)
    assert state is not None
    assert {"ON", "name", "value"} <= state
    text = class_members("m", tree, "Text", nothing)
    assert text is not None
    assert {"shout", "upper"} <= text
    assert class_members("m", tree, "Other", nothing) is None  # lib.Base is not read
    assert class_members("m", tree, "Called", nothing) is None
    assert class_members("m", tree, "Missing", nothing) is None  # bound nowhere, no builtin


def test_a_name_that_is_a_function_in_one_module_and_a_class_in_the_other_is_not_compared() -> None:
    trees = {
        "old": ast.parse("def Tracker():\n    return 1\n"),
        "new": ast.parse("class Tracker:\n    pass\n"),
    }
    assert difference("Tracker", "old", "new", trees.get) is None


def test_names_of_one_import_stay_together_when_one_of_them_must_stay(
    states: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ExecutionState's move is blocked here (SUCCESS is used); get_thing moves with it in
    one statement, so it stays too, saying why."""
    (states / "setup.cfg").write_text(
        "[flake8]\nssot-migrations =\n"
        "    state: app.oldstate.ExecutionState, app.oldstate.get_thing -> app.newstate\n"
    )
    (states / "app/oldstate.py").write_text(OLD_STATE + "\n\ndef get_thing():\n    return 1\n")
    (states / "app/newstate.py").write_text(NEW_STATE + "\n\ndef get_thing():\n    return 2\n")
    source = (
        "from app.oldstate import ExecutionState, get_thing\n\n\n"
        "def f():\n    return ExecutionState.SUCCESS, get_thing()\n"
    )
    after = fixed(states, capsys, source)
    assert after[0] == "from app.oldstate import ExecutionState, get_thing"
    assert after[after.index("--") + 1 :] == [
        "app/use.py:1:26: SSF001 the new module's ExecutionState lacks SUCCESS",
        "app/use.py:1:42: SSF001 moved with ExecutionState in one statement, which is left: "
        "the new module's ExecutionState lacks SUCCESS",
    ]


def test_a_recursion_anywhere_in_one_files_fix_is_that_files_leftover(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def too_deep(*args: object) -> TextFix:
        raise RecursionError

    monkeypatch.setattr(text_module, "_fix_text", too_deep)
    outcome = text_module.fix_text("x = 1\n", DEFAULT_SETTINGS)
    assert (outcome.text, outcome.error, outcome.fixed) == (
        "x = 1\n",
        "too deeply nested to verify",
        (),
    )
