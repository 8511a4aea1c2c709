"""``fix`` never breaks code: every name stays defined, and a context is one.

One case per defect seen on a real code base (each failed before the fixer planned imports by
every use of a name and looked for contexts by Python's scoping and flow), and per new shape.
"""

from __future__ import annotations

import textwrap
from typing import List, Tuple

import pytest

from flake8_ssot_factory.config.settings import DEFAULT_SETTINGS
from flake8_ssot_factory.fixer import text as fixer
from flake8_ssot_factory.fixer.text import fix_text

D, R = "get_agent_instance_factory", "create_agent_instance_factory"
NOT_BOUND = "user_context is not bound on every path before this call"


def fix(source: str, unsafe: bool = False) -> Tuple[str, List[Tuple[int, str, str]]]:
    outcome = fix_text(textwrap.dedent(source), DEFAULT_SETTINGS, unsafe)
    assert outcome.error is None
    again = fix_text(outcome.text, DEFAULT_SETTINGS, unsafe)
    assert again.text == outcome.text  # a second run changes nothing
    left = [(item.finding.line, item.finding.code, item.reason) for item in outcome.left]
    return outcome.text, left


def dedent(text: str) -> str:
    return textwrap.dedent(text)


def test_a_use_under_noqa_keeps_its_import() -> None:
    text, left = fix(
        """\
        from m import get_agent_instance_factory
        def f(user_context):
            a = get_agent_instance_factory()
            b = get_agent_instance_factory()  # noqa: SSF002
        """
    )
    assert text == dedent(
        """\
        from m import get_agent_instance_factory, create_agent_instance_factory
        def f(user_context):
            a = create_agent_instance_factory(user_context)
            b = get_agent_instance_factory()  # noqa: SSF002
        """
    )
    assert left == [(1, "SSF001", f"{D} is still used by code that is not fixed")]


def test_two_deprecated_names_in_one_import_become_one_replacement() -> None:
    text, left = fix(
        """\
        from m import (
            configure_agent_instance_factory,
            get_agent_instance_factory,
        )
        def f(user_context):
            a = get_agent_instance_factory()
            b = configure_agent_instance_factory()
        """
    )
    assert text == dedent(
        """\
        from m import (
            create_agent_instance_factory,
        )
        def f(user_context):
            a = create_agent_instance_factory(user_context)
            b = create_agent_instance_factory(user_context)
        """
    )
    assert left == []


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        pytest.param(
            """\
            async def handle(request):
                factory = get_agent_instance_factory()
                user_context = await request.context()
            """,
            NOT_BOUND,
            id="bound-only-later",
        ),
        pytest.param(
            """\
            import pytest
            @pytest.fixture
            def user_context():
                return make()
            def test_it():
                factory = get_agent_instance_factory()
            """,
            "user_context is a module-level name, not a user context",
            id="module-level-fixture",
        ),
        pytest.param(
            """\
            user_context = None
            def handle():
                return get_agent_instance_factory()
            """,
            "user_context is a module-level name, not a user context",
            id="module-level-variable",
        ),
        pytest.param(
            """\
            def handle(flag):
                if flag:
                    user_context = make()
                return get_agent_instance_factory()
            """,
            NOT_BOUND,
            id="bound-only-in-a-branch",
        ),
        pytest.param(
            """\
            def handle(items):
                for user_context in items:
                    pass
                return get_agent_instance_factory()
            """,
            NOT_BOUND,
            id="loop-target-after-the-loop",
        ),
        pytest.param(
            """\
            def handle():
                user_context = None
                return get_agent_instance_factory()
            """,
            "user_context is assigned a literal, not a user context",
            id="a-literal",
        ),
        pytest.param(
            """\
            def handle():
                from ctx import user_context
                return get_agent_instance_factory()
            """,
            "user_context is an import, function or class, not a user context",
            id="an-import",
        ),
        pytest.param(
            """\
            def handle():
                global user_context
                user_context = make()
                return get_agent_instance_factory()
            """,
            "user_context is a module-level name, not a user context",
            id="declared-global",
        ),
        pytest.param(
            """\
            class Handler:
                user_context = make()
                factory = get_agent_instance_factory()
            """,
            "user_context is a class attribute, not a user context",
            id="class-attribute-in-the-class-body",
        ),
        pytest.param(
            """\
            class Handler:
                user_context = make()
                def handle(self):
                    return get_agent_instance_factory()
            """,
            "no user context in scope",
            id="class-attribute-seen-from-a-method",
        ),
        pytest.param(
            """\
            def handle(user_context, factory=get_agent_instance_factory()):
                pass
            """,
            "no user context in scope",
            id="parameter-default",
        ),
        pytest.param(
            """\
            @register(get_agent_instance_factory())
            def handle(user_context):
                pass
            """,
            "no user context in scope",
            id="decorator",
        ),
        pytest.param(
            """\
            class Service:
                def __init__(self, request):
                    self.factory = get_agent_instance_factory()
                    self.user_context = request.context
            """,
            "no user context in scope",
            id="self-attribute-set-only-after-the-call",
        ),
        pytest.param(
            """\
            class Service:
                def configure(self, request):
                    self.user_context = request.context
                def handle(self):
                    return get_agent_instance_factory()
            """,
            "no user context in scope",
            id="self-attribute-set-outside-an-initializer",
        ),
        pytest.param(
            """\
            class Service:
                def __init__(self):
                    self.user_context = None
                def handle(self):
                    return get_agent_instance_factory()
            """,
            "no user context in scope",
            id="self-attribute-set-to-none",
        ),
        pytest.param(
            """\
            def handle(items):
                return [get_agent_instance_factory() for x in items if (user_context := x)]
            """,
            "no user context in scope",
            id="walrus-is-not-taken",
        ),
    ],
)
def test_what_is_not_a_user_context(source: str, reason: str) -> None:
    source = f"from m import {D}\n" + textwrap.dedent(source)
    text, left = fix(source)
    assert text == source
    calls = [item for item in left if item[1] == "SSF002"]
    assert [item[2] for item in calls] == [reason]


