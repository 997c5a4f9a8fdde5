"""The /graphql endpoint: HTTP in, a GraphQL execution, Zonos-style JSON out.

Status codes: 200 when the response carries `data` that is not null (field
errors such as NOT_FOUND may come with it); 400 when the request cannot be
executed or its whole result is null; 401 when the credential is missing or
refused; 405 for a mutation over GET; 413 for a body over the limit; 429
when the rate limit's bucket is empty.

Nothing reaches the parser before the credential is checked, except a small
request with no token, which may only introspect: schema tools and code
generators work unauthenticated, and nothing else does.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import orjson
from aiohttp import web
from graphql import DocumentNode, OperationType
from graphql.utilities import get_operation_ast

from ..domain.credentials import TOKEN_HEADER
from ..domain.errors import Unauthorized
from ..domain.ids import new_id
from ..domain.models import Credential
from ..keys import BACKEND, EXECUTOR, RATE_LIMITS
from .context import RequestContext
from .errors import (
    BAD_REQUEST,
    INTERNAL_SERVER_ERROR,
    RATE_LIMITED,
    UNAUTHORIZED,
    format_graphql_error,
    logger,
    zonos_error,
)
from .execution import PreparedQuery
from .fence import ExecutorMismatch

# What a request without a token may send: enough for any introspection query.
ANONYMOUS_BODY_LIMIT = 8 * 1024
# Zonos' name for the header that carries a request's cost, per the third-party API review.
COST_HEADER = "zonos-query-complexity"
MISSING_TOKEN = (
    f"The {TOKEN_HEADER} header is missing: every request needs one, except an "
    f"introspection query of at most {ANONYMOUS_BODY_LIMIT // 1024} KiB."
)

Headers = dict[str, str]


class RequestRefused(Exception):
    """A request answered before execution, with its status, Zonos error and headers."""

    def __init__(
        self, status: int, error_type: str, message: str, headers: Headers | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.error_type, self.message = status, error_type, message
        self.headers = headers or {}


def _json(
    payload: dict[str, Any], status: int, request_id: str, headers: Headers | None = None
) -> web.Response:
    # A client's mistake is one line in the log, never a stack trace.
    for error in payload.get("errors", ()):
        logger.info(
            "%d %s %s: %s", status, error["extensions"]["errorType"], request_id, error["message"]
        )
    return web.Response(
        body=orjson.dumps(payload),
        status=status,
        content_type="application/json",
        headers={"X-Request-Id": request_id, **(headers or {})},
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
    return _request_fields(
        payload.get("query"), payload.get("variables"), payload.get("operationName")
    )


def _request_fields(
    query: Any, variables: Any, operation_name: Any
) -> tuple[str, dict[str, Any] | None, str | None]:
    if not isinstance(query, str) or not query.strip():
        raise RequestRefused(400, BAD_REQUEST, 'The request has no "query" string.')
    if variables is not None and not isinstance(variables, dict):
        raise RequestRefused(400, BAD_REQUEST, '"variables" must be a JSON object.')
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestRefused(400, BAD_REQUEST, '"operationName" must be a string.')
    return query, variables, operation_name


def _query_parameters(request: web.Request) -> tuple[str, dict[str, Any] | None, str | None]:
    """query, variables and operationName from a GET's query string."""
    if "query" not in request.query:
        raise RequestRefused(
            400,
            BAD_REQUEST,
            "GET /graphql runs the query given as ?query=… (with ?variables= as JSON); "
            "a browser asking for HTML gets the explorer instead.",
        )
    variables: Any = request.query.get("variables")
    if variables is not None:
        try:
            variables = orjson.loads(variables)
        except orjson.JSONDecodeError as exc:
            raise RequestRefused(
                400, BAD_REQUEST, f'"variables" is not valid JSON: {exc}.'
            ) from None
    return _request_fields(request.query["query"], variables, request.query.get("operationName"))


@cache
def _explorer_html() -> str:
    # Imported on first use: most runs never open the explorer.
    from ariadne.explorer import ExplorerGraphiQL

    return ExplorerGraphiQL(title="mock-zonos GraphQL").html(None)


def _wants_html(request: web.Request) -> bool:
    return "text/html" in request.headers.get("Accept", "")


async def graphql_get(request: web.Request) -> web.Response:
    """The explorer for a browser; for any other client, a query run from the query string."""
    if _wants_html(request):
        return web.Response(text=_explorer_html(), content_type="text/html")
    request_id = new_id("request")
    try:
        credential = _credential(request)
        query, variables, operation_name = _query_parameters(request)
        return await _run(request, request_id, credential, query, variables, operation_name)
    except RequestRefused as refused:
        return _refusal(refused, request_id)


async def graphql_endpoint(request: web.Request) -> web.Response:
    request_id = new_id("request")
    try:
        credential = _credential(request)
        raw = await _read_body(request, credential)
        query, variables, operation_name = _parse_body(raw)
        return await _run(
            request, request_id, credential, query, variables, operation_name, via_post=True
        )
    except RequestRefused as refused:
        return _refusal(refused, request_id)


