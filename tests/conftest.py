"""Settings shared by the whole suite."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_slow_file_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """A loaded machine may take seconds over a large test file, and a test must not depend on
    the machine's speed: files are named slow only where a test asks for it (test_slow_files)."""
    monkeypatch.setenv("SSOT_FACTORY_SLOW_SECONDS", "86400")
