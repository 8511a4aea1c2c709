"""The values the command line offers, kept apart from the modules that use them so that
building the parser loads none of those."""

from __future__ import annotations

#: ``check --format``.
FORMATS = ("text", "json", "github", "sarif")
#: ``report --format``.
REPORT_FORMATS = ("text", "json", "markdown")
#: ``discover --format``.
DISCOVER_FORMATS = ("text", "json", "toml")
