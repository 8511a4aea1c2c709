"""Stopping the command cleanly: Ctrl-C or a ``kill`` ends a run through the same path.

Python turns SIGINT into KeyboardInterrupt, so every ``finally`` runs (a file being written
leaves no temporary file behind); SIGTERM (``kill``, a CI job cancelled, pre-commit's
timeout) would end the process on the spot. While the command runs, SIGTERM raises
:class:`Terminated` instead, and the command exits as the shell expects of a killed one.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from types import FrameType
from typing import Iterator, Optional

from flake8_ssot_factory.run.apart import STOP_MARK


def _default_in_child() -> None:
    # A worker forked while the command runs must die of SIGTERM at once, as before: its
    # pool terminates it with SIGTERM, and a Python handler would wait for the worker to come
    # back to Python (one blocked on the pool's queue lock never does: the pool hung).
    if getattr(signal.getsignal(signal.SIGTERM), STOP_MARK, False):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


if hasattr(os, "register_at_fork"):  # POSIX; once per process, as the module is imported once
    os.register_at_fork(after_in_child=_default_in_child)


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived; ``code`` is the exit status a process killed by it reports."""

    code = 128 + int(getattr(signal, "SIGTERM", 15))


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises Terminated in this process (the main thread only:
    Python delivers signals there). Worker processes forked meanwhile die of it at once, as
    before (see _default_in_child)."""
    if not hasattr(signal, "SIGTERM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Optional[FrameType]) -> None:
        raise Terminated()

    setattr(stop, STOP_MARK, True)
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
