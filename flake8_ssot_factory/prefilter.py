"""The cheapest correct check: a file that never spells a watched name cannot hold a finding.

Aliases do not escape this: ``from m import D as g`` spells ``D``.
"""

from __future__ import annotations

from typing import Sequence

from flake8_ssot_factory.settings import Settings


def text_mentions_watched_name(text: str, settings: Settings) -> bool:
    return any(name in text for name in settings.watched_names)


def lines_mention_watched_name(lines: Sequence[str], settings: Settings) -> bool:
    return text_mentions_watched_name("".join(lines), settings)


def bytes_mention_watched_name(data: bytes, settings: Settings) -> bool:
    return any(needle in data for needle in settings.prefilter_needles)
