from __future__ import annotations

import pytest

from tests.helpers import IMPORT_MSG, findings


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "from netra.agents import get_agent_instance_factory\n",
            [f"1:26: SSF001 {IMPORT_MSG}"],
            id="plain",
        ),
        pytest.param(
            "from netra.agents import get_agent_instance_factory as gaif\n",
            [f"1:26: SSF001 {IMPORT_MSG}"],
            id="alias",
        ),
        pytest.param(
            "from ..supervisor import other, get_agent_instance_factory\n",
            [f"1:33: SSF001 {IMPORT_MSG}"],
            id="relative",
        ),
        pytest.param(
            "from netra.agents import (\n    other,\n    get_agent_instance_factory,  # old\n)\n",
            [f"3:5: SSF001 {IMPORT_MSG}"],
            id="parenthesised-multiline",
        ),
        pytest.param(
            "try:\n    from a import get_agent_instance_factory\n"
            "except ImportError:\n    from b import get_agent_instance_factory\n",
            [f"2:19: SSF001 {IMPORT_MSG}", f"4:19: SSF001 {IMPORT_MSG}"],
            id="try-except-fallback",
        ),
        pytest.param(
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from a import get_agent_instance_factory\n",
            [f"3:19: SSF001 {IMPORT_MSG}"],
            id="type-checking",
        ),
        pytest.param(
            "def f():\n    from a import get_agent_instance_factory\n",
            [f"2:19: SSF001 {IMPORT_MSG}"],
            id="in-function",
        ),
        pytest.param(
            "from a import get_agent_instance_factory, configure_agent_instance_factory\n",
            [
                f"1:15: SSF001 {IMPORT_MSG}",
                "1:43: SSF001 configure_agent_instance_factory is a deprecated singleton; "
                "import create_agent_instance_factory and call "
                "create_agent_instance_factory(user_context)",
            ],
            id="both-default-factories",
        ),
        pytest.param(
            "s = 'ñ'; from a import get_agent_instance_factory\n",
            [f"1:24: SSF001 {IMPORT_MSG}"],
            id="character-column-after-non-ascii",
        ),
    ],
)
def test_invalid(source: str, expected: list[str]) -> None:
    assert findings(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("from a import create_agent_instance_factory\n", id="replacement"),
        pytest.param("from a import get_agent_instance_factory_dependency\n", id="longer-name"),
        pytest.param("import a.get_agent_instance_factory_module\n", id="module-import"),
        pytest.param("from get_agent_instance_factory import x\n", id="module-path-only"),
        pytest.param("# from a import get_agent_instance_factory\n", id="comment"),
    ],
)
def test_valid(source: str) -> None:
    assert findings(source) == []


def test_configured_names() -> None:
    source = "from a import get_cache, get_agent_instance_factory\n"
    assert findings(source, ssot_factories="get_cache:make_cache") == [
        "1:15: SSF001 get_cache is a deprecated singleton; import make_cache and call "
        "make_cache(user_context)"
    ]
