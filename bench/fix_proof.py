"""Proof that ``ssot-factory fix`` is safe on real code.

Copies a folder (default: the benchmark tree of bench/tree.py, with the shapes of MIGRATION.md
planted), then runs ``ssot-factory fix`` on the copy, first with safe fixes only, then with
``--unsafe-fixes``, and checks after each:

- every file that parsed before still parses;
- a second run changes nothing;
- pyflakes reports no message (of any kind: undefined, redefined or unused names, and the
  rest) in any file that it did not report before;
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
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tree import build_tree, describe

from flake8_ssot_factory.config.settings import DEFAULT_SETTINGS
from flake8_ssot_factory.fixer import gate as flakes_gate
from flake8_ssot_factory.fixer.files import fix_files
from flake8_ssot_factory.run.discovery import DEFAULT_EXCLUDE, expand_paths

BIN = Path(sys.executable).parent
SUMMARY_FIXED = re.compile(r"fixing \d+ findings? \((?P<codes>[^)]*)\)")
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


def pyflakes(root: Path) -> Counter[Tuple[str, object]]:
    """Every pyflakes message of the files that spell a watched name (no other file is
    rewritten), keyed as the fixer's gate keys them: kind and names, no line numbers."""
    rename = flakes_gate._Rename(DEFAULT_SETTINGS.replacement_for)
    needles = DEFAULT_SETTINGS.prefilter_needles
    found: Counter[Tuple[str, object]] = collections.Counter()
    for path in sorted(root.rglob("*.py")):
        data = path.read_bytes()
        if not any(needle in data for needle in needles):
            continue
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for message in flakes_gate._messages(tree):
            found[str(path.relative_to(root)), flakes_gate._key(message, rename)] += 1
    return found


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
    flakes_before: Counter[Tuple[str, object]],
) -> bool:
    label = "with --unsafe-fixes" if flags else "safe fixes only"
    stderr, seconds = run_fix(root, *flags)
    fixed, left = summary_counts(stderr)
    rewritten = stderr.count("Rewriting ")
    print(f"\n== {label}: rewrote {rewritten} files in {seconds:.2f} s")
    total = sum(fixed.values()) + sum(left.values())
    share = 100 * sum(fixed.values()) / total if total else 100.0
    print(f"   fixed: {sum(fixed.values())} of {total} ({share:.0f}%: {per_code(fixed)})")
    for (code, reason), count in sorted(left.items()):
        print(f"   left:  {code} {count:>4}  {reason}")

    checks: Dict[str, bool] = {}
    checks["every file that parsed still parses"] = parsed_before <= parsing_files(root)
    again, _ = run_fix(root, *flags, "--check")
    checks["a second run changes nothing"] = "would rewrite" not in again
    new_flakes = pyflakes(root) - flakes_before
    checks["no new pyflakes message in any file"] = not new_flakes
    left_per_code: Counter[str] = collections.Counter()
    for (code, _), count in left.items():
        left_per_code[code] += count
    checks["remaining findings == reported leftovers"] = remaining_findings(root) == left_per_code
    for name, ok in checks.items():
        print(f"   {'ok  ' if ok else 'FAIL'}  {name}")
    for flake in sorted(new_flakes):
        print(f"         new: {flake}")
    return all(checks.values())


def gate_cost(root: Path, unsafe: bool) -> None:
    """The same fix (nothing written), in-process, with and without the pyflakes gate."""
    paths = expand_paths([str(root)], DEFAULT_EXCLUDE)
    timings = {}
    for label, patch in (("with the gate", None), ("without", lambda *args: [])):
        runs = []
        for _ in range(3):
            with (
                mock.patch.object(
                    sys.modules["flake8_ssot_factory.fixer.text"], "new_messages", patch
                )
                if patch
                else _NoPatch()
            ):
                start = time.perf_counter()
                fix_files(paths, DEFAULT_SETTINGS, unsafe, False, [str(root)])
                runs.append(time.perf_counter() - start)
        timings[label] = min(runs)
    extra = timings["with the gate"] - timings["without"]
    print(
        f"\n   gate cost ({'unsafe' if unsafe else 'safe'}): {timings['with the gate']:.2f} s "
        f"with, {timings['without']:.2f} s without: +{extra:.2f} s "
        f"({100 * extra / timings['without']:+.0f}%), best of 3"
    )


class _NoPatch:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: object) -> None:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/ssf-proof"))
    args = parser.parse_args()

    source = args.folder
    if source is None:
        source = args.work / "tree"
        print(describe(build_tree(source)))
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
    gate_cost(copy, unsafe=False)
    ok = prove(copy, [], parsed_before, flakes_before)
    ok = prove(copy, ["--unsafe-fixes"], parsed_before, flakes_before) and ok
    print("\nproof:", "all checks hold" if ok else "A CHECK FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
