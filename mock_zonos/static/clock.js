// The server's clock in the top bar: real time ticks by itself; a virtual clock shows its exact
// time and an Advance control, which fires whatever falls due (retries, delayed deliveries).

import { control } from "./api.js";
import { busy, say } from "./dom.js";
import * as scope from "./scope.js";

const clock = document.getElementById("clock");
const mode = document.getElementById("clock-mode");
const now = document.getElementById("clock-now");
const form = document.getElementById("clock-advance");
const banner = document.getElementById("banner");
const TICK_MS = 1000;

let offset = 0; // server time minus page time, for a real clock between loads

export function initClock() {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form.querySelector("button"), advance);
  });
  for (const name of ["clock", "reset", "reconnected"]) scope.on(name, load);
  setInterval(tick, TICK_MS);
  load();
}

async function load() {
  try {
    const state = await control("/_mock/clock");
    const virtual = state.mode === "virtual";
    clock.classList.toggle("virtual", virtual);
    mode.textContent = state.mode;
    form.hidden = !virtual;
    offset = virtual ? null : Date.parse(state.now) - Date.now();
    now.textContent = virtual ? state.now : wallTime();
    now.dateTime = state.now;
  } catch (error) {
    mode.textContent = "clock?";
    now.textContent = error.message;
  }
}

function tick() {
  if (offset !== null) now.textContent = wallTime();
}

function wallTime() {
  return new Date(Date.now() + offset).toLocaleTimeString([], { hour12: false });
}

async function advance() {
  const seconds = Number(form.elements.seconds.value);
  try {
    const answer = await control("/_mock/clock/advance", { body: { seconds } });
    const fired = `${answer.fired} timer${answer.fired === 1 ? "" : "s"} fired`;
    say(banner, `The virtual clock moved ${seconds} s to ${answer.now}: ${fired}.`, "ok");
    await load();
  } catch (error) {
    say(banner, `Advance refused: ${error.message}`, "error");
  }
}
