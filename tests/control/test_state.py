"""The /_mock/ control plane: health, the settings, reset to fixtures, and the state dump."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from mock_zonos import __version__

from ..helpers import GraphQL


async def test_health(client: TestClient[Any, Any]) -> None:
    response = await client.get("/_mock/health")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}


async def test_settings_say_how_the_server_behaves(client: TestClient[Any, Any]) -> None:
    response = await client.get("/_mock/settings")
    assert await response.json() == {
        "version": __version__,
        "sign": False,
        "clock": "real",
        "faults": {
            "duplicate": 1,
            "delay": 0.0,
            "jitter": 0.0,
            "seed": None,
            "staleTimestamp": 0,
            "badSignature": False,
        },
        "retryDelays": [0.01, 0.02],
        "deliveryTimeout": 2.0,
        "deliveryConcurrency": 32,
        "strictAuth": False,
        "maxLogs": 100_000,
    }


async def test_reset_returns_to_exactly_the_fixtures(
    client: TestClient[Any, Any], gql: GraphQL
) -> None:
    pristine = await gql.state()
    await gql.create_webhook()
    await gql.as_token("credential_test_auto-provisioned").create_webhook()
    fixture_webhook = "webhook_c0ffee00-0000-4000-8000-00000000a001"
    await gql.data(
        'mutation { webhookUpdate(input: {id: "%s", status: ENABLED, url: "http://127.0.0.1:1/x"}) '
        "{ id } }" % fixture_webhook
    )
    await gql.data('mutation { webhookDelete(id: "webhook_c0ffee00-0000-4000-8000-00000000a001") }')
    assert await gql.state() != pristine

    response = await client.post("/_mock/reset")
    assert response.status == 200
    after = await gql.state()
    assert after == pristine
    tokens = {c["token"] for c in after["credentials"]}
    assert "credential_test_auto-provisioned" not in tokens


async def test_state_dumps_credentials_webhooks_and_logs(gql: GraphQL) -> None:
    created = await gql.create_webhook(headers=[{"key": "X-Secret", "value": "v"}])
    state = await gql.state()
    webhooks = {w["id"]: w for t in state["tenants"] for w in t["webhooks"]}
    assert webhooks[created["id"]]["headers"] == [{"key": "X-Secret", "value": "v"}]
    logs = [log for t in state["tenants"] for log in t["logs"]]
    assert {log["id"] for log in logs} == {
        "webhook_log_decade00-0000-4000-8000-00000000c001",
        "webhook_log_decade00-0000-4000-8000-00000000c002",
    }
    assert len(state["credentials"]) == 3


async def test_unknown_control_routes_answer_json(client: TestClient[Any, Any]) -> None:
    missing = await client.get("/_mock/nope")
    assert missing.status == 404
    assert "error" in await missing.json()
    wrong_method = await client.get("/_mock/reset")
    assert wrong_method.status == 405
    assert (await wrong_method.json())["error"] == "GET is not allowed on /_mock/reset: use POST"
