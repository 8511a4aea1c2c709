"""The engine: ``analyze(tree, settings, lines) -> findings``. Pure: no I/O, no shared state."""

from __future__ import annotations

import ast
import types
from typing import List, Mapping, Sequence, Tuple

from flake8_ssot_factory.facts import collect_facts
from flake8_ssot_factory.findings import Finding
from flake8_ssot_factory.positions import Lines
from flake8_ssot_factory.rules import Check, RuleContext
from flake8_ssot_factory.rules.context import context_method_calls, replacement_calls
from flake8_ssot_factory.rules.deprecated_uses import deprecated_calls, deprecated_references
from flake8_ssot_factory.rules.imports import deprecated_imports
from flake8_ssot_factory.rules.strings import deprecated_strings
from flake8_ssot_factory.scopes import walk
from flake8_ssot_factory.settings import Settings

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


def analyze(tree: ast.AST, settings: Settings, lines: Sequence[str]) -> List[Finding]:
    """Every finding in the module ``tree`` parsed from ``lines``, sorted by position then code."""
    nodes = walk(tree)
    context = RuleContext(settings, collect_facts(nodes, settings), Lines(lines))
    findings: List[Finding] = []
    for node, frame in nodes:
        for check in _CHECKS.get(type(node), ()):
            findings.extend(check(node, frame, context))
    return sorted(findings)
