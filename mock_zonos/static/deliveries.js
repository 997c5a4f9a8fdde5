// Deliveries: one page of attempts from /_mock/logs, kept current by the live
// stream, and the attempt picked shown in full (request, headers, response) with "Resend".

import { control } from "./api.js";
import { busy, el, enumText, option, say, statusBadge } from "./dom.js";
import { describeDelivery, formatLatency, formatTime, prettyJson } from "./format.js";
import { Pager } from "./pager.js";
import * as scope from "./scope.js";

// Rows on screen: a page, and never more, however fast attempts stream in.
const PAGE_SIZE = 20;

const body = document.querySelector("#log-table tbody");
const empty = document.getElementById("log-empty");
const notice = document.getElementById("log-notice");
const detail = document.getElementById("log-detail");
const typeFilter = document.getElementById("log-type");
const statusFilter = document.getElementById("log-status");
const pager = new Pager(
  {
    older: document.getElementById("log-older"),
    newer: document.getElementById("log-newer"),
    newest: document.getElementById("log-newest"),
  },
  () => load(),
);

let selected = null;
let loads = 0; // the number of the latest load: an older answer arriving late is dropped
let arrivedWhileLoading = null; // live attempts held back until the page they may belong on is drawn
let missed = 0; // live attempts that arrived while an older page was shown

export function initDeliveries(types) {
  typeFilter.append(...types.map((type) => option(type)));
  for (const filter of [typeFilter, statusFilter]) {
    filter.addEventListener("change", () => {
      pager.rewind();
      load();
    });
  }
  scope.on("scope", () => {
    pager.rewind();
    load();
  });
  scope.on("reset", () => {
    pager.rewind();
    selected = null;
    detail.replaceChildren(el("p", { className: "muted" }, "The server was reset to its fixtures."));
    load();
  });
  scope.on("reconnected", () => {
    if (pager.onNewestPage) load();
  });
  scope.on("log", arrived);
  load();
}

function listPath() {
  const params = new URLSearchParams({ first: PAGE_SIZE });
  if (typeFilter.value) params.set("type", typeFilter.value);
  if (statusFilter.value) params.set("status", statusFilter.value);
  if (pager.after) params.set("after", pager.after);
  return `/_mock/logs?${params}`;
}

async function load() {
  const ticket = ++loads;
  arrivedWhileLoading = [];
  try {
    const page = await control(listPath(), { token: scope.token() });
    if (ticket !== loads) return;
    body.replaceChildren(...page.logs.map(row));
    pager.update(page.pageInfo.endCursor, page.pageInfo.hasNextPage);
    missed = 0;
    say(notice, "");
    const held = arrivedWhileLoading;
    arrivedWhileLoading = null;
    held.forEach(arrived);
  } catch (error) {
    if (ticket !== loads) return;
    arrivedWhileLoading = null;
    say(notice, `Could not load the deliveries: ${error.message}`, "error");
  }
  empty.hidden = body.rows.length > 0;
}

function matchesView(log) {
  const status = statusFilter.value;
  return (
    scope.inScope(log) &&
    (!typeFilter.value || log.type === typeFilter.value) &&
    (!status || (status === "success") === log.succeeded)
  );
}

function arrived(log) {
  if (!matchesView(log)) return;
  if (arrivedWhileLoading) {
    arrivedWhileLoading.push(log);
  } else if (!pager.onNewestPage) {
    missed += 1;
    const back = el(
      "button",
      { type: "button", className: "link", onclick: () => pager.buttons.newest.click() },
      "Show the newest",
    );
    notice.replaceChildren(`${missed} newer attempt${missed === 1 ? "" : "s"} since this page. `, back);
    notice.hidden = false;
    notice.dataset.kind = "";
  } else if (!body.querySelector(`tr[data-id="${CSS.escape(log.id)}"]`)) {
    body.prepend(row(log));
    let dropped = false;
    while (body.rows.length > PAGE_SIZE) {
      body.lastElementChild.remove();
      dropped = true;
    }
    pager.update(body.lastElementChild.dataset.cursor, pager.hasOlder || dropped);
    empty.hidden = true;
  }
}

