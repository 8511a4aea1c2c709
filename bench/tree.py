"""The benchmark tree: the running interpreter's standard library, copied, with factory uses
planted in a few percent of the files (every shape the checker handles)."""

from __future__ import annotations

import random
import shutil
import sysconfig
from pathlib import Path

PLANTED = """

# --- planted by bench/tree.py: the old singleton API, as the real code base used it ---
from netra_backend.app.agents.supervisor.agent_instance_factory import (  # noqa: E402
    AgentInstanceFactory,
    get_agent_instance_factory,
)
from unittest.mock import patch as _ssot_patch  # noqa: E402


class _SsotLegacyHandler:
    def __init__(self, factory: AgentInstanceFactory = None):
        self.factory = factory or get_agent_instance_factory()

    def handle(self, user_context):
        agent = self.factory.create_agent("DataHelper")
        return agent, self.factory.create_agent("DataHelper", user_context)


@_ssot_patch("netra_backend.app.agents.supervisor.agent_instance_factory.get_agent_instance_factory")
def _ssot_legacy_test(mock_factory):
    return get_agent_instance_factory().create_agent("Triage")
"""


def build_tree(destination: Path, share: float = 0.03, seed: int = 2026) -> tuple[int, int]:
    """Copy the standard library's ``*.py`` files (no site-packages) and plant uses.

    Returns (files, planted). The same seed plants the same files on every run.
    """
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    if destination.exists():
        shutil.rmtree(destination)
    sources = sorted(
        path
        for path in stdlib.rglob("*.py")
        if "site-packages" not in path.parts and path.is_file() and not path.is_symlink()
    )
    chosen = set(random.Random(seed).sample(range(len(sources)), int(len(sources) * share)))
    for index, source in enumerate(sources):
        target = destination / source.relative_to(stdlib)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = source.read_bytes()
        if index in chosen:
            data += PLANTED.encode()
        target.write_bytes(data)
    return len(sources), len(chosen)
