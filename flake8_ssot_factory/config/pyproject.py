"""``pyproject.toml``: the ``[tool.ssot-factory]`` table, and ``[tool.flake8]`` as the
Flake8-pyproject plugin reads it.

Values are turned into the text the ``[flake8]`` section would hold, so that one parser (the
settings') judges every route: an array is a comma-separated list (the migration table's is one
entry per line), and the migration table may also be a table of tables::

    [tool.ssot-factory.migrations.agent-factory]
    old = ["get_agent_instance_factory", "configure_agent_instance_factory"]
    new = "create_agent_instance_factory(user_context)"
    methods = ["create_agent:1"]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

from flake8_ssot_factory.config.migrations import did_you_mean
from flake8_ssot_factory.config.reading import read_config_bytes
from flake8_ssot_factory.config.settings import OPTIONS
from flake8_ssot_factory.config.sources import (
    FLAKE8_KEYS,
    ConfigError,
    Layer,
    Origin,
    readable,
    unknown_ssot_key,
)

FILE_NAME = "pyproject.toml"
TOOL = "ssot-factory"
#: ``[tool.ssot-factory]`` key -> the option it sets (the option's name without ``ssot-``).
KEYS: Mapping[str, str] = {
    **{spec.name[len("ssot-") :]: spec.name for spec in OPTIONS},
    "baseline": "ssot-baseline",
    "exclude": "exclude",
    "extend-exclude": "extend-exclude",
}
_FLAGS = frozenset(spec.name for spec in OPTIONS if spec.is_flag)
_SINGLE_VALUES = frozenset({"ssot-context-keyword", "ssot-context-type", "ssot-baseline"})
_MIGRATION_KEYS = ("old", "new", "report", "methods", "classes", "context-type")


def read_toml(path: Path) -> Dict[str, Any]:
    """The file's content; :class:`ConfigError` (one line naming the file) if it is not TOML."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    data = read_config_bytes(path)
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{readable(path)}: cannot read the configuration: {error}") from None
    except RecursionError:
        reason = "nested too deeply to be a configuration"
        raise ConfigError(f"{readable(path)}: cannot read the configuration: {reason}") from None


def find_pyproject(start: Path) -> Tuple[Optional[Path], List[Layer]]:
    """The nearest ``pyproject.toml`` from ``start`` upwards that configures this tool (with
    ``[tool.ssot-factory]`` or ``[tool.flake8]``), as ruff finds its own, and its layers (read
    once); home ends the search."""
    home = Path.home()
    folder = start.resolve()
    while True:
        candidate = folder / FILE_NAME
        if candidate.is_file():
            layers = pyproject_layers(candidate, read_toml(candidate))
            if layers:
                return candidate, layers
        if folder.parent == folder or folder.parent == home:
            return None, []
        folder = folder.parent


def pyproject_layers(path: Path, data: Mapping[str, Any]) -> List[Layer]:
    """``[tool.ssot-factory]`` then ``[tool.flake8]`` (the order of precedence), those present."""
    tool = data.get("tool")
    if not isinstance(tool, dict):
        return []
    _refuse_near_misses(path, tool)
    layers: List[Layer] = []
    ours = tool.get(TOOL)
    if ours is not None:
        origin = Origin(path, f"[tool.{TOOL}]", prefixed=False)
        layers.append(Layer(origin, _tool_values(ours, origin)))
    flake8 = tool.get("flake8")
    if flake8 is not None:
        origin = Origin(path, "[tool.flake8]", prefixed=True)
        layers.append(Layer(origin, _flake8_values(flake8, origin)))
    return layers


#: Table names a user may write for ours: the package's name, underscores for dashes.
_NEAR_MISSES = frozenset({"ssot-factory", "flake8-ssot-factory", "ssotfactory", "ssot"})


def _refuse_near_misses(path: Path, tool: Mapping[str, Any]) -> None:
    """``[tool.ssot_factory]``, ``[tool.flake8-ssot-factory]``...: a table that was meant to
    configure this tool is an error naming the right one, not silently passed over."""
    import difflib  # only read when a pyproject.toml is

    for name in tool:
        if name == TOOL:
            continue
        spelt = name.lower().replace("_", "-")
        close = difflib.SequenceMatcher(None, spelt, TOOL).ratio() >= 0.8
        if spelt in _NEAR_MISSES or close:
            raise ConfigError(
                f"{readable(path)}: [tool.{name}] is not read: the table is [tool.{TOOL}]"
            )


