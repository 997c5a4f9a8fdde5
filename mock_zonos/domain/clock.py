"""Time as the domain sees it: what `now` is, and how Zonos writes it down.

Everything that stamps a time (webhooks, logs, the world's orders) asks a
`Clock`, so a server can run on a clock it moves itself instead of the wall's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal, Protocol

ClockMode = Literal["real", "virtual"]
CLOCK_MODES: tuple[ClockMode, ...] = ("real", "virtual")


class Clock(Protocol):
    def now(self) -> datetime:
        """Now, in UTC, at millisecond precision."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        return utc_now()


class VirtualClock:
    """A clock that stands still until it is moved forward, never back.

    It starts at the wall clock's time, so what it stamps looks like today.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._now = to_milliseconds(start or utc_now())

    def now(self) -> datetime:
        return self._now

    def move_to(self, moment: datetime) -> None:
        """Move forward to `moment` (at millisecond precision); an earlier one is ignored."""
        self._now = max(self._now, to_milliseconds(moment))

    def after(self, seconds: float) -> datetime:
        """The moment `seconds` from now, at millisecond precision."""
        return to_milliseconds(self._now + timedelta(seconds=seconds))


def utc_now() -> datetime:
    """Now, in UTC, at the millisecond precision Zonos timestamps carry."""
    return to_milliseconds(datetime.now(UTC))


def to_milliseconds(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def format_timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with milliseconds and a `Z`, as Zonos writes DateTime."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )
