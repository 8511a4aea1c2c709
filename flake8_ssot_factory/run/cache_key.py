"""The secret that seals the caches: only a program that can read it can write a cache that
is believed.

A cache folder may be writable by others (a shared ``SSOT_FACTORY_CACHE_DIR`` on a CI runner,
a folder restored from a CI cache, a cache committed by mistake). Each cache file carries a
digest keyed with this secret, so that a file forged or edited there fails its digest and is
rebuilt: it can never hide a finding. The secret is 32 random bytes in the user's own cache
folder (``$XDG_CACHE_HOME/ssot-factory/key``, else ``~/.cache``, ``~/Library/Caches`` or
``%LOCALAPPDATA%``), made on first use, readable by its owner only; a key file that others may
read or write, or that is not the user's, is not used (the run goes on without a cache).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

KEY_SIZE = 32
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


class CacheKeyError(Exception):
    """The key cannot be read or made; the message says why, naming the file."""


class _CutShortError(Exception):
    """A key file of the user's own, shorter than a key."""


def user_cache_folder() -> Path:
    chosen = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(chosen):
        base = Path(chosen)
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path.home() / ".cache"
    return base / "ssot-factory"


def key_file() -> Path:
    return user_cache_folder() / "key"


def cache_key() -> bytes:
    """The key, made the first time (raises CacheKeyError)."""
    file = key_file()
    try:
        return _read_private(file)
    except FileNotFoundError:
        pass
    except _CutShortError:
        # Written whole or not at all since: a short one was cut by a full disk, and would
        # have kept every later run uncached.
        _remove(file)
    try:
        return _make(file)
    except FileExistsError:  # another run made it just now
        return _read_private(file)
    except OSError as error:
        reason = error.strerror or str(error)
        raise CacheKeyError(f"cannot make the cache's key {file} ({reason})") from None


def _make(file: Path) -> bytes:
    """A new key, written beside ``file`` then linked to its name: the name never shows a key
    half written (a full disk, a killed run), and a key another run linked first wins."""
    file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = os.urandom(KEY_SIZE)  # what secrets.token_bytes returns, without importing it
    draft = file.with_name(f".{file.name}.{os.getpid()}.{key[:4].hex()}.tmp")
    handle = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o600)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(key)
        os.link(draft, file)
    finally:
        _remove(draft)
    return key


def _remove(file: Path) -> None:
    try:
        os.unlink(file)
    except FileNotFoundError:
        pass
    except OSError as error:
        raise CacheKeyError(f"cannot replace the cache's key {file} ({error.strerror})") from None


def _read_private(file: Path) -> bytes:
    try:
        handle = os.open(file, os.O_RDONLY | _NO_FOLLOW)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise CacheKeyError(f"cannot read the cache's key {file} ({error.strerror})") from None
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(stream.fileno())
        problem = _unsafe(status)
        if problem:
            raise CacheKeyError(f"the cache's key {file} {problem}; not used")
        key = stream.read(KEY_SIZE + 1)
    if len(key) < KEY_SIZE:
        raise _CutShortError()
    if len(key) != KEY_SIZE:
        raise CacheKeyError(f"the cache's key {file} is not {KEY_SIZE} bytes")
    return key


def _unsafe(status: os.stat_result) -> str:
    if not stat.S_ISREG(status.st_mode):
        return "is not a regular file"
    if os.name != "posix":
        return ""  # %LOCALAPPDATA% is the user's own
    if status.st_uid != os.geteuid():
        return "belongs to another user"
    if status.st_mode & 0o077:
        return "may be read or written by others (chmod 600 it)"
    return ""
