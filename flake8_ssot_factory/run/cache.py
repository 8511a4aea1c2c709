"""The cache: each file's result, kept until the file changes, as ruff and mypy keep theirs.

An entry is found by the file's absolute path and used only while the file's size, times (in
nanoseconds) and inode are those it was computed from; the whole cache belongs to one set of
settings, one package version and one Python version (a file named after them), so any of
those changing starts a fresh one. The file carries a digest of its content keyed with the
user's secret (cache_key.py): a cache that was truncated, edited, damaged or forged is dropped
as a whole and rebuilt, never read wrong; an entry of the wrong shape is a miss. A folder that
holds files tracked by git is not used at all: what is committed is anyone's to write.

Two runs may share the folder (pre-commit runs hooks in parallel): each writes a new file
beside the old and renames it into place, so a reader sees one whole cache or the other; the
last run to finish wins, and the other's new entries are simply computed again next time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple

if TYPE_CHECKING:  # typing_extensions is no dependency: only mypy reads this
    from typing_extensions import TypeGuard

import flake8_ssot_factory
from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.run.cache_key import CacheKeyError, cache_key
from flake8_ssot_factory.run.results import FileResult, Violation
from flake8_ssot_factory.run.sealed import has_shape, read_sealed, write_sealed
from flake8_ssot_factory.run.source import StatKey, stat_key

CACHE_ENV = "SSOT_FACTORY_CACHE_DIR"
DEFAULT_FOLDER = ".ssot_factory_cache"
_MAGIC = b"ssot-factory cache 2\n"
_GITIGNORE = "# Made by ssot-factory: the cache is not part of the project.\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by ssot-factory.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)

#: What is kept per file: its key, whether it spells a watched name, its migrated call sites
#: and its violations (without the path, which depends on how the run named the file).
_Entry = Tuple[StatKey, bool, Tuple[Tuple[str, int], ...], Tuple[Tuple[Any, ...], ...]]


def fingerprint(settings: Settings, kind: str) -> str:
    """What decides every result: the settings, this package's and Python's versions, and the
    names a file is screened for. ``check`` and ``report`` share one cache when they screen for
    the same names (a table without renames: a report after a warm check reads nothing);
    a report also screens for the new names of renames, and then keeps its own."""
    if kind in ("check", "report"):
        needles = settings.prefilter_needles if kind == "check" else settings.progress_needles
        kind = "screened for " + repr(needles)
    decided_by = "|".join(
        [
            flake8_ssot_factory.__version__,
            python_version(),
            kind,
            repr(settings.table),
            repr(settings.any_receiver),
        ]
    )
    return hashlib.blake2b(decided_by.encode(), digest_size=12).hexdigest()


def python_version() -> str:
    """The interpreter, as far as it decides a result (the syntax tree and its positions)."""
    return f"{sys.implementation.name} {sys.version_info[0]}.{sys.version_info[1]}"


class Cache:
    """The entries of one cache file, read at the start of a run and written at its end."""

    def __init__(self, folder: Path, name: str, key: bytes) -> None:
        self.folder = folder
        self.file = folder / f"{name}.cache"
        self._key = key
        self._entries: Dict[str, _Entry] = read_sealed(self.file, _MAGIC, key)
        self._changed = False
        self._cwd = os.getcwd()

    def _absolute(self, path: str) -> str:
        # abspath (a getcwd and a normpath per call) is a good part of a warm run; a path the
        # walk made ("./a/b.py", "a/b.py") only needs the current folder in front.
        if path.startswith("./") and "/." not in path[1:] and "//" not in path:
            return self._cwd + path[1:]
        if not path.startswith("/") and "/." not in path and "//" not in path and path[:1] != ".":
            return self._cwd + "/" + path
        return os.path.abspath(path)

    def lookup(self, path: str, key: StatKey) -> Optional[FileResult]:
        entry = self._entries.get(self._absolute(path))
        if not _is_entry(entry, key):
            return None  # none, stale, or of another shape (another version wrote it): a miss
        _, mentions, migrated, rows = entry
        violations: Tuple[Violation, ...] = ()
        if rows:  # most files have no finding: nothing to build
            violations = tuple(Violation(path, *row) for row in rows)
        return FileResult(path, violations, dict(migrated), mentions)

    def known(self, path: str) -> Optional[FileResult]:
        """The result of the file as it is now on disk, if the cache holds it."""
        try:
            key = stat_key(os.stat(path))
        except OSError:
            return None  # the run reads it, and reports why it cannot
        return self.lookup(path, key)

    def store(self, path: str, key: StatKey, result: FileResult) -> None:
        rows = tuple(
            (v.line, v.col, v.code, v.message, v.source, v.migration) for v in result.violations
        )
        entry: _Entry = (key, result.mentions, tuple(sorted(result.migrated.items())), rows)
        absolute = self._absolute(path)
        if self._entries.get(absolute) != entry:
            self._entries[absolute] = entry
            self._changed = True

    def save(self) -> Optional[str]:
        """Write the cache if it changed; the reason when it cannot be written (the run goes
        on without it)."""
        if not self._changed:
            return None
        try:
            prepare_folder(self.folder)
            write_sealed(self.file, _MAGIC, self._entries, self._key)
        except OSError as error:
            return f"cannot write the cache in {self.folder} ({error.strerror or error})"
        self._changed = False
        return None


def _is_entry(entry: object, key: StatKey) -> TypeGuard[_Entry]:
    """Whether ``entry`` is an entry for ``key``: checked before it is believed, cheaply (every
    file of a warm run is looked up; most have no finding to check)."""
    if type(entry) is not tuple or len(entry) != 4 or entry[0] != key:
        return False
    _, mentions, migrated, rows = entry
    return type(mentions) is bool and _rows(migrated, _MIGRATED) and _rows(rows, _ROW)


#: A migration's call sites migrated, and a violation, as stored (line, column, code,
#: message, source line, migration).
_MIGRATED = (str, int)
_ROW = (int, int, str, str, str, str)


def _rows(value: object, types: Tuple[type, ...]) -> bool:
    return type(value) is tuple and (not value or all(has_shape(row, types) for row in value))


def trusted_key(folder: Path) -> bytes:
    """The key that seals the caches of ``folder``; CacheKeyError when there is none or the
    folder must not hold a cache: a link, or a folder with files this tool did not make."""
    if folder.is_symlink():
        # A checkout may commit a link to anywhere: the cache, its .gitignore and CACHEDIR.TAG
        # would be written there.
        raise CacheKeyError(f"{folder} is a symbolic link, where a cache is not trusted")
    if not _made_here(folder):
        raise CacheKeyError(
            f"{folder} holds files but not the .gitignore this tool writes in its cache "
            "folder, where a cache is not trusted"
        )
    return cache_key()


def _made_here(folder: Path) -> bool:
    """Whether ``folder`` is this tool's to write in: absent or empty (it is made a cache
    folder), or holding the .gitignore the tool writes in one. Told without running git (a
    checkout's configuration could make git run a program): a folder committed to the
    checkout without that file (a cache added by mistake, ``--cache-dir src``) is not used,
    and one committed with it is only as good as its seal."""
    try:
        with os.scandir(folder) as entries:
            if next(entries, None) is None:
                return True
    except (FileNotFoundError, NotADirectoryError):
        return True  # made by this run (or not at all: the run says why)
    except OSError:
        return False
    try:
        fd = os.open(folder / ".gitignore", os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    with os.fdopen(fd, "rb") as stream:
        return stream.read(len(_GITIGNORE) + 1) == _GITIGNORE.encode()


def prepare_folder(folder: Path) -> None:
    """The folder, with a .gitignore and a CACHEDIR.TAG in it (as ruff writes them)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
        # "x": created, never opened through a link (a dangling one would be followed out).
        with contextlib.suppress(FileExistsError), open(folder / name, "x", encoding="utf-8") as f:
            f.write(text)


def cache_folder(option: Optional[str], project: Path) -> Path:
    """``--cache-dir``, else ``SSOT_FACTORY_CACHE_DIR``, else a folder in the project (the
    configuration file's folder, or the current one)."""
    chosen = option or os.environ.get(CACHE_ENV)
    return Path(chosen) if chosen else project / DEFAULT_FOLDER
