"""What a module says about the watched names, gathered before any rule runs.

The rules then ask one question of this object: "what does this expression name?".
"""

from __future__ import annotations

import ast
import re
import types
from typing import Callable, Mapping, Optional, Sequence, Tuple

from flake8_ssot_factory.config.migrations import CONTEXT, Migration
from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.engine.module_names import (
    ModuleRef,
    dotted_name,
    is_module,
    module_imports,
    module_named,
    modules_imported_whole,
)
from flake8_ssot_factory.engine.scopes import Frame, Scope

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class _ClassNames:
    """Class names and their import aliases, and a pattern for them inside string annotations."""

    def __init__(self, names: frozenset[str], aliases: Mapping[str, str]) -> None:
        self.names = names | {local for local, name in aliases.items() if name in names}
        alternatives = "|".join(map(re.escape, sorted(self.names)))
        self.in_text = re.compile(rf"\b(?:{alternatives})\b")


def _named_class(annotation: ast.expr, classes: _ClassNames) -> Optional[str]:
    """The class of ``classes`` an annotation names (as written there), if any."""
    if not classes.names:
        return None
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name) and node.id in classes.names:
            return node.id
        if isinstance(node, ast.Attribute) and node.attr in classes.names:
            return node.attr
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str):
            found = classes.in_text.search(text)  # "Optional[AIF]"
            if found:
                return found.group()
    return None


