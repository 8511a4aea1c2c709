"""Counts in words, as people write them: "1 file", "2 files"."""

from __future__ import annotations

from typing import Optional


def plural(count: int, singular: str, plural_form: Optional[str] = None) -> str:
    """``plural(1, "file")`` is "1 file"; ``plural(2, "entry", "entries")`` is "2 entries"."""
    return f"{count} {noun(count, singular, plural_form)}"


def noun(count: int, singular: str, plural_form: Optional[str] = None) -> str:
    """The word alone, for counts printed apart from it (in aligned columns)."""
    return singular if count == 1 else (plural_form or f"{singular}s")
