from __future__ import annotations

import pytest

from tests.helpers import REF_MSG, codes, findings


@pytest.mark.parametrize(
    ("source", "position"),
    [
        pytest.param("dep = Depends(get_agent_instance_factory)\n", "1:15", id="depends"),
        pytest.param("f = get_agent_instance_factory\n", "1:5", id="assigned"),
        pytest.param("d = {'k': get_agent_instance_factory}\n", "1:11", id="dict-value"),
        pytest.param("def f():\n    return get_agent_instance_factory\n", "2:12", id="returned"),
        pytest.param("module.get_agent_instance_factory = Mock()\n", "1:8", id="rebound"),
        pytest.param("del module.get_agent_instance_factory\n", "1:12", id="deleted"),
        pytest.param("f = aif.get_agent_instance_factory\n", "1:9", id="attribute-value"),
        pytest.param("from a import get_agent_instance_factory as g\nx = [g]\n", "2:6", id="alias"),
        pytest.param("@get_agent_instance_factory\ndef f():\n    pass\n", "1:2", id="decorator"),
    ],
)
def test_invalid(source: str, position: str) -> None:
    result = [line for line in findings(source) if " SSF003 " in line]
    assert result == [f"{position}: SSF003 {REF_MSG}"]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("get_agent_instance_factory()\n", id="call-is-SSF002"),
        pytest.param("get_agent_instance_factory = make()\n", id="binding-a-name"),
        pytest.param("def f(get_agent_instance_factory=None):\n    pass\n", id="parameter"),
        pytest.param("f(get_agent_instance_factory=1)\n", id="keyword-name"),
        pytest.param("x = get_agent_instance_factory_dependency\n", id="longer-name"),
        pytest.param(
            "def get_agent_instance_factory():\n    pass\nx = get_agent_instance_factory\n",
            id="module-defines-it",
        ),
    ],
)
def test_valid(source: str) -> None:
    assert "SSF003" not in codes(source)