async def graphql_other_method(request: web.Request) -> web.Response:
    refused = RequestRefused(
        405,
        BAD_REQUEST,
        f"{request.method} is not allowed on {request.path}: use POST (or GET for a query).",
        {"Allow": "GET, POST"},
    )
    return _refusal(refused, new_id("request"))


def graphql_error_response(message: str, error_type: str, status: int) -> web.Response:
    """A request refused before it reached GraphQL, answered in Zonos' error format."""
    return _refusal(RequestRefused(status, error_type, message), new_id("request"))


def _refusal(refused: RequestRefused, request_id: str) -> web.Response:
    error = zonos_error(refused.message, refused.error_type, request_id)
    return _json({"errors": [error]}, refused.status, request_id, refused.headers)


def _credential(request: web.Request) -> Credential | None:
    """The caller, checked before anything of the request is read; None without a token."""
    token = request.headers.get(TOKEN_HEADER)
    if not token:
        return None
    try:
        return request.app[BACKEND].store.authenticate(token)
    except Unauthorized as exc:
        raise RequestRefused(401, UNAUTHORIZED, exc.message) from None


async def _read_body(request: web.Request, credential: Credential | None) -> bytes:
    """The body, read only up to what the caller may send: without a token, a few KiB."""
    if credential is not None:
        try:
            return await request.read()
        except web.HTTPRequestEntityTooLarge:
            raise RequestRefused(
                413,
                BAD_REQUEST,
                f"The request body is too large: the limit is {request.client_max_size:,} bytes.",
            ) from None
    length = request.content_length
    if length is not None and length > ANONYMOUS_BODY_LIMIT:
        raise RequestRefused(401, UNAUTHORIZED, MISSING_TOKEN)
    body = bytearray()
    while chunk := await request.content.readany():
        body += chunk
        if len(body) > ANONYMOUS_BODY_LIMIT:
            raise RequestRefused(401, UNAUTHORIZED, MISSING_TOKEN)
    return bytes(body)


async def _run(
    request: web.Request,
    request_id: str,
    credential: Credential | None,
    query: str,
    variables: dict[str, Any] | None,
    operation_name: str | None,
    via_post: bool = False,
) -> web.Response:
    executor = request.app[EXECUTOR]
    prepared = await executor.prepare_off_loop(query)
    if credential is None and not prepared.introspection_only:
        raise RequestRefused(401, UNAUTHORIZED, MISSING_TOKEN)
    if prepared.document is None or prepared.errors:
        errors = [format_graphql_error(error, request_id) for error in prepared.errors]
        return _json({"errors": errors}, 400, request_id)
    if not via_post and _is_mutation(prepared.document, operation_name):
        raise RequestRefused(
            405, BAD_REQUEST, "A mutation needs POST: GET runs queries only.", {"Allow": "POST"}
        )
    headers = _charge(request, prepared, credential, variables, operation_name)
    # Pure introspection runs without a caller: no resolver of ours is reached.
    context = credential and RequestContext(request.app[BACKEND], credential, request_id)
    try:
        result = await executor.execute_in_slices(
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
    return _json(response, 200 if result.data is not None else 400, request_id, headers)


def _is_mutation(document: DocumentNode, operation_name: str | None) -> bool:
    operation = get_operation_ast(document, operation_name)
    return operation is not None and operation.operation is OperationType.MUTATION


def _charge(
    request: web.Request,
    prepared: PreparedQuery,
    credential: Credential | None,
    variables: dict[str, Any] | None,
    operation_name: str | None,
) -> Headers:
    """The cost header, once the request is within the cost limit and, when rate limited,
    its points are taken from the caller's bucket."""
    cost = prepared.cost_of(operation_name, variables)
    if cost is None:
        return {}
    headers = {COST_HEADER: str(cost)}
    limit = request.app[BACKEND].settings.query_cost_limit
    if cost > limit:
        raise RequestRefused(
            400,
            BAD_REQUEST,
            f"The query costs {_points(cost)}, over the limit of {_points(limit)} per request. "
            "Ask for fewer objects: smaller pages (first/last), fewer aliases.",
            headers,
        )
    buckets = request.app[RATE_LIMITS]
    if buckets is None or credential is None:
        return headers
    wait = buckets.take(credential.token, cost)
    if wait is not None:
        seconds = max(1, math.ceil(wait))
        headers["Retry-After"] = str(seconds)
        raise RequestRefused(
            429,
            RATE_LIMITED,
            f"Rate limit exceeded: the query costs {_points(cost)} and "
            f"{buckets.available(credential.token):,} of {buckets.capacity:,} are left; "
            f"the bucket gets back {_points(buckets.refill)} a second. "
            f"Retry after {seconds} s.",
            headers,
        )
    return headers


def _points(number: float) -> str:
    text = f"{int(number):,}" if float(number).is_integer() else f"{number:,.2f}"
    return f"{text} point" if number == 1 else f"{text} points"
