"""Reading one Python file as Python and flake8 read it: the one way every face reads source.

- Only regular files are read: a named pipe would block the run forever and a link to a device
  would never end, so anything else is refused with the reason (reported as E902).
- Text is decoded by the file's BOM or coding cookie (PEP 263); where that fails, flake8 falls
  back to latin-1, and so does this, so that ``ssot-factory`` and ``flake8`` see the same text.
- Lines break only at ``\\n``, ``\\r\\n`` and ``\\r``, as Python's tokenizer, flake8 and editors
  break them; never at the form feeds, file separators or Unicode line separators that
  ``str.splitlines`` also breaks at.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import functools
import gc
import io
import os
import tokenize
from typing import Iterator, Optional, Tuple, Union

from flake8_ssot_factory.config.regular_file import (
    NotARegularFileError as NotARegularFileError,
)
from flake8_ssot_factory.config.regular_file import (
    TooLargeError as TooLargeError,
)
from flake8_ssot_factory.config.regular_file import (
    read_regular_file,
)
from flake8_ssot_factory.run.apart import parse_apart, worth_parsing_apart

_UTF8_BOM = b"\xef\xbb\xbf"
#: The BOM as flake8 sees it after a latin-1 fallback (and strips, as it strips a real one).
_UTF8_BOM_AS_LATIN_1 = _UTF8_BOM.decode("latin-1")
#: What identifies a file's content without reading it: size, modification and change times
#: in nanoseconds, inode (a file replaced by a rename gets another).
StatKey = Tuple[int, int, int, int]


def stat_key(info: os.stat_result) -> StatKey:
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def read_source_bytes(path: str, size_cap: Optional[int] = None) -> bytes:
    """The bytes of the regular file ``path`` (a symbolic link is followed).

    Raises OSError, as ``open`` would, and :class:`NotARegularFileError` for anything that is
    not a regular file, checked on the open file itself, so a file swapped under it cannot slip
    through; :class:`TooLargeError` past ``size_cap`` bytes.
    """
    return read_source(path, size_cap)[0]


def read_source(path: str, size_cap: Optional[int] = None) -> Tuple[bytes, StatKey]:
    """:func:`read_source_bytes`, with the :data:`StatKey` of the very file that was read."""
    data, info = read_regular_file(path, size_cap)
    return data, stat_key(info)


@dataclasses.dataclass(frozen=True)
class Decoded:
    """A file's text and how to turn an edited text back into bytes the same way."""

    text: str
    #: The codec that reproduces the original bytes (``utf-8-sig`` keeps a BOM).
    encoding: str
    #: Bytes before the text that decoding dropped (a BOM seen through the latin-1 fallback).
    prefix: bytes = b""

    def encode(self, text: str) -> bytes:
        return self.prefix + text.encode(self.encoding)


def decode_source(data: bytes) -> Decoded:
    """The text of a Python file as flake8 reads it: by its BOM or coding cookie, else latin-1.

    Never raises: latin-1 decodes any bytes (and encodes them back unchanged).
    """
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return Decoded(data.decode(encoding), encoding)
    except (SyntaxError, UnicodeError, LookupError):
        text = data.decode("latin-1")
        if text.startswith(_UTF8_BOM_AS_LATIN_1):
            return Decoded(text[len(_UTF8_BOM_AS_LATIN_1) :], "latin-1", _UTF8_BOM)
        return Decoded(text, "latin-1")


ParseError = Union[SyntaxError, ValueError, RecursionError, MemoryError]


def parse_source(text: str, path: str = "<unknown>") -> Union[ast.Module, ParseError]:
    """The syntax tree of ``text``, or the error that stopped the parser (a value, so that the
    caller reports it as E999 and goes on). A large text is parsed where a signal can stop
    it (apart.py)."""
    parse = functools.partial(_parse_here, path=path)
    return parse_apart(text, parse) if worth_parsing_apart(text) else parse(text)


def _parse_here(text: str, path: str) -> Union[ast.Module, ParseError]:
    with paused_collector():
        try:
            return ast.parse(text, filename=path)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
            return error


def parsed(text: str) -> Optional[ast.Module]:
    """The syntax tree of ``text``, or None when it does not parse (for callers that pass
    such a text over rather than report it)."""
    tree = parse_source(text)
    return tree if isinstance(tree, ast.Module) else None


def parse_file(path: str) -> Optional[ast.Module]:
    """The syntax tree of the Python file at ``path``; None when it cannot be read or does
    not parse."""
    try:
        data = read_source_bytes(path)
    except OSError:
        return None
    return parsed(decode_source(data).text)


@contextlib.contextmanager
def paused_collector() -> Iterator[None]:
    """The cyclic garbage collector paused while a tree is built and read: it makes hundreds of
    thousands of objects, none of them garbage, and the collector would scan them again and
    again (10 to 20% of the time). It is turned back on as it was found."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
