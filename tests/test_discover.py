"""``ssot-factory discover``: the table from the deprecations a code base announces."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Dict, List

import pytest
from hypothesis import given
from hypothesis import strategies as st

import flake8_ssot_factory.faces.discover as discover_module
from flake8_ssot_factory.config.settings import build_settings
from flake8_ssot_factory.faces.discover_modules import count_calls
from tests.cli_helpers import run_cli, write

TREE = {
    "app/__init__.py": "",
    "app/core/__init__.py": "",
    "app/core/execution_tracker.py": (
        "import warnings\n\n\n"
        "def get_execution_tracker():\n"
        "    warnings.warn(\n"
        '        "get_execution_tracker from execution_tracker.py is deprecated. Use \'from "\n'
        '        "app.core.agent_execution_tracker import get_execution_tracker\' instead.",\n'
        "        DeprecationWarning,\n"
        "    )\n"
        "    return _tracker\n"
    ),
    "app/core/database.py": (
        "import warnings\n\n"
        "warnings.warn(\"app.core.database is deprecated. Use 'from app.database import "
        "get_db' instead.\", DeprecationWarning)\n"
    ),
    "app/websocket.py": (
        "import warnings\n\n\n"
        "def get_message_router(user_context=None):\n"
        '    """DEPRECATED: Use create_message_router() instead"""\n'
        '    warnings.warn("get_message_router() is deprecated.", DeprecationWarning)\n'
        "    return create_message_router(user_context)\n\n\n"
        'def create_websocket_manager(user_context=None, mode="default"):\n'
        '    warnings.warn("Use get_websocket_manager() directly",\n'
        "                  category=PendingDeprecationWarning)\n"
        "    return get_websocket_manager(user_context, mode)\n"
    ),
    "app/new_api.py": (
        "def create_agent_instance_factory(user_context):\n    return user_context\n\n\n"
        "def create_message_router(user_context):\n    return user_context\n"
    ),
    "app/agents.py": (
        "def get_agent_instance_factory():\n"
        '    """OLD: get_agent_instance_factory()  NEW: create_agent_instance_factory(user_context)"""\n'
        '    raise ValueError("no longer supported. Use create_agent_instance_factory(user_context)")\n'
    ),
    "app/engine.py": (
        "from typing_extensions import deprecated\n\n\n"
        '@deprecated("use ExecutionEngineFactory(user_context)")\n'
        "def create_execution_engine(config):\n    return object()\n\n\n"
        "class LegacyRegistry:\n"
        "    def __init__(self):\n"
        '        warnings.warn("LegacyRegistry is deprecated", DeprecationWarning)\n'
    ),
    "app/quiet.py": "def deprecated_looking_name():\n    return 1\n",
    # A package re-exports what its __init__ imports.
    "app/api/__init__.py": "from app.websocket import create_websocket_manager\n",
    # A module re-exports a name that a test patches there.
    "app/routes.py": (
        "from ..app.websocket import (  # relative, from the package's parent\n"
        "    get_message_router,\n"
        ")\n\n\n"
        "def route():\n    return get_message_router()\n"
    ),
    # Imported under another name: that name is not re-exported; and a method of another
    # object that shares the name is no use of it.
    "app/jobs.py": (
        "from app.websocket import get_message_router as router_of\n\n\n"
        "class Job:\n"
        "    def get_message_router(self):\n        return router_of()\n\n\n"
        "def run(job):\n    return job.get_message_router()\n"
    ),
    "tests/test_uses.py": (
        "from unittest import mock\n\n"
        "from app.websocket import create_websocket_manager, get_message_router\n"
        "router = get_message_router()\n"
        'manager = create_websocket_manager(ctx, "x")\n'
        'with mock.patch("app.routes.get_message_router"):\n    pass\n'
    ),
}
EXPECTED = """\
# ssot-factory discover: 7 retired names announced in 5 of 13 files read.
# Old names are qualified by the modules that define and re-export them. Uses are
# whole-word matches (grep -w) in the files that define a name or import it from
# those modules, outside tests, backups and scripts (--all-folders: everywhere).
# Check each entry, then paste the table into
# the [flake8] section (setup.cfg, tox.ini or .flake8): it replaces ssot-migrations
# there, so the migrations in effect come first.
[flake8]
ssot-migrations =
    # kept from the default table
    # also announced at app/agents.py:3: app.agents.get_agent_instance_factory -> create_agent_instance_factory(user_context)
    agent-instance-factory: get_agent_instance_factory, configure_agent_instance_factory -> create_agent_instance_factory(user_context)
    # 7 uses in 3 files; it returns create_message_router(user_context), and its callers pass no arguments (app/websocket.py:7)
    message-router: app.websocket.get_message_router, app.routes.get_message_router -> create_message_router(user_context)
    # 3 uses in 1 file; the warning names the new import (app/core/execution_tracker.py:5)
    execution-tracker: app.core.execution_tracker.get_execution_tracker -> app.core.agent_execution_tracker
    # 2 uses in 2 files; it returns get_websocket_manager(user_context, mode) (app/websocket.py:13)
    websocket-manager: app.websocket.create_websocket_manager, app.api.create_websocket_manager -> get_websocket_manager(...)
    # 0 uses in 0 files; the module's own warning names the new import (app/core/database.py:3)
    db: app.core.database.get_db -> app.database
    # 2 uses in 1 file; a class announces its deprecation (app/engine.py:11)
    # CHECK: a class has no automatic replacement: report only
    legacyregistry: app.engine.LegacyRegistry -> report "LegacyRegistry is deprecated"
    # 1 use in 1 file; the decorator's words name it (app/engine.py:4)
    # CHECK: ExecutionEngineFactory is a class: report only; its body returns object(...), not ExecutionEngineFactory(...)
    execution-engine: app.engine.create_execution_engine -> report "use ExecutionEngineFactory"
