"""Row 11: RSS growth for 100,000 delivery logs of ~2 KB bodies, against the body bytes."""

from __future__ import annotations

import json

from harness import BENCHMARKS, Context, Group
from report import Row


def measure(ctx: Context) -> list[Row]:
    figures = json.loads(ctx.python.run(str(BENCHMARKS / "inproc.py"), "memory"))
    growth, bodies = figures["rss_growth_bytes"] / 2**20, figures["body_bytes"] / 2**20
    return [
        Row(
            row="11 memory",
            metric="MiB RSS growth, 100,000 logs",
            mock=growth,
            baseline_name="body bytes",
            baseline=bodies,
            target="≤ 1.25x",
            met=growth <= 1.25 * bodies,
            note=f"base RSS {figures['base_rss_bytes'] / 2**20:.0f} MiB",
        )
    ]


GROUP = Group(
    name="memory",
    rows="row 11: RSS growth for 100,000 delivery logs, against their body bytes",
    measure=measure,
)
