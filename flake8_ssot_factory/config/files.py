"""Finding and reading the configuration: the ``[flake8]`` section (as flake8 finds and reads it)
and ``pyproject.toml``, merged in the order :mod:`.sources` documents."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Set, Tuple

from flake8_ssot_factory.config.pyproject import find_pyproject, pyproject_layers, read_toml
from flake8_ssot_factory.config.reading import parse_ini, read_config_bytes, read_ini
from flake8_ssot_factory.config.settings import OPTIONS, Settings, SettingsError, build_settings
from flake8_ssot_factory.config.sources import (
    FLAKE8_KEYS,
    ConfigError,
    FileConfig,
    Layer,
    Origin,
    located,
    unknown_ssot_key,
)

__all__ = ["ConfigError", "FileConfig", "load_config", "plugin_config", "split_list"]

CONFIG_FILES = ("setup.cfg", "tox.ini", ".flake8")
_FLAKE8_SECTIONS = ("flake8", "flake8:local-plugins")
_FLAKE8_HEADER = re.compile(r"^[ \t]*\[flake8(?::local-plugins)?\]", re.MULTILINE)


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
    """The command line's configuration: ``--config FILE`` alone, or the ``[flake8]`` file and
    the ``pyproject.toml`` found from ``start`` upwards."""
    if explicit is not None:
        return _explicit_config(explicit)
    flake8_file = find_config_file(start)
    layers = _flake8_layers(flake8_file) if flake8_file else []
    pyproject, from_pyproject = find_pyproject(start)
    layers += from_pyproject
    return FileConfig.of(layers, flake8_file or pyproject)


def plugin_config(explicit: Optional[str], isolated: bool) -> FileConfig:
    """What the flake8 plugin reads beyond flake8's options: ``pyproject.toml``.

    flake8 reads its own section (a value there arrives as an option); the plugin reads it
    again to reject a misspelt ``ssot-*`` key, which flake8 would silently ignore, and to know
    which file set a path (flake8 leaves ``b.json`` relative to the current folder).
    ``explicit`` and ``isolated`` are flake8's ``--config`` and ``--isolated``: nothing is
    read under ``--isolated``, as flake8 reads no file then.
    """
    if isolated:
        return FileConfig()
    start = Path.cwd()
    flake8_file = Path(explicit) if explicit else find_config_file(start)
    layers = []
    if flake8_file is not None and flake8_file.is_file():
        layers = _flake8_layers(flake8_file)
    return FileConfig.of([*layers, *find_pyproject(start)[1]])


def _explicit_config(explicit: str) -> FileConfig:
    path = Path(explicit)
    if not path.exists():
        raise ConfigError(f"--config: {explicit}: no such file")
    if not path.is_file():  # a pipe would block the run, a device never end
        raise ConfigError(f"--config: {explicit}: not a regular file")
    if path.suffix == ".toml":
        layers = pyproject_layers(path, read_toml(path))
        expected = "[tool.ssot-factory] or [tool.flake8]"
    else:
        layers = _flake8_layers(path)
        expected = "a [flake8] section with ssot-*, exclude or extend-exclude options"
    if not any(layer.values for layer in layers):
        raise ConfigError(
            f"--config: {explicit}: no settings for ssot-factory in it (expected {expected})"
        )
    return FileConfig.of(layers, path)


def _flake8_layers(path: Path) -> List[Layer]:
    parser = read_ini(path)
    origin = Origin(path, "[flake8]")
    if not parser.has_section("flake8"):
        return []
    values: Dict[str, str] = {}
    for key, value in parser["flake8"].items():
        option = key.replace("_", "-")
        if option in FLAKE8_KEYS:
            values[option] = value
        else:
            unknown_ssot_key(option, origin)
    return [Layer(origin, values)]


def _has_flake8_section(path: Path) -> bool:
    try:
        data = read_config_bytes(path)
    except ConfigError:
        return False  # flake8 too passes over a file it cannot read
    try:
        parser = parse_ini(path, data)
    except ConfigError:
        # flake8 passes over a file it cannot parse (or dies on one with a section twice).
        # One with a [flake8] header is meant for it: read, it is an error naming the file and
        # line; passed over, the default table would run on a project that configured another.
        return _FLAKE8_HEADER.search(data.decode("utf-8", errors="replace")) is not None
    return any(parser.has_section(section) for section in _FLAKE8_SECTIONS)


def split_list(value: str) -> Tuple[str, ...]:
    return tuple(item.strip() for item in value.replace("\n", ",").split(",") if item.strip())


def normalize_paths(items: Tuple[str, ...], folder: Path) -> Tuple[str, ...]:
    """flake8's rule: an item with a ``/`` is a path relative to the config's folder."""
    return tuple(os.path.abspath(folder / item) if "/" in item else item for item in items)


def merged_settings(given: Mapping[str, object], config: FileConfig) -> Settings:
    """The settings: each option as ``given`` (by either face's command line; None when not
    given), else as the configuration files set it. A malformed value from a file is named by
    its file and key (``pyproject.toml [tool.ssot-factory] factories: ...``)."""
    values: Dict[str, object] = {}
    from_files: Set[str] = set()
    for spec in OPTIONS:
        value = given.get(spec.name)
        if value is None and spec.name in config.values:
            from_files.add(spec.name)
            value = config.flag(spec.name) if spec.is_flag else config.values[spec.name]
        values[spec.name] = value
    try:
        return build_settings(values)
    except SettingsError as error:
        raise SettingsError(located(str(error), config, from_files)) from None
