"""The slowest file, not only the total: each file timed on its own, in-process, as each face
handles it (``check``'s per-file work, the flake8 plugin's ``run``, the fixer's plan and
gate, ``discover``'s reading of announcements).

A total can hide one file that never ends; these figures cannot. Per 1,000 lines, a file of
fewer than 1,000 lines counts as 1,000 (a tiny file's fixed cost says nothing of scaling).

    python bench/worst_files.py FOLDER [--faces check,plugin,fix,discover]
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from flake8_ssot_factory.config.settings import DEFAULT_SETTINGS, Settings
from flake8_ssot_factory.engine.deprecations import announcements
from flake8_ssot_factory.engine.positions import split_lines
from flake8_ssot_factory.engine.prefilter import spells_any
from flake8_ssot_factory.fixer.text import fix_text
from flake8_ssot_factory.run.checking import check_bytes, check_file
from flake8_ssot_factory.run.discovery import DEFAULT_EXCLUDE, expand_paths
from flake8_ssot_factory.run.source import decode_source, read_source_bytes

FACES = ("check", "plugin", "fix", "discover")
_DISCOVER_NEEDLES = (b"eprecat", b"no longer supported")


@dataclasses.dataclass
class Timing:
    face: str
    files: int = 0
    total: float = 0.0
    slowest: Tuple[float, int, str] = (0.0, 0, "")
    slowest_per_kline: Tuple[float, int, str] = (0.0, 0, "")

    def add(self, path: str, lines: int, seconds: float) -> None:
        self.files += 1
        self.total += seconds
        if seconds > self.slowest[0]:
            self.slowest = (seconds, lines, path)
        per_kline = seconds * 1000 / max(lines, 1000)
        if per_kline > self.slowest_per_kline[0]:
            self.slowest_per_kline = (per_kline, lines, path)

    def describe(self) -> str:
        seconds, lines, path = self.slowest
        rate, rate_lines, rate_path = self.slowest_per_kline
        return (
            f"{self.face:9} {self.files:6,} files timed, {self.total:7.2f} s in all; slowest "
            f"{seconds * 1000:7.1f} ms ({lines:,} lines) {path}; slowest per 1,000 lines "
            f"{rate * 1000:6.1f} ms ({rate_lines:,} lines) {rate_path}"
        )


def _timed(work: Callable[..., object], *args: object) -> float:
    start = time.perf_counter()
    work(*args)
    return time.perf_counter() - start


def _discover_one(text: str) -> object:
    return announcements(ast.parse(text))


def _plugin_runner(
    settings_migrations: Optional[str],
) -> Callable[[ast.AST, List[str], str], object]:
    from flake8_ssot_factory.plugin import SSFChecker

    options = argparse.Namespace()
    if settings_migrations:
        options.ssot_migrations = settings_migrations
    SSFChecker.parse_options(None, options, [])
    return lambda tree, lines, path: list(SSFChecker(tree, lines, path, options).run())


def worst_files(
    root: Path,
    faces: Sequence[str] = FACES,
    settings: Settings = DEFAULT_SETTINGS,
    migrations: Optional[str] = None,
) -> Dict[str, Timing]:
    """Each face's timing over every ``*.py`` file ``check`` would read under ``root``."""
    paths = expand_paths([str(root)], DEFAULT_EXCLUDE)
    timings = {face: Timing(face) for face in faces}
    needles = settings.prefilter_needles
    plugin = _plugin_runner(migrations) if "plugin" in faces else None
    # The first call of each face imports what it needs: not a file's cost.
    warm = "from m import get_agent_instance_factory\nget_agent_instance_factory()\n"
    check_bytes("warm.py", warm.encode(), settings)
    fix_text(warm, settings)
    _discover_one(warm)
    if plugin is not None:
        plugin(ast.parse(warm), split_lines(warm), "warm.py")
    for path in paths:
        try:
            data = read_source_bytes(path)
        except OSError:
            continue
        text = decode_source(data).text
        lines = split_lines(text)
        count = len(lines)
        if "check" in timings:
            timings["check"].add(path, count, _timed(check_file, path, settings, needles))
        tree: Optional[ast.AST] = None
        if plugin is not None or "discover" in timings:
            try:
                tree = ast.parse(text)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                tree = None  # flake8 runs no plugin on it; discover skips it
        if plugin is not None and tree is not None:
            timings["plugin"].add(path, count, _timed(plugin, tree, lines, path))
        if "fix" in timings and spells_any(data, needles):
            timings["fix"].add(path, count, _timed(fix_text, text, settings))
        if "discover" in timings and tree is not None and spells_any(data, _DISCOVER_NEEDLES):
            timings["discover"].add(path, count, _timed(_discover_one, text))
    return timings


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--faces", default=",".join(FACES))
    args = parser.parse_args(argv)
    for timing in worst_files(args.folder, args.faces.split(",")).values():
        print(timing.describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
