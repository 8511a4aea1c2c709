"""``fix_text``: the exact rewritten text for each rule, and what is left with which reason."""

from __future__ import annotations

import textwrap

import pytest

from flake8_ssot_factory.config.settings import DEFAULT_SETTINGS, build_settings
from flake8_ssot_factory.fixer.text import fix_text

REFERENCE = "a reference, not a call: what it should become depends on where it is called"


def fixed(source: str, unsafe: bool = False) -> str:
    return fix_text(textwrap.dedent(source), DEFAULT_SETTINGS, unsafe).text


def left(source: str, unsafe: bool = False) -> list[tuple[int, str, str]]:
    outcome = fix_text(textwrap.dedent(source), DEFAULT_SETTINGS, unsafe)
    return [(item.finding.line, item.finding.code, item.reason) for item in outcome.left]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from m import get_agent_instance_factory\n"
            "def f(user_context):\n    return get_agent_instance_factory()\n",
            "from m import create_agent_instance_factory\n"
            "def f(user_context):\n    return create_agent_instance_factory(user_context)\n",
            id="import-and-call",
        ),
        pytest.param(
            "from m import get_agent_instance_factory as g\ndef f(user_context):\n    return g()\n",
            "from m import create_agent_instance_factory as g\n"
            "def f(user_context):\n    return g(user_context)\n",
            id="alias-kept",
        ),
        pytest.param(
            "from m import (\n    create_agent_instance_factory,\n"
            "    get_agent_instance_factory,\n)\n"
            "def f(user_context):\n    return get_agent_instance_factory()\n",
            "from m import (\n    create_agent_instance_factory,\n)\n"
            "def f(user_context):\n    return create_agent_instance_factory(user_context)\n",
            id="dropped-beside-replacement-own-line",
        ),
        pytest.param(
            "from m import get_agent_instance_factory, create_agent_instance_factory\n"
            "def f(user_context):\n    return get_agent_instance_factory()\n",
            "from m import create_agent_instance_factory\n"
            "def f(user_context):\n    return create_agent_instance_factory(user_context)\n",
            id="dropped-beside-replacement-same-line",
        ),
        pytest.param(
            "import m as aif\ndef f(ctx: UserExecutionContext):\n"
            "    return aif.get_agent_instance_factory(  # old\n    )\n",
            "import m as aif\ndef f(ctx: UserExecutionContext):\n"
            "    return aif.create_agent_instance_factory(  # old\n    ctx)\n",
            id="attribute-call-annotated-context-comment-kept",
        ),
        pytest.param(
            "class T:\n    def setup(self, user_context):\n"
            "        self.user_context = user_context\n"
            "    def test(self, factory: AgentInstanceFactory):\n"
            "        factory.create_agent(\n            'X',  # the agent\n        )\n",
            "class T:\n    def setup(self, user_context):\n"
            "        self.user_context = user_context\n"
            "    def test(self, factory: AgentInstanceFactory):\n"
            "        factory.create_agent(\n            'X', self.user_context,  # the agent\n"
            "        )\n",
            id="self-context-trailing-comma-and-comment",
        ),
        pytest.param(
            "def f(factory: AgentInstanceFactory, user_context):\n"
            "    factory.create_agent(name='X')\n    factory.create_agent()\n"
            "    factory.create_agent('X', None)\n    factory.create_agent('X', flag=True)\n",
            "def f(factory: AgentInstanceFactory, user_context):\n"
            "    factory.create_agent(name='X', user_context=user_context)\n"
            "    factory.create_agent(user_context=user_context)\n"
            "    factory.create_agent('X', user_context)\n"
            "    factory.create_agent('X', user_context, flag=True)\n",
            id="context-method-shapes",
        ),
        pytest.param(
            "def f(user_context):\n    a = create_agent_instance_factory()\n"
            "    b = create_agent_instance_factory(None)\n"
            "    c = create_agent_instance_factory(user_context=None)\n"
            "    d = create_agent_instance_factory(config=1)\n",
            "def f(user_context):\n    a = create_agent_instance_factory(user_context)\n"
            "    b = create_agent_instance_factory(user_context)\n"
            "    c = create_agent_instance_factory(user_context=user_context)\n"
            "    d = create_agent_instance_factory(user_context, config=1)\n",
            id="replacement-shapes",
        ),
        pytest.param(
            "from m import get_agent_instance_factory\n"
            "def f(user_context):\n"
            "    s = 'é'; x = get_agent_instance_factory().create_agent('X')\n",
            "from m import create_agent_instance_factory\n"
            "def f(user_context):\n"
            "    s = 'é'; x = create_agent_instance_factory(user_context).create_agent('X', "
            "user_context)\n",
            id="non-ascii-before-chained-calls",
        ),
    ],
)
def test_safe_rewrites(before: str, after: str) -> None:
    assert fixed(before) == after
    assert fixed(after) == after  # a second run changes nothing


def test_string_fix_is_unsafe() -> None:
    source = "@patch(r'pkg.mod.' \"get_agent_instance_factory\")\ndef test(m):\n    pass\n"
    assert fixed(source) == source
    assert left(source) == [(1, "SSF004", "unsafe fix not requested (--unsafe-fixes)")]
    assert fixed(source, unsafe=True) == (
        "@patch(r'pkg.mod.' \"create_agent_instance_factory\")\ndef test(m):\n    pass\n"
    )


