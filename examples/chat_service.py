"""WebSocket chat handler, as it was written against the process-wide agent factory."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Optional

from fastapi import Depends

from netra_backend.app.agents.supervisor.agent_instance_factory import (
    AgentInstanceFactory,
    create_agent_instance_factory,
    get_agent_instance_factory,
)
from netra_backend.app.dependencies import get_agent_instance_factory_dependency

try:
    from netra_backend.app.agents.supervisor_consolidated import configure_agent_instance_factory
except ImportError:  # older deployments
    configure_agent_instance_factory = None

if TYPE_CHECKING:
    from netra_backend.app.services.user_execution_context import UserExecutionContext

logger = logging.getLogger(__name__)

__all__ = ["ChatHandler", "get_agent_instance_factory"]


class ChatHandler:
    def __init__(self, factory: Optional[AgentInstanceFactory] = None) -> None:
        self.factory = factory or get_agent_instance_factory()
        self.orchestrator = Orchestrator()

    async def handle(self, message: str, user_context: UserExecutionContext) -> str:
        logger.info("get_agent_instance_factory() is retired; creating agents per user")
        agent = self.factory.create_agent("DataHelper")
        triage = self.orchestrator.create_agent("triage", "TriageAgent001")
        scoped = create_agent_instance_factory(user_context)
        helper = scoped.create_agent("DataHelper", user_context)
        return await agent.run(message, helper, triage)


def build_router(router):
    router.add_api_route("/chat", chat, dependencies=[Depends(get_agent_instance_factory)])
    router.add_api_route("/health", health, dependencies=[Depends(get_agent_instance_factory_dependency)])
    return router


def startup() -> None:
    if configure_agent_instance_factory is not None:
        configure_agent_instance_factory(websocket_bridge=None)
    factory = create_agent_instance_factory()
    factory.create_agent_instance("Supervisor", user_execution_context=None)
