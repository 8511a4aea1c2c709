"""The package's layers import downwards only: config <- engine <- run <- fixer <- faces.

The engine is a pure function of a syntax tree; run reads files and runs the engine; the
fixer plans and writes rewrites; faces are the command line and the flake8 plugin. An import
that runs up (the engine reaching for the runner's line splitting, the fixer for the command
line's wording) ties a lower layer to a higher one; this test names every such import.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import List

import flake8_ssot_factory

PACKAGE = Path(flake8_ssot_factory.__file__).parent
#: Lowest first. The package's own ``__init__`` (its name and version) sits below them all,
#: its entry points (``cli.py``, ``plugin.py``, ``__main__.py``) above them all.
LAYERS = ("config", "engine", "run", "fixer", "faces")


def layer_of(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("__init__", "_version"):
        return -1
    if parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return len(LAYERS)  # an entry point


def imports_of(path: Path) -> List[str]:
    """Every module of the package that ``path`` imports, at any depth (in functions too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return [name for name in found if name.split(".")[0] == "flake8_ssot_factory"]


def test_every_import_runs_down_the_layers() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(relative.parts)
        for imported in imports_of(path):
            if layer_of(imported) > layer_of(module):
                upward.append(f"{module} imports {imported}")
    assert upward == []


def test_the_layer_rule_sees_an_upward_import() -> None:
    """The rule itself: an engine module importing the runner is caught."""
    assert layer_of("flake8_ssot_factory.run.source") > layer_of(
        "flake8_ssot_factory.engine.rules.context"
    )
    assert layer_of("flake8_ssot_factory") < layer_of("flake8_ssot_factory.config.files")
