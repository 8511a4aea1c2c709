"""Which definition of an old or a new function a file's import reaches.

A table names functions by name; a tree may define a name more than once (an ``async def`` in
one module, a ``def`` in another, copies under ``backups/``). Whether a rewritten call must be
awaited, and which parameters it binds, depends on the definition the file's own import
reaches: ``from pkg.mod import f`` is followed to ``pkg/mod.py`` and, where that module only
imports ``f`` from elsewhere, on to the module defining it (a few steps at most).

Each file that spells one of the names is parsed once; only its top-level definitions of the
names and its ``from ... import`` statements of them are kept.
"""

from __future__ import annotations

import ast
import dataclasses
import os
import re
from typing import AbstractSet, Callable, Dict, List, Mapping, Optional, Protocol, Set, Tuple

from flake8_ssot_factory.engine.module_names import ModuleRef, module_level_statements
from flake8_ssot_factory.fixer.move_results import listed, returned_class, used_on_results
from flake8_ssot_factory.fixer.signatures import Signature, signature_of
from flake8_ssot_factory.run.source import parsed

#: How many re-exports are followed from an import to the definition.
_STEPS = 6
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclasses.dataclass(frozen=True)
class Reached:
    """A function definition an import reaches."""

    signature: Signature
    #: The class it says it returns, or builds in its last ``return Class(...)`` ("" if none).
    result: str
    #: The file that defines it.
    path: str


class ModuleFinder(Protocol):
    """The files' index (fixer/project.py's ModuleIndex): the files a module names."""

    def resolve(self, module: ModuleRef, importer: str) -> List[str]: ...


@dataclasses.dataclass(frozen=True)
class _ModuleFunctions:
    """What one module says about the names: its top-level definitions (the last wins, as when
    the module runs), and what its statements import (local name -> (module, name))."""

    defined: Mapping[str, Reached]
    #: Module-level ``from m import f [as g]``: what the module binds for other modules.
    binds: Mapping[str, Tuple[ModuleRef, str]]
    #: Every ``from m import f`` of the names, anywhere in the file.
    imports: AbstractSet[Tuple[ModuleRef, str]]


class Functions:
    """The table's old and new functions as the tree defines them."""

    def __init__(
        self, texts: Mapping[str, str], names: AbstractSet[str], index: ModuleFinder
    ) -> None:
        self._index = index
        self._modules: Dict[str, _ModuleFunctions] = {}
        self._every: Dict[str, List[Reached]] = {}
        if not names:
            return
        spelled = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(names))) + r")\b")
        for path, text in texts.items():
            if spelled.search(text) is None:
                continue
            tree = parsed(text)
            if tree is not None:
                read = _read(tree, names, path)
                self._modules[os.path.abspath(path)] = read
                for name, definition in read.defined.items():
                    self._every.setdefault(name, []).append(definition)

    def signatures(self) -> Dict[str, Tuple[Signature, ...]]:
        """Each name's distinct signatures across the tree."""
        return {
            name: tuple(dict.fromkeys(d.signature for d in found))
            for name, found in self._every.items()
        }

    def definitions(self, name: str) -> List[Reached]:
        """Every top-level definition of ``name`` in the tree."""
        return self._every.get(name, [])

    def imports_of(self, path: str) -> AbstractSet[Tuple[ModuleRef, str]]:
        found = self._modules.get(os.path.abspath(path))
        return found.imports if found is not None else frozenset()

    def reached(self, importer: str, module: ModuleRef, name: str) -> Optional[Reached]:
        """The definition ``from module import name`` in ``importer`` reaches; None when it
        cannot be told (the module is not among the files, or more than one file claims it)."""
        for _ in range(_STEPS):
            path = self._one_module(module, importer)
            found = self._modules.get(path) if path is not None else None
            if path is None or found is None:
                return None
            if name in found.defined:
                return found.defined[name]
            if name not in found.binds:
                return None
            importer = path
            module, name = found.binds[name]
        return None

    def _one_module(self, module: ModuleRef, importer: str) -> Optional[str]:
        # Copies of the tree inside the tree (backups/.../app/x.py) claim the name too: the one
        # nearest the top is the module; two as near cannot be told apart.
        paths = self._index.resolve(module, importer)
        depths = sorted((os.path.abspath(p).count(os.sep), os.path.abspath(p)) for p in paths)
        if not depths or (len(depths) > 1 and depths[0][0] == depths[1][0]):
            return None
        return depths[0][1]


def _read(tree: ast.Module, names: AbstractSet[str], path: str) -> _ModuleFunctions:
    defined: Dict[str, Reached] = {}
    for node in tree.body:
        if isinstance(node, _FUNCTIONS) and node.name in names:
            defined[node.name] = Reached(signature_of(node), returned_class(node) or "", path)
    binds: Dict[str, Tuple[ModuleRef, str]] = {}
    for statement in module_level_statements(tree):
        if isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                local = alias.asname or alias.name
                if local in names and local not in defined:
                    binds[local] = ((statement.level, statement.module or ""), alias.name)
    imports: Set[Tuple[ModuleRef, str]] = set()
    for each in ast.walk(tree):
        if isinstance(each, ast.ImportFrom):
            module = (each.level, each.module or "")
            imports.update((module, a.name) for a in each.names if a.name in names)
    return _ModuleFunctions(defined, binds, frozenset(imports))


#: The members of the class a definition returns (None: it cannot be read whole).
MembersOf = Callable[[Reached], Optional[AbstractSet[str]]]


def blocked_renames(
    texts: Mapping[str, str],
    renames: Mapping[str, str],
    functions: Functions,
    members_of: MembersOf,
) -> Dict[str, Dict[str, str]]:
    """For each file of ``texts``, the renamed functions (old -> new) whose new definition's
    result lacks a member the file uses on the old one's result, with the reason. The new
    definition is the one the file's import of the old name would reach renamed, else every
    one the tree has."""
    blocked: Dict[str, Dict[str, str]] = {}
    for old, new in sorted(renames.items()):
        for path, text in texts.items():
            if old not in text:
                continue
            tree = parsed(text)
            used = used_on_results(tree, old) if tree is not None else set()
            used = {member for member in used if not member.startswith("__")}
            if not used:
                continue
            imported = [ref for ref, name in functions.imports_of(path) if name == old]
            reached = [functions.reached(path, ref, new) for ref in imported]
            targets = [r for r in reached if r is not None] or functions.definitions(new)
            for target in targets:
                members = members_of(target)
                lost = used - set(members) if members is not None else set()
                if lost:
                    blocked.setdefault(path, {})[old] = (
                        f"the new {new} returns {target.result}, which lacks {listed(lost)}"
                    )
                    break
    return blocked
