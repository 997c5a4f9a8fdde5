"""Running scenarios against a real server on loopback: steps, results, failures, clean-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from mock_zonos.scenarios.catalog import bundled_names, find_scenario
from mock_zonos.scenarios.model import load_scenario
from mock_zonos.scenarios.performing import ServerUnreachable
from mock_zonos.scenarios.runner import ScenarioResult, Target, run_scenarios
from mock_zonos.scenarios.steps import ScenarioInvalid
from mock_zonos.settings import Settings
from mock_zonos.testing.receiver import WebhookReceiver

from ..helpers import GraphQL

TOKEN = "credential_test_scenario-runner"


def _server(client: TestClient[Any, Any]) -> str:
    return str(client.make_url("")).rstrip("/")


async def _run(
    client: TestClient[Any, Any], tmp_path: Path, text: str, **target: Any
) -> ScenarioResult:
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    (result,) = await run_scenarios(
        [load_scenario(path)], Target(_server(client), **target), client.session
    )
    return result


async def test_results_are_referred_to_and_webhooks_cleaned_up(
    client: TestClient[Any, Any], gql: GraphQL, tmp_path: Path
) -> None:
    result = await _run(
        client,
        tmp_path,
        """
steps:
  - name: hook
    webhook: {type: ORDER_CREATED, headers: {X-Shop: s1}}
  - name: fired
    trigger: {type: ORDER_CREATED, webhookId: "${hook.id}", count: 2}
  - name: found
    graphql:
      query: 'query($id: ID!) { webhook(id: $id) { id headers { key } } }'
      variables: {id: "${hook.id}"}
  - expect:
      value:
        of: "${found.data.webhook}"
        equals: {id: "${hook.id}", headers: [{key: X-Shop}]}
  - expect:
      value: {of: "${fired.eventIds}", count: 2}
      logs:
        count: 2
        every: {webhookId: "${hook.id}", headers: {x-shop: s1}, signature: unsigned}
""",
        token=TOKEN,
    )
    assert result.passed, result.failure
    assert result.steps_run == 5
    remaining = await gql.as_token(TOKEN).data("{ webhooks { totalCount } }")
    assert remaining == {"webhooks": {"totalCount": 0}}


async def test_a_failed_expectation_stops_the_run_and_says_why(
    client: TestClient[Any, Any], tmp_path: Path
) -> None:
    result = await _run(
        client,
        tmp_path,
        """
steps:
  - webhook: {type: ORDER_CREATED}
  - name: fired
    trigger: {type: ORDER_CREATED}
  - expect:
      logs: {match: [{responseStatus: 500}]}
  - trigger: {type: ORDER_CREATED}
""",
    )
    assert not result.passed and result.steps_run == 2
    assert result.failure is not None
    assert result.failure.startswith("step 3 (expect): logs does not match:\n")
    assert "logs[0].responseStatus: expected 500, got 200" in result.failure
    assert '-    "responseStatus": 500\n' in result.failure


async def test_a_refused_request_fails_its_step_with_the_servers_words(
    client: TestClient[Any, Any], tmp_path: Path
) -> None:
    result = await _run(
        client, tmp_path, "steps:\n  - trigger: {type: ORDER_CREATED, webhookId: webhook_nope}\n"
    )
    assert result.failure == (
        "step 1 (trigger): POST /_mock/trigger was refused (404): "
        "webhook webhook_nope was not found"
    )


async def test_graphql_errors_fail_a_step_unless_expected(
    client: TestClient[Any, Any], tmp_path: Path
) -> None:
    failing = await _run(client, tmp_path, "steps:\n  - graphql: {query: '{ nope }'}\n")
    assert failing.failure is not None
    assert failing.failure.startswith("step 1 (graphql): the GraphQL request failed: Cannot query")
    expected = await _run(
        client,
        tmp_path,
        """
steps:
  - name: answer
    graphql: {query: '{ nope }', errors: true}
  - expect:
      value: {of: "${answer.errors[0].extensions.errorType}", equals: BAD_REQUEST}
""",
    )
    assert expected.passed, expected.failure


async def test_a_faults_step_applies_to_later_triggers_under_their_own(
    client: TestClient[Any, Any], tmp_path: Path
) -> None:
    result = await _run(
        client,
        tmp_path,
        """
