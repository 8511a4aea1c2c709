"""The flake8 entry point ``SSF`` (its home is faces/flake8.py; configurations name it here)."""

from flake8_ssot_factory.faces.flake8 import SSFChecker

__all__ = ["SSFChecker"]
