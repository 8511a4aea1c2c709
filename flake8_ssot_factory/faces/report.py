"""``ssot-factory report``: the migration at a glance (text, markdown, or JSON for dashboards)."""

from __future__ import annotations

import collections
import dataclasses
import json
import os
from typing import Any, Dict, List, Optional, Sequence

from flake8_ssot_factory.config.migrations import Migration
from flake8_ssot_factory.engine.catalogue import RULES, RULES_BY_CODE
from flake8_ssot_factory.faces.escaping import markdown_code
from flake8_ssot_factory.run.printable import printable, relative_path, unicode_path
from flake8_ssot_factory.run.results import FileResult
from flake8_ssot_factory.run.wording import noun, percent, plural

REPORT_VERSION = 1
#: Codes that mark a call site still to migrate (imports, references and strings are not calls).
CALL_SITE_CODES = ("SSF002", "SSF010", "SSF011")
TOP_FILES = 10


@dataclasses.dataclass(frozen=True)
class BaselineProgress:
    path: str
    recorded: int
    remaining: int
    new: int

    @property
    def fixed(self) -> int:
        return self.recorded - self.remaining


@dataclasses.dataclass(frozen=True)
class MigrationProgress:
    """One migration of the table: what is left of it, and how far its call sites are."""

    name: str
    shape: str
    findings: int
    migrated_calls: int
    calls_to_migrate: int

    @property
    def percent_migrated(self) -> Optional[float]:
        """None when the migration has no call sites to count (a move changes imports, a
        report has no replacement): "0 of 0 migrated (100%)" would say it is done."""
        sites = self.migrated_calls + self.calls_to_migrate
        return None if sites == 0 else percent(self.migrated_calls, sites)

    @property
    def call_sites(self) -> str:
        """The call sites in words, for the text and markdown reports."""
        sites = self.migrated_calls + self.calls_to_migrate
        if sites == 0:
            return f"– (a {self.shape} has no call sites to count; its findings are what is left)"
        migrated = f"{self.migrated_calls} of {plural(sites, 'call site')} migrated"
        return f"{migrated} ({self.percent_migrated}%)"


@dataclasses.dataclass(frozen=True)
class Progress:
    by_code: Dict[str, int]
    by_folder: Dict[str, int]
    top_files: List[tuple[str, int]]
    migrated_calls: int
    calls_to_migrate: int
    errors: int
    baseline: Optional[BaselineProgress] = None
    #: Per migration of the table, in its order.
    by_migration: List[MigrationProgress] = dataclasses.field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_code.values())

    @property
    def percent_migrated(self) -> float:
        return percent(self.migrated_calls, self.migrated_calls + self.calls_to_migrate)


def measure(
    results: Sequence[FileResult],
    baseline: Optional[BaselineProgress],
    table: Sequence[Migration] = (),
) -> Progress:
    by_code = {rule.code: 0 for rule in RULES}
    by_folder: collections.Counter[str] = collections.Counter()
    by_file: collections.Counter[str] = collections.Counter()
    per_migration: collections.Counter[str] = collections.Counter()
    to_migrate: collections.Counter[str] = collections.Counter()
    migrated: collections.Counter[str] = collections.Counter()
    errors = 0
    for result in results:
        migrated.update(result.migrated)
        for violation in result.violations:
            if violation.code not in RULES_BY_CODE:
                errors += 1
                continue
            by_code[violation.code] += 1
            path = relative_path(violation.path)  # escaped by each format
            by_folder[_top_folder(path)] += 1
            by_file[path] += 1
            per_migration[violation.migration] += 1
            if violation.code in CALL_SITE_CODES:
                to_migrate[violation.migration] += 1
    top = sorted(by_file.items(), key=lambda item: (-item[1], item[0]))[:TOP_FILES]
    names = list(dict.fromkeys(m.name for m in table))
    shapes = {m.name: m.shape for m in table}
    by_migration = [
        MigrationProgress(name, shapes[name], per_migration[name], migrated[name], to_migrate[name])
        for name in names
    ]
    return Progress(
        by_code=by_code,
        by_folder=dict(sorted(by_folder.items())),
        top_files=top,
        migrated_calls=sum(result.migrated_calls for result in results),
        calls_to_migrate=sum(by_code[code] for code in CALL_SITE_CODES),
        errors=errors,
        baseline=baseline,
        by_migration=by_migration,
    )


def _top_folder(path: str) -> str:
    parts = [part for part in os.path.normpath(path).split(os.sep) if part not in ("", ".")]
    return parts[0] if len(parts) > 1 else "."


