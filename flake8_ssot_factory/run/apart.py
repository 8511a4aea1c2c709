"""Parsing a large text where a signal can stop it: in a child process.

CPython's parser holds the interpreter for a whole parse, and a Python signal handler runs
only once it returns: an f-string of a megabyte takes minutes to parse (3.11: quadratic), and
the command ignored SIGTERM and Ctrl-C all that time. While a command runs, its main process
parses a large text in a forked child and waits for the tree; the wait is interrupted by the
signal, the child killed, and the command ends as it ends on any signal (interrupts.py).

Worker processes need none of this: SIGTERM kills them at once (their pool sends it).
"""

from __future__ import annotations

import ast
import signal
import sys
import threading
from typing import TYPE_CHECKING, Callable, Union

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

#: The attribute that marks the command's own SIGTERM handler (set by faces/interrupts.py).
STOP_MARK = "ssot_factory_stop"
#: Characters from which a text is parsed apart. Below it, the slowest text known (an
#: f-string of ``{a}`` fields) parses in about a second on CPython 3.11; a normal module of
#: that size in some tens of milliseconds, less than starting the child would cost.
APART_FROM = 128 * 1024

Parsed = Union[ast.Module, SyntaxError, ValueError, RecursionError, MemoryError]


def worth_parsing_apart(text: str) -> bool:
    """Whether ``text`` is large and this is the command's main thread, stoppable by signal."""
    if len(text) < APART_FROM:
        return False
    import multiprocessing  # only for a large text: not on every run's start

    return (
        sys.platform != "win32"
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.current_thread() is threading.main_thread()
        and getattr(signal.getsignal(signal.SIGTERM), STOP_MARK, False)
    )


def parse_apart(text: str, parse: Callable[[str], Parsed]) -> Parsed:
    """``parse(text)`` run in a forked child; its tree, or the error it met."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_parse_and_send, args=(text, parse, writer), daemon=True)
    child.start()
    writer.close()
    try:
        result: Parsed = reader.recv()
    except EOFError:  # the child died (out of memory, or killed)
        result = MemoryError("the parser's process ended without a result")
    finally:
        reader.close()
        if child.is_alive():
            child.kill()
        child.join()
    return result


def _parse_and_send(text: str, parse: Callable[[str], Parsed], writer: Connection) -> None:
    result = parse(text)
    try:
        writer.send(result)
    except RecursionError as error:  # a tree too deep to pickle is too deep to read
        writer.send(error)
    writer.close()