steps:
  - webhook: {type: ORDER_CREATED}
  - faults: {duplicate: 3}
  - trigger: {type: ORDER_CREATED}
  - trigger: {type: ORDER_CREATED, faults: {duplicate: 1}}
  - faults: {}
  - trigger: {type: ORDER_CREATED}
  - wait: {requests: 5}
  - expect:
      logs: {count: 5}
      requests: {count: 5, every: {method: POST, path: /}}
""",
    )
    assert result.passed, result.failure


async def test_a_wait_that_times_out_says_what_came(
    client: TestClient[Any, Any], tmp_path: Path
) -> None:
    result = await _run(
        client,
        tmp_path,
        """
steps:
  - webhook: {type: ORDER_CREATED}
  - trigger: {type: ORDER_CREATED}
  - wait: {logs: 2, timeout: 0.2}
""",
    )
    assert result.failure == (
        "step 3 (wait): expected 2 log(s) within 0.2 s, got 1:\n  ORDER_CREATED attempt 1: 200"
    )


async def test_a_reference_of_the_wrong_type_fails_its_step(
    client: TestClient[Any, Any], tmp_path: Path
) -> None:
    result = await _run(
        client,
        tmp_path,
        "steps:\n  - name: fired\n    trigger: {type: ORDER_CREATED}\n"
        "  - wait: {logs: '${fired.eventId}'}\n",
    )
    assert result.failure is not None
    assert result.failure.startswith(
        "step 2 (wait): once its references were read, key 'logs': must be a whole number, "
        "got 'event_"
    )


async def test_deliveries_go_to_the_receiver_given(
    client: TestClient[Any, Any], tmp_path: Path, receiver: WebhookReceiver
) -> None:
    scenario = find_scenario("duplicate-delivery")
    target = Target(_server(client), receiver=f"{receiver.url}/mine")
    (result,) = await run_scenarios([scenario], target, client.session)
    assert result.passed, result.failure
    assert [request.path for request in receiver.requests] == ["/mine", "/mine"]


async def test_a_scenario_needing_the_capture_receiver_refuses_another(
    client: TestClient[Any, Any], receiver: WebhookReceiver, gql: GraphQL, tmp_path: Path
) -> None:
    before = await gql.state()
    with pytest.raises(ScenarioInvalid) as refused:
        await _run(
            client,
            tmp_path,
            "steps:\n  - webhook: {type: ORDER_CREATED}\n  - receiver: {status: 503}\n",
            receiver=receiver.url,
        )
    assert "step 2 (receiver): needs the scenario's own capture receiver" in str(refused.value)
    assert await gql.state() == before


@pytest.mark.parametrize(
    ("name", "flag"),
    [("stale-signature", "start it with --sign"), ("retry-storm", "--clock virtual")],
)
async def test_a_scenario_refuses_a_server_without_what_it_needs(
    client: TestClient[Any, Any], gql: GraphQL, name: str, flag: str
) -> None:
    before = await gql.state()
    with pytest.raises(ScenarioInvalid, match=flag):
        await run_scenarios(
            [find_scenario("duplicate-delivery"), find_scenario(name)],
            Target(_server(client)),
            client.session,
        )
    assert await gql.state() == before, "no scenario ran, not even the first"


async def test_an_unreachable_server_is_said_so() -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(ServerUnreachable, match=r"cannot reach http://127\.0\.0\.1:9: "):
            await run_scenarios(
                [find_scenario("duplicate-delivery")], Target("http://127.0.0.1:9"), session
            )


class TestBundled:
    """Every bundled scenario passes against a server like `mock-zonos --sign --clock virtual`."""

    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0, sign=True, clock="virtual", delivery_timeout=2.0)

    @pytest.mark.parametrize("name", bundled_names())
    async def test_it_passes_and_passes_again(
        self, client: TestClient[Any, Any], name: str
    ) -> None:
        target = Target(_server(client))
        twice = await run_scenarios([find_scenario(name)] * 2, target, client.session)
        assert [result.failure for result in twice] == [None, None]
