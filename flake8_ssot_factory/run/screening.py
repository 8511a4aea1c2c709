"""Whether a file may hold a finding, decided on its bytes: the one screen every face uses.

A file that never spells a watched name holds no finding, and most files are passed over
without being decoded. The bytes spell the names as Python reads them, except where:

- the file declares a coding in which ASCII letters are not their own bytes: ``utf-7``
  (``+AGc-et_factory``), ``unicode_escape`` (``\\x67et_factory``), ``raw_unicode_escape``.
  Python decodes the whole file first, so the decoded text is searched;
- a name is spelled with characters that Python's NFKC normalisation of identifiers turns
  into ASCII (a full-width ``\\uff47``): the normalised text is searched. Only a file with a byte
  above 127 can hold one, and most such files are already normalised.
"""

from __future__ import annotations

import codecs
import re
from typing import Optional, Sequence

from flake8_ssot_factory.engine.prefilter import nfkc, spells_any
from flake8_ssot_factory.run.source import decode_source

#: Codecs that encode each ASCII character as its own byte and no other character as ASCII
#: bytes (as ``codecs.lookup`` names them): a name is in such a file's bytes when it is in
#: its text. A file in any other coding is decoded before it is searched.
_ASCII_TRANSPARENT = re.compile(r"(?:utf-8(?:-sig)?|ascii|latin-1|iso8859-\d+|cp125\d)\Z")
#: Where PEP 263 lets a file declare its coding: the first two lines.
_COOKIE_LINES = 2


def may_spell(data: bytes, needles: Sequence[bytes]) -> bool:
    """Whether the file ``data`` may spell one of ``needles`` (UTF-8 names) as Python reads
    it. False only when it cannot."""
    if spells_any(data, needles):
        return True
    text = _text_unlike_bytes(data)
    if text is None:
        return False
    return any(needle.decode("utf-8") in text for needle in needles)


def _text_unlike_bytes(data: bytes) -> Optional[str]:
    """The text Python reads in ``data``, NFKC-normalised, where its names may differ from the
    bytes; None where they cannot."""
    if _declares_a_coding(data):
        decoded = decode_source(data)
        if _ASCII_TRANSPARENT.match(codecs.lookup(decoded.encoding).name) is None:
            return nfkc(decoded.text)
        if data.isascii():
            return None
        text = decoded.text  # cp1252's 0x99 is a "™", which NFKC makes "TM"
    elif data.isascii():
        return None
    else:  # UTF-8, else latin-1 as flake8 falls back to it, without reading for a cookie
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    normal = nfkc(text)
    # Already normal (most files: emoji and accents are), its names are its bytes' names.
    return None if normal is text else normal


def _declares_a_coding(data: bytes) -> bool:
    # Cheaper than tokenize.detect_encoding for the many files that have no cookie.
    end = -1
    for _ in range(_COOKIE_LINES):
        end = data.find(b"\n", end + 1)
        if end < 0:
            return b"coding" in data  # a file ending lines with "\r" alone: look everywhere
    return data.find(b"coding", 0, end) >= 0
