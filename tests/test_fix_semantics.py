"""A rewritten call must still run: methods of other objects, await, arguments, strings that are
not patch targets, literal contexts (the semantic gate beside pyflakes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import fixed, run_cli, write

TABLE = (
    "[flake8]\nssot-migrations =\n"
    "    websocket-manager: create_websocket_manager -> get_websocket_manager(...)\n"
    "    router: get_message_router -> create_message_router(user_context)\n"
)
WS = (
    "def create_websocket_manager(user_context=None):\n    return None\n\n\n"
    "async def open_manager(user_context=None):\n    return None\n\n\n"
    'def get_websocket_manager(user_context=None, mode="x"):\n    return None\n\n\n'
    "def get_message_router():\n    return None\n\n\n"
    "def create_message_router(user_context):\n    return user_context\n"
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"setup.cfg": TABLE, "app/__init__.py": "", "app/ws.py": WS})
    return tmp_path


def test_a_method_of_another_object_is_not_renamed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "from app import ws\n"
        "from app.ws import create_websocket_manager\n\n\n"
        "class Helper:\n"
        "    def create_websocket_manager(self):\n        return 1\n\n"
        "    def run(self, other):\n"
        "        self.create_websocket_manager()\n"
        "        other.create_websocket_manager()\n"
        "        ws.create_websocket_manager()\n"
        "        return create_websocket_manager()\n"
    )
    assert fixed(repo, capsys, source) == [
        "from app import ws",
        "from app.ws import get_websocket_manager",
        "",
        "",
        "class Helper:",
        "    def create_websocket_manager(self):",
        "        return 1",
        "",
        "    def run(self, other):",
        "        self.create_websocket_manager()",
        "        other.create_websocket_manager()",
        "        ws.get_websocket_manager()",
        "        return get_websocket_manager()",
        "--",
        "app/use.py:11:15: SSF002 a method of another object: only a name imported from its "
        "module is renamed",
    ]


def test_await_of_a_synchronous_replacement_is_left(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "from app.ws import create_websocket_manager\n\n\n"
        "async def go(ctx):\n"
        "    return await create_websocket_manager(ctx)\n"
    )
    assert fixed(repo, capsys, source)[-3:] == [
        "--",
        "app/use.py:1:20: SSF001 create_websocket_manager is still used by code that is not fixed "
        "(line 5)",
        "app/use.py:5:18: SSF002 get_websocket_manager is not async: the call is awaited, and "
        "create_websocket_manager "
        "is not async either (if it returns an awaitable, the await is needed); --unsafe-fixes "
        "drops the await",
    ]


def test_an_async_old_function_called_without_await_is_left(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """sync -> async the other way: the old function returned a coroutine, the new a value."""
    (repo / "app/ws.py").write_text(
        WS.replace("def create_websocket_manager", "async def create_websocket_manager")
    )
    source = (
        "import asyncio\n\nfrom app.ws import create_websocket_manager\n\n\n"
        "def go(ctx):\n"
        "    return asyncio.create_task(create_websocket_manager(ctx))\n"
    )
    assert fixed(repo, capsys, source)[-1] == (
        "app/use.py:7:32: SSF002 get_websocket_manager is not async: the call's coroutine would "
        "become a plain value"
    )


def test_a_keyword_the_replacement_does_not_take_is_left_and_star_args_pass(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "from app.ws import create_websocket_manager\n\n\n"
        "def go(ctx, args, kwargs):\n"
        '    one = create_websocket_manager(user_id="u")\n'
        "    two = create_websocket_manager(ctx, 1, 2)\n"
        "    three = create_websocket_manager(*args, **kwargs)\n"
        '    return one, two, three, create_websocket_manager(ctx, mode="y")\n'
    )
    assert fixed(repo, capsys, source) == [
        "from app.ws import create_websocket_manager, get_websocket_manager",
        "",
        "",
        "def go(ctx, args, kwargs):",
        '    one = create_websocket_manager(user_id="u")',
        "    two = create_websocket_manager(ctx, 1, 2)",
        "    three = get_websocket_manager(*args, **kwargs)",
        '    return one, two, three, get_websocket_manager(ctx, mode="y")',
        "--",
        "app/use.py:1:20: SSF001 create_websocket_manager is still used by code that is not fixed "
        "(line 5, 6)",
        "app/use.py:5:11: SSF002 get_websocket_manager() takes no user_id=",
        "app/use.py:6:11: SSF002 get_websocket_manager() takes 2 positional arguments, the call "
        "passes 3",
    ]


def test_a_replacement_defined_outside_the_tree_is_rewritten_and_said_unchecked(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "app/ws.py").write_text("from elsewhere import get_websocket_manager\n")
    write(
        repo,
        {
            "app/use.py": (
                "from app.ws import create_websocket_manager\ncreate_websocket_manager(1)\n"
            )
        },
    )
    result = run_cli(capsys, "fix", ".")
    assert (repo / "app/use.py").read_text() == (
        "from app.ws import get_websocket_manager\nget_websocket_manager(1)\n"
    )
    assert (
        "ssot-factory: 1 rewritten call of get_websocket_manager not checked against its "
        "signature: get_websocket_manager is not defined (def) in the files fixed"
        in result.lines_err
    )


def test_strings_are_rewritten_only_as_patch_targets(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "from unittest import mock\n\n"
        'PATCHED = mock.patch("app.ws.create_websocket_manager")\n'
        'NAMES = ["app.ws.create_websocket_manager"]\n'
        'SAME = NAMES[0] == "app.ws.create_websocket_manager"\n'
        'mock.patch(target="app.ws.create_websocket_manager")\n'
        "from unittest.mock import patch as _p\n"
        '_p("app.ws.create_websocket_manager")\n'
    )
    assert fixed(repo, capsys, source, "--unsafe-fixes") == [
        "from unittest import mock",
        "",
        'PATCHED = mock.patch("app.ws.get_websocket_manager")',
        'NAMES = ["app.ws.create_websocket_manager"]',
        'SAME = NAMES[0] == "app.ws.create_websocket_manager"',
        'mock.patch(target="app.ws.get_websocket_manager")',
        "from unittest.mock import patch as _p",
        '_p("app.ws.get_websocket_manager")',
        "--",
        "app/use.py:4:10: SSF004 a string that is not a patch target (a list, a comparison, a "
        "message): rewrite it by hand if it names the function",
        "app/use.py:5:20: SSF004 a string that is not a patch target (a list, a comparison, a "
        "message): rewrite it by hand if it names the function",
    ]


def test_a_literal_stored_in_self_is_no_context(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "from app.ws import get_message_router\n\n\n"
        "class Handler:\n"
        "    def __init__(self):\n"
        '        self.user_context = {"user_id": "x"}\n\n'
        "    def route(self):\n"
        "        return get_message_router()\n"
    )
    assert fixed(repo, capsys, source)[-2:] == [
        "app/use.py:1:20: SSF001 get_message_router is still used by code that is not fixed "
        "(line 9)",
        "app/use.py:9:16: SSF002 no user context in scope",
    ]


def test_a_function_local_import_below_a_call_is_not_what_the_call_reaches(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The replacement is imported lower in the function: the old import is renamed (not
    dropped), so the call above that line still finds its name (no UnboundLocalError)."""
    source = (
        "def test_both(ctx):\n"
        "    from app.ws import create_websocket_manager\n\n"
        "    first = create_websocket_manager(ctx)\n"
        "    from app.ws import get_websocket_manager\n\n"
        "    return first, get_websocket_manager(ctx)\n"
    )
    assert fixed(repo, capsys, source) == [
        "def test_both(ctx):",
        "    from app.ws import get_websocket_manager",
        "",
        "    first = get_websocket_manager(ctx)",
        "    from app.ws import get_websocket_manager",
        "",
        "    return first, get_websocket_manager(ctx)",
        "--",
    ]


