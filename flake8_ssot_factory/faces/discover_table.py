"""The table ``discover`` prints: one that ``check`` loads as printed, always.

Proposals are announcements read one at a time; a table is a whole. Here they become one:

- one entry per old name: announcements of the same name are merged, the best-evidenced one
  kept and the others named in a comment;
- the migrations already configured (or the default one) come first and win: pasting the
  printed table never switches a check off;
- an entry whose replacement is itself retired becomes a report that says so (a table whose
  fix writes a flagged name is refused, see config/migrations.py);
- entry names are valid and unique, derived from the old name;
- and, last, each entry is loaded as ``check`` would load the table: one that is refused is
  left out, with the reason, in a comment. Nothing printed can stop ``check``.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Dict, List, Optional, Sequence, Tuple

from flake8_ssot_factory.config.migrations import (
    CONTEXT,
    MOVE,
    RENAME,
    REPORT,
    ContextDefaults,
    MigrationError,
    written_entry,
)
from flake8_ssot_factory.config.settings import Settings, SettingsError, build_settings

#: Leading verbs that say nothing about what a migration is (``get_message_router`` is the
#: ``message-router`` migration).
_VERBS = ("get_", "create_", "configure_", "make_", "new_", "build_")
#: How much a proposal's evidence says: its body hands over to the replacement (the arguments
#: tell the shape), its words name one, it only announces.
_RANK = {CONTEXT: 4, RENAME: 3, MOVE: 3, REPORT: 1}


@dataclasses.dataclass(frozen=True)
class Line:
    """One entry of the printed table, with the comments above it."""

    entry: str
    comments: Tuple[str, ...] = ()


def entry_name(old_name: str) -> str:
    """A valid entry name (``[A-Za-z0-9][A-Za-z0-9_.-]*``) from an old name: the verb dropped,
    words joined with ``-``, lower case; ``_private`` loses its leading underscores."""
    base = old_name
    for verb in _VERBS:
        if base.startswith(verb) and len(base) > len(verb):
            base = base[len(verb) :]
            break
    name = re.sub(r"[^a-z0-9.]+", "-", base.lower()).strip("-.")
    return name or "entry"


def proposal_key(shape: str, deprecated: str, old_module: str) -> str:
    """What an entry retires, as the table counts it: a move by module and name, every other
    shape by name."""
    return f"{old_module}.{deprecated}" if shape == MOVE else deprecated


def rank(shape: str, doubt: str) -> int:
    """Best evidence first: a shape read from the code, then one read from words; a doubt
    costs a step."""
    return _RANK.get(shape, 0) * 2 - (1 if doubt else 0)


def configured_lines(settings: Settings) -> Tuple[List[Line], Dict[str, str]]:
    """The migrations in effect, as entries of the printed table, and the names they retire
    (key -> entry name)."""
    defaults = ContextDefaults(
        settings.context_keyword,
        settings.context_type,
        settings.context_methods,
        settings.factory_classes,
    )
    lines: List[Line] = []
    retired: Dict[str, str] = {}
    for migration in settings.table:
        name = migration.name or entry_name(migration.deprecated[0])
        where = "your configuration" if migration.name else "the default table"
        lines.append(Line(written_entry(migration, name, defaults), (f"kept from {where}",)))
        for old in migration.deprecated:
            old_module = migration.old_module if migration.shape == MOVE else ""
            retired[proposal_key(migration.shape, old, old_module)] = name
    return lines, retired


def loadable(lines: Sequence[Line]) -> List[Line]:
    """The lines whose entries ``check`` loads together, in order; an entry that would make
    the table refused is turned into a comment saying why."""
    if _problem("\n".join(line.entry for line in lines)) is None:
        return list(lines)  # the usual case: one load, not one per entry
    kept: List[Line] = []
    for line in lines:
        candidate = [*kept, line]
        problem = _problem("\n".join(item.entry for item in candidate))
        if problem is None:
            kept.append(line)
        else:
            comments = (
                *line.comments,
                f"LEFT OUT: {line.entry}",
                f"  (check would refuse it: {problem})",
            )
            kept.append(Line("", comments))
    return kept


def _problem(table: str) -> Optional[str]:
    entries = "\n".join(line for line in table.splitlines() if line)
    if not entries:
        return None
    try:
        build_settings({"ssot-migrations": entries})
    except (SettingsError, MigrationError) as error:
        return str(error).replace("--ssot-migrations: ", "")
    return None
