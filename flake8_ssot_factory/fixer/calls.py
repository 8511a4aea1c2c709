"""Whether a rewrite still does what the old code did, as far as the tree defines the names:
the checks a table cannot be trusted for (issue 26).

For one module, given what the whole tree says (constraints.py): a moved name whose new module
binds another thing (move_results.py), and a call or reference whose replacement, as the
file's import reaches it (reach.py), is not as async, takes other parameters, returns a class
without the members used on the result, or is another entry's per-user factory called with no
context. It also says which ``await`` a rewritten call drops.
"""

from __future__ import annotations

import ast
from typing import Dict, Optional, Tuple

from flake8_ssot_factory.config.migrations import CONTEXT, MOVE, RENAME
from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.engine.facts import ModuleFacts
from flake8_ssot_factory.engine.findings import Finding
from flake8_ssot_factory.engine.fixes import Edit, Position
from flake8_ssot_factory.engine.module_names import ModuleRef, module_named
from flake8_ssot_factory.engine.positions import Lines
from flake8_ssot_factory.engine.rules.context import lacks_context
from flake8_ssot_factory.engine.scopes import Scope
from flake8_ssot_factory.fixer.constraints import Constraints
from flake8_ssot_factory.fixer.move_results import MemberUses
from flake8_ssot_factory.fixer.reach import Reached, result_problem
from flake8_ssot_factory.fixer.signatures import (
    Signature,
    binding_problem,
    call_shape,
    positional_problem,
    reference_problem,
)

IMPORT_CODE = "SSF001"
CALL_CODE = "SSF002"
REFERENCE_CODE = "SSF003"


