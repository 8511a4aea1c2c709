"""SSF001: a deprecated factory is imported (for a move: imported from its old module)."""

from __future__ import annotations

import ast
import re
from typing import Iterator, List, Optional

from flake8_ssot_factory.config.migrations import REPORT, Migration
from flake8_ssot_factory.engine.findings import Finding
from flake8_ssot_factory.engine.fixes import NO_REMEDY, Edit, Fix, Remedy
from flake8_ssot_factory.engine.rules import RuleContext, migration_params
from flake8_ssot_factory.engine.scanning import run_end, spaces_end
from flake8_ssot_factory.engine.scopes import Frame

REPORT_ONLY = "report only: this migration has no automatic replacement"
#: The module of ``from <module> import``, when it is written without spaces inside.
_MODULE = re.compile(r"[\w.]*")


def deprecated_imports(node: ast.AST, frame: Frame, ctx: RuleContext) -> Iterator[Finding]:
    assert isinstance(node, ast.ImportFrom)
    settings, facts = ctx.settings, ctx.facts
    retired = [facts.imports_retired(node, a.name) for a in node.names]
    if not any(retired) and not any(a.name in settings.moves for a in node.names):
        return
    spans = ctx.lines.imported_name_spans(node)
    for index, (alias, (start, _)) in enumerate(zip(node.names, spans)):
        line, col = start
        migration = settings.by_deprecated.get(alias.name) if retired[index] else None
        if migration is not None:
            remedy = _planned(alias, migration, ctx)
            params = migration_params(migration, alias.name)
            yield Finding.make(line, col, "SSF001", params, remedy)
            continue
        moved = ctx.facts.move_of_import(node, alias.name)
        if moved is not None:
            remedy = _move_remedy(node, moved, ctx) if ctx.contexts else NO_REMEDY
            yield Finding.make(line, col, "SSF001", migration_params(moved, alias.name), remedy)


def _planned(alias: ast.alias, migration: Migration, ctx: RuleContext) -> Remedy:
    """What becomes of an import depends on every use of its name in the module, so the fixer
    plans the edit (fix_plan.py); the finding only says it can be planned."""
    if ctx.contexts is None:
        return NO_REMEDY
    if migration.shape == REPORT:
        return Remedy.unfixable(REPORT_ONLY)
    return Remedy(Fix(()), "", alias.asname or alias.name)


def _move_remedy(node: ast.ImportFrom, move: Migration, ctx: RuleContext) -> Remedy:
    """``from old import f`` becomes ``from new import f``. When the statement imports other
    names from the old module too, the moved ones go to a statement of their own below it."""
    # One fix moves every name of the statement together: each moved name's finding carries
    # it (the fixer makes it once, and leaves them all when one of them must stay).
    moved = [i for i, a in enumerate(node.names) if a.name in move.deprecated]
    new_module = _new_module_text(node, move)
    if len(moved) == len(node.names):
        span = _module_span(node, ctx)
        if span is None:
            return Remedy.unfixable("the import is written in a way the fixer does not read")
        return Remedy(Fix((Edit(span[0], span[1], new_module),)))
    return _split(node, moved, new_module, ctx)


def _new_module_text(node: ast.ImportFrom, move: Migration) -> str:
    """The new module as this import should write it: relative when the old one was written
    relative and the new one is in the same package."""
    if node.level == 0:
        return move.new_module
    written = (node.module or "").split(".") if node.module else []
    package = move.old_module.split(".")[: -len(written) or None]
    new = move.new_module.split(".")
    if package and new[: len(package)] == package and len(new) > len(package):
        return "." * node.level + ".".join(new[len(package) :])
    return move.new_module


def _module_span(
    node: ast.ImportFrom, ctx: RuleContext
) -> Optional[tuple[tuple[int, int], tuple[int, int]]]:
    start = ctx.lines.node_start(node)
    text = ctx.lines.text_between(start, ctx.lines.node_end(node))
    module_at = spaces_end(text, len("from"))
    module_end = run_end(_MODULE, text, module_at)
    import_at = spaces_end(text, module_end)
    written = module_at > len("from") and import_at > module_end > module_at
    if not (written and text.startswith("import", import_at)):
        return None  # spaces or continuations inside the module's name: not rewritten
    first = _advance(start, text[:module_at])
    return first, _advance(first, text[module_at:module_end])


def _advance(position: tuple[int, int], text: str) -> tuple[int, int]:
    line, col = position
    breaks = re.findall(r"\r\n|\r|\n", text)
    if not breaks:
        return line, col + len(text)
    tail = re.split(r"\r\n|\r|\n", text)[-1]
    return line + len(breaks), len(tail)


def _split(node: ast.ImportFrom, moved: List[int], new_module: str, ctx: RuleContext) -> Remedy:
    """Drop the moved names from the statement; import them from the new module below it."""
    from flake8_ssot_factory.engine.import_edits import StatementChange, statement_edits

    start, end = ctx.lines.node_start(node), ctx.lines.node_end(node)
    first_line = ctx.lines.text(start[0])
    indent = first_line[: start[1]]
    rest = ctx.lines.text(end[0])[end[1] :]
    if indent.strip() or (
        rest.strip() not in ("", "\r", "\n") and not rest.lstrip().startswith("#")
    ):
        return Remedy.unfixable("the import shares its line with other code; move it by hand")
    names = ", ".join(
        f"{a.name} as {a.asname}" if a.asname else a.name
        for i, a in enumerate(node.names)
        if i in moved
    )
    ending = ctx.lines.text(end[0])[len(ctx.lines.text(end[0]).rstrip("\r\n")) :] or "\n"
    change = StatementChange(drops=list(moved))
    edits = statement_edits(node, change, ctx.lines, ast.Module(body=[node], type_ignores=[]))
    line_end = (end[0], len(ctx.lines.text(end[0]).rstrip("\r\n")))
    addition = Edit.insert(line_end, f"{ending}{indent}from {new_module} import {names}")
    return Remedy(Fix((*edits, addition)))
