"""DateTime as Zonos writes it: RFC 3339, UTC, milliseconds, `Z`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ariadne import ScalarType

from ..domain.clock import format_timestamp

datetime_scalar = ScalarType("DateTime")


@datetime_scalar.serializer
def serialize_datetime(value: datetime) -> str:
    return format_timestamp(value)


@datetime_scalar.value_parser
def parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("DateTime must be an RFC 3339 string like 2024-07-23T16:18:57.104Z")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("DateTime must carry a zone, like 2024-07-23T16:18:57.104Z")
    return moment
