"""MockZonos' client: GraphQL requests and triggers run on the server's own loop.

A test's call then costs no HTTP exchange of its own: only the deliveries it
causes go over HTTP. Requests and answers still pass through JSON, as over
HTTP, so that a caller's dict and the server's state never share an object.
The other control calls (clock, hold and release, state) are rare in a test
and keep going over HTTP.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp
import orjson
from aiohttp import web

from ..api.view import execute_in_process
from ..control.responses import ControlError, refusal
from ..control.triggers import trigger_answer
from ..domain.errors import MockZonosError
from ..keys import BACKEND
from .client import ControlRequestError, GraphQLResponse, MockZonosClient


class InProcessClient(MockZonosClient):
    """MockZonosClient for code on the server's loop: GraphQL and triggers in process,
    the rest (`_control`) over HTTP."""

    def __init__(
        self, url: str, token: str, session: aiohttp.ClientSession, app: web.Application
    ) -> None:
        super().__init__(url, token, session)
        self._app = app

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        token: str | None = None,
    ) -> GraphQLResponse:
        copied = _through_json(dict(variables)) if variables is not None else None
        answer = await execute_in_process(self._app, token or self.token, query, copied)
        return GraphQLResponse(_through_json(answer.payload))

    async def _post_trigger(self, payload: dict[str, Any], token: str | None) -> dict[str, Any]:
        backend = self._app[BACKEND]
        try:
            caller = backend.caller(token or self.token)
            _, answer = await trigger_answer(backend, _through_json(payload), caller)
        except (ControlError, MockZonosError) as error:
            message, status = refusal(error)
            raise ControlRequestError(status, message) from None
        return _through_json(answer)


def _through_json(value: dict[str, Any]) -> dict[str, Any]:
    """What the other side of an HTTP exchange would have: a copy, made of JSON types."""
    # Keys that are not strings become strings, as the json module makes them over HTTP.
    copied: dict[str, Any] = orjson.loads(orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS))
    return copied
