"""Many words are searched for in one pass, and find exactly what one by one finds."""

from __future__ import annotations

import pickle
from typing import List

from hypothesis import given, settings
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


# -- a qualified name counts only with one of its modules: the screen loses no finding -------

import ast  # noqa: E402

from flake8_ssot_factory.config.settings import build_settings  # noqa: E402
from flake8_ssot_factory.engine.analysis import analyze_module  # noqa: E402
from flake8_ssot_factory.engine.positions import split_lines  # noqa: E402

MODULES = ("pkg.mod", "pkg.other", "app.mod", "pkg.sub.deep")
NAMES = ("get_db", "get_db_session", "Manager")
USES = (
    "from {m} import {n}\nx = {n}()",
    "from {m} import {n} as alias\nalias()",
    "from .{last} import {n}\n{n}()",
    "from ..{last} import {n}",
    "from {parent} import {last}\n{last}.{n}()",
    "from {parent} import {last} as m2\nm2.{n}",
    "import {m}\n{m}.{n}()",
    "import {m} as m3\nm3.{n}()",
    "from {m} import *\n{n}()",
    "patch('{m}.{n}')",
    "patch.object({last}, '{n}')",
    "__all__ = ['{n}']",
    "{n}()",
    "obj.{n}()",
    "x = '{n}'",
)


@st.composite
def qualified_cases(draw: st.DrawFn) -> tuple[str, str]:
    entries = []
    retired = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True))
    for index, name in enumerate(retired):
        module = draw(st.sampled_from(MODULES))
        shape = draw(st.sampled_from(["-> new_{n}(...)", "-> pkg.newplace", '-> report "gone"']))
        entries.append(f"e{index}: {module}.{name} {shape.format(n=name)}")
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        module = draw(st.sampled_from(MODULES))
        parent, _, last = module.rpartition(".")
        use = draw(st.sampled_from(USES))
        name = draw(st.sampled_from(NAMES))
        lines.append(use.format(m=module, n=name, parent=parent, last=last))
    return "\n".join(entries), "\n".join(lines) + "\n"


@settings(max_examples=300)
@given(qualified_cases())
def test_a_file_the_screen_passes_over_holds_no_finding(case: tuple[str, str]) -> None:
    table, source = case
    built = build_settings({"ssot-migrations": table})
    tree = ast.parse(source)
    for needles in (built.prefilter_needles, built.progress_needles):
        if not needles.found_in(source.encode()):
            analysis = analyze_module(tree, built, split_lines(source), focused=False)
            assert analysis.findings == []
            assert analysis.migrated == {}


def test_a_qualified_name_without_its_module_sends_no_file_to_the_parser() -> None:
    built = build_settings({"ssot-migrations": "db: pkg.database.get_db -> pkg.sessions"})
    needles = built.prefilter_needles
    assert needles.found_in(b"from app.other import get_db\nget_db()\n") is False
    assert needles.found_in(b"from pkg.database import get_db\n") is True
    assert needles.found_in(b"from . import database\ndatabase.get_db()\n") is True
