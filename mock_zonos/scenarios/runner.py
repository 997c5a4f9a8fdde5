"""Running scenarios against a mock-zonos server, step by step, over HTTP.

Each scenario runs as one credential: the one given, else a fresh token, so
that it sees only its own webhooks, logs and held deliveries. A scenario
that needs a receiver gets a capture receiver on 127.0.0.1, or uses the URL
given instead. Webhooks its `webhook` steps created are deleted at the end,
whatever the outcome. What each step does is performing.py's.
"""

from __future__ import annotations

import asyncio
import errno
import os
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

from ..testing.receiver import WebhookReceiver
from .checks import ExpectationFailed
from .model import Requirements, Scenario
from .performing import REQUEST_TIMEOUT, ScenarioRun, ServerUnreachable, StepFailed
from .references import BadReference
from .steps import ScenarioInvalid


@dataclass(frozen=True, slots=True)
class Target:
    """Where scenarios run: the server, and optionally a token and a receiver of one's own."""

    server: str
    token: str | None = None
    receiver: str | None = None


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    """How a scenario went: `failure` names the step that failed and says why."""

    name: str
    passed: bool
    steps_run: int
    seconds: float
    failure: str | None = None


class ScenarioFailed(AssertionError):
    """A scenario whose step failed or whose expectation did not hold (MockZonos.run_scenario)."""

    def __init__(self, result: ScenarioResult) -> None:
        super().__init__(f"scenario {result.name} failed at {result.failure}")
        self.result = result


async def run_scenarios(
    scenarios: list[Scenario], target: Target, session: aiohttp.ClientSession
) -> list[ScenarioResult]:
    """Check every scenario's needs against the server, then run them one after another.

    Raises ServerUnreachable, or ScenarioInvalid when the server lacks what a
    scenario needs (or a scenario needs a capture receiver and one was given
    instead), before any step runs.
    """
    server = await _server_settings(session, target.server)
    for scenario in scenarios:
        _check_requirements(scenario, server, target)
    return [await _run(scenario, target, session, server) for scenario in scenarios]


async def _server_settings(session: aiohttp.ClientSession, url: str) -> dict[str, Any]:
    try:
        async with session.get(f"{url}/_mock/settings", timeout=REQUEST_TIMEOUT) as response:
            settings = await response.json(content_type=None)
    except aiohttp.ClientConnectorError as exc:
        refused = exc.os_error.errno == errno.ECONNREFUSED
        reason = "connection refused" if refused else str(exc.os_error)
        raise ServerUnreachable(f"cannot reach {url}: {reason}") from None
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise ServerUnreachable(f"cannot reach {url}: {exc or type(exc).__name__}") from None
    except ValueError:
        settings = None
    if not isinstance(settings, dict) or "clock" not in settings:
        raise ServerUnreachable(f"{url} does not answer like mock-zonos (GET /_mock/settings)")
    return settings


def _check_requirements(scenario: Scenario, server: Mapping[str, Any], target: Target) -> None:
    file, needs = str(scenario.path), scenario.requires
    if needs.sign and not server["sign"]:
        raise ScenarioInvalid(
            file, "requires", "needs a server that signs: start it with --sign (MOCK_ZONOS_SIGN=1)"
        )
    if needs.virtual_clock and server["clock"] != "virtual":
        raise ScenarioInvalid(
            file,
            "requires",
            "needs a virtual clock: start the server with --clock virtual "
            "(MOCK_ZONOS_CLOCK=virtual)",
        )
    if target.receiver is not None and scenario.needs_capture:
        step = scenario.needs_capture[0]
        raise ScenarioInvalid(
            file,
            step.label,
            "needs the scenario's own capture receiver, which --receiver replaces: run it "
            "without --receiver, or check logs instead of received requests",
        )


async def _run(
    scenario: Scenario, target: Target, session: aiohttp.ClientSession, server: dict[str, Any]
) -> ScenarioResult:
    started = time.perf_counter()
    receiver = None
    if scenario.uses_receiver and target.receiver is None:
        receiver = WebhookReceiver()
        await asyncio.to_thread(receiver.start)
    token = target.token or scenario.token or f"credential_test_scenario-{uuid.uuid4()}"
    roots: dict[str, Any] = {
        "receiver": {"url": target.receiver or (receiver.url if receiver else None)},
        "server": {"url": target.server, **server},
        "env": dict(os.environ),
        "token": token,
    }
    run = ScenarioRun(session, target.server.rstrip("/"), token, receiver, roots)
    done, failure = 0, None
    try:
        for step in scenario.steps:
            try:
                result = await run.step(step)
            except (StepFailed, ExpectationFailed, BadReference) as exc:
                failure = f"{step.label}: {exc}"
                break
            if step.name is not None:
                roots[step.name] = result
            done += 1
    finally:
        await run.clean_up()
        if receiver is not None:
            await asyncio.to_thread(receiver.stop)
    seconds = time.perf_counter() - started
    return ScenarioResult(scenario.name, failure is None, done, seconds, failure)


def server_flags(requires: Requirements) -> list[str]:
    """The server flags a scenario needs."""
    flags = [("--sign", requires.sign), ("--clock virtual", requires.virtual_clock)]
    return [flag for flag, wanted in flags if wanted]
