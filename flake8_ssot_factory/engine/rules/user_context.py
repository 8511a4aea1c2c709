"""Finding the user context a fix can pass at a call site, or the reason there is none.

A user context is per request. It comes from the function the call runs in:

- a parameter named like the context keyword, or the one parameter annotated with the context
  type, of the function whose body holds the call (or of a function around it: a closure);
- a local of that function bound on every path before the call: an earlier assignment in the
  same block or an enclosing block, a ``for``/``with`` target whose body holds the call, a
  comprehension target;
- ``self.<keyword>`` in a method, when the class sets it in an initializer (``__init__``,
  ``setUp``, ``setup_method``...) or the method itself sets it earlier on every path.

Module globals, class attributes, functions, classes and imports are never one, nor is a name
assigned a literal (``None``). Defaults, decorators and annotations run outside the function:
its parameters are not in scope there.
"""

from __future__ import annotations

import ast
import dataclasses
from typing import Callable, Dict, Iterator, List, Optional, Set, Tuple

from flake8_ssot_factory.engine.scopes import COMPREHENSIONS, Scope

NO_CONTEXT = "no user context in scope"
#: Methods that run before any other method of an instance (constructors and test set-ups).
INITIALIZERS = frozenset(
    {"__init__", "__post_init__", "setUp", "asyncSetUp", "setup_method", "setup"}
)

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_FUNCTIONS = (*_DEFINITIONS, ast.Lambda)
_SCOPES = (*_FUNCTIONS, ast.ClassDef, *COMPREHENSIONS)
_WITH = (ast.With, ast.AsyncWith)
_FOR = (ast.For, ast.AsyncFor)
_LEAVES = (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)


#: Whether a statement binds what is looked for (a name, or an attribute of ``self``).
_Binder = Callable[[ast.stmt], bool]


@dataclasses.dataclass(frozen=True)
class _Resolution:
    """What a name means at the call: a user context (and where it is bound), or why not."""

    usable: bool
    reason: str = ""
    #: The function (or comprehension) whose parameter or local the name is.
    owner: Optional[ast.AST] = None


@dataclasses.dataclass(frozen=True)
class _Locals:
    """What one function binds, read once per analysis."""

    bound: Set[str]
    #: Names bound by an import, a def or a class: never a user context.
    definitions: Set[str]
    #: Names assigned a literal somewhere (``user_context = None``).
    literals: Set[str]
    declared_global: Set[str]
    declared_nonlocal: Set[str]


