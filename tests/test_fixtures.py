"""Fixtures: the bundled set, a user's own directory, and every way a file can be wrong."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from mock_zonos.errors import FixtureError
from mock_zonos.fixtures import load_fixtures
from mock_zonos.models import WebhookStatus, WebhookType
from mock_zonos.resources import bundled_fixtures

from .helpers import run_installed

CREDENTIALS = """credentials:
  - token: credential_test_mine
    organizationId: organization_mine
    mode: TEST
"""

WEBHOOK = """webhooks:
  - id: webhook_one
    organizationId: organization_mine
    mode: TEST
    type: ORDER_CREATED
    status: ENABLED
    url: http://127.0.0.1:9999/hook
"""


def _write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return directory


def test_the_bundled_fixtures_load() -> None:
    fixtures = load_fixtures()
    assert set(fixtures.events) == set(WebhookType)
    assert fixtures.seed.credentials
    assert fixtures.directory == bundled_fixtures()


def test_bundled_enabled_webhooks_point_only_at_loopback() -> None:
    for webhook in load_fixtures().seed.webhooks:
        if webhook.status is WebhookStatus.ENABLED:
            assert urlsplit(webhook.url).hostname in ("127.0.0.1", "localhost", "::1"), webhook


def test_a_user_directory_replaces_the_bundled_state(tmp_path: Path) -> None:
    fixtures = load_fixtures(
        _write(tmp_path, {"credentials.yaml": CREDENTIALS, "webhooks.yaml": WEBHOOK})
    )
    assert [c.token for c in fixtures.seed.credentials] == ["credential_test_mine"]
    assert [w.id for w in fixtures.seed.webhooks] == ["webhook_one"]
    assert fixtures.seed.webhooks[0].secret.startswith("whsec_")


def test_a_user_event_sample_overrides_one_type_and_the_rest_fall_back(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {"events/ORDER_CREATED.yaml": "body:\n  data:\n    order:\n      id: ${id:order}\n"},
    )
    fixtures = load_fixtures(tmp_path)
    bundled = load_fixtures()
    assert fixtures.events[WebhookType.ORDER_CREATED].body == {
        "data": {"order": {"id": "${id:order}"}}
    }
    assert (
        fixtures.events[WebhookType.ORDER_CREATED].query
        == bundled.events[WebhookType.ORDER_CREATED].query
    )
    assert (
        fixtures.events[WebhookType.SHIPMENT_CREATED]
        == bundled.events[WebhookType.SHIPMENT_CREATED]
    )


@pytest.mark.parametrize(
    ("files", "file", "where", "problem"),
    [
        ({"webhooks.yaml": "webhooks: [unclosed"}, "webhooks.yaml", "", "invalid YAML"),
        (
            {
                "credentials.yaml": CREDENTIALS,
                "webhooks.yaml": WEBHOOK.replace("ORDER_CREATED", "ORDER_CREATE"),
            },
            "webhooks.yaml",
            'webhooks[0] (id webhook_one), key "type"',
            "unknown WebhookType 'ORDER_CREATE'",
        ),
        (
            {
                "credentials.yaml": CREDENTIALS,
                "webhooks.yaml": WEBHOOK.replace("http://127.0.0.1:9999/hook", "ftp://nowhere"),
            },
            "webhooks.yaml",
            'key "url"',
            "scheme must be http or https",
        ),
        (
            {"credentials.yaml": CREDENTIALS, "webhooks.yaml": WEBHOOK + WEBHOOK.split("\n", 1)[1]},
            "webhooks.yaml",
            'webhooks[1] (id webhook_one), key "id"',
            "given twice",
        ),
        (
            {"credentials.yaml": CREDENTIALS + CREDENTIALS.split("\n", 1)[1]},
            "credentials.yaml",
            'credentials[1], key "token"',
            "given twice",
        ),
        (
            {"credentials.yaml": CREDENTIALS.replace("organizationId", "organisationId")},
            "credentials.yaml",
            'key "organisationId"',
            "unknown key",
        ),
        (
            {
                "credentials.yaml": CREDENTIALS,
                "webhooks.yaml": WEBHOOK + "    secret: whsec_short\n",
            },
            "webhooks.yaml",
            'key "secret"',
            "24 or more random bytes",
        ),
        (
            {"webhook.yaml": WEBHOOK},
            "webhook.yaml",
            "",
            "known files are credentials.yaml, webhooks.yaml, logs.yaml",
        ),
        ({"webhooks.yaml": WEBHOOK}, "webhooks.yaml", 'key "organizationId"', "no credential"),
        (
            {
                "credentials.yaml": CREDENTIALS,
                "webhooks.yaml": WEBHOOK,
                "logs.yaml": "logs:\n  - webhookId: webhook_two\n    request: '{}'\n",
            },
            "logs.yaml",
            'logs[0], key "webhookId"',
            "no webhook in webhooks.yaml has the id webhook_two",
        ),
        (
            {
                "credentials.yaml": CREDENTIALS,
                "webhooks.yaml": WEBHOOK,
                "logs.yaml": "logs:\n  - webhookId: webhook_one\n    request: '{}'\n"
                "    responseStatus: 999\n",
            },
            "logs.yaml",
            'key "responseStatus"',
            "must be an HTTP status",
        ),
        ({"webhooks.yaml": "- just a list"}, "webhooks.yaml", "", "single key 'webhooks'"),
        (
            {"events/ORDER_CREATED.yaml": "body:\n  data:\n    order:\n      id: ${id:Order}\n"},
            "events/ORDER_CREATED.yaml",
            "body.data.order.id",
            "unknown placeholder ${id:Order}",
        ),
        (
            {"events/ORDER_CREATED.yaml": "body:\n  data:\n    createdAt: ${now\n"},
            "events/ORDER_CREATED.yaml",
            "body.data.createdAt",
            "unclosed placeholder",
        ),
        (
            {"events/ORDER_CREATE.yaml": "body: {}\n"},
            "events/ORDER_CREATE.yaml",
            "",
            "not named after a WebhookType",
        ),
        (
            {"events/ORDER_CREATED.yaml": "query: 'query {'\nbody: {}\n"},
            "events/ORDER_CREATED.yaml",
            "query",
            "is not valid GraphQL",
        ),
        (
            {"events/ORDER_CREATED.yaml": "body: [1]\n"},
            "events/ORDER_CREATED.yaml",
            "body",
            "must be a mapping",
        ),
        (
            {"events/ORDER_CREATED.yaml": "bodee: {}\n"},
            "events/ORDER_CREATED.yaml",
            "",
            "keys body and query",
        ),
    ],
)
def test_a_bad_fixture_names_file_entry_and_problem(
    tmp_path: Path, files: dict[str, str], file: str, where: str, problem: str
) -> None:
    _write(tmp_path, files)
    with pytest.raises(FixtureError) as caught:
        load_fixtures(tmp_path)
    assert caught.value.path == str(tmp_path / file)
    assert where in caught.value.where
    assert problem in caught.value.problem
    assert str(tmp_path / file) in str(caught.value)


def test_a_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FixtureError, match="is not a directory"):
        load_fixtures(tmp_path / "nope")


def test_timestamps_in_yaml_stay_strings_in_event_bodies(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {"events/ORDER_CREATED.yaml": "body:\n  data:\n    at: 2024-07-23T16:18:57.104Z\n"},
    )
    sample = load_fixtures(tmp_path).events[WebhookType.ORDER_CREATED]
    assert sample.body == {"data": {"at": "2024-07-23T16:18:57.104Z"}}


def test_the_wheel_carries_the_schema_and_fixtures(installed_wheel: Path) -> None:
    bundled = installed_wheel / "mock_zonos" / "_bundled"
    assert (bundled / "schema.graphql").is_file()
    assert (bundled / "fixtures" / "credentials.yaml").is_file()
    assert all((bundled / "fixtures" / "events" / f"{t}.yaml").is_file() for t in WebhookType)
    found = run_installed(
        installed_wheel,
        "from mock_zonos.fixtures import load_fixtures; print(load_fixtures().directory)",
    )
    assert found.strip() == str(bundled / "fixtures")


def test_every_bundled_sample_is_valid() -> None:
    """Bundled samples are read on first use, so here is where a broken one shows."""
    catalog = load_fixtures().events
    for type in WebhookType:
        sample = catalog[type]
        assert sample.type is type
        assert sample.render("2024-07-23T16:18:57.104Z")
