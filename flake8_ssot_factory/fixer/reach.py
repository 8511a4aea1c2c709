"""Which definition of an old or a new function a file's import reaches.

A table names functions by name; a tree may define a name more than once (an ``async def`` in
one module, a ``def`` in another, copies under ``backups/``). Whether a rewritten call must be
awaited, which parameters it binds and what its result offers depend on the definition the
file's own import reaches: ``from pkg.mod import f`` is followed to ``pkg/mod.py`` and, where
that module only imports ``f`` from elsewhere, on to the module defining it (a few steps at
most).

Cheap by construction, since a table's new names are imported by thousands of files: the
files being fixed are not parsed here (their imports are read from the text, one linear scan;
their trees are the planner's); only the modules those imports name are parsed, once each,
and the files that spell ``def NAME``.
"""

from __future__ import annotations

import ast
import dataclasses
import os
import re
from typing import (
    AbstractSet,
    Callable,
    Dict,
    FrozenSet,
    Iterator,
    Mapping,
    Optional,
    Protocol,
    Set,
    Tuple,
)

from flake8_ssot_factory.engine.module_names import ModuleRef, module_level_statements
from flake8_ssot_factory.fixer.move_results import listed, returned_class
from flake8_ssot_factory.fixer.signatures import Signature, signature_of
from flake8_ssot_factory.run.source import parse_file, parsed

#: How many re-exports are followed from an import to the definition.
_STEPS = 6
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
#: ``from <module> import <names>``: the names run to the closing parenthesis, or to the end of
#: the line (continuation lines included). Comments, strings and words ending in "from" may
#: hold such text too: a key too many only asks about a module no statement imports from. (No
#: ``\b`` before the literal: the regular expression engine then scans for it fast.)
_FROM_IMPORT = re.compile(
    r"from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]*(\([^()]*\)?|(?:[^\n\\]|\\[\s\S])*)"
)


@dataclasses.dataclass(frozen=True)
class Reached:
    """A function definition an import reaches."""

    signature: Signature
    #: The class it says it returns, or builds in its last ``return Class(...)`` ("" if none).
    result: str
    #: That class's members, when every one of them could be read (move_results.py).
    members: Optional[FrozenSet[str]]
    #: The functions whose call it returns (``return get_websocket_manager(ctx)``): an old
    #: function that hands on the new one's result returns what the new one returns.
    hands_on: FrozenSet[str] = frozenset()


class ModuleFinder(Protocol):
    """The files' index (fixer/project.py's ModuleIndex): the files a module names."""

    def module_file(self, module: ModuleRef, importer: str) -> Optional[str]: ...


#: The members of a class as a module binds it: (module's path, its tree, class) -> them.
MembersOf = Callable[[str, ast.Module, str], Optional[AbstractSet[str]]]


@dataclasses.dataclass(frozen=True)
class _ModuleFunctions:
    """What one module binds of the names: its top-level definitions (the last wins, as when
    the module runs), and its module-level ``from m import f [as g]`` (g -> (m, f))."""

    defined: Mapping[str, Reached]
    binds: Mapping[str, Tuple[ModuleRef, str]]


