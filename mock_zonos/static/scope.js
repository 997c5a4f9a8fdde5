// What the panels share: the known credentials, the one chosen (or all
// organizations), and a few events that one panel raises and others follow.
//   "scope": the chosen credential changed;   "reset": the server went back to its fixtures;
//   "webhooks": webhooks were created or changed;   "log": a new attempt (detail: its summary);
//   "held": the held queue changed;   "clock": the virtual clock moved;
//   "reconnected": the live stream (re)opened, so anything may have been missed;
//   "orders": a trigger from this page acted on orders (detail: their ids), told even
//   when no webhook was there to be sent an attempt.

const events = new EventTarget();
let credentials = [];
let chosen = null; // until the page picks its default

export function on(name, listener) {
  events.addEventListener(name, (event) => listener(event.detail));
}

export function announce(name, detail) {
  events.dispatchEvent(new CustomEvent(name, { detail }));
}

// The chosen token, or "" for all organizations (null before the first choice).
export function token() {
  return chosen;
}

export function choose(newToken) {
  chosen = newToken;
  announce("scope");
}

export function setCredentials(list) {
  credentials = list;
}

export function knownCredentials() {
  return credentials;
}

// A token that acts for this organization and mode, for changes made from an all-organizations view.
export function tokenFor(organizationId, mode) {
  return credentials.find((c) => c.organizationId === organizationId && c.mode === mode)?.token;
}

// Whether a webhook or a log belongs to the chosen organization and mode.
export function inScope(item) {
  const credential = credentials.find((c) => c.token === chosen);
  if (!credential) return true;
  return item.organizationId === credential.organizationId && item.mode === credential.mode;
}
