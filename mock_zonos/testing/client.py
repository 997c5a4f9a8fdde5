"""An async client for a running mock-zonos: GraphQL calls and the /_mock/ control plane.

`MockZonos` drives its own server with it; it works as well against a
`mock-zonos` started from the command line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

CREATE_WEBHOOK = """
mutation CreateWebhook($input: WebhookCreateInput!) {
  webhookCreate(input: $input) {
    id url type status mode organizationId query secret
    headers { key } createdAt createdBy updatedAt updatedBy
  }
}
"""


# A webhook's custom headers: {"X-Key": "value"}, or the API's own list of {key, value}.
Headers = Mapping[str, str] | Sequence[Mapping[str, str]]


def header_inputs(headers: Headers) -> list[dict[str, str]]:
    """The WebhookHeaderInput list for either form; a TypeError says what else was given."""
    items: list[dict[str, Any]] | None = None
    if isinstance(headers, Mapping):
        items = [{"key": key, "value": value} for key, value in headers.items()]
    elif not isinstance(headers, str | bytes) and all(
        isinstance(item, Mapping) and set(item) == {"key", "value"} for item in headers
    ):
        items = [{"key": item["key"], "value": item["value"]} for item in headers]
    if items is None or not all(isinstance(v, str) for item in items for v in item.values()):
        raise TypeError(
            "headers must be a mapping like {'X-Shop-Secret': 's3cr3t'} or a list like "
            f"[{{'key': 'X-Shop-Secret', 'value': 's3cr3t'}}], of strings; got {headers!r}"
        )
    return items


# What order() and orders() return of each order.
ORDER_FIELDS = """
fragment OrderFields on Order {
  id zonosOrderId accountOrderNumber status mode organization currencyCode
  createdAt createdBy updatedAt updatedBy trackingNumbers
  amountSubtotals { discounts duties fees items shipping taxes variance }
  items {
    id name productId sku hsCode amount currencyCode quantity countryOfOrigin description
    imageUrl measurements { type unitOfMeasure value } attributes { key value }
  }
  parties {
    id type
    location { line1 line2 locality administrativeArea postalCode countryCode }
    person { firstName lastName email phone companyName }
  }
  root { id exchangeRates { sourceCurrencyCode targetCurrencyCode rate type } }
  references { key value }
  metadata { key value }
  statusTransitions { status createdAt createdBy note }
  shipments {
    id status shipmentType createdAt
    serviceLevel { code name }
    tracking { number url }
    trackingDetails { number url }
    statusTransitions { status changedAt note }
  }
}
"""
ORDER_QUERY = (
    "query MockZonosOrder($orderId: String!) { order(orderId: $orderId) { ...OrderFields } }"
    + ORDER_FIELDS
)
ORDERS_QUERY = (
    """query MockZonosOrders($after: String, $filter: OrdersFilter) {
  orders(first: 100, after: $after, filter: $filter) {
    edges { node { ...OrderFields } }
    pageInfo { hasNextPage endCursor }
  }
}"""
    + ORDER_FIELDS
)


class ZonosGraphQLError(Exception):
    """A GraphQL response carried errors; `errors` holds them in Zonos' format."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        lines = []
        for error in errors:
            extensions = error.get("extensions", {})
            where = f" at {'.'.join(map(str, error['path']))}" if error.get("path") else ""
            lines.append(f"{extensions.get('errorType', 'ERROR')}{where}: {error.get('message')}")
        super().__init__("the GraphQL request failed:\n  " + "\n  ".join(lines))


