"""Configuration: the option definitions and the frozen settings object built from them.

Both faces (the flake8 plugin and the command line) register and read the same options, so one
``[flake8]`` section configures both.
"""

from __future__ import annotations

import dataclasses
import functools
import keyword
import re
from typing import Iterable, Mapping, Optional

from flake8_ssot_factory.config.migrations import (
    CONTEXT,
    MOVE,
    RENAME,
    ContextDefaults,
    Migration,
    MigrationError,
    check_replacements,
    implicit_migrations,
    parse_migrations,
    python_name,
)
from flake8_ssot_factory.config.name_trie import Trie, name_trie
from flake8_ssot_factory.config.needles import Needles

_SEPARATORS = re.compile(r"[,\s]+")


class SettingsError(ValueError):
    """A malformed option value; the message is one line naming the option and the value."""


@dataclasses.dataclass(frozen=True)
class OptionSpec:
    """One ``ssot-*`` option as flake8 and the command line know it."""

    name: str
    default: str
    help: str
    is_flag: bool = False
    #: The README's configuration table says more than ``--help`` (generated from here).
    doc: str = ""

    @property
    def help_with_default(self) -> str:
        """The help text with the default spelt out (argparse would print ``None``: the
        parsers leave an option unset, so that a setting given nowhere is known as such)."""
        if self.is_flag or not self.default:
            return self.help
        return f"{self.help} (default: {self.default})"


OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec(
        "ssot-factories",
        "get_agent_instance_factory:create_agent_instance_factory,"
        "configure_agent_instance_factory:create_agent_instance_factory",
        "Comma-separated deprecated:replacement factory pairs.",
        doc="`deprecated:replacement` pairs. Deprecated names are flagged (SSF001–SSF004); "
        "replacements must get a context (SSF011).",
    ),
    OptionSpec(
        "ssot-context-methods",
        "create_agent:1,create_agent_instance:1",
        "Comma-separated method:position pairs: methods that need a user context, and the "
        "0-based index of the context among the positional arguments.",
        doc="`method:position` pairs: methods of a factory that need the user context, and its "
        "0-based position among the positional arguments (SSF010).",
    ),
    OptionSpec(
        "ssot-context-keyword",
        "user_context",
        "The keyword argument that carries the user context.",
        doc="the keyword that carries the context. A context under another keyword is no context.",
    ),
    OptionSpec(
        "ssot-factory-classes",
        "AgentInstanceFactory",
        "Comma-separated class names whose instances are agent factories.",
        doc="classes whose instances are factories (a parameter or field annotated with one "
        "is a factory).",
    ),
    OptionSpec(
        "ssot-context-type",
        "UserExecutionContext",
        "The class of user contexts: the fixer passes a parameter annotated with it.",
        doc="the class of user contexts: `fix` passes a parameter annotated with it when no "
        "name matches the keyword.",
    ),
    OptionSpec(
        "ssot-any-receiver",
        "",
        "Flag context-method calls on any receiver, not only on known factories.",
        is_flag=True,
        doc="flag context-method calls on every receiver, not only on known factories "
        "(noisy: `create_agent` exists on many unrelated objects).",
    ),
    OptionSpec(
        "ssot-migrations",
        "",
        "The migration table, one entry per line: 'name: old, old2 -> new(user_context)' "
        "(context), 'new(...)' (rename), 'new.module' (move of old.module.name), "
        "'report \"note\"'. Replaces ssot-factories; the other options are its defaults.",
        doc="the migration table (next section): several retired singletons, each of its "
        "shape. Replaces `factories`; the context options above are its defaults.",
    ),
)


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything the analysis needs to know, fixed for a whole run.

    The derived views below are computed once per settings object (they are pure functions of
    the fields), because the plugin consults them for every file.
    """

    #: (deprecated, replacement) pairs, in the order given.
    factories: tuple[tuple[str, str], ...]
    #: (method, 0-based position of the context among the positional arguments).
    context_methods: tuple[tuple[str, int], ...]
    context_keyword: str
    factory_classes: tuple[str, ...]
    any_receiver: bool = False
    context_type: str = "UserExecutionContext"
    #: The migration table; by default, the one ``factories`` and the options above make.
    migrations: tuple[Migration, ...] = ()

    @functools.cached_property
    def table(self) -> tuple[Migration, ...]:
        """The migrations in effect: the configured table, or the one the options make."""
        if self.migrations:
            return self.migrations
        defaults = ContextDefaults(
            self.context_keyword, self.context_type, self.context_methods, self.factory_classes
        )
        return implicit_migrations(self.factories, defaults)

    @functools.cached_property
    def named_migrations(self) -> bool:
        """Whether migrations have names (messages and reports then say which)."""
        return any(migration.name for migration in self.table)

    @functools.cached_property
    def by_deprecated(self) -> Mapping[str, Migration]:
        """Retired names matched by name wherever they come from (every shape but a move)."""
        return {n: m for m in self.table if m.shape != MOVE for n in m.deprecated}

    @functools.cached_property
    def unqualified_names(self) -> frozenset[str]:
        """Retired names that count wherever they come from (written without a module)."""
        return frozenset(
            name
            for migration in self.table
            if migration.shape != MOVE
            for name in migration.deprecated
            if all(name != qualified for qualified, _ in migration.modules)
        )

    @functools.cached_property
    def qualified_modules(self) -> Mapping[str, tuple[str, ...]]:
        """Retired names written with their module (every shape but a move): the modules a
        use must come from to count."""
        found: dict[str, list[str]] = {}
        for migration in self.table:
            if migration.shape != MOVE:
                for name, module in migration.modules:
                    found.setdefault(name, []).append(module)
        return {name: tuple(modules) for name, modules in found.items()}

    @functools.cached_property
    def moves(self) -> Mapping[str, tuple[Migration, ...]]:
        """Moved names: they count only where they come from their old module."""
        found: dict[str, list[Migration]] = {}
        for migration in self.table:
            if migration.shape == MOVE:
                for name in migration.deprecated:
                    found.setdefault(name, []).append(migration)
        return {name: tuple(moves) for name, moves in found.items()}

    @functools.cached_property
    def by_replacement(self) -> Mapping[str, Migration]:
        found: dict[str, Migration] = {}
        for migration in self.table:
            if migration.shape in (CONTEXT, RENAME):
                found.setdefault(migration.replacement, migration)
        return found

    @functools.cached_property
    def replacement_for(self) -> Mapping[str, str]:
        """Retired name -> the name that replaces it (context and rename migrations)."""
        return {
            name: migration.replacement
            for name, migration in self.by_deprecated.items()
            if migration.shape in (CONTEXT, RENAME)
        }

    @functools.cached_property
    def renames(self) -> Mapping[str, str]:
        """Every old spelling and its new one: retired names, and old modules of moves."""
        found = dict(self.replacement_for)
        found.update({m.old_module: m.new_module for m in self.table if m.shape == MOVE})
        return found

    @functools.cached_property
    def deprecated_names(self) -> frozenset[str]:
        return frozenset(self.by_deprecated)

    @functools.cached_property
    def replacement_names(self) -> frozenset[str]:
        """Replacements that need a user context (SSF011)."""
        return frozenset(m.replacement for m in self.table if m.shape == CONTEXT)

    @functools.cached_property
    def renamed_names(self) -> frozenset[str]:
        """Replacements of rename migrations (arguments kept: no context to check)."""
        return frozenset(m.replacement for m in self.table if m.shape == RENAME)

    @functools.cached_property
    def context_position(self) -> Mapping[str, int]:
        return dict(self.context_methods)

    @functools.cached_property
    def method_migrations(self) -> Mapping[str, tuple[tuple[Migration, int], ...]]:
        """Context method -> the context migrations that have it, with the position."""
        found: dict[str, list[tuple[Migration, int]]] = {}
        for migration in self.table:
            if migration.shape == CONTEXT:
                for method, position in migration.context_methods:
                    found.setdefault(method, []).append((migration, position))
        return {method: tuple(items) for method, items in found.items()}

    @functools.cached_property
    def class_migration(self) -> Mapping[str, Migration]:
        """Factory class -> the context migration whose factories it makes."""
        found: dict[str, Migration] = {}
        for migration in self.table:
            if migration.shape == CONTEXT:
                for name in migration.factory_classes:
                    found.setdefault(name, migration)
        return found

    @functools.cached_property
    def maker_names(self) -> frozenset[str]:
        """Names whose call makes a factory: a context migration's retired names and
        replacement, and its factory classes."""
        names = {n for n, m in self.by_deprecated.items() if m.shape == CONTEXT}
        names.update(self.replacement_names)
        names.update(self.class_migration)
        return frozenset(names)

    @functools.cached_property
    def context_types(self) -> frozenset[str]:
        return frozenset(m.context_type for m in self.table if m.shape == CONTEXT)

    @functools.cached_property
    def context_keywords(self) -> frozenset[str]:
        return frozenset(m.context_keyword for m in self.table if m.shape == CONTEXT)

    @functools.cached_property
    def migration_named(self) -> Mapping[str, Migration]:
        return {m.name: m for m in self.table}

    @functools.cached_property
    def watched_names(self) -> tuple[str, ...]:
        """Names without which a file cannot hold a finding (aliases come from imports of them)."""
        names = {*self.deprecated_names, *self.moves, *self.replacement_names}
        names.update(self.renamed_names)
        names.update(self.method_migrations)
        return tuple(sorted(names))

    @functools.cached_property
    def finding_names(self) -> frozenset[str]:
        """Names without one of which a file holds no finding. A context method alone is not
        enough: a receiver is known to be a factory only through a retired or replacement
        factory or a factory class, which the file would spell (unless any receiver counts)."""
        names = {*self.deprecated_names, *self.moves, *self.replacement_names}
        names.update(self.class_migration)
        if self.any_receiver:
            names.update(self.method_migrations)
        return frozenset(names)

    @functools.cached_property
    def prefilter_names(self) -> tuple[str, ...]:
        """:attr:`finding_names` as a file is searched for them: a name that contains another
        (``create_agent_instance`` contains ``create_agent``) adds nothing to the search."""
        return _shortest(self.finding_names)

    @functools.cached_property
    def prefilter_needles(self) -> Needles:
        """:attr:`finding_names`, for searching a file's bytes before it is decoded: those
        retired only from given modules count with one of those modules (see Needles)."""
        return self._needles(self.finding_names)

    @functools.cached_property
    def progress_needles(self) -> Needles:
        """For the progress report, also the new names of renames: a call of one is a call site
        migrated, in a file that may hold no finding."""
        return self._needles(self.finding_names | self.renamed_names)

    def _needles(self, names: frozenset[str]) -> Needles:
        counted_anywhere = {
            *self.unqualified_names,
            *self.replacement_names,
            *self.renamed_names,
            *self.class_migration,
            *(self.method_migrations if self.any_receiver else ()),
        }
        modules: dict[str, set[str]] = {}
        for name, qualifiers in self.qualified_modules.items():
            modules.setdefault(name, set()).update(qualifiers)
        for name, moves in self.moves.items():
            modules.setdefault(name, set()).update(move.old_module for move in moves)
        plain = _shortest(frozenset(n for n in names if n not in modules or n in counted_anywhere))
        # A qualified name that holds a plain one is found with it.
        plain_trie = name_trie(plain)
        qualified = {
            name.encode("utf-8"): tuple(
                sorted({m.rpartition(".")[2].encode("utf-8") for m in modules[name]})
            )
            for name in sorted(names)
            if name in modules
            and name not in counted_anywhere
            and not _holds_another(plain_trie, name, itself=False)
        }
        return Needles([*(n.encode("utf-8") for n in plain), *qualified], qualified)


def _shortest(names: frozenset[str]) -> tuple[str, ...]:
    """``names`` but those that contain another: searched for, they add nothing. Each name is
    walked through a trie of them all from each of its positions (comparing every name with
    every other took a minute for a table of ten thousand entries)."""
    trie = name_trie(names)
    return tuple(sorted(name for name in names if not _holds_another(trie, name)))


def _holds_another(trie: Trie, name: str, itself: bool = True) -> bool:
    """Whether ``name`` holds a name of ``trie`` (other than itself, when it is one)."""
    for start in range(len(name)):
        node = trie
        for end in range(start, len(name)):
            below: Optional[Trie] = node.get(name[end])
            if below is None:
                break
            if "" in below and (not itself or (start, end) != (0, len(name) - 1)):
                return True
            node = below
    return False


def _items(option: str, value: str) -> list[str]:
    items = [item for item in _SEPARATORS.split(value.strip()) if item]
    if not items:
        raise SettingsError(f"--{option}: needs at least one value, got {value!r}")
    return items


def _identifier(option: str, item: str, name: str) -> str:
    normal = python_name(name)
    if normal is None:
        if keyword.iskeyword(name):
            raise SettingsError(f"--{option}: {name!r} in {item!r} is a Python keyword, not a name")
        raise SettingsError(f"--{option}: {name!r} in {item!r} is not a Python identifier")
    return normal


def _pair(option: str, item: str, shape: str) -> tuple[str, str]:
    left, colon, right = item.partition(":")
    if not colon:
        raise SettingsError(f"--{option}: {item!r} is not a {shape} pair (no colon)")
    return left, right


def parse_factories(value: str) -> tuple[tuple[str, str], ...]:
    option = "ssot-factories"
    pairs: dict[str, str] = {}
    for item in _items(option, value):
        deprecated, replacement = _pair(option, item, "deprecated:replacement")
        deprecated = _identifier(option, item, deprecated)
        replacement = _identifier(option, item, replacement)
        if deprecated == replacement:
            raise SettingsError(f"--{option}: {item!r} replaces a name with itself")
        if pairs.get(deprecated, replacement) != replacement:
            raise SettingsError(f"--{option}: {deprecated!r} is given two replacements")
        pairs[deprecated] = replacement
    return tuple(pairs.items())


def parse_context_methods(value: str) -> tuple[tuple[str, int], ...]:
    option = "ssot-context-methods"
    methods: dict[str, int] = {}
    for item in _items(option, value):
        method, position = _pair(option, item, "method:position")
        method = _identifier(option, item, method)
        if not position.isdigit() or not position.isascii():
            raise SettingsError(
                f"--{option}: position {position!r} in {item!r} is not a whole number >= 0"
            )
        methods[method] = int(position)
    return tuple(methods.items())


def parse_names(option: str, value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_identifier(option, item, item) for item in _items(option, value)))


def parse_keyword(value: str, option: str = "ssot-context-keyword") -> str:
    names = parse_names(option, value)
    if len(names) != 1:
        raise SettingsError(f"--{option}: expected one name, got {value!r}")
    return names[0]


def build_settings(values: Mapping[str, object]) -> Settings:
    """Build settings from option values keyed by option name (``ssot-factories``, ...).

    A missing value takes the default. Raises :class:`SettingsError` for a malformed one.
    """
    defaults: dict[str, object] = {spec.name: spec.default for spec in OPTIONS}
    given = {k: v for k, v in values.items() if v is not None}
    merged = {**defaults, **given}
    settings = Settings(
        factories=parse_factories(_text(merged, "ssot-factories")),
        context_methods=parse_context_methods(_text(merged, "ssot-context-methods")),
        context_keyword=parse_keyword(_text(merged, "ssot-context-keyword")),
        factory_classes=parse_names("ssot-factory-classes", _text(merged, "ssot-factory-classes")),
        any_receiver=bool(merged["ssot-any-receiver"]),
        context_type=parse_keyword(_text(merged, "ssot-context-type"), "ssot-context-type"),
    )
    table = given.get("ssot-migrations")
    if table is None:
        return _checked(settings, "ssot-factories")
    if not table or (isinstance(table, str) and not table.strip()):
        raise SettingsError(
            "--ssot-migrations: empty; give at least one entry, or remove the option to use "
            "--ssot-factories (which has a default)"
        )
    if "ssot-factories" in given:
        raise SettingsError(
            "--ssot-migrations: set it or --ssot-factories, not both "
            "(the table names every retired factory)"
        )
    context_defaults = ContextDefaults(
        settings.context_keyword,
        settings.context_type,
        settings.context_methods,
        settings.factory_classes,
    )
    try:
        migrations = (
            table
            if isinstance(table, tuple)
            else parse_migrations(_text(merged, "ssot-migrations"), context_defaults)
        )
    except MigrationError as error:
        raise SettingsError(str(error)) from None
    return _checked(dataclasses.replace(settings, migrations=migrations), "ssot-migrations")


def _checked(settings: Settings, option: str) -> Settings:
    """``settings``, once its table is known to mean something: no replacement is retired."""
    try:
        check_replacements(settings.table, option)
    except MigrationError as error:
        raise SettingsError(str(error)) from None
    return settings


def _text(values: Mapping[str, object], option: str) -> str:
    value = values[option]
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable):
        separator = "\n" if option == "ssot-migrations" else ","
        return separator.join(str(item) for item in value)
    raise SettingsError(f"--{option}: expected text, got {value!r}")


DEFAULT_SETTINGS = build_settings({})
