// Webhooks: the registered ones (from /_mock/webhooks, every tenant or the chosen one), and
// changes made the way any Zonos client makes them, through the GraphQL mutations.

import { control, graphqlData } from "./api.js";
import { busy, el, enumText, option, say, stateBadge } from "./dom.js";
import { formatDateTime } from "./format.js";
import { Pager } from "./pager.js";
import * as scope from "./scope.js";

const PAGE_SIZE = 50;

const CREATE = `mutation Create($input: WebhookCreateInput!) {
  webhookCreate(input: $input) { id url type status }
}`;
const UPDATE = `mutation Update($input: WebhookUpdateInput!) {
  webhookUpdate(input: $input) { id status }
}`;
const DELETE = `mutation Delete($id: ID!) { webhookDelete(id: $id) }`;

const form = document.getElementById("webhook-form");
const formResult = form.querySelector(".form-result");
const body = document.querySelector("#webhook-table tbody");
const empty = document.getElementById("webhook-empty");
const problem = document.getElementById("webhook-error");
const pager = new Pager(
  { older: document.getElementById("webhook-older"), newer: document.getElementById("webhook-newer") },
  () => load(),
);
let loads = 0;

export function initWebhooks(types) {
  form.elements.type.append(...types.map((type) => option(type)));
  form.elements.type.value = "ORDER_CREATED";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form.querySelector("button[type=submit]"), create);
  });
  for (const name of ["scope", "reset"]) {
    scope.on(name, () => {
      pager.rewind();
      load();
    });
  }
  scope.on("webhooks", load);
  load();
}

async function load() {
  const ticket = ++loads;
  const params = new URLSearchParams({ first: PAGE_SIZE });
  if (pager.after) params.set("after", pager.after);
  try {
    const page = await control(`/_mock/webhooks?${params}`, { token: scope.token() });
    if (ticket !== loads) return;
    say(problem, "");
    body.replaceChildren(...page.webhooks.map(row));
    pager.update(page.pageInfo.endCursor, page.pageInfo.hasNextPage);
    empty.hidden = page.webhooks.length > 0;
  } catch (error) {
    if (ticket === loads) say(problem, `Could not load the webhooks: ${error.message}`, "error");
  }
}

function row(webhook) {
  const enabled = webhook.status === "ENABLED";
  const toggle = el("button", { type: "button", className: "small" }, enabled ? "Disable" : "Enable");
  const input = { id: webhook.id, status: enabled ? "DISABLED" : "ENABLED" };
  toggle.addEventListener("click", () => busy(toggle, () => change(webhook, UPDATE, { input })));
  const remove = el("button", { type: "button", className: "small danger" }, "Delete");
  remove.addEventListener("click", () => {
    if (window.confirm(`Delete webhook ${webhook.id}?`)) {
      busy(remove, () => change(webhook, DELETE, { id: webhook.id }));
    }
  });
  return el(
    "tr",
    { dataset: { id: webhook.id } },
    el("td", { className: "id", title: webhook.id }, webhook.id),
    el("td", { className: "type" }, enumText(webhook.type)),
    el("td", { className: "url", title: webhook.url }, webhook.url),
    el("td", { className: "status" }, stateBadge(webhook.status)),
    el("td", { className: "mode" }, webhook.mode),
    el("td", {}, webhook.headers.map((header) => header.key).join(", ")),
    el("td", { className: "time", title: webhook.createdAt }, formatDateTime(webhook.createdAt)),
    el("td", { className: "actions" }, toggle, remove),
  );
}

// A change goes out as the webhook's own organization and mode, whatever the page shows.
async function change(webhook, mutation, variables) {
  say(problem, "");
  const token = scope.tokenFor(webhook.organizationId, webhook.mode);
  try {
    await graphqlData(mutation, variables, token);
    scope.announce("webhooks");
  } catch (error) {
    say(problem, `${webhook.id}: ${error.message}`, "error");
  }
}

async function create() {
  const token = scope.token();
  if (!token) {
    const why = "Choose a credential (top right) first: a webhook belongs to one organization and mode.";
    say(formResult, why, "error");
    return;
  }
  const headers = parseHeaders(form.elements.headers.value);
  if (typeof headers === "string") {
    say(formResult, headers, "error");
    return;
  }
  const input = {
    url: form.elements.url.value.trim(),
    type: form.elements.type.value,
    status: form.elements.status.value,
    headers,
  };
  try {
    const { webhookCreate } = await graphqlData(CREATE, { input }, token);
    const { id, type, status } = webhookCreate;
    say(formResult, `Created ${id} (${type}, ${status}).`, "ok");
    form.elements.url.value = "";
    scope.announce("webhooks");
  } catch (error) {
    say(formResult, error.message, "error");
  }
}

// "Key: value" lines → [{ key, value }], or what is wrong with a line, as a string.
function parseHeaders(text) {
  const headers = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (!line.trim()) continue;
    const colon = line.indexOf(":");
    if (colon < 1) return `Header line ${index + 1} is not "Key: value": ${line}`;
    headers.push({ key: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return headers;
}
