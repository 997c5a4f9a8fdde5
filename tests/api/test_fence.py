"""The fence around the compiled executor: modes, the both-executors check, the alias rule."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from ariadne import ObjectType, QueryType, make_executable_schema
from graphql import (
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_leaf_type,
    parse,
    validate,
)
from pytest_aiohttp import AiohttpClient

from mock_zonos.api.compiled import CompiledOperation, compile_operation
from mock_zonos.api.execution import GraphQLExecutor
from mock_zonos.api.fence import EXECUTOR_VARIABLE, ExecutorMode, executor_mode
from mock_zonos.api.schema import build_schema
from mock_zonos.app import create_app
from mock_zonos.fixtures import Fixtures
from mock_zonos.settings import Settings

from ..helpers import OTHER_ORG_TOKEN, GraphQL, error_of

SEEDED_WEBHOOK = "webhook_decade00-0000-4000-8000-00000000b001"
SEEDED_LOG = "webhook_log_decade00-0000-4000-8000-00000000c001"
SEEDED_ORDER = "order_decade00-0000-4000-8000-00000000d001"
SEEDED_SHIPMENT = "shipment_decade00-0000-4000-8000-00000000e001"
# A value for every required argument of a root field; a new one must be added here.
REQUIRED_ARGUMENTS: dict[str, dict[str, str]] = {
    "webhook": {"id": f'"{SEEDED_WEBHOOK}"'},
    "webhookLog": {"id": f'"{SEEDED_LOG}"'},
    "order": {"orderId": f'"{SEEDED_ORDER}"'},
    "shipment": {"id": f'"{SEEDED_SHIPMENT}"'},
}


@pytest.fixture
async def both(
    aiohttp_client: AiohttpClient, monkeypatch: pytest.MonkeyPatch, bundled_fixtures: Fixtures
) -> GraphQL:
    """A server that runs every request through both executors, as the other org."""
    monkeypatch.setenv(EXECUTOR_VARIABLE, "both")
    client: TestClient[Any, Any] = await aiohttp_client(
        create_app(Settings(port=0), bundled_fixtures)
    )
    return GraphQL(client, OTHER_ORG_TOKEN)


def _selection(type_: GraphQLObjectType, path: tuple[str, ...]) -> str:
    """Every field of the type; a type already on the path gets its leaves only."""
    fields = []
    for name, field in type_.fields.items():
        named = get_named_type(field.type)
        if is_leaf_type(named):
            fields.append(name)
        elif isinstance(named, GraphQLObjectType) and named.name not in path:
            fields.append(f"{name} {_selection(named, (*path, named.name))}")
    return "{ " + " ".join(fields) + " }"


def every_field_of_every_type(schema: GraphQLSchema) -> str:
    assert schema.query_type is not None
    roots = []
    for name, field in schema.query_type.fields.items():
        required = [a for a, arg in field.args.items() if isinstance(arg.type, GraphQLNonNull)]
        values = REQUIRED_ARGUMENTS.get(name, {})
        missing = [a for a in required if a not in values]
        assert not missing, f"REQUIRED_ARGUMENTS needs a value for {name}({', '.join(missing)})"
        arguments = ", ".join(f"{a}: {v}" for a, v in values.items())
        named = get_named_type(field.type)
        assert isinstance(named, GraphQLObjectType)
        call = f"{name}({arguments})" if arguments else name
        roots.append(f"{call} {_selection(named, (named.name,))}")
    return "{ " + " ".join(roots) + " }"


def test_the_generated_document_selects_every_field_of_every_object_type() -> None:
    schema = build_schema()
    document = every_field_of_every_type(schema)
    assert validate(schema, parse(document)) == []
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        if type_ is schema.mutation_type:
            continue
        for name in type_.fields:
            assert f" {name}" in document, f"{type_.name}.{name} is never selected"


async def test_every_field_of_every_type_answers_the_same_on_both_executors(both: GraphQL) -> None:
    data = await both.data(every_field_of_every_type(build_schema()))
    assert data["webhook"]["id"] == SEEDED_WEBHOOK
    assert data["webhookLog"]["webhook"]["id"] == SEEDED_WEBHOOK
    assert data["webhookLogs"]["edges"]
    assert data["order"]["shipments"][0]["id"] == SEEDED_SHIPMENT
    assert data["shipment"]["order"]["id"] == SEEDED_ORDER
    assert data["orders"]["edges"] and data["shipments"]["totalCount"] == 1


async def test_a_mutation_runs_once_on_both_executors(both: GraphQL) -> None:
    created = await both.create_webhook(headers=[{"key": "X-A", "value": "1"}])
    data = await both.data("{ webhooks { totalCount edges { node { id } } } }")
    assert data["webhooks"]["totalCount"] == 2
    assert created["id"] in [edge["node"]["id"] for edge in data["webhooks"]["edges"]]
    status, body = await both.post(
        'mutation { webhookUpdate(input: {id: "webhook_nope", status: ENABLED}) { id } }'
    )
    assert status == 200
    assert error_of(body)["extensions"]["errorType"] == "NOT_FOUND"


async def test_a_difference_is_a_500_and_both_answers_are_logged(
    both: GraphQL, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real = CompiledOperation.execute

    def off_by_one(self: CompiledOperation, variables: Any, context: Any) -> Any:
        result = real(self, variables, context)
        result.data = {"webhooks": {"totalCount": -1}}
        return result

    monkeypatch.setattr(CompiledOperation, "execute", off_by_one)
    with caplog.at_level(logging.ERROR, logger="mock_zonos.api"):
        status, body = await both.post("{ webhooks { totalCount } }")
    assert status == 500
    error = error_of(body)
    assert error["extensions"]["errorType"] == "INTERNAL_SERVER_ERROR"
    assert "answered differently" in error["message"]
    (record,) = caplog.records
    assert "'totalCount': 1" in record.getMessage()
    assert "'totalCount': -1" in record.getMessage()


def test_graphql_core_mode_never_compiles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EXECUTOR_VARIABLE, "graphql-core")
    executor = GraphQLExecutor(build_schema(), executor_mode())
    assert executor.prepare("{ webhooks { totalCount } }").compiled is None
    assert GraphQLExecutor(build_schema()).prepare("{ webhooks { totalCount } }").compiled


def test_an_unknown_mode_names_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EXECUTOR_VARIABLE, "fast")
    with pytest.raises(ValueError, match="compiled, graphql-core, both, got 'fast'"):
        executor_mode()
    assert ExecutorMode("both") is ExecutorMode.BOTH


def _aliased_schema() -> GraphQLSchema:
    query = QueryType()
    query.set_field("record", lambda *_: {"aliased": "plain", "a": {"b": "dotted"}, "b": "x"})
    record = ObjectType("Record")
    record.set_alias("targetUrl", "aliased")
    record.set_alias("nested", "a.b")
    return make_executable_schema(
        "type Query { record: Record } type Record { targetUrl: String nested: String b: String }",
        query,
        record,
        convert_names_case=True,
    )


def test_set_alias_answers_alike_on_both_executors_dotted_included() -> None:
    schema = _aliased_schema()
    executor = GraphQLExecutor(schema)
    document = parse("{ record { targetUrl nested b } }")
    compiled = compile_operation(schema, document)
    assert compiled is not None
    reference = executor.execute_with_graphql_core(
        document, variables=None, operation_name=None, context=None
    )
    assert compiled.execute(None, None).formatted == reference.formatted
    assert reference.data == {"record": {"targetUrl": "plain", "nested": "dotted", "b": "x"}}
