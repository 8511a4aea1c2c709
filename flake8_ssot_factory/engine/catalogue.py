"""The SSF rules: the one place where a code, its message and its documentation are written.

The flake8 plugin, the command line, the README's rule reference and the fixer all read this
module; nothing else spells a message.
"""

from __future__ import annotations

import dataclasses
import types
from typing import Mapping


@dataclasses.dataclass(frozen=True)
class Rule:
    """One SSF code with everything that is said about it."""

    code: str
    slug: str
    summary: str
    #: ``str.format`` template; the placeholders are the names a finding carries.
    message: str
    what_it_does: str
    why_is_this_bad: str
    example: str
    use_instead: str
    options: tuple[str, ...]
    fix_safety: str
    #: The message for a use of a migration of another shape (rename, move, report), keyed
    #: by shape; ``message`` is the context migration's.
    shape_messages: Mapping[str, str] = dataclasses.field(
        default_factory=lambda: types.MappingProxyType({})
    )

    def format_message(self, params: Mapping[str, str]) -> str:
        """The message for a finding's placeholders; a named migration is named at the end."""
        template = self.shape_messages.get(params.get("shape", ""), self.message)
        text = template.format_map(params)
        migration = params.get("migration")
        return f"{text} [{migration}]" if migration else text


_FACTORY_OPTIONS = ("ssot-factories", "ssot-migrations")
_CALL_OPTIONS = ("ssot-factories", "ssot-migrations", "ssot-context-keyword", "ssot-context-type")
_CONTEXT_OPTIONS = (
    "ssot-factories",
    "ssot-migrations",
    "ssot-context-methods",
    "ssot-context-keyword",
    "ssot-factory-classes",
    "ssot-any-receiver",
    "ssot-context-type",
)

