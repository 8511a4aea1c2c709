"""``ssot-factory check`` against ruff's nearest equivalent, and grep as the floor.

On the benchmark tree (bench/tree.py), in one virtual environment holding both tools (this
project installed normally, compiled, as users get it), runs alternately:

- ``ssot-factory check .`` (default --jobs: every CPU);
- ``ruff check --no-cache`` with only TID251 selected and ``banned-api`` naming the same
  deprecated functions;
- ``grep -rlE`` for the deprecated names: no parsing at all, the floor.

Prints median wall times, their ratios and the peak memory of each tool's largest process.

    python bench/cli_vs_ruff.py [--runs 15] [--work /tmp/ssf-bench]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tree import build_tree

ROOT = Path(__file__).resolve().parent.parent
DEPRECATED = ("get_agent_instance_factory", "configure_agent_instance_factory")
MODULE = "netra_backend.app.agents.supervisor.agent_instance_factory"


def ruff_config(path: Path) -> Path:
    banned = "".join(
        f'"{MODULE}.{name}".msg = "use create_agent_instance_factory(user_context)"\n'
        for name in DEPRECATED
    )
    path.write_text('[lint]\nselect = ["TID251"]\n[lint.flake8-tidy-imports.banned-api]\n' + banned)
    return path


def make_venv(path: Path) -> Path:
    python = path / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "ruff"], check=True)
    # Always the current checkout, installed (not editable) so that its modules are compiled.
    install = ["-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", str(ROOT)]
    subprocess.run([python, *install], check=True)
    return python


def timed(command: Sequence[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and the largest child's peak RSS in KiB (Linux: ru_maxrss is in KiB)."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def peak_rss(command: Sequence[str], cwd: Path) -> int:
    # A fresh interpreter per measurement: RUSAGE_CHILDREN's peak only grows within a process.
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(cwd), *command], capture_output=True, text=True
    )
    return int(out.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--work", type=Path, default=Path("/tmp/ssf-bench"))
    args = parser.parse_args()

    tree = args.work / "tree"
    files, planted = build_tree(tree)
    python = make_venv(args.work / "venv-cli")
    bin_dir = python.parent
    config = ruff_config(args.work / "ruff-tid251.toml")
    commands: Dict[str, List[str]] = {
        "ssot-factory check": [str(bin_dir / "ssot-factory"), "check", "."],
        "ruff TID251": [str(bin_dir / "ruff"), "check", "--no-cache", "--config", str(config), "."],
        "grep -rlE": ["grep", "-rlE", "|".join(DEPRECATED), "."],
    }
    print(f"tree: {files} files, {planted} with planted uses; {args.runs} runs each, alternating")
    walls: Dict[str, List[float]] = {name: [] for name in commands}
    for command in commands.values():
        timed(command, tree)  # warm the page cache and the interpreters
    for _ in range(args.runs):
        for name, command in commands.items():
            walls[name].append(timed(command, tree)[0])
    medians = {name: statistics.median(times) for name, times in walls.items()}
    ruff = medians["ruff TID251"]
    for name, command in commands.items():
        peak = peak_rss(command, tree) / 1024
        print(
            f"{name:>20}: median wall {medians[name]:.3f} s  "
            f"({medians[name] / ruff:.2f}x ruff)  peak RSS {peak:.0f} MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
