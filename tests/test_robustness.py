"""The analysis never raises on code that parses, however deep or odd."""

from __future__ import annotations

import ast
import sys

import hypothesmith
from hypothesis import HealthCheck, given, settings

from flake8_ssot_factory.config.settings import DEFAULT_SETTINGS, build_settings
from flake8_ssot_factory.engine.analysis import analyze
from flake8_ssot_factory.engine.positions import Lines, split_lines
from tests.helpers import D_MSG, findings


def test_1500_term_concatenation_is_analysed() -> None:
    source = "x = " + " + ".join(["'a'"] * 1500) + "\nget_agent_instance_factory()\n"
    assert findings(source) == [f"2:1: SSF002 {D_MSG}"]


def test_deep_nesting_beyond_the_recursion_limit_is_analysed() -> None:
    depth = sys.getrecursionlimit() + 100
    # Build the tree by hand: the parser itself limits how deep source text may nest.
    # (ast.fix_missing_locations recurses, so positions are set here one node at a time).
    position = {"lineno": 1, "col_offset": 0, "end_lineno": 1, "end_col_offset": 28}
    name = ast.Name(id="get_agent_instance_factory", ctx=ast.Load(), **position)
    expr: ast.expr = ast.Call(func=name, args=[], keywords=[], **position)
    for _ in range(depth):
        one = ast.Constant(value=1, lineno=1, col_offset=0, end_lineno=1, end_col_offset=28)
        expr = ast.BinOp(left=expr, op=ast.Add(), right=one, **position)
    tree = ast.Module(body=[ast.Expr(value=expr, **position)], type_ignores=[])
    result = analyze(tree, DEFAULT_SETTINGS, ["get_agent_instance_factory()\n"])
    assert [(f.line, f.col, f.code) for f in result] == [(1, 0, "SSF002")]


EVERY_RULE = build_settings({"ssot-any-receiver": True, "ssot-factories": "x:y,f:g,a:b"})


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_never_raises_on_generated_programs(source: str) -> None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return  # hypothesmith's grammar is wider than the compiler's
    lines = split_lines(source)
    for found in analyze(tree, EVERY_RULE, lines):
        assert found.line >= 1
        assert found.col >= 0
        assert found.message


def test_import_name_scan_matches_the_ast_positions() -> None:
    # Python 3.9's ast.alias has no position; the token scan that replaces it must agree with
    # what 3.10+ reports. Exercise the scan directly on every version.
    source = (
        "from a import (  # comment\n"
        "    b as c,\n"
        "    get_agent_instance_factory as g, d\n"
        ")\n"
        "s = 'é'; from .x.y import z, w as v; q = '''\n"
        "'''\n"
        "from . import  e\n"
    )
    lines = Lines(split_lines(source))
    imports = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom)]
    scanned = [list(lines._scan_imported_names(node)) for node in imports]
    assert scanned == [
        [((2, 4), (2, 10)), ((3, 4), (3, 35)), ((3, 37), (3, 38))],
        [((5, 26), (5, 27)), ((5, 29), (5, 35))],
        [((7, 15), (7, 16))],
    ]
    if sys.version_info >= (3, 10):
        assert scanned == [lines.imported_name_spans(node) for node in imports]
