"""Where a retired name lives in the tree: the module that defines it, the modules that
re-export it, and the files that use it from there.

``discover`` writes each old name qualified by these modules (``pkg.mod.old, pkg.api.old``), so
that ``check`` flags only uses of *that* name, not every method or local function that happens
to share it (``execute_agent`` is both a retired function and a method of the new API).

A module re-exports a name when it imports it from one of the name's modules *and* something
relies on finding it there: another file imports it from that module, a string patches it
there (``"pkg.routes.old"``: ``mock.patch`` replaces the name where it is used), or the module is
a package's ``__init__``. Followed to a fixed point, so re-exports of re-exports count.

Read from bytes with patterns that cannot backtrack, each starting with a literal so that
``re`` skips to it as ``bytes.find`` does: ``from X import (...)`` statements and the names
right after a ``.`` (``mod.old``, ``"pkg.mod.old"``); nothing is parsed. A statement spelt in a
docstring counts as one: it can only add a module to an entry, never lose a use.
"""

from __future__ import annotations

import dataclasses
import os
import re
from typing import (
    AbstractSet,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
    Tuple,
)

from flake8_ssot_factory.engine.prefilter import words_after_a_dot
from flake8_ssot_factory.run.source import read_source_bytes

#: ``from X import a, b as c`` or ``from X import (...)``; an open parenthesis is followed
#: for at most 4,000 bytes (a statement never holds that many), so a file of unclosed ones is
#: still read in linear time. It starts with the word itself (not ``^`` nor ``\b``): ``re``
#: then looks for "from" as fast as ``bytes.find`` does, instead of trying every position;
#: the byte before is checked apart.
_FROM_IMPORT = re.compile(rb"from[ \t]+([\w.]+)[ \t]+import[ \t]*(\([^)]{0,4000}\)|[^\n]*)")
_COMMENT = re.compile(rb"#[^\n]*")
#: How far back from a name its dotted prefix is read (``pkg.mod.`` of ``"pkg.mod.old"``).
_PREFIX_AT_MOST = 300
_QUOTES = (b'"', b"'")


@dataclasses.dataclass(frozen=True)
class Import:
    """``from source import name [as local]`` in ``importer``."""

    importer: str
    source: str
    local: str
    #: The importer is a package's ``__init__``: what it imports is its public face.
    from_package: bool
    path: str


@dataclasses.dataclass
class Sightings:
    """What the pass over the tree saw of the retired names."""

    #: name -> its imports, in every file.
    imports: Dict[str, List[Import]] = dataclasses.field(default_factory=dict)
    #: name -> modules a quoted string names it in (``"pkg.mod.name"`` gives ``pkg.mod``).
    patched: Dict[str, Set[str]] = dataclasses.field(default_factory=dict)
    #: path -> name -> whole-word occurrences in that file (files with any only).
    words: Dict[str, Dict[str, int]] = dataclasses.field(default_factory=dict)
    #: path -> its dotted module, for the files above.
    modules: Dict[str, str] = dataclasses.field(default_factory=dict)
    #: path -> name -> the words written before ``.name`` (``mod`` of ``mod.name``).
    prefixes: Dict[str, Dict[str, Set[str]]] = dataclasses.field(default_factory=dict)
    #: name -> (calls, calls that pass nothing), for the names asked (see ``count_calls``).
    calls: Dict[str, Tuple[int, int]] = dataclasses.field(default_factory=dict)
    #: (module, name) -> the files importing ``name`` from ``module``, for the modules asked
    #: (a module whose own warning retires it as a whole).
    from_modules: Dict[Tuple[str, str], Set[str]] = dataclasses.field(default_factory=dict)

    def add(self, other: Sightings) -> None:
        """Take in what another pass saw (a worker's, over other files)."""
        for name, imports in other.imports.items():
            self.imports.setdefault(name, []).extend(imports)
        for name, modules in other.patched.items():
            self.patched.setdefault(name, set()).update(modules)
        self.words.update(other.words)
        self.modules.update(other.modules)
        self.prefixes.update(other.prefixes)
        for key, paths in other.from_modules.items():
            self.from_modules.setdefault(key, set()).update(paths)
        for name, (calls, empty) in other.calls.items():
            self.count_calls(name, calls, empty)

    def count_calls(self, name: str, calls: int, empty: int) -> None:
        """Add ``calls`` of ``name``, ``empty`` of which pass nothing."""
        before = self.calls.get(name, (0, 0))
        self.calls[name] = (before[0] + calls, before[1] + empty)


