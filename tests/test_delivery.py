"""Event delivery: real receivers on loopback get the POSTs, and every attempt is logged."""

from __future__ import annotations

import asyncio
import io
import socket
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
import standardwebhooks
from aiohttp.test_utils import TestClient

from mock_zonos import __version__
from mock_zonos.keys import DISPATCHER, STORE
from mock_zonos.models import WebhookType
from mock_zonos.receiver import WebhookReceiver
from mock_zonos.settings import Settings

from .helpers import OTHER_ORG_TOKEN, GraphQL, wait_until

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


async def test_overrides_merge_deeply(
    gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
) -> None:
    await gql.create_webhook(url=receiver.url)
    await gql.trigger(
        "ORDER_CREATED",
        overrides={
            "data": {"order": {"accountOrderNumber": "A-1", "amountSubtotals": {"duties": 1.5}}}
        },
    )
    order = (await receiver.await_for(1))[0].json["data"]["order"]
    response = await client.get("/_mock/events/ORDER_CREATED")
    template = (await response.json())["body"]["data"]["order"]
    assert order["accountOrderNumber"] == "A-1"
    assert order["amountSubtotals"]["duties"] == 1.5
    assert order["amountSubtotals"]["items"] == template["amountSubtotals"]["items"]
    assert order["currencyCode"] == template["currencyCode"]
    assert [item["sku"] for item in order["items"]] == [item["sku"] for item in template["items"]]
    assert set(order) == set(template)


async def test_a_body_replaces_the_sample(gql: GraphQL, receiver: WebhookReceiver) -> None:
    await gql.create_webhook(url=receiver.url, type="ORDER_UPDATED")
    await gql.trigger("ORDER_UPDATED", body={"anything": ["goes", 1]})
    assert (await receiver.await_for(1))[0].json == {"anything": ["goes", 1]}


async def test_every_trigger_makes_fresh_ids_and_timestamps(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=receiver.url, type="SHIPMENT_CREATED")
    await gql.trigger("SHIPMENT_CREATED")
    await gql.trigger("SHIPMENT_CREATED")
    first, second = (r.json["data"]["shipment"] for r in await receiver.await_for(2))
    assert first["id"] != second["id"]
    assert first["id"].startswith("shipment_")
    assert first["order"]["id"] != second["order"]["id"]
    assert first["order"]["id"].startswith("order_")
    assert "${" not in orjson.dumps(first).decode()


async def test_overrides_pin_what_would_be_fresh(gql: GraphQL, receiver: WebhookReceiver) -> None:
    await gql.create_webhook(url=receiver.url)
    pinned = {"data": {"order": {"id": "order_pinned", "createdAt": "2024-07-23T16:18:57.104Z"}}}
    await gql.trigger("ORDER_CREATED", overrides=pinned)
    order = (await receiver.await_for(1))[0].json["data"]["order"]
    assert (order["id"], order["createdAt"]) == ("order_pinned", "2024-07-23T16:18:57.104Z")


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


async def test_disabling_a_webhook_stops_its_retries(
    gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
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

    async def settled() -> bool:
        return bool(client.app[DISPATCHER].pending == 0)

    await wait_until(settled)
    assert len(receiver.requests) == 1


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_refused_connection_is_logged(gql: GraphQL) -> None:
    port = _closed_port()
    await gql.create_webhook(url=f"http://127.0.0.1:{port}/hook")
    _, answer = await gql.trigger("ORDER_CREATED")
    (delivery,) = answer["deliveries"]
    assert delivery["responseStatus"] is None
    assert delivery["error"] == f"connection refused (127.0.0.1:{port})"
    log = (await gql.logs())[-1]
    assert log["response"] == f"connection refused (127.0.0.1:{port})"
    assert log["responseStatus"] is None


class TestShortTimeout:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0, retry_delays=(), delivery_timeout=0.2)

    async def test_a_timeout_is_logged(self, gql: GraphQL, receiver: WebhookReceiver) -> None:
        receiver.respond_with(delay=3)
        await gql.create_webhook(url=receiver.url)
        _, answer = await gql.trigger("ORDER_CREATED")
        assert answer["deliveries"][0]["error"] == "timed out after 0.2 s"
        (log,) = await gql.logs()
        assert (log["response"], log["responseStatus"]) == ("timed out after 0.2 s", None)


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


