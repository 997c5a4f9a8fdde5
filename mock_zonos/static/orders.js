// Orders: one page of orders from /_mock/orders (every tenant or the chosen one), refreshed
// when the live stream tells of an attempt about an order, and the order picked shown in
// full from /_mock/orders/{id}: status history, items, parties, shipments, its deliveries.

import { control } from "./api.js";
import { el, enumText, option, orderBadge, say, statusBadge } from "./dom.js";
import { formatDateTime, formatTime, prettyJson } from "./format.js";
import { Pager } from "./pager.js";
import * as scope from "./scope.js";

// Rows on screen: a page, and never more.
const PAGE_SIZE = 20;

const table = document.getElementById("order-table");
const body = table.querySelector("tbody");
const empty = document.getElementById("order-empty");
const notice = document.getElementById("order-notice");
const detail = document.getElementById("order-detail");
const statusFilter = document.getElementById("order-status");
const pager = new Pager(
  { older: document.getElementById("order-older"), newer: document.getElementById("order-newer") },
  () => load(),
);

let selected = null; // the id of the order shown in full
let loads = 0; // the number of the latest load: an older answer arriving late is dropped
let views = 0; // the same for the order shown in full

// A burst of attempts (a trigger of 10,000 events) asks for the page at most twice:
// once now, once more when that answer is in.
const refreshList = coalesced(() => load());
const refreshOrder = coalesced(() => (selected ? showOrder(selected) : undefined));

export function initOrders(statuses) {
  statusFilter.append(...statuses.map((status) => option(status)));
  statusFilter.addEventListener("change", () => {
    pager.rewind();
    load();
  });
  scope.on("scope", () => {
    pager.rewind();
    load();
  });
  scope.on("reset", () => {
    pager.rewind();
    selected = null;
    views += 1;
    detail.replaceChildren(el("p", { className: "muted" }, "The server was reset to its fixtures."));
    load();
  });
  scope.on("reconnected", () => {
    refreshList();
    refreshOrder();
  });
  scope.on("log", (log) => {
    if (log.orderId === null || log.orderId === undefined) return;
    if (scope.inScope(log)) refreshList();
    // The order open may be another tenant's, opened by its address.
    if (log.orderId === selected) refreshOrder();
  });
  // Orders the page itself changed, told even when no webhook was there to be sent an attempt.
  scope.on("orders", (orderIds) => {
    refreshList();
    if (orderIds.includes(selected)) refreshOrder();
  });
  load();
}

function listPath() {
  const params = new URLSearchParams({ first: PAGE_SIZE });
  if (statusFilter.value) params.set("status", statusFilter.value);
  if (pager.after) params.set("after", pager.after);
  return `/_mock/orders?${params}`;
}

// Loads the page the pager points at. A refresh reloads the same page: later orders never
// land on it, and the orders on it show their current status.
async function load() {
  const ticket = ++loads;
  try {
    const page = await control(listPath(), { token: scope.token() });
    if (ticket !== loads) return;
    table.classList.toggle("every-tenant", !scope.token());
    body.replaceChildren(...page.orders.map(row));
    pager.update(page.pageInfo.endCursor, page.pageInfo.hasNextPage);
    say(notice, "");
  } catch (error) {
    if (ticket !== loads) return;
    say(notice, `Could not load the orders: ${error.message}`, "error");
  }
  empty.hidden = body.rows.length > 0;
}

function row(order) {
  return el(
    "tr",
    {
      tabIndex: 0,
      className: order.id === selected ? "selected" : "",
      dataset: { id: order.id },
      onclick: () => open(order.id),
      onkeydown: (event) => event.key === "Enter" && open(order.id),
    },
    el("td", { className: "date", title: order.createdAt }, formatDateTime(order.createdAt)),
    el("td", { className: "number" }, order.accountOrderNumber ?? "–"),
    el("td", { className: "number zonos" }, order.zonosOrderId ?? "–"),
    el("td", { className: "order-status" }, orderBadge(order.status)),
    el("td", { className: "tracking" }, order.trackingNumbers.join(", ") || "–"),
    el("td", { className: "count" }, order.shipments.length),
    el("td", { className: "tenant", title: order.organizationId }, order.organizationId),
    el("td", { className: "mode tenant" }, order.mode),
  );
}

// Opening an order goes through the address, so it can be bookmarked and reloaded.
function open(id) {
  window.location.hash = `#orders/${encodeURIComponent(id)}`;
}

// An order is found by its id whichever credential is chosen (ids are unique across
// tenants), so its address opens it from any view.
export async function showOrder(id) {
  const ticket = ++views;
  if (selected !== id) detail.replaceChildren(el("p", { className: "muted" }, "Loading…"));
  selected = id;
  for (const tr of body.rows) tr.classList.toggle("selected", tr.dataset.id === id);
  try {
    const answer = await control(`/_mock/orders/${encodeURIComponent(id)}`);
    if (ticket === views) detail.replaceChildren(...describe(answer.order, answer.deliveries));
  } catch (error) {
    if (ticket === views) {
      detail.replaceChildren(el("p", { dataset: { kind: "error" } }, error.message));
    }
  }
}