def sightings_in(
    paths: Sequence[str],
    names: AbstractSet[str],
    called: AbstractSet[str],
    roots: Sequence[str],
    modules: AbstractSet[str] = frozenset(),
    defining: Optional[Mapping[str, AbstractSet[str]]] = None,
) -> Sightings:
    """What ``paths`` show of ``names``, how the ``called`` ones are called, and which names
    are imported from ``modules``; ``defining``: the names each announcing file defines (a
    file that cannot be read is passed over: ``check`` reports it)."""
    found = Sightings()
    after_dots = words_after_a_dot(names)
    module_of = ModuleNames(roots)
    for path in paths:
        try:
            data = read_source_bytes(path)
        except OSError:
            continue
        defined = (defining or {}).get(path, frozenset())
        sight(path, module_of, data, names, after_dots, defined, found)
        if modules:
            _imports_from(path, module_of, data, modules, found)
        for name in called & found.words.get(path, {}).keys():
            found.count_calls(name, *count_calls(data, name.encode()))
    return found


def absolute(module: str, level: int, dotted: str, is_package: bool) -> str:
    """An import's dotted name made absolute from the importing module (``.x`` in ``a.b.c``
    is ``a.b.x``)."""
    if level == 0:
        return dotted
    package = module.split(".") if is_package else module.split(".")[:-1]
    package = package[: len(package) - (level - 1)]
    return ".".join([*package, dotted] if dotted else package)


def imports_of(
    data: bytes, names: Optional[AbstractSet[str]]
) -> Iterator[Tuple[int, str, str, str]]:
    """(level, dotted source, name, local name) for each of ``names`` (every name, for None)
    that a ``from ... import`` statement of ``data`` imports."""
    for level, dotted, listed in _from_statements(data):
        for name, local in _imported_names(listed):
            if names is None or name in names:
                yield level, dotted, name, local


def _from_statements(data: bytes) -> Iterator[Tuple[int, str, bytes]]:
    """(level of leading dots, dotted source, the names' list as written) for each ``from
    ... import`` statement of ``data``."""
    for match in _FROM_IMPORT.finditer(data):
        if _is_word_byte(data[match.start() - 1 : match.start()]):
            continue  # ``datefrom x import``: not the word
        source = match.group(1).decode("ascii", "replace")
        dotted = source.lstrip(".")
        yield len(source) - len(dotted), dotted, match.group(2)


def _is_word_byte(byte: bytes) -> bool:
    """Whether ``byte`` (one byte, or b"" at either end of the data) continues a name."""
    return byte.isalnum() or byte == b"_"


def _imported_names(listed: bytes) -> Iterator[Tuple[str, str]]:
    """(name, local name) for each ``name [as local]`` of an import's list."""
    listed = _COMMENT.sub(b"", listed).strip(b"()\\ \t\r\n")
    for item in listed.replace(b"\n", b" ").split(b","):
        words = item.split()
        if words:
            name = words[0].decode("ascii", "replace")
            yield name, words[2].decode("ascii", "replace") if len(words) == 3 else name


def dotted_prefix(data: bytes, dot: int) -> bytes:
    """The dotted name written before the ``.`` at ``dot`` (``pkg.mod`` of ``pkg.mod.old``),
    read back at most ``_PREFIX_AT_MOST`` bytes."""
    start = dot
    limit = max(0, dot - _PREFIX_AT_MOST)
    while start > limit and (_is_word_byte(data[start - 1 : start]) or data[start - 1] == 46):
        start -= 1
    return data[start:dot]


