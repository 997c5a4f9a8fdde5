"""Who a credentialToken stands for: a fixture's credential, else, unless auth is strict,
an organization of its own, for a bounded number of unknown tokens until a reset.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

from .credentials import provisioned_credential, token_problem
from .errors import Unauthorized
from .models import Credential

# A token shown in the log is cut to this many characters.
SHOWN_TOKEN_LENGTH = 60
# Organizations given to unknown tokens until a reset: any local process may send tokens.
MAX_PROVISIONED = 10_000

logger = logging.getLogger("mock_zonos.auth")


class Credentials:
    """The credentials known since the last reset: the fixtures', then those given to
    unknown tokens."""

    def __init__(self, fixtures: Sequence[Credential], *, strict: bool) -> None:
        self._fixtures = fixtures
        self._strict = strict
        self._known = {credential.token: credential for credential in fixtures}

    def __iter__(self) -> Iterator[Credential]:
        return iter(self._known.values())

    def authenticate(self, token: str) -> Credential:
        """The credential a token stands for; unknown tokens get a fresh organization.

        In strict mode an unknown token is refused instead.
        """
        credential = self._known.get(token)
        if credential is not None:
            return credential
        problem = token_problem(token)
        if problem is not None:
            raise Unauthorized(problem)
        if self._strict or not token:
            raise Unauthorized("The credentialToken is not valid.")
        if len(self._known) - len(self._fixtures) >= MAX_PROVISIONED:
            raise Unauthorized(
                f"The credentialToken is unknown, and {MAX_PROVISIONED:,} unknown tokens already "
                "have an organization: use a known token, or reset (POST /_mock/reset)."
            )
        credential = self._known[token] = provisioned_credential(token)
        # Once per token (until a reset): a mistyped token is otherwise silently empty.
        shown = token if len(token) <= SHOWN_TOKEN_LENGTH else token[:SHOWN_TOKEN_LENGTH] + "…"
        logger.info(
            "credentialToken %r is not in the fixtures: it gets an organization of its own, "
            "%s (%s); --strict-auth would refuse it",
            shown,
            credential.organization_id,
            credential.mode,
        )
        return credential

    def from_fixtures(self, credential: Credential) -> bool:
        """Whether the credential is one of the fixtures', not one given to an unknown token."""
        return any(known.token == credential.token for known in self._fixtures)
