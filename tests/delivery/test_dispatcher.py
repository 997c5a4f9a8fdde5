"""The dispatcher: receivers on loopback get the POSTs, retries follow the schedule, all logged."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from aiohttp.test_utils import TestClient

from mock_zonos import Settings, __version__
from mock_zonos.domain.models import WebhookType
from mock_zonos.keys import BACKEND
from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import GraphQL, wait_until

ORDER_FAMILY = {t for t in WebhookType if t.startswith(("ORDER_", "COLLECT_"))}


def _object_key(type: WebhookType) -> str:
    if type in ORDER_FAMILY:
        return "order"
    if type.startswith("SHIPMENT_"):
        return "shipment"
    if type is WebhookType.INCLUSIVE_PRICE_SYNC_READY:
        return "inclusivePriceSyncJob"
    if type.startswith("INVENTORY_"):
        return "inventory"
    return "inclusivePriceSetting"


async def test_enabled_webhooks_receive_and_disabled_ones_never_do(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    enabled = await gql.create_webhook(url=f"{receiver.url}/enabled")
    await gql.create_webhook(url=f"{receiver.url}/disabled", status="DISABLED")
    status, answer = await gql.trigger("ORDER_CREATED")
    assert status == 200
    assert [d["webhookId"] for d in answer["deliveries"]] == [enabled["id"]]
    assert [r.path for r in await receiver.await_for(1)] == ["/enabled"]
    await gql.trigger("ORDER_CREATED")
    assert [r.path for r in await receiver.await_for(2)] == ["/enabled", "/enabled"]


async def test_the_received_body_is_exactly_the_logged_request(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=receiver.url)
    _, answer = await gql.trigger("ORDER_CREATED")
    (received,) = await receiver.await_for(1)
    (log,) = await gql.logs()
    assert log["id"] == answer["deliveries"][0]["logId"]
    assert log["request"].encode() == received.body
    assert received.headers["Content-Type"] == "application/json"


async def test_delivery_headers(gql: GraphQL, receiver: WebhookReceiver) -> None:
    await gql.create_webhook(
        url=receiver.url,
        headers=[
            {"key": "X-Shop-Secret", "value": "s3cr3t"},
            {"key": "Authorization", "value": "Bearer t"},
        ],
    )
    _, answer = await gql.trigger("ORDER_CREATED")
    (received,) = await receiver.await_for(1)
    assert received.headers["X-Shop-Secret"] == "s3cr3t"
    assert received.headers["Authorization"] == "Bearer t"
    assert received.headers["User-Agent"] == f"mock-zonos/{__version__}"
    assert received.headers["X-Mock-Zonos-Event-Id"] == answer["eventId"]
    assert received.headers["X-Mock-Zonos-Attempt"] == "1"
    assert "webhook-signature" not in received.headers


async def test_every_type_can_be_triggered_and_delivered(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    for type in WebhookType:
        await gql.create_webhook(url=f"{receiver.url}/{type}", type=type)
    for type in WebhookType:
        status, answer = await gql.trigger(type)
        assert status == 200, answer
        assert [d["responseStatus"] for d in answer["deliveries"]] == [200], type
    received = {r.path.strip("/"): r.json for r in await receiver.await_for(len(WebhookType))}
    assert set(received) == set(WebhookType)
    for path, body in received.items():
        (key,) = body["data"]
        assert key == _object_key(WebhookType(path)), path
        assert "${" not in orjson.dumps(body).decode(), path


async def test_a_500_then_200_receiver_gives_two_logs_with_one_event_id(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    receiver.respond_with(status=[500, 200])
    await gql.create_webhook(url=receiver.url)
    _, answer = await gql.trigger("ORDER_CREATED")
    assert answer["deliveries"][0]["responseStatus"] == 500
    assert answer["deliveries"][0]["error"] == "HTTP 500"
    first, second = await receiver.await_for(2)
    assert first.headers["X-Mock-Zonos-Event-Id"] == second.headers["X-Mock-Zonos-Event-Id"]
    assert [first.headers["X-Mock-Zonos-Attempt"], second.headers["X-Mock-Zonos-Attempt"]] == [
        "1",
        "2",
    ]
    assert first.body == second.body

    async def two_logs() -> bool:
        return len(await gql.logs()) == 2

    await wait_until(two_logs)
    newest, oldest = await gql.logs()
    assert (oldest["responseStatus"], newest["responseStatus"]) == (500, 200)
    assert oldest["request"] == newest["request"]


async def test_retries_stop_after_the_schedule(gql: GraphQL, receiver: WebhookReceiver) -> None:
    receiver.respond_with(status=503)
    await gql.create_webhook(url=receiver.url)
    await gql.trigger("ORDER_CREATED")
    # Settings for tests: two retries, so three attempts in all.
    assert [r.headers["X-Mock-Zonos-Attempt"] for r in await receiver.await_for(3)] == [
        "1",
        "2",
        "3",
    ]

    async def three_logs() -> bool:
        return len(await gql.logs()) == 3

    await wait_until(three_logs)
    assert {log["responseStatus"] for log in await gql.logs()} == {503}


async def test_a_slow_receiver_does_not_hold_up_a_fast_one(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    with WebhookReceiver() as slow:
        # Slower than the whole wait below: were the fast deliveries queued behind the
        # slow ones, they could not all arrive in time.
        slow.respond_with(delay=10)
        await gql.create_webhook(url=slow.url)
        await gql.create_webhook(url=receiver.url)
        status, _ = await gql.trigger("ORDER_CREATED", wait=False, count=40)
        assert status == 202
        assert len(await receiver.await_for(40, timeout=1.5)) == 40
        assert len(slow.requests) < 40
        api_status, _ = await gql.post("{ webhooks { totalCount } }")
        assert api_status == 200


async def test_200_events_give_exactly_200_logs_and_200_requests(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=receiver.url)
    status, answer = await gql.trigger("ORDER_CREATED", count=200, wait=False)
    assert status == 202
    received = await receiver.await_for(200)
    sent_ids = set(answer["eventIds"])
    assert len(sent_ids) == 200
    assert {r.headers["X-Mock-Zonos-Event-Id"] for r in received} == sent_ids

    async def all_logged() -> bool:
        return await _count_logs(gql) == 200

    await wait_until(all_logged)
    assert len(receiver.requests) == 200


async def _count_logs(gql: GraphQL) -> int:
    total, after = 0, None
    while True:
        data = await gql.data(
            "query($after: String) { webhookLogs(first: 100, after: $after) "
            "{ edges { node { id } } pageInfo { hasNextPage endCursor } } }",
            {"after": after},
        )
        total += len(data["webhookLogs"]["edges"])
        if not data["webhookLogs"]["pageInfo"]["hasNextPage"]:
            return total
        after = data["webhookLogs"]["pageInfo"]["endCursor"]


class TestLongRetryDelays:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0, retry_delays=(30.0,))

    async def test_reset_cancels_pending_retries(
        self, client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
    ) -> None:
        receiver.respond_with(status=500)
        await gql.create_webhook(url=receiver.url)
        await gql.trigger("ORDER_CREATED")
        assert client.app[BACKEND].dispatcher.pending == 1
        assert (await client.post("/_mock/reset")).status == 200
        assert client.app[BACKEND].dispatcher.pending == 0
        assert await gql.logs() == []


async def test_shutdown_logs_in_flight_attempts_as_cancelled(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
) -> None:
    receiver.respond_with(delay=5)
    await gql.create_webhook(url=receiver.url)
    await gql.trigger("ORDER_CREATED", wait=False)
    await receiver.await_for(1)
    store = client.app[BACKEND].store
    await client.close()
    (log,) = [
        log
        for tenant in store.tenants.values()
        for log in tenant.logs.values()
        if log.url == receiver.url
    ]
    assert log.response == "cancelled: mock-zonos shut down before the receiver answered"


class TestRetriesAfterAChange:
    """A retry is due only when the virtual clock says so, so the change comes first."""

    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0, clock="virtual", retry_delays=(60.0, 600.0))

    async def _retries_dropped(self, client: TestClient[Any, Any]) -> None:
        answer = await client.post("/_mock/clock/advance", json={"seconds": 660})
        assert (await answer.json())["fired"] == 1  # the first retry, dropped when due
        assert client.app[BACKEND].dispatcher.pending == 0

    async def test_disabling_a_webhook_stops_its_retries(
        self, gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
    ) -> None:
        receiver.respond_with(status=500)
        webhook = await gql.create_webhook(url=receiver.url)
        await gql.data(
            'mutation { webhookUpdate(input: {id: "%s", status: DISABLED}) { id } }' % webhook["id"]
        )
        status, _ = await gql.trigger("ORDER_CREATED", webhookId=webhook["id"])
        assert status == 409
        await gql.data(
            'mutation { webhookUpdate(input: {id: "%s", status: ENABLED}) { id } }' % webhook["id"]
        )
        await gql.trigger("ORDER_CREATED", wait=True)
        await gql.data(
            'mutation { webhookUpdate(input: {id: "%s", status: DISABLED}) { id } }' % webhook["id"]
        )
        await self._retries_dropped(client)
        assert len(receiver.requests) == 1

    async def test_retries_stop_once_the_webhook_is_of_another_type(
        self, client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
    ) -> None:
        receiver.respond_with(status=500)
        webhook = await gql.create_webhook(url=receiver.url)
        _, answer = await gql.trigger("ORDER_CREATED")
        await gql.data(
            'mutation { webhookUpdate(input: {id: "%s", type: SHIPMENT_CREATED}) { id } }'
            % webhook["id"]
        )
        await self._retries_dropped(client)
        assert len(receiver.requests) == 1
        resend = await client.post(f"/_mock/logs/{answer['deliveries'][0]['logId']}/resend")
        assert resend.status == 409
        assert "subscribes to SHIPMENT_CREATED now" in (await resend.json())["error"]