class CallChecks:
    """The checks for one module (its tree read once, lazily, for what they need)."""

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
        self.facts = facts
        self.lines = lines
        self.settings = settings
        self.constraints = constraints
        self.unsafe = unsafe
        self._uses: Optional[MemberUses] = None
        self._calls: Optional[Dict[Position, Tuple[ast.Call, Optional[ast.Await]]]] = None
        #: The ``await`` each call finding's fix drops (id of the finding -> the edit).
        self.dropped_awaits: Dict[int, Edit] = {}

    def blocked_move(self, finding: Finding) -> Optional[str]:
        """Why a move's import may not be moved: the new module's name is another thing."""
        params = dict(finding.params)
        if params.get("shape") != MOVE or finding.code != IMPORT_CODE:
            return None
        name = params["deprecated"]
        difference = self.constraints.differences.get(name)
        if difference is None:
            return None
        return difference.blocks(name, self._member_uses(), self.unsafe)

    def _member_uses(self) -> MemberUses:
        """What the module does with names' results (read once, when a check asks)."""
        if self._uses is None:
            self._uses = MemberUses(self.tree)
        return self._uses

    def call_problem(self, finding: Finding) -> Optional[str]:
        """Why the call or reference, rewritten, would not do what it did with the replacement
        as the tree defines it (None: it would, or the replacement is not defined there and
        cannot be checked)."""
        if finding.code not in (CALL_CODE, REFERENCE_CODE):
            return None
        deprecated = dict(finding.params).get("deprecated", "")
        migration = self.settings.by_deprecated.get(deprecated)
        if migration is None or migration.shape not in (CONTEXT, RENAME):
            return None
        replacement = migration.replacement
        old, new, unreached = self._definitions(finding, deprecated, replacement)
        if migration.shape == RENAME:
            used = self._member_uses().on_results(deprecated)
            problem = result_problem(deprecated, old, replacement, new, used)
            if problem is not None:
                return problem
        old_signatures = tuple(d.signature for d in old)
        new_signatures = tuple(d.signature for d in new)
        if finding.code == REFERENCE_CODE:
            return reference_problem(deprecated, old_signatures, replacement, new_signatures)
        found = self._call_at((finding.line, finding.col))
        if found is None:
            return None
        call, awaiting = found
        if migration.shape == RENAME:
            problem = self._context_needed(call, replacement)
            if problem is not None:
                return problem
        if not new:
            return None  # a replacement defined nowhere here: counted in the plan's summary
        if (
            awaiting is None
            and unreached is not None
            and len({d.signature.is_async for d in old}) > 1
        ):
            level, dotted = unreached
            return (
                f"{deprecated} is defined both async and not, and this file's import of it "
                f"(from {'.' * level}{dotted}) reaches none of the definitions"
            )
        dropped = None
        if awaiting is not None and not any(s.is_async for s in new_signatures):
            dropped, problem = self._await_dropped(
                awaiting, call, deprecated, old_signatures, replacement
            )
            if problem is not None:
                return problem
        awaited = awaiting is not None and dropped is None
        shape = call_shape(call, awaited, context_only=migration.shape == CONTEXT)
        # With its await dropped, the call of the sync replacement returns what was awaited.
        as_awaited = old_signatures if dropped is None else ()
        problem = binding_problem(deprecated, as_awaited, replacement, shape, new_signatures)
        if problem is None and migration.shape == RENAME:
            problem = positional_problem(
                deprecated, old_signatures, replacement, shape, new_signatures
            )
        if problem is None and dropped is not None:
            self.dropped_awaits[id(finding)] = dropped
        return problem

    def _context_needed(self, call: ast.Call, replacement: str) -> Optional[str]:
        """The new name is another entry's per-user factory: renamed with no context, the
        call would be a finding of its own (SSF011)."""
        for context in self.settings.table:
            if (
                context.shape == CONTEXT
                and context.replacement == replacement
                and lacks_context(call, context.context_keyword)
            ):
                return (
                    f"{replacement} takes a user context ({context.name}): the renamed call "
                    "passes none"
                )
        return None

    def _await_dropped(
        self,
        awaiting: ast.Await,
        call: ast.Call,
        old_name: str,
        old: Tuple[Signature, ...],
        name: str,
    ) -> Tuple[Optional[Edit], Optional[str]]:
        """``await D(...)`` of a synchronous replacement: the ``await`` goes. Safe when D is
        async (its coroutine was awaited; R's value is the result); when D is not async (or
        not known), it may return an awaitable the ``await`` needs: --unsafe-fixes."""
        start, end = self.lines.node_start(awaiting), self.lines.node_start(call)
        between = self.lines.text_between(start, end)
        if between.rstrip() != "await":  # ``await (f())``: the parenthesis would be left
            return None, f"{name} is not async: the call is awaited"
        if not (old and all(signature.is_async for signature in old)) and not self.unsafe:
            return None, (
                f"{name} is not async: the call is awaited, and {old_name} is not async "
                "either (if it returns an awaitable, the await is needed); --unsafe-fixes "
                "drops the await"
            )
        return Edit(start, end, ""), None

    def _definitions(
        self, finding: Finding, old: str, new: str
    ) -> Tuple[Tuple[Reached, ...], Tuple[Reached, ...], Optional[ModuleRef]]:
        """The definitions of ``old`` and ``new`` that the use reaches (through the import of
        its name, or the module it is called on), else every one the tree has; and the module
        the old name comes from when its definition there could not be found."""
        fix = finding.remedy.fix
        local = finding.remedy.local_name
        scope = self._scope_of_use(local, finding) if local else self.facts.module_scope
        if fix is not None and fix.via_module is not None:
            module = module_named(fix.via_module, self.facts.module_imports())
        else:
            module = self._import_of(local, scope) if local else None
        # The rewrite calls the replacement through its own import where the scope sees one,
        # else through the old name's (renamed there, or added beside it).
        new_module = self._import_of(new, scope) or module
        every, reached = self.constraints.definitions, self.constraints.reached
        old_found = reached.get((module, old)) if module is not None else None
        new_found = reached.get((new_module, new)) if new_module is not None else None
        return (
            (old_found,) if old_found else every.get(old, ()),
            (new_found,) if new_found else every.get(new, ()),
            module if old_found is None else None,
        )

    def _scope_of_use(self, name: str, finding: Finding) -> Optional[Scope]:
        position = (finding.line, finding.col)
        uses = self.facts.name_uses.get(name, [])
        at = (scope for node, scope in uses if self.lines.node_start(node) == position)
        return next(at, self.facts.module_scope)

    def _import_of(self, name: str, scope: Optional[Scope]) -> Optional[ModuleRef]:
        """The module of the ``from m import ... as name`` that binds ``name`` in ``scope``."""
        binding = scope.binding_scope(name) if scope is not None else None
        if binding is None:
            return None
        for statement, statement_scope in self.facts.watched_imports:
            if statement_scope is binding:
                for alias in statement.names:
                    if (alias.asname or alias.name) == name:
                        return statement.level, statement.module or ""
        return None

    def _call_at(self, position: Position) -> Optional[Tuple[ast.Call, Optional[ast.Await]]]:
        """The call whose callee's name starts at ``position``, and the ``await`` of it."""
        if self._calls is None:
            awaits = {id(a.value): a for a in ast.walk(self.tree) if isinstance(a, ast.Await)}
            self._calls = {}
            for node in ast.walk(self.tree):
                if isinstance(node, ast.Call):
                    func = node.func
                    if isinstance(func, ast.Attribute):
                        start = self.lines.attribute_name_start(func)
                    else:
                        start = self.lines.node_start(func)
                    self._calls[start] = (node, awaits.get(id(node)))
        return self._calls.get(position)
