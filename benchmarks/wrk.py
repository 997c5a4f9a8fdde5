"""Load from wrk (Debian package `wrk`): one thread, a fixed number of connections."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from harness import TOKEN

CONNECTIONS = 16


@dataclass(frozen=True)
class Load:
    """What wrk measured: requests per second and latency percentiles in ms."""

    rps: float
    p50_ms: float
    p99_ms: float


def wrk(url: str, body: str | Sequence[str], duration: float, token: str | None = TOKEN) -> Load:
    """POST `body` to `url` for `duration` seconds; any answer but 2xx is an error.

    Given several bodies, each request sends the next one, round and round.
    """
    headers = {"Content-Type": "application/json"}
    if token:
        headers["credentialToken"] = token
    script = "wrk.method = 'POST'\n" + "".join(
        f"wrk.headers['{key}'] = '{value}'\n" for key, value in headers.items()
    )
    if isinstance(body, str):
        script += f"wrk.body = [=[{body}]=]\n"
    else:
        # A request function costs wrk a little per request: only a varying load pays it.
        script += (
            "local bodies = {" + ", ".join(f"[=[{each}]=]" for each in body) + "}\nlocal turn = 0\n"
            "request = function()\n"
            "  turn = turn % #bodies + 1\n"
            "  return wrk.format(nil, nil, nil, bodies[turn])\n"
            "end\n"
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
        rps=float(_find(r"Requests/sec:\s+([\d.]+)", output)[0]),
        p50_ms=_latency(output, "50%"),
        p99_ms=_latency(output, "99%"),
    )


def interleaved(targets: dict[str, Callable[[], Load]], runs: int) -> dict[str, list[Load]]:
    """Each target measured `runs` times, taking turns, so noise spreads evenly."""
    loads: dict[str, list[Load]] = {name: [] for name in targets}
    for _ in range(runs):
        for name, measure in targets.items():
            loads[name].append(measure())
    return loads


def _latency(output: str, percentile: str) -> float:
    value, unit = _find(rf"{percentile}\s+([\d.]+)(us|ms|s)", output)
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _find(pattern: str, output: str) -> tuple[str, ...]:
    found = re.search(pattern, output)
    if found is None:
        raise RuntimeError(f"no {pattern!r} in wrk's output:\n{output}")
    return found.groups()
