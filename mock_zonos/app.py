"""create_app: the one place where settings, fixtures, store and routes are wired."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from .api.bodies import WebhookBodies
from .api.errors import UNAUTHORIZED
from .api.execution import GraphQLExecutor
from .api.fence import ExecutorMode, executor_mode
from .api.schema import build_schema
from .api.view import graphql_error_response
from .control.responses import CONTROL_PREFIX, control_plane, json_error
from .control.stream import close_streams
from .delivery.dispatcher import Dispatcher
from .delivery.scheduler import make_scheduler
from .delivery.signing import new_secret
from .domain.errors import FixtureError
from .domain.orders import subject_of
from .domain.ratelimit import PointsBuckets
from .domain.store import Store
from .fixtures import Fixtures, load_fixtures
from .guard import request_guard
from .keys import BACKEND, EXECUTOR, LIVE_FEED, RATE_LIMITS
from .routes import add_routes
from .services.backend import Backend
from .services.live import LiveFeed
from .settings import Settings

MAX_REQUEST_BYTES = 1024 * 1024


def create_app(
    settings: Settings | None = None, fixtures: Fixtures | None = None
) -> web.Application:
    """Build the mock-zonos aiohttp application.

    `settings` defaults to `Settings()`; `fixtures` to loading `settings.fixtures`
    (the bundled set when None). Raises `FixtureError` for a bad fixtures
    directory, and ValueError for a bad MOCK_ZONOS_EXECUTOR, before anything listens.
    """
    settings = settings or Settings()
    fixtures = fixtures or load_fixtures(settings.fixtures)
    app = web.Application(
        client_max_size=MAX_REQUEST_BYTES,
        middlewares=[request_guard(settings.host, _refuse), control_plane],
    )
    # One clock for everything: timestamps, signatures, retries and delays follow it.
    scheduler = make_scheduler(settings.clock)
    store = Store(
        fixtures.seed,
        fixtures.queries,
        new_secret=new_secret,
        strict_auth=settings.strict_auth,
        max_logs=settings.max_logs,
        max_records=settings.max_orders,
        clock=scheduler.clock,
    )
    mode = executor_mode()
    executor = GraphQLExecutor(build_schema(fenced=mode is ExecutorMode.BOTH), mode)
    _check_own_queries(fixtures, executor)
    app[EXECUTOR] = executor
    dispatcher = Dispatcher(store, settings, scheduler)
    app[BACKEND] = Backend(
        settings, store, fixtures.events, dispatcher, fixtures.shapes, WebhookBodies(executor)
    )
    app[RATE_LIMITS] = _rate_limits(settings, store)
    app[LIVE_FEED] = LiveFeed(store, dispatcher)
    app.cleanup_ctx.append(_delivery_session)
    app.cleanup_ctx.append(_graphql_worker)
    # Shutdown waits for requests in flight, and an open event stream never ends by itself.
    app.on_shutdown.append(close_streams)
    app.on_shutdown.append(_stop_waiting_for_deliveries)
    add_routes(app)
    return app


def _check_own_queries(fixtures: Fixtures, executor: GraphQLExecutor) -> None:
    """A user's own order or shipment query must be one this API answers: it makes the
    bodies. (Other types' bodies are their samples; their queries are only shown.)"""
    for type, path in fixtures.events.own_files.items():
        if subject_of(type) is None:
            continue
        errors = executor.prepare(fixtures.events[type].query).errors
        if errors:
            problem = f"does not fit schema.graphql: {errors[0].message}"
            raise FixtureError(str(path), "query", problem)


def _rate_limits(settings: Settings, store: Store) -> PointsBuckets | None:
    if not settings.rate_limit:
        return None
    seconds: Callable[[], float] = time.monotonic
    if settings.clock == "virtual":
        # The buckets refill as the virtual clock is moved, like everything else on it.
        seconds = lambda: store.clock.now().timestamp()  # noqa: E731
    buckets = PointsBuckets(settings.rate_limit_points, settings.rate_limit_refill, seconds)
    # A reset puts everything back as it started, every bucket full included.
    store.on_reset.append(buckets.clear)
    return buckets


async def _graphql_worker(app: web.Application) -> AsyncIterator[None]:
    executor = app[EXECUTOR]
    executor.start()
    yield
    executor.close()


def _refuse(request: web.Request, message: str) -> web.Response:
    """A 403 from the guard, in the error format of the endpoint it stops."""
    if request.path.startswith(CONTROL_PREFIX) or request.path == "/":
        return json_error(message, 403)
    return graphql_error_response(message, UNAUTHORIZED, 403)


async def _stop_waiting_for_deliveries(app: web.Application) -> None:
    """On shutdown, a trigger still waiting for its attempts answers 503 while it can."""
    app[BACKEND].dispatcher.stopping.set()


async def _delivery_session(app: web.Application) -> AsyncIterator[None]:
    dispatcher = app[BACKEND].dispatcher
    await dispatcher.open()
    yield
    await dispatcher.close()
