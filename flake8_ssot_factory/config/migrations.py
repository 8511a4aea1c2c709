"""The migration table: one entry per retired singleton, each with its shape.

Shapes:

- ``context``: a singleton becomes a per-user factory that takes the user context
  (``get_agent_instance_factory()`` -> ``create_agent_instance_factory(user_context)``);
- ``rename``: the same call under another name, arguments kept
  (``create_websocket_manager(ctx, mode)`` -> ``get_websocket_manager(ctx, mode)``);
- ``move``: the same name from another module
  (``from old.tracker import get_execution_tracker`` -> ``from new.tracker import ...``);
- ``report``: no automatic replacement (a function replaced by a class): findings only, with
  the migration's own note.

One entry per line in the ``[flake8]`` section, readable without the README::

    ssot-migrations =
        agent-factory: get_agent_instance_factory -> create_agent_instance_factory(user_context)
        websocket-manager: create_websocket_manager -> get_websocket_manager(...)
        execution-tracker: core.execution_tracker.get_execution_tracker -> core.agent_tracker
        execution-engine: create_execution_engine -> report "use ExecutionEngineFactory"

Options of a context migration follow the entry after ``;``: ``context-type = ...``,
``methods = create_agent:1, ...``, ``classes = AgentInstanceFactory, ...``. The parsed form,
:class:`Migration`, does not depend on the file format (pyproject.toml builds the same).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Dict, Iterable, List, Mapping, Sequence, Tuple

CONTEXT, RENAME, MOVE, REPORT = "context", "rename", "move", "report"
SHAPES = (CONTEXT, RENAME, MOVE, REPORT)

_IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"
_DOTTED = rf"{_IDENTIFIER}(?:\.{_IDENTIFIER})*"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_CALL = re.compile(rf"({_IDENTIFIER})\(\s*({_IDENTIFIER}|\.\.\.)?\s*\)\Z")
_REPORT = re.compile(r'report(?:\s+"((?:[^"\\]|\\.)*)")?\Z')
_OPTION_KEYS = ("context-type", "methods", "classes")


class MigrationError(ValueError):
    """A malformed migration entry; the message is one line naming it and what is wrong."""


@dataclasses.dataclass(frozen=True)
class Migration:
    """One retired singleton and what replaces it."""

    #: Shown in messages and reports ("" for the table made of the older options).
    name: str
    shape: str
    #: The retired names (for a move, the names that leave ``old_module``).
    deprecated: Tuple[str, ...]
    #: The name to use instead (context and rename); "" for a move or a report.
    replacement: str = ""
    old_module: str = ""
    new_module: str = ""
    #: For a report: what to do instead, in the migration owner's words.
    note: str = ""
    context_keyword: str = "user_context"
    context_type: str = "UserExecutionContext"
    context_methods: Tuple[Tuple[str, int], ...] = ()
    factory_classes: Tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.name or "(default)"


@dataclasses.dataclass(frozen=True)
class ContextDefaults:
    """What a context migration that does not say otherwise takes (the ``ssot-*`` options)."""

    keyword: str = "user_context"
    context_type: str = "UserExecutionContext"
    methods: Tuple[Tuple[str, int], ...] = ()
    classes: Tuple[str, ...] = ()


def parse_migrations(
    text: str, defaults: ContextDefaults, option: str = "ssot-migrations"
) -> Tuple[Migration, ...]:
    """The table from the option's text: one entry per non-empty line (``#`` starts a
    comment line)."""
    entries = [line.strip() for line in text.splitlines()]
    migrations = [
        parse_entry(line, defaults, option) for line in entries if line and not line.startswith("#")
    ]
    if not migrations:
        raise MigrationError(f"--{option}: no migration given")
    check_table(migrations, option)
    return tuple(migrations)


def parse_entry(line: str, defaults: ContextDefaults, option: str) -> Migration:
    name, colon, rest = line.partition(":")
    name = name.strip()
    if not colon or not _NAME.match(name):
        raise MigrationError(
            f"--{option}: {line!r} is not 'name: old -> new' (a name, then a colon)"
        )
    where = f"--{option}: entry {name!r}"
    clauses = _split_outside_quotes(rest, ";")
    sources, arrow, target = clauses[0].partition("->")
    if not arrow:
        raise MigrationError(f"{where}: no '->' between the old names and the new one")
    options = _options(clauses[1:], where)
    return build_migration(
        name, [s.strip() for s in sources.split(",")], target.strip(), options, defaults, where
    )


def build_migration(
    name: str,
    sources: Sequence[str],
    target: str,
    options: Mapping[str, str],
    defaults: ContextDefaults,
    where: str,
) -> Migration:
    """A migration from its parts, whatever the file format wrote them in."""
    sources = [s for s in sources if s]
    if not sources:
        raise MigrationError(f"{where}: no old name before '->'")
    for source in sources:
        if not re.fullmatch(_DOTTED, source):
            raise MigrationError(f"{where}: {source!r} is not a name or a dotted path")
    report = _REPORT.match(target)
    call = _CALL.match(target)
    if report:
        shape, replacement, note = REPORT, "", (report.group(1) or "").replace('\\"', '"')
    elif call and call.group(2) not in (None, "..."):
        shape, replacement, note = CONTEXT, call.group(1), ""
    elif call or re.fullmatch(_IDENTIFIER, target):
        shape, replacement, note = RENAME, call.group(1) if call else target, ""
    elif re.fullmatch(_DOTTED, target):
        return _move(name, sources, target, options, where)
    else:
        raise MigrationError(
            f"{where}: {target!r} is not a replacement: write new_name(user_context), "
            'new_name(...), new.module or report "what to do"'
        )
    dotted = [s for s in sources if "." in s]
    if dotted:
        raise MigrationError(
            f"{where}: {dotted[0]!r} is a dotted path; only a move ('old.module.name -> "
            "new.module') names modules"
        )
    if shape != CONTEXT and options:
        raise MigrationError(
            f"{where}: {next(iter(options))!r} applies to a context migration only "
            "(new_name(user_context))"
        )
    if replacement in sources:
        raise MigrationError(f"{where}: {replacement!r} replaces itself")
    keyword = call.group(2) if shape == CONTEXT and call else defaults.keyword
    return Migration(
        name=name,
        shape=shape,
        deprecated=tuple(dict.fromkeys(sources)),
        replacement=replacement,
        note=note,
        context_keyword=keyword,
        context_type=options.get("context-type", defaults.context_type),
        context_methods=_methods(options["methods"], where)
        if "methods" in options
        else defaults.methods,
        factory_classes=_names(options["classes"], where)
        if "classes" in options
        else defaults.classes,
    )


def _move(
    name: str, sources: Sequence[str], target: str, options: Mapping[str, str], where: str
) -> Migration:
    if options:
        raise MigrationError(f"{where}: {next(iter(options))!r} does not apply to a move")
    modules = {source.rpartition(".")[0] for source in sources}
    names = tuple(dict.fromkeys(source.rpartition(".")[2] for source in sources))
    if "" in modules or len(modules) != 1:
        raise MigrationError(
            f"{where}: a move names its old module: write old.module.name (one module per entry)"
        )
    old_module = modules.pop()
    new_module = target
    head, _, last = target.rpartition(".")
    if len(names) == 1 and last == names[0] and head:
        new_module = head  # "old.mod.f -> new.mod.f": the target names the function too
    if new_module == old_module:
        raise MigrationError(f"{where}: the name moves to the module it is in ({old_module})")
    return Migration(name, MOVE, names, old_module=old_module, new_module=new_module)


def check_table(migrations: Sequence[Migration], option: str) -> None:
    seen: Dict[str, str] = {}
    names: Dict[str, str] = {}
    for migration in migrations:
        if migration.name in names:
            raise MigrationError(f"--{option}: two entries are named {migration.name!r}")
        names[migration.name] = migration.name
        for deprecated in migration.deprecated:
            key = f"{migration.old_module}.{deprecated}" if migration.shape == MOVE else deprecated
            if key in seen:
                raise MigrationError(
                    f"--{option}: {key!r} is retired by two entries "
                    f"({seen[key]!r} and {migration.name!r})"
                )
            seen[key] = migration.name


def _split_outside_quotes(text: str, separator: str) -> List[str]:
    parts: List[str] = []
    current: List[str] = []
    quoted = escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _options(clauses: Sequence[str], where: str) -> Dict[str, str]:
    options: Dict[str, str] = {}
    for clause in clauses:
        key, equals, value = clause.partition("=")
        key = key.strip()
        if not clause.strip():
            continue
        if not equals:
            raise MigrationError(f"{where}: {clause.strip()!r} is not 'key = value'")
        if key not in _OPTION_KEYS:
            hint = did_you_mean(key, _OPTION_KEYS)
            known = ", ".join(_OPTION_KEYS)
            raise MigrationError(f"{where}: unknown option {key!r}{hint}; the options are {known}")
        options[key] = value.strip()
    return options


def _methods(value: str, where: str) -> Tuple[Tuple[str, int], ...]:
    methods: Dict[str, int] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        method, colon, position = item.partition(":")
        if not colon or not re.fullmatch(_IDENTIFIER, method) or not position.isdigit():
            raise MigrationError(f"{where}: methods: {item!r} is not method:position")
        methods[method] = int(position)
    return tuple(methods.items())


def _names(value: str, where: str) -> Tuple[str, ...]:
    names = [part.strip() for part in value.split(",") if part.strip()]
    for item in names:
        if not re.fullmatch(_IDENTIFIER, item):
            raise MigrationError(f"{where}: classes: {item!r} is not a class name")
    return tuple(dict.fromkeys(names))


def implicit_migrations(
    factories: Sequence[Tuple[str, str]], defaults: ContextDefaults
) -> Tuple[Migration, ...]:
    """The table that the older options (``ssot-factories`` and the context options) stand
    for: one unnamed context migration per replacement."""
    grouped: Dict[str, List[str]] = {}
    for deprecated, replacement in factories:
        grouped.setdefault(replacement, []).append(deprecated)
    return tuple(
        Migration(
            name="",
            shape=CONTEXT,
            deprecated=tuple(names),
            replacement=replacement,
            context_keyword=defaults.keyword,
            context_type=defaults.context_type,
            context_methods=defaults.methods,
            factory_classes=defaults.classes,
        )
        for replacement, names in grouped.items()
    )


def describe(migration: Migration) -> str:
    """The entry as the table writes it (``ssot-factory rules`` and reports print this)."""
    olds = ", ".join(
        f"{migration.old_module}.{name}" if migration.shape == MOVE else name
        for name in migration.deprecated
    )
    new = written_target(
        migration.shape,
        migration.replacement,
        migration.context_keyword,
        migration.new_module,
        migration.note,
    )
    return f"{migration.label}: {olds} -> {new}"


def written_target(shape: str, replacement: str, keyword: str, new_module: str, note: str) -> str:
    """What an entry of the table writes after ``->`` for a migration of ``shape``."""
    if shape == CONTEXT:
        return f"{replacement}({keyword})"
    if shape == RENAME:
        return f"{replacement}(...)"
    if shape == MOVE:
        return new_module
    escaped = note.replace('"', '\\"')
    return f'report "{escaped}"' if note else "report"


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the choice closest to a misspelt ``name``, else ""."""
    import difflib  # only when a name is misspelt: every run would pay for it otherwise

    found = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean {found[0]!r}?)" if found else ""
