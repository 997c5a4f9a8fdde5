// Building the page from data. Every value goes in as text, never as HTML:
// payloads are user data, and a <script> in one must stay a string on screen.

// el("td", { className: "num", title: "…" }, child, …): children are nodes or
// strings; strings become text nodes. Props are DOM properties or `on<event>`.
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node[name] = value;
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// Shows a message in a status line, or hides the line when there is none.
// `kind` ("error", "ok" or "") colours it through the data-kind attribute.
export function say(node, message, kind = "") {
  node.replaceChildren(message ?? "");
  node.hidden = !message;
  node.dataset.kind = kind;
}

export function statusBadge(responseStatus, succeeded) {
  const label = responseStatus === null ? "error" : String(responseStatus);
  return el("span", { className: `badge ${succeeded ? "ok" : "fail"}` }, label);
}

export function stateBadge(status) {
  return el("span", { className: `badge ${status === "ENABLED" ? "ok" : "off"}` }, status);
}

// An order's or a shipment's status: done is green, stopped is red, the rest (on the way) is grey.
const DONE = new Set(["COMPLETED", "DELIVERED"]);
const STOPPED = new Set(["CANCELED", "PAYMENT_FAILED", "FRAUD_HOLD", "VOIDED"]);

export function orderBadge(status) {
  const kind = DONE.has(status) ? "ok" : STOPPED.has(status) ? "fail" : "off";
  return el("span", { className: `badge ${kind}` }, enumText(status));
}

// An enum value such as INCLUSIVE_PRICE_CONFIGURATION_CHANGED, allowed to wrap after each "_".
export function enumText(value) {
  const fragment = document.createDocumentFragment();
  value.split("_").forEach((part, index) => {
    if (index > 0) fragment.append("_", document.createElement("wbr"));
    fragment.append(part);
  });
  return fragment;
}

export function option(value, label = value) {
  return el("option", { value }, label);
}

// Disables a button while its action runs, so a double click cannot send twice.
export async function busy(button, action) {
  button.disabled = true;
  try {
    return await action();
  } finally {
    button.disabled = false;
  }
}
