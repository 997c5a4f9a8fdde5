"""`${…}` references: found in any value, resolved to values or to text, with clear misses."""

from __future__ import annotations

from typing import Any

import pytest

from mock_zonos.scenarios.references import (
    BadReference,
    Reference,
    lookup,
    parse_reference,
    references_in,
    resolve,
)

ROOTS: dict[str, Any] = {
    "created": {"orderId": "order_1", "deliveries": [{"logId": "log_1", "status": 200}]},
    "token": "credential_test_x",
}


def test_a_reference_is_a_root_and_a_path() -> None:
    assert parse_reference("created.deliveries[0].logId") == Reference(
        "created.deliveries[0].logId", "created", ("deliveries", 0, "logId")
    )
    assert parse_reference(" token ").path == ()
    assert parse_reference("created.deliveries[-1]").path == ("deliveries", -1)
    with pytest.raises(BadReference, match=r"\$\{created\.\} is not a reference"):
        parse_reference("created.")


def test_references_are_found_anywhere_but_escaped_ones() -> None:
    value = {"a": ["${created.orderId}", {"b": "x ${token} y $${literal}"}], "c": 1}
    assert [str(ref) for ref in references_in(value)] == ["${created.orderId}", "${token}"]


def test_a_whole_reference_keeps_its_type_and_an_embedded_one_becomes_text() -> None:
    assert resolve("${created.deliveries}", ROOTS) == ROOTS["created"]["deliveries"]
    assert resolve("${created.deliveries[0].status}", ROOTS) == 200
    assert resolve("order ${created.orderId}: ${created.deliveries[0].status}", ROOTS) == (
        "order order_1: 200"
    )
    assert resolve({"k": ["$${kept}"]}, ROOTS) == {"k": ["${kept}"]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("created.orderIdd", "created has no key 'orderIdd'; its keys are orderId, deliveries"),
        ("created.deliveries[3]", "created.deliveries has 1 item(s), no [3]"),
        ("created.orderId[0]", "created.orderId is not a list, it is 'order_1'"),
        ("token.x", "token is 'credential_test_x', it has no key 'x'"),
        ("later.id", "nothing is called 'later' yet"),
    ],
)
def test_a_path_that_leaves_the_data_says_where(text: str, message: str) -> None:
    with pytest.raises(BadReference) as missed:
        lookup(parse_reference(text), ROOTS)
    assert message in str(missed.value)
