"""Settings in pyproject.toml, for the command line and the flake8 plugin alike; the order that
decides between configuration files; misspelt settings are errors, never ignored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent
from typing import List, Tuple

import pytest

from tests.cli_helpers import run_cli, write

SOURCE = "x = get_cache()\ny = get_agent_instance_factory()\n"
CACHE_MSG = "get_cache() is a deprecated singleton; use make_cache(user_context)"
CACHE_FINDING = f"t.py:1:5: SSF002 {CACHE_MSG}"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, {"t.py": SOURCE})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def flake8(root: Path, *args: str) -> Tuple[int, List[str], List[str]]:
    """flake8 on ``t.py`` in ``root``, as a user runs it there (configuration files read)."""
    done = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "SSF", *args, "t.py"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    return done.returncode, done.stdout.splitlines(), done.stderr.splitlines()


TOOL_TABLE = '[tool.ssot-factory]\nfactories = ["get_cache:make_cache"]\n'
TOOL_FLAKE8 = '[tool.flake8]\nmax-line-length = 100\nssot-factories = "get_cache:make_cache"\n'


@pytest.mark.parametrize(
    "pyproject", [TOOL_TABLE, TOOL_FLAKE8], ids=["tool.ssot-factory", "tool.flake8"]
)
def test_both_faces_read_pyproject(
    project: Path, capsys: pytest.CaptureFixture[str], pyproject: str
) -> None:
    write(project, {"pyproject.toml": pyproject})
    result = run_cli(capsys, "check", "t.py")
    assert (result.code, result.lines, result.err) == (1, [CACHE_FINDING], "")
    assert flake8(project) == (1, [CACHE_FINDING], [])


def test_pyproject_is_found_from_a_subfolder(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project, {"pyproject.toml": TOOL_TABLE, "sub/t.py": SOURCE})
    monkeypatch.chdir(project / "sub")
    assert run_cli(capsys, "check", "t.py").lines == [CACHE_FINDING]
    assert flake8(project / "sub")[1] == [CACHE_FINDING]


def test_a_pyproject_without_our_tables_is_passed_over(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # As ruff: the nearest pyproject.toml that configures the tool, not merely the nearest.
    write(project, {"pyproject.toml": TOOL_TABLE, "sub/pyproject.toml": "[tool.black]\n"})
    write(project, {"sub/t.py": SOURCE})
    monkeypatch.chdir(project / "sub")
    assert run_cli(capsys, "check", "t.py").lines == [CACHE_FINDING]


def test_every_value_form(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        project,
        {
            "t.py": "from m import AgentFactory\n\ndef f():\n    AgentFactory().build('a')\n",
            "pyproject.toml": dedent(
                """\
                [tool.ssot-factory]
                factories = "get_cache:make_cache"
                context-methods = ["build:1"]
                context-keyword = "ctx"
                factory-classes = ["AgentFactory"]
                context-type = "Ctx"
                any-receiver = false
                """
            ),
        },
    )
    result = run_cli(capsys, "check", "t.py")
    assert result.lines == [
        "t.py:4:20: SSF010 build() is called without a user context; pass ctx as argument 2 "
        "or as ctx="
    ]


MIGRATIONS_AS_TEXT = dedent(
    '''\
    [tool.ssot-factory]
    migrations = """
    cache: get_cache -> make_cache(ctx)
    engine: create_engine -> report "use EngineFactory"
    """
    '''
)
MIGRATIONS_AS_ARRAY = dedent(
    """\
    [tool.ssot-factory]
    migrations = [
        "cache: get_cache -> make_cache(ctx)",
        'engine: create_engine -> report "use EngineFactory"',
    ]
    """
)
MIGRATIONS_AS_TABLES = dedent(
    """\
    [tool.ssot-factory.migrations.cache]
    old = "get_cache"
    new = "make_cache(ctx)"

    [tool.ssot-factory.migrations.engine]
    old = ["create_engine"]
    report = "use EngineFactory"
    """
)


@pytest.mark.parametrize(
    "pyproject",
    [MIGRATIONS_AS_TEXT, MIGRATIONS_AS_ARRAY, MIGRATIONS_AS_TABLES],
    ids=["text", "array", "tables"],
)
def test_the_migration_table_in_three_forms(
    project: Path, capsys: pytest.CaptureFixture[str], pyproject: str
) -> None:
    write(project, {"t.py": "a = get_cache()\nb = create_engine()\n", "pyproject.toml": pyproject})
    result = run_cli(capsys, "check", "t.py")
    assert result.lines == [
        "t.py:1:5: SSF002 get_cache() is a deprecated singleton; use make_cache(ctx) [cache]",
        "t.py:2:5: SSF002 create_engine() is deprecated: use EngineFactory [engine]",
    ]


def test_precedence_and_show_settings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        project,
        {
            "setup.cfg": "[flake8]\nssot-context-keyword = from_setup_cfg\n",
            "pyproject.toml": dedent(
                """\
                [tool.ssot-factory]
                context-keyword = "from_tool_table"
                context-type = "FromToolTable"
                baseline = "base.json"

                [tool.flake8]
                ssot-context-type = "FromToolFlake8"
                ssot-factory-classes = "FromToolFlake8"
                extend-exclude = ["gen"]
                """
            ),
        },
    )
    result = run_cli(capsys, "check", "--show-settings", "--ssot-context-methods", "make:0")
    assert result.code == 0
    assert result.lines == [
        "# order: command line > [flake8] > pyproject.toml [tool.ssot-factory] > "
        "pyproject.toml [tool.flake8] > default",
        "# read: setup.cfg [flake8], pyproject.toml [tool.ssot-factory], "
        "pyproject.toml [tool.flake8]",
        "ssot-factories = get_agent_instance_factory:create_agent_instance_factory,"
        "configure_agent_instance_factory:create_agent_instance_factory  # default",
        "ssot-context-methods = make:0  # command line",
        "ssot-context-keyword = from_setup_cfg  # setup.cfg [flake8]",
        "ssot-factory-classes = FromToolFlake8  # pyproject.toml [tool.flake8]",
        "ssot-context-type = FromToolTable  # pyproject.toml [tool.ssot-factory]",
        "ssot-any-receiver = false  # default",
        "ssot-migrations = (none)  # default",
        "ssot-baseline = base.json  # pyproject.toml [tool.ssot-factory]",
        "exclude = (flake8's and ruff's usual folders)  # default",
        "extend-exclude = gen  # pyproject.toml [tool.flake8]",
    ]


def test_the_plugin_takes_flake8_options_over_pyproject(project: Path) -> None:
    write(
        project,
        {
            "setup.cfg": "[flake8]\nssot-factories = get_agent_instance_factory:create_it\n",
            "pyproject.toml": TOOL_TABLE,
        },
    )
    assert flake8(project)[1] == [
        "t.py:2:5: SSF002 get_agent_instance_factory() is a deprecated singleton; "
        "use create_it(user_context)"
    ]
    # ... and its command line over both.
    assert flake8(project, "--ssot-factories", "get_cache:make_cache")[1] == [CACHE_FINDING]


def test_flake8_isolated_reads_no_pyproject(project: Path) -> None:
    write(project, {"pyproject.toml": TOOL_TABLE})
    assert flake8(project, "--isolated") == (1, [f"t.py:2:5: SSF002 {DEFAULT_MSG}"], [])
    write(project, {"other.cfg": "[flake8]\nssot-factories = get_cache:other\n"})
    # --config names flake8's file; pyproject.toml is still read for what that file leaves.
    assert flake8(project, "--config", "other.cfg")[1] == [
        "t.py:1:5: SSF002 get_cache() is a deprecated singleton; use other(user_context)"
    ]


DEFAULT_MSG = (
    "get_agent_instance_factory() is a deprecated singleton; "
    "use create_agent_instance_factory(user_context)"
)


@pytest.mark.parametrize(
    ("files", "error"),
    [
        (
            {"pyproject.toml": '[tool.ssot-factory]\nfactory-class = "X"\n'},
            "pyproject.toml [tool.ssot-factory]: unknown key 'factory-class' (did you mean "
            "'factory-classes'?); the keys are factories, context-methods, context-keyword, "
            "factory-classes, context-type, any-receiver, migrations, baseline, exclude, "
            "extend-exclude",
        ),
        (
            {"pyproject.toml": '[tool.flake8]\nssot-factory-class = "X"\n'},
            "pyproject.toml [tool.flake8]: unknown option 'ssot-factory-class' "
            "(did you mean 'ssot-factory-classes'?)",
        ),
        (
            {"setup.cfg": "[flake8]\nssot_factory_class = X\n"},
            "setup.cfg [flake8]: unknown option 'ssot-factory-class' "
            "(did you mean 'ssot-factory-classes'?)",
        ),
        (
            {"pyproject.toml": "[tool.ssot-factory]\nfactory-classes = 3\n"},
            "pyproject.toml [tool.ssot-factory] factory-classes: expected a string or an array "
            "of strings, got the number 3",
        ),
        (
            {"pyproject.toml": '[tool.ssot-factory]\nany-receiver = "yes"\n'},
            "pyproject.toml [tool.ssot-factory] any-receiver: expected true or false, got the "
            "string 'yes'",
        ),
        (
            {"pyproject.toml": '[tool.ssot-factory]\ncontext-keyword = ["a", "b"]\n'},
            "pyproject.toml [tool.ssot-factory] context-keyword: expected a string, got an array",
        ),
        (
            {"pyproject.toml": '[tool.ssot-factory]\nfactories = ["get_cache"]\n'},
            "pyproject.toml [tool.ssot-factory] factories: 'get_cache' is not a "
            "deprecated:replacement pair (no colon)",
        ),
        (
            {"pyproject.toml": "[tool.ssot-factory.migrations.cache]\nold = 'a'\nnews = 'b'\n"},
            "pyproject.toml [tool.ssot-factory] migrations.cache: unknown key 'news' (did you "
            "mean 'new'?); the keys are old, new, report, methods, classes, context-type",
        ),
        (
            {"pyproject.toml": "[tool.ssot-factory.migrations.cache]\nnew = 'b(ctx)'\n"},
            "pyproject.toml [tool.ssot-factory] migrations.cache: no 'old' (the retired names)",
        ),
        (
            {"pyproject.toml": "[tool.ssot-factory]\nfactories = [\n"},
            None,
        ),
    ],
    ids=[
        "misspelt-key",
        "misspelt-tool-flake8",
        "misspelt-flake8",
        "number",
        "flag-string",
        "single-array",
        "bad-value",
        "migration-key",
        "migration-no-old",
        "invalid-toml",
    ],
)
def test_configuration_errors_are_one_line_on_both_faces(
    project: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], error: str | None
) -> None:
    write(project, files)
    result = run_cli(capsys, "check", "t.py")
    assert (result.code, result.out) == (2, "")
    # flake8 prints a header line of its own, then the error, on standard output.
    code, out, err = flake8(project)
    assert (code, out[0], err) == (1, "There was a critical error during execution of Flake8:", [])
    if error is None:  # the parser's own words vary with the TOML library's version
        prefix = "ssot-factory: error: pyproject.toml: cannot read the configuration: "
        assert result.err.startswith(prefix)
        assert len(result.lines_err) == 1
        assert out[1:] == [result.err.strip()[len("ssot-factory: error: ") :]]
    else:
        assert result.lines_err == [f"ssot-factory: error: {error}"]
        assert out[1:] == [error]


def test_config_option_reads_pyproject(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, {"conf/ssot.toml": TOOL_TABLE, "setup.cfg": "[flake8]\nssot-factories = a:b\n"})
    result = run_cli(capsys, "check", "t.py", "--config", "conf/ssot.toml")
    assert result.lines == [CACHE_FINDING]


TOML_EXPECTED = "[tool.ssot-factory] or [tool.flake8]"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("pyproject.toml", "[tool.black]\n", TOML_EXPECTED),
        (
            "pyproject.toml",
            "[tool.flake8]\nmax-line-length = 99\n",
            "[tool.ssot-factory] or [tool.flake8]",
        ),
        (
            "setup.cfg",
            "[metadata]\nname = x\n",
            "a [flake8] section with ssot-*, exclude or extend-exclude options",
        ),
    ],
)
def test_config_option_without_settings_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, expected: str
) -> None:
    write(project, {name: content})
    result = run_cli(capsys, "check", "t.py", "--config", name)
    assert (result.code, result.lines_err) == (
        2,
        [
            f"ssot-factory: error: --config: {name}: no settings for ssot-factory in it "
            f"(expected {expected})"
        ],
    )


def test_baseline_and_excludes_are_relative_to_pyproject(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        project,
        {
            "pyproject.toml": dedent(
                """\
                [tool.ssot-factory]
                baseline = "ci/base.json"
                extend-exclude = ["./gen"]
                """
            ),
            "gen/t.py": SOURCE,
            "app/t.py": SOURCE,
        },
    )
    monkeypatch.chdir(project / "app")
    # Files outside the current folder are named by their absolute paths.
    missing = (
        f"{project}/pyproject.toml [tool.ssot-factory] baseline: {project}/ci/base.json: "
        "no such file"
    )
    result = run_cli(capsys, "check", "..")
    assert (result.code, result.lines_err) == (2, [f"ssot-factory: error: {missing}"])
    assert flake8(project / "app")[1][1:] == [missing]
    monkeypatch.chdir(project)
    assert run_cli(capsys, "baseline", "--write", "ci/base.json").code == 2  # no ci/ folder
    (project / "ci").mkdir()
    assert run_cli(capsys, "baseline", "--write", "ci/base.json", ".").code == 0
    result = run_cli(capsys, "check", ".")
    assert (result.code, result.out) == (0, "")


def test_a_missing_baseline_in_setup_cfg_is_named_as_configured(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, {"setup.cfg": "[flake8]\nssot-baseline = base.json\n"})
    result = run_cli(capsys, "check", "t.py")
    assert result.lines_err == [
        "ssot-factory: error: setup.cfg [flake8] ssot-baseline: base.json: no such file"
    ]


# In-process: the plugin's reading of flake8's command line and of pyproject.toml.


def plugin_settings(monkeypatch: pytest.MonkeyPatch, argv: List[str], **options: object) -> str:
    """The context keyword the plugin ends up with, run as ``flake8 argv`` would run it."""
    import argparse

    from flake8_ssot_factory.faces.flake8 import SSFChecker

    monkeypatch.setattr(sys, "argv", argv)
    namespace = argparse.Namespace(**options)
    SSFChecker.parse_options(None, namespace, [])
    keyword: str = namespace.ssot_settings.context_keyword
    return keyword


def test_the_plugin_reads_flake8s_own_command_line_for_config_and_isolated(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        project,
        {
            "pyproject.toml": '[tool.ssot-factory]\ncontext-keyword = "from_pyproject"\n',
            "other.cfg": "[flake8]\nssot-bogus = 1\n",
        },
    )
    assert plugin_settings(monkeypatch, ["flake8"]) == "from_pyproject"
    assert plugin_settings(monkeypatch, ["/usr/bin/flake8", "--isolated"]) == "user_context"
    assert plugin_settings(monkeypatch, ["flake8"], ssot_context_keyword="given") == "given"
    # Another program (an editor's server, a test runner) calling flake8's API: files are found.
    assert plugin_settings(monkeypatch, ["pylsp", "--isolated"]) == "from_pyproject"
    # A malformed flake8 command line was flake8's to report; the plugin reads files as usual.
    assert plugin_settings(monkeypatch, ["flake8", "--config"]) == "from_pyproject"
    from flake8.exceptions import ExecutionError

    with pytest.raises(ExecutionError, match=r"other.cfg \[flake8\]: unknown option 'ssot-bogus'"):
        plugin_settings(monkeypatch, ["flake8", "--config", "other.cfg"])


def test_the_plugin_names_a_bad_value_from_pyproject_by_its_key(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flake8.exceptions import ExecutionError

    write(project, {"pyproject.toml": '[tool.ssot-factory]\ncontext-keyword = "two words"\n'})
    with pytest.raises(ExecutionError) as raised:
        plugin_settings(monkeypatch, ["flake8"])
    assert str(raised.value) == (
        "pyproject.toml [tool.ssot-factory] context-keyword: expected one name, got 'two words'"
    )
    # The same value given as flake8's option is named as the option.
    with pytest.raises(ExecutionError) as raised:
        plugin_settings(monkeypatch, ["flake8"], ssot_context_keyword="two words")
    assert str(raised.value) == "--ssot-context-keyword: expected one name, got 'two words'"


def test_show_settings_for_a_table_and_command_line_additions(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        project,
        {"pyproject.toml": MIGRATIONS_AS_TABLES + '\n[tool.flake8]\nextend-exclude = "gen"\n'},
    )
    result = run_cli(
        capsys,
        "report",
        "--show-settings",
        "--ssot-any-receiver",
        "--baseline",
        "b.json",
        "--extend-exclude",
        "more",
    )
    assert result.lines[2:] == [
        "ssot-factories = get_agent_instance_factory:create_agent_instance_factory,"
        "configure_agent_instance_factory:create_agent_instance_factory  # default (replaced by "
        "ssot-migrations)",
        "ssot-context-methods = create_agent:1,create_agent_instance:1  # default",
        "ssot-context-keyword = user_context  # default",
        "ssot-factory-classes = AgentInstanceFactory  # default",
        "ssot-context-type = UserExecutionContext  # default",
        "ssot-any-receiver = true  # command line",
        "ssot-migrations =  # pyproject.toml [tool.ssot-factory]",
        "    cache: get_cache -> make_cache(ctx)",
        '    engine: create_engine -> report "use EngineFactory"',
        "ssot-baseline = b.json  # command line",
        "exclude = (flake8's and ruff's usual folders)  # default",
        "extend-exclude = gen,more  # pyproject.toml [tool.flake8] + command line",
    ]
    result = run_cli(capsys, "check", "--show-settings", "--ssot-context-methods", "x")
    assert (result.code, result.lines_err) == (
        2,
        [
            "ssot-factory: error: --ssot-context-methods: 'x' is not a method:position pair "
            "(no colon)"
        ],
    )


@pytest.mark.parametrize(
    ("pyproject", "error"),
    [
        ("[tool]\nssot-factory = 3\n", "[tool.ssot-factory]: expected a table, got the number 3"),
        ('[tool]\nflake8 = "x"\n', "[tool.flake8]: expected a table, got the string 'x'"),
        (
            "[tool.ssot-factory]\nmigrations = 1.5\n",
            "[tool.ssot-factory] migrations: expected a string or an array of strings, or a "
            "table of migrations, got the number 1.5",
        ),
        (
            "[tool.ssot-factory]\nfactories = [1, 2]\n",
            "[tool.ssot-factory] factories: expected a string or an array of strings, got an "
            "array of non-strings",
        ),
        (
            "[tool.ssot-factory.migrations]\ncache = 'get_cache -> make_cache(ctx)'\n",
            "[tool.ssot-factory] migrations.cache: expected a table (old = ..., new = ...), got "
            "the string 'get_cache -> make_cache(ctx)'",
        ),
        (
            "[tool.ssot-factory.migrations.cache]\nold = 'a'\nnew = 'b(ctx)'\nreport = 'no'\n",
            "[tool.ssot-factory] migrations.cache: give 'new' (the replacement) or 'report' (a "
            "note), one of them",
        ),
        (
            "[tool.ssot-factory.migrations.cache]\nold = 'a'\nnew = ['b(ctx)']\n",
            "[tool.ssot-factory] migrations.cache.new: expected a string, got an array",
        ),
        (
            "[tool.ssot-factory.migrations.cache]\nold = {a = 1}\nnew = 'b(ctx)'\n",
            "[tool.ssot-factory] migrations.cache.old: expected a string or an array of strings, "
            "got a table",
        ),
        (
            "[tool.ssot-factory]\nany-receiver = 1\n",
            "[tool.ssot-factory] any-receiver: expected true or false, got the number 1",
        ),
    ],
)
def test_values_of_the_wrong_type(
    project: Path, capsys: pytest.CaptureFixture[str], pyproject: str, error: str
) -> None:
    write(project, {"pyproject.toml": pyproject})
    result = run_cli(capsys, "check", "t.py")
    assert (result.code, result.lines_err) == (2, [f"ssot-factory: error: pyproject.toml {error}"])


def test_a_report_without_a_note_and_options_of_a_context_migration(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        project,
        {
            "t.py": "a = create_engine()\nf = make()\nf.build('x')\n",
            "pyproject.toml": dedent(
                """\
                [tool.ssot-factory.migrations.engine]
                old = "create_engine"
                report = ""

                [tool.ssot-factory.migrations.maker]
                old = "get_maker"
                new = "make(ctx)"
                methods = ["build:1"]
                classes = "Maker"
                context-type = "Ctx"
                """
            ),
        },
    )
    assert run_cli(capsys, "check", "t.py").lines == [
        "t.py:1:5: SSF002 create_engine() is deprecated: it has no automatic replacement [engine]",
        "t.py:2:5: SSF011 make() is called without a user context; use make(ctx) [maker]",
        "t.py:3:3: SSF010 build() is called without a user context; pass ctx as argument 2 or "
        "as ctx= [maker]",
    ]


@pytest.mark.parametrize(
    "table", ["ssot_factory", "flake8-ssot-factory", "flake8_ssot_factory", "ssot-factroy"]
)
def test_a_near_miss_of_the_table_name_is_an_error_naming_the_right_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], table: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"pyproject.toml": f'[tool.{table}]\ncontext-keyword = "ctx"\n', "t.py": ""})
    result = run_cli(capsys, "check", "t.py")
    assert (result.code, result.err) == (
        2,
        f"ssot-factory: error: pyproject.toml: [tool.{table}] is not read: the table is "
        "[tool.ssot-factory]\n",
    )


def test_other_tools_tables_and_underscored_keys_are_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Keys may be written with - or _, in pyproject.toml as in [flake8]."""
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.ruff]\nline-length = 100\n\n[tool.ssot-factory]\n"
            'context_keyword = "ctx"\n',
            "t.py": "",
        },
    )
    shown = run_cli(capsys, "check", "--show-settings").lines
    assert "ssot-context-keyword = ctx  # pyproject.toml [tool.ssot-factory]" in shown


