"""Performing one scenario's steps against a mock-zonos server, over HTTP.

What each kind of step does (a GraphQL request, a webhook, a trigger, faults, a
hold, a release, a clock advance, the capture receiver's answers, a wait, an
expectation), what expectations look at, and how every request reaches the server.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from ..testing.receiver import ReceiverTimeout, WebhookReceiver
from .checks import check
from .observed import log_item, request_item
from .references import resolve
from .steps import ScenarioInvalid, Step, check_types

DEFAULT_WAIT_SECONDS = 5.0
# Whatever a step asks of the server (a release, an advance) ends within this.
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=300, sock_connect=10)
POLL_SECONDS = 0.02
PAGE = 100

WEBHOOK_CREATE = """
mutation ScenarioWebhook($input: WebhookCreateInput!) {
  webhookCreate(input: $input) {
    id url type status mode organizationId query secret
    headers { key } createdAt createdBy updatedAt updatedBy
  }
}
"""
WEBHOOK_DELETE = "mutation ScenarioCleanup($id: ID!) { webhookDelete(id: $id) }"


class ServerUnreachable(Exception):
    """The server could not be reached, or does not answer like mock-zonos."""


class StepFailed(Exception):
    """A step that did not do what it should, in words."""


@dataclass
class ScenarioRun:
    """One scenario's run: its session, token, receiver, the results so far, what to undo."""

    session: aiohttp.ClientSession
    server: str
    token: str
    receiver: WebhookReceiver | None
    roots: dict[str, Any]
    faults: dict[str, Any] = field(default_factory=dict)
    created_webhooks: list[str] = field(default_factory=list)

    async def step(self, step: Step) -> Any:
        """Carry out the step, its references read from the results so far; its result, or
        StepFailed saying what went wrong."""
        args = resolve(step.args, self.roots)
        try:
            check_types("", "", step.kind, args)
        except ScenarioInvalid as exc:
            raise StepFailed(f"once its references were read, {exc}") from None
        handler = getattr(self, f"_{step.kind}")
        return await handler(args)

    async def clean_up(self) -> None:
        """Delete the webhooks the scenario's `webhook` steps created."""
        # The scenario's outcome is what matters; the server may be gone by now.
        with suppress(StepFailed, ServerUnreachable):
            for webhook_id in self.created_webhooks:
                await self._graphql({"query": WEBHOOK_DELETE, "variables": {"id": webhook_id}})

    # -- steps -------------------------------------------------------------------

    async def _graphql(self, args: dict[str, Any]) -> Any:
        payload = {"query": args["query"], "variables": args.get("variables") or {}}
        answer = await self._request("POST", "/graphql", payload, args.get("token"))
        errors = answer.get("errors") if isinstance(answer, dict) else None
        if errors and not args.get("errors"):
            messages = "; ".join(str(error.get("message")) for error in errors)
            raise StepFailed(f"the GraphQL request failed: {messages}")
        if args.get("errors") and not errors:
            raise StepFailed("errors were expected, and none came back")
        return answer

    async def _webhook(self, args: dict[str, Any]) -> Any:
        url = args.get("url", self.roots["receiver"]["url"])
        webhook_input: dict[str, Any] = {
            "url": url,
            "type": args["type"],
            "status": args.get("status", "ENABLED"),
        }
        if args.get("headers"):
            webhook_input["headers"] = [{"key": k, "value": v} for k, v in args["headers"].items()]
        answer = await self._graphql(
            {"query": WEBHOOK_CREATE, "variables": {"input": webhook_input}}
        )
        webhook = answer["data"]["webhookCreate"]
        self.created_webhooks.append(webhook["id"])
        return webhook

    async def _trigger(self, args: dict[str, Any]) -> Any:
        payload = {key: value for key, value in args.items() if key != "token"}
        faults = {**self.faults, **(payload.get("faults") or {})}
        if faults:
            payload["faults"] = faults
        return await self._request("POST", "/_mock/trigger", payload, args.get("token"))

    async def _faults(self, args: dict[str, Any]) -> Any:
        self.faults = dict(args)
        return self.faults

    async def _hold(self, args: dict[str, Any]) -> Any:
        return await self._request("POST", "/_mock/deliveries/hold", {})

    async def _release(self, args: dict[str, Any]) -> Any:
        return await self._request("POST", "/_mock/deliveries/release", args)

    async def _advance(self, args: dict[str, Any]) -> Any:
        return await self._request("POST", "/_mock/clock/advance", args)

    async def _receiver(self, args: dict[str, Any]) -> Any:
        assert self.receiver is not None, "checked before the run: a capture receiver exists"
        self.receiver.respond_with(
            status=args.get("status", 200), body=args.get("body", ""), delay=args.get("delay", 0)
        )
        return args

    async def _wait(self, args: dict[str, Any]) -> Any:
        timeout = float(args.get("timeout", DEFAULT_WAIT_SECONDS))
        if "requests" in args:
            assert self.receiver is not None, "checked before the run: a capture receiver exists"
            try:
                requests = await self.receiver.await_for(args["requests"], timeout)
            except ReceiverTimeout as exc:
                raise StepFailed(str(exc)) from None
            return [request_item(request) for request in requests]
        return await self._wait_for_logs(args["logs"], args.get("type"), timeout)

    async def _expect(self, args: dict[str, Any]) -> Any:
        for subject, checks in args.items():
            check(subject, await self._subject(subject, checks), checks)
        return args

    # -- what expectations look at -------------------------------------------------

    async def _subject(self, subject: str, checks: dict[str, Any]) -> Any:
        if subject == "value":
            return checks["of"]
        if subject == "requests":
            assert self.receiver is not None, "checked before the run: a capture receiver exists"
            return [request_item(request) for request in self.receiver.requests]
        return await self._logs(None)

    async def _wait_for_logs(self, count: int, type: str | None, timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        while len(summaries := await self._log_summaries(type)) < count:
            if time.monotonic() > deadline:
                seen = "\n".join(
                    f"  {log['type']} attempt {log['attempt']}: {log['responseStatus']}"
                    for log in summaries
                )
                raise StepFailed(
                    f"expected {count} log(s) within {timeout:g} s, got {len(summaries)}:\n"
                    f"{seen or '  (none)'}"
                )
            await asyncio.sleep(POLL_SECONDS)
        return await self._logs(type)

    async def _logs(self, type: str | None) -> list[dict[str, Any]]:
        """The credential's logs in full, oldest first."""
        summaries = await self._log_summaries(type)
        details = await asyncio.gather(
            *(self._request("GET", f"/_mock/logs/{log['id']}") for log in summaries)
        )
        secrets = await self._secrets()
        return [log_item(detail, secrets) for detail in details]

    async def _log_summaries(self, type: str | None) -> list[dict[str, Any]]:
        query = f"/_mock/logs?first={PAGE}" + (f"&type={type}" if type else "")
        rows = await self._pages(query, "logs")
        rows.reverse()
        return rows

    async def _secrets(self) -> dict[str, str]:
        webhooks = await self._pages(f"/_mock/webhooks?first={PAGE}", "webhooks")
        return {webhook["id"]: webhook["secret"] for webhook in webhooks}

    async def _pages(self, query: str, key: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        after = ""
        while True:
            page = await self._request("GET", query + after)
            rows += page[key]
            if not page["pageInfo"]["hasNextPage"]:
                return rows
            after = f"&after={page['pageInfo']['endCursor']}"

    # -- HTTP --------------------------------------------------------------------

    async def _request(
        self, method: str, path: str, payload: Any = None, token: str | None = None
    ) -> Any:
        headers = {"credentialToken": token or self.token}
        try:
            async with self.session.request(
                method, self.server + path, json=payload, headers=headers, timeout=REQUEST_TIMEOUT
            ) as response:
                answer = await response.json(content_type=None)
                status = response.status
        except aiohttp.ClientConnectionError as exc:
            raise ServerUnreachable(f"lost the server at {self.server}: {exc}") from None
        except (aiohttp.ClientError, ValueError) as exc:
            raise StepFailed(f"{method} {path}: no JSON answer ({exc})") from None
        except TimeoutError:
            raise StepFailed(
                f"{method} {path}: no answer within {REQUEST_TIMEOUT.total:g} s"
            ) from None
        if status >= 400 and not path.startswith("/graphql"):
            message = answer.get("error", answer) if isinstance(answer, dict) else answer
            raise StepFailed(f"{method} {path} was refused ({status}): {message}")
        return answer
