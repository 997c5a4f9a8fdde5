"""The package's layers: which folder may import what (README, "Architecture")."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mock_zonos"
TRANSPORTS = ("aiohttp", "graphql", "ariadne", "yarl", "multidict")

# (folder, what it must not import, why)
RULES: list[tuple[str, tuple[str, ...], str]] = [
    ("domain", TRANSPORTS, "the domain knows no transport"),
    ("services", ("mock_zonos.api", "mock_zonos.control", "aiohttp.web"), "services speak domain"),
    ("delivery", ("mock_zonos.api", "mock_zonos.control"), "delivery is below the adapters"),
    ("api", ("mock_zonos.control",), "the two adapters stay apart"),
    ("control", ("mock_zonos.api",), "the two adapters stay apart"),
    (
        "scenarios",
        ("mock_zonos.api", "mock_zonos.control", "mock_zonos.services", "mock_zonos.app"),
        "a scenario is a client: it talks to a server over HTTP",
    ),
]


def imports_of(module: str, source: str) -> set[str]:
    """Every module a source imports, relative imports resolved against `module`."""
    package = module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def violations(module: str, source: str) -> list[str]:
    """The imports of one module that its folder's rules forbid."""
    folder = module.split(".")[1] if module.count(".") > 1 else ""
    problems = []
    for imported in sorted(imports_of(module, source)):
        for rule_folder, forbidden, why in RULES:
            if folder != rule_folder:
                continue
            if any(imported == f or imported.startswith(f + ".") for f in forbidden):
                problems.append(f"{module} imports {imported}: {why}")
        inside = imported.startswith("mock_zonos.") and not imported.startswith("mock_zonos.domain")
        if folder == "domain" and inside:
            problems.append(f"{module} imports {imported}: the domain imports only the domain")
    return problems


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found.append((".".join(parts), path))
    return found


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_each_module_keeps_to_its_layer(module: str, path: Path) -> None:
    assert violations(module, path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("mock_zonos.domain.store", "import aiohttp"),
        ("mock_zonos.domain.store", "from graphql import parse"),
        ("mock_zonos.domain.store", "from ..settings import Settings"),
        ("mock_zonos.delivery.dispatcher", "from ..api.view import graphql_endpoint"),
        ("mock_zonos.api.view", "from ..control.responses import json_error"),
        ("mock_zonos.control.state", "from ..api import errors"),
        ("mock_zonos.services.trigger", "from aiohttp import web"),
        ("mock_zonos.scenarios.runner", "from ..services.trigger import fire"),
    ],
)
def test_a_forbidden_import_is_caught(module: str, line: str) -> None:
    assert violations(module, line)


def test_every_folder_with_a_rule_exists() -> None:
    for folder, _, _ in RULES:
        assert (PACKAGE / folder / "__init__.py").is_file(), folder
