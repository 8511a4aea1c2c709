"""Issue 18: old names qualified by their module, strings only where code uses them as names,
names resolved in the scope that binds them; through the command line and the flake8 plugin,
which must say the same."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import List

import pytest

from flake8_ssot_factory.config.settings import build_settings
from flake8_ssot_factory.fixer.text import fix_text
from tests.cli_helpers import flake8_output, run_cli, write
from tests.helpers import findings

TABLE = """\
agent-factory: get_agent_instance_factory -> create_agent_instance_factory(user_context)
websocket-manager: create_websocket_manager -> get_websocket_manager(...)
execution-engine: netra_backend.app.agents.execution_engine_factory.create_execution_engine -> report "use ExecutionEngineFactory(user_context).create_for_user()"
engine-factory: UnifiedExecutionEngineFactory -> report "use ExecutionEngineFactory"
"""
SETUP_CFG = "[flake8]\nssot-migrations =\n" + textwrap.indent(TABLE, "    ")

SERVICE = """\
from unittest import mock
from unittest.mock import patch

import netra_backend.app.agents.execution_engine_factory as eef
from netra_backend.app.agents.execution_engine_factory import ExecutionEngineFactory, create_execution_engine
from netra_backend.app.other import create_execution_engine as other_engine
from netra_backend.app.core import UnifiedExecutionEngineFactory


def new_api(user_context, engine):
    ExecutionEngineFactory(user_context).create_execution_engine(user_context)
    engine.create_execution_engine(user_context)
    other_engine()
    return hasattr(engine, "create_execution_engine")


def old_api():
    create_execution_engine()
    eef.create_execution_engine()
    factory = UnifiedExecutionEngineFactory()
    UnifiedExecutionEngineFactory.configure()
    return factory


class Sub(UnifiedExecutionEngineFactory):
    pass


@patch("netra_backend.app.agents.execution_engine_factory.create_execution_engine")
@patch("netra_backend.app.other.create_execution_engine")
def test_it(one, two):
    mock.patch.object(eef, "create_execution_engine")
    mock.patch.object(ExecutionEngineFactory, "create_execution_engine")
"""
SCOPES = """\
from unittest.mock import patch

import other as create_websocket_manager

try:
    from netra_backend.app.websocket_core import get_agent_instance_factory
except ImportError:
    def get_agent_instance_factory():
        return None


def local():
    from other import thing as create_websocket_manager
    return create_websocket_manager()


def module_level():
    create_websocket_manager()
    return get_agent_instance_factory()


class Helper:
    def create_websocket_manager(self):
        return 1

    def run(self):
        return self.create_websocket_manager()


class Other:
    def run(self):
        return self.create_websocket_manager()


def strings(m, monkeypatch, names):
    patch.object(m, "get_agent_instance_factory")
    setattr(m, "get_agent_instance_factory", None)
    getattr(m, "get_agent_instance_factory")
    delattr(m, "get_agent_instance_factory")
    monkeypatch.setattr(m, "get_agent_instance_factory", None)
    hasattr(m, "get_agent_instance_factory")
    return "get_agent_instance_factory" in names or names == "get_agent_instance_factory" or ["get_agent_instance_factory"]


