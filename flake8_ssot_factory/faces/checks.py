"""``check``, ``baseline`` and ``report``: the commands that check files and say what they found."""

from __future__ import annotations

import argparse
import dataclasses
import functools
import sys
from pathlib import Path
from typing import Dict, List, Optional, TextIO, Tuple

from flake8_ssot_factory import PROG
from flake8_ssot_factory.config.files import load_config, split_list
from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.engine.catalogue import RULES_BY_CODE
from flake8_ssot_factory.faces.formats import render, statistics
from flake8_ssot_factory.faces.output import wants_colour
from flake8_ssot_factory.faces.run_setup import (
    UsageError,
    baseline_of,
    baseline_path_of,
    check_baseline_writable,
    files_and_settings,
    open_cache,
    save_cache,
    settings_of,
)
from flake8_ssot_factory.run.baseline import (
    Baseline,
    Comparison,
    Key,
    compare,
    is_recorded,
    recorded_text,
    write_baseline,
)
from flake8_ssot_factory.run.printable import printable, relative_path
from flake8_ssot_factory.run.results import FileResult, Violation
from flake8_ssot_factory.run.runner import check_files
from flake8_ssot_factory.run.wording import plural

EXIT_CLEAN, EXIT_FINDINGS = 0, 1


@dataclasses.dataclass(frozen=True)
class Run:
    """What one invocation checked and found."""

    settings: Settings
    results: List[FileResult]
    baseline: Optional[Baseline]
    baseline_path: Optional[str]

    @functools.cached_property
    def violations(self) -> List[Violation]:
        # Sorted once: a check against a baseline reads them twice.
        return sorted(v for result in self.results for v in result.violations)

    def against_baseline(self, baseline: Baseline) -> Tuple[List[Violation], List[Key], Comparison]:
        """The violations a baseline records (the rules', and E999), their keys, and the
        comparison."""
        rule_violations = [v for v in self.violations if is_recorded(v.code)]
        keys = [
            baseline.key(v.path, v.code, recorded_text(v.code, v.source, v.message), v.migration)
            for v in rule_violations
        ]
        selected = {m.name for m in self.settings.table} if self.settings.migrations else None
        comparison = compare(baseline, keys, [result.path for result in self.results], selected)
        return rule_violations, keys, comparison


def collect(args: argparse.Namespace) -> Run:
    if "-" in args.paths or getattr(args, "stdin_filename", None):
        return _collect_stdin(args)
    config, settings, files = files_and_settings(args)
    # ``baseline`` writes the file; reading a configured one there would only get in the way.
    # ``baseline`` writes the configured file (unless --write names another); it reads none.
    baseline_path = baseline_path_of(args, config)
    if baseline_path and (args.command == "baseline" or getattr(args, "update_baseline", False)):
        check_baseline_writable(args, config, baseline_path)
    baseline = None if args.command == "baseline" else baseline_of(args, config)[1]
    # The report also counts call sites migrated to a renamed function, in files that hold
    # no finding: it screens for those names too, and keeps its own cache.
    kind = "report" if args.command == "report" else "check"
    needles = settings.progress_needles if kind == "report" else settings.prefilter_needles
    cache = open_cache(args, config, settings, kind)
    results = check_files(files, settings, args.jobs, cache=cache, needles=needles)
    save_cache(cache)
    return Run(settings, results, baseline, baseline_path)


def _collect_stdin(args: argparse.Namespace) -> Run:
    """``check -``: one source from standard input, reported under ``--stdin-filename`` (as
    editors and ruff do). Nothing is cached: there is no file to key it by."""
    from flake8_ssot_factory.run.checking import check_stdin

    if args.paths != ["-"]:
        raise UsageError(
            "--stdin-filename: applies only to source read from standard input (PATH -)"
            if args.paths and "-" not in args.paths
            else "-: standard input is read alone, not together with other paths"
        )
    config = load_config(args.config, Path.cwd())
    settings = settings_of(args, config)
    baseline_path, baseline = baseline_of(args, config)
    name = args.stdin_filename or "stdin"
    result = check_stdin(name, sys.stdin.buffer.read(), settings)
    return Run(settings, [result], baseline, baseline_path)


