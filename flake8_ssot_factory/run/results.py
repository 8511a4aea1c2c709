"""What checking a file gives: violations located in it, and its migrated call sites. The
faces format these, the cache stores them, the history report sums them."""

from __future__ import annotations

import dataclasses
from typing import Mapping, Tuple


@dataclasses.dataclass(frozen=True, order=True)
class Violation:
    """A finding or an error, located in a file. ``col`` is 1-based, as flake8 prints it."""

    #: As the run was given it: each output escapes it for its medium (run/printable.py).
    path: str
    line: int
    col: int
    code: str
    message: str
    #: The physical line without its line ending: what --show-source prints.
    source: str = dataclasses.field(default="", compare=False)
    #: The migration the finding belongs to ("" for the unnamed default one, and for errors).
    migration: str = dataclasses.field(default="", compare=False)


@dataclasses.dataclass(frozen=True)
class FileResult:
    path: str
    violations: Tuple[Violation, ...] = ()
    #: Call sites already migrated, per migration (for the progress report).
    migrated: Mapping[str, int] = dataclasses.field(default_factory=dict)
    #: Whether the file spells a watched name (it was parsed); what ``fix`` needs to know.
    mentions: bool = False

    @property
    def migrated_calls(self) -> int:
        return sum(self.migrated.values())
