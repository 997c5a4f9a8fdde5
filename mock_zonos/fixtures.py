"""YAML fixtures → a validated `Seed` and the event samples.

A fixtures directory holds `credentials.yaml`, `webhooks.yaml`, an optional
`logs.yaml` and `events/<TYPE>.yaml`; every file is optional in a user's own
directory, and event types it lacks fall back to the bundled samples. Any
mistake stops loading with a `FixtureError` naming the file, the entry and the
key, so a typo never passes silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import graphql
import orjson
import yaml

from .errors import FixtureError, InvalidInput
from .events import EventSample, iter_strings, placeholder_problem
from .ids import new_id
from .models import Credential, Mode, Webhook, WebhookHeader, WebhookStatus, WebhookType, utc_now
from .resources import bundled_fixtures
from .store import LogSeed, Seed, new_secret, user_id_for
from .validation import check_headers, check_secret, check_url

KNOWN_FILES = ("credentials.yaml", "webhooks.yaml", "logs.yaml")
EVENTS_DIRECTORY = "events"

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML, except that timestamps stay strings: bodies must keep them verbatim."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class EventCatalog(Mapping[WebhookType, EventSample]):
    """The sample of every type: a user's own, checked when loaded, else the bundled one.

    Bundled samples are read on first use (a trigger, or a webhook of that
    type): they are checked by the test suite, and reading all 23 would cost
    start-up more than the rest of the fixtures together.
    """

    def __init__(self, bundled: Path) -> None:
        missing = [t.value for t in WebhookType if not (bundled / f"{t}.yaml").is_file()]
        if missing:
            raise FixtureError(str(bundled), "", f"has no sample for {', '.join(missing)}")
        self._bundled = bundled
        self._samples: dict[WebhookType, EventSample] = {}

    def __getitem__(self, type: WebhookType) -> EventSample:
        sample = self._samples.get(type)
        if sample is None:
            path = self._bundled / f"{type}.yaml"
            sample = self._samples[type] = _load_event(path, type, None)
        return sample

    def __iter__(self) -> Iterator[WebhookType]:
        return iter(WebhookType)

    def __len__(self) -> int:
        return len(WebhookType)

    def replace(self, own: Mapping[WebhookType, EventSample]) -> None:
        self._samples.update(own)

    def query(self, type: WebhookType) -> str:
        return self[type].query


class _Queries(Mapping[WebhookType, str]):
    """The query of each type, read from the catalog only when asked for."""

    def __init__(self, catalog: EventCatalog) -> None:
        self._catalog = catalog

    def __getitem__(self, type: WebhookType) -> str:
        return self._catalog.query(type)

    def __iter__(self) -> Iterator[WebhookType]:
        return iter(self._catalog)

    def __len__(self) -> int:
        return len(self._catalog)


@dataclass(frozen=True, slots=True)
class Fixtures:
    """What a fixtures directory holds, validated."""

    seed: Seed
    events: EventCatalog
    directory: Path

    @property
    def queries(self) -> Mapping[WebhookType, str]:
        return _Queries(self.events)


def load_fixtures(directory: Path | None = None) -> Fixtures:
    """Load and validate a fixtures directory; None means the bundled one.

    The bundled set is read once per process and shared: nothing in a
    Fixtures changes after loading, and in-process servers start faster.
    """
    if directory is None:
        return _bundled()
    return _load(Path(directory))


@cache
def _bundled() -> Fixtures:
    return _load(bundled_fixtures())


def _load(root: Path) -> Fixtures:
    bundled = bundled_fixtures()
    if not root.is_dir():
        raise FixtureError(str(root), "", "is not a directory")
    _refuse_unknown_files(root)
    events = EventCatalog(bundled / EVENTS_DIRECTORY)
    if root != bundled:
        events.replace(_load_events(root / EVENTS_DIRECTORY, events))
    credentials = _load_credentials(root / "credentials.yaml")
    webhooks = _load_webhooks(root / "webhooks.yaml", credentials, events)
    logs = _load_logs(root / "logs.yaml", webhooks)
    seed = Seed(credentials=tuple(credentials), webhooks=tuple(webhooks), logs=tuple(logs))
    return Fixtures(seed=seed, events=events, directory=root)


def _refuse_unknown_files(root: Path) -> None:
    for path in sorted(root.iterdir()):
        if path.suffix in (".yaml", ".yml") and path.name not in KNOWN_FILES:
            raise FixtureError(
                str(path),
                "",
                f"unknown fixture file; the known files are {', '.join(KNOWN_FILES)} "
                f"and {EVENTS_DIRECTORY}/<TYPE>.yaml",
            )


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise FixtureError(str(path), "", f"invalid YAML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FixtureError(str(path), "", f"cannot be read: {exc}") from None


def _read_entries(path: Path, key: str) -> list[tuple[str, dict[str, Any]]]:
    """The list under `key` in a file, each entry with the label errors use for it."""
    if not path.is_file():
        return []
    document = _read_yaml(path)
    if document is None:
        return []
    if not isinstance(document, dict) or set(document) != {key}:
        raise FixtureError(str(path), "", f"must be a mapping with the single key {key!r}")
    entries = document[key] or []
    if not isinstance(entries, list):
        raise FixtureError(str(path), key, "must be a list")
    labelled = []
    for index, entry in enumerate(entries):
        label = f"{key}[{index}]"
        if not isinstance(entry, dict):
            raise FixtureError(str(path), label, "must be a mapping")
        if isinstance(entry.get("id"), str):
            label += f" (id {entry['id']})"
        labelled.append((label, entry))
    return labelled


class _Entry:
    """Typed access to one fixture entry; every problem names the file, entry and key."""

    def __init__(self, path: Path, label: str, data: dict[str, Any], keys: tuple[str, ...]) -> None:
        self.path, self.label, self.data = path, label, data
        unknown = sorted(set(data) - set(keys))
        if unknown:
            self.fail(f'key "{unknown[0]}"', f"unknown key; the known keys are {', '.join(keys)}")

    def fail(self, where: str, problem: str) -> NoReturn:
        raise FixtureError(str(self.path), f"{self.label}, {where}", problem)

    def string(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value is None:
            self.fail(f'key "{key}"', "is required")
        if not isinstance(value, str) or not value:
            self.fail(f'key "{key}"', f"must be a non-empty string, got {value!r}")
        return value

    def unique_id(self, seen: set[str], kind: str) -> str:
        """The entry's id, or a fresh `<kind>_<uuid>`; an id given twice is an error."""
        value = self.string("id", new_id(kind))
        if value in seen:
            self.fail('key "id"', f"id {value} is given twice")
        seen.add(value)
        return value

    def optional_string(self, key: str) -> str | None:
        return self.string(key) if self.data.get(key) is not None else None

    def enum(self, key: str, enum: type[E], default: E | None = None) -> E:
        value = self.data.get(key, default)
        if value is None:
            self.fail(f'key "{key}"', "is required")
        try:
            return enum(value)
        except ValueError:
            valid = ", ".join(member.value for member in enum)
            self.fail(f'key "{key}"', f"unknown {enum.__name__} {value!r}; valid: {valid}")

    def integer(self, key: str, default: int | None = None) -> int | None:
        value = self.data.get(key, default)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            self.fail(f'key "{key}"', f"must be an integer, got {value!r}")
        return value

    def timestamp(self, key: str, default: datetime) -> datetime:
        value = self.data.get(key)
        if value is None:
            return default
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            self.fail(
                f'key "{key}"',
                f"must be an RFC 3339 time with a zone, like 2024-07-23T16:18:57.104Z, "
                f"got {value!r}",
            )
        return moment

    def checked(self, key: str, check: Callable[..., T], *args: Any) -> T:
        try:
            return check(*args)
        except InvalidInput as exc:
            self.fail(f'key "{key}"', exc.message)