def _tool_values(table: object, origin: Origin) -> Dict[str, str]:
    if not isinstance(table, dict):
        raise ConfigError(f"{origin}: expected a table, got {_kind(table)}")
    values: Dict[str, str] = {}
    for key, value in table.items():
        option = KEYS.get(key.replace("_", "-"))
        if option is None:
            hint = did_you_mean(key, KEYS)
            raise ConfigError(
                f"{origin}: unknown key {key!r}{hint}; the keys are {', '.join(KEYS)}"
            )
        values[option] = _text(value, option, origin, key)
    return values


def _flake8_values(table: object, origin: Origin) -> Dict[str, str]:
    if not isinstance(table, dict):
        raise ConfigError(f"{origin}: expected a table, got {_kind(table)}")
    values: Dict[str, str] = {}
    for key, value in table.items():
        option = key.replace("_", "-")
        if option in FLAKE8_KEYS:
            values[option] = _text(value, option, origin, key)
        else:
            unknown_ssot_key(option, origin)  # flake8's own options are flake8's business
    return values


def _text(value: object, option: str, origin: Origin, key: str) -> str:
    where = f"{origin} {key}"
    if option in _FLAGS:
        if isinstance(value, bool):
            return "true" if value else "false"
        raise ConfigError(f"{where}: expected true or false, got {_kind(value)}")
    if isinstance(value, str):
        return value
    if option not in _SINGLE_VALUES and isinstance(value, list) and _is_list_of_text(value):
        return ("\n" if option == "ssot-migrations" else ",").join(value)
    if option == "ssot-migrations" and isinstance(value, dict):
        return "\n".join(_migration_line(name, entry, where) for name, entry in value.items())
    expected = "a string" if option in _SINGLE_VALUES else "a string or an array of strings"
    if option == "ssot-migrations":
        expected += ", or a table of migrations"
    raise ConfigError(f"{where}: expected {expected}, got {_kind(value)}")


def _migration_line(name: str, entry: object, where: str) -> str:
    """One table of the migration table as the line the ``[flake8]`` section would hold."""
    where = f"{where}.{name}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a table (old = ..., new = ...), got {_kind(entry)}")
    for key in entry:
        if key not in _MIGRATION_KEYS:
            hint = did_you_mean(key, _MIGRATION_KEYS)
            known = ", ".join(_MIGRATION_KEYS)
            raise ConfigError(f"{where}: unknown key {key!r}{hint}; the keys are {known}")
    if "old" not in entry:
        raise ConfigError(f"{where}: no 'old' (the retired names)")
    if ("new" in entry) == ("report" in entry):
        raise ConfigError(
            f"{where}: give 'new' (the replacement) or 'report' (a note), one of them"
        )
    olds = _parts(entry["old"], f"{where}.old")
    if "new" in entry:
        target = _parts(entry["new"], f"{where}.new", single=True)[0]
    else:
        note = _parts(entry["report"], f"{where}.report", single=True)[0]
        note = " ".join(note.split()).replace('"', '\\"')
        target = f'report "{note}"' if note else "report"
    options = [
        f"; {key} = {', '.join(_parts(entry[key], f'{where}.{key}', single=key == 'context-type'))}"
        for key in ("methods", "classes", "context-type")
        if key in entry
    ]
    return f"{name}: {', '.join(olds)} -> {target}{''.join(options)}"


def _parts(value: object, where: str, single: bool = False) -> List[str]:
    if isinstance(value, str):
        return [value]
    if not single and isinstance(value, list) and _is_list_of_text(value):
        return [str(item) for item in value]
    expected = "a string" if single else "a string or an array of strings"
    raise ConfigError(f"{where}: expected {expected}, got {_kind(value)}")


def _is_list_of_text(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _kind(value: object) -> str:
    """The TOML type of ``value``, as the message shows it."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "an array" if all(isinstance(i, str) for i in value) else "an array of non-strings"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, str):
        return f"the string {value!r}"
    return type(value).__name__