"""


#: The printed header (7 comment lines, ``[flake8]``, ``ssot-migrations =``) and the default
#: migration kept first (its comment and its entry): what every tree's table starts with.
_BEFORE_PROPOSALS = 11


def proposed(capsys: pytest.CaptureFixture[str], *args: str) -> List[str]:
    """The lines ``discover`` prints after the header and the default migration."""
    return run_cli(capsys, "discover", *args).lines[_BEFORE_PROPOSALS:]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, TREE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_kind_of_announcement_is_proposed(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "discover", ".")
    assert (result.code, result.out) == (0, EXPECTED)


def test_the_proposed_table_is_a_valid_table(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run_cli(capsys, "discover", ".").out
    table = out.split("ssot-migrations =\n", 1)[1]
    settings = build_settings({"ssot-migrations": table})
    assert [m.name for m in settings.table] == [
        "agent-instance-factory",
        "message-router",
        "execution-tracker",
        "websocket-manager",
        "db",
        "legacyregistry",
        "execution-engine",
    ]


def test_json_says_where_each_replacement_was_read(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(run_cli(capsys, "discover", ".", "--format", "json").out)
    assert (document["version"], document["files_read"], document["files_announcing"]) == (1, 13, 5)
    first = next(m for m in document["migrations"] if m["name"] == "message-router")
    assert first == {
        "name": "message-router",
        "shape": "context",
        "entry": "message-router: app.websocket.get_message_router, app.routes.get_message_router"
        " -> create_message_router(user_context)",
        "deprecated": "get_message_router",
        "replacement": "create_message_router",
        "context_keyword": "user_context",
        "old_module": None,
        "modules": ["app.websocket", "app.routes"],
        "new_module": None,
        "note": None,
        "uses": 7,
        "files": 3,
        "announced_at": {"path": "app/websocket.py", "line": 6},
        "evidence": "it returns create_message_router(user_context), and its callers pass no "
        "arguments (app/websocket.py:7)",
        "doubt": None,
        "also": [],
        "comment_only": None,
    }


def test_nothing_announced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, {"a.py": "x = 1\n"})
    monkeypatch.chdir(tmp_path)
    assert run_cli(capsys, "discover").out.endswith("# Nothing announces a deprecation here.\n")


MORE_KINDS = (
    "import warnings\n"
    "from deprecated import deprecated\n\n\n"
    "class Store:\n"
    '    @deprecated(reason="Use Store.open_for(user_context) instead")\n'
    "    def open_shared(self):\n"
    "        return self\n\n"
    "    def open_for(self, user_context):\n"
    "        return self\n\n"
    "    @deprecated\n"
    "    def legacy_flush(self):\n"
    "        pass\n\n\n"
    "def get_cache(name):\n"
    '    warnings.warn(f"get_cache({name}) is deprecated; " + "use make_cache(...) instead",\n'
    "                  DeprecationWarning)\n"
    "    return make_cache(name)\n\n\n"
    "def old_a():\n    raise RuntimeError\n\n\n"
    "def old_b():\n    raise ERROR\n\n\n"
    'def old_c():\n    raise NotImplementedError("not implemented yet")\n\n\n'
    "async def get_pool():\n"
    '    """Pool."""\n'
    '    raise RuntimeError("get_pool is deprecated")\n'
)


def test_methods_keywords_f_strings_and_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Methods of a class, ``@deprecated`` bare or with ``reason=``, a warning built from an
    f-string and a concatenation, an async function; a bare raise, a raise of a name and a
    raise that says nothing of deprecation announce nothing."""
    write(
        tmp_path,
        {
            "app/more.py": MORE_KINDS,
            "app/use.py": (
                "from app.more import get_cache, get_pool\n"
                'get_cache("a")\nget_pool()\nStore().open_shared()\nStore().legacy_flush()\n'
            ),
        },
    )
    monkeypatch.chdir(tmp_path)
    assert proposed(capsys) == [
        "    # 4 uses in 2 files; it returns make_cache(name) (app/more.py:21)",
        "    cache: app.more.get_cache -> make_cache(...)",
        "    # 4 uses in 2 files; announced by a raise (app/more.py:38)",
        "    # CHECK: could not infer a replacement: report only",
        '    pool: app.more.get_pool -> report "get_pool is deprecated"',
        "    # a method, not an entry: the table matches names, not receivers (app/more.py:13): "
        'legacy-flush: legacy_flush -> report "legacy_flush is deprecated"',
        # open_for is a method, not a module-level function: a report of the words
        "    # a method, not an entry: the table matches names, not receivers (app/more.py:6): "
        'open-shared: open_shared -> report "Use Store.open_for(user_context) instead"',
    ]


