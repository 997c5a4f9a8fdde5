"""Every knob of a mock-zonos server, in one frozen dataclass."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .domain.clock import CLOCK_MODES, ClockMode
from .domain.errors import InvalidInput
from .domain.faults import NO_FAULTS, Faults, check_signing

DEFAULT_HOST = "127.0.0.1"
# What the command line listens on; in-process servers take a free port instead.
DEFAULT_PORT = 8787
# Zonos' points bucket: its size, and the points it gets back each second.
ZONOS_BUCKET_POINTS = 300_000
ZONOS_REFILL_POINTS = 3_000.0


@dataclass(frozen=True, slots=True)
class Settings:
    """How a server behaves. The CLI builds one from flags; tests build their own.

    - `port`: 0 picks a free one (the command line's default is 8787).
    - `fixtures`: a directory laid out like the bundled `fixtures/`; None means
      the bundled one. Event samples it lacks fall back to the bundled ones.
    - `strict_auth`: refuse unknown credential tokens instead of giving each a
      fresh organization.
    - `delivery_timeout`: seconds one delivery attempt may take.
    - `retry_delays`: seconds to wait before each retry; empty means no retries.
    - `sign`: add Standard Webhooks signature headers to deliveries.
    - `max_logs`: delivery logs kept per organization and mode, oldest out first.
    - `max_orders`: orders kept per organization and mode (and as many shipments),
      oldest out first.
    - `delivery_concurrency`: attempts in flight at once per receiver URL.
    - `faults`: how every trigger's deliveries misbehave unless it says otherwise.
    - `clock`: "real", or "virtual": a clock that moves only when told to, which
      every timestamp, retry and delay follows.
    - `max_query_cost`: the most points one GraphQL request may cost; None means
      the bucket's size, since a request that costs more could never pass at Zonos.
    - `rate_limit`: take each request's cost from its credential's points bucket
      and answer 429 while the bucket holds too few, as Zonos does.
    - `rate_limit_points`, `rate_limit_refill`: the bucket's size, and the
      points it gets back each second (of the virtual clock, when it is on).
    """

    host: str = DEFAULT_HOST
    port: int = 0
    fixtures: Path | None = None
    strict_auth: bool = False
    log_level: str = "INFO"
    delivery_timeout: float = 10.0
    retry_delays: tuple[float, ...] = (1.0, 5.0, 25.0)
    sign: bool = False
    max_logs: int = 100_000
    max_orders: int = 10_000
    delivery_concurrency: int = 32
    faults: Faults = NO_FAULTS
    clock: ClockMode = "real"
    max_query_cost: int | None = None
    rate_limit: bool = False
    rate_limit_points: int = ZONOS_BUCKET_POINTS
    rate_limit_refill: float = ZONOS_REFILL_POINTS

    @property
    def query_cost_limit(self) -> int:
        """The most points one request may cost."""
        return self.rate_limit_points if self.max_query_cost is None else self.max_query_cost

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port must be between 0 and 65535, got {self.port}")
        if self.delivery_timeout <= 0:
            raise ValueError(f"delivery_timeout must be positive, got {self.delivery_timeout}")
        if any(not 0 <= delay < float("inf") for delay in self.retry_delays):
            raise ValueError(
                f"retry delays must be finite and not negative, got {list(self.retry_delays)}"
            )
        if self.max_logs < 1:
            raise ValueError(f"max_logs must be at least 1, got {self.max_logs}")
        if self.max_orders < 1:
            raise ValueError(f"max_orders must be at least 1, got {self.max_orders}")
        if self.delivery_concurrency < 1:
            raise ValueError(
                f"delivery_concurrency must be at least 1, got {self.delivery_concurrency}"
            )
        if self.clock not in CLOCK_MODES:
            raise ValueError(f"clock must be one of {', '.join(CLOCK_MODES)}, got {self.clock!r}")
        try:
            check_signing(self.faults, self.sign)
        except InvalidInput as exc:
            raise ValueError(exc.message) from None
        self._check_cost_settings()

    def _check_cost_settings(self) -> None:
        if self.max_query_cost is not None and self.max_query_cost < 1:
            raise ValueError(f"max_query_cost must be at least 1, got {self.max_query_cost}")
        if self.rate_limit_points < 1:
            raise ValueError(f"rate_limit_points must be at least 1, got {self.rate_limit_points}")
        if not 0 < self.rate_limit_refill < float("inf"):
            raise ValueError(
                f"rate_limit_refill must be a positive number, got {self.rate_limit_refill}"
            )
        if self.rate_limit and self.query_cost_limit > self.rate_limit_points:
            raise ValueError(
                f"max_query_cost ({self.max_query_cost}) is over the bucket's "
                f"{self.rate_limit_points} points: such a request could never be paid for"
            )


def parse_retry_delays(text: str) -> tuple[float, ...]:
    """`"1,5,25"` → (1.0, 5.0, 25.0); `""` → no retries."""
    parts = [part.strip() for part in text.split(",")] if text.strip() else []
    try:
        delays = tuple(float(part) for part in parts)
    except ValueError:
        raise ValueError(
            f"retry delays must be comma-separated seconds like 1,5,25, got {text!r}"
        ) from None
    if any(not 0 <= delay < float("inf") for delay in delays):
        raise ValueError(f"retry delays must be finite and not negative, got {text!r}")
    return delays
