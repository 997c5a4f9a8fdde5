"""POST /_mock/trigger and GET /_mock/events: what the handlers accept and refuse."""

from __future__ import annotations

import io
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from mock_zonos.domain.models import WebhookType

from ..helpers import GraphQL


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"type": "ORDER_CREATE"}, 400, "the types are COLLECT_EMAIL_SENT, "),
        ({}, 400, '"type" is required'),
        ({"type": "ORDER_CREATED", "overrides": [1]}, 400, '"overrides" must be a JSON object'),
        ({"type": "ORDER_CREATED", "body": "text"}, 400, '"body" must be a JSON object'),
        ({"type": "ORDER_CREATED", "body": {}, "overrides": {}}, 400, "not both"),
        ({"type": "ORDER_CREATED", "webhookId": "webhook_nope"}, 404, "webhook_nope"),
        ({"type": "ORDER_CREATED", "wait": "yes"}, 400, '"wait" must be true or false'),
        ({"type": "ORDER_CREATED", "count": 0}, 400, '"count" must be'),
        ({"type": "ORDER_CREATED", "typo": 1}, 400, "unknown field 'typo'"),
        (
            {"type": "ORDER_CREATED", "faults": {"dupe": 2}},
            400,
            "unknown fault 'dupe'; the faults are duplicate, delay, jitter, seed, staleTimestamp, "
            "badSignature",
        ),
        (
            {"type": "ORDER_CREATED", "faults": {"duplicate": 101}},
            400,
            "fault 'duplicate' must be a whole number from 1 to 100, got 101",
        ),
        ({"type": "ORDER_CREATED", "faults": "duplicate=2"}, 400, '"faults" must be a JSON object'),
    ],
)
async def test_bad_trigger_requests_are_refused(
    gql: GraphQL, payload: dict[str, Any], status: int, message: str
) -> None:
    response = await gql.client.post("/_mock/trigger", json=payload)
    assert response.status == status
    assert message in (await response.json())["error"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"{nope", 400, "not valid JSON"),
        (b"[1]", 400, "must be a JSON object"),
        (
            b'{"type": "ORDER_CREATED", "body": {"x": "' + b"y" * (1024 * 1024) + b'"}}',
            413,
            "the request body is too large: the limit is 1,048,576 bytes",
        ),
    ],
)
async def test_malformed_trigger_bodies_are_refused(
    client: TestClient[Any, Any], body: bytes, status: int, message: str
) -> None:
    response = await client.post("/_mock/trigger", data=io.BytesIO(body))
    assert response.status == status
    assert message in (await response.json())["error"]


async def test_events_lists_every_type_with_its_sample(client: TestClient[Any, Any]) -> None:
    response = await client.get("/_mock/events")
    events = (await response.json())["events"]
    assert [e["type"] for e in events] == list(WebhookType)
    assert all(set(e) == {"type", "query", "body", "subject", "subjectFields"} for e in events)
    missing = await client.get("/_mock/events/NOPE")
    assert missing.status == 404
