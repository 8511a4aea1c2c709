"""Proof that ``ssot-factory fix`` is safe on real code.

Copies a folder (default: the benchmark tree of bench/tree.py, with the shapes of MIGRATION.md
planted), then runs ``ssot-factory fix`` on the copy, first with safe fixes only, then with
``--unsafe-fixes``, and checks after each:

- every file that parsed before still parses;
- a second run changes nothing;
- pyflakes (``flake8 --select=F821,F811,F401``) reports no undefined, redefined or unused name
  that was not there before;
- the findings ``ssot-factory check`` still reports are exactly the leftovers ``fix`` reported.

Prints the sites fixed per code, the leftovers per reason and the time, and exits 1 when any
check fails.

    python bench/fix_proof.py [FOLDER] [--work /tmp/ssf-proof]
"""

from __future__ import annotations

import argparse
import ast
import collections
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Counter, Dict, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tree import build_tree

BIN = Path(sys.executable).parent
PYFLAKES_CODES = "F821,F811,F401"
SUMMARY_FIXED = re.compile(r"fixing \d+ findings \((?P<codes>[^)]*)\)")
SUMMARY_LEFT = re.compile(r"^  (?P<code>\w+)\s+(?P<count>\d+)  (?P<reason>.*)$")


def per_code(counts: Counter[str]) -> str:
    return ", ".join(f"{code} {count}" for code, count in sorted(counts.items()))


def parsing_files(root: Path) -> set[str]:
    ok = set()
    for path in root.rglob("*.py"):
        try:
            ast.parse(path.read_bytes())
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        ok.add(str(path.relative_to(root)))
    return ok


def pyflakes(root: Path) -> Counter[Tuple[str, str, str]]:
    # The venv's script, not ``python -m``: the tree may be a copy of the standard library.
    done = subprocess.run(
        [
            str(BIN / "flake8"),
            "--isolated",
            f"--select={PYFLAKES_CODES}",
            "--format=%(path)s|%(code)s|%(text)s",
            ".",
        ],
        cwd=root,
        capture_output=True,
        text=True,
    )
    # Line numbers move when an import line is dropped: compare what is said, where.
    return collections.Counter(tuple(line.split("|", 2)) for line in done.stdout.splitlines())  # type: ignore[misc]


def run_fix(root: Path, *flags: str) -> Tuple[str, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "ssot-factory"), "fix", ".", *flags], cwd=root, capture_output=True, text=True
    )
    return done.stderr, time.perf_counter() - start


def summary_counts(stderr: str) -> Tuple[Counter[str], Dict[Tuple[str, str], int]]:
    fixed: Counter[str] = collections.Counter()
    match = SUMMARY_FIXED.search(stderr)
    if match:
        for part in match.group("codes").split(", "):
            code, count = part.split()
            fixed[code] = int(count)
    left = {
        (m.group("code"), m.group("reason")): int(m.group("count"))
        for m in map(SUMMARY_LEFT.match, stderr.splitlines())
        if m
    }
    return fixed, left


def remaining_findings(root: Path) -> Counter[str]:
    done = subprocess.run(
        [str(BIN / "ssot-factory"), "check", ".", "--format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    findings = json.loads(done.stdout)
    return collections.Counter(f["code"] for f in findings if f["code"].startswith("SSF"))


def prove(
    root: Path,
    flags: List[str],
    parsed_before: set[str],
    flakes_before: Counter[Tuple[str, str, str]],
) -> bool:
    label = "with --unsafe-fixes" if flags else "safe fixes only"
    stderr, seconds = run_fix(root, *flags)
    fixed, left = summary_counts(stderr)
    rewritten = stderr.count("Rewriting ")
    print(f"\n== {label}: rewrote {rewritten} files in {seconds:.2f} s")
    print(f"   fixed: {sum(fixed.values())} ({per_code(fixed)})")
    for (code, reason), count in sorted(left.items()):
        print(f"   left:  {code} {count:>4}  {reason}")

    checks: Dict[str, bool] = {}
    checks["every file that parsed still parses"] = parsed_before <= parsing_files(root)
    again, _ = run_fix(root, *flags, "--check")
    checks["a second run changes nothing"] = "would rewrite" not in again
    new_flakes = pyflakes(root) - flakes_before
    checks[f"no new pyflakes {PYFLAKES_CODES}"] = not new_flakes
    left_per_code: Counter[str] = collections.Counter()
    for (code, _), count in left.items():
        left_per_code[code] += count
    checks["remaining findings == reported leftovers"] = remaining_findings(root) == left_per_code
    for name, ok in checks.items():
        print(f"   {'ok  ' if ok else 'FAIL'}  {name}")
    for flake in sorted(new_flakes):
        print(f"         new: {flake}")
    return all(checks.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/ssf-proof"))
    args = parser.parse_args()

    source = args.folder
    if source is None:
        source = args.work / "tree"
        files, planted = build_tree(source)
        print(f"benchmark tree: {files} files, {planted} with planted uses")
    copy = args.work / "copy"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(source, copy, symlinks=True)

    parsed_before = parsing_files(copy)
    flakes_before = pyflakes(copy)
    before = remaining_findings(copy)
    print(
        f"before: {sum(before.values())} findings ({per_code(before)}), "
        f"{len(parsed_before)} files parse"
    )
    ok = prove(copy, [], parsed_before, flakes_before)
    ok = prove(copy, ["--unsafe-fixes"], parsed_before, flakes_before) and ok
    print("\nproof:", "all checks hold" if ok else "A CHECK FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
