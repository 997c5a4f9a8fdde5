"""MockZonos: the threaded server for tests and scripts, sync and async."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web
from pytest_aiohttp import AiohttpServer

from mock_zonos import (
    ControlRequestError,
    LogsTimeout,
    MockZonos,
    Settings,
    WebhookReceiver,
    ZonosGraphQLError,
)
from mock_zonos.domain.errors import FixtureError


@pytest.fixture(scope="module")
def zonos() -> Iterator[MockZonos]:
    with MockZonos(Settings(port=0, retry_delays=(0.01,), delivery_timeout=2.0)) as server:
        yield server


@pytest.fixture(autouse=True)
def fresh(zonos: MockZonos) -> None:
    zonos.reset()


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_it_binds_loopback_on_a_free_port(zonos: MockZonos) -> None:
    assert zonos.url.startswith("http://127.0.0.1:")
    assert zonos.graphql_url == f"{zonos.url}/graphql"
    assert zonos.token == "credential_test_c0ffee00-0000-4000-8000-000000000001"


def test_sync_register_trigger_and_read_logs(zonos: MockZonos) -> None:
    with WebhookReceiver() as receiver:
        webhook = zonos.create_webhook(
            f"{receiver.url}/hook", "ORDER_CREATED", headers={"X-A": "1"}
        )
        assert webhook["headers"] == [{"key": "X-A"}]
        result = zonos.trigger("ORDER_CREATED", overrides={"data": {"order": {"status": "OPEN"}}})
        assert result.succeeded
        (delivery,) = result.deliveries
        assert (delivery.webhook_id, delivery.response_status) == (webhook["id"], 200)
        (request,) = receiver.wait_for(1)
        (log,) = zonos.logs()
        assert log["id"] == delivery.log_id
        assert log["eventId"] == result.event_id == request.headers["X-Mock-Zonos-Event-Id"]
        assert log["request"].encode() == request.body


def test_execute_returns_the_response_and_data_raises_on_errors(zonos: MockZonos) -> None:
    response = zonos.execute('{ webhook(id: "webhook_nope") { id } }')
    assert response.data == {"webhook": None}
    failed = zonos.execute('mutation { webhookUpdate(input: {id: "x", status: DISABLED}) { id } }')
    assert failed["data"] == {"webhookUpdate": None}
    with pytest.raises(
        ZonosGraphQLError, match=r"NOT_FOUND at webhookUpdate: Webhook x was not found"
    ):
        _ = failed.data
    with pytest.raises(ZonosGraphQLError) as caught:
        zonos.create_webhook("not a url", "ORDER_CREATED")
    assert caught.value.errors[0]["extensions"]["errorType"] == "BAD_REQUEST"


def test_a_refused_trigger_raises_with_the_servers_message(zonos: MockZonos) -> None:
    with pytest.raises(ControlRequestError, match="unknown type 'ORDER_CREATE'"):
        zonos.trigger("ORDER_CREATE")


def test_every_method_acts_as_the_given_token(zonos: MockZonos) -> None:
    other = "credential_test_decade00-0000-4000-8000-000000000003"
    zonos.create_webhook("http://127.0.0.1:9/x", "ORDER_CREATED", status="DISABLED", token=other)
    assert (
        zonos.execute("{ webhooks { totalCount } }", token=other).data["webhooks"]["totalCount"]
        == 2
    )
    assert len(zonos.logs(token=other)) == 2
    assert zonos.logs() == []


def test_reset_returns_to_the_fixtures(zonos: MockZonos) -> None:
    zonos.create_webhook("http://127.0.0.1:9/x", "ORDER_CREATED")
    zonos.reset()
    assert zonos.execute("{ webhooks { totalCount } }").data["webhooks"]["totalCount"] == 1


def test_wait_for_logs_times_out_saying_what_arrived(zonos: MockZonos) -> None:
    zonos.create_webhook("http://127.0.0.1:9/refused", "ORDER_CREATED")
    zonos.trigger("ORDER_CREATED", wait=False)
    with pytest.raises(LogsTimeout) as caught:
        zonos.wait_for_logs(5, timeout=0.3)
    message = str(caught.value)
    # One clean error: nothing chained to it (no "RuntimeError: no running event loop").
    assert caught.value.__context__ is None and caught.value.__cause__ is None
    assert message.startswith("expected 5 log(s) within 0.3 s, got 2:")
    assert "ORDER_CREATED attempt 1 → http://127.0.0.1:9/refused: connection refused" in message


def test_create_webhook_takes_headers_in_the_apis_list_form(zonos: MockZonos) -> None:
    with WebhookReceiver() as receiver:
        listed = [{"key": "X-Shop", "value": "s3cr3t"}, {"key": "X-Other", "value": "1"}]
        webhook = zonos.create_webhook(receiver.url, "ORDER_CREATED", headers=listed)
        assert webhook["headers"] == [{"key": "X-Shop"}, {"key": "X-Other"}]
        zonos.trigger("ORDER_CREATED")
        (request,) = receiver.wait_for(1)
    assert (request.headers["X-Shop"], request.headers["X-Other"]) == ("s3cr3t", "1")
    with pytest.raises(TypeError, match=r"headers must be a mapping .* or a list like"):
        zonos.create_webhook(receiver.url, "ORDER_CREATED", headers=[("X-Shop", "s3cr3t")])  # type: ignore[list-item]


def test_wait_for_logs_filters_by_type(zonos: MockZonos) -> None:
    with WebhookReceiver() as receiver:
        zonos.create_webhook(receiver.url, "ORDER_CREATED")
        zonos.create_webhook(receiver.url, "SHIPMENT_CREATED")
        zonos.trigger("SHIPMENT_CREATED", wait=False)
        zonos.trigger("ORDER_CREATED", wait=False)
        (log,) = zonos.wait_for_logs(1, type="ORDER_CREATED")
        assert log["type"] == "ORDER_CREATED"


async def test_async_twins(zonos: MockZonos) -> None:
    with WebhookReceiver() as receiver:
        await zonos.acreate_webhook(receiver.url, "ORDER_UPDATED")
        result = await zonos.atrigger("ORDER_UPDATED")
        assert result.succeeded
        (log,) = await zonos.await_for_logs(1)
        assert log == (await zonos.alogs())[0]
        assert (await zonos.aexecute("{ webhookLogs { edges { node { id } } } }")).data
        await zonos.areset()
        assert await zonos.alogs() == []


async def test_a_receiver_on_the_tests_own_loop_never_deadlocks(
    zonos: MockZonos, aiohttp_server: AiohttpServer
) -> None:
    received: list[bytes] = []

    async def receive(request: web.Request) -> web.Response:
        received.append(await request.read())
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/hook", receive)
    server = await aiohttp_server(app)
    await zonos.acreate_webhook(str(server.make_url("/hook")), "ORDER_CREATED")

    result = await zonos.atrigger("ORDER_CREATED")
    assert [d.response_status for d in result.deliveries] == [200]
    assert len(received) == 1
    (log,) = await zonos.await_for_logs(1)
    assert log["responseStatus"] == 200

    # The sync call would block the loop that serves the receiver: it refuses at once.
    started = time.monotonic()
    with pytest.raises(RuntimeError, match=r"use `await zonos.atrigger\(...\)`"):
        zonos.trigger("ORDER_CREATED")
    with pytest.raises(RuntimeError, match="await_for_logs"):
        zonos.wait_for_logs(1)
    assert time.monotonic() - started < 1


def test_start_and_stop_leave_no_thread_or_socket_behind() -> None:
    threads, fds = threading.active_count(), _open_fds()
    server = MockZonos().start()
    with WebhookReceiver() as receiver:
        server.create_webhook(receiver.url, "ORDER_CREATED")
        server.trigger("ORDER_CREATED")
        receiver.wait_for(1)
    server.stop()
    server.stop()
    assert threading.active_count() == threads
    assert _open_fds() == fds


def test_a_bad_fixtures_directory_fails_at_construction(tmp_path: Path) -> None:
    with pytest.raises(FixtureError, match="missing: does not exist"):
        MockZonos(Settings(port=0, fixtures=tmp_path / "missing"))


def test_mock_zonos_takes_a_free_port_even_with_settings_given() -> None:
    with MockZonos(Settings(retry_delays=())) as server:
        assert not server.url.endswith(":8787")
