"""The virtual clock: it stands still, moves only forward, at millisecond precision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mock_zonos.domain.clock import VirtualClock, format_timestamp

START = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def test_it_stands_still_until_moved() -> None:
    clock = VirtualClock(START)
    assert clock.now() == clock.now() == START
    clock.move_to(START + timedelta(hours=1))
    assert format_timestamp(clock.now()) == "2026-01-15T10:30:00.000Z"


def test_it_never_moves_back() -> None:
    clock = VirtualClock(START)
    clock.move_to(START - timedelta(seconds=1))
    assert clock.now() == START


def test_times_are_cut_to_milliseconds() -> None:
    clock = VirtualClock(START + timedelta(microseconds=1999))
    assert clock.now() == START + timedelta(milliseconds=1)
    assert clock.after(0.0004) == clock.now()
    assert clock.after(60.5) == START + timedelta(seconds=60.5, milliseconds=1)


def test_it_starts_at_the_wall_clock_time() -> None:
    before = datetime.now(UTC) - timedelta(milliseconds=1)
    assert before <= VirtualClock().now() <= datetime.now(UTC)
