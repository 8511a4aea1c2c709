"""The benchmark tree: the running interpreter's standard library, copied, with factory uses
planted in a few percent of the files (every shape the checker handles)."""

from __future__ import annotations

import random
import shutil
import sysconfig
from pathlib import Path

_HEADER = """

# --- planted by bench/tree.py: the old singleton API, as the real code base used it ---
"""
_MODULE = "netra_backend.app.agents.supervisor.agent_instance_factory"

#: The shapes of MIGRATION.md, one planted per chosen file in turn.
PLANTED_SHAPES = (
    # A service: a parenthesised import, a context in scope everywhere: fully fixable.
    f"""from {_MODULE} import (  # noqa: E402
    get_agent_instance_factory,
)
import {_MODULE} as _ssot_aif  # noqa: E402


class _SsotService:
    def __init__(self, user_context):
        self.user_context = user_context
        self.factory = get_agent_instance_factory()

    def handle(self, name):
        return self.factory.create_agent(name)


def _ssot_handler(user_context):
    return _ssot_aif.get_agent_instance_factory().create_agent("DataHelper")
""",
    # A test module: patch targets, an alias, no context in scope.
    f"""from unittest.mock import patch as _ssot_patch  # noqa: E402
from {_MODULE} import get_agent_instance_factory as _ssot_gaif  # noqa: E402


@_ssot_patch("{_MODULE}.get_agent_instance_factory")
def _ssot_legacy_test(mock_factory):
    return _ssot_gaif().create_agent("Triage")
""",
    # A handler with an annotated factory; one call with a context, one without.
    f"""from {_MODULE} import (  # noqa: E402
    AgentInstanceFactory,
    get_agent_instance_factory,
)


class _SsotLegacyHandler:
    def __init__(self, factory: AgentInstanceFactory = None):
        self.factory = factory or get_agent_instance_factory()

    def handle(self, user_context):
        agent = self.factory.create_agent("DataHelper")
        return agent, self.factory.create_agent("DataHelper", user_context)
""",
    # Two deprecated names in one import, and a use silenced with noqa (still a use).
    f"""from {_MODULE} import (  # noqa: E402
    configure_agent_instance_factory,
    get_agent_instance_factory,
)


def _ssot_build(user_context):
    primary = get_agent_instance_factory()
    legacy = configure_agent_instance_factory()
    kept = get_agent_instance_factory()  # noqa: SSF002
    return primary, legacy, kept
""",
    # Names like the context that are not one: a module-level fixture, a context bound only
    # after the call; and one that is: set in setup_method.
    f"""import pytest as _ssot_pytest  # noqa: E402
from {_MODULE} import get_agent_instance_factory as _ssot_gaif  # noqa: E402


@_ssot_pytest.fixture
def user_context():
    return object()


async def _ssot_handle(request):
    factory = _ssot_gaif()
    user_context = await request.context()
    return factory, user_context


class _SsotTestHandler:
    def setup_method(self):
        self.user_context = object()

    def test_create(self):
        factory = _ssot_gaif()
        return factory.create_agent("Triage")
""",
    # An alias written over a backslash, beside the replacement; a generator argument.
    f"""from {_MODULE} import create_agent_instance_factory  # noqa: E402
from {_MODULE} import get_agent_instance_factory \\
    as _ssot_legacy  # noqa: E402


def _ssot_agents(user_context, names):
    factory = _ssot_legacy()
    return factory.create_agent(name for name in names)
""",
)

#: A service and the test that patches it, added as modules of their own (a package
#: ``ssot_app``): the fix of one must keep the other working.
_SERVICE = f"""from {_MODULE} import get_agent_instance_factory


def handle(user_context, name):
    return get_agent_instance_factory().create_agent(name, user_context)
"""
_SERVICE_TEST = """from unittest.mock import patch


@patch("ssot_app.services.chat_{n}.get_agent_instance_factory")
def test_handle(mock_factory):
    mock_factory.return_value.create_agent.return_value = "agent"
"""
SERVICE_PAIRS = 10


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
    picked = random.Random(seed).sample(range(len(sources)), int(len(sources) * share))
    shape_of = {index: PLANTED_SHAPES[n % len(PLANTED_SHAPES)] for n, index in enumerate(picked)}
    for index, source in enumerate(sources):
        target = destination / source.relative_to(stdlib)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = source.read_bytes()
        if index in shape_of:
            data += (_HEADER + shape_of[index]).encode()
        target.write_bytes(data)
    app = destination / "ssot_app"
    for folder in (app, app / "services", app / "tests"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text("")
    for n in range(SERVICE_PAIRS):
        (app / "services" / f"chat_{n}.py").write_text(_SERVICE)
        (app / "tests" / f"test_chat_{n}.py").write_text(_SERVICE_TEST.format(n=n))
    return len(sources) + 3 + 2 * SERVICE_PAIRS, len(shape_of) + 2 * SERVICE_PAIRS
