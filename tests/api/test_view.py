"""Requests that cannot be executed get HTTP 400 and a precise Zonos-style error."""

from __future__ import annotations

import io
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from ..helpers import DEFAULT_TOKEN, GraphQL, error_of

HEADERS = {"credentialToken": DEFAULT_TOKEN, "Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'"query"', "must be a JSON object"),
        (b"{}", 'no "query" string'),
        (b'{"query": 42}', 'no "query" string'),
        (b'{"query": "  "}', 'no "query" string'),
        (b'{"query": "{ webhooks { totalCount } }", "variables": [1]}', '"variables" must be'),
        (b'{"query": "{ webhooks { totalCount } }", "operationName": 3}', '"operationName"'),
    ],
)
async def test_malformed_bodies_are_400(
    client: TestClient[Any, Any], gql: GraphQL, body: bytes, message: str
) -> None:
    before = await gql.state()
    response = await client.post("/graphql", data=body, headers=HEADERS)
    assert response.status == 400
    error = error_of(await response.json())
    assert error["extensions"]["errorType"] == "BAD_REQUEST"
    assert message in error["message"]
    assert await gql.state() == before


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ webhooks { totalCount ", "Syntax Error"),
        ("{ webhooks { nope } }", "Cannot query field 'nope'"),
        (
            'mutation { webhookCreate(input: {url: "https://x.example", status: ENABLED}) { id } }',
            "required field 'type'",
        ),
        (
            'mutation { webhookCreate(input: {url: "https://x.example", type: ORDER_CREATE, '
            "status: ENABLED}) { id } }",
            "ORDER_CREATE",
        ),
        ("query A { webhooks { totalCount } } query B { webhooks { totalCount } }", "operation"),
    ],
)
async def test_syntax_and_validation_errors_are_400(gql: GraphQL, query: str, message: str) -> None:
    before = await gql.state()
    status, body = await gql.post(query)
    assert status == 400
    error = error_of(body)
    assert error["extensions"]["errorType"] == "BAD_REQUEST"
    assert message in error["message"]
    assert await gql.state() == before


async def test_a_bad_enum_variable_is_400(gql: GraphQL) -> None:
    status, body = await gql.post(
        "query($t: WebhookType) { webhooks(filter: {type: $t}) { totalCount } }", {"t": "NOPE"}
    )
    assert status == 400
    assert "NOPE" in error_of(body)["message"]


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://example.com/hook", "scheme must be http or https"),
        ("example.com/hook", "scheme must be http or https"),
        ("/relative/path", "scheme must be http or https"),
        ("https://", "has no host"),
        ("http://exa mple.com", "whitespace"),
        ("http://example.com:99999/", "Port out of range"),
        ("", "scheme must be http or https"),
    ],
)
async def test_a_bad_url_names_the_field_and_stores_nothing(
    gql: GraphQL, url: str, problem: str
) -> None:
    before = await gql.state()
    status, body = await gql.post(
        "mutation($url: String!) { webhookCreate(input: {url: $url, type: ORDER_CREATED, "
        "status: ENABLED}) { id } }",
        {"url": url},
    )
    assert status == 200
    assert body["data"] == {"webhookCreate": None}
    error = error_of(body)
    assert error["extensions"]["errorType"] == "BAD_REQUEST"
    assert '"input.url"' in error["message"]
    assert problem in error["message"]
    assert await gql.state() == before


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        ([{"key": "Bad Header", "value": "x"}], '"input.headers[0].key"'),
        ([{"key": "Host", "value": "x"}], "cannot be overridden"),
        ([{"key": "X-A", "value": "1"}, {"key": "x-a", "value": "2"}], "given twice"),
        ([{"key": "X-A", "value": "line\r\nInjected: 1"}], "control character '\\r'"),
        ([{"key": "X-A", "value": "nul\x00"}], "header X-A contains the control character"),
        ([{"key": "X-B", "value": "bell\x07"}], '"input.headers[0].value"'),
        ([{"key": "X-B", "value": "del\x7f"}], "'\\x7f'"),
    ],
)
async def test_bad_headers_are_refused(
    gql: GraphQL, headers: list[dict[str, str]], problem: str
) -> None:
    before = await gql.state()
    _, body = await gql.post(
        "mutation($h: [WebhookHeaderInput!]) { webhookCreate(input: {url: "
        '"https://x.example", type: ORDER_CREATED, status: ENABLED, headers: $h}) { id } }',
        {"h": headers},
    )
    assert problem in error_of(body)["message"]
    assert await gql.state() == before


async def test_a_header_value_with_a_control_character_is_refused_on_update(
    gql: GraphQL,
) -> None:
    created = await gql.create_webhook(headers=[{"key": "X-A", "value": "fine\tto tab"}])
    before = await gql.state()
    _, body = await gql.post(
        "mutation($id: ID!) { webhookUpdate(input: {id: $id, headers: "
        '[{key: "X-A", value: "1"}, {key: "X-B", value: "a\\u0000b"}]}) { id } }',
        {"id": created["id"]},
    )
    error = error_of(body)
    assert error["extensions"]["errorType"] == "BAD_REQUEST"
    assert error["message"].startswith(
        'Invalid value for "input.headers[1].value": the value of header X-B contains '
        "the control character '\\x00'"
    )
    assert await gql.state() == before


async def test_a_failed_update_changes_nothing(gql: GraphQL) -> None:
    created = await gql.create_webhook()
    before = await gql.state()
    _, body = await gql.post(
        'mutation { webhookUpdate(input: {id: "%s", status: DISABLED, url: "nope"}) { id } }'
        % created["id"]
    )
    assert '"input.url"' in error_of(body)["message"]
    assert await gql.state() == before


async def test_a_body_over_one_mebibyte_is_413(client: TestClient[Any, Any]) -> None:
    body = b'{"query": "{ webhooks { totalCount } }", "pad": "' + b"x" * 1024 * 1024 + b'"}'
    response = await client.post("/graphql", data=io.BytesIO(body), headers=HEADERS)
    assert response.status == 413
    error = error_of(await response.json())
    assert error["extensions"]["errorType"] == "BAD_REQUEST"
    assert error["message"] == "The request body is too large: the limit is 1,048,576 bytes."


async def test_client_errors_are_logged_as_one_line(
    gql: GraphQL, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="mock_zonos")
    await gql.post("{ webhooks { nope } }")
    records = [r for r in caplog.records if r.name.startswith("mock_zonos")]
    assert len(records) == 1
    assert records[0].levelname == "INFO"
    assert records[0].exc_info is None
    assert "400 BAD_REQUEST" in records[0].getMessage()
