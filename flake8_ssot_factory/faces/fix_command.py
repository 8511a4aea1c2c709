"""``fix``: rewrite what can be migrated safely, and say what is left."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import List, Optional, TextIO

from flake8_ssot_factory import PROG
from flake8_ssot_factory.faces.run_setup import (
    baseline_of,
    baseline_path_of,
    check_baseline_writable,
    files_and_settings,
    open_cache,
)
from flake8_ssot_factory.fixer.baseline import judge
from flake8_ssot_factory.fixer.files import FileFix, fix_files
from flake8_ssot_factory.fixer.summary import fix_summary
from flake8_ssot_factory.run.atomic import remove_leftovers
from flake8_ssot_factory.run.baseline import write_baseline
from flake8_ssot_factory.run.cache import Cache
from flake8_ssot_factory.run.printable import printable, shown_path
from flake8_ssot_factory.run.wording import plural

EXIT_CLEAN, EXIT_FINDINGS = 0, 1


def fix_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    config, settings, files = files_and_settings(args)
    write = not (args.diff or args.check)
    configured = baseline_path_of(args, config)
    if configured and write:
        check_baseline_writable(args, config, configured)  # before any file is rewritten
    baseline_path, baseline = baseline_of(args, config)
    if write:
        _sweep_leftovers([*files, *([baseline_path] if baseline_path else [])], err)
    # A file the report's cache knows spells no watched name, unchanged, is not even read.
    cache = open_cache(args, config, settings, "report")
    quiet = {path for path in files if cache is not None and _known_quiet(cache, path)}

    def said(result: FileFix) -> None:
        if result.written:
            print(f"Rewriting {printable(result.path)}", file=err, flush=True)
        if args.diff:
            out.write(result.diff)

    results = fix_files(
        files, settings, args.unsafe_fixes, write, args.paths, quiet, args.jobs, said
    )
    judged = judge(results, baseline)
    if baseline is not None and baseline_path and judged.counts != baseline.counts:
        assert judged.counts is not None
        write_baseline(baseline_path, judged.counts)
        print(
            f"{PROG}: updated {shown_path(baseline_path)}: "
            f"{plural(judged.removed, 'entry', 'entries')} "
            f"of fixed findings removed, {plural(judged.moved, 'entry', 'entries')} moved to "
            "their rewritten lines",
            file=err,
        )
    summary = fix_summary(results, write, judged, args.show_left)
    err.write(summary.text)
    unused = _baseline_not_in_effect(config.folder) if baseline is None else None
    if unused is not None and any(result.written for result in results):
        print(
            f"{PROG}: {shown_path(str(unused))} was not in effect (give --baseline, or set "
            "ssot-baseline): its entries on the lines fix rewrote were not moved with them",
            file=err,
        )
    return EXIT_FINDINGS if summary.needs_attention else EXIT_CLEAN


#: The baseline's name where README's examples keep it.
_USUAL_BASELINE = "ssot-baseline.json"


def _baseline_not_in_effect(folder: Path) -> Optional[Path]:
    """A baseline where one is usually kept, which this run was not given: ``check
    --baseline`` in CI would find its entries on the rewritten lines "new"."""
    for candidate in (folder / _USUAL_BASELINE, Path(_USUAL_BASELINE)):
        if candidate.is_file():
            return candidate
    return None


def _known_quiet(cache: Cache, path: str) -> bool:
    known = cache.known(path)
    return known is not None and not known.mentions


def _sweep_leftovers(targets: List[str], err: TextIO) -> None:
    """Temporary files a killed run left beside the files it was rewriting (SIGKILL, a power
    cut: no ``finally`` ran) are removed by the next run that writes there."""
    swept = remove_leftovers(targets)
    if swept:
        more = f" and {plural(len(swept) - 1, 'other')}" if len(swept) > 1 else ""
        print(f"{PROG}: removed {printable(swept[0])}{more}, left by an interrupted run", file=err)