CONFLICTS = {
    "app/__init__.py": "",
    "app/one.py": (
        "import warnings\n\n\n"
        "def get_session(user_context):\n"
        '    warnings.warn("get_session is deprecated", DeprecationWarning)\n'
        "    return open_session(user_context)\n\n\n"
        "def _legacy_helper():\n"
        '    warnings.warn("deprecated", DeprecationWarning)\n\n\n'
        "def get_cache(name):\n"
        '    warnings.warn("get_cache is deprecated", DeprecationWarning)\n'
        "    return get_store(name)\n\n\n"
        "def get_store(name):\n"
        '    warnings.warn("get_store is deprecated", DeprecationWarning)\n'
    ),
    "app/two.py": (
        'def get_session():\n    raise RuntimeError("get_session is no longer supported")\n'
    ),
    "app/use.py": "from app.one import get_session\nget_session()\n",
}


def test_a_name_announced_twice_is_one_entry_and_a_retired_replacement_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, CONFLICTS)
    monkeypatch.chdir(tmp_path)
    assert proposed(capsys) == [
        "    # 6 uses in 3 files; it returns open_session(user_context), and its callers pass "
        "no arguments (app/one.py:6)",
        "    # also announced at app/two.py:2, report: not kept",
        "    session: app.one.get_session, app.two.get_session -> open_session(user_context)",
        "    # 2 uses in 1 file; it returns get_store(name) (app/one.py:15)",
        "    # CHECK: get_store is retired too (entry store): write what finally replaces it",
        '    cache: app.one.get_cache -> report "use get_store"',
        "    # 3 uses in 1 file; announced by a warning (app/one.py:19)",
        "    # CHECK: could not infer a replacement: report only",
        '    store: app.one.get_store -> report "get_store is deprecated"',
        "    # 1 use in 1 file; announced by a warning (app/one.py:10)",
        "    # CHECK: could not infer a replacement: report only",
        '    legacy-helper: app.one._legacy_helper -> report "deprecated"',
    ]


def test_a_configured_table_is_kept_with_its_options(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        tree,
        {
            "setup.cfg": "[flake8]\nssot-migrations =\n"
            "    router: get_message_router -> create_message_router(request_context); "
            "methods = route:1\n"
        },
    )
    lines = run_cli(capsys, "discover", ".").lines
    assert lines[9:12] == [
        "    # kept from your configuration",
        "    # also announced at app/websocket.py:6: app.websocket.get_message_router, "
        "app.routes.get_message_router -> "
        "create_message_router(user_context)",
        "    router: get_message_router -> create_message_router(request_context); "
        "methods = route:1",
    ]


