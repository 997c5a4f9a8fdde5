"""The held queue: who is held, what waits, and the orders a release sends in."""

from __future__ import annotations

import pytest

from mock_zonos.delivery.holding import Holding, check_order, in_order
from mock_zonos.domain.errors import InvalidInput
from mock_zonos.domain.models import Mode

SHOP = ("organization_shop", Mode.TEST)
OTHER = ("organization_other", Mode.TEST)


def test_a_tenant_hold_holds_that_tenant_only() -> None:
    holding: Holding[str] = Holding()
    holding.hold(SHOP)
    assert holding.holds(SHOP) and not holding.holds(OTHER)
    assert holding.holding(None)


def test_a_tenant_release_takes_its_own_and_leaves_the_rest_held() -> None:
    holding: Holding[str] = Holding()
    holding.hold(None)
    holding.add(SHOP, "a")
    holding.add(OTHER, "b")
    holding.add(SHOP, "c")
    assert holding.take(SHOP) == ["a", "c"]
    assert not holding.holds(SHOP) and holding.holds(OTHER)
    assert holding.waiting(None) == ["b"]
    holding.hold(SHOP)
    assert holding.holds(SHOP)


def test_a_release_for_everyone_ends_every_hold() -> None:
    holding: Holding[str] = Holding()
    holding.hold(SHOP)
    holding.add(SHOP, "a")
    assert holding.take(None) == ["a"]
    assert not holding.holding(None) and len(holding) == 0


def test_orders() -> None:
    assert in_order("abcd", "fifo", None) == list("abcd")
    assert in_order("abcd", "reverse", None) == list("dcba")
    shuffled = in_order("abcdefgh", "shuffle", 7)
    assert shuffled == in_order("abcdefgh", "shuffle", 7)
    assert sorted(shuffled) == list("abcdefgh")
    assert shuffled != list("abcdefgh")


def test_an_unknown_order_lists_the_known_ones() -> None:
    assert check_order("reverse") == "reverse"
    with pytest.raises(
        InvalidInput, match="unknown order 'lifo'; the orders are fifo, reverse, shuffle"
    ):
        check_order("lifo")
