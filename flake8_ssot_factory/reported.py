"""The findings a run reports for a module: the analysis, less what ``# noqa`` silences."""

from __future__ import annotations

import ast
from typing import Sequence

from flake8_ssot_factory.analysis import ModuleAnalysis, analyze_module
from flake8_ssot_factory.noqa import NoqaLines, file_is_exempt, is_silenced, mentions_noqa
from flake8_ssot_factory.settings import Settings


def reported_analysis(
    tree: ast.AST, text: str, lines: Sequence[str], settings: Settings
) -> ModuleAnalysis:
    """``check`` and ``fix`` both see a module through this: one noqa rule for both."""
    if file_is_exempt(lines):
        return ModuleAnalysis([], 0)
    analysis = analyze_module(tree, settings, lines)
    if not mentions_noqa(text):
        return analysis
    noqa = NoqaLines(lines, analysis.multiline_string_lines)
    kept = [f for f in analysis.findings if not is_silenced(f.code, noqa.text_for(f.line))]
    return ModuleAnalysis(kept, analysis.migrated_calls, analysis.multiline_string_lines)
