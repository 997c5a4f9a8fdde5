"""GET /_mock/clock and POST /_mock/clock/advance: what they accept, refuse and answer."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from mock_zonos.domain.clock import format_timestamp
from mock_zonos.settings import Settings


async def test_a_real_clock_says_so_and_refuses_to_move(client: TestClient[Any, Any]) -> None:
    state = await (await client.get("/_mock/clock")).json()
    assert state["mode"] == "real"
    assert state["now"].endswith("Z")
    response = await client.post("/_mock/clock/advance", json={"seconds": 60})
    assert response.status == 409
    assert "start the server with --clock virtual" in (await response.json())["error"]


class TestVirtual:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(port=0, clock="virtual")

    async def test_it_moves_by_seconds_and_to_a_moment(self, client: TestClient[Any, Any]) -> None:
        start = (await (await client.get("/_mock/clock")).json())["now"]
        moved = await (await client.post("/_mock/clock/advance", json={"seconds": 1.5})).json()
        assert moved == {"now": _plus(start, 1.5), "fired": 0}
        target = "2100-01-01T00:00:00+00:00"
        moved = await (await client.post("/_mock/clock/advance", json={"to": target})).json()
        assert moved == {"now": "2100-01-01T00:00:00.000Z", "fired": 0}
        state = await (await client.get("/_mock/clock")).json()
        assert state == {"mode": "virtual", "now": "2100-01-01T00:00:00.000Z"}

    @pytest.mark.parametrize(
        ("payload", "message"),
        [
            ({}, 'give one of "seconds"'),
            ({"seconds": 1, "to": "2100-01-01T00:00:00Z"}, 'give one of "seconds"'),
            ({"minutes": 1}, 'give one of "seconds"'),
            ({"seconds": "60"}, '"seconds" must be a number'),
            ({"seconds": None}, '"seconds" must be a number'),
            ({"seconds": -1}, '"seconds" must be a number from 0 to'),
            ({"to": "tomorrow"}, '"to" must be an ISO 8601 time with a zone'),
            ({"to": "2100-01-01T00:00:00"}, '"to" must be an ISO 8601 time with a zone'),
            ({"to": "2000-01-01T00:00:00Z"}, "the clock only moves forward"),
            ({"all": False}, '"all" must be true'),
        ],
    )
    async def test_bad_advances_are_refused(
        self, client: TestClient[Any, Any], payload: dict[str, Any], message: str
    ) -> None:
        response = await client.post("/_mock/clock/advance", json=payload)
        assert response.status == 400
        assert message in (await response.json())["error"]


def _plus(iso: str, seconds: float) -> str:
    return format_timestamp(datetime.fromisoformat(iso) + timedelta(seconds=seconds))