class ContextFinder:
    """Answers "which user context can this call get?" for one module's analysis.

    It keeps per-analysis caches (what each function binds, what each class sets on ``self``),
    so it lives exactly as long as one analysis: no state outlives a file.
    """

    def __init__(self, is_context_type: Callable[[ast.expr, str], bool]) -> None:
        self._is_context_type = is_context_type
        #: (``id(function node)``, type) -> its parameters annotated with the context type.
        self._typed: Dict[Tuple[int, str], List[str]] = {}
        self._locals: Dict[int, _Locals] = {}
        self._initialized: Dict[Tuple[int, str], bool] = {}
        #: ``id(module-level definition)`` -> ``id(node)`` -> the node's parent, within it.
        self._parents: Dict[int, Dict[int, ast.AST]] = {}

    def find(
        self, call: ast.AST, scope: Scope, keyword: str, context_type: str
    ) -> Tuple[Optional[str], str]:
        """The expression to pass as the user context at ``call`` (a context named ``keyword``
        or typed ``context_type``), else (None, the reason)."""
        top = _outermost_definition(scope)
        path = self._path_to(top, call) if top is not None else None
        if path is None:
            return None, NO_CONTEXT
        resolved = self._resolve(keyword, path)
        if resolved.usable:
            return keyword, ""
        if not resolved.reason and keyword in scope.module.bound:
            resolved = _Resolution(False, f"{keyword} is a module-level name, not a user context")
        for function in _functions_holding(path):
            typed = self._typed_parameters(function, context_type)
            if len(typed) > 1:
                return None, f"several user contexts in scope ({', '.join(typed)})"
            if typed and self._resolve(typed[0], path).owner is function:
                return typed[0], ""
        attribute = self._self_attribute(path, keyword)
        if attribute is not None:
            return attribute, ""
        return None, resolved.reason or NO_CONTEXT

    def _path_to(self, root: ast.AST, target: ast.AST) -> Optional[List[ast.AST]]:
        """The nodes from ``root`` down to ``target`` (both included). Each definition's
        parents are mapped once: searching down from it for each call cost a look at every
        sibling on the way, for every call (minutes for an ``and`` of thousands of calls)."""
        parents = self._parents.get(id(root))
        if parents is None:
            parents = self._parents[id(root)] = _parents_within(root)
        path = [target]
        while path[-1] is not root:
            parent = parents.get(id(path[-1]))
            if parent is None:
                return None
            path.append(parent)
        return path[::-1]

    # -- names ----------------------------------------------------------------------------

    def _resolve(self, name: str, path: List[ast.AST]) -> _Resolution:
        """``name`` at the end of ``path``, resolved as Python resolves it, innermost first."""
        scopes = list(_scopes_holding(path))
        for depth, index in enumerate(reversed(scopes)):
            node = path[index]
            if isinstance(node, COMPREHENSIONS):
                found = _comprehension_binding(node, path[index + 1 :], name)
                if found is not None:
                    return found
            elif isinstance(node, ast.ClassDef):
                # A class body is a scope only for code directly in it, not for its methods.
                if depth == 0 and name in _class_level_names(node):
                    return _Resolution(False, f"{name} is a class attribute, not a user context")
            else:
                assert isinstance(node, _FUNCTIONS)
                found = self._function_binding(node, path, index, name)
                if found is not None:
                    return found
        return _Resolution(False, "")

    def _function_binding(
        self, function: ast.AST, path: List[ast.AST], index: int, name: str
    ) -> Optional[_Resolution]:
        assert isinstance(function, _FUNCTIONS)
        if name in _parameter_names(function.args):
            return _Resolution(True, owner=function)
        local = self._locals_of(function)
        if name in local.declared_global:
            return _Resolution(False, f"{name} is a module-level name, not a user context")
        if name in local.declared_nonlocal or name not in local.bound:
            return None  # resolved further out
        if name in local.definitions:
            return _Resolution(False, f"{name} is an import, function or class, not a user context")
        if name in local.literals:
            return _Resolution(False, f"{name} is assigned a literal, not a user context")
        if _bound_before(path, index, lambda statement: _binds(statement, name), name):
            return _Resolution(True, owner=function)
        return _Resolution(False, f"{name} is not bound on every path before this call")

    def _typed_parameters(self, function: ast.AST, context_type: str) -> List[str]:
        assert isinstance(function, _FUNCTIONS)
        key = (id(function), context_type)
        if key not in self._typed:
            arguments = function.args
            listed = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            self._typed[key] = [
                param.arg
                for param in listed
                if param.annotation is not None
                and self._is_context_type(param.annotation, context_type)
            ]
        return self._typed[key]

    def _locals_of(self, function: ast.AST) -> _Locals:
        key = id(function)
        if key not in self._locals:
            self._locals[key] = _read_locals(function)
        return self._locals[key]

    # -- self.<keyword> -------------------------------------------------------------------

    def _self_attribute(self, path: List[ast.AST], attribute: str) -> Optional[str]:
        method_index = next(
            (i for i in reversed(list(_scopes_holding(path))) if isinstance(path[i], _DEFINITIONS)),
            None,
        )
        if method_index is None or method_index == 0:
            return None
        method, owner = path[method_index], path[method_index - 1]
        assert isinstance(method, _DEFINITIONS)
        positional = [*method.args.posonlyargs, *method.args.args]
        is_method = isinstance(owner, ast.ClassDef) and method in owner.body
        if not is_method or not positional or positional[0].arg != "self":
            return None
        if self._resolve("self", path).owner is not method:
            return None
        if _bound_before(path, method_index, lambda s: _sets_self(s, attribute)):
            return f"self.{attribute}"
        if method.name in INITIALIZERS or _sets_anywhere(method, attribute):
            return None  # set here, but not on every path before this call
        assert isinstance(owner, ast.ClassDef)
        if self._initializer_sets(owner, attribute):
            return f"self.{attribute}"
        return None

    def _initializer_sets(self, owner: ast.ClassDef, attribute: str) -> bool:
        key = (id(owner), attribute)
        if key not in self._initialized:
            self._initialized[key] = any(
                isinstance(method, _DEFINITIONS)
                and method.name in INITIALIZERS
                and any(_sets_self(statement, attribute) for statement in method.body)
                for method in owner.body
            )
        return self._initialized[key]


