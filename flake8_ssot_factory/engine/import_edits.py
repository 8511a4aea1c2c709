"""Text edits on one ``from m import ...`` statement: rename names, drop names, add names, or
drop the statement, touching nothing else (comments, parentheses, trailing commas stay).
"""

from __future__ import annotations

import ast
import dataclasses
from typing import Dict, List, Optional, Sequence, Tuple

from flake8_ssot_factory.engine.fixes import Edit, Position
from flake8_ssot_factory.engine.positions import Lines

Span = Tuple[Position, Position]


@dataclasses.dataclass
class StatementChange:
    """What happens to one import statement: per name (by index) a new name or a drop, and
    names to add after the last name kept."""

    renames: Dict[int, str] = dataclasses.field(default_factory=dict)
    drops: List[int] = dataclasses.field(default_factory=list)
    additions: List[str] = dataclasses.field(default_factory=list)


def statement_edits(
    statement: ast.ImportFrom, change: StatementChange, lines: Lines, tree: ast.AST
) -> List[Edit]:
    spans = lines.imported_name_spans(statement)
    dropped = sorted(set(change.drops))
    kept = [index for index in range(len(spans)) if index not in dropped]
    if not kept:
        return [drop_statement(statement, lines, tree)]
    edits: List[Edit] = []
    for index, name in change.renames.items():
        start = spans[index][0]
        old = statement.names[index].name
        edits.append(Edit(start, (start[0], start[1] + len(old)), name))
    for run in _runs(dropped):
        edits.append(_drop_run(spans, run, lines))
    if change.additions:
        anchor = spans[kept[-1]][1]
        text = "".join(f", {name}" for name in change.additions)
        edits.append(Edit.insert(anchor, text))
    return _merged(edits)


def _runs(indexes: Sequence[int]) -> List[List[int]]:
    runs: List[List[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _drop_run(spans: List[Span], run: List[int], lines: Lines) -> Edit:
    """Drop the names ``run`` (consecutive, not all of them) with their commas."""
    first, last = run[0], run[-1]
    if all(_alone_on_line(spans[i], lines) for i in run):
        return Edit((spans[first][0][0], 0), (spans[last][1][0] + 1, 0), "")
    if last + 1 < len(spans):
        return Edit(spans[first][0], spans[last + 1][0], "")  # "D, " up to the next name
    return Edit(spans[first - 1][1], spans[last][1], "")  # ", D" after the previous name


def _alone_on_line(span: Span, lines: Lines) -> bool:
    """A name on a line of its own in a parenthesised import (a comma and comment may follow)."""
    (line, start), (end_line, end) = span
    text = lines.text(line)
    if end_line != line or text[:start].strip():
        return False
    rest = text[end:].strip()
    rest = rest[1:].strip() if rest.startswith(",") else rest
    return rest == "" or rest.startswith("#")


def drop_statement(statement: ast.stmt, lines: Lines, tree: ast.AST) -> Edit:
    """Remove a statement. Alone in its block it becomes ``pass``; beside another statement on
    the same line, it goes with its semicolon; else its lines go."""
    start, end = lines.node_start(statement), lines.node_end(statement)
    block = _block_of(statement, tree)
    module_body = tree.body if isinstance(tree, ast.Module) else None
    if block is not None and len(block) == 1 and block is not module_body:
        return Edit(start, end, "pass")  # a block cannot be empty
    index = next((i for i, s in enumerate(block or []) if s is statement), None)
    if block is not None and index is not None:
        if index + 1 < len(block) and block[index + 1].lineno == end[0]:
            return Edit(start, lines.node_start(block[index + 1]), "")
        if index > 0 and (block[index - 1].end_lineno or 0) == start[0]:
            return Edit(lines.node_end(block[index - 1]), end, "")
    before = lines.text(start[0])[: start[1]]
    if before.strip():  # after a block header on the same line: ``if x: from m import D``
        return Edit(start, end, "pass")
    return Edit((start[0], 0), (end[0] + 1, 0), "")


def _block_of(statement: ast.stmt, tree: ast.AST) -> Optional[List[ast.stmt]]:
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list) and any(item is statement for item in block):
                return block
    return None


def _merged(edits: List[Edit]) -> List[Edit]:
    """An insertion where a removal starts becomes part of it, so that the two never collide."""
    insertions = {e.start: e for e in edits if e.start == e.end}
    merged: List[Edit] = []
    for edit in edits:
        if edit.start == edit.end:
            continue
        extra = insertions.pop(edit.start, None)
        merged.append(edit if extra is None else Edit(edit.start, edit.end, extra.text + edit.text))
    return sorted(merged + list(insertions.values()))
