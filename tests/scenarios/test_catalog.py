"""The bundled scenarios: found by name, in the wheel, beside fixtures that still load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mock_zonos.fixtures import load_fixtures
from mock_zonos.resources import bundled_fixtures
from mock_zonos.scenarios.catalog import bundled_names, find_scenario
from mock_zonos.scenarios.steps import ScenarioInvalid

from ..helpers import run_installed

BUNDLED = [
    "duplicate-delivery",
    "late-delivery",
    "order-canceled",
    "order-lifecycle",
    "out-of-order",
    "retry-storm",
    "stale-signature",
]


def test_the_bundled_scenarios_are_found_by_name() -> None:
    assert bundled_names() == BUNDLED
    for name in bundled_names():
        scenario = find_scenario(name)
        assert scenario.description, name
        assert scenario.steps[-1].kind == "expect", f"{name} ends in expectations"


def test_a_path_is_read_as_a_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("steps: [{hold: {}}]\n")
    assert find_scenario(str(path)).name == "mine"


def test_an_unknown_name_lists_the_bundled_ones() -> None:
    with pytest.raises(ScenarioInvalid, match="no bundled scenario of that name; the bundled"):
        find_scenario("duplicate")


def test_a_scenarios_folder_beside_the_fixtures_is_no_fixture_file(tmp_path: Path) -> None:
    shutil.copytree(bundled_fixtures() / "scenarios", tmp_path / "scenarios")
    (tmp_path / "credentials.yaml").write_text(
        "credentials:\n  - token: credential_test_mine\n    organizationId: organization_mine\n"
    )
    assert load_fixtures(tmp_path).seed.credentials[0].token == "credential_test_mine"


def test_the_wheel_carries_the_bundled_scenarios(installed_wheel: Path) -> None:
    found = run_installed(
        installed_wheel,
        "from mock_zonos.scenarios.catalog import bundled_directory, bundled_names\n"
        "print(bundled_directory()); print(','.join(bundled_names()))",
    )
    directory, names = found.split()
    assert directory == str(installed_wheel / "mock_zonos" / "_bundled" / "fixtures" / "scenarios")
    assert names.split(",") == bundled_names()
