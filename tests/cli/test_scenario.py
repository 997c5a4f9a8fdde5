"""`mock-zonos scenario`: run and list, with the exit statuses scripts and CI rely on."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from mock_zonos import MockZonos, Settings, WebhookReceiver
from mock_zonos.cli.main import main
from mock_zonos.scenarios.catalog import bundled_names


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


@pytest.fixture
def zonos() -> Iterator[MockZonos]:
    """A server that neither signs nor has a virtual clock."""
    with MockZonos(Settings(port=0, retry_delays=())) as server:
        yield server


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


def test_an_invalid_scenario_exits_2_and_runs_nothing(
    zonos: MockZonos, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with WebhookReceiver() as receiver:
        zonos.create_webhook(receiver.url, "ORDER_CREATED")
        bad = tmp_path / "bad.yaml"
        bad.write_text(
            "steps:\n"
            "  - trigger: {type: ORDER_CREATED}\n"
            "  - hold: {}\n"
            "  - name: released\n"
            "    release: {order: reverse, sed: 1}\n"
        )
        code = main(["scenario", "run", "duplicate-delivery", str(bad), "--server", zonos.url])
        out, err = capsys.readouterr()
        assert (code, out) == (2, "")
        assert err == (
            f"mock-zonos scenario: {bad}: step 3 (release \"released\"), key 'sed': "
            "unknown key; the keys are order, seed\n"
        )
        assert receiver.requests == [] and zonos.logs() == []


def test_a_failed_expectation_exits_1_with_a_diff(
    zonos: MockZonos, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text(
        "steps:\n"
        "  - webhook: {type: ORDER_CREATED}\n"
        "  - trigger: {type: ORDER_CREATED}\n"
        "  - expect:\n"
        "      logs: {match: [{type: ORDER_UPDATED}]}\n"
    )
    assert main(["scenario", "run", str(path), "--server", zonos.url]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAIL wrong  at step 3 (expect): logs does not match:\n")
    assert '-    "type": "ORDER_UPDATED"\n' in out
    assert '+    "type": "ORDER_CREATED"\n' in out
    assert out.endswith("0 passed, 1 failed\n")


def test_a_server_without_what_a_scenario_needs_exits_2_naming_the_flag(
    zonos: MockZonos, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scenario", "run", "stale-signature", "--server", zonos.url]) == 2
    assert "stale-signature.yaml: requires: needs a server that signs: start it with --sign" in (
        capsys.readouterr().err
    )


def test_an_unreachable_server_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenario", "run", "duplicate-delivery", "--server", "http://127.0.0.1:9"]) == 3
    assert capsys.readouterr().err == (
        "mock-zonos scenario: cannot reach http://127.0.0.1:9: connection refused\n"
    )


def test_list_shows_each_bundled_scenario_with_what_it_needs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["scenario", "list"]) == 0
    out = capsys.readouterr().out
    assert "\nretry-storm  (needs --clock virtual)\n    A receiver answers 503" in out
    assert "\nstale-signature  (needs --sign)\n" in out
    assert out.startswith("duplicate-delivery\n    ORDER_CREATED arrives twice")