class ModuleFacts:
    """Name resolution for one module under one configuration."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        #: Retired names that count wherever they come from (written without a module).
        self.deprecated = settings.unqualified_names
        #: Retired names written with their module -> the modules a use must come from.
        self.qualified = settings.qualified_modules
        #: Replacements that need a user context, and those of renames.
        self.replacements = settings.replacement_names
        self.renamed = settings.renamed_names
        self.classes = frozenset(settings.class_migration)
        #: Names whose call makes a factory of a context migration: its retired names, its
        #: replacement and its factory classes.
        self.maker_migration: dict[str, Migration] = {
            **{n: m for n, m in settings.by_deprecated.items() if m.shape == CONTEXT},
            **{r: m for r, m in settings.by_replacement.items() if m.shape == CONTEXT},
            **settings.class_migration,
        }
        #: Local names made by ``from m import X as local`` for a watched X: local -> X.
        self.aliases: dict[str, str] = {}
        #: (``id(scope)``, local name) bound by an import of a retired name (from its module,
        #: for a qualified one) -> the retired name.
        self.retired_imports: dict[tuple[int, str], str] = {}
        #: (``id(scope)``, name) for retired names a scope binds to something else: a def or
        #: class of its own, or an import of another name (``import other as old``).
        self.bound_otherwise: set[tuple[int, str]] = set()
        #: Modules the module imports everything from (``from m import *``).
        self.star_modules: list[ModuleRef] = []
        #: ``id()`` of strings that code uses as attribute names (``patch.object(x, "name")``,
        #: ``setattr``, ``getattr``, ``delattr``, ``monkeypatch.setattr``), with the object.
        self.name_strings: dict[int, ast.expr] = {}
        #: The strings a call patches by their dotted path (``patch("pkg.mod.D")``,
        #: ``monkeypatch.setattr("pkg.mod.D", ...)``): the only dotted strings a fix rewrites.
        self.patch_targets: set[int] = set()
        #: A string passed first to a call of a bare name other than ``patch`` (string id ->
        #: that name): a patch target when the name is ``patch`` imported under another name.
        self.strings_passed_to: dict[int, str] = {}
        #: Attribute names assigned a factory anywhere in the module (``self.f = D()``).
        self.factory_attributes: dict[str, Migration] = {}
        #: ``id()`` of the string constants that are prose (docstrings) or f-string pieces.
        self.non_literal_strings: set[int] = set()
        #: ``id()`` of every expression that is called (the ``func`` of a call).
        self.callees: set[int] = set()
        #: Names some scope binds to a factory (a variable or parameter, not an attribute).
        self.factory_variables: set[str] = set()
        #: Lines covered by string literals that span several lines.
        self.multiline_string_lines: set[int] = set()
        #: The factory classes and the context types, with their aliases (see read_aliases).
        self.factory_class_names = _ClassNames(self.classes, {})
        self.context_type_names = {
            name: _ClassNames(frozenset({name}), {}) for name in settings.context_types
        }
        #: For the fixer: ``from m import ...`` statements that import a deprecated or
        #: replacement name, with their scope.
        self.watched_imports: list[tuple[ast.ImportFrom, Scope]] = []
        #: For the fixer: every use (load or del) of a deprecated or replacement name or of an
        #: alias of one, with its scope; silenced or not, a use is a use.
        self.name_uses: dict[str, list[tuple[ast.Name, Scope]]] = {}
        #: For the fixer: the string entries of module-level ``__all__`` assignments.
        self.all_entries: list[ast.Constant] = []
        #: Names whose uses are recorded, and names whose imports are (set in read_aliases).
        self.tracked_names: frozenset[str] = frozenset()
        self.imported_names: frozenset[str] = frozenset()
        #: (``id(scope)``, name) for each tracked name a scope binds otherwise than by
        #: importing a deprecated factory (an assignment, a def, another import...).
        self.other_bindings: set[tuple[int, str]] = set()
        #: For the fixer's cross-file check: ``x.D`` / ``x.R`` attributes, and strings that
        #: are dotted paths ending in D or R (patch targets).
        self.watched_attributes: list[ast.Attribute] = []
        self.watched_paths: list[str] = []
        #: The module's own scope (what it binds at module level), and its tree.
        self.module_scope: Optional[Scope] = None
        self.tree: Optional[ast.AST] = None
        self._module_imports: Optional[Mapping[str, ModuleRef]] = None
        self._whole_modules: Optional[frozenset[str]] = None

    # -- resolution -------------------------------------------------------------------------

    def deprecated_name(self, expr: ast.expr, scope: Scope) -> Optional[str]:
        """The retired name ``expr`` names (bare, alias or attribute) where it stands, if any."""
        if isinstance(expr, ast.Attribute):
            return self._retired_attribute(expr, scope)
        if isinstance(expr, ast.Name):
            return self._retired_name(expr.id, scope)
        return None

    def _retired_name(self, name: str, scope: Scope) -> Optional[str]:
        """A bare name is resolved in the scope that binds it: an import of the retired name
        binds it (even beside a fallback ``def`` of the same name); a def or class of its own,
        or an import of something else, does not. Bound otherwise (a parameter, an assignment)
        or not at all, an unqualified name is retired wherever it comes from, and a qualified
        one only through ``from module import *``."""
        owner = scope.binding_scope(name)
        if owner is not None:
            original = self.retired_imports.get((id(owner), name))
            if original is not None:
                return original
            if (id(owner), name) in self.bound_otherwise:
                return None
        if name in self.deprecated:
            return name
        modules = self.qualified.get(name)
        if modules and owner is None and self._star_imported(modules):
            return name
        return None

    def _retired_attribute(self, expr: ast.Attribute, scope: Scope) -> Optional[str]:
        attr = expr.attr
        if attr in self.deprecated:
            return None if _own_member(expr, scope) else attr
        modules = self.qualified.get(attr)
        if modules and self.comes_from(expr.value, modules):
            return attr
        return None

    def is_a_module(self, expr: ast.expr, scope: Scope, modules: Sequence[str]) -> bool:
        """Whether ``expr`` (``mod``, ``pkg.mod``) is certainly a module where it stands: its
        first name is bound by a module-level ``import`` statement and by no nearer scope, or
        it is one of ``modules`` by the imports (``from pkg import mod`` may bind a class)."""
        dotted = dotted_name(expr)
        if dotted is None:
            return False
        first = dotted.partition(".")[0]
        binding = scope.binding_scope(first)
        if binding is not None and not binding.is_module:
            return False
        if self._whole_modules is None:
            tree = self.tree
            self._whole_modules = (
                frozenset(modules_imported_whole(tree))
                if isinstance(tree, ast.Module)
                else frozenset()
            )
        return first in self._whole_modules or self.comes_from(expr, modules)

    def comes_from(self, expr: ast.expr, modules: Sequence[str]) -> bool:
        """Whether ``expr`` (``mod``, ``pkg.mod``) is one of ``modules`` by the imports."""
        found = self._module_of(expr)
        return found is not None and any(is_module(found, module) for module in modules)

    def _module_of(self, expr: ast.expr) -> Optional[ModuleRef]:
        """The module ``expr`` (``mod``, ``pkg.mod``) names by the module's imports."""
        dotted = dotted_name(expr)
        return module_named(dotted, self._imports()) if dotted else None

    def imports_retired(self, node: ast.ImportFrom, name: str) -> bool:
        """Whether ``from m import name`` imports a name retired by name: one that counts from
        anywhere, or a qualified one from its module."""
        if name in self.deprecated:
            return True
        reference = (node.level, node.module or "")
        return any(is_module(reference, module) for module in self.qualified.get(name, ()))

    def _star_imported(self, modules: Sequence[str]) -> bool:
        return any(is_module(star, module) for star in self.star_modules for module in modules)

    def moved_name(self, expr: ast.expr) -> Optional[Tuple[str, Migration]]:
        """``mod.f`` where ``mod`` is the old module of a moved ``f`` (by the module's imports)."""
        if not isinstance(expr, ast.Attribute) or expr.attr not in self.settings.moves:
            return None
        module = self._module_of(expr.value)
        if module is None:
            return None
        for migration in self.settings.moves[expr.attr]:
            if is_module(module, migration.old_module):
                return expr.attr, migration
        return None

    def move_of_import(self, node: ast.ImportFrom, name: str) -> Optional[Migration]:
        """The move that retires ``name`` as ``node`` imports it (from the old module)."""
        reference = (node.level, node.module or "")
        for migration in self.settings.moves.get(name, ()):
            if is_module(reference, migration.old_module):
                return migration
        return None

    def replacement_name(self, expr: ast.expr) -> Optional[str]:
        return self.watched_name(expr, self.replacements)

    def is_factory_call(self, expr: ast.expr) -> Optional[Migration]:
        """The migration of the factory a call returns: a call of a deprecated or replacement
        factory or of a factory class of a context migration."""
        expr = _unwrap_await(expr)
        if not isinstance(expr, ast.Call):
            return None
        name = self.watched_name(expr.func, frozenset(self.maker_migration))
        return self.maker_migration[name] if name is not None else None

    def produces_factory(self, expr: ast.expr) -> Optional[Migration]:
        """A value that is a factory call, or may be one: ``f or D()``, ``D() if c else None``."""
        pending = [expr]
        while pending:  # a stack, not recursion: generated code chains conditionals deeply
            value = pending.pop()
            if isinstance(value, ast.BoolOp):
                pending.extend(value.values)
            elif isinstance(value, ast.IfExp):
                pending += [value.body, value.orelse]
            else:
                migration = self.is_factory_call(value)
                if migration is not None:
                    return migration
        return None

    def is_factory_receiver(self, expr: ast.expr, scope: Scope) -> Optional[Migration]:
        expr = _unwrap_await(expr)
        if isinstance(expr, ast.Call):
            return self.is_factory_call(expr)
        if isinstance(expr, ast.Name):
            owner = scope.binding_scope(expr.id)
            return owner.factories.get(expr.id) if owner is not None else None
        if isinstance(expr, ast.Attribute):
            return self.factory_attributes.get(expr.attr)
        return None

    def names_factory_class(self, annotation: ast.expr) -> Optional[Migration]:
        """``AgentInstanceFactory``, ``Optional["AgentInstanceFactory"]``, ``m.AIF | None``..."""
        name = _named_class(annotation, self.factory_class_names)
        if name is None:
            return None
        return self.settings.class_migration[self.aliases.get(name, name)]

    def names_context_type(self, annotation: ast.expr, context_type: str) -> bool:
        names = self.context_type_names.get(context_type)
        return names is not None and _named_class(annotation, names) is not None

    def read_aliases(self, nodes: Sequence[Tuple[ast.AST, Frame]]) -> None:
        """Local names of watched imports, and the class names they extend (before all else)."""
        types = self.settings.context_types
        watched = self.deprecated | self.replacements | self.renamed | self.classes | types
        for node, frame in nodes:
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    retired = self.imports_retired(node, alias.name)
                    if alias.asname and (alias.name in watched or retired):
                        self.aliases[alias.asname] = alias.name
                    if retired:
                        local = alias.asname or alias.name
                        self.retired_imports[id(frame.scope), local] = alias.name
                    if alias.name == "*" and frame.scope.is_module:
                        self.star_modules.append((node.level, node.module or ""))
        self.factory_class_names = _ClassNames(self.classes, self.aliases)
        self.context_type_names = {
            name: _ClassNames(frozenset({name}), self.aliases) for name in types
        }
        retired_names = {*self.deprecated, *self.qualified}
        self.tracked_names = frozenset(
            {*retired_names, *self.replacements, *self.renamed, *self.aliases}
        )
        self.imported_names = frozenset(
            {*retired_names, *self.replacements, *self.renamed, *self.settings.moves}
        )

    def watched_name(self, expr: ast.expr, names: frozenset[str]) -> Optional[str]:
        if isinstance(expr, ast.Attribute):
            return expr.attr if expr.attr in names else None
        if isinstance(expr, ast.Name):
            original = self.aliases.get(expr.id, expr.id)
            return original if original in names else None
        return None

    def is_patch_target(self, string: ast.Constant) -> bool:
        """Whether ``string`` is what a call patches: ``patch("...")`` however ``patch`` is
        reached or named (``from unittest.mock import patch as _p``), ``target=``,
        ``monkeypatch.setattr("...", value)``."""
        if id(string) in self.patch_targets:
            return True
        name = self.strings_passed_to.get(id(string))
        imported = self.module_imports().get(name) if name is not None else None
        return imported is not None and imported[0] == 0 and imported[1].endswith(".patch")

    def module_imports(self) -> Mapping[str, ModuleRef]:
        """The names the module's top-level imports bind, and what they import."""
        return self._imports()

    def _imports(self) -> Mapping[str, ModuleRef]:
        if self._module_imports is None:
            tree = self.tree
            found = dict(module_imports(tree)) if isinstance(tree, ast.Module) else {}
            self._module_imports = found
        return self._module_imports


