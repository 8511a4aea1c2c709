"""Counts in words, as people write them: "1 file", "2 files"."""

from __future__ import annotations

from typing import Optional


def plural(count: int, singular: str, plural_form: Optional[str] = None) -> str:
    """``plural(1, "file")`` is "1 file"; ``plural(2, "entry", "entries")`` is "2 entries"."""
    return f"{count} {noun(count, singular, plural_form)}"


def noun(count: int, singular: str, plural_form: Optional[str] = None) -> str:
    """The word alone, for counts printed apart from it (in aligned columns)."""
    return singular if count == 1 else (plural_form or f"{singular}s")


def ordinal(number: int) -> str:
    """``ordinal(2)`` is "2nd", ``ordinal(11)`` is "11th", ``ordinal(23)`` is "23rd"."""
    suffixes = {1: "st", 2: "nd", 3: "rd"}
    suffix = "th" if number % 100 in (11, 12, 13) else suffixes.get(number % 10, "th")
    return f"{number}{suffix}"


def percent(part: int, whole: int) -> float:
    """``part`` of ``whole`` in percent, to one decimal; 100 when there is nothing to do."""
    return 100.0 if whole == 0 else round(100.0 * part / whole, 1)


#: Findings ``fix`` leaves are listed one by one when there are at most this many.
LIST_AT_MOST = 20
