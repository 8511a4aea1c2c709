"""Where a command's output goes (standard output or ``--output-file``) and whether it is
coloured (``--color``, ``NO_COLOR``)."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path
from typing import Iterator, Optional, TextIO

from flake8_ssot_factory.faces.run_setup import UsageError
from flake8_ssot_factory.run.atomic import write_output


@contextlib.contextmanager
def output_to(output_file: Optional[str], stdout: TextIO) -> Iterator[TextIO]:
    """``stdout``, or a buffer written to ``output_file`` whole when the command is done (a
    failed run leaves the previous file, never half of a new one; a device or a pipe there is
    written to, not replaced)."""
    if not output_file:
        yield stdout
        return
    destination = Path(output_file)
    if not destination.parent.is_dir():
        raise UsageError(f"--output-file: {destination.parent}: no such folder")
    buffer = io.StringIO()
    yield buffer
    try:
        write_output(destination, buffer.getvalue().encode("utf-8"))
    except OSError as error:
        raise UsageError(f"--output-file: {output_file}: {error.strerror or error}") from None


def wants_colour(choice: str, stream: TextIO) -> bool:
    """``always`` and ``never`` decide; ``auto`` colours a terminal, unless ``NO_COLOR`` is set
    (https://no-color.org) or the terminal is ``dumb``."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
