"""SSF002 and SSF003: a deprecated factory called, or used as a value."""

from __future__ import annotations

import ast
from typing import Iterator

from flake8_ssot_factory.findings import Finding
from flake8_ssot_factory.rules import RuleContext
from flake8_ssot_factory.scopes import Frame


def deprecated_calls(node: ast.AST, frame: Frame, ctx: RuleContext) -> Iterator[Finding]:
    assert isinstance(node, ast.Call)
    deprecated = ctx.facts.deprecated_name(node.func)
    if deprecated is not None:
        line, col = ctx.name_start(node.func)
        yield Finding.make(line, col, "SSF002", ctx.factory_params(deprecated))


def deprecated_references(node: ast.AST, frame: Frame, ctx: RuleContext) -> Iterator[Finding]:
    assert isinstance(node, (ast.Name, ast.Attribute))
    if id(node) in ctx.facts.callees:
        return  # a call: SSF002's
    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        return  # binding a local name is a definition, not a use
    deprecated = ctx.facts.deprecated_name(node)
    if deprecated is not None:
        line, col = ctx.name_start(node)
        yield Finding.make(line, col, "SSF003", ctx.factory_params(deprecated))
