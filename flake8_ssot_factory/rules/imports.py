"""SSF001: a deprecated factory is imported."""

from __future__ import annotations

import ast
from typing import Iterator

from flake8_ssot_factory.findings import Finding
from flake8_ssot_factory.fixes import NO_REMEDY, Fix, Remedy
from flake8_ssot_factory.rules import RuleContext
from flake8_ssot_factory.scopes import Frame


def deprecated_imports(node: ast.AST, frame: Frame, ctx: RuleContext) -> Iterator[Finding]:
    assert isinstance(node, ast.ImportFrom)
    deprecated = ctx.facts.deprecated
    if not any(alias.name in deprecated for alias in node.names):
        return
    spans = ctx.lines.imported_name_spans(node)
    for alias, (start, _) in zip(node.names, spans):
        if alias.name in deprecated:
            # What becomes of an import depends on every use of its name in the module, so
            # the fixer plans the edit (fix_plan.py); the finding only says it can be planned.
            local = alias.asname or alias.name
            remedy = Remedy(Fix(()), "", local) if ctx.contexts is not None else NO_REMEDY
            line, col = start
            yield Finding.make(line, col, "SSF001", ctx.factory_params(alias.name), remedy)
