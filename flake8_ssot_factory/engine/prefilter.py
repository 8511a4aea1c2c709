"""The cheapest correct check: a file that never spells a watched name cannot hold a finding.

Aliases do not escape this: ``from m import D as g`` spells ``D``.
"""

from __future__ import annotations

from typing import Sequence

from flake8_ssot_factory.config.settings import Settings


def lines_mention_watched_name(lines: Sequence[str], settings: Settings) -> bool:
    text = "".join(lines)
    return any(name in text for name in settings.prefilter_names)


def spells_any(data: bytes, needles: Sequence[bytes]) -> bool:
    """Whether ``data`` holds one of ``needles`` (the settings' prefilter needles for a check,
    the progress needles for a report or a fix)."""
    return any(needle in data for needle in needles)
