"""SSF002 and SSF003: a deprecated factory called, or used as a value."""

from __future__ import annotations

import ast
from typing import Iterator, Optional

from flake8_ssot_factory.findings import Finding
from flake8_ssot_factory.fixes import Edit, Fix, Remedy
from flake8_ssot_factory.rules import RuleContext
from flake8_ssot_factory.scopes import Frame

NEGATIVE_TEST = "a deliberate negative test (inside pytest.raises)"
REFERENCE = "a reference, not a call: what it should become depends on where it is called"


def deprecated_calls(node: ast.AST, frame: Frame, ctx: RuleContext) -> Iterator[Finding]:
    assert isinstance(node, ast.Call)
    deprecated = ctx.facts.deprecated_name(node.func)
    if deprecated is not None:
        line, col = ctx.name_start(node.func)
        params = ctx.factory_params(deprecated)
        remedy = _call_remedy(node, frame, ctx, deprecated)
        yield Finding.make(line, col, "SSF002", params, remedy)


def _call_remedy(node: ast.Call, frame: Frame, ctx: RuleContext, deprecated: str) -> Remedy:
    """``D()`` becomes ``R(ctx)``, ``g()`` (g imported as D) ``g(ctx)`` or ``R(ctx)``: the
    fixer decides the name with the import (see fix_plan.py). ``mod.D()`` becomes
    ``mod.R(ctx)``."""
    local = _local_name(node.func)
    if ctx.contexts is None:
        return Remedy.unfixable("", local)
    replacement = ctx.settings.replacement_for[deprecated]
    if frame.in_raises_block:
        return Remedy.unfixable(NEGATIVE_TEST, local)
    if node.args or node.keywords:
        reason = f"the call passes arguments; {replacement}() takes only a user context"
        return Remedy.unfixable(reason, local)
    context, reason = ctx.contexts.find(node, frame.scope)
    if context is None:
        return Remedy.unfixable(reason, local)
    insert = Edit.insert(ctx.lines.closing_paren(node), context)
    func = node.func
    if isinstance(func, ast.Attribute):
        rename = Edit(ctx.lines.attribute_name_start(func), ctx.lines.node_end(func), replacement)
        return Remedy(Fix((rename, insert), via_module=dotted_name(func.value)))
    callee = (ctx.lines.node_start(func), ctx.lines.node_end(func))
    return Remedy(Fix((insert,), callee=callee), "", local)


def dotted_name(expr: ast.expr) -> Optional[str]:
    """``a.b.c`` for a chain of plain names; None for anything else (``self.m``, calls)."""
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    return ".".join([expr.id, *reversed(parts)])


def deprecated_references(node: ast.AST, frame: Frame, ctx: RuleContext) -> Iterator[Finding]:
    assert isinstance(node, (ast.Name, ast.Attribute))
    if id(node) in ctx.facts.callees:
        return  # a call: SSF002's
    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        return  # binding a local name is a definition, not a use
    deprecated = ctx.facts.deprecated_name(node)
    if deprecated is not None:
        line, col = ctx.name_start(node)
        remedy = Remedy.unfixable(REFERENCE if ctx.contexts else "", _local_name(node))
        yield Finding.make(line, col, "SSF003", ctx.factory_params(deprecated), remedy)


def _local_name(expr: ast.expr) -> Optional[str]:
    """The module-level name a bare use depends on (its import); None for ``obj.attr``."""
    return expr.id if isinstance(expr, ast.Name) else None