def _code_prefixes(value: Optional[str]) -> Tuple[str, ...]:
    return split_list(value or "")


def check_command(args: argparse.Namespace, run: Run, out: TextIO, console: TextIO) -> int:
    """Print the violations to ``out`` (standard output or --output-file); ``console``
    (standard error) gets the --count when ``out`` carries machine-readable output."""
    select, ignore = _code_prefixes(args.select), _code_prefixes(args.ignore)
    violations = [
        v
        for v in run.violations
        if not v.code.startswith(ignore)
        and (not select or v.code.startswith(select) or v.code not in RULES_BY_CODE)
    ]
    if run.baseline is not None:
        violations = _new_since_baseline(args, run, run.baseline, violations)
    if args.quiet:
        paths = dict.fromkeys(v.path for v in violations)
        out.write("".join(f"{printable(path)}\n" for path in paths))
    else:
        named = run.settings.named_migrations
        colour = args.format == "text" and wants_colour(args.color, out)
        out.write(render(violations, args.format, args.show_source, named, colour))
        if args.statistics and args.format == "text":
            out.write(statistics(violations))
    if args.count:
        text_output = args.format == "text" or args.quiet
        (out if text_output else console).write(f"{len(violations)}\n")
    return EXIT_FINDINGS if violations and not args.exit_zero else EXIT_CLEAN


def _new_since_baseline(
    args: argparse.Namespace, run: Run, baseline: Baseline, violations: List[Violation]
) -> List[Violation]:
    rule_violations, keys, comparison = run.against_baseline(baseline)
    if comparison.stale:
        if args.update_baseline:
            assert run.baseline_path is not None
            write_baseline(run.baseline_path, comparison.ratcheted)
            print(
                f"{PROG}: removed {plural(comparison.stale, 'fixed finding')} from "
                f"{run.baseline_path}",
                file=sys.stderr,
            )
        elif not args.quiet:
            entries = plural(comparison.stale, "baseline entry", "baseline entries")
            verb = "is" if comparison.stale == 1 else "are"
            print(
                f"{PROG}: {entries} {verb} fixed and now stale; --update-baseline removes "
                f"{'it' if comparison.stale == 1 else 'them'}",
                file=sys.stderr,
            )
    new = {
        id(violation) for violation, keep in zip(rule_violations, baseline.keep_new(keys)) if keep
    }
    return [v for v in violations if not is_recorded(v.code) or id(v) in new]


def baseline_command(args: argparse.Namespace, run: Run) -> int:
    target: Optional[str] = args.write or run.baseline_path
    if not target:
        raise UsageError(
            "--write: name the baseline file to write (or set baseline = FILE in the configuration)"
        )
    destination = Path(target)
    if not destination.parent.is_dir():
        raise UsageError(f"--write: {destination.parent}: no such folder")
    recorder = Baseline(destination.resolve().parent, {})
    counts: Dict[Key, int] = {}
    for violation in run.violations:
        if is_recorded(violation.code):
            text = recorded_text(violation.code, violation.source, violation.message)
            key = recorder.key(violation.path, violation.code, text, violation.migration)
            counts[key] = counts.get(key, 0) + 1
    write_baseline(str(destination), counts)
    files = len({key[0] for key in counts})
    print(
        f"{PROG}: recorded {plural(sum(counts.values()), 'finding')} in "
        f"{plural(files, 'file')} to {destination}",
        file=sys.stderr,
    )
    return EXIT_CLEAN


def report_command(args: argparse.Namespace, run: Run, out: TextIO) -> int:
    # Imported here: ``check``, the command run most often, needs none of it.
    from flake8_ssot_factory.faces.report import BaselineProgress, measure, render_report

    progress_since = None
    if run.baseline is not None and run.baseline_path is not None:
        rule_violations, _, comparison = run.against_baseline(run.baseline)
        remaining = sum(comparison.matched.values())
        progress_since = BaselineProgress(
            path=relative_path(run.baseline_path),  # escaped by each format
            recorded=remaining + comparison.stale,
            remaining=remaining,
            new=len(rule_violations) - remaining,
        )
    progress = measure(run.results, progress_since, run.settings.table)
    out.write(render_report(progress, args.format))
    return EXIT_CLEAN
