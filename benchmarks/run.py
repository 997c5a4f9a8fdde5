"""mock-zonos next to its baselines, measured side by side in one run.

Usage: python benchmarks/run.py [--json PATH] [--duration SECONDS] [--runs N]

Every figure is printed beside a baseline measured in the same run, on the
same machine, because on a shared machine only the ratio means much. Load
comes from wrk (Debian package `wrk`) with one thread and a fixed number of
connections; each wrk figure is the median of --runs runs, with the spread.
The Apollo Server baseline is built in a temporary directory with npm when
node and npm exist; otherwise its rows say why they are skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PYTHON = sys.executable
TOKEN = "credential_test_benchmark"
FANOUT_TOKEN = "credential_test_benchmark-fanout"
CONNECTIONS = 16
DELIVERIES = 10_000
DELIVERY_CONCURRENCY = 32  # mock-zonos' default per receiver URL, given to the bare client too
FANOUT_WIDTH = 100
READ_QUERY = "{ webhooks(first: 10) { edges { node { id url type status } } } }"
WRITE_QUERY = (
    'mutation { webhookCreate(input: {url: "http://127.0.0.1:9/hook", type: ORDER_CREATED, '
    "status: ENABLED}) { id url type status } }"
)
PAGING_QUERY = (
    "query($after: String) { webhookLogs(first: 20, after: $after) "
    "{ edges { node { id type url createdAt responseStatus } } } }"
)


@dataclass
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


@dataclass(frozen=True)
class Load:
    """What wrk measured: requests per second and latency percentiles in ms."""

    rps: float
    p50_ms: float
    p99_ms: float


# -- processes -----------------------------------------------------------------


class Process:
    """A child process whose first line of output says it is ready."""

    def __init__(self, args: Sequence[str], cwd: Path | None = None, **env: str) -> None:
        self.popen = subprocess.Popen(
            args,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, **env},
        )

    def first_line(self, timeout: float = 60) -> str:
        assert self.popen.stdout is not None
        ready, _, _ = select.select([self.popen.stdout], [], [], timeout)
        if not ready:
            raise RuntimeError(f"{self.popen.args!r} said nothing within {timeout} s")
        return self.popen.stdout.readline().strip()

    def stop(self) -> None:
        self.popen.terminate()
        try:
            self.popen.wait(10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


@contextmanager
def running(
    args: Sequence[str], cwd: Path | None = None, **env: str
) -> Iterator[tuple[Process, str]]:
    process = Process(args, cwd, **env)
    try:
        yield process, process.first_line()
    finally:
        process.stop()


def mock_zonos(*flags: str) -> Any:
    return running([PYTHON, "-m", "mock_zonos", "--port", "0", *flags])


def url_of(line: str) -> str:
    return line.split()[3] if line.startswith("mock-zonos") else line.split()[1].rstrip("/")


def post_json(url: str, payload: Any, token: str | None = TOKEN) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["credentialToken"] = token
    request = urllib.request.Request(url, json.dumps(payload).encode(), headers, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


# -- wrk -----------------------------------------------------------------------


def wrk(url: str, body: str, duration: float, token: str | None = TOKEN) -> Load:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["credentialToken"] = token
    script = (
        "wrk.method = 'POST'\n"
        + "".join(f"wrk.headers['{key}'] = '{value}'\n" for key, value in headers.items())
        + f"wrk.body = [=[{body}]=]\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        output = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{CONNECTIONS}",
                f"-d{duration:g}s",
                "--latency",
                "-s",
                lua.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(lua.name)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise RuntimeError(f"{url} answered {non_2xx.group(1)} errors under load:\n{output}")
    return Load(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        p50_ms=_latency(output, "50%"),
        p99_ms=_latency(output, "99%"),
    )


def _latency(output: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", output).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def median_and_spread(values: list[float], unit: str) -> tuple[float, str]:
    return statistics.median(values), f"{min(values):.0f}-{max(values):.0f} {unit}"


# -- the Apollo baseline -------------------------------------------------------


def build_apollo() -> tuple[Path | None, str]:
    """The directory of a runnable Apollo Server, or None and why not."""
    if not (shutil.which("node") and shutil.which("npm")):
        return None, "node and npm are not installed"
    directory = Path(tempfile.gettempdir()) / "mock-zonos-bench-apollo"
    directory.mkdir(exist_ok=True)
    for name in ("package.json", "server.mjs"):
        shutil.copy(HERE / "apollo" / name, directory / name)
    if not (directory / "node_modules" / "@apollo" / "server").is_dir():
        installed = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=directory,
            capture_output=True,
            text=True,
        )
        if installed.returncode != 0:
            return None, f"npm install failed: {installed.stderr.strip()[-200:]}"
    return directory, ""


def apollo(directory: Path) -> Any:
    return running(
        ["node", "server.mjs", str(REPO / "schema.graphql"), "0"],
        cwd=directory,
        NODE_ENV="production",
    )


# -- rows ----------------------------------------------------------------------


def graphql_rows(args: argparse.Namespace, apollo_dir: Path | None, why_not: str) -> list[Row]:
    """Rows 1 and 2: the read query and webhookCreate, against bare aiohttp and Apollo."""
    rows: list[Row] = []
    with ExitStack() as stack:
        _, line = stack.enter_context(mock_zonos())
        mock_url = f"{url_of(line)}/graphql"
        for _ in range(10):
            post_json(mock_url, {"query": WRITE_QUERY})
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        for name, query in (("read", READ_QUERY), ("write", WRITE_QUERY)):
            (scratch / name).write_text(json.dumps(post_json(mock_url, {"query": query})))
        bare_port = free_port()
        stack.enter_context(
            running(
                [
                    PYTHON,
                    str(HERE / "bare_server.py"),
                    str(bare_port),
                    str(scratch / "read"),
                    str(scratch / "write"),
                ]
            )
        )
        apollo_url = None
        if apollo_dir:
            _, apollo_line = stack.enter_context(apollo(apollo_dir))
            apollo_url = f"{url_of(apollo_line)}/"
        for number, (name, query) in enumerate((("read", READ_QUERY), ("write", WRITE_QUERY)), 1):
            body = json.dumps({"query": query})
            targets: dict[str, Callable[[], Load]] = {
                "mock-zonos": partial(wrk, mock_url, body, args.duration),
                "bare aiohttp": partial(
                    wrk, f"http://127.0.0.1:{bare_port}/{name}", body, args.duration
                ),
            }
            if apollo_url:
                targets["Apollo Server"] = partial(wrk, apollo_url, body, args.duration, None)
            rows += load_rows(f"{number} GraphQL {name}", interleaved(targets, args.runs), why_not)
    return rows


def interleaved(targets: dict[str, Callable[[], Load]], runs: int) -> dict[str, list[Load]]:
    """Each target measured `runs` times, taking turns, so noise spreads evenly."""
    loads: dict[str, list[Load]] = {name: [] for name in targets}
    for _ in range(runs):
        for name, measure in targets.items():
            loads[name].append(measure())
    return loads


def load_rows(row: str, loads: dict[str, list[Load]], why_not: str) -> list[Row]:
    mock_rps, spread = median_and_spread([load.rps for load in loads["mock-zonos"]], "req/s")
    p50 = statistics.median(load.p50_ms for load in loads["mock-zonos"])
    p99 = statistics.median(load.p99_ms for load in loads["mock-zonos"])
    latency = f"p50 {p50:.2f} ms, p99 {p99:.2f} ms"
    bare = statistics.median(load.rps for load in loads["bare aiohttp"])
    rows = [
        Row(
            row,
            "req/s",
            mock_rps,
            "bare aiohttp",
            bare,
            "≥ 0.25x",
            mock_rps >= 0.25 * bare,
            spread,
            latency,
        )
    ]
    if "Apollo Server" in loads:
        apollo_rps = statistics.median(load.rps for load in loads["Apollo Server"])
        apollo_p50 = statistics.median(load.p50_ms for load in loads["Apollo Server"])
        rows.append(
            Row(
                row,
                "req/s",
                mock_rps,
                "Apollo Server",
                apollo_rps,
                "≥ 1.0x",
                mock_rps >= apollo_rps,
                spread,
                f"Apollo p50 {apollo_p50:.2f} ms",
            )
        )
    else:
        rows.append(
            Row(
                row,
                "req/s",
                mock_rps,
                "Apollo Server",
                None,
                "≥ 1.0x",
                None,
                spread,
                f"skipped: {why_not}",
            )
        )
    return rows


def paging_row(args: argparse.Namespace) -> list[Row]:
    """Row 3: a page from the middle of 100 logs, and of 100,000."""
    latencies: dict[int, list[float]] = {100: [], 100_000: []}
    servers = {
        count: Process([PYTHON, str(HERE / "seeded_server.py"), str(count)]) for count in latencies
    }
    try:
        targets = {}
        for count, process in servers.items():
            url, token, cursor = process.first_line(timeout=120).split()
            body = json.dumps({"query": PAGING_QUERY, "variables": {"after": cursor}})
            targets[count] = (f"{url}/graphql", body, token)
        for _ in range(args.runs):
            for count, (url, body, token) in targets.items():
                latencies[count].append(wrk(url, body, args.duration, token).p50_ms)
    finally:
        for process in servers.values():
            process.stop()
    small, large = statistics.median(latencies[100]), statistics.median(latencies[100_000])
    return [
        Row(
            "3 log paging",
            "p50 ms, 100,000 logs",
            large,
            "100 logs",
            small,
            "≤ 1.2x",
            large <= 1.2 * small,
            f"{min(latencies[100_000]):.2f}-{max(latencies[100_000]):.2f} ms",
        )
    ]


def delivery_rows(args: argparse.Namespace) -> list[Row]:
    """Rows 4 and 5: 10,000 events at one webhook; one event at 100 webhooks."""
    receiver_port = free_port()
    receiver = [PYTHON, str(HERE / "bare_server.py"), str(receiver_port), os.devnull, os.devnull]
    receive = f"http://127.0.0.1:{receiver_port}/receive"
    with running(receiver), mock_zonos() as (_, line), tempfile.TemporaryDirectory() as scratch:
        base = url_of(line)
        sample = get_json(f"{base}/_mock/events/ORDER_CREATED")["body"]
        body_file = Path(scratch, "body.json")
        body_file.write_text(json.dumps(sample))
        post_json(f"{base}/graphql", {"query": _create(f"{receive}/stream", "ORDER_CREATED")})
        mock_rates, bare_rates = [], []
        for _ in range(args.runs):
            mock_rates.append(
                _deliver(base, receive_count=f"http://127.0.0.1:{receiver_port}/count")
            )
            seconds = float(
                subprocess.run(
                    [
                        PYTHON,
                        str(HERE / "bare_client.py"),
                        "stream",
                        f"{receive}/stream",
                        str(DELIVERIES),
                        str(DELIVERY_CONCURRENCY),
                        str(body_file),
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            bare_rates.append(DELIVERIES / seconds)
        mock_rate, spread = median_and_spread(mock_rates, "/s")
        bare_rate = statistics.median(bare_rates)
        rows = [
            Row(
                "4 delivery throughput",
                "deliveries/s, all logged",
                mock_rate,
                "bare aiohttp client",
                bare_rate,
                "≥ 0.5x",
                mock_rate >= 0.5 * bare_rate,
                spread,
                f"{DELIVERIES} events, concurrency {DELIVERY_CONCURRENCY}",
            )
        ]
        for index in range(FANOUT_WIDTH):
            post_json(
                f"{base}/graphql",
                {"query": _create(f"{receive}/fan/{index}", "SHIPMENT_CREATED")},
                FANOUT_TOKEN,
            )
        fanout = []
        for _ in range(20):
            began = time.perf_counter()
            answer = post_json(f"{base}/_mock/trigger", {"type": "SHIPMENT_CREATED"}, FANOUT_TOKEN)
            fanout.append((time.perf_counter() - began) * 1000)
            assert len(answer["deliveries"]) == FANOUT_WIDTH
            assert all(d["responseStatus"] == 200 for d in answer["deliveries"])
        bare_fanout = 1000 * float(
            subprocess.run(
                [
                    PYTHON,
                    str(HERE / "bare_client.py"),
                    "fanout",
                    f"{receive}/fan/",
                    str(FANOUT_WIDTH),
                    "20",
                    str(body_file),
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        mock_fanout = statistics.median(fanout)
        rows.append(
            Row(
                "5 fan-out",
                "ms until 100 logs",
                mock_fanout,
                "bare client, 100 POSTs",
                bare_fanout,
                "≤ 2x",
                mock_fanout <= 2 * bare_fanout,
                f"{min(fanout):.1f}-{max(fanout):.1f} ms",
            )
        )
    return rows


def _create(url: str, type: str) -> str:
    fields = f'url: "{url}", type: {type}, status: ENABLED'
    return f"mutation {{ webhookCreate(input: {{{fields}}}) {{ id }} }}"


def _logged(base: str) -> int:
    return sum(t["logsTotal"] for t in get_json(f"{base}/_mock/state?logs=0")["tenants"])


def _deliver(base: str, receive_count: str) -> float:
    """Deliveries per second from the trigger to the last of DELIVERIES logs written."""
    before = _logged(base)
    received_before = get_json(receive_count)["received"]
    began = time.perf_counter()
    post_json(
        f"{base}/_mock/trigger", {"type": "ORDER_CREATED", "count": DELIVERIES, "wait": False}
    )
    while _logged(base) < before + DELIVERIES:
        time.sleep(0.02)
    elapsed = time.perf_counter() - began
    received = get_json(receive_count)["received"] - received_before
    if received != DELIVERIES or _logged(base) != before + DELIVERIES:
        raise RuntimeError(
            f"{received} received and {_logged(base) - before} logged of {DELIVERIES}"
        )
    return DELIVERIES / elapsed


def startup_rows(apollo_dir: Path | None, why_not: str) -> list[Row]:
    """Row 6: process start to first answer, in-process start, per-test reset, plugin load."""

    def first_answer(args: list[str], cwd: Path | None = None, **env: str) -> float:
        began = time.perf_counter()
        with running(args, cwd, **env) as (_, line):
            post_json(
                f"{url_of(line)}/graphql" if line.startswith("mock") else f"{url_of(line)}/",
                {"query": READ_QUERY},
            )
            return time.perf_counter() - began

    def command(args: list[str]) -> float:
        began = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        return time.perf_counter() - began

    starts: dict[str, list[float]] = {"mock": [], "floor": [], "apollo": []}
    for _ in range(7):  # taking turns, so that noise spreads evenly
        starts["mock"].append(first_answer([PYTHON, "-m", "mock_zonos", "--port", "0"]))
        starts["floor"].append(command([PYTHON, "-c", "import aiohttp, ariadne"]))
        if apollo_dir:
            starts["apollo"].append(
                first_answer(
                    ["node", "server.mjs", str(REPO / "schema.graphql"), "0"],
                    apollo_dir,
                    NODE_ENV="production",
                )
            )
    mock, floor = statistics.median(starts["mock"]), statistics.median(starts["floor"])
    rows = [
        Row(
            "6 start-up",
            "s to first answer",
            mock,
            "import aiohttp, ariadne",
            floor,
            "≤ 1.15x",
            mock <= 1.15 * floor,
        )
    ]
    if apollo_dir:
        node = statistics.median(starts["apollo"])
        rows.append(
            Row("6 start-up", "s to first answer", mock, "Apollo Server", node, "(reported)", None)
        )
    else:
        rows.append(
            Row(
                "6 start-up",
                "s to first answer",
                mock,
                "Apollo Server",
                None,
                "(reported)",
                None,
                note=f"skipped: {why_not}",
            )
        )
    inproc = json.loads(
        subprocess.run(
            [PYTHON, str(HERE / "inproc.py"), "start"], capture_output=True, text=True, check=True
        ).stdout
    )
    warm_ms, reset_ms = inproc["warm_start_s"] * 1000, inproc["reset_s"] * 1000
    rows.append(
        Row(
            "6 start-up",
            "ms, in-process MockZonos start",
            warm_ms,
            "30 ms",
            30.0,
            "< 30 ms",
            warm_ms < 30,
            note=f"first start {inproc['first_start_s'] * 1000:.0f} ms after "
            f"{inproc['import_s'] * 1000:.0f} ms of imports",
        )
    )
    rows.append(
        Row("6 start-up", "ms, per-test reset", reset_ms, "1 ms", 1.0, "< 1 ms", reset_ms < 1)
    )
    with tempfile.TemporaryDirectory() as empty:
        pytest = [PYTHON, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
        bare = statistics.median(
            _pytest_time([*pytest, "-p", "no:mock_zonos", empty]) for _ in range(5)
        )
    plugin = statistics.median(_plugin_import_time() for _ in range(5))
    rows.append(
        Row(
            "6 start-up",
            "s, pytest run + the plugin",
            bare + plugin,
            "pytest without it",
            bare,
            "~ 1.0x",
            None,
            note=f"the plugin's import: {plugin * 1000:.1f} ms",
        )
    )
    return rows


def _plugin_import_time() -> float:
    """Seconds the plugin adds to a pytest run: importing it, pytest being loaded already."""
    probe = (
        "import time, pytest; began = time.perf_counter(); "
        "import mock_zonos.testing.pytest_plugin; "
        "print(time.perf_counter() - began)"
    )
    return float(
        subprocess.run([PYTHON, "-c", probe], capture_output=True, text=True, check=True).stdout
    )


def _pytest_time(args: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(args, capture_output=True, check=False)
    return time.perf_counter() - began


def memory_row() -> list[Row]:
    """Row 7: RSS growth for 100,000 logs of ~2 KB bodies, against the body bytes."""
    figures = json.loads(
        subprocess.run(
            [PYTHON, str(HERE / "inproc.py"), "memory"], capture_output=True, text=True, check=True
        ).stdout
    )
    growth, bodies = figures["rss_growth_bytes"] / 2**20, figures["body_bytes"] / 2**20
    return [
        Row(
            "7 memory",
            "MiB RSS growth, 100,000 logs",
            growth,
            "body bytes",
            bodies,
            "≤ 2x",
            growth <= 2 * bodies,
            note=f"base RSS {figures['base_rss_bytes'] / 2**20:.0f} MiB",
        )
    ]


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- output --------------------------------------------------------------------


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


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the table here as JSON")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is kept")
    parser.add_argument(
        "--only",
        nargs="+",
        default=["graphql", "paging", "delivery", "startup", "memory"],
        choices=["graphql", "paging", "delivery", "startup", "memory"],
        help="measure only these groups of rows",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    began = time.perf_counter()
    # Compiled as a wheel install leaves it (PYTHONDONTWRITEBYTECODE may be set here),
    # like the aiohttp and Ariadne it is compared with.
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "mock_zonos")], check=True)
    apollo_dir, why_not = build_apollo()
    groups: dict[str, Callable[[], list[Row]]] = {
        "graphql": lambda: graphql_rows(args, apollo_dir, why_not),
        "paging": lambda: paging_row(args),
        "delivery": lambda: delivery_rows(args),
        "startup": lambda: startup_rows(apollo_dir, why_not),
        "memory": memory_row,
    }
    rows = [row for name, measure in groups.items() if name in args.only for row in measure()]
    print(table(rows))
    elapsed = time.perf_counter() - began
    print(f"\n{os.cpu_count()} cores, Python {sys.version.split()[0]}, {elapsed:.0f} s in all")
    if args.json:
        args.json.write_text(
            json.dumps([asdict(row) | {"ratio": row.ratio} for row in rows], indent=2)
        )


if __name__ == "__main__":
    main()
