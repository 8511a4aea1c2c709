"""The benchmark tree: shaped like the code base this tool was built for.

That code base has about 25,000 Python files and 10 million lines; 5% of its files spell a
watched name, most of them long test modules, and half of those only spell a context method
(``orchestrator.create_agent(...)`` on objects that are no factory). This builds the same
shape from what the machine has:

- the standard libraries of the CPython interpreters installed under pyenv (3.9 to 3.13; the
  running one's alone when there are none) and the running environment's site-packages,
  copied as many times as it takes to pass 20,000 files and 8 million lines;
- long generated test modules with the shapes of MIGRATION.md (parenthesised, relative,
  fallback and TYPE_CHECKING imports, aliases, patch targets, contexts named ``user_context``,
  ``context``, ``self.user_a_context``...), half of them spelling only a context method;
- the same shapes appended to a few library files;
- ten services and the tests that patch them (for bench/fix_proof.py).

The same seed builds the same tree, byte for byte.
"""

from __future__ import annotations

import dataclasses
import glob
import os
import random
import shutil
import sys
import sysconfig
from pathlib import Path
from typing import List, Tuple

MODULE = "netra_backend.app.agents.supervisor.agent_instance_factory"
MIN_FILES = 20_000
MIN_LINES = 8_000_000
#: Share of all files that spell a watched name, and of those, the share that are generated
#: test modules (the rest: library files with shapes appended).
PLANTED_SHARE = 0.05
GENERATED_SHARE = 0.8


@dataclasses.dataclass(frozen=True)
class TreeStats:
    files: int
    lines: int
    planted: int
    context_method_only: int
    generated: int


def library_sources() -> List[Path]:
    """Folders of Python source the machine has: standard libraries and site-packages."""
    found = sorted(
        Path(folder)
        for folder in glob.glob(os.path.expanduser("~/.pyenv/versions/3.*/lib/python3.*"))
        if Path(folder).name.split("python")[-1] in {"3.9", "3.10", "3.11", "3.12", "3.13"}
    )
    if not found:
        found = [Path(sysconfig.get_paths()["stdlib"])]
    return [*found, Path(sysconfig.get_paths()["purelib"])]


def _python_files(root: Path) -> List[Path]:
    files = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(s for s in subfolders if s not in ("site-packages", "__pycache__"))
        if root.name.startswith("python3") and "site-packages" in Path(folder).parts:
            continue
        files += [Path(folder) / n for n in sorted(names) if n.endswith(".py")]
    return [f for f in files if f.is_file() and not f.is_symlink()]


def build_tree(destination: Path, seed: int = 2026) -> TreeStats:
    rng = random.Random(seed)
    if destination.exists():
        shutil.rmtree(destination)
    libraries = [(root, _python_files(root)) for root in library_sources()]
    copied: List[Path] = []
    lines = 0
    copy = 0
    target_files = int(MIN_FILES * (1 - PLANTED_SHARE * GENERATED_SHARE)) + 1
    while len(copied) < target_files or lines < MIN_LINES * 0.85:
        for index, (root, files) in enumerate(libraries):
            label = f"lib{copy}/{index}_{root.name}"
            for source in files:
                target = destination / label / source.relative_to(root)
                target.parent.mkdir(parents=True, exist_ok=True)
                data = source.read_bytes()
                target.write_bytes(data)
                copied.append(target)
                lines += data.count(b"\n")
        copy += 1
    total = int(len(copied) / (1 - PLANTED_SHARE * GENERATED_SHARE))
    planted = int(total * PLANTED_SHARE)
    generated = int(planted * GENERATED_SHARE)
    appended = planted - generated
    context_only = 0
    tests = destination / "netra_tests"
    for n in range(generated):
        only_methods = n % 2 == 1
        context_only += only_methods
        module = _test_module(rng, n, only_methods)
        path = tests / f"group_{n % 40:02d}" / f"test_agent_flow_{n:04d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(module)
        lines += module.count("\n")
    for n, index in enumerate(sorted(rng.sample(range(len(copied)), appended))):
        only_methods = n % 2 == 1
        context_only += only_methods
        block = _CONTEXT_ONLY_BLOCK if only_methods else _LIBRARY_BLOCKS[n % len(_LIBRARY_BLOCKS)]
        with open(copied[index], "ab") as stream:
            stream.write(("\n\n# --- planted by bench/tree.py ---\n" + block).encode())
        lines += block.count("\n") + 3
    services = _services(destination)
    total_files = len(copied) + generated + services
    return TreeStats(total_files, lines, planted + services, context_only, generated)


