"""The semantic gate before any write: a rewrite may not add a pyflakes message.

Re-parsing proves a rewrite is Python; it does not prove every name is still defined. pyflakes
(which flake8 ships with, so no new dependency) reads both texts; any message the rewritten
text has that the original did not (an undefined name, a redefinition, an unused import, an
undefined name in ``__all__``...) refuses the file. Messages are compared by kind and names,
not by line, with each deprecated name read as its replacement, so that an import that was
merely renamed, and was unused before, is not new.
"""

from __future__ import annotations

import ast
import collections
import re
from typing import Counter, List, Mapping, Tuple

from pyflakes import checker

_Key = Tuple[str, Tuple[str, ...]]


def new_messages(before: ast.AST, after: ast.AST, renames: Mapping[str, str]) -> List[str]:
    """pyflakes messages of ``after`` that ``before`` does not have, as ``line N: text``."""
    rename = _renamer(renames)
    seen: Counter[_Key] = collections.Counter(
        _key(message, rename) for message in _messages(before)
    )
    new: List[str] = []
    for message in _messages(after):
        key = _key(message, rename)
        if seen[key] > 0:
            seen[key] -= 1
        else:
            new.append(f"line {message.lineno}: {message.message % message.message_args}")
    return new


def _messages(tree: ast.AST) -> List[checker.messages.Message]:
    return list(checker.Checker(tree, withDoctest=False).messages)


#: Messages about imports name them with their module ('m.D' imported but unused): a fix that
#: moves a name to another module changes that part, so these compare by the name alone.
_ABOUT_IMPORTS = frozenset({"UnusedImport", "RedefinedWhileUnused", "ImportShadowedByLoopVar"})


def _key(message: checker.messages.Message, rename: _Rename) -> _Key:
    # Line numbers in the arguments ("redefinition of unused x from line 3") move with edits.
    kind = type(message).__name__
    names = [rename(str(arg)) for arg in message.message_args if not isinstance(arg, int)]
    if kind in _ABOUT_IMPORTS:
        names = [name.rpartition(".")[2] for name in names]
    return kind, tuple(names)


class _Rename:
    def __init__(self, renames: Mapping[str, str]) -> None:
        self._renames = dict(renames)
        alternatives = "|".join(map(re.escape, sorted(self._renames, key=len, reverse=True)))
        self._pattern = re.compile(rf"\b(?:{alternatives})\b") if alternatives else None

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda match: self._renames[match.group()], text)


def _renamer(renames: Mapping[str, str]) -> _Rename:
    return _Rename(renames)