class Functions:
    """The table's old and new functions as the tree defines them."""

    def __init__(
        self,
        texts: Mapping[str, str],
        names: AbstractSet[str],
        index: ModuleFinder,
        members_of: MembersOf,
    ) -> None:
        self._texts = {os.path.abspath(path): text for path, text in texts.items()}
        self._names = names
        self._index = index
        self._members_of = members_of
        self._modules: Dict[str, Optional[_ModuleFunctions]] = {}

    def definitions(self) -> Dict[str, Tuple[Reached, ...]]:
        """Each name's distinct definitions across the files (those that spell ``def NAME``)."""
        if not self._names:
            return {}
        alternatives = "|".join(map(re.escape, sorted(self._names)))
        spelled = re.compile(rf"def[ \t]+(?:{alternatives})\b")  # a file too many: parsed
        found: Dict[str, Dict[Reached, None]] = {}
        for path, text in self._texts.items():
            module = self._module(path) if spelled.search(text) else None
            for name, definition in module.defined.items() if module else ():
                found.setdefault(name, {})[definition] = None
        return {name: tuple(each) for name, each in found.items()}

    def imports_of(self, path: str) -> Set[Tuple[ModuleRef, str]]:
        """The ``from m import name`` of the names that the file's text spells."""
        text = self._texts.get(os.path.abspath(path), "")
        found: Set[Tuple[ModuleRef, str]] = set()
        for match in _FROM_IMPORT.finditer(text):
            dotted = match.group(1)
            level = len(dotted) - len(dotted.lstrip("."))
            module = (level, dotted[level:])
            for item in match.group(2).strip("()").replace("\\", " ").split(","):
                words = item.split()
                name = words[0] if words else ""
                if name in self._names:
                    found.add((module, name))
        return found

    def reached(self, importer: str, module: ModuleRef, name: str) -> Optional[Reached]:
        """The definition ``from module import name`` in ``importer`` reaches; None when it
        cannot be told (the module is not among the files, or more than one file claims it)."""
        for _ in range(_STEPS):
            file = self._index.module_file(module, importer)
            path = os.path.abspath(file) if file is not None else None
            found = self._module(path) if path is not None else None
            if path is None or found is None:
                return None
            if name in found.defined:
                return found.defined[name]
            if name not in found.binds:
                return None
            importer = path
            module, name = found.binds[name]
        return None

    def _module(self, path: str) -> Optional[_ModuleFunctions]:
        if path not in self._modules:
            text = self._texts.get(path)
            tree = parse_file(path) if text is None else parsed(text)
            self._modules[path] = self._read(path, tree) if tree is not None else None
        return self._modules[path]

    def _read(self, path: str, tree: ast.Module) -> _ModuleFunctions:
        defined: Dict[str, Reached] = {}
        for node in tree.body:
            if isinstance(node, _FUNCTIONS) and node.name in self._names:
                result = returned_class(node) or ""
                members = self._members_of(path, tree, result) if result else None
                frozen = frozenset(members) if members is not None else None
                hands_on = frozenset(_returned_calls(node))
                defined[node.name] = Reached(signature_of(node), result, frozen, hands_on)
        binds: Dict[str, Tuple[ModuleRef, str]] = {}
        for statement in module_level_statements(tree):
            if isinstance(statement, ast.ImportFrom):
                for alias in statement.names:
                    local = alias.asname or alias.name
                    if local in self._names and local not in defined:
                        binds[local] = ((statement.level, statement.module or ""), alias.name)
        return _ModuleFunctions(defined, binds)


def result_problem(
    old_name: str,
    old: Tuple[Reached, ...],
    name: str,
    new: Tuple[Reached, ...],
    used: AbstractSet[str],
) -> Optional[str]:
    """A rename keeps what callers do with the result: every member the module uses on the old
    function's result must be on the class each new definition returns (what the old result
    lacks too is not the rename's doing). What cannot be read is not judged."""
    used = {member for member in used if not member.startswith("__")}
    old_members = [definition.members for definition in old]
    for target in new if used else ():
        if target.members is None or any(
            name in each.hands_on or (each.result and each.result == target.result) for each in old
        ):
            continue  # the old function returns what the new one does
        lost = used - target.members
        if old_members and all(members is not None for members in old_members):
            lost &= set().union(*(m for m in old_members if m is not None))
        if lost:
            return f"the new {name} returns {target.result}, which lacks {listed(lost)}"
    return None


def _returned_calls(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[str]:
    """The functions whose call ``function`` returns (``return f(...)``, ``return await
    m.f(...)``)."""
    for node in ast.walk(function):
        value = node.value if isinstance(node, ast.Return) else None
        if isinstance(value, ast.Await):
            value = value.value
        if isinstance(value, ast.Call):
            func = value.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name:
                yield name
