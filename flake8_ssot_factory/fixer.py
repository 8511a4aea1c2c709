"""Applying fixes to a module's text: choose, edit, verify. Pure: text in, text out.

A fixer that corrupts one file in a thousand is worse than none, so every step is timid:
fixes that overlap are dropped, an import is rewritten only when no use of its name is left,
and the rewritten text must parse and must have lost exactly the findings that were fixed.
"""

from __future__ import annotations

import ast
import collections
import dataclasses
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from flake8_ssot_factory.findings import Finding
from flake8_ssot_factory.fixes import Edit
from flake8_ssot_factory.positions import Lines
from flake8_ssot_factory.reported import reported_analysis
from flake8_ssot_factory.settings import Settings
from flake8_ssot_factory.source import split_lines

IMPORT_CODE = "SSF001"
UNSAFE_NOT_REQUESTED = "unsafe fix not requested (--unsafe-fixes)"


@dataclasses.dataclass(frozen=True)
class Leftover:
    finding: Finding
    reason: str


@dataclasses.dataclass(frozen=True)
class TextFix:
    """The outcome for one module. ``text`` is the input itself when nothing was changed."""

    text: str
    fixed: Tuple[Finding, ...] = ()
    left: Tuple[Leftover, ...] = ()
    #: Why the module was left untouched as a whole (it does not parse, or the rewrite failed
    #: its own check).
    error: Optional[str] = None

    @property
    def changed(self) -> bool:
        return bool(self.fixed)


def fix_text(text: str, settings: Settings, unsafe: bool = False) -> TextFix:
    findings = visible_findings(text, settings)
    if findings is None:
        return TextFix(text, error="does not parse")
    chosen, left = choose(findings, unsafe)
    if not chosen:
        return TextFix(text, (), tuple(left))
    edits = [edit for finding in chosen for edit in finding.remedy.fix.edits]  # type: ignore[union-attr]
    rewritten = apply_edits(text, edits)
    problem = verify(findings, chosen, rewritten, settings)
    if problem is not None:
        every = tuple(Leftover(f, f"not fixed: {problem}") for f in findings)
        return TextFix(text, (), every, error=problem)
    return TextFix(rewritten, tuple(chosen), tuple(left))


def visible_findings(text: str, settings: Settings) -> Optional[List[Finding]]:
    """The findings ``check`` reports for ``text`` (``# noqa`` honoured); None if no parse."""
    lines = split_lines(text)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return reported_analysis(tree, text, lines, settings).findings


def choose(findings: Sequence[Finding], unsafe: bool) -> Tuple[List[Finding], List[Leftover]]:
    """The fixes to apply together, and every other finding with the reason it stays."""
    left: List[Leftover] = []
    candidates: List[Finding] = []
    for finding in findings:
        fix = finding.remedy.fix
        if fix is None:
            left.append(Leftover(finding, finding.remedy.reason))
        elif not fix.safe and not unsafe:
            left.append(Leftover(finding, UNSAFE_NOT_REQUESTED))
        else:
            candidates.append(finding)
    candidates, overlapping = _without_overlaps(candidates)
    left += overlapping
    candidates, unresolved = _with_names_resolved(findings, candidates)
    left += unresolved
    return candidates, sorted(left, key=lambda item: item.finding)


def _without_overlaps(candidates: List[Finding]) -> Tuple[List[Finding], List[Leftover]]:
    kept: List[Finding] = []
    left: List[Leftover] = []
    taken: List[Edit] = []
    for finding in candidates:
        edits = finding.remedy.fix.edits  # type: ignore[union-attr]
        if any(_collide(edit, other) for edit in edits for other in taken):
            left.append(Leftover(finding, "its fix overlaps another fix; run fix again"))
        else:
            kept.append(finding)
            taken += edits
    return kept, left


def _collide(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start  # two insertions at one place: their order would be a guess
    overlapping = a.start < b.end and b.start < a.end
    return overlapping or a.start == b.start  # an insertion where a replacement starts, too


def _with_names_resolved(
    findings: Sequence[Finding], candidates: List[Finding]
) -> Tuple[List[Finding], List[Leftover]]:
    """An import of D is rewritten only when every use of its local name is fixed too (else it
    stays, and so must those uses, which would otherwise name something no longer imported)."""
    chosen = set(map(id, candidates))
    uses: Dict[str, List[Finding]] = collections.defaultdict(list)
    imports: Dict[str, List[Finding]] = collections.defaultdict(list)
    for finding in findings:
        name = finding.remedy.local_name
        if name is not None:
            (imports if finding.code == IMPORT_CODE else uses)[name].append(finding)
    freed: Set[str] = {
        name
        for name, statements in imports.items()
        if all(id(s) in chosen for s in statements) and all(id(u) in chosen for u in uses[name])
    }
    kept: List[Finding] = []
    left: List[Leftover] = []
    for finding in candidates:
        name = finding.remedy.local_name
        fix = finding.remedy.fix
        assert fix is not None
        if name is None or name in freed:
            kept.append(finding)
        elif finding.code == IMPORT_CODE:
            left.append(Leftover(finding, f"{name} is still used in this file"))
        elif fix.replacement_bound:
            kept.append(finding)
        else:
            left.append(Leftover(finding, _unresolved_reason(finding, name, imports)))
    return kept, left


def _unresolved_reason(finding: Finding, name: str, imports: Dict[str, List[Finding]]) -> str:
    replacement = dict(finding.params).get("replacement", "the replacement")
    if name in imports:
        return f"the import of {name} stays (it is still used), so {replacement} would be undefined"
    return f"{replacement} is not imported in this module"


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with ``edits`` applied; positions are (line, character column)."""
    offset = Lines(split_lines(text)).offset
    result = text
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        result = result[: offset(edit.start)] + edit.text + result[offset(edit.end) :]
    return result


def verify(
    before: Sequence[Finding], fixed: Sequence[Finding], rewritten: str, settings: Settings
) -> Optional[str]:
    """None when ``rewritten`` parses and has lost exactly the fixed findings, else why not."""
    after = visible_findings(rewritten, settings)
    if after is None:
        return "the rewritten text does not parse"
    expected = collections.Counter(f.code for f in before)
    expected.subtract(f.code for f in fixed)
    found = collections.Counter(f.code for f in after)
    if +expected != +found:
        return "the rewrite did not remove exactly the findings it fixed"
    return None
