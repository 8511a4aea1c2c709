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
from typing import AbstractSet, Counter, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from flake8_ssot_factory.engine.catalogue import RULES_BY_CODE
from flake8_ssot_factory.run.atomic import write_output
from flake8_ssot_factory.run.printable import unicode_path
from flake8_ssot_factory.run.source import NotARegularFileError, TooLargeError, read_source_bytes

FORMAT_VERSION = 1
#: Past any baseline: one entry per finding line, a real code base's about 2 MiB.
SIZE_CAP = 256 * 2**20

#: (path relative to the baseline's folder with ``/``, code, stripped line text, migration)
Key = Tuple[str, str, str, str]


#: A file that does not parse on the running Python (a PEP 701 f-string under 3.11): recorded
#: like a finding, keyed by its message, so that a tree holding one can still be baselined.
SYNTAX_ERROR = "E999"


def is_recorded(code: str) -> bool:
    """Whether a baseline records findings of ``code``: the rules', and E999 (not E902: a
    file that cannot be read says nothing stable about itself)."""
    return code in RULES_BY_CODE or code == SYNTAX_ERROR


def recorded_text(code: str, source: str, message: str) -> str:
    """What a baseline entry keys a finding by besides its file: its line, or for E999 the
    error's message (the line it points at is often not the one that changed)."""
    return message if code == SYNTAX_ERROR else source


class BaselineError(ValueError):
    """A baseline file that cannot be used; the message is one line naming it."""


@dataclasses.dataclass(frozen=True)
class Baseline:
    """Recorded findings. Paths are relative to ``root``, the baseline file's folder."""

    root: Path
    counts: Mapping[Key, int]

    def key(self, path: str, code: str, line_text: str, migration: str = "") -> Key:
        return self.relative_path(path), code, line_text.strip(), migration

    def relative_path(self, path: str) -> str:
        relative = os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")
        return unicode_path(relative)

    def keep_new(self, keys: Sequence[Key]) -> List[bool]:
        """For each finding's key (in order), whether it is new, i.e. beyond the recorded count."""
        remaining = collections.Counter(self.counts)
        return [take(remaining, key) is None for key in keys]


def take(remaining: Counter[Key], key: Key) -> Optional[Key]:
    """The entry that records the finding ``key``, taken from ``remaining`` (two identical
    lines need two entries); an entry written before its migration had a name matches too."""
    for entry in (key, (*key[:3], "")):
        if remaining[entry] > 0:
            remaining[entry] -= 1
            return entry
    return None


@dataclasses.dataclass(frozen=True)
class Comparison:
    """A run's findings against a baseline."""

    #: Findings' keys that are in the baseline (up to its counts).
    matched: Counter[Key]
    #: Entries of checked files that no finding matched any more: fixed since the baseline.
    stale: int
    #: The baseline as --update-baseline writes it: matched counts only, never a new entry.
    ratcheted: Mapping[Key, int]


def compare(
    baseline: Baseline,
    keys: Iterable[Key],
    checked_paths: Iterable[str],
    migrations: Optional[AbstractSet[str]] = None,
) -> Comparison:
    """``migrations``: the migrations the run looked for (None: all); entries of the others are
    not judged, as entries of files not checked are not."""
    remaining = collections.Counter(baseline.counts)
    matched: Counter[Key] = collections.Counter()
    for key in keys:
        entry = take(remaining, key)
        if entry is not None:
            matched[entry] += 1
    checked = {baseline.relative_path(path) for path in checked_paths}
    ratcheted: Dict[Key, int] = {}
    stale = 0
    for key, count in baseline.counts.items():
        looked_at = migrations is None or key[3] in migrations
        if key[0] not in checked or not looked_at:
            ratcheted[key] = count  # not looked at in this run: kept as it is
            continue
        seen = matched[key]
        stale += count - seen
        if seen:
            ratcheted[key] = seen
    return Comparison(matched, stale, ratcheted)


def load_baseline(path: str, option: str = "--baseline") -> Baseline:
    """Read a baseline file; ``option`` names it in errors (the plugin's is --ssot-baseline)."""
    try:
        # Only a regular file is read: /dev/zero would be read until memory runs out, and a
        # pipe nobody writes would block the run (and the flake8 plugin) for ever.
        document = json.loads(read_source_bytes(path, SIZE_CAP).decode("utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{option}: {path}: no such file") from None
    except NotARegularFileError as error:
        raise BaselineError(f"{option}: {path}: {error.strerror}, not a regular file") from None
    except TooLargeError as error:
        raise BaselineError(f"{option}: {path}: {error.strerror}, not a baseline") from None
    except RecursionError:
        raise BaselineError(f"{option}: {path}: nested too deeply to be a baseline") from None
    except (OSError, ValueError) as error:
        raise BaselineError(f"{option}: {path}: not readable JSON ({error})") from None
    counts: Dict[Key, int] = {}
    shape_error = _shape_error(document)
    if shape_error is not None:
        raise BaselineError(f"{option}: {path}: not a baseline file ({shape_error})")
    try:
        if document["version"] != FORMAT_VERSION:
            raise BaselineError(
                f"{option}: {path}: format version {document['version']!r}, "
                f"this tool reads {FORMAT_VERSION}"
            )
        for entry in document["findings"]:
            migration = str(entry.get("migration") or "")
            key = (str(entry["path"]), str(entry["code"]), str(entry["line"]), migration)
            count = entry["count"]
            if not isinstance(count, int) or count < 1:
                raise BaselineError(f"{option}: {path}: count {count!r} is not a number >= 1")
            counts[key] = counts.get(key, 0) + count
    except KeyError as error:
        raise BaselineError(f"{option}: {path}: not a baseline file (missing {error})") from None
    return Baseline(Path(path).resolve().parent, counts)


def _shape_error(document: object) -> Optional[str]:
    """What is wrong with the JSON's shape, in words (None: an object with a list of
    findings, each an object)."""
    if not isinstance(document, dict):
        return f"a JSON {_json_kind(document)}, not an object with 'findings'"
    findings = document.get("findings")
    if not isinstance(findings, list):
        return f"'findings' is {_json_kind(findings)}, not a list"
    for index, entry in enumerate(findings):
        if not isinstance(entry, dict):
            return f"findings[{index}] is {_json_kind(entry)}, not an object"
    return None


def _json_kind(value: object) -> str:
    if value is None:
        return "missing"
    kinds = {list: "array", dict: "object", str: "string", bool: "boolean"}
    return kinds.get(type(value), "number")


def render_baseline(counts: Mapping[Key, int]) -> str:
    """The file's text: sorted and indented, so that it diffs well and is the same everywhere."""
    findings = [
        {
            "path": path,
            "code": code,
            "line": line,
            **({"migration": migration} if migration else {}),
            "count": count,
        }
        for (path, code, line, migration), count in sorted(counts.items())
        if count > 0 and is_recorded(code)
    ]
    document = {"tool": "flake8-ssot-factory", "version": FORMAT_VERSION, "findings": findings}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: str, counts: Mapping[Key, int]) -> None:
    """Write the baseline file ``path`` whole (the previous one stays if that fails: a folder
    not writable, a full disk), or :class:`BaselineError` saying why."""
    try:
        write_output(Path(path), render_baseline(counts).encode("utf-8"))
    except OSError as error:
        reason = error.strerror or str(error)
        raise BaselineError(f"{path}: cannot write the baseline: {reason}") from None
