"""Late deliveries: a fault's delay and jitter before the first attempt, on either clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from mock_zonos.delivery import dispatcher
from mock_zonos.keys import BACKEND
from mock_zonos.settings import Settings
from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import GraphQL, wait_until


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def test_a_delayed_delivery_goes_out_after_its_delay(
    gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=receiver.url)
    status, answer = await gql.trigger("ORDER_CREATED", faults={"delay": 0.2})
    assert status == 200
    (delivery,) = answer["deliveries"]
    assert (delivery["logId"], delivery["error"]) == (None, None)
    (request,) = await receiver.await_for(1)

    async def logged() -> bool:
        return len(await gql.logs()) == 1

    await wait_until(logged)
    (log,) = await gql.logs()
    sent_at = _moment(log["createdAt"])
    due = _moment(delivery["delayedUntil"])
    assert sent_at >= due
    created = _moment(request.json["data"]["order"]["createdAt"])
    assert (due - created).total_seconds() >= 0.2


class TestVirtualClock:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0, clock="virtual", retry_delays=())

    async def _advance(self, client: TestClient[Any, Any], seconds: float) -> int:
        response = await client.post("/_mock/clock/advance", json={"seconds": seconds})
        fired: int = (await response.json())["fired"]
        return fired

    async def test_a_delay_waits_for_the_clock_and_is_stamped_exactly(
        self, gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
    ) -> None:
        await gql.create_webhook(url=receiver.url)
        _, answer = await gql.trigger("ORDER_CREATED", faults={"delay": 30})
        due = answer["deliveries"][0]["delayedUntil"]
        assert await self._advance(client, 29.999) == 0
        assert receiver.requests == [] and await gql.logs() == []
        assert await self._advance(client, 0.001) == 1
        assert len(receiver.requests) == 1, "an advance answers once the attempts it started end"
        (log,) = await gql.logs()
        assert log["createdAt"] == due

    async def test_the_same_seed_draws_the_same_jitter(
        self, gql: GraphQL, receiver: WebhookReceiver
    ) -> None:
        await gql.create_webhook(url=receiver.url)

        async def offsets(seed: int) -> list[float]:
            faults = {"delay": 10, "jitter": 5, "seed": seed}
            _, answer = await gql.trigger("ORDER_CREATED", count=5, faults=faults)
            clock = await (await gql.client.get("/_mock/clock")).json()
            now = _moment(clock["now"])
            return [
                (_moment(d["delayedUntil"]) - now).total_seconds() for d in answer["deliveries"]
            ]

        first = await offsets(7)
        assert first == await offsets(7)
        assert first != await offsets(8)
        assert all(10 <= offset <= 15 for offset in first)
        assert len(set(first)) == 5

    async def test_a_reset_drops_delayed_deliveries(
        self, gql: GraphQL, receiver: WebhookReceiver, client: TestClient[Any, Any]
    ) -> None:
        await gql.create_webhook(url=receiver.url)
        await gql.trigger("ORDER_CREATED", faults={"delay": 30})
        assert client.app[BACKEND].dispatcher.pending == 1
        await client.post("/_mock/reset")
        assert client.app[BACKEND].dispatcher.pending == 0
        assert await self._advance(client, 60) == 0
        assert receiver.requests == []

    async def test_waiting_deliveries_are_bounded(
        self,
        gql: GraphQL,
        receiver: WebhookReceiver,
        client: TestClient[Any, Any],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(dispatcher, "MAX_WAITING", 3)
        await gql.create_webhook(url=receiver.url)
        status, _ = await gql.trigger("ORDER_CREATED", count=3, faults={"delay": 30})
        assert status == 200
        status, answer = await gql.trigger("ORDER_CREATED", faults={"delay": 30})
        assert status == 409
        assert "3 deliveries already wait (held or delayed), and at most 3 may" in answer["error"]
        status, _ = await gql.trigger("ORDER_CREATED")
        assert status == 200, "a delivery that does not wait is never refused"
        assert await self._advance(client, 30) == 3
