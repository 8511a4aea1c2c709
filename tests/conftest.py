"""Settings shared by the whole suite."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_slow_file_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """A loaded machine may take seconds over a large test file, and a test must not depend on
    the machine's speed: files are named slow only where a test asks for it (test_slow_files)."""
    monkeypatch.setenv("SSOT_FACTORY_SLOW_SECONDS", "86400")


@pytest.fixture(scope="session")
def _user_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("user-cache"))


@pytest.fixture(autouse=True)
def _cache_key_outside_home(monkeypatch: pytest.MonkeyPatch, _user_cache_folder: str) -> None:
    """The caches' key (run/cache_key.py) is made in a folder of the test session, never in
    the home folder of whoever runs the tests."""
    monkeypatch.setenv("XDG_CACHE_HOME", _user_cache_folder)
