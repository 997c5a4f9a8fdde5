"""The virtual scheduler: timers fire in time order when the clock is advanced, never before."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from mock_zonos.delivery.scheduler import VirtualScheduler, make_scheduler
from mock_zonos.domain.clock import SystemClock, VirtualClock

START = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


async def _settled(started: list[asyncio.Future[None]]) -> None:
    await asyncio.wait(started)


def _scheduler() -> VirtualScheduler:
    return VirtualScheduler(VirtualClock(START))


async def test_timers_fire_in_time_order_at_their_own_moment() -> None:
    scheduler = _scheduler()
    fired: list[tuple[str, datetime]] = []

    def record(name: str) -> None:
        fired.append((name, scheduler.clock.now()))

    scheduler.call_later(600, lambda: record("b"))
    scheduler.call_later(60, lambda: record("a"))
    scheduler.call_later(3600, lambda: record("c"))
    assert await scheduler.advance(START + timedelta(seconds=599), _settled) == 1
    assert fired == [("a", START + timedelta(seconds=60))]
    assert scheduler.clock.now() == START + timedelta(seconds=599)
    assert await scheduler.advance(None, _settled) == 2
    assert [name for name, _ in fired] == ["a", "b", "c"]
    assert scheduler.clock.now() == START + timedelta(seconds=3600)


async def test_a_cancelled_timer_never_fires() -> None:
    scheduler = _scheduler()
    fired: list[str] = []
    timer = scheduler.call_later(1, lambda: fired.append("cancelled"))
    scheduler.call_later(2, lambda: fired.append("kept"))
    timer.cancel()
    scheduler.forget_cancelled()
    assert scheduler.pending == 1
    assert await scheduler.advance(None, _settled) == 1
    assert fired == ["kept"]


async def test_work_a_timer_starts_is_waited_for_and_what_it_schedules_counts_from_then() -> None:
    scheduler = _scheduler()
    moments: list[datetime] = []

    def attempt() -> asyncio.Future[None]:
        moments.append(scheduler.clock.now())
        done = asyncio.get_running_loop().create_future()

        async def finish() -> None:
            await asyncio.sleep(0)
            if len(moments) < 3:
                scheduler.call_later(10, attempt)
            done.set_result(None)

        asyncio.get_running_loop().create_task(finish())
        return done

    scheduler.call_later(5, attempt)
    assert await scheduler.advance(START + timedelta(hours=1), _settled) == 3
    assert [m - START for m in moments] == [timedelta(seconds=s) for s in (5, 15, 25)]


def test_each_mode_has_its_clock() -> None:
    assert isinstance(make_scheduler("virtual").clock, VirtualClock)
    assert isinstance(make_scheduler("real").clock, SystemClock)
