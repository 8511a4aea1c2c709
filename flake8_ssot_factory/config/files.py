"""The ``[flake8]`` section the command line shares with flake8: found and read as flake8 does."""

from __future__ import annotations

import configparser
import dataclasses
import os
from pathlib import Path
from typing import Dict, Mapping, Optional, Tuple

from flake8_ssot_factory.config.settings import OPTIONS, SettingsError

CONFIG_FILES = ("setup.cfg", "tox.ini", ".flake8")
_FLAKE8_SECTIONS = ("flake8", "flake8:local-plugins")
#: Options of the section besides ``ssot-*`` that the command line honours.
_SHARED_OPTIONS = ("exclude", "extend-exclude", "ssot-baseline")


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message is one line naming it."""


@dataclasses.dataclass(frozen=True)
class FileConfig:
    """Option values from a config file, keyed by their dashed names (``ssot-factories``)."""

    path: Optional[Path] = None
    values: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()

    def flag(self, option: str) -> Optional[bool]:
        if option not in self.values:
            return None
        value = self.values[option].strip().lower()
        if value in configparser.RawConfigParser.BOOLEAN_STATES:
            return configparser.RawConfigParser.BOOLEAN_STATES[value]
        raise SettingsError(f"--{option}: {self.values[option]!r} in {self.path} is not a boolean")


def find_config_file(start: Path) -> Optional[Path]:
    """The first file with a ``[flake8]`` section from ``start`` upwards, stopping at home."""
    home = Path.home()
    folder = start.resolve()
    while True:
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file() and _has_flake8_section(candidate):
                return candidate
        if folder.parent == folder or folder.parent == home:
            return None
        folder = folder.parent


def load_config(explicit: Optional[str], start: Path) -> FileConfig:
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"--config: {explicit}: no such file")
    else:
        found = find_config_file(start)
        if found is None:
            return FileConfig()
        path = found
    parser = _read(path)
    section = parser["flake8"] if parser.has_section("flake8") else {}
    known = {spec.name for spec in OPTIONS} | set(_SHARED_OPTIONS)
    values: Dict[str, str] = {}
    for key, value in section.items():
        name = key.replace("_", "-")
        if name in known:
            values[name] = value
    return FileConfig(path, values)


def _has_flake8_section(path: Path) -> bool:
    try:
        parser = _read(path)
    except ConfigError:
        return False  # flake8 too ignores a config file it cannot parse
    return any(parser.has_section(section) for section in _FLAKE8_SECTIONS)


def _read(path: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (UnicodeDecodeError, configparser.Error) as error:
        reason = str(error).splitlines()[0]
        raise ConfigError(f"{path}: cannot read the configuration: {reason}") from None
    return parser


def split_list(value: str) -> Tuple[str, ...]:
    return tuple(item.strip() for item in value.replace("\n", ",").split(",") if item.strip())


def normalize_paths(items: Tuple[str, ...], folder: Path) -> Tuple[str, ...]:
    """flake8's rule: an item with a ``/`` is a path relative to the config's folder."""
    return tuple(os.path.abspath(folder / item) if "/" in item else item for item in items)
