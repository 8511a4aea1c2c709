"""A progress line on stderr (``ssot-factory: checked 1200/4000 files``): only when the run
has lasted a while and the stream is a terminal, redrawn at most every so often, and cleared
before the results print."""

from __future__ import annotations

import time
from typing import TextIO

from flake8_ssot_factory import PROG

#: A run shorter than this shows no line; a line is redrawn at most this often.
AFTER_SECONDS = 1.0
EVERY_SECONDS = 0.1


class ProgressLine:
    def __init__(
        self,
        total: int,
        stream: TextIO,
        verb: str,
        after_seconds: float = AFTER_SECONDS,
        every_seconds: float = EVERY_SECONDS,
    ) -> None:
        self._total = total
        self._stream = stream
        self._verb = verb
        self._after = after_seconds
        self._every = every_seconds
        self._start = time.monotonic()
        self._enabled = stream.isatty()
        self._shown = False
        self._last = -1.0

    def update(self, done: int) -> None:
        if not self._enabled:
            return
        now = time.monotonic()
        if now - self._start < self._after or now - self._last < self._every:
            return
        self._last = now
        self._shown = True
        self._stream.write(f"\r{PROG}: {self._verb} {done}/{self._total} files")
        self._stream.flush()

    def done(self) -> None:
        if self._shown:
            self._stream.write("\r\033[K")
            self._stream.flush()
