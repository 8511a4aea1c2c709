"""``ssot-factory discover``: the migration table, proposed from the code's own deprecations.

The run as a whole: read the tree (discover_reading.py), turn each announcement into a proposal
(discover_proposals.py), find where each old name is defined, re-exported and used
(discover_modules.py), merge the proposals into one entry per old name, and print the table
``check`` loads as printed (discover_table.py). Uses are counted as ``grep -w`` counts them in
the files that take the name from its modules, so the figures can be checked by hand.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import sys
from pathlib import Path
from typing import (
    AbstractSet,
    Dict,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
    TextIO,
    Tuple,
)

from flake8_ssot_factory.config.files import load_config, merged_settings
from flake8_ssot_factory.config.migrations import CONTEXT, MOVE, RENAME, REPORT
from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.faces.discover_modules import (
    ModuleFiles,
    Sightings,
    reexporters,
    sightings_in,
    using_files,
)
from flake8_ssot_factory.faces.discover_proposals import (
    Proposal,
    defined_only,
    hands_on_context,
    proposals_of,
    retired_modules,
    with_result_doubts,
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
from flake8_ssot_factory.run.wording import plural

DISCOVER_VERSION = 1


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
    names = {p.deprecated for p in proposals_of(reading, {})}
    called = {item.name for _, _, item in reading.found if hands_on_context(item)}
    modules = retired_modules(reading)
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
    checked = defined_only(
        proposals_of(reading, _call_shapes(sightings, called)), reading.defined.keys()
    )
    files = ModuleFiles(readable, roots)
    checked = with_result_doubts(checked, reading, files)
    counted = {path for path in readable if everywhere or not is_aside(path)}
    merged = [
        _counted(p, sightings, counted)
        for p in _merged([_qualified(p, sightings) for p in checked])
    ]
    merged += _module_moves(modules, sightings, files, counted)
    # Migrations the code spells out (a replacement read from its body or words, a move) before
    # reports, each by uses: a generic name used everywhere is not what to look at first.
    named = _unique_names(sorted(merged, key=lambda p: (p.shape == REPORT, -p.uses, p.deprecated)))
    return Discovery(named, len(readable), len({path for path, _, _ in reading.found}))


def _module_moves(
    retired: Mapping[str, Tuple[str, str, int]],
    sightings: Sightings,
    files: ModuleFiles,
    counted: AbstractSet[str],
) -> List[Proposal]:
    """A move of each name the tree imports from a retired module, when the new module binds
    it too (read from its file); a name it does not bind is no move."""
    if not retired:
        return []
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


def _call_shapes(sightings: Sightings, names: AbstractSet[str]) -> Dict[str, bool]:
    """For each of ``names``: whether most of its calls in the code base pass arguments."""
    shapes = {}
    for name in names:
        calls, empty = sightings.calls.get(name, (0, 0))
        shapes[name] = calls - empty > empty
    return shapes


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