@pytest.mark.parametrize(("fmt", "file"), [("text", "setup.cfg"), ("toml", "pyproject.toml")])
@pytest.mark.parametrize(
    "files",
    [TREE, CONFLICTS, {"app/more.py": MORE_KINDS}],
    ids=["every kind", "conflicts", "more kinds"],
)
def test_check_loads_the_printed_table_unedited(
    files: Dict[str, str],
    fmt: str,
    file: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    printed = run_cli(capsys, "discover", "--format", fmt).out
    (tmp_path / file).write_text(printed)
    checked = run_cli(capsys, "check", ".", "--no-cache")
    assert checked.code in (0, 1)
    assert checked.err == ""
    assert "LEFT OUT" not in printed
    shown = run_cli(capsys, "check", "--show-settings").out
    entries = [
        line.strip()
        for line in printed.splitlines()
        if line.startswith("    ") and ":" in line and not line.strip().startswith("#")
    ]
    assert len(entries) == shown.count(" -> ")


def test_tests_backups_and_scripts_announce_nothing_and_count_no_use_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    helper = (
        "import warnings\n\n\ndef make_client():\n"
        '    warnings.warn("make_client is deprecated", DeprecationWarning)\n'
    )
    write(
        tmp_path,
        {
            "tests/helpers.py": helper,
            "backups/app/old.py": helper.replace("make_client", "make_backup"),
            "scripts/tool.py": helper.replace("make_client", "make_tool"),
            "app/test_things.py": helper.replace("make_client", "make_thing"),
            "app/real.py": helper.replace("make_client", "make_real"),
            "tests/test_real.py": "from app.real import make_real\nmake_real()\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    entries = [line for line in run_cli(capsys, "discover").lines if "make_" in line]
    assert entries == ['    real: app.real.make_real -> report "make_real is deprecated"']
    everywhere = run_cli(capsys, "discover", "--all-folders").lines
    assert [line.split(":")[0].strip() for line in everywhere if ".make_" in line] == [
        "real",
        "backup",
        "client",
        "thing",
        "tool",
    ]


def test_a_deprecated_parameter_is_no_migration_and_a_returned_class_no_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "import warnings\n\n\n"
        "class BaseAgent:\n"
        "    def __init__(self, tool_dispatcher=None, **kwargs):\n"
        "        if tool_dispatcher is not None:\n"
        '            warnings.warn("tool_dispatcher is deprecated", DeprecationWarning)\n'
        '        if "legacy" in kwargs:\n'
        '            warnings.warn("legacy= is deprecated", DeprecationWarning)\n\n\n'
        "def execute_agent(context, user_context=None):\n"
        '    warnings.warn("execute_agent is deprecated", DeprecationWarning)\n'
        "    return AgentExecutionResult()\n"
    )
    write(tmp_path, {"app/agents.py": source})
    monkeypatch.chdir(tmp_path)
    assert proposed(capsys) == [
        "    # 2 uses in 1 file; it returns AgentExecutionResult(...) (app/agents.py:14)",
        "    # CHECK: AgentExecutionResult is a class: report only",
        '    execute-agent: app.agents.execute_agent -> report "execute_agent is deprecated"',
    ]


def test_a_replacement_read_from_words_must_be_defined_in_the_code_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "import warnings\n\n\n"
        "def get_db():\n"
        "    warnings.warn(\"get_db is deprecated. Use 'from app.database import' instead\",\n"
        "                  DeprecationWarning)\n\n\n"
        "def get_pool():\n"
        '    warnings.warn("get_pool is deprecated. Use open_pool() instead", DeprecationWarning)\n\n\n'
        "def open_pool():\n    return 1\n"
    )
    write(tmp_path, {"app/db.py": source})
    monkeypatch.chdir(tmp_path)
    assert [line for line in proposed(capsys) if ".get_" in line] == [
        "    pool: app.db.get_pool -> open_pool(...)",
        "    db: app.db.get_db -> report \"get_db is deprecated. Use 'from app.database import' instead\"",
    ]


def test_log_then_raise_and_a_versioned_decorator_are_announcements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "import logging\n"
        "from sqlalchemy import util\n\n"
        "logger = logging.getLogger(__name__)\n\n\n"
        "def get_agent_registry():\n"
        '    """The registry."""\n'
        '    logger.error("get_agent_registry is no longer supported")\n'
        '    raise ValueError("get_agent_registry is no longer supported. Use make_registry()")\n\n\n'
        '@util.deprecated("1.4", "The connect_legacy() function is deprecated; use connect_new()")\n'
        "def connect_legacy(url):\n    return url\n\n\n"
        "def make_registry():\n    return 1\n\n\n"
        "def connect_new(url):\n    return url\n"
    )
    write(tmp_path, {"app/registry.py": source})
    monkeypatch.chdir(tmp_path)
    assert [line for line in proposed(capsys) if "->" in line] == [
        "    agent-registry: app.registry.get_agent_registry -> make_registry(...)",
        "    connect-legacy: app.registry.connect_legacy -> connect_new(...)",
    ]


