"""Every face over the real code base this tool serves, at several commits: nothing may hang.

The code base (netra-systems/zen) is public and large; it is not copied here. Give this script
its git repository (bare or not) and the commits to measure; each commit's tree is written
into a scratch folder from git's objects (a blob the repository lacks, as in a partial copy,
is skipped and counted), then measured:

- ``check --no-cache .`` and ``check .`` twice (cold, then warm): wall time, peak memory of
  the largest process, findings per code;
- ``flake8 --select SSF`` on every ``--sample``-th file;
- ``fix --diff .`` (nothing written), ``discover .``;
- ``report --history REV --max-commits N`` in a clone of the repository (nothing checked out);
- each face per file in-process (worst_files.py): the slowest file and the slowest per
  1,000 lines.

    python bench/real_code_base.py /path/to/zen.git beta-17 beta-14 beta-11
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import List, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from worst_files import worst_files

_PROBE = (
    "import resource, subprocess, sys, time; start = time.perf_counter(); "
    "done = subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.PIPE, "
    "stderr=subprocess.PIPE); wall = time.perf_counter() - start; "
    "sys.stdout.buffer.write(done.stdout); sys.stderr.buffer.write(done.stderr); "
    "print(f'\\n#probe {done.returncode} {wall} "
    "{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}')"
)


def write_tree(repository: Path, revision: str, folder: Path) -> Tuple[int, int]:
    """The files of ``revision`` under ``folder``: (written, missing from the repository)."""
    listing = subprocess.run(
        ["git", "-C", str(repository), "ls-tree", "-r", "-z", revision],
        capture_output=True,
        check=True,
    ).stdout
    entries = []
    for record in listing.split(b"\0"):
        if record:
            meta, path = record.split(b"\t", 1)
            mode, kind, sha = meta.split()
            if kind == b"blob" and mode in (b"100644", b"100755"):
                entries.append((sha, os.fsdecode(path)))
    reader = subprocess.Popen(
        ["git", "-C", str(repository), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert reader.stdin is not None
    assert reader.stdout is not None
    missing = 0
    for sha, name in entries:
        reader.stdin.write(sha + b"\n")
        reader.stdin.flush()
        header = reader.stdout.readline()
        if header.endswith(b" missing\n"):
            missing += 1
            continue
        data = reader.stdout.read(int(header.split()[2]))
        reader.stdout.read(1)
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    reader.stdin.close()
    reader.wait()
    return len(entries) - missing, missing


def measured(command: Sequence[str], cwd: Path) -> Tuple[int, float, int, str, str]:
    """(exit code, wall seconds, peak KiB of the largest process, stdout, stderr)."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(cwd), *command], capture_output=True, text=True
    )
    out, _, probe = done.stdout.rpartition("\n#probe ")
    code, wall, peak = probe.split()
    return int(code), float(wall), int(peak), out, done.stderr


def per_code(output: str) -> str:
    counts = collections.Counter(
        line.split(": ", 1)[1].split()[0] for line in output.splitlines() if ": " in line
    )
    return ", ".join(f"{code} {n:,}" for code, n in sorted(counts.items()))


def line(name: str, result: Tuple[int, float, int, str, str], extra: str = "") -> None:
    code, wall, peak, _, err = result
    slow = [entry for entry in err.splitlines() if "slow file" in entry]
    print(f"  {name:34} exit {code}  {wall:7.2f} s  {peak / 1024:6.0f} MB  {extra}")
    for entry in slow:
        print(f"      {entry}")


def measure_revision(repository: Path, revision: str, work: Path, args: argparse.Namespace) -> None:
    tree = work / revision.replace("/", "_")
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    written, missing = write_tree(repository, revision, tree)
    python_files = sorted(str(p.relative_to(tree)) for p in tree.rglob("*.py") if p.is_file())
    lines = sum(len((tree / p).read_bytes().splitlines()) for p in python_files)
    print(
        f"{revision}: {written:,} files ({missing} missing from the repository), "
        f"{len(python_files):,} *.py, {lines:,} lines"
    )
    tool = [sys.executable, "-m", "flake8_ssot_factory"]
    cold = measured([*tool, "check", "--no-cache", "."], tree)
    line("check --no-cache .", cold, per_code(cold[3]))
    shutil.rmtree(tree / ".ssot_factory_cache", ignore_errors=True)
    line("check . (filling the cache)", measured([*tool, "check", "."], tree))
    line("check . (warm)", measured([*tool, "check", "."], tree))
    sample = python_files[:: args.sample]
    flake8 = measured(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "SSF", *sample], tree
    )
    line(f"flake8 --select SSF (1/{args.sample}: {len(sample):,})", flake8, per_code(flake8[3]))
    fixed = measured([*tool, "fix", "--diff", "--no-cache", "."], tree)
    changed = sum(1 for entry in fixed[3].splitlines() if entry.startswith("+++ "))
    line("fix --diff .", fixed, f"{changed:,} files would change")
    found = measured([*tool, "discover", "."], tree)
    entries = sum(1 for entry in found[3].splitlines() if " -> " in entry)
    line("discover .", found, f"{entries} entries")
    if args.history:
        clone = work / "clone"
        if not clone.exists():
            subprocess.run(
                ["git", "clone", "-q", "--shared", "--no-checkout", str(repository), str(clone)],
                check=True,
            )
        history = [
            *tool,
            "report",
            "--no-cache",
            f"--history={revision}",
            "--max-commits",
            str(args.history),
        ]
        result = measured(history, clone)
        rows = len(result[3].splitlines())
        line(
            f"report --history (last {args.history})",
            result,
            f"{rows} lines; {result[4].strip()[:200]}",
        )
    start = time.perf_counter()
    for timing in worst_files(tree).values():
        print(f"  {timing.describe()}")
    print(f"  (per-file timing took {time.perf_counter() - start:.0f} s)")
    if not args.keep:
        shutil.rmtree(tree)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repository", type=Path)
    parser.add_argument("revisions", nargs="+")
    parser.add_argument("--sample", type=int, default=10, help="flake8 on every n-th file")
    parser.add_argument("--history", type=int, default=30, help="commits for report --history")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ssf-real")
    parser.add_argument("--keep", action="store_true", help="keep the trees written")
    args = parser.parse_args(argv)
    for revision in args.revisions:
        measure_revision(args.repository.resolve(), revision, args.work, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
