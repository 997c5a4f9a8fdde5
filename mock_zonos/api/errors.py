"""GraphQL errors in Zonos' format: message, path, extensions.errorType and requestId."""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError

from ..domain.errors import MockZonosError

logger = logging.getLogger("mock_zonos.api")

BAD_REQUEST = "BAD_REQUEST"
UNAUTHORIZED = "UNAUTHORIZED"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
# Zonos answers HTTP 429 when its bucket is empty; the errorType it uses is not public.
RATE_LIMITED = "RATE_LIMITED"


def zonos_error(message: str, error_type: str, request_id: str) -> dict[str, Any]:
    return {"message": message, "extensions": {"errorType": error_type, "requestId": request_id}}


def format_graphql_error(error: GraphQLError, request_id: str) -> dict[str, Any]:
    """One GraphQL error as Zonos reports it; a crash in our own code reveals nothing."""
    original = error.original_error
    message = error.message
    if isinstance(original, MockZonosError):
        error_type, message = original.error_type, original.message
    elif original is None or error.path is None:
        # Syntax, validation and variable coercion: the request itself is wrong.
        error_type = BAD_REQUEST
    else:
        error_type, message = INTERNAL_SERVER_ERROR, "Internal server error."
        logger.error(
            "request %s: %s failed", request_id, ".".join(map(str, error.path)), exc_info=original
        )
    formatted: dict[str, Any] = {"message": message}
    if error.locations:
        formatted["locations"] = [
            {"line": location.line, "column": location.column} for location in error.locations
        ]
    if error.path is not None:
        formatted["path"] = error.path
    formatted["extensions"] = {"errorType": error_type, "requestId": request_id}
    return formatted
