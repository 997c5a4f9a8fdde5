"""JSON in and out for the control plane: errors are always {"error": message}."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import orjson
from aiohttp import web

from ..domain.credentials import TOKEN_HEADER
from ..domain.errors import Conflict, MockZonosError, NotFound, Unauthorized, Unavailable
from ..domain.models import Credential
from ..domain.store import Store
from ..domain.tenant import Tenant
from ..keys import BACKEND

CONTROL_PREFIX = "/_mock/"


class ControlError(Exception):
    """A control request refused with an HTTP status and a message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def json_response(payload: Any, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(payload), status=status, content_type="application/json")


def json_error(message: str, status: int) -> web.Response:
    return json_response({"error": message}, status)


_STATUS_OF = {NotFound: 404, Unauthorized: 401, Conflict: 409, Unavailable: 503}


def refusal(error: ControlError | MockZonosError) -> tuple[str, int]:
    """The message and status a control request that raised `error` is answered with."""
    if isinstance(error, ControlError):
        return error.message, error.status
    return error.message, _STATUS_OF.get(type(error), 400)


@web.middleware
async def control_plane(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """On /_mock/*: a credentialToken is checked like the API's (--strict-auth refuses an
    unknown one with 401 on every endpoint; without the header, a request speaks for
    every organization), and every refusal, routing ones (404, 405, 413) included,
    answers in JSON. Any other path goes straight to its handler: one test of its path,
    not two layers around every GraphQL request."""
    if not request.path.startswith(CONTROL_PREFIX):
        return await handler(request)
    try:
        caller(request)
        return await handler(request)
    except (ControlError, MockZonosError) as exc:
        return json_error(*refusal(exc))
    except web.HTTPMethodNotAllowed as exc:
        return _wrong_method(request, exc)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return json_error(f"{exc.reason}: {request.method} {request.path}", exc.status)


def _wrong_method(request: web.Request, exc: web.HTTPMethodNotAllowed) -> web.Response:
    # HEAD goes with every GET: naming it would only clutter the advice.
    usable = " or ".join(sorted(method for method in exc.allowed_methods if method != "HEAD"))
    response = json_error(f"{request.method} is not allowed on {request.path}: use {usable}", 405)
    response.headers["Allow"] = ", ".join(sorted(exc.allowed_methods))
    return response


async def read_json_object(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object; an empty body counts as {}."""
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise ControlError(
            413, f"the request body is too large: the limit is {request.client_max_size:,} bytes"
        ) from None
    if not raw.strip():
        return {}
    try:
        payload = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ControlError(400, f"the request body is not valid JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise ControlError(400, "the request body must be a JSON object")
    return payload


def caller(request: web.Request) -> Credential | None:
    """The credential named by the optional credentialToken header."""
    return request.app[BACKEND].caller(request.headers.get(TOKEN_HEADER))


def tenants_of(store: Store, credential: Credential | None) -> Iterable[Tenant]:
    """The caller's tenant, or every tenant without a caller."""
    return [store.tenant_of(credential)] if credential else list(store.tenants.values())


def credentials_of(store: Store, credential: Credential | None) -> list[Credential]:
    """The credentials of the caller's organization and mode, or all without a caller."""
    known = list(store.credentials)
    if credential is None:
        return known
    tenant = (credential.organization_id, credential.mode)
    return [c for c in known if (c.organization_id, c.mode) == tenant]
