"""One file through the engine, as the command line sees it: bytes in, violations out.

Read (source.py: regular files only), prefilter on the raw bytes, decode as flake8 decodes,
parse, analyse, honour ``# noqa``. Every failure becomes a violation with flake8's code for it
(E902 cannot read, E999 cannot parse), never an exception.
"""

from __future__ import annotations

import ast
from typing import Dict, List, Optional, Sequence, Tuple

from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.engine.catalogue import RULES_BY_CODE
from flake8_ssot_factory.engine.positions import Lines, split_lines
from flake8_ssot_factory.engine.reported import reported_analysis
from flake8_ssot_factory.run.printable import printable, unicode_path
from flake8_ssot_factory.run.results import FileResult, Violation
from flake8_ssot_factory.run.screening import may_spell
from flake8_ssot_factory.run.slow import SlowFileWatch
from flake8_ssot_factory.run.source import (
    StatKey,
    decode_source,
    parse_source,
    paused_collector,
    read_source,
)

#: A file's result and the key of the content it was computed from (None: unreadable).
Checked = Tuple[FileResult, Optional[StatKey]]


def check_file(path: str, settings: Settings, needles: Sequence[bytes]) -> Checked:
    """One file, start to end, read once: screened for ``needles``, then parsed and analysed
    if it spells one."""
    try:
        data, key = read_source(path)
    except OSError as error:
        return unreadable(path, error), None
    if not may_spell(data, needles):
        return FileResult(path), key
    return check_bytes(path, data, settings), key


def check_stdin(name: str, data: bytes, settings: Settings) -> FileResult:
    """Source that is not a file (standard input), reported under ``name``."""
    if not may_spell(data, settings.prefilter_needles):
        return FileResult(name)
    return check_bytes(name, data, settings)


def check_paths(
    paths: Sequence[str], settings: Settings, needles: Sequence[bytes]
) -> List[Checked]:
    """Several files, in a worker process: one task per chunk keeps the messages few. A file
    that takes long is named on stderr while it is read."""
    with SlowFileWatch() as watch:
        return [watched_check(watch, path, settings, needles) for path in paths]


def watched_check(
    watch: SlowFileWatch, path: str, settings: Settings, needles: Sequence[bytes]
) -> Checked:
    with watch.reading(printable(path)):
        return check_file(path, settings, needles)


def unreadable(path: str, error: OSError) -> FileResult:
    # flake8's E902 line: no line number, the exception as Python names it.
    message = unicode_path(f"{type(error).__name__}: {error}")  # it may name the file
    return FileResult(path, (Violation(path, 0, 1, "E902", message),))


def check_bytes(path: str, data: bytes, settings: Settings) -> FileResult:
    text = decode_source(data).text
    lines = split_lines(text)
    tree = parse_source(text, path)
    if not isinstance(tree, ast.Module):
        line, col = _error_position(tree)
        violation = Violation(path, line, col + 1, "E999", _error_text(tree))
        return FileResult(path, (violation,), mentions=True)
    with paused_collector():
        analysis = reported_analysis(tree, text, lines, settings)
    positions = Lines(lines)
    violations: List[Violation] = []
    shown_lines: Dict[int, str] = {}  # one copy of a line, however many findings stand on it
    for finding in analysis.findings:
        source = shown_lines.get(finding.line)
        if source is None:
            source = shown_lines[finding.line] = positions.text(finding.line).rstrip("\r\n")
        params = dict(finding.params)
        message = RULES_BY_CODE[finding.code].format_message(params)
        migration = params.get("migration", "")
        violations.append(
            Violation(path, finding.line, finding.col + 1, finding.code, message, source, migration)
        )
    return FileResult(path, tuple(violations), dict(analysis.migrated), mentions=True)


def _error_text(error: BaseException) -> str:
    # A SyntaxError's str() adds "(file, line n)", which the position already says (flake8 too
    # prints args[0]); other errors say all in str().
    reason = error.args[0] if isinstance(error, SyntaxError) and error.args else str(error)
    if not reason:  # the parser's MemoryError/RecursionError on very deep code says nothing
        reason = "the source is nested too deeply or is too complex to parse"
    return f"{type(error).__name__}: {reason}"


def _error_position(error: BaseException) -> Tuple[int, int]:
    # As flake8 reports it: the (line, offset) a SyntaxError carries, else the file's start.
    details = error.args[1] if len(error.args) > 1 else None
    if isinstance(details, tuple) and len(details) > 2 and details[1]:
        return int(details[1]), int(details[2] or 0)
    return 1, 0
