"""The flake8 adapter in-process: option registration, option parsing, the run() contract."""

from __future__ import annotations

import argparse
import ast

import pytest
from flake8.exceptions import ExecutionError
from flake8.options.manager import OptionManager

from flake8_ssot_factory.config.settings import DEFAULT_SETTINGS
from flake8_ssot_factory.engine.positions import split_lines
from flake8_ssot_factory.faces.flake8 import SSFChecker
from tests.helpers import D_MSG

SOURCE = "x = 1\nf = get_agent_instance_factory()\n"


def run(source: str, options: argparse.Namespace | None = None) -> list[tuple[int, int, str]]:
    lines = split_lines(source)
    checker = SSFChecker(ast.parse(source), lines, "t.py", options)
    return [(line, col, message) for line, col, message, kind in checker.run()]


def parsed_options(*argv: str) -> argparse.Namespace:
    manager = OptionManager(version="0", plugin_versions="", parents=[], formatter_names=[])
    SSFChecker.add_options(manager)
    options: argparse.Namespace = manager.parse_args(list(argv))
    SSFChecker.parse_options(manager, options, [])
    return options


def test_run_yields_flake8_tuples() -> None:
    assert run(SOURCE) == [(2, 4, f"SSF002 {D_MSG}")]


def test_file_without_watched_names_yields_nothing() -> None:
    assert run("x = other_factory()\n") == []


def test_options_are_parsed_once_onto_the_namespace() -> None:
    options = parsed_options("--ssot-factories=get_x:make_x", "--ssot-any-receiver")
    assert options.ssot_settings.factories == (("get_x", "make_x"),)
    assert options.ssot_settings.any_receiver is True
    assert run("get_x()\n", options) == [
        (1, 0, "SSF002 get_x() is a deprecated singleton; use make_x(user_context)")
    ]


def test_defaults_when_no_option_is_given() -> None:
    assert parsed_options().ssot_settings == DEFAULT_SETTINGS


def test_namespace_without_parsed_settings_is_read_directly() -> None:
    options = argparse.Namespace(ssot_factories="get_x:make_x")
    assert run("get_x()\n", options)[0][2].startswith("SSF002 get_x()")


def test_malformed_value_is_an_execution_error() -> None:
    with pytest.raises(ExecutionError) as raised:
        parsed_options("--ssot-factories=nocolon")
    assert str(raised.value) == (
        "--ssot-factories: 'nocolon' is not a deprecated:replacement pair (no colon)"
    )
