"""flake8-ssot-factory: find, block and migrate uses of a retired singleton factory."""

from __future__ import annotations

import importlib.metadata

__version__ = importlib.metadata.version("flake8-ssot-factory")
