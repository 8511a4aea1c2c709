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


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived; ``code`` is the exit status a process killed by it reports."""

    code = 128 + int(getattr(signal, "SIGTERM", 15))


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises Terminated in this process (the main thread only:
    Python delivers signals there). Worker processes forked meanwhile die of it as before."""
    if not hasattr(signal, "SIGTERM") or threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def stop(signum: int, frame: Optional[FrameType]) -> None:
        if os.getpid() != owner:  # a forked worker: the default, as if never installed
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
