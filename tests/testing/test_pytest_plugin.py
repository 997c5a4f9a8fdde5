"""The pytest plugin, tested as a foreign suite would use it (pytester)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from mock_zonos.domain.faults import Faults
from mock_zonos.settings import Settings
from mock_zonos.testing.pytest_plugin import MARKER, _marked_settings

pytest.importorskip("xdist")


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini(
        """
        [pytest]
        filterwarnings = error
        asyncio_mode = auto
        asyncio_default_fixture_loop_scope = function
        """
    )
    return pytester


def test_the_fixtures_are_found_without_any_setup(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        def test_fixtures(zonos_mock, zonos_mock_server, webhook_receiver, zonos_mock_settings):
            assert zonos_mock is zonos_mock_server
            assert zonos_mock.url.startswith("http://127.0.0.1:")
            assert webhook_receiver.url.startswith("http://127.0.0.1:")
            assert zonos_mock_settings.retry_delays == (0.01, 0.02)
        """
    )
    suite.runpytest().assert_outcomes(passed=1)


def test_each_test_sees_only_its_own_state(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import pytest

        @pytest.mark.parametrize("run", range(3))
        def test_isolated(zonos_mock, webhook_receiver, run):
            assert zonos_mock.logs() == []
            count = zonos_mock.execute("{ webhooks { totalCount } }").data["webhooks"]["totalCount"]
            assert count == 1  # the bundled example webhook only
            zonos_mock.create_webhook(webhook_receiver.url, "ORDER_CREATED")
            zonos_mock.trigger("ORDER_CREATED")
            assert len(zonos_mock.logs()) == 1
        """
    )
    suite.runpytest().assert_outcomes(passed=3)


def test_each_test_gets_a_fresh_receiver_and_all_share_one_thread(
    suite: pytest.Pytester,
) -> None:
    suite.makepyfile(
        """
        import threading
        import urllib.request

        import pytest

        @pytest.mark.parametrize("run", range(3))
        def test_receiver(webhook_receiver, run):
            assert webhook_receiver.requests == []
            request = urllib.request.Request(webhook_receiver.url + "/hook", b"{}")
            urllib.request.urlopen(request, timeout=5).close()
            assert len(webhook_receiver.wait_for(1)) == 1
            names = [thread.name for thread in threading.enumerate()]
            assert names.count("webhook-receivers") == 1
            assert "webhook-receiver" not in names
        """
    )
    suite.runpytest().assert_outcomes(passed=3)


def test_the_marker_gives_a_test_its_own_settings(suite: pytest.Pytester) -> None:
    suite.mkdir("my_fixtures")
    suite.path.joinpath("my_fixtures", "credentials.yaml").write_text(
        "credentials:\n  - token: credential_test_mine\n    organizationId: organization_mine\n"
    )
    suite.makepyfile(
        """
        import pytest
        import standardwebhooks

        @pytest.mark.zonos_mock(retry_delays=[], sign=True)
        def test_signed_without_retries(zonos_mock, zonos_mock_server, webhook_receiver):
            assert zonos_mock is not zonos_mock_server
            webhook_receiver.respond_with(status=500)
            webhook = zonos_mock.create_webhook(webhook_receiver.url, "ORDER_CREATED")
            zonos_mock.trigger("ORDER_CREATED")
            (request,) = webhook_receiver.wait_for(1)
            standardwebhooks.Webhook(webhook["secret"]).verify(request.body, dict(request.headers))
            assert len(zonos_mock.logs()) == 1

        @pytest.mark.zonos_mock(fixtures="my_fixtures")
        def test_own_fixtures(zonos_mock):
            assert zonos_mock.token == "credential_test_mine"

        def test_unmarked_tests_keep_the_session_settings(zonos_mock, zonos_mock_server):
            assert zonos_mock is zonos_mock_server
            assert zonos_mock.settings.sign is False

        @pytest.mark.zonos_mock(clock="virtual", faults={"duplicate": 2}, retry_delays=[3600])
        def test_duplicated_and_retried_an_hour_later(zonos_mock, webhook_receiver):
            webhook_receiver.respond_with(status=[500, 500, 200, 200])
            zonos_mock.create_webhook(webhook_receiver.url, "ORDER_CREATED")
            zonos_mock.trigger("ORDER_CREATED")
            assert len(webhook_receiver.requests) == 2
            assert zonos_mock.advance_clock(3600)["fired"] == 1
            assert [log["attempt"] for log in zonos_mock.logs()] == [1, 1, 2, 2]
        """
    )
    suite.runpytest().assert_outcomes(passed=4)


def test_a_misspelt_marker_setting_is_a_usage_error(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import pytest

        @pytest.mark.zonos_mock(retry_delay=[1])
        def test_typo(zonos_mock):
            pass
        """
    )
    result = suite.runpytest()
    result.stdout.fnmatch_lines(["*unknown setting 'retry_delay'; the settings are *retry_delays*"])
    assert result.ret != 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"faults": {"dupe": 2}}, "unknown fault 'dupe'; the faults are duplicate, "),
        ({"faults": {"badSignature": True}}, "'badSignature' changes the signature"),
        ({"clock": "fake"}, "clock must be one of real, virtual, got 'fake'"),
    ],
)
def test_bad_marker_values_are_usage_errors(changes: dict[str, Any], message: str) -> None:
    marker = getattr(pytest.mark, MARKER)(**changes).mark
    with pytest.raises(
        pytest.UsageError, match=f"^@pytest.mark.zonos_mock: .*{re.escape(message)}"
    ):
        _marked_settings(Settings(), marker, Path("."))


