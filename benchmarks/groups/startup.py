"""Row 10: process start to the first answer, the in-process start, the per-test reset,
and what the pytest plugin adds to a pytest run."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable

from groups.graphql import READ_QUERY
from harness import BENCHMARKS, Context, Group, Python, Running, post_json, url_of
from report import Row

STARTS = 7
PYTEST_RUNS = 5


def measure(ctx: Context) -> list[Row]:
    apollo = ctx.apollo
    starts: dict[str, list[float]] = {"mock": [], "floor": [], "apollo": []}
    for _ in range(STARTS):  # taking turns, so that noise spreads evenly
        starts["mock"].append(_first_answer(ctx.python.mock_zonos, "/graphql"))
        starts["floor"].append(_seconds(lambda: ctx.python.run("-c", "import aiohttp, ariadne")))
        if apollo.directory:
            starts["apollo"].append(_first_answer(apollo.running, "/"))
    mock, floor = statistics.median(starts["mock"]), statistics.median(starts["floor"])
    rows = [
        Row(
            row="10 start-up",
            metric="s to first answer",
            mock=mock,
            baseline_name="import aiohttp, ariadne",
            baseline=floor,
            target="≤ 1.15x",
            met=mock <= 1.15 * floor,
        ),
        Row(
            row="10 start-up",
            metric="s to first answer",
            mock=mock,
            baseline_name="Apollo Server",
            baseline=statistics.median(starts["apollo"]) if apollo.directory else None,
            target="(reported)",
            met=None,
            note="" if apollo.directory else f"skipped: {apollo.why_not}",
        ),
    ]
    inproc = json.loads(ctx.python.run(str(BENCHMARKS / "inproc.py"), "start"))
    warm_ms, reset_ms = inproc["warm_start_s"] * 1000, inproc["reset_s"] * 1000
    rows.append(
        Row(
            row="10 start-up",
            metric="ms, in-process MockZonos start",
            mock=warm_ms,
            baseline_name="30 ms",
            baseline=30.0,
            target="< 30 ms",
            met=warm_ms < 30,
            note=f"first start {inproc['first_start_s'] * 1000:.0f} ms after "
            f"{inproc['import_s'] * 1000:.0f} ms of imports",
        )
    )
    rows.append(
        Row(
            row="10 start-up",
            metric="ms, per-test reset",
            mock=reset_ms,
            baseline_name="1 ms",
            baseline=1.0,
            target="< 1 ms",
            met=reset_ms < 1,
        )
    )
    bare, plugin = _pytest_time(ctx.python), _plugin_import_time(ctx.python)
    rows.append(
        Row(
            row="10 start-up",
            metric="s, pytest run + the plugin",
            mock=bare + plugin,
            baseline_name="pytest without it",
            baseline=bare,
            target="~ 1.0x",
            met=None,
            note=f"the plugin's import: {plugin * 1000:.1f} ms",
        )
    )
    return rows


def _first_answer(start: Callable[[], Running], path: str) -> float:
    """Seconds from starting a server to its answer to the read query."""
    began = time.perf_counter()
    with start() as (_, line):
        post_json(f"{url_of(line)}{path}", {"query": READ_QUERY})
        return time.perf_counter() - began


def _seconds(command: Callable[[], object]) -> float:
    began = time.perf_counter()
    command()
    return time.perf_counter() - began


def _pytest_time(python: Python) -> float:
    """Seconds a pytest run over an empty directory takes, without the plugin."""
    with tempfile.TemporaryDirectory() as empty:
        args = ("-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider")
        # pytest exits 5 when it collects nothing, so its exit status is not checked.
        return statistics.median(
            _seconds(lambda: python.run(*args, "-p", "no:mock_zonos", empty, check=False))
            for _ in range(PYTEST_RUNS)
        )


def _plugin_import_time(python: Python) -> float:
    """Seconds the plugin adds to a pytest run: importing it, pytest being loaded already."""
    probe = (
        "import time, pytest; began = time.perf_counter(); "
        "import mock_zonos.testing.pytest_plugin; "
        "print(time.perf_counter() - began)"
    )
    return statistics.median(float(python.run("-c", probe)) for _ in range(PYTEST_RUNS))


GROUP = Group(
    name="startup",
    rows="row 10: start-up, the in-process start, the per-test reset, the pytest plugin",
    measure=measure,
)
