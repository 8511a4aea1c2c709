"""The ``ssot-factory`` command's entry point (its home is faces/cli.py)."""

from flake8_ssot_factory.faces.cli import main

__all__ = ["main"]
