"""`mock-zonos scenario`: run and list, with the exit statuses scripts and CI rely on."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from mock_zonos.scenarios.catalog import bundled_names
from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import GraphQL


async def _mock_zonos(*args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mock_zonos",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


def _server(client: TestClient[Any, Any]) -> str:
    return str(client.make_url("")).rstrip("/")


@pytest.fixture
async def signing_virtual_server() -> AsyncIterator[str]:
    """`mock-zonos --sign --clock virtual`, as a user starts it, on a free port."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mock_zonos",
        "--sign",
        "--clock",
        "virtual",
        "--port",
        "0",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
    )
    assert process.stdout is not None
    line = (await asyncio.wait_for(process.stdout.readline(), timeout=20)).decode()
    yield line.split()[3]
    process.terminate()
    await asyncio.wait_for(process.communicate(), timeout=10)


async def test_every_bundled_scenario_passes_against_a_signing_virtual_clock_server(
    signing_virtual_server: str,
) -> None:
    code, stdout, stderr = await _mock_zonos(
        "scenario", "run", *bundled_names(), "--server", signing_virtual_server
    )
    assert (code, stderr) == (0, ""), stdout
    lines = stdout.splitlines()
    assert [line.split()[:2] for line in lines[:-1]] == [["PASS", n] for n in bundled_names()]
    assert lines[-1] == f"{len(bundled_names())} passed, 0 failed"


async def test_an_invalid_scenario_exits_2_and_runs_nothing(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver, tmp_path: Path
) -> None:
    await gql.create_webhook(url=receiver.url)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "steps:\n"
        "  - trigger: {type: ORDER_CREATED}\n"
        "  - hold: {}\n"
        "  - name: released\n"
        "    release: {order: reverse, sed: 1}\n"
    )
    code, stdout, stderr = await _mock_zonos(
        "scenario", "run", "duplicate-delivery", str(bad), "--server", _server(client)
    )
    assert code == 2 and stdout == ""
    assert stderr == (
        f"mock-zonos scenario: {bad}: step 3 (release \"released\"), key 'sed': "
        "unknown key; the keys are order, seed\n"
    )
    assert receiver.requests == [] and await gql.logs() == []


async def test_a_failed_expectation_exits_1_with_a_diff(
    client: TestClient[Any, Any], tmp_path: Path
) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text(
        "steps:\n"
        "  - webhook: {type: ORDER_CREATED}\n"
        "  - trigger: {type: ORDER_CREATED}\n"
        "  - expect:\n"
        "      logs: {match: [{type: ORDER_UPDATED}]}\n"
    )
    code, stdout, _ = await _mock_zonos("scenario", "run", str(path), "--server", _server(client))
    assert code == 1
    assert stdout.startswith("FAIL wrong  at step 3 (expect): logs does not match:\n")
    assert '-    "type": "ORDER_UPDATED"\n' in stdout
    assert '+    "type": "ORDER_CREATED"\n' in stdout
    assert stdout.endswith("0 passed, 1 failed\n")


async def test_a_server_without_what_a_scenario_needs_exits_2_naming_the_flag(
    client: TestClient[Any, Any],
) -> None:
    code, _, stderr = await _mock_zonos(
        "scenario", "run", "stale-signature", "--server", _server(client)
    )
    assert code == 2
    assert "stale-signature.yaml: requires: needs a server that signs: start it with --sign" in (
        stderr
    )


async def test_an_unreachable_server_exits_3() -> None:
    code, _, stderr = await _mock_zonos(
        "scenario", "run", "duplicate-delivery", "--server", "http://127.0.0.1:9"
    )
    assert code == 3
    assert stderr == ("mock-zonos scenario: cannot reach http://127.0.0.1:9: connection refused\n")


async def test_list_shows_each_bundled_scenario_with_what_it_needs() -> None:
    code, stdout, _ = await _mock_zonos("scenario", "list")
    assert code == 0
    assert "\nretry-storm  (needs --clock virtual)\n    A receiver answers 503" in stdout
    assert "\nstale-signature  (needs --sign)\n" in stdout
    assert stdout.startswith("duplicate-delivery\n    ORDER_CREATED arrives twice")
