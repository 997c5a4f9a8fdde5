// The live stream: /_mock/stream's server-sent events become page events ("log", "reset",
// "held", "clock", "reconnected"), and the badge in the top bar says whether updates flow.

import * as scope from "./scope.js";

// EventSource retries by itself after a dropped connection, but gives up on a refused one.
const RETRY_AFTER_REFUSAL_MS = 3000;

export function connectLive(badge) {
  const source = new EventSource("/_mock/stream");
  source.addEventListener("open", () => {
    showState(badge, true);
    scope.announce("reconnected");
  });
  source.addEventListener("error", () => {
    showState(badge, false);
    if (source.readyState === EventSource.CLOSED) {
      setTimeout(() => connectLive(badge), RETRY_AFTER_REFUSAL_MS);
    }
  });
  source.addEventListener("log", (event) => scope.announce("log", JSON.parse(event.data)));
  source.addEventListener("reset", () => scope.announce("reset"));
  source.addEventListener("held", () => scope.announce("held"));
  source.addEventListener("clock", () => scope.announce("clock"));
}

function showState(badge, live) {
  badge.textContent = live ? "● live" : "○ reconnecting…";
  badge.classList.toggle("on", live);
}
