"""Checking many files: in-process, or spread over worker processes."""

from __future__ import annotations

import functools
import multiprocessing
import os
import sys
import time
from typing import List, Sequence, TextIO

from flake8_ssot_factory.checking import FileResult, check_file
from flake8_ssot_factory.settings import Settings

#: Below this many files, starting workers costs more than it saves.
_FILES_PER_WORKER = 64
_PROGRESS_AFTER_SECONDS = 1.0


def default_jobs() -> int:
    return os.cpu_count() or 1


def check_files(
    paths: Sequence[str], settings: Settings, jobs: int, progress: TextIO = sys.stderr
) -> List[FileResult]:
    """Results in the order of ``paths``. Settings travel with each task: workers keep no state."""
    workers = min(jobs, len(paths) // _FILES_PER_WORKER)
    check = functools.partial(check_file, settings=settings)
    reporter = _Progress(len(paths), progress)
    if workers <= 1:
        results = []
        for path in paths:
            results.append(check(path))
            reporter.update(len(results))
    else:
        chunk = max(1, len(paths) // (workers * 8))
        with multiprocessing.Pool(workers) as pool:
            results = []
            for result in pool.imap(check, paths, chunksize=chunk):
                results.append(result)
                reporter.update(len(results))
    reporter.done()
    return results


class _Progress:
    """``checked 1200/4000 files`` on stderr, only when the run is long and stderr a terminal."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self._total = total
        self._stream = stream
        self._start = time.monotonic()
        self._enabled = stream.isatty()
        self._shown = False
        self._last = 0.0

    def update(self, done: int) -> None:
        if not self._enabled:
            return
        now = time.monotonic()
        if now - self._start < _PROGRESS_AFTER_SECONDS or now - self._last < 0.1:
            return
        self._last = now
        self._shown = True
        self._stream.write(f"\rssot-factory: checked {done}/{self._total} files")
        self._stream.flush()

    def done(self) -> None:
        if self._shown:
            self._stream.write("\r\033[K")
            self._stream.flush()
