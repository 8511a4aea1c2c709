"""What a finding may carry: the text edits that fix it, or why it cannot be fixed.

Positions are (line, character column), both as the editor counts them (line 1-based, column
0-based). The fixer turns them into offsets in the decoded text, so a line with non-ASCII text
before the edit is rewritten at the right place.
"""

from __future__ import annotations

import dataclasses
from typing import Optional, Tuple

Position = Tuple[int, int]


@dataclasses.dataclass(frozen=True, order=True)
class Edit:
    start: Position
    end: Position
    text: str

    @classmethod
    def insert(cls, at: Position, text: str) -> Edit:
        return cls(at, at, text)


@dataclasses.dataclass(frozen=True)
class Fix:
    edits: Tuple[Edit, ...]
    #: ruff's model: a safe fix keeps behaviour; an unsafe one may change it (applied only when
    #: asked with --unsafe-fixes).
    safe: bool = True
    #: For a call of a bare name (``D()``, or ``g()`` where ``g`` is imported as D): where that
    #: name stands. The fixer renames it to the replacement when the name's import stays.
    callee: Optional[Tuple[Position, Position]] = None
    #: For a fix that turns ``<module>.D`` into ``<module>.R`` (an attribute call, a patch
    #: target): that module, as written (``aif`` for ``aif.D()``, ``pkg.mod`` for
    #: ``"pkg.mod.D"``), so that the fixer can check it has R.
    via_module: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class Remedy:
    """A finding's fix, or the reason there is none (exactly one of the two)."""

    fix: Optional[Fix] = None
    reason: str = ""
    #: The imported local name the finding's code uses (``g`` in ``g()`` after
    #: ``from m import get_agent_instance_factory as g``); for SSF001, the name it imports.
    local_name: Optional[str] = None

    @classmethod
    def unfixable(cls, reason: str, local_name: Optional[str] = None) -> Remedy:
        return cls(None, reason, local_name)


NO_REMEDY = Remedy.unfixable("no automatic fix for this rule")