__all__ = ["get_agent_instance_factory"]
"""

ENGINE = "create_execution_engine is deprecated: use ExecutionEngineFactory(user_context).create_for_user() [execution-engine]"
ENGINE_CALL = "create_execution_engine() is deprecated: use ExecutionEngineFactory(user_context).create_for_user() [execution-engine]"
CLASS = "UnifiedExecutionEngineFactory is deprecated: use ExecutionEngineFactory [engine-factory]"
AGENT_IMPORT = "get_agent_instance_factory is a deprecated singleton; import create_agent_instance_factory and call create_agent_instance_factory(user_context) [agent-factory]"
AGENT_CALL = "get_agent_instance_factory() is a deprecated singleton; use create_agent_instance_factory(user_context) [agent-factory]"
AGENT_STRING = '"get_agent_instance_factory" names the deprecated singleton get_agent_instance_factory; use "create_agent_instance_factory" [agent-factory]'
WS_CALL = "create_websocket_manager() is deprecated; call get_websocket_manager() with the same arguments [websocket-manager]"

EXPECTED = sorted(
    [
        f"./netra_backend/app/agents/service.py:5:87: SSF001 {ENGINE}",
        f"./netra_backend/app/agents/service.py:7:36: SSF001 {CLASS}",
        f"./netra_backend/app/agents/service.py:18:5: SSF002 {ENGINE_CALL}",
        f"./netra_backend/app/agents/service.py:19:9: SSF002 {ENGINE_CALL}",
        "./netra_backend/app/agents/service.py:20:15: SSF002 UnifiedExecutionEngineFactory() is deprecated: use ExecutionEngineFactory [engine-factory]",
        f"./netra_backend/app/agents/service.py:21:5: SSF003 {CLASS}",
        f"./netra_backend/app/agents/service.py:25:11: SSF003 {CLASS}",
        './netra_backend/app/agents/service.py:29:8: SSF004 "netra_backend.app.agents.execution_engine_factory.create_execution_engine" names the deprecated create_execution_engine: use ExecutionEngineFactory(user_context).create_for_user() [execution-engine]',
        './netra_backend/app/agents/service.py:32:28: SSF004 "create_execution_engine" names the deprecated create_execution_engine: use ExecutionEngineFactory(user_context).create_for_user() [execution-engine]',
        f"./netra_backend/app/agents/scopes.py:6:50: SSF001 {AGENT_IMPORT}",
        f"./netra_backend/app/agents/scopes.py:19:12: SSF002 {AGENT_CALL}",
        f"./netra_backend/app/agents/scopes.py:32:21: SSF002 {WS_CALL}",
        f"./netra_backend/app/agents/scopes.py:36:21: SSF004 {AGENT_STRING}",
        f"./netra_backend/app/agents/scopes.py:37:16: SSF004 {AGENT_STRING}",
        f"./netra_backend/app/agents/scopes.py:38:16: SSF004 {AGENT_STRING}",
        f"./netra_backend/app/agents/scopes.py:39:16: SSF004 {AGENT_STRING}",
        f"./netra_backend/app/agents/scopes.py:40:28: SSF004 {AGENT_STRING}",
        f"./netra_backend/app/agents/scopes.py:45:12: SSF004 {AGENT_STRING}",
    ]
)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(
        tmp_path,
        {
            "setup.cfg": SETUP_CFG,
            "netra_backend/app/agents/service.py": SERVICE,
            "netra_backend/app/agents/scopes.py": SCOPES,
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_command_line_finds_what_an_engineer_wants(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "check", ".", "--no-cache")
    assert result.code == 1
    assert sorted(result.lines) == EXPECTED


def test_the_plugin_says_the_same(tree: Path) -> None:
    # --isolated (as every plugin test runs flake8) reads no setup.cfg: the table is an option.
    assert flake8_output(tree, f"--ssot-migrations={TABLE}") == EXPECTED


def test_a_qualified_context_migration_is_fixed_and_another_module_left() -> None:
    table = "agent-factory: app.factory.get_factory -> create_factory(user_context)"
    source = textwrap.dedent(
        """\
        from app.factory import get_factory
        from elsewhere import get_factory as other_factory


        def handle(user_context):
            return get_factory(), other_factory()
        """
    )
    fixed = fix_text(source, build_settings({"ssot-migrations": table}), unsafe=False)
    assert fixed.text == textwrap.dedent(
        """\
        from app.factory import create_factory
        from elsewhere import get_factory as other_factory


        def handle(user_context):
            return create_factory(user_context), other_factory()
        """
    )


def test_a_name_imported_from_both_modules_in_a_fallback_is_left_whole() -> None:
    table = "ws: app.ws.make_manager -> get_manager(...)"
    source = textwrap.dedent(
        """\
        try:
            from app.ws import make_manager
        except ImportError:
            from elsewhere import make_manager


        def run(user_context):
            return make_manager(user_context)
        """
    )
    fixed = fix_text(source, build_settings({"ssot-migrations": table}), unsafe=False)
    assert fixed.text == source
    assert sorted((item.finding.line, item.finding.code, item.reason) for item in fixed.left) == [
        (2, "SSF001", "make_manager is also imported from elsewhere here"),
        (8, "SSF002", "make_manager is also imported from elsewhere here"),
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "from pkg.engines import create_execution_engine\ncreate_execution_engine()\n",
            ["1:25: SSF001", "2:1: SSF002"],
            id="the qualified module",
        ),
        pytest.param(
            "from .engines import create_execution_engine\ncreate_execution_engine()\n",
            ["1:22: SSF001", "2:1: SSF002"],
            id="relative import of it",
        ),
        pytest.param(
            "from pkg.other import create_execution_engine\ncreate_execution_engine()\n",
            [],
            id="another module",
        ),
        pytest.param(
            "import pkg.engines\npkg.engines.create_execution_engine()\n",
            ["2:13: SSF002"],
            id="through the module",
        ),
        pytest.param(
            "from pkg.engines import *\ncreate_execution_engine()\n", ["2:1: SSF002"], id="star"
        ),
        pytest.param("def f(x):\n    return x.create_execution_engine()\n", [], id="a method"),
        pytest.param(
            "def create_execution_engine():\n    pass\ncreate_execution_engine()\n", [], id="own"
        ),
        pytest.param(
            'x = "pkg.engines.create_execution_engine"\n', ["1:5: SSF004"], id="dotted string"
        ),
        pytest.param('x = "pkg.other.create_execution_engine"\n', [], id="another string"),
    ],
)
def test_qualified_names_count_only_from_their_module(source: str, expected: List[str]) -> None:
    table = 'e: pkg.engines.create_execution_engine, pkg.legacy.create_execution_engine -> report "use F"'
    found = findings(source, ssot_migrations=table)
    assert [" ".join(line.split()[:2]) for line in found] == expected


TWO_CONTEXTS = """\
a: get_agent_instance_factory -> create_agent_instance_factory(user_context)
b: get_message_router -> create_message_router(user_context)
"""


def test_a_call_two_migrations_could_claim_is_reported_once_under_its_receivers() -> None:
    # Both entries inherit the context method create_agent from ssot-context-methods.
    source = """\
        from m import create_agent_instance_factory, create_message_router
        def f(user_context):
            create_agent_instance_factory(user_context).create_agent("X")
            create_message_router(user_context).create_agent("X")
        """
    message = "create_agent() is called without a user context; pass user_context as argument 2 or as user_context="
    assert findings(source, ssot_migrations=TWO_CONTEXTS) == [
        f"3:49: SSF010 {message} [a]",
        f"4:41: SSF010 {message} [b]",
    ]
    unknown = 'def f(factory):\n    factory.create_agent("X")\n'
    assert findings(unknown, ssot_migrations=TWO_CONTEXTS, ssot_any_receiver=True) == [
        f"2:13: SSF010 {message} [a]"  # no receiver known: the first entry that has it
    ]


def test_a_retired_class_is_flagged_where_it_is_imported_built_subclassed_and_named() -> None:
    source = """\
        from m import OldThing
        class A(OldThing):
            pass
        x = OldThing(1, 2)
        y = OldThing.build()
        """
    assert findings(source, ssot_migrations="c: OldThing -> NewThing(...)") == [
        "1:15: SSF001 OldThing is deprecated; import NewThing instead [c]",
        "2:9: SSF003 OldThing is deprecated; refer to NewThing instead [c]",
        "4:5: SSF002 OldThing() is deprecated; call NewThing() with the same arguments [c]",
        "5:5: SSF003 OldThing is deprecated; refer to NewThing instead [c]",
    ]
    fixed = fix_text(
        textwrap.dedent(source),
        build_settings({"ssot-migrations": "c: OldThing -> NewThing(...)"}),
        False,
    )
    assert fixed.text == textwrap.dedent(source).replace("OldThing", "NewThing")


def test_bare_name_strings_with_the_default_table() -> None:
    source = """\
        from unittest import mock
        import m
        mock.patch.object(m, "get_agent_instance_factory")
        assert hasattr(m, "get_agent_instance_factory")
        SINGLETONS = ["get_agent_instance_factory"]
        ok = "get_agent_instance_factory" in SINGLETONS
        """
    assert findings(source) == [
        '3:22: SSF004 "get_agent_instance_factory" names the deprecated singleton '
        'get_agent_instance_factory; use "create_agent_instance_factory"'
    ]


def test_a_fallback_def_is_flagged_with_its_import_and_the_fix_leaves_them_whole() -> None:
    # The calls reach the retired function whenever the import succeeds; a replacement
    # imported beside it would be missing where the fallback runs.
    source = textwrap.dedent(
        """\
        try:
            from app.ws import create_websocket_manager
        except ImportError:
            async def create_websocket_manager(user_context):
                return None


        async def run(context):
            return await create_websocket_manager(context)
        """
    )
    table = "ws: create_websocket_manager -> get_websocket_manager(...)"
    assert [line.split(" ")[:2] for line in findings(source, ssot_migrations=table)] == [
        ["2:24:", "SSF001"],
        ["9:18:", "SSF002"],
    ]
    fixed = fix_text(source, build_settings({"ssot-migrations": table}), unsafe=False)
    assert fixed.text == source
    assert sorted((item.finding.line, item.reason) for item in fixed.left) == [
        (2, "create_websocket_manager is also bound otherwise in this scope"),
        (9, "create_websocket_manager is also bound otherwise in this scope"),
    ]
