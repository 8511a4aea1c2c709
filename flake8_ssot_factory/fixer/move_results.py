"""Whether a module move keeps what its users do with the name: a moved function's result, a
moved class itself.

A move rewrites ``from old.module import f`` into ``from new.module import f``: pyflakes is
content, but the new ``f`` may be another thing. On the real code base the new
``get_execution_tracker`` returns ``AgentExecutionTracker``, which lacks the
``register_execution`` and ``executions`` that callers of the old tracker use, and the new
module's ``ExecutionState`` enum lacks the ``INITIALIZING``, ``SUCCESS`` and ``ABORTED`` the old
one has. The classes are read from the tree (a function's return annotation, else a returned
``Class(...)``), with their members (methods, class attributes and enum members, ``self.x =``
in methods, and their bases' members, followed through the tree's imports and into the
standard library's classes: ``Enum``, ``str``, ``dict``). A file that uses a member the new
class lacks keeps its old import, with the names in the reason; a moved class that lacks
members of the old one is not moved at all in safe mode; an async function moved to a sync
one (or back) is not moved. What cannot be read (a base class outside the tree) is not
judged.
"""

from __future__ import annotations

import abc
import ast
import builtins
import dataclasses
import enum
import types
from typing import AbstractSet, Callable, Dict, FrozenSet, Iterator, Mapping, Optional, Set

from flake8_ssot_factory.engine.deprecations import annotated_class
from flake8_ssot_factory.engine.module_names import (
    dotted_name,
    module_function,
    module_level_statements,
    names_bound_by,
)

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
#: Classes whose members need not be listed: everything has them.
_ROOTS = frozenset({"object", "ABC", "Generic", "Protocol"})
#: How many modules deep a class is followed through imports and bases.
_DEPTH = 6

#: A module's syntax tree by its dotted name (None: not in the tree, or does not parse).
TreeOf = Callable[[str], Optional[ast.Module]]


def returned_class(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Optional[str]:
    """The class a function says it returns (its annotation; ``Dict[...]`` is ``dict``,
    ``Optional[C]`` is ``C``), else the one its last ``return Class(...)`` builds."""
    annotated = annotated_class(function) or _container(function.returns)
    if annotated:
        return annotated
    for node in reversed(list(ast.walk(function))):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Name) and func.id[:1].isupper():
                return func.id
    return None


#: Containers a return annotation may name through typing (``Dict[str, Any]``).
_CONTAINERS: Mapping[str, str] = types.MappingProxyType(
    {"Dict": "dict", "List": "list", "Tuple": "tuple", "Set": "set"}
    | {name: name for name in ("dict", "list", "tuple", "set", "frozenset")}
)
#: Modules of the standard library whose classes a class of the tree may derive from; their
#: members are read from the classes themselves (already loaded: nothing of the tree runs).
_STANDARD_MODULES: Mapping[str, types.ModuleType] = types.MappingProxyType(
    {"enum": enum, "abc": abc, "builtins": builtins}
)


_LISTED_AT_MOST = 8
#: Classes whose members a listing counts rather than names.
_STANDARD_CLASSES = (str, bytes, int, float, dict, list, tuple, set, enum.Enum, Exception)


def _container(annotation: Optional[ast.expr]) -> str:
    if not isinstance(annotation, ast.Subscript) or not isinstance(annotation.value, ast.Name):
        return ""
    outer = annotation.value.id
    if outer == "Optional":
        inner = annotation.slice
        return inner.id if isinstance(inner, ast.Name) else ""
    return _CONTAINERS.get(outer, "")


def class_members(
    module: str, tree: ast.Module, name: str, tree_of: TreeOf, depth: int = 0
) -> Optional[Set[str]]:
    """The members of class ``name`` as ``module`` (whose tree is ``tree``) binds it; None when
    some of them cannot be read (the class, or a base, is outside the tree and not one of the
    standard library's)."""
    if depth > _DEPTH:
        return None
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return _members_with_bases(module, tree, node, tree_of, depth)
    source = _imported_from(tree, name)
    if source is None:
        bound = any(name in names_bound_by(s) for s in module_level_statements(tree))
        return None if bound else _standard_members("builtins", name)
    original, from_module = source
    found = tree_of(from_module)
    if found is None:
        return _standard_members(from_module, original)
    return class_members(from_module, found, original, tree_of, depth + 1)


