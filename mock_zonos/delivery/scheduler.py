"""Timers for the delivery engine: the event loop's in real time, a heap on a virtual clock.

A timer's callback may return a future: the work it started (an attempt),
which a virtual clock waits for before it moves on, so that what that work
schedules next (a retry) counts from the moment it ran.
"""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from typing import Protocol

from ..domain.clock import Clock, ClockMode, SystemClock, VirtualClock

Due = Callable[[], "asyncio.Future[None] | None"]
# Waits for the work one batch of due timers started; the delivery side bounds it.
Settle = Callable[[list["asyncio.Future[None]"]], Awaitable[None]]


class Timer(Protocol):
    def cancel(self) -> None: ...


class Scheduler(Protocol):
    @property
    def mode(self) -> ClockMode: ...

    @property
    def clock(self) -> Clock: ...

    def call_later(self, delay: float, callback: Due) -> Timer: ...

    def forget_cancelled(self) -> None: ...


class LoopScheduler:
    """Real time: timers are the running event loop's."""

    def __init__(self, clock: Clock) -> None:
        self.mode: ClockMode = "real"
        self.clock = clock

    def call_later(self, delay: float, callback: Due) -> Timer:
        return asyncio.get_running_loop().call_later(delay, callback)

    def forget_cancelled(self) -> None:
        """The loop drops cancelled timers by itself."""


@dataclass(order=True, slots=True)
class _Entry:
    due: datetime
    order: int
    callback: Due = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class VirtualScheduler:
    """Virtual time: timers wait in a heap until `advance` moves the clock past them."""

    def __init__(self, clock: VirtualClock) -> None:
        self.mode: ClockMode = "virtual"
        self.clock = clock
        self._heap: list[_Entry] = []
        self._order = count()
        # Two advances at once would each move the clock under the other's timers.
        self._advancing = asyncio.Lock()

    def call_later(self, delay: float, callback: Due) -> Timer:
        entry = _Entry(self.clock.after(delay), next(self._order), callback)
        heapq.heappush(self._heap, entry)
        return entry

    def forget_cancelled(self) -> None:
        self._heap = [entry for entry in self._heap if not entry.cancelled]
        heapq.heapify(self._heap)

    @property
    def pending(self) -> int:
        return sum(not entry.cancelled for entry in self._heap)

    async def advance(self, moment: datetime | None, settle: Settle) -> int:
        """Fire every timer due by `moment` (every timer at all when None), in time order.

        Timers due at the same moment fire together; the clock stands at that
        moment until `settle` has waited for the work they started. Returns
        how many fired; the clock ends at `moment`, or at the last timer fired.
        """
        async with self._advancing:
            fired = 0
            while batch := self._next_batch(moment):
                self.clock.move_to(batch[0].due)
                started = [future for entry in batch if (future := entry.callback()) is not None]
                fired += len(batch)
                if started:
                    await settle(started)
            if moment is not None:
                self.clock.move_to(moment)
            return fired

    def _next_batch(self, moment: datetime | None) -> list[_Entry]:
        while self._heap and self._heap[0].cancelled:
            heapq.heappop(self._heap)
        if not self._heap or (moment is not None and self._heap[0].due > moment):
            return []
        due = self._heap[0].due
        batch = []
        while self._heap and self._heap[0].due == due:
            entry = heapq.heappop(self._heap)
            if not entry.cancelled:
                batch.append(entry)
        return batch


def make_scheduler(mode: ClockMode) -> LoopScheduler | VirtualScheduler:
    """The scheduler for a clock mode, with the clock every timestamp must come from."""
    if mode == "virtual":
        return VirtualScheduler(VirtualClock())
    return LoopScheduler(SystemClock())