class ControlRequestError(Exception):
    """A /_mock/ endpoint refused a request."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status, self.message = status, message


class GraphQLResponse(dict[str, Any]):
    """The JSON response of a GraphQL request; `.data` raises when errors came back."""

    @property
    def errors(self) -> list[dict[str, Any]]:
        errors: list[dict[str, Any]] = self.get("errors") or []
        return errors

    @property
    def data(self) -> dict[str, Any]:
        if self.errors or self.get("data") is None:
            raise ZonosGraphQLError(self.errors)
        data: dict[str, Any] = self["data"]
        return data


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """One webhook's share of a trigger: its first attempt, when the trigger waited.

    `held` is true while the delivery waits for a release; `delayed_until`
    says when a delay fault lets it go (an ISO 8601 time).
    """

    event_id: str
    webhook_id: str
    url: str
    log_id: str | None = None
    response_status: int | None = None
    error: str | None = None
    attempt: int | None = None
    latency_ms: float | None = None
    held: bool = False
    delayed_until: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.response_status is not None and 200 <= self.response_status < 300


@dataclass(frozen=True, slots=True)
class TriggerResult:
    """What a trigger did: the event (or events), the order and shipment it made or acted on
    (for ORDER_*, COLLECT_* and SHIPMENT_* types), and one result per delivery."""

    event_id: str
    type: str
    deliveries: list[DeliveryResult]
    event_ids: list[str]
    order_id: str | None = None
    order_ids: list[str] = field(default_factory=list)
    shipment_id: str | None = None
    shipment_ids: list[str] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        """Whether every first attempt got a 2xx."""
        return all(delivery.succeeded for delivery in self.deliveries)

    @classmethod
    def from_json(cls, answer: dict[str, Any]) -> TriggerResult:
        return cls(
            event_id=answer["eventId"],
            type=answer["type"],
            event_ids=answer.get("eventIds", [answer["eventId"]]),
            order_id=answer.get("orderId"),
            order_ids=answer.get("orderIds", [answer["orderId"]] if "orderId" in answer else []),
            shipment_id=answer.get("shipmentId"),
            shipment_ids=answer.get(
                "shipmentIds", [answer["shipmentId"]] if "shipmentId" in answer else []
            ),
            deliveries=[
                DeliveryResult(
                    event_id=d["eventId"],
                    webhook_id=d["webhookId"],
                    url=d["url"],
                    log_id=d.get("logId"),
                    response_status=d.get("responseStatus"),
                    error=d.get("error"),
                    attempt=d.get("attempt"),
                    latency_ms=d.get("latencyMs"),
                    held=d.get("held", False),
                    delayed_until=d.get("delayedUntil"),
                )
                for d in answer["deliveries"]
            ],
        )


class MockZonosClient:
    """Talks to one mock-zonos at `url`, as `token` unless a call names another."""

    def __init__(self, url: str, token: str | None, session: aiohttp.ClientSession) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self._session = session

    def _headers(self, token: str | None) -> dict[str, str]:
        token = token or self.token
        return {"credentialToken": token} if token else {}

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        token: str | None = None,
    ) -> GraphQLResponse:
        payload: dict[str, Any] = {"query": query}
        if variables is not None:
            payload["variables"] = dict(variables)
        async with self._session.post(
            f"{self.url}/graphql", json=payload, headers=self._headers(token)
        ) as response:
            return GraphQLResponse(await response.json())

    async def create_webhook(
        self,
        url: str,
        type: str,
        status: str = "ENABLED",
        headers: Headers | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        webhook_input: dict[str, Any] = {"url": url, "type": str(type), "status": str(status)}
        if headers is not None:
            webhook_input["headers"] = header_inputs(headers)
        response = await self.execute(CREATE_WEBHOOK, {"input": webhook_input}, token)
        webhook: dict[str, Any] = response.data["webhookCreate"]
        return webhook

    async def trigger(
        self,
        type: str,
        *,
        overrides: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        webhook_id: str | None = None,
        wait: bool = True,
        count: int = 1,
        token: str | None = None,
        order_id: str | None = None,
        shipment_id: str | None = None,
        status: str | None = None,
        faults: Mapping[str, Any] | None = None,
    ) -> TriggerResult:
        payload: dict[str, Any] = {"type": str(type), "wait": wait, "count": count}
        optional = {
            "overrides": dict(overrides) if overrides is not None else None,
            "body": dict(body) if body is not None else None,
            "webhookId": webhook_id,
            "orderId": order_id,
            "shipmentId": shipment_id,
            "status": str(status) if status is not None else None,
            "faults": dict(faults) if faults is not None else None,
        }
        payload.update({key: value for key, value in optional.items() if value is not None})
        return TriggerResult.from_json(await self._post_trigger(payload, token))

    async def _post_trigger(self, payload: dict[str, Any], token: str | None) -> dict[str, Any]:
        """POST /_mock/trigger's JSON answer to `payload`."""
        return await self._control("POST", "/_mock/trigger", payload, token)

    async def order(self, order_id: str, token: str | None = None) -> dict[str, Any] | None:
        """The order as `order(orderId:)` answers it (ORDER_FIELDS), or None."""
        response = await self.execute(ORDER_QUERY, {"orderId": order_id}, token)
        found: dict[str, Any] | None = response.data["order"]
        return found

    async def orders(
        self, status: str | None = None, token: str | None = None
    ) -> list[dict[str, Any]]:
        """Every order of the caller, newest first, paged through `orders`."""
        found: list[dict[str, Any]] = []
        after = None
        while True:
            variables = {"after": after, "filter": {"status": status} if status else None}
            page = (await self.execute(ORDERS_QUERY, variables, token)).data["orders"]
            found += [edge["node"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                return found
            after = page["pageInfo"]["endCursor"]

    async def state(self) -> dict[str, Any]:
        return await self._control("GET", "/_mock/state")

    async def server_settings(self) -> dict[str, Any]:
        return await self._control("GET", "/_mock/settings")

    async def hold_deliveries(self, token: str | None = None) -> int:
        answer = await self._control("POST", "/_mock/deliveries/hold", {}, token)
        held: int = answer["held"]
        return held

    async def held_deliveries(self, token: str | None = None) -> dict[str, Any]:
        return await self._control("GET", "/_mock/deliveries/held", None, token)

    async def release_deliveries(
        self, order: str = "fifo", seed: int | None = None, token: str | None = None
    ) -> list[str]:
        payload: dict[str, Any] = {"order": order}
        if seed is not None:
            payload["seed"] = seed
        answer = await self._control("POST", "/_mock/deliveries/release", payload, token)
        released: list[str] = answer["released"]
        return released

    async def clock(self) -> dict[str, Any]:
        return await self._control("GET", "/_mock/clock")

    async def advance_clock(
        self, seconds: float | None = None, to: str | None = None
    ) -> dict[str, Any]:
        """Move a virtual clock by `seconds`, or `to` an ISO 8601 time; with neither,
        through every timer there is."""
        payload: dict[str, Any] = {"all": True}
        if seconds is not None:
            payload = {"seconds": seconds}
        elif to is not None:
            payload = {"to": to}
        return await self._control("POST", "/_mock/clock/advance", payload)

    async def _control(
        self,
        method: str,
        path: str,
        payload: dict[str, Any] | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        async with self._session.request(
            method, f"{self.url}{path}", json=payload, headers=self._headers(token)
        ) as response:
            answer: dict[str, Any] = await response.json()
            if response.status >= 400:
                raise ControlRequestError(response.status, answer.get("error", str(answer)))
            return answer
