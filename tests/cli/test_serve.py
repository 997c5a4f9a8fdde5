"""The mock-zonos command: serving, the URL line, clean stops and start-up failures."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from mock_zonos.cli.main import build_parser, main
from mock_zonos.cli.serve import settings_from_args
from mock_zonos.domain.faults import Faults
from mock_zonos.settings import Settings

from ..helpers import DEFAULT_TOKEN


class Process:
    """A `python -m mock_zonos` child, its URL read from its first line of output."""

    def __init__(self, process: asyncio.subprocess.Process, url: str) -> None:
        self.process, self.url = process, url

    async def stop(self, signum: int) -> tuple[int, str]:
        self.process.send_signal(signum)
        _, stderr = await asyncio.wait_for(self.process.communicate(), timeout=10)
        assert self.process.returncode is not None
        return self.process.returncode, stderr.decode()


async def _spawn(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mock_zonos",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
    )


@pytest.fixture
async def served() -> AsyncIterator[Process]:
    process = await _spawn("--port", "0")
    assert process.stdout is not None
    line = (await asyncio.wait_for(process.stdout.readline(), timeout=20)).decode()
    url = line.split()[3]
    child = Process(process, url)
    yield child
    if process.returncode is None:
        process.kill()
        await process.wait()


async def test_it_prints_the_url_with_the_real_port_and_serves(served: Process) -> None:
    assert served.url.startswith("http://127.0.0.1:")
    assert not served.url.endswith(":0")
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{served.url}/_mock/health") as response:
            assert await response.json() == {"status": "ok"}
        async with session.post(
            f"{served.url}/graphql",
            json={"query": "{ webhooks { totalCount } }"},
            headers={"credentialToken": DEFAULT_TOKEN},
        ) as response:
            assert (await response.json())["data"]["webhooks"]["totalCount"] == 1


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_a_stop_signal_exits_zero_without_noise(served: Process, signum: int) -> None:
    code, stderr = await served.stop(signum)
    assert code == 0
    assert "Traceback" not in stderr
    assert "Task was destroyed" not in stderr


async def test_bad_fixtures_exit_2_naming_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "credentials.yaml").write_text("credentials:\n  - token: 7\n")
    process = await _spawn("--port", "0", "--fixtures", str(tmp_path))
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 2
    message = stderr.decode()
    assert str(tmp_path / "credentials.yaml") in message
    assert 'credentials[0], key "token"' in message
    assert "Traceback" not in message
    assert stdout == b""


async def test_a_busy_port_is_a_clear_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process = await _spawn("--port", str(port))
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in stderr.decode()
    assert "Traceback" not in stderr.decode()


async def test_a_bad_flag_is_a_usage_error() -> None:
    process = await _spawn("--port", "http")
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 2
    assert "must be a port number" in stderr.decode()


def test_flags_become_settings() -> None:
    args = build_parser().parse_args(
        [
            "--port",
            "0",
            "--retry-delays",
            "",
            "--delivery-timeout",
            "0.5",
            "--sign",
            "--strict-auth",
            "--max-logs",
            "10",
            "--max-orders",
            "5",
            "--delivery-concurrency",
            "4",
            "--log-level",
            "debug",
            "--faults",
            "duplicate=2,staleTimestamp=600",
            "--clock",
            "virtual",
        ]
    )
    assert settings_from_args(args) == Settings(
        faults=Faults(duplicate=2, stale_timestamp=600),
        clock="virtual",
        port=0,
        retry_delays=(),
        delivery_timeout=0.5,
        sign=True,
        strict_auth=True,
        max_logs=10,
        max_orders=5,
        delivery_concurrency=4,
        log_level="DEBUG",
    )


def test_environment_variables_are_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCK_ZONOS_PORT", "9999")
    monkeypatch.setenv("MOCK_ZONOS_RETRY_DELAYS", "0.5,2")
    monkeypatch.setenv("MOCK_ZONOS_SIGN", "true")
    monkeypatch.setenv("MOCK_ZONOS_FAULTS", "badSignature=true")
    monkeypatch.setenv("MOCK_ZONOS_CLOCK", "virtual")
    settings = settings_from_args(build_parser().parse_args([]))
    assert (settings.port, settings.retry_delays, settings.sign) == (9999, (0.5, 2.0), True)
    assert (settings.faults, settings.clock) == (Faults(bad_signature=True), "virtual")
    assert settings_from_args(build_parser().parse_args(["--port", "1"])).port == 1


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--retry-delays", "1,x"], "comma-separated seconds"),
        (["--retry-delays", "-1"], "finite and not negative"),
        (["--delivery-timeout", "0"], "positive number of seconds"),
        (["--max-logs", "0"], "whole number of at least 1"),
        (["--max-orders", "-2"], "whole number of at least 1"),
        (["--faults", "dupe=2"], "unknown fault 'dupe'; the faults are duplicate"),
        (["--faults", "duplicate=0"], "fault 'duplicate' must be a whole number from 1 to 100"),
        (["--clock", "fake"], "must be one of real, virtual, got 'fake'"),
    ],
)
def test_bad_flags_say_why(
    flags: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(flags)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_a_signature_fault_without_signing_is_refused_before_serving(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--port", "0", "--faults", "staleTimestamp=600"]) == 2
    error = capsys.readouterr().err
    assert "fault 'staleTimestamp' changes the signature" in error
    assert "start it with --sign" in error
