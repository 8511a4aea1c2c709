"""SSF002 and SSF003: a deprecated factory called, or used as a value."""

from __future__ import annotations

import ast
from typing import Dict, Iterator, Optional, Tuple

from flake8_ssot_factory.config.migrations import CONTEXT, RENAME, Migration
from flake8_ssot_factory.engine.findings import Finding
from flake8_ssot_factory.engine.fixes import NO_REMEDY, Edit, Fix, Remedy
from flake8_ssot_factory.engine.module_names import dotted_name
from flake8_ssot_factory.engine.rules import RuleContext, migration_params
from flake8_ssot_factory.engine.rules.imports import REPORT_ONLY
from flake8_ssot_factory.engine.scopes import Frame

NEGATIVE_TEST = "a deliberate negative test (inside pytest.raises)"
REFERENCE = "a reference, not a call: what it should become depends on where it is called"
MODULE_ATTRIBUTE = "used through its old module; import it from the new module by hand"
ANOTHER_OBJECT = "a method of another object: only a name imported from its module is renamed"


def deprecated_calls(node: ast.AST, frame: Frame, ctx: RuleContext) -> Iterator[Finding]:
    assert isinstance(node, ast.Call)
    found = _retired(node.func, frame, ctx)
    if found is not None:
        deprecated, migration, params = found
        line, col = ctx.name_start(node.func)
        remedy = (
            _call_remedy(node, frame, ctx, deprecated, migration) if ctx.contexts else NO_REMEDY
        )
        yield Finding.make(line, col, "SSF002", params, remedy)


def _retired(
    expr: ast.expr, frame: Frame, ctx: RuleContext
) -> Optional[Tuple[str, Migration, Dict[str, str]]]:
    """The retired name ``expr`` names where it stands, its migration and message placeholders."""
    deprecated = ctx.facts.deprecated_name(expr, frame.scope)
    if deprecated is not None:
        migration = ctx.settings.by_deprecated[deprecated]
        return deprecated, migration, migration_params(migration, deprecated)
    moved = ctx.facts.moved_name(expr)
    if moved is not None:
        name, move = moved
        return name, move, migration_params(move, name)
    return None


def _call_remedy(
    node: ast.Call, frame: Frame, ctx: RuleContext, deprecated: str, migration: Migration
) -> Remedy:
    """``D()`` becomes ``R(ctx)`` (a context migration) or ``R(same arguments)`` (a rename);
    ``g()``, g imported as D, keeps its name or becomes R as the fixer decides with the import
    (see fix_plan.py); ``mod.D()`` becomes ``mod.R(...)``."""
    local = _local_name(node.func)
    if migration.shape not in (CONTEXT, RENAME):
        return Remedy.unfixable(MODULE_ATTRIBUTE if migration.old_module else REPORT_ONLY, local)
    replacement = migration.replacement
    if frame.in_raises_block:
        return Remedy.unfixable(NEGATIVE_TEST, local)
    edits = []
    if migration.shape == CONTEXT:
        if node.args or node.keywords:
            reason = f"the call passes arguments; {replacement}() takes only a user context"
            return Remedy.unfixable(reason, local)
        assert ctx.contexts is not None
        context, reason = ctx.contexts.find(
            node, frame.scope, migration.context_keyword, migration.context_type
        )
        if context is None:
            return Remedy.unfixable(reason, local)
        edits.append(Edit.insert(ctx.lines.closing_paren(node), context))
    return _renamed(node.func, replacement, edits, ctx, local, frame)


def _renamed(
    expr: ast.expr,
    replacement: str,
    edits: list[Edit],
    ctx: RuleContext,
    local: Optional[str],
    frame: Frame,
) -> Remedy:
    """The fix with ``expr`` (``D`` or ``mod.D``) naming the replacement: an attribute is
    renamed here, when its receiver is a module the file imports (``obj.D()``, ``self.D()``
    are methods of other objects: renaming them would call a method they may not have); a
    bare name is left to the fixer, which knows what its import becomes."""
    if isinstance(expr, ast.Attribute):
        if not _names_an_imported_module(expr.value, frame, ctx):
            return Remedy.unfixable(ANOTHER_OBJECT, local)
        rename = Edit(ctx.lines.attribute_name_start(expr), ctx.lines.node_end(expr), replacement)
        return Remedy(Fix((rename, *edits), via_module=dotted_name(expr.value)))
    callee = (ctx.lines.node_start(expr), ctx.lines.node_end(expr))
    return Remedy(Fix(tuple(edits), callee=callee), "", local)


def deprecated_references(node: ast.AST, frame: Frame, ctx: RuleContext) -> Iterator[Finding]:
    assert isinstance(node, (ast.Name, ast.Attribute))
    if id(node) in ctx.facts.callees:
        return  # a call: SSF002's
    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        return  # binding a local name is a definition, not a use
    found = _retired(node, frame, ctx)
    if found is not None:
        _, migration, params = found
        line, col = ctx.name_start(node)
        remedy = _reference_remedy(node, migration, ctx, frame)
        yield Finding.make(line, col, "SSF003", params, remedy)


def _reference_remedy(
    node: ast.expr, migration: Migration, ctx: RuleContext, frame: Frame
) -> Remedy:
    """A renamed function takes the same arguments, so a reference to it can be renamed too;
    a context factory's cannot (who calls it later has to pass the context)."""
    local = _local_name(node)
    if ctx.contexts is None:
        return NO_REMEDY
    if migration.shape == RENAME:
        return _renamed(node, migration.replacement, [], ctx, local, frame)
    if migration.shape == CONTEXT:
        return Remedy.unfixable(REFERENCE, local)
    return Remedy.unfixable(MODULE_ATTRIBUTE if migration.old_module else REPORT_ONLY, local)


def _names_an_imported_module(receiver: ast.expr, frame: Frame, ctx: RuleContext) -> bool:
    """Whether ``receiver`` (``aif``, ``pkg.mod``) starts with a name the module's imports
    bind, and which no nearer scope binds otherwise."""
    root = receiver
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name):
        return False
    binding = frame.scope.binding_scope(root.id)
    imported = ctx.facts.module_imports()
    return root.id in imported and (binding is None or binding.is_module)


def _local_name(expr: ast.expr) -> Optional[str]:
    """The module-level name a bare use depends on (its import); None for ``obj.attr``."""
    return expr.id if isinstance(expr, ast.Name) else None
