"""Who a token stands for: the fixtures' credentials, and the organizations unknown tokens get."""

from __future__ import annotations

import pytest

from mock_zonos.domain import authentication
from mock_zonos.domain.authentication import Credentials
from mock_zonos.domain.errors import Unauthorized
from mock_zonos.domain.models import Credential, Mode

FIXTURE = Credential("credential_test_fixture", "organization_fixture", Mode.TEST, "user_fixture")


def test_unknown_tokens_get_organizations_up_to_a_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(authentication, "MAX_PROVISIONED", 3)
    credentials = Credentials((FIXTURE,), strict=False)
    for number in range(3):
        credentials.authenticate(f"credential_test_{number}")
    with pytest.raises(Unauthorized, match="3 unknown tokens already have an organization"):
        credentials.authenticate("credential_test_one_too_many")
    assert credentials.authenticate("credential_test_0").token == "credential_test_0"
    assert credentials.authenticate(FIXTURE.token) is FIXTURE


def test_a_token_too_long_is_refused() -> None:
    with pytest.raises(Unauthorized, match="over 256 characters"):
        Credentials((), strict=False).authenticate("credential_test_" + "x" * 300)


def test_only_the_fixtures_credentials_are_from_the_fixtures() -> None:
    credentials = Credentials((FIXTURE,), strict=False)
    provisioned = credentials.authenticate("credential_test_unknown")
    assert credentials.from_fixtures(FIXTURE)
    assert not credentials.from_fixtures(provisioned)
