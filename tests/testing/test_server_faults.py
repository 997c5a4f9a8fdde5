"""MockZonos' twins for what breaks receivers: faults, hold and release, the virtual clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import standardwebhooks

from mock_zonos import (
    ControlRequestError,
    MockZonos,
    ScenarioFailed,
    ScenarioInvalid,
    Settings,
    WebhookReceiver,
)


@pytest.fixture(scope="module")
def zonos() -> Iterator[MockZonos]:
    settings = Settings(port=0, clock="virtual", sign=True, retry_delays=(60.0,))
    with MockZonos(settings) as server:
        yield server


@pytest.fixture(autouse=True)
def fresh(zonos: MockZonos) -> None:
    zonos.reset()


def test_trigger_takes_faults(zonos: MockZonos) -> None:
    with WebhookReceiver() as receiver:
        webhook = zonos.create_webhook(receiver.url, "ORDER_CREATED")
        result = zonos.trigger("ORDER_CREATED", faults={"duplicate": 2, "badSignature": True})
        original, copy = receiver.requests
        assert original.body == copy.body
        with pytest.raises(standardwebhooks.WebhookVerificationError):
            standardwebhooks.Webhook(webhook["secret"]).verify(copy.body, dict(copy.headers))
        first, duplicate = zonos.logs()
        assert first["id"] == result.deliveries[0].log_id == duplicate["duplicateOf"]


def test_a_delayed_delivery_is_reported_and_sent_when_the_clock_gets_there(
    zonos: MockZonos,
) -> None:
    with WebhookReceiver() as receiver:
        zonos.create_webhook(receiver.url, "ORDER_CREATED")
        (delivery,) = zonos.trigger("ORDER_CREATED", faults={"delay": 90}).deliveries
        assert delivery.delayed_until is not None and not delivery.succeeded
        now = datetime.fromisoformat(zonos.clock()["now"])
        assert (datetime.fromisoformat(delivery.delayed_until) - now).total_seconds() == 90
        assert zonos.advance_clock(to=delivery.delayed_until) == {
            "now": delivery.delayed_until,
            "fired": 1,
        }
        assert len(receiver.requests) == 1


def test_hold_and_release_in_reverse(zonos: MockZonos) -> None:
    with WebhookReceiver() as receiver:
        zonos.create_webhook(receiver.url, "ORDER_CREATED")
        zonos.create_webhook(receiver.url, "ORDER_UPDATED")
        assert zonos.hold_deliveries() == 0
        created = zonos.trigger("ORDER_CREATED")
        updated = zonos.trigger("ORDER_UPDATED")
        assert created.deliveries[0].held and updated.deliveries[0].held
        assert [d["type"] for d in zonos.held_deliveries()] == ["ORDER_CREATED", "ORDER_UPDATED"]
        released = zonos.release_deliveries(order="reverse")
        events = [r.headers["X-Mock-Zonos-Event-Id"] for r in receiver.requests]
        assert events == [updated.event_id, created.event_id]
        assert released == [log["id"] for log in zonos.logs()]


def test_advance_clock_runs_a_retry(zonos: MockZonos) -> None:
    with WebhookReceiver() as receiver:
        receiver.respond_with(status=[500, 200])
        zonos.create_webhook(receiver.url, "ORDER_CREATED")
        zonos.trigger("ORDER_CREATED")
        assert zonos.advance_clock(59)["fired"] == 0
        assert zonos.advance_clock()["fired"] == 1
        assert [log["responseStatus"] for log in zonos.logs()] == [500, 200]


async def test_async_twins(zonos: MockZonos) -> None:
    with WebhookReceiver() as receiver:
        receiver.respond_with(status=[500, 200])
        await zonos.acreate_webhook(receiver.url, "ORDER_CREATED")
        assert await zonos.ahold_deliveries() == 0
        await zonos.atrigger("ORDER_CREATED")
        (released,) = await zonos.arelease_deliveries(order="shuffle", seed=1)
        assert (await zonos.aadvance_clock(60))["fired"] == 1
        first, retry = await zonos.alogs()
        assert (first["id"], first["responseStatus"], retry["responseStatus"]) == (
            released,
            500,
            200,
        )
        with pytest.raises(RuntimeError, match="arelease_deliveries"):
            zonos.release_deliveries()
        with pytest.raises(RuntimeError, match="aadvance_clock"):
            zonos.advance_clock(1)


def test_a_real_clock_refuses_to_advance_saying_how_to_switch() -> None:
    with MockZonos(Settings(port=0)) as server:
        assert server.clock()["mode"] == "real"
        with pytest.raises(ControlRequestError, match='Settings\\(clock="virtual"\\)'):
            server.advance_clock(60)


def test_run_scenario_runs_a_bundled_one_by_name(zonos: MockZonos) -> None:
    result = zonos.run_scenario("out-of-order")
    assert result.passed and result.steps_run == 8


def test_a_failing_scenario_raises_naming_the_step(zonos: MockZonos, tmp_path: Path) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text(
        "steps:\n  - webhook: {type: ORDER_CREATED}\n  - trigger: {type: ORDER_CREATED}\n"
        "  - expect: {logs: {count: 2}}\n"
    )
    with pytest.raises(ScenarioFailed, match=r"^scenario wrong failed at step 3 \(expect\): logs"):
        zonos.run_scenario(path)
    path.write_text("steps:\n  - trigger: {}\n")
    with pytest.raises(ScenarioInvalid, match="step 1 \\(trigger\\), key 'type': is required"):
        zonos.run_scenario(path)


async def test_run_scenario_has_an_async_twin(zonos: MockZonos) -> None:
    assert (await zonos.arun_scenario("retry-storm")).passed
    with pytest.raises(RuntimeError, match="arun_scenario"):
        zonos.run_scenario("retry-storm")
