"""Which files a run checks: the paths given, folders walked for ``*.py``, excludes as flake8."""

from __future__ import annotations

import fnmatch
import os
import re
from typing import Iterable, List, Pattern, Sequence

#: flake8's default excludes, plus the virtualenv, build and cache folders ruff also skips.
DEFAULT_EXCLUDE = (
    ".svn",
    "CVS",
    ".bzr",
    ".hg",
    ".git",
    "__pycache__",
    ".tox",
    ".nox",
    ".eggs",
    "*.egg",
    ".venv",
    "venv",
    ".direnv",
    "build",
    "dist",
    "node_modules",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
)


class PathError(ValueError):
    """A path argument that does not exist."""


class Exclude:
    """flake8's matching: a path is excluded when its base name, or its absolute path, matches
    one of the patterns (fnmatch). Compiled once per run: it is asked for every file."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = tuple(patterns)
        self._any = _compile(self.patterns)
        # An absolute path starts with "/": only a pattern starting with "/" or a wildcard
        # can match one, so the others need not be tried against it.
        self._absolute = _compile(p for p in self.patterns if p[:1] in ("/", "*", "?", "["))

    def __call__(self, path: str) -> bool:
        return self.in_folder(os.path.basename(path), os.path.abspath(path))

    def in_folder(self, base: str, absolute: str) -> bool:
        """The same, for a walk that knows the name and the absolute path already."""
        if base not in {".", ".."} and self._any.match(os.path.normcase(base)):
            return True
        return bool(self._absolute.match(os.path.normcase(absolute)))


def _compile(patterns: Iterable[str]) -> Pattern[str]:
    translated = [fnmatch.translate(os.path.normcase(pattern)) for pattern in patterns]
    return re.compile("|".join(translated) if translated else "(?!)")


def expand_paths(paths: Iterable[str], exclude: Sequence[str]) -> List[str]:
    """Files to check, sorted. A named file is checked whatever its name; folders give ``*.py``.

    A folder entry named ``*.py`` that is not a file (a folder, a broken link) is returned too,
    so that the run reports it (E902) instead of silently passing it over.
    """
    is_excluded = Exclude(exclude)
    files: List[str] = []
    for path in paths:
        if not os.path.lexists(path):
            raise PathError(f"{path}: no such file or folder")
        if is_excluded(path) and path not in {".", ".."}:
            continue
        if os.path.isdir(path):
            files += _walk(path, is_excluded)
        else:
            files.append(path)
    return sorted(dict.fromkeys(files))


def _walk(top: str, is_excluded: Exclude) -> List[str]:
    found: List[str] = []
    separator = os.sep
    for folder, subfolders, names in os.walk(top):
        # One absolute path per folder; its entries' are joined to it (abspath per file is a
        # third of a warm run on a large tree).
        absolute = os.path.abspath(folder)
        kept = []
        for sub in subfolders:
            if is_excluded.in_folder(sub, absolute + separator + sub):
                continue
            if sub.endswith(".py"):
                found.append(os.path.join(folder, sub))  # reported as unreadable, not walked
            else:
                kept.append(sub)
        subfolders[:] = kept
        prefix = folder if folder.endswith(separator) else folder + separator
        found += [
            prefix + name
            for name in names
            if name.endswith(".py") and not is_excluded.in_folder(name, absolute + separator + name)
        ]
    return found