def _standard_members(module: str, name: str) -> Optional[Set[str]]:
    """The members of the standard class ``module.name`` (``enum.Enum``, ``str``)."""
    found = getattr(_STANDARD_MODULES.get(module), name, None)
    if not isinstance(found, type):
        return None
    # Every class's own namespace (dir() of an Enum class hides ``name`` and ``value``).
    return {member for cls in found.__mro__ for member in vars(cls)}


def _members_with_bases(
    module: str, tree: ast.Module, node: ast.ClassDef, tree_of: TreeOf, depth: int
) -> Optional[Set[str]]:
    members = set(_own_members(node))
    for base in node.bases:
        if isinstance(base, ast.Name):
            if base.id in _ROOTS:
                continue
            inherited = class_members(module, tree, base.id, tree_of, depth + 1)
        else:
            dotted = dotted_name(base)  # ``enum.Enum``, with ``import enum``
            prefix, _, last = (dotted or "").rpartition(".")
            inherited = _standard_members(prefix, last) if prefix else None
        if inherited is None:
            return None
        members |= inherited
    return members


def _own_members(node: ast.ClassDef) -> Iterator[str]:
    for statement in node.body:
        if isinstance(statement, (*_FUNCTIONS, ast.ClassDef)):
            yield statement.name
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            yield from (t.id for t in targets if isinstance(t, ast.Name))
    for inner in ast.walk(node):
        if (
            isinstance(inner, ast.Attribute)
            and isinstance(inner.ctx, ast.Store)
            and isinstance(inner.value, ast.Name)
            and inner.value.id == "self"
        ):
            yield inner.attr


def _imported_from(tree: ast.Module, name: str) -> Optional[tuple[str, str]]:
    """(original name, absolute module) of ``from module import original as name``."""
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    return alias.name, node.module
    return None


class MemberUses:
    """What a module does with names, read in one walk of its tree: the attributes it uses on
    what a name returns (``name().x``; ``v = name()`` then ``v.x``; ``self.v = name()`` then
    ``self.v.x``; ``await`` looked through) and on the name itself (``State.RUNNING``), the
    aliases it imports a name under included."""

    def __init__(self, tree: ast.Module) -> None:
        self._aliases: Dict[str, Set[str]] = {}
        self._holders: Dict[str, Set[str]] = {}
        self._on_result: Dict[str, Set[str]] = {}
        self._on_held: Dict[str, Set[str]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    self._aliases.setdefault(alias.name, set()).add(alias.asname or alias.name)
            elif isinstance(node, ast.Assign):
                called = _called(node.value)
                if called:
                    holders = {_held(target) for target in node.targets} - {""}
                    self._holders.setdefault(called, set()).update(holders)
            elif isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Store):
                # ``t.x = ...`` sets an attribute any object takes: only reading one needs it.
                called = _called(node.value)
                if called:
                    self._on_result.setdefault(called, set()).add(node.attr)
                held = _held(node.value)
                if held:
                    self._on_held.setdefault(held, set()).add(node.attr)

    def on_results(self, name: str) -> Set[str]:
        used: Set[str] = set()
        for local in self._locals(name):
            used |= self._on_result.get(local, set())
            for holder in self._holders.get(local, ()):
                used |= self._on_held.get(holder, set())
        return used

    def on_class(self, name: str) -> Set[str]:
        used: Set[str] = set()
        for local in self._locals(name):
            used |= self._on_held.get(local, set())
        return used

    def _locals(self, name: str) -> Set[str]:
        return {name} | self._aliases.get(name, set())


def _called(expr: ast.expr) -> str:
    """``f`` for ``f(...)`` or ``await f(...)`` ("" for anything else)."""
    if isinstance(expr, ast.Await):
        expr = expr.value
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):
        return expr.func.id
    return ""


