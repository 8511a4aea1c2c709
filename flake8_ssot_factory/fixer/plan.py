"""Which fixes to apply to one module together, with the import edits that keep every name
defined. Pure: analysis in, edits and leftovers out.

Imports are planned per imported name and scope, from every use of that name in the module
(a use silenced with ``# noqa`` is still a use; ``__all__`` entries are uses too):

- every use fixed and nothing else holding the name: the import is *retired*: renamed to the
  replacement (an ``as`` alias kept), or dropped where the replacement is bound already (a
  statement left empty goes, with ``pass`` where its block would be empty);
- a use left (no context there, a reference, a noqa...): the import *stays*, and the fixed
  calls name the replacement, added beside the old name in the same statement when it is not
  bound yet.

A name other modules import from this one (see fix_project.py) stays bound.
"""

from __future__ import annotations

import ast
import bisect
import dataclasses
from typing import Dict, List, Mapping, Optional, Sequence, Set, Tuple

from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.engine.facts import ModuleFacts
from flake8_ssot_factory.engine.findings import Finding
from flake8_ssot_factory.engine.fixes import Edit, Position
from flake8_ssot_factory.engine.import_edits import StatementChange, statement_edits
from flake8_ssot_factory.engine.module_names import ModuleRef, first_module_binding, module_named
from flake8_ssot_factory.engine.positions import Lines
from flake8_ssot_factory.engine.scopes import Scope
from flake8_ssot_factory.fixer.calls import CallChecks
from flake8_ssot_factory.fixer.constraints import NO_CONSTRAINTS, Constraints, Why

IMPORT_CODE = "SSF001"
CALL_CODE = "SSF002"
REFERENCE_CODE = "SSF003"
STRING_CODE = "SSF004"
UNSAFE_NOT_REQUESTED = "unsafe fix not requested (--unsafe-fixes)"


@dataclasses.dataclass(frozen=True)
class Leftover:
    finding: Finding
    #: Why it is not fixed, in words that group well (the summary counts per reason).
    reason: str
    #: What only this case has (which file needs the name...), for the listing.
    detail: str = ""


@dataclasses.dataclass(frozen=True)
class Plan:
    fixed: List[Finding]
    edits: List[Edit]
    left: List[Leftover]
    #: The replacement of each rewritten call that could not be checked (no definition).
    unchecked: Tuple[str, ...] = ()


def plan_fixes(
    tree: ast.Module,
    facts: ModuleFacts,
    reported: Sequence[Finding],
    lines: Lines,
    settings: Settings,
    unsafe: bool,
    constraints: Constraints = NO_CONSTRAINTS,
) -> Plan:
    return _Planner(tree, facts, lines, settings, constraints, unsafe).plan(reported)


@dataclasses.dataclass
class _Binding:
    """One ``from m import D [as L]`` that binds L in a scope."""

    statement: ast.ImportFrom
    index: int
    finding: Optional[Finding]

    @property
    def deprecated(self) -> str:
        return self.statement.names[self.index].name

    @property
    def aliased(self) -> bool:
        return self.statement.names[self.index].asname is not None

    @property
    def module(self) -> ModuleRef:
        return self.statement.level, self.statement.module or ""


@dataclasses.dataclass
class _Group:
    """A local name L bound in scope S by imports of deprecated factories, and its uses."""

    scope: Scope
    name: str
    bindings: List[_Binding]
    uses: List[Tuple[ast.Name, Scope]]
    #: Imports that bind the same name here from a module it is not retired from.
    foreign: List[ast.ImportFrom] = dataclasses.field(default_factory=list)


