"""The README's "Use it in your tests" examples, run as the foreign suite they are."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from pathlib import Path

import aiohttp
import pytest

from mock_zonos.testing.receiver import WebhookReceiver

from .helpers import DEFAULT_TOKEN, serve_in_process

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLE = re.compile(r"```python\n# (test_\w+\.py)\n(.*?)```", re.S)


def _examples() -> list[tuple[str, str]]:
    return EXAMPLE.findall(README.read_text())


def test_the_readme_has_the_three_examples() -> None:
    assert [name for name, _ in _examples()] == [
        "test_sync_example.py",
        "test_async_example.py",
        "test_retry_example.py",
    ]


@pytest.mark.parametrize(("name", "code"), _examples(), ids=[name for name, _ in _examples()])
def test_a_readme_example_passes(pytester: pytest.Pytester, name: str, code: str) -> None:
    pytester.makeini(
        """
        [pytest]
        filterwarnings = error
        asyncio_default_fixture_loop_scope = function
        """
    )
    pytester.path.joinpath(name).write_text(code)
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def _curl_section() -> str:
    """The shell blocks of "Five minutes with curl", in order, as one script."""
    text = README.read_text()
    section = text[text.index("## Five minutes with curl") : text.index("## The dashboard")]
    return "\n".join(re.findall(r"```sh\n(.*?)```", section, re.S))


@pytest.mark.skipif(shutil.which("curl") is None, reason="the section runs curl")
async def test_five_minutes_with_curl_runs_as_written() -> None:
    script = _curl_section()
    assert "127.0.0.1:8787" in script and ".venv/bin/mock-zonos trigger" in script
    with WebhookReceiver() as receiver:
        receiver_port = receiver.url.rsplit(":", 1)[1]
        async with serve_in_process("--port", "0") as server:
            port = server.url.rsplit(":", 1)[1]
            process = await asyncio.create_subprocess_exec(
                "bash",
                "-c",
                script.replace("127.0.0.1:8787", f"127.0.0.1:{port}").replace(
                    "127.0.0.1:9000", f"127.0.0.1:{receiver_port}"
                ),
                cwd=README.parent,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                # The port differs from the README's 8787, for curl and for the command line.
                env={
                    "PATH": os.environ["PATH"],
                    "HOME": os.environ.get("HOME", "/"),
                    "MOCK_ZONOS_SERVER": server.url,
                },
            )
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
            output = stdout.decode() + stderr.decode()
            async with (
                aiohttp.ClientSession() as session,
                session.get(
                    f"{server.url}/_mock/logs", headers={"credentialToken": DEFAULT_TOKEN}
                ) as response,
            ):
                logs = (await response.json())["logs"]
        received = receiver.requests
    assert process.returncode == 0, output
    assert '"webhookCreate":{"id":"webhook_' in output
    assert '"webhookUpdate":{"id":"webhook_' in output
    assert "ORDER_CREATED event_" in output and ": 1 delivery" in output
    assert '"webhookLogs":{"edges":[' in output
    assert "zonos-query-complexity: 15" in output
    assert "Traceback" not in output and "command not found" not in output
    assert len(logs) == 2 and all(log["responseStatus"] == 200 for log in logs)
    orders = [request.json["data"]["order"] for request in received]
    assert [order["accountOrderNumber"] for order in orders] == ["A-1", "A-1"]
