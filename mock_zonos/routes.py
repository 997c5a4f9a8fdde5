"""Every route of the app, in one table."""

from __future__ import annotations

from aiohttp import web

from .api.view import graphql_endpoint, graphql_get, graphql_other_method
from .control import browse, clock, dashboard, deliveries, state, stream, triggers


def add_routes(app: web.Application) -> None:
    app.router.add_routes(
        [
            web.get("/", dashboard.index),
            web.get("/_mock/readme", dashboard.readme),
            web.get("/_mock/static/{name}", dashboard.asset),
            web.get("/graphql", graphql_get),
            web.post("/graphql", graphql_endpoint),
            web.route("*", "/graphql", graphql_other_method),
            web.get("/graphql/", graphql_get),
            web.post("/graphql/", graphql_endpoint),
            web.route("*", "/graphql/", graphql_other_method),
            web.get("/_mock/health", state.health),
            web.get("/_mock/settings", state.server_settings),
            web.post("/_mock/reset", state.reset),
            web.get("/_mock/state", state.state),
            web.post("/_mock/trigger", triggers.trigger),
            web.get("/_mock/events", triggers.events),
            web.get("/_mock/events/{type}", triggers.event),
            web.post("/_mock/logs/{log_id}/resend", triggers.resend),
            web.post("/_mock/deliveries/hold", deliveries.hold),
            web.post("/_mock/deliveries/release", deliveries.release),
            web.get("/_mock/deliveries/held", deliveries.held),
            web.get("/_mock/clock", clock.clock),
            web.post("/_mock/clock/advance", clock.advance),
            web.get("/_mock/credentials", browse.credentials),
            web.get("/_mock/webhooks", browse.webhooks),
            web.get("/_mock/logs", browse.logs),
            web.get("/_mock/logs/{log_id}", browse.log),
            web.get("/_mock/orders", browse.orders),
            web.get("/_mock/orders/{order_id}", browse.order),
            web.get("/_mock/stream", stream.stream),
        ]
    )