def test_a_returned_import_alias_is_read_through_the_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = (
        "import warnings\n"
        "from .environment import is_production as env_is_production\n"
        "from .sessions import open_session as fresh_session\n\n\n"
        "def is_production():\n"
        '    warnings.warn("is_production is deprecated here", DeprecationWarning)\n'
        "    return env_is_production()\n\n\n"
        "def is_staging():\n"
        '    warnings.warn("is_staging is deprecated here", DeprecationWarning)\n'
        "    from .environment import (\n        is_staging as env_is_staging,\n    )\n"
        "    return env_is_staging()\n\n\n"
        "def get_session(name):\n"
        '    warnings.warn("get_session is deprecated", DeprecationWarning)\n'
        "    return fresh_session(name)\n"
    )
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/core/__init__.py": "",
            "app/core/config.py": config,
            "app/core/environment.py": (
                "def is_production():\n    return False\n\n\ndef is_staging():\n    return False\n"
            ),
            "app/core/sessions.py": "def open_session(name):\n    return name\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    assert [line for line in proposed(capsys) if "->" in line] == [
        "    is-production: app.core.config.is_production -> app.core.environment",
        "    is-staging: app.core.config.is_staging -> app.core.environment",
        "    session: app.core.config.get_session -> open_session(...)",
    ]


@given(
    st.lists(
        st.sampled_from(["make", "make_x", "xmake", "(", ")", " ", "\n", "\t", "a", ".", ","]),
        max_size=40,
    )
)
def test_calls_are_counted_as_the_regular_expressions_count_them(pieces: List[str]) -> None:
    data = "".join(pieces).encode()
    any_call = re.compile(rb"\bmake\s*\(")
    empty = re.compile(rb"\bmake\s*\(\s*\)")
    assert count_calls(data, b"make") == (len(any_call.findall(data)), len(empty.findall(data)))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_line_on_a_terminal_cleared_before_the_table(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discover_module, "_PROGRESS_AFTER_SECONDS", 0.0)
    monkeypatch.setattr(discover_module, "_PROGRESS_EVERY_SECONDS", 0.0)
    stream = _Terminal()
    files = sorted(str(p.relative_to(tree)) for p in tree.rglob("*.py"))
    discovery = discover_module.discover(files, ["."], progress=stream)
    written = stream.getvalue()
    # Counted by chunks of files; tests are looked at too: they import and patch the names.
    assert written == (
        "\rssot-factory: read 13/13 files\r\033[K"
        "\rssot-factory: looked for uses in 13/13 files\r\033[K"
    )
    assert len(discovery.proposals) == 7
    quiet = io.StringIO()
    discover_module.discover(files, ["."], progress=quiet)
    assert quiet.getvalue() == ""