def _load_credentials(path: Path) -> list[Credential]:
    credentials: list[Credential] = []
    tokens: set[str] = set()
    for label, data in _read_entries(path, "credentials"):
        entry = _Entry(path, label, data, ("token", "organizationId", "mode", "userId"))
        token = entry.string("token")
        if token in tokens:
            entry.fail('key "token"', f"token {token} is given twice")
        tokens.add(token)
        default_mode = Mode.LIVE if token.startswith("credential_live_") else Mode.TEST
        credentials.append(
            Credential(
                token=token,
                organization_id=entry.string("organizationId"),
                mode=entry.enum("mode", Mode, default_mode),
                user_id=entry.string("userId", user_id_for(token)),
            )
        )
    return credentials


def _load_webhooks(
    path: Path, credentials: list[Credential], events: EventCatalog
) -> list[Webhook]:
    users = {(c.organization_id, c.mode): c.user_id for c in reversed(credentials)}
    entries = _read_entries(path, "webhooks")
    # Fixture webhooks without a createdAt keep their file order, oldest first.
    start = utc_now() - timedelta(milliseconds=len(entries))
    webhooks: list[Webhook] = []
    ids: set[str] = set()
    for index, (label, data) in enumerate(entries):
        entry = _Entry(
            path,
            label,
            data,
            (
                "id",
                "organizationId",
                "mode",
                "type",
                "status",
                "url",
                "headers",
                "secret",
                "createdAt",
                "createdBy",
            ),
        )
        webhook_id = entry.unique_id(ids, "webhook")
        organization_id = entry.string("organizationId")
        mode = entry.enum("mode", Mode)
        user = users.get((organization_id, mode))
        if user is None:
            entry.fail(
                'key "organizationId"',
                f"no credential in credentials.yaml belongs to {organization_id} in {mode} mode",
            )
        created_at = entry.timestamp("createdAt", start + timedelta(milliseconds=index))
        created_by = entry.string("createdBy", user)
        type = entry.enum("type", WebhookType)
        url = entry.string("url")
        webhooks.append(
            Webhook(
                id=webhook_id,
                organization_id=organization_id,
                mode=mode,
                type=type,
                status=entry.enum("status", WebhookStatus),
                url=entry.checked("url", check_url, url, "url"),
                headers=entry.checked("headers", _headers, entry.data.get("headers")),
                query=events.query(type),
                secret=entry.checked(
                    "secret", check_secret, entry.string("secret", new_secret()), "secret"
                ),
                created_at=created_at,
                created_by=created_by,
                updated_at=created_at,
                updated_by=created_by,
            )
        )
    return webhooks


