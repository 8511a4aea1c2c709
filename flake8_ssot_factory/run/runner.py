"""Checking many files: from the cache where they have not changed, else in-process or spread
over worker processes."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, TextIO, Tuple

from flake8_ssot_factory.config.needles import Needles
from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.run.cache import Cache
from flake8_ssot_factory.run.progress import ProgressLine
from flake8_ssot_factory.run.results import FileResult
from flake8_ssot_factory.run.source import StatKey

if TYPE_CHECKING:
    from flake8_ssot_factory.run.checking import Checked

#: Below this many files, starting worker processes (~20 ms) costs more than it can save.
_FILES_WORTH_A_POOL = 64
#: Files per task: small enough that the workers share the few heavy files evenly.
_CHUNK = 48
_PROGRESS_AFTER_SECONDS = 1.0
_PROGRESS_EVERY_SECONDS = 0.1


def default_jobs() -> int:
    return os.cpu_count() or 1


def check_files(
    paths: Sequence[str],
    settings: Settings,
    jobs: int,
    progress: TextIO = sys.stderr,
    cache: Optional[Cache] = None,
    needles: Optional[Sequence[bytes]] = None,
) -> List[FileResult]:
    """Results in the order of ``paths``.

    A file the cache knows, unchanged, is not read. The others go to worker processes in
    chunks; each worker reads its files, searches their bytes for the watched names and
    parses and analyses those that spell one. Settings travel with each task: the workers
    keep no state.
    """
    if needles is None:
        needles = settings.prefilter_needles
    elif not isinstance(needles, Needles):
        needles = Needles(needles)
    results: Dict[str, FileResult] = {}
    todo: List[str] = []
    for path in paths:
        known = cache.known(path) if cache is not None else None
        if known is not None:
            results[path] = known
        else:
            todo.append(path)
    reporter = ProgressLine(
        len(paths), progress, "checked", _PROGRESS_AFTER_SECONDS, _PROGRESS_EVERY_SECONDS
    )
    fresh: List[Checked] = []
    if todo:
        fresh = _check_todo(todo, settings, jobs, needles, reporter, len(results))
    reporter.done()
    for result, key in fresh:
        results[result.path] = result
        if cache is not None and key is not None:
            cache.store(result.path, key, result)
    return [results[path] for path in paths]


def _check_todo(
    todo: List[str],
    settings: Settings,
    jobs: int,
    needles: Tuple[bytes, ...],
    reporter: ProgressLine,
    done_before: int,
) -> List[Checked]:
    # The engine is loaded only when a file needs reading (not on a warm run), the pool only
    # for many files.
    from flake8_ssot_factory.run.checking import watched_check
    from flake8_ssot_factory.run.slow import SlowFileWatch

    fresh: List[Checked] = []
    if jobs == 1 or len(todo) < _FILES_WORTH_A_POOL:
        with SlowFileWatch() as watch:
            for path in todo:
                fresh.append(watched_check(watch, path, settings, needles))
                reporter.update(done_before + len(fresh))
    else:
        chunks = [todo[start : start + _CHUNK] for start in range(0, len(todo), _CHUNK)]
        tasks = [(chunk, settings, needles) for chunk in chunks]
        import multiprocessing

        with multiprocessing.Pool(jobs) as pool:
            for checked in pool.imap_unordered(_check_chunk, tasks):
                fresh += checked
                reporter.update(done_before + len(fresh))
    return fresh


def _check_chunk(
    task: Tuple[List[str], Settings, Tuple[bytes, ...]],
) -> List[Tuple[FileResult, Optional[StatKey]]]:
    from flake8_ssot_factory.run.checking import check_paths

    return check_paths(*task)