class _Planner:
    def __init__(
        self,
        tree: ast.Module,
        facts: ModuleFacts,
        lines: Lines,
        settings: Settings,
        constraints: Constraints,
        unsafe: bool,
    ) -> None:
        self.tree = tree
        self.unsafe = unsafe
        self.checks = CallChecks(tree, facts, lines, settings, constraints, unsafe)
        self.facts = facts
        self.lines = lines
        self.settings = settings
        self.constraints = constraints
        #: Names each scope will bind after the plan that it does not bind now.
        self.will_bind: Dict[int, Set[str]] = {}
        self.changes: Dict[int, Tuple[ast.ImportFrom, StatementChange]] = {}
        self.fixed: List[Finding] = []
        self.edits: List[Edit] = []
        self.left: List[Leftover] = []
        self.all_entries = {lines.node_start(entry): entry for entry in facts.all_entries}

    # -- the plan ---------------------------------------------------------------------------

    def plan(self, reported: Sequence[Finding]) -> Plan:
        unsafe = self.unsafe
        candidates: List[Finding] = []
        for finding in reported:
            fix = finding.remedy.fix
            if fix is None:
                self.left.append(Leftover(finding, finding.remedy.reason))
            elif not fix.safe and not unsafe:
                self.left.append(Leftover(finding, UNSAFE_NOT_REQUESTED))
            elif (blocked := self.checks.blocked_move(finding)) is not None:
                self.left.append(Leftover(finding, blocked))
            elif (problem := self.checks.call_problem(finding)) is not None:
                self.left.append(Leftover(finding, problem))
            else:
                candidates.append(finding)
        candidates = self._without_shared_fixes_left(candidates)
        # An import whose fix has no edits of its own is planned with its name's uses.
        planned = [f for f in candidates if f.code == IMPORT_CODE and not _edits(f)]
        imports = {(f.line, f.col): f for f in planned}
        others = self._without_overlaps([f for f in candidates if f not in planned])
        others = [f for f in others if self._module_has_replacement(f)]
        # Uses of a name (bare calls, ``__all__`` entries) are decided with its import.
        uses = {(f.line, f.col): f for f in others if self._names_a_use(f)}
        decided_with_imports = {id(f) for f in uses.values()}
        self.fixed += [f for f in others if id(f) not in decided_with_imports]
        for group in self._groups(imports):
            self._plan_group(group, uses)
        for finding in uses.values():
            self._use_without_import(finding)
        for statement, change in self.changes.values():
            self.edits += statement_edits(statement, change, self.lines, self.tree)
        for finding in self.fixed:
            self.edits += _edits(finding)
            dropped = self.checks.dropped_awaits.get(id(finding))
            if dropped is not None:
                self.edits.append(dropped)
        # One fix may serve several findings (names moved together): its edits count once.
        edits = list(dict.fromkeys(self.edits))
        fixed = sorted(self.fixed, key=lambda f: (f.line, f.col, f.code))
        # A rewritten call whose replacement the tree does not define could not be checked.
        replacements = [dict(f.params).get("replacement") for f in fixed if f.code == CALL_CODE]
        unchecked = tuple(
            r for r in replacements if r is not None and r not in self.constraints.definitions
        )
        return Plan(fixed, edits, sorted(self.left, key=lambda item: item.finding), unchecked)

    def _without_shared_fixes_left(self, candidates: List[Finding]) -> List[Finding]:
        """One fix serves several findings (the names of one import moved together): when one
        of them is left, the fix is not made for the others either."""
        left = {_edits(item.finding): item for item in self.left if item.finding.remedy.fix}
        kept: List[Finding] = []
        for finding in candidates:
            sibling = left.get(_edits(finding)) if _edits(finding) else None
            if sibling is None:
                kept.append(finding)
            else:
                name = dict(sibling.finding.params)["deprecated"]
                why = f"moved with {name} in one statement, which is left: {sibling.reason}"
                self.left.append(Leftover(finding, why))
        return kept

    def _without_overlaps(self, candidates: List[Finding]) -> List[Finding]:
        kept: List[Finding] = []
        taken = _TakenEdits()
        shared: Set[Tuple[Edit, ...]] = set()
        for finding in candidates:
            fix = finding.remedy.fix
            assert fix is not None
            edits = list(fix.edits)
            if fix.callee is not None:
                edits.append(Edit(*fix.callee, "_"))
            if fix.edits and fix.edits in shared:
                kept.append(finding)  # the same fix as another finding's: made once for both
                continue
            shared.add(fix.edits)
            if not taken.add_apart(edits):
                self.left.append(Leftover(finding, "its fix overlaps another fix; run fix again"))
            else:
                kept.append(finding)
        return kept

    def _names_a_use(self, finding: Finding) -> bool:
        """A fix whose outcome depends on the import of a name: a bare call or reference (of a
        renamed function), an ``__all__`` entry."""
        fix = finding.remedy.fix
        assert fix is not None
        if finding.code in (CALL_CODE, REFERENCE_CODE):
            return fix.callee is not None
        return finding.code == STRING_CODE and (finding.line, finding.col) in self.all_entries

    # -- modules other than this one ------------------------------------------------------

    def _module_has_replacement(self, finding: Finding) -> bool:
        """A fix that makes ``<module>.R`` out of ``<module>.D`` needs that module to have R."""
        fix = finding.remedy.fix
        assert fix is not None
        if fix.via_module is None:
            return True
        if finding.code == STRING_CODE:
            module: Optional[ModuleRef] = (0, fix.via_module)
        else:
            module = module_named(fix.via_module, self.facts.module_imports())
        params = dict(finding.params)
        # The name the fix makes the file need from that module (a move keeps the name).
        needed = params.get("replacement", params["deprecated"])
        why = self.constraints.refuse.get((module, needed)) if module else None
        if why is not None:
            self.left.append(Leftover(finding, *why))
            return False
        return True

    # -- names and their imports -----------------------------------------------------------

    def _groups(self, import_findings: Mapping[Position, Finding]) -> List[_Group]:
        """Each (scope, local name) bound by imports of deprecated factories, in source order."""
        groups: Dict[Tuple[int, str], _Group] = {}
        ordered = sorted(self.facts.watched_imports, key=lambda item: item[0].lineno)
        for statement, scope in ordered:
            spans = self.lines.imported_name_spans(statement)
            for index, alias in enumerate(statement.names):
                if alias.name not in self.settings.replacement_for:
                    continue  # not retired by name, or retired with no replacement (report)
                local = alias.asname or alias.name
                group = groups.setdefault((id(scope), local), _Group(scope, local, [], []))
                if not self.facts.imports_retired(statement, alias.name):
                    # A qualified name imported from another module: not the retired one.
                    group.foreign.append(statement)
                    continue
                finding = import_findings.get(spans[index][0])
                group.bindings.append(_Binding(statement, index, finding))
        for group in groups.values():
            group.uses = [
                (node, scope)
                for node, scope in self.facts.name_uses.get(group.name, [])
                if scope.binding_scope(group.name) is group.scope
            ]
        return [group for group in groups.values() if group.bindings]

    def _plan_group(self, group: _Group, uses: Dict[Position, Finding]) -> None:
        fixed: List[Tuple[Finding, Scope]] = []
        kept: List[int] = []
        for node, scope in group.uses:
            finding = uses.pop(self.lines.node_start(node), None)
            if finding is None:
                kept.append(node.lineno)
            else:
                fixed.append((finding, scope))
        in_all = False
        if group.scope.is_module:
            for position, entry in self.all_entries.items():
                if entry.value == group.name:
                    finding = uses.pop(position, None)
                    in_all = in_all or finding is None
                    if finding is not None:
                        fixed.append((finding, group.scope))
        needed_elsewhere = self._needed_elsewhere(group) or self._bound_otherwise(group)
        if needed_elsewhere is not None:
            # Other files import or patch the name here: it stays, and so do its uses (fixing
            # them would leave it unused here, and a test's mock of it would stop working).
            for finding in [b.finding for b in group.bindings] + [f for f, _ in fixed]:
                if finding is not None:
                    self.left.append(Leftover(finding, *needed_elsewhere))
            return
        why = self._why_kept(group, kept, in_all)
        if why is None:
            why, rename = self._retire(group)
            if why is None:
                self._decide(fixed, rename)
                return
        for binding in group.bindings:
            if binding.finding is not None:
                self.left.append(Leftover(binding.finding, *why))
        self._keep(group, fixed)

    def _bound_otherwise(self, group: _Group) -> Optional[Why]:
        """The name is also bound here otherwise: imported from a module it is not retired
        from, or defined, assigned (a fallback in ``except ImportError:``). A use may reach
        either binding, and a replacement imported beside the retired name would be missing
        where the fallback runs: the import and its uses all stay."""
        if group.foreign:
            other = group.foreign[0]
            module = "." * other.level + (other.module or "")
            return f"{group.name} is also imported from {module} here", f"line {other.lineno}"
        if (id(group.scope), group.name) in self.facts.other_bindings:
            return f"{group.name} is also bound otherwise in this scope", ""
        return None

    def _why_kept(self, group: _Group, kept: List[int], in_all: bool) -> Optional[Why]:
        name = group.name
        if kept:
            lines = ", ".join(map(str, sorted(set(kept))))
            return f"{name} is still used by code that is not fixed", f"line {lines}"
        if in_all:
            return f"{name} is named in __all__; rename both with --unsafe-fixes", ""
        if any(binding.finding is None for binding in group.bindings):
            return f"an import of {name} is silenced with noqa", ""
        return None

    def _needed_elsewhere(self, group: _Group) -> Optional[Why]:
        if group.scope.is_module:
            return self.constraints.keep.get(group.name)
        return None

    def _retire(self, group: _Group) -> Tuple[Optional[Why], bool]:
        """Plan the imports of ``group`` away: each renamed to its replacement, or dropped where
        the replacement is bound already. Returns (the reason, planning nothing, if one cannot
        be; whether the calls must name the replacement because the name goes)."""
        scope = group.scope
        replacements = {self.settings.replacement_for[b.deprecated] for b in group.bindings}
        # An alias (``D as g``) keeps its name when renamed (``R as g``), unless R is bound
        # already: then it goes, and its calls name R.
        first_use = min((node.lineno for node, _ in group.uses), default=None)
        dropping = all(
            self._visible(r, scope)
            and (first_use is None or self._bound_above(r, first_use, group.scope))
            for r in replacements
        )
        planned: List[Tuple[_Binding, Optional[str]]] = []
        binds_now: Set[str] = set()
        # Imports of one name in one scope (``try``/``except ImportError`` fallbacks) are all
        # renamed alike: the structure stays as it was.
        for binding in group.bindings:
            replacement = self.settings.replacement_for[binding.deprecated]
            if dropping:
                planned.append((binding, None))
                continue
            refused = self.constraints.refuse.get((binding.module, replacement))
            if refused is not None:
                return refused, False
            if not binding.aliased and self._read_from_outside(replacement, scope):
                return (f"{replacement} is used in this function already", ""), False
            planned.append((binding, replacement))
            if not binding.aliased:
                binds_now.add(replacement)
        self.will_bind.setdefault(id(scope), set()).update(binds_now)
        for binding, new_name in planned:
            change = self._change(binding.statement)
            if new_name is None:
                change.drops.append(binding.index)
            else:
                change.renames[binding.index] = new_name
            assert binding.finding is not None
            self.fixed.append(binding.finding)
        # A name imported unaliased goes with its import: its calls must name the replacement.
        return None, dropping or group.name in self.settings.by_deprecated

    def _keep(self, group: _Group, fixed: List[Tuple[Finding, Scope]]) -> None:
        """The import stays; the fixed calls name the replacement, added to the first import of
        the name in this scope when it is not bound there."""
        for finding, scope in fixed:
            if finding.code == STRING_CODE:
                reason = f"{group.name} stays imported; rename this entry with it"
                self.left.append(Leftover(finding, reason))
                continue
            replacement = dict(finding.params)["replacement"]
            if not self._visible(replacement, scope):
                refused = self._add_beside(group, replacement)
                if refused is not None:
                    self.left.append(Leftover(finding, *refused))
                    continue
            self._decide([(finding, scope)], rename=True)

    def _add_beside(self, group: _Group, replacement: str) -> Optional[Why]:
        """Add the replacement to the first import of the group's name; the reason if not."""
        binding = group.bindings[0]
        refused = self.constraints.refuse.get((binding.module, replacement))
        if refused is not None:
            return refused
        if self._read_from_outside(replacement, group.scope):
            return f"{replacement} is used in this function already", ""
        self._change(binding.statement).additions.append(replacement)
        self.will_bind.setdefault(id(group.scope), set()).add(replacement)
        return None

    def _use_without_import(self, finding: Finding) -> None:
        """A bare ``D()`` with no import of D in sight (a star import, a builtin)."""
        replacement = dict(finding.params)["replacement"]
        name = finding.remedy.local_name or dict(finding.params)["deprecated"]
        scope = next(
            (
                scope
                for node, scope in self.facts.name_uses.get(name, [])
                if self.lines.node_start(node) == (finding.line, finding.col)
            ),
            None,
        )
        if finding.code == STRING_CODE:
            reason = f"{name} is not imported by this module; rename the entry by hand"
            self.left.append(Leftover(finding, reason))
        elif scope is None or not self._visible(replacement, scope):
            # D is used but imported by no statement here (a star import, a global set
            # elsewhere): nothing to rename, and R is not bound either.
            reason = (
                f"{name} is not imported by name here, and {replacement} is not bound: "
                f"import {replacement} by hand"
            )
            self.left.append(Leftover(finding, reason))
        else:
            self._decide([(finding, scope)], rename=True)

    def _decide(self, fixed: List[Tuple[Finding, Scope]], rename: bool) -> None:
        """The uses are fixed; a bare call's name becomes the replacement when ``rename``."""
        for finding, scope in fixed:
            fix = finding.remedy.fix
            assert fix is not None
            replacement = dict(finding.params)["replacement"]
            if rename and fix.callee is not None:
                if not self._bound_above(replacement, finding.line, scope):
                    reason = f"{replacement} is bound only below this line"
                    self.left.append(Leftover(finding, reason))
                    continue
                self.edits.append(Edit(*fix.callee, replacement))
            self.fixed.append(finding)

    # -- helpers ---------------------------------------------------------------------------

    def _change(self, statement: ast.ImportFrom) -> StatementChange:
        entry = self.changes.setdefault(id(statement), (statement, StatementChange()))
        return entry[1]

    def _visible(self, name: str, scope: Scope) -> bool:
        current: Optional[Scope] = scope
        while current is not None:
            if name in current.bound or name in self.will_bind.get(id(current), ()):
                return True
            current = current.parent
            while current is not None and current.is_class:
                current = current.parent
        return False

    def _read_from_outside(self, name: str, scope: Scope) -> bool:
        """Binding ``name`` in a function that reads it from an outer scope would make those
        reads fail (UnboundLocalError)."""
        if scope.is_module or name in scope.bound:
            return False
        return any(use_scope is scope for _, use_scope in self.facts.name_uses.get(name, []))

    def _bound_above(self, name: str, line: int, scope: Scope) -> bool:
        """A block runs top to bottom: a name it calls must be bound above the call, in the
        scope that binds it (a function-local import below the call would leave the name
        unbound there: UnboundLocalError)."""
        binding = scope.binding_scope(name)
        if binding is None or name in self.will_bind.get(id(binding), ()):
            return True  # bound by the plan's own import edit, where the old name was
        if binding.is_module:
            if not scope.is_module:
                return True  # a function runs after the module has bound its names
            block: ast.AST = self.tree
        elif binding is scope and isinstance(scope.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            block = scope.node
        else:
            return True  # an enclosing function's name: bound before this one runs
        assert isinstance(block, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef))
        first = first_module_binding(block, name)
        return first is None or first <= line


