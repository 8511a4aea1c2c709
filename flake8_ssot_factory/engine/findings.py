"""A finding: what the analysis reports, before any face formats it."""

from __future__ import annotations

import dataclasses
from typing import Mapping

from flake8_ssot_factory.engine.catalogue import RULES_BY_CODE
from flake8_ssot_factory.engine.fixes import NO_REMEDY, Remedy


@dataclasses.dataclass(frozen=True, order=True)
class Finding:
    """One violation at a position. ``col`` is a 0-based character column (not a byte offset)."""

    line: int
    col: int
    code: str
    #: The values of the rule's message placeholders, as sorted (name, value) pairs.
    params: tuple[tuple[str, str], ...] = dataclasses.field(compare=False)
    #: How to fix it, or why it cannot be fixed.
    remedy: Remedy = dataclasses.field(default=NO_REMEDY, compare=False)

    @classmethod
    def make(
        cls,
        line: int,
        col: int,
        code: str,
        params: Mapping[str, str],
        remedy: Remedy = NO_REMEDY,
    ) -> Finding:
        return cls(line, col, code, tuple(sorted(params.items())), remedy)

    @property
    def message(self) -> str:
        """The message without the code, e.g. ``get_agent_instance_factory() is ...``."""
        return RULES_BY_CODE[self.code].format_message(dict(self.params))
