"""``ssot-factory discover``: the migration table, proposed from the code's own deprecations.

Every proposal says where its replacement was read (a return statement, a warning's words, a
docstring) and what it could not infer; nothing is guessed silently. Each old name is written
qualified by the modules that define and re-export it (see discover_modules.py), and its uses
are counted as ``grep -w`` counts them in the files that take it from those modules, so the
figures can be checked by hand.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import io
import json
import re
import sys
from pathlib import Path
from typing import (
    AbstractSet,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
    TextIO,
    Tuple,
)

from flake8_ssot_factory.config.files import load_config, merged_settings
from flake8_ssot_factory.config.migrations import CONTEXT, MOVE, RENAME, REPORT, written_target
from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.engine.deprecations import Announcement, annotated_class
from flake8_ssot_factory.faces.discover_modules import (
    ModuleNames,
    Sightings,
    absolute,
    reexporters,
    sightings_in,
    using_files,
)
from flake8_ssot_factory.faces.discover_reading import (
    Reading,
    announced_in,
    bound_names,
    in_chunks,
    is_aside,
)
from flake8_ssot_factory.faces.discover_table import (
    Line,
    configured_lines,
    entry_name,
    loadable,
    proposal_key,
    rank,
)
from flake8_ssot_factory.faces.run_setup import exclude_of
from flake8_ssot_factory.run.discovery import expand_paths
from flake8_ssot_factory.run.printable import shown_path
from flake8_ssot_factory.run.progress import ProgressLine
from flake8_ssot_factory.run.source import decode_source, read_source_bytes
from flake8_ssot_factory.run.wording import plural

DISCOVER_VERSION = 1
_MOVED = re.compile(r"from\s+([A-Za-z_][\w.]*)\s+import\s+([A-Za-z_]\w*)")
#: "Use 'from new.module import' instead": the words name a module only (what it re-exports
#: moves).
_MODULE_ONLY = re.compile(r"from\s+([A-Za-z_][\w.]*)\s+import\b(?!\s*[`'\"]?[A-Za-z_*(])")
_NAMED = re.compile(
    r"(?:\bNEW:|\b[Uu]se|\breplaced by|\b[Rr]eplace with|\b[Ss]witch to)\s+[`'\"]?"
    r"([A-Za-z_][\w.]*)\s*(?:\(([^()]*)\))?"
)


@dataclasses.dataclass(frozen=True)
class Proposal:
    """One entry of the proposed table, with where it was read and what is left to check."""

    name: str
    shape: str
    deprecated: str
    replacement: str = ""
    keyword: str = ""
    old_module: str = ""
    new_module: str = ""
    note: str = ""
    path: str = ""
    line: int = 0
    #: Where the replacement and shape were read, in words.
    evidence: str = ""
    #: What could not be inferred ("" when nothing).
    doubt: str = ""
    uses: int = 0
    files: int = 0
    #: Other announcements of the same old name, not kept ("path:line, shape").
    also: Tuple[str, ...] = ()
    #: Why it is printed as a comment, not an entry ("" for an entry).
    comment_only: str = ""
    #: The replacement was read from words (it must be defined in the code read).
    from_words: bool = False
    #: The module whose file announced it.
    defined_in: str = ""
    #: The class the old function's return annotation names ("" for none).
    result_class: str = ""
    #: The modules the old name is retired in (it is written qualified by each): the one
    #: defining it and those re-exporting it. Empty for a move (its old module says it).
    modules: Tuple[str, ...] = ()

    @property
    def entry(self) -> str:
        target = written_target(
            self.shape, self.replacement, self.keyword, self.new_module, self.note
        )
        if self.shape == MOVE:
            retired = f"{self.old_module}.{self.deprecated}"
        else:
            qualified = [f"{module}.{self.deprecated}" for module in self.modules]
            retired = ", ".join(qualified) or self.deprecated
        return f"{self.name}: {retired} -> {target}"


@dataclasses.dataclass(frozen=True)
class Discovery:
    proposals: List[Proposal]
    files_read: int
    files_announcing: int


#: A progress line shows after this long, on a terminal (as check's).
_PROGRESS_AFTER_SECONDS = 1.0
_PROGRESS_EVERY_SECONDS = 0.1


def _progress(total: int, stream: Optional[TextIO], verb: str) -> ProgressLine:
    return ProgressLine(
        total, stream or io.StringIO(), verb, _PROGRESS_AFTER_SECONDS, _PROGRESS_EVERY_SECONDS
    )


def discover(
    paths: Sequence[str],
    roots: Sequence[str],
    everywhere: bool = False,
    progress: Optional[TextIO] = None,
    jobs: int = 1,
) -> Discovery:
    """Read ``paths`` (Python files), find what they announce as retired, propose the table.
    Tests, backups and scripts are read for how calls are written but announce nothing and
    count no use, unless ``everywhere``.

    No file's bytes are kept: a first pass reads the announcements and the names every file
    defines; once the names to look for are known, later passes read the files again, one at a
    time, for how those names are called and used (the page cache makes that cheap)."""
    reading = Reading()
    reporter = _progress(len(paths), progress, "read")
    for part in in_chunks(announced_in, paths, (roots, everywhere), jobs, reporter):
        reading.add(part)
    reporter.done()
    readable = reading.readable
    # Which names to look for does not depend on how they are called: a first draft says.
    names = {p.deprecated for p in _proposals(reading, {})}
    called = {item.name for _, _, item in reading.found if _hands_on_context(item)}
    modules = _retired_modules(reading)
    sightings = Sightings()
    uses = _progress(len(readable), progress, "looked for uses in")
    defining: Dict[str, Set[str]] = {}
    for path, _, item in reading.found:
        if item.name:  # a module's own announcement names no function
            defining.setdefault(path, set()).add(item.name)
    arguments = (names, called, roots, frozenset(modules), defining)
    for seen in in_chunks(sightings_in, readable, arguments, jobs, uses):
        sightings.add(seen)
    uses.done()
    checked = _defined_only(
        _proposals(reading, _call_shapes(sightings, called)), reading.defined.keys()
    )
    checked = _with_result_doubts(checked, reading, roots)
    counted = {path for path in readable if everywhere or not is_aside(path)}
    merged = [
        _counted(p, sightings, counted)
        for p in _merged([_qualified(p, sightings) for p in checked])
    ]
    merged += _module_moves(modules, sightings, readable, roots, counted)
    # Migrations the code spells out (a replacement read from its body or words, a move) before
    # reports, each by uses: a generic name used everywhere is not what to look at first.
    named = _unique_names(sorted(merged, key=lambda p: (p.shape == REPORT, -p.uses, p.deprecated)))
    return Discovery(named, len(readable), len({path for path, _, _ in reading.found}))


def _with_result_doubts(
    proposals: List[Proposal], reading: Reading, roots: Sequence[str]
) -> List[Proposal]:
    """A rename whose old and new functions say they return different classes (``-> Pool``,
    ``-> Emitter``) gets a CHECK line: a call renamed would hand its callers another object.
    The new function is looked for in the announcing file, the module it imports it from,
    and the first module defining it."""
    renames = [p for p in proposals if p.shape in (CONTEXT, RENAME) and p.result_class]
    if not renames:
        return proposals
    module_of = ModuleNames(roots)
    files = {module_of(path): path for path in reading.readable}
    classes: Dict[Tuple[str, str], str] = {}
    checked = []
    for proposal in proposals:
        if proposal not in renames:
            checked.append(proposal)
            continue
        imported = reading.imports.get(proposal.path, {}).get(proposal.replacement, "")
        candidates = [
            proposal.path,
            files.get(imported.rpartition(".")[0], ""),
            reading.defined.get(proposal.replacement, ""),
        ]
        new_class = next(
            (
                found
                for candidate in candidates
                if candidate and (found := _result_class(candidate, proposal.replacement, classes))
            ),
            "",
        )
        if new_class and new_class != proposal.result_class:
            extra = (
                f"{proposal.deprecated} returns {proposal.result_class}, "
                f"{proposal.replacement} returns {new_class}: check what callers use"
            )
            doubt = f"{proposal.doubt}; {extra}" if proposal.doubt else extra
            proposal = dataclasses.replace(proposal, doubt=doubt)
        checked.append(proposal)
    return checked


def _result_class(path: str, name: str, known: Dict[Tuple[str, str], str]) -> str:
    """The class the module-level function ``name`` of ``path`` says it returns."""
    if (path, name) not in known:
        try:
            tree = ast.parse(decode_source(read_source_bytes(path)).text)
        except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
            tree = None
        found = ""
        for node in tree.body if tree is not None else []:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
                found = annotated_class(node)
        known[(path, name)] = found
    return known[(path, name)]


def _retired_modules(reading: Reading) -> Dict[str, Tuple[str, str, int]]:
    """Modules whose own warning retires them as a whole for another module ("Use 'from
    new.module import' instead"): old module -> (new module, path, line)."""
    retired = {}
    for path, module, item in reading.found:
        words = " ".join(part for part in (item.message, item.docstring) if part)
        whole = _MODULE_ONLY.search(words) if item.kind == "module" else None
        if whole is not None and _MOVED.search(words) is None and whole.group(1) != module:
            retired[module] = (whole.group(1), path, item.line)
    return retired


def _module_moves(
    retired: Mapping[str, Tuple[str, str, int]],
    sightings: Sightings,
    readable: Sequence[str],
    roots: Sequence[str],
    counted: AbstractSet[str],
) -> List[Proposal]:
    """A move of each name the tree imports from a retired module, when the new module binds
    it too (read from its file); a name it does not bind is no move."""
    if not retired:
        return []
    module_of = ModuleNames(roots)
    files = {module_of(path): path for path in readable}
    proposals = []
    for old_module, (new_module, path, line) in sorted(retired.items()):
        offered = bound_names(files.get(new_module))
        where = f"{shown_path(path)}:{line}"
        for (source, name), importers in sorted(sightings.from_modules.items()):
            if source != old_module or name not in offered:
                continue
            using = importers & counted
            proposals.append(
                Proposal(
                    "",
                    MOVE,
                    name,
                    old_module=old_module,
                    new_module=new_module,
                    path=path,
                    line=line,
                    evidence=f"the module's own warning names the new module, which binds "
                    f"{name} ({where})",
                    uses=len(using),
                    files=len(using),
                )
            )
    return proposals


def _proposals(reading: Reading, shapes: Mapping[str, bool]) -> List[Proposal]:
    return [
        _as_method(proposal) if item.kind == "method" else proposal
        for path, module, item in reading.found
        for proposal in _propose(path, module, item, shapes, reading.imports.get(path, {}))
    ]


def _call_shapes(sightings: Sightings, names: AbstractSet[str]) -> Dict[str, bool]:
    """For each of ``names``: whether most of its calls in the code base pass arguments."""
    shapes = {}
    for name in names:
        calls, empty = sightings.calls.get(name, (0, 0))
        shapes[name] = calls - empty > empty
    return shapes


def _hands_on_context(item: Announcement) -> bool:
    """``return Y(user_context)``: whether callers pass arguments will tell the shape."""
    if item.returns is None:
        return False
    passed = item.returns[1]
    return len(passed) == 1 and ("context" in passed[0] or passed[0] == "ctx")


def _as_method(proposal: Proposal) -> Proposal:
    """A table matches names, not receivers: a method's name proposed as an entry would flag
    every method of that name on any object (``execute_agent``, ``get_state``)."""
    reason = "a method, not an entry: the table matches names, not receivers"
    return dataclasses.replace(proposal, comment_only=reason)


def _merged(proposals: List[Proposal]) -> List[Proposal]:
    """One proposal per old name (a table retires a name once): the best-evidenced of its
    announcements, with the others named."""
    groups: Dict[str, List[Proposal]] = {}
    for proposal in proposals:
        key = proposal_key(proposal.shape, proposal.deprecated, proposal.old_module)
        groups.setdefault(key, []).append(proposal)
    merged = []
    for group in groups.values():
        ordered = sorted(
            group, key=lambda p: (bool(p.comment_only), -rank(p.shape, p.doubt), p.path, p.line)
        )
        best, others = ordered[0], ordered[1:]
        also = tuple(f"{shown_path(p.path)}:{p.line}, {_said(p)}" for p in others)
        # Each announcing module retires its own definition: the entry names them all.
        modules = (
            ()
            if best.shape == MOVE
            else tuple(dict.fromkeys(m for p in ordered if p.shape != MOVE for m in p.modules))
        )
        merged.append(dataclasses.replace(best, also=also, modules=modules))
    return merged


def _said(proposal: Proposal) -> str:
    if proposal.shape in (CONTEXT, RENAME):
        return f"{proposal.shape} to {proposal.replacement}"
    if proposal.shape == MOVE:
        return f"move to {proposal.new_module}"
    return "report"


def _propose(
    path: str,
    module: str,
    item: Announcement,
    shapes: Mapping[str, bool],
    imports: Dict[str, str],
) -> Iterable[Proposal]:
    where = f"{shown_path(path)}:{item.line}"
    words = " ".join(part for part in (item.message, item.docstring) if part)
    moved = _MOVED.search(words)
    if item.kind == "module":
        if moved is not None:
            new_module, name = moved.groups()
            yield Proposal(
                "",
                MOVE,
                name,
                old_module=module,
                new_module=new_module,
                path=path,
                line=item.line,
                evidence=f"the module's own warning names the new import ({where})",
            )
        return
    base = Proposal(
        "",
        REPORT,
        item.name,
        path=path,
        line=item.line,
        defined_in=module,
        result_class=item.result_class,
    )
    if item.kind == "class":
        note = _note(item)
        yield dataclasses.replace(
            base,
            note=note,
            evidence=f"a class announces its deprecation ({where})",
            doubt="a class has no automatic replacement: report only",
        )
        return
    if moved is not None and moved.group(2) == item.name and moved.group(1) != module:
        yield dataclasses.replace(
            base,
            shape=MOVE,
            old_module=module,
            new_module=moved.group(1),
            evidence=f"the warning names the new import ({where})",
        )
        return
    named = _NAMED.search(words)
    said = named.group(1).rpartition(".")[2] if named is not None else None
    returned = item.returns[0] if item.returns is not None else None
    if said == item.name:
        named, said = None, None
    if returned is not None and returned != item.name and said in (None, returned):
        # The body hands over to the function its words name (or names none): how it passes
        # its parameters on tells the shape.
        yield _from_return(item, base, path, shapes, imports, module)
        return
    if named is not None:
        proposal = _from_words(item, base, named, where)
        if returned is not None and returned != said:
            extra = f"its body returns {returned}(...), not {said}(...)"
            doubt = f"{proposal.doubt}; {extra}" if proposal.doubt else extra
            proposal = dataclasses.replace(proposal, doubt=doubt)
        yield proposal
        return
    yield dataclasses.replace(
        base,
        note=_note(item),
        evidence=f"announced by a {item.how} ({where})",
        doubt="could not infer a replacement: report only",
    )


def _from_return(
    item: Announcement,
    base: Proposal,
    path: str,
    shapes: Mapping[str, bool],
    imports: Dict[str, str],
    module: str,
) -> Proposal:
    """``return Y(...)`` at the end of the retired function: Y replaces it. Passing on every
    parameter is a rename; passing on one context is a per-user factory, unless callers
    already pass arguments. Y imported under another name is read through the import: the
    same name from another module is a move (``is_production as env_is_production``)."""
    assert item.returns is not None
    callee, passed = item.returns
    where = f"{shown_path(path)}:{item.returns_line}"
    own = {
        local: absolute(module, level, dotted, path.endswith("__init__.py"))
        for local, level, dotted in item.imports
    }
    imported = own.get(callee, imports.get(callee))
    if imported is not None and "." in imported:
        new_module, _, original = imported.rpartition(".")
        if original == item.name and new_module != module:
            return dataclasses.replace(
                base,
                shape=MOVE,
                old_module=module,
                new_module=new_module,
                evidence=f"it returns {callee}(...), the same name imported from {new_module} "
                f"({where})",
            )
        callee = original
    if callee[:1].isupper():  # a class: a result or an object built, not a function renamed
        return dataclasses.replace(
            base,
            note=_note(item),
            evidence=f"it returns {callee}(...) ({where})",
            doubt=f"{callee} is a class: report only",
        )
    contexts = [p for p in passed if "context" in p or p == "ctx"]
    if len(passed) == 1 and contexts and not shapes.get(item.name, False):
        return dataclasses.replace(
            base,
            shape=CONTEXT,
            replacement=callee,
            keyword=contexts[0],
            evidence=f"it returns {callee}({contexts[0]}), and its callers pass no "
            f"arguments ({where})",
        )
    doubt = (
        ""
        if tuple(passed) == item.parameters
        else (
            f"it passes on {', '.join(passed) or 'nothing'} of its parameters "
            f"({', '.join(item.parameters) or 'none'}): check the arguments"
        )
    )
    return dataclasses.replace(
        base,
        shape=RENAME,
        replacement=callee,
        evidence=f"it returns {callee}({', '.join(passed)}) ({where})",
        doubt=doubt,
    )


def _from_words(item: Announcement, base: Proposal, named: re.Match[str], where: str) -> Proposal:
    """ "Use Y(user_context) instead", "NEW: Y(...)": the words say the replacement."""
    replacement = named.group(1).rpartition(".")[2]
    arguments = (named.group(2) or "").strip()
    evidence = f"the {item.how}'s words name it ({where})"
    if replacement[:1].isupper():
        return dataclasses.replace(
            base,
            note=f"use {named.group(1)}",
            evidence=evidence,
            doubt=f"{replacement} is a class: report only",
        )
    base = dataclasses.replace(base, from_words=True, note=_note(item))
    if re.fullmatch(r"[A-Za-z_]\w*", arguments) and ("context" in arguments or arguments == "ctx"):
        return dataclasses.replace(
            base, shape=CONTEXT, replacement=replacement, keyword=arguments, evidence=evidence
        )
    doubt = "" if arguments in ("", "...") else f"the words pass {arguments!r}: check the arguments"
    return dataclasses.replace(
        base, shape=RENAME, replacement=replacement, evidence=evidence, doubt=doubt
    )


def _defined_only(proposals: List[Proposal], defined: AbstractSet[str]) -> List[Proposal]:
    """A replacement read from words ("Use 'from X import' instead" reads ``from``) must be a
    function the code read defines (``defined``); one that is not becomes a report of those
    words."""
    return [
        p
        if not p.from_words or not p.replacement or p.replacement in defined
        else dataclasses.replace(
            p,
            shape=REPORT,
            replacement="",
            keyword="",
            note=p.note or f"use {p.replacement}",
            doubt=f"{p.replacement} is no module-level function of the code read: report only",
        )
        for p in proposals
    ]


def _qualified(proposal: Proposal, sightings: Sightings) -> Proposal:
    """The proposal with the modules its old name is retired in (none for a method, printed as
    a comment, nor for a move, whose old module says it)."""
    if proposal.comment_only or proposal.shape == MOVE:
        return proposal
    modules = reexporters(proposal.deprecated, [proposal.defined_in], sightings)
    return dataclasses.replace(proposal, modules=modules)


def _counted(proposal: Proposal, sightings: Sightings, counted: AbstractSet[str]) -> Proposal:
    """The proposal with its uses: whole-word matches in the ``counted`` files that take the
    name from its modules (a method's: in every counted file)."""
    name = proposal.deprecated
    if proposal.comment_only:
        files = {path for path in counted if name in sightings.words.get(path, {})}
    else:
        modules = [proposal.old_module] if proposal.shape == MOVE else proposal.modules
        files = using_files(name, modules, sightings) & counted
    return _with_uses(proposal, files, sightings)


def _with_uses(proposal: Proposal, files: AbstractSet[str], sightings: Sightings) -> Proposal:
    uses = sum(sightings.words[path].get(proposal.deprecated, 0) for path in files)
    return dataclasses.replace(proposal, uses=uses, files=len(files))


def _unique_names(proposals: List[Proposal]) -> List[Proposal]:
    taken: Dict[str, int] = {}
    named = []
    for proposal in proposals:
        name = entry_name(proposal.deprecated)
        taken[name] = taken.get(name, 0) + 1
        if taken[name] > 1:
            name = f"{name}-{taken[name]}"
        named.append(dataclasses.replace(proposal, name=name))
    return named


def _note(item: Announcement) -> str:
    """A report's note: the announcement's own words (the warning's, the raise's, the
    decorator's), else the docstring's first line, else that the name is deprecated."""
    return _sentence(item.message) or _sentence(item.docstring) or f"{item.name} is deprecated"


def _sentence(text: str) -> str:
    first = text.strip().split("\n")[0].strip()
    return first[:160]


def render_discovery(discovery: Discovery, fmt: str, settings: Settings) -> str:
    """``settings``: the migrations in effect, which the printed table keeps."""
    if fmt == "json":
        return json.dumps(_as_json(discovery), indent=2) + "\n"
    return _text(discovery, settings, toml=fmt == "toml")


def _as_json(discovery: Discovery) -> Dict[str, object]:
    return {
        "version": DISCOVER_VERSION,
        "files_read": discovery.files_read,
        "files_announcing": discovery.files_announcing,
        "migrations": [
            {
                "name": p.name,
                "shape": p.shape,
                "entry": p.entry,
                "deprecated": p.deprecated,
                "replacement": p.replacement or None,
                "context_keyword": p.keyword or None,
                "old_module": p.old_module or None,
                "modules": list(p.modules),
                "new_module": p.new_module or None,
                "note": p.note or None,
                "uses": p.uses,
                "files": p.files,
                "announced_at": {"path": shown_path(p.path), "line": p.line},
                "evidence": p.evidence,
                "doubt": p.doubt or None,
                "also": list(p.also),
                "comment_only": p.comment_only or None,
            }
            for p in discovery.proposals
        ],
    }


def _text(discovery: Discovery, settings: Settings, toml: bool = False) -> str:
    """The table to paste: into ``[flake8]`` (``ssot-migrations =`` lines), or with ``toml``
    into pyproject.toml (``[tool.ssot-factory]``, ``migrations`` as an array of the same
    lines, comments kept)."""
    proposals = discovery.proposals
    where = (
        "the [tool.ssot-factory] table of pyproject.toml: it replaces migrations"
        if toml
        else "the [flake8] section (setup.cfg, tox.ini or .flake8): it replaces ssot-migrations"
    )
    lines = [
        f"# ssot-factory discover: {plural(len(proposals), 'retired name')} announced in "
        f"{discovery.files_announcing} of {plural(discovery.files_read, 'file')} read.",
        "# Old names are qualified by the modules that define and re-export them. Uses are",
        "# whole-word matches (grep -w) in the files that define a name or import it from",
        "# those modules, outside tests, backups and scripts (--all-folders: everywhere).",
        "# Check each entry, then paste the table into",
        f"# {where}",
        "# there, so the migrations in effect come first.",
    ]
    if not proposals:
        return "\n".join([*lines, "# Nothing announces a deprecation here."]) + "\n"
    lines += (
        ["[tool.ssot-factory]", "migrations = ["] if toml else ["[flake8]", "ssot-migrations ="]
    )
    for line in loadable(_table_lines(proposals, settings)):
        lines += [f"    # {comment}" for comment in line.comments]
        if line.entry:
            # A JSON string is a TOML basic string: quotes, backslashes and controls escaped.
            lines.append(
                f"    {json.dumps(line.entry, ensure_ascii=False)},"
                if toml
                else f"    {line.entry}"
            )
    if toml:
        lines.append("]")
    return "\n".join(lines) + "\n"


def _table_lines(proposals: Sequence[Proposal], settings: Settings) -> List[Line]:
    """The configured migrations, then each proposal (one whose old name they retire already
    is a comment on theirs; one whose replacement is itself retired becomes a report)."""
    kept, retired = configured_lines(settings)
    taken = {line.entry.partition(":")[0] for line in kept}
    by_entry = {line.entry.partition(":")[0]: index for index, line in enumerate(kept)}
    printed: List[Proposal] = []
    suggestions: List[Line] = []
    for proposal in proposals:
        if proposal.comment_only:
            entry = f"{proposal.name}: {proposal.entry.partition(': ')[2]}"
            where = f"{shown_path(proposal.path)}:{proposal.line}"
            suggestions.append(Line("", (f"{proposal.comment_only} ({where}): {entry}",)))
            continue
        key = proposal_key(proposal.shape, proposal.deprecated, proposal.old_module)
        where = f"{shown_path(proposal.path)}:{proposal.line}"
        if key in retired:
            index = by_entry[retired[key]]
            note = f"also announced at {where}: {proposal.entry.partition(': ')[2]}"
            kept[index] = Line(kept[index].entry, (*kept[index].comments, note))
            continue
        retired[key] = proposal.name
        printed.append(proposal)
    for proposal in printed:
        proposal = _unretired_replacement(proposal, retired)
        name = proposal.name
        while name in taken:
            name = f"{name}-{proposal.shape}"
        taken.add(name)
        comments = [
            f"{plural(proposal.uses, 'use')} in {plural(proposal.files, 'file')}; "
            f"{proposal.evidence}"
        ]
        comments += [f"also announced at {other}: not kept" for other in proposal.also]
        if proposal.doubt:
            comments.append(f"CHECK: {proposal.doubt}")
        entry = dataclasses.replace(proposal, name=name).entry
        kept.append(Line(entry, tuple(comments)))
    return kept + suggestions


def _unretired_replacement(proposal: Proposal, retired: Dict[str, str]) -> Proposal:
    """A replacement that the table retires too would be flagged as soon as it is written:
    the entry becomes a report that says what the code announced."""
    if proposal.shape not in (CONTEXT, RENAME) or proposal.replacement not in retired:
        return proposal
    doubt = (
        f"{proposal.replacement} is retired too (entry {retired[proposal.replacement]}): "
        "write what finally replaces it"
    )
    return dataclasses.replace(
        proposal, shape=REPORT, note=f"use {proposal.replacement}", doubt=doubt
    )


def discover_command(args: argparse.Namespace, out: TextIO) -> int:
    config = load_config(args.config, Path.cwd())
    files = expand_paths(args.paths, exclude_of(args, config))
    settings = merged_settings({}, config)
    discovery = discover(
        files, args.paths, everywhere=args.all_folders, progress=sys.stderr, jobs=args.jobs
    )
    out.write(render_discovery(discovery, args.format, settings))
    return 0
