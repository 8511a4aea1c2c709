"""The cache: the same output as a cold run, unchanged files not read, every key invalidates,
a damaged cache is never read wrong."""

from __future__ import annotations

import errno
import hashlib
import marshal
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, cast

import pytest

import flake8_ssot_factory
from flake8_ssot_factory.config.settings import DEFAULT_SETTINGS, build_settings
from flake8_ssot_factory.run import checking
from flake8_ssot_factory.run.cache import Cache, fingerprint
from flake8_ssot_factory.run.cache_key import cache_key
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
    # The default table has no rename: report screens for the same names and shares it.
    assert check_one == fingerprint(DEFAULT_SETTINGS, "report")
    renames = build_settings({"ssot-migrations": "ws: create_ws -> get_ws(...)"})
    assert fingerprint(renames, "check") != fingerprint(renames, "report")
    assert check_one != fingerprint(DEFAULT_SETTINGS, "history")
    assert check_one != fingerprint(build_settings({"ssot-any-receiver": True}), "check")


def test_a_report_after_a_warm_check_reads_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str], reads: List[str]
) -> None:
    check(capsys)
    reads.clear()
    warm = run_cli(capsys, "report", "src").out
    assert reads == []
    assert warm == run_cli(capsys, "report", "src", "--no-cache").out


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
    entries = entries_of(stored)
    key = next(k for k in entries if k.endswith("a.py"))
    entries[key] = (entries[key][0], True, (), (("not", "a", "row"),))
    reseal(stored, entries, cache_key())
    reads.clear()
    assert check(capsys) == cold
    assert reads == ["src/a.py"]


HEAD = len(b"ssot-factory cache 2\n") + 16


def entries_of(stored: Path) -> Dict[str, Any]:
    return cast(Dict[str, Any], marshal.loads(stored.read_bytes()[HEAD:]))


def reseal(stored: Path, entries: Dict[str, Any], key: bytes) -> None:
    """Write ``entries`` as a cache file sealed with ``key`` (the user's, or a forger's)."""
    payload = marshal.dumps(entries)
    digest = hashlib.blake2b(payload, key=key, digest_size=16).digest()
    stored.write_bytes(stored.read_bytes()[: HEAD - 16] + digest + payload)


@pytest.mark.parametrize(
    "forger_key", [b"", b"0" * 32], ids=["an unkeyed digest", "a key of their own"]
)
def test_a_forged_cache_is_not_believed(
    repo: Path, capsys: pytest.CaptureFixture[str], reads: List[str], forger_key: bytes
) -> None:
    # Whoever can write the cache folder, but not read the user's key, says a.py is clean.
    cold = check(capsys)
    assert cold[0] == 1
    stored = cache_file(repo)
    entries = entries_of(stored)
    for path, entry in entries.items():
        entries[path] = (entry[0], False, (), ())
    if forger_key:
        reseal(stored, entries, forger_key)
    else:
        payload = marshal.dumps(entries)
        digest = hashlib.blake2b(payload, digest_size=16).digest()
        stored.write_bytes(stored.read_bytes()[: HEAD - 16] + digest + payload)
    reads.clear()
    assert check(capsys) == cold
    assert len(reads) == 4


@pytest.mark.parametrize(
    "entry",
    [
        5,
        None,
        "text",
        (),
        ("a",),
        (None, True, (), ()),
        ("KEY", "yes", (), ()),
        ("KEY", True, [("", 1)], ()),
        ("KEY", True, (("", "1"),), ()),
        ("KEY", True, (), ((1, 2, "SSF002"),)),
        ("KEY", True, (), ((1, 2, "SSF002", "m", "s", 7),)),
        ("KEY", True, (), [(1, 2, "SSF002", "m", "s", "")]),
        ("KEY", True, (), (), "one too many"),
    ],
)
def test_a_malformed_entry_is_a_miss_never_a_crash(
    repo: Path, capsys: pytest.CaptureFixture[str], reads: List[str], entry: Any
) -> None:
    cold = check(capsys)
    stored = cache_file(repo)
    entries = entries_of(stored)
    path = next(p for p in entries if p.endswith("a.py"))
    if isinstance(entry, tuple) and entry[:1] == ("KEY",):
        entry = (entries[path][0], *entry[1:])
    entries[path] = entry
    reseal(stored, entries, cache_key())
    reads.clear()
    assert check(capsys) == cold
    assert reads == ["src/a.py"]


def test_a_cache_folder_committed_without_its_gitignore_is_not_used(
    repo: Path, capsys: pytest.CaptureFixture[str], reads: List[str]
) -> None:
    # What a cache committed by mistake looks like in a checkout: git ignored the .gitignore
    # too, so it is not there. Told without running git (a checkout's .git/config could make
    # git run a program: flake8 runs no git at all).
    cold = check(capsys)
    stored = cache_file(repo)
    (repo / ".ssot_factory_cache" / ".gitignore").unlink()
    before = stored.read_bytes()
    reads.clear()
    result = run_cli(capsys, "check", "src")
    assert (result.code, result.out) == cold
    assert result.err == (
        f"ssot-factory: warning: {repo / '.ssot_factory_cache'} holds files but not the "
        ".gitignore this tool writes in its cache folder, where a cache is not trusted; "
        "running without the cache\n"
    )
    assert len(reads) == 4
    assert stored.read_bytes() == before
    assert not (repo / ".ssot_factory_cache" / ".gitignore").exists()


