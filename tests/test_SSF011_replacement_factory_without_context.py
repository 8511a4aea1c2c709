from __future__ import annotations

import pytest

from tests.helpers import R_MSG, codes, findings


@pytest.mark.parametrize(
    ("source", "position"),
    [
        pytest.param("f = create_agent_instance_factory()\n", "1:5", id="no-arguments"),
        pytest.param("f = create_agent_instance_factory(None)\n", "1:5", id="none-positional"),
        pytest.param(
            "f = create_agent_instance_factory(user_context=None)\n", "1:5", id="none-keyword"
        ),
        pytest.param(
            "f = create_agent_instance_factory(config=cfg)\n", "1:5", id="other-keyword-only"
        ),
        pytest.param("f = aif.create_agent_instance_factory()\n", "1:9", id="attribute"),
        pytest.param(
            "from a import create_agent_instance_factory as caif\nf = caif()\n",
            "2:5",
            id="alias",
        ),
    ],
)
def test_invalid(source: str, position: str) -> None:
    assert findings(source) == [f"{position}: SSF011 {R_MSG}"]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("create_agent_instance_factory(user_context)\n", id="positional"),
        pytest.param("create_agent_instance_factory(user_context=ctx)\n", id="keyword"),
        pytest.param("create_agent_instance_factory(self.user_a_context)\n", id="attribute"),
        pytest.param("create_agent_instance_factory(*args)\n", id="star-args"),
        pytest.param("create_agent_instance_factory(**kwargs)\n", id="star-kwargs"),
        pytest.param(
            "with pytest.raises(ValueError):\n    create_agent_instance_factory(None)\n",
            id="negative-test",
        ),
        pytest.param("create_agent_instance_factory_v2()\n", id="longer-name"),
    ],
)
def test_valid(source: str) -> None:
    assert codes(source) == []
