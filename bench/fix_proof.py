"""Proof that ``ssot-factory fix`` is safe on real code.

Copies a folder (default: the benchmark tree of bench/tree.py, with the shapes of MIGRATION.md
planted), plants in it the shapes that broke the fixer of version 0.1.0 (uses under noqa, two
deprecated names in one import, contexts bound late or at module level, aliases over a
backslash, generator arguments), then runs ``ssot-factory fix`` on the copy, first with safe
fixes only, then with ``--unsafe-fixes``, and checks after each:

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
import random
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
from worst_files import worst_files

from flake8_ssot_factory.config.settings import DEFAULT_SETTINGS
from flake8_ssot_factory.fixer import gate as flakes_gate
from flake8_ssot_factory.fixer.files import fix_files
from flake8_ssot_factory.run.discovery import DEFAULT_EXCLUDE, expand_paths

BIN = Path(sys.executable).parent
MODULE = "netra_backend.app.agents.supervisor.agent_instance_factory"
FILES_PER_SHAPE = 40

#: The shapes that broke the fixer of version 0.1.0 (issue 8), planted in library files of the
#: copy: the tree has the common shapes; these are the hard ones.
HARD_SHAPES = (
    # A test module: patch targets, an alias, no context in scope.
    f"""from unittest.mock import patch as _ssot_patch  # noqa: E402
from {MODULE} import get_agent_instance_factory as _ssot_gaif  # noqa: E402


@_ssot_patch("{MODULE}.get_agent_instance_factory")
def _ssot_legacy_test(mock_factory):
    return _ssot_gaif().create_agent("Triage")
""",
    # A handler with an annotated factory; one call with a context, one without.
    f"""from {MODULE} import (  # noqa: E402
    AgentInstanceFactory,
    get_agent_instance_factory,
)


class _SsotLegacyHandler:
    def __init__(self, factory: AgentInstanceFactory = None):
        self.factory = factory or get_agent_instance_factory()

    def handle(self, user_context):
        agent = self.factory.create_agent("DataHelper")
        return agent, self.factory.create_agent("DataHelper", user_context)
""",
    # Two deprecated names in one import, and a use silenced with noqa (still a use).
    f"""from {MODULE} import (  # noqa: E402
    configure_agent_instance_factory,
    get_agent_instance_factory,
)


def _ssot_build(user_context):
    primary = get_agent_instance_factory()
    legacy = configure_agent_instance_factory()
    kept = get_agent_instance_factory()  # noqa: SSF002
    return primary, legacy, kept
""",
    # Names like the context that are not one: a module-level fixture, a context bound only
    # after the call; and one that is: set in setup_method.
    f"""import pytest as _ssot_pytest  # noqa: E402
from {MODULE} import get_agent_instance_factory as _ssot_gaif  # noqa: E402


@_ssot_pytest.fixture
def user_context():
    return object()


async def _ssot_handle(request):
    factory = _ssot_gaif()
    user_context = await request.context()
    return factory, user_context


class _SsotTestHandler:
    def setup_method(self):
        self.user_context = object()

    def test_create(self):
        factory = _ssot_gaif()
        return factory.create_agent("Triage")
""",
    # An alias written over a backslash, beside the replacement; a generator argument.
    f"""from {MODULE} import create_agent_instance_factory  # noqa: E402
from {MODULE} import get_agent_instance_factory \\
    as _ssot_legacy  # noqa: E402


def _ssot_agents(user_context, names):
    factory = _ssot_legacy()
    return factory.create_agent(name for name in names)
""",
)

#: A service and the test that patches it, added as modules of their own (a package


def plant_hard_shapes(root: Path, seed: int = 2026) -> int:
    """Each of HARD_SHAPES appended to FILES_PER_SHAPE library files that parse; returns the
    number of files planted. The same seed picks the same files."""
    candidates = sorted(
        path
        for path in root.glob("lib*/**/*.py")
        if b"planted by" not in (data := path.read_bytes()) and _parses(data)
    )
    chosen = random.Random(seed).sample(candidates, FILES_PER_SHAPE * len(HARD_SHAPES))
    for index, path in enumerate(chosen):
        with open(path, "ab") as stream:
            block = HARD_SHAPES[index % len(HARD_SHAPES)]
            stream.write(("\n\n# --- planted by bench/fix_proof.py ---\n" + block).encode())
    return len(chosen)


def _parses(data: bytes) -> bool:
    try:
        ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


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
    planted = plant_hard_shapes(copy)
    print(f"planted: {len(HARD_SHAPES)} hard shapes, each in {FILES_PER_SHAPE} files ({planted})")

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
    print("the slowest files for the fixer, each planned alone in-process (nothing written):")
    print(worst_files(source, ("fix",))["fix"].describe())
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
