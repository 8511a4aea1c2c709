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
from typing import AbstractSet, Dict, Iterable, List, Set

from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.engine.positions import Lines
from flake8_ssot_factory.engine.prefilter import nfkc
from flake8_ssot_factory.engine.scanning import Gaps, identifier_at, occurrences

#: ``factory = D()``, ``(factory := D())``, ``f(factory=D())``: a word and an ``=`` that is not
#: ``==``. Each match starts at a word and the word's backtracking is bounded by its length.
_ASSIGNED = re.compile(r"\b([^\W\d]\w*)\s*:?=(?!=)")
#: ``factory: F = D()`` and ``factory: F`` (a parameter or a field): a word and a colon.
_COLON_AFTER = re.compile(r"\b([^\W\d]\w*)\s*:(?!=)")


class Focus:
    """The lines that spell a name the analysis must see, and the statements that hold them.

    Names are found with ``str.find`` (or one pass over the words, for many names), then the
    text right around each is read by scans that never go back (scanning.py): a pattern tried
    at every position of a large module costs more than parsing it, and one that backtracks
    can take forever.
    """

    def __init__(
        self,
        lines: Lines,
        settings: Settings,
        more_names: Iterable[str] = (),
        with_contexts: bool = False,
    ) -> None:
        """``with_contexts``: the fixer's remedies also need the imports of the context types
        (an alias of one makes an annotated parameter a context)."""
        # Names as Python reads them (a full-width letter is its ASCII one), line by line so
        # that each keeps its number.
        text = lines.source()
        if nfkc(text) is not text:
            lines = Lines([nfkc(line) for line in lines.lines])
            text = lines.source()
        names = {*settings.watched_names, *settings.class_migration}
        context = {*settings.context_types, *settings.context_keywords} if with_contexts else ()
        # ``from m import D as g`` makes ``g`` name D: its uses need a visit too.
        aliases = _aliases(text, lines, names)
        # The variables a factory is assigned to (``factory = D()``, ``f: Factory``) must be
        # seen wherever they are re-bound. Read off the text, they spare the second pass of
        # the analysis (which still runs when this misses one: an assignment over lines).
        predicted = _bound_before(text, lines, {*settings.maker_names, *aliases})
        self.names = frozenset({*names, *context, *aliases, *more_names, *predicted})
        self._marked: List[int] = sorted(
            {lines.line_at(at) for at, _ in occurrences(text, self.names)}
        )

    def worth_visiting(self, statement: ast.stmt) -> bool:
        if isinstance(statement, ast.ImportFrom) and statement.names[0].name == "*":
            return True  # ``from m import *`` binds names it does not spell
        first = min([statement.lineno, *(d.lineno for d in _decorators(statement))])
        last = statement.end_lineno or statement.lineno
        index = bisect.bisect_left(self._marked, first)
        return index < len(self._marked) and self._marked[index] <= last


def _aliases(text: str, lines: Lines, names: AbstractSet[str]) -> Set[str]:
    """The words that follow ``name as`` for any of ``names``, with any gap Python allows
    around the ``as`` (spaces, line breaks, comments, continuations)."""
    gaps = Gaps(lines.lines, lines.starts())
    after_as: Dict[int, str] = {}  # many names can lead to one ``as``: read its alias once
    found = set()
    for at, name in occurrences(text, names):
        end = at + len(name)
        gap_end = gaps.end(end)
        if gap_end == end or not text.startswith("as", gap_end):
            continue
        if gap_end not in after_as:
            after = gap_end + 2
            alias_at = gaps.end(after)
            after_as[gap_end] = identifier_at(text, alias_at) if alias_at > after else ""
        if after_as[gap_end]:
            found.add(after_as[gap_end])
    return found


def _bound_before(text: str, lines: Lines, makers: AbstractSet[str]) -> Set[str]:
    """Names that a use of one of ``makers`` seems to be assigned to or annotated as, read in
    the text before it on its line, back to the previous use: each character is read once.
    A guess: what it misses, the analysis's second pass finds."""
    starts = lines.starts()
    found: Set[str] = set()
    previous_end = 0
    for at, name in sorted(occurrences(text, makers)):
        line_start = starts[lines.line_at(at) - 1]
        before = text[max(line_start, previous_end) : at]
        previous_end = at + len(name)
        found.update(_ASSIGNED.findall(before))
        # ``name: T = D()`` when an assignment follows the colon; ``name: T`` (the use is the
        # annotation) when no ``,``, ``)`` or ``=`` does.
        assigned_at = _last_assignment(before)
        stop_at = max(before.rfind(","), before.rfind(")"), before.rfind("="))
        for colon in _COLON_AFTER.finditer(before):
            if colon.end() <= assigned_at or colon.end() > stop_at:
                found.add(colon.group(1))
    return found


def _last_assignment(text: str) -> int:
    """The offset of the last ``=`` of ``text`` that is an assignment, or -1."""
    at = text.rfind("=")
    while at >= 0:
        before = text[at - 1] if at else ""
        after = text[at + 1] if at + 1 < len(text) else ""
        if after != "=" and before not in ("=", "!", "<", ">"):
            return at
        at = text.rfind("=", 0, at - 1) if at else -1
    return -1


def _decorators(statement: ast.stmt) -> List[ast.expr]:
    return list(getattr(statement, "decorator_list", ()))
