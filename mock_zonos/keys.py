"""Typed application state: the web.AppKey declarations, nothing else."""

from __future__ import annotations

from aiohttp import web

from .api.execution import GraphQLExecutor
from .delivery import Dispatcher
from .fixtures import Fixtures
from .live import LiveFeed
from .settings import Settings
from .store import Store

SETTINGS = web.AppKey("settings", Settings)
FIXTURES = web.AppKey("fixtures", Fixtures)
STORE = web.AppKey("store", Store)
EXECUTOR = web.AppKey("executor", GraphQLExecutor)
DISPATCHER = web.AppKey("dispatcher", Dispatcher)
LIVE_FEED = web.AppKey("live_feed", LiveFeed)
