"""The mock-zonos command: serving, the URL line, clean stops and start-up failures."""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from mock_zonos.cli.main import build_parser, check_words, main
from mock_zonos.cli.serve import settings_from_args
from mock_zonos.domain.faults import Faults
from mock_zonos.settings import Settings
from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import DEFAULT_TOKEN, ServerProcess, serve_in_process, spawn_mock_zonos


@pytest.fixture
async def served() -> AsyncIterator[ServerProcess]:
    async with serve_in_process("--port", "0") as child:
        yield child


async def test_it_prints_the_url_with_the_real_port_and_serves(served: ServerProcess) -> None:
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
async def test_a_stop_signal_exits_zero_without_noise(served: ServerProcess, signum: int) -> None:
    code, stderr = await served.stop(signum)
    assert code == 0
    assert "Traceback" not in stderr
    assert "Task was destroyed" not in stderr


async def test_a_trigger_waiting_at_sigterm_is_answered_503(served: ServerProcess) -> None:
    with WebhookReceiver() as receiver:
        receiver.respond_with(delay=30)
        async with aiohttp.ClientSession() as session:
            headers = {"credentialToken": DEFAULT_TOKEN}
            async with session.post(
                f"{served.url}/graphql",
                json={
                    "query": 'mutation { webhookCreate(input: {url: "%s", type: ORDER_CREATED, '
                    "status: ENABLED}) { id } }" % receiver.url
                },
                headers=headers,
            ) as created:
                assert created.status == 200
            trigger = asyncio.create_task(
                session.post(
                    f"{served.url}/_mock/trigger", json={"type": "ORDER_CREATED"}, headers=headers
                )
            )
            await receiver.await_for(1)  # the attempt is in flight: the trigger waits for it
            code, stderr = await served.stop(signal.SIGTERM)
            response = await asyncio.wait_for(trigger, timeout=10)
            answer = await response.json()
    assert response.status == 503
    assert answer == {
        "error": "mock-zonos is shutting down: 1 of 1 first attempts had not finished; "
        "they are logged as cancelled"
    }
    assert code == 0
    assert "Traceback" not in stderr


async def test_bad_fixtures_exit_2_naming_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "credentials.yaml").write_text("credentials:\n  - token: 7\n")
    process = await spawn_mock_zonos("--port", "0", "--fixtures", str(tmp_path))
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 2
    message = stderr.decode()
    assert str(tmp_path / "credentials.yaml") in message
    assert 'credentials[0], key "token"' in message
    assert "Traceback" not in message
    assert stdout == b""


BOMB = "body:\n  a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"  {level}: &{level} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, level in zip("abcdefgh", "bcdefghi", strict=True)
)


async def test_an_alias_bomb_exits_2_at_once(tmp_path: Path) -> None:
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "ORDER_CREATED.yaml").write_text(BOMB)
    process = await spawn_mock_zonos("--port", "0", "--fixtures", str(tmp_path))
    # Expanding the aliases would take the process hours and gigabytes: exiting within
    # the deadline at all shows they were refused (the check's milliseconds are measured
    # in tests/fixtures).
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 2
    assert "YAML aliases here repeat 490,328,964 values" in stderr.decode()


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        (
            "credentials.yaml",
            "credentials:\n  - token: t\n    organizationId: o\n    token: u\n",
            'credentials.yaml: line 4: key "token" is written twice',
        ),
        (
            "webhooks.yaml",
            "webhooks:\n  - organizationId: o\n    mode: TEST\n    type: ORDER_CREATED\n"
            "    status: ENABLED\n    url: http://127.0.0.1:1/\n"
            '    headers: [{key: X-A, value: "a\\0"}]\n',
            "the value of header X-A contains the control character '\\x00'",
        ),
    ],
)
async def test_more_bad_fixtures_exit_2(tmp_path: Path, file: str, text: str, message: str) -> None:
    (tmp_path / "credentials.yaml").write_text(
        "credentials:\n  - token: t\n    organizationId: o\n"
    )
    (tmp_path / file).write_text(text)
    process = await spawn_mock_zonos("--port", "0", "--fixtures", str(tmp_path))
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 2
    assert message in stderr.decode()
    assert "Traceback" not in stderr.decode()


async def test_a_missing_fixtures_directory_does_not_exist(tmp_path: Path) -> None:
    process = await spawn_mock_zonos("--port", "0", "--fixtures", str(tmp_path / "missing"))
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 2
    assert stderr.decode() == f"mock-zonos: bad fixtures: {tmp_path / 'missing'}: does not exist\n"


