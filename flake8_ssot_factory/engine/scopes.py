"""One iterative walk of the tree that tells, for every node, its scope and whether it sits in a
``pytest.raises``-style or a ``pytest.warns``-style block.

An explicit stack instead of recursion: generated files with very deep expressions must be
analysed, not crash the interpreter.
"""

from __future__ import annotations

import ast
import dataclasses
import types
from typing import TYPE_CHECKING, Callable, List, Mapping, NamedTuple, Optional, Tuple

if TYPE_CHECKING:
    from flake8_ssot_factory.config.migrations import Migration

#: Context managers that mark a deliberate negative test (``with pytest.raises(...)``).
RAISES_CONTEXTS = frozenset({"raises", "assertRaises", "assertRaisesRegex", "assertRaisesRegexp"})
#: Context managers that assert or capture a warning: a call of a retired name inside tests
#: its deprecation, and migrating it would change what the test tests.
WARNS_CONTEXTS = frozenset(
    {"warns", "deprecated_call", "assertWarns", "assertWarnsRegex", "catch_warnings"}
)

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclasses.dataclass(eq=False)
class Scope:
    """A module, class or function body, and what the analysis learns about its names.

    Scopes live only as long as one analysis; nothing here is shared between runs.
    """

    node: ast.AST
    parent: Optional[Scope]
    #: Every name the scope binds (assignment, parameter, import, def, for/with target).
    bound: set[str] = dataclasses.field(default_factory=set)
    #: The names it binds to a factory (assigned from a factory call, or annotated), with
    #: the migration whose factory it is.
    factories: dict[str, Migration] = dataclasses.field(default_factory=dict)
    #: For a class: the attributes its methods assign on ``self``.
    self_attributes: set[str] = dataclasses.field(default_factory=set)

    @property
    def is_class(self) -> bool:
        return isinstance(self.node, ast.ClassDef)

    @property
    def is_comprehension(self) -> bool:
        return isinstance(self.node, COMPREHENSIONS)

    @property
    def is_module(self) -> bool:
        return self.parent is None

    @property
    def module(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def binding_scope(self, name: str) -> Optional[Scope]:
        """The scope a use of ``name`` here resolves to, by Python's rules (classes skipped)."""
        scope: Optional[Scope] = self
        while scope is not None:
            if name in scope.bound:
                return scope
            scope = scope.parent
            while scope is not None and scope.is_class:
                scope = scope.parent
        return None


class Frame(NamedTuple):
    scope: Scope
    in_raises_block: bool
    #: Inside ``with pytest.warns(...)``, ``pytest.deprecated_call()``, ``assertWarns``,
    #: ``warnings.catch_warnings()``: found, but never rewritten.
    in_warning_test: bool = False


# Context and operator nodes are shared leaves that say nothing the parent does not.
_LEAVES = (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)
_OPENS_SCOPE = (*_FUNCTIONS, ast.ClassDef, *COMPREHENSIONS)
# About half of all nodes; nothing below them needs a visit. A parameter's annotation is
# visited from its function (it belongs to the enclosing scope), not from the parameter.
_CHILDLESS = frozenset({ast.Name, ast.Constant, ast.arg})
_WITH = (ast.With, ast.AsyncWith)


def walk(
    tree: ast.AST, worth_visiting: Callable[[ast.stmt], bool] = lambda statement: True
) -> List[Tuple[ast.AST, Frame]]:
    """Every node of ``tree`` in source order (pre-order), with its frame, leaving out the
    statements (and all they contain) that ``worth_visiting`` turns down."""
    visited: List[Tuple[ast.AST, Frame]] = []
    stack: List[Tuple[ast.AST, Frame]] = [(tree, Frame(Scope(tree, None), False))]
    while stack:
        node, frame = stack.pop()
        if isinstance(node, ast.stmt) and not worth_visiting(node):
            continue
        visited.append((node, frame))
        if type(node) in _CHILDLESS:
            continue
        if isinstance(node, _OPENS_SCOPE) or (isinstance(node, _WITH) and _tests_a_failure(node)):
            framed = _frame_children(node, frame, _children(node))
            stack.extend(reversed(framed))
        else:
            stack.extend([(child, frame) for child in reversed(_children(node))])
    return visited


def _node_classes() -> List[type]:
    classes: List[type] = []
    pending: List[type] = [ast.AST]
    while pending:
        cls = pending.pop()
        classes.append(cls)
        pending += cls.__subclasses__()
    return classes


# Fields that never hold a node worth visiting: names, numbers, flags, contexts, operators.
_NOT_CHILDREN = frozenset(
    {"id", "attr", "name", "arg", "module", "level", "kind", "type_comment", "conversion"}
    | {"is_async", "asname", "simple", "tag", "ctx", "op", "ops"}
)
# For each node class, the fields to look into; built once at import and never changed.
_CHILD_FIELDS: Mapping[type, Tuple[str, ...]] = types.MappingProxyType(
    {
        cls: tuple(f for f in getattr(cls, "_fields", ()) if f not in _NOT_CHILDREN)
        for cls in _node_classes()
    }
)


def _children(node: ast.AST) -> List[ast.AST]:
    # ast.iter_child_nodes, without its per-node generators: this loop is the analysis' hot path.
    children: List[ast.AST] = []
    for field in _CHILD_FIELDS.get(type(node), node._fields):
        value = getattr(node, field, None)
        if isinstance(value, ast.AST):
            if not isinstance(value, _LEAVES):
                children.append(value)
        elif isinstance(value, list):
            children += [item for item in value if isinstance(item, ast.AST)]
    return children


def _frame_children(
    node: ast.AST, frame: Frame, children: List[ast.AST]
) -> List[Tuple[ast.AST, Frame]]:
    if isinstance(node, _WITH):  # a pytest.raises- or warns-style block: its body is a test
        body = set(map(id, node.body))
        raises = _with_names(node) & RAISES_CONTEXTS
        tested = Frame(
            frame.scope,
            frame.in_raises_block or bool(raises),
            frame.in_warning_test or not raises,
        )
        return [(child, tested if id(child) in body else frame) for child in children]
    inner = frame._replace(scope=Scope(node, frame.scope))
    if isinstance(node, COMPREHENSIONS):
        return _comprehension_parts(node, frame, inner)
    if isinstance(node, _FUNCTIONS):
        return _function_parts(node, frame, inner)
    # A class: its decorators, bases and keywords are evaluated where the definition stands.
    assert isinstance(node, ast.ClassDef)
    body = set(map(id, node.body))
    return [(child, inner if id(child) in body else frame) for child in children]


def _function_parts(
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, outer: Frame, inner: Frame
) -> List[Tuple[ast.AST, Frame]]:
    """Decorators, defaults and annotations run where the definition stands, before any call:
    the function's own parameters are not in scope there. The parameters and body are inside."""
    parts: List[Tuple[ast.AST, Frame]] = []
    if not isinstance(node, ast.Lambda):
        parts += [(decorator, outer) for decorator in node.decorator_list]
        parts += [(param, outer) for param in getattr(node, "type_params", ())]
    arguments = node.args
    parts += [(default, outer) for default in arguments.defaults]
    parts += [(default, outer) for default in arguments.kw_defaults if default is not None]
    for param in _parameters(arguments):
        parts.append((param, inner))
        if param.annotation is not None:
            parts.append((param.annotation, outer))
    if isinstance(node, ast.Lambda):
        return [*parts, (node.body, inner)]
    if node.returns is not None:
        parts.append((node.returns, outer))
    return parts + [(statement, inner) for statement in node.body]


def _parameters(arguments: ast.arguments) -> List[ast.arg]:
    listed = [*arguments.posonlyargs, *arguments.args, arguments.vararg]
    listed += [*arguments.kwonlyargs, arguments.kwarg]
    return [param for param in listed if param is not None]


def _comprehension_parts(node: ast.expr, outer: Frame, inner: Frame) -> List[Tuple[ast.AST, Frame]]:
    """A comprehension has its own scope, except its first iterable, which the enclosing scope
    evaluates."""
    assert isinstance(node, COMPREHENSIONS)
    if isinstance(node, ast.DictComp):
        parts: List[Tuple[ast.AST, Frame]] = [(node.key, inner), (node.value, inner)]
    else:
        parts = [(node.elt, inner)]
    for index, generator in enumerate(node.generators):
        parts.append((generator.target, inner))
        parts.append((generator.iter, outer if index == 0 else inner))
        parts += [(condition, inner) for condition in generator.ifs]
    return parts


def _tests_a_failure(node: ast.With | ast.AsyncWith) -> bool:
    """A ``pytest.raises``- or ``pytest.warns``-style block."""
    return not _with_names(node).isdisjoint(RAISES_CONTEXTS | WARNS_CONTEXTS)


def _with_names(node: ast.With | ast.AsyncWith) -> set[str]:
    """The names of the context managers a ``with`` calls (``raises`` for ``pytest.raises()``)."""
    items = (item.context_expr for item in node.items)
    return {name for c in items if isinstance(c, ast.Call) and (name := callee_name(c.func))}


def callee_name(func: ast.expr) -> Optional[str]:
    """``f`` for ``f(...)`` and ``obj.f(...)``; None for anything else."""
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None
