"""Every route of the app, in one table."""

from __future__ import annotations

from aiohttp import web

from . import control
from .api.view import graphql_endpoint, graphql_explorer


def add_routes(app: web.Application) -> None:
    app.router.add_routes(
        [
            web.get("/graphql", graphql_explorer),
            web.post("/graphql", graphql_endpoint),
            web.get("/graphql/", graphql_explorer),
            web.post("/graphql/", graphql_endpoint),
            web.get("/_mock/health", control.health),
            web.post("/_mock/reset", control.reset),
            web.get("/_mock/state", control.state),
        ]
    )
