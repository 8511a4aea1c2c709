"""Scans over source text that stay linear in its length, whatever the text.

A regular expression that lets a comment end before any ``#`` or blank inside it, tried after
every use of a name in a file of commented-out code, backtracks exponentially; one that reads
"the rest of the line" once per use is quadratic on a long line. These scans are loops whose
every step moves forward, and the one that can be asked about the same stretch of text many
times (:class:`Gaps`) remembers what it learnt.
"""

from __future__ import annotations

import bisect
import re
from typing import AbstractSet, Dict, Iterator, List, Sequence, Tuple

#: Blanks inside a line: white space that is not a line break (one character class, so a match
#: is linear in the run it covers).
_BLANKS = re.compile(r"[^\S\r\n]*")
_SPACES = re.compile(r"\s*")
_WORD = re.compile(r"\w+")
_IDENTIFIER = re.compile(r"[^\W\d]\w*")
#: Up to this many names, one ``str.find`` loop per name beats reading every word of the text.
_FEW_NAMES = 8


def run_end(pattern: re.Pattern[str], text: str, at: int) -> int:
    """Where the run of ``pattern`` (one that may match nothing) starting at ``at`` ends."""
    found = pattern.match(text, at)
    return found.end() if found else at


def line_break_length(line: str) -> int:
    """How many characters at the end of ``line`` are its line break (0, 1 or 2)."""
    if line.endswith("\r\n"):
        return 2
    return 1 if line.endswith(("\r", "\n")) else 0


def occurrences(text: str, names: AbstractSet[str]) -> Iterator[Tuple[int, str]]:
    """(offset, name) wherever one of ``names`` is written as a whole word (an identifier is
    never part of a longer one), in no particular order. A character ``isalnum`` does not know
    is taken as a boundary: more places found, never fewer.

    Linear in the text for any number of names: a few are searched for one by one, many by
    reading each word once and looking it up."""
    if len(names) > _FEW_NAMES:
        for word in _WORD.finditer(text):
            if word.group() in names:
                yield word.start(), word.group()
        return
    for name in names:
        for at in _whole_word_finds(text, name):
            yield at, name


def _whole_word_finds(text: str, name: str) -> Iterator[int]:
    end = len(text)
    at = text.find(name)
    while at >= 0:
        after = at + len(name)
        before_ok = at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")
        after_ok = after == end or not (text[after].isalnum() or text[after] == "_")
        if before_ok and after_ok:
            yield at
        at = text.find(name, at + 1)


class Gaps:
    """Where a gap Python allows between two tokens of one statement ends: blanks, line breaks
    (inside brackets), comments and backslash continuations, from any offset of the source.

    A comment runs to the end of its line. A gap that reaches the start of a line ends where
    every gap through that line start ends, so each line start is followed once and then
    remembered: all the gaps asked for in one file cost time linear in its length, plus a
    binary search per question. The scan inside the first line is the blanks after the
    offset, which differ for every offset that follows a word.
    """

    def __init__(self, lines: Sequence[str], starts: Sequence[int]) -> None:
        """``lines`` as :class:`~flake8_ssot_factory.engine.positions.Lines` keeps them (line
        breaks included), ``starts`` the offset of each line and then the text's length."""
        self._lines = lines
        self._starts = starts
        self._end_from_line: Dict[int, int] = {}

    def end(self, at: int) -> int:
        """The offset where the gap that starts at ``at`` ends: ``at`` itself when no gap
        starts there."""
        lines, starts = self._lines, self._starts
        index = bisect.bisect_right(starts, at) - 1
        col = at - starts[index]
        passed: List[int] = []
        end = starts[-1]
        while index < len(lines):
            line = lines[index]
            body = len(line) - line_break_length(line)
            col = run_end(_BLANKS, line, col)
            goes_on = col >= body or line[col] == "#" or (line[col] == "\\" and col + 1 == body)
            if body == len(line):  # the last line, with no line break to continue over
                end = starts[-1] if line.startswith("#", col) else starts[index] + col
                break
            if not goes_on:
                end = starts[index] + col
                break
            index, col = index + 1, 0
            known = self._end_from_line.get(index)
            if known is not None:
                end = known
                break
            passed.append(index)
        for index in passed:
            self._end_from_line[index] = end
        return end


def spaces_end(text: str, at: int) -> int:
    """Where the white space and backslash continuations that start at ``at`` end (what may
    stand between the words of ``from module import``)."""
    while at < len(text):
        at = run_end(_SPACES, text, at)
        if text.startswith("\\", at) and text.startswith(("\n", "\r"), at + 1):
            at += 3 if text.startswith("\r\n", at + 1) else 2
        else:
            break
    return at


def identifier_at(text: str, at: int) -> str:
    """The identifier that starts at ``at``, or ""."""
    found = _IDENTIFIER.match(text, at)
    return found.group() if found else ""