@pytest.mark.parametrize(
    ("source", "context"),
    [
        pytest.param("def f(user_context):\n    return {call}\n", "user_context", id="parameter"),
        pytest.param(
            "def f(request):\n    user_context = request.context\n    return {call}\n",
            "user_context",
            id="earlier-assignment",
        ),
        pytest.param(
            "def f(request):\n    user_context = request.context\n"
            "    if request:\n        return {call}\n",
            "user_context",
            id="assigned-in-an-enclosing-block",
        ),
        pytest.param(
            "def f(contexts):\n    for user_context in contexts:\n        yield {call}\n",
            "user_context",
            id="loop-target-in-the-body",
        ),
        pytest.param(
            "async def f(session):\n    async with session.context() as user_context:\n"
            "        return {call}\n",
            "user_context",
            id="with-target-in-the-body",
        ),
        pytest.param(
            "def f(contexts):\n    return [{call} for user_context in contexts]\n",
            "user_context",
            id="comprehension-target",
        ),
        pytest.param(
            "def f(user_context):\n    def inner():\n        return {call}\n    return inner\n",
            "user_context",
            id="closure-over-a-parameter",
        ),
        pytest.param(
            "def f(ctx: 'UserExecutionContext'):\n    return {call}\n", "ctx", id="typed-parameter"
        ),
        pytest.param(
            "class T:\n    def setup_method(self):\n        self.user_context = make()\n"
            "    def test(self):\n        return {call}\n",
            "self.user_context",
            id="self-attribute-set-in-setup-method",
        ),
        pytest.param(
            "class T:\n    def __init__(self, request):\n"
            "        self.user_context = request.context\n        self.factory = {call}\n",
            "self.user_context",
            id="self-attribute-set-earlier-in-init",
        ),
    ],
)
def test_what_is_a_user_context(source: str, context: str) -> None:
    before = f"from m import {D}\n" + source.format(call=f"{D}()")
    after = f"from m import {R}\n" + source.format(call=f"{R}({context})")
    assert fix(before) == (after, [])


def test_alias_over_a_backslash_is_seen_and_fixed() -> None:
    text, left = fix(
        "from m import get_agent_instance_factory \\\n    as g\n"
        "def f(user_context):\n    return g()\n"
    )
    assert text == (
        "from m import create_agent_instance_factory \\\n    as g\n"
        "def f(user_context):\n    return g(user_context)\n"
    )
    assert left == []


