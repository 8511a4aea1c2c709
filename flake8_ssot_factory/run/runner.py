"""Checking many files: in-process, or spread over worker processes."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from multiprocessing.pool import AsyncResult
from typing import Dict, List, Sequence, TextIO

from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.run.checking import FileResult, analyse_file, check_file, screen_file

#: Below this many files, starting worker processes (~20 ms) costs more than it can save.
_FILES_WORTH_A_POOL = 64
_PROGRESS_AFTER_SECONDS = 1.0
_PROGRESS_EVERY_SECONDS = 0.1


def default_jobs() -> int:
    return os.cpu_count() or 1


def check_files(
    paths: Sequence[str], settings: Settings, jobs: int, progress: TextIO = sys.stderr
) -> List[FileResult]:
    """Results in the order of ``paths``.

    This process reads every file and searches its bytes for the watched names, which is cheap;
    each file that mentions one is handed at once to a worker process to be parsed and analysed
    while the reading goes on. Settings travel with each task: the workers keep no state.
    """
    reporter = _Progress(len(paths), progress)
    results: Dict[str, FileResult] = {}
    if jobs == 1 or len(paths) < _FILES_WORTH_A_POOL:
        for path in paths:
            results[path] = check_file(path, settings)
            reporter.update(len(results))
    else:
        with multiprocessing.Pool(jobs) as pool:
            pending: List[AsyncResult[FileResult]] = []
            for path in paths:
                screened = screen_file(path, settings)
                if screened is None:
                    pending.append(pool.apply_async(analyse_file, (path, settings)))
                else:
                    results[path] = screened
            reporter.update(len(results))
            for task in pending:
                result = task.get()
                results[result.path] = result
                reporter.update(len(results))
    reporter.done()
    return [results[path] for path in paths]


class _Progress:
    """``checked 1200/4000 files`` on stderr, only when the run is long and stderr a terminal."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self._total = total
        self._stream = stream
        self._start = time.monotonic()
        self._enabled = stream.isatty()
        self._shown = False
        self._last = -1.0

    def update(self, done: int) -> None:
        if not self._enabled:
            return
        now = time.monotonic()
        if (
            now - self._start < _PROGRESS_AFTER_SECONDS
            or now - self._last < _PROGRESS_EVERY_SECONDS
        ):
            return
        self._last = now
        self._shown = True
        self._stream.write(f"\rssot-factory: checked {done}/{self._total} files")
        self._stream.flush()

    def done(self) -> None:
        if self._shown:
            self._stream.write("\r\033[K")
            self._stream.flush()
