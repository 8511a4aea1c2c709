"""Tests of the chat handler that still patch and call the singleton."""

from unittest import mock
from unittest.mock import patch

import pytest

import netra_backend.app.agents.supervisor.agent_instance_factory as aif
from examples.chat_service import ChatHandler


@patch("netra_backend.app.agents.supervisor.agent_instance_factory.get_agent_instance_factory")
def test_handle_creates_agent(mock_factory):
    handler = ChatHandler()
    assert handler.factory is mock_factory.return_value


def test_with_patch_object(monkeypatch):
    with patch.object(aif, "get_agent_instance_factory") as fake:
        ChatHandler()
    monkeypatch.setattr(aif, "get_agent_instance_factory", fake)
    aif.get_agent_instance_factory = mock.Mock()


def test_singleton_now_raises():
    with pytest.raises(ValueError):
        aif.get_agent_instance_factory()


def test_factory_requires_context():
    with pytest.raises(TypeError):
        aif.create_agent_instance_factory(None)


def test_per_user_factory(user_context):
    factory = aif.create_agent_instance_factory(user_context)
    assert factory.create_agent("DataHelper", user_context) is not None
    assert factory.create_agent("DataHelper") is not None
