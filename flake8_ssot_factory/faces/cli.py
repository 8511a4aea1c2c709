"""``ssot-factory``: the standalone command (check, baseline, report, rules)."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, TextIO, Tuple

import flake8_ssot_factory
from flake8_ssot_factory.config.files import (
    ConfigError,
    FileConfig,
    load_config,
    normalize_paths,
    split_list,
)
from flake8_ssot_factory.config.migrations import closest
from flake8_ssot_factory.config.settings import OPTIONS, Settings, SettingsError, build_settings
from flake8_ssot_factory.engine.catalogue import RULES, RULES_BY_CODE
from flake8_ssot_factory.faces.discover import DISCOVER_FORMATS, discover, render_discovery
from flake8_ssot_factory.faces.docs import render_rule
from flake8_ssot_factory.faces.formats import FORMATS, render, statistics
from flake8_ssot_factory.faces.report import (
    REPORT_FORMATS,
    BaselineProgress,
    measure,
    render_report,
)
from flake8_ssot_factory.faces.wording import plural
from flake8_ssot_factory.fixer.baseline import judge
from flake8_ssot_factory.fixer.files import fix_files
from flake8_ssot_factory.fixer.summary import LIST_AT_MOST, fix_summary
from flake8_ssot_factory.run.baseline import (
    Baseline,
    BaselineError,
    Comparison,
    Key,
    compare,
    load_baseline,
    write_baseline,
)
from flake8_ssot_factory.run.checking import FileResult, Violation
from flake8_ssot_factory.run.discovery import DEFAULT_EXCLUDE, PathError, expand_paths
from flake8_ssot_factory.run.runner import check_files, default_jobs
from flake8_ssot_factory.run.source import printable_path, shown_path

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
PROG = "ssot-factory"


class UsageError(Exception):
    """Wrong arguments or configuration: one line on stderr, exit 2."""


@dataclasses.dataclass(frozen=True)
class Run:
    """What one invocation checked and found."""

    settings: Settings
    results: List[FileResult]
    baseline: Optional[Baseline]
    baseline_path: Optional[str]

    @property
    def violations(self) -> List[Violation]:
        return sorted(v for result in self.results for v in result.violations)

    def against_baseline(self, baseline: Baseline) -> Tuple[List[Violation], List[Key], Comparison]:
        """The rule violations (not E902/E999), their baseline keys, and the comparison."""
        rule_violations = [v for v in self.violations if v.code in RULES_BY_CODE]
        keys = [baseline.key(v.path, v.code, v.source, v.migration) for v in rule_violations]
        selected = {m.name for m in self.settings.table} if self.settings.migrations else None
        comparison = compare(baseline, keys, [result.path for result in self.results], selected)
        return rule_violations, keys, comparison


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "rules":
            return rules_command(args, sys.stdout)
        if args.command == "fix":
            return fix_command(args, sys.stdout, sys.stderr)
        if args.command == "discover":
            return discover_command(args, sys.stdout)
        run = collect(args)
        if args.command == "baseline":
            return baseline_command(args, run)
        if args.command == "report":
            return report_command(args, run, sys.stdout)
        return check_command(args, run, sys.stdout)
    except (UsageError, SettingsError, ConfigError, BaselineError, PathError) as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (``ssot-factory check | head``): stop quietly, as Python's
        # documentation advises, so that the final flush at exit does not complain either.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FINDINGS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Find, block and report uses of a retired singleton factory (SSF codes).",
    )
    parser.add_argument("--version", action=_PrintVersion, nargs=0, help="show the version")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="report violations (exit 1 when there are any)")
    _add_run_options(check)
    check.add_argument("--format", choices=FORMATS, default="text", help="(default: text)")
    check.add_argument("--select", metavar="CODES", help="only these code prefixes (SSF0,SSF10)")
    check.add_argument("--ignore", metavar="CODES", help="not these code prefixes")
    check.add_argument(
        "--update-baseline",
        action="store_true",
        help="drop fixed findings from the baseline file (never adds new ones)",
    )
    check.add_argument("--show-source", action="store_true", help="print each line with a caret")
    check.add_argument("--statistics", action="store_true", help="count violations per code")
    check.add_argument("-q", "--quiet", action="store_true", help="print file names only")

    baseline = commands.add_parser("baseline", help="record today's findings in a baseline file")
    _add_run_options(baseline, with_baseline=False)
    baseline.add_argument("--write", metavar="FILE", required=True, help="the baseline to write")

    report = commands.add_parser("report", help="progress of the migration")
    _add_run_options(report)
    report.add_argument("--format", choices=REPORT_FORMATS, default="text", help="(default: text)")

    fix = commands.add_parser("fix", help="rewrite what can be migrated safely; say what is left")
    _add_run_options(fix, with_jobs=False)  # fix runs in-process: it plans all files together
    fix.add_argument(
        "--show-left",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=f"list every finding left as path:line:col: CODE reason (default: when at most "
        f"{LIST_AT_MOST})",
    )
    fix.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="also apply fixes that may change behaviour (SSF004: what a test patches)",
    )
    mode = fix.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    mode.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if anything would change"
    )

    discover_parser = commands.add_parser(
        "discover",
        help="propose the migration table from the deprecations the code announces",
    )
    discover_parser.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    discover_parser.add_argument(
        "--format", choices=DISCOVER_FORMATS, default="text", help="(default: text)"
    )
    discover_parser.add_argument(
        "--config", metavar="FILE", help="read [flake8] from this file only"
    )
    discover_parser.add_argument("--extend-exclude", metavar="PATTERNS", help="more paths to skip")

    rules = commands.add_parser("rules", help="list the rules, or document one")
    rules.add_argument("code", nargs="?", help="a code, e.g. SSF004")
    return parser


class _PrintVersion(argparse.Action):
    # argparse's own "version" action wants the text up front; reading the package metadata
    # only when asked keeps it off every other run's start-up.
    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(f"{PROG} {flake8_ssot_factory.__version__}")
        parser.exit()


def _add_run_options(
    parser: argparse.ArgumentParser, with_baseline: bool = True, with_jobs: bool = True
) -> None:
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    parser.add_argument("--config", metavar="FILE", help="read [flake8] from this file only")
    if with_jobs:
        parser.add_argument(
            "--jobs",
            "-j",
            type=_positive_int,
            default=default_jobs(),
            help="worker processes; 1 runs in-process (default: the number of CPUs)",
        )
    parser.add_argument("--extend-exclude", metavar="PATTERNS", help="more paths to skip")
    parser.add_argument(
        "--migrations",
        metavar="NAMES",
        help="only these migrations of the table (comma-separated names)",
    )
    if with_baseline:
        parser.add_argument(
            "--baseline", metavar="FILE", help="report only findings not recorded in FILE"
        )
    group = parser.add_argument_group("rule options (as in the [flake8] section)")
    for spec in OPTIONS:
        if spec.is_flag:
            group.add_argument(f"--{spec.name}", action="store_true", default=None, help=spec.help)
        else:
            group.add_argument(f"--{spec.name}", metavar="VALUE", help=spec.help)


def _positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number >= 1")
    return int(value)


def _files_and_settings(args: argparse.Namespace) -> Tuple[FileConfig, Settings, List[str]]:
    config = load_config(args.config, Path.cwd())
    settings = _settings(args, config)
    return config, settings, expand_paths(args.paths, _exclude(args, config))


def collect(args: argparse.Namespace) -> Run:
    config, settings, files = _files_and_settings(args)
    # ``baseline`` writes the file; reading a configured one there would only get in the way.
    baseline_path = None if args.command == "baseline" else _baseline_path(args, config)
    baseline = load_baseline(baseline_path) if baseline_path else None
    results = check_files(files, settings, args.jobs)
    return Run(settings, results, baseline, baseline_path)


def _settings(args: argparse.Namespace, config: FileConfig) -> Settings:
    values: Dict[str, object] = {}
    for spec in OPTIONS:
        from_command_line = getattr(args, spec.name.replace("-", "_"))
        if from_command_line is not None:
            values[spec.name] = from_command_line
        elif spec.is_flag:
            values[spec.name] = config.flag(spec.name)
        else:
            values[spec.name] = config.values.get(spec.name)
    return _selected_migrations(build_settings(values), getattr(args, "migrations", None))


def _selected_migrations(settings: Settings, names: Optional[str]) -> Settings:
    """The settings with only the migrations ``--migrations`` names."""
    if not names:
        return settings
    known = [m.name for m in settings.table if m.name]
    wanted = split_list(names)
    for name in wanted:
        if name not in known:
            close = closest(name, known)
            hint = f" (did you mean {close!r}?)" if close else ""
            listing = ", ".join(known) if known else "none: ssot-migrations is not set"
            raise UsageError(
                f"--migrations: no migration {name!r}{hint}; the migrations are {listing}"
            )
    return dataclasses.replace(
        settings, migrations=tuple(m for m in settings.table if m.name in wanted)
    )


def _exclude(args: argparse.Namespace, config: FileConfig) -> Tuple[str, ...]:
    folder = config.folder
    if "exclude" in config.values:
        exclude = normalize_paths(split_list(config.values["exclude"]), folder)
    else:
        exclude = DEFAULT_EXCLUDE
    extend = split_list(config.values.get("extend-exclude", ""))
    exclude += normalize_paths(extend, folder)
    if args.extend_exclude:
        exclude += normalize_paths(split_list(args.extend_exclude), Path.cwd())
    return exclude


def _baseline_path(args: argparse.Namespace, config: FileConfig) -> Optional[str]:
    given = getattr(args, "baseline", None)
    if given:
        return str(given)
    configured = config.values.get("ssot-baseline", "").strip()
    if configured:
        return str(config.folder / configured)
    return None


def _code_prefixes(value: Optional[str]) -> Tuple[str, ...]:
    return split_list(value or "")


def check_command(args: argparse.Namespace, run: Run, out: TextIO) -> int:
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
        out.write("".join(f"{path}\n" for path in dict.fromkeys(v.path for v in violations)))
    else:
        named = run.settings.named_migrations
        out.write(render(violations, args.format, args.show_source, named))
        if args.statistics and args.format == "text":
            out.write(statistics(violations))
    return EXIT_FINDINGS if violations else EXIT_CLEAN


def _new_since_baseline(
    args: argparse.Namespace, run: Run, baseline: Baseline, violations: List[Violation]
) -> List[Violation]:
    rule_violations, keys, comparison = run.against_baseline(baseline)
    if comparison.stale:
        if args.update_baseline:
            assert run.baseline_path is not None
            write_baseline(run.baseline_path, comparison.ratcheted)
            print(
                f"{PROG}: removed {comparison.stale} fixed findings from {run.baseline_path}",
                file=sys.stderr,
            )
        elif not args.quiet:
            print(
                f"{PROG}: {comparison.stale} baseline entries are fixed and now stale; "
                "--update-baseline removes them",
                file=sys.stderr,
            )
    new = {
        id(violation) for violation, keep in zip(rule_violations, baseline.keep_new(keys)) if keep
    }
    return [v for v in violations if v.code not in RULES_BY_CODE or id(v) in new]


def baseline_command(args: argparse.Namespace, run: Run) -> int:
    destination = Path(args.write)
    if not destination.parent.is_dir():
        raise UsageError(f"--write: {destination.parent}: no such folder")
    recorder = Baseline(destination.resolve().parent, {})
    counts: Dict[Key, int] = {}
    for violation in run.violations:
        if violation.code in RULES_BY_CODE:
            key = recorder.key(
                violation.path, violation.code, violation.source, violation.migration
            )
            counts[key] = counts.get(key, 0) + 1
    write_baseline(str(destination), counts)
    files = len({key[0] for key in counts})
    print(
        f"{PROG}: recorded {sum(counts.values())} findings in {files} files to {destination}",
        file=sys.stderr,
    )
    return EXIT_CLEAN


def report_command(args: argparse.Namespace, run: Run, out: TextIO) -> int:
    progress_since = None
    if run.baseline is not None and run.baseline_path is not None:
        rule_violations, _, comparison = run.against_baseline(run.baseline)
        remaining = sum(comparison.matched.values())
        progress_since = BaselineProgress(
            path=run.baseline_path,
            recorded=remaining + comparison.stale,
            remaining=remaining,
            new=len(rule_violations) - remaining,
        )
    progress = measure(run.results, progress_since, run.settings.table)
    out.write(render_report(progress, args.format))
    return EXIT_CLEAN


def fix_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    config, settings, files = _files_and_settings(args)
    baseline_path = _baseline_path(args, config)
    baseline = load_baseline(baseline_path) if baseline_path else None
    write = not (args.diff or args.check)
    results = fix_files(files, settings, args.unsafe_fixes, write, args.paths)
    for result in results:
        if result.written:
            print(f"Rewriting {printable_path(result.path)}", file=err)
        if args.diff:
            out.write(result.diff)
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
    return EXIT_FINDINGS if summary.needs_attention else EXIT_CLEAN


def discover_command(args: argparse.Namespace, out: TextIO) -> int:
    config = load_config(args.config, Path.cwd())
    files = expand_paths(args.paths, _exclude(args, config))
    out.write(render_discovery(discover(files, args.paths), args.format))
    return EXIT_CLEAN


def rules_command(args: argparse.Namespace, out: TextIO) -> int:
    if args.code is None:
        width = max(len(rule.slug) for rule in RULES)
        out.write("".join(f"{r.code}  {r.slug:<{width}}  {r.summary}\n" for r in RULES))
        return EXIT_CLEAN
    rule = RULES_BY_CODE.get(args.code.upper())
    if rule is None:
        known = ", ".join(RULES_BY_CODE)
        raise UsageError(f"no rule {args.code!r}; the rules are {known}")
    out.write(render_rule(rule) + "\n")
    return EXIT_CLEAN
