"""Typed application state: the web.AppKey declarations, nothing else."""

from __future__ import annotations

from aiohttp import web

from .api.execution import GraphQLExecutor
from .domain.ratelimit import PointsBuckets
from .services.backend import Backend
from .services.live import LiveFeed

BACKEND = web.AppKey("backend", Backend)
EXECUTOR = web.AppKey("executor", GraphQLExecutor)
LIVE_FEED = web.AppKey("live_feed", LiveFeed)
# Zonos' points buckets, one per credential, when rate limiting is on.
RATE_LIMITS: web.AppKey[PointsBuckets | None] = web.AppKey("rate_limits")