def reexporters(
    name: str, defining: Iterable[str], sightings: Sightings, move: bool = False
) -> Tuple[str, ...]:
    """The modules ``name`` is found in: those that define it, then (for every shape but a
    move, which retires one module's name) each module that re-exports it from one of them."""
    modules = list(dict.fromkeys(defining))
    if move:
        return tuple(modules)
    imports = [item for item in sightings.imports.get(name, []) if item.local == name]
    imported_from = {item.source for item in sightings.imports.get(name, [])}
    patched = sightings.patched.get(name, set())
    grown = True
    while grown:
        grown = False
        for item in imports:
            if item.importer in modules or item.source not in modules:
                continue
            if item.from_package or item.importer in imported_from or item.importer in patched:
                modules.append(item.importer)
                grown = True
    return tuple(modules)


def using_files(name: str, modules: Sequence[str], sightings: Sightings) -> Set[str]:
    """The files that use ``name`` from ``modules``: those modules' own files, those importing
    it from one of them, and those spelling ``module.name`` (the module imported whole)."""
    sources = set(modules)
    found = {path for path, module in sightings.modules.items() if module in sources}
    found |= {item.path for item in sightings.imports.get(name, []) if item.source in sources}
    last_parts = {module.rpartition(".")[2] for module in modules}
    found |= {
        path
        for path, prefixes in sightings.prefixes.items()
        if not last_parts.isdisjoint(prefixes.get(name, ()))
    }
    return found


def sight(
    path: str,
    module_of: Callable[[str], str],
    data: bytes,
    names: AbstractSet[str],
    after_dots: re.Pattern[bytes],
    defined: AbstractSet[str],
    into: Sightings,
) -> None:
    """Record what ``data`` (the file at ``path``, which defines ``defined``) shows of
    ``names``: their imports, each ``module.name`` (the module written before it; a quoted
    ``"pkg.mod.name"`` is a patch target), and how often each is written: as a whole word for
    a name the file imports or defines, else after a dot (a method's uses).

    Two fast scans decide (``from`` statements, and names right after a ``.``: patterns that
    start with a literal); the whole words are counted with ``bytes.find`` only for the few
    names a file imports. Scanning every byte for a hundred words would cost three times as
    much, for files that use none of them."""
    imports = list(imports_of(data, names))
    counts: Dict[str, int] = {}
    prefixes: Dict[str, Set[str]] = {}
    for match in after_dots.finditer(data):
        name = match.group(1).decode()
        counts[name] = counts.get(name, 0) + 1
        dot = match.start()
        dotted = dotted_prefix(data, dot)
        prefixes.setdefault(name, set()).add(dotted.rpartition(b".")[2].decode("ascii"))
        quote = data[dot - len(dotted) - 1 : dot - len(dotted)]
        starts_a_name = _is_word_byte(dotted[:1]) and not dotted[:1].isdigit()
        if starts_a_name and quote in _QUOTES and data[match.end() : match.end() + 1] == quote:
            into.patched.setdefault(name, set()).add(dotted.decode("ascii"))
    for name in {name for _, _, name, _ in imports} | set(defined):
        counts[name] = count_words(data, name.encode())
    counts = {name: count for name, count in counts.items() if count}
    if not counts and not imports:
        return
    module = module_of(path)
    into.words[path] = counts
    into.modules[path] = module
    if prefixes:
        into.prefixes[path] = prefixes
    is_package = path.endswith("__init__.py")
    for level, dotted_name, name, local in imports:
        source = absolute(module, level, dotted_name, is_package)
        into.imports.setdefault(name, []).append(Import(module, source, local, is_package, path))


def count_words(data: bytes, needle: bytes) -> int:
    """Whole-word occurrences of ``needle`` in ``data`` (``grep -w``), found with
    ``bytes.find``."""
    if not needle:
        return 0  # an empty needle is found everywhere, and the loop would not advance
    count = 0
    at = data.find(needle)
    while at >= 0:
        end = at + len(needle)
        if not (_is_word_byte(data[at - 1 : at]) or _is_word_byte(data[end : end + 1])):
            count += 1
        at = data.find(needle, end)
    return count


