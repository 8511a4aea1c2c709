"""A dict of plain values kept in a file under a keyed digest: read back whole or not at all.

The caches use it: a file that was truncated, edited, damaged or written by anyone without
the key (see cache_key.py) fails its digest and reads as empty (the results are computed
again); only then is it unmarshalled, so no forged bytes ever reach ``marshal``. A write
replaces the whole file atomically, so two runs sharing a folder never see half of one.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
from pathlib import Path
from typing import Any, Dict, Tuple

from flake8_ssot_factory.run.atomic import write_bytes_atomically

_DIGEST_SIZE = 16


def read_sealed(file: Path, magic: bytes, key: bytes) -> Dict[Any, Any]:
    """The entries ``write_sealed`` wrote with the same ``magic``; empty when there are none,
    or when the file is of another kind or damaged."""
    try:
        data = file.read_bytes()
    except OSError:
        return {}
    head = len(magic) + _DIGEST_SIZE
    if not data.startswith(magic) or len(data) < head:
        return {}
    digest, payload = data[len(magic) : head], data[head:]
    if not hmac.compare_digest(_digest(payload, key), digest):
        return {}
    try:
        entries = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return {}
    return entries if isinstance(entries, dict) else {}


def write_sealed(file: Path, magic: bytes, entries: Dict[Any, Any], key: bytes) -> None:
    """Raises OSError when the file cannot be written (the old one, if any, stays whole)."""
    payload = marshal.dumps(entries)
    write_bytes_atomically(file, magic + _digest(payload, key) + payload)


def _digest(payload: bytes, key: bytes) -> bytes:
    return hashlib.blake2b(payload, key=key, digest_size=_DIGEST_SIZE).digest()


def has_shape(row: object, types: Tuple[type, ...]) -> bool:
    """Whether ``row`` is a tuple of values of exactly these types: what a caller checks an
    entry with before it believes it (an older version may have written another shape)."""
    return (
        isinstance(row, tuple)
        and len(row) == len(types)
        and all(type(value) is kind for value, kind in zip(row, types))
    )
