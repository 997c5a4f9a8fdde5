"""schema.graphql is the real Zonos webhook slice, and the Python enums mirror it."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    build_client_schema,
    build_schema,
    find_breaking_changes,
    find_dangerous_changes,
    get_introspection_query,
    print_schema,
)

from mock_zonos.api.schema import ENUMS
from mock_zonos.api.schema import build_schema as build_executable_schema
from mock_zonos.domain.models import WebhookType
from mock_zonos.resources import schema_path

from ..helpers import GraphQL

ZONOS_SDL = Path(__file__).parent.parent / "zonos_schema_2026.graphql"


def test_schema_graphql_matches_the_zonos_schema_field_for_field() -> None:
    zonos = build_schema(ZONOS_SDL.read_text())
    ours = build_schema(schema_path().read_text())
    assert find_breaking_changes(zonos, ours) == []
    assert find_dangerous_changes(zonos, ours) == []
    assert find_breaking_changes(ours, zonos) == []
    assert print_schema(ours) == print_schema(zonos)


async def test_the_served_schema_is_schema_graphql(gql: GraphQL) -> None:
    status, body = await gql.as_token(None).post(get_introspection_query())
    assert status == 200
    served = build_client_schema(body["data"])
    assert print_schema(served) == print_schema(build_schema(schema_path().read_text()))


@pytest.mark.parametrize("enum", ENUMS, ids=lambda enum: enum.__name__)
def test_python_enums_mirror_the_graphql_enums(enum: type[StrEnum]) -> None:
    graphql_enum = build_executable_schema().type_map[enum.__name__]
    assert isinstance(graphql_enum, GraphQLEnumType)
    assert sorted(graphql_enum.values) == sorted(member.name for member in enum)
    assert all(member.name == member.value for member in enum)


def test_there_are_23_webhook_types() -> None:
    assert len(WebhookType) == 23
