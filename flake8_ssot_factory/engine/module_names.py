"""Modules as a file's imports name them: which module ``aif`` in ``aif.D()`` is, what runs at
module level. Shared by the rules (moved functions) and the fixer (cross-file checks)."""

from __future__ import annotations

import ast
from typing import Iterator, List, Mapping, Optional, Set, Tuple, Union

#: A module as an import statement writes it: (level of leading dots, dotted name).
ModuleRef = Tuple[int, str]


def dotted_name(expr: ast.expr) -> Optional[str]:
    """``a.b.c`` for a chain of plain names; None for anything else (``self.m``, calls)."""
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    return ".".join([expr.id, *reversed(parts)])


#: A block of statements that runs in one scope: a module, or a function's body.
Block = Union[ast.Module, ast.FunctionDef, ast.AsyncFunctionDef]


def module_level_statements(tree: Block) -> Iterator[ast.stmt]:
    """Statements that run at import: the module's, and those in its if/try/with blocks."""
    pending: List[ast.stmt] = list(tree.body)
    while pending:
        statement = pending.pop(0)
        yield statement
        if isinstance(statement, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
            for field in ("body", "orelse", "finalbody"):
                pending += getattr(statement, field, [])
            for handler in getattr(statement, "handlers", []):
                pending += handler.body


def module_imports(tree: ast.Module) -> Iterator[Tuple[str, ModuleRef]]:
    """Local names bound to modules at module level: ``import a.b as m``, ``from a import b``."""
    for statement in module_level_statements(tree):
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.asname:
                    yield alias.asname, (0, alias.name)
                else:
                    first = alias.name.partition(".")[0]
                    yield first, (0, first)
        elif isinstance(statement, ast.ImportFrom):
            base = statement.module or ""
            for alias in statement.names:
                dotted = f"{base}.{alias.name}" if base else alias.name
                yield alias.asname or alias.name, (statement.level, dotted)


def modules_imported_whole(tree: ast.Module) -> Set[str]:
    """Local names that module-level ``import a.b [as m]`` statements bind: modules, for sure
    (a ``from`` import may bind a class or a function)."""
    return {
        alias.asname or alias.name.partition(".")[0]
        for statement in module_level_statements(tree)
        if isinstance(statement, ast.Import)
        for alias in statement.names
    }


def module_named(dotted: str, modules: Mapping[str, ModuleRef]) -> Optional[ModuleRef]:
    """The module ``dotted`` (``aif``, ``pkg.mod``) names by the imports ``modules``."""
    first, _, rest = dotted.partition(".")
    found = modules.get(first)
    if found is None:
        return None
    if found == (0, first):  # ``import pkg.mod`` binds ``pkg``: the dotted text says all
        return 0, dotted
    level, module = found
    return level, f"{module}.{rest}" if rest else module


def is_module(reference: ModuleRef, absolute: str) -> bool:
    """Whether an import's module is ``absolute``: the same path, or (for a relative import,
    whose package only the file's place knows) a path that ends it."""
    level, dotted = reference
    if level == 0:
        return dotted == absolute
    return bool(dotted) and (absolute == dotted or absolute.endswith(f".{dotted}"))


def first_module_binding(tree: Block, name: str) -> Optional[int]:
    """The line of the first statement that binds ``name`` as the block runs (the module's,
    or a function's own body, with their if/try/with blocks; a function's parameter binds it
    from the start)."""
    if isinstance(tree, (ast.FunctionDef, ast.AsyncFunctionDef)):
        arguments = tree.args
        every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
        if any(a.arg == name for a in every):
            return tree.lineno
    lines = [s.lineno for s in module_level_statements(tree) if name in names_bound_by(s)]
    # Nested blocks are visited after the block that holds them: the first line is the least.
    return min(lines, default=None)


def names_bound_by(statement: ast.stmt) -> Set[str]:
    """The names a statement binds in its scope: an import's, a def's or class's, an
    assignment's plain targets."""
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return {a.asname or a.name.partition(".")[0] for a in statement.names}
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {statement.name}
    if isinstance(statement, (ast.Assign, ast.AnnAssign)):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        return {t.id for t in targets if isinstance(t, ast.Name)}
    return set()


def module_function(
    tree: ast.Module, name: str
) -> Optional[Union[ast.FunctionDef, ast.AsyncFunctionDef]]:
    """The function ``name`` a module defines at its top level (the last definition wins, as
    when the module runs)."""
    found = None
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            found = node
    return found