function describe(order, deliveries) {
  return [
    el(
      "div",
      { className: "detail-head" },
      el("h2", {}, order.accountOrderNumber ?? order.id),
      orderBadge(order.status),
    ),
    facts([
      ["Order", order.id],
      ["zonosOrderId", order.zonosOrderId],
      ["Account order number", order.accountOrderNumber],
      ["Created", order.createdAt],
      ["Updated", order.updatedAt],
      ["Tenant", `${order.organization} (${order.mode})`],
      ["Currency", order.currencyCode],
      ["Subtotals", subtotals(order.amountSubtotals)],
    ]),
    el("h3", {}, `Deliveries (${deliveries.length})`),
    deliveryTable(deliveries),
    el("h3", {}, "Status history"),
    historyTable(order.statusTransitions ?? []),
    el("h3", {}, "Tracking numbers"),
    list(order.trackingNumbers ?? [], "None yet: a shipment brings one."),
    el("h3", {}, `Shipments (${order.shipments.length})`),
    shipmentTable(order.shipments),
    el("h3", {}, `Items (${(order.items ?? []).length})`),
    itemTable(order.items ?? [], order.currencyCode),
    el("h3", {}, "Parties"),
    ...(order.parties ?? []).map(party),
    el(
      "details",
      { className: "raw" },
      el("summary", {}, "The whole order, as the world holds it"),
      el("pre", { className: "code" }, prettyJson(JSON.stringify(order))),
    ),
  ];
}

function facts(pairs) {
  const shown = pairs.filter(([, value]) => value !== null && value !== undefined && value !== "");
  const items = shown.flatMap(([name, value]) => [el("dt", {}, name), el("dd", {}, value)]);
  return el("dl", { className: "facts" }, ...items);
}

function subtotals(amounts) {
  if (!amounts) return null;
  return Object.entries(amounts)
    .map(([name, amount]) => `${name} ${amount}`)
    .join(" · ");
}

// A timestamp as the page writes it, the exact one in its tooltip.
function stamp(iso, format = formatDateTime) {
  if (!iso) return null;
  return el("span", { className: "stamp", title: iso }, format(iso));
}

// An id or a URL, which may break anywhere.
function long(text) {
  return text ? el("span", { className: "long" }, text) : null;
}

function list(values, none) {
  if (!values.length) return el("p", { className: "muted" }, none);
  return el("ul", { className: "plain" }, ...values.map((value) => el("li", {}, value)));
}

// A small table of the detail view: headings, then one row of cells per entry.
function grid(className, headings, rows, none) {
  if (!rows.length) return el("p", { className: "muted" }, none);
  const head = el("tr", {}, ...headings.map((heading) => el("th", {}, heading)));
  const lines = rows.map((cells) => el("tr", {}, ...cells.map((cell) => el("td", {}, cell ?? "–"))));
  return el(
    "table",
    { className: `grid ${className}` },
    el("thead", {}, head),
    el("tbody", {}, ...lines),
  );
}

// Each attempt about the order links to its own view among the deliveries.
function deliveryTable(deliveries) {
  const rows = deliveries.map((log) => [
    el("a", { href: `#deliveries/${encodeURIComponent(log.id)}` }, enumText(log.type)),
    stamp(log.createdAt, formatTime),
    log.attempt,
    statusBadge(log.responseStatus, log.succeeded),
    long(log.url),
  ]);
  const none = "No attempt yet: no ENABLED webhook was there for the events about this order.";
  return grid("deliveries", ["Type", "Time", "Attempt", "Status", "URL"], rows, none);
}

function historyTable(transitions) {
  const rows = transitions.map((t) => [
    orderBadge(t.status),
    stamp(t.createdAt),
    long(t.createdBy),
    t.note,
  ]);
  return grid("history", ["Status", "At", "By", "Note"], rows, "No transitions recorded.");
}

function shipmentTable(shipments) {
  const rows = shipments.map((s) => [
    long(s.id),
    orderBadge(s.status),
    stamp(s.createdAt),
    long(s.trackingNumbers.join(", ")),
  ]);
  const headings = ["Shipment", "Status", "Created", "Tracking numbers"];
  return grid("shipments", headings, rows, "No shipments.");
}

function itemTable(items, currency) {
  const rows = items.map((item) => [
    item.name,
    item.sku,
    item.quantity,
    amount(item.amount, item.currencyCode ?? currency),
    item.hsCode,
    item.countryOfOrigin,
  ]);
  return grid("items", ["Name", "SKU", "Qty", "Amount", "HS code", "Origin"], rows, "No items.");
}

function amount(value, currency) {
  if (value === null || value === undefined) return null;
  return currency ? `${value} ${currency}` : String(value);
}

// A party in the lines of an address label: who, then where.
function party(p) {
  const person = p.person ?? {};
  const place = p.location ?? {};
  const name = [person.firstName, person.lastName].filter(Boolean).join(" ");
  const town = [place.locality, place.administrativeArea, place.postalCode];
  const lines = [
    name,
    person.companyName,
    place.line1,
    place.line2,
    town.filter(Boolean).join(" "),
    place.countryCode,
    [person.email, person.phone].filter(Boolean).join(" · "),
  ].filter(Boolean);
  return el(
    "div",
    { className: "party" },
    el("h4", {}, p.type ?? "PARTY"),
    ...lines.map((line) => el("div", {}, line)),
  );
}

// `task` now, or, while a run is in progress, once more after it: never two at once.
function coalesced(task) {
  let running = false;
  let again = false;
  return async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await task();
      } while (again);
    } finally {
      running = false;
    }
  };
}
