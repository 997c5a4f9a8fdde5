"""A tenant's world: numbering, uniqueness and the cap, without HTTP."""

from __future__ import annotations

from itertools import count

import pytest

from mock_zonos.domain.errors import InvalidInput
from mock_zonos.domain.models import Mode
from mock_zonos.domain.orders import (
    MINIMAL_ORDER,
    OrderStatus,
    Owner,
    Stamp,
    new_order,
    new_shipment,
)
from mock_zonos.domain.pagination import PageRequest
from mock_zonos.domain.world import Numbering, OrderFilter, World

OWNER = Owner("organization_world", Mode.TEST)
STAMP = Stamp("2026-01-01T00:00:00.000Z", "user_world")


def _world(max_records: int = 100, numbering: Numbering | None = None) -> World:
    return World(OWNER, numbering or Numbering("100", "TG-7"), max_records, count(1))


def _order(world: World, numbers: tuple[str, str] | None = None) -> dict[str, object]:
    zonos, account = numbers or world.next_numbers()
    content = {"amountSubtotals": dict(MINIMAL_ORDER["amountSubtotals"])}
    order = new_order(
        content,
        OWNER,
        STAMP,
        zonos_order_id=zonos,
        account_order_number=account,
        status=OrderStatus.OPEN,
    )
    world.add_order(order)
    return order


@pytest.mark.parametrize(
    ("numbering", "expected"),
    [(Numbering("100", "TG-7"), (100, "TG-", 7)), (Numbering("5", "ABC"), (5, "ABC-", 1))],
)
def test_numbering_starts_at_the_templates_numbers(
    numbering: Numbering, expected: tuple[int, str, int]
) -> None:
    assert numbering.split() == expected


def test_new_numbers_skip_those_in_use() -> None:
    world = _world()
    _order(world, ("101", "TG-8"))
    first = _order(world)
    second = _order(world)
    assert (first["zonosOrderId"], first["accountOrderNumber"]) == ("100", "TG-7")
    assert (second["zonosOrderId"], second["accountOrderNumber"]) == ("102", "TG-9")


def test_an_account_number_belongs_to_one_order() -> None:
    world = _world()
    first, second = _order(world), _order(world)
    with pytest.raises(InvalidInput, match="already used by order"):
        world.renumber(second, str(first["accountOrderNumber"]))
    world.renumber(first, "MINE")
    world.renumber(second, "TG-7")  # free again
    assert world.orders_page(PageRequest(), OrderFilter(account_order_number="MINE")).items == [
        first
    ]


def test_past_the_cap_the_oldest_order_goes_with_its_shipments() -> None:
    world = _world(max_records=2)
    oldest = _order(world)
    shipment = new_shipment({}, oldest, STAMP)
    world.add_shipment(shipment)
    _order(world)
    _order(world)
    assert oldest["id"] not in world.orders
    assert shipment["id"] not in world.shipments
    assert len(world.orders) == 2
    # Its number is free for a new order to take.
    world.renumber(next(iter(world.orders.values())), str(oldest["accountOrderNumber"]))
