"""The cache: the same output as a cold run, unchanged files not read, every key invalidates,
a damaged cache is never read wrong."""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path
from typing import List

import pytest

import flake8_ssot_factory
from flake8_ssot_factory.config.settings import DEFAULT_SETTINGS, build_settings
from flake8_ssot_factory.run import checking
from flake8_ssot_factory.run.cache import Cache, fingerprint
from tests.cli_helpers import run_cli, write

FILES = {
    "src/a.py": "from m import get_agent_instance_factory\nx = get_agent_instance_factory()\n",
    "src/b.py": "def f(factory: AgentInstanceFactory):\n    factory.create_agent('X')\n",
    "src/c.py": "y = 1\n",
    "src/d.py": "z = get_agent_instance_factory()  # noqa: SSF002\n",
}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, FILES)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> List[str]:
    """The paths the run reads, in this process (the runner runs small trees in-process)."""
    from flake8_ssot_factory.run.source import read_source

    seen: List[str] = []

    def counting(path: str) -> tuple[bytes, tuple[int, int, int, int]]:
        seen.append(path)
        return read_source(path)

    monkeypatch.setattr("flake8_ssot_factory.run.checking.read_source", counting)
    return seen


def check(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    result = run_cli(capsys, "check", "src", *extra)
    return result.code, result.out


def test_a_warm_run_says_the_same_and_reads_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str], reads: List[str]
) -> None:
    cold = check(capsys)
    assert sorted(reads) == [f"src/{n}.py" for n in "abcd"]
    reads.clear()
    assert check(capsys) == cold
    assert reads == []
    assert cold == check(capsys, "--no-cache")


def test_after_an_edit_only_that_file_is_read(
    repo: Path, capsys: pytest.CaptureFixture[str], reads: List[str]
) -> None:
    check(capsys)
    reads.clear()
    (repo / "src/c.py").write_text("y = get_agent_instance_factory()\n")
    _, out = check(capsys)
    assert reads == ["src/c.py"]
    assert "src/c.py:1:5: SSF002" in out


@pytest.mark.parametrize("change", ["settings", "version", "python"])
def test_each_key_starts_afresh(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    reads: List[str],
    monkeypatch: pytest.MonkeyPatch,
    change: str,
) -> None:
    check(capsys)
    reads.clear()
    extra: List[str] = []
    if change == "settings":
        extra = ["--ssot-context-keyword", "ctx"]
    elif change == "version":
        monkeypatch.setattr(flake8_ssot_factory, "__version__", "99.0", raising=False)
    else:
        monkeypatch.setattr("flake8_ssot_factory.run.cache.python_version", lambda: "cpython 3.99")
    check(capsys, *extra)
    assert len(reads) == 4


def test_the_fingerprint_is_what_decides() -> None:
    check_one = fingerprint(DEFAULT_SETTINGS, "check")
    assert check_one == fingerprint(build_settings({}), "check")
    assert check_one != fingerprint(DEFAULT_SETTINGS, "report")
    assert check_one != fingerprint(build_settings({"ssot-any-receiver": True}), "check")


def cache_file(repo: Path) -> Path:
    (found,) = (repo / ".ssot_factory_cache").glob("*.cache")
    return found


def test_a_damaged_cache_is_dropped_not_read(
    repo: Path, capsys: pytest.CaptureFixture[str], reads: List[str]
) -> None:
    cold = check(capsys)
    stored = cache_file(repo)
    data = bytearray(stored.read_bytes())
    data[-5] ^= 0xFF  # one byte of one entry
    stored.write_bytes(bytes(data))
    reads.clear()
    assert check(capsys) == cold
    assert len(reads) == 4


def test_an_entry_of_another_shape_is_computed_again(
    repo: Path, capsys: pytest.CaptureFixture[str], reads: List[str]
) -> None:
    # A well-formed file (right digest) whose entry for a.py is nonsense: that file is read.
    cold = check(capsys)
    stored = cache_file(repo)
    raw = stored.read_bytes()
    head = len(b"ssot-factory cache 1\n") + 16
    entries = marshal.loads(raw[head:])
    key = next(k for k in entries if k.endswith("a.py"))
    entries[key] = (entries[key][0], True, (), (("not", "a", "row"),))
    payload = marshal.dumps(entries)
    digest = hashlib.blake2b(payload, digest_size=16).digest()
    stored.write_bytes(raw[: head - 16] + digest + payload)
    reads.clear()
    assert check(capsys) == cold
    assert reads == ["src/a.py"]


def test_where_the_cache_goes(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    check(capsys, "--no-cache")
    assert not (repo / ".ssot_factory_cache").exists()
    check(capsys)
    folder = repo / ".ssot_factory_cache"
    assert (folder / ".gitignore").read_text().endswith("*\n")
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d1")
    check(capsys, "--cache-dir", "elsewhere")
    assert len(list((repo / "elsewhere").glob("*.cache"))) == 1
    monkeypatch.setenv("SSOT_FACTORY_CACHE_DIR", str(repo / "from-env"))
    check(capsys)
    assert len(list((repo / "from-env").glob("*.cache"))) == 1


def test_beside_the_configuration_file(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo, {"setup.cfg": "[flake8]\nssot-context-keyword = user_context\n"})
    monkeypatch.chdir(repo / "src")
    run_cli(capsys, "check", ".")
    assert (repo / ".ssot_factory_cache").is_dir()


def test_a_cache_that_cannot_be_written_is_a_warning(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "blocked").write_text("a file, not a folder\n")
    result = run_cli(capsys, "check", "src", "--cache-dir", "blocked/cache")
    assert result.code == 1
    assert result.err.startswith("ssot-factory: warning: cannot write the cache in blocked/cache")
    assert result.err.endswith("; running without it\n")


def test_two_runs_sharing_a_folder_leave_a_whole_cache(repo: Path) -> None:
    folder = repo / "shared"
    first, second = Cache(folder, "same"), Cache(folder, "same")
    result = checking.check_file("src/a.py", DEFAULT_SETTINGS, DEFAULT_SETTINGS.prefilter_needles)
    quiet = checking.check_file("src/c.py", DEFAULT_SETTINGS, DEFAULT_SETTINGS.prefilter_needles)
    assert result[1] is not None
    assert quiet[1] is not None
    first.store("src/a.py", result[1], result[0])
    second.store("src/c.py", quiet[1], quiet[0])
    assert first.save() is None
    assert second.save() is None  # the last writer wins; the other's entry is computed again
    reread = Cache(folder, "same")
    assert reread.lookup("src/c.py", quiet[1]) == quiet[0]
    assert reread.lookup("src/a.py", result[1]) is None
    assert sorted(os.listdir(folder)) == [".gitignore", "CACHEDIR.TAG", "same.cache"]


def test_report_and_fix_use_it(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    reads: List[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = run_cli(capsys, "report", "src").out
    reads.clear()
    assert run_cli(capsys, "report", "src").out == first
    assert reads == []
    # fix reads only the files that spell a watched name, by what report's cache knows
    from flake8_ssot_factory.run.source import read_source_bytes

    opened: List[str] = []

    def counting(path: str) -> bytes:
        opened.append(os.path.basename(path))
        return read_source_bytes(path)

    monkeypatch.setattr("flake8_ssot_factory.fixer.files.read_source_bytes", counting)
    run_cli(capsys, "fix", "src", "--check")
    assert sorted(opened) == ["a.py", "b.py", "d.py"]
