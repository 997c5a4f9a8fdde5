"""Query cost as Zonos documents it: 5 a query, 10 a mutation, 1 per object returned."""

from __future__ import annotations

import time
from typing import Any

import pytest
from graphql import build_schema as build_sdl_schema
from graphql import parse, validate

from mock_zonos.api.cost import QueryCost
from mock_zonos.api.schema import build_schema


def cost(query: str, variables: dict[str, Any] | None = None, name: str | None = None) -> int:
    schema = build_schema()
    document = parse(query)
    assert validate(schema, document) == []
    result = QueryCost(schema, document).of(name, variables)
    assert result is not None
    return result


def test_zonos_examples_cost_what_zonos_says() -> None:
    # Zonos' documented examples, on this schema's fields: one object, then a page of ten.
    assert cost('{ webhook(id: "123") { id createdBy url } }') == 5 + 1
    assert cost("{ webhooks(first: 10) { edges { cursor node { id } } } }") == 5 + 10


def test_a_mutation_costs_ten_and_its_objects() -> None:
    mutation = 'mutation { webhookDelete(id: "x") }'
    assert cost(mutation) == 10
    create = (
        'mutation { webhookCreate(input: {url: "http://x.example", type: ORDER_CREATED, '
        "status: ENABLED}) { id } }"
    )
    assert cost(create) == 10 + 1
    assert cost(create.replace("{ id }", "{ id headers { key } }")) == 10 + 1 + 1


def test_scalars_and_relay_plumbing_are_free() -> None:
    assert cost("{ webhooks { totalCount pageInfo { hasNextPage } } }") == 5
    assert cost("{ __typename }") == 5


def test_a_page_is_its_first_or_last_twenty_by_default_and_a_hundred_at_most() -> None:
    page = "edges { node { id } }"
    assert cost("{ webhooks(last: 3) { %s } }" % page) == 5 + 3
    assert cost("{ webhooks { %s } }" % page) == 5 + 20
    assert cost("{ webhooks(first: 5000) { %s } }" % page) == 5 + 100
    assert cost("{ webhooks(first: -4) { %s } }" % page) == 5


def test_nested_objects_multiply_by_the_page() -> None:
    # 7 logs, each with its webhook, each webhook with its headers (a list of unknown size).
    query = "{ webhookLogs(first: 7) { edges { node { id webhook { id headers { key } } } } } }"
    assert cost(query) == 5 + 7 * (1 + 1 * (1 + 1))


def test_a_page_size_from_a_variable_is_read_per_request() -> None:
    query = "query($n: Int = 4) { webhooks(first: $n) { edges { node { id } } } }"
    assert cost(query, {"n": 9}) == 5 + 9
    assert cost(query, {}) == 5 + 4
    assert cost(query, {"n": None}) == 5 + 20
    assert cost(query, {"n": "ten"}) == 5 + 20  # coercion refuses it when it runs


def test_skip_and_include_are_honoured() -> None:
    query = 'query($on: Boolean!) { webhook(id: "x") @include(if: $on) { id } }'
    assert cost(query, {"on": True}) == 6
    assert cost(query, {"on": False}) == 5
    assert cost('{ webhook(id: "x") @skip(if: true) { id } }') == 5


def test_aliases_and_fragments_count_every_time_they_select() -> None:
    query = """{ a: webhooks(first: 2) { ...Page } b: webhooks(first: 3) { ...Page } }
               fragment Page on WebhookConnection { edges { node { ...Hook } } }
               fragment Hook on Webhook { id headers { key } }"""
    assert cost(query) == 5 + 2 * 2 + 3 * 2


def test_the_named_operation_is_costed() -> None:
    document = 'query A { webhook(id: "x") { id } } mutation B { webhookDelete(id: "x") }'
    assert cost(document, name="A") == 6
    assert cost(document, name="B") == 10
    schema = build_schema()
    assert QueryCost(schema, parse(document)).of("C", None) is None
    assert QueryCost(schema, parse(document)).of(None, None) is None


def test_introspection_is_costed_like_any_query() -> None:
    assert cost("{ __schema { queryType { name } } }") == 5 + 1 + 1
    assert cost("{ __schema { types { name } } }") == 5 + 1 + 1


def test_new_types_are_costed_from_the_schema_alone() -> None:
    schema = build_sdl_schema(
        """
        type Query { orders(first: Int, last: Int): OrderConnection! }
        type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! }
        type OrderEdge { node: Order }
        type Order { id: ID! items: [Item!]! shipments(first: Int): ShipmentConnection! }
        type Item { sku: String }
        type ShipmentConnection { edges: [ShipmentEdge!]! }
        type ShipmentEdge { node: Shipment }
        type Shipment { id: ID! order: Order }
        """
    )
    query = """{ orders(first: 10) {
                   edges { node { id items { sku } shipments(first: 2) { edges { node { id } } } } }
                   nodes { id } } }"""
    # 10 orders, each with its items (a list of unknown size) and 2 shipments; then 10 more
    # orders through nodes.
    assert QueryCost(schema, parse(query)).of(None, None) == 5 + 10 * (1 + 1 + 2) + 10


def test_fragments_spread_into_each_other_cost_linear_time() -> None:
    schema = build_sdl_schema("type Query { node: Node } type Node { id: ID a: Node b: Node }")
    levels = 60
    # Each fragment selects the next one under two objects: 2 + 4 + … + 2**60 objects.
    fragments = "\n".join(
        f"fragment F{i} on Node {{ a {{ ...F{i + 1} }} b {{ ...F{i + 1} }} }}"
        for i in range(1, levels)
    )
    document = parse(
        "{ node { ...F1 } }\n%s\nfragment F%d on Node { a { id } b { id } }" % (fragments, levels)
    )
    assert validate(schema, document) == []
    started = time.perf_counter()
    total = QueryCost(schema, document).of(None, None)
    assert time.perf_counter() - started < 1.0
    assert total == 5 + 1 + sum(2**level for level in range(1, levels + 1))


@pytest.mark.parametrize("copies", [2, 40])
def test_big_numbers_are_exact(copies: int) -> None:
    aliases = " ".join(
        f"a{i}: webhooks(first: 100) {{ edges {{ node {{ id }} }} }}" for i in range(copies)
    )
    assert cost("{ %s }" % aliases) == 5 + 100 * copies
