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
import keyword
import re
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

CONTEXT, RENAME, MOVE, REPORT = "context", "rename", "move", "report"
SHAPES = (CONTEXT, RENAME, MOVE, REPORT)

#: What may be a name (``python_name`` decides: PEP 3131 allows non-ASCII letters).
_IDENTIFIER = r"[^\W\d]\w*"
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
    #: (name, module) for each retired name written qualified by its module (every shape but
    #: a move, which has ``old_module``): only uses that come from that module count.
    modules: Tuple[Tuple[str, str], ...] = ()
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
    sources = [dotted_path(s, where, "a name or a dotted path") for s in sources if s]
    if not sources:
        raise MigrationError(f"{where}: no old name before '->'")
    report = _REPORT.match(target)
    call = _CALL.match(target)
    context_keyword = defaults.keyword
    if report:
        shape, replacement, note = REPORT, "", (report.group(1) or "").replace('\\"', '"')
    elif call and call.group(2) not in (None, "..."):
        shape, replacement, note = CONTEXT, identifier(call.group(1), where, "a name"), ""
        context_keyword = identifier(call.group(2), where, "a keyword argument's name")
    elif call or re.fullmatch(_IDENTIFIER, target):
        shape, note = RENAME, ""
        replacement = identifier(call.group(1) if call else target, where, "a name")
    elif all(re.fullmatch(_IDENTIFIER, part) for part in target.split(".")):
        return _move(name, sources, dotted_path(target, where, "a module"), options, where)
    else:
        raise MigrationError(
            f"{where}: {target!r} is not a replacement: write new_name(user_context), "
            'new_name(...), new.module or report "what to do"'
        )
    names, modules = _qualified(sources)
    if shape != CONTEXT and options:
        raise MigrationError(
            f"{where}: {next(iter(options))!r} applies to a context migration only "
            "(new_name(user_context))"
        )
    if replacement in names:
        raise MigrationError(f"{where}: {replacement!r} replaces itself")
    return Migration(
        name=name,
        shape=shape,
        deprecated=names,
        modules=modules,
        replacement=replacement,
        note=note,
        context_keyword=context_keyword,
        context_type=identifier(options["context-type"], where, "a class name")
        if "context-type" in options
        else defaults.context_type,
        context_methods=_methods(options["methods"], where)
        if "methods" in options
        else defaults.methods,
        factory_classes=_names(options["classes"], where)
        if "classes" in options
        else defaults.classes,
    )


def _qualified(sources: Sequence[str]) -> Tuple[Tuple[str, ...], Tuple[Tuple[str, str], ...]]:
    """The retired names, and (name, module) for those qualified by their module: a name
    written bare as well is retired wherever it comes from, and is not qualified."""
    names = tuple(dict.fromkeys(source.rpartition(".")[2] for source in sources))
    bare = {source for source in sources if "." not in source}
    modules = tuple(
        dict.fromkeys(
            (source.rpartition(".")[2], source.rpartition(".")[0])
            for source in sources
            if "." in source and source.rpartition(".")[2] not in bare
        )
    )
    return names, modules


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


def python_name(text: str) -> Optional[str]:
    """``text`` as Python reads it as a name: NFKC-normalised (PEP 3131: ``ﬁle`` is ``file``),
    or None when it is not an identifier or is a keyword (``class``; soft keywords such as
    ``match`` are names)."""
    if not text.isascii():
        import unicodedata  # only for a non-ASCII name

        text = unicodedata.normalize("NFKC", text)
    return text if text.isidentifier() and not keyword.iskeyword(text) else None


def identifier(text: str, where: str, what: str) -> str:
    """``text`` as a Python name (normalised), else MigrationError saying why not."""
    name = python_name(text)
    if name is None:
        raise MigrationError(_not_a_name(text, where, what))
    return name


def dotted_path(text: str, where: str, what: str) -> str:
    """``text``, names joined by dots (each normalised), else MigrationError saying why not."""
    names = [python_name(part) for part in text.split(".")]
    if not all(names):
        raise MigrationError(_not_a_name(text, where, what))
    return ".".join(name for name in names if name)


def _not_a_name(text: str, where: str, what: str) -> str:
    keywords = [part for part in text.split(".") if keyword.iskeyword(part)]
    if keywords:
        return f"{where}: {keywords[0]!r} is a Python keyword, not {what}"
    return f"{where}: {text!r} is not {what}"