@pytest.mark.parametrize(
    ("source", "reasons"),
    [
        pytest.param(
            "def f():\n    return get_agent_instance_factory()\n",
            [(2, "SSF002", "no user context in scope")],
            id="no-context",
        ),
        pytest.param(
            "def f(a: UserExecutionContext, b: UserExecutionContext):\n"
            "    return create_agent_instance_factory()\n",
            [(2, "SSF011", "several user contexts in scope (a, b)")],
            id="tie",
        ),
        pytest.param(
            "def f(user_context):\n    with pytest.raises(ValueError):\n"
            "        get_agent_instance_factory()\n",
            [(3, "SSF002", "a deliberate negative test (inside pytest.raises)")],
            id="negative-test",
        ),
        pytest.param(
            "def f(user_context):\n    configure_agent_instance_factory(bridge=None)\n",
            [
                (
                    2,
                    "SSF002",
                    "the call passes arguments; create_agent_instance_factory() takes only a "
                    "user context",
                )
            ],
            id="arguments",
        ),
        pytest.param(
            "x = Depends(get_agent_instance_factory)\n",
            [
                (
                    1,
                    "SSF003",
                    "a reference, not a call: what it should become depends on where it is called",
                )
            ],
            id="reference",
        ),
        pytest.param(
            "def f(factory: AgentInstanceFactory, user_context):\n"
            "    factory.create_agent('X', user_execution_context=user_context)\n"
            "    factory.create_agent('X', 'TriageAgent001')\n"
            "    factory.create_agent(('X'))\n",
            [
                (
                    2,
                    "SSF010",
                    "a context is passed as user_execution_context=, not as user_context=",
                ),
                (3, "SSF010", "argument 2 is 'TriageAgent001', not a user context"),
                (4, "SSF010", "the argument before the context is in parentheses"),
            ],
            id="context-method-refusals",
        ),
        pytest.param(
            "def f(user_context):\n    return get_agent_instance_factory()\n",
            [
                (
                    2,
                    "SSF002",
                    "get_agent_instance_factory is not imported by name here, and "
                    "create_agent_instance_factory is not bound: import "
                    "create_agent_instance_factory by hand",
                )
            ],
            id="replacement-not-imported",
        ),
    ],
)
def test_left_with_reasons(source: str, reasons: list[tuple[int, str, str]]) -> None:
    assert fixed(source) == source
    assert left(source) == reasons


def test_bare_call_renamed_when_replacement_is_imported_anyway() -> None:
    source = (
        "from m import get_agent_instance_factory, create_agent_instance_factory\n"
        "x = [get_agent_instance_factory]\n"
        "def f(user_context):\n    return get_agent_instance_factory()\n"
    )
    assert fixed(source) == source.replace(
        "return get_agent_instance_factory()", "return create_agent_instance_factory(user_context)"
    )


def test_noqa_findings_are_not_fixed() -> None:
    source = "def f(user_context):\n    return create_agent_instance_factory()  # noqa: SSF011\n"
    assert fixed(source) == source
    assert left(source) == []


def test_configured_names_and_keyword() -> None:
    settings = build_settings(
        {"ssot-factories": "get_cache:make_cache", "ssot-context-keyword": "ctx"}
    )
    outcome = fix_text("from c import get_cache\ndef f(ctx):\n    return get_cache()\n", settings)
    assert outcome.text == "from c import make_cache\ndef f(ctx):\n    return make_cache(ctx)\n"


def test_crlf_is_kept() -> None:
    source = "def f(user_context):\r\n    return create_agent_instance_factory()\r\n"
    assert fixed(source) == (
        "def f(user_context):\r\n    return create_agent_instance_factory(user_context)\r\n"
    )


def test_text_that_does_not_parse_is_untouched() -> None:
    outcome = fix_text("create_agent_instance_factory(\n", DEFAULT_SETTINGS)
    assert (outcome.text, outcome.error, outcome.changed) == (
        "create_agent_instance_factory(\n",
        "does not parse",
        False,
    )


def test_import_kept_for_a_use_left_and_the_replacement_added_beside_it() -> None:
    source = (
        "from m import get_agent_instance_factory\nx = [get_agent_instance_factory]\n"
        "def f(user_context):\n    return get_agent_instance_factory()\n"
    )
    assert fixed(source) == (
        "from m import get_agent_instance_factory, create_agent_instance_factory\n"
        "x = [get_agent_instance_factory]\n"
        "def f(user_context):\n    return create_agent_instance_factory(user_context)\n"
    )
    assert left(source) == [
        (1, "SSF001", "get_agent_instance_factory is still used by code that is not fixed"),
        (2, "SSF003", REFERENCE),
    ]


@pytest.mark.parametrize(
    ("source", "after"),
    [
        pytest.param(
            "from m import (\n    create_agent_instance_factory,\n"
            "    get_agent_instance_factory,  # old\n)\n",
            "from m import (\n    create_agent_instance_factory,\n)\n",
            id="beside-replacement-with-a-comment",
        ),
        pytest.param(
            "from m import create_agent_instance_factory\n"
            "from n import get_agent_instance_factory\n",
            "from m import create_agent_instance_factory\n",
            id="replacement-imported-elsewhere",
        ),
    ],
)
def test_unused_import_dropped_where_the_replacement_is_imported(source: str, after: str) -> None:
    assert fixed(source) == after
    assert left(source) == []


def test_string_spelt_with_escapes_is_left() -> None:
    # The last part is spelt with an escape: rewriting the spelt occurrence would be wrong.
    source = "patch('get_agent_instance_factory.get_agent_instance_facto\\x72y')\n"
    assert fixed(source, unsafe=True) == source
    assert left(source, unsafe=True) == [
        (1, "SSF004", "the name is spelt with escapes or split across literals")
    ]


def test_context_type_through_an_alias() -> None:
    source = (
        "from ctx import UserExecutionContext as UEC\n"
        "def f(request_context: 'Optional[UEC]'):\n"
        "    return create_agent_instance_factory()\n"
    )
    assert fixed(source) == source.replace(
        "create_agent_instance_factory()", "create_agent_instance_factory(request_context)"
    )
