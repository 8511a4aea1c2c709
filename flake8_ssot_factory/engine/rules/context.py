"""SSF010 and SSF011: a factory or its context method called without a user context."""

from __future__ import annotations

import ast
from typing import Iterator, List, Optional, Tuple, Union

from flake8_ssot_factory.config.migrations import Migration
from flake8_ssot_factory.engine.findings import Finding
from flake8_ssot_factory.engine.fixes import NO_REMEDY, Edit, Fix, Remedy
from flake8_ssot_factory.engine.positions import split_lines
from flake8_ssot_factory.engine.rules import RuleContext
from flake8_ssot_factory.engine.scopes import Frame


def _method_of(
    func: ast.Attribute, frame: Frame, ctx: RuleContext
) -> Optional[Tuple[Migration, int]]:
    """The context migration whose factory ``func``'s receiver is, with the position of the
    context among the method's arguments; None when the receiver is not known as one."""
    candidates = ctx.settings.method_migrations.get(func.attr)
    if not candidates:
        return None
    receiver = ctx.facts.is_factory_receiver(func.value, frame.scope)
    for migration, position in candidates:
        if migration is receiver:
            return migration, position
    return candidates[0] if ctx.settings.any_receiver else None


def context_method_calls(node: ast.AST, frame: Frame, ctx: RuleContext) -> Iterator[Finding]:
    assert isinstance(node, ast.Call)
    func = node.func
    if not isinstance(func, ast.Attribute) or frame.in_raises_block:
        return
    found = _method_of(func, frame, ctx)
    if found is None or _forwards_arguments(node):
        return
    migration, position = found
    keyword = migration.context_keyword
    if _passes_context(node, position, keyword):
        return
    line, col = ctx.lines.attribute_name_start(func)
    params = {
        "method": func.attr,
        "keyword": keyword,
        "argument": str(position + 1),
        "migration": migration.name,
    }
    remedy = _context_method_remedy(node, position, migration, frame, ctx)
    yield Finding.make(line, col, "SSF010", params, remedy)


def replacement_calls(node: ast.AST, frame: Frame, ctx: RuleContext) -> Iterator[Finding]:
    assert isinstance(node, ast.Call)
    replacement = ctx.facts.replacement_name(node.func)
    if replacement is None or frame.in_raises_block:
        return
    migration = ctx.settings.by_replacement[replacement]
    keyword = migration.context_keyword
    if not lacks_context(node, keyword):
        return
    line, col = ctx.name_start(node.func)
    params = {"replacement": replacement, "keyword": keyword, "migration": migration.name}
    remedy = _replacement_remedy(node, migration, frame, ctx)
    yield Finding.make(line, col, "SSF011", params, remedy)


def _context_method_remedy(
    node: ast.Call, position: int, migration: Migration, frame: Frame, ctx: RuleContext
) -> Remedy:
    """``f.create_agent("X")`` becomes ``f.create_agent("X", ctx)``: the context at the method's
    position when the earlier ones are there, else as the keyword; a ``None`` there is replaced."""
    if ctx.contexts is None:
        return NO_REMEDY
    keyword = migration.context_keyword
    misnamed = [kw.arg for kw in node.keywords if kw.arg and "context" in kw.arg]
    if misnamed and keyword not in misnamed:
        return Remedy.unfixable(f"a context is passed as {misnamed[0]}=, not as {keyword}=")
    context, reason = ctx.contexts.find(node, frame.scope, keyword, migration.context_type)
    if context is None:
        return Remedy.unfixable(reason)
    placeholder = _none_placeholder(node, keyword, position)
    if placeholder is not None:
        return _replace(placeholder, context, ctx)
    if len(node.args) > position:
        literal = ctx.lines.text_between(
            ctx.lines.node_start(node.args[position]), ctx.lines.node_end(node.args[position])
        )
        return Remedy.unfixable(f"argument {position + 1} is {literal}, not a user context")
    if len(node.args) == position:
        return _insert_positional(node, context, ctx)
    return _insert_keyword(node, f"{keyword}={context}", ctx)


def _replacement_remedy(
    node: ast.Call, migration: Migration, frame: Frame, ctx: RuleContext
) -> Remedy:
    """``R()``, ``R(None)``, ``R(user_context=None)``: the context goes in, or replaces None."""
    if ctx.contexts is None:
        return NO_REMEDY
    keyword = migration.context_keyword
    context, reason = ctx.contexts.find(node, frame.scope, keyword, migration.context_type)
    if context is None:
        return Remedy.unfixable(reason)
    placeholder = _none_placeholder(node, keyword, 0)
    if placeholder is not None:
        return _replace(placeholder, context, ctx)
    return _insert_positional(node, context, ctx)