async def test_a_busy_port_is_a_clear_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process = await spawn_mock_zonos("--port", str(port))
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 1
    assert stderr.decode() == (
        f"mock-zonos: port {port} is in use on 127.0.0.1 (another mock-zonos?): stop that "
        "server, or choose another port; --port 0 picks a free one\n"
    )


async def test_a_bad_flag_is_a_usage_error() -> None:
    process = await spawn_mock_zonos("--port", "http")
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


def test_cost_and_rate_limit_flags_become_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    args = build_parser().parse_args(
        ["--rate-limit", "--rate-limit-points", "1000", "--rate-limit-refill", "10.5"]
    )
    settings = settings_from_args(args)
    assert (settings.rate_limit, settings.rate_limit_points, settings.rate_limit_refill) == (
        True,
        1000,
        10.5,
    )
    assert settings.query_cost_limit == 1000
    monkeypatch.setenv("MOCK_ZONOS_MAX_QUERY_COST", "500")
    monkeypatch.setenv("MOCK_ZONOS_RATE_LIMIT", "1")
    from_environment = settings_from_args(build_parser().parse_args([]))
    assert (from_environment.max_query_cost, from_environment.rate_limit) == (500, True)


def test_contradicting_flags_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rate-limit", "--rate-limit-points", "10", "--max-query-cost", "20"]) == 2
    assert "could never be paid for" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "usage", "message"),
    [
        (["--prot", "8790"], "usage: mock-zonos [", "unknown flag --prot; did you mean --port?"),
        (["8790"], "usage: mock-zonos [", "unexpected word '8790'"),
        (["triger", "X"], "usage: mock-zonos [", "did you mean 'trigger'?"),
        (
            ["trigger", "ORDER_CREATED", "--tokn", "x"],
            "usage: mock-zonos trigger [",
            "mock-zonos trigger: error: unknown flag --tokn; did you mean --token?",
        ),
        (
            ["trigger", "ORDER_CREATED", "--count", "0"],
            "usage: mock-zonos trigger [",
            "must be a whole number from 1 to 10000",
        ),
        (["--port=x"], "usage: mock-zonos [", "must be a port number"),
    ],
)
def test_mistakes_get_the_right_usage_and_a_suggestion(
    argv: list[str], usage: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(usage)
    assert message in err


def test_flag_values_that_look_like_words_are_not_mistaken(
    capsys: pytest.CaptureFixture[str],
) -> None:
    parser = build_parser()
    check_words(parser, ["--host", "trigger", "--port=8790", "trigger", "X", "--count", "-1"])
    with pytest.raises(SystemExit):
        main(["trigger", "ORDER_CREATED", "--server", "ftp://x"])
    assert "must be the server's http URL" in capsys.readouterr().err


def test_help_names_every_environment_variable_and_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    for variable in (
        "HOST",
        "PORT",
        "FIXTURES",
        "STRICT_AUTH",
        "LOG_LEVEL",
        "DELIVERY_TIMEOUT",
        "RETRY_DELAYS",
        "SIGN",
        "MAX_LOGS",
        "DELIVERY_CONCURRENCY",
        "MAX_QUERY_COST",
        "RATE_LIMIT",
        "RATE_LIMIT_POINTS",
        "RATE_LIMIT_REFILL",
    ):
        assert f"MOCK_ZONOS_{variable}" in text, variable
    assert "[env MOCK_ZONOS_HOST; default: 127.0.0.1]" in text
    assert "--log-level {DEBUG,INFO,WARNING,ERROR}" in text


def test_trigger_help_lists_the_types_and_the_count_range(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["trigger", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "ORDER_CREATED" in text and "SHIPMENT_CANCELED" in text
    assert "fire N events (1 to 10,000)" in text
    assert "MOCK_ZONOS_SERVER" in text and "MOCK_ZONOS_TOKEN" in text
    assert "--expect-delivery" in text


async def test_debug_logging_has_no_asyncio_noise() -> None:
    async with serve_in_process("--port", "0", "--log-level", "DEBUG") as server:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{server.url}/_mock/health") as response,
        ):
            assert response.status == 200
        _, stderr = await server.stop(signal.SIGTERM)
    assert "Using selector" not in stderr
    assert "asyncio" not in stderr


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
        (["--delivery-timeout", "0"], "must be a positive number, got '0'"),
        (["--rate-limit-refill", "-1"], "must be a positive number"),
        (["--max-query-cost", "0"], "whole number of at least 1"),
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
