"""flake8-ssot-factory: find, block and migrate uses of a retired singleton factory."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # The version lives in the package metadata only. It is read on first use, not at import:
    # the command line starts faster without importlib.metadata (a third of its import time).
    if name == "__version__":
        from importlib.metadata import version

        return version("flake8-ssot-factory")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
