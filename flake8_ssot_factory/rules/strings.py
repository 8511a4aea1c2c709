"""SSF004: a string literal names a deprecated factory (patch targets, ``__all__``...)."""

from __future__ import annotations

import ast
import re
from typing import Iterator

from flake8_ssot_factory.findings import Finding
from flake8_ssot_factory.fixes import NO_REMEDY, Edit, Fix, Remedy
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
    remedy = (
        _string_remedy(node, deprecated, params["replacement"], suggestion, prefix, ctx)
        if ctx.contexts is not None
        else NO_REMEDY
    )
    params = {**params, "value": value, "suggestion": suggestion}
    yield Finding.make(line, col, "SSF004", params, remedy)


def _string_remedy(
    node: ast.Constant,
    deprecated: str,
    replacement: str,
    suggestion: str,
    module: str,
    ctx: RuleContext,
) -> Remedy:
    """The name inside the quotes is replaced, quotes and prefix kept. Unsafe: what a test
    patches changes (ruff's model: applied only with --unsafe-fixes)."""
    start, end = ctx.lines.node_start(node), ctx.lines.node_end(node)
    source = ctx.lines.text_between(start, end)
    at = source.rfind(deprecated)
    rewritten = source[:at] + replacement + source[at + len(deprecated) :]
    try:
        # Parentheses: an implicitly concatenated literal may span lines.
        correct = at >= 0 and ast.literal_eval(f"({rewritten}\n)") == suggestion
    except (SyntaxError, ValueError):
        correct = False
    if not correct:
        return Remedy.unfixable("the name is spelt with escapes or split across literals")
    offset = _advance(start, source[:at])
    edit = Edit(offset, _advance(offset, deprecated), replacement)
    return Remedy(Fix((edit,), safe=False, via_module=module or None))


def _advance(position: tuple[int, int], text: str) -> tuple[int, int]:
    """The position after ``text`` written from ``position``."""
    line, col = position
    newlines = text.count("\n")
    if newlines:
        return line + newlines, len(text) - text.rfind("\n") - 1
    return line, col + len(text)
