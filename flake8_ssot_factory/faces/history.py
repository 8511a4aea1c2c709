"""``ssot-factory report --history``: the migration's burn-down, commit by commit.

A table (text), JSON for dashboards, markdown with a Mermaid ``xychart-beta`` chart (GitHub,
GitLab and most wikis draw it with nothing installed), or a picture through matplotlib when it
is installed. Each says which commits added findings and, from the recent rate, when the
migration would be done.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, TextIO, Tuple

from flake8_ssot_factory import PROG
from flake8_ssot_factory.config.files import load_config
from flake8_ssot_factory.engine.catalogue import RULES
from flake8_ssot_factory.faces.escaping import markdown_text
from flake8_ssot_factory.faces.run_setup import UsageError, cache_key_of, exclude_of, settings_of
from flake8_ssot_factory.run.cache import cache_folder, fingerprint
from flake8_ssot_factory.run.discovery import Exclude
from flake8_ssot_factory.run.history import (
    BlobCache,
    Git,
    HistoryError,
    Row,
    UnseenPathError,
    commits_sampled,
    history_cache_file,
    read_history,
)
from flake8_ssot_factory.run.printable import printable
from flake8_ssot_factory.run.wording import ordinal, percent, plural

HISTORY_VERSION = 1
#: The projection is fitted on this many of the last commits.
PROJECTION_WINDOW = 10
_DAY = 86_400
CODES = tuple(rule.code for rule in RULES)


@dataclasses.dataclass(frozen=True)
class Projection:
    """The finish date the recent rate points to (None: no progress), and what it is fitted on."""

    finish: Optional[str]
    #: Findings fixed per day (positive when they go down).
    rate_per_day: float
    fitted_from: Row
    fitted_to: Row
    commits: int


@dataclasses.dataclass(frozen=True)
class Change:
    row: Row
    delta: int


@dataclasses.dataclass(frozen=True)
class HistoryReport:
    rows: List[Row]
    #: The revisions read, as given.
    revisions: str
    #: What else limited the rows, in words (" since 2026-01-01, every 2nd commit").
    limits: str
    #: The configuration the rules come from (None: the defaults).
    configuration: Optional[str]
    #: Named migrations of today's table (empty when unnamed).
    migrations: Tuple[str, ...] = ()
    #: The history ends early (a shallow clone).
    shallow_at: Optional[str] = None

    def scope(self, quote: Callable[[str], str] = str) -> str:
        """What was read, in words; ``quote`` writes the revisions for the output's medium."""
        return f"the first-parent history of {quote(self.revisions)}{self.limits}"

    @property
    def changes(self) -> List[Change]:
        return [
            Change(row, row.tally.total - before.tally.total)
            for before, row in zip(self.rows, self.rows[1:])
        ]

    @property
    def regressions(self) -> List[Change]:
        return [change for change in self.changes if change.delta > 0]

    def steepest(self) -> Tuple[Optional[Change], Optional[Change]]:
        """The largest drop and the largest rise between consecutive commits."""
        changes = self.changes
        drop = min(changes, key=lambda c: c.delta, default=None)
        rise = max(changes, key=lambda c: c.delta, default=None)
        return (
            drop if drop and drop.delta < 0 else None,
            rise if rise and rise.delta > 0 else None,
        )

    def projection(self) -> Optional[Projection]:
        """A least-squares line through the last commits' totals, to where it reaches zero."""
        window = self.rows[-PROJECTION_WINDOW:]
        if len(window) < 2:
            return None
        times = [row.commit.timestamp / _DAY for row in window]
        totals = [row.tally.total for row in window]
        mean_t, mean_y = sum(times) / len(times), sum(totals) / len(totals)
        spread = sum((t - mean_t) ** 2 for t in times)
        slope = (
            0.0
            if spread == 0
            else sum((t - mean_t) * (y - mean_y) for t, y in zip(times, totals)) / spread
        )
        last = window[-1]
        finish = None
        # Progress is a net fall over the window, not a slope that a rise and a fall cancel
        # to almost nothing (16, 26, 25, 16 fits a small negative slope).
        fell = last.tally.total < window[0].tally.total
        if slope < 0 and fell and last.tally.total > 0:
            # Where the line through the last point at this rate reaches zero.
            days = last.tally.total / -slope
            finish_at = last.commit.timestamp + days * _DAY
            finish = datetime.datetime.fromtimestamp(finish_at, datetime.timezone.utc).date()
        elif last.tally.total == 0:
            finish = datetime.date.fromisoformat(last.commit.date)
        return Projection(
            finish.isoformat() if finish else None, -slope, window[0], last, len(window)
        )


