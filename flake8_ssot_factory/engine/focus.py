"""Which statements the analysis must visit.

A statement whose lines spell none of the watched names, factory classes or import aliases of
them can hold no finding, and cannot make any name a factory either (that takes a call of a
watched name or an annotation naming a class). Skipping such statements (functions and
classes included) is what keeps a large matching file cheap: in a typical module only a few
statements mention the factory.

One thing a skipped statement can still do is bind a name: ``factory = Mock()`` in a function
shadows a module-level ``factory = get_agent_instance_factory()``. A binding spells the name,
so once the first pass knows which variable names hold factories, statements spelling them are
visited too (``more_names``). That second pass finds no new factory: what it adds spells no
watched name, class or alias.

Lines are a conservative unit: two statements on one line are both visited.
"""

from __future__ import annotations

import ast
import bisect
import re
from typing import Dict, Iterable, List, Pattern

from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.engine.positions import Lines


class Focus:
    def __init__(
        self,
        lines: Lines,
        settings: Settings,
        more_names: Iterable[str] = (),
        with_contexts: bool = False,
    ) -> None:
        """``with_contexts``: the fixer's remedies also need the imports of the context types
        (an alias of one makes an annotated parameter a context)."""
        text = lines.source()
        names = {*settings.watched_names, *settings.class_migration}
        context = {*settings.context_types, *settings.context_keywords} if with_contexts else ()
        pattern = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
        # ``from m import D as g`` makes ``g`` name D: its uses need a visit too. Between the
        # name, ``as`` and the alias Python allows spaces, newlines (in parentheses), comments
        # and backslash continuations.
        gap = r"(?:\s|\\(?:\r\n|\r|\n)|#[^\r\n]*)+"
        aliases = re.findall(rf"\b(?:{pattern}){gap}as{gap}([^\W\d]\w*)", text)
        # The variables a factory is assigned to (``factory = D()``, ``f: Factory``) must be
        # seen wherever they are re-bound. Read off the text, they spare the second pass of
        # the analysis (which still runs when this misses one: an assignment over lines).
        makers = "|".join(
            map(re.escape, sorted({*settings.maker_names, *aliases}, key=len, reverse=True))
        )
        maker_lines = "\n".join(_lines_spelling(re.compile(rf"\b(?:{makers})\b"), text))
        predicted = re.findall(
            rf"\b([^\W\d]\w*)\s*(?::[^=\n]*?)?:?=(?!=)[^\n]*?\b(?:{makers})\b", maker_lines
        ) + re.findall(rf"\b([^\W\d]\w*)\s*:\s*[^,)=\n]*\b(?:{makers})\b", maker_lines)
        self.names = frozenset({*names, *context, *aliases, *more_names, *predicted})
        # Whole words: an identifier is never written inside a longer one.
        alternatives = "|".join(map(re.escape, sorted(self.names, key=len, reverse=True)))
        needles = re.compile(rf"\b(?:{alternatives})\b")
        self._marked: List[int] = sorted(
            {lines.line_at(match.start()) for match in needles.finditer(text)}
        )

    def worth_visiting(self, statement: ast.stmt) -> bool:
        first = min([statement.lineno, *(d.lineno for d in _decorators(statement))])
        last = statement.end_lineno or statement.lineno
        index = bisect.bisect_left(self._marked, first)
        return index < len(self._marked) and self._marked[index] <= last


def _lines_spelling(names: Pattern[str], text: str) -> List[str]:
    """The lines of ``text`` in which ``names`` match (found by the names, then cut out: a
    pattern that spans the line around them would backtrack over every line)."""
    found: Dict[int, str] = {}
    for match in names.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        if start not in found:
            end = text.find("\n", match.end())
            found[start] = text[start : end if end >= 0 else len(text)]
    return list(found.values())


def _decorators(statement: ast.stmt) -> List[ast.expr]:
    return list(getattr(statement, "decorator_list", ()))
