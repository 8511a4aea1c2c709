"""``report --history``: a dozen commits that add, migrate, regress and move files, one that
does not parse, one merge; read from git without touching the work tree."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

from flake8_ssot_factory.run.cache_key import cache_key
from tests.cli_helpers import run_cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

SERVICE = (
    "from app.factory import get_agent_instance_factory\n\n\n"
    "def handle(user_context):\n    return get_agent_instance_factory()\n\n\n"
    "def legacy():\n    return get_agent_instance_factory()\n"
)
SERVICE_MIGRATED = (
    "from app.factory import create_agent_instance_factory, get_agent_instance_factory\n\n\n"
    "def handle(user_context):\n    return create_agent_instance_factory(user_context)\n\n\n"
    "def legacy():\n    return get_agent_instance_factory()\n"
)
HANDLER = (
    "from app.factory import get_agent_instance_factory\n\n\n"
    "class Handler:\n    def run(self, name):\n"
    "        factory = get_agent_instance_factory()\n"
    "        return factory.create_agent(name)\n"
)
HANDLER_MIGRATED = (
    "from app.factory import create_agent_instance_factory\n\n\n"
    "class Handler:\n    def run(self, name, user_context):\n"
    "        factory = create_agent_instance_factory(user_context)\n"
    "        return factory.create_agent(name, user_context)\n"
)
FEATURE = "from app.factory import get_agent_instance_factory\n\nx = get_agent_instance_factory()\n"
TEST = 'from unittest.mock import patch\n\n\n@patch("app.service.get_agent_instance_factory")\ndef test_it(m):\n    pass\n'


def git(repo: Path, *args: str, date: Optional[str] = None, at: str = "12:00:00+00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t"}
    env.update({"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T{at}"
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def new_repo(folder: Path) -> Path:
    """An empty git repository in the new folder ``folder``."""
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    return folder


def commit(
    repo: Path,
    date: str,
    files: Dict[str, Optional[str]],
    message: str,
    at: str = "12:00:00+00:00",
) -> None:
    for name, content in files.items():
        path = repo / name
        if content is None:
            git(repo, "rm", "-q", name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
        git(repo, "add", name)
    git(repo, "commit", "-q", "-m", message, date=date, at=at)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = new_repo(tmp_path_factory.mktemp("history") / "repo")
    commit(repo, "2026-01-01", {"app/service.py": SERVICE, "README.md": "hi\n"}, "service")
    commit(repo, "2026-01-02", {"app/handler.py": HANDLER, "tests/test_service.py": TEST}, "add")
    commit(repo, "2026-01-03", {"app/service.py": SERVICE_MIGRATED}, "migrate one call")
    commit(repo, "2026-01-04", {"app/feature.py": FEATURE}, "a regression")
    commit(repo, "2026-01-05", {"app/handler.py": HANDLER + "def (:\n"}, "broken")
    commit(repo, "2026-01-06", {"app/handler.py": HANDLER_MIGRATED}, "fix and migrate")
    git(repo, "mv", "app/service.py", "app/core_service.py")
    git(repo, "commit", "-q", "-m", "move", date="2026-01-07")
    git(repo, "checkout", "-q", "-b", "side")
    commit(repo, "2026-01-08", {"app/feature.py": None}, "side: drop the feature")
    git(repo, "checkout", "-q", "main")
    commit(repo, "2026-01-09", {"README.md": "hello\n"}, "docs only")
    git(repo, "merge", "-q", "--no-ff", "side", "-m", "merge side", date="2026-01-10")
    commit(repo, "2026-01-11", {"tests/test_service.py": TEST.replace("get_", "create_")}, "tests")
    commit(
        repo,
        "2026-01-12",
        {
            "app/core_service.py": SERVICE_MIGRATED.replace(
                "def legacy():\n    return get_agent_instance_factory()\n", ""
            )
        },
        "last call",
    )
    return repo


@pytest.fixture
def in_repo(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(repo)
    return repo


EXPECTED = """\
11 commits of the first-parent history of HEAD, judged by today's rules (the defaults: no configuration file)

