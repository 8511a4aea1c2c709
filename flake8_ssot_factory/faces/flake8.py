"""The flake8 face: options in, ``(line, col, "SSFnnn message", type)`` tuples out."""

from __future__ import annotations

import argparse
import ast
import sys
from typing import Any, Iterator, Optional, Sequence, Tuple

from flake8.exceptions import ExecutionError
from flake8.main.options import stage1_arg_parser
from flake8.options.manager import OptionManager

from flake8_ssot_factory import __version__
from flake8_ssot_factory.config.files import (
    ConfigError,
    FileConfig,
    merged_settings,
    plugin_config,
)
from flake8_ssot_factory.config.settings import (
    DEFAULT_SETTINGS,
    OPTIONS,
    Settings,
    SettingsError,
)
from flake8_ssot_factory.engine.analysis import analyze
from flake8_ssot_factory.engine.positions import Lines
from flake8_ssot_factory.engine.prefilter import lines_mention_watched_name
from flake8_ssot_factory.run.baseline import Baseline, BaselineError, load_baseline
from flake8_ssot_factory.run.printable import escape_controls

# The parsed settings travel on flake8's own options object (to worker processes too), so the
# plugin keeps no state of its own between files.
_SETTINGS_ATTRIBUTE = "ssot_settings"
_BASELINE_ATTRIBUTE = "ssot_baseline_findings"


def _dest(option: str) -> str:
    return option.replace("-", "_")


def settings_from_options(
    options: argparse.Namespace, config: Optional[FileConfig] = None
) -> Settings:
    """flake8's options (its command line and ``[flake8]`` section), else ``pyproject.toml``."""
    given = {spec.name: getattr(options, _dest(spec.name), None) for spec in OPTIONS}
    return merged_settings(given, config or FileConfig())


class SSFChecker:
    """flake8 entry point ``SSF``."""

    name = "flake8-ssot-factory"
    version = __version__

    def __init__(
        self,
        tree: ast.AST,
        lines: Sequence[str],
        filename: str = "stdin",
        options: Optional[argparse.Namespace] = None,
    ) -> None:
        self._tree = tree
        self._lines = lines
        self._filename = filename
        self._settings = _settings_of(options)
        self._baseline: Optional[Baseline] = getattr(options, _BASELINE_ATTRIBUTE, None)

    @staticmethod
    def add_options(option_manager: OptionManager) -> None:
        for spec in OPTIONS:
            if spec.is_flag:
                # None when unset, so that pyproject.toml can still set it.
                option_manager.add_option(
                    f"--{spec.name}",
                    action="store_true",
                    default=None,
                    parse_from_config=True,
                    help=spec.help_with_default,
                )
            else:
                # Unset by default (the settings fill in the default): a value given nowhere
                # must be told from one set to the default (ssot-migrations replaces
                # ssot-factories only when that was not set).
                option_manager.add_option(
                    f"--{spec.name}",
                    default=None,
                    parse_from_config=True,
                    help=spec.help_with_default,
                )
        option_manager.add_option(
            "--ssot-baseline",
            default=None,
            parse_from_config=True,
            normalize_paths=True,
            help="Report only findings not recorded in this baseline file "
            "(written by ssot-factory baseline).",
        )

    @staticmethod
    def parse_options(
        option_manager: OptionManager, options: argparse.Namespace, args: Sequence[str]
    ) -> None:
        try:
            config = plugin_config(*_flake8_file_arguments())
            settings = settings_from_options(options, config)
            baseline = _baseline(options, config)
        except (ConfigError, SettingsError, BaselineError) as error:
            raise ExecutionError(str(error)) from None
        setattr(options, _SETTINGS_ATTRIBUTE, settings)
        setattr(options, _BASELINE_ATTRIBUTE, baseline)

    def run(self) -> Iterator[Tuple[int, int, str, type[Any]]]:
        if not lines_mention_watched_name(self._lines, self._settings):
            return
        findings = analyze(self._tree, self._settings, self._lines)
        if self._baseline is not None:
            lines = Lines(self._lines)
            keys = [
                self._baseline.key(
                    self._filename, f.code, lines.text(f.line), dict(f.params).get("migration", "")
                )
                for f in findings
            ]
            findings = [f for f, new in zip(findings, self._baseline.keep_new(keys)) if new]
        for finding in findings:
            # flake8 prints the message as it is: a table's note must not reach the terminal
            # as an escape (``check`` escapes it the same way).
            message = escape_controls(finding.message)
            yield finding.line, finding.col, f"{finding.code} {message}", type(self)


def _flake8_file_arguments() -> Tuple[Optional[str], bool]:
    """flake8's ``--config`` and ``--isolated``. flake8 takes them off its command line before
    it parses the rest, so the options a plugin sees never carry them: they are read again,
    with flake8's own parser, from the command line that started flake8 (worker processes
    inherit it)."""
    if not sys.argv or "flake8" not in sys.argv[0]:
        return None, False  # flake8 called from another program: its files are found as usual
    try:
        known, _ = stage1_arg_parser().parse_known_args(sys.argv[1:])
    except SystemExit:  # flake8 has reported the malformed command line already
        return None, False
    return getattr(known, "config", None), bool(getattr(known, "isolated", False))


def _baseline(options: argparse.Namespace, config: FileConfig) -> Optional[Baseline]:
    given = getattr(options, "ssot_baseline", None)
    # flake8 makes a path with a "/" from its [flake8] section absolute, and leaves a bare
    # name relative to the current folder: the file that sets it is where it starts.
    origin = config.origins.get("ssot-baseline")
    from_section = origin is not None and origin.section == "[flake8]"
    if given and from_section and not _on_command_line("--ssot-baseline"):
        given = None
    if given:
        return load_baseline(given, "--ssot-baseline")
    configured = config.file_named("ssot-baseline")
    if configured is None:
        return None
    return load_baseline(configured, config.where("ssot-baseline"))


def _on_command_line(option: str) -> bool:
    return any(arg == option or arg.startswith(f"{option}=") for arg in sys.argv[1:])


def _settings_of(options: Optional[argparse.Namespace]) -> Settings:
    if options is None:
        return DEFAULT_SETTINGS
    settings = getattr(options, _SETTINGS_ATTRIBUTE, None)
    return settings if isinstance(settings, Settings) else settings_from_options(options)