def test_alias_after_a_comment_is_seen() -> None:
    source = "from m import (get_agent_instance_factory  # old\n    as g)\nx = g()\n"
    text, left = fix(source)
    assert text == source
    assert left == [
        (1, "SSF001", "g is still used by code that is not fixed"),
        (3, "SSF002", "no user context in scope"),
    ]


def test_alias_beside_its_replacement_goes_and_its_calls_name_the_replacement() -> None:
    text, left = fix(f"from m import {R}, {D} as g\ndef f(user_context):\n    return g()\n")
    assert text == f"from m import {R}\ndef f(user_context):\n    return {R}(user_context)\n"
    assert left == []


def test_import_in_a_function_is_dropped_where_the_module_imports_the_replacement() -> None:
    text, left = fix(
        f"from m import {R}\ndef f(user_context):\n    from m import {D}\n    return {D}()\n"
    )
    assert text == f"from m import {R}\ndef f(user_context):\n    return {R}(user_context)\n"
    assert left == []


def test_dropped_import_leaves_pass_in_an_empty_block() -> None:
    text, _ = fix(
        f"from m import {R}\ntry:\n    from a import {D}\nexcept ImportError:\n"
        f"    from b import {D}\ndef f(user_context):\n    return {D}()\n"
    )
    assert text == (
        f"from m import {R}\ntry:\n    pass\nexcept ImportError:\n    pass\n"
        f"def f(user_context):\n    return {R}(user_context)\n"
    )


def test_fallback_imports_are_renamed_together() -> None:
    text, _ = fix(
        f"try:\n    from a import {D}\nexcept ImportError:\n    from b import {D}\n"
        f"def f(user_context):\n    return {D}()\n"
    )
    assert text == (
        f"try:\n    from a import {R}\nexcept ImportError:\n    from b import {R}\n"
        f"def f(user_context):\n    return {R}(user_context)\n"
    )


def test_dunder_all_and_import_are_renamed_both_or_neither() -> None:
    source = f'from m import {D}\n__all__ = ["{D}"]\ndef f(user_context):\n    return {D}()\n'
    safe, left = fix(source)
    assert safe == (
        f'from m import {D}, {R}\n__all__ = ["{D}"]\n'
        f"def f(user_context):\n    return {R}(user_context)\n"
    )
    assert left == [
        (1, "SSF001", f"{D} is named in __all__; rename both with --unsafe-fixes"),
        (2, "SSF004", "unsafe fix not requested (--unsafe-fixes)"),
    ]
    unsafe, left = fix(source, unsafe=True)
    assert unsafe == (
        f'from m import {R}\n__all__ = ["{R}"]\n'
        f"def f(user_context):\n    return {R}(user_context)\n"
    )
    assert left == []


def test_dunder_all_of_a_module_defining_the_name_is_not_rewritten() -> None:
    source = f'__all__ = ["{D}"]\ndef {D}():\n    raise ValueError\n'
    text, left = fix(source, unsafe=True)
    assert text == source
    assert left == [(1, "SSF004", f"{D} is not imported by this module; rename the entry by hand")]


def test_unused_import_beside_a_replacement_imported_elsewhere_is_dropped() -> None:
    text, left = fix(
        f"from a import {R}\nfrom b import {D}\nx = 1\ndef f(user_context):\n    return {D}()\n"
    )
    assert text == f"from a import {R}\nx = 1\ndef f(user_context):\n    return {R}(user_context)\n"
    assert left == []


def test_import_sharing_a_line_goes_with_its_semicolon() -> None:
    text, _ = fix(f"import os; from b import {D}\nfrom a import {R}\n")
    assert text == f"import os\nfrom a import {R}\n"


def test_bare_generator_argument_gets_its_own_parentheses() -> None:
    text, left = fix(
        "def f(factory: AgentInstanceFactory, user_context):\n"
        "    return factory.create_agent(y for y in ys)\n"
    )
    assert text == (
        "def f(factory: AgentInstanceFactory, user_context):\n"
        "    return factory.create_agent((y for y in ys), user_context)\n"
    )
    assert left == []


