"""Which statements the analysis must visit.

A statement whose lines spell none of the watched names, factory classes or import aliases of
them can hold no finding, and cannot make any name a factory either (that takes a call of a
watched name or an annotation naming a class). Skipping such statements (functions and
classes included) is what keeps a large matching file cheap: in a typical module only a few
statements mention the factory.

Lines are a conservative unit: two statements on one line are both visited.
"""

from __future__ import annotations

import ast
import bisect
import re
from typing import List, Sequence

from flake8_ssot_factory.settings import Settings


class Focus:
    def __init__(self, lines: Sequence[str], settings: Settings) -> None:
        text = "".join(lines)
        names = {*settings.watched_names, *settings.factory_classes}
        pattern = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
        # ``from m import D as g`` makes ``g`` name D: its uses need a visit too.
        aliases = re.findall(rf"\b(?:{pattern})\s+as\s+([^\W\d]\w*)", text)
        needles = re.compile("|".join(map(re.escape, sorted({*names, *aliases}))))
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line))
        self._marked: List[int] = sorted(
            {bisect.bisect_right(starts, match.start()) for match in needles.finditer(text)}
        )

    def worth_visiting(self, statement: ast.stmt) -> bool:
        first = min([statement.lineno, *(d.lineno for d in _decorators(statement))])
        last = statement.end_lineno or statement.lineno
        index = bisect.bisect_left(self._marked, first)
        return index < len(self._marked) and self._marked[index] <= last


def _decorators(statement: ast.stmt) -> List[ast.expr]:
    return list(getattr(statement, "decorator_list", ()))