def _headers(raw: Any) -> tuple[WebhookHeader, ...]:
    raw = raw or []
    if not isinstance(raw, list) or not all(
        isinstance(item, dict) and set(item) == {"key", "value"} for item in raw
    ):
        raise InvalidInput("must be a list of {key, value} mappings")
    return check_headers(
        (WebhookHeader(str(item["key"]), str(item["value"])) for item in raw), "headers"
    )


def _load_logs(path: Path, webhooks: list[Webhook]) -> list[LogSeed]:
    known_webhooks = {webhook.id for webhook in webhooks}
    logs: list[LogSeed] = []
    ids: set[str] = set()
    for label, data in _read_entries(path, "logs"):
        entry = _Entry(
            path,
            label,
            data,
            (
                "id",
                "webhookId",
                "eventId",
                "attempt",
                "request",
                "response",
                "responseStatus",
                "createdAt",
            ),
        )
        log_id = entry.unique_id(ids, "webhook_log")
        webhook_id = entry.string("webhookId")
        if webhook_id not in known_webhooks:
            entry.fail('key "webhookId"', f"no webhook in webhooks.yaml has the id {webhook_id}")
        request = data.get("request")
        if isinstance(request, dict):
            body = orjson.dumps(request)
        elif isinstance(request, str):
            body = request.encode()
        else:
            entry.fail('key "request"', "must be the body as a string or a mapping")
        status = entry.integer("responseStatus")
        if status is not None and not 100 <= status <= 599:
            entry.fail('key "responseStatus"', f"must be an HTTP status, got {status}")
        logs.append(
            LogSeed(
                id=log_id,
                webhook_id=webhook_id,
                event_id=entry.string("eventId", new_id("event")),
                body=body,
                response=entry.optional_string("response"),
                response_status=status,
                created_at=entry.timestamp("createdAt", utc_now()),
                attempt=entry.integer("attempt", 1) or 1,
            )
        )
    return logs


def _load_events(directory: Path, bundled: EventCatalog) -> dict[WebhookType, EventSample]:
    """A user's own samples, each checked now; a sample without a query keeps the bundled one."""
    if not directory.is_dir():
        return {}
    samples: dict[WebhookType, EventSample] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix not in (".yaml", ".yml"):
            continue
        try:
            type = WebhookType(path.stem)
        except ValueError:
            valid = ", ".join(member.value for member in WebhookType)
            raise FixtureError(
                str(path), "", f"is not named after a WebhookType; valid names are {valid}"
            ) from None
        samples[type] = _load_event(path, type, bundled)
    return samples


def _load_event(path: Path, type: WebhookType, bundled: EventCatalog | None) -> EventSample:
    """A sample file: `body`, and `query` unless a bundled one can stand in."""
    document = _read_yaml(path)
    allowed = {"query", "body"}
    if not isinstance(document, dict) or "body" not in document or set(document) - allowed:
        raise FixtureError(str(path), "", "must be a mapping with the keys body and query")
    body = document["body"]
    query = document.get("query")
    if query is None and bundled is not None:
        query = bundled.query(type)
    if not isinstance(query, str) or not query.strip():
        raise FixtureError(str(path), "query", "must be the GraphQL query text")
    try:
        graphql.parse(query)
    except graphql.GraphQLError as exc:
        raise FixtureError(str(path), "query", f"is not valid GraphQL: {exc.message}") from None
    if not isinstance(body, dict):
        raise FixtureError(str(path), "body", "must be a mapping: the JSON body sent")
    for where, text in iter_strings(body, "body"):
        problem = placeholder_problem(text)
        if problem is not None:
            raise FixtureError(str(path), where, problem)
    try:
        return EventSample.build(type, query, body)
    except TypeError as exc:
        raise FixtureError(str(path), "body", f"cannot be sent as JSON: {exc}") from None
