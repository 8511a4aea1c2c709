"""``ssot-factory fix`` on files: read, fix the text, write back atomically.

Every byte outside the edits is kept: the file is decoded by its own declaration (PEP 263, BOM)
and encoded back the same way, line endings are never translated, and the file's mode is kept.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from pathlib import Path
from typing import Optional, Sequence

from flake8_ssot_factory.atomic import write_bytes_atomically
from flake8_ssot_factory.fixer import TextFix, fix_text
from flake8_ssot_factory.prefilter import bytes_mention_watched_name
from flake8_ssot_factory.settings import Settings
from flake8_ssot_factory.source import (
    NotARegularFileError,
    decode_source,
    printable_path,
    read_source_bytes,
    split_lines,
)


@dataclasses.dataclass(frozen=True)
class FileFix:
    path: str
    #: None when the file was not looked at (see ``skipped``) or mentions no watched name.
    outcome: Optional[TextFix] = None
    #: Why the file was passed over or left as it was (unreadable, not writable, a link out).
    skipped: str = ""
    diff: str = ""
    written: bool = False

    @property
    def changed(self) -> bool:
        return self.outcome is not None and self.outcome.changed and not self.skipped


def fix_file(
    path: str, settings: Settings, unsafe: bool, write: bool, roots: Sequence[str]
) -> FileFix:
    target = os.path.realpath(path)
    if os.path.islink(path) and not _inside(target, roots):
        return FileFix(path, skipped="a symbolic link to a file outside the given paths")
    try:
        data = read_source_bytes(target)
    except NotARegularFileError as error:
        return FileFix(path, skipped=f"cannot read it: {error.strerror}, not a regular file")
    except OSError as error:
        return FileFix(path, skipped=f"cannot read it ({type(error).__name__}: {error.strerror})")
    if not bytes_mention_watched_name(data, settings):
        return FileFix(path)
    decoded = decode_source(data)
    text = decoded.text
    outcome = fix_text(text, settings, unsafe)
    if outcome.error is not None:
        return FileFix(path, outcome, skipped=outcome.error)
    if not outcome.changed:
        return FileFix(path, outcome)
    shown = printable_path(os.path.normpath(path))
    diff = "".join(
        difflib.unified_diff(
            split_lines(text), split_lines(outcome.text), fromfile=f"a/{shown}", tofile=f"b/{shown}"
        )
    )
    if not write:
        return FileFix(path, outcome, diff=diff)
    if not os.access(target, os.W_OK):
        return FileFix(path, outcome, skipped="not writable", diff=diff)
    try:
        write_bytes_atomically(Path(target), decoded.encode(outcome.text))
    except OSError as error:
        return FileFix(path, outcome, skipped=f"cannot write it ({error.strerror})", diff=diff)
    return FileFix(path, outcome, diff=diff, written=True)


def _inside(target: str, roots: Sequence[str]) -> bool:
    for root in roots:
        real_root = os.path.realpath(root)
        if target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep):
            return True
    return False
