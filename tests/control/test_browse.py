"""What the dashboard reads: its page and assets, the README, and the /_mock/ listings."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from mock_zonos.control.dashboard import STATIC_DIR
from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import DEFAULT_TOKEN, OTHER_ORG_TOKEN, GraphQL, run_installed

REPO = Path(__file__).resolve().parents[2]
SEEDED_REFUSED = "webhook_log_decade00-0000-4000-8000-00000000c001"
SEEDED_SUCCESS = "webhook_log_decade00-0000-4000-8000-00000000c002"
SEEDED_WEBHOOKS = [
    "webhook_decade00-0000-4000-8000-00000000b001",
    "webhook_c0ffee00-0000-4000-8000-00000000a002",
    "webhook_c0ffee00-0000-4000-8000-00000000a001",
]


async def _json(
    client: TestClient[Any, Any], path: str, token: str | None = None, status: int = 200
) -> dict[str, Any]:
    headers = {"credentialToken": token} if token else {}
    response = await client.get(path, headers=headers)
    assert response.status == status, await response.text()
    payload: dict[str, Any] = await response.json()
    return payload


# -- the page -----------------------------------------------------------------


async def test_the_root_serves_the_dashboard_page(client: TestClient[Any, Any]) -> None:
    response = await client.get("/")
    assert response.status == 200
    assert response.content_type == "text/html"
    assert "<title>mock-zonos</title>" in await response.text()


async def test_every_asset_the_page_names_is_served_from_the_package(
    client: TestClient[Any, Any],
) -> None:
    page = (STATIC_DIR / "index.html").read_text()
    assets = re.findall(r'(?:src|href)="(/_mock/static/[^"]+)"', page)
    modules = {
        f"/_mock/static/{name}"
        for path in STATIC_DIR.glob("*.js")
        for name in re.findall(r'from "\./([\w.]+)"', path.read_text())
    }
    assert assets and modules
    for asset in {*assets, *modules}:
        response = await client.get(asset)
        assert response.status == 200, asset
    script = await client.get("/_mock/static/app.js")
    assert script.content_type in ("text/javascript", "application/javascript")


def test_the_page_loads_nothing_from_another_origin() -> None:
    for path in STATIC_DIR.iterdir():
        text = path.read_text()
        # Every src, href, import and fetch names a path on this server.
        for target in re.findall(r'(?:src|href)="([^"#]+)"', text):
            assert target.startswith("/") or target.startswith("data:"), (path.name, target)
        assert not re.search(r"""(?:import|fetch|EventSource)\s*\(?\s*["'`]https?:""", text)
        assert "@import" not in text and "url(" not in text, path.name


@pytest.mark.parametrize("name", ["nope.js", "..", "%2e%2e%2fapp.py"])
async def test_only_the_dashboard_files_are_served(client: TestClient[Any, Any], name: str) -> None:
    response = await client.get(f"/_mock/static/{name}")
    assert response.status == 404
    assert "error" in await response.json()


async def test_the_readme_is_served_as_markdown(client: TestClient[Any, Any]) -> None:
    response = await client.get("/_mock/readme")
    assert response.status == 200
    assert response.content_type == "text/markdown"
    assert await response.text() == (REPO / "README.md").read_text(encoding="utf-8")


def test_the_wheel_carries_the_dashboard(installed_wheel: Path) -> None:
    static = installed_wheel / "mock_zonos" / "static"
    assert {path.name for path in STATIC_DIR.iterdir()} <= {path.name for path in static.iterdir()}
    # Installed, the README it links to comes from the package's own description.
    found = run_installed(
        installed_wheel,
        "from mock_zonos.control.dashboard import readme_text; print(readme_text())",
    )
    assert found.startswith("# mock-zonos\n")
    assert "## Firing events" in found


# -- credentials and webhooks ------------------------------------------------------------


async def test_credentials_lists_the_known_tokens(client: TestClient[Any, Any]) -> None:
    payload = await _json(client, "/_mock/credentials")
    tokens = [c["token"] for c in payload["credentials"]]
    assert tokens[0] == DEFAULT_TOKEN
    assert len(tokens) == 3
    assert set(payload["credentials"][0]) == {"token", "organizationId", "mode", "userId"}


async def test_webhooks_lists_every_tenant_newest_first(client: TestClient[Any, Any]) -> None:
    payload = await _json(client, "/_mock/webhooks")
    assert [w["id"] for w in payload["webhooks"]] == SEEDED_WEBHOOKS
    assert payload["pageInfo"] == {
        "hasNextPage": False,
        "endCursor": payload["webhooks"][-1]["cursor"],
    }
    assert payload["webhooks"][-1]["headers"] == [
        {"key": "X-Shop-Secret", "value": "s3cr3t-example"}
    ]


async def test_webhooks_with_a_token_shows_only_its_tenant(
    client: TestClient[Any, Any], gql: GraphQL
) -> None:
    created = await gql.create_webhook()
    payload = await _json(client, "/_mock/webhooks", token=DEFAULT_TOKEN)
    assert [w["id"] for w in payload["webhooks"]] == [created["id"], SEEDED_WEBHOOKS[2]]


async def test_webhooks_filter_by_type_and_status(
    client: TestClient[Any, Any], gql: GraphQL
) -> None:
    enabled = await gql.create_webhook(type="SHIPMENT_CREATED", status="ENABLED")
    await gql.create_webhook(type="SHIPMENT_CREATED", status="DISABLED")
    payload = await _json(client, "/_mock/webhooks?type=SHIPMENT_CREATED&status=ENABLED")
    assert [w["id"] for w in payload["webhooks"]] == [enabled["id"]]


async def test_webhooks_page_forwards_across_tenants(client: TestClient[Any, Any]) -> None:
    seen: list[str] = []
    path = "/_mock/webhooks?first=2"
    while True:
        payload = await _json(client, path)
        seen += [w["id"] for w in payload["webhooks"]]
        if not payload["pageInfo"]["hasNextPage"]:
            break
        path = f"/_mock/webhooks?first=2&after={payload['pageInfo']['endCursor']}"
    assert seen == SEEDED_WEBHOOKS


# -- logs -------------------------------------------------------------------------


async def test_logs_list_summaries_of_every_tenant_newest_first(
    client: TestClient[Any, Any],
) -> None:
    payload = await _json(client, "/_mock/logs")
    assert [log["id"] for log in payload["logs"]] == [SEEDED_SUCCESS, SEEDED_REFUSED]
    newest = payload["logs"][0]
    assert newest["attempt"] == 2
    assert newest["eventId"] == "event_decade00-0000-4000-8000-00000000d001"
    assert newest["succeeded"] is True
    assert "request" not in newest and "response" not in newest
    assert payload["pageInfo"]["hasNextPage"] is False


async def test_logs_filter_by_status(client: TestClient[Any, Any]) -> None:
    failed = await _json(client, "/_mock/logs?status=failed")
    assert [log["id"] for log in failed["logs"]] == [SEEDED_REFUSED]
    succeeded = await _json(client, "/_mock/logs?status=success")
    assert [log["id"] for log in succeeded["logs"]] == [SEEDED_SUCCESS]


async def test_logs_filter_by_type_and_token(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=receiver.url, type="ORDER_CREATED")
    await gql.trigger("ORDER_CREATED")
    mine = await _json(client, "/_mock/logs", token=DEFAULT_TOKEN)
    assert [log["type"] for log in mine["logs"]] == ["ORDER_CREATED"]
    others = await _json(client, "/_mock/logs?type=ORDER_STATUS_CHANGED")
    assert [log["id"] for log in others["logs"]] == [SEEDED_SUCCESS, SEEDED_REFUSED]
    assert (await _json(client, "/_mock/logs?type=ORDER_CANCELED"))["logs"] == []


async def test_a_status_filter_pages_past_the_attempts_it_skips(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=receiver.url, type="ORDER_UPDATED")
    await gql.trigger("ORDER_UPDATED")
    # Refusals bury the success: the filter reads past them, list page after list page.
    await gql.create_webhook(url="http://127.0.0.1:1/refused", type="ORDER_CREATED")
    await gql.trigger("ORDER_CREATED", count=120)
    payload = await _json(client, "/_mock/logs?status=success&first=1", token=DEFAULT_TOKEN)
    assert [(log["type"], log["responseStatus"]) for log in payload["logs"]] == [
        ("ORDER_UPDATED", 200)
    ]
    assert payload["pageInfo"]["hasNextPage"] is False


async def test_logs_page_with_the_cursors_of_webhook_logs(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=receiver.url)
    await gql.trigger("ORDER_CREATED", count=3)
    await receiver.await_for(3)
    data = await gql.data("{ webhookLogs(first: 1) { edges { cursor node { id } } } }")
    (edge,) = data["webhookLogs"]["edges"]
    rest = await _json(client, f"/_mock/logs?after={edge['cursor']}", token=DEFAULT_TOKEN)
    everything = await _json(client, "/_mock/logs", token=DEFAULT_TOKEN)
    assert everything["logs"][0]["id"] == edge["node"]["id"]
    assert rest["logs"] == everything["logs"][1:]


async def test_one_log_in_full(client: TestClient[Any, Any]) -> None:
    log = await _json(client, f"/_mock/logs/{SEEDED_SUCCESS}")
    assert log["request"].startswith('{"data":{"order"')
    assert log["response"] == '{"received":true}'
    assert log["responseStatus"] == 200
    assert log["requestHeaders"] == []
    mine = await _json(client, f"/_mock/logs/{SEEDED_SUCCESS}", token=OTHER_ORG_TOKEN)
    assert mine == log


async def test_a_delivered_log_shows_the_headers_sent(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=receiver.url, headers=[{"key": "X-Shop", "value": "v"}])
    _, answer = await gql.trigger("ORDER_CREATED")
    log = await _json(client, f"/_mock/logs/{answer['deliveries'][0]['logId']}")
    headers = {h["key"]: h["value"] for h in log["requestHeaders"]}
    assert headers["X-Shop"] == "v"
    assert headers["X-Mock-Zonos-Event-Id"] == answer["eventId"] == log["eventId"]


@pytest.mark.parametrize(
    ("path", "token", "status", "message"),
    [
        ("/_mock/logs/webhook_log_nope", None, 404, "webhook_log_nope was not found"),
        (f"/_mock/logs/{SEEDED_SUCCESS}", DEFAULT_TOKEN, 404, "was not found"),
        ("/_mock/logs?status=ok", None, 400, "unknown status 'ok'; the values are success"),
        ("/_mock/logs?type=ORDER", None, 400, "unknown type 'ORDER'; the values are"),
        ("/_mock/logs?first=101", None, 400, "first must be a whole number from 1 to 100"),
        ("/_mock/logs?first=0", None, 400, "first must be a whole number from 1 to 100"),
        ("/_mock/logs?after=nonsense", None, 400, 'Argument "after" is not a valid cursor'),
        ("/_mock/logs?limit=5", None, 400, "unknown parameter 'limit'"),
        ("/_mock/webhooks?status=success", None, 400, "the values are DISABLED, ENABLED"),
        ("/_mock/webhooks?after=nonsense", None, 400, "is not a valid cursor"),
    ],
)
async def test_bad_listing_requests_are_json_errors(
    client: TestClient[Any, Any], path: str, token: str | None, status: int, message: str
) -> None:
    payload = await _json(client, path, token=token, status=status)
    assert message in payload["error"]


async def test_a_webhook_cursor_does_not_page_logs(client: TestClient[Any, Any]) -> None:
    webhooks = await _json(client, "/_mock/webhooks")
    cursor = webhooks["pageInfo"]["endCursor"]
    payload = await _json(client, f"/_mock/logs?after={cursor}", status=400)
    assert "is not a valid cursor" in payload["error"]


@pytest.mark.parametrize(
    "path",
    ["/_mock/state?logs=²", "/_mock/state?logs=" + "9" * 5000, "/_mock/logs?first=²"],
    ids=["superscript", "5000 digits", "superscript page size"],
)
async def test_odd_numbers_are_a_400(client: TestClient[Any, Any], path: str) -> None:
    response = await client.get(path)
    assert response.status == 400
    assert "whole number" in (await response.json())["error"]
