"""The seed: the fixtures' logs made into records (one delivery per event and webhook),
and the worlds copied on every reset."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

from mock_zonos.domain.models import Mode, Webhook, WebhookStatus, WebhookType
from mock_zonos.domain.orders import Owner
from mock_zonos.domain.seed import LogSeed, WorldSeed, copied_worlds, seeded_logs
from mock_zonos.fixtures.loading import load_fixtures

START = datetime(2026, 2, 1, 12, tzinfo=UTC)
WEBHOOK = Webhook(
    id="webhook_seed",
    organization_id="organization_seed",
    mode=Mode.TEST,
    type=WebhookType.ORDER_CREATED,
    status=WebhookStatus.ENABLED,
    url="http://127.0.0.1:9/",
    headers=(),
    query="query { x }",
    secret="whsec_seed",
    created_at=START,
    created_by="user_seed",
    updated_at=START,
    updated_by="user_seed",
)


def _attempt(event_id: str, attempt: int, minute: int) -> LogSeed:
    return LogSeed(
        id=f"log_{event_id}_{attempt}",
        webhook_id=WEBHOOK.id,
        event_id=event_id,
        body=b"{}",
        response="ok",
        response_status=200,
        created_at=START + timedelta(minutes=minute),
        attempt=attempt,
    )


def test_attempts_of_one_event_share_a_delivery_counting_the_highest() -> None:
    seeds = [_attempt("event_a", 2, 2), _attempt("event_b", 1, 1), _attempt("event_a", 1, 0)]
    logs = list(seeded_logs(seeds, {WEBHOOK.id: WEBHOOK}.get))
    assert [log.id for log in logs] == ["log_event_a_1", "log_event_b_1", "log_event_a_2"]
    first_a, b, second_a = logs
    assert first_a.delivery is second_a.delivery
    assert b.delivery is not first_a.delivery
    assert (first_a.delivery.attempts, b.delivery.attempts) == (2, 1)


def test_copied_worlds_are_linked_as_the_seed_and_share_nothing_mutable_with_it() -> None:
    seed = load_fixtures().seed
    worlds = copied_worlds(seed.worlds)
    assert _unlinked(worlds) == _unlinked(copy.deepcopy(seed.worlds))
    shipment = next(s for world in worlds for s in world.shipments)
    order = shipment["order"]
    assert any(o is order for world in worlds for o in world.orders), "one copy of the order"
    assert order["root"] is None or order["root"]["order"] is order, "linked back to itself"
    order["items"][0]["quantity"] = 10_000
    order["shipments"].clear()
    fresh = copied_worlds(seed.worlds)
    assert _unlinked(fresh) == _unlinked(copy.deepcopy(seed.worlds))
    assert _unlinked(fresh) != _unlinked(worlds)


def _unlinked(worlds: Any) -> list[Any]:
    """The worlds without their cycles (an order's shipments and root, a shipment's
    order), each link given by the id it leads to."""
    return [
        (
            world.owner,
            [
                {**o, "shipments": [s["id"] for s in o["shipments"]], "root": _root(o["root"])}
                for o in world.orders
            ],
            [{**s, "order": s["order"]["id"]} for s in world.shipments],
        )
        for world in worlds
    ]


def _root(root: Any) -> Any:
    return root and {**root, "order": root["order"]["id"]}


def test_a_tuple_in_a_record_is_copied_through() -> None:
    owner = Owner("organization_seed", Mode.TEST)
    record: dict[str, Any] = {"pair": ({"n": 1}, "text")}
    (world,) = copied_worlds([WorldSeed(owner, (record,))])
    (copied,) = world.orders
    assert copied == record
    assert copied["pair"][0] is not record["pair"][0]
