"""Where settings come from: configuration files, their sections, and the order that decides
between them.

The order is the same for the command line and the flake8 plugin (the plugin cannot tell a
value given on flake8's command line from one in its ``[flake8]`` section)::

    command line > [flake8] (setup.cfg, tox.ini, .flake8) > pyproject.toml [tool.ssot-factory]
                 > pyproject.toml [tool.flake8] > defaults

Each setting is taken whole from the first place that sets it; values are not merged.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Collection, Dict, Mapping, Optional, Sequence

from flake8_ssot_factory.config.migrations import did_you_mean
from flake8_ssot_factory.config.settings import OPTIONS

PRECEDENCE = (
    "command line > [flake8] > pyproject.toml [tool.ssot-factory] > "
    "pyproject.toml [tool.flake8] > default"
)
#: The options of a ``[flake8]`` section (or ``[tool.flake8]``) that this tool reads.
SSOT_KEYS = (*(spec.name for spec in OPTIONS), "ssot-baseline")
FLAKE8_KEYS = (*SSOT_KEYS, "exclude", "extend-exclude")


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message is one line naming it."""


@dataclasses.dataclass(frozen=True)
class Origin:
    """A section of a configuration file."""

    path: Path
    section: str
    #: Whether its keys carry the ``ssot-`` prefix (``[flake8]``) or not (``[tool.ssot-factory]``).
    prefixed: bool = True

    def key(self, option: str) -> str:
        """``option`` as this section spells it."""
        return option if self.prefixed or not option.startswith("ssot-") else option[5:]

    def __str__(self) -> str:
        return f"{readable(self.path)} {self.section}"


@dataclasses.dataclass(frozen=True)
class Layer:
    """The values one section sets, by option name (``ssot-factories``, ``exclude``, ...)."""

    origin: Origin
    values: Mapping[str, str]


@dataclasses.dataclass(frozen=True)
class FileConfig:
    """The settings the configuration files give, each with the section it came from."""

    #: The file that anchors the project: the cache is kept beside it.
    path: Optional[Path] = None
    values: Mapping[str, str] = dataclasses.field(default_factory=dict)
    origins: Mapping[str, Origin] = dataclasses.field(default_factory=dict)
    #: Every section read, in the order of precedence (``--show-settings`` lists them).
    read: Sequence[Origin] = ()

    @classmethod
    def of(cls, layers: Sequence[Layer], path: Optional[Path] = None) -> FileConfig:
        """The layers merged: each option from the first layer that sets it."""
        values: Dict[str, str] = {}
        origins: Dict[str, Origin] = {}
        for layer in layers:
            for option, value in layer.values.items():
                if option not in values:
                    values[option] = value
                    origins[option] = layer.origin
        anchor = path or (layers[0].origin.path if layers else None)
        return cls(anchor, values, origins, tuple(layer.origin for layer in layers))

    @property
    def folder(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()

    def folder_of(self, option: str) -> Path:
        """The folder that the option's relative paths start from: that of its file."""
        origin = self.origins.get(option)
        return origin.path.parent if origin is not None else self.folder

    def file_named(self, option: str) -> Optional[str]:
        """The file the option names (relative to the file that set it); None when unset."""
        value = self.values.get(option, "").strip()
        return readable(self.folder_of(option) / value) if value else None

    def where(self, option: str) -> str:
        """How a message names the option: ``pyproject.toml [tool.ssot-factory] baseline``."""
        origin = self.origins.get(option)
        return f"{origin} {origin.key(option)}" if origin is not None else f"--{option}"

    def flag(self, option: str) -> Optional[bool]:
        if option not in self.values:
            return None
        value = self.values[option].strip().lower()
        if value in _BOOLEANS:
            return _BOOLEANS[value]
        raise ConfigError(f"{self.where(option)}: {self.values[option]!r} is not a boolean")


# As configparser reads a boolean (flake8 reads its section with configparser).
_BOOLEANS = {
    "1": True,
    "yes": True,
    "true": True,
    "on": True,
    "0": False,
    "no": False,
    "false": False,
    "off": False,
}


def unknown_ssot_key(option: str, origin: Origin) -> None:
    """Raise :class:`ConfigError` if ``option`` (dashed) looks meant for this tool but is not
    one of its options: a misspelt setting must not be silently ignored."""
    if option.startswith("ssot-") and option not in SSOT_KEYS:
        hint = did_you_mean(option, SSOT_KEYS)
        raise ConfigError(f"{origin}: unknown option {option!r}{hint}")


def readable(path: Path) -> str:
    """A file as a message shows it: relative to the current folder when under it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
    return str(path) if relative.startswith(os.pardir) else relative


def located(message: str, config: FileConfig, from_files: Collection[str]) -> str:
    """A settings error naming the file and key it came from, when it came from one
    (``pyproject.toml [tool.ssot-factory] factories: ...`` rather than ``--ssot-factories``)."""
    option, colon, rest = message.partition(": ")
    if colon and option.startswith("--") and option[2:] in from_files:
        return f"{config.where(option[2:])}:{rest and ' ' + rest}"
    return message
