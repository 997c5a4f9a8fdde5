"""The package's own client: what it sends for the forms a caller may use."""

from __future__ import annotations

from typing import Any

import pytest

from mock_zonos.testing.client import header_inputs


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Shop-Secret": "s3cr3t", "X-Other": "1"},
        [{"key": "X-Shop-Secret", "value": "s3cr3t"}, {"key": "X-Other", "value": "1"}],
        ({"key": "X-Shop-Secret", "value": "s3cr3t"}, {"key": "X-Other", "value": "1"}),
    ],
    ids=["mapping", "list", "tuple"],
)
def test_headers_take_a_mapping_or_the_apis_list_form(headers: Any) -> None:
    assert header_inputs(headers) == [
        {"key": "X-Shop-Secret", "value": "s3cr3t"},
        {"key": "X-Other", "value": "1"},
    ]


@pytest.mark.parametrize(
    "headers",
    ["X-Shop-Secret: s3cr3t", [("X-Shop-Secret", "s3cr3t")], [{"key": "X"}], {"X": 1}],
    ids=["string", "pairs", "no value", "not a string"],
)
def test_other_headers_are_a_type_error_showing_both_forms(headers: Any) -> None:
    with pytest.raises(TypeError, match=r"a mapping like \{'X-Shop-Secret'.*or a list like"):
        header_inputs(headers)
