"""Zonos' points buckets: one per credential, taken from, refilled, bounded."""

from __future__ import annotations

import pytest

from mock_zonos.domain.ratelimit import PointsBuckets


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_a_bucket_starts_full_and_pays_until_empty(clock: FakeClock) -> None:
    buckets = PointsBuckets(300_000, 3_000, clock)
    assert buckets.take("a", 200_000) is None
    assert buckets.available("a") == 100_000
    assert buckets.take("a", 100_000) is None
    assert buckets.take("a", 6_000) == pytest.approx(2.0)  # seconds until 6,000 are back


def test_it_refills_at_its_rate_up_to_its_size(clock: FakeClock) -> None:
    buckets = PointsBuckets(300_000, 3_000, clock)
    buckets.take("a", 300_000)
    clock.now += 1.5
    assert buckets.available("a") == 4_500
    assert buckets.take("a", 4_500) is None
    clock.now += 3600
    assert buckets.available("a") == 300_000


def test_a_refused_request_takes_nothing(clock: FakeClock) -> None:
    buckets = PointsBuckets(100, 10, clock)
    buckets.take("a", 90)
    assert buckets.take("a", 50) == pytest.approx(4.0)
    assert buckets.available("a") == 10


def test_each_key_has_its_own_bucket(clock: FakeClock) -> None:
    buckets = PointsBuckets(100, 10, clock)
    buckets.take("a", 100)
    assert buckets.take("b", 100) is None


def test_more_than_the_bucket_is_never_taken(clock: FakeClock) -> None:
    buckets = PointsBuckets(100, 10, clock)
    assert buckets.take("a", 101) == pytest.approx(0.1)
    clock.now += 1000
    assert buckets.take("a", 101) is not None


def test_clear_fills_every_bucket(clock: FakeClock) -> None:
    buckets = PointsBuckets(100, 10, clock)
    buckets.take("a", 100)
    buckets.clear()
    assert buckets.available("a") == 100


def test_buckets_kept_are_bounded_full_ones_first(clock: FakeClock) -> None:
    buckets = PointsBuckets(100, 10, clock, max_buckets=3)
    buckets.take("drained", 100)
    for key in ("x", "y", "z"):
        buckets.take(key, 0)  # full buckets: the same as none
    assert buckets.available("drained") == 0
    for number in range(10):
        buckets.take(f"k{number}", 50)
    assert len(buckets) <= 3


def test_a_bucket_needs_a_size_and_a_rate() -> None:
    with pytest.raises(ValueError, match="capacity"):
        PointsBuckets(0, 1)
    with pytest.raises(ValueError, match="refill"):
        PointsBuckets(1, 0)