async def test_a_redirect_is_a_failure_and_is_not_followed(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    receiver.respond_with(status=[302, 302, 302], body="moved")
    await gql.create_webhook(url=receiver.url)
    _, answer = await gql.trigger("ORDER_CREATED")
    assert answer["deliveries"][0]["responseStatus"] == 302
    assert answer["deliveries"][0]["error"] == "HTTP 302"
    assert all(r.method == "POST" for r in await receiver.await_for(3))


async def test_a_huge_response_is_truncated_in_the_log(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    receiver.respond_with(body="x" * (5 * 1024 * 1024))
    await gql.create_webhook(url=receiver.url)
    _, answer = await gql.trigger("ORDER_CREATED")
    assert answer["deliveries"][0]["responseStatus"] == 200
    (log,) = await gql.logs()
    assert log["response"].startswith("x" * 65536)
    assert log["response"].endswith("[mock-zonos: response truncated at 65536 bytes]")
    assert len(log["response"]) < 65536 + 100


@pytest.fixture
async def garbage_server() -> AsyncIterator[str]:
    """Answers every connection with bytes that are not HTTP, then hangs up."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1024)
        writer.write(b"\x00\xffNOT HTTP AT ALL\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/hook"
    server.close()
    await server.wait_closed()


async def test_a_garbage_answer_is_logged(gql: GraphQL, garbage_server: str) -> None:
    await gql.create_webhook(url=garbage_server)
    _, answer = await gql.trigger("ORDER_CREATED")
    (delivery,) = answer["deliveries"]
    assert delivery["responseStatus"] is None
    assert delivery["error"].startswith(("invalid HTTP response", "the receiver closed"))
    status, _ = await gql.post("{ webhooks { totalCount } }")
    assert status == 200


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


class TestSigning:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0, sign=True, retry_delays=(0.01,))

    async def test_a_signed_delivery_verifies_with_standardwebhooks(
        self, gql: GraphQL, receiver: WebhookReceiver
    ) -> None:
        receiver.respond_with(status=[500, 200])
        webhook = await gql.create_webhook(url=receiver.url)
        _, answer = await gql.trigger("ORDER_CREATED")
        first, retry = await receiver.await_for(2)
        verifier = standardwebhooks.Webhook(webhook["secret"])
        for request in (first, retry):
            payload = verifier.verify(request.body, dict(request.headers))
            assert payload["data"]["order"]["id"].startswith("order_")
            assert request.headers["webhook-id"] == answer["eventId"]
        with pytest.raises(standardwebhooks.WebhookVerificationError):
            verifier.verify(first.body + b" ", dict(first.headers))


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"type": "ORDER_CREATE"}, 400, "the types are COLLECT_EMAIL_SENT, "),
        ({}, 400, '"type" is required'),
        ({"type": "ORDER_CREATED", "overrides": [1]}, 400, '"overrides" must be a JSON object'),
        ({"type": "ORDER_CREATED", "body": "text"}, 400, '"body" must be a JSON object'),
        ({"type": "ORDER_CREATED", "body": {}, "overrides": {}}, 400, "not both"),
        ({"type": "ORDER_CREATED", "webhookId": "webhook_nope"}, 404, "webhook_nope"),
        ({"type": "ORDER_CREATED", "wait": "yes"}, 400, '"wait" must be true or false'),
        ({"type": "ORDER_CREATED", "count": 0}, 400, '"count" must be'),
        ({"type": "ORDER_CREATED", "typo": 1}, 400, "unknown field 'typo'"),
    ],
)
async def test_bad_trigger_requests_are_refused(
    gql: GraphQL, payload: dict[str, Any], status: int, message: str
) -> None:
    response = await gql.client.post("/_mock/trigger", json=payload)
    assert response.status == status
    assert message in (await response.json())["error"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"{nope", 400, "not valid JSON"),
        (b"[1]", 400, "must be a JSON object"),
        (
            b'{"type": "ORDER_CREATED", "body": {"x": "' + b"y" * (1024 * 1024) + b'"}}',
            413,
            "bytes",
        ),
    ],
)
async def test_malformed_trigger_bodies_are_refused(
    client: TestClient[Any, Any], body: bytes, status: int, message: str
) -> None:
    response = await client.post("/_mock/trigger", data=io.BytesIO(body))
    assert response.status == status
    assert message in (await response.json())["error"]


async def test_wait_false_answers_202_before_any_attempt(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    receiver.respond_with(delay=1)
    await gql.create_webhook(url=receiver.url)
    status, answer = await gql.trigger("ORDER_CREATED", wait=False)
    assert status == 202
    assert set(answer["deliveries"][0]) == {"eventId", "webhookId", "url"}
    assert await gql.logs() == []


async def test_without_a_token_a_trigger_reaches_every_organization(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=f"{receiver.url}/mine")
    await gql.as_token(OTHER_ORG_TOKEN).create_webhook(url=f"{receiver.url}/theirs")
    _, scoped = await gql.trigger("ORDER_CREATED")
    assert len(scoped["deliveries"]) == 1
    _, everyone = await gql.as_token(None).trigger("ORDER_CREATED")
    assert len(everyone["deliveries"]) == 2
    assert sorted(r.path for r in await receiver.await_for(3)) == ["/mine", "/mine", "/theirs"]


async def test_a_trigger_by_webhook_id_reaches_only_that_webhook(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    target = await gql.create_webhook(url=f"{receiver.url}/target")
    await gql.create_webhook(url=f"{receiver.url}/other")
    _, answer = await gql.trigger("ORDER_CREATED", webhookId=target["id"])
    assert [d["webhookId"] for d in answer["deliveries"]] == [target["id"]]
    status, refused = await gql.trigger("ORDER_UPDATED", webhookId=target["id"])
    assert status == 409
    assert "subscribes to ORDER_CREATED" in refused["error"]
    theirs = await gql.as_token(OTHER_ORG_TOKEN).create_webhook(url=receiver.url)
    status, _ = await gql.trigger("ORDER_CREATED", webhookId=theirs["id"])
    assert status == 404


async def test_resend_repeats_the_body_with_the_same_event_id(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    receiver.respond_with(status=[500, 200])
    await gql.create_webhook(url=receiver.url)
    _, answer = await gql.trigger("ORDER_CREATED")
    await receiver.await_for(2)
    first_log = answer["deliveries"][0]["logId"]
    response = await gql.client.post(f"/_mock/logs/{first_log}/resend")
    resent = await response.json()
    assert response.status == 200
    assert resent["eventId"] == answer["eventId"]
    assert resent["deliveries"][0]["attempt"] == 3
    original, _, again = await receiver.await_for(3)
    assert again.body == original.body
    assert again.headers["X-Mock-Zonos-Event-Id"] == answer["eventId"]
    assert again.headers["X-Mock-Zonos-Attempt"] == "3"
    missing = await gql.client.post("/_mock/logs/webhook_log_nope/resend")
    assert missing.status == 404
    assert "webhook_log_nope" in (await missing.json())["error"]


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
        assert client.app[DISPATCHER].pending == 1
        assert (await client.post("/_mock/reset")).status == 200
        assert client.app[DISPATCHER].pending == 0
        assert await gql.logs() == []


async def test_shutdown_logs_in_flight_attempts_as_cancelled(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
) -> None:
    receiver.respond_with(delay=5)
    await gql.create_webhook(url=receiver.url)
    await gql.trigger("ORDER_CREATED", wait=False)
    await receiver.await_for(1)
    store = client.app[STORE]
    await client.close()
    (log,) = [
        log
        for tenant in store.tenants.values()
        for log in tenant.logs.values()
        if log.url == receiver.url
    ]
    assert log.response == "cancelled: mock-zonos shut down before the receiver answered"


async def test_events_lists_every_type_with_its_sample(client: TestClient[Any, Any]) -> None:
    response = await client.get("/_mock/events")
    events = (await response.json())["events"]
    assert [e["type"] for e in events] == list(WebhookType)
    assert all(set(e) == {"type", "query", "body"} for e in events)
    missing = await client.get("/_mock/events/NOPE")
    assert missing.status == 404
