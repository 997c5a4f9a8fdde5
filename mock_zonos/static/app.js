// The dashboard's entry point: loads what every panel needs, shows the panel the address
// names (#panel or #panel/argument), and runs the top bar: credential, live badge, reset.

import { control, enumValues } from "./api.js";
import { initClock } from "./clock.js";
import { initConsole, showConsole } from "./console.js";
import { initDeliveries, showLog } from "./deliveries.js";
import { showDocs } from "./docs.js";
import { option, say } from "./dom.js";
import { initHolding } from "./holding.js";
import { connectLive } from "./live.js";
import { initOrders, showOrder } from "./orders.js";
import * as scope from "./scope.js";
import { initTrigger } from "./trigger.js";
import { initWebhooks } from "./webhooks.js";

const PANELS = ["deliveries", "orders", "webhooks", "trigger", "console", "docs"];
const picker = document.getElementById("scope");
const banner = document.getElementById("banner");

// Fills the credential picker. The choice stays while its token exists; the first
// choice, and the fallback, is the first credential of the fixtures.
async function loadCredentials() {
  const { credentials } = await control("/_mock/credentials");
  scope.setCredentials(credentials);
  const labels = credentials.map((c) => option(c.token, `${c.token} (${c.mode})`));
  picker.replaceChildren(option("", "All organizations"), ...labels);
  const current = scope.token();
  const valid = current === "" || credentials.some((c) => c.token === current);
  const choice = current !== null && valid ? current : (credentials[0]?.token ?? "");
  picker.value = choice;
  if (choice !== current) scope.choose(choice);
}

function route() {
  const [name, ...rest] = window.location.hash.slice(1).split("/");
  const panel = PANELS.includes(name) ? name : "deliveries";
  const argument = decode(rest.join("/"));
  for (const each of PANELS) document.getElementById(`panel-${each}`).hidden = each !== panel;
  for (const tab of document.querySelectorAll(".tabs a")) {
    tab.classList.toggle("current", tab.dataset.tab === panel);
  }
  if (panel === "deliveries" && argument) showLog(argument);
  if (panel === "orders" && argument) showOrder(argument);
  if (panel === "console") showConsole();
  if (panel === "docs") showDocs(argument);
}

function decode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

async function reset() {
  const question =
    "Reset to the fixtures? Every webhook, log and token added since the start is dropped, " +
    "and deliveries in flight are cancelled.";
  if (!window.confirm(question)) return;
  try {
    await control("/_mock/reset", { body: {} });
    say(banner, "Reset to the fixtures.", "ok");
    scope.announce("reset");
  } catch (error) {
    say(banner, `Reset failed: ${error.message}`, "error");
  }
}

// An attempt of a tenant the picker does not know means a new token was used: list it.
// Each unknown tenant is looked for once, however many attempts it gets.
const lookedFor = new Set();

function noticeNewTenants(log) {
  const tenant = `${log.organizationId} ${log.mode}`;
  const known = scope.knownCredentials().some((c) => `${c.organizationId} ${c.mode}` === tenant);
  if (known || lookedFor.has(tenant)) return;
  lookedFor.add(tenant);
  loadCredentials();
}

async function boot() {
  const [{ events }, orderStatuses] = await Promise.all([
    control("/_mock/events"),
    enumValues("OrderStatus"),
    loadCredentials(),
  ]);
  const types = events.map((event) => event.type);
  picker.addEventListener("change", () => scope.choose(picker.value));
  document.getElementById("reset").addEventListener("click", reset);
  scope.on("reset", () => loadCredentials());
  scope.on("log", noticeNewTenants);
  initDeliveries(types);
  initOrders(orderStatuses);
  initHolding();
  initClock();
  initWebhooks(types);
  initTrigger(events, orderStatuses);
  initConsole();
  window.addEventListener("hashchange", route);
  route();
  connectLive(document.getElementById("live"));
}

boot().catch((error) => say(banner, `The dashboard could not start: ${error.message}`, "error"));
