"""The findings a run reports for a module: the analysis, less what ``# noqa`` silences."""

from __future__ import annotations

import ast
import dataclasses
from typing import List, Sequence

from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.engine.analysis import ModuleAnalysis, analyze_module
from flake8_ssot_factory.engine.findings import Finding
from flake8_ssot_factory.engine.noqa import NoqaLines, file_is_exempt, mentions_noqa


def reported_analysis(
    tree: ast.AST, text: str, lines: Sequence[str], settings: Settings
) -> ModuleAnalysis:
    """``check`` sees a module through this: one noqa rule for every face."""
    if file_is_exempt(lines, text):
        return ModuleAnalysis([], {})
    analysis = analyze_module(tree, settings, lines)
    reported = reported_findings(analysis, text, lines)
    return dataclasses.replace(analysis, findings=reported)


def reported_findings(analysis: ModuleAnalysis, text: str, lines: Sequence[str]) -> List[Finding]:
    """The findings of ``analysis`` that ``# noqa`` (or ``# flake8: noqa``) leaves reported.

    The fixer keeps the whole analysis beside this: a silenced use of a name is still a use.
    """
    if file_is_exempt(lines, text):
        return []
    if not mentions_noqa(text):
        return analysis.findings
    noqa = NoqaLines(lines, analysis.multiline_string_lines)
    return [f for f in analysis.findings if not noqa.silenced(f.code, f.line)]
