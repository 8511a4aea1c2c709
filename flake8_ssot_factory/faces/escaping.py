"""A path or a name inside another syntax: a SARIF URI, a markdown table cell.

Whatever a file is called (``#``, ``%``, spaces, ``|``, backticks, newlines, bytes that are not
UTF-8), it must point code scanning at that file and stay one cell of one table row, with no
way to put HTML into a pull-request comment.
"""

from __future__ import annotations

import os
import re

from flake8_ssot_factory.run.printable import printable, relative_path

#: What RFC 3986 lets a path segment hold as it is: unreserved characters and "/".
_URI_SAFE = "/"
_BACKTICKS = re.compile("`+")


def sarif_uri(path: str) -> str:
    """The path as a SARIF ``artifactLocation.uri``: relative (with ``/``) when under the
    current folder, else a ``file:`` URI; its bytes (as the file system has them) are
    percent-encoded as RFC 3986 requires."""
    import urllib.parse  # SARIF output only

    shown = relative_path(path)
    raw = os.fsencode(shown)
    if os.sep != "/":
        raw = raw.replace(os.sep.encode(), b"/")
    quoted = urllib.parse.quote(raw, safe=_URI_SAFE)
    if os.path.isabs(shown):
        # file:///C:/x on Windows keeps its drive colon: quote() would encode it.
        drive, _ = os.path.splitdrive(shown)
        prefix = "file://" if quoted.startswith("/") else "file:///"
        if drive:
            quoted = drive.replace("\\", "/") + quoted[len(urllib.parse.quote(drive)) :]
        return prefix + quoted
    return quoted


def markdown_code(text: str, in_table: bool = True) -> str:
    """``text`` as a code span that is safe in GitHub-flavoured markdown: control characters
    escaped (a newline would end a table row), in a table cell ``|`` escaped too (it would end
    the cell, even in a code span), and a fence of more backticks than any run inside (so a
    backtick cannot end the span and let what follows be read as markdown or HTML)."""
    shown = printable(text)
    if in_table:
        shown = shown.replace("|", "\\|")
    longest = max((len(run) for run in _BACKTICKS.findall(shown)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") or not shown.strip() else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


#: ASCII punctuation: CommonMark lets a backslash make any of it literal.
_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


def markdown_text(text: str) -> str:
    """``text`` (a revision range, a file name) as literal text in a markdown paragraph or
    table cell: every ASCII punctuation character backslash-escaped, control characters too."""
    return _PUNCTUATION.sub(r"\\\1", printable(text))