def test_a_move_whose_new_result_lacks_what_callers_use_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The old tracker's class adds register_execution (and sets executions) to the new
    one's: a file using them keeps its import; a file using only start() moves."""
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            "setup.cfg": "[flake8]\nssot-migrations =\n"
            "    execution-tracker: app.old.get_execution_tracker -> app.new\n",
            "app/__init__.py": "",
            "app/old.py": (
                "from app.new import AgentExecutionTracker as _Base\n\n\n"
                "class ExecutionTracker(_Base):\n"
                "    def register_execution(self, item):\n"
                "        self.executions = [item]\n\n\n"
                "def get_execution_tracker() -> ExecutionTracker:\n"
                "    return ExecutionTracker()\n"
            ),
            "app/new.py": (
                "class AgentExecutionTracker:\n"
                "    def start(self):\n        self.running = True\n\n\n"
                "def get_execution_tracker() -> AgentExecutionTracker:\n"
                "    return AgentExecutionTracker()\n"
            ),
            "app/user.py": (
                "from app.old import get_execution_tracker\n\n\n"
                "def use():\n"
                "    tracker = get_execution_tracker()\n"
                "    tracker.register_execution(1)\n"
                "    return tracker.executions\n"
            ),
            "app/fine.py": (
                "from app.old import get_execution_tracker\n\n\n"
                "def use():\n    get_execution_tracker().start()\n"
            ),
        },
    )
    result = run_cli(capsys, "fix", ".")
    assert (
        (tmp_path / "app/fine.py")
        .read_text()
        .startswith("from app.new import get_execution_tracker\n")
    )
    assert (
        (tmp_path / "app/user.py")
        .read_text()
        .startswith("from app.old import get_execution_tracker\n")
    )
    assert result.lines_err[-1] == (
        "app/user.py:1:21: SSF001 the new get_execution_tracker returns AgentExecutionTracker, "
        "which lacks executions, register_execution"
    )


def test_a_call_of_an_async_replacement_must_be_awaited(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """sync -> async: the old function returned a value, the new one a coroutine; the awaited
    call (already awaiting something awaitable) is renamed, the plain one is left."""
    (repo / "app/ws.py").write_text(
        WS.replace("def get_websocket_manager", "async def get_websocket_manager")
    )
    source = (
        "from app.ws import create_websocket_manager\n\n\n"
        "async def go(ctx):\n"
        "    plain = create_websocket_manager(ctx)\n"
        "    return plain, await create_websocket_manager(ctx)\n"
    )
    assert fixed(repo, capsys, source) == [
        "from app.ws import create_websocket_manager, get_websocket_manager",
        "",
        "",
        "async def go(ctx):",
        "    plain = create_websocket_manager(ctx)",
        "    return plain, await get_websocket_manager(ctx)",
        "--",
        "app/use.py:1:20: SSF001 create_websocket_manager is still used by code that is not fixed "
        "(line 5)",
        "app/use.py:5:13: SSF002 get_websocket_manager is async: the call is not awaited",
    ]
