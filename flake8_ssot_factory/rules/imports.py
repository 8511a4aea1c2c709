"""SSF001: a deprecated factory is imported."""

from __future__ import annotations

import ast
from typing import Iterator, List, Tuple

from flake8_ssot_factory.findings import Finding
from flake8_ssot_factory.fixes import Edit, Fix, Position, Remedy
from flake8_ssot_factory.rules import RuleContext
from flake8_ssot_factory.scopes import Frame

Span = Tuple[Position, Position]


def deprecated_imports(node: ast.AST, frame: Frame, ctx: RuleContext) -> Iterator[Finding]:
    assert isinstance(node, ast.ImportFrom)
    deprecated = ctx.facts.deprecated
    if not any(alias.name in deprecated for alias in node.names):
        return
    spans = ctx.lines.imported_name_spans(node)
    for index, (alias, (start, _)) in enumerate(zip(node.names, spans)):
        if alias.name in deprecated:
            remedy = _import_remedy(node, index, spans, frame, ctx)
            line, col = start
            yield Finding.make(line, col, "SSF001", ctx.factory_params(alias.name), remedy)


def _import_remedy(
    node: ast.ImportFrom, index: int, spans: List[Span], frame: Frame, ctx: RuleContext
) -> Remedy:
    """``import D`` becomes ``import R`` (an ``as`` alias kept); where the statement imports R
    already, D is dropped from it. The fixer applies this only when no use of D is left."""
    alias = node.names[index]
    local = alias.asname or alias.name
    replacement = ctx.settings.replacement_for[alias.name]
    if any(other.name == replacement for other in node.names):
        removal = _removal(spans, index, ctx)
        if removal is None:
            reason = f"{replacement} is imported beside it; drop this name by hand"
            return Remedy.unfixable(reason, local)
        return Remedy(Fix((removal,)), "", local)
    if alias.asname is None and replacement in frame.scope.module.bound:
        reason = f"{replacement} is imported by another statement; drop this import by hand"
        return Remedy.unfixable(reason, local)
    (line, col), _ = spans[index]
    rename = Edit((line, col), (line, col + len(alias.name)), replacement)
    return Remedy(Fix((rename,)), "", local)


def _removal(spans: List[Span], index: int, ctx: RuleContext) -> Edit | None:
    """The edit that drops one name from ``from m import a, b``, touching nothing else."""
    start, end = spans[index]
    if index + 1 < len(spans) and spans[index + 1][0][0] == start[0]:
        return Edit(start, spans[index + 1][0], "")  # "D, " before a name on the same line
    if index > 0 and spans[index - 1][1][0] == start[0]:
        return Edit(spans[index - 1][1], end, "")  # ", D" after a name on the same line
    line = ctx.lines.text(start[0])
    if line[: start[1]].strip() == "" and line[end[1] :].strip() in ("", ","):
        return Edit((start[0], 0), (start[0] + 1, 0), "")  # a line of its own in parentheses
    return None
