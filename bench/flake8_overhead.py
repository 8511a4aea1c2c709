"""How much CPU and wall time the SSF plugin adds to a flake8 run, on a tree shaped like the
real code base (bench/tree.py).

flake8 runs every installed plugin (pycodestyle, pyflakes, mccabe) on every file, whatever
``--select`` says: on the whole tree (23,000 files, 10 million lines) one run takes about
20 minutes of wall time on two cores. ``--sample`` therefore takes every n-th file of the tree
(same shape: the same share of files that spell a watched name, the same sizes) into a folder
of its own; ``--sample 1`` runs on the whole tree.

Builds two virtual environments with the same flake8 (one with this project installed, one
without), then runs ``flake8 --exit-zero -jN`` alternately in each and prints the medians of
wall and CPU time (user+sys of flake8 and its workers), their spread and their ratio. On a
shared machine two runs of the same flake8 differ by several percent, more than the plugin
costs; so it also measures, in-process, the CPU the plugin itself spends on the same files
(loading, reading its options, running on every file) as a share of flake8's, with the
default settings and with a table of five migrations.

    python bench/flake8_overhead.py [--runs 3] [--jobs 2] [--sample 10] [--work /tmp/ssf-bench]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
import venv
from pathlib import Path
from typing import Dict, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_vs_ruff import FIVE_MIGRATIONS
from tree import build_tree, describe
from worst_files import worst_files

ROOT = Path(__file__).resolve().parent.parent
NEEDLES = (b"get_agent_instance_factory", b"create_agent")


def make_venv(path: Path, *packages: str) -> Path:
    python = path / "bin" / "python"
    if not python.exists():
        venv.create(path, with_pip=True)
        subprocess.run([python, "-m", "pip", "install", "-q", *packages], check=True)
    return python


def sample(tree: Path, destination: Path, every: int) -> Tuple[int, int, int]:
    """Every ``every``-th file of ``tree`` (in sorted order) copied to ``destination``; returns
    (files, lines, files that spell a watched name)."""
    if destination.exists():
        shutil.rmtree(destination)
    files = sorted(tree.rglob("*.py"))[::every]
    lines = watched = 0
    for source in files:
        target = destination / source.relative_to(tree)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = source.read_bytes()
        target.write_bytes(data)
        lines += data.count(b"\n")
        watched += any(needle in data for needle in NEEDLES)
    return len(files), lines, watched


def timed_run(python: Path, tree: Path, jobs: int) -> Tuple[float, float, int]:
    """Wall seconds, CPU seconds (user+sys of flake8 and its workers), output lines."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # The venv's script, not ``python -m``: with the tree as the working folder, ``-m`` would
    # put the copied standard library first on sys.path.
    process = subprocess.run(
        [python.parent / "flake8", "--exit-zero", f"-j{jobs}", "."],
        cwd=tree,
        capture_output=True,
        check=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, process.stdout.count(b"\n")


#: Run in the plugin's environment: the CPU the plugin itself spends on the tree (import, options,
#: every file's run), without flake8's own work and without its run-to-run noise.
_IN_PROCESS = """
import argparse, ast, sys, time
from pathlib import Path
start = time.process_time()
from flake8_ssot_factory.plugin import SSFChecker
options = argparse.Namespace()
if len(sys.argv) > 2:
    options.ssot_migrations = sys.argv[2]
SSFChecker.parse_options(None, options, [])
spent = time.process_time() - start
for path in sorted(Path(sys.argv[1]).rglob("*.py")):
    try:
        lines = path.read_text(encoding="utf-8").splitlines(True)
        tree = ast.parse("".join(lines))
    except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError):
        continue  # flake8 reports E902/E999 and runs no plugin on it either
    begin = time.process_time()
    list(SSFChecker(tree, lines, str(path), options).run())
    spent += time.process_time() - begin
print(spent)
"""


def plugin_cpu(python: Path, tree: Path, *migrations: str) -> float:
    done = subprocess.run(
        [python, "-c", _IN_PROCESS, str(tree), *migrations],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sample", type=int, default=10, help="every n-th file (1: all)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/ssf-bench"))
    args = parser.parse_args()

    tree = args.work / "tree"
    print(describe(build_tree(tree)))
    if args.sample > 1:
        checked = args.work / f"sample-{args.sample}"
        files, lines, watched = sample(tree, checked, args.sample)
        print(
            f"sample: every {args.sample}th file: {files:,} files, {lines:,} lines, "
            f"{watched} spell a watched name ({100 * watched / files:.1f}%)"
        )
    else:
        checked = tree
    flake8 = f"flake8=={importlib.metadata.version('flake8')}"
    without = make_venv(args.work / "venv-flake8", flake8)
    with_plugin = make_venv(args.work / "venv-plugin", flake8)
    install = ["-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", str(ROOT)]
    subprocess.run([with_plugin, *install], check=True)
    print(f"flake8 {flake8.split('==')[1]}, -j{args.jobs}, {args.runs} runs each, alternating")

    results: Dict[str, List[Tuple[float, float, int]]] = {"flake8": [], "flake8+SSF": []}
    timed_run(without, checked, args.jobs)  # warm the page cache
    for _ in range(args.runs):
        results["flake8"].append(timed_run(without, checked, args.jobs))
        results["flake8+SSF"].append(timed_run(with_plugin, checked, args.jobs))

    medians = {}
    for name, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        medians[name] = (wall, cpu)
        print(f"{name:>11}: wall {wall:7.2f} s  cpu {cpu:7.2f} s  ({runs[0][2]} findings)")
    wall_ratio = medians["flake8+SSF"][0] / medians["flake8"][0]
    cpu_ratio = medians["flake8+SSF"][1] / medians["flake8"][1]
    spread = {
        name: (min(r[1] for r in runs), max(r[1] for r in runs)) for name, runs in results.items()
    }
    for name, (low, high) in spread.items():
        print(f"{name:>11}: cpu of each run from {low:.2f} s to {high:.2f} s")
    print(f"ratio with/without plugin: wall {wall_ratio:.3f}  cpu {cpu_ratio:.3f}")
    print(f"plugin adds {100 * (cpu_ratio - 1):+.1f}% CPU by the medians (target: at most +2%)")
    print("the plugin's own CPU, measured in-process (import, options, every file), median of 3:")
    for label, migrations in (("the default", ()), ("five migrations", (FIVE_MIGRATIONS,))):
        own = statistics.median(plugin_cpu(with_plugin, checked, *migrations) for _ in range(3))
        share = 100 * own / medians["flake8"][1]
        print(f"{label:>16}: {own:.2f} s = {share:.2f}% of flake8's CPU")
    print("the slowest files for the plugin, each timed alone in-process:")
    print(worst_files(checked, ("plugin",))["plugin"].describe())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
