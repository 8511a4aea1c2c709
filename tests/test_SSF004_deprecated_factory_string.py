from __future__ import annotations

import pytest

from tests.helpers import codes, findings

D = "get_agent_instance_factory"


def message(value: str, suggestion: str) -> str:
    return f'"{value}" names the deprecated singleton {D}; use "{suggestion}"'


@pytest.mark.parametrize(
    ("source", "position", "value", "suggestion"),
    [
        pytest.param(
            "@patch('pkg.mod.get_agent_instance_factory')\ndef test():\n    pass\n",
            "1:8",
            f"pkg.mod.{D}",
            "pkg.mod.create_agent_instance_factory",
            id="patch-decorator",
        ),
        pytest.param(
            'with mock.patch(\n    "pkg.mod.get_agent_instance_factory",\n):\n    pass\n',
            "2:5",
            f"pkg.mod.{D}",
            "pkg.mod.create_agent_instance_factory",
            id="patch-context-multiline",
        ),
        pytest.param(
            "patch.object(mod, 'get_agent_instance_factory')\n",
            "1:19",
            D,
            "create_agent_instance_factory",
            id="patch-object",
        ),
        pytest.param(
            "monkeypatch.setattr(mod, 'get_agent_instance_factory', fake)\n",
            "1:26",
            D,
            "create_agent_instance_factory",
            id="monkeypatch",
        ),
        pytest.param(
            'f = getattr(mod, "get_agent_instance_factory")\n',
            "1:18",
            D,
            "create_agent_instance_factory",
            id="getattr",
        ),
        pytest.param(
            "__all__ = [\n    'other',\n    'get_agent_instance_factory',\n]\n",
            "3:5",
            D,
            "create_agent_instance_factory",
            id="dunder-all",
        ),
        pytest.param(
            "patch('pkg.mod.' 'get_agent_instance_factory')\n",
            "1:7",
            f"pkg.mod.{D}",
            "pkg.mod.create_agent_instance_factory",
            id="implicit-concatenation",
        ),
    ],
)
def test_invalid(source: str, position: str, value: str, suggestion: str) -> None:
    assert findings(source) == [f"{position}: SSF004 {message(value, suggestion)}"]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param('def f():\n    """Replaces get_agent_instance_factory."""\n', id="docstring"),
        pytest.param('"""get_agent_instance_factory"""\n', id="module-docstring-exact"),
        pytest.param("log.warning('get_agent_instance_factory is gone')\n", id="log-prose"),
        pytest.param("x = 'use get_agent_instance_factory'\n", id="not-whole-value"),
        pytest.param("x = 'pkg.get_agent_instance_factory_dependency'\n", id="longer-name"),
        pytest.param("x = 'pkg.get_agent_instance_factory.attr'\n", id="not-the-last-part"),
        pytest.param("x = f'{mod}.get_agent_instance_factory'\n", id="f-string-piece"),
        pytest.param("x = b'get_agent_instance_factory'\n", id="bytes"),
        pytest.param("x = 'pkg..get_agent_instance_factory'\n", id="not-a-dotted-path"),
    ],
)
def test_valid(source: str) -> None:
    assert codes(source) == []
