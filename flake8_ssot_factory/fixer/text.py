"""Applying fixes to a module's text: plan, edit, verify. Pure: text in, text out.

A fixer that corrupts one file in a thousand is worse than none, so every step is timid: the
plan (fix_plan.py) keeps every name defined, and the rewritten text must parse, must have lost
exactly the findings that were fixed, and must not add a pyflakes message (flakes_gate.py).
Otherwise the module is left as it was, with the reason.
"""

from __future__ import annotations

import ast
import bisect
import collections
import dataclasses
import re
from typing import Iterable, List, Optional, Sequence, Tuple

from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.engine.analysis import analyze_module
from flake8_ssot_factory.engine.findings import Finding
from flake8_ssot_factory.engine.fixes import Edit
from flake8_ssot_factory.engine.positions import Lines, split_lines
from flake8_ssot_factory.engine.reported import reported_findings
from flake8_ssot_factory.fixer.constraints import NO_CONSTRAINTS, Constraints
from flake8_ssot_factory.fixer.gate import new_messages
from flake8_ssot_factory.fixer.interface import NOTHING, Interface, interface_of
from flake8_ssot_factory.fixer.plan import Leftover, plan_fixes
from flake8_ssot_factory.run.source import parse_source, parsed

__all__ = ["Leftover", "TextFix", "apply_edits", "fix_text"]


@dataclasses.dataclass(frozen=True)
class TextFix:
    """The outcome for one module. ``text`` is the input itself when nothing was changed."""

    text: str
    fixed: Tuple[Finding, ...] = ()
    left: Tuple[Leftover, ...] = ()
    #: Why the module was left untouched as a whole (it does not parse, or the rewrite failed
    #: its own check).
    error: Optional[str] = None
    #: The findings ``check`` reports in ``text`` when it was rewritten: the leftovers, at
    #: their new places (in the same order).
    after: Tuple[Finding, ...] = ()
    #: What the module offers and needs before and after (for the cross-file check).
    before: Interface = NOTHING
    after_interface: Interface = NOTHING
    #: The replacement of each rewritten call that no definition in the tree could check.
    unchecked: Tuple[str, ...] = ()
    #: Each leftover's detail as it reads in ``text`` when it was rewritten ("line 7" where
    #: the original said "line 6").
    details_after: Tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.fixed)


#: Why a module is left when a step of the fix or its proof (pyflakes recurses) runs out of
#: stack: Python parses it, but the rewrite could not be checked.
TOO_DEEP = "too deeply nested to verify"


def fix_text(
    text: str,
    settings: Settings,
    unsafe: bool = False,
    constraints: Constraints = NO_CONSTRAINTS,
) -> TextFix:
    try:
        return _fix_text(text, settings, unsafe, constraints)
    except RecursionError:
        return TextFix(text, error=TOO_DEEP)


def _fix_text(text: str, settings: Settings, unsafe: bool, constraints: Constraints) -> TextFix:
    lines = split_lines(text)
    tree = parse_source(text)
    if isinstance(tree, RecursionError):  # Python runs it; its ast module cannot build it
        return TextFix(text, error="too deeply nested for Python's ast module (RecursionError)")
    if not isinstance(tree, ast.Module):
        return TextFix(text, error="does not parse")
    analysis = analyze_module(tree, settings, lines, remedies=True)
    reported = reported_findings(analysis, text, lines)
    assert analysis.facts is not None
    before = interface_of(tree, analysis.facts)
    plan = plan_fixes(tree, analysis.facts, reported, Lines(lines), settings, unsafe, constraints)
    if not plan.fixed:
        return TextFix(text, (), tuple(plan.left), before=before, after_interface=before)
    rewritten = apply_edits(text, plan.edits)
    problem, after, after_interface = verify(tree, reported, plan.fixed, rewritten, settings)
    if problem is not None:
        every = tuple(Leftover(f, f"not fixed: {problem}") for f in reported)
        return TextFix(text, (), every, error=problem, before=before, after_interface=before)
    return TextFix(
        rewritten,
        tuple(plan.fixed),
        tuple(plan.left),
        None,
        tuple(after),
        before,
        after_interface,
        plan.unchecked,
        tuple(map(LineMap(plan.edits).detail, (item.detail for item in plan.left))),
    )


_LINES_DETAIL = re.compile(r"line (\d+(?:, \d+)*)\Z")


class LineMap:
    """Where each line of a text stands once non-overlapping ``edits`` are applied (a line an
    edit replaced: where that edit starts). Each look-up is a binary search, so a file with
    thousands of edits and leftovers is mapped in n log n, not n squared."""

    def __init__(self, edits: Iterable[Edit]) -> None:
        ordered = sorted(edits)
        self._starts = [edit.start[0] for edit in ordered]
        self._ends = [edit.end[0] for edit in ordered]
        self._shifts = [0]  # lines added by the edits before each one
        for edit in ordered:
            added = edit.text.count("\n") - (edit.end[0] - edit.start[0])
            self._shifts.append(self._shifts[-1] + added)

    def __call__(self, line: int) -> int:
        before = bisect.bisect_left(self._ends, line)  # the edits that end above the line
        shift = self._shifts[before]
        if before < len(self._starts) and self._starts[before] < line:
            return self._starts[before] + shift  # inside that edit
        return line + shift

    def detail(self, detail: str) -> str:
        """A detail that names lines (``line 5, 9``), naming where they now stand."""
        named = _LINES_DETAIL.match(detail)
        if named is None:
            return detail
        moved = sorted({self(int(n)) for n in named.group(1).split(", ")})
        return "line " + ", ".join(map(str, moved))


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with ``edits`` applied; positions are (line, character column)."""
    offset = Lines(split_lines(text)).offset
    spans = sorted((offset(e.start), offset(e.end), e.text) for e in edits)
    pieces: List[str] = []
    done = 0
    for start, end, replacement in spans:
        if start < done:  # overlapping edits: applied last to first, as they always were
            return _apply_one_by_one(text, spans)
        pieces += (text[done:start], replacement)
        done = end
    pieces.append(text[done:])
    # One join: a slice and a concatenation per edit copied the text once per edit.
    return "".join(pieces)


def _apply_one_by_one(text: str, spans: List[Tuple[int, int, str]]) -> str:
    for start, end, replacement in reversed(spans):
        text = text[:start] + replacement + text[end:]
    return text


def verify(
    before: ast.Module,
    reported: Sequence[Finding],
    fixed: Sequence[Finding],
    rewritten: str,
    settings: Settings,
) -> Tuple[Optional[str], List[Finding], Interface]:
    """(None, the findings left, the module's interface) when ``rewritten`` parses, has lost
    exactly the fixed findings and adds no pyflakes message; else (why not, [], NOTHING)."""
    after = parsed(rewritten)
    if after is None:
        return "the rewritten text does not parse", [], NOTHING
    lines = split_lines(rewritten)
    analysis = analyze_module(after, settings, lines)
    left = reported_findings(analysis, rewritten, lines)
    expected = collections.Counter(f.code for f in reported)
    expected.subtract(f.code for f in fixed)
    if +expected != +collections.Counter(f.code for f in left):
        return "the rewrite did not remove exactly the findings it fixed", [], NOTHING
    assert analysis.facts is not None
    interface = interface_of(after, analysis.facts)
    try:
        added = new_messages(before, after, settings.renames)
    except RecursionError:
        return TOO_DEEP, [], NOTHING
    if added:
        return f"the rewrite would add a pyflakes message ({added[0]})", [], NOTHING
    return None, left, interface
