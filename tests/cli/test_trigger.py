"""`mock-zonos trigger`: fires at a running server and prints one line per delivery."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from mock_zonos.cli.trigger import faults_from, overrides_from
from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import DEFAULT_TOKEN, GraphQL


async def _run(*args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mock_zonos",
        "trigger",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


def _server(client: TestClient[Any, Any]) -> str:
    return str(client.make_url("")).rstrip("/")


async def test_it_prints_one_line_per_delivery(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=f"{receiver.url}/hook")
    code, stdout, _ = await _run(
        "ORDER_CREATED",
        "--set",
        "data.order.accountOrderNumber=A-1",
        "--set",
        "data.order.amountSubtotals.duties=4.5",
        "--server",
        _server(client),
        "--token",
        DEFAULT_TOKEN,
    )
    assert code == 0
    header, line = stdout.strip().splitlines()
    assert header.startswith("ORDER_CREATED event_") and header.endswith(": 1 delivery")
    assert line.startswith("200 ")
    assert line.endswith(f"{receiver.url}/hook")
    assert " ms " in line
    order = (await receiver.await_for(1))[0].json["data"]["order"]
    assert (order["accountOrderNumber"], order["amountSubtotals"]["duties"]) == ("A-1", 4.5)


async def test_a_failed_delivery_exits_1(client: TestClient[Any, Any], gql: GraphQL) -> None:
    await gql.create_webhook(url="http://127.0.0.1:9/nothing-listens")
    code, stdout, _ = await _run(
        "ORDER_CREATED", "--server", _server(client), "--token", DEFAULT_TOKEN
    )
    assert code == 1
    assert "connection refused (127.0.0.1:9)" in stdout


async def test_no_subscriber_is_said_plainly(client: TestClient[Any, Any]) -> None:
    code, stdout, stderr = await _run(
        "INVENTORY_CHECK", "--server", _server(client), "--token", DEFAULT_TOKEN
    )
    assert code == 0
    assert stdout.rstrip().endswith(
        ": no ENABLED webhook of organization_c0ffee00-0000-4000-8000-000000000001 (TEST) "
        "subscribes to it"
    )
    assert stderr == ""


async def test_an_unknown_token_is_pointed_out_and_expect_delivery_fails(
    client: TestClient[Any, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="mock_zonos.auth")
    code, _, stderr = await _run(
        "ORDER_CREATED", "--server", _server(client), "--token", "credential_test_typo"
    )
    assert code == 0
    assert "note: the token 'credential_test_typo' is not one of the server's fixtures" in stderr
    code, _, _ = await _run(
        "ORDER_CREATED",
        "--server",
        _server(client),
        "--token",
        "credential_test_typo",
        "--expect-delivery",
    )
    assert code == 1
    (line,) = [r.getMessage() for r in caplog.records if r.name == "mock_zonos.auth"]
    assert line.startswith("credentialToken 'credential_test_typo' is not in the fixtures")


async def test_a_server_without_a_scheme_is_read_as_http(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=receiver.url)
    server = _server(client).removeprefix("http://")
    code, stdout, _ = await _run("ORDER_CREATED", "--server", server, "--token", DEFAULT_TOKEN)
    assert code == 0
    assert ": 1 delivery" in stdout


async def test_a_refused_connection_asks_whether_the_server_runs() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _, stderr = await _run("ORDER_CREATED", "--server", f"127.0.0.1:{port}")
    assert code == 3
    assert stderr == (
        f"mock-zonos trigger: cannot reach http://127.0.0.1:{port}: connection refused. "
        "Is mock-zonos running? Start it with `mock-zonos`, or point --server at it.\n"
    )


async def test_a_closed_pipe_ends_quietly(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
) -> None:
    for _ in range(3):
        await gql.create_webhook(url=receiver.url)
    read, write = os.pipe()
    os.close(read)  # the reader has gone before anything is written, as `| head` does
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mock_zonos",
        "trigger",
        "ORDER_CREATED",
        "--server",
        _server(client),
        "--token",
        DEFAULT_TOKEN,
        stdout=write,
        stderr=asyncio.subprocess.PIPE,
    )
    os.close(write)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0
    assert stderr == b""


async def test_a_refused_request_exits_2_with_the_servers_message(
    client: TestClient[Any, Any],
) -> None:
    code, _, stderr = await _run("ORDER_CREATE", "--server", _server(client))
    assert code == 2
    assert "unknown type 'ORDER_CREATE'" in stderr
    assert "ORDER_CREATED" in stderr


async def test_faults_are_sent_and_held_or_delayed_deliveries_said_so(
    client: TestClient[Any, Any], gql: GraphQL, receiver: WebhookReceiver
) -> None:
    await gql.create_webhook(url=receiver.url)
    server = ("--server", _server(client), "--token", DEFAULT_TOKEN)
    code, stdout, _ = await _run("ORDER_CREATED", "--fault", "duplicate=2", *server)
    assert code == 0 and stdout.splitlines()[1].startswith("200 ")
    assert len(receiver.requests) == 2
    code, stdout, _ = await _run("ORDER_CREATED", "--fault", "duplicate=1,delay=30", *server)
    assert code == 0
    assert stdout.splitlines()[1].startswith(f"delayed {receiver.url}  (until 20")
    await client.post("/_mock/deliveries/hold", headers={"credentialToken": DEFAULT_TOKEN})
    code, stdout, _ = await _run("ORDER_CREATED", *server)
    assert code == 0
    assert stdout.splitlines()[1] == (
        f"held    {receiver.url}  (until POST /_mock/deliveries/release)"
    )
    code, _, stderr = await _run("ORDER_CREATED", "--fault", "dupe=2", *server)
    assert code == 2
    assert "unknown fault 'dupe'; the faults are duplicate, delay" in stderr


async def test_an_unreachable_server_is_a_clear_error() -> None:
    code, _, stderr = await _run("ORDER_CREATED", "--server", "http://127.0.0.1:9")
    assert code == 3
    assert "cannot reach http://127.0.0.1:9" in stderr
    assert "Traceback" not in stderr


def test_set_builds_nested_overrides_and_reads_json_values() -> None:
    assert overrides_from(
        [
            "data.order.accountOrderNumber=A-1",
            "data.order.total=12.5",
            'data.order.tags=["x"]',
            "data.flag=true",
            "data.note=hello world",
        ]
    ) == {
        "data": {
            "order": {"accountOrderNumber": "A-1", "total": 12.5, "tags": ["x"]},
            "flag": True,
            "note": "hello world",
        }
    }


def test_faults_are_read_as_json_values_from_one_flag_or_many() -> None:
    assert faults_from(["duplicate=2,delay=0.5", "badSignature=true"]) == {
        "duplicate": 2,
        "delay": 0.5,
        "badSignature": True,
    }
    with pytest.raises(ValueError, match="--fault: faults are NAME=VALUE pairs"):
        faults_from(["duplicate"])


@pytest.mark.parametrize("assignment", ["no-equals-sign", "=value", "a..b=1"])
def test_set_refuses_malformed_assignments(assignment: str) -> None:
    with pytest.raises(ValueError, match="--set takes PATH=VALUE"):
        overrides_from([assignment])
