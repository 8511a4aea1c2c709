"""The rule checks. Each takes one node with its frame and yields findings; none walks the tree."""

from __future__ import annotations

import ast
from typing import Callable, Dict, Iterator, NamedTuple, Optional

from flake8_ssot_factory.config.migrations import CONTEXT, MOVE, RENAME, REPORT, Migration
from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.engine.facts import ModuleFacts
from flake8_ssot_factory.engine.findings import Finding
from flake8_ssot_factory.engine.positions import Lines
from flake8_ssot_factory.engine.rules.user_context import ContextFinder
from flake8_ssot_factory.engine.scopes import Frame


class RuleContext(NamedTuple):
    """What every check may read: the configuration, the module's facts and its source lines,
    and (when the fixer asks for remedies) where user contexts are."""

    settings: Settings
    facts: ModuleFacts
    lines: Lines
    #: None when no remedies are wanted (``check``): a finding's fix is then not worked out.
    contexts: Optional[ContextFinder] = None

    def factory_params(self, deprecated: str) -> Dict[str, str]:
        """The message placeholders for a use of a name retired by name (not a move)."""
        return migration_params(self.settings.by_deprecated[deprecated], deprecated)

    def name_start(self, expr: ast.expr) -> tuple[int, int]:
        """Where the name itself starts: ``f`` in ``f(...)``, ``f`` in ``pkg.mod.f(...)``."""
        if isinstance(expr, ast.Attribute):
            return self.lines.attribute_name_start(expr)
        return self.lines.node_start(expr)


def migration_params(migration: Migration, deprecated: str) -> Dict[str, str]:
    """What every message of ``migration`` may say about the retired name ``deprecated``."""
    params = {"deprecated": deprecated, "migration": migration.name, "shape": migration.shape}
    if migration.shape in (CONTEXT, RENAME):
        params["replacement"] = migration.replacement
    if migration.shape == CONTEXT:
        params["keyword"] = migration.context_keyword
    if migration.shape == MOVE:
        params["old_module"] = migration.old_module
        params["new_module"] = migration.new_module
    if migration.shape == REPORT:
        params["note"] = migration.note or "it has no automatic replacement"
    return params


Check = Callable[[ast.AST, Frame, RuleContext], Iterator[Finding]]
