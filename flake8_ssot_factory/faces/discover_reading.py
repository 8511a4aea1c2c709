"""discover's passes over the tree, in worker processes: what each file announces, then what
each file shows of the announced names.

Each pass hands chunks of paths to ``in_chunks``, which runs them in-process for a small tree
and in a pool of ``jobs`` processes otherwise, and gives the parts back in the paths' order, so
that the printed table does not depend on which worker finished first. No file's bytes are
kept: a later pass reads the files again (the page cache makes that cheap).
"""

from __future__ import annotations

import dataclasses
import os
import re
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Set, Tuple, TypeVar

from flake8_ssot_factory.engine.deprecations import Announcement, announcements
from flake8_ssot_factory.engine.module_names import module_imports, names_bound_by
from flake8_ssot_factory.engine.prefilter import spells_any
from flake8_ssot_factory.faces.discover_modules import ModuleNames, absolute
from flake8_ssot_factory.run.printable import shown_path
from flake8_ssot_factory.run.progress import ProgressLine
from flake8_ssot_factory.run.slow import SlowFileWatch
from flake8_ssot_factory.run.source import decode_source, parse_file, parsed, read_source_bytes

#: ``def name`` at the start of a line: the functions a module defines (not its methods, which
#: are indented). It starts with the newline, a literal: ``re`` finds it as ``bytes.find`` does.
_DEF = re.compile(rb"\n(?:async[ \t]+)?def[ \t]+(\w+)")
#: Bytes without which a file announces no deprecation: only such files are parsed.
_NEEDLES = (b"eprecat", b"no longer supported")
#: Files per task of a pool, and the fewest files worth a pool.
_CHUNK = 200
_FILES_WORTH_A_POOL = 400

#: Folders whose files use the code but do not define its API: what they announce is not a
#: migration of the code base (a test's own helper, a backup's copy, a script).
_ASIDE_FOLDERS = frozenset({"tests", "test", "backups", "backup", "scripts"})


def is_aside(path: str) -> bool:
    """Whether ``path`` is a test, a backup or a script (by its folders or its name)."""
    parts = os.path.normpath(path).split(os.sep)
    name = parts[-1]
    if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
        return True
    return any(part in _ASIDE_FOLDERS for part in parts[:-1])


@dataclasses.dataclass
class Reading:
    """What the first pass found."""

    #: The files that could be read, in order.
    readable: List[str] = dataclasses.field(default_factory=list)
    #: Every function the tree's modules define (not methods; not in tests, backups and
    #: scripts, unless everywhere), and the first file defining it: a replacement read from
    #: words must be one of them.
    defined: Dict[str, str] = dataclasses.field(default_factory=dict)
    #: (path, module, announcement), in order.
    found: List[Tuple[str, str, Announcement]] = dataclasses.field(default_factory=list)
    #: Per announcing file, the names its imports bind -> the absolute dotted name imported.
    imports: Dict[str, Dict[str, str]] = dataclasses.field(default_factory=dict)

    def add(self, other: Reading) -> None:
        self.readable += other.readable
        for name, path in other.defined.items():
            self.defined.setdefault(name, path)  # the first file, in the paths' order
        self.found += other.found
        self.imports.update(other.imports)


def announced_in(paths: Sequence[str], roots: Sequence[str], everywhere: bool) -> Reading:
    """The first pass over ``paths``: announcements (not in tests, backups and scripts unless
    ``everywhere``), and the names every file defines. A file that cannot be read or parsed is
    passed over: ``check`` reports it; discover proposes from the rest."""
    reading = Reading()
    module_of = ModuleNames(roots)
    defined: Dict[bytes, str] = {}
    with SlowFileWatch() as watch:
        for path in paths:
            try:
                data = read_source_bytes(path)
            except OSError:
                continue
            reading.readable.append(path)
            if not everywhere and is_aside(path):
                continue
            # A def on the first line too: the pattern starts with a newline.
            for name in [*_DEF.findall(b"\n" + data[:64]), *_DEF.findall(data)]:
                defined.setdefault(name, path)
            if not spells_any(data, _NEEDLES):
                continue
            with watch.reading(shown_path(path)):
                tree = parsed(decode_source(data).text)
                if tree is None:
                    continue
                module = module_of(path)
                reading.found += [(path, module, item) for item in announcements(tree)]
                is_package = path.endswith("__init__.py")
                reading.imports[path] = {
                    local: absolute(module, level, dotted, is_package)
                    for local, (level, dotted) in module_imports(tree)
                }
    reading.defined = {name.decode("utf-8", "replace"): path for name, path in defined.items()}
    return reading


def bound_names(path: Optional[str]) -> Set[str]:
    """The names a module binds at its top level (defined, imported, assigned); none for a
    module that is not in the tree or does not parse."""
    tree = parse_file(path) if path is not None else None
    if tree is None:
        return set()
    return {name for statement in tree.body for name in names_bound_by(statement)}


Part = TypeVar("Part")


def in_chunks(
    work: Callable[..., Part],
    paths: Sequence[str],
    arguments: Tuple[object, ...],
    jobs: int,
    reporter: ProgressLine,
) -> Iterator[Part]:
    """``work(chunk, *arguments)`` for each chunk of ``paths``, in order; in ``jobs``
    processes when the tree is worth a pool (``work`` is then sent by name: a module-level
    function)."""
    chunks = [paths[start : start + _CHUNK] for start in range(0, len(paths), _CHUNK)]
    tasks = [(work, (chunk, *arguments)) for chunk in chunks]
    done = 0
    if jobs == 1 or len(paths) < _FILES_WORTH_A_POOL:
        parts: Iterator[Part] = map(_apply, tasks)
        pool = None
    else:
        import multiprocessing

        pool = multiprocessing.Pool(jobs)
        parts = pool.imap(_apply, tasks)
    try:
        for chunk, part in zip(chunks, parts):
            yield part
            done += len(chunk)
            reporter.update(done)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()


def _apply(task: Tuple[Callable[..., Part], Tuple[object, ...]]) -> Part:
    work, arguments = task
    return work(*arguments)
