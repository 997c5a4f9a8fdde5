// Held deliveries: how many wait, a hold for the chosen credential (everyone's, for all
// organizations), and releases in FIFO, reverse or shuffled order, one attempt after another.

import { control } from "./api.js";
import { busy, say } from "./dom.js";
import * as scope from "./scope.js";

const bar = document.getElementById("holding");
const count = document.getElementById("held-count");
const state = document.getElementById("holding-state");
const holdButton = document.getElementById("hold");
const releaseButtons = [...bar.querySelectorAll("button[data-order]")];
const notice = document.getElementById("log-notice");

let loads = 0; // the number of the latest load: an older answer arriving late is dropped

export function initHolding() {
  // busy() enables its button again when done: the state loaded afterwards decides.
  holdButton.addEventListener("click", async () => {
    await busy(holdButton, hold);
    await load();
  });
  for (const button of releaseButtons) {
    button.addEventListener("click", async () => {
      await busy(button, () => release(button.dataset.order));
      await load();
    });
  }
  for (const name of ["held", "scope", "reset", "reconnected"]) scope.on(name, load);
  load();
}

async function load() {
  const ticket = ++loads;
  try {
    const held = await control("/_mock/deliveries/held", { token: scope.token() });
    if (ticket === loads) show(held);
  } catch (error) {
    if (ticket === loads) state.textContent = `unknown: ${error.message}`;
  }
}

function show({ holding, count: waiting }) {
  count.textContent = waiting;
  bar.classList.toggle("active", holding || waiting > 0);
  state.textContent = holding ? "holding new deliveries" : "delivering as usual";
  holdButton.disabled = holding;
  for (const button of releaseButtons) button.disabled = !holding && waiting === 0;
}

async function hold() {
  try {
    await control("/_mock/deliveries/hold", { body: {}, token: scope.token() });
    say(notice, "New deliveries are held until a release.", "ok");
  } catch (error) {
    say(notice, `Hold refused: ${error.message}`, "error");
  }
}

async function release(order) {
  try {
    const { released } = await control("/_mock/deliveries/release", {
      body: { order },
      token: scope.token(),
    });
    const noun = released.length === 1 ? "delivery" : "deliveries";
    say(notice, `Released ${released.length} ${noun} (${order}); deliveries go out as usual again.`, "ok");
  } catch (error) {
    say(notice, `Release refused: ${error.message}`, "error");
  }
}
