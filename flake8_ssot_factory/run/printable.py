"""Paths and text as each kind of output can carry them.

A file name may hold anything but ``/`` and NUL: bytes that are not UTF-8 (which Python keeps
as lone surrogates), newlines, escape sequences that a terminal would obey. Results carry the
path as it was given; each output escapes it for its medium when it prints it:

- :func:`unicode_path`: text any UTF-8 stream can carry (non-UTF-8 bytes as ``\\xNN``), for
  JSON (which escapes control characters itself) and baselines;
- :func:`printable`: that, with control characters escaped too, for a terminal or a log;
- the SARIF and markdown writers escape for their own syntax (faces/escaping.py).
"""

from __future__ import annotations

import os
import re

#: C0, DEL and C1 control characters: a terminal acts on them instead of showing them.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def unicode_path(path: str) -> str:
    """``path`` as it can be written to any UTF-8 stream: bytes of a file name that are not
    UTF-8 (kept by Python as lone surrogates) are shown as ``\\xNN`` escapes."""
    if path.isascii():
        return path
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that no file name's byte became
        return path.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def escape_controls(text: str, keep: str = "") -> str:
    """``text`` with control characters (but those in ``keep``) written as ``\\n``, ``\\x1b``."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(
        lambda found: (
            found[0] if found[0] in keep else _NAMED.get(found[0], f"\\x{ord(found[0]):02x}")
        ),
        text,
    )


def printable(text: str) -> str:
    """``text`` (a path, a message naming one) as a terminal shows it, and does nothing else."""
    return escape_controls(unicode_path(text))


def relative_path(path: str) -> str:
    """``path`` normalised (``./a/../b.py`` is ``b.py``), relative to the current folder when
    under it; not escaped."""
    normal = os.path.normpath(path)
    if os.path.isabs(normal):
        relative = os.path.relpath(normal)
        if not relative.startswith(os.pardir):
            normal = relative
    return normal


def shown_path(path: str) -> str:
    """``path`` as a person reads it: normalised, relative when it can be, and printable."""
    return printable(relative_path(path))