date        commit   findings  SSF001  SSF002  SSF003  SSF004  SSF010  SSF011  migrated  left    done  errors
2026-01-01  {c[0]}         3       1       2       0       0       0       0         0     2    0.0%       0
2026-01-02  {c[1]}         7       2       3       0       1       1       0         0     4    0.0%       0
2026-01-03  {c[2]}         6       2       2       0       1       1       0         1     3   25.0%       0
2026-01-04  {c[3]}         8       3       3       0       1       1       0         1     4   20.0%       0
2026-01-05  {c[4]}         5       2       2       0       1       0       0         1     2   33.3%       1
2026-01-06  {c[5]}         5       2       2       0       1       0       0         3     2   60.0%       0
2026-01-07  {c[6]}         5       2       2       0       1       0       0         3     2   60.0%       0
2026-01-09  {c[7]}         5       2       2       0       1       0       0         3     2   60.0%       0
2026-01-10  {c[8]}         3       1       1       0       1       0       0         3     1   75.0%       0
2026-01-11  {c[9]}         2       1       1       0       0       0       0         3     1   75.0%       0
2026-01-12  {c[10]}         1       1       0       0       0       0       0         3     0  100.0%       0

first: 2026-01-01 {c[0]}, 3 findings; last: 2026-01-12 {c[10]}, 1 finding (-2)
steepest drop: 2026-01-05 {c[4]} (-3); steepest rise: 2026-01-02 {c[1]} (+4)
commits that added findings: {c[1]} (+4), {c[3]} (+2)
projected finish: 2026-01-14, at 0.56 fewer findings a day (fitted on the last 10 commits, 2026-01-02 to 2026-01-12)
"""


def shorts(repo: Path) -> List[str]:
    return git(repo, "log", "--first-parent", "--reverse", "--format=%h", "--abbrev=7").split()


def test_table_per_commit(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "report", "--history", "--no-cache")
    assert result.code == 0, result.err
    assert result.out == EXPECTED.format(c=shorts(in_repo))


def check_at(repo: Path, sha: str, workdir: Path) -> int:
    """How many findings ``check`` reports on the commit's files (extracted, not checked out)."""
    target = workdir / sha
    target.mkdir()
    archive = subprocess.run(["git", "archive", sha], cwd=repo, capture_output=True, check=True)
    (workdir / f"{sha}.tar").write_bytes(archive.stdout)
    with tarfile.open(workdir / f"{sha}.tar") as bundle:
        if hasattr(tarfile, "data_filter"):  # Python 3.12, and the security releases before it
            bundle.extractall(target, filter="data")
        else:
            bundle.extractall(target)
    import contextlib
    import io

    from flake8_ssot_factory.faces.cli import main

    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(target)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            main(["check", ".", "--no-cache", "--format", "json"])
    finally:
        os.chdir(cwd)
    return sum(1 for item in json.loads(out.getvalue()) if item["code"].startswith("SSF"))


