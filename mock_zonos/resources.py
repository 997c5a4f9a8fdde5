"""Finds schema.graphql and the bundled fixtures, in a checkout or an installed wheel.

A checkout keeps both at the repository root, one level above the package; a
wheel carries them inside the package under `_bundled/` (see pyproject.toml).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def _bundle_root() -> Path:
    for root in (_PACKAGE / "_bundled", _PACKAGE.parent):
        if (root / "schema.graphql").is_file():
            return root
    raise FileNotFoundError(
        f"schema.graphql is neither in {_PACKAGE / '_bundled'} nor in {_PACKAGE.parent}: "
        "the mock-zonos installation is incomplete"
    )


def schema_path() -> Path:
    return _bundle_root() / "schema.graphql"


def bundled_fixtures() -> Path:
    return _bundle_root() / "fixtures"


def static_directory() -> Path:
    """The dashboard's page and assets, which live inside the package."""
    return _PACKAGE / "static"
