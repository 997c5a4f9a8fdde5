// Values as the page writes them: JSON laid out, times, latencies, delivery outcomes.

// JSON text laid out for reading; anything that is not JSON is shown as it is.
export function prettyJson(text) {
  if (text === null || text === undefined) return "";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function formatLatency(ms) {
  if (ms === null || ms === undefined) return "–";
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

// "2026-11-28T16:18:57.104Z" → "16:18:57.104" in local time; the full stamp goes in a tooltip.
export function formatTime(iso) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return iso;
  const time = moment.toLocaleTimeString([], { hour12: false });
  return `${time}.${String(moment.getMilliseconds()).padStart(3, "0")}`;
}

// "2026-01-15T09:30:00.000Z" → "2026-01-15 10:30:00" in local time.
export function formatDateTime(iso) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return iso;
  const day = [moment.getFullYear(), moment.getMonth() + 1, moment.getDate()];
  const date = day.map((part) => String(part).padStart(2, "0")).join("-");
  return `${date} ${moment.toLocaleTimeString([], { hour12: false })}`;
}

// One delivery of a trigger or resend answer, in words: "HTTP 200 · attempt 1 · 3.2 ms · <url>".
export function describeDelivery(delivery) {
  if (delivery.held) return `held until a release · ${delivery.url}`;
  if (delivery.delayedUntil) return `delayed until ${delivery.delayedUntil} · ${delivery.url}`;
  const parts = [delivery.error ? `failed: ${delivery.error}` : `HTTP ${delivery.responseStatus}`];
  if (delivery.attempt) parts.push(`attempt ${delivery.attempt}`);
  if (delivery.latencyMs !== null && delivery.latencyMs !== undefined) {
    parts.push(formatLatency(delivery.latencyMs));
  }
  parts.push(delivery.url);
  return parts.join(" · ");
}
