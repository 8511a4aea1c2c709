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
from typing import Iterable, Iterator, List

from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.engine.positions import Lines

#: Between a name, ``as`` and the alias Python allows spaces, newlines (in parentheses),
#: comments and backslash continuations.
_GAP = r"(?:\s|\\(?:\r\n|\r|\n)|#[^\r\n]*)+"
_ALIAS_AFTER = re.compile(rf"{_GAP}as{_GAP}([^\W\d]\w*)")
#: ``factory = D()``, ``factory: F = ...``, ``(factory := D())`` on a line that spells D.
_ASSIGNED = re.compile(r"\b([^\W\d]\w*)\s*(?::[^=\n]*?)?:?=(?!=)")
#: ``factory: AgentInstanceFactory`` (a parameter or a field).
_ANNOTATED = re.compile(r"\b([^\W\d]\w*)\s*:\s*[^,)=\n]*$")


class Focus:
    """The lines that spell a name the analysis must see, and the statements that hold them.

    Names are found with ``str.find`` and a word-boundary check, then regular expressions
    read only the text right around them: a pattern tried at every position of a large module
    costs more than parsing it.
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
        text = lines.source()
        names = {*settings.watched_names, *settings.class_migration}
        context = {*settings.context_types, *settings.context_keywords} if with_contexts else ()
        # ``from m import D as g`` makes ``g`` name D: its uses need a visit too.
        aliases = set()
        for name in names:
            for at in _occurrences(text, name):
                found = _ALIAS_AFTER.match(text, at + len(name))
                if found:
                    aliases.add(found.group(1))
        # The variables a factory is assigned to (``factory = D()``, ``f: Factory``) must be
        # seen wherever they are re-bound. Read off the text, they spare the second pass of
        # the analysis (which still runs when this misses one: an assignment over lines).
        predicted = set()
        for maker in {*settings.maker_names, *aliases}:
            for at in _occurrences(text, maker):
                before = text[text.rfind("\n", 0, at) + 1 : at]
                predicted.update(_ASSIGNED.findall(before))
                predicted.update(_ANNOTATED.findall(before))
        self.names = frozenset({*names, *context, *aliases, *more_names, *predicted})
        self._marked: List[int] = sorted(
            {lines.line_at(at) for name in self.names for at in _occurrences(text, name)}
        )

    def worth_visiting(self, statement: ast.stmt) -> bool:
        first = min([statement.lineno, *(d.lineno for d in _decorators(statement))])
        last = statement.end_lineno or statement.lineno
        index = bisect.bisect_left(self._marked, first)
        return index < len(self._marked) and self._marked[index] <= last


def _occurrences(text: str, name: str) -> Iterator[int]:
    """Where ``name`` is written as a whole word (an identifier is never part of a longer
    one). A character ``isalnum`` does not know is taken as a boundary: more lines marked,
    never fewer."""
    end = len(text)
    at = text.find(name)
    while at >= 0:
        after = at + len(name)
        before_ok = at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")
        after_ok = after == end or not (text[after].isalnum() or text[after] == "_")
        if before_ok and after_ok:
            yield at
        at = text.find(name, at + 1)


def _decorators(statement: ast.stmt) -> List[ast.expr]:
    return list(getattr(statement, "decorator_list", ()))
