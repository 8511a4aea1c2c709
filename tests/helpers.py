"""Run the engine in-process and render findings as flake8 does (``line:col: CODE message``)."""

from __future__ import annotations

import ast
import textwrap
from typing import List

from flake8_ssot_factory.config.settings import build_settings
from flake8_ssot_factory.engine.analysis import analyze
from flake8_ssot_factory.engine.positions import split_lines

D = "get_agent_instance_factory"
R = "create_agent_instance_factory"
D_MSG = f"{D}() is a deprecated singleton; use {R}(user_context)"
IMPORT_MSG = f"{D} is a deprecated singleton; import {R} and call {R}(user_context)"
REF_MSG = f"{D} is a deprecated singleton referenced without a call; use {R}(user_context)"
CREATE_MSG = (
    "create_agent() is called without a user context; "
    "pass user_context as argument 2 or as user_context="
)
R_MSG = f"{R}() is called without a user context; use {R}(user_context)"


def findings(source: str, **options: object) -> List[str]:
    """Findings for ``source`` (dedented) with ``ssot_*`` options given as keywords."""
    text = textwrap.dedent(source)
    values = {name.replace("_", "-"): value for name, value in options.items()}
    settings = build_settings(values)
    result = analyze(ast.parse(text), settings, split_lines(text))
    return [f"{f.line}:{f.col + 1}: {f.code} {f.message}" for f in result]


def codes(source: str, **options: object) -> List[str]:
    return [line.split()[1] for line in findings(source, **options)]