def test_marker_faults_are_read_by_their_json_names() -> None:
    marker = pytest.mark.zonos_mock(faults={"duplicate": 2, "staleTimestamp": 600}, sign=True)
    settings = _marked_settings(Settings(), marker.mark, Path("."))
    assert settings.faults == Faults(duplicate=2, stale_timestamp=600)


def test_the_settings_fixture_can_be_overridden(suite: pytest.Pytester) -> None:
    suite.makeconftest(
        """
        import pytest
        from mock_zonos import Settings

        @pytest.fixture(scope="session")
        def zonos_mock_settings():
            return Settings(port=0, retry_delays=(), strict_auth=True)
        """
    )
    suite.makepyfile(
        """
        def test_strict(zonos_mock):
            unknown = "credential_test_unknown"
            response = zonos_mock.execute("{ webhooks { totalCount } }", token=unknown)
            assert response.errors[0]["extensions"]["errorType"] == "UNAUTHORIZED"
        """
    )
    suite.runpytest().assert_outcomes(passed=1)


def test_failures_read_clearly(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        def test_receiver_waits_in_vain(zonos_mock, webhook_receiver):
            zonos_mock.create_webhook(webhook_receiver.url + "/hook", "ORDER_CREATED")
            zonos_mock.trigger("ORDER_CREATED")
            webhook_receiver.wait_for(2, timeout=0.2)

        def test_logs_wait_in_vain(zonos_mock):
            zonos_mock.wait_for_logs(1, timeout=0.1)

        def test_graphql_errors(zonos_mock):
            zonos_mock.execute('{ webhook(id: "x") { nope } }').data
        """
    )
    result = suite.runpytest()
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines(
        [
            "*ReceiverTimeout: expected 2 request(s) at http://127.0.0.1:* within 0.2 s, got 1:",
            "*POST /hook (event event_*, attempt 1, * bytes)",
            "*LogsTimeout: expected 1 log(s) within 0.1 s, got 0:",
            "*ZonosGraphQLError: the GraphQL request failed:",
            "*BAD_REQUEST: Cannot query field 'nope' on type 'Webhook'*",
        ]
    )


def test_it_runs_under_xdist_with_a_server_per_worker(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import os
        import pathlib
        import pytest

        @pytest.mark.parametrize("run", range(6))
        def test_worker(zonos_mock, webhook_receiver, run):
            zonos_mock.create_webhook(webhook_receiver.url, "ORDER_CREATED")
            assert zonos_mock.trigger("ORDER_CREATED").succeeded
            assert len(zonos_mock.logs()) == 1
            worker = os.environ["PYTEST_XDIST_WORKER"]
            pathlib.Path(f"seen-{run}").write_text(f"{worker} {zonos_mock.url}")
        """
    )
    suite.runpytest_subprocess("-n", "2").assert_outcomes(passed=6)
    seen = {path.read_text() for path in suite.path.glob("seen-*")}
    workers = {line.split()[0] for line in seen}
    assert workers == {"gw0", "gw1"}
    assert len({line.split()[1] for line in seen}) == 2, seen


