"""The linear scans agree with the plain definitions they replace, on any text."""

from __future__ import annotations

import random
import re
from typing import List

from hypothesis import given
from hypothesis import strategies as st

from flake8_ssot_factory.engine.positions import split_lines
from flake8_ssot_factory.engine.scanning import Gaps, occurrences

#: The gap as Python defines it, written as a regular expression: a reference for short texts
#: only (a comment runs to the end of its line; the lookahead keeps it from ending earlier).
REFERENCE_GAP = re.compile(r"(?:[^\S\r\n]|\r\n|\r|\n|\\(?:\r\n|\r|\n)|#[^\r\n]*(?=[\r\n]|\Z))*")
PIECES = [" ", "\t", "\n", "\r", "\r\n", "#", "\\", "a", "as", " # x ", "é"]
texts = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)


def gaps_of(text: str) -> Gaps:
    lines = split_lines(text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    return Gaps(lines, starts)


@given(texts, st.randoms(use_true_random=False))
def test_gaps_end_where_the_reference_ends_asked_in_any_order(
    text: str, rng: random.Random
) -> None:
    gaps = gaps_of(text)
    offsets: List[int] = list(range(len(text) + 1))
    rng.shuffle(offsets)
    for at in offsets:  # what one answer remembers must not change another
        reference = REFERENCE_GAP.match(text, at)
        assert reference is not None  # the reference may match nothing, never fail
        assert gaps.end(at) == reference.end(), (text, at)


WORDS = ["a", "ab", "b_1", "é", "1a", "x"]


@given(st.lists(st.sampled_from([*WORDS, " ", ".", "(", "\n"]), max_size=20).map("".join))
def test_occurrences_are_whole_words_whether_names_are_few_or_many(text: str) -> None:
    few = {"a", "b_1"}
    many = {*few, *(f"filler{n}" for n in range(20))}
    expected = sorted(
        (found.start(), found.group())
        for found in re.finditer(r"\w+", text)
        if found.group() in few
    )
    assert sorted(occurrences(text, few)) == expected
    assert sorted(occurrences(text, many)) == expected
