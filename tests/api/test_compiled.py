"""The compiled executor answers exactly as graphql-core does, errors included."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest
from graphql import ExecutionResult

from mock_zonos.api import compiled as compiled_module
from mock_zonos.api.compiled import compile_operation
from mock_zonos.api.context import RequestContext
from mock_zonos.api.errors import format_graphql_error
from mock_zonos.api.execution import GraphQLExecutor
from mock_zonos.api.schema import build_schema
from mock_zonos.domain.models import WebhookStatus, WebhookType
from mock_zonos.domain.store import Store, WebhookChanges
from mock_zonos.fixtures.loading import Fixtures

from ..helpers import DEFAULT_TOKEN, OTHER_ORG_TOKEN, backend_for, make_store

QUERIES = [
    "{ webhooks(first: 10) { edges { node { id url type status } } } }",
    """query Page($first: Int, $after: String, $filter: WebhooksFilterInput) {
         webhooks(first: $first, after: $after, filter: $filter) {
           totalCount edges { cursor node { ...Hook } }
           pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
         }
       }
       fragment Hook on Webhook { id type status headers { key } createdAt updatedAt mode }""",
    """{ a: webhooks(last: 2) { edges { node { id } } }
         b: webhooks(filter: {status: DISABLED}) { totalCount edges { node { url } } } }""",
    """{ webhooks { edges { node { id ... on Webhook { url __typename } id
         ...F @include(if: true) ...G @skip(if: true) } } } }
       fragment F on Webhook { type createdBy query secret }
       fragment G on Webhook { status }""",
    "{ __typename webhooks { __typename pageInfo { __typename hasNextPage } } }",
    "{ webhooks(first: 500) { totalCount } }",
    '{ webhooks(after: "yyyyyyy") { totalCount } }',
    "{ webhooks(first: 1, last: 1) { totalCount } }",
    '{ webhook(id: "webhook_nope") { id } missing: webhookLog(id: "nope") { id } }',
    """{ webhookLogs(first: 5) { edges { cursor node {
         id type url request response responseStatus createdAt mode organizationId
         webhook { id url type }
       } } pageInfo { endCursor hasNextPage } } }""",
    "query($t: WebhookType) { webhookLogs(filter: {type: $t}) { edges { node { id } } } }",
    "query($id: ID!) { webhook(id: $id) { id url } }",
    "query($first: Int) { webhookLogs(first: $first) { edges { node { id } } } }",
]

VARIABLES: list[dict[str, Any] | None] = [
    None,
    {"first": 2, "filter": {"type": "ORDER_CREATED"}},
    {"first": 2, "after": None, "filter": {"status": "ENABLED", "mode": "TEST"}},
    {"t": "ORDER_STATUS_CHANGED"},
    {"t": "NOT_A_TYPE"},
    {"id": "webhook_c0ffee00-0000-4000-8000-00000000a001"},
    {"id": None},
    {"first": "ten"},
    {"first": -3},
]


def _answer(result: ExecutionResult) -> dict[str, Any]:
    """Everything a client could tell apart: data, and each error as raised and as served."""
    errors = [
        (error.formatted, type(error.original_error), format_graphql_error(error, "request_x"))
        for error in result.errors or ()
    ]
    return {"data": result.data, "errors": errors}


@pytest.fixture
def store(bundled_fixtures: Fixtures) -> Store:
    store = make_store(bundled_fixtures.seed, bundled_fixtures.queries)
    for token in (DEFAULT_TOKEN, OTHER_ORG_TOKEN):
        caller = store.authenticate(token)
        for index, type in enumerate([WebhookType.ORDER_CREATED, WebhookType.SHIPMENT_CREATED] * 3):
            store.create_webhook(
                caller,
                url=f"https://example.com/{index}",
                type=type,
                status=WebhookStatus.ENABLED if index % 2 else WebhookStatus.DISABLED,
            )
    # A log whose webhook is gone: WebhookLog.webhook resolves to null.
    other = store.authenticate(OTHER_ORG_TOKEN)
    store.delete_webhook(other, "webhook_decade00-0000-4000-8000-00000000b001")
    return store


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("token", [DEFAULT_TOKEN, OTHER_ORG_TOKEN])
def test_queries_answer_the_same(store: Store, query: str, token: str) -> None:
    executor = GraphQLExecutor(build_schema())
    prepared = executor.prepare(query)
    assert prepared.compiled is not None, "this query should be compiled"
    assert prepared.document is not None
    context = RequestContext(backend_for(store), store.authenticate(token), "request_x")
    for variables in VARIABLES:
        compiled = executor.execute(
            prepared, variables=variables, operation_name=None, context=context
        )
        reference = executor.execute_with_graphql_core(
            prepared.document,
            variables=variables,
            operation_name=None,
            context=context,
        )
        assert _answer(compiled) == _answer(reference), variables


MUTATIONS = [
    'mutation { webhookCreate(input: {url: "https://x.example/h", type: ORDER_UPDATED, '
    'status: ENABLED, headers: [{key: "X-A", value: "1"}]}) { url type status headers { key } } }',
    'mutation { webhookCreate(input: {url: "ftp://nope", type: ORDER_UPDATED, status: ENABLED}) '
    "{ url } }",
    'mutation { webhookUpdate(input: {id: "webhook_nope", status: DISABLED}) { id } }',
    'mutation { webhookUpdate(input: {id: "webhook_c0ffee00-0000-4000-8000-00000000a001", '
    'url: "https://y.example"}) { url status type } }',
    'mutation { a: webhookDelete(id: "webhook_c0ffee00-0000-4000-8000-00000000a001") '
    'b: webhookDelete(id: "webhook_c0ffee00-0000-4000-8000-00000000a001") }',
    "mutation($input: WebhookCreateInput!) { webhookCreate(input: $input) { type status } }",
]


@pytest.mark.parametrize("mutation", MUTATIONS)
def test_mutations_answer_the_same(bundled_fixtures: Fixtures, mutation: str) -> None:
    variables = {
        "input": {"url": "http://127.0.0.1:1/", "type": "INVENTORY_CHECK", "status": "DISABLED"}
    }
    answers = []
    for engine in ("compiled", "graphql-core"):
        store = make_store(bundled_fixtures.seed, bundled_fixtures.queries)
        executor = GraphQLExecutor(build_schema())
        prepared = executor.prepare(mutation)
        assert prepared.document is not None
        context = RequestContext(backend_for(store), store.authenticate(DEFAULT_TOKEN), "request_x")
        if engine == "compiled":
            result = executor.execute(
                prepared, variables=variables, operation_name=None, context=context
            )
        else:
            result = executor.execute_with_graphql_core(
                prepared.document,
                variables=variables,
                operation_name=None,
                context=context,
            )
        answers.append(_answer(result))
    assert answers[0] == answers[1]


@pytest.mark.parametrize(
    "document",
    [
        "{ __schema { queryType { name } } }",
        '{ __type(name: "Webhook") { name } }',
        "query A { webhooks { totalCount } } query B { webhooks { totalCount } }",
        "query($on: Boolean!) { webhooks @include(if: $on) { totalCount } }",
    ],
)
def test_what_it_cannot_compile_runs_on_graphql_core(document: str) -> None:
    executor = GraphQLExecutor(build_schema())
    prepared = executor.prepare(document)
    assert prepared.errors == ()
    assert prepared.document is not None
    assert compile_operation(executor.schema, prepared.document) is None


def test_a_named_operation_compiles_and_a_wrong_name_falls_back(store: Store) -> None:
    executor = GraphQLExecutor(build_schema())
    prepared = executor.prepare("query Count { webhooks { totalCount } }")
    context = RequestContext(backend_for(store), store.authenticate(DEFAULT_TOKEN), "request_x")
    assert executor.execute(prepared, variables=None, operation_name="Count", context=context).data
    wrong = executor.execute(prepared, variables=None, operation_name="Other", context=context)
    assert wrong.errors is not None
    assert wrong.errors[0].message == "Unknown operation named 'Other'."


def test_changes_between_executions_are_seen(store: Store) -> None:
    executor = GraphQLExecutor(build_schema())
    prepared = executor.prepare("{ webhooks(filter: {status: ENABLED}) { totalCount } }")
    caller = store.authenticate(DEFAULT_TOKEN)
    context = RequestContext(backend_for(store), caller, "request_x")
    before = executor.execute(prepared, variables=None, operation_name=None, context=context)
    webhook = next(iter(store.tenant_of(caller).webhooks.values()))
    store.update_webhook(caller, webhook.id, WebhookChanges(status=WebhookStatus.ENABLED))
    after = executor.execute(prepared, variables=None, operation_name=None, context=context)
    assert before.data and after.data
    assert after.data["webhooks"]["totalCount"] == before.data["webhooks"]["totalCount"] + 1


def test_broken_values_fail_the_same_way(store: Store) -> None:
    """Null propagation and leaf coercion errors, on values no resolver should return."""
    caller = store.authenticate(DEFAULT_TOKEN)
    broken = list(store.tenant_of(caller).webhooks.values())
    broken[0].url = None  # type: ignore[assignment]
    broken[1].headers = (None,)  # type: ignore[assignment]
    broken[2].status = "BOGUS"  # type: ignore[assignment]
    broken[3].created_at = "not a datetime"  # type: ignore[assignment]
    broken[4].headers = 5  # type: ignore[assignment]
    executor = GraphQLExecutor(build_schema())
    context = RequestContext(backend_for(store), caller, "request_x")
    for query in (
        "{ webhooks(first: 100) { edges { node { id url status headers { key } createdAt } } } }",
        '{ webhook(id: "%s") { url } }' % broken[0].id,
        "{ webhooks(first: 100) { totalCount edges { node { headers { key } } } } }",
    ):
        prepared = executor.prepare(query)
        assert prepared.compiled is not None
        assert prepared.document is not None
        compiled = executor.execute(prepared, variables=None, operation_name=None, context=context)
        reference = executor.execute_with_graphql_core(
            prepared.document, variables=None, operation_name=None, context=context
        )
        assert compiled.errors, query
        assert _answer(compiled) == _answer(reference), query


@pytest.mark.parametrize("query", QUERIES)
async def test_execution_in_slices_answers_the_same(store: Store, query: str) -> None:
    executor = GraphQLExecutor(build_schema())
    prepared = executor.prepare(query)
    context = RequestContext(backend_for(store), store.authenticate(DEFAULT_TOKEN), "request_x")
    for variables in VARIABLES:
        whole = executor.execute(
            prepared, variables=variables, operation_name=None, context=context
        )
        sliced = await executor.execute_in_slices(
            prepared, variables=variables, operation_name=None, context=context
        )
        assert _answer(sliced) == _answer(whole), variables


async def test_execution_in_slices_lets_the_loop_serve_between_top_level_fields(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compiled_module, "SLICE_SECONDS", 0.0)
    executor = GraphQLExecutor(build_schema())
    query = "{ %s }" % " ".join(f"a{i}: webhooks {{ totalCount }}" for i in range(5))
    prepared = executor.prepare(query)
    context = RequestContext(backend_for(store), store.authenticate(DEFAULT_TOKEN), "request_x")
    turns = 0

    async def other_request() -> None:
        nonlocal turns
        while True:
            turns += 1
            await asyncio.sleep(0)

    other = asyncio.create_task(other_request())
    await asyncio.sleep(0)
    before = turns
    result = await executor.execute_in_slices(
        prepared, variables=None, operation_name=None, context=context
    )
    other.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await other
    assert result.data is not None and len(result.data) == 5
    # One turn of the other task for each top-level field after the first.
    assert turns - before >= 4
