"""A dict of plain values kept in a file under a digest: read back whole or not at all.

The caches use it: a file that was truncated, edited or damaged fails its digest and reads as
empty (the results are computed again), and a write replaces the whole file atomically, so two
runs sharing a folder never see half of one.
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path
from typing import Any, Dict

from flake8_ssot_factory.run.atomic import write_bytes_atomically

_DIGEST_SIZE = 16


def read_sealed(file: Path, magic: bytes) -> Dict[Any, Any]:
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
    if hashlib.blake2b(payload, digest_size=_DIGEST_SIZE).digest() != digest:
        return {}
    try:
        entries = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return {}
    return entries if isinstance(entries, dict) else {}


def write_sealed(file: Path, magic: bytes, entries: Dict[Any, Any]) -> None:
    """Raises OSError when the file cannot be written (the old one, if any, stays whole)."""
    payload = marshal.dumps(entries)
    digest = hashlib.blake2b(payload, digest_size=_DIGEST_SIZE).digest()
    write_bytes_atomically(file, magic + digest + payload)