# -- the path from a definition down to the call ---------------------------------------------


def _outermost_definition(scope: Scope) -> Optional[ast.AST]:
    """The module-level def or class around ``scope``; None for code at module level."""
    current = scope
    while current.parent is not None and not current.parent.is_module:
        current = current.parent
    return None if current.is_module else current.node


def _parents_within(root: ast.AST) -> Dict[int, ast.AST]:
    """``id(node)`` -> its parent, for every node below ``root`` (iterative: any depth)."""
    parents: Dict[int, ast.AST] = {}
    pending = [root]
    while pending:
        node = pending.pop()
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, _LEAVES):  # shared by every node that has one
                parents[id(child)] = node
                pending.append(child)
    return parents


def _inner_part(scope_node: ast.AST, below: ast.AST) -> bool:
    """Whether ``below`` (the next node on the path) is the body of a function or class,
    rather than its decorators, defaults, annotations or bases."""
    if isinstance(scope_node, ast.Lambda):
        return below is scope_node.body
    assert isinstance(scope_node, (*_DEFINITIONS, ast.ClassDef))
    return any(below is statement for statement in scope_node.body)


def _scopes_holding(path: List[ast.AST]) -> Iterator[int]:
    """Indexes in ``path`` of the scopes whose own code holds the end of the path."""
    for index, node in enumerate(path[:-1]):
        if isinstance(node, _SCOPES) and _holds(node, path[index + 1 :]):
            yield index


def _holds(scope_node: ast.AST, rest: List[ast.AST]) -> bool:
    below = rest[0]
    if isinstance(scope_node, COMPREHENSIONS):
        first = scope_node.generators[0]
        # The first iterable runs in the enclosing scope.
        return not (below is first and len(rest) > 1 and rest[1] is first.iter)
    return _inner_part(scope_node, below)


def _functions_holding(path: List[ast.AST]) -> Iterator[ast.AST]:
    """The functions whose body holds the call, innermost first."""
    for index in reversed(list(_scopes_holding(path))):
        if isinstance(path[index], _FUNCTIONS):
            yield path[index]


# -- bindings --------------------------------------------------------------------------------


def _parameter_names(arguments: ast.arguments) -> Set[str]:
    listed = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    listed += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return {param.arg for param in listed}


def _target_names(target: ast.AST, starred: bool = True) -> Iterator[str]:
    pending = [target]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, (ast.Tuple, ast.List)):
            pending += node.elts
        elif isinstance(node, ast.Starred) and starred:
            pending.append(node.value)


#: Values that are never a user context: constants and displays (``{"user_id": "x"}``, a
#: list, an f-string), and comprehensions, which build one of those.
_LITERALS = (
    ast.Constant,
    ast.Dict,
    ast.List,
    ast.Set,
    ast.Tuple,
    ast.JoinedStr,
    ast.DictComp,
    ast.ListComp,
    ast.SetComp,
)


def _is_literal(value: Optional[ast.expr]) -> bool:
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, (ast.USub, ast.UAdd)):
        value = value.operand
    return isinstance(value, _LITERALS)


def _binds(statement: ast.stmt, name: str) -> bool:
    """A statement after which ``name`` is bound, whatever path it took, to a non-literal."""
    if isinstance(statement, ast.Assign):
        # A starred target (``*name, = ...``) always holds a list: never a context.
        targets = [n for t in statement.targets for n in _target_names(t, starred=False)]
        return name in targets and not _is_literal(statement.value)
    if isinstance(statement, ast.AnnAssign):
        target = statement.target
        named = isinstance(target, ast.Name) and target.id == name
        return named and statement.value is not None and not _is_literal(statement.value)
    if isinstance(statement, _WITH):  # a with target stays bound after the block
        return any(
            item.optional_vars is not None and name in _target_names(item.optional_vars)
            for item in statement.items
        )
    return False


def _sets_self(statement: ast.stmt, attribute: str) -> bool:
    """``self.<attribute> = <not a literal>``."""
    if isinstance(statement, ast.Assign):
        targets, value = statement.targets, statement.value
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        targets, value = [statement.target], statement.value
    else:
        return False
    return not _is_literal(value) and any(_is_self_attribute(t, attribute) for t in targets)


