"""Fixing many files together: what one module's fix may do depends on the others.

A module that another file imports a name from (``from app.chat import D``), or patches
(``mock.patch("app.chat.D")``), must keep that name bound after the fix; a file may only come
to rely on ``app.chat.R`` (a renamed import, a rewritten patch target, ``mod.R(ctx)``) if that
module binds R after the fix. Modules are matched to the files being fixed by their dotted
path; a module that is not among them is not judged (the deprecated function's own module
defines the replacement).

Each file is planned alone first; then every file's needs after the fix are checked against
the other files' names after the fix, and a file whose plan breaks a need is planned again
with a constraint: "keep D bound" for the module that lost it, "R is not there" for the file
that wanted it. Constraints only ever remove fixes, so this settles in a few rounds.
"""

from __future__ import annotations

import ast
import dataclasses
import os
from typing import AbstractSet, Dict, List, Mapping, Optional, Sequence, Set, Tuple

from flake8_ssot_factory.config.migrations import CONTEXT, MOVE, RENAME
from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.engine.module_names import ModuleRef
from flake8_ssot_factory.fixer.constraints import Constraints, Why
from flake8_ssot_factory.fixer.interface import NOTHING, Interface, Need
from flake8_ssot_factory.fixer.move_results import Difference, class_members, difference
from flake8_ssot_factory.fixer.reach import Functions, Reached
from flake8_ssot_factory.fixer.text import TextFix, fix_text
from flake8_ssot_factory.run.printable import printable, shown_path
from flake8_ssot_factory.run.slow import SlowFileWatch
from flake8_ssot_factory.run.source import parse_file, parsed

#: Rounds of re-planning before giving up on a file (each round only adds constraints).
_MAX_ROUNDS = 8
#: Fewer files than this are planned in-process: starting workers would cost more.
_FILES_WORTH_A_POOL = 32


class ModuleIndex:
    """The files being fixed, found by the dotted module paths that name them."""

    def __init__(self, paths: Sequence[str]) -> None:
        self._by_last: Dict[str, List[Tuple[Tuple[str, ...], str]]] = {}
        self._by_location: Dict[str, str] = {}
        for path in paths:
            location = os.path.splitext(os.path.abspath(path))[0]
            if os.path.basename(location) == "__init__":
                location = os.path.dirname(location)
            parts = tuple(location.split(os.sep))
            self._by_last.setdefault(parts[-1], []).append((parts, path))
            self._by_location[location] = path

    def resolve(self, module: ModuleRef, importer: str) -> List[str]:
        level, dotted = module
        parts = tuple(p for p in dotted.split(".") if p)
        if level == 0:
            if not parts:
                return []
            return [
                path
                for candidate, path in self._by_last.get(parts[-1], [])
                if candidate[-len(parts) :] == parts
            ]
        base = os.path.dirname(os.path.abspath(importer))
        for _ in range(level - 1):
            base = os.path.dirname(base)
        found = self._by_location.get(os.path.join(base, *parts))
        return [found] if found is not None else []

    def module_file(self, module: ModuleRef, importer: str) -> Optional[str]:
        """The file that is ``module``: copies of the tree inside the tree (backups/.../app/x.py)
        claim the name too, and the one nearest the top is the module itself; None when no file
        is, or two as near cannot be told apart."""
        depths = sorted(
            (os.path.abspath(p).count(os.sep), p) for p in self.resolve(module, importer)
        )
        if not depths or (len(depths) > 1 and depths[0][0] == depths[1][0]):
            return None
        return depths[0][1]


class _TreeReader:
    """A module's syntax tree by its dotted name, from the files given (read once)."""

    def __init__(self, index: ModuleIndex, texts: Mapping[str, str]) -> None:
        self._index = index
        self._texts = texts
        self._trees: Dict[str, Optional[ast.Module]] = {}

    def __call__(self, module: str) -> Optional[ast.Module]:
        if module not in self._trees:
            self._trees[module] = self._read(module)
        return self._trees[module]

    def _read(self, module: str) -> Optional[ast.Module]:
        path = self._index.module_file((0, module), "")
        if path is None:
            return None
        text = self._texts.get(path)
        return parse_file(path) if text is None else parsed(text)


@dataclasses.dataclass
class _File:
    path: str
    text: str
    constraints: Constraints = dataclasses.field(default_factory=Constraints)
    outcome: Optional[TextFix] = None

    @property
    def before(self) -> Interface:
        return self.outcome.before if self.outcome else NOTHING

    @property
    def after(self) -> Interface:
        return self.outcome.after_interface if self.outcome else NOTHING


