"""Relay pagination: cursors, both directions, pageInfo at both ends, limits and errors."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from mock_zonos.domain.errors import InvalidInput
from mock_zonos.domain.models import Credential, Mode, WebhookStatus, WebhookType
from mock_zonos.domain.pagination import PageRequest

from ..helpers import GraphQL, error_of, make_store

PAGE = """query Page($first: Int, $after: String, $last: Int, $before: String) {
  webhooks(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { id } }
    pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
  }
}"""

FRESH_TOKEN = "credential_test_pagination-walk"


async def _create_many(gql: GraphQL, count: int) -> list[str]:
    """Webhook ids, newest first, created through a batch of aliased mutations."""
    ids: list[str] = []
    for start in range(0, count, 50):
        fields = " ".join(
            f'w{i}: webhookCreate(input: {{url: "https://example.com/{i}", '
            f"type: ORDER_CREATED, status: ENABLED}}) {{ id }}"
            for i in range(start, min(count, start + 50))
        )
        data = await gql.data(f"mutation {{ {fields} }}")
        ids.extend(data[f"w{i}"]["id"] for i in range(start, min(count, start + 50)))
    ids.reverse()
    return ids


async def _page(gql: GraphQL, **arguments: Any) -> dict[str, Any]:
    data = await gql.data(PAGE, arguments)
    page: dict[str, Any] = data["webhooks"]
    return page


async def test_walking_forwards_returns_every_item_once_newest_first(gql: GraphQL) -> None:
    gql = gql.as_token(FRESH_TOKEN)
    expected = await _create_many(gql, 250)
    seen: list[str] = []
    page = await _page(gql, first=40)
    assert page["pageInfo"]["hasPreviousPage"] is False
    while True:
        seen.extend(edge["node"]["id"] for edge in page["edges"])
        assert page["totalCount"] == 250
        if not page["pageInfo"]["hasNextPage"]:
            break
        page = await _page(gql, first=40, after=page["pageInfo"]["endCursor"])
        assert page["pageInfo"]["hasPreviousPage"] is True
    assert seen == expected


async def test_walking_backwards_returns_every_item_once(gql: GraphQL) -> None:
    gql = gql.as_token(FRESH_TOKEN)
    expected = await _create_many(gql, 230)
    pages: list[list[str]] = []
    page = await _page(gql, last=40)
    assert page["pageInfo"]["hasNextPage"] is False
    while True:
        pages.append([edge["node"]["id"] for edge in page["edges"]])
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        page = await _page(gql, last=40, before=page["pageInfo"]["startCursor"])
        assert page["pageInfo"]["hasNextPage"] is True
    seen = [webhook_id for chunk in reversed(pages) for webhook_id in chunk]
    assert seen == expected
    assert len(pages[0]) == 40 and len(pages[-1]) == 230 % 40


async def test_edge_cursors_match_page_info(gql: GraphQL) -> None:
    gql = gql.as_token(FRESH_TOKEN)
    await _create_many(gql, 5)
    page = await _page(gql, first=3)
    cursors = [edge["cursor"] for edge in page["edges"]]
    assert page["pageInfo"]["startCursor"] == cursors[0]
    assert page["pageInfo"]["endCursor"] == cursors[-1]
    following = await _page(gql, first=3, after=cursors[1])
    assert following["edges"][0]["cursor"] == cursors[2]


async def test_an_empty_list_has_no_cursors_and_no_neighbours(gql: GraphQL) -> None:
    page = await _page(gql.as_token(FRESH_TOKEN))
    assert page == {
        "totalCount": 0,
        "edges": [],
        "pageInfo": {
            "startCursor": None,
            "endCursor": None,
            "hasNextPage": False,
            "hasPreviousPage": False,
        },
    }


async def test_the_default_page_is_20_and_the_largest_100(gql: GraphQL) -> None:
    gql = gql.as_token(FRESH_TOKEN)
    await _create_many(gql, 120)
    assert len((await _page(gql))["edges"]) == 20
    assert len((await _page(gql, first=100))["edges"]) == 100
    status, body = await gql.post(PAGE, {"first": 101})
    assert status == 400
    assert "largest page is 100" in error_of(body)["message"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"first": -1}, 'Argument "first" must not be negative'),
        ({"last": -5}, 'Argument "last" must not be negative'),
        ({"last": 500}, 'Argument "last" is 500'),
        ({"first": 1, "last": 1}, '"first" and "last" cannot be combined'),
        ({"after": "yyyyyyy"}, 'Argument "after" is not a valid cursor: "yyyyyyy"'),
        ({"before": "%%%"}, 'Argument "before" is not a valid cursor'),
        ({"after": ""}, 'Argument "after" is not a valid cursor'),
    ],
)
async def test_bad_page_arguments_are_bad_requests(
    gql: GraphQL, arguments: dict[str, Any], message: str
) -> None:
    status, body = await gql.post(PAGE, arguments)
    assert status == 400
    error = error_of(body)
    assert error["extensions"]["errorType"] == "BAD_REQUEST"
    assert error["path"] == ["webhooks"]
    assert message in error["message"]


async def test_a_log_cursor_is_not_a_webhook_cursor(gql: GraphQL) -> None:
    other = gql.as_token("credential_test_decade00-0000-4000-8000-000000000003")
    logs = await other.data("{ webhookLogs(first: 1) { pageInfo { endCursor } } }")
    status, body = await other.post(PAGE, {"after": logs["webhookLogs"]["pageInfo"]["endCursor"]})
    assert status == 400
    assert "not a valid cursor" in error_of(body)["message"]


async def test_a_cursor_survives_the_deletion_of_its_item(gql: GraphQL) -> None:
    gql = gql.as_token(FRESH_TOKEN)
    ids = await _create_many(gql, 6)
    page = await _page(gql, first=3)
    await gql.data('mutation { webhookDelete(id: "%s") }' % ids[2])
    following = await _page(gql, first=3, after=page["pageInfo"]["endCursor"])
    assert [edge["node"]["id"] for edge in following["edges"]] == ids[3:6]


async def test_filters_combine_and_total_count_counts_every_match(gql: GraphQL) -> None:
    gql = gql.as_token(FRESH_TOKEN)
    for type, status, count in [
        ("ORDER_CREATED", "ENABLED", 25),
        ("ORDER_CREATED", "DISABLED", 3),
        ("SHIPMENT_CREATED", "ENABLED", 4),
    ]:
        for _ in range(count):
            await gql.create_webhook(type=type, status=status)
    query = """query($filter: WebhooksFilterInput) {
      webhooks(first: 2, filter: $filter) { totalCount edges { node { type status mode } } }
    }"""
    cases = [
        ({}, 32),
        ({"type": "ORDER_CREATED"}, 28),
        ({"status": "ENABLED"}, 29),
        ({"type": "ORDER_CREATED", "status": "DISABLED"}, 3),
        ({"type": "SHIPMENT_CREATED", "status": "ENABLED", "mode": "TEST"}, 4),
        ({"mode": "LIVE"}, 0),
        ({"type": "INVENTORY_CHECK"}, 0),
    ]
    for filter, expected in cases:
        page = (await gql.data(query, {"filter": filter}))["webhooks"]
        assert page["totalCount"] == expected, filter
        for edge in page["edges"]:
            assert {k: edge["node"][k] for k in filter} == filter


async def test_a_status_change_moves_a_webhook_between_filtered_lists(gql: GraphQL) -> None:
    gql = gql.as_token(FRESH_TOKEN)
    ids = await _create_many(gql, 3)
    await gql.data(
        'mutation { webhookUpdate(input: {id: "%s", status: DISABLED}) { id } }' % ids[1]
    )
    query = "query($s: WebhookStatus) { webhooks(filter: {status: $s}) { edges { node { id } } } }"
    enabled = await gql.data(query, {"s": "ENABLED"})
    disabled = await gql.data(query, {"s": "DISABLED"})
    assert [e["node"]["id"] for e in enabled["webhooks"]["edges"]] == [ids[0], ids[2]]
    assert [e["node"]["id"] for e in disabled["webhooks"]["edges"]] == [ids[1]]


def test_a_walk_over_ten_thousand_items_sees_each_once() -> None:
    store = make_store()
    caller = Credential("t", "organization_walk", Mode.TEST, "user_walk")
    created = [
        store.create_webhook(
            caller,
            url="https://example.com",
            type=WebhookType.ORDER_CREATED,
            status=WebhookStatus.ENABLED,
        ).id
        for _ in range(10_000)
    ]
    forwards: list[str] = []
    after = None
    while True:
        page, total = store.list_webhooks(caller, PageRequest(first=100, after=after))
        forwards.extend(w.id for w in page.items)
        if not page.has_next_page:
            break
        after = page.codec.encode(page.seqs[-1])
    assert total == 10_000
    assert forwards == created[::-1]
    backwards: list[str] = []
    before = None
    while True:
        page, _ = store.list_webhooks(caller, PageRequest(last=100, before=before))
        backwards[:0] = [w.id for w in page.items]
        if not page.has_previous_page:
            break
        before = page.codec.encode(page.seqs[0])
    assert backwards == created[::-1]


def test_a_negative_size_is_refused_before_any_lookup() -> None:
    store = make_store()
    caller = Credential("t", "organization_walk", Mode.TEST, "user_walk")
    with pytest.raises(InvalidInput, match="must not be negative"):
        store.list_webhooks(caller, PageRequest(first=-1))


async def test_a_cursor_with_an_odd_number_is_a_bad_request(gql: GraphQL) -> None:
    cursor = base64.urlsafe_b64encode("WebhookLog:²".encode()).decode()
    status, body = await gql.post(
        "query($after: String) { webhookLogs(after: $after) { edges { cursor } } }",
        {"after": cursor},
    )
    assert status == 400
    assert error_of(body)["extensions"]["errorType"] == "BAD_REQUEST"