# -- generated test modules ------------------------------------------------------------------

_HEADERS = (
    f"from {MODULE} import (\n    AgentInstanceFactory,\n    get_agent_instance_factory,\n)\n",
    "from ..agents.supervisor.agent_instance_factory import get_agent_instance_factory\n",
    f"try:\n    from {MODULE} import get_agent_instance_factory\n"
    "except ImportError:  # older deployments\n"
    "    from netra_backend.app.agents.supervisor_consolidated import get_agent_instance_factory\n",
    "from typing import TYPE_CHECKING\n\n"
    f"if TYPE_CHECKING:\n    from {MODULE} import AgentInstanceFactory\n"
    f"from {MODULE} import get_agent_instance_factory\n",
    f"import {MODULE} as aif\n",
    f"from {MODULE} import get_agent_instance_factory as legacy_factory\n",
)
_TEST_BODIES = (
    # A test that uses the singleton and no context.
    """    def test_{name}_creates_agent(self):
        factory = {getter}
        agent = factory.create_agent("{agent}")
        assert agent is not None
        assert agent.name == "{agent}"
""",
    # A test with a context set up in setup_method.
    """    def test_{name}_with_context(self):
        factory = create_agent_instance_factory(self.user_context)
        agent = factory.create_agent("{agent}", self.user_context)
        result = agent.run({{"message": "hello", "thread_id": "{name}"}})
        assert result["status"] == "ok"
""",
    # A test that patches the singleton.
    """    @patch("{module}.get_agent_instance_factory")
    def test_{name}_patched(self, mock_factory):
        mock_factory.return_value.create_agent.return_value = MagicMock(name="{agent}")
        handler = ChatHandler()
        handler.handle("hello")
        mock_factory.assert_called_once()
""",
    # A deliberate negative test.
    """    def test_{name}_raises_without_context(self):
        with pytest.raises(ValueError):
            {getter}
""",
    # An orchestrator's create_agent: not a factory.
    """    def test_{name}_orchestrator(self):
        orchestrator = Orchestrator()
        triage = orchestrator.create_agent("triage", "TriageAgent001")
        assert triage.agent_id == "TriageAgent001"
""",
)
_CONTEXT_ONLY_BODIES = (
    """    def test_{name}_orchestrator(self):
        orchestrator = Orchestrator(config={{"retries": {n}}})
        triage = orchestrator.create_agent("triage", "TriageAgent{n:03d}")
        assert triage.agent_id == "TriageAgent{n:03d}"
        assert orchestrator.agents["triage"] is triage
""",
    """    def test_{name}_registry(self):
        registry = AgentRegistry()
        registry.register("{agent}", MagicMock())
        agent = registry.create_agent("{agent}", {{"temperature": 0.{n}}})
        assert agent is registry.get("{agent}")
""",
    """    async def test_{name}_mocked(self):
        mock_factory = AsyncMock()
        mock_factory.create_agent.return_value = MagicMock(name="{agent}")
        result = await run_pipeline(mock_factory, "{agent}")
        mock_factory.create_agent.assert_awaited_once_with("{agent}")
        assert result.ok
""",
)
_FILLER = (
    """    def test_{name}_payload_shape(self):
        payload = {{
            "id": "{name}-{n}",
            "user_id": "user-{n}",
            "thread_id": "thread-{n}",
            "messages": [{{"role": "user", "content": "hello {n}"}}],
            "metadata": {{"source": "websocket", "attempt": {n}}},
        }}
        assert validate_payload(payload) is True
        assert payload["metadata"]["attempt"] == {n}
""",
    """    def test_{name}_state_transitions(self):
        state = ExecutionState.PENDING
        for step in ("start", "run", "finish"):
            state = advance(state, step)
            assert state is not None
        assert state == ExecutionState.COMPLETED
""",
    """    @pytest.mark.parametrize("count", [1, 2, 5, {n}])
    def test_{name}_batches(self, count):
        batch = make_batch(count)
        assert len(batch) == count
        assert all(item.ready for item in batch)
""",
)
_AGENTS = ("DataHelper", "Triage", "Supervisor", "Reporting", "Optimizer", "Research")