def _done(row: Row) -> float:
    tally = row.tally
    return percent(tally.migrated_calls, tally.migrated_calls + tally.calls_to_migrate)


def _projection_text(report: HistoryReport) -> str:
    projection = report.projection()
    if projection is None:
        return "projected finish: not enough history (one commit)"
    fitted = (
        f"fitted on the last {plural(projection.commits, 'commit')}, "
        f"{projection.fitted_from.commit.date} to {projection.fitted_to.commit.date}"
    )
    if projection.fitted_to.tally.total == 0:
        return f"done: no findings left since {projection.fitted_to.commit.date}"
    if projection.finish is None:
        return f"projected finish: no progress ({fitted})"
    return (
        f"projected finish: {projection.finish}, at {projection.rate_per_day:.2f} fewer "
        f"findings a day ({fitted})"
    )


def _summary_lines(report: HistoryReport) -> List[str]:
    rows = report.rows
    first, last = rows[0], rows[-1]
    lines = [
        f"first: {first.commit.date} {first.commit.short}, "
        f"{plural(first.tally.total, 'finding')}; last: {last.commit.date} "
        f"{last.commit.short}, {plural(last.tally.total, 'finding')} "
        f"({last.tally.total - first.tally.total:+d})"
    ]
    drop, rise = report.steepest()
    steep = []
    if drop is not None:
        steep.append(
            f"steepest drop: {drop.row.commit.date} {drop.row.commit.short} ({drop.delta:+d})"
        )
    if rise is not None:
        steep.append(
            f"steepest rise: {rise.row.commit.date} {rise.row.commit.short} ({rise.delta:+d})"
        )
    if steep:
        lines.append("; ".join(steep))
    regressions = report.regressions
    if regressions:
        listed = ", ".join(f"{c.row.commit.short} ({c.delta:+d})" for c in regressions)
        lines.append(f"commits that added findings: {listed}")
    else:
        lines.append("commits that added findings: none")
    lines.append(_projection_text(report))
    return lines


def _header(report: HistoryReport, quote: Callable[[str], str] = printable) -> str:
    """The first line; ``quote`` writes what came from outside (revisions, file names) for
    the output's medium."""
    judged = quote(report.configuration) if report.configuration else "the defaults"
    text = (
        f"{plural(len(report.rows), 'commit')} of {report.scope(quote)}, judged by today's "
        f"rules ({judged}{'' if report.configuration else ': no configuration file'})"
    )
    if report.shallow_at:
        text += f"; the clone is shallow: history starts at {report.shallow_at}"
    return text


def _columns(report: HistoryReport, row: Row) -> List[str]:
    tally = row.tally
    by_code = tally.by_code(CODES)
    cells = [row.commit.date, row.commit.short, str(tally.total)]
    cells += [str(by_code[code]) for code in CODES]
    if report.migrations:
        by_migration = tally.by_migration(report.migrations)
        cells += [str(by_migration[name]) for name in report.migrations]
    cells += [
        str(tally.migrated_calls),
        str(tally.calls_to_migrate),
        f"{_done(row)}%",
        str(tally.errors),
    ]
    return cells


def _titles(report: HistoryReport) -> List[str]:
    return [
        "date",
        "commit",
        "findings",
        *CODES,
        *report.migrations,
        "migrated",
        "left",
        "done",
        "errors",
    ]