def test_check_with_the_printed_table_flags_only_that_function(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Qualified old names: ``job.get_message_router()`` (a method of another object) is no
    use; the names re-exported by a package and patched in a test are."""
    printed = run_cli(capsys, "discover", ".").out
    (tree / "setup.cfg").write_text(printed)
    findings = [
        line.split(" ", 2)[:2]
        for line in run_cli(capsys, "check", ".", "--no-cache").lines
        if "message-router" in line or "websocket-manager" in line
    ]
    assert findings == [
        ["./app/api/__init__.py:1:27:", "SSF001"],
        ["./app/jobs.py:1:27:", "SSF001"],
        ["./app/jobs.py:6:16:", "SSF002"],
        ["./app/routes.py:2:5:", "SSF001"],
        ["./app/routes.py:7:12:", "SSF002"],
        ["./tests/test_uses.py:3:27:", "SSF001"],
        ["./tests/test_uses.py:3:53:", "SSF001"],
        ["./tests/test_uses.py:4:10:", "SSF002"],
        ["./tests/test_uses.py:5:11:", "SSF002"],
        ["./tests/test_uses.py:6:17:", "SSF004"],
    ]


def test_workers_print_the_same_table(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Enough files for a pool: the table does not depend on which worker finished first."""
    write(
        tree, {f"app/filler/m{index}.py": "from app.routes import route\n" for index in range(450)}
    )
    alone = run_cli(capsys, "discover", ".", "--jobs", "1").out
    assert run_cli(capsys, "discover", ".", "--jobs", "2").out == alone
    assert alone.splitlines()[0] == (
        "# ssot-factory discover: 7 retired names announced in 5 of 463 files read."
    )


HELPERS = {
    "app/managers.py": (
        "import warnings\n\n\n"
        "def _deprecation_warning(old_name: str, new_name: str) -> None:\n"
        '    """Emit deprecation warning for old naming conventions."""\n'
        "    warnings.warn(\n"
        '        f"{old_name} is deprecated. Please use {new_name} instead.",\n'
        "        DeprecationWarning,\n"
        "        stacklevel=3,\n"
        "    )\n\n\n"
        "class _DeprecatedLifecycleManager:\n"
        "    def __new__(cls, *args, **kwargs):\n"
        '        _deprecation_warning("LifecycleManager", "SystemLifecycle")\n'
        "        return SystemLifecycle(*args, **kwargs)\n\n\n"
        "def get_lifecycle(user_context):\n"
        '    _deprecation_warning(old_name="get_lifecycle", new_name="make_lifecycle")\n'
        "    return make_lifecycle(user_context)\n\n\n"
        "def make_lifecycle(user_context):\n    return user_context\n\n\n"
        "LifecycleManager = _DeprecatedLifecycleManager\n"
    ),
    "app/events.py": (
        "import warnings\n\n\n"
        "def _emit_deprecation_warning():\n"
        "    warnings.warn(\n"
        "        \"Importing from 'app.events' is deprecated. \"\n"
        "        \"Use 'from app.monitor import EventMonitor' instead.\",\n"
        "        DeprecationWarning,\n"
        "    )\n\n\n"
        "_emit_deprecation_warning()\n\n\n"
        "def _warn_record_deprecated():  # called nowhere: its name says what it is\n"
        '    warnings.warn("ExecutionRecord moved", DeprecationWarning)\n'
    ),
}


def test_a_helper_that_warns_for_its_callers_is_read_at_the_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The helpers are not retired: their callers are, with the message the call writes; a
    private wrapper class is announced under the public name bound to it."""
    write(tmp_path, HELPERS)
    monkeypatch.chdir(tmp_path)
    assert proposed(capsys) == [
        "    # 2 uses in 1 file; it returns make_lifecycle(user_context) (app/managers.py:21)",
        "    lifecycle: app.managers.get_lifecycle -> make_lifecycle(...)",
        "    # 0 uses in 0 files; the module's own warning names the new import (app/events.py:12)",
        "    eventmonitor: app.events.EventMonitor -> app.monitor",
        "    # 2 uses in 1 file; a class announces its deprecation (app/managers.py:15)",
        "    # CHECK: a class has no automatic replacement: report only",
        "    lifecyclemanager: app.managers.LifecycleManager -> "
        'report "LifecycleManager is deprecated. Please use SystemLifecycle instead."',
    ]


def test_a_module_retired_as_a_whole_moves_what_the_tree_imports_from_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "Use 'from app.deps import' instead": each name the tree imports from the old module
    moves, when the new module binds it (Legacy, defined only in the old one, does not)."""
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/core/__init__.py": "",
            "app/core/deps.py": (
                "import warnings\n\n"
                "warnings.warn(\"app.core.deps is deprecated. Use 'from app.deps import' "
                'instead.", DeprecationWarning)\n\n'
                "from app.deps import *\n\n\n"
                "class Legacy:\n    pass\n"
            ),
            "app/deps.py": "from app.db import get_db\n\n\ndef get_user():\n    return 1\n",
            "app/db.py": "def get_db():\n    return 1\n",
            "app/api.py": "from app.core.deps import get_db, get_user\n",
            "app/core/views.py": "from .deps import get_user, Legacy\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    assert proposed(capsys) == [
        "    # 2 uses in 2 files; the module's own warning names the new module, which binds "
        "get_user (app/core/deps.py:3)",
        "    user: app.core.deps.get_user -> app.deps",
        "    # 1 use in 1 file; the module's own warning names the new module, which binds "
        "get_db (app/core/deps.py:3)",
        "    db: app.core.deps.get_db -> app.deps",
    ]


