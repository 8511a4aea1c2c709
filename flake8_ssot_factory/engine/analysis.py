"""The engine: ``analyze(tree, settings, lines) -> findings``. Pure: no I/O, no shared state."""

from __future__ import annotations

import ast
import dataclasses
import types
from typing import Dict, FrozenSet, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple

from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.engine.facts import ModuleFacts, collect_facts
from flake8_ssot_factory.engine.findings import Finding
from flake8_ssot_factory.engine.fixes import Remedy
from flake8_ssot_factory.engine.focus import Focus
from flake8_ssot_factory.engine.positions import Lines
from flake8_ssot_factory.engine.rules import Check, RuleContext
from flake8_ssot_factory.engine.rules.context import (
    context_method_calls,
    migrated_call,
    replacement_calls,
)
from flake8_ssot_factory.engine.rules.deprecated_uses import deprecated_calls, deprecated_references
from flake8_ssot_factory.engine.rules.imports import deprecated_imports
from flake8_ssot_factory.engine.rules.strings import deprecated_strings
from flake8_ssot_factory.engine.rules.user_context import ContextFinder
from flake8_ssot_factory.engine.scopes import walk

# Which checks look at which kind of node; read-only, shared by every run.
_CHECKS: Mapping[type, Tuple[Check, ...]] = types.MappingProxyType(
    {
        ast.ImportFrom: (deprecated_imports,),
        ast.Call: (deprecated_calls, replacement_calls, context_method_calls),
        ast.Name: (deprecated_references,),
        ast.Attribute: (deprecated_references,),
        ast.Constant: (deprecated_strings,),
    }
)


@dataclasses.dataclass(frozen=True)
class ModuleAnalysis:
    findings: List[Finding]
    #: Call sites already migrated (a replacement or context method called with a context, a
    #: renamed function called by its new name), per migration name.
    migrated: Mapping[str, int]
    #: Lines covered by multi-line strings: where a noqa comment may sit on another line.
    multiline_string_lines: FrozenSet[int] = frozenset()
    #: What the module says about the watched names (imports, uses, scopes), for the fixer.
    facts: Optional[ModuleFacts] = None

    @property
    def migrated_calls(self) -> int:
        return sum(self.migrated.values())


def analyze(
    tree: ast.AST, settings: Settings, lines: Sequence[str], *, remedies: bool = False
) -> List[Finding]:
    """Every finding in the module ``tree`` parsed from ``lines``, sorted by position then code."""
    return analyze_module(tree, settings, lines, remedies=remedies).findings


def analyze_module(
    tree: ast.AST,
    settings: Settings,
    lines: Sequence[str],
    *,
    focused: bool = True,
    remedies: bool = False,
) -> ModuleAnalysis:
    """Findings and progress figures. With ``remedies``, each finding carries its fix or the
    reason it has none (the fixer asks for them; checking does not need the work).
    ``focused=False`` visits every statement (for tests that show the focus changes nothing)."""
    positions = Lines(lines)
    if focused:
        focus = Focus(positions, settings, with_contexts=remedies)
        nodes = walk(tree, focus.worth_visiting)
        facts = collect_facts(nodes, settings)
        if not facts.factory_variables <= focus.names:
            # Statements that may re-bind a factory's name must be seen (see focus.py).
            focus = Focus(positions, settings, facts.factory_variables, with_contexts=remedies)
            nodes = walk(tree, focus.worth_visiting)
            facts = collect_facts(nodes, settings)
    else:
        nodes = walk(tree)
        facts = collect_facts(nodes, settings)
    contexts = ContextFinder(facts.names_context_type) if remedies else None
    context = RuleContext(settings, facts, positions, contexts)
    findings: List[Finding] = []
    migrated: Dict[str, int] = {}
    for node, frame in nodes:
        for check in _CHECKS.get(type(node), ()):
            found = check(node, frame, context)
            findings.extend(_left_as_tested(found) if frame.in_warning_test else found)
        if isinstance(node, ast.Call):
            migration = migrated_call(node, frame, context)
            if migration is not None:
                migrated[migration.name] = migrated.get(migration.name, 0) + 1
    spanned = frozenset(context.facts.multiline_string_lines)
    return ModuleAnalysis(sorted(findings), migrated, spanned, facts)


#: Why a use inside ``pytest.warns(...)``-style blocks is not rewritten.
WARNING_TEST = "a test of the deprecation (inside pytest.warns or a like block)"


def _left_as_tested(findings: Iterable[Finding]) -> Iterator[Finding]:
    """The findings without their fixes: the block asserts the retired API's warning, and a
    rewrite would make the test test the new API (the reason is kept where there was none)."""
    for finding in findings:
        remedy = finding.remedy
        if remedy.fix is not None:
            remedy = Remedy.unfixable(WARNING_TEST, remedy.local_name)
        yield dataclasses.replace(finding, remedy=remedy)