def _test_module(rng: random.Random, n: int, only_methods: bool) -> str:
    header = "" if only_methods else _HEADERS[n % len(_HEADERS)]
    getter = {
        4: "aif.get_agent_instance_factory()",
        5: "legacy_factory()",
    }.get(n % len(_HEADERS), "get_agent_instance_factory()")
    parts = [
        f'"""Agent flow tests, group {n % 40}: generated by bench/tree.py."""\n\n',
        "import pytest\nfrom unittest.mock import AsyncMock, MagicMock, patch\n\n",
        header,
        "\nfrom netra_backend.app.agents.orchestrator import Orchestrator\n\n\n",
    ]
    context_name = ("user_context", "context", "user_a_context")[n % 3]
    for class_index in range(rng.randint(3, 14)):
        parts.append(f"class TestAgentFlow{class_index}:\n")
        parts.append(
            f"    def setup_method(self):\n        self.{context_name} = make_context('u{n}')\n"
            f"        self.user_context = self.{context_name}\n\n"
        )
        for test_index in range(rng.randint(4, 9)):
            name = f"case_{class_index}_{test_index}"
            values = {
                "name": name,
                "n": test_index,
                "agent": rng.choice(_AGENTS),
                "getter": getter,
                "module": "netra_backend.app.services.chat_service",
            }
            pool: Tuple[str, ...] = (
                (*_CONTEXT_ONLY_BODIES, *_FILLER) if only_methods else (*_TEST_BODIES, *_FILLER)
            )
            parts.append(rng.choice(pool).format(**values) + "\n")
        parts.append("\n")
    return "".join(parts)


# -- shapes appended to library files --------------------------------------------------------

_LIBRARY_BLOCKS = (
    f"""from {MODULE} import (  # noqa: E402
    get_agent_instance_factory,
)


class _SsotService:
    def __init__(self, user_context):
        self.user_context = user_context
        self.factory = get_agent_instance_factory()

    def handle(self, name):
        return self.factory.create_agent(name)
""",
    f"""from {MODULE} import get_agent_instance_factory as _ssot_gaif  # noqa: E402


def _ssot_legacy(user_context):
    return _ssot_gaif().create_agent("Triage")
""",
)
_CONTEXT_ONLY_BLOCK = """def _ssot_orchestrate(orchestrator):
    return orchestrator.create_agent("triage", "TriageAgent001")
"""

# -- services and the tests that patch them (bench/fix_proof.py) -----------------------------

_SERVICE = f"""from {MODULE} import get_agent_instance_factory


def handle(user_context, name):
    return get_agent_instance_factory().create_agent(name, user_context)
"""
_SERVICE_TEST = """from unittest.mock import patch


@patch("ssot_app.services.chat_{n}.get_agent_instance_factory")
def test_handle(mock_factory):
    mock_factory.return_value.create_agent.return_value = "agent"
"""
SERVICE_PAIRS = 10


def _services(destination: Path) -> int:
    app = destination / "ssot_app"
    for folder in (app, app / "services", app / "tests"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text("")
    for n in range(SERVICE_PAIRS):
        (app / "services" / f"chat_{n}.py").write_text(_SERVICE)
        (app / "tests" / f"test_chat_{n}.py").write_text(_SERVICE_TEST.format(n=n))
    return 3 + 2 * SERVICE_PAIRS


def describe(stats: TreeStats) -> str:
    return (
        f"tree: {stats.files:,} files, {stats.lines:,} lines; {stats.planted:,} spell a watched "
        f"name ({100 * stats.planted / stats.files:.1f}%), {stats.context_method_only:,} of them "
        f"only a context method; {stats.generated:,} generated test modules"
    )


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/ssf-bench/tree")
    print(describe(build_tree(target)))
