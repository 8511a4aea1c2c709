"""What a run of the command is made of: its configuration, settings, files, cache and
baseline, read from the arguments and the configuration file the same way for every command."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import List, Optional, Tuple

from flake8_ssot_factory import PROG
from flake8_ssot_factory.config.files import (
    FileConfig,
    load_config,
    merged_settings,
    normalize_paths,
    split_list,
)
from flake8_ssot_factory.config.migrations import did_you_mean
from flake8_ssot_factory.config.settings import OPTIONS, Settings
from flake8_ssot_factory.run.baseline import Baseline, load_baseline
from flake8_ssot_factory.run.cache import Cache, cache_folder, fingerprint, trusted_key
from flake8_ssot_factory.run.cache_key import CacheKeyError
from flake8_ssot_factory.run.discovery import DEFAULT_EXCLUDE, expand_paths


class UsageError(Exception):
    """Wrong arguments or configuration: one line on stderr, exit 2."""


def files_and_settings(args: argparse.Namespace) -> Tuple[FileConfig, Settings, List[str]]:
    config = load_config(args.config, Path.cwd())
    settings = settings_of(args, config)
    return config, settings, expand_paths(args.paths, exclude_of(args, config))


def settings_of(args: argparse.Namespace, config: FileConfig) -> Settings:
    """The settings: each option from the command line, else from the configuration files."""
    given = {spec.name: getattr(args, spec.name.replace("-", "_")) for spec in OPTIONS}
    settings = merged_settings(given, config)
    return selected_migrations(settings, getattr(args, "migrations", None))


def selected_migrations(settings: Settings, names: Optional[str]) -> Settings:
    """The settings with only the migrations ``--migrations`` names."""
    if not names:
        return settings
    known = [m.name for m in settings.table if m.name]
    wanted = split_list(names)
    for name in wanted:
        if name not in known:
            hint = did_you_mean(name, known)
            listing = ", ".join(known) if known else "none: ssot-migrations is not set"
            raise UsageError(
                f"--migrations: no migration {name!r}{hint}; the migrations are {listing}"
            )
    return dataclasses.replace(
        settings, migrations=tuple(m for m in settings.table if m.name in wanted)
    )


def exclude_of(args: argparse.Namespace, config: FileConfig) -> Tuple[str, ...]:
    if "exclude" in config.values:
        exclude = normalize_paths(split_list(config.values["exclude"]), config.folder_of("exclude"))
    else:
        exclude = DEFAULT_EXCLUDE
    extend = split_list(config.values.get("extend-exclude", ""))
    exclude += normalize_paths(extend, config.folder_of("extend-exclude"))
    if args.extend_exclude:
        exclude += normalize_paths(split_list(args.extend_exclude), Path.cwd())
    return exclude


def baseline_path_of(args: argparse.Namespace, config: FileConfig) -> Optional[str]:
    given = getattr(args, "baseline", None)
    if given:
        return str(given)
    return config.file_named("ssot-baseline")


def check_baseline_writable(args: argparse.Namespace, config: FileConfig, path: str) -> None:
    """Raise :class:`UsageError` unless the tool may write the baseline ``path``: one given on
    the command line, or one inside the folder of the configuration file that names it. A
    checkout's configuration must not make the tool write elsewhere (``../../x.json``, a
    folder or a file that is a link out of the project)."""
    if getattr(args, "write", None) or getattr(args, "baseline", None):
        return
    project = config.folder_of("ssot-baseline").resolve()
    target = Path(path).resolve()
    if target != project and project not in target.parents:
        raise UsageError(
            f"{config.where('ssot-baseline')}: {path} is outside the project ({project}); "
            "a baseline there is written only when the command line names it (--write, "
            "--baseline)"
        )


def baseline_of(
    args: argparse.Namespace, config: FileConfig
) -> Tuple[Optional[str], Optional[Baseline]]:
    """The baseline file and its content; an error names the option or the configuration
    key that gave it (``setup.cfg [flake8] ssot-baseline: .baseline.json: no such file``)."""
    path = baseline_path_of(args, config)
    if path is None:
        return None, None
    label = "--baseline" if getattr(args, "baseline", None) else config.where("ssot-baseline")
    return path, load_baseline(path, label)


def open_cache(
    args: argparse.Namespace, config: FileConfig, settings: Settings, kind: str
) -> Optional[Cache]:
    if args.no_cache:
        return None
    folder = cache_folder(args.cache_dir, config.folder)
    key = cache_key_of(folder)
    return Cache(folder, fingerprint(settings, kind), key) if key is not None else None


def cache_key_of(folder: Path) -> Optional[bytes]:
    """The key that seals the caches in ``folder``; None, with a warning, when there is none."""
    try:
        return trusted_key(folder)
    except CacheKeyError as error:
        print(f"{PROG}: warning: {error}; running without the cache", file=sys.stderr)
        return None


def save_cache(cache: Optional[Cache]) -> None:
    problem = cache.save() if cache is not None else None
    if problem is not None:
        print(f"{PROG}: warning: {problem}; running without it", file=sys.stderr)
