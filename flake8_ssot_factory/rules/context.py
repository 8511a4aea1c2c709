"""SSF010 and SSF011: a factory or its context method called without a user context."""

from __future__ import annotations

import ast
from typing import Iterator

from flake8_ssot_factory.findings import Finding
from flake8_ssot_factory.rules import RuleContext
from flake8_ssot_factory.scopes import Frame


def context_method_calls(node: ast.AST, frame: Frame, ctx: RuleContext) -> Iterator[Finding]:
    assert isinstance(node, ast.Call)
    func = node.func
    if not isinstance(func, ast.Attribute) or frame.in_raises_block:
        return
    position = ctx.settings.context_position.get(func.attr)
    if position is None or _forwards_arguments(node):
        return
    if not (ctx.settings.any_receiver or ctx.facts.is_factory_receiver(func.value, frame.scope)):
        return
    keyword = ctx.settings.context_keyword
    if _passes_context(node, position, keyword):
        return
    line, col = ctx.lines.attribute_name_start(func)
    params = {"method": func.attr, "keyword": keyword, "argument": str(position + 1)}
    yield Finding.make(line, col, "SSF010", params)


def replacement_calls(node: ast.AST, frame: Frame, ctx: RuleContext) -> Iterator[Finding]:
    assert isinstance(node, ast.Call)
    replacement = ctx.facts.replacement_name(node.func)
    if replacement is None or frame.in_raises_block or _forwards_arguments(node):
        return
    keyword = ctx.settings.context_keyword
    given = [kw.value for kw in node.keywords if kw.arg == keyword]
    given += node.args[:1]
    if given and not _is_none(given[0]):
        return
    line, col = ctx.name_start(node.func)
    params = {"replacement": replacement, "keyword": keyword}
    yield Finding.make(line, col, "SSF011", params)


def is_migrated_call(node: ast.Call, frame: Frame, ctx: RuleContext) -> bool:
    """A call site already in the new shape: a replacement factory or a factory's context
    method, called with a user context. The progress report counts these."""
    keyword = ctx.settings.context_keyword
    if ctx.facts.replacement_name(node.func) is not None:
        given = [kw.value for kw in node.keywords if kw.arg == keyword] + node.args[:1]
        return bool(given) and not _is_none(given[0])
    func = node.func
    if not isinstance(func, ast.Attribute):
        return False
    position = ctx.settings.context_position.get(func.attr)
    if position is None or not ctx.facts.is_factory_receiver(func.value, frame.scope):
        return False
    return _passes_context(node, position, keyword)


def _forwards_arguments(call: ast.Call) -> bool:
    """``*args`` or ``**kwargs``: the context may be in there; the checker cannot tell."""
    starred = any(isinstance(arg, ast.Starred) for arg in call.args)
    return starred or any(kw.arg is None for kw in call.keywords)


def _passes_context(call: ast.Call, position: int, keyword: str) -> bool:
    if any(kw.arg == keyword and not _is_none(kw.value) for kw in call.keywords):
        return True
    return len(call.args) > position and not _is_literal(call.args[position])


def _is_none(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


def _is_literal(expr: ast.expr) -> bool:
    """``None``, ``"triage"``, ``3``, ``-1``: a constant is never a user context."""
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
        expr = expr.operand
    return isinstance(expr, ast.Constant)
