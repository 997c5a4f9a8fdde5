"""create_app: the one place where settings, fixtures, store and routes are wired."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from .api.execution import GraphQLExecutor
from .api.schema import build_schema
from .control.responses import control_errors_as_json
from .control.stream import close_streams
from .delivery import Dispatcher
from .fixtures import Fixtures, load_fixtures
from .guard import request_guard
from .keys import DISPATCHER, EXECUTOR, FIXTURES, LIVE_FEED, SETTINGS, STORE
from .live import LiveFeed
from .routes import add_routes
from .settings import Settings
from .store import Store

MAX_REQUEST_BYTES = 1024 * 1024


def create_app(
    settings: Settings | None = None, fixtures: Fixtures | None = None
) -> web.Application:
    """Build the mock-zonos aiohttp application.

    `settings` defaults to `Settings()`; `fixtures` to loading `settings.fixtures`
    (the bundled set when None). Raises `FixtureError` for a bad fixtures
    directory, before anything listens.
    """
    settings = settings or Settings()
    fixtures = fixtures or load_fixtures(settings.fixtures)
    app = web.Application(
        client_max_size=MAX_REQUEST_BYTES,
        middlewares=[request_guard(settings.host), control_errors_as_json],
    )
    app[SETTINGS] = settings
    app[FIXTURES] = fixtures
    app[STORE] = Store(
        fixtures.seed,
        fixtures.queries,
        strict_auth=settings.strict_auth,
        max_logs=settings.max_logs,
    )
    app[EXECUTOR] = GraphQLExecutor(build_schema())
    app[DISPATCHER] = Dispatcher(app[STORE], settings)
    app[LIVE_FEED] = LiveFeed(app[STORE])
    app.cleanup_ctx.append(_delivery_session)
    # Shutdown waits for requests in flight, and an open event stream never ends by itself.
    app.on_shutdown.append(close_streams)
    add_routes(app)
    return app


async def _delivery_session(app: web.Application) -> AsyncIterator[None]:
    dispatcher = app[DISPATCHER]
    await dispatcher.open()
    yield
    await dispatcher.close()
