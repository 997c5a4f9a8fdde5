"""GET /_mock/stream: live attempts and resets as server-sent events, bounded and closable."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import orjson
import pytest
from aiohttp.test_utils import TestClient

from mock_zonos.app import create_app
from mock_zonos.control import stream
from mock_zonos.delivery.dispatcher import Dispatcher
from mock_zonos.fixtures.loading import Fixtures
from mock_zonos.keys import BACKEND
from mock_zonos.runner import AppServer
from mock_zonos.services.live import RESET, LiveFeed
from mock_zonos.settings import Settings
from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import DEFAULT_TOKEN, OTHER_ORG_TOKEN, GraphQL, make_store, wait_until


async def _next_event(response: aiohttp.ClientResponse) -> tuple[str, Any]:
    """The next `event:` of the stream, as (name, parsed data); comments are skipped."""
    while True:
        block = (await asyncio.wait_for(response.content.readuntil(b"\n\n"), 5)).decode()
        fields = dict(line.split(": ", 1) for line in block.strip().splitlines())
        if "event" in fields:
            return fields["event"], orjson.loads(fields["data"])


async def _open_stream(
    client: TestClient[Any, Any], token: str | None = None
) -> aiohttp.ClientResponse:
    headers = {"credentialToken": token} if token else {}
    response = await client.get("/_mock/stream", headers=headers)
    assert response.status == 200
    assert response.content_type == "text/event-stream"
    assert await response.content.readuntil(b"\n\n") == b"retry: 1000\n\n"
    return response


async def test_every_new_attempt_arrives_as_a_log_event(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
) -> None:
    response = await _open_stream(client)
    webhook = await gql.create_webhook(url=receiver.url)
    _, answer = await gql.trigger("ORDER_CREATED")
    name, summary = await _next_event(response)
    assert name == "log"
    assert summary["id"] == answer["deliveries"][0]["logId"]
    assert summary["webhookId"] == webhook["id"]
    assert summary["eventId"] == answer["eventId"]
    assert (summary["attempt"], summary["responseStatus"], summary["succeeded"]) == (1, 200, True)
    page = await (await client.get("/_mock/logs?first=1")).json()
    assert summary == page["logs"][0]
    response.close()


async def test_with_a_token_the_stream_carries_only_its_tenants_attempts(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
) -> None:
    mine = await _open_stream(client, DEFAULT_TOKEN)
    everyone = await _open_stream(client)
    other = gql.as_token(OTHER_ORG_TOKEN)
    await other.create_webhook(url=receiver.url)
    await gql.create_webhook(url=receiver.url)
    _, theirs = await other.trigger("ORDER_CREATED")
    _, ours = await gql.trigger("ORDER_CREATED")
    assert (await _next_event(everyone))[1]["eventId"] == theirs["eventId"]
    assert (await _next_event(everyone))[1]["eventId"] == ours["eventId"]
    name, summary = await _next_event(mine)
    assert (name, summary["eventId"]) == ("log", ours["eventId"])
    mine.close()
    everyone.close()


async def test_a_reset_arrives_as_a_reset_event(client: TestClient[Any, Any]) -> None:
    response = await _open_stream(client)
    await client.post("/_mock/reset")
    assert await _next_event(response) == ("reset", {})
    response.close()


async def test_holding_and_held_deliveries_arrive_as_held_signals(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=receiver.url)
    response = await _open_stream(client)
    await client.post("/_mock/deliveries/hold")
    assert await _next_event(response) == ("held", {})
    await gql.trigger("ORDER_CREATED")
    assert await _next_event(response) == ("held", {})
    response.close()


async def test_a_signal_waits_in_a_queue_once_however_often_it_is_given(
    bundled_fixtures: Fixtures,
) -> None:
    store = make_store(bundled_fixtures.seed, bundled_fixtures.queries)
    dispatcher = Dispatcher(store, Settings())
    with LiveFeed(store, dispatcher, limit=2).subscribe() as subscription:
        for _ in range(5):
            dispatcher.announce("held")
        dispatcher.announce("clock")
        assert not subscription.closed
        assert [await subscription.next(), await subscription.next()] == ["held", "clock"]
        dispatcher.announce("held")
        assert await subscription.next() == "held"
    assert dispatcher.observers == []


class TestVirtualClock:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0, clock="virtual")

    async def test_an_advance_arrives_as_a_clock_signal(self, client: TestClient[Any, Any]) -> None:
        response = await _open_stream(client)
        await client.post("/_mock/clock/advance", json={"seconds": 60})
        assert await _next_event(response) == ("clock", {})
        response.close()


async def test_silence_is_broken_by_heartbeats(
    client: TestClient[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream, "HEARTBEAT_SECONDS", 0.01)
    response = await _open_stream(client)
    heartbeat = await asyncio.wait_for(response.content.readuntil(b"\n\n"), 5)
    assert heartbeat == b": keep-alive\n\n"
    response.close()


async def test_a_stream_stops_watching_when_its_viewer_leaves(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
) -> None:
    assert client.app is not None
    store = client.app[BACKEND].store
    response = await _open_stream(client)
    assert len(store.on_log) == len(store.on_reset) == 1
    response.close()
    await gql.create_webhook(url=receiver.url)
    # The server notices a departed viewer when it next writes to it.
    await gql.trigger("ORDER_CREATED")

    async def unsubscribed() -> bool:
        return not store.on_log and not store.on_reset

    await wait_until(unsubscribed)


async def test_a_subscriber_too_far_behind_is_closed_not_waited_for(
    bundled_fixtures: Fixtures,
) -> None:
    store = make_store(bundled_fixtures.seed, bundled_fixtures.queries)
    feed = LiveFeed(store, Dispatcher(store, Settings()), limit=2)
    with feed.subscribe() as subscription:
        assert store.on_log == [subscription.offer]
        subscription.offer(RESET)
        subscription.offer(RESET)
        assert not subscription.closed
        subscription.offer(RESET)
        assert subscription.closed
        assert await subscription.next() is None
    assert store.on_log == [] and store.on_reset == []


async def test_shutdown_ends_open_streams_instead_of_waiting_for_them(
    settings: Settings, bundled_fixtures: Fixtures
) -> None:
    # Without the shutdown hook, stop() would wait the whole minute for the stream.
    server = AppServer(create_app(settings, bundled_fixtures), "127.0.0.1", 0, shutdown_timeout=60)
    url = await server.start()
    async with aiohttp.ClientSession() as session, session.get(f"{url}/_mock/stream") as response:
        assert await response.content.readuntil(b"\n\n") == b"retry: 1000\n\n"
        await asyncio.wait_for(server.stop(), 5)
        assert await response.content.read() == b""
