from __future__ import annotations

import pytest

from tests.helpers import CREATE_MSG, codes, findings


def ssf010(source: str, **options: object) -> list[str]:
    return [line.split(": ")[0] for line in findings(source, **options) if " SSF010 " in line]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "get_agent_instance_factory().create_agent('X')\n", ["1:30"], id="call-receiver"
        ),
        pytest.param(
            "aif.create_agent_instance_factory(ctx).create_agent('X')\n",
            ["1:40"],
            id="replacement-call-receiver",
        ),
        pytest.param("AgentInstanceFactory().create_agent('X')\n", ["1:24"], id="class-call"),
        pytest.param(
            "def f(ctx):\n    factory = create_agent_instance_factory(ctx)\n"
            "    return factory.create_agent('X')\n",
            ["3:20"],
            id="assigned-in-function",
        ),
        pytest.param(
            "factory = get_agent_instance_factory()\nfactory.create_agent('X')\n",
            ["2:9"],
            id="assigned-at-module",
        ),
        pytest.param(
            "def f(factory: AgentInstanceFactory):\n    factory.create_agent('X')\n",
            ["2:13"],
            id="parameter-annotation",
        ),
        pytest.param(
            "def f(factory: 'Optional[AgentInstanceFactory]'):\n    factory.create_agent('X')\n",
            ["2:13"],
            id="string-optional-annotation",
        ),
        pytest.param(
            "def f(factory: Optional[mod.AgentInstanceFactory] = None):\n"
            "    factory.create_agent('X')\n",
            ["2:13"],
            id="optional-attribute-annotation",
        ),
        pytest.param(
            "def f():\n    factory: AgentInstanceFactory = make()\n    factory.create_agent('X')\n",
            ["3:13"],
            id="variable-annotation",
        ),
        pytest.param(
            "class T:\n    def setup(self):\n        self.factory = get_agent_instance_factory()\n"
            "    def test(self):\n        self.factory.create_agent('X')\n",
            ["5:22"],
            id="self-attribute",
        ),
        pytest.param(
            "@dataclass\nclass Ctx:\n    factory: AgentInstanceFactory\n"
            "def f(context):\n    context.factory.create_agent('X')\n",
            ["5:21"],
            id="dataclass-field",
        ),
        pytest.param(
            "def f(ctx):\n    factory = create_agent_instance_factory(ctx)\n"
            "    async def run():\n        await factory.create_agent('X')\n",
            ["4:23"],
            id="closure",
        ),
        pytest.param(
            "def f(f2):\n    f2.create_agent('X', user_execution_context=ctx)\n"
            "    f2.create_agent('X', None)\n    f2.create_agent('X', user_context=None)\n"
            "    f2.create_agent('X', 'TriageAgent001')\n    f2.create_agent()\n"
            "    f2.create_agent('X', -1)\n",
            ["2:8", "3:8", "4:8", "5:8", "6:8", "7:8"],
            id="no-context-shapes",
        ),
        pytest.param(
            "def f(factory: AgentInstanceFactory):\n    factory.create_agent_instance('X')\n",
            ["2:13"],
            id="second-default-method",
        ),
        pytest.param(
            "with pytest.raises(ValueError):\n    pass\n"
            "get_agent_instance_factory().create_agent('X')\n",
            ["3:30"],
            id="after-raises-block",
        ),
        pytest.param(
            "from a import AgentInstanceFactory as AIF\n"
            "def f(factory: AIF):\n    factory.create_agent('X')\n",
            ["3:13"],
            id="aliased-class-annotation",
        ),
    ],
)
def test_invalid(source: str, expected: list[str]) -> None:
    assert ssf010(source.replace("def f(f2)", "def f(f2: AgentInstanceFactory)")) == expected


def test_message() -> None:
    source = "get_agent_instance_factory().create_agent('X')\n"
    assert findings(source)[1] == f"1:30: SSF010 {CREATE_MSG}"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("orchestrator.create_agent('triage', 'TriageAgent001')\n", id="unknown"),
        pytest.param(
            "def f(factory):\n    factory.create_agent('X')\n", id="unannotated-parameter"
        ),
        pytest.param(
            "factory = get_agent_instance_factory()\n"
            "def f(factory):\n    factory.create_agent('X')\n",
            id="shadowed-by-parameter",
        ),
        pytest.param(
            "def g():\n    factory = get_agent_instance_factory()\n"
            "def f():\n    factory.create_agent('X')\n",
            id="other-function",
        ),
        pytest.param(
            "class A:\n    factory = create_agent_instance_factory(c)\n"
            "    def m(self):\n        factory.create_agent('X')\n",
            id="class-scope-not-visible-in-method",
        ),
        pytest.param(
            "def f(factory: AgentInstanceFactory, user_context):\n"
            "    factory.create_agent('X', user_context)\n"
            "    factory.create_agent('X', self.user_a_context)\n"
            "    factory.create_agent('X', user_context=enterprise_user_context)\n"
            "    factory.create_agent(*args)\n"
            "    factory.create_agent('X', **kwargs)\n"
            "    factory.create_agent('X', context)\n",
            id="context-given",
        ),
        pytest.param(
            "def f(factory: AgentInstanceFactory):\n"
            "    with pytest.raises(TypeError):\n        factory.create_agent('X')\n"
            "    with raises(TypeError):\n        factory.create_agent('X')\n"
            "    with self.assertRaises(TypeError):\n        factory.create_agent('X')\n"
            "    with self.assertRaisesRegex(TypeError, 'ctx'):\n"
            "        factory.create_agent('X')\n",
            id="negative-tests",
        ),
        pytest.param(
            "def f(factory: AgentInstanceFactory):\n    factory.create_agents('X')\n",
            id="other-method",
        ),
        pytest.param("def f(factory: Registry):\n    factory.create_agent('X')\n", id="other-type"),
    ],
)
def test_valid(source: str) -> None:
    assert "SSF010" not in codes(source)


def test_any_receiver_flags_every_receiver() -> None:
    source = "orchestrator.create_agent('triage', 'TriageAgent001')\n"
    assert ssf010(source) == []
    assert ssf010(source, ssot_any_receiver=True) == ["1:14"]


def test_configured_method_position_and_keyword() -> None:
    source = (
        "def f(cache: CacheFactory, ctx):\n"
        "    cache.open(ctx)\n    cache.open()\n    cache.open(ctx=ctx)\n"
        "    cache.open(user_context=ctx)\n"
    )
    options = {
        "ssot_context_methods": "open:0",
        "ssot_context_keyword": "ctx",
        "ssot_factory_classes": "CacheFactory",
    }
    assert findings(source, **options) == [
        "3:11: SSF010 open() is called without a user context; pass ctx as argument 1 or as ctx=",
        "5:11: SSF010 open() is called without a user context; pass ctx as argument 1 or as ctx=",
    ]


@pytest.mark.parametrize(
    "value",
    [
        "factory or get_agent_instance_factory()",
        "create_agent_instance_factory(ctx) if ctx else None",
        "None if ctx else (a and AgentInstanceFactory())",
    ],
)
def test_values_that_may_be_a_factory(value: str) -> None:
    source = f"def f(ctx, factory):\n    self.f = {value}\n    self.f.create_agent('X')\n"
    assert ssf010(source) == ["3:12"]


def test_deeply_chained_conditional_value() -> None:
    value = " if c else ".join(["None"] * 400 + ["create_agent_instance_factory(c)"])
    assert ssf010(f"f = {value}\nf.create_agent('X')\n") == ["2:3"]