def test_teardown_leaves_no_threads_or_warnings(suite: pytest.Pytester) -> None:
    suite.makeconftest(
        """
        import threading
        import pytest

        @pytest.hookimpl(trylast=True)
        def pytest_unconfigure(config):
            leftover = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
            assert not leftover, leftover
        """
    )
    suite.makepyfile(
        """
        import pytest

        @pytest.mark.zonos_mock(retry_delays=[30])
        def test_pending_retry_at_teardown(zonos_mock, webhook_receiver):
            webhook_receiver.respond_with(status=500)
            zonos_mock.create_webhook(webhook_receiver.url, "ORDER_CREATED")
            zonos_mock.trigger("ORDER_CREATED")

        def test_session_server(zonos_mock, webhook_receiver):
            webhook_receiver.respond_with(delay=5)
            zonos_mock.create_webhook(webhook_receiver.url, "ORDER_CREATED")
            zonos_mock.trigger("ORDER_CREATED", wait=False)
            webhook_receiver.wait_for(1)
        """
    )
    result = suite.runpytest_subprocess("-W", "error")
    result.assert_outcomes(passed=2)
    assert "Task was destroyed" not in result.stderr.str()
    assert "Traceback" not in result.stderr.str()


def test_importing_the_plugin_stays_light(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import sys

        def test_nothing_heavy_was_imported():
            heavy = [m for m in ("aiohttp", "ariadne", "graphql", "yaml") if m in sys.modules]
            assert heavy == []
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:aiohttp", "-p", "no:asyncio", "-p", "no:xdist")
    result.assert_outcomes(passed=1)


def test_marker_fixtures_are_found_beside_the_test_file(suite: pytest.Pytester) -> None:
    tests = suite.mkdir("tests")
    tests.joinpath("my_fixtures").mkdir()
    tests.joinpath("my_fixtures", "credentials.yaml").write_text(
        "credentials:\n  - token: credential_test_beside\n    organizationId: organization_b\n"
    )
    tests.joinpath("test_beside.py").write_text(
        """
import pytest

@pytest.mark.zonos_mock(fixtures="my_fixtures")
def test_own_fixtures(zonos_mock):
    assert zonos_mock.token == "credential_test_beside"

@pytest.mark.zonos_mock(fixtures="no_such_fixtures")
def test_missing(zonos_mock):
    pass
"""
    )
    result = suite.runpytest()  # started from the suite's root, not tests/
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines([f"*{tests / 'no_such_fixtures'}: does not exist*"])


def test_the_marker_turns_the_rate_limit_on(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import pytest
        from mock_zonos import ZonosGraphQLError

        PAGE = "{ webhooks(first: 10) { edges { node { id } } } }"

        @pytest.mark.zonos_mock(rate_limit=True, rate_limit_points=20, rate_limit_refill=0.001)
        def test_backoff(zonos_mock):
            zonos_mock.execute(PAGE).data
            with pytest.raises(ZonosGraphQLError, match="RATE_LIMITED: Rate limit exceeded"):
                zonos_mock.execute(PAGE).data
        """
    )
    suite.runpytest().assert_outcomes(passed=1)
