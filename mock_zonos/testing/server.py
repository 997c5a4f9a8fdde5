"""MockZonos: the same app as the CLI, on its own event loop in a daemon thread.

Sync code calls its methods directly; async code awaits the `a`-prefixed
twins, which run on the server's loop and leave the caller's loop free (so a
receiver living on the caller's loop can answer while a trigger waits).

Longer than our ~350 lines on purpose: one public class whose every method
comes with its async twin, of the same signature, right below it; split,
the pairs would fall apart.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import aiohttp
from aiohttp import web

from ..app import create_app
from ..control.views import log_json
from ..domain.models import WebhookLog, WebhookType
from ..domain.store import Store
from ..fixtures.loading import Fixtures, load_fixtures
from ..keys import BACKEND
from ..runner import AppServer
from ..services.reset import reset
from ..settings import Settings
from .background import BackgroundLoop
from .client import GraphQLResponse, Headers, MockZonosClient, TriggerResult
from .in_process import InProcessClient

if TYPE_CHECKING:
    from ..scenarios.runner import ScenarioResult

T = TypeVar("T")

FALLBACK_TOKEN = "credential_test_mock-zonos"
# A sync call never waits forever on the server thread, whatever happens there.
CALL_TIMEOUT = 120.0


class LogsTimeout(AssertionError):
    """wait_for_logs gave up; the message lists the logs that did arrive."""


class MockZonos:
    """A mock-zonos server for tests and scripts, bound to 127.0.0.1:0 unless told otherwise.

    ```
    with MockZonos() as zonos:
        zonos.create_webhook("http://127.0.0.1:9000/hook", "ORDER_CREATED")
        result = zonos.trigger("ORDER_CREATED", overrides={"data": {"order": {"status": "OPEN"}}})
    ```

    Every method acts as `token`'s organization (the first credential of the
    fixtures) unless given another token.
    """

    def __init__(
        self, settings: Settings | None = None, *, fixtures: Fixtures | None = None
    ) -> None:
        self.settings = settings or Settings()
        self._fixtures = fixtures or load_fixtures(self.settings.fixtures)
        credentials = self._fixtures.seed.credentials
        self.token = credentials[0].token if credentials else FALLBACK_TOKEN
        self.url = ""
        self._loop = BackgroundLoop("mock-zonos")
        self._server: AppServer | None = None
        self._client: MockZonosClient | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"

    # -- lifecycle ----------------------------------------------------------

    def start(self) -> MockZonos:
        """Start serving; returns self once the server accepts connections."""
        if self._server is not None:
            return self
        self._loop.start()
        try:
            self._loop.run(self._start())
        except BaseException:
            self._loop.stop()
            raise
        return self

    async def _start(self) -> None:
        app = create_app(self.settings, self._fixtures)
        server = AppServer(app, self.settings.host, self.settings.port)
        self.url = await server.start()
        self._server = server
        self._session = aiohttp.ClientSession()
        self._client = InProcessClient(self.url, self.token, self._session, app)

    def stop(self) -> None:
        """Stop serving and join the thread; safe to call twice."""
        if self._server is not None:
            self._loop.run(self._stop())
        self._loop.stop()

    async def _stop(self) -> None:
        if self._session is not None:
            await self._session.close()
        if self._server is not None:
            await self._server.stop()
        self._server, self._session, self._client = None, None, None

    def __enter__(self) -> MockZonos:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- plumbing -----------------------------------------------------------

    @property
    def _app(self) -> web.Application:
        assert self._server is not None, "MockZonos is not started"
        return self._server.app

    @property
    def _store(self) -> Store:
        return self._app[BACKEND].store

    @property
    def _api(self) -> MockZonosClient:
        assert self._client is not None, "MockZonos is not started"
        return self._client

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self._loop.run(coroutine, timeout=CALL_TIMEOUT)

    async def _acall(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return await asyncio.wrap_future(self._loop.submit(coroutine))

    def _call_waiting(self, coroutine: Coroutine[Any, Any, T], method: str) -> T:
        """Run a call that waits on deliveries, unless that would block the caller's loop."""
        if not _inside_event_loop():
            # Outside the except clause that found no loop: an error of the call itself
            # (LogsTimeout) must not come chained to "no running event loop".
            return self._call(coroutine)
        coroutine.close()
        raise RuntimeError(
            f"MockZonos.{method}() waits for deliveries and would block the running event "
            f"loop, which may be serving the very receiver it waits for: "
            f"use `await zonos.a{method}(...)` in async code"
        )

    # -- the API, sync and async ----------------------------------------------

    def execute(
        self, query: str, variables: Mapping[str, Any] | None = None, token: str | None = None
    ) -> GraphQLResponse:
        """POST a GraphQL request; the response's `.data` raises if errors came back."""
        return self._call(self._api.execute(query, variables, token))

    async def aexecute(
        self, query: str, variables: Mapping[str, Any] | None = None, token: str | None = None
    ) -> GraphQLResponse:
        return await self._acall(self._api.execute(query, variables, token))

    def create_webhook(
        self,
        url: str,
        type: str,
        status: str = "ENABLED",
        headers: Headers | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        """Register a webhook through webhookCreate; returns every field of it.

        `headers` is a mapping, {"X-Key": "value"}, or the API's list form,
        [{"key": "X-Key", "value": "value"}].
        """
        return self._call(self._api.create_webhook(url, type, status, headers, token))

    async def acreate_webhook(
        self,
        url: str,
        type: str,
        status: str = "ENABLED",
        headers: Headers | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        return await self._acall(self._api.create_webhook(url, type, status, headers, token))

    def trigger(
        self,
        type: str,
        overrides: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        webhook_id: str | None = None,
        wait: bool = True,
        count: int = 1,
        token: str | None = None,
        *,
        order_id: str | None = None,
        shipment_id: str | None = None,
        status: str | None = None,
        faults: Mapping[str, Any] | None = None,
    ) -> TriggerResult:
        """Fire an event; with `wait`, return once every first attempt is logged.

        An ORDER_*, COLLECT_* or SHIPMENT_* event acts on the order `order_id`
        (SHIPMENT_CANCELED on the shipment `shipment_id`; ORDER_STATUS_CHANGED
        sets `status`), or on a new one; the result carries its `order_id`.
        `faults` changes how its deliveries misbehave, e.g. {"duplicate": 2}
        (see the README's "Testing what breaks receivers"). Held and delayed
        deliveries are not waited for: their results say `held` or `delayed_until`.
        """
        call = self._api.trigger(
            type,
            overrides=overrides,
            body=body,
            webhook_id=webhook_id,
            wait=wait,
            count=count,
            token=token,
            order_id=order_id,
            shipment_id=shipment_id,
            status=status,
            faults=faults,
        )
        return self._call_waiting(call, "trigger") if wait else self._call(call)

    async def atrigger(
        self,
        type: str,
        overrides: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        webhook_id: str | None = None,
        wait: bool = True,
        count: int = 1,
        token: str | None = None,
        *,
        order_id: str | None = None,
        shipment_id: str | None = None,
        status: str | None = None,
        faults: Mapping[str, Any] | None = None,
    ) -> TriggerResult:
        return await self._acall(
            self._api.trigger(
                type,
                overrides=overrides,
                body=body,
                webhook_id=webhook_id,
                wait=wait,
                count=count,
                token=token,
                order_id=order_id,
                shipment_id=shipment_id,
                status=status,
                faults=faults,
            )
        )

    def order(self, order_id: str, token: str | None = None) -> dict[str, Any] | None:
        """The caller's order as `order(orderId:)` answers it, or None when it has none."""
        return self._call(self._api.order(order_id, token))

    async def aorder(self, order_id: str, token: str | None = None) -> dict[str, Any] | None:
        return await self._acall(self._api.order(order_id, token))

    def orders(self, status: str | None = None, token: str | None = None) -> list[dict[str, Any]]:
        """Every order of the caller, newest first, optionally of one OrderStatus."""
        return self._call(self._api.orders(status, token))

    async def aorders(
        self, status: str | None = None, token: str | None = None
    ) -> list[dict[str, Any]]:
        return await self._acall(self._api.orders(status, token))

    # -- reordering and the clock -----------------------------------------------

    def hold_deliveries(self, token: str | None = None) -> int:
        """Hold new first attempts from now on, until a release; how many wait already."""
        return self._call(self._api.hold_deliveries(token))

    async def ahold_deliveries(self, token: str | None = None) -> int:
        return await self._acall(self._api.hold_deliveries(token))

    def held_deliveries(self, token: str | None = None) -> list[dict[str, Any]]:
        """What waits for a release, oldest first (`eventId`, `type`, `webhookId`, `url`)."""
        held: list[dict[str, Any]] = self._call(self._api.held_deliveries(token))["held"]
        return held

    def release_deliveries(
        self, order: str = "fifo", seed: int | None = None, token: str | None = None
    ) -> list[str]:
        """Send what is held one attempt after another, in "fifo", "reverse" or "shuffle"
        order (`seed` repeats a shuffle), and end the hold; the log ids in send order."""
        return self._call_waiting(
            self._api.release_deliveries(order, seed, token), "release_deliveries"
        )

    async def arelease_deliveries(
        self, order: str = "fifo", seed: int | None = None, token: str | None = None
    ) -> list[str]:
        return await self._acall(self._api.release_deliveries(order, seed, token))

    def clock(self) -> dict[str, Any]:
        """The server's clock: {"mode": "real" | "virtual", "now": ISO 8601}."""
        return self._call(self._api.clock())

    def advance_clock(self, seconds: float | None = None, to: str | None = None) -> dict[str, Any]:
        """Move the virtual clock `seconds` forward, or `to` an ISO 8601 time, or with
        neither through every timer; returns {"now", "fired"} once the attempts it
        started are over. Needs Settings(clock="virtual")."""
        return self._call_waiting(self._api.advance_clock(seconds, to), "advance_clock")

    async def aadvance_clock(
        self, seconds: float | None = None, to: str | None = None
    ) -> dict[str, Any]:
        return await self._acall(self._api.advance_clock(seconds, to))

    def logs(self, type: str | None = None, token: str | None = None) -> list[dict[str, Any]]:
        """The caller's delivery logs, oldest first, with every detail (eventId, attempt, …)."""
        return self._call(self._logs(type, token))

    async def alogs(
        self, type: str | None = None, token: str | None = None
    ) -> list[dict[str, Any]]:
        return await self._acall(self._logs(type, token))

    def wait_for_logs(
        self, count: int, type: str | None = None, timeout: float = 5.0, token: str | None = None
    ) -> list[dict[str, Any]]:
        """The logs once there are `count` (of `type`); raises LogsTimeout after `timeout` s."""
        return self._call_waiting(self._wait_for_logs(count, type, timeout, token), "wait_for_logs")

    async def await_for_logs(
        self, count: int, type: str | None = None, timeout: float = 5.0, token: str | None = None
    ) -> list[dict[str, Any]]:
        return await self._acall(self._wait_for_logs(count, type, timeout, token))

    def run_scenario(
        self, scenario: str | Path, receiver: str | None = None, token: str | None = None
    ) -> ScenarioResult:
        """Run a scenario file, or a bundled scenario by name, against this server.

        It runs as a fresh organization of its own unless given `token`, with a
        capture receiver unless given the URL of a `receiver` of your own.
        Raises ScenarioInvalid for a file that cannot run (nothing ran then),
        ScenarioFailed, an AssertionError, naming the step and the difference.
        """
        return self._call_waiting(self._run_scenario(scenario, receiver, token), "run_scenario")

    async def arun_scenario(
        self, scenario: str | Path, receiver: str | None = None, token: str | None = None
    ) -> ScenarioResult:
        return await self._acall(self._run_scenario(scenario, receiver, token))

    def reset(self) -> None:
        """Back to the fixtures: every webhook, log and pending delivery of the test is gone."""
        self._call(self._reset())

    async def areset(self) -> None:
        await self._acall(self._reset())

    def state(self) -> dict[str, Any]:
        """The whole state, as GET /_mock/state returns it."""
        return self._call(self._api.state())

    # -- what runs on the server's loop ---------------------------------------

    def _log_records(self, type: str | None, token: str | None) -> list[WebhookLog]:
        credential = self._store.authenticate(token or self.token)
        tenant = self._store.tenant_of(credential)
        logs = tenant.log_list(WebhookType(type) if type else None).newest(len(tenant.logs))
        logs.reverse()
        return logs

    async def _logs(self, type: str | None, token: str | None) -> list[dict[str, Any]]:
        return [log_json(log) for log in self._log_records(type, token)]

    async def _wait_for_logs(
        self, count: int, type: str | None, timeout: float, token: str | None
    ) -> list[dict[str, Any]]:
        arrived = asyncio.Event()

        def listener(_: WebhookLog) -> None:
            arrived.set()

        self._store.on_log.append(listener)
        deadline = time.monotonic() + timeout
        try:
            while len(logs := self._log_records(type, token)) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise LogsTimeout(_describe_shortfall(count, type, timeout, logs))
                arrived.clear()
                try:
                    await asyncio.wait_for(arrived.wait(), remaining)
                except TimeoutError:
                    continue
            return [log_json(log) for log in logs]
        finally:
            self._store.on_log.remove(listener)

    async def _reset(self) -> None:
        await reset(self._app[BACKEND])

    async def _run_scenario(
        self, spec: str | Path, receiver: str | None, token: str | None
    ) -> ScenarioResult:
        from ..scenarios.catalog import find_scenario
        from ..scenarios.runner import ScenarioFailed, Target, run_scenarios

        assert self._session is not None, "MockZonos is not started"
        scenario = find_scenario(spec)
        (result,) = await run_scenarios(
            [scenario], Target(self.url, token, receiver), self._session
        )
        if not result.passed:
            raise ScenarioFailed(result)
        return result


def _inside_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _describe_shortfall(
    count: int, type: str | None, timeout: float, logs: list[WebhookLog]
) -> str:
    wanted = f"{count} {type} log(s)" if type else f"{count} log(s)"
    seen = "\n".join(
        f"  {log.type} attempt {log.attempt} → {log.url}: "
        f"{log.response_status if log.response_status is not None else log.response}"
        for log in logs
    )
    return f"expected {wanted} within {timeout:g} s, got {len(logs)}:\n{seen or '  (none)'}"
