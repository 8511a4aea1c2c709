"""The migration table: parsing, and each shape's findings, messages and fixes."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from flake8_ssot_factory.config.migrations import (
    CONTEXT,
    MOVE,
    RENAME,
    REPORT,
    ContextDefaults,
    Migration,
    MigrationError,
    describe,
    parse_migrations,
)
from flake8_ssot_factory.config.settings import SettingsError, build_settings
from flake8_ssot_factory.fixer.text import fix_text
from tests.helpers import findings

DEFAULTS = ContextDefaults("user_context", "UserExecutionContext", (("create_agent", 1),), ())
TABLE = """
    # the migrations of MIGRATION.md
    agent-factory: get_agent_instance_factory, configure_agent_instance_factory -> create_agent_instance_factory(user_context); methods = create_agent:1; classes = AgentInstanceFactory
    message-router: get_message_router -> create_message_router(request_context); context-type = RequestContext
    websocket-manager: create_websocket_manager -> get_websocket_manager(...)
    execution-tracker: app.core.execution_tracker.get_execution_tracker -> app.core.agent_execution_tracker.get_execution_tracker
    execution-engine: create_execution_engine -> report "use ExecutionEngineFactory(user_context); see docs"
"""
SETTINGS = build_settings({"ssot-migrations": TABLE})


def test_every_shape_is_parsed() -> None:
    table = parse_migrations(TABLE, DEFAULTS)
    assert [(m.name, m.shape) for m in table] == [
        ("agent-factory", CONTEXT),
        ("message-router", CONTEXT),
        ("websocket-manager", RENAME),
        ("execution-tracker", MOVE),
        ("execution-engine", REPORT),
    ]
    agent, router, websocket, tracker, engine = table
    assert agent == Migration(
        "agent-factory",
        CONTEXT,
        ("get_agent_instance_factory", "configure_agent_instance_factory"),
        "create_agent_instance_factory",
        context_methods=(("create_agent", 1),),
        factory_classes=("AgentInstanceFactory",),
    )
    assert (router.context_keyword, router.context_type) == ("request_context", "RequestContext")
    assert router.context_methods == (("create_agent", 1),)  # the options are the defaults
    assert (websocket.deprecated, websocket.replacement) == (
        ("create_websocket_manager",),
        "get_websocket_manager",
    )
    assert (tracker.old_module, tracker.new_module, tracker.deprecated) == (
        "app.core.execution_tracker",
        "app.core.agent_execution_tracker",
        ("get_execution_tracker",),
    )
    assert engine.note == "use ExecutionEngineFactory(user_context); see docs"
    assert [describe(m) for m in table][2:] == [
        "websocket-manager: create_websocket_manager -> get_websocket_manager(...)",
        "execution-tracker: app.core.execution_tracker.get_execution_tracker -> "
        "app.core.agent_execution_tracker",
        'execution-engine: create_execution_engine -> report "use ExecutionEngineFactory'
        '(user_context); see docs"',
    ]


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        pytest.param(
            "just text",
            "--ssot-migrations: 'just text' is not 'name: old -> new' (a name, then a colon)",
            id="no-colon",
        ),
        pytest.param(
            "a: old new",
            "--ssot-migrations: entry 'a': no '->' between the old names and the new one",
            id="no-arrow",
        ),
        pytest.param(
            "a: -> new(...)",
            "--ssot-migrations: entry 'a': no old name before '->'",
            id="no-source",
        ),
        pytest.param(
            "a: old -> 1new",
            "--ssot-migrations: entry 'a': '1new' is not a replacement: write new_name(user_context), new_name(...), new.module or report \"what to do\"",
            id="bad-target",
        ),
        pytest.param(
            "a: old -> new(...); methods = x:1",
            "--ssot-migrations: entry 'a': 'methods' applies to a context migration only (new_name(user_context))",
            id="option-on-rename",
        ),
        pytest.param(
            "a: old -> new(ctx); method = x:1",
            "--ssot-migrations: entry 'a': unknown option 'method' (did you mean 'methods'?); the options are context-type, methods, classes",
            id="unknown-option",
        ),
        pytest.param(
            "a: old -> new(ctx); methods = x",
            "--ssot-migrations: entry 'a': methods: 'x' is not method:position",
            id="bad-methods",
        ),
        pytest.param(
            "a: old -> old(ctx)",
            "--ssot-migrations: entry 'a': 'old' replaces itself",
            id="replaces-itself",
        ),
        pytest.param(
            "a: old -> new.place",
            "--ssot-migrations: entry 'a': a move names its old module: write old.module.name (one module per entry)",
            id="move-without-module",
        ),
        pytest.param(
            "a: m.f -> m.f",
            "--ssot-migrations: entry 'a': the name moves to the module it is in (m)",
            id="move-nowhere",
        ),
        pytest.param(
            "a: x -> y(...)\na: z -> w(...)",
            "--ssot-migrations: two entries are named 'a'",
            id="same-name",
        ),
        pytest.param(
            "a: x -> y(...)\nb: x -> w(ctx)",
            "--ssot-migrations: 'x' is retired by two entries ('a' and 'b')",
            id="retired-twice",
        ),
        pytest.param("# nothing\n", "--ssot-migrations: no migration given", id="empty"),
    ],
)
def test_malformed_entries_are_one_line(entry: str, error: str) -> None:
    with pytest.raises(SettingsError) as raised:
        build_settings({"ssot-migrations": entry})
    assert str(raised.value) == error
    with pytest.raises(MigrationError):
        parse_migrations(entry, DEFAULTS)


def test_the_table_replaces_ssot_factories() -> None:
    with pytest.raises(SettingsError) as raised:
        build_settings({"ssot-migrations": "a: x -> y(...)", "ssot-factories": "x:y"})
    assert str(raised.value) == (
        "--ssot-migrations: set it or --ssot-factories, not both "
        "(the table names every retired factory)"
    )


def named(source: str) -> List[str]:
    return findings(source, ssot_migrations=TABLE)


def test_context_migrations_each_with_their_keyword_and_methods() -> None:
    assert named(
        """\
        from m import get_message_router, create_message_router, create_agent_instance_factory
        router = get_message_router()
        fresh = create_message_router()
        factory = create_agent_instance_factory(user_context)
        agent = factory.create_agent("X")
        """
    ) == [
        "1:15: SSF001 get_message_router is a deprecated singleton; import create_message_router "
        "and call create_message_router(request_context) [message-router]",
        "2:10: SSF002 get_message_router() is a deprecated singleton; use "
        "create_message_router(request_context) [message-router]",
        "3:9: SSF011 create_message_router() is called without a user context; use "
        "create_message_router(request_context) [message-router]",
        "5:17: SSF010 create_agent() is called without a user context; pass user_context as "
        "argument 2 or as user_context= [agent-factory]",
    ]


def test_rename_findings() -> None:
    assert named(
        """\
        from app.ws import create_websocket_manager
        import app.ws as ws
        manager = create_websocket_manager(user_context, mode)
        other = ws.create_websocket_manager(user_context)
        callback = create_websocket_manager
        patch("app.ws.create_websocket_manager")
        fine = get_websocket_manager(user_context)
        """
    ) == [
        "1:20: SSF001 create_websocket_manager is deprecated; import get_websocket_manager "
        "instead [websocket-manager]",
        "3:11: SSF002 create_websocket_manager() is deprecated; call get_websocket_manager() "
        "with the same arguments [websocket-manager]",
        "4:12: SSF002 create_websocket_manager() is deprecated; call get_websocket_manager() "
        "with the same arguments [websocket-manager]",
        "5:12: SSF003 create_websocket_manager is deprecated; refer to get_websocket_manager "
        "instead [websocket-manager]",
        '6:7: SSF004 "app.ws.create_websocket_manager" names the deprecated '
        'create_websocket_manager; use "app.ws.get_websocket_manager" [websocket-manager]',
    ]


def test_move_findings_only_from_the_old_module() -> None:
    assert named(
        """\
        from app.core.execution_tracker import get_execution_tracker
        from app.core.agent_execution_tracker import get_execution_tracker as fresh
        import app.core.execution_tracker as tracking
        from app.core import agent_execution_tracker
        old = tracking.get_execution_tracker()
        new = agent_execution_tracker.get_execution_tracker()
        same = get_execution_tracker()
        patch("app.core.execution_tracker.get_execution_tracker")
        patch("app.core.agent_execution_tracker.get_execution_tracker")
        """
    ) == [
        "1:40: SSF001 get_execution_tracker is imported from app.core.execution_tracker; import "
        "it from app.core.agent_execution_tracker [execution-tracker]",
        "5:16: SSF002 get_execution_tracker() is called from app.core.execution_tracker; import "
        "it from app.core.agent_execution_tracker [execution-tracker]",
        '8:7: SSF004 "app.core.execution_tracker.get_execution_tracker" names '
        "get_execution_tracker in app.core.execution_tracker; use "
        '"app.core.agent_execution_tracker.get_execution_tracker" [execution-tracker]',
    ]


def test_report_only_findings_carry_the_note() -> None:
    assert named(
        "from app.engine import create_execution_engine\nengine = create_execution_engine()\n"
    ) == [
        "1:24: SSF001 create_execution_engine is deprecated: use "
        "ExecutionEngineFactory(user_context); see docs [execution-engine]",
        "2:10: SSF002 create_execution_engine() is deprecated: use "
        "ExecutionEngineFactory(user_context); see docs [execution-engine]",
    ]


def fix(source: str, unsafe: bool = False) -> Tuple[str, List[Tuple[int, str, str]]]:
    outcome = fix_text(textwrap.dedent(source), SETTINGS, unsafe)
    assert outcome.error is None
    assert fix_text(outcome.text, SETTINGS, unsafe).text == outcome.text
    return outcome.text, [(i.finding.line, i.finding.code, i.reason) for i in outcome.left]


def test_rename_fix_keeps_the_arguments_and_renames_references() -> None:
    text, left = fix(
        """\
        from app.ws import create_websocket_manager
        import app.ws as ws
        manager = create_websocket_manager(user_context, mode)
        other = ws.create_websocket_manager(user_context)
        handlers = {"ws": create_websocket_manager}
        """
    )
    assert text == textwrap.dedent(
        """\
        from app.ws import get_websocket_manager
        import app.ws as ws
        manager = get_websocket_manager(user_context, mode)
        other = ws.get_websocket_manager(user_context)
        handlers = {"ws": get_websocket_manager}
        """
    )
    assert left == []


def test_move_fix_rewrites_the_module() -> None:
    text, left = fix(
        "from app.core.execution_tracker import get_execution_tracker\n"
        "tracker = get_execution_tracker()\n"
    )
    assert text == (
        "from app.core.agent_execution_tracker import get_execution_tracker\n"
        "tracker = get_execution_tracker()\n"
    )
    assert left == []


def test_move_fix_keeps_a_relative_import_relative() -> None:
    text, _ = fix("from .execution_tracker import get_execution_tracker as track\n")
    assert text == "from .agent_execution_tracker import get_execution_tracker as track\n"


def test_move_fix_splits_an_import_of_other_names_too() -> None:
    text, left = fix(
        "from app.core.execution_tracker import (\n"
        "    ExecutionState,\n"
        "    get_execution_tracker,\n"
        ")  # tracking\n"
        "x = [ExecutionState, get_execution_tracker]\n"
    )
    assert text == (
        "from app.core.execution_tracker import (\n"
        "    ExecutionState,\n"
        ")  # tracking\n"
        "from app.core.agent_execution_tracker import get_execution_tracker\n"
        "x = [ExecutionState, get_execution_tracker]\n"
    )
    assert left == []


def test_move_through_the_old_module_is_left_with_the_reason() -> None:
    source = "import app.core.execution_tracker as tracking\nx = tracking.get_execution_tracker()\n"
    text, left = fix(source)
    assert text == source
    assert left == [
        (2, "SSF002", "used through its old module; import it from the new module by hand")
    ]


def test_move_patch_target_is_unsafe() -> None:
    source = 'patch("app.core.execution_tracker.get_execution_tracker")\n'
    assert fix(source)[0] == source
    assert fix(source, unsafe=True)[0] == (
        'patch("app.core.agent_execution_tracker.get_execution_tracker")\n'
    )


def test_report_only_is_never_fixed() -> None:
    source = "from app.engine import create_execution_engine\nx = create_execution_engine()\n"
    text, left = fix(source, unsafe=True)
    assert text == source
    assert left == [
        (1, "SSF001", "report only: this migration has no automatic replacement"),
        (2, "SSF002", "report only: this migration has no automatic replacement"),
    ]


def test_context_fix_uses_the_migrations_own_keyword() -> None:
    text, _ = fix(
        "from m import get_message_router\n"
        "def handle(request_context):\n    return get_message_router()\n"
    )
    assert text == (
        "from m import create_message_router\n"
        "def handle(request_context):\n    return create_message_router(request_context)\n"
    )


def test_the_readme_table_is_a_valid_table() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Many migrations") :]
    block = section.split("```ini\n", 1)[1].split("```", 1)[0]
    table = block.split("ssot-migrations =\n", 1)[1]
    settings = build_settings({"ssot-migrations": table})
    assert [(m.name, m.shape) for m in settings.table] == [
        ("agent-factory", CONTEXT),
        ("message-router", CONTEXT),
        ("websocket-manager", RENAME),
        ("execution-tracker", MOVE),
        ("execution-engine", REPORT),
    ]


def test_the_readme_toml_tables_match_the_ini_entries(tmp_path: Path) -> None:
    from flake8_ssot_factory.config.pyproject import pyproject_layers, read_toml

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Many migrations") :]
    ini_table = section.split("```ini\n", 1)[1].split("```", 1)[0].split("ssot-migrations =\n")[1]
    by_ini = {m.name: m for m in build_settings({"ssot-migrations": ini_table}).table}
    (tmp_path / "pyproject.toml").write_text(section.split("```toml\n", 1)[1].split("```", 1)[0])
    path = tmp_path / "pyproject.toml"
    (layer,) = pyproject_layers(path, read_toml(path))
    from_toml = build_settings({"ssot-migrations": layer.values["ssot-migrations"]}).table
    assert [m.name for m in from_toml] == ["agent-factory", "message-router", "execution-engine"]
    assert all(m == by_ini[m.name] for m in from_toml)


@pytest.mark.parametrize(
    ("values", "error"),
    [
        pytest.param(
            {"ssot-factories": "a:b,b:a"},
            "--ssot-factories: a -> b -> a: a cycle (each name is retired for the next); no "
            "fix can clear its findings",
            id="factories-cycle",
        ),
        pytest.param(
            {"ssot-factories": "a:b,b:c,c:a"},
            "--ssot-factories: a -> b -> c -> a: a cycle (each name is retired for the next); "
            "no fix can clear its findings",
            id="factories-three-cycle",
        ),
        pytest.param(
            {"ssot-migrations": "one: a -> b(user_context)\ntwo: b -> a(...)"},
            "--ssot-migrations: a -> b -> a: a cycle (each name is retired for the next); no "
            "fix can clear its findings",
            id="table-cycle",
        ),
        pytest.param(
            {"ssot-migrations": "one: p.q.f -> r.s\ntwo: r.s.f -> p.q"},
            "--ssot-migrations: p.q.f -> r.s.f -> p.q.f: a cycle (each name is retired for the "
            "next); no fix can clear its findings",
            id="move-cycle",
        ),
        pytest.param(
            {"ssot-factories": "a:b,b:c"},
            "--ssot-factories: 'a' is replaced by 'b', which is retired too; replace 'a' by "
            "'c' directly",
            id="factories-chain",
        ),
        pytest.param(
            {"ssot-migrations": 'one: a -> b(user_context)\ntwo: b -> report "gone"'},
            "--ssot-migrations: 'a' is replaced by 'b', which is retired with no replacement "
            "(by entry 'two')",
            id="replaced-by-a-report",
        ),
        pytest.param(
            {"ssot-migrations": ""},
            "--ssot-migrations: empty; give at least one entry, or remove the option to use "
            "--ssot-factories (which has a default)",
            id="empty",
        ),
        pytest.param(
            {"ssot-migrations": "  \n\t\n"},
            "--ssot-migrations: empty; give at least one entry, or remove the option to use "
            "--ssot-factories (which has a default)",
            id="blank",
        ),
        pytest.param(
            {"ssot-migrations": ()},
            "--ssot-migrations: empty; give at least one entry, or remove the option to use "
            "--ssot-factories (which has a default)",
            id="empty-pyproject-table",
        ),
        pytest.param(
            {"ssot-factories": "async:b"},
            "--ssot-factories: 'async' in 'async:b' is a Python keyword, not a name",
            id="factories-keyword",
        ),
        pytest.param(
            {"ssot-context-keyword": "lambda"},
            "--ssot-context-keyword: 'lambda' in 'lambda' is a Python keyword, not a name",
            id="context-keyword-keyword",
        ),
        pytest.param(
            {"ssot-migrations": "one: class -> b(user_context)"},
            "--ssot-migrations: entry 'one': 'class' is a Python keyword, not a name or a "
            "dotted path",
            id="table-old-keyword",
        ),
        pytest.param(
            {"ssot-migrations": "one: a -> b(None)"},
            "--ssot-migrations: entry 'one': 'None' is a Python keyword, not a keyword "
            "argument's name",
            id="table-context-keyword",
        ),
        pytest.param(
            {"ssot-migrations": "one: old.import.f -> new.mod"},
            "--ssot-migrations: entry 'one': 'import' is a Python keyword, not a name or a "
            "dotted path",
            id="table-module-keyword",
        ),
        pytest.param(
            {"ssot-migrations": "one: a -> b(ctx); classes = Factory, def"},
            "--ssot-migrations: entry 'one': classes: 'def' is a Python keyword, not a class name",
            id="table-class-keyword",
        ),
        pytest.param(
            {"ssot-migrations": "one: a -> b(ctx); methods = for:1"},
            "--ssot-migrations: entry 'one': methods: 'for' is a Python keyword, not a method name",
            id="table-method-keyword",
        ),
    ],
)
def test_tables_that_cannot_mean_anything_are_one_error(
    values: Dict[str, object], error: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        build_settings(values)
    assert str(raised.value) == error


def test_non_ascii_identifiers_are_names_as_python_reads_them() -> None:
    table = "fetch: hämta_fabrik -> skapa_fabrik(användare); methods = skapa_agent:1"
    settings = build_settings({"ssot-migrations": table})
    (migration,) = settings.table
    assert (migration.deprecated, migration.replacement, migration.context_keyword) == (
        ("hämta_fabrik",),
        "skapa_fabrik",
        "användare",
    )
    assert findings("def f(användare):\n    return hämta_fabrik()\n", ssot_migrations=table) == [
        "2:12: SSF002 hämta_fabrik() is a deprecated singleton; use "
        "skapa_fabrik(användare) [fetch]",
    ]
    # NFKC, as the parser reads names (PEP 3131): the ligature "ﬁ" is "fi".
    assert build_settings({"ssot-factories": "get_ﬁle:open_ﬁle"}).factories == (
        ("get_file", "open_file"),
    )
    # Soft keywords are names.
    assert build_settings({"ssot-factories": "match:type"}).factories == (("match", "type"),)
