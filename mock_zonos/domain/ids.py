"""Random ids: `<kind>_<uuid4>`, made without the uuid module's object overhead."""

from __future__ import annotations

import os

_VARIANT = "89ab"


def uuid4_text() -> str:
    """A random RFC 4122 version-4 UUID in its usual text form."""
    digits = os.urandom(16).hex()
    variant = _VARIANT[int(digits[16], 16) & 3]
    return f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-{variant}{digits[17:20]}-{digits[20:]}"


def new_id(kind: str) -> str:
    return f"{kind}_{uuid4_text()}"
