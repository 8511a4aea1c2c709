"""One file through the engine, as the command line sees it: bytes in, violations out.

Read (source.py: regular files only), prefilter on the raw bytes, decode as flake8 decodes,
parse, analyse, honour ``# noqa``. Every failure becomes a violation with flake8's code for it
(E902 cannot read, E999 cannot parse), never an exception.
"""

from __future__ import annotations

import ast
import dataclasses
from typing import List, Mapping, Optional, Tuple

from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.engine.catalogue import RULES_BY_CODE
from flake8_ssot_factory.engine.positions import Lines
from flake8_ssot_factory.engine.prefilter import bytes_mention_watched_name
from flake8_ssot_factory.engine.reported import reported_analysis
from flake8_ssot_factory.run.source import (
    decode_source,
    printable_path,
    read_source_bytes,
    split_lines,
)


@dataclasses.dataclass(frozen=True, order=True)
class Violation:
    """A finding or an error, located in a file. ``col`` is 1-based, as flake8 prints it."""

    path: str
    line: int
    col: int
    code: str
    message: str
    #: The physical line without its line ending: what --show-source prints.
    source: str = dataclasses.field(default="", compare=False)
    #: The migration the finding belongs to ("" for the unnamed default one, and for errors).
    migration: str = dataclasses.field(default="", compare=False)

    def as_text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


@dataclasses.dataclass(frozen=True)
class FileResult:
    path: str
    violations: Tuple[Violation, ...] = ()
    #: Call sites already migrated, per migration (for the progress report).
    migrated: Mapping[str, int] = dataclasses.field(default_factory=dict)

    @property
    def migrated_calls(self) -> int:
        return sum(self.migrated.values())


def check_file(path: str, settings: Settings) -> FileResult:
    """One file, start to end, read once: screened, then parsed and analysed if it needs to be."""
    try:
        data = read_source_bytes(path)
    except OSError as error:
        return _unreadable(path, error)
    if not bytes_mention_watched_name(data, settings):
        return FileResult(path)
    return check_bytes(path, data, settings)


def screen_file(path: str, settings: Settings) -> Optional[FileResult]:
    """The result of a file that needs no parse (unreadable, or no watched name), else None."""
    try:
        data = read_source_bytes(path)
    except OSError as error:
        return _unreadable(path, error)
    return None if bytes_mention_watched_name(data, settings) else FileResult(path)


def analyse_file(path: str, settings: Settings) -> FileResult:
    """A file that passed :func:`screen_file`, parsed and analysed in a worker process, which
    reads it again (from the page cache: cheaper than sending the bytes through a pipe)."""
    try:
        data = read_source_bytes(path)
    except OSError as error:
        return _unreadable(path, error)
    return check_bytes(path, data, settings)


def _unreadable(path: str, error: OSError) -> FileResult:
    # flake8's E902 line: no line number, the exception as Python names it.
    shown = printable_path(path)
    message = printable_path(f"{type(error).__name__}: {error}")
    return FileResult(path, (Violation(shown, 0, 1, "E902", message),))


def check_bytes(path: str, data: bytes, settings: Settings) -> FileResult:
    shown = printable_path(path)
    text = decode_source(data).text
    lines = split_lines(text)
    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        line, col = _error_position(error)
        return FileResult(path, (Violation(shown, line, col + 1, "E999", _error_text(error)),))
    analysis = reported_analysis(tree, text, lines, settings)
    positions = Lines(lines)
    violations: List[Violation] = []
    for finding in analysis.findings:
        source = positions.text(finding.line).rstrip("\r\n")
        params = dict(finding.params)
        message = RULES_BY_CODE[finding.code].format_message(params)
        migration = params.get("migration", "")
        violations.append(
            Violation(
                shown, finding.line, finding.col + 1, finding.code, message, source, migration
            )
        )
    return FileResult(path, tuple(violations), dict(analysis.migrated))


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
