"""The webhook operations, starting with the three exactly as Zonos' docs show them."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from ..helpers import DEFAULT_TOKEN, OTHER_ORG_TOKEN, GraphQL, error_of

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


async def test_docs_webhook_create(gql: GraphQL) -> None:
    data = await gql.data(
        """mutation {
          webhookCreate(input: {
            url: "https://example.com/webhooks/zonos", type: ORDER_CREATED, status: ENABLED
          }) { id url type status }
        }"""
    )
    webhook = data["webhookCreate"]
    assert re.fullmatch(r"webhook_[0-9a-f-]{36}", webhook["id"])
    assert webhook["url"] == "https://example.com/webhooks/zonos"
    assert webhook["type"] == "ORDER_CREATED"
    assert webhook["status"] == "ENABLED"


async def test_docs_webhook_update(gql: GraphQL) -> None:
    created = await gql.create_webhook(type="ORDER_CREATED")
    data = await gql.data(
        f"""mutation {{
          webhookUpdate(input: {{
            id: "{created["id"]}", url: "https://example.com/webhooks/zonos",
            type: ORDER_CREATED, status: ENABLED
          }}) {{ id url type status }}
        }}"""
    )
    assert data["webhookUpdate"] == {
        "id": created["id"],
        "url": "https://example.com/webhooks/zonos",
        "type": "ORDER_CREATED",
        "status": "ENABLED",
    }


async def test_docs_webhook_logs_with_a_real_cursor(gql: GraphQL) -> None:
    # The bundled fixtures seed two ORDER_STATUS_CHANGED attempts in this organization.
    other = gql.as_token(OTHER_ORG_TOKEN)
    first = await other.data("{ webhookLogs(first: 1) { pageInfo { endCursor } } }")
    cursor = first["webhookLogs"]["pageInfo"]["endCursor"]
    query = """query Logs($after: String) {
      webhookLogs(first: 20, after: $after, filter: {type: ORDER_STATUS_CHANGED}) {
        edges { node { id type url createdAt responseStatus } }
      }
    }"""
    data = await other.data(query, {"after": cursor})
    nodes = [edge["node"] for edge in data["webhookLogs"]["edges"]]
    assert nodes == [
        {
            "id": "webhook_log_decade00-0000-4000-8000-00000000c001",
            "type": "ORDER_STATUS_CHANGED",
            "url": "http://127.0.0.1:9/webhooks/zonos",
            "createdAt": "2026-02-01T12:05:00.000Z",
            "responseStatus": None,
        }
    ]
    filtered_out = await other.data(
        "{ webhookLogs(filter: {type: ORDER_CREATED}) { edges { node { id } } } }"
    )
    assert filtered_out["webhookLogs"]["edges"] == []


async def test_create_generates_the_server_side_fields(gql: GraphQL) -> None:
    webhook = await gql.create_webhook(
        type="SHIPMENT_CREATED", headers=[{"key": "X-Api-Key", "value": "hidden"}]
    )
    assert webhook["secret"].startswith("whsec_")
    assert "shipment(id: $shipmentId)" in webhook["query"]
    assert TIMESTAMP.match(webhook["createdAt"])
    assert webhook["createdAt"] == webhook["updatedAt"]
    assert webhook["createdBy"] == webhook["updatedBy"]
    assert webhook["createdBy"].startswith("user_")
    assert webhook["organizationId"] == "organization_c0ffee00-0000-4000-8000-000000000001"
    assert webhook["mode"] == "TEST"
    assert webhook["headers"] == [{"key": "X-Api-Key"}]


async def test_header_values_are_write_only(gql: GraphQL) -> None:
    status, body = await gql.post("{ webhooks { edges { node { headers { key value } } } } }")
    assert status == 400
    assert "value" in error_of(body)["message"]


async def test_update_changes_only_the_given_fields(gql: GraphQL) -> None:
    created = await gql.create_webhook(headers=[{"key": "X-One", "value": "1"}])
    data = await gql.data(
        """mutation($id: ID!) {
          webhookUpdate(input: {id: $id, status: DISABLED}) {
            url type status headers { key } createdAt updatedAt secret
          }
        }""",
        {"id": created["id"]},
    )
    updated = data["webhookUpdate"]
    assert updated["status"] == "DISABLED"
    assert updated["url"] == created["url"]
    assert updated["type"] == created["type"]
    assert updated["headers"] == [{"key": "X-One"}]
    assert updated["secret"] == created["secret"]
    assert updated["createdAt"] == created["createdAt"]
    assert datetime.fromisoformat(updated["updatedAt"]) >= datetime.fromisoformat(
        created["updatedAt"]
    )


async def test_update_replaces_headers_and_type_changes_the_query(gql: GraphQL) -> None:
    created = await gql.create_webhook(headers=[{"key": "X-One", "value": "1"}])
    data = await gql.data(
        """mutation($id: ID!) {
          webhookUpdate(input: {
            id: $id, type: SHIPMENT_CANCELED, headers: [{key: "X-Two", value: "2"}]
          }) { type query headers { key } }
        }""",
        {"id": created["id"]},
    )
    updated = data["webhookUpdate"]
    assert updated["headers"] == [{"key": "X-Two"}]
    assert updated["type"] == "SHIPMENT_CANCELED"
    assert "shipment(id: $shipmentId)" in updated["query"]
    stored = (await gql.state())["tenants"]
    headers = [w["headers"] for t in stored for w in t["webhooks"] if w["id"] == created["id"]]
    assert headers == [[{"key": "X-Two", "value": "2"}]]


async def test_update_moves_updated_by_to_the_caller(gql: GraphQL) -> None:
    created = await gql.create_webhook()
    # The LIVE credential of the same organization is another tenant: it cannot see it.
    status, body = await gql.as_token("credential_live_c0ffee00-0000-4000-8000-000000000002").post(
        'mutation { webhookUpdate(input: {id: "%s", status: DISABLED}) { id } }' % created["id"]
    )
    assert status == 200
    assert error_of(body)["extensions"]["errorType"] == "NOT_FOUND"


async def test_update_of_an_unknown_id_is_not_found(gql: GraphQL) -> None:
    status, body = await gql.post(
        'mutation { webhookUpdate(input: {id: "webhook_nope", status: DISABLED}) { id } }'
    )
    assert status == 200
    assert body["data"] == {"webhookUpdate": None}
    error = error_of(body)
    assert error["extensions"]["errorType"] == "NOT_FOUND"
    assert error["path"] == ["webhookUpdate"]
    assert "webhook_nope" in error["message"]


async def test_update_of_another_organizations_webhook_is_not_found(gql: GraphQL) -> None:
    theirs = await gql.as_token(OTHER_ORG_TOKEN).create_webhook()
    _, body = await gql.post(
        'mutation { webhookUpdate(input: {id: "%s", url: "https://evil.example"}) { id } }'
        % theirs["id"]
    )
    assert error_of(body)["extensions"]["errorType"] == "NOT_FOUND"
    again = await gql.as_token(OTHER_ORG_TOKEN).data(
        'query { webhook(id: "%s") { url } }' % theirs["id"]
    )
    assert again["webhook"]["url"] == theirs["url"]


async def test_delete_returns_success_then_failure(gql: GraphQL) -> None:
    created = await gql.create_webhook()
    mutation = 'mutation { webhookDelete(id: "%s") }' % created["id"]
    assert await gql.data(mutation) == {"webhookDelete": "SUCCESS"}
    assert await gql.data(mutation) == {"webhookDelete": "FAILURE"}
    assert await gql.data('{ webhook(id: "%s") { id } }' % created["id"]) == {"webhook": None}


async def test_delete_of_another_organizations_webhook_fails(gql: GraphQL) -> None:
    theirs = await gql.as_token(OTHER_ORG_TOKEN).create_webhook()
    assert await gql.data('mutation { webhookDelete(id: "%s") }' % theirs["id"]) == {
        "webhookDelete": "FAILURE"
    }
    assert await gql.as_token(OTHER_ORG_TOKEN).data(
        '{ webhook(id: "%s") { id } }' % theirs["id"]
    ) == {"webhook": {"id": theirs["id"]}}


async def test_webhook_by_id(gql: GraphQL) -> None:
    created = await gql.create_webhook(type="ORDER_UPDATED")
    data = await gql.data('{ webhook(id: "%s") { id type } }' % created["id"])
    assert data["webhook"] == {"id": created["id"], "type": "ORDER_UPDATED"}
    assert await gql.data('{ webhook(id: "webhook_missing") { id } }') == {"webhook": None}


async def test_an_enum_passed_as_a_variable(gql: GraphQL) -> None:
    await gql.create_webhook(type="INVENTORY_CHECK", status="DISABLED")
    data = await gql.data(
        """query($type: WebhookType, $status: WebhookStatus) {
          webhooks(filter: {type: $type, status: $status}) { totalCount edges { node { type } } }
        }""",
        {"type": "INVENTORY_CHECK", "status": "DISABLED"},
    )
    assert data["webhooks"]["totalCount"] == 1
    assert data["webhooks"]["edges"][0]["node"]["type"] == "INVENTORY_CHECK"


async def test_tenants_are_isolated(gql: GraphQL) -> None:
    mine = await gql.create_webhook(url="https://mine.example/hook")
    other = gql.as_token(OTHER_ORG_TOKEN)
    theirs = await other.create_webhook(url="https://theirs.example/hook")
    query = "{ webhooks(first: 100) { totalCount edges { node { id organizationId } } } }"
    my_ids = {e["node"]["id"] for e in (await gql.data(query))["webhooks"]["edges"]}
    their_ids = {e["node"]["id"] for e in (await other.data(query))["webhooks"]["edges"]}
    assert mine["id"] in my_ids and mine["id"] not in their_ids
    assert theirs["id"] in their_ids and theirs["id"] not in my_ids
    assert await other.data('{ webhook(id: "%s") { id } }' % mine["id"]) == {"webhook": None}


async def test_the_trailing_slash_endpoint_answers_too(gql: GraphQL) -> None:
    status, body = await gql.post("{ webhooks { totalCount } }", path="/graphql/")
    assert status == 200
    assert body["data"]["webhooks"]["totalCount"] == 1


async def test_default_token_sees_the_bundled_webhook(gql: GraphQL) -> None:
    data = await gql.data("{ webhooks { totalCount edges { node { id status url } } } }")
    assert data["webhooks"]["edges"] == [
        {
            "node": {
                "id": "webhook_c0ffee00-0000-4000-8000-00000000a001",
                "status": "DISABLED",
                "url": "https://example.com/webhooks/zonos",
            }
        }
    ]
    assert DEFAULT_TOKEN.startswith("credential_test_")


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
