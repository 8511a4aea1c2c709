"""Many words are searched for in one pass, and find exactly what one by one finds."""

from __future__ import annotations

import pickle
from typing import List

from hypothesis import given
from hypothesis import strategies as st

from flake8_ssot_factory.config.needles import ONE_BY_ONE, Needles

WORDS = st.lists(st.text("ab_.\\(é", min_size=1, max_size=5).map(str.encode), max_size=30)


@given(WORDS, st.binary(max_size=60) | st.text("ab_.\\(é x", max_size=60).map(str.encode))
def test_one_pass_finds_what_one_by_one_finds(words: List[bytes], data: bytes) -> None:
    needles = Needles(words)
    assert (needles.pattern is not None) == (len(words) > ONE_BY_ONE)
    assert needles.found_in(data) == any(word in data for word in words)


def test_needles_travel_to_a_worker_as_their_words() -> None:
    words = [f"get_thing_{n}".encode() for n in range(20)]
    copy = pickle.loads(pickle.dumps(Needles(words)))
    assert isinstance(copy, Needles)
    assert tuple(copy) == tuple(words)
    assert copy.found_in(b"x = get_thing_13()") is True
    assert copy.found_in(b"x = get_thing_()") is False
