"""SSF004: a string literal names a deprecated factory (patch targets, ``__all__``...)."""

from __future__ import annotations

import ast
import re
from typing import Iterator

from flake8_ssot_factory.findings import Finding
from flake8_ssot_factory.rules import RuleContext
from flake8_ssot_factory.scopes import Frame

# A name or a dotted path of names: what a patch target or ``__all__`` entry looks like.
_DOTTED_PATH = re.compile(r"[^\W\d]\w*(?:\.[^\W\d]\w*)*\Z")


def deprecated_strings(node: ast.AST, frame: Frame, ctx: RuleContext) -> Iterator[Finding]:
    assert isinstance(node, ast.Constant)
    value = node.value
    if not isinstance(value, str) or id(node) in ctx.facts.non_literal_strings:
        return
    prefix, _, deprecated = value.rpartition(".")
    if deprecated not in ctx.facts.deprecated or not _DOTTED_PATH.match(value):
        return
    params = ctx.factory_params(deprecated)
    suggestion = f"{prefix}.{params['replacement']}" if prefix else params["replacement"]
    line, col = ctx.lines.node_start(node)
    yield Finding.make(line, col, "SSF004", {**params, "value": value, "suggestion": suggestion})
