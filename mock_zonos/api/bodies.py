"""Delivery bodies: a webhook's own query, answered by this API on the world.

Zonos POSTs the JSON result of the webhook's query; mock-zonos does the same
through the executor that answers `order(orderId:)`, so a body and a later
query can never disagree on a field both select.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from ..domain.ids import new_id
from ..domain.models import Credential
from ..services.backend import Backend
from .context import RequestContext
from .errors import format_graphql_error
from .execution import GraphQLExecutor


class WebhookBodies:
    """Builds bodies with one server's executor (its prepared-query cache included)."""

    def __init__(self, executor: GraphQLExecutor) -> None:
        self._executor = executor

    def build(
        self, backend: Backend, query: str, variables: Mapping[str, Any], caller: Credential
    ) -> bytes:
        request_id = new_id("request")
        prepared = self._executor.prepare(query)
        payload: dict[str, Any]
        if prepared.document is None or prepared.errors:
            payload = {"errors": [format_graphql_error(e, request_id) for e in prepared.errors]}
            return orjson.dumps(payload)
        result = self._executor.execute(
            prepared,
            variables=dict(variables),
            operation_name=None,
            context=RequestContext(backend, caller, request_id),
        )
        payload = {"data": result.data}
        if result.errors:
            payload["errors"] = [format_graphql_error(e, request_id) for e in result.errors]
        return orjson.dumps(payload)
