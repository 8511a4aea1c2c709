from __future__ import annotations

import sys

import pytest

from tests.helpers import D_MSG, codes, findings

IMPORT = "from a import get_agent_instance_factory\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("f = get_agent_instance_factory()\n", ["1:5"], id="bare-name"),
        pytest.param(
            "from a import get_agent_instance_factory as g\nf = g()\n", ["2:5"], id="alias"
        ),
        pytest.param("aif.get_agent_instance_factory()\n", ["1:5"], id="attribute"),
        pytest.param(
            "f = pkg.mod.get_agent_instance_factory(\n)\n", ["1:13"], id="dotted-attribute"
        ),
        pytest.param("g = lambda: get_agent_instance_factory()\n", ["1:13"], id="lambda"),
        pytest.param(
            "xs = [get_agent_instance_factory() for _ in range(3)]\n", ["1:7"], id="comprehension"
        ),
        pytest.param(
            "@decorate(get_agent_instance_factory())\ndef f():\n    pass\n",
            ["1:11"],
            id="decorator",
        ),
        pytest.param("s = f'{get_agent_instance_factory()}'\n", ["1:8"], id="f-string"),
        pytest.param(
            "class A:\n    factory = get_agent_instance_factory()\n", ["2:15"], id="class-body"
        ),
        pytest.param(
            "match x:\n    case 1:\n        get_agent_instance_factory()\n",
            ["3:9"],
            id="match-arm",
            marks=pytest.mark.skipif(sys.version_info < (3, 10), reason="match is 3.10+"),
        ),
        pytest.param("if (f := get_agent_instance_factory()):\n    pass\n", ["1:10"], id="walrus"),
        pytest.param(
            "import pytest\nwith pytest.raises(ValueError):\n    get_agent_instance_factory()\n",
            ["3:5"],
            id="inside-pytest-raises-still-flagged",
        ),
        pytest.param(
            "async def f():\n    return await get_agent_instance_factory()\n",
            ["2:18"],
            id="await",
        ),
        pytest.param(
            "f = configure_agent_instance_factory(x)\n", ["1:5"], id="second-default-factory"
        ),
    ],
)
def test_invalid(source: str, expected: list[str]) -> None:
    result = [line for line in findings(source) if " SSF002 " in line]
    assert [line.split(": ")[0] for line in result] == expected


def test_message_names_the_replacement() -> None:
    assert findings("get_agent_instance_factory()\n") == [f"1:1: SSF002 {D_MSG}"]


def test_message_for_alias_names_the_original() -> None:
    source = "from a import get_agent_instance_factory as g\ng()\n"
    assert findings(source)[1] == f"2:1: SSF002 {D_MSG}"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "def get_agent_instance_factory():\n    pass\nget_agent_instance_factory()\n",
            id="module-defines-it",
        ),
        pytest.param(
            "async def get_agent_instance_factory():\n    pass\nx = get_agent_instance_factory()\n",
            id="module-defines-it-async",
        ),
        pytest.param(
            "class get_agent_instance_factory:\n    pass\nget_agent_instance_factory()\n",
            id="module-defines-class",
        ),
        pytest.param("get_agent_instance_factory_dependency()\n", id="longer-name"),
        pytest.param("obj.get_agent_instance_factory_v2()\n", id="longer-attribute"),
        pytest.param("create_agent_instance_factory(ctx)\n", id="replacement"),
        pytest.param("# get_agent_instance_factory()\n", id="comment"),
        pytest.param("log.info('call get_agent_instance_factory() no more')\n", id="prose"),
    ],
)
def test_valid(source: str) -> None:
    assert "SSF002" not in codes(source)


def test_module_defining_it_still_flags_attribute_calls() -> None:
    source = "def get_agent_instance_factory():\n    pass\nother.get_agent_instance_factory()\n"
    assert findings(source) == [f"3:7: SSF002 {D_MSG}"]


def test_nested_definition_does_not_exempt_module() -> None:
    source = "def f():\n    def get_agent_instance_factory():\n        pass\n" + (
        "get_agent_instance_factory()\n"
    )
    assert findings(source) == [f"4:1: SSF002 {D_MSG}"]


def test_import_and_call() -> None:
    assert codes(IMPORT + "get_agent_instance_factory()\n") == ["SSF001", "SSF002"]
