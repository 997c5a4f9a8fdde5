"""What a type's body looks like, for GET /_mock/events and the dashboard's trigger form.

An order or shipment type's body is its query answered on a world object, so
its preview is made in a scratch store of its own: a fresh object of the
templates, never seen by anyone's world.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import orjson

from ..domain.models import Mode, WebhookType
from ..domain.store import Store
from .backend import Backend, tenant_credential
from .trigger import act
from .trigger_request import Trigger

PREVIEW_ORGANIZATION = "organization_preview"


def preview_body(backend: Backend, type: WebhookType) -> Any:
    """The sample body (placeholders unexpanded), or the query's answer on a fresh object."""
    sample = backend.samples[type]
    if sample.body is not None:
        return sample.body.value
    live = backend.store
    empty = replace(live.seed, credentials=(), webhooks=(), logs=(), worlds=())
    store = Store(empty, live.queries, new_secret=live.new_secret, clock=live.clock)
    scratch = replace(backend, store=store)
    caller = tenant_credential(PREVIEW_ORGANIZATION, Mode.TEST)
    order, shipment = act(scratch, Trigger(type), store.tenant_of(caller), store.stamp(caller))
    variables = {"orderId": order["id"], "shipmentId": shipment["id"] if shipment else None}
    return orjson.loads(backend.bodies.build(scratch, sample.query, variables, caller))
