"""How much CPU and wall time the SSF plugin adds to a flake8 run on a large real tree.

Builds the tree (bench/tree.py), two virtual environments with the same flake8 (one with this
project installed, one without), then runs ``flake8 --exit-zero -jN`` on the tree alternately in
each, several times, and prints the medians and their ratio.

    python bench/flake8_overhead.py [--runs 5] [--jobs 2] [--work /tmp/ssf-bench]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import resource
import statistics
import subprocess
import sys
import time
import venv
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tree import build_tree

ROOT = Path(__file__).resolve().parent.parent


def make_venv(path: Path, *packages: str) -> Path:
    python = path / "bin" / "python"
    if not python.exists():
        venv.create(path, with_pip=True)
        subprocess.run([python, "-m", "pip", "install", "-q", *packages], check=True)
    return python


def timed_run(python: Path, tree: Path, jobs: int) -> tuple[float, float, int]:
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/ssf-bench"))
    args = parser.parse_args()

    tree = args.work / "tree"
    files, planted = build_tree(tree)
    flake8 = f"flake8=={importlib.metadata.version('flake8')}"
    without = make_venv(args.work / "venv-flake8", flake8)
    with_plugin = make_venv(args.work / "venv-plugin", flake8)
    install = ["-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", str(ROOT)]
    subprocess.run([with_plugin, *install], check=True)
    print(
        f"tree: {files} files from {sys.version.split()[0]}'s stdlib, {planted} with planted uses"
    )
    print(f"flake8 {flake8.split('==')[1]}, -j{args.jobs}, {args.runs} runs each, alternating")

    results: dict[str, list[tuple[float, float, int]]] = {"flake8": [], "flake8+SSF": []}
    timed_run(without, tree, args.jobs)  # warm the page cache
    for _ in range(args.runs):
        results["flake8"].append(timed_run(without, tree, args.jobs))
        results["flake8+SSF"].append(timed_run(with_plugin, tree, args.jobs))

    medians = {}
    for name, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        medians[name] = (wall, cpu)
        print(f"{name:>11}: wall {wall:6.2f} s  cpu {cpu:6.2f} s  ({runs[0][2]} findings)")
    wall_ratio = medians["flake8+SSF"][0] / medians["flake8"][0]
    cpu_ratio = medians["flake8+SSF"][1] / medians["flake8"][1]
    print(f"ratio with/without plugin: wall {wall_ratio:.3f}  cpu {cpu_ratio:.3f}")
    print(f"plugin adds {100 * (cpu_ratio - 1):+.1f}% CPU (target: at most +2%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
