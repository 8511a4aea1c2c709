"""``fix`` during a baselined migration: which findings left are new, and the baseline after.

A finding left that the baseline records does not make ``fix`` fail, as it does not make
``check`` fail. When ``fix`` rewrites a line that holds a recorded finding it did not fix (an
import that keeps the old name and gains the new one), the entry follows the line to its new
text; entries of findings it fixed are dropped (the baseline only ever shrinks).
"""

from __future__ import annotations

import collections
import dataclasses
from typing import Counter, Dict, List, Mapping, Optional, Sequence

from flake8_ssot_factory.engine.findings import Finding
from flake8_ssot_factory.engine.positions import Lines, split_lines
from flake8_ssot_factory.fixer.files import FileFix
from flake8_ssot_factory.fixer.plan import Leftover
from flake8_ssot_factory.run.baseline import Baseline, Key, take


@dataclasses.dataclass(frozen=True)
class LeftFinding:
    path: str
    finding: Finding
    reason: str
    detail: str
    #: Recorded in the baseline: it does not make the run fail.
    recorded: bool


@dataclasses.dataclass(frozen=True)
class Judged:
    left: List[LeftFinding]
    #: The baseline's counts after the files were rewritten; None without a baseline.
    counts: Optional[Mapping[Key, int]] = None
    removed: int = 0
    moved: int = 0

    @property
    def new(self) -> List[LeftFinding]:
        return [item for item in self.left if not item.recorded]


def judge(results: Sequence[FileFix], baseline: Optional[Baseline]) -> Judged:
    """The findings left, each where it stands in the file as the run leaves it (a rewritten
    file's at its new line and column)."""
    if baseline is None:
        left = [
            LeftFinding(result.path, now, item.reason, detail, False)
            for result in results
            if result.outcome is not None
            for item, now, detail in zip(result.outcome.left, _as_left(result), _details(result))
        ]
        return Judged(left)
    #: Entries not yet taken by a finding (two identical lines need two entries).
    available: Counter[Key] = collections.Counter(baseline.counts)
    updated: Counter[Key] = collections.Counter(baseline.counts)
    left = []
    removed = moved = 0
    for result in results:
        outcome = result.outcome
        if outcome is None:
            continue
        before = Lines(split_lines(result.original))
        old_keys = [_key(baseline, result.path, item.finding, before) for item in outcome.left]
        recorded: List[Optional[Key]] = []
        for item, key, now, detail in zip(
            outcome.left, old_keys, _as_left(result), _details(result)
        ):
            entry = take(available, key)
            recorded.append(entry)
            taken = entry is not None
            left.append(LeftFinding(result.path, now, item.reason, detail, taken))
        if not result.written:
            continue
        for finding in outcome.fixed:
            entry = take(available, _key(baseline, result.path, finding, before))
            if entry is not None:
                updated[entry] -= 1
                removed += 1
        after = Lines(split_lines(outcome.text))
        for entry, now in zip(recorded, _same_order(outcome.left, outcome.after)):
            if entry is not None:
                new_key = _key(baseline, result.path, now, after)
                updated[entry] -= 1
                updated[new_key] += 1
                moved += new_key != entry
    counts = {key: n for key, n in updated.items() if n > 0}
    return Judged(left, counts, removed, moved)


def _key(baseline: Baseline, path: str, finding: Finding, lines: Lines) -> Key:
    migration = dict(finding.params).get("migration", "")
    return baseline.key(path, finding.code, lines.text(finding.line), migration)


def _as_left(result: FileFix) -> List[Finding]:
    """The findings left in the file as it is after the run: where a rewrite was written, at
    their new places; else where they were."""
    assert result.outcome is not None
    if result.written:
        return _same_order(result.outcome.left, result.outcome.after)
    return [item.finding for item in result.outcome.left]


def _details(result: FileFix) -> List[str]:
    """The details of the findings left, as they read in the file after the run."""
    assert result.outcome is not None
    if result.written:
        return list(result.outcome.details_after)
    return [item.detail for item in result.outcome.left]


def _same_order(left: Sequence[Leftover], after: Sequence[Finding]) -> List[Finding]:
    """Each finding left, as it stands after the rewrite: edits never reorder findings, so the
    n-th finding left of a code is the n-th of that code after."""
    by_code: Dict[str, List[Finding]] = collections.defaultdict(list)
    for finding in after:
        by_code[finding.code].append(finding)
    return [by_code[item.finding.code].pop(0) for item in left]
