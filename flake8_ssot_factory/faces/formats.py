"""How ``ssot-factory check`` prints violations: text (flake8's format), json, github, sarif."""

from __future__ import annotations

import collections
import json
import os
from typing import Any, Dict, List, Sequence

import flake8_ssot_factory
from flake8_ssot_factory.engine.catalogue import RULES, RULES_BY_CODE
from flake8_ssot_factory.faces.escaping import sarif_uri
from flake8_ssot_factory.run.printable import (
    escape_controls,
    printable,
    relative_path,
    unicode_path,
)
from flake8_ssot_factory.run.results import Violation

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/flake8-ssot-factory/"


# flake8's colours: the path bold, the separators cyan, the code bold red.
_BOLD, _CYAN, _RED, _RESET = "\033[1m", "\033[36m", "\033[31m", "\033[m"


def render(
    violations: Sequence[Violation],
    fmt: str,
    show_source: bool = False,
    named: bool = False,
    colour: bool = False,
) -> str:
    """``named``: the migration table names its migrations, so JSON says which each is.
    Machine-readable formats carry each path normalised and relative (``app/x.py``, never
    ``./app/x.py``); text prints it as given, as flake8 does. ``colour``: text only."""
    if fmt == "json":
        return render_json(violations, named)
    if fmt == "github":
        return "".join(github_line(v) + "\n" for v in violations)
    if fmt == "sarif":
        return json.dumps(sarif_document(violations), indent=2) + "\n"
    return "".join(text_lines(v, show_source, colour) for v in violations)


def machine_path(path: str) -> str:
    """The path as machine-readable output carries it: normalised, relative to the current
    folder when under it, with forward slashes; control characters are the format's to escape."""
    return unicode_path(relative_path(path)).replace(os.sep, "/")


def text_line(v: Violation) -> str:
    """flake8's ``path:line:col: CODE message``, with nothing in it a terminal would obey."""
    return f"{printable(v.path)}:{v.line}:{v.col}: {v.code} {printable(v.message)}"


def text_lines(violation: Violation, show_source: bool, colour: bool = False) -> str:
    text = (_coloured(violation) if colour else text_line(violation)) + "\n"
    if show_source and violation.source:
        # As flake8 --show-source: the line, then a caret under the column (tabs kept, other
        # control characters escaped, the caret under the escaped text).
        prefix = escape_controls(violation.source[: max(violation.col - 1, 0)], keep="\t")
        pointer = "".join(c if c.isspace() else " " for c in prefix)
        line = escape_controls(violation.source, keep="\t")
        text += f"{line}\n{pointer}^\n"
    return text


def _coloured(v: Violation) -> str:
    colon = f"{_CYAN}:{_RESET}"
    return (
        f"{_BOLD}{printable(v.path)}{_RESET}{colon}{v.line}{colon}{v.col}{colon} "
        f"{_BOLD}{_RED}{v.code}{_RESET} {printable(v.message)}"
    )


def render_json(violations: Sequence[Violation], named: bool = False) -> str:
    """A JSON array of ``{path, line, column, code, message}``, sorted by path and position;
    with a table of named migrations, ``migration`` too (null for E902/E999)."""
    items: List[Dict[str, Any]] = [
        {
            "path": machine_path(v.path),
            "line": v.line,
            "column": v.col,
            "code": v.code,
            "message": v.message,
        }
        for v in violations
    ]
    if named:
        for item, violation in zip(items, violations):
            item["migration"] = violation.migration or None
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def github_line(violation: Violation) -> str:
    """A GitHub Actions workflow command: an error annotation on the file and line."""
    properties = ",".join(
        f"{name}={_escape_property(str(value))}"
        for name, value in (
            ("file", machine_path(violation.path)),
            ("line", violation.line),
            ("col", violation.col),
            ("title", violation.code),
        )
    )
    # The Actions log renders terminal escapes: a table's note could colour or hide lines.
    message = escape_controls(violation.code + " " + violation.message, keep="\r\n")
    return f"::error {properties}::{_escape_data(message)}"


def statistics(violations: Sequence[Violation]) -> str:
    """flake8 --statistics: a count per code, with the first message of that code."""
    counts = collections.Counter(v.code for v in violations)
    first: Dict[str, str] = {}
    for violation in violations:
        first.setdefault(violation.code, violation.message)
    return "".join(f"{counts[code]:<5} {code} {first[code]}\n" for code in sorted(counts))


def sarif_document(violations: Sequence[Violation]) -> Dict[str, Any]:
    # The rules' documentation runs the engine on their examples: loaded for SARIF only.
    from flake8_ssot_factory.faces.docs import render_rule

    rules = [
        {
            "id": rule.code,
            "name": rule.slug,
            "shortDescription": {"text": f"{rule.summary[0].upper()}{rule.summary[1:]}."},
            "fullDescription": {"text": rule.what_it_does},
            "help": {"text": rule.why_is_this_bad, "markdown": render_rule(rule, "#")},
            "helpUri": f"{INFORMATION_URI}#{rule.code.lower()}-{rule.slug}",
            "defaultConfiguration": {"level": "error"},
        }
        for rule in RULES
    ]
    index = {rule.code: position for position, rule in enumerate(RULES)}
    results: List[Dict[str, Any]] = []
    for v in violations:
        result: Dict[str, Any] = {
            "ruleId": v.code,
            "level": "error",
            "message": {"text": v.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": sarif_uri(v.path)},
                        "region": {"startLine": max(v.line, 1), "startColumn": max(v.col, 1)},
                    }
                }
            ],
        }
        if v.code in RULES_BY_CODE:
            result["ruleIndex"] = index[v.code]
        if v.migration:
            result["properties"] = {"migration": v.migration}
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "flake8-ssot-factory",
                        "version": flake8_ssot_factory.__version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