def _held(target: ast.expr) -> str:
    """``v`` or ``self.v`` as text ("" for anything else)."""
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
        return f"{target.value.id}.{target.attr}" if target.value.id == "self" else ""
    return ""


@dataclasses.dataclass(frozen=True)
class Difference:
    """What a move changes for its users, read from both modules."""

    #: "returns" (a function: its result's class) or "is" (a class moved itself).
    relation: str
    #: The class the new name returns or is.
    new_class: str
    #: Its members (every one read: bases in the tree or the standard library's).
    new_members: FrozenSet[str]
    #: The old class's members, when every one could be read.
    old_members: Optional[FrozenSet[str]] = None
    #: Public members the old class has and the new one lacks (both read).
    missing: FrozenSet[str] = frozenset()
    #: Why every use differs, whatever members it uses (async against sync).
    always: str = ""

    def blocks(self, name: str, uses: MemberUses, unsafe: bool) -> Optional[str]:
        """Why a module's ``uses`` of ``name`` would break after the move (None: they would
        not)."""
        if self.always:
            return self.always
        used = uses.on_results(name)
        if self.relation == "is":
            used |= uses.on_class(name)
        lost = {m for m in used if not m.startswith("__")} - self.new_members
        if self.old_members is not None:
            lost &= self.old_members  # what the old one lacks too is not the move's doing
        if lost and self.relation == "is":
            return f"the new module's {name} lacks {listed(lost)}"
        if lost:
            return f"the new {name} returns {self.new_class}, which lacks {listed(lost)}"
        if self.relation == "is" and self.missing and not unsafe:
            return (
                f"the new module's {name} is another class (it lacks {listed(self.missing)}); "
                "--unsafe-fixes moves it where those are not used"
            )
        return None


def listed(names: AbstractSet[str]) -> str:
    """The names, those of the tree first, then the standard library's (a ``str`` base's
    methods); past eight, only counted."""
    ordered = sorted(names, key=lambda n: (any(hasattr(c, n) for c in _STANDARD_CLASSES), n))
    shown = ordered[:_LISTED_AT_MOST]
    if len(ordered) > len(shown):
        shown.append(f"and {len(ordered) - len(shown)} more")
    return ", ".join(shown)


def difference(
    name: str, old_module: str, new_module: str, tree_of: TreeOf
) -> Optional[Difference]:
    """How the new module's ``name`` differs from the old one's, as far as both can be read
    (None: nothing to compare, or no difference that matters)."""
    old_tree, new_tree = tree_of(old_module), tree_of(new_module)
    if old_tree is None or new_tree is None:
        return None
    old_function, new_function = module_function(old_tree, name), module_function(new_tree, name)
    if old_function is not None and new_function is not None:
        if isinstance(old_function, ast.AsyncFunctionDef) != isinstance(
            new_function, ast.AsyncFunctionDef
        ):
            kind = "async" if isinstance(new_function, ast.AsyncFunctionDef) else "not async"
            always = f"the new {name} is {kind}, the old one not"
            return Difference("returns", "", frozenset(), always=always)
        old_class, new_class = returned_class(old_function), returned_class(new_function)
        if new_class is None:
            return None
        old_members = class_members(old_module, old_tree, old_class, tree_of) if old_class else None
        new_members = class_members(new_module, new_tree, new_class, tree_of)
        return _compared("returns", new_class, old_members, new_members)
    if old_function is not None or new_function is not None:
        return None  # a function and something else: not read here
    new_members = class_members(new_module, new_tree, name, tree_of)
    if new_members is None:
        return None
    old_members = class_members(old_module, old_tree, name, tree_of)
    return _compared("is", name, old_members, new_members)


def _compared(
    relation: str,
    new_class: str,
    old_members: Optional[Set[str]],
    new_members: Optional[Set[str]],
) -> Optional[Difference]:
    if new_members is None:
        return None
    old = frozenset(old_members) if old_members is not None else None
    missing = frozenset(m for m in (old or set()) - new_members if not m.startswith("_"))
    return Difference(relation, new_class, frozenset(new_members), old, missing)
