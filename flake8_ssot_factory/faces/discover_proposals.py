"""What one announcement proposes: the entry of the table, with where it was read.

An announcement (engine/deprecations.py) says a function, class or module is retired and, in
its body, its words or its docstring, what replaces it. Here it becomes a :class:`Proposal`:
the shape read from the code (``return Y(ctx)``: a per-user factory; ``return Y(same
arguments)``: a rename; ``from new.module import name``: a move), else from the words ("Use
Y(user_context) instead", only when Y is a module-level function of the code read), else a
report of the words. Every proposal says where it was read and what is left to check.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from typing import AbstractSet, Dict, Iterable, List, Mapping, Optional, Tuple

from flake8_ssot_factory.config.migrations import CONTEXT, MOVE, RENAME, REPORT, written_target
from flake8_ssot_factory.engine.deprecations import Announcement, annotated_class
from flake8_ssot_factory.engine.module_names import module_function
from flake8_ssot_factory.faces.discover_modules import ModuleFiles, absolute
from flake8_ssot_factory.faces.discover_reading import Reading
from flake8_ssot_factory.fixer.move_results import difference, listed
from flake8_ssot_factory.fixer.signatures import signature_of
from flake8_ssot_factory.run.printable import shown_path
from flake8_ssot_factory.run.source import parse_file

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


def with_result_doubts(
    proposals: List[Proposal], reading: Reading, files: ModuleFiles
) -> List[Proposal]:
    """A CHECK line where the code says the migration changes more than a name: a rename whose
    old and new functions say they return different classes (``-> Pool``, ``-> Emitter``: a
    call renamed would hand its callers another object) or take other parameters by position
    (``validate(token)``, ``authenticate(websocket, token)``); a class moved to a module whose
    class of that name lacks some of its members. The new function is looked for in the
    announcing file, the module it imports it from, and the first module defining it."""
    trees = _Trees()
    checked = []
    for proposal in proposals:
        if proposal.shape in (CONTEXT, RENAME):
            extra = _rename_doubts(proposal, reading, files, trees)
        elif proposal.shape == MOVE:
            extra = _move_doubt(proposal, files, trees)
        else:
            extra = []
        if extra:
            doubt = "; ".join([proposal.doubt, *extra] if proposal.doubt else extra)
            proposal = dataclasses.replace(proposal, doubt=doubt)
        checked.append(proposal)
    return checked


class _Trees:
    """Modules' syntax trees by path, each parsed once (None: unreadable, or no parse)."""

    def __init__(self) -> None:
        self._trees: Dict[str, Optional[ast.Module]] = {}

    def __call__(self, path: str) -> Optional[ast.Module]:
        if path not in self._trees:
            self._trees[path] = parse_file(path) if path else None
        return self._trees[path]


def _rename_doubts(
    proposal: Proposal, reading: Reading, files: ModuleFiles, trees: _Trees
) -> List[str]:
    old_tree = trees(proposal.path)
    old = module_function(old_tree, proposal.deprecated) if old_tree is not None else None
    imported = reading.imports.get(proposal.path, {}).get(proposal.replacement, "")
    candidates = [
        proposal.path,
        files.get(imported.rpartition(".")[0]) or "",
        reading.defined.get(proposal.replacement, ""),
    ]
    new = next(
        (
            found
            for candidate in candidates
            if (tree := trees(candidate)) is not None
            and (found := module_function(tree, proposal.replacement)) is not None
        ),
        None,
    )
    if new is None:
        return []
    doubts = []
    new_class = annotated_class(new)
    if proposal.result_class and new_class and new_class != proposal.result_class:
        doubts.append(
            f"{proposal.deprecated} returns {proposal.result_class}, "
            f"{proposal.replacement} returns {new_class}: check what callers use"
        )
    if old is not None and proposal.shape == RENAME:
        before, after = signature_of(old).positional, signature_of(new).positional
        if before != after[: len(before)]:
            doubts.append(
                f"{proposal.deprecated} takes ({', '.join(before)}), {proposal.replacement} "
                f"takes ({', '.join(after)}): check the arguments"
            )
    return doubts


def _move_doubt(proposal: Proposal, files: ModuleFiles, trees: _Trees) -> List[str]:
    def tree_of(module: str) -> Optional[ast.Module]:
        return trees(files.get(module) or "")

    found = difference(proposal.deprecated, proposal.old_module, proposal.new_module, tree_of)
    if found is None or not (found.missing or found.always):
        return []
    if found.always:
        return [f"{found.always}: check the callers"]
    lacks = f"which lacks {listed(found.missing)}: check what callers use"
    if found.relation == "returns":
        return [f"the new {proposal.deprecated} returns {found.new_class}, {lacks}"]
    return [f"the new module's {proposal.deprecated} is another class, {lacks}"]


def retired_modules(reading: Reading) -> Dict[str, Tuple[str, str, int]]:
    """Modules whose own warning retires them as a whole for another module ("Use 'from
    new.module import' instead"): old module -> (new module, path, line)."""
    retired = {}
    for path, module, item in reading.found:
        words = _words(item)
        whole = _MODULE_ONLY.search(words) if item.kind == "module" else None
        if whole is not None and _MOVED.search(words) is None and whole.group(1) != module:
            retired[module] = (whole.group(1), path, item.line)
    return retired


def proposals_of(reading: Reading, shapes: Mapping[str, bool]) -> List[Proposal]:
    return [
        _as_method(proposal) if item.kind == "method" else proposal
        for path, module, item in reading.found
        for proposal in _propose(path, module, item, shapes, reading.imports.get(path, {}))
    ]


def hands_on_context(item: Announcement) -> bool:
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


def _propose(
    path: str,
    module: str,
    item: Announcement,
    shapes: Mapping[str, bool],
    imports: Dict[str, str],
) -> Iterable[Proposal]:
    where = f"{shown_path(path)}:{item.line}"
    words = _words(item)
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


def defined_only(proposals: List[Proposal], defined: AbstractSet[str]) -> List[Proposal]:
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


def _words(item: Announcement) -> str:
    """What an announcement says: its message, then its docstring."""
    return " ".join(part for part in (item.message, item.docstring) if part)


def _note(item: Announcement) -> str:
    """A report's note: the announcement's own words (the warning's, the raise's, the
    decorator's), else the docstring's first line, else that the name is deprecated."""
    return _sentence(item.message) or _sentence(item.docstring) or f"{item.name} is deprecated"


def _sentence(text: str) -> str:
    first = text.strip().split("\n")[0].strip()
    return first[:160]