def test_each_commit_agrees_with_check(
    in_repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = json.loads(run_cli(capsys, "report", "--history", "--format", "json").out)
    for row in document["commits"]:
        assert row["findings"]["total"] == check_at(in_repo, row["commit"], tmp_path), row["date"]


def test_json_is_stable(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(run_cli(capsys, "report", "--history", "--format", "json").out)
    assert document["version"] == 1
    assert document["scope"] == "the first-parent history of HEAD"
    assert document["configuration"] is None
    assert [row["findings"]["total"] for row in document["commits"]] == [
        3,
        7,
        6,
        8,
        5,
        5,
        5,
        5,
        3,
        2,
        1,
    ]
    broken = document["commits"][4]
    assert broken["date"] == "2026-01-05"
    assert broken["errors"] == 1
    assert broken["call_sites"] == {"migrated": 1, "to_migrate": 2, "percent_migrated": 33.3}
    assert [(r["date"], r["added"]) for r in document["regressions"]] == [
        ("2026-01-02", 4),
        ("2026-01-04", 2),
    ]
    assert document["projection"] == {
        "finish": "2026-01-14",
        "rate_per_day": 0.5629,
        "fitted_from": document["commits"][1]["commit"],
        "fitted_to": document["commits"][-1]["commit"],
        "commits": 10,
    }


def test_markdown_has_a_mermaid_chart(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_cli(capsys, "report", "--history", "--format", "markdown").out
    assert out.startswith("## Singleton factory migration: history\n")
    block = out.split("```mermaid\n", 1)[1].split("```", 1)[0].splitlines()
    assert block[0] == "xychart-beta"
    assert block[1].startswith('    title "')
    assert block[2] == (
        '    x-axis ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05", '
        '"2026-01-06", "2026-01-07", "2026-01-09", "2026-01-10", "2026-01-11", "2026-01-12"]'
    )
    assert block[3] == '    y-axis "count" 0 --> 8'
    assert block[4] == "    line [3, 7, 6, 8, 5, 5, 5, 5, 3, 2, 1]"
    assert block[5] == "    line [2, 4, 3, 4, 2, 2, 2, 2, 1, 1, 0]"


def test_sampling_and_limits(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    every = json.loads(
        run_cli(capsys, "report", "--history", "--every", "5", "--format", "json").out
    )
    assert [row["date"] for row in every["commits"]] == ["2026-01-01", "2026-01-06", "2026-01-12"]
    last = json.loads(
        run_cli(capsys, "report", "--history", "--max-commits", "2", "--format", "json").out
    )
    assert [row["date"] for row in last["commits"]] == ["2026-01-11", "2026-01-12"]
    since = json.loads(
        run_cli(capsys, "report", "--history", "--since", "2026-01-10", "--format", "json").out
    )
    assert [row["date"] for row in since["commits"]] == ["2026-01-10", "2026-01-11", "2026-01-12"]
    ranged = json.loads(
        run_cli(capsys, "report", "--history", "HEAD~2..HEAD", "--format", "json").out
    )
    assert len(ranged["commits"]) == 2


def test_since_is_a_whole_day_in_each_commits_own_time_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A day starts at midnight where the commit was made, whatever the hour the report runs."""
    repo = new_repo(tmp_path / "zones")
    made = [
        ("2026-03-02", "23:59:00+00:00"),  # the day before: left out
        ("2026-03-03", "00:00:00+05:30"),  # 2026-03-02 18:30 UTC, but the 3rd where it was made
        ("2026-03-03", "10:00:00+00:00"),
        ("2026-03-03", "23:59:59-08:00"),  # the 4th in UTC, still the 3rd where it was made
    ]
    for index, (day, at) in enumerate(made):
        commit(repo, day, {"f.py": f"x = {index}\n"}, str(index), at=at)
    monkeypatch.chdir(repo)

    def days(*options: str) -> List[str]:
        out = run_cli(capsys, "report", "--history", *options, "--format", "json").out
        return [row["date"] for row in json.loads(out)["commits"]]

    assert days("--since", "2026-03-03") == ["2026-03-03", "2026-03-03", "2026-03-03"]
    assert days("--since", "2026-03-03", "--max-commits", "2") == ["2026-03-03", "2026-03-03"]
    none = run_cli(capsys, "report", "--history", "--since", "2026-03-04")
    assert (none.code, none.err) == (
        2,
        "ssot-factory: error: HEAD: no commits made on 2026-03-04 or later in this range\n",
    )


@pytest.mark.parametrize("value", ["yesterday", "2026-3-3", "2026-02-30", "2026-03-03T10:00"])
def test_since_takes_only_a_day(
    in_repo: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        run_cli(capsys, "report", "--history", "--since", value)
    assert exited.value.code == 2
    assert capsys.readouterr().err.endswith(
        f"ssot-factory report: error: argument --since: {value!r} is not a day written YYYY-MM-DD\n"
    )


def test_a_slow_blob_is_named_with_a_path_it_has(
    in_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSOT_FACTORY_SLOW_SECONDS", "0.000001")  # every blob is "slow"
    result = run_cli(capsys, "report", "--history", "--no-cache", "--max-commits", "1")
    named = sorted(line.split(" (blob ")[0] for line in result.lines_err)
    assert named == [
        "ssot-factory: app/core_service.py",
        "ssot-factory: app/handler.py",
        "ssot-factory: tests/test_service.py",
    ]
    assert all(line.endswith(" s") and ": slow file: took " in line for line in result.lines_err)


def test_work_tree_and_index_untouched(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_repo / "scratch.py").write_text("x = get_agent_instance_factory()\n")
    status = git(in_repo, "status", "--porcelain")
    index = (in_repo / ".git" / "index").read_bytes()
    run_cli(capsys, "report", "--history", "--no-cache")
    assert git(in_repo, "status", "--porcelain") == status
    assert (in_repo / ".git" / "index").read_bytes() == index
    (in_repo / "scratch.py").unlink()


def history_run_twice(
    in_repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    between: Callable[[Path], None] = lambda cache: None,
) -> Tuple[str, str, List[str]]:
    """Both outputs of ``report --history`` run twice with one cache folder, and the blobs
    the second run analysed; ``between`` may do something to the cache folder."""
    cache = in_repo / ".cache"
    first = run_cli(capsys, "report", "--history", "--cache-dir", str(cache)).out
    between(cache)
    analysed: List[str] = []
    from flake8_ssot_factory.run import history

    real = history._summarise

    def counting(task):  # type: ignore[no-untyped-def]
        analysed.append(task[0])
        return real(task)

    monkeypatch.setattr(history, "_summarise", counting)
    second = run_cli(capsys, "report", "--history", "--cache-dir", str(cache)).out
    shutil.rmtree(cache)
    return first, second, analysed


def test_second_run_reads_no_blob(
    in_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, analysed = history_run_twice(in_repo, capsys, monkeypatch)
    assert second == first
    assert analysed == []


def test_a_damaged_history_cache_is_analysed_again_not_read(
    in_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def damage(cache: Path) -> None:
        (stored,) = [p for p in cache.iterdir() if p.suffix == ".cache"]
        data = bytearray(stored.read_bytes())
        data[-3] ^= 0xFF  # one byte of one summary
        stored.write_bytes(bytes(data))

    first, second, analysed = history_run_twice(in_repo, capsys, monkeypatch, damage)
    assert second == first
    assert analysed  # every blob again: the whole file failed its digest


def reseal_history_cache(cache: Path, change: Callable[[Dict[str, Any]], None], key: bytes) -> None:
    (stored,) = [p for p in cache.iterdir() if p.suffix == ".cache"]
    head = len(b"ssot-factory history cache 2\n") + 16
    raw = stored.read_bytes()
    entries = marshal.loads(raw[head:])
    change(entries)
    payload = marshal.dumps(entries)
    digest = hashlib.blake2b(payload, key=key, digest_size=16).digest()
    stored.write_bytes(raw[: head - 16] + digest + payload)


def test_a_forged_history_cache_is_not_believed(
    in_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def all_clean(entries: Dict[str, Any]) -> None:
        for blob in entries:
            entries[blob] = ((), (), False)

    first, second, analysed = history_run_twice(
        in_repo, capsys, monkeypatch, lambda cache: reseal_history_cache(cache, all_clean, b"")
    )
    assert second == first
    assert analysed


def test_malformed_history_entries_are_analysed_again(
    in_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shapes: List[Any] = [
        5,
        None,
        (),
        ((("SSF002", "", "1"),), (), False),
        ((), (), 0),
        ([], (), False),
    ]
    spoilt: List[str] = []

    def malformed(entries: Dict[str, Any]) -> None:
        for blob, shape in zip(sorted(b for b, e in entries.items() if e[0]), shapes):
            entries[blob] = shape
            spoilt.append(blob)

    first, second, analysed = history_run_twice(
        in_repo,
        capsys,
        monkeypatch,
        lambda cache: reseal_history_cache(cache, malformed, cache_key()),
    )
    assert second == first
    assert sorted(analysed) == sorted(spoilt)
    assert len(spoilt) == len(shapes)


def test_one_clear_line_for_each_problem(
    in_repo: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = run_cli(capsys, "report", "--history", "nosuchbranch")
    assert (bad.code, bad.err) == (
        2,
        "ssot-factory: error: 'nosuchbranch': not a revision of this repository\n",
    )
    half = run_cli(capsys, "report", "--history=HEAD~2..nosuchbranch")
    assert (half.code, half.err) == (
        2,
        "ssot-factory: error: 'HEAD~2..nosuchbranch': not a revision ('nosuchbranch' is not "
        "one) of this repository\n",
    )
    monkeypatch.chdir(tmp_path)
    outside = run_cli(capsys, "report", "--history")
    assert (outside.code, outside.err) == (
        2,
        f"ssot-factory: error: {tmp_path}: not in a git work tree (--history reads git history)\n",
    )


def test_shallow_clone_says_where_history_starts(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "3", f"file://{repo}", str(clone)], check=True)
    monkeypatch.chdir(clone)
    out = run_cli(capsys, "report", "--history").out
    first_line = out.splitlines()[0]
    assert first_line.startswith("3 commits of the first-parent history of HEAD")
    assert "; the clone is shallow: history starts at 2026-01-10 " in first_line


def test_plot(in_repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "burn-down.png"
    result = run_cli(capsys, "report", "--history", "--plot", str(target))
    assert result.err == f"ssot-factory: wrote {target}\n"
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_without_matplotlib_is_one_line(
    in_repo: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = run_cli(capsys, "report", "--history", "--plot", str(tmp_path / "x.png"))
    # Said before any work: no history table is printed first.
    assert (result.code, result.out, result.err) == (
        2,
        "",
        "ssot-factory: error: --plot needs matplotlib: pip install 'flake8-ssot-factory[plot]'\n",
    )


def test_a_large_first_commit_is_screened_by_git_and_analysed_in_workers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first commit's many files go through ``git grep`` and a worker pool: the same
    numbers as one process reading every blob, and as ``check`` on the checkout."""
    repo = new_repo(tmp_path / "big")
    files: Dict[str, Optional[str]] = {f"app/clean_{i}.py": f"x = {i}\n" for i in range(70)}
    files.update({f"app/old_{i}.py": FEATURE for i in range(20)})
    commit(repo, "2026-02-01", files, "a large first commit")
    commit(repo, "2026-02-02", {"app/old_0.py": None, "app/old_1.py": "y = 1\n"}, "migrate two")
    monkeypatch.chdir(repo)
    pooled = json.loads(
        run_cli(capsys, "report", "--history", "--format", "json", "--no-cache", "-j", "2").out
    )
    serial = json.loads(
        run_cli(capsys, "report", "--history", "--format", "json", "--no-cache", "-j", "1").out
    )
    assert pooled == serial
    assert [row["findings"]["total"] for row in pooled["commits"]] == [40, 36]
    assert run_cli(capsys, "check", "--no-cache", "--select", "SSF").out.count("\n") == 36


def test_short_histories_say_what_they_can(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = new_repo(tmp_path / "short")
    commit(repo, "2026-03-01", {"a.py": FEATURE}, "one")
    monkeypatch.chdir(repo)
    assert run_cli(capsys, "report", "--history").lines[-1] == (
        "projected finish: not enough history (one commit)"
    )
    commit(repo, "2026-03-02", {"b.py": "x = 1\n"}, "nothing migrated")
    assert run_cli(capsys, "report", "--history").lines[-1] == (
        "projected finish: no progress (fitted on the last 2 commits, 2026-03-01 to 2026-03-02)"
    )
    commit(repo, "2026-03-03", {"a.py": "x = 2\n"}, "all migrated")
    assert run_cli(capsys, "report", "--history").lines[-1] == (
        "done: no findings left since 2026-03-03"
    )
    empty = run_cli(capsys, "report", "--history", "HEAD..HEAD")
    assert (empty.code, empty.err) == (
        2,
        "ssot-factory: error: HEAD..HEAD: no commits in this range\n",
    )
    outside = run_cli(capsys, "report", str(tmp_path), "--history")
    assert (outside.code, outside.err) == (
        2,
        f"ssot-factory: error: {tmp_path}: not inside the git work tree {repo}\n",
    )
    plot = run_cli(capsys, "report", "--history", "--plot", "chart.txt")
    assert (plot.code, plot.out, plot.err) == (
        2,
        "",
        "ssot-factory: error: --plot: chart.txt: give a .png or .svg file\n",
    )
    folder = run_cli(capsys, "report", "--history", "--plot", "nowhere/chart.png")
    assert (folder.code, folder.out, folder.err) == (
        2,
        "",
        "ssot-factory: error: --plot: nowhere: no such folder\n",
    )


def test_a_table_adds_a_column_per_migration(
    in_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = (
        "agent-factory: get_agent_instance_factory -> create_agent_instance_factory(user_context)"
    )
    document = json.loads(
        run_cli(capsys, "report", "--history", "--format", "json", "--ssot-migrations", table).out
    )
    assert [row["findings"]["by_migration"] for row in document["commits"]][-2:] == [
        {"agent-factory": 2},
        {"agent-factory": 1},
    ]
    header = run_cli(capsys, "report", "--history", "--ssot-migrations", table).lines[2]
    assert header.split() == [
        "date",
        "commit",
        "findings",
        "SSF001",
        "SSF002",
        "SSF003",
        "SSF004",
        "SSF010",
        "SSF011",
        "agent-factory",
        "migrated",
        "left",
        "done",
        "errors",
    ]


@pytest.mark.parametrize(
    "value", ["--output=pwned.txt", "-3", "--all", "--output=pwned.txt..HEAD", "HEAD..-3", ""]
)
def test_a_revision_is_never_a_git_option(
    in_repo: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    result = run_cli(capsys, "report", f"--history={value}")
    assert result.code == 2
    assert result.err.startswith("ssot-factory: error: '")
    assert result.err.endswith("of this repository\n")
    assert not (in_repo / "pwned.txt").exists()
    assert "pwned" not in git(in_repo, "status", "--porcelain", "--ignored")


def test_ranges_of_each_spelling(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = shorts(in_repo)
    for spelling in ("HEAD~3..HEAD", "HEAD~3..", f"{c[7]}...main"):
        out = run_cli(capsys, "report", f"--history={spelling}", "--format", "json").out
        assert [row["short"] for row in json.loads(out)["commits"]] == c[8:], spelling


def test_a_range_where_a_path_belongs_is_an_error(
    in_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trap = run_cli(capsys, "report", "--history", "--format", "json", "HEAD~3..HEAD")
    assert (trap.code, trap.out, trap.err) == (
        2,
        "",
        "ssot-factory: error: HEAD~3..HEAD: no such path in any commit of HEAD; to give "
        "revisions, write --history=HEAD~3..HEAD\n",
    )
    (in_repo / "untracked").mkdir()
    untracked = run_cli(capsys, "report", "untracked", "--history")
    assert untracked.err == ("ssot-factory: error: untracked: no such path in any commit of HEAD\n")
    (in_repo / "untracked").rmdir()


def test_paths_narrow_the_history_to_files_and_folders(
    in_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def totals(*paths: str) -> List[int]:
        out = run_cli(capsys, "report", "--history", "--format", "json", *paths).out
        return [row["findings"]["total"] for row in json.loads(out)["commits"]]

    assert totals("app/feature.py") == [0, 0, 0, 2, 2, 2, 2, 2, 0, 0, 0]
    assert totals("tests/") == [0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]
    assert totals("README.md") == [0] * 11  # a file of no Python: no findings, no error


def test_a_blob_the_clone_lacks_counts_as_an_error_and_the_rest_reads_right(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A blobless partial clone has no blob but those of HEAD's checkout; git cat-file says
    # "missing" for the others (with fetching turned off), and the reader must stay in step.
    clone = tmp_path / "copy"
    shutil.copytree(repo / ".git", clone / ".git")
    monkeypatch.chdir(clone)
    git(clone, "config", "core.bare", "false")
    handler = git(clone, "rev-parse", "HEAD~6:app/handler.py")  # the unparsable one
    objects = clone / ".git" / "objects"
    (objects / handler[:2] / handler[2:]).unlink()
    out = run_cli(capsys, "report", "--history", "--no-cache", "--format", "json").out
    rows = json.loads(out)["commits"]
    assert [row["errors"] for row in rows] == [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert [row["findings"]["total"] for row in rows] == [3, 7, 6, 8, 5, 5, 5, 5, 3, 2, 1]


@pytest.mark.parametrize(
    ("totals", "finish"),
    [
        ([16, 26, 25, 16], None),  # up and down again: no net progress
        ([20, 30, 40], None),
        ([40, 30, 20], "2026-03-05"),  # 10 a day from 20 on the 3rd
    ],
)
def test_a_finish_date_needs_a_net_fall(totals: List[int], finish: Optional[str]) -> None:
    from flake8_ssot_factory.faces.history import HistoryReport
    from flake8_ssot_factory.run.history import Commit, Row, Tally

    day = 86_400
    start = 1_772_323_200  # 2026-03-01 00:00 UTC
    rows = []
    for index, total in enumerate(totals):
        tally = Tally()
        tally.findings[("SSF002", "")] = total
        stamp = start + index * day
        rows.append(Row(Commit(f"{index:040d}", stamp, f"2026-03-0{index + 1}"), tally))
    projection = HistoryReport(rows, "HEAD", "", None).projection()
    assert projection is not None
    assert projection.finish == finish


def test_a_long_reading_says_once_what_it_reads_where_no_line_is_drawn(
    in_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A CI log shows no progress line: a silent minute would look like a hang.
    from flake8_ssot_factory.run import history

    quiet = run_cli(capsys, "report", "--history", "--no-cache")
    assert quiet.err == ""  # below the threshold: nothing
    monkeypatch.setattr(history, "SAY_ONCE_FROM", 1)
    result = run_cli(capsys, "report", "--history", "--no-cache")
    assert result.code == 0
    assert result.out == quiet.out
    files = len({git(in_repo, "rev-parse", f"{c}:{p}") for c, p in _python_blobs(in_repo)})
    assert result.lines_err == [
        f"ssot-factory: reading {files} files of {len(shorts(in_repo))} commits from git "
        "(those the history cache knows are not read)"
    ]


def _python_blobs(repo: Path) -> List[Tuple[str, str]]:
    """(commit, path) of every *.py file of every first-parent commit."""
    found = []
    for commit in git(repo, "rev-list", "--first-parent", "HEAD").split():
        for path in git(repo, "ls-tree", "-r", "--name-only", commit).split():
            if path.endswith(".py"):
                found.append((commit, path))
    return found