def check_replacements(migrations: Sequence[Migration], option: str) -> None:
    """No migration may replace a name with one that the table retires: ``a -> b, b -> a``
    would flag what each fix writes, forever; ``a -> b, b -> c`` would make a fix write a name
    that is flagged at once (write ``a -> c``)."""
    retired: Dict[str, Migration] = {}
    for migration in migrations:
        for key in _retired_keys(migration):
            retired[key] = migration
    for migration in migrations:
        for old, new in _replacements(migration):
            if new not in retired:
                continue
            chain = [old, new]
            while chain[-1] in retired:
                following = _next(retired[chain[-1]], chain[-1])
                if following is None:
                    break
                if following in chain:
                    cycle = " -> ".join([*chain[chain.index(following) :], following])
                    raise MigrationError(
                        f"--{option}: {cycle}: a cycle (each name is retired for the next); "
                        "no fix can clear its findings"
                    )
                chain.append(following)
            by = _entry(retired[new])
            if chain[-1] in retired:  # retired with nothing to use instead (a report)
                raise MigrationError(
                    f"--{option}: {old!r} is replaced by {new!r}, which is retired with no "
                    f"replacement{by}"
                )
            raise MigrationError(
                f"--{option}: {old!r} is replaced by {new!r}, which is retired too{by}; "
                f"replace {old!r} by {chain[-1]!r} directly"
            )


def _retired_keys(migration: Migration) -> List[str]:
    if migration.shape == MOVE:
        return [f"{migration.old_module}.{name}" for name in migration.deprecated]
    return list(migration.deprecated)


def _replacements(migration: Migration) -> List[Tuple[str, str]]:
    """(retired, its replacement) pairs, spelt as ``_retired_keys`` spells the retired."""
    if migration.shape == MOVE:
        return [
            (f"{migration.old_module}.{name}", f"{migration.new_module}.{name}")
            for name in migration.deprecated
        ]
    if migration.shape in (CONTEXT, RENAME):
        return [(name, migration.replacement) for name in migration.deprecated]
    return []


def _next(migration: Migration, retired: str) -> Optional[str]:
    return dict(_replacements(migration)).get(retired)


def _entry(migration: Migration) -> str:
    return f" (by entry {migration.name!r})" if migration.name else ""


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
        if not colon or not position.isdigit() or not position.isascii():
            raise MigrationError(f"{where}: methods: {item!r} is not method:position")
        methods[identifier(method, f"{where}: methods", "a method name")] = int(position)
    return tuple(methods.items())


def _names(value: str, where: str) -> Tuple[str, ...]:
    names = [part.strip() for part in value.split(",") if part.strip()]
    return tuple(dict.fromkeys(identifier(n, f"{where}: classes", "a class name") for n in names))


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
    olds = ", ".join(written_sources(migration))
    new = written_target(
        migration.shape,
        migration.replacement,
        migration.context_keyword,
        migration.new_module,
        migration.note,
    )
    return f"{migration.label}: {olds} -> {new}"


def written_entry(migration: Migration, name: str, defaults: ContextDefaults) -> str:
    """The line of ``ssot-migrations`` that makes ``migration`` again under ``name``, with the
    options of a context migration that differ from ``defaults`` (what the line inherits)."""
    line = f"{name}: {describe(migration).partition(': ')[2]}"
    if migration.shape != CONTEXT:
        return line
    options = []
    if migration.context_type != defaults.context_type:
        options.append(f"context-type = {migration.context_type}")
    if migration.context_methods != defaults.methods:
        methods = ", ".join(
            f"{method}:{position}" for method, position in migration.context_methods
        )
        options.append(f"methods = {methods}")
    if migration.factory_classes != defaults.classes:
        options.append(f"classes = {', '.join(migration.factory_classes)}")
    return "; ".join([line, *options])


def written_sources(migration: Migration) -> List[str]:
    """The retired names as the table writes them: qualified by their module where they are."""
    if migration.shape == MOVE:
        return [f"{migration.old_module}.{name}" for name in migration.deprecated]
    written: List[str] = []
    for name in migration.deprecated:
        modules = [module for qualified, module in migration.modules if qualified == name]
        written += [f"{module}.{name}" for module in modules] if modules else [name]
    return written


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