def fix_texts(
    texts: Mapping[str, str],
    other_paths: Sequence[str],
    settings: Settings,
    unsafe: bool,
    jobs: int = 1,
) -> Dict[str, TextFix]:
    """Fix the modules ``texts`` (path -> text) together; ``other_paths`` are the other files
    given, which do not spell a watched name (so bind none and need none). Each round plans
    its files independently of each other, in ``jobs`` worker processes; only the checks
    between rounds look at all files."""
    names = {
        name
        for migration in settings.table
        if migration.shape in (CONTEXT, RENAME)
        for name in (migration.replacement, *migration.deprecated)
    }
    index = ModuleIndex([*texts, *other_paths])
    tree_of = _TreeReader(index, texts)
    # Read once for every round: what the old and new functions accept and return where
    # defined here, and what each moved name's new module binds against the old.
    functions = Functions(
        texts, names, index, lambda path, tree, name: class_members(path, tree, name, tree_of)
    )
    known = Constraints(
        definitions=functions.definitions(), differences=_differences(settings, tree_of)
    )
    files = {
        path: _File(
            path, text, dataclasses.replace(known, reached=_reached_by(path, functions, names))
        )
        for path, text in texts.items()
    }
    pending: Set[str] = set(files)
    for _ in range(_MAX_ROUNDS):
        planned = sorted(pending)
        tasks = [(p, files[p].text, settings, unsafe, files[p].constraints) for p in planned]
        for path, outcome in zip(planned, _fix_each(tasks, jobs)):
            files[path].outcome = outcome
        pending = _constrain(files, index)
        if not pending:
            break
    return {path: entry.outcome for path, entry in files.items() if entry.outcome is not None}


def _differences(settings: Settings, tree_of: _TreeReader) -> Dict[str, Difference]:
    """How each moved name's new module binds it, against the old one's (where both read)."""
    found = {
        name: difference(name, migration.old_module, migration.new_module, tree_of)
        for migration in settings.table
        if migration.shape == MOVE
        for name in migration.deprecated
    }
    return {name: each for name, each in found.items() if each is not None}


def _reached_by(
    path: str, functions: Functions, names: AbstractSet[str]
) -> Dict[Tuple[ModuleRef, str], Reached]:
    """What each module this file imports an old or new function from gives for each name."""
    modules = {module for module, _ in functions.imports_of(path)}
    found = {
        (module, name): functions.reached(path, module, name)
        for module in modules
        for name in names
    }
    return {key: reached for key, reached in found.items() if reached is not None}


_Task = Tuple[str, str, Settings, bool, Constraints]


def _fix_each(tasks: List[_Task], jobs: int) -> List[TextFix]:
    if jobs <= 1 or len(tasks) < _FILES_WORTH_A_POOL:
        return [_fix_one(task) for task in tasks]
    import multiprocessing  # loaded only for a large fix

    with multiprocessing.Pool(min(jobs, len(tasks))) as pool:
        # A few chunks a worker: files differ in length, so that none waits long for another.
        return pool.map(_fix_one, tasks, chunksize=max(1, len(tasks) // (4 * jobs)))


def _fix_one(task: _Task) -> TextFix:
    path, text, settings, unsafe, constraints = task
    with SlowFileWatch() as watch, watch.reading(printable(path)):
        return fix_text(text, settings, unsafe, constraints)


def _constrain(files: Mapping[str, _File], index: ModuleIndex) -> Set[str]:
    """Add the constraints that the planned fixes call for; the files to plan again."""
    keep: Dict[str, Dict[str, Why]] = {}
    refuse: Dict[str, Dict[Need, Why]] = {}
    for importer in files.values():
        for need in importer.after.needs:
            module, name = need
            for target in index.resolve(module, importer.path):
                provider = files.get(target)
                before = provider.before if provider else NOTHING
                after = provider.after if provider else NOTHING
                if after.offers(name):
                    continue
                if before.offers(name):  # the module's own fix took the name away
                    reason = f"{name} stays: another file uses it from this module"
                    detail = f"{shown_path(importer.path)} uses {_dotted(module)}.{name}"
                    keep.setdefault(target, {}).setdefault(name, (reason, detail))
                elif need not in importer.before.needs:
                    reason = f"the module it comes from does not define {name}"
                    why = (reason, _dotted(module))
                    refuse.setdefault(importer.path, {}).setdefault(need, why)
    again: Set[str] = set()
    for path, names in keep.items():
        entry = files[path]
        merged = {**names, **entry.constraints.keep}
        if merged.keys() != entry.constraints.keep.keys():
            entry.constraints = dataclasses.replace(entry.constraints, keep=merged)
            again.add(path)
    for path, needs in refuse.items():
        entry = files[path]
        merged_needs = {**needs, **entry.constraints.refuse}
        if merged_needs.keys() != entry.constraints.refuse.keys():
            entry.constraints = dataclasses.replace(entry.constraints, refuse=merged_needs)
            again.add(path)
    return again


def _dotted(module: ModuleRef) -> str:
    level, dotted = module
    return "." * level + dotted
