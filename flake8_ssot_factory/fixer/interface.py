"""What a module offers other modules and needs from them, as far as the watched names go:
the facts the cross-file check of ``fix`` compares (fix_project.py)."""

from __future__ import annotations

import ast
import dataclasses
from typing import FrozenSet, Iterator, Mapping, Optional, Set, Tuple

from flake8_ssot_factory.engine.facts import ModuleFacts
from flake8_ssot_factory.engine.module_names import (
    ModuleRef,
    dotted_name,
    module_imports,
    module_level_statements,
    module_named,
)

#: (module, name): a module must bind the name for this one to work.
Need = Tuple[ModuleRef, str]


@dataclasses.dataclass(frozen=True)
class Interface:
    #: Watched names the module binds at module level.
    binds: FrozenSet[str]
    #: A star import or a module ``__getattr__``: it may bind anything.
    open: bool
    #: What it imports, uses as ``mod.name`` or names in a patch target.
    needs: FrozenSet[Need]

    def offers(self, name: str) -> bool:
        return self.open or name in self.binds


NOTHING = Interface(frozenset(), False, frozenset())


def interface_of(tree: ast.Module, facts: ModuleFacts) -> Interface:
    watched = facts.imported_names
    module = facts.module_scope
    binds = frozenset(module.bound & watched) if module is not None else frozenset()
    return Interface(binds, _is_open(tree), frozenset(_needs(tree, facts, watched)))


def _is_open(tree: ast.Module) -> bool:
    for statement in module_level_statements(tree):
        if isinstance(statement, ast.ImportFrom) and any(a.name == "*" for a in statement.names):
            return True
        if isinstance(statement, ast.FunctionDef) and statement.name == "__getattr__":
            return True
    return False


def _needs(tree: ast.Module, facts: ModuleFacts, watched: FrozenSet[str]) -> Iterator[Need]:
    for statement, _ in facts.watched_imports:
        for alias in statement.names:
            if alias.name in watched:
                yield (statement.level, statement.module or ""), alias.name
    modules: Optional[Mapping[str, ModuleRef]] = None
    for attribute in facts.watched_attributes:
        dotted = dotted_name(attribute.value)
        if dotted is None:
            continue
        if modules is None:
            modules = dict(module_imports(tree))
        module = module_named(dotted, modules)
        if module is not None:
            yield module, attribute.attr
    seen: Set[str] = set()
    for path in facts.watched_paths:
        if path not in seen and _is_dotted_path(path):
            seen.add(path)
            prefix, _, last = path.rpartition(".")
            yield (0, prefix), last


def _is_dotted_path(text: str) -> bool:
    return all(part.isidentifier() for part in text.split("."))
