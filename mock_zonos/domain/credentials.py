"""Credential tokens: the header that carries one, and what an unknown one stands for.

Lenient auth gives an unknown token an organization of its own, derived from
the token so that it keeps that organization for the life of the server.
"""

from __future__ import annotations

import uuid

from .models import Credential, Mode

TOKEN_HEADER = "credentialToken"
LIVE_TOKEN_PREFIX = "credential_live_"

_TOKEN_NAMESPACE = uuid.UUID("6f1d8a52-3c1e-4a8e-9a63-5b0e3c6d2f10")


# Zonos' tokens are some 50 characters; a longer one is a mistake, or a way to fill memory.
MAX_TOKEN_LENGTH = 256


def token_problem(token: str) -> str | None:
    """Why a token cannot stand for a credential, or None. HTTP headers arrive as bytes:
    ones that are not UTF-8 text come through as unprintable characters."""
    if not token.isprintable():
        return "The credentialToken is not valid: it must be printable UTF-8 text."
    if len(token) > MAX_TOKEN_LENGTH:
        return f"The credentialToken is not valid: it is over {MAX_TOKEN_LENGTH} characters."
    return None


def mode_of_token(token: str) -> Mode:
    """LIVE for `credential_live_…` tokens, TEST for any other."""
    return Mode.LIVE if token.startswith(LIVE_TOKEN_PREFIX) else Mode.TEST


def user_id_for(token: str) -> str:
    return f"user_{uuid.uuid5(_TOKEN_NAMESPACE, token)}"


def provisioned_credential(token: str) -> Credential:
    """The credential an unknown token gets: an organization of its own."""
    return Credential(
        token=token,
        organization_id=f"organization_{uuid.uuid5(_TOKEN_NAMESPACE, token)}",
        mode=mode_of_token(token),
        user_id=user_id_for(token),
    )