def _imports_from(
    path: str,
    module_of: Callable[[str], str],
    data: bytes,
    modules: AbstractSet[str],
    into: Sightings,
) -> None:
    """Record the names ``data`` imports from one of ``modules``. A relative import can name
    any of them: only its absolute form tells; an absolute one is judged by its text before
    its names are read."""
    last_parts = {module.rpartition(".")[2].encode() for module in modules}
    if not any(part in data for part in last_parts):
        return
    is_package = path.endswith("__init__.py")
    for level, dotted, listed in _from_statements(data):
        if dotted.rpartition(".")[2].encode() not in last_parts:
            continue
        if level == 0 and dotted not in modules:
            continue
        module = absolute(module_of(path), level, dotted, is_package)
        if module not in modules:
            continue
        for name, _ in _imported_names(listed):
            if name != "*":
                into.from_modules.setdefault((module, name), set()).add(path)


class ModuleFiles:
    """The file of each dotted module among ``paths`` (see :class:`ModuleNames`), mapped on
    the first question: a run that asks none pays nothing, one that asks several maps once."""

    def __init__(self, paths: Sequence[str], roots: Sequence[str]) -> None:
        self._paths = paths
        self._roots = roots
        self._files: Optional[Dict[str, str]] = None

    def get(self, module: str) -> Optional[str]:
        if self._files is None:
            module_of = ModuleNames(self._roots)
            self._files = {module_of(path): path for path in self._paths}
        return self._files.get(module)


class ModuleNames:
    """The dotted module of each file: from its outermost package (folders with
    ``__init__.py``), else from the root it was found under; the packages each folder belongs
    to are looked up once per folder, not once per file."""

    def __init__(self, roots: Sequence[str]) -> None:
        self._roots = [
            os.path.abspath(r if os.path.isdir(r) else os.path.dirname(r)) for r in roots
        ]
        self._packages: Dict[str, Tuple[str, ...]] = {}

    def __call__(self, path: str) -> str:
        folder, file_name = os.path.split(os.path.abspath(path))
        own = [] if file_name == "__init__.py" else [os.path.splitext(file_name)[0]]
        packages = self._package_of(folder)
        if packages:
            return ".".join([*packages, *own])
        for base in self._roots:
            relative = os.path.relpath(os.path.abspath(path), base)
            if not relative.startswith(os.pardir):
                dotted = os.path.splitext(relative)[0].replace(os.sep, ".")
                return dotted[: -len(".__init__")] if dotted.endswith(".__init__") else dotted
        return ".".join(own)

    def _package_of(self, folder: str) -> Tuple[str, ...]:
        """The package names ``folder`` is inside, outermost first (``()`` for none)."""
        known = self._packages.get(folder)
        if known is not None:
            return known
        if os.path.isfile(os.path.join(folder, "__init__.py")):
            parent = os.path.dirname(folder)
            found = (
                (*self._package_of(parent), os.path.basename(folder)) if parent != folder else ()
            )
        else:
            found = ()
        self._packages[folder] = found
        return found


def count_calls(data: bytes, needle: bytes) -> Tuple[int, int]:
    """Calls of the whole word ``needle`` in ``data`` (``needle(``, spaces allowed), and how
    many of them pass nothing (``needle()``): found with ``bytes.find``, one look at each
    occurrence (a regular expression starting with ``\\b`` scanned every byte)."""
    calls = empty = 0
    at = data.find(needle)
    while at >= 0:
        end = at + len(needle)
        if not _is_word_byte(data[at - 1 : at]):
            after = _skip_blanks(data, end)
            if data[after : after + 1] == b"(":
                calls += 1
                inside = _skip_blanks(data, after + 1)
                empty += data[inside : inside + 1] == b")"
        at = data.find(needle, end)
    return calls, empty


def _skip_blanks(data: bytes, at: int) -> int:
    while data[at : at + 1] in (b" ", b"\t", b"\n", b"\r"):
        at += 1
    return at