def collect_facts(nodes: Sequence[Tuple[ast.AST, Frame]], settings: Settings) -> ModuleFacts:
    """Read the whole module once. Imports first, so that aliases are known to every later step."""
    facts = ModuleFacts(settings)
    if nodes:
        facts.tree, facts.module_scope = nodes[0][0], nodes[0][1].scope
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
    migration = facts.names_factory_class(node.annotation) if node.annotation else None
    if migration is not None:
        scope.factories[node.arg] = migration
        facts.factory_variables.add(node.arg)


def _record_import(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    assert isinstance(node, (ast.Import, ast.ImportFrom))
    for alias in node.names:
        local = alias.asname or alias.name.partition(".")[0]
        scope.bound.add(local)
        imports_deprecated = (id(scope), local) in facts.retired_imports
        if local in facts.tracked_names and not imports_deprecated:
            facts.other_bindings.add((id(scope), local))
            facts.bound_otherwise.add((id(scope), local))
    if isinstance(node, ast.ImportFrom) and any(
        alias.name in facts.imported_names for alias in node.names
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
        facts.bound_otherwise.add((id(scope), node.name))


def _record_assignment(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    assert isinstance(node, (ast.Assign, ast.NamedExpr))
    migration = facts.produces_factory(node.value)
    if migration is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            _record_factory_target(target, scope, facts, migration)


def _record_annotated_assignment(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    assert isinstance(node, ast.AnnAssign)
    migration = facts.names_factory_class(node.annotation)
    if migration is None and node.value is not None:
        migration = facts.produces_factory(node.value)
    if migration is not None:
        _record_factory_target(node.target, scope, facts, migration)


def _record_factory_target(
    target: ast.expr, scope: Scope, facts: ModuleFacts, migration: Migration
) -> None:
    if isinstance(target, ast.Name):
        scope.factories[target.id] = migration
        facts.factory_variables.add(target.id)
        if scope.is_class:  # a class field: instances reach it as ``obj.name``
            facts.factory_attributes[target.id] = migration
    elif isinstance(target, ast.Attribute):
        facts.factory_attributes[target.attr] = migration


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
        if last in facts.tracked_names or last in facts.settings.moves:
            facts.watched_paths.append(value)


def _record_multiline_string(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    assert isinstance(node, (ast.Constant, ast.JoinedStr))
    end = node.end_lineno or node.lineno
    if end > node.lineno:
        facts.multiline_string_lines.update(range(node.lineno, end + 1))


def _record_self_attribute(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    # ``self.x = ...`` in a method: the class has an attribute ``x`` (the fixer may pass it).
    assert isinstance(node, ast.Attribute)
    attr = node.attr
    if attr in facts.imported_names:
        facts.watched_attributes.append(node)
    owner = scope.parent
    is_self = isinstance(node.value, ast.Name) and node.value.id == "self"
    if is_self and isinstance(node.ctx, ast.Store) and owner is not None and owner.is_class:
        owner.self_attributes.add(node.attr)


def _record_callee(node: ast.AST, scope: Scope, facts: ModuleFacts) -> None:
    assert isinstance(node, ast.Call)
    facts.callees.add(id(node.func))
    given = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "target")]
    if _patches_a_path(node):
        facts.patch_targets.update(id(target) for target in given)
    elif isinstance(node.func, ast.Name):
        facts.strings_passed_to.update((id(target), node.func.id) for target in given)
    if node.args and _names_an_attribute(node.func):
        given = [*node.args[1:2], *(k.value for k in node.keywords if k.arg == "attribute")]
        for name in given:
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                facts.name_strings[id(name)] = node.args[0]


def _patches_a_path(call: ast.Call) -> bool:
    """``patch("pkg.mod.D")`` however ``patch`` is reached (``mock.patch``, ``mocker.patch``),
    as a call or a decorator; ``monkeypatch.setattr("pkg.mod.D", value)`` (the dotted form)."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name == "patch":
        return True
    first = call.args[0] if call.args else None
    is_text = isinstance(first, ast.Constant) and isinstance(first.value, str)
    return name in ("setattr", "delattr") and isinstance(func, ast.Attribute) and is_text


#: Functions whose second argument is an attribute's name (``hasattr`` is not among them:
#: asking whether a name exists is not using it).
_ATTRIBUTE_FUNCTIONS = frozenset({"setattr", "getattr", "delattr"})


def _names_an_attribute(func: ast.expr) -> bool:
    """``setattr(obj, "name", ...)``, ``getattr``, ``delattr``; ``monkeypatch.setattr(obj,
    "name", ...)`` and ``.delattr``; ``patch.object(obj, "name")`` however ``patch`` is reached
    (``mock.patch.object``, ``mocker.patch.object``)."""
    if isinstance(func, ast.Name):
        return func.id in _ATTRIBUTE_FUNCTIONS
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr in ("setattr", "delattr"):
        return True
    owner = func.value
    owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
    return func.attr == "object" and owner_name == "patch"


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


def _own_member(expr: ast.Attribute, scope: Scope) -> bool:
    """``self.name`` or ``cls.name`` inside a class that defines or assigns ``name``: the
    class's own member, not the retired function."""
    if not (isinstance(expr.value, ast.Name) and expr.value.id in ("self", "cls")):
        return False
    owner: Optional[Scope] = scope
    while owner is not None and not owner.is_class:
        owner = owner.parent
    return owner is not None and (expr.attr in owner.bound or expr.attr in owner.self_attributes)


def _unwrap_await(expr: ast.expr) -> ast.expr:
    return expr.value if isinstance(expr, ast.Await) else expr
