"""Notification fan-out, as written before the WebSocket manager and tracker moved on."""

from __future__ import annotations

from netra_backend.app.core.execution_tracker import get_execution_tracker
from netra_backend.app.services.engine import create_execution_engine
from netra_backend.app.websocket_core import create_websocket_manager

import netra_backend.app.core.execution_tracker as tracking


async def notify(user_context, event):
    manager = create_websocket_manager(user_context, mode="broadcast")
    tracker = get_execution_tracker()
    tracker.record(event)
    await manager.send_to_user(user_context.user_id, event)


def engine_for(user_context):
    return create_execution_engine(user_context)


def legacy_tracker():
    return tracking.get_execution_tracker()


HANDLERS = {"websocket": create_websocket_manager}
