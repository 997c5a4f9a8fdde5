"""Time as the domain sees it: what `now` is, and how Zonos writes it down.

Everything that stamps a time (webhooks, logs, the world's orders) asks a
`Clock`, so a server can run on a clock it moves itself instead of the wall's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Now, in UTC, at millisecond precision."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        return utc_now()


def utc_now() -> datetime:
    """Now, in UTC, at the millisecond precision Zonos timestamps carry."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def format_timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with milliseconds and a `Z`, as Zonos writes DateTime."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )
