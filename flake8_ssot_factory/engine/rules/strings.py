"""SSF004: a string literal names a deprecated factory (patch targets, ``__all__``...)."""

from __future__ import annotations

import ast
import re
from typing import Iterator, Optional

from flake8_ssot_factory.config.migrations import MOVE, REPORT, Migration
from flake8_ssot_factory.engine.findings import Finding
from flake8_ssot_factory.engine.fixes import NO_REMEDY, Edit, Fix, Remedy
from flake8_ssot_factory.engine.rules import RuleContext, migration_params
from flake8_ssot_factory.engine.rules.imports import REPORT_ONLY
from flake8_ssot_factory.engine.scopes import Frame

# A name or a dotted path of names: what a patch target or ``__all__`` entry looks like.
_DOTTED_PATH = re.compile(r"[^\W\d]\w*(?:\.[^\W\d]\w*)*\Z")


def deprecated_strings(node: ast.AST, frame: Frame, ctx: RuleContext) -> Iterator[Finding]:
    assert isinstance(node, ast.Constant)
    value = node.value
    if not isinstance(value, str) or id(node) in ctx.facts.non_literal_strings:
        return
    prefix, _, deprecated = value.rpartition(".")
    migration = _migration(prefix, deprecated, ctx)
    if migration is None or not _DOTTED_PATH.match(value):
        return
    params = migration_params(migration, deprecated)
    if migration.shape == MOVE:
        suggestion, old, new = f"{migration.new_module}.{deprecated}", prefix, migration.new_module
    elif migration.shape == REPORT:
        suggestion, old, new = "", "", ""
    else:
        new_name = migration.replacement
        suggestion, old, new = (
            (f"{prefix}.{new_name}" if prefix else new_name),
            deprecated,
            new_name,
        )
    line, col = ctx.lines.node_start(node)
    if ctx.contexts is None:
        remedy = NO_REMEDY
    elif migration.shape == REPORT:
        remedy = Remedy.unfixable(REPORT_ONLY)
    else:
        via = migration.new_module if migration.shape == MOVE else prefix
        remedy = _string_remedy(node, old, new, suggestion, via, ctx)
    params = {**params, "value": value, "suggestion": suggestion}
    yield Finding.make(line, col, "SSF004", params, remedy)


def _migration(prefix: str, name: str, ctx: RuleContext) -> Optional[Migration]:
    """The migration a string ``prefix.name`` names: any with a retired ``name``, or a move
    whose old module is ``prefix``."""
    if name in ctx.facts.deprecated:
        return ctx.settings.by_deprecated[name]
    for move in ctx.settings.moves.get(name, ()):
        if prefix == move.old_module:
            return move
    return None


def _string_remedy(
    node: ast.Constant,
    old: str,
    new: str,
    suggestion: str,
    module: str,
    ctx: RuleContext,
) -> Remedy:
    """The old name (or old module) inside the quotes is replaced, quotes and prefix kept.
    Unsafe: what a test patches changes (ruff's model: applied only with --unsafe-fixes)."""
    start, end = ctx.lines.node_start(node), ctx.lines.node_end(node)
    source = ctx.lines.text_between(start, end)
    at = source.rfind(old)
    rewritten = source[:at] + new + source[at + len(old) :]
    try:
        # Parentheses: an implicitly concatenated literal may span lines.
        correct = at >= 0 and ast.literal_eval(f"({rewritten}\n)") == suggestion
    except (SyntaxError, ValueError):
        correct = False
    if not correct:
        return Remedy.unfixable("the name is spelt with escapes or split across literals")
    offset = _advance(start, source[:at])
    edit = Edit(offset, _advance(offset, old), new)
    return Remedy(Fix((edit,), safe=False, via_module=module or None))


def _advance(position: tuple[int, int], text: str) -> tuple[int, int]:
    """The position after ``text`` written from ``position``."""
    line, col = position
    newlines = text.count("\n")
    if newlines:
        return line + newlines, len(text) - text.rfind("\n") - 1
    return line, col + len(text)
