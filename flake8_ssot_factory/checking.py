"""One file through the engine, as the command line sees it: bytes in, violations out.

Read, prefilter on the raw bytes, decode by the file's own declaration, parse, analyse, honour
``# noqa``. Every failure becomes a violation with flake8's code for it (E902 cannot read or
decode, E999 cannot parse), never an exception.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import tokenize
from typing import List, Optional, Tuple

from flake8_ssot_factory.catalogue import RULES_BY_CODE
from flake8_ssot_factory.positions import Lines
from flake8_ssot_factory.prefilter import bytes_mention_watched_name
from flake8_ssot_factory.reported import reported_analysis
from flake8_ssot_factory.settings import Settings


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

    def as_text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


@dataclasses.dataclass(frozen=True)
class FileResult:
    path: str
    violations: Tuple[Violation, ...] = ()
    #: Call sites already migrated (for the progress report).
    migrated_calls: int = 0


def check_file(path: str, settings: Settings) -> FileResult:
    """One file, start to end, read once: screened, then parsed and analysed if it needs to be."""
    try:
        data = _read(path)
    except OSError as error:
        return _unreadable(path, error)
    if not bytes_mention_watched_name(data, settings):
        return FileResult(path)
    return check_bytes(path, data, settings)


def screen_file(path: str, settings: Settings) -> Optional[FileResult]:
    """The result of a file that needs no parse (unreadable, or no watched name), else None."""
    try:
        data = _read(path)
    except OSError as error:
        return _unreadable(path, error)
    return None if bytes_mention_watched_name(data, settings) else FileResult(path)


def analyse_file(path: str, settings: Settings) -> FileResult:
    """A file that passed :func:`screen_file`, parsed and analysed in a worker process, which
    reads it again (from the page cache: cheaper than sending the bytes through a pipe)."""
    try:
        data = _read(path)
    except OSError as error:
        return _unreadable(path, error)
    return check_bytes(path, data, settings)


def _read(path: str) -> bytes:
    with open(path, "rb") as stream:
        return stream.read()


def _unreadable(path: str, error: OSError) -> FileResult:
    # flake8's E902 line: no line number, the exception as Python names it.
    return FileResult(path, (Violation(path, 0, 1, "E902", f"{type(error).__name__}: {error}"),))


def check_bytes(path: str, data: bytes, settings: Settings) -> FileResult:
    try:
        text = decode(data)
    except UnicodeDecodeError as error:  # on the line of the first bad byte
        line = data.count(b"\n", 0, error.start) + 1
        return FileResult(path, (Violation(path, line, 1, "E902", _error_text(error)),))
    except (SyntaxError, UnicodeError, LookupError) as error:
        return FileResult(path, (Violation(path, 1, 1, "E902", _error_text(error)),))
    lines = text.splitlines(keepends=True)
    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        line, col = _error_position(error)
        return FileResult(path, (Violation(path, line, col + 1, "E999", _error_text(error)),))
    analysis = reported_analysis(tree, text, lines, settings)
    positions = Lines(lines)
    violations: List[Violation] = []
    for finding in analysis.findings:
        source = positions.text(finding.line).rstrip("\r\n")
        message = RULES_BY_CODE[finding.code].format_message(dict(finding.params))
        violations.append(
            Violation(path, finding.line, finding.col + 1, finding.code, message, source)
        )
    return FileResult(path, tuple(violations), analysis.migrated_calls)


def decode(data: bytes) -> str:
    """The text of a Python file by its BOM or coding cookie (PEP 263), without the BOM."""
    return decode_with_encoding(data)[0]


def decode_with_encoding(data: bytes) -> Tuple[str, str]:
    """The text and the codec that gives the same bytes back (``utf-8-sig`` keeps a BOM)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        data.decode("utf-8")  # undeclared and not UTF-8: raise the error that says where
        raise
    return data.decode(encoding), encoding


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
