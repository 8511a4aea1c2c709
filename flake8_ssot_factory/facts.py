"""What a module says about the watched names, gathered before any rule runs.

The rules then ask one question of this object: "what does this expression name?".
"""

from __future__ import annotations

import ast
import re
import types
from typing import Callable, Mapping, Optional, Sequence, Tuple

from flake8_ssot_factory.scopes import Frame, Scope
from flake8_ssot_factory.settings import Settings

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class _ClassNames:
    """Class names and their import aliases, and a pattern for them inside string annotations."""

    def __init__(self, names: frozenset[str], aliases: Mapping[str, str]) -> None:
        self.names = names | {local for local, name in aliases.items() if name in names}
        alternatives = "|".join(map(re.escape, sorted(self.names)))
        self.in_text = re.compile(rf"\b(?:{alternatives})\b")


def _names_class(annotation: ast.expr, classes: _ClassNames) -> bool:
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name) and node.id in classes.names:
            return True
        if isinstance(node, ast.Attribute) and node.attr in classes.names:
            return True
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and classes.in_text.search(text):  # "Optional[AIF]"
            return True
    return False


class ModuleFacts:
    """Name resolution for one module under one configuration."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.deprecated = settings.deprecated_names
        self.replacements = settings.replacement_names
        self.classes = frozenset(settings.factory_classes)
        self.factory_makers = self.deprecated | self.replacements | self.classes
        #: Local names made by ``from m import X as local`` for a watched X: local -> X.
        self.aliases: dict[str, str] = {}
        #: Deprecated names this module defines itself at module level (its own, not a use).
        self.own_definitions: set[str] = set()
        #: Attribute names assigned a factory anywhere in the module (``self.f = D()``).
        self.factory_attributes: set[str] = set()
        #: ``id()`` of the string constants that are prose (docstrings) or f-string pieces.
        self.non_literal_strings: set[int] = set()
        #: ``id()`` of every expression that is called (the ``func`` of a call).
        self.callees: set[int] = set()
        #: Names some scope binds to a factory (a variable or parameter, not an attribute).
        self.factory_variables: set[str] = set()
        #: Lines covered by string literals that span several lines.
        self.multiline_string_lines: set[int] = set()
        #: The factory classes and the context type, with their aliases (see read_aliases).
        self.factory_class_names = _ClassNames(self.classes, {})
        self.context_type_names = _ClassNames(frozenset({settings.context_type}), {})
        #: For the fixer: ``from m import ...`` statements that import a deprecated or
        #: replacement name, with their scope.
        self.watched_imports: list[tuple[ast.ImportFrom, Scope]] = []
        #: For the fixer: every use (load or del) of a deprecated or replacement name or of an
        #: alias of one, with its scope; silenced or not, a use is a use.
        self.name_uses: dict[str, list[tuple[ast.Name, Scope]]] = {}
        #: For the fixer: the string entries of module-level ``__all__`` assignments.
        self.all_entries: list[ast.Constant] = []
        #: Names whose uses are recorded (set in read_aliases).
        self.tracked_names: frozenset[str] = frozenset()
        #: (``id(scope)``, name) for each tracked name a scope binds otherwise than by
        #: importing a deprecated factory (an assignment, a def, another import...).
        self.other_bindings: set[tuple[int, str]] = set()
        #: For the fixer's cross-file check: ``x.D`` / ``x.R`` attributes, and strings that
        #: are dotted paths ending in D or R (patch targets).
        self.watched_attributes: list[ast.Attribute] = []
        self.watched_paths: list[str] = []
        #: The module's own scope (what it binds at module level).
        self.module_scope: Optional[Scope] = None

    # -- resolution -------------------------------------------------------------------------

    def deprecated_name(self, expr: ast.expr) -> Optional[str]:
        """The deprecated factory ``expr`` names (bare, alias or attribute), if any."""
        if isinstance(expr, ast.Attribute):
            return expr.attr if expr.attr in self.deprecated else None
        if isinstance(expr, ast.Name):
            if expr.id in self.aliases:
                original = self.aliases[expr.id]
                return original if original in self.deprecated else None
            if expr.id in self.deprecated and expr.id not in self.own_definitions:
                return expr.id
        return None

    def replacement_name(self, expr: ast.expr) -> Optional[str]:
        return self._watched_name(expr, self.replacements)

    def is_factory_call(self, expr: ast.expr) -> bool:
        """A call returning an agent factory: of a deprecated or replacement factory or a class."""
        expr = _unwrap_await(expr)
        if not isinstance(expr, ast.Call):
            return False
        return self._watched_name(expr.func, self.factory_makers) is not None

    def produces_factory(self, expr: ast.expr) -> bool:
        """A value that is a factory call, or may be one: ``f or D()``, ``D() if c else None``."""
        pending = [expr]
        while pending:  # a stack, not recursion: generated code chains conditionals deeply
            value = pending.pop()
            if isinstance(value, ast.BoolOp):
                pending.extend(value.values)
            elif isinstance(value, ast.IfExp):
                pending += [value.body, value.orelse]
            elif self.is_factory_call(value):
                return True
        return False

    def is_factory_receiver(self, expr: ast.expr, scope: Scope) -> bool:
        expr = _unwrap_await(expr)
        if isinstance(expr, ast.Call):
            return self.is_factory_call(expr)
        if isinstance(expr, ast.Name):
            owner = scope.binding_scope(expr.id)
            return owner is not None and expr.id in owner.factories
        if isinstance(expr, ast.Attribute):
            return expr.attr in self.factory_attributes
        return False

    def names_factory_class(self, annotation: ast.expr) -> bool:
        """``AgentInstanceFactory``, ``Optional["AgentInstanceFactory"]``, ``m.AIF | None``..."""
        return _names_class(annotation, self.factory_class_names)

    def names_context_type(self, annotation: ast.expr) -> bool:
        return _names_class(annotation, self.context_type_names)

    def read_aliases(self, nodes: Sequence[Tuple[ast.AST, Frame]]) -> None:
        """Local names of watched imports, and the class names they extend (before all else)."""
        watched = self.deprecated | self.replacements | self.classes
        context_type = self.settings.context_type
        for node, _ in nodes:
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.asname and (alias.name in watched or alias.name == context_type):
                        self.aliases[alias.asname] = alias.name
        self.factory_class_names = _ClassNames(self.classes, self.aliases)
        self.context_type_names = _ClassNames(frozenset({context_type}), self.aliases)
        self.tracked_names = frozenset({*self.deprecated, *self.replacements, *self.aliases})

    def _watched_name(self, expr: ast.expr, names: frozenset[str]) -> Optional[str]:
        if isinstance(expr, ast.Attribute):
            return expr.attr if expr.attr in names else None
        if isinstance(expr, ast.Name):
            original = self.aliases.get(expr.id, expr.id)
            return original if original in names else None
        return None


def collect_facts(nodes: Sequence[Tuple[ast.AST, Frame]], settings: Settings) -> ModuleFacts:
    """Read the whole module once. Imports first, so that aliases are known to every later step."""
    facts = ModuleFacts(settings)
    facts.module_scope = nodes[0][1].scope if nodes else None
    facts.read_aliases(nodes)
    for node, frame in nodes:
        for record in _RECORDERS.get(type(node), ()):
            record(node, frame.scope, facts)
    return facts


def _record_name(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    assert isinstance(node, ast.Name)
    if isinstance(node.ctx, ast.Store):
        scope.bound.add(node.id)
        if node.id in facts.tracked_names:
            facts.other_bindings.add((id(scope), node.id))
        return
    if isinstance(node.ctx, ast.Del):
        scope.bound.add(node.id)
    if node.id in facts.tracked_names:
        facts.name_uses.setdefault(node.id, []).append((node, scope))


def _record_parameter(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    assert isinstance(node, ast.arg)
    scope.bound.add(node.arg)
    if node.arg in facts.tracked_names:
        facts.other_bindings.add((id(scope), node.arg))
    if node.annotation is not None and facts.names_factory_class(node.annotation):
        scope.factories.add(node.arg)
        facts.factory_variables.add(node.arg)
    if node.annotation is not None and facts.names_context_type(node.annotation):
        scope.context_parameters.append(node.arg)


def _record_import(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    assert isinstance(node, (ast.Import, ast.ImportFrom))
    for alias in node.names:
        local = alias.asname or alias.name.partition(".")[0]
        scope.bound.add(local)
        imports_deprecated = isinstance(node, ast.ImportFrom) and alias.name in facts.deprecated
        if local in facts.tracked_names and not imports_deprecated:
            facts.other_bindings.add((id(scope), local))
    if isinstance(node, ast.ImportFrom) and any(
        alias.name in facts.deprecated or alias.name in facts.replacements for alias in node.names
    ):
        facts.watched_imports.append((node, scope))


def _record_all(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    # ``__all__ = [...]``, ``__all__ += (...)``: its strings name the module's exports.
    assert isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    names_all = any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets)
    if scope.is_module and names_all and isinstance(node.value, (ast.List, ast.Tuple)):
        facts.all_entries += [
            item
            for item in node.value.elts
            if isinstance(item, ast.Constant) and isinstance(item.value, str)
        ]


def _record_definition(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    assert isinstance(node, _DEFINITIONS)
    scope.bound.add(node.name)
    if node.name in facts.tracked_names:
        facts.other_bindings.add((id(scope), node.name))
    if scope.is_module and node.name in facts.deprecated:
        facts.own_definitions.add(node.name)


def _record_assignment(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    assert isinstance(node, (ast.Assign, ast.NamedExpr))
    if facts.produces_factory(node.value):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            _record_factory_target(target, scope, facts)


def _record_annotated_assignment(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    assert isinstance(node, ast.AnnAssign)
    annotated = facts.names_factory_class(node.annotation)
    if annotated or (node.value is not None and facts.produces_factory(node.value)):
        _record_factory_target(node.target, scope, facts)


def _record_factory_target(target: ast.expr, scope: Scope, facts: ModuleFacts) -> None:
    if isinstance(target, ast.Name):
        scope.factories.add(target.id)
        facts.factory_variables.add(target.id)
        if scope.is_class:  # a class field: instances reach it as ``obj.name``
            facts.factory_attributes.add(target.id)
    elif isinstance(target, ast.Attribute):
        facts.factory_attributes.add(target.attr)


def _record_prose(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    # Docstrings and other bare string statements are prose, like comments.
    assert isinstance(node, ast.Expr)
    if isinstance(node.value, ast.Constant):
        facts.non_literal_strings.add(id(node.value))


def _record_f_string(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    assert isinstance(node, ast.JoinedStr)  # its pieces are not whole values
    facts.non_literal_strings.update(id(value) for value in node.values)


def _record_dotted_path(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    assert isinstance(node, ast.Constant)
    value = node.value
    if isinstance(value, str) and "." in value:
        last = value.rpartition(".")[2]
        if last in facts.deprecated or last in facts.replacements:
            facts.watched_paths.append(value)


def _record_multiline_string(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    assert isinstance(node, (ast.Constant, ast.JoinedStr))
    end = node.end_lineno or node.lineno
    if end > node.lineno:
        facts.multiline_string_lines.update(range(node.lineno, end + 1))


def _record_self_attribute(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    # ``self.x = ...`` in a method: the class has an attribute ``x`` (the fixer may pass it).
    assert isinstance(node, ast.Attribute)
    if node.attr in facts.deprecated or node.attr in facts.replacements:
        facts.watched_attributes.append(node)
    owner = scope.parent
    is_self = isinstance(node.value, ast.Name) and node.value.id == "self"
    if is_self and isinstance(node.ctx, ast.Store) and owner is not None and owner.is_class:
        owner.self_attributes.add(node.attr)


def _record_callee(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    assert isinstance(node, ast.Call)
    facts.callees.add(id(node.func))


_Recorder = Callable[[ast.AST, Scope, ModuleFacts], None]

# What each kind of node tells about the module; read-only, shared by every run.
_RECORDERS: Mapping[type, Tuple[_Recorder, ...]] = types.MappingProxyType(
    {
        ast.Name: (_record_name,),
        ast.arg: (_record_parameter,),
        ast.Import: (_record_import,),
        ast.ImportFrom: (_record_import,),
        ast.FunctionDef: (_record_definition,),
        ast.AsyncFunctionDef: (_record_definition,),
        ast.ClassDef: (_record_definition,),
        ast.Assign: (_record_assignment, _record_all),
        ast.AugAssign: (_record_all,),
        ast.NamedExpr: (_record_assignment,),
        ast.AnnAssign: (_record_annotated_assignment, _record_all),
        ast.Expr: (_record_prose,),
        ast.JoinedStr: (_record_f_string, _record_multiline_string),
        ast.Constant: (_record_multiline_string, _record_dotted_path),
        ast.Call: (_record_callee,),
        ast.Attribute: (_record_self_attribute,),
    }
)


def _unwrap_await(expr: ast.expr) -> ast.expr:
    return expr.value if isinstance(expr, ast.Await) else expr
