"""The scalars: DateTime as Zonos writes it (RFC 3339, UTC, milliseconds, `Z`), and Decimal,
a JSON number."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from ariadne import ScalarType

from ..domain.clock import format_timestamp

datetime_scalar = ScalarType("DateTime")


@datetime_scalar.serializer
def serialize_datetime(value: datetime | str) -> str:
    # The world keeps its times as text already in this form (fixtures/shapes.py).
    return value if isinstance(value, str) else format_timestamp(value)


@datetime_scalar.value_parser
def parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("DateTime must be an RFC 3339 string like 2024-07-23T16:18:57.104Z")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("DateTime must carry a zone, like 2024-07-23T16:18:57.104Z")
    return moment


decimal_scalar = ScalarType("Decimal")


@decimal_scalar.serializer
def serialize_decimal(value: float) -> float:
    return value


@decimal_scalar.value_parser
def parse_decimal(value: Any) -> float:
    """A number, or a string holding one (as some clients send decimals)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("Decimal must be a number, like 12.5")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"Decimal must be a number, like 12.5, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"Decimal must be a finite number, got {value!r}")
    return number
