"""Inputs and situations found by review: each gets a clear answer, never a 500 or a leak."""

from __future__ import annotations

import base64
import gzip
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpServer

from mock_zonos import MockZonos, Settings
from mock_zonos.keys import DISPATCHER, STORE
from mock_zonos.models import Event, WebhookType, utc_now
from mock_zonos.receiver import WebhookReceiver

from .helpers import DEFAULT_TOKEN, GraphQL, error_of, wait_until


@pytest.mark.parametrize(
    "url",
    ["http://a..b/hook", f"http://{'x' * 300}.example/hook", "http://a\x00b/hook"],
    ids=["empty label", "overlong label", "control character"],
)
async def test_a_url_the_client_could_not_send_to_is_refused(gql: GraphQL, url: str) -> None:
    status, body = await gql.post(
        "mutation($url: String!) { webhookCreate(input: {url: $url, type: ORDER_CREATED, "
        "status: ENABLED}) { id } }",
        {"url": url},
    )
    assert status == 200
    assert '"input.url"' in error_of(body)["message"]


@pytest.mark.parametrize(
    "path",
    ["/_mock/state?logs=²", "/_mock/state?logs=" + "9" * 5000, "/_mock/logs?first=²"],
    ids=["superscript", "5000 digits", "superscript page size"],
)
async def test_odd_numbers_are_a_400(client: TestClient[Any, Any], path: str) -> None:
    response = await client.get(path)
    assert response.status == 400
    assert "whole number" in (await response.json())["error"]


async def test_a_cursor_with_an_odd_number_is_a_bad_request(gql: GraphQL) -> None:
    cursor = base64.urlsafe_b64encode("WebhookLog:²".encode()).decode()
    status, body = await gql.post(
        "query($after: String) { webhookLogs(after: $after) { edges { cursor } } }",
        {"after": cursor},
    )
    assert status == 400
    assert error_of(body)["extensions"]["errorType"] == "BAD_REQUEST"


async def test_a_body_nested_too_deep_to_send_is_a_400(gql: GraphQL) -> None:
    nested: dict[str, Any] = {}
    for _ in range(300):
        nested = {"inner": nested}
    for field in ("body", "overrides"):
        status, answer = await gql.trigger("ORDER_CREATED", **{field: nested})
        assert status == 400
        assert "cannot be sent as JSON" in answer["error"]


async def test_a_compressed_response_is_truncated_after_decompression(
    gql: GraphQL, aiohttp_server: AiohttpServer
) -> None:
    async def gzipped(request: web.Request) -> web.Response:
        body = gzip.compress(b"x" * 1_000_000)
        return web.Response(body=body, headers={"Content-Encoding": "gzip"})

    app = web.Application()
    app.router.add_post("/hook", gzipped)
    server = await aiohttp_server(app)
    await gql.create_webhook(url=str(server.make_url("/hook")))
    await gql.trigger("ORDER_CREATED")
    (log,) = await gql.logs()
    assert log["response"].endswith("[mock-zonos: response truncated at 65536 bytes]")
    assert len(log["response"]) < 65536 + 100


async def test_retries_stop_once_the_webhook_is_of_another_type(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
) -> None:
    receiver.respond_with(status=500)
    webhook = await gql.create_webhook(url=receiver.url)
    _, answer = await gql.trigger("ORDER_CREATED")
    await gql.data(
        'mutation { webhookUpdate(input: {id: "%s", type: SHIPMENT_CREATED}) { id } }'
        % webhook["id"]
    )

    async def settled() -> bool:
        return bool(client.app[DISPATCHER].pending == 0)

    await wait_until(settled)
    assert len(receiver.requests) == 1
    resend = await client.post(f"/_mock/logs/{answer['deliveries'][0]['logId']}/resend")
    assert resend.status == 409
    assert "subscribes to SHIPMENT_CREATED now" in (await resend.json())["error"]


async def test_what_was_queued_before_a_reset_is_never_sent(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
) -> None:
    created = await gql.create_webhook(url=receiver.url)
    dispatcher, store = client.app[DISPATCHER], client.app[STORE]
    webhook = store.find_webhook(created["id"])
    assert webhook is not None
    before_reset = dispatcher.generation
    await dispatcher.cancel_all()
    event = Event("event_late", WebhookType.ORDER_CREATED, b"{}", utc_now())
    (handle,) = dispatcher.deliver(event, [webhook], before_reset)
    assert handle.first_attempt.cancelled()
    assert dispatcher.pending == 0
    assert receiver.requests == []


class TestRequestGuard:
    async def test_a_foreign_host_name_is_refused(self, client: TestClient[Any, Any]) -> None:
        response = await client.get("/_mock/state", headers={"Host": "evil.example"})
        assert response.status == 403
        assert "loopback host names only" in (await response.json())["error"]
        graphql = await client.post(
            "/graphql",
            json={"query": "{ webhooks { totalCount } }"},
            headers={"Host": "rebound.example:8787", "credentialToken": DEFAULT_TOKEN},
        )
        assert graphql.status == 403
        assert error_of(await graphql.json())["extensions"]["errorType"] == "UNAUTHORIZED"

    async def test_loopback_host_names_are_served(self, client: TestClient[Any, Any]) -> None:
        for host in ("localhost:8787", "127.0.0.1", "[::1]:8787"):
            response = await client.get("/_mock/health", headers={"Host": host})
            assert response.status == 200, host

    async def test_a_write_from_another_site_is_refused(
        self, client: TestClient[Any, Any], gql: GraphQL
    ) -> None:
        await gql.create_webhook()
        before = await gql.state()
        response = await client.post(
            "/_mock/reset",
            data="{}",
            headers={"Origin": "http://evil.example", "Content-Type": "text/plain"},
        )
        assert response.status == 403
        assert await gql.state() == before

    async def test_a_write_from_the_dashboard_itself_is_served(
        self, client: TestClient[Any, Any]
    ) -> None:
        origin = str(client.make_url("")).rstrip("/")
        response = await client.post("/_mock/reset", headers={"Origin": origin})
        assert response.status == 200

    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(host="127.0.0.1")


class TestBoundToEveryAddress:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(host="0.0.0.0")

    async def test_any_host_name_is_served(self, client: TestClient[Any, Any]) -> None:
        response = await client.get("/_mock/health", headers={"Host": "mock-zonos:8787"})
        assert response.status == 200


def test_mock_zonos_takes_a_free_port_even_with_settings_given() -> None:
    with MockZonos(Settings(retry_delays=())) as server:
        assert not server.url.endswith(":8787")
