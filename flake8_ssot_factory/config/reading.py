"""Reading a configuration file a checkout supplies: a regular file of a sensible size.

A ``setup.cfg`` or ``pyproject.toml`` is untrusted input: one that is a named pipe would
block the run, a link to ``/dev/zero`` would be read until memory ran out. Either is an error
naming the file, as is a file too large or too deeply nested to be a configuration.
"""

from __future__ import annotations

import configparser
import os
import stat
import sys
from pathlib import Path

from flake8_ssot_factory.config.sources import ConfigError, readable

#: More than any configuration holds (a migration table of ten thousand entries is ~1 MiB).
SIZE_CAP = 16 * 1024 * 1024
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NONBLOCK", 0)  # a named pipe: opened without waiting for a writer
)


def read_config_bytes(path: Path) -> bytes:
    """The bytes of the configuration file ``path``; :class:`ConfigError` (one line naming
    it) when it cannot be read, is not a regular file, or is larger than :data:`SIZE_CAP`."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise _unreadable(path, error.strerror or str(error)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _unreadable(path, "not a regular file")
        with open(fd, "rb", closefd=False) as stream:
            data = stream.read(SIZE_CAP + 1)
    except OSError as error:
        raise _unreadable(path, error.strerror or str(error)) from None
    finally:
        os.close(fd)
    if len(data) > SIZE_CAP:
        raise _unreadable(path, f"larger than a configuration ({SIZE_CAP // 2**20} MiB at most)")
    return data


def read_ini(path: Path) -> configparser.RawConfigParser:
    """The ``.cfg``/``.ini`` file ``path`` parsed as flake8 parses it; a file it cannot parse
    is :class:`ConfigError` with the line and what is wrong there."""
    data = read_config_bytes(path)
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
