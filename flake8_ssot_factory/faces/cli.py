"""``ssot-factory``: the standalone command. This module reads the arguments and hands them to
the command's own module, imported only then: a cached ``check`` need not load the fixer."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from typing import Optional, Sequence

import flake8_ssot_factory
from flake8_ssot_factory import PROG
from flake8_ssot_factory.config.files import ConfigError
from flake8_ssot_factory.config.settings import OPTIONS, SettingsError
from flake8_ssot_factory.faces.choices import DISCOVER_FORMATS, FORMATS, REPORT_FORMATS
from flake8_ssot_factory.faces.interrupts import Terminated, terminate_as_interrupt
from flake8_ssot_factory.faces.run_setup import UsageError
from flake8_ssot_factory.run.baseline import BaselineError
from flake8_ssot_factory.run.cache import CACHE_ENV, DEFAULT_FOLDER
from flake8_ssot_factory.run.discovery import PathError
from flake8_ssot_factory.run.runner import default_jobs
from flake8_ssot_factory.run.wording import LIST_AT_MOST

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
#: As a shell reports a process that SIGINT ended.
EXIT_INTERRUPTED = 130


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        # argparse would blame the top-level command; the usage that helps is the subcommand's.
        args.command_parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        with terminate_as_interrupt():
            return _dispatch(args)
    except Terminated:
        print(f"{PROG}: terminated", file=sys.stderr)
        return Terminated.code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (UsageError, SettingsError, ConfigError, BaselineError, PathError) as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (``ssot-factory check | head``): stop quietly, as Python's
        # documentation advises, so that the final flush at exit does not complain either.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FINDINGS


def _dispatch(args: argparse.Namespace) -> int:
    """Run the command; its module is imported here, so each command loads only what it uses."""
    if args.command != "check" and "-" in getattr(args, "paths", ()):
        raise UsageError(f"{args.command}: reads files; standard input (-) is for check only")
    if getattr(args, "show_settings", False):
        from flake8_ssot_factory.faces.show_settings import show_settings_command

        return show_settings_command(args, sys.stdout)
    if args.command == "rules":
        from flake8_ssot_factory.faces.docs import rules_command

        return rules_command(args, sys.stdout)
    if args.command == "fix":
        from flake8_ssot_factory.faces.fix_command import fix_command

        return fix_command(args, sys.stdout, sys.stderr)
    if args.command == "discover":
        from flake8_ssot_factory.faces.discover import discover_command
        from flake8_ssot_factory.faces.output import output_to

        with output_to(args.output_file, sys.stdout) as out:
            return discover_command(args, out)
    if args.command == "baseline":
        from flake8_ssot_factory.faces import checks

        return checks.baseline_command(args, checks.collect(args))
    from flake8_ssot_factory.faces.output import output_to

    if args.command == "report" and args.history is not None:
        from flake8_ssot_factory.faces.history import history_command

        with output_to(args.output_file, sys.stdout) as out:
            return history_command(args, out)
    from flake8_ssot_factory.faces import checks

    run = checks.collect(args)
    with output_to(args.output_file, sys.stdout) as out:
        if args.command == "report":
            return checks.report_command(args, run, out)
        return checks.check_command(args, run, out, sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Find, block and report uses of a retired singleton factory (SSF codes).",
    )
    parser.add_argument("--version", action=_PrintVersion, nargs=0, help="show the version")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="report violations (exit 1 when there are any)",
        description="Report violations; exit 1 when there are any, 2 on a usage error.",
    )
    _add_run_options(check, stdin=True)
    check.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="how violations are printed: text (flake8's path:line:col: CODE message), json, "
        "github (workflow annotations) or sarif (code scanning) (default: text)",
    )
    check.add_argument("--select", metavar="CODES", help="only these code prefixes (SSF0,SSF10)")
    check.add_argument("--ignore", metavar="CODES", help="not these code prefixes")
    check.add_argument(
        "--update-baseline",
        action="store_true",
        help="drop fixed findings from the baseline file (never adds new ones)",
    )
    check.add_argument("--show-source", action="store_true", help="print each line with a caret")
    check.add_argument("--statistics", action="store_true", help="count violations per code")
    check.add_argument(
        "--count",
        action="store_true",
        help="print the number of violations last (on stderr when --format is not text)",
    )
    check.add_argument("-q", "--quiet", action="store_true", help="print file names only")
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are violations"
    )
    _add_output_options(check, colour=True)

    baseline = commands.add_parser(
        "baseline",
        help="record today's findings in a baseline file",
        description="Record today's findings in a baseline file, so that check --baseline "
        "fails on new findings only (a migration that takes months).",
    )
    _add_run_options(baseline, with_baseline=False)
    baseline.add_argument(
        "--write",
        metavar="FILE",
        help="the baseline to write (default: the configured baseline file)",
    )

    report = commands.add_parser(
        "report",
        help="progress of the migration",
        description="How far the migration is: findings per code, folder and migration, call "
        "sites migrated and left; with --history, the same for each commit.",
    )
    _add_run_options(report)
    report.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        default="text",
        help="text, json (for dashboards) or markdown (for a pull request or wiki; with "
        "--history, a mermaid chart) (default: text)",
    )
    _add_output_options(report, colour=False)
    history = report.add_argument_group("history (read from git; the work tree is not touched)")
    history.add_argument(
        "--history",
        nargs="?",
        const="HEAD",
        metavar="REVISIONS",
        help="one row per commit of the first-parent history of REVISIONS (default: HEAD; a "
        "range like v1.0..main), judged by today's configuration",
    )
    history.add_argument(
        "--since",
        type=_day,
        metavar="YYYY-MM-DD",
        help="only commits made on that day or later (the committer date, in the commit's own "
        "time zone)",
    )
    history.add_argument(
        "--max-commits", type=_positive_int, metavar="N", help="only the last N commits"
    )
    history.add_argument(
        "--every",
        type=_positive_int,
        default=1,
        metavar="N",
        help="every N-th commit (the newest kept)",
    )
    history.add_argument(
        "--plot",
        metavar="FILE",
        help="also draw the chart into FILE (.png or .svg; needs matplotlib)",
    )

    fix = commands.add_parser(
        "fix",
        help="rewrite what can be migrated safely; say what is left",
        description="Rewrite what can be migrated without changing behaviour, and say why each "
        "finding left was left. --diff shows the rewrite without writing it.",
    )
    _add_run_options(fix)
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
        description="Read the deprecations the code announces (warnings, @deprecated, "
        "functions that only raise) and print a migration table that check loads as printed.",
    )
    discover_parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help=_PATH_HELP)
    discover_parser.add_argument(
        "--format",
        choices=DISCOVER_FORMATS,
        default="text",
        help="text (a table to paste into [flake8]), toml (a [tool.ssot-factory] table for "
        "pyproject.toml) or json (default: text)",
    )
    discover_parser.add_argument("--config", metavar="FILE", help=_CONFIG_HELP)
    discover_parser.add_argument(
        "--jobs",
        "-j",
        type=_positive_int,
        default=default_jobs(),
        help="worker processes; 1 runs in-process (default: the number of CPUs)",
    )
    discover_parser.add_argument("--extend-exclude", metavar="PATTERNS", help="more paths to skip")
    discover_parser.add_argument(
        "--all-folders",
        action="store_true",
        help="also take announcements and count uses in tests, backups and scripts (test_*.py, "
        "tests/, backups/, scripts/...; by default they are read only for how calls are written)",
    )
    _add_output_options(discover_parser, colour=False)

    rules = commands.add_parser(
        "rules",
        help="list the rules, or document one",
        description="List the rules, or print one rule's documentation.",
    )
    for command_parser in commands.choices.values():
        # Each command knows its parser: an unknown argument is shown with its own usage.
        command_parser.set_defaults(command_parser=command_parser)
    rules.add_argument(
        "code",
        nargs="?",
        metavar="RULE",
        help="a code or a rule's name: SSF004, deprecated-factory-string",
    )
    return parser


class _PrintVersion(argparse.Action):
    # argparse's own "version" action wants the text up front; reading the package metadata
    # only when asked keeps it off every other run's start-up.
    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(f"{PROG} {flake8_ssot_factory.__version__}")
        parser.exit()


_PATH_HELP = "files and folders (folders give their *.py files) (default: .)"
_CONFIG_HELP = (
    "read the settings from this file only: [flake8] of a setup.cfg, tox.ini or .flake8, or "
    "[tool.ssot-factory] and [tool.flake8] of a .toml file (default: found from the current "
    "folder upwards)"
)


def _add_output_options(parser: argparse.ArgumentParser, colour: bool) -> None:
    parser.add_argument(
        "--output-file",
        "-o",
        metavar="FILE",
        help="write the output to FILE instead of standard output",
    )
    if colour:
        parser.add_argument(
            "--color",
            choices=("auto", "always", "never"),
            default="auto",
            help="colour the text output: auto colours a terminal unless NO_COLOR is set "
            "(default: auto)",
        )


def _add_run_options(
    parser: argparse.ArgumentParser,
    with_baseline: bool = True,
    stdin: bool = False,
) -> None:
    if stdin:
        parser.add_argument(
            "paths",
            nargs="*",
            default=["."],
            metavar="PATH",
            help=_PATH_HELP[:-1] + "; - reads the source from standard input)",
        )
        parser.add_argument(
            "--stdin-filename",
            metavar="PATH",
            help="the file name that source read from standard input is reported under (as "
            "editors pass it; default: stdin)",
        )
    else:
        parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help=_PATH_HELP)
    parser.add_argument("--config", metavar="FILE", help=_CONFIG_HELP)
    parser.add_argument(
        "--show-settings",
        action="store_true",
        help="print the settings in effect and where each comes from, then exit",
    )
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
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        help=f"where results of unchanged files are kept (default: ${CACHE_ENV}, else "
        f"{DEFAULT_FOLDER} beside the configuration file or in the current folder)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="read and analyse every file; keep nothing"
    )
    group = parser.add_argument_group(
        "rule options (as in [tool.ssot-factory] without ssot-, or in [flake8])"
    )
    for spec in OPTIONS:
        if spec.is_flag:
            group.add_argument(
                f"--{spec.name}",
                action=argparse.BooleanOptionalAction,
                default=None,
                help=spec.help_with_default + " (default: off)",
            )
        else:
            group.add_argument(f"--{spec.name}", metavar="VALUE", help=spec.help_with_default)


def _positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number >= 1")
    return int(value)


def _day(value: str) -> str:
    """A calendar day, written ``YYYY-MM-DD`` (kept as text: it is compared with git's ``%cs``)."""
    import datetime

    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or day.isoformat() != value:
        raise argparse.ArgumentTypeError(f"{value!r} is not a day written YYYY-MM-DD")
    return value
