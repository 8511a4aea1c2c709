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

NOT_A_PATCH_TARGET = (
    "a string that is not a patch target (a list, a comparison, a message): "
    "rewrite it by hand if it names the function"
)
NOT_A_MODULE_ATTRIBUTE = (
    "the attribute of an object that is not a module: rename it by hand if the object has "
    "the new name"
)
# A name or a dotted path of names: what a patch target or ``__all__`` entry looks like.
_DOTTED_PATH = re.compile(r"[^\W\d]\w*(?:\.[^\W\d]\w*)*\Z")


def deprecated_strings(node: ast.AST, frame: Frame, ctx: RuleContext) -> Iterator[Finding]:
    assert isinstance(node, ast.Constant)
    value = node.value
    if not isinstance(value, str) or id(node) in ctx.facts.non_literal_strings:
        return
    prefix, _, deprecated = value.rpartition(".")
    if not _DOTTED_PATH.match(value):
        return
    migration = _migration(node, prefix, deprecated, ctx)
    if migration is None:
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
    elif prefix and not ctx.facts.is_patch_target(node):
        remedy = Remedy.unfixable(NOT_A_PATCH_TARGET)
    elif not prefix and not _owner_is_a_module(node, deprecated, frame, ctx):
        remedy = Remedy.unfixable(NOT_A_MODULE_ATTRIBUTE)
    else:
        via = migration.new_module if migration.shape == MOVE else prefix
        remedy = _string_remedy(node, old, new, suggestion, via, ctx)
    params = {**params, "value": value, "suggestion": suggestion}
    yield Finding.make(line, col, "SSF004", params, remedy)


def _migration(node: ast.Constant, prefix: str, name: str, ctx: RuleContext) -> Optional[Migration]:
    """The migration a string ``prefix.name`` names: one that retires ``name`` from anywhere
    or from the module ``prefix``, or a move whose old module is ``prefix``. A bare name (no
    prefix) is a use only where code uses it as a name (see _names_the_retired)."""
    facts = ctx.facts
    if not prefix:
        return ctx.settings.by_deprecated[name] if _names_the_retired(node, name, ctx) else None
    if name in facts.deprecated or prefix in facts.qualified.get(name, ()):
        return ctx.settings.by_deprecated[name]
    for move in ctx.settings.moves.get(name, ()):
        if prefix == move.old_module:
            return move
    return None


def _names_the_retired(node: ast.Constant, name: str, ctx: RuleContext) -> bool:
    """A bare string is the retired name when it is the attribute name of ``patch.object``,
    ``setattr``, ``getattr``, ``delattr`` or ``monkeypatch.setattr`` (on the name's module,
    for a qualified name), or an entry of the module's ``__all__`` (re-exporting it). In
    ``hasattr``, comparisons, ``in`` tests, lists of patterns or messages it is only text."""
    facts = ctx.facts
    modules = facts.qualified.get(name)
    if name not in facts.deprecated and not modules:
        return False
    owner = facts.name_strings.get(id(node))
    if owner is not None:
        return name in facts.deprecated or (
            modules is not None and facts.comes_from(owner, modules)
        )
    if any(entry is node for entry in facts.all_entries):
        scope = facts.module_scope
        imported = scope is not None and (id(scope), name) in facts.retired_imports
        return name in facts.deprecated or imported
    return False


def _owner_is_a_module(node: ast.Constant, name: str, frame: Frame, ctx: RuleContext) -> bool:
    """``getattr(mod, "D")``, ``patch.object(mod, "D")``...: renaming the attribute is safe only
    on a module (a class or an object under test need not have the new name). An ``__all__``
    entry has no owner: the module's own name."""
    owner = ctx.facts.name_strings.get(id(node))
    modules = ctx.facts.qualified.get(name, ())
    return owner is None or ctx.facts.is_a_module(owner, frame.scope, modules)


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
