"""Where scenarios come from: a file path, or the name of one bundled in fixtures/scenarios/."""

from __future__ import annotations

from pathlib import Path

from ..resources import bundled_fixtures
from .model import Scenario, load_scenario
from .steps import ScenarioInvalid


def bundled_directory() -> Path:
    return bundled_fixtures() / "scenarios"


def bundled_names() -> list[str]:
    return sorted(path.stem for path in bundled_directory().glob("*.yaml"))


def find_scenario(spec: str | Path) -> Scenario:
    """A scenario file, or a bundled scenario by name; checked whole."""
    path = Path(spec)
    if path.is_file():
        return load_scenario(path)
    bundled = bundled_directory() / f"{spec}.yaml"
    if bundled.is_file():
        return load_scenario(bundled)
    raise ScenarioInvalid(
        str(spec),
        "",
        f"no such file, and no bundled scenario of that name; the bundled ones are "
        f"{', '.join(bundled_names())}",
    )