@pytest.mark.parametrize(
    ("files", "error"),
    [
        pytest.param(
            # What pasting discover's block under an existing [flake8] section gives: the
            # default table ran, silently (flake8 7.5 itself dies with a traceback).
            {"setup.cfg": "[flake8]\nmax-line-length = 100\n\n[flake8]\nssot-factories = a:b\n"},
            "setup.cfg: cannot read the configuration: line 4: a second [flake8] section "
            "(flake8 cannot read the file either: put all its options in one section)",
            id="two-flake8-sections",
        ),
        pytest.param(
            {"tox.ini": "[flake8]\nssot-factories = a:b\nssot-factories = c:d\n"},
            "tox.ini: cannot read the configuration: line 3: [flake8] sets ssot-factories a "
            "second time",
            id="option-twice",
        ),
        pytest.param(
            {"setup.cfg": "[metadata]\nname = x\n[flake8]\nnot an option\n"},
            "setup.cfg: cannot read the configuration: line 4: cannot parse 'not an option\\n'",
            id="unparseable-line",
        ),
        pytest.param(
            {"pyproject.toml": "[tool.ssot-factory]\nx = " + "[" * 5000 + "]" * 5000 + "\n"},
            "pyproject.toml: cannot read the configuration: nested too deeply to be a "
            "configuration",
            id="deep-toml",
        ),
    ],
)
def test_a_malformed_configuration_is_an_error_never_the_default_table(
    project: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], error: str
) -> None:
    write(project, files)
    result = run_cli(capsys, "check", "t.py")
    assert (result.code, result.out, result.lines_err) == (2, "", [f"ssot-factory: error: {error}"])


def test_a_file_without_a_flake8_header_that_does_not_parse_is_passed_over_as_flake8_does(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, {"setup.cfg": "[metadata\nname = x\n"})
    assert run_cli(capsys, "check", "t.py").code == 1  # the findings of the default table


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="the platform has no named pipes")
def test_a_configuration_that_is_not_a_regular_file_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(project / "conf.toml")
    result = run_cli(capsys, "check", "t.py", "--config", "conf.toml")
    assert (result.code, result.lines_err) == (
        2,
        ["ssot-factory: error: --config: conf.toml: not a regular file"],
    )


def test_a_configuration_larger_than_any_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from flake8_ssot_factory.config import reading

    monkeypatch.setattr(reading, "SIZE_CAP", 2 * 2**20)
    write(project, {"pyproject.toml": "[tool.ssot-factory]\n" + "#" * (2 * 2**20) + "\n"})
    result = run_cli(capsys, "check", "t.py")
    assert (result.code, result.lines_err) == (
        2,
        [
            "ssot-factory: error: pyproject.toml: cannot read the configuration: larger than a "
            "configuration (2 MiB at most)"
        ],
    )