def _edits(finding: Finding) -> Tuple[Edit, ...]:
    fix = finding.remedy.fix
    assert fix is not None
    return fix.edits


class _TakenEdits:
    """The spans of the fixes kept so far, sorted. Fixes kept do not collide, and one fix's
    own edits are apart (or one span: its callee), so a new edit can collide only with its
    neighbours in that order, found by bisection (comparing each fix's edits with every
    other's took minutes on a module with thousands of fixes)."""

    #: Neighbours looked at on each side: one fix may hold an insertion where its replacement
    #: starts.
    _REACH = 2

    def __init__(self) -> None:
        self._spans: List[Tuple[Position, Position]] = []

    def add_apart(self, edits: Sequence[Edit]) -> bool:
        """Add the spans of ``edits`` (one fix's) unless one collides with a span taken."""
        spans = sorted({(edit.start, edit.end) for edit in edits})
        if any(self._collides(span) for span in spans):
            return False
        for span in spans:
            bisect.insort(self._spans, span)
        return True

    def _collides(self, span: Tuple[Position, Position]) -> bool:
        index = bisect.bisect_left(self._spans, span)
        near = self._spans[max(index - self._REACH, 0) : index + self._REACH]
        edit = Edit(*span, "")
        return any(_collide(edit, Edit(*other, "")) for other in near)


def _collide(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start  # two insertions at one place: their order would be a guess
    overlapping = a.start < b.end and b.start < a.end
    return overlapping or a.start == b.start  # an insertion where a replacement starts, too
