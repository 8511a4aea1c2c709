"""``# noqa`` exactly as flake8 honours it, so that the command line and flake8 agree.

The patterns are flake8's own (``flake8/defaults.py``); they are copied because their names
differ between flake8 releases. The line-range logic mirrors ``FileProcessor._noqa_line_mapping``:
a ``# noqa`` on any line of a multi-line string or backslash-continued line covers all of it.
"""

from __future__ import annotations

import io
import re
import tokenize
from typing import AbstractSet, Dict, Optional, Sequence, Tuple

from flake8_ssot_factory.engine.scanning import line_break_length

NOQA_INLINE = re.compile(
    r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?",
    re.IGNORECASE,
)
NOQA_FILE = re.compile(r"\s*# flake8[:=]\s*noqa", re.IGNORECASE)
_CODE_SEPARATOR = re.compile(r"[,\s]")


def mentions_noqa(text: str) -> bool:
    """Whether any line could silence a finding (a cheap test before any per-line work)."""
    return NOQA_INLINE.search(text) is not None


def file_is_exempt(lines: Sequence[str], text: str = "") -> bool:
    """``# flake8: noqa`` alone on a line switches every check off for the file. ``text``, the
    lines joined, when known, spares the per-line search in the many files without one."""
    if text and "flake8" not in text.lower():
        return False
    return any(NOQA_FILE.match(line) for line in lines)


#: What a line's ``# noqa`` silences: nothing (None), everything (()), or these codes.
NoqaCodes = Optional[Tuple[str, ...]]


def noqa_codes(noqa_text: str) -> NoqaCodes:
    match = NOQA_INLINE.search(noqa_text)
    if match is None:
        return None
    codes_text = match.group("codes")
    if codes_text is None:
        return ()  # a blanket noqa comment, without codes
    return tuple(code for code in _CODE_SEPARATOR.split(codes_text) if code.strip())


def silences(codes: NoqaCodes, code: str) -> bool:
    if codes is None:
        return False
    return not codes or code in codes or code.startswith(codes)


class NoqaLines:
    """The text flake8 searches for ``# noqa`` when a finding is on a given line.

    flake8 tokenizes the whole file to find which lines share a ``noqa`` comment. Only lines in
    a multi-line string or joined by a backslash can share one, so the file is tokenized only
    when a finding sits on such a line; any other line is read on its own, with the same result.
    """

    def __init__(self, lines: Sequence[str], multiline_string_lines: AbstractSet[int]) -> None:
        self._lines = lines
        self._spanned = multiline_string_lines
        self._mapping: Optional[Dict[int, str]] = None
        self._codes: Dict[int, NoqaCodes] = {}

    def silenced(self, code: str, line: int) -> bool:
        """Whether ``# noqa`` silences ``code`` on ``line``: each line's comment is read once,
        however many findings stand on it."""
        if line not in self._codes:
            self._codes[line] = noqa_codes(self.text_for(line))
        return silences(self._codes[line], code)

    def text_for(self, line: int) -> str:
        if self._may_share_comment(line):
            if self._mapping is None:
                self._mapping = _line_mapping(self._lines)
            if line in self._mapping:
                return self._mapping[line]
        return self._physical(line)

    def _physical(self, line: int) -> str:
        return self._lines[line - 1] if 0 < line <= len(self._lines) else ""

    def _may_share_comment(self, line: int) -> bool:
        continued = any(_continued(self._physical(n)) for n in (line - 1, line))
        return continued or line in self._spanned


def _continued(line: str) -> bool:
    """Whether ``line`` ends with a backslash before its line break (read in place: a copy
    of a long line for each finding on it would be quadratic)."""
    return line.endswith("\\", 0, len(line) - line_break_length(line))


def _line_mapping(lines: Sequence[str]) -> Dict[int, str]:
    mapping: Dict[int, str] = {}
    unset = (len(lines) + 2, -1)
    first, last = unset
    try:
        # flake8 reads lines with their endings made "\n"; so does this (a file may use "\r").
        text = "".join(line.rstrip("\r\n") + "\n" for line in lines)
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return {}
    for token in tokens:
        if token.type in (tokenize.ENDMARKER, tokenize.DEDENT):
            continue
        first, last = min(first, token.start[0]), max(last, token.end[0])
        if token.type in (tokenize.NL, tokenize.NEWLINE):
            joined = "".join(lines[first - 1 : last])  # the lines as they are, for the search
            mapping.update(dict.fromkeys(range(first, last + 1), joined))
            first, last = unset
    return mapping