def test_the_table_goes_to_an_output_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "discover", ".", "--output-file", "table.cfg")
    assert (result.code, result.out) == (0, "")
    assert (tree / "table.cfg").read_text() == EXPECTED


@pytest.mark.parametrize("command", ["baseline", "report", "fix", "discover", "rules"])
def test_every_command_describes_itself_under_its_usage(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    with pytest.raises(SystemExit):
        run_cli(capsys, command, "--help")
    shown = capsys.readouterr().out.split("\n\n")
    assert shown[0].startswith("usage: ssot-factory " + command)
    assert shown[1][:1].isupper()
    assert not shown[1].startswith(("positional", "options"))


def test_a_rename_that_returns_another_class_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The old function says it returns a pool, the new one an emitter (imported from its
    module): the entry stays a rename, with a CHECK line."""
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/emit.py": "def create_emitter(name) -> Emitter:\n    return Emitter()\n",
            "app/pool.py": (
                "import warnings\n\nfrom app.emit import create_emitter\n\n\n"
                "def get_pool(name) -> Pool:\n"
                '    warnings.warn("get_pool is deprecated", DeprecationWarning)\n'
                "    return create_emitter(name)\n"
            ),
        },
    )
    monkeypatch.chdir(tmp_path)
    assert proposed(capsys) == [
        "    # 2 uses in 1 file; it returns create_emitter(name) (app/pool.py:8)",
        "    # CHECK: get_pool returns Pool, create_emitter returns Emitter: check what callers use",
        "    pool: app.pool.get_pool -> create_emitter(...)",
    ]


def test_a_warning_in_an_import_fallback_is_no_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``except ImportError:`` with a deprecation warning in a function is a fallback for a
    missing package, not a retirement of this code; at module level a warning that names no
    move proposes nothing either (one that does, as a compatibility alias, is a move)."""
    write(
        tmp_path,
        {
            "app/speed.py": (
                "import warnings\n\n"
                "try:\n    from fastjson import dumps\n"
                "except (ModuleNotFoundError, OSError):\n"
                '    warnings.warn("the slow path is deprecated", DeprecationWarning)\n\n\n'
                "def load(text):\n"
                "    try:\n        import orjson\n"
                "    except ImportError:\n"
                '        warnings.warn("json fallback is deprecated", DeprecationWarning)\n'
                "    return text\n"
            ),
        },
    )
    monkeypatch.chdir(tmp_path)
    assert proposed(capsys) == []


def test_discover_says_when_a_migration_changes_more_than_a_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A moved enum whose new module's class lacks members, and a rename whose parameters
    differ by position: each entry gets a CHECK line (fix leaves what they would break)."""
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/states.py": (
                "import warnings\nfrom enum import Enum\n\n"
                "warnings.warn(\"ExecutionState from app.states is deprecated. Use 'from "
                "app.core import ExecutionState' instead.\", DeprecationWarning)\n\n\n"
                "class ExecutionState(Enum):\n"
                '    RUNNING = "running"\n    SUCCESS = "success"\n'
            ),
            "app/core.py": (
                'from enum import Enum\n\n\nclass ExecutionState(Enum):\n    RUNNING = "running"\n'
            ),
            "app/auth.py": (
                "import warnings\n\n\n"
                "def authenticate(websocket, token=None):\n    return token\n\n\n"
                "def validate_token(token):\n"
                '    """DEPRECATED: use authenticate() instead."""\n'
                '    warnings.warn("validate_token is deprecated", DeprecationWarning)\n'
                "    return authenticate(None, token)\n"
            ),
            "app/use.py": (
                "from app.auth import validate_token\nfrom app.states import ExecutionState\n\n"
                "validate_token('t')\nprint(ExecutionState.SUCCESS)\n"
            ),
        },
    )
    result = run_cli(capsys, "discover", ".")
    checks = [line.strip() for line in result.lines if "CHECK:" in line]
    assert checks == [
        "# CHECK: validate_token takes (token), authenticate takes (websocket, token): check "
        "the arguments",
        "# CHECK: the new module's ExecutionState is another class, which lacks SUCCESS: "
        "check what callers use",
    ]
