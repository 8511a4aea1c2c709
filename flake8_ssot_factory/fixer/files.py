"""``ssot-factory fix`` on files: read them all, fix their texts together, write back atomically.

Every byte outside the edits is kept: the file is decoded as flake8 decodes it (PEP 263, BOM,
latin-1 fallback) and encoded back the same way, line endings are never translated, and the
file's mode is kept.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from pathlib import Path
from typing import AbstractSet, Callable, Dict, List, Optional, Sequence, Union

from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.engine.positions import split_lines
from flake8_ssot_factory.fixer.project import fix_texts
from flake8_ssot_factory.fixer.text import TextFix
from flake8_ssot_factory.run.atomic import FileChangedError, write_bytes_atomically
from flake8_ssot_factory.run.printable import printable
from flake8_ssot_factory.run.screening import may_spell
from flake8_ssot_factory.run.source import (
    Decoded,
    NotARegularFileError,
    decode_source,
    read_source_bytes,
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
    #: The text before the fix (for the baseline: findings are known by their line's text).
    original: str = ""

    @property
    def changed(self) -> bool:
        return self.outcome is not None and self.outcome.changed and not self.skipped


@dataclasses.dataclass(frozen=True)
class _Loaded:
    path: str
    target: str
    #: The bytes read: the file is replaced only if it still holds them.
    data: bytes
    decoded: Decoded


#: Why a file is left as it is when another program wrote it while the fix was planned.
CHANGED_WHILE_FIXING = "changed while fixing; run again"


def fix_files(
    paths: Sequence[str],
    settings: Settings,
    unsafe: bool,
    write: bool,
    roots: Sequence[str],
    quiet: AbstractSet[str] = frozenset(),
    jobs: int = 1,
    done: Callable[[FileFix], None] = lambda result: None,
) -> List[FileFix]:
    """Fix ``paths`` together (one module's fix may depend on another's, see project.py);
    results in the order of ``paths``, each also given to ``done`` as soon as it is written
    (so that an interrupted run has said what it changed). ``quiet``: paths known (from the
    cache) to spell no watched name, which need not be read."""
    loaded: List[Union[_Loaded, FileFix]] = []
    seen = set()
    for path in paths:
        target = os.path.realpath(path)
        # Two links to one file: it is fixed once, under the first name given.
        skip = target in seen or path in quiet
        loaded.append(FileFix(path) if skip else _load(path, settings, roots))
        seen.add(target)
    texts: Dict[str, str] = {
        item.path: item.decoded.text for item in loaded if isinstance(item, _Loaded)
    }
    others = [path for path in paths if path not in texts]
    outcomes = fix_texts(texts, others, settings, unsafe, jobs)
    results = []
    for item in loaded:
        result = (
            _write_back(item, outcomes[item.path], write) if isinstance(item, _Loaded) else item
        )
        done(result)
        results.append(result)
    return results


def _load(path: str, settings: Settings, roots: Sequence[str]) -> Union[_Loaded, FileFix]:
    target = os.path.realpath(path)
    if os.path.islink(path) and not _inside(target, roots):
        return FileFix(path, skipped="a symbolic link to a file outside the given paths")
    try:
        data = read_source_bytes(target)
    except NotARegularFileError as error:
        return FileFix(path, skipped=f"cannot read it: {error.strerror}, not a regular file")
    except OSError as error:
        return FileFix(path, skipped=f"cannot read it ({type(error).__name__}: {error.strerror})")
    # Files that spell a new name of a rename too: their imports are what other files need.
    if not may_spell(data, settings.progress_needles):
        return FileFix(path)
    decoded = decode_source(data)
    if decoded.encode(decoded.text) != data:
        # utf-7 or unicode_escape spell a character several ways: the bytes the fix does not
        # touch would not all be written back as they were.
        coding = decoded.encoding
        return FileFix(
            path,
            skipped=f"written back in its coding ({coding}), bytes no fix touches would change",
        )
    return _Loaded(path, target, data, decoded)


def _write_back(loaded: _Loaded, outcome: TextFix, write: bool) -> FileFix:
    path, text = loaded.path, loaded.decoded.text
    if outcome.error is not None:
        return FileFix(path, outcome, skipped=outcome.error, original=text)
    if not outcome.changed:
        return FileFix(path, outcome, original=text)
    shown = printable(os.path.normpath(path))
    diff = "".join(
        difflib.unified_diff(
            split_lines(text), split_lines(outcome.text), fromfile=f"a/{shown}", tofile=f"b/{shown}"
        )
    )
    if not write:
        return FileFix(path, outcome, diff=diff, original=text)
    if not os.access(loaded.target, os.W_OK):
        return FileFix(path, outcome, skipped="not writable", diff=diff, original=text)
    links = _hard_links(loaded.target)
    if links > 1:
        # The fix writes a new file and renames it into place (never half a file): the other
        # names would keep the old text.
        reason = f"it has {links} hard links, which a rewrite would separate"
        return FileFix(path, outcome, skipped=reason, diff=diff, original=text)
    new_data = loaded.decoded.encode(outcome.text)
    try:
        write_bytes_atomically(Path(loaded.target), new_data, expected=loaded.data)
    except FileChangedError:
        return FileFix(path, outcome, skipped=CHANGED_WHILE_FIXING, diff=diff, original=text)
    except OSError as error:
        reason = f"cannot write it ({error.strerror})"
        return FileFix(path, outcome, skipped=reason, diff=diff, original=text)
    return FileFix(path, outcome, diff=diff, written=True, original=text)


def _hard_links(path: str) -> int:
    try:
        return os.stat(path).st_nlink
    except OSError:
        return 1  # the write says what is wrong


def _inside(target: str, roots: Sequence[str]) -> bool:
    for root in roots:
        real_root = os.path.realpath(root)
        if target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep):
            return True
    return False
