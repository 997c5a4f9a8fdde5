"""The virtual clock drives retries: hours of schedule in milliseconds, gaps exact to the ms."""

from __future__ import annotations

import time
from datetime import datetime
from itertools import pairwise
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from mock_zonos.settings import Settings
from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import GraphQL

SCHEDULE = (60.0, 600.0, 3600.0)


@pytest.fixture
def settings() -> Settings:
    return Settings(port=0, clock="virtual", retry_delays=SCHEDULE, delivery_timeout=2.0)


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def _advance(client: TestClient[Any, Any], **fields: Any) -> dict[str, Any]:
    response = await client.post("/_mock/clock/advance", json=fields)
    assert response.status == 200, await response.text()
    answer: dict[str, Any] = await response.json()
    return answer


async def test_a_three_retry_schedule_of_an_hour_runs_in_under_a_second_with_exact_gaps(
    gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
) -> None:
    receiver.respond_with(status=503)
    await gql.create_webhook(url=receiver.url)
    started = time.perf_counter()
    await gql.trigger("ORDER_CREATED")
    answer = await _advance(client, seconds=sum(SCHEDULE))
    wall = time.perf_counter() - started
    assert wall < 1.0, f"the schedule took {wall:.3f} s of wall time"
    assert answer["fired"] == 3
    logs = sorted(await gql.logs(), key=lambda log: log["createdAt"])
    assert [log["responseStatus"] for log in logs] == [503] * 4
    moments = [_moment(log["createdAt"]) for log in logs]
    gaps = [(later - earlier).total_seconds() for earlier, later in pairwise(moments)]
    assert gaps == list(SCHEDULE)
    assert answer["now"] == logs[-1]["createdAt"]
    assert [r.headers["X-Mock-Zonos-Attempt"] for r in receiver.requests] == ["1", "2", "3", "4"]


async def test_nothing_is_retried_until_the_clock_is_advanced_that_far(
    gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
) -> None:
    receiver.respond_with(status=500)
    await gql.create_webhook(url=receiver.url)
    await gql.trigger("ORDER_CREATED")
    assert (await _advance(client, seconds=59.999))["fired"] == 0
    assert len(receiver.requests) == 1
    assert (await _advance(client, seconds=0.001))["fired"] == 1
    assert len(receiver.requests) == 2


async def test_advancing_through_everything_runs_the_whole_schedule(
    gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
) -> None:
    receiver.respond_with(status=[500, 500, 200])
    await gql.create_webhook(url=receiver.url)
    await gql.trigger("ORDER_CREATED")
    answer = await _advance(client, all=True)
    assert answer["fired"] == 2
    assert [log["responseStatus"] for log in await gql.logs()] == [200, 500, 500]
    assert (await _advance(client, all=True))["fired"] == 0


class TestSigned:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0, clock="virtual", sign=True, retry_delays=())

    async def test_every_timestamp_and_the_signature_follow_the_virtual_clock(
        self, gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
    ) -> None:
        before = await (await client.get("/_mock/clock")).json()
        await _advance(client, seconds=86_400)
        after = await (await client.get("/_mock/clock")).json()
        now = after["now"]
        assert (_moment(now) - _moment(before["now"])).total_seconds() == 86_400
        webhook = await gql.create_webhook(url=receiver.url)
        await gql.trigger("ORDER_CREATED")
        (request,) = receiver.requests
        order = request.json["data"]["order"]
        (log,) = await gql.logs()
        assert webhook["createdAt"] == order["createdAt"] == log["createdAt"] == now
        assert int(request.headers["webhook-timestamp"]) == int(_moment(now).timestamp())
