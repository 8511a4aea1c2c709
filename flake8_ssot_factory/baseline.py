"""A baseline: today's findings, recorded so that CI fails on new ones only while the migration
goes on. A finding is known by its file, its code and the stripped text of its line (with a count
for repeats), so it survives lines being added above it.
"""

from __future__ import annotations

import collections
import dataclasses
import json
import os
from pathlib import Path
from typing import Counter, Dict, Iterable, List, Mapping, Sequence, Tuple

from flake8_ssot_factory.atomic import write_text_atomically
from flake8_ssot_factory.catalogue import RULES_BY_CODE
from flake8_ssot_factory.source import printable_path

FORMAT_VERSION = 1

#: (path relative to the baseline's folder with ``/``, code, stripped line text)
Key = Tuple[str, str, str]


class BaselineError(ValueError):
    """A baseline file that cannot be used; the message is one line naming it."""


@dataclasses.dataclass(frozen=True)
class Baseline:
    """Recorded findings. Paths are relative to ``root``, the baseline file's folder."""

    root: Path
    counts: Mapping[Key, int]

    def key(self, path: str, code: str, line_text: str) -> Key:
        return self.relative_path(path), code, line_text.strip()

    def relative_path(self, path: str) -> str:
        relative = os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")
        return printable_path(relative)

    def keep_new(self, keys: Sequence[Key]) -> List[bool]:
        """For each finding's key (in order), whether it is new, i.e. beyond the recorded count."""
        remaining = collections.Counter(self.counts)
        keep = []
        for key in keys:
            if remaining[key] > 0:
                remaining[key] -= 1
                keep.append(False)
            else:
                keep.append(True)
        return keep


@dataclasses.dataclass(frozen=True)
class Comparison:
    """A run's findings against a baseline."""

    #: Findings' keys that are in the baseline (up to its counts).
    matched: Counter[Key]
    #: Entries of checked files that no finding matched any more: fixed since the baseline.
    stale: int
    #: The baseline as --update-baseline writes it: matched counts only, never a new entry.
    ratcheted: Mapping[Key, int]


def compare(baseline: Baseline, keys: Iterable[Key], checked_paths: Iterable[str]) -> Comparison:
    found = collections.Counter(keys)
    checked = {baseline.relative_path(path) for path in checked_paths}
    matched: Counter[Key] = collections.Counter()
    ratcheted: Dict[Key, int] = {}
    stale = 0
    for key, count in baseline.counts.items():
        if key[0] not in checked:
            ratcheted[key] = count  # not looked at in this run: kept as it is
            continue
        seen = min(count, found[key])
        matched[key] = seen
        stale += count - seen
        if seen:
            ratcheted[key] = seen
    return Comparison(matched, stale, ratcheted)


def load_baseline(path: str, option: str = "--baseline") -> Baseline:
    """Read a baseline file; ``option`` names it in errors (the plugin's is --ssot-baseline)."""
    try:
        with open(path, encoding="utf-8") as stream:
            document = json.load(stream)
    except FileNotFoundError:
        raise BaselineError(f"{option}: {path}: no such file") from None
    except (OSError, ValueError) as error:
        raise BaselineError(f"{option}: {path}: not readable JSON ({error})") from None
    counts: Dict[Key, int] = {}
    try:
        if document["version"] != FORMAT_VERSION:
            raise BaselineError(
                f"{option}: {path}: format version {document['version']!r}, "
                f"this tool reads {FORMAT_VERSION}"
            )
        for entry in document["findings"]:
            key = (str(entry["path"]), str(entry["code"]), str(entry["line"]))
            count = entry["count"]
            if not isinstance(count, int) or count < 1:
                raise BaselineError(f"{option}: {path}: count {count!r} is not a number >= 1")
            counts[key] = counts.get(key, 0) + count
    except (KeyError, TypeError) as error:
        raise BaselineError(f"{option}: {path}: not a baseline file (missing {error})") from None
    return Baseline(Path(path).resolve().parent, counts)


def render_baseline(counts: Mapping[Key, int]) -> str:
    """The file's text: sorted and indented, so that it diffs well and is the same everywhere."""
    findings = [
        {"path": path, "code": code, "line": line, "count": count}
        for (path, code, line), count in sorted(counts.items())
        if count > 0 and code in RULES_BY_CODE
    ]
    document = {"tool": "flake8-ssot-factory", "version": FORMAT_VERSION, "findings": findings}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: str, counts: Mapping[Key, int]) -> None:
    write_text_atomically(Path(path), render_baseline(counts))
