// Trigger: pick a type, read its sample, name what it is about (an order, a shipment, a
// status) when the type takes it, merge overrides (checked before anything is sent), fire
// through POST /_mock/trigger, and read one line per delivery and a link to each order.

import { control } from "./api.js";
import { busy, el, option, say, statusBadge } from "./dom.js";
import { describeDelivery } from "./format.js";
import * as scope from "./scope.js";

const form = document.getElementById("trigger-form");
const sample = document.getElementById("trigger-sample");
const validation = document.getElementById("trigger-validation");
const result = document.getElementById("trigger-result");
const subject = document.getElementById("trigger-subject");
const knownOrders = document.getElementById("trigger-orders");
// Orders named in the answer's links: more would only repeat the Orders view.
const ORDER_LINKS = 10;
let samples = new Map();
let pickerLoads = 0;

export function initTrigger(events, orderStatuses) {
  samples = new Map(events.map((event) => [event.type, event]));
  form.elements.type.append(...events.map((event) => option(event.type)));
  form.elements.type.value = "ORDER_CREATED";
  form.elements.type.addEventListener("change", typeChosen);
  form.elements.status.append(...orderStatuses.map((status) => option(status)));
  form.elements.orderId.addEventListener("focus", suggestOrders);
  form.elements.overrides.addEventListener("input", () => check());
  form.elements.faults.addEventListener("input", () => check());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form.querySelector("button[type=submit]"), fire);
  });
  for (const name of ["scope", "reset", "webhooks"]) scope.on(name, loadWebhookPicker);
  typeChosen();
}

function typeChosen() {
  const chosen = samples.get(form.elements.type.value);
  sample.textContent = JSON.stringify(chosen.body, null, 2);
  for (const label of subject.querySelectorAll("label[data-field]")) {
    label.hidden = !chosen.subjectFields.includes(label.dataset.field);
  }
  subject.hidden = !chosen.subjectFields.length;
  loadWebhookPicker();
}

// The subject fields the chosen type takes, those filled in: { orderId, shipmentId, status }.
function subjectOf(type) {
  const fields = {};
  for (const name of samples.get(type).subjectFields) {
    const value = form.elements[name].value.trim();
    if (value) fields[name] = value;
  }
  return fields;
}

// The orderId field suggests the newest orders of the chosen credential, read when it is focused.
async function suggestOrders() {
  try {
    const { orders } = await control("/_mock/orders?first=20", { token: scope.token() });
    const labels = orders.map((o) => option(o.id, `${o.accountOrderNumber ?? ""} ${o.status}`.trim()));
    knownOrders.replaceChildren(...labels);
  } catch {
    knownOrders.replaceChildren(); // a suggestion only: the field works without one
  }
}

// The picker offers the ENABLED webhooks of the chosen type that a trigger would reach.
async function loadWebhookPicker() {
  const ticket = ++pickerLoads;
  const picker = form.elements.webhook;
  const params = new URLSearchParams({ type: form.elements.type.value, status: "ENABLED", first: 100 });
  let webhooks = [];
  try {
    webhooks = (await control(`/_mock/webhooks?${params}`, { token: scope.token() })).webhooks;
  } catch (error) {
    say(validation, `Could not list the webhooks: ${error.message}`, "error");
  }
  if (ticket !== pickerLoads) return;
  const kept = webhooks.some((w) => w.id === picker.value) ? picker.value : "";
  const everyOne = option("", `every ENABLED ${form.elements.type.value} webhook (${webhooks.length})`);
  picker.replaceChildren(everyOne, ...webhooks.map((w) => option(w.id, `${w.url} — ${w.id}`)));
  picker.value = kept;
}

// A JSON object typed into a field, or null after saying what is wrong with it.
function objectIn(field, name, example) {
  const text = form.elements[field].value.trim();
  let value;
  try {
    value = text ? JSON.parse(text) : {};
  } catch (error) {
    say(validation, `${name} are not valid JSON: ${error.message}`, "error");
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    say(validation, `${name} must be a JSON object, like ${example}`, "error");
    return null;
  }
  return value;
}

function check() {
  const overrides = objectIn("overrides", "Overrides", '{"data": {"order": {…}}}');
  const faults = overrides && objectIn("faults", "Faults", '{"duplicate": 2}');
  if (faults === null) return null;
  say(validation, "");
  return { overrides, faults };
}

async function fire() {
  const checked = check();
  if (checked === null) return;
  const { overrides, faults } = checked;
  const request = { type: form.elements.type.value, ...subjectOf(form.elements.type.value) };
  if (Object.keys(overrides).length) request.overrides = overrides;
  if (Object.keys(faults).length) request.faults = faults;
  if (form.elements.webhook.value) request.webhookId = form.elements.webhook.value;
  try {
    const answer = await control("/_mock/trigger", { body: request, token: scope.token() });
    showAnswer(answer);
    const orderIds = orderIdsOf(answer);
    if (orderIds.length) scope.announce("orders", orderIds);
  } catch (error) {
    result.replaceChildren(el("p", { dataset: { kind: "error" } }, `Refused: ${error.message}`));
  }
}

function showAnswer(answer) {
  const heading = el("p", {}, `${answer.type} event `, el("code", {}, answer.eventId));
  const about = ordersOf(answer);
  if (!answer.deliveries.length) {
    const none = "No ENABLED webhook of this type here: nothing was sent. Register or enable one first.";
    result.replaceChildren(heading, ...about, el("p", { className: "muted" }, none));
    return;
  }
  const lines = answer.deliveries.map((delivery) => {
    const inspect = `#deliveries/${encodeURIComponent(delivery.logId)}`;
    return el(
      "li",
      {},
      waiting(delivery) ?? statusBadge(delivery.responseStatus, !delivery.error),
      " ",
      describeDelivery(delivery),
      " ",
      delivery.logId && el("a", { href: inspect }, "Inspect"),
    );
  });
  result.replaceChildren(heading, ...about, el("ul", { className: "deliveries" }, ...lines));
}

// The orders a trigger acted on, each once (events of a count may act on the same one).
function orderIdsOf(answer) {
  return [...new Set(answer.orderIds ?? (answer.orderId ? [answer.orderId] : []))];
}

// The orders the event acted on, each a link to it in the Orders view; a shipment as text.
function ordersOf(answer) {
  const orderIds = orderIdsOf(answer);
  const lines = [];
  if (orderIds.length) {
    const links = orderIds
      .slice(0, ORDER_LINKS)
      .flatMap((id) => [" ", el("a", { href: `#orders/${encodeURIComponent(id)}` }, id)]);
    const more = orderIds.length - ORDER_LINKS;
    const rest = more > 0 ? ` and ${more} more (see Orders)` : "";
    const label = orderIds.length === 1 ? "Order" : "Orders";
    lines.push(el("p", { className: "about" }, label, ...links, rest));
  }
  if (answer.shipmentId) {
    lines.push(el("p", { className: "about" }, "Shipment ", el("code", {}, answer.shipmentId)));
  }
  return lines;
}

// A delivery that has not gone out: held for a release, or delayed by a fault.
function waiting(delivery) {
  if (!delivery.held && !delivery.delayedUntil) return null;
  return el("span", { className: "badge off" }, delivery.held ? "held" : "delayed");
}
