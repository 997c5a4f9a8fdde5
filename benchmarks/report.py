"""The table: one Row per line, mock-zonos' figure beside one baseline's, and its formats."""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass


@dataclass(frozen=True, kw_only=True)
class Row:
    """One line of the table: mock-zonos' figure beside one baseline's."""

    row: str
    metric: str
    mock: float | None
    baseline_name: str
    baseline: float | None
    target: str
    met: bool | None
    spread: str = ""
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.mock is None or not self.baseline:
            return None
        return self.mock / self.baseline


def median_and_spread(values: list[float], unit: str) -> tuple[float, str]:
    return statistics.median(values), f"{min(values):.0f}-{max(values):.0f} {unit}"


def table(rows: list[Row]) -> str:
    header = (
        "row",
        "metric",
        "mock-zonos",
        "baseline",
        "value",
        "ratio",
        "target",
        "met",
        "spread / notes",
    )
    lines = [header]
    for row in rows:
        lines.append(
            (
                row.row,
                row.metric,
                _number(row.mock),
                row.baseline_name,
                _number(row.baseline),
                f"{row.ratio:.2f}x" if row.ratio is not None else "-",
                row.target,
                {True: "yes", False: "NO", None: "-"}[row.met],
                "; ".join(filter(None, (row.spread, row.note))),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def as_json(rows: list[Row]) -> str:
    return json.dumps([asdict(row) | {"ratio": row.ratio} for row in rows], indent=2)


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:.2f}"
