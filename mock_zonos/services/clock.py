"""The server's clock: what time it is, and moving a virtual clock forward.

Moving it fires every timer that falls due (retries, fault delays) in time
order, and answers once the attempts they started are over, each waited for
at most the delivery timeout plus a grace, per turn of the receiver's queue.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass
from datetime import datetime

from ..delivery.scheduler import Settle, VirtualScheduler
from ..domain.clock import ClockMode, format_timestamp
from ..domain.errors import Conflict, InvalidInput
from .backend import Backend

CLOCK = "clock"
# How much longer than its timeout an advance waits for each attempt it started.
GRACE_SECONDS = 1.0
# Ten years: further than any retry schedule or delay can reach.
MAX_ADVANCE_SECONDS = 315_360_000.0


@dataclass(frozen=True, slots=True)
class ClockState:
    mode: ClockMode
    now: datetime


@dataclass(frozen=True, slots=True)
class Advanced:
    """Where an advance left the clock, and how many timers it fired."""

    now: datetime
    fired: int


def clock_state(backend: Backend) -> ClockState:
    scheduler = backend.dispatcher.scheduler
    return ClockState(scheduler.mode, scheduler.clock.now())


async def advance(
    backend: Backend, *, seconds: float | None = None, to: datetime | None = None
) -> Advanced:
    """Move the virtual clock `seconds` forward, or `to` a moment, or, with neither,
    through every timer there is; a real clock cannot be moved (Conflict)."""
    scheduler = _virtual(backend)
    if seconds is not None:
        if not 0 <= seconds <= MAX_ADVANCE_SECONDS:
            raise InvalidInput(
                f'"seconds" must be a number from 0 to {MAX_ADVANCE_SECONDS:g}, got {seconds:g}'
            )
        to = scheduler.clock.after(seconds)
    elif to is not None and to < scheduler.clock.now():
        raise InvalidInput(
            f'"to" is before now, {format_timestamp(scheduler.clock.now())}: '
            "the clock only moves forward"
        )
    fired = await scheduler.advance(to, _settler(backend))
    backend.dispatcher.announce(CLOCK)
    return Advanced(scheduler.clock.now(), fired)


def _virtual(backend: Backend) -> VirtualScheduler:
    scheduler = backend.dispatcher.scheduler
    if not isinstance(scheduler, VirtualScheduler):
        raise Conflict(
            "the clock is real and moves by itself: start the server with --clock virtual "
            '(MOCK_ZONOS_CLOCK=virtual, Settings(clock="virtual") or '
            '@pytest.mark.zonos_mock(clock="virtual")) to move it'
        )
    return scheduler


def _settler(backend: Backend) -> Settle:
    settings = backend.settings

    async def settle(started: list[asyncio.Future[None]]) -> None:
        # Attempts to one receiver take turns, `delivery_concurrency` at a time.
        turns = math.ceil(len(started) / settings.delivery_concurrency)
        duplicates = settings.faults.duplicate
        bound = (settings.delivery_timeout * duplicates + GRACE_SECONDS) * turns
        await asyncio.wait(started, timeout=bound)

    return settle
