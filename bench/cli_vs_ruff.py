"""``ssot-factory check`` against ruff's nearest equivalent, cold and warm, and grep as the floor.

On the benchmark tree (bench/tree.py: shaped like the real code base), in one virtual
environment holding both tools (this project installed normally, compiled, as users get it),
runs alternately:

- cold: ``ssot-factory check --no-cache .`` (default --jobs: every CPU) against ``ruff check
  --no-cache`` with only TID251 selected and ``banned-api`` naming the same deprecated
  functions, and ``grep -rlE`` for the deprecated names (no parsing at all: the floor);
- warm: both tools with their cache, after a run that filled it, nothing changed;
- the same cold and warm runs of ``ssot-factory`` with a table of five migrations;
- with ``--table FILE`` (what ``discover`` prints for the tree), ``ssot-factory check`` with
  that table against ruff TID251 banning every qualified name the table retires (ruff's
  banned-api takes qualified names only: the table's bare names are counted, not banned).

Prints median wall times, their ratios and the peak memory of each tool's largest process.

    python bench/cli_vs_ruff.py [--runs 7] [--work /tmp/ssf-bench] [--tree FOLDER] [--table FILE]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tree import build_tree, describe
from worst_files import worst_files

ROOT = Path(__file__).resolve().parent.parent
DEPRECATED = ("get_agent_instance_factory", "configure_agent_instance_factory")
MODULE = "netra_backend.app.agents.supervisor.agent_instance_factory"
#: The family of MIGRATION.md, for the five-migration runs.
FIVE_MIGRATIONS = (
    "agent-factory: get_agent_instance_factory, configure_agent_instance_factory -> "
    "create_agent_instance_factory(user_context)\n"
    "websocket-manager: create_websocket_manager -> get_websocket_manager(...)\n"
    'execution-engine: create_execution_engine -> report "use ExecutionEngineFactory"\n'
    "execution-tracker: netra_backend.app.core.execution_tracker.get_execution_tracker -> "
    "netra_backend.app.core.agent_execution_tracker\n"
    "message-router: get_message_router -> create_message_router(user_context)\n"
)


def ruff_config(path: Path) -> Path:
    banned = "".join(
        f'"{MODULE}.{name}".msg = "use create_agent_instance_factory(user_context)"\n'
        for name in DEPRECATED
    )
    path.write_text('[lint]\nselect = ["TID251"]\n[lint.flake8-tidy-imports.banned-api]\n' + banned)
    return path


def table_ruff_config(table: Path, path: Path) -> Tuple[Path, int, int]:
    """A ruff configuration banning the qualified names ``table`` retires; with the number of
    names banned and of bare names ruff cannot ban."""
    from flake8_ssot_factory.config.files import load_config, merged_settings
    from flake8_ssot_factory.config.migrations import written_sources

    settings = merged_settings({}, load_config(str(table), Path.cwd()))
    written = [name for migration in settings.table for name in written_sources(migration)]
    qualified = sorted({name for name in written if "." in name})
    banned = "".join(f'"{name}".msg = "retired"\n' for name in qualified)
    path.write_text('[lint]\nselect = ["TID251"]\n[lint.flake8-tidy-imports.banned-api]\n' + banned)
    return path, len(qualified), len(set(written)) - len(qualified)


def make_venv(path: Path) -> Path:
    python = path / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "ruff"], check=True)
    # Always the current checkout, installed (not editable) so that its modules are compiled.
    install = ["-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", str(ROOT)]
    subprocess.run([python, *install], check=True)
    return python


def timed(command: Sequence[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def peak_rss(command: Sequence[str], cwd: Path) -> int:
    """The largest peak RSS (KiB) of the command's processes, measured in a fresh interpreter:
    RUSAGE_CHILDREN's peak only grows within a process."""
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


