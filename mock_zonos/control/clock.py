"""The server's clock: GET /_mock/clock, and POST /_mock/clock/advance on a virtual one."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web

from ..domain.clock import format_timestamp
from ..keys import BACKEND
from ..services.clock import advance as advance_clock
from ..services.clock import clock_state
from .responses import ControlError, json_response, read_json_object

ADVANCE_FIELDS = ("seconds", "to", "all")


async def clock(request: web.Request) -> web.Response:
    state = clock_state(request.app[BACKEND])
    return json_response({"mode": state.mode, "now": format_timestamp(state.now)})


async def advance(request: web.Request) -> web.Response:
    """Move a virtual clock by `seconds`, `to` a moment, or through `all` its timers."""
    payload = await read_json_object(request)
    given = [name for name in ADVANCE_FIELDS if name in payload]
    unknown = sorted(set(payload) - set(ADVANCE_FIELDS))
    if unknown or len(given) != 1:
        raise ControlError(
            400,
            'give one of "seconds" (a number), "to" (an ISO 8601 time with a zone) '
            'or "all": true (through every timer)',
        )
    seconds, to = _seconds(payload), _moment(payload)
    if "all" in payload and payload["all"] is not True:
        raise ControlError(400, '"all" must be true')
    advanced = await advance_clock(request.app[BACKEND], seconds=seconds, to=to)
    return json_response({"now": format_timestamp(advanced.now), "fired": advanced.fired})


def _seconds(payload: dict[str, object]) -> float | None:
    if "seconds" not in payload:
        return None
    value = payload["seconds"]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ControlError(400, f'"seconds" must be a number, got {value!r}')
    return float(value)


def _moment(payload: dict[str, object]) -> datetime | None:
    if "to" not in payload:
        return None
    value = payload["to"]
    moment = None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
    if moment is None or moment.tzinfo is None:
        raise ControlError(
            400,
            f'"to" must be an ISO 8601 time with a zone, like 2026-01-15T09:30:00Z, got {value!r}',
        )
    return moment
