"""What ``ssot-factory fix`` says on stderr when it is done."""

from __future__ import annotations

import collections
import dataclasses
from typing import TYPE_CHECKING, List, Optional, Sequence

from flake8_ssot_factory import PROG
from flake8_ssot_factory.run.printable import shown_path
from flake8_ssot_factory.run.wording import LIST_AT_MOST, plural

if TYPE_CHECKING:  # imported for their types only
    from flake8_ssot_factory.fixer.baseline import Judged
    from flake8_ssot_factory.fixer.files import FileFix


@dataclasses.dataclass(frozen=True)
class FixSummary:
    text: str
    #: Files changed (or that would change), new findings left, or files that could not be
    #: fixed: what makes ``fix`` exit 1.
    needs_attention: bool


def fix_summary(
    results: Sequence[FileFix], wrote: bool, judged: Judged, show_left: Optional[bool] = None
) -> FixSummary:
    changed = [r for r in results if r.changed]
    fixed = collections.Counter(
        f.code for r in changed if r.outcome is not None for f in r.outcome.fixed
    )
    new = judged.new
    skipped = [r for r in results if r.skipped]
    verb = "rewrote" if wrote else "would rewrite"
    lines: List[str] = []
    if changed:
        per_code = ", ".join(f"{code} {count}" for code, count in sorted(fixed.items()))
        lines.append(
            f"{PROG}: {verb} {plural(len(changed), 'file')}, "
            f"fixing {plural(sum(fixed.values()), 'finding')} ({per_code})"
        )
    else:
        lines.append(f"{PROG}: nothing to rewrite")
    if new:
        reasons = collections.Counter((item.finding.code, item.reason) for item in new)
        lines.append(f"{PROG}: {plural(len(new), 'finding')} left:")
        lines += [
            f"  {code} {count:>5}  {reason}" for (code, reason), count in sorted(reasons.items())
        ]
        if show_left or (show_left is None and len(new) <= LIST_AT_MOST):
            lines += [
                f"{shown_path(item.path)}:{item.finding.line}:{item.finding.col + 1}: "
                f"{item.finding.code} {item.reason}{f' ({item.detail})' if item.detail else ''}"
                for item in sorted(new, key=lambda item: (item.path, item.finding))
            ]
    recorded = len(judged.left) - len(new)
    if recorded:
        lines.append(
            f"{PROG}: {plural(recorded, 'finding')} left "
            f"{'is' if recorded == 1 else 'are'} recorded in the baseline"
        )
    unchecked = collections.Counter(
        name for r in changed if r.outcome is not None for name in r.outcome.unchecked
    )
    lines += [
        f"{PROG}: {plural(count, 'rewritten call')} of {name} not checked against its "
        f"signature: {name} is not defined (def) in the files fixed"
        for name, count in sorted(unchecked.items())
    ]
    lines += [f"{PROG}: not fixed: {shown_path(r.path)}: {r.skipped}" for r in skipped]
    text = "".join(line + "\n" for line in lines)
    return FixSummary(text, bool(changed or new or skipped))
