"""Refuses what a server on the developer's own machine must not serve to other sites.

A web page open in the developer's browser can reach 127.0.0.1 too: under a
host name of its own that it points at 127.0.0.1 (DNS rebinding, which would
let it read webhook secrets), or with a plain cross-site POST (which needs
no permission to reset the state or fire events). So, bound to loopback, the
server answers only loopback Host names, and refuses any write whose Origin
is another site. curl and other clients send no Origin and are unaffected.
Bound to another address (`--host 0.0.0.0` in a container), it trusts Host.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import lru_cache
from ipaddress import ip_address

from aiohttp import web
from aiohttp.typedefs import Middleware
from yarl import URL

from .api.errors import UNAUTHORIZED, zonos_error
from .control.responses import CONTROL_PREFIX, json_error, json_response
from .ids import new_id

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@lru_cache(maxsize=64)
def loopback_authority(authority: str) -> bool:
    """Whether a Host header (host and optional port) names this machine."""
    return is_loopback(URL(f"http://{authority}").host or "")


def is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def request_guard(bound_host: str) -> Middleware:
    """The middleware for a server bound to `bound_host`."""
    check_host = is_loopback(bound_host)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        host = request.host
        if check_host and not loopback_authority(host):
            return _refuse(request, f"this server answers loopback host names only, not {host!r}")
        origin = request.headers.get("Origin")
        writes = request.method not in SAFE_METHODS
        if writes and origin is not None and URL(origin).raw_authority != host:
            return _refuse(request, f"requests from {origin} may not change this server")
        return await handler(request)

    return guard


def _refuse(request: web.Request, message: str) -> web.Response:
    if request.path.startswith(CONTROL_PREFIX) or request.path == "/":
        return json_error(message, 403)
    return json_response({"errors": [zonos_error(message, UNAUTHORIZED, new_id("request"))]}, 403)
