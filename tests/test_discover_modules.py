"""Where a retired name lives: its imports, patch targets and re-exports, read from bytes."""

from __future__ import annotations

import re
from typing import List, Tuple

from hypothesis import given
from hypothesis import strategies as st

from flake8_ssot_factory.engine.prefilter import words_after_a_dot
from flake8_ssot_factory.faces.discover_modules import (
    Import,
    Sightings,
    count_words,
    imports_of,
    reexporters,
    sight,
    using_files,
)

NAMES = frozenset({"old", "other"})


def test_imports_of_every_spelling() -> None:
    data = (
        b"from a.b import old\n"
        b"  from ..c import (  # a comment, old\n    x,\n    old as renamed,  # old\n)\n"
        b"from d import other, old\n"
        b"from e import oldish, xold\n"
        b"import old\n"
    )
    assert list(imports_of(data, NAMES)) == [
        (0, "a.b", "old", "old"),
        (2, "c", "old", "renamed"),
        (0, "d", "other", "other"),
        (0, "d", "old", "old"),
    ]


def test_an_unclosed_parenthesis_is_read_in_bounded_steps() -> None:
    """A statement's parenthesis is followed for 4,000 bytes at most: a file of unclosed ones
    is not read once per statement to its end: each is read to its line's end."""
    data = b"from a import (old,\n" * 3 + b"x" * 10_000
    assert list(imports_of(data, NAMES)) == [(0, "a", "old", "old")] * 3
    assert list(imports_of(b"from a import (\n    old,\n)", NAMES)) == [(0, "a", "old", "old")]


def _sightings(files: List[Tuple[str, str, bytes]]) -> Sightings:
    found = Sightings()
    modules = {path: module for path, module, _ in files}
    dots = words_after_a_dot(NAMES)
    for path, _, data in files:
        defined = {name for name in NAMES if b"def " + name.encode() in data}
        sight(path, modules.__getitem__, data, NAMES, dots, defined, found)
    return found


def test_patch_targets_are_quoted_dotted_names() -> None:
    data = (
        b"patch('a.b.old')\npatch(\"c.other\")\n'old'\n\"a.older\"\n"
        b"x = 'a.old\"\n'.old'\n\"1.old\"\n"
    )
    found = _sightings([("t.py", "t", data)])
    assert found.patched == {"old": {"a.b"}, "other": {"c"}}
    assert found.prefixes == {"t.py": {"old": {"b", "a", "", "1"}, "other": {"c"}}}


def test_re_exports_are_followed_to_a_fixed_point() -> None:
    found = _sightings(
        [
            ("p/defs.py", "p.defs", b"def old():\n    pass\n"),
            # re-exports through a re-export: p.api takes it from p.mid, users from p.api
            ("p/mid.py", "p.mid", b"from p.defs import old\n"),
            ("p/api.py", "p.api", b"from .mid import old\n"),
            ("p/user.py", "p.user", b"from p.api import old\nold()\n"),
            # a package's __init__ re-exports what it imports
            ("q/__init__.py", "q", b"from p.defs import old\n"),
            # patched where it is used: a test replaces it there
            ("p/route.py", "p.route", b"from p.defs import old\nold()\n"),
            ("t/test_x.py", "t.test_x", b"patch('p.route.old')\n"),
            # used only, or under another name: no re-export
            ("p/only.py", "p.only", b"from p.defs import old\nold()\n"),
            ("p/alias.py", "p.alias", b"from p.defs import old as new\n"),
            # the same name from elsewhere, and a method of that name
            ("z/mine.py", "z.mine", b"from z.own import old\nold()\nthing.old()\n"),
        ]
    )
    modules = reexporters("old", ["p.defs"], found)
    assert modules == ("p.defs", "p.mid", "p.api", "q", "p.route")
    assert reexporters("old", ["p.defs"], found, move=True) == ("p.defs",)
    assert sorted(using_files("old", modules, found)) == [
        "p/alias.py",
        "p/api.py",
        "p/defs.py",
        "p/mid.py",
        "p/only.py",
        "p/route.py",
        "p/user.py",
        "q/__init__.py",
        "t/test_x.py",  # its patch target is a use
    ]
    assert found.imports["old"][0] == Import("p.mid", "p.defs", "old", False, "p/mid.py")


def test_a_module_imported_whole_is_a_use() -> None:
    found = _sightings(
        [
            ("p/defs.py", "p.defs", b"def old():\n    pass\n"),
            ("p/user.py", "p.user", b"from p import defs\ndefs.old()\n"),
            ("p/other.py", "p.other", b"thing.old()\n"),
        ]
    )
    assert sorted(using_files("old", ("p.defs",), found)) == ["p/defs.py", "p/user.py"]


_WORD = st.text(alphabet="ab_c", min_size=1, max_size=4)


@given(st.lists(_WORD, min_size=1, max_size=8), st.text(alphabet="ab_c .(", max_size=60))
def test_words_after_a_dot_match_as_a_flat_alternation_does(names: List[str], text: str) -> None:
    """The prefix-nested pattern finds what ``\\.(longest|...|shortest)\\b`` finds."""
    flat = re.compile(
        rb"\.("
        + b"|".join(re.escape(n.encode()) for n in sorted(set(names), key=len, reverse=True))
        + rb")\b"
    )
    data = text.encode()
    assert words_after_a_dot(names).findall(data) == flat.findall(data)


@given(st.text(alphabet="ab_ .(", max_size=50), st.sampled_from(["a", "ab", "b_a", ""]))
def test_whole_words_are_counted_as_grep_w_counts_them(text: str, needle: str) -> None:
    """``bytes.find`` counting agrees with ``\\bneedle\\b``; an empty needle counts nothing
    (and does not loop for ever)."""
    expected = len(re.findall(rb"\b" + re.escape(needle.encode()) + rb"\b", text.encode()))
    assert count_words(text.encode(), needle.encode()) == (expected if needle else 0)
