"""`from mock_zonos import …`: __all__, the lazy-import map and the type-checking imports agree."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import mock_zonos

INIT = Path(mock_zonos.__file__)


def _type_checking_imports() -> dict[str, str]:
    """name → module of every import under `if TYPE_CHECKING:` in __init__.py."""
    found: dict[str, str] = {}
    for node in ast.parse(INIT.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom)
                module = "mock_zonos." + (statement.module or "")
                found.update({alias.name: module for alias in statement.names})
    return found


def test_all_is_the_lazy_names_and_the_version() -> None:
    assert sorted(mock_zonos.__all__) == sorted([*mock_zonos._LAZY, "__version__"])


def test_type_checking_imports_match_the_lazy_map() -> None:
    assert _type_checking_imports() == mock_zonos._LAZY


def test_every_public_name_resolves_to_its_module() -> None:
    for name, module in mock_zonos._LAZY.items():
        value = getattr(mock_zonos, name)
        assert value is getattr(importlib.import_module(module), name)