def test_replacement_not_added_where_a_function_reads_it_from_outside() -> None:
    source = (
        f"def f(user_context):\n    a = {R}(user_context)\n"
        f"    from m import {D}\n    b = {D}()\n    c = [{D}]\n"
    )
    text, left = fix(source)
    assert text == source
    assert (4, "SSF002", f"{R} is used in this function already") in left


def test_module_level_call_above_the_replacement_import_is_left() -> None:
    source = f"from m import {D}\nx = [{D}]\nuser_context = 1\n"
    text, _ = fix(source)
    assert text == source


def test_the_pyflakes_gate_refuses_a_rewrite_that_adds_a_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = f"from m import {D}\ndef f(user_context):\n    return {D}()\n"
    real = fixer.apply_edits
    monkeypatch.setattr(
        fixer, "apply_edits", lambda text, edits: real(text, edits) + "print(undefined_thing)\n"
    )
    outcome = fix_text(source, DEFAULT_SETTINGS)
    assert outcome.text == source
    assert outcome.error == (
        "the rewrite would add a pyflakes message (line 4: undefined name 'undefined_thing')"
    )


def test_the_gate_does_not_count_a_renamed_unused_import_as_new() -> None:
    source = f"from m import {D}\n"
    text, left = fix(source)
    assert (text, left) == (f"from m import {R}\n", [])


STILL_USED = (1, "SSF001", f"{D} is still used by code that is not fixed")


@pytest.mark.parametrize(
    ("body", "fixed_call"),
    [
        # Unpacked from a call: bound on every path to something that is not a literal.
        (
            "def f(request):\n    user_context, other = request.split()\n    return CALL\n",
            "    return NEW(user_context)",
        ),
        (
            "def f(make):\n    with make() as user_context:\n        pass\n    return CALL\n",
            "    return NEW(user_context)",
        ),
        # An inner function's nonlocal is the enclosing function's parameter.
        (
            "def outer(user_context):\n    def inner():\n        nonlocal user_context\n"
            "        return CALL\n",
            "        return NEW(user_context)",
        ),
        (
            "class S:\n    def __init__(self, ctx):\n        self.user_context: object = ctx\n"
            "    def run(self):\n        return CALL\n",
            "        return NEW(self.user_context)",
        ),
    ],
    ids=["unpacked", "with-target", "nonlocal", "annotated-attribute"],
)
def test_contexts_bound_in_other_shapes_are_passed(body: str, fixed_call: str) -> None:
    text, left = fix(f"from m import {D}\n" + body.replace("CALL", f"{D}()"))
    assert left == []
    assert text.splitlines()[0] == f"from m import {R}"
    assert text.splitlines()[-1] == fixed_call.replace("NEW", R)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        # *name, = ... always holds a list.
        ("def f(request):\n    *user_context, = request\n    return CALL\n", NOT_BOUND),
        (
            "def f():\n    global user_context\n    return CALL\n",
            "user_context is a module-level name, not a user context",
        ),
        # An exception is not a context.
        (
            "def f():\n    try:\n        pass\n    except Exception as user_context:\n"
            "        return CALL\n",
            NOT_BOUND,
        ),
        # A static method has no self; a first parameter not named self is not read as one.
        (
            "class S:\n    user_context = None\n    @staticmethod\n    def run(x):\n"
            "        return CALL\n",
            "no user context in scope",
        ),
        (
            "class S:\n    def __init__(self, ctx):\n        self.user_context = ctx\n"
            "    def run(this):\n        return CALL\n",
            "no user context in scope",
        ),
    ],
    ids=["starred", "global", "exception", "staticmethod", "not-self"],
)
def test_what_is_not_a_context_is_left_with_the_reason(body: str, reason: str) -> None:
    source = f"from m import {D}\n" + body.replace("CALL", f"{D}()")
    text, left = fix(source)
    assert text == source
    assert left == [STILL_USED, (source.count("\n"), "SSF002", reason)]


def test_a_later_generator_binds_the_context_for_the_element() -> None:
    text, left = fix(
        f"""\
        from m import {D}
        def f(items):
            return [{D}() for user_context in items]
        """
    )
    assert left == []
    assert text.splitlines()[-1] == f"    return [{R}(user_context) for user_context in items]"
