"""The /graphql endpoint: HTTP in, a GraphQL execution, Zonos-style JSON out.

Status codes follow Zonos: 200 whenever `data` came back (even with field
errors such as NOT_FOUND), 400 when the request cannot be executed, 401 when
the credential is missing or refused. Only pure introspection needs no token,
so schema tools and code generators work unauthenticated.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import orjson
from aiohttp import web

from ..domain.credentials import TOKEN_HEADER
from ..domain.errors import Unauthorized
from ..domain.ids import new_id
from ..keys import BACKEND, EXECUTOR
from .context import RequestContext
from .errors import (
    BAD_REQUEST,
    INTERNAL_SERVER_ERROR,
    UNAUTHORIZED,
    format_graphql_error,
    logger,
    zonos_error,
)
from .fence import ExecutorMismatch


class RequestRefused(Exception):
    """A request answered before execution, with its status and Zonos error."""

    def __init__(self, status: int, error_type: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error_type, self.message = status, error_type, message


def _json(payload: dict[str, Any], status: int, request_id: str) -> web.Response:
    # A client's mistake is one line in the log, never a stack trace.
    for error in payload.get("errors", ()):
        logger.info(
            "%d %s %s: %s", status, error["extensions"]["errorType"], request_id, error["message"]
        )
    return web.Response(
        body=orjson.dumps(payload),
        status=status,
        content_type="application/json",
        headers={"X-Request-Id": request_id},
    )


def _parse_body(raw: bytes) -> tuple[str, dict[str, Any] | None, str | None]:
    """query, variables and operationName from a request body, or a precise 400."""
    try:
        payload = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise RequestRefused(
            400, BAD_REQUEST, f"The request body is not valid JSON: {exc}."
        ) from None
    if not isinstance(payload, dict):
        raise RequestRefused(
            400, BAD_REQUEST, 'The request body must be a JSON object with a "query" string.'
        )
    query = payload.get("query")
    if not isinstance(query, str) or not query.strip():
        raise RequestRefused(400, BAD_REQUEST, 'The request body has no "query" string.')
    variables = payload.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise RequestRefused(400, BAD_REQUEST, '"variables" must be a JSON object.')
    operation_name = payload.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestRefused(400, BAD_REQUEST, '"operationName" must be a string.')
    return query, variables, operation_name


@cache
def _explorer_html() -> str:
    # Imported on first use: most runs never open the explorer.
    from ariadne.explorer import ExplorerGraphiQL

    return ExplorerGraphiQL(title="mock-zonos GraphQL").html(None)


async def graphql_explorer(request: web.Request) -> web.Response:
    return web.Response(text=_explorer_html(), content_type="text/html")


async def graphql_endpoint(request: web.Request) -> web.Response:
    request_id = new_id("request")
    try:
        return await _execute(request, request_id)
    except RequestRefused as refused:
        return _refusal(refused.message, refused.error_type, refused.status, request_id)


def graphql_error_response(message: str, error_type: str, status: int) -> web.Response:
    """A request refused before it reached GraphQL, answered in Zonos' error format."""
    return _refusal(message, error_type, status, new_id("request"))


def _refusal(message: str, error_type: str, status: int, request_id: str) -> web.Response:
    error = zonos_error(message, error_type, request_id)
    return _json({"errors": [error]}, status, request_id)


async def _execute(request: web.Request, request_id: str) -> web.Response:
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge as exc:
        raise RequestRefused(
            413, BAD_REQUEST, f"The request body is too large: {exc.text}."
        ) from None
    query, variables, operation_name = _parse_body(raw)
    executor, store = request.app[EXECUTOR], request.app[BACKEND].store
    prepared = executor.prepare(query)
    credential = None
    if not prepared.introspection_only:
        token = request.headers.get(TOKEN_HEADER)
        if not token:
            raise RequestRefused(
                401, UNAUTHORIZED, f"The {TOKEN_HEADER} header is missing: every request needs one."
            )
        try:
            credential = store.authenticate(token)
        except Unauthorized as exc:
            raise RequestRefused(401, UNAUTHORIZED, exc.message) from None
    if prepared.document is None or prepared.errors:
        errors = [format_graphql_error(error, request_id) for error in prepared.errors]
        return _json({"errors": errors}, 400, request_id)
    # Pure introspection runs without a caller: no resolver of ours is reached.
    context = credential and RequestContext(request.app[BACKEND], credential, request_id)
    try:
        result = executor.execute(
            prepared, variables=variables, operation_name=operation_name, context=context
        )
    except ExecutorMismatch as mismatch:
        logger.error(
            "request %s: the executors disagree\n  graphql-core: %s\n  compiled:     %s",
            request_id,
            mismatch.reference,
            mismatch.compiled,
        )
        raise RequestRefused(500, INTERNAL_SERVER_ERROR, f"{mismatch} (see the log).") from None
    response: dict[str, Any] = {"data": result.data}
    if result.errors:
        response["errors"] = [format_graphql_error(error, request_id) for error in result.errors]
    return _json(response, 200 if result.data is not None else 400, request_id)
