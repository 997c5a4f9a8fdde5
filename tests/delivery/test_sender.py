"""Attempts on the wire with faults: duplicates, stale and bad signatures.

The receiving side checks what a real receiver would, with the
standardwebhooks package: a copy verifies like its original (and only the
event id tells them apart as one), a stale or forged signature is refused.
"""

from __future__ import annotations

from typing import Any

import pytest
import standardwebhooks
from aiohttp.test_utils import TestClient

from mock_zonos.domain.faults import Faults
from mock_zonos.settings import Settings
from mock_zonos.testing.receiver import RecordedRequest, WebhookReceiver

from ..helpers import GraphQL, wait_until

TOLERANCE_SECONDS = 5 * 60


@pytest.fixture
def settings() -> Settings:
    return Settings(port=0, sign=True, retry_delays=(0.01,), delivery_timeout=2.0)


def _verify(secret: str, request: RecordedRequest) -> Any:
    return standardwebhooks.Webhook(secret).verify(request.body, dict(request.headers))


async def _logs(client: TestClient[Any, Any], event_id: str, count: int) -> list[dict[str, Any]]:
    """The event's `count` attempts in /_mock/logs, oldest first, once there are that many.

    Counting only the event's own logs: the receiver may see the last copy before
    its log is written, and the fixtures' logs must not make up the count.
    """
    logs: list[dict[str, Any]] = []

    async def arrived() -> bool:
        nonlocal logs
        response = await client.get("/_mock/logs")
        logs = [log for log in (await response.json())["logs"] if log["eventId"] == event_id]
        return len(logs) >= count

    await wait_until(arrived)
    return logs[::-1]


async def test_a_duplicate_is_the_same_request_byte_for_byte_and_logged_as_a_copy(
    gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
) -> None:
    webhook = await gql.create_webhook(url=receiver.url)
    status, answer = await gql.trigger("ORDER_CREATED", faults={"duplicate": 3})
    assert status == 200
    requests = receiver.requests
    assert len(requests) == 3, "the trigger answers once every copy is sent"
    first = requests[0]
    for copy in requests[1:]:
        assert copy.body == first.body
        assert list(copy.headers.items()) == list(first.headers.items())
    payloads = [_verify(webhook["secret"], request) for request in requests]
    assert payloads[0] == payloads[1] == payloads[2]
    # What catches it: an idempotent receiver keys on the event id, the same on every copy.
    seen = {request.headers["webhook-id"] for request in requests}
    assert seen == {answer["eventId"]}
    assert {r.headers["X-Mock-Zonos-Event-Id"] for r in requests} == {answer["eventId"]}
    original, *copies = await _logs(client, answer["eventId"], 3)
    assert original["id"] == answer["deliveries"][0]["logId"]
    assert original["duplicateOf"] is None
    assert [copy["duplicateOf"] for copy in copies] == [original["id"], original["id"]]
    assert {log["attempt"] for log in (original, *copies)} == {1}


async def test_a_retried_attempt_is_duplicated_too(
    gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
) -> None:
    receiver.respond_with(status=[500, 500, 200, 200])
    await gql.create_webhook(url=receiver.url)
    _, answer = await gql.trigger("ORDER_CREATED", faults={"duplicate": 2})
    requests = await receiver.await_for(4)
    assert [r.headers["X-Mock-Zonos-Attempt"] for r in requests] == ["1", "1", "2", "2"]
    logs = await _logs(client, answer["eventId"], 4)
    assert [log["duplicateOf"] is not None for log in logs] == [False, True, False, True]


async def test_a_stale_timestamp_is_refused_by_a_tolerance_check(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    webhook = await gql.create_webhook(url=receiver.url)
    await gql.trigger("ORDER_CREATED", faults={"staleTimestamp": 600})
    await gql.trigger("ORDER_CREATED")
    stale, fresh = await receiver.await_for(2)
    assert int(fresh.headers["webhook-timestamp"]) - int(stale.headers["webhook-timestamp"]) in (
        600,
        601,
    )
    with pytest.raises(standardwebhooks.WebhookVerificationError, match="timestamp too old"):
        _verify(webhook["secret"], stale)
    _verify(webhook["secret"], fresh)


async def test_a_stale_timestamp_within_tolerance_still_verifies(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    webhook = await gql.create_webhook(url=receiver.url)
    await gql.trigger("ORDER_CREATED", faults={"staleTimestamp": TOLERANCE_SECONDS - 60})
    (request,) = await receiver.await_for(1)
    _verify(webhook["secret"], request)


async def test_a_bad_signature_has_the_right_form_and_does_not_verify(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    webhook = await gql.create_webhook(url=receiver.url)
    await gql.trigger("ORDER_CREATED", faults={"badSignature": True})
    (request,) = await receiver.await_for(1)
    version, signature = request.headers["webhook-signature"].split(",")
    assert version == "v1" and len(signature) == 44
    with pytest.raises(standardwebhooks.WebhookVerificationError, match="No matching signature"):
        _verify(webhook["secret"], request)


class TestServerDefaults:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0, sign=True, faults=Faults(duplicate=2, bad_signature=True))

    async def test_every_trigger_gets_them_unless_it_says_otherwise(
        self, gql: GraphQL, receiver: WebhookReceiver
    ) -> None:
        webhook = await gql.create_webhook(url=receiver.url)
        await gql.trigger("ORDER_CREATED")
        assert len(receiver.requests) == 2
        await gql.trigger("ORDER_CREATED", faults={"duplicate": 1, "badSignature": False})
        assert len(receiver.requests) == 3
        _verify(webhook["secret"], receiver.requests[2])


class TestWithoutSigning:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0)

    @pytest.mark.parametrize("fault", [{"staleTimestamp": 600}, {"badSignature": True}])
    async def test_a_signature_fault_is_refused_with_the_flag_to_add(
        self, gql: GraphQL, receiver: WebhookReceiver, fault: dict[str, Any]
    ) -> None:
        await gql.create_webhook(url=receiver.url)
        status, answer = await gql.trigger("ORDER_CREATED", faults=fault)
        assert status == 400
        assert "start it with --sign" in answer["error"]
        assert receiver.requests == []

    async def test_unsigned_duplicates_carry_the_same_event_id(
        self, gql: GraphQL, receiver: WebhookReceiver
    ) -> None:
        await gql.create_webhook(url=receiver.url)
        await gql.trigger("ORDER_CREATED", faults={"duplicate": 2})
        first, copy = receiver.requests
        assert first.headers["X-Mock-Zonos-Event-Id"] == copy.headers["X-Mock-Zonos-Event-Id"]
        assert "webhook-signature" not in first.headers