def _is_self_attribute(target: ast.expr, attribute: str) -> bool:
    return (
        isinstance(target, ast.Attribute)
        and target.attr == attribute
        and isinstance(target.value, ast.Name)
        and target.value.id == "self"
    )


def _sets_anywhere(method: ast.AST, attribute: str) -> bool:
    return any(
        isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and _is_self_attribute(node, attribute)
        for node in ast.walk(method)
    )


def _bound_before(
    path: List[ast.AST], index: int, binds: _Binder, loop_name: Optional[str] = None
) -> bool:
    """Whether, going down ``path`` from the function at ``index`` to the call, some block
    binds what is looked for (as ``binds`` decides) in a statement before the one the path
    goes on in, or a ``with`` whose body the path enters binds it, or a ``for`` whose body the
    path enters has ``loop_name`` in its target."""
    function = path[index]
    for position in range(index, len(path) - 1):
        node, below = path[position], path[position + 1]
        if node is not function and isinstance(node, _SCOPES):
            return False  # a nested scope: the function's own blocks end here
        siblings = _block_holding(node, below)
        if siblings is None:
            return False  # the path has left the statements (into an expression)
        for statement in siblings:
            if statement is below:
                break
            if isinstance(statement, ast.stmt) and binds(statement):
                return True
        if _enters_binding_body(node, below, binds, loop_name):
            return True
    return False


def _block_holding(node: ast.AST, below: ast.AST) -> Optional[List[ast.AST]]:
    for field in ("body", "orelse", "finalbody", "handlers", "cases"):
        block = getattr(node, field, None)
        if isinstance(block, list) and any(item is below for item in block):
            return block
    return None


def _enters_binding_body(
    node: ast.AST, below: ast.AST, binds: _Binder, loop_name: Optional[str]
) -> bool:
    in_body = any(statement is below for statement in getattr(node, "body", ()))
    if not in_body:
        return False
    if isinstance(node, _FOR):  # the body, not ``else``: an empty loop binds nothing
        return loop_name is not None and loop_name in _target_names(node.target)
    return isinstance(node, _WITH) and binds(node)


def _comprehension_binding(node: ast.AST, rest: List[ast.AST], name: str) -> Optional[_Resolution]:
    """A comprehension target, usable where the comprehension's own code runs after it."""
    assert isinstance(node, COMPREHENSIONS)
    binding = next(
        (i for i, g in enumerate(node.generators) if name in _target_names(g.target)), None
    )
    if binding is None:
        return None
    below = rest[0]
    for index, generator in enumerate(node.generators):
        if below is generator:
            part = rest[1] if len(rest) > 1 else None
            runs_after = index > binding or (
                index == binding and any(part is c for c in generator.ifs)
            )
            if not runs_after:
                return _Resolution(False, f"{name} is not bound on every path before this call")
    return _Resolution(True, owner=node)


def _class_level_names(node: ast.ClassDef) -> Set[str]:
    names: Set[str] = set()
    for statement in node.body:
        if isinstance(statement, (*_DEFINITIONS, ast.ClassDef)):
            names.add(statement.name)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names.update(n for t in targets for n in _target_names(t))
    return names


def _read_locals(function: ast.AST) -> _Locals:
    """Every name ``function`` binds in its own scope (nested scopes left out)."""
    assert isinstance(function, _FUNCTIONS)
    found = _Locals(set(), set(), set(), set(), set())
    pending: List[ast.AST] = (
        [function.body] if isinstance(function, ast.Lambda) else list(function.body)
    )
    while pending:
        node = pending.pop()
        if isinstance(node, (*_DEFINITIONS, ast.ClassDef)):
            found.bound.add(node.name)
            found.definitions.add(node.name)
            continue  # its body is its own scope (its decorators hold no binding worth a look)
        if isinstance(node, (ast.Lambda, *COMPREHENSIONS)):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                local = alias.asname or alias.name.partition(".")[0]
                found.bound.add(local)
                found.definitions.add(local)
        elif isinstance(node, ast.Global):
            found.declared_global.update(node.names)
        elif isinstance(node, ast.Nonlocal):
            found.declared_nonlocal.update(node.names)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            found.bound.add(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            found.bound.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and _is_literal(node.value):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found.literals.update(n for t in targets for n in _target_names(t))
        pending.extend(ast.iter_child_nodes(node))
    return found