def test_the_key_is_the_users_alone(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    check(capsys)
    key = tmp_path / "home-cache" / "ssot-factory" / "key"
    assert len(key.read_bytes()) == 32
    if os.name == "posix":
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
        key.chmod(0o644)
        result = run_cli(capsys, "check", "src")
        assert (result.code, result.err) == (
            1,
            f"ssot-factory: warning: the cache's key {key} may be read or written by others "
            "(chmod 600 it); not used; running without the cache\n",
        )


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
    key = cache_key()
    first, second = Cache(folder, "same", key), Cache(folder, "same", key)
    result = checking.check_file("src/a.py", DEFAULT_SETTINGS, DEFAULT_SETTINGS.prefilter_needles)
    quiet = checking.check_file("src/c.py", DEFAULT_SETTINGS, DEFAULT_SETTINGS.prefilter_needles)
    assert result[1] is not None
    assert quiet[1] is not None
    first.store("src/a.py", result[1], result[0])
    second.store("src/c.py", quiet[1], quiet[0])
    assert first.save() is None
    assert second.save() is None  # the last writer wins; the other's entry is computed again
    reread = Cache(folder, "same", key)
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


def test_a_warm_run_runs_no_program_the_repositorys_git_config_names(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``core.fsmonitor`` in ``.git/config`` names a program git runs on every read of the
    index; the cache folder's ``git ls-files`` is such a read. flake8 runs no git at all."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    marker = tmp_path / "ran"
    hook = tmp_path / "fsmonitor.sh"
    hook.write_text(f"#!/bin/sh\ntouch '{marker}'\n")
    hook.chmod(0o755)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "config", "core.fsmonitor", str(hook)], cwd=repo, check=True)
    subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, check=True)
    assert marker.exists()  # git itself runs it: the test can fail
    marker.unlink()
    check(capsys)
    check(capsys)  # warm: the cache folder is looked at
    assert not marker.exists()


def test_a_cache_folder_that_is_a_link_is_not_written_through(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A checkout that commits ``.ssot_factory_cache`` as a link to ``../../docs``: nothing is
    written there (a CACHEDIR.TAG would make backup tools skip that folder)."""
    outside = tmp_path_factory.mktemp("outside")
    (repo / ".ssot_factory_cache").symlink_to(outside, target_is_directory=True)
    result = run_cli(capsys, "check", "src")
    assert (result.code, result.err) == (
        1,
        f"ssot-factory: warning: {repo / '.ssot_factory_cache'} is a symbolic link, where a "
        "cache is not trusted; running without the cache\n",
    )
    assert list(outside.iterdir()) == []


def test_a_dangling_link_in_the_cache_folder_is_not_followed(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    target = tmp_path_factory.mktemp("outside") / "created"
    (repo / ".ssot_factory_cache").mkdir()
    (repo / ".ssot_factory_cache" / "CACHEDIR.TAG").symlink_to(target)
    result = run_cli(capsys, "check", "src")
    assert result.err == (
        f"ssot-factory: warning: {repo / '.ssot_factory_cache'} holds files but not the "
        ".gitignore this tool writes in its cache folder, where a cache is not trusted; "
        "running without the cache\n"
    )
    assert not target.exists()
    assert os.listdir(repo / ".ssot_factory_cache") == ["CACHEDIR.TAG"]  # nothing written


def test_a_full_disk_while_making_the_key_is_a_warning_and_leaves_no_key(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    key = tmp_path / "home-cache" / "ssot-factory" / "key"
    real_link = os.link

    def disk_full(source: str, target: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "link", disk_full)
    result = run_cli(capsys, "check", "src")
    assert (result.code, result.err) == (
        1,
        f"ssot-factory: warning: cannot make the cache's key {key} (No space left on device); "
        "running without the cache\n",
    )
    assert list(key.parent.iterdir()) == []  # neither the key nor its draft
    monkeypatch.setattr(os, "link", real_link)
    assert run_cli(capsys, "check", "src").err == ""
    assert len(key.read_bytes()) == 32


def test_a_key_cut_short_by_an_earlier_full_disk_is_made_anew(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    key = tmp_path / "home-cache" / "ssot-factory" / "key"
    key.parent.mkdir(mode=0o700, parents=True)
    key.touch(mode=0o600)
    assert run_cli(capsys, "check", "src").err == ""
    assert len(key.read_bytes()) == 32


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for git")
def test_check_runs_no_git(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    bin_folder = tmp_path_factory.mktemp("bin")
    called = bin_folder / "called"
    fake = bin_folder / "git"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {called}\n')
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}"}
    for _ in range(2):  # cold, then warm: the cache folder exists
        done = subprocess.run(
            [sys.executable, "-m", "flake8_ssot_factory", "check", "src"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert (done.returncode, done.stderr) == (1, "")
    assert not called.exists()
