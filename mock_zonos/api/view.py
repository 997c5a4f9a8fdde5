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
from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
class Answer:
    """What a GraphQL request is answered, whatever carried it."""

    status: int
    payload: dict[str, Any]
    headers: Headers = field(default_factory=dict)


def _answered(answer: Answer, request_id: str) -> Answer:
    # A client's mistake is one line in the log, never a stack trace.
    for error in answer.payload.get("errors", ()):
        logger.info(
            "%d %s %s: %s",
            answer.status,
            error["extensions"]["errorType"],
            request_id,
            error["message"],
        )
    return answer


def _json(answer: Answer, request_id: str) -> web.Response:
    _answered(answer, request_id)
    return web.Response(
        body=orjson.dumps(answer.payload),
        status=answer.status,
        content_type="application/json",
        headers={"X-Request-Id": request_id, **answer.headers},
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
        answer = await _run(request.app, request_id, credential, query, variables, operation_name)
        return _json(answer, request_id)
    except RequestRefused as refused:
        return _refusal(refused, request_id)


async def graphql_endpoint(request: web.Request) -> web.Response:
    request_id = new_id("request")
    try:
        credential = _credential(request)
        raw = await _read_body(request, credential)
        query, variables, operation_name = _parse_body(raw)
        answer = await _run(
            request.app, request_id, credential, query, variables, operation_name, via_post=True
        )
        return _json(answer, request_id)
    except RequestRefused as refused:
        return _refusal(refused, request_id)


async def execute_in_process(
    app: web.Application, token: str | None, query: str, variables: dict[str, Any] | None
) -> Answer:
    """A POST /graphql made by code in the server's own process, on its loop: the same
    checks, limits and execution, without the HTTP exchange (MockZonos calls this)."""
    request_id = new_id("request")
    try:
        credential = _authenticated(app, token)
        query, variables, operation_name = _request_fields(query, variables, None)
        answer = await _run(
            app, request_id, credential, query, variables, operation_name, via_post=True
        )
        return _answered(answer, request_id)
    except RequestRefused as refused:
        return _answered(_refusal_answer(refused, request_id), request_id)


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
    return _json(_refusal_answer(refused, request_id), request_id)


def _refusal_answer(refused: RequestRefused, request_id: str) -> Answer:
    error = zonos_error(refused.message, refused.error_type, request_id)
    return Answer(refused.status, {"errors": [error]}, refused.headers)


def _credential(request: web.Request) -> Credential | None:
    """The caller, checked before anything of the request is read; None without a token."""
    return _authenticated(request.app, request.headers.get(TOKEN_HEADER))


def _authenticated(app: web.Application, token: str | None) -> Credential | None:
    if not token:
        return None
    try:
        return app[BACKEND].store.authenticate(token)
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
    app: web.Application,
    request_id: str,
    credential: Credential | None,
    query: str,
    variables: dict[str, Any] | None,
    operation_name: str | None,
    via_post: bool = False,
) -> Answer:
    executor = app[EXECUTOR]
    prepared = await executor.prepare_off_loop(query)
    if credential is None and not prepared.introspection_only:
        raise RequestRefused(401, UNAUTHORIZED, MISSING_TOKEN)
    if prepared.document is None or prepared.errors:
        errors = [format_graphql_error(error, request_id) for error in prepared.errors]
        return Answer(400, {"errors": errors})
    if not via_post and _is_mutation(prepared.document, operation_name):
        raise RequestRefused(
            405, BAD_REQUEST, "A mutation needs POST: GET runs queries only.", {"Allow": "POST"}
        )
    headers = _charge(app, prepared, credential, variables, operation_name)
    # Pure introspection runs without a caller: no resolver of ours is reached.
    context = credential and RequestContext(app[BACKEND], credential, request_id)
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
    return Answer(200 if result.data is not None else 400, response, headers)


def _is_mutation(document: DocumentNode, operation_name: str | None) -> bool:
    operation = get_operation_ast(document, operation_name)
    return operation is not None and operation.operation is OperationType.MUTATION


def _charge(
    app: web.Application,
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
    limit = app[BACKEND].settings.query_cost_limit
    if cost > limit:
        raise RequestRefused(
            400,
            BAD_REQUEST,
            f"The query costs {_points(cost)}, over the limit of {_points(limit)} per request. "
            "Ask for fewer objects: smaller pages (first/last), fewer aliases.",
            headers,
        )
    buckets = app[RATE_LIMITS]
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
