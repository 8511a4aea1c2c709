"""Naming a file that takes unusually long, while the run goes on.

A file that never finishes looks like a run that never finishes: nothing says which file it is.
Each process that reads files keeps one watch: a thread that wakes a few times a second and,
when the file being read has taken longer than the limit, names it on stderr; the file is
named again with its time when it is done. The watch lives as long as one batch of files
(nothing is kept between runs), and costs one clock reading per file.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from types import TracebackType
from typing import Iterator, Optional, TextIO, Tuple, Type

from flake8_ssot_factory import PROG

#: A file taking longer than this is named; ``SSOT_FACTORY_SLOW_SECONDS`` sets another limit.
SLOW_SECONDS = 2.0
SLOW_SECONDS_ENV = "SSOT_FACTORY_SLOW_SECONDS"


def slow_seconds() -> float:
    """The limit: the environment's, when it is a positive number, else the default."""
    try:
        value = float(os.environ.get(SLOW_SECONDS_ENV, SLOW_SECONDS))
    except ValueError:
        return SLOW_SECONDS
    return value if value > 0 else SLOW_SECONDS


class SlowFileWatch:
    """``with SlowFileWatch() as watch:`` then ``with watch.reading(path):`` around each file."""

    def __init__(self, stream: Optional[TextIO] = None, after: Optional[float] = None) -> None:
        self._stream = stream
        self._after = after if after is not None else slow_seconds()
        self._current: Optional[Tuple[str, float]] = None
        self._named: Optional[str] = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def __enter__(self) -> SlowFileWatch:
        self._thread = threading.Thread(target=self._watch, name="ssot-slow-file", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: Optional[Type[BaseException]],
        error: Optional[BaseException],
        trace: Optional[TracebackType],
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    @contextlib.contextmanager
    def reading(self, path: str) -> Iterator[None]:
        started = time.monotonic()
        self._current = (path, started)
        try:
            yield
        finally:
            with self._lock:
                self._current = None
                named, self._named = self._named == path, None
            took = time.monotonic() - started
            if named or took >= self._after:
                self._say(f"{path}: slow file: took {took:.1f} s")

    def _watch(self) -> None:
        interval = min(0.25, self._after / 4)
        while not self._stop.wait(interval):
            with self._lock:
                current = self._current
                if current is None or self._named == current[0]:
                    continue
                path, started = current
                if time.monotonic() - started < self._after:
                    continue
                self._named = path
            self._say(f"{path}: slow file: still reading after {self._after:g} s")

    def _say(self, message: str) -> None:
        stream = self._stream if self._stream is not None else sys.stderr
        stream.write(f"{PROG}: {message}\n")
        stream.flush()
