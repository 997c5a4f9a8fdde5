"""One tenant's world: its orders and shipments, their numbering, their lists.

Lists are newest first. Unfiltered pages come from sorted indexes, at
O(log n + page); a filtered page scans the tenant's records, which the cap
(`max_records` orders, and as many shipments) keeps bounded. Past the cap the
oldest go first, an order with its shipments.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from .errors import InvalidInput
from .orders import Owner, tracking_numbers_of
from .pagination import CursorCodec, OrderedIndex, Page, PageRequest
from .samples import JSONObject

ORDER_CURSORS = CursorCodec("Order")
SHIPMENT_CURSORS = CursorCodec("Shipment")
_TRAILING_DIGITS = re.compile(r"(\d*)$")


@dataclass(frozen=True, slots=True)
class Numbering:
    """Where new orders' numbers start: the template's zonosOrderId and accountOrderNumber.

    Each new order takes the next free number of both, so `TG-100001` is
    followed by `TG-100002`; a template number without digits gets `-1`, `-2`, ….
    """

    zonos_order_id: str = "1000000001"
    account_order_number: str = "A-1"

    def split(self) -> tuple[int, str, int]:
        zonos = int(self.zonos_order_id) if self.zonos_order_id.isdigit() else 1
        digits = _TRAILING_DIGITS.search(self.account_order_number)
        assert digits is not None
        if digits.group(1):
            prefix = self.account_order_number[: digits.start()]
            return zonos, prefix, int(digits.group(1))
        return zonos, f"{self.account_order_number}-", 1


@dataclass(frozen=True, slots=True)
class OrderFilter:
    account_order_number: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    status: str | None = None
    # Mock orders belong to no store: a storeId filter matches none.
    store_id: str | None = None


@dataclass(frozen=True, slots=True)
class ShipmentFilter:
    order_id: str | None = None
    service_level_id: str | None = None
    shipped_after: datetime | None = None
    shipped_before: datetime | None = None
    shipment_type: str | None = None
    tracking_number: str | None = None


class World:
    """The orders and shipments of one organization in one mode."""

    def __init__(
        self, owner: Owner, numbering: Numbering, max_records: int, seqs: Iterator[int]
    ) -> None:
        self.owner = owner
        self.max_records = max_records
        self._seqs = seqs
        self.orders: dict[str, JSONObject] = {}
        self.shipments: dict[str, JSONObject] = {}
        self._order_list: OrderedIndex[JSONObject] = OrderedIndex()
        self._shipment_list: OrderedIndex[JSONObject] = OrderedIndex()
        self._order_seqs: dict[str, int] = {}
        self._shipment_seqs: dict[str, int] = {}
        self._account_numbers: dict[str, str] = {}
        self._zonos_ids: set[str] = set()
        self._next_zonos, self._account_prefix, self._next_account = numbering.split()

    # -- numbers --------------------------------------------------------------

    def next_numbers(self) -> tuple[str, str]:
        """A fresh zonosOrderId and accountOrderNumber, neither used in this world."""
        while (zonos := str(self._next_zonos)) in self._zonos_ids:
            self._next_zonos += 1
        self._next_zonos += 1
        while True:
            account = f"{self._account_prefix}{self._next_account}"
            self._next_account += 1
            if account not in self._account_numbers:
                return zonos, account

    def check_account_number_free(self, number: str, order_id: str) -> None:
        holder = self._account_numbers.get(number)
        if holder is not None and holder != order_id:
            raise InvalidInput(
                f'accountOrderNumber "{number}" is already used by order {holder} '
                "in this organization."
            )

    def renumber(self, order: JSONObject, number: str | None) -> None:
        """Give an order a new accountOrderNumber; refused when another order has it."""
        if number is not None:
            self.check_account_number_free(number, order["id"])
        old = order.get("accountOrderNumber")
        if old is not None and self._account_numbers.get(old) == order["id"]:
            del self._account_numbers[old]
        order["accountOrderNumber"] = number
        if number is not None:
            self._account_numbers[number] = order["id"]

    @property
    def order_index(self) -> OrderedIndex[JSONObject]:
        return self._order_list

    # -- orders ---------------------------------------------------------------

    def add_order(self, order: JSONObject) -> None:
        number = order.get("accountOrderNumber")
        if number is not None:
            self.check_account_number_free(number, order["id"])
            self._account_numbers[number] = order["id"]
        if order.get("zonosOrderId") is not None:
            self._zonos_ids.add(order["zonosOrderId"])
        seq = next(self._seqs)
        self.orders[order["id"]] = order
        self._order_seqs[order["id"]] = seq
        self._order_list.add(seq, order)
        while len(self._order_list) > self.max_records:
            oldest = self._order_list.oldest()
            assert oldest is not None
            self._remove_order(oldest)

    def _remove_order(self, order: JSONObject) -> None:
        for shipment in list(order["shipments"]):
            self._remove_shipment(shipment)
        del self.orders[order["id"]]
        self._order_list.discard(self._order_seqs.pop(order["id"]))
        number = order.get("accountOrderNumber")
        if number is not None and self._account_numbers.get(number) == order["id"]:
            del self._account_numbers[number]
        self._zonos_ids.discard(order.get("zonosOrderId"))

    def orders_page(self, request: PageRequest, filter: OrderFilter) -> Page[JSONObject]:
        if filter == OrderFilter():
            return self._order_list.page(request, ORDER_CURSORS)
        if filter.account_order_number is not None:
            order_id = self._account_numbers.get(filter.account_order_number)
            candidates = [self.orders[order_id]] if order_id else []
        else:
            candidates = list(self._order_list)
        matches = _order_matcher(filter)
        return self._subset(candidates, matches, self._order_seqs).page(request, ORDER_CURSORS)

    # -- shipments ------------------------------------------------------------

    def add_shipment(self, shipment: JSONObject) -> None:
        seq = next(self._seqs)
        shipment["order"]["shipments"].append(shipment)
        self.shipments[shipment["id"]] = shipment
        self._shipment_seqs[shipment["id"]] = seq
        self._shipment_list.add(seq, shipment)
        while len(self._shipment_list) > self.max_records:
            oldest = self._shipment_list.oldest()
            assert oldest is not None
            self._remove_shipment(oldest)

    def _remove_shipment(self, shipment: JSONObject) -> None:
        shipment["order"]["shipments"].remove(shipment)
        del self.shipments[shipment["id"]]
        self._shipment_list.discard(self._shipment_seqs.pop(shipment["id"]))

    def shipments_page(
        self, request: PageRequest, filter: ShipmentFilter
    ) -> tuple[Page[JSONObject], int]:
        """A page of shipments, newest first, and how many match in all."""
        if filter == ShipmentFilter():
            index = self._shipment_list
        else:
            matches = _shipment_matcher(filter)
            index = self._subset(list(self._shipment_list), matches, self._shipment_seqs)
        return index.page(request, SHIPMENT_CURSORS), len(index)

    @staticmethod
    def _subset(
        records: list[JSONObject], matches: Callable[[JSONObject], bool], seqs: dict[str, int]
    ) -> OrderedIndex[JSONObject]:
        subset: OrderedIndex[JSONObject] = OrderedIndex()
        for record in records:
            if matches(record):
                subset.add(seqs[record["id"]], record)
        return subset


def _within(moment: str | None, after: datetime | None, before: datetime | None) -> bool:
    if after is None and before is None:
        return True
    if moment is None:
        return False
    when = datetime.fromisoformat(moment)
    return (after is None or when >= after) and (before is None or when <= before)


def _order_matcher(filter: OrderFilter) -> Callable[[JSONObject], bool]:
    def matches(order: JSONObject) -> bool:
        return (
            filter.store_id is None
            and (filter.status is None or order["status"] == filter.status)
            and _within(order["createdAt"], filter.created_after, filter.created_before)
        )

    return matches


def _shipment_matcher(filter: ShipmentFilter) -> Callable[[JSONObject], bool]:
    def matches(shipment: JSONObject) -> bool:
        level = shipment["serviceLevel"]
        return (
            (filter.order_id is None or shipment["order"]["id"] == filter.order_id)
            and (filter.service_level_id is None or level.get("id") == filter.service_level_id)
            and (filter.shipment_type is None or shipment["shipmentType"] == filter.shipment_type)
            and (
                filter.tracking_number is None
                or filter.tracking_number in tracking_numbers_of(shipment)
            )
            and _within(shipment.get("shipmentDate"), filter.shipped_after, filter.shipped_before)
        )

    return matches
