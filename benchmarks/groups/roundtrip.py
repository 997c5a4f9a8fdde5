"""Row 12: a test's round trip under pytest, against a pytest-httpserver test.

Both are 300 parametrised tests in a pytest run of their own, per test and
net of pytest's own per-test cost (the time of 300 empty tests). pytest
rewrites the assertions of every module of a pytest plugin's package, and
keeps the result as bytecode: the runs write theirs to a cache of their own
(even where PYTHONDONTWRITEBYTECODE is set, as on this project's machine),
warmed by a first run of each file, as on a developer's machine from the
second run on.
- ours, the README's sync example: `zonos_mock` and `webhook_receiver`,
  create a webhook, trigger with an override, wait for the request, check its body;
- theirs: `httpserver` expects a POST, the test posts a JSON body with
  `requests`, then checks the server's log.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from harness import Context, Group, Python
from report import Row

TESTS = 300
EMPTY = f"""
import pytest


@pytest.mark.parametrize("n", range({TESTS}))
def test_nothing(n):
    pass
"""
OURS = f"""
import pytest


@pytest.mark.parametrize("n", range({TESTS}))
def test_order_created_reaches_the_receiver(zonos_mock, webhook_receiver, n):
    zonos_mock.create_webhook(webhook_receiver.url + "/zonos", "ORDER_CREATED")
    zonos_mock.trigger(
        "ORDER_CREATED", overrides={{"data": {{"order": {{"accountOrderNumber": f"A-{{n}}"}}}}}}
    )
    (request,) = webhook_receiver.wait_for(1)
    assert request.path == "/zonos"
    assert request.json["data"]["order"]["accountOrderNumber"] == f"A-{{n}}"
"""
THEIRS = f"""
import pytest
import requests


@pytest.mark.parametrize("n", range({TESTS}))
def test_one_post(httpserver, n):
    httpserver.expect_request("/hook", method="POST").respond_with_json({{"ok": True}})
    requests.post(httpserver.url_for("/hook"), json={{"order": n}}, timeout=5)
    httpserver.check_assertions()
    ((request, _),) = httpserver.log
    assert request.json == {{"order": n}}
"""


def measure(ctx: Context) -> list[Row]:
    why_not = _why_not(ctx.python)
    if why_not:
        return [_row(None, None, "", why_not)]
    seconds: dict[str, list[float]] = {"empty": [], "ours": [], "theirs": []}
    with tempfile.TemporaryDirectory() as scratch:
        env = {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(Path(scratch, "pyc"))}
        for name, source in (("empty", EMPTY), ("ours", OURS), ("theirs", THEIRS)):
            Path(scratch, f"test_{name}.py").write_text(source)
            _pytest_seconds(ctx.python, Path(scratch, f"test_{name}.py"), env)  # warms the cache
        for _ in range(ctx.runs):  # taking turns, so that noise spreads evenly
            for name in seconds:
                test_file = Path(scratch, f"test_{name}.py")
                seconds[name].append(_pytest_seconds(ctx.python, test_file, env))
    empty = statistics.median(seconds["empty"])
    ours, theirs = (
        [1000 * (run - empty) / TESTS for run in seconds[name]] for name in ("ours", "theirs")
    )
    spread = f"{min(ours):.2f}-{max(ours):.2f} ms"
    note = f"net of {1000 * empty / TESTS:.2f} ms per empty test; theirs {min(theirs):.2f}-"
    return [
        _row(
            statistics.median(ours),
            statistics.median(theirs),
            spread,
            note + f"{max(theirs):.2f} ms",
        )
    ]


def _pytest_seconds(python: Python, test_file: Path, env: dict[str, str]) -> float:
    """Wall-clock seconds of a whole pytest run over one file, every test passing."""
    began = time.perf_counter()
    output = python.run(
        "-m",
        "pytest",
        "-q",
        "-n0",
        "-p",
        "no:cacheprovider",
        f"--rootdir={test_file.parent}",
        str(test_file),
        check=False,
        env=env,
    )
    elapsed = time.perf_counter() - began
    if f"{TESTS} passed" not in output:
        raise RuntimeError(f"{test_file.name} did not pass:\n{output[-2000:]}")
    return elapsed


def _why_not(python: Python) -> str:
    missing = python.run("-c", _FIND_MISSING).strip()
    return f"{missing} not installed: pip install -e '.[bench]'" if missing else ""


_FIND_MISSING = (
    "import importlib.util as u; "
    "print(' and '.join(m for m in ('pytest_httpserver', 'requests') if not u.find_spec(m)))"
)


def _row(ours: float | None, theirs: float | None, spread: str, note: str) -> Row:
    return Row(
        row="12 a test's round trip",
        metric="ms per test, net of pytest",
        mock=ours,
        baseline_name="pytest-httpserver test",
        baseline=theirs,
        target="≤ 1.0x",
        met=None if ours is None or theirs is None else ours <= theirs,
        spread=spread,
        note=note,
    )


GROUP = Group(
    name="roundtrip",
    rows="row 12: a test's round trip under pytest, against a pytest-httpserver test",
    measure=measure,
)