function row(log) {
  const resendButton = el("button", { type: "button", className: "small" }, "Resend");
  resendButton.addEventListener("click", async (event) => {
    event.stopPropagation(); // a click on the button is not a click on the row
    const result = await busy(resendButton, () => resend(log.id));
    say(notice, result.message, result.kind);
  });
  return el(
    "tr",
    {
      tabIndex: 0,
      className: log.id === selected ? "selected" : "",
      dataset: { id: log.id, cursor: log.cursor },
      onclick: () => open(log.id),
      onkeydown: (event) => event.key === "Enter" && open(log.id),
    },
    el("td", { className: "time", title: log.createdAt }, formatTime(log.createdAt)),
    el("td", { className: "type" }, enumText(log.type)),
    el("td", { className: "url", title: log.url }, log.url),
    el("td", { className: "num" }, log.attempt, copyBadge(log)),
    el("td", { className: "status" }, statusBadge(log.responseStatus, log.succeeded)),
    el("td", { className: "num" }, formatLatency(log.latencyMs)),
    el("td", { className: "action" }, resendButton),
  );
}

// A copy sent by the duplicate fault: the same request as the attempt it names.
function copyBadge(log) {
  if (!log.duplicateOf) return null;
  return el("span", { className: "badge copy", title: `a duplicate of ${log.duplicateOf}` }, "copy");
}

// Opening an attempt goes through the address, so it can be bookmarked and reloaded.
function open(id) {
  window.location.hash = `#deliveries/${encodeURIComponent(id)}`;
}

// An attempt is found by its id whichever credential is chosen (ids are unique across
// tenants), so its address opens it from any view.
export async function showLog(id) {
  selected = id;
  for (const tr of body.rows) tr.classList.toggle("selected", tr.dataset.id === id);
  detail.replaceChildren(el("p", { className: "muted" }, "Loading…"));
  try {
    const log = await control(`/_mock/logs/${encodeURIComponent(id)}`);
    if (selected === id) detail.replaceChildren(...describe(log));
  } catch (error) {
    if (selected === id) {
      detail.replaceChildren(el("p", { dataset: { kind: "error" } }, error.message));
    }
  }
}

function describe(log) {
  const result = el("p", { className: "form-result", hidden: true, role: "status" });
  const resendButton = el("button", { type: "button", className: "primary" }, "Resend");
  resendButton.addEventListener("click", async () => {
    const answer = await busy(resendButton, () => resend(log.id));
    say(result, answer.message, answer.kind);
  });
  const responseTitle =
    log.responseStatus === null ? "Error (no response)" : `Response (HTTP ${log.responseStatus})`;
  return [
    el(
      "div",
      { className: "detail-head" },
      el("h2", {}, log.type),
      statusBadge(log.responseStatus, log.succeeded),
      resendButton,
    ),
    result,
    facts([
      ["Time", log.createdAt],
      ["URL", log.url],
      ["Attempt", log.attempt],
      ["Latency", formatLatency(log.latencyMs)],
      ["Event", log.eventId],
      log.duplicateOf && ["Duplicate of", logLink(log.duplicateOf)],
      ["Webhook", log.webhookId],
      ["Log", log.id],
      ["Tenant", `${log.organizationId} (${log.mode})`],
      ...(log.orderId ? [["Order", orderLink(log.orderId)]] : []),
      ...(log.shipmentId ? [["Shipment", log.shipmentId]] : []),
    ]),
    el("h3", {}, "Request body"),
    el("pre", { className: "code request-body" }, prettyJson(log.request)),
    el("h3", {}, "Request headers"),
    headerTable(log.requestHeaders),
    el("h3", {}, responseTitle),
    el("pre", { className: "code response-body" }, prettyJson(log.response) || "(empty body)"),
  ];
}

// An attempt about an order links to it in the Orders view.
function orderLink(orderId) {
  return el("a", { href: `#orders/${encodeURIComponent(orderId)}` }, orderId);
}

function logLink(id) {
  return el("a", { href: `#deliveries/${encodeURIComponent(id)}` }, id);
}

function facts(pairs) {
  const items = pairs.filter(Boolean).flatMap(([name, value]) => [el("dt", {}, name), el("dd", {}, value)]);
  return el("dl", { className: "facts" }, ...items);
}

function headerTable(headers) {
  if (!headers.length) return el("p", { className: "muted" }, "Not recorded (a seeded attempt).");
  const rows = headers.map(({ key, value }) => el("tr", {}, el("th", {}, key), el("td", {}, value)));
  return el("table", { className: "headers" }, el("tbody", {}, ...rows));
}

// POST /_mock/logs/{id}/resend; the new attempt itself arrives through the stream.
async function resend(id) {
  try {
    const path = `/_mock/logs/${encodeURIComponent(id)}/resend`;
    const answer = await control(path, { body: {} });
    const [delivery] = answer.deliveries;
    return { message: `Resent: ${describeDelivery(delivery)}`, kind: delivery.error ? "error" : "ok" };
  } catch (error) {
    return { message: `Resend refused: ${error.message}`, kind: "error" };
  }
}
