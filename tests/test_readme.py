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


def test_the_readme_has_its_examples() -> None:
    assert [name for name, _ in _examples()] == [
        "test_sync_example.py",
        "test_async_example.py",
        "test_retry_example.py",
        "test_lifecycle_example.py",
        "test_receiver_example.py",
    ]


def test_every_readme_example_passes(pytester: pytest.Pytester) -> None:
    # One run for all of them; an example may hold more than one test.
    pytester.makeini(
        """
        [pytest]
        filterwarnings = error
        asyncio_default_fixture_loop_scope = function
        """
    )
    for name, code in _examples():
        pytester.path.joinpath(name).write_text(code)
    tests = sum(len(re.findall(r"^(?:async )?def test_", code, re.M)) for _, code in _examples())
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=tests)


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
    assert '"order":{"id":"order_' in output  # followed up by its id
    assert len(logs) == 3 and all(log["responseStatus"] == 200 for log in logs)
    numbers = [request.json["data"]["order"]["accountOrderNumber"] for request in received]
    assert numbers[:2] == ["A-1", "A-2"]
