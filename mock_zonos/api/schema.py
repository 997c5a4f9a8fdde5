"""schema.graphql made executable: the SDL, the scalars, the enums and the resolvers."""

from __future__ import annotations

from functools import cache

from ariadne import EnumType, make_executable_schema
from graphql import GraphQLSchema

from ..domain.models import Mode, Result, WebhookStatus, WebhookType
from ..resources import schema_path
from . import logs, webhooks
from .fence import fence_mutations
from .scalars import datetime_scalar

# Python enum → GraphQL enum of the same name; a test keeps their values equal.
ENUMS = (Mode, Result, WebhookStatus, WebhookType)


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
        *(EnumType(enum.__name__, enum) for enum in ENUMS),
        webhooks.query,
        webhooks.mutation,
        logs.query,
        logs.webhook_log,
        convert_names_case=True,
    )
    if fenced:
        fence_mutations(schema)
    return schema
