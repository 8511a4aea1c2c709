"""flake8-ssot-factory: find, block and migrate uses of a retired singleton factory."""

from __future__ import annotations

# A constant, not importlib.metadata: the cache's key needs the version on every run, and
# importlib.metadata is a third of the command line's import time.
from flake8_ssot_factory._version import __version__

#: The command's name: every message it prints on stderr starts with it.
PROG = "ssot-factory"

__all__ = ["PROG", "__version__"]
