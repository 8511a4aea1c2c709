"""Reading a configuration file a checkout supplies: a regular file of a sensible size.

A ``setup.cfg`` or ``pyproject.toml`` is untrusted input: one that is a named pipe would
block the run, a link to ``/dev/zero`` would be read until memory ran out. Either is an error
naming the file, as is a file too large or too deeply nested to be a configuration.
"""

from __future__ import annotations

import configparser
import sys
from pathlib import Path

from flake8_ssot_factory.config.regular_file import (
    NotARegularFileError,
    TooLargeError,
    read_regular_file,
)
from flake8_ssot_factory.config.sources import ConfigError, readable

#: More than any configuration holds (a migration table of ten thousand entries is ~1 MiB).
SIZE_CAP = 16 * 1024 * 1024


def read_config_bytes(path: Path) -> bytes:
    """The bytes of the configuration file ``path``; :class:`ConfigError` (one line naming
    it) when it cannot be read, is not a regular file, or is larger than :data:`SIZE_CAP`."""
    try:
        return read_regular_file(path, SIZE_CAP)[0]
    except NotARegularFileError:
        raise _unreadable(path, "not a regular file") from None
    except TooLargeError:
        limit = f"larger than a configuration ({SIZE_CAP // 2**20} MiB at most)"
        raise _unreadable(path, limit) from None
    except OSError as error:
        raise _unreadable(path, error.strerror or str(error)) from None


def read_ini(path: Path) -> configparser.RawConfigParser:
    """The ``.cfg``/``.ini`` file ``path`` parsed as flake8 parses it; a file it cannot parse
    is :class:`ConfigError` with the line and what is wrong there."""
    return parse_ini(path, read_config_bytes(path))


def parse_ini(path: Path, data: bytes) -> configparser.RawConfigParser:
    """:func:`read_ini` of the bytes ``data`` already read from ``path``."""
    parser = configparser.RawConfigParser()
    try:
        parser.read_string(data.decode("utf-8"), source=str(path))
    except UnicodeDecodeError as error:
        raise _unreadable(path, f"not UTF-8 ({error.reason} at byte {error.start})") from None
    except configparser.Error as error:
        raise _unreadable(path, _ini_problem(error)) from None
    return parser


def _ini_problem(error: configparser.Error) -> str:
    if isinstance(error, configparser.DuplicateSectionError):
        return (
            f"line {error.lineno}: a second [{error.section}] section (flake8 cannot read the "
            "file either: put all its options in one section)"
        )
    if isinstance(error, configparser.DuplicateOptionError):
        return f"line {error.lineno}: [{error.section}] sets {error.option} a second time"
    if isinstance(error, configparser.MissingSectionHeaderError):
        return f"line {error.lineno}: {error.line.strip()!r} before any [section]"
    if isinstance(error, configparser.ParsingError):
        lineno, line = error.errors[0]
        # Python 3.13 keeps the line as it is; earlier versions as repr() shows it.
        shown = repr(line) if sys.version_info >= (3, 13) else line
        return f"line {lineno}: cannot parse {shown}"
    return str(error).splitlines()[0]


def _unreadable(path: Path, reason: str) -> ConfigError:
    return ConfigError(f"{readable(path)}: cannot read the configuration: {reason}")