def _none_placeholder(node: ast.Call, keyword: str, position: int) -> Optional[ast.expr]:
    for kw in node.keywords:
        if kw.arg == keyword and _is_none(kw.value):
            return kw.value
    if len(node.args) > position and _is_none(node.args[position]):
        return node.args[position]
    return None


def _replace(expr: ast.expr, context: str, ctx: RuleContext) -> Remedy:
    return Remedy(Fix((Edit(ctx.lines.node_start(expr), ctx.lines.node_end(expr), context),)))


def _insert_positional(node: ast.Call, context: str, ctx: RuleContext) -> Remedy:
    """A positional argument after the last positional one (before any keyword)."""
    if node.args:
        return _append_after(node.args[-1], node, context, ctx)
    if node.keywords:
        return Remedy(Fix((Edit.insert(ctx.lines.node_start(node.keywords[0]), f"{context}, "),)))
    return Remedy(Fix((Edit.insert(ctx.lines.closing_paren(node), context),)))


def _insert_keyword(node: ast.Call, argument: str, ctx: RuleContext) -> Remedy:
    """A keyword argument after the last argument."""
    arguments: List[Union[ast.expr, ast.keyword]] = [*node.args, *node.keywords]
    if not arguments:
        return Remedy(Fix((Edit.insert(ctx.lines.closing_paren(node), argument),)))
    last = max(arguments, key=lambda a: (a.end_lineno or 0, a.end_col_offset or 0))
    return _append_after(last, node, argument, ctx)


def _append_after(
    last: Union[ast.expr, ast.keyword], call: ast.Call, argument: str, ctx: RuleContext
) -> Remedy:
    """``argument`` written after the argument ``last`` of ``call``."""
    start, end = ctx.lines.node_start(last), ctx.lines.node_end(last)
    if isinstance(last, ast.GeneratorExp) and end == ctx.lines.node_end(call):
        # ``f(y for y in ys)``: the generator shares the call's parentheses, so it gets its
        # own before another argument can follow: ``f((y for y in ys), ctx)``.
        shared = ctx.lines.text_between(start, end)
        return Remedy(Fix((Edit(start, end, f"({shared}, {argument})"),)))
    if not _ends_cleanly(last, call, ctx):
        return Remedy.unfixable("the argument before the context is in parentheses")
    return Remedy(Fix((Edit.insert(end, f", {argument}"),)))


def _ends_cleanly(argument: Union[ast.expr, ast.keyword], call: ast.Call, ctx: RuleContext) -> bool:
    """Whether only a comma (or nothing) stands between ``argument`` and the call's ``)``: a
    ``)`` of the argument's own parentheses there would put an insertion inside them."""
    between = ctx.lines.text_between(ctx.lines.node_end(argument), ctx.lines.closing_paren(call))
    code = "".join(line.split("#", 1)[0] for line in split_lines(between)).strip()
    return code == "" or code.startswith(",")


def migrated_call(node: ast.Call, frame: Frame, ctx: RuleContext) -> Optional[Migration]:
    """The migration of a call site already in the new shape: a replacement factory or a
    factory's context method called with a user context, or a renamed function called by its
    new name. The progress report counts these."""
    replacement = ctx.facts.replacement_name(node.func)
    if replacement is not None:
        migration = ctx.settings.by_replacement[replacement]
        keyword = migration.context_keyword
        given = [kw.value for kw in node.keywords if kw.arg == keyword] + node.args[:1]
        return migration if given and not _is_none(given[0]) else None
    func = node.func
    renamed = ctx.facts.watched_name(func, ctx.facts.renamed)
    if renamed is not None:
        return ctx.settings.by_replacement[renamed]
    if not isinstance(func, ast.Attribute):
        return None
    known = ctx.facts.is_factory_receiver(func.value, frame.scope)
    found = _method_of(func, frame, ctx) if known is not None else None
    if found is None:
        return None
    migration, position = found
    return migration if _passes_context(node, position, migration.context_keyword) else None


def lacks_context(call: ast.Call, keyword: str) -> bool:
    """A call of a replacement factory passes no user context: neither a first argument nor
    ``keyword=`` (or ``None`` there), and no ``*args``/``**kwargs`` that might hold one."""
    if _forwards_arguments(call):
        return False
    given = [kw.value for kw in call.keywords if kw.arg == keyword]
    given += call.args[:1]
    return not given or _is_none(given[0])


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
