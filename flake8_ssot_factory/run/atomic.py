"""Writing a file so that a reader sees the old content or the new, never half of it.

The new content goes to a temporary file beside the target (``.NAME.RANDOM.tmp``: hidden, and
not a ``*.py`` file, so no walk picks it up), which is then renamed over the target. A new
file gets the permissions the umask gives, as ``open()`` would; a file that exists keeps its
permission bits, and its owner and group where the running user may set them.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set

#: What a new file may have at most, as ``open(path, "w")`` asks for: the umask takes away.
_NEW_FILE_MODE = 0o666
_ATTEMPTS = 100


class FileChangedError(OSError):
    """The file no longer holds what it was read as: another program wrote it meanwhile."""


def write_bytes_atomically(path: Path, data: bytes, expected: Optional[bytes] = None) -> None:
    """Raises OSError when the file cannot be written; the old file, if any, stays whole.

    ``expected``: replace the file only if it still holds these bytes, checked once the new
    content is on disk, just before the rename (FileChangedError otherwise)."""
    try:
        existing: Optional[os.stat_result] = path.stat()
    except FileNotFoundError:
        existing = None
    handle, temporary = _create_temporary(path)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if existing is not None:
            _keep_owner_and_mode(temporary, existing)
        if expected is not None and _read(path) != expected:
            raise FileChangedError(f"{path} changed since it was read")
        os.replace(temporary, path)
    except BaseException:  # KeyboardInterrupt too: no temporary file is left behind
        _remove(temporary)
        raise


def temporary_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")  # secrets: 9 ms to import


def _create_temporary(path: Path) -> tuple[int, str]:
    for _ in range(_ATTEMPTS):
        temporary = str(temporary_name(path))
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            return os.open(temporary, flags, _NEW_FILE_MODE), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def _keep_owner_and_mode(temporary: str, existing: os.stat_result) -> None:
    if hasattr(os, "chown") and (existing.st_uid, existing.st_gid) != _owner(temporary):
        try:
            os.chown(temporary, existing.st_uid, existing.st_gid)
        except PermissionError:  # not root: keep the group at least, when we are in it
            with contextlib.suppress(PermissionError):
                os.chown(temporary, -1, existing.st_gid)
    os.chmod(temporary, existing.st_mode & 0o7777)


def _read(path: Path) -> Optional[bytes]:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _owner(path: str) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_uid, status.st_gid


#: ``.NAME.RANDOM.tmp``, as :func:`temporary_name` makes them.
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[0-9a-f]{8}\.tmp\Z", re.DOTALL)
#: A temporary file younger than this may be another run's, about to be renamed.
LEFTOVER_AGE = 60.0


def leftover_temporaries(targets: Iterable[str]) -> List[str]:
    """The temporary files beside ``targets`` that a run killed while writing them left
    (SIGKILL runs no ``finally``): named after one of them, and over a minute old."""
    by_folder: Dict[str, Set[str]] = {}
    for target in targets:
        folder, name = os.path.split(target)
        by_folder.setdefault(folder or os.curdir, set()).add(name)
    now = time.time()
    found = []
    for folder, names in by_folder.items():
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            named = _TEMPORARY.match(entry.name)
            if named is None or named["name"] not in names:
                continue
            with contextlib.suppress(OSError):
                status = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(status.st_mode) and now - status.st_mtime > LEFTOVER_AGE:
                    found.append(entry.path)
    return found


def remove_leftovers(targets: Iterable[str]) -> List[str]:
    """Remove :func:`leftover_temporaries`; those removed."""
    removed = []
    for leftover in leftover_temporaries(targets):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(leftover)
            removed.append(leftover)
    return removed


def _remove(temporary: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temporary)


def write_output(path: Path, data: bytes) -> None:
    """A file the user named for output (``-o``, ``baseline --write``): a regular file (or none
    yet) is replaced atomically; anything else there (``/dev/null``, a pipe, ``/dev/stdout``)
    is written to as it is, as a shell's ``>`` would: replacing it would turn the system's
    ``/dev/null`` into a regular file when run as root, and leave a pipe's reader with nothing."""
    try:
        special = not stat.S_ISREG(path.stat().st_mode)
    except FileNotFoundError:
        special = False
    if not special:
        write_bytes_atomically(path, data)
        return
    with open(path, "wb") as stream:
        stream.write(data)
