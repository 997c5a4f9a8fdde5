"""Zonos' rate limit: a bucket of points per credential, refilled at a steady rate.

A request takes its cost from its credential's bucket, or is refused while
the bucket holds less; the refusal says how long until it holds enough.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

# Buckets kept at most: a full bucket is the same as none, so those go first.
MAX_BUCKETS = 10_000


@dataclass(slots=True)
class _Bucket:
    points: float
    at: float


class PointsBuckets:
    """One bucket per key, `capacity` points each, refilled at `refill` points a second.

    `clock` reads seconds from a monotonic source: tests move their own.
    """

    def __init__(
        self,
        capacity: int,
        refill: float,
        clock: Callable[[], float] = time.monotonic,
        max_buckets: int = MAX_BUCKETS,
    ) -> None:
        if capacity < 1 or refill <= 0:
            raise ValueError("a bucket needs a capacity of at least 1 and a positive refill rate")
        self.capacity = capacity
        self.refill = refill
        self._clock = clock
        self._max_buckets = max_buckets
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, key: str, points: int) -> float | None:
        """Take `points` from the key's bucket: None when taken, else the seconds until the
        bucket will hold them (a request larger than the bucket is never taken)."""
        now = self._clock()
        bucket = self._buckets.pop(key, None) or _Bucket(self.capacity, now)
        bucket.points = min(self.capacity, bucket.points + (now - bucket.at) * self.refill)
        bucket.at = now
        self._buckets[key] = bucket
        self._bound(now)
        if points > bucket.points:
            return (points - bucket.points) / self.refill
        bucket.points -= points
        return None

    def available(self, key: str) -> int:
        """The whole points the key's bucket holds now."""
        bucket = self._buckets.get(key)
        if bucket is None:
            return self.capacity
        elapsed = self._clock() - bucket.at
        return int(min(self.capacity, bucket.points + elapsed * self.refill))

    def __len__(self) -> int:
        """How many buckets are kept: those not full, and some full ones."""
        return len(self._buckets)

    def clear(self) -> None:
        """Every bucket full again."""
        self._buckets.clear()

    def _bound(self, now: float) -> None:
        if len(self._buckets) <= self._max_buckets:
            return
        full = [
            key
            for key, bucket in self._buckets.items()
            if bucket.points + (now - bucket.at) * self.refill >= self.capacity
        ]
        for key in full:
            del self._buckets[key]
        while len(self._buckets) > self._max_buckets:
            self._buckets.popitem(last=False)
