"""``--show-settings``: the settings in effect, and where each comes from."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import List, TextIO, Tuple

from flake8_ssot_factory.config.files import load_config
from flake8_ssot_factory.config.settings import OPTIONS
from flake8_ssot_factory.config.sources import PRECEDENCE, FileConfig
from flake8_ssot_factory.faces.run_setup import settings_of
from flake8_ssot_factory.run.printable import escape_controls

COMMAND_LINE = "command line"
DEFAULT = "default"
NONE = "(none)"


def show_settings_command(args: argparse.Namespace, out: TextIO) -> int:
    config = load_config(args.config, Path.cwd())
    settings_of(args, config)  # a value that does not parse is reported, not shown as in effect
    out.write(render_settings(args, config))
    return 0


def render_settings(args: argparse.Namespace, config: FileConfig) -> str:
    read = ", ".join(str(origin) for origin in config.read) or "none"
    lines = [f"# order: {PRECEDENCE}", f"# read: {read}"]
    for name, value, origin in settings_in_effect(args, config):
        parts = [line.strip() for line in value.strip().splitlines() if line.strip()]
        if len(parts) <= 1:
            lines.append(f"{name} = {parts[0] if parts else ''}  # {origin}")
        else:  # the migration table: one entry per indented line, as in an ini file
            lines.append(f"{name} =  # {origin}")
            lines += [f"    {part}" for part in parts]
    # A value is the checkout's text: nothing in it may reach the terminal as an escape.
    return "\n".join(escape_controls(line) for line in lines) + "\n"


def settings_in_effect(args: argparse.Namespace, config: FileConfig) -> List[Tuple[str, str, str]]:
    """(option, value as written, where it comes from) for every setting of a run."""
    rows: List[Tuple[str, str, str]] = []
    for spec in OPTIONS:
        given = getattr(args, spec.name.replace("-", "_"), None)
        if given is not None:
            value = ("true" if given else "false") if spec.is_flag else str(given)
            rows.append((spec.name, value, COMMAND_LINE))
        elif spec.name in config.values:
            rows.append((spec.name, config.values[spec.name], str(config.origins[spec.name])))
        else:
            rows.append((spec.name, spec.default or ("false" if spec.is_flag else NONE), DEFAULT))
    table_given = any(name == "ssot-migrations" and origin != DEFAULT for name, _, origin in rows)
    if table_given:  # the table replaces the factories list: saying "default" would mislead
        rows = [
            (name, value, f"{origin} (replaced by ssot-migrations)")
            if name == "ssot-factories" and origin == DEFAULT
            else (name, value, origin)
            for name, value, origin in rows
        ]
    baseline = getattr(args, "baseline", None)
    if baseline:
        rows.append(("ssot-baseline", baseline, COMMAND_LINE))
    else:
        rows.append(_from_files(config, "ssot-baseline", NONE))
    rows.append(_from_files(config, "exclude", "(flake8's and ruff's usual folders)"))
    option, value, origin = _from_files(config, "extend-exclude", NONE)
    if args.extend_exclude:  # added to the configured patterns, not in place of them
        if origin == DEFAULT:
            value, origin = args.extend_exclude, COMMAND_LINE
        else:
            value, origin = f"{value},{args.extend_exclude}", f"{origin} + {COMMAND_LINE}"
    rows.append((option, value, origin))
    return rows


def _from_files(config: FileConfig, option: str, default: str) -> Tuple[str, str, str]:
    if option in config.values:
        return option, config.values[option], str(config.origins[option])
    return option, default, DEFAULT
