"""A trigger's faults as the dispatcher applies them, with the random draws of its jitter."""

from __future__ import annotations

import random

from ..domain.faults import Faults


class FaultPlan:
    """The faults of one trigger's deliveries. Its jitter comes from one generator, seeded
    with `seed` when given, so the same trigger draws the same delays in the same order."""

    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self._random = random.Random(faults.seed)

    def first_delay(self) -> float:
        """Seconds before a delivery's first attempt: the delay, plus its share of jitter."""
        jitter = self._random.uniform(0, self.faults.jitter) if self.faults.jitter else 0.0
        return self.faults.delay + jitter
