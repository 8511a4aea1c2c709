"""What ``ssot-factory fix`` says on stderr when it is done."""

from __future__ import annotations

import collections
import dataclasses
from typing import Sequence

from flake8_ssot_factory.rewriting import FileFix
from flake8_ssot_factory.source import printable_path

PROG = "ssot-factory"


@dataclasses.dataclass(frozen=True)
class FixSummary:
    text: str
    #: Files changed (or that would change), findings left, or files that could not be fixed.
    needs_attention: bool


def fix_summary(results: Sequence[FileFix], wrote: bool) -> FixSummary:
    changed = [r for r in results if r.changed]
    fixed = collections.Counter(
        f.code for r in changed if r.outcome is not None for f in r.outcome.fixed
    )
    left = collections.Counter(
        (leftover.finding.code, leftover.reason)
        for r in results
        if r.outcome is not None
        for leftover in r.outcome.left
    )
    skipped = [r for r in results if r.skipped]
    verb = "rewrote" if wrote else "would rewrite"
    lines = []
    if changed:
        per_code = ", ".join(f"{code} {count}" for code, count in sorted(fixed.items()))
        lines.append(
            f"{PROG}: {verb} {len(changed)} files, "
            f"fixing {sum(fixed.values())} findings ({per_code})"
        )
    else:
        lines.append(f"{PROG}: nothing to rewrite")
    if left:
        lines.append(f"{PROG}: {sum(left.values())} findings left:")
        lines += [
            f"  {code} {count:>5}  {reason}" for (code, reason), count in sorted(left.items())
        ]
    lines += [f"{PROG}: not fixed: {printable_path(r.path)}: {r.skipped}" for r in skipped]
    text = "".join(line + "\n" for line in lines)
    return FixSummary(text, bool(changed or left or skipped))
