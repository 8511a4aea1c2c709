"""SSF001: a deprecated factory is imported."""

from __future__ import annotations

import ast
from typing import Iterator

from flake8_ssot_factory.findings import Finding
from flake8_ssot_factory.rules import RuleContext
from flake8_ssot_factory.scopes import Frame


def deprecated_imports(node: ast.AST, frame: Frame, ctx: RuleContext) -> Iterator[Finding]:
    assert isinstance(node, ast.ImportFrom)
    deprecated = ctx.facts.deprecated
    if not any(alias.name in deprecated for alias in node.names):
        return
    for alias, (line, col) in zip(node.names, ctx.lines.imported_name_starts(node)):
        if alias.name in deprecated:
            yield Finding.make(line, col, "SSF001", ctx.factory_params(alias.name))
