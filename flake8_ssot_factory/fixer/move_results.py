"""Whether a module move keeps what its callers use: the old and new functions' results.

A move rewrites ``from old.module import f`` into ``from new.module import f``: pyflakes is
content, but the new ``f`` may return another class. On the real code base the new
``get_execution_tracker`` returns ``AgentExecutionTracker``, which lacks the
``register_execution``, ``complete_execution`` and ``executions`` that callers of the old
tracker use. When both functions are defined in the tree, their result classes are read (the
return annotation, else a returned ``Class(...)``) with their members (methods, class
attributes, ``self.x =`` in methods, and their bases' members, followed through the tree); a
file that uses on the result a member the new class lacks keeps its old import, with the names
in the reason. What cannot be read (a base class outside the tree, no annotation) is not
judged.
"""

from __future__ import annotations

import ast
from typing import Callable, Dict, Iterator, Mapping, Optional, Set

from flake8_ssot_factory.engine.deprecations import annotated_class
from flake8_ssot_factory.engine.module_names import module_function
from flake8_ssot_factory.run.source import parsed

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
#: Classes whose members need not be listed: everything has them.
_ROOTS = frozenset({"object", "ABC", "Generic", "Protocol"})
#: How many modules deep a class is followed through imports and bases.
_DEPTH = 6

#: A module's syntax tree by its dotted name (None: not in the tree, or does not parse).
TreeOf = Callable[[str], Optional[ast.Module]]


def returned_class(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Optional[str]:
    """The class a function says it returns (its annotation), else the one its last
    ``return Class(...)`` builds."""
    annotated = annotated_class(function)
    if annotated:
        return annotated
    for node in reversed(list(ast.walk(function))):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Name) and func.id[:1].isupper():
                return func.id
    return None


def class_members(
    module: str, tree: ast.Module, name: str, tree_of: TreeOf, depth: int = 0
) -> Optional[Set[str]]:
    """The members of class ``name`` as ``module`` (whose tree is ``tree``) binds it; None when
    some of them cannot be read (the class, or a base, is outside the tree)."""
    if depth > _DEPTH:
        return None
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return _members_with_bases(module, tree, node, tree_of, depth)
    source = _imported_from(tree, name)
    if source is None:
        return None
    original, from_module = source
    found = tree_of(from_module)
    if found is None:
        return None
    return class_members(from_module, found, original, tree_of, depth + 1)


def _members_with_bases(
    module: str, tree: ast.Module, node: ast.ClassDef, tree_of: TreeOf, depth: int
) -> Optional[Set[str]]:
    members = set(_own_members(node))
    for base in node.bases:
        base_name = base.id if isinstance(base, ast.Name) else None
        if base_name in _ROOTS:
            continue
        if base_name is None:
            return None
        inherited = class_members(module, tree, base_name, tree_of, depth + 1)
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


def used_on_results(tree: ast.Module, name: str) -> Set[str]:
    """The attributes a module uses on what ``name`` (as imported here, aliases included)
    returns: ``name().x``, ``v = name()`` then ``v.x``, ``self.v = name()`` then
    ``self.v.x``; ``await`` in between is looked through."""
    locals_ = {name}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            locals_ |= {alias.asname or alias.name for alias in node.names if alias.name == name}
    holders: Set[str] = set()
    used: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and _calls(node.value, locals_):
            for target in node.targets:
                holders |= {_held(target)} - {""}
        elif isinstance(node, ast.Attribute) and _calls(node.value, locals_):
            used.add(node.attr)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _held(node.value) in holders:
            used.add(node.attr)
    return used


def _calls(expr: ast.expr, names: Set[str]) -> bool:
    if isinstance(expr, ast.Await):
        expr = expr.value
    return isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in names


def _held(target: ast.expr) -> str:
    """``v`` or ``self.v`` as text ("" for anything else)."""
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
        return f"{target.value.id}.{target.attr}" if target.value.id == "self" else ""
    return ""


def lacking(
    name: str, old_module: str, new_module: str, tree_of: TreeOf
) -> Optional[tuple[str, Set[str]]]:
    """(the new result's class, the members the old result has and it lacks), when both
    functions and both classes can be read; None when there is nothing to compare."""
    old_tree, new_tree = tree_of(old_module), tree_of(new_module)
    if old_tree is None or new_tree is None:
        return None
    old_function, new_function = module_function(old_tree, name), module_function(new_tree, name)
    if old_function is None or new_function is None:
        return None
    old_class, new_class = returned_class(old_function), returned_class(new_function)
    if old_class is None or new_class is None:
        return None
    old_members = class_members(old_module, old_tree, old_class, tree_of)
    new_members = class_members(new_module, new_tree, new_class, tree_of)
    if old_members is None or new_members is None:
        return None
    missing = {m for m in old_members - new_members if not m.startswith("_")}
    return (new_class, missing) if missing else None


def blocked_moves(
    texts: Mapping[str, str], moves: Mapping[str, tuple[str, str]], tree_of: TreeOf
) -> Dict[str, Dict[str, str]]:
    """For each file of ``texts``, the moved names (name -> (old module, new module)) whose
    move would lose a member it uses, with the reason."""
    blocked: Dict[str, Dict[str, str]] = {}
    for name, (old_module, new_module) in sorted(moves.items()):
        found = lacking(name, old_module, new_module, tree_of)
        if found is None:
            continue
        new_class, missing = found
        for path, text in texts.items():
            if name not in text:
                continue
            tree = parsed(text)
            if tree is None:
                continue
            lost = used_on_results(tree, name) & missing
            if lost:
                blocked.setdefault(path, {})[name] = (
                    f"the new {name} returns {new_class}, which lacks {', '.join(sorted(lost))}"
                )
    return blocked
