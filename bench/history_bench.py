"""``ssot-factory report --history`` on a generated repository, against one cold ``check``.

Builds a git repository from every n-th file of the benchmark tree (bench/tree.py: thousands of
files, the same share spelling a watched name), then commits on it, one day apart, changes of a
few files each: a call migrated, a regression, a file moved, an unrelated edit. Then times,
alternately:

- one cold ``ssot-factory check --no-cache .`` of the last commit's tree;
- ``report --history --no-cache`` over every commit (the first commit analyses the whole tree;
  the others only the files that changed);
- ``report --history --max-commits 1 --no-cache`` (the first commit's share);
- ``report --history`` with its cache, a second time: nothing to analyse.

Prints medians, the time per commit after the first, the ratio of the whole history to one
cold check (target: under 3) and peak memory.

    python bench/history_bench.py [--commits 200] [--sample 5] [--runs 3] [--work /tmp/ssf-bench]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_vs_ruff import make_venv, peak_rss
from tree import build_tree

OLD, NEW = "get_agent_instance_factory()", "create_agent_instance_factory(user_context)"


def git(repo: Path, *args: str, date: str = "") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b"}
    env.update({"GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b"})
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def build_repository(tree: Path, repo: Path, every: int, commits: int, seed: int = 7) -> int:
    """The repository, and how many files its first commit has."""
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    files = sorted(tree.rglob("*.py"))[::every]
    for source in files:
        target = repo / source.relative_to(tree)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    day = 1_700_000_000
    git(repo, "commit", "-q", "-m", "start", date=f"{day} +0000")
    rng = random.Random(seed)
    tracked = [p.relative_to(repo) for p in repo.rglob("*.py")]
    factory_users = [p for p in tracked if OLD in (repo / p).read_text(errors="replace")]
    for number in range(1, commits):
        for _ in range(rng.randint(1, 4)):
            kind = rng.random()
            if kind < 0.45 and factory_users:
                path = repo / rng.choice(factory_users)  # a call migrated
                text = path.read_text(errors="replace")
                path.write_text(text.replace(OLD, NEW, 1))
            elif kind < 0.6 and factory_users:
                path = repo / rng.choice(factory_users)  # a regression
                with open(path, "a") as stream:
                    stream.write(f"\n\nlate_{number} = {OLD}\n")
            elif kind < 0.7:
                moved = rng.choice(tracked)
                destination = moved.with_name(f"moved_{number}_{moved.name}")
                git(repo, "mv", str(moved), str(destination))
                tracked[tracked.index(moved)] = destination
                if moved in factory_users:
                    factory_users[factory_users.index(moved)] = destination
                continue
            else:
                path = repo / rng.choice(tracked)  # an unrelated edit
                with open(path, "a") as stream:
                    stream.write(f"\n# edited in commit {number}\n")
        stamp = f"{day + number * 86400} +0000"
        git(repo, "commit", "-q", "--allow-empty", "-am", f"change {number}", date=stamp)
    return len(files)


def timed(command: Sequence[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--sample", type=int, default=5, help="every n-th file of the tree")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/ssf-bench"))
    args = parser.parse_args()

    tree = args.work / "tree"
    build_tree(tree)
    repo = args.work / "history-repo"
    files = build_repository(tree, repo, args.sample, args.commits)
    lines = sum(p.read_bytes().count(b"\n") for p in repo.rglob("*.py"))
    print(f"repository: {args.commits} commits, {files:,} files, {lines:,} lines at the end")
    tool = str(make_venv(args.work / "venv-cli").parent / "ssot-factory")
    commands: Dict[str, List[str]] = {
        "check (cold)": [tool, "check", ".", "--no-cache"],
        "history (cold)": [tool, "report", "--history", "--no-cache"],
        "first commit only": [tool, "report", "--history", "--max-commits", "1", "--no-cache"],
    }
    for command in commands.values():
        timed(command, repo)  # warm the page cache and the interpreter
    walls: Dict[str, List[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            walls[name].append(timed(command, repo))
    medians = {name: statistics.median(times) for name, times in walls.items()}
    warm_command = [tool, "report", "--history", "--cache-dir", str(args.work / "history-cache")]
    shutil.rmtree(args.work / "history-cache", ignore_errors=True)
    timed(warm_command, repo)
    warm = statistics.median(timed(warm_command, repo) for _ in range(args.runs))
    per_commit = (medians["history (cold)"] - medians["first commit only"]) / (args.commits - 1)
    for name, command in commands.items():
        peak = peak_rss(command, repo) / 1024
        print(f"{name:>20}: {medians[name]:7.3f} s   peak RSS {peak:.0f} MB")
    print(f"{'history (warm)':>20}: {warm:7.3f} s")
    print(f"per commit after the first: {1000 * per_commit:.1f} ms")
    ratio = medians["history (cold)"] / medians["check (cold)"]
    print(f"whole history / one cold check: {ratio:.2f} (target: under 3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