def as_json(progress: Progress) -> Dict[str, Any]:
    baseline = progress.baseline
    return {
        "version": REPORT_VERSION,
        "findings": {
            "total": progress.total,
            "by_code": progress.by_code,
            "by_folder": {unicode_path(f): n for f, n in progress.by_folder.items()},
            "top_files": [
                {"path": unicode_path(path), "findings": n} for path, n in progress.top_files
            ],
        },
        "call_sites": {
            "migrated": progress.migrated_calls,
            "to_migrate": progress.calls_to_migrate,
            "percent_migrated": progress.percent_migrated,
        },
        **_migrations_json(progress),
        "errors": progress.errors,
        "baseline": None
        if baseline is None
        else {
            "path": unicode_path(baseline.path),
            "recorded": baseline.recorded,
            "fixed": baseline.fixed,
            "remaining": baseline.remaining,
            "new": baseline.new,
            "percent_fixed": percent(baseline.fixed, baseline.recorded),
        },
    }


def render_report(progress: Progress, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(as_json(progress), indent=2) + "\n"
    if fmt == "markdown":
        return _markdown(progress)
    return _text(progress)


def _migrations_json(progress: Progress) -> Dict[str, Any]:
    """Per migration, when the table names them (a dashboard may chart each)."""
    if not _named(progress):
        return {}
    return {
        "migrations": [
            {
                "name": item.name,
                "shape": item.shape,
                "findings": item.findings,
                "call_sites": {
                    "migrated": item.migrated_calls,
                    "to_migrate": item.calls_to_migrate,
                    "percent_migrated": item.percent_migrated,
                },
            }
            for item in progress.by_migration
        ]
    }


def _named(progress: Progress) -> bool:
    return any(item.name for item in progress.by_migration)


def _call_sites_line(progress: Progress) -> str:
    sites = progress.migrated_calls + progress.calls_to_migrate
    return (
        f"{progress.migrated_calls} of {plural(sites, 'call site')} migrated "
        f"({progress.percent_migrated}%), {progress.calls_to_migrate} to go"
    )


def _baseline_line(baseline: BaselineProgress, shown_path: str) -> str:
    return (
        f"{baseline.fixed} of {plural(baseline.recorded, 'baseline finding')} fixed "
        f"({percent(baseline.fixed, baseline.recorded)}%), {baseline.remaining} left, "
        f"{baseline.new} new since {shown_path}"
    )


def _text(progress: Progress) -> str:
    lines = [f"SSF findings: {progress.total}", _call_sites_line(progress)]
    if progress.baseline is not None:
        lines.append(_baseline_line(progress.baseline, printable(progress.baseline.path)))
    if progress.errors:
        lines.append(f"files not checked (E902/E999): {progress.errors}")
    if _named(progress):
        lines += ["", "by migration:"]
        width = max(len(item.name) for item in progress.by_migration)
        lines += [
            f"  {item.name:<{width}}  {item.findings:>6} {noun(item.findings, 'finding'):<8}  "
            f"{item.call_sites}  [{item.shape}]"
            for item in progress.by_migration
        ]
    lines += ["", "by code:"]
    lines += [
        f"  {code}  {count:>6}  {RULES_BY_CODE[code].summary}"
        for code, count in progress.by_code.items()
    ]
    lines += ["", "by top-level folder:"]
    lines += [f"  {count:>6}  {printable(folder)}" for folder, count in progress.by_folder.items()]
    lines += ["", f"files with the most findings (top {TOP_FILES}):"]
    lines += [f"  {count:>6}  {printable(path)}" for path, count in progress.top_files]
    return "\n".join(lines) + "\n"


def _markdown(progress: Progress) -> str:
    lines = [
        "## Singleton factory migration",
        "",
        f"**{progress.total}** SSF findings; {_call_sites_line(progress)}.",
    ]
    if progress.baseline is not None:
        shown = markdown_code(progress.baseline.path, in_table=False)
        lines.append(f"{_baseline_line(progress.baseline, shown)}.")
    if progress.errors:
        lines.append(f"{plural(progress.errors, 'file')} could not be checked (E902/E999).")
    if _named(progress):
        lines += [
            "",
            "| migration | shape | findings | call sites migrated |",
            "|---|---|---:|---:|",
        ]
        lines += [
            f"| {markdown_code(item.name)} | {item.shape} | {item.findings} | "
            + (
                f"{item.migrated_calls} of {item.migrated_calls + item.calls_to_migrate} "
                f"({item.percent_migrated}%) |"
                if item.percent_migrated is not None
                else "– |"
            )
            for item in progress.by_migration
        ]
    lines += ["", "| code | findings | what |", "|---|---:|---|"]
    lines += [
        f"| {code} | {count} | {RULES_BY_CODE[code].summary} |"
        for code, count in progress.by_code.items()
    ]
    lines += ["", "| top-level folder | findings |", "|---|---:|"]
    lines += [f"| {markdown_code(f)} | {count} |" for f, count in progress.by_folder.items()]
    lines += ["", f"| file (top {TOP_FILES}) | findings |", "|---|---:|"]
    lines += [f"| {markdown_code(path)} | {count} |" for path, count in progress.top_files]
    return "\n".join(lines) + "\n"