def alternate(commands: Dict[str, List[str]], cwd: Path, runs: int) -> Dict[str, float]:
    walls: Dict[str, List[float]] = {name: [] for name in commands}
    for command in commands.values():
        timed(command, cwd)  # warm the page cache, the interpreters and the tools' caches
    for _ in range(runs):
        for name, command in commands.items():
            walls[name].append(timed(command, cwd))
    return {name: statistics.median(times) for name, times in walls.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path("/tmp/ssf-bench"))
    parser.add_argument(
        "--tree",
        type=Path,
        help="measure on this folder instead of the built tree (such as the real code base, "
        "written out by real_code_base.py --keep)",
    )
    parser.add_argument("--no-worst", action="store_true", help="skip the per-file timing")
    parser.add_argument(
        "--table",
        type=Path,
        help="a migration table (discover's output) to time against ruff banning its names",
    )
    args = parser.parse_args()

    tree = args.tree.resolve() if args.tree else args.work / "tree"
    stats = _tree_stats(tree) if args.tree else describe(build_tree(tree))
    python = make_venv(args.work / "venv-cli")
    bin_dir = python.parent
    config = ruff_config(args.work / "ruff-tid251.toml")
    table = args.work / "five-migrations.cfg"
    table.write_text("[flake8]\nssot-migrations =\n    " + FIVE_MIGRATIONS.replace("\n", "\n    "))
    ours = [str(bin_dir / "ssot-factory"), "check", "."]
    five = [*ours, "--config", str(table)]
    ruff = [str(bin_dir / "ruff"), "check", "--config", str(config), "."]
    print(stats)
    print(f"{args.runs} runs each, alternating; medians of wall time")

    for folder in (tree / ".ssot_factory_cache", tree / ".ruff_cache"):
        shutil.rmtree(folder, ignore_errors=True)
    cold = {
        "ssot-factory check": [*ours, "--no-cache"],
        "ssot-factory check, 5 migrations": [*five, "--no-cache"],
        "ruff TID251": [*ruff, "--no-cache"],
        "grep -rlE": ["grep", "-rlE", "|".join(DEPRECATED), "."],
    }
    warm = {
        "ssot-factory check": ours,
        "ssot-factory check, 5 migrations": five,
        "ruff TID251": ruff,
    }
    if args.table:
        config_of_table, banned, bare = table_ruff_config(
            args.table.resolve(), args.work / "ruff-tid251-table.toml"
        )
        print(f"table {args.table}: ruff bans its {banned} qualified names ({bare} bare not)")
        tabled = [*ours, "--config", str(args.table.resolve())]
        ruff_table = [str(bin_dir / "ruff"), "check", "--config", str(config_of_table), "."]
        cold["ssot-factory check, the table"] = [*tabled, "--no-cache"]
        cold["ruff TID251, the table's names"] = [*ruff_table, "--no-cache"]
        warm["ssot-factory check, the table"] = tabled
        warm["ruff TID251, the table's names"] = ruff_table
    for label, commands in (("cold", cold), ("warm", warm)):
        medians = alternate(commands, tree, args.runs)
        print(f"\n{label}:")
        for name, command in commands.items():
            # The table's run is measured against ruff banning the table's names.
            reference = medians[
                "ruff TID251, the table's names" if "the table" in name else "ruff TID251"
            ]
            peak = peak_rss(command, tree) / 1024
            print(
                f"{name:>34}: {medians[name]:6.3f} s  ({medians[name] / reference:.2f}x ruff)  "
                f"peak RSS {peak:.0f} MB"
            )
    if not args.no_worst:
        print("\nthe slowest files, each timed alone in-process (a total can hide a hang):")
        for timing in worst_files(tree, ("check", "discover")).values():
            print(timing.describe())
    return 0


def _tree_stats(tree: Path) -> str:
    files = [path for path in tree.rglob("*.py") if path.is_file()]
    lines = sum(len(path.read_bytes().splitlines()) for path in files)
    return f"{tree}: {len(files):,} *.py files, {lines:,} lines"


if __name__ == "__main__":
    raise SystemExit(main())