RULES: tuple[Rule, ...] = (
    Rule(
        code="SSF001",
        slug="deprecated-factory-import",
        summary="a deprecated factory is imported",
        message="{deprecated} is a deprecated singleton; import {replacement} and call "
        "{replacement}({keyword})",
        what_it_does="Flags every name in an import statement that is a deprecated singleton "
        "factory: plain, aliased (`as x`) and relative imports, and imports inside `try`, "
        "`if TYPE_CHECKING:` or a function. A parenthesised import over several lines is "
        "flagged on the line of the name itself.",
        why_is_this_bad="The deprecated factory hands every user the same process-wide "
        "instance, so one user's context and results can reach another user; it now raises "
        "`ValueError` at run time. An import of it is where a new use starts.",
        example="from netra_backend.app.agents.supervisor.agent_instance_factory import (\n"
        "    get_agent_instance_factory,\n"
        ")",
        use_instead="from netra_backend.app.agents.supervisor.agent_instance_factory import (\n"
        "    create_agent_instance_factory,\n"
        ")",
        options=_FACTORY_OPTIONS,
        shape_messages=types.MappingProxyType(
            {
                "rename": "{deprecated} is deprecated; import {replacement} instead",
                "move": "{deprecated} is imported from {old_module}; import it from {new_module}",
                "report": "{deprecated} is deprecated: {note}",
            }
        ),
        fix_safety="Safe. Planned with every use of the imported name in the module (uses "
        "silenced with `noqa` and `__all__` entries count). When every use is fixed, the import "
        "becomes an import of the replacement (an `as` alias kept), or goes where the "
        "replacement is bound already (an empty statement is removed; `pass` keeps a block). "
        "When a use is left, the import stays and the replacement is added beside it for the "
        "calls that are fixed. A name that another file being fixed imports or patches from "
        "this module stays, and so do its uses. A rename: the same, with the new name. A "
        "move: the import names the new module (the moved names go to an import of their own "
        "when the statement imports others). A report-only migration is not fixed.",
    ),
    Rule(
        code="SSF002",
        slug="deprecated-factory-call",
        summary="a deprecated factory is called",
        message="{deprecated}() is a deprecated singleton; use {replacement}({keyword})",
        what_it_does="Flags every call of a deprecated singleton factory: by its name, by a "
        "local alias made in an import (`from m import get_agent_instance_factory as g; g()`), "
        "or as an attribute (`aif.get_agent_instance_factory()`), anywhere in the module, "
        "including inside `pytest.raises` blocks.",
        why_is_this_bad="Every caller gets the same shared instance: state leaks between "
        "concurrent users. The function now raises `ValueError`, so the call is also a latent "
        "crash.",
        example="factory = get_agent_instance_factory()",
        use_instead="factory = create_agent_instance_factory(user_context)",
        options=_CALL_OPTIONS,
        shape_messages=types.MappingProxyType(
            {
                "rename": "{deprecated}() is deprecated; call {replacement}() with the same "
                "arguments",
                "move": "{deprecated}() is called from {old_module}; import it from {new_module}",
                "report": "{deprecated}() is deprecated: {note}",
            }
        ),
        fix_safety="Safe, when a user context is in scope: `get_agent_instance_factory()` becomes "
        "`create_agent_instance_factory(ctx)` (`mod.get_agent_instance_factory()` likewise, "
        "when `mod` is not a file being fixed that lacks the replacement). A user context is "
        "per request: a parameter named like the context keyword, or the one parameter "
        "annotated with the context type, of the function the call runs in (or of one around "
        "it); a local bound on every path before the call (an earlier assignment in the same "
        "or an enclosing block, a `for`/`with` target whose body holds the call, a "
        "comprehension target); `self.<keyword>` set in an initializer (`__init__`, `setUp`, "
        "`setup_method`...) or earlier in the same method. Never a module global, a class "
        "attribute, an import, a function or a literal; defaults, decorators and annotations "
        "run outside the function. Left as it is: a call with arguments, a call inside "
        "`pytest.raises` or a block that asserts the deprecation warning (`pytest.warns`, "
        "`pytest.deprecated_call`, `assertWarns`, `warnings.catch_warnings`), no context or "
        "two in scope. A rename: the call takes the new name, arguments kept, when it binds the "
        "replacement the tree defines (async or not for the definition the import reaches, "
        "parameters bound by position of the same names, the members used on the result); "
        "`await` before a sync replacement goes when the old function was async. A moved "
        "function called through its old module, and a report-only migration, are not fixed.",
    ),
    Rule(
        code="SSF003",
        slug="deprecated-factory-reference",
        summary="a deprecated factory is referenced without being called",
        message="{deprecated} is a deprecated singleton referenced without a call; "
        "use {replacement}({keyword})",
        what_it_does="Flags a deprecated factory used as a value rather than called: passed as "
        "a callback (`Depends(get_agent_instance_factory)`), stored (`f = "
        'get_agent_instance_factory`, `{"k": get_agent_instance_factory}`), returned, or an '
        "attribute of that name re-bound (`module.get_agent_instance_factory = Mock()`).",
        why_is_this_bad="The reference is called later, somewhere the checker cannot follow, "
        "with the same shared-state bug; re-binding the attribute keeps tests coupled to the "
        "singleton.",
        example="router_dependency = Depends(get_agent_instance_factory)",
        use_instead="router_dependency = Depends(get_user_factory)\n"
        "# where get_user_factory returns create_agent_instance_factory(user_context)",
        options=_FACTORY_OPTIONS,
        shape_messages=types.MappingProxyType(
            {
                "rename": "{deprecated} is deprecated; refer to {replacement} instead",
                "move": "{deprecated} is referenced in {old_module}; import it from {new_module}",
                "report": "{deprecated} is deprecated: {note}",
            }
        ),
        fix_safety="Not fixable automatically for a context migration: what the reference should "
        "become depends on where it is called. A rename: safe, the reference takes the new name, "
        "when the replacement the tree defines is as async as the old function and takes the "
        "same parameters (the reference is called later as the old function was).",
    ),
    Rule(
        code="SSF004",
        slug="deprecated-factory-string",
        summary="a string names a deprecated factory",
        message='"{value}" names the deprecated singleton {deprecated}; use "{suggestion}"',
        what_it_does="Flags a string literal whose whole value is a deprecated factory's name "
        "or a dotted path ending in it: `mock.patch` targets, `patch.object(mod, ...)`, "
        "`monkeypatch.setattr`, `getattr`, `__all__` entries. Docstrings, comments and prose "
        "that merely mention the name are not flagged.",
        why_is_this_bad="About a quarter of the uses in a real code base are such strings: "
        "tests that patch the singleton keep passing while production code has moved on, and "
        "`__all__` keeps re-exporting it.",
        example='@patch("netra_backend.app.agents.supervisor.agent_instance_factory'
        '.get_agent_instance_factory")\n'
        "def test_chat_handler(mock_factory): ...",
        use_instead='@patch("netra_backend.app.agents.supervisor.agent_instance_factory'
        '.create_agent_instance_factory")\n'
        "def test_chat_handler(mock_factory): ...",
        options=_FACTORY_OPTIONS,
        shape_messages=types.MappingProxyType(
            {
                "rename": '"{value}" names the deprecated {deprecated}; use "{suggestion}"',
                "move": '"{value}" names {deprecated} in {old_module}; use "{suggestion}"',
                "report": '"{value}" names the deprecated {deprecated}: {note}',
            }
        ),
        fix_safety="Unsafe (applied with `--unsafe-fixes`): the name inside the quotes becomes the "
        "replacement's, quotes and prefix kept. It changes what a test patches, so review it. "
        "A target in a module among the files being fixed is rewritten only if that module "
        "binds the replacement after the fix; an `__all__` entry only together with the import "
        "of the name it lists; an attribute name (`getattr(obj, ...)`, `patch.object`) only "
        "when the object is certainly a module (bound by `import`).",
    ),
    Rule(
        code="SSF010",
        slug="context-method-without-context",
        summary="a context method is called on a factory without a user context",
        message="{method}() is called without a user context; pass {keyword} as argument "
        "{argument} or as {keyword}=",
        what_it_does="Flags a call of a context method (`create_agent`) on a receiver known to "
        "be an agent factory when it passes no user context: no argument at the context's "
        "position (or only a literal such as `None` or a string there), no context keyword "
        "(or `None` under it) and no `*args`/`**kwargs`. A receiver is known to be a factory "
        "when it is a call of a deprecated or replacement factory or of a factory class; a "
        "name the enclosing function (or, by Python's scoping, an enclosing function or the "
        "module) assigns from such a call or annotates with a factory class; or `obj.x` where "
        "the module assigns an attribute `x` from such a call or annotates an attribute or "
        "class field `x` with a factory class. A context passed under another keyword is no "
        "context. Calls inside `pytest.raises` / `assertRaises` blocks are deliberate negative "
        "tests and are not flagged.",
        why_is_this_bad="An agent created without the caller's context runs with shared or "
        "missing user state: a data-isolation bug, and on the real code base a `TypeError`.",
        example="factory = create_agent_instance_factory(user_context)\n"
        'agent = factory.create_agent("DataHelper")',
        use_instead="factory = create_agent_instance_factory(user_context)\n"
        'agent = factory.create_agent("DataHelper", user_context)',
        options=_CONTEXT_OPTIONS,
        fix_safety="Safe, when a user context is in scope (found as for SSF002): the "
        "context goes in at the method's position when the arguments before it are there, as "
        "`user_context=ctx` when they are not, or in place of a `None`; a bare generator "
        "argument gets its own parentheses. Left as it is: a string or number at the "
        "context's position, a context under another keyword.",
    ),
    Rule(
        code="SSF011",
        slug="replacement-factory-without-context",
        summary="a replacement factory is called without a user context",
        message="{replacement}() is called without a user context; use {replacement}({keyword})",
        what_it_does="Flags a call of a replacement factory (by name, alias or attribute) with "
        "no context: no positional argument and no context keyword, or `None` as the first "
        "positional argument or under the context keyword. Calls with `*args`/`**kwargs` and "
        "calls inside `pytest.raises` / `assertRaises` blocks are not flagged.",
        why_is_this_bad="The per-user factory exists to carry the caller's context; without "
        "one it cannot isolate users and raises at run time.",
        example="factory = create_agent_instance_factory()",
        use_instead="factory = create_agent_instance_factory(user_context)",
        options=_CALL_OPTIONS,
        fix_safety="Safe, when a user context is in scope (found as for SSF002): "
        "`create_agent_instance_factory()` and `(None)` become `(ctx)`, and "
        "`(user_context=None)` becomes `(user_context=ctx)`.",
    ),
)

# Read-only: the catalogue is shared by every run in the process.
RULES_BY_CODE: Mapping[str, Rule] = types.MappingProxyType({rule.code: rule for rule in RULES})
