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

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Refuse = Callable[[web.Request, str], web.StreamResponse]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@lru_cache(maxsize=64)
def loopback_authority(authority: str) -> bool:
    """Whether a Host header (host and optional port) names this machine; a Host that
    cannot be read as one names nothing."""
    try:
        return is_loopback(URL(f"http://{authority}").host or "")
    except ValueError:  # UnicodeError included: a header's bytes that are not text
        return False


def origin_authority(origin: str) -> str | None:
    """The host and port of an Origin header, or None when it cannot be read as a URL."""
    try:
        return URL(origin).raw_authority
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def request_guard(bound_host: str, refuse: Refuse) -> Middleware:
    """The middleware for a server bound to `bound_host`; `refuse` answers a 403 with
    the message, in the format of the endpoint asked for."""
    check_host = is_loopback(bound_host)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        host = request.host
        if check_host and not loopback_authority(host):
            return refuse(request, f"this server answers loopback host names only, not {host!r}")
        origin = request.headers.get("Origin")
        writes = request.method not in SAFE_METHODS
        if writes and origin is not None and origin_authority(origin) != host:
            return refuse(request, f"requests from {origin!r} may not change this server")
        return await handler(request)

    return guard