def render_history(report: HistoryReport, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(as_json(report), indent=2) + "\n"
    if fmt == "markdown":
        return _markdown(report)
    return _text(report)


def _text(report: HistoryReport) -> str:
    table = [_titles(report)] + [_columns(report, row) for row in report.rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    lines = [_header(report), ""]
    for line in table:
        cells = [
            cell.ljust(width) if index < 2 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(line, widths))
        ]
        lines.append("  ".join(cells).rstrip())
    lines += ["", *_summary_lines(report)]
    return "\n".join(lines) + "\n"


def _markdown(report: HistoryReport) -> str:
    titles = _titles(report)
    lines = [
        "## Singleton factory migration: history",
        "",
        f"{_header(report, markdown_text)}.",
        "",
        "| " + " | ".join(titles) + " |",
        "|" + "|".join("---" if i < 2 else "---:" for i in range(len(titles))) + "|",
    ]
    for row in report.rows:
        cells = _columns(report, row)
        cells[1] = f"`{cells[1]}`"
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", *[f"- {line}" for line in _summary_lines(report)], "", *mermaid(report)]
    return "\n".join(lines) + "\n"


def mermaid(report: HistoryReport) -> List[str]:
    """A line chart of findings and call sites left, in Mermaid's ``xychart-beta``."""
    dates = [row.commit.date for row in report.rows]
    labels = [
        date if dates.count(date) == 1 else f"{date} {row.commit.short}"
        for date, row in zip(dates, report.rows)
    ]
    findings = [row.tally.total for row in report.rows]
    left = [row.tally.calls_to_migrate for row in report.rows]
    top = max([*findings, *left, 1])
    return [
        "```mermaid",
        "xychart-beta",
        '    title "SSF findings (upper line) and call sites left to migrate"',
        "    x-axis [" + ", ".join(f'"{label}"' for label in labels) + "]",
        f'    y-axis "count" 0 --> {top}',
        "    line [" + ", ".join(map(str, findings)) + "]",
        "    line [" + ", ".join(map(str, left)) + "]",
        "```",
    ]


def as_json(report: HistoryReport) -> Dict[str, Any]:
    projection = report.projection()
    return {
        "version": HISTORY_VERSION,
        "scope": report.scope(),
        "configuration": report.configuration,
        "shallow_at": report.shallow_at,
        "commits": [
            {
                "commit": row.commit.sha,
                "short": row.commit.short,
                "date": row.commit.date,
                "timestamp": row.commit.timestamp,
                "findings": {
                    "total": row.tally.total,
                    "by_code": row.tally.by_code(CODES),
                    **(
                        {"by_migration": row.tally.by_migration(report.migrations)}
                        if report.migrations
                        else {}
                    ),
                },
                "call_sites": {
                    "migrated": row.tally.migrated_calls,
                    "to_migrate": row.tally.calls_to_migrate,
                    "percent_migrated": _done(row),
                },
                "errors": row.tally.errors,
            }
            for row in report.rows
        ],
        "regressions": [
            {"commit": c.row.commit.sha, "date": c.row.commit.date, "added": c.delta}
            for c in report.regressions
        ],
        "projection": None
        if projection is None
        else {
            "finish": projection.finish,
            "rate_per_day": round(projection.rate_per_day, 4),
            "fitted_from": projection.fitted_from.commit.sha,
            "fitted_to": projection.fitted_to.commit.sha,
            "commits": projection.commits,
        },
    }


class PlotUnavailableError(Exception):
    """matplotlib is not installed; the message says how to install it."""


def plot_ready(file: Path) -> None:
    """Check what ``--plot FILE`` needs (the file type, matplotlib) before any work: a run
    of minutes should not end in "matplotlib is not installed"."""
    if file.suffix.lower() not in (".png", ".svg"):
        raise PlotUnavailableError(f"--plot: {file}: give a .png or .svg file")
    if not file.parent.is_dir():
        raise PlotUnavailableError(f"--plot: {file.parent}: no such folder")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise PlotUnavailableError(
            "--plot needs matplotlib: pip install 'flake8-ssot-factory[plot]'"
        ) from None


def plot_history(report: HistoryReport, file: Path) -> None:
    """The same chart as a picture (``.png`` or ``.svg``, by the file's name)."""
    plot_ready(file)
    import matplotlib

    matplotlib.use("Agg")  # no screen needed
    from matplotlib import pyplot

    # Days on the x axis (commits spaced as in time), labelled with dates at a few of them.
    dates = [row.commit.timestamp / _DAY for row in report.rows]
    step = max(1, len(dates) // 8)
    ticks = list(range(0, len(dates), step))
    figure, axes = pyplot.subplots(figsize=(9, 4.5))
    axes.plot(dates, [r.tally.total for r in report.rows], marker="o", label="SSF findings")
    axes.plot(
        dates,
        [r.tally.calls_to_migrate for r in report.rows],
        marker="s",
        label="call sites left to migrate",
    )
    axes.set_xticks([dates[i] for i in ticks], [report.rows[i].commit.date for i in ticks])
    axes.set_title("Singleton factory migration")
    axes.set_ylabel("count")
    axes.set_ylim(bottom=0)
    axes.legend()
    figure.autofmt_xdate()
    figure.savefig(file)
    pyplot.close(figure)


def history_command(args: argparse.Namespace, out: TextIO) -> int:
    """``report --history``: read the history git keeps, judge each commit by today's rules."""
    if args.plot:
        try:
            plot_ready(Path(args.plot))
        except PlotUnavailableError as error:
            raise UsageError(str(error)) from None
    config = load_config(args.config, Path.cwd())
    settings = settings_of(args, config)
    try:
        git = Git.of(Path.cwd())
        log = git.log(args.history, args.since, args.max_commits)
        if not log:
            since = f" made on {args.since} or later" if args.since else ""
            raise UsageError(f"{args.history}: no commits{since} in this range")
        reported = commits_sampled([commit for commit, _ in log], args.every)
        log = log[[commit for commit, _ in log].index(reported[0]) :]
        given = {_in_repository(path, git.root).rstrip("/"): path for path in args.paths}
        prefixes = list(given)
        folder = None if args.no_cache else cache_folder(args.cache_dir, config.folder)
        key = cache_key_of(folder) if folder else None
        cache = (
            BlobCache(history_cache_file(folder, fingerprint(settings, "history")), key)
            if folder and key
            else BlobCache(None)
        )
        exclude = Exclude(exclude_of(args, config))
        rows = read_history(
            git, log, reported, settings, exclude, prefixes, cache, args.jobs, sys.stderr
        )
        shallow_at = f"{rows[0].commit.date} {rows[0].commit.short}" if git.is_shallow() else None
    except UnseenPathError as error:
        raise UsageError(_unseen_path(given[error.path], args.history)) from None
    except HistoryError as error:
        raise UsageError(str(error)) from None
    problem = cache.save()
    if problem is not None:
        print(f"{PROG}: warning: {problem}; running without it", file=sys.stderr)
    report = HistoryReport(
        rows,
        args.history,
        _limits(args),
        ", ".join(str(origin) for origin in config.read) or None,
        tuple(m.name for m in settings.table if m.name),
        shallow_at,
    )
    out.write(render_history(report, args.format))
    if args.plot:
        try:
            plot_history(report, Path(args.plot))
        except PlotUnavailableError as error:
            raise UsageError(str(error)) from None
        print(f"{PROG}: wrote {args.plot}", file=sys.stderr)
    return 0


def _in_repository(path: str, root: Path) -> str:
    relative = os.path.relpath(os.path.abspath(path), root)
    if relative.startswith(os.pardir):
        raise UsageError(f"{path}: not inside the git work tree {root}")
    return "" if relative == "." else relative.replace(os.sep, "/")


def _unseen_path(path: str, revisions: str) -> str:
    message = f"{path}: no such path in any commit of {revisions}"
    if ".." in path or not os.path.exists(path):
        # "--history A..B" reads A..B as a path: --history's value is optional.
        message += f"; to give revisions, write --history={path}"
    return message


def _limits(args: argparse.Namespace) -> str:
    scope = ""
    if args.since:
        scope += f" since {args.since}"
    if args.max_commits:
        scope += f" (the last {plural(args.max_commits, 'commit')} at most)"
    if args.every > 1:
        scope += f", every {ordinal(args.every)} commit"
    return scope
