"""schema.graphql made executable: the SDL, the scalars, the enums and the resolvers."""

from __future__ import annotations

from functools import cache

from ariadne import EnumType, convert_camel_case_to_snake, make_executable_schema
from graphql import GraphQLObjectType, GraphQLSchema, get_named_type

from ..domain.models import Mode, Result, WebhookStatus, WebhookType
from ..domain.orders import OrderStatus, ShipmentStatusType
from ..resources import schema_path
from . import logs, orders, shipments, webhooks
from .fence import fence_mutations
from .scalars import datetime_scalar, decimal_scalar

# Python enum → GraphQL enum of the same name; a test keeps their values equal.
ENUMS = (Mode, Result, WebhookStatus, WebhookType, OrderStatus, ShipmentStatusType)
# Records the world keeps as dicts keyed by their GraphQL field names, read as they are.
WORLD_ROOTS = ("Order", "Shipment")
# Wrappers the API makes (see connections.py), whose attributes are snake_case.
_WRAPPERS = ("Connection", "Edge", "PageInfo")


@cache
def build_schema(fenced: bool = False) -> GraphQLSchema:
    """The executable schema. It holds no state, so one per process is shared by every app.

    A fenced schema's mutations can run on both executors in one request
    (see fence.py); only the `both` executor mode uses it.
    """
    schema = make_executable_schema(
        # Read as text: load_schema_from_path would parse it once more to check it.
        schema_path().read_text(encoding="utf-8"),
        datetime_scalar,
        decimal_scalar,
        *(EnumType(enum.__name__, enum) for enum in ENUMS),
        webhooks.query,
        webhooks.mutation,
        logs.query,
        logs.webhook_log,
        orders.query,
        orders.mutation,
        orders.root,
        shipments.query,
        shipments.mutation,
        convert_names_case=_python_name,
    )
    if fenced:
        fence_mutations(schema)
    return schema


def _python_name(name: str, schema: GraphQLSchema, path: tuple[str, ...]) -> str:
    """snake_case for the attributes of records and the keys of inputs and arguments;
    the field's own name for world records, which are dicts keyed like the schema."""
    if len(path) == 2 and path[0] in _world_types(schema):
        return name
    return convert_camel_case_to_snake(name)


@cache
def _world_types(schema: GraphQLSchema) -> frozenset[str]:
    """The object types reached from Order and Shipment, connections aside."""
    found: set[str] = set()
    waiting = list(WORLD_ROOTS)
    while waiting:
        name = waiting.pop()
        type_ = schema.type_map[name]
        if name in found or not isinstance(type_, GraphQLObjectType):
            continue
        if name.endswith(_WRAPPERS):
            continue
        found.add(name)
        waiting += [get_named_type(field.type).name for field in type_.fields.values()]
    return frozenset(found)
