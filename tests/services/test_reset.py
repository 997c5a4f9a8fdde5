"""Reset: back to the fixtures, nothing queued before it ever sent."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from mock_zonos.domain.clock import utc_now
from mock_zonos.domain.models import Event, WebhookType
from mock_zonos.keys import BACKEND
from mock_zonos.services import reset as reset_module
from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import GraphQL


async def test_what_was_queued_before_a_reset_is_never_sent(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
) -> None:
    created = await gql.create_webhook(url=receiver.url)
    dispatcher, store = client.app[BACKEND].dispatcher, client.app[BACKEND].store
    webhook = store.find_webhook(created["id"])
    assert webhook is not None
    before_reset = dispatcher.generation
    await dispatcher.cancel_all()
    event = Event("event_late", WebhookType.ORDER_CREATED, b"{}", utc_now())
    (handle,) = dispatcher.deliver(event, [webhook], before_reset)
    assert handle.first_attempt.cancelled()
    assert dispatcher.pending == 0
    assert receiver.requests == []


async def test_only_a_reset_of_a_large_state_pays_for_giving_memory_back(
    client: TestClient[Any, Any], gql: GraphQL, monkeypatch: pytest.MonkeyPatch
) -> None:
    released: list[int] = []
    monkeypatch.setattr(reset_module, "release_memory", lambda: released.append(1))
    monkeypatch.setattr(reset_module, "RELEASE_MEMORY_FROM", 30)
    backend = client.app[BACKEND]
    await reset_module.reset(backend)
    assert released == [], "the fixtures' state is small: no collection on a per-test reset"
    status, _ = await gql.trigger("ORDER_CREATED", count=30)  # an order each
    assert status == 200
    assert reset_module.held_records(backend.store) >= 30
    await reset_module.reset(backend)
    assert released == [1]
