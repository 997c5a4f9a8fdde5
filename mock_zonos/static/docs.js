// Docs: the README, served by this server, a section at a time, so its links work offline.

import { el } from "./dom.js";

const toc = document.getElementById("docs-toc");
const text = document.getElementById("docs-text");
let sections = null; // [{ slug, title, body }] once loaded

// "Delivery (mock behaviour)" → "delivery-mock-behaviour", as GitHub makes heading anchors.
function slug(title) {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .trim()
    .replace(/ +/g, "-");
}

async function load() {
  const response = await fetch("/_mock/readme");
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const [intro, ...parts] = (await response.text()).split(/^## /m);
  sections = [{ slug: "", title: "Introduction", body: intro }];
  for (const part of parts) {
    const title = part.slice(0, part.indexOf("\n")).trim();
    sections.push({ slug: slug(title), title, body: `## ${part}` });
  }
  toc.replaceChildren(...sections.map((s) => el("li", {}, el("a", { href: address(s) }, s.title))));
}

// Shows the section with this slug ("" for the introduction).
export async function showDocs(wanted = "") {
  try {
    if (!sections) await load();
  } catch (error) {
    text.textContent = `Could not load the README: ${error.message}`;
    return;
  }
  const section = sections.find((s) => s.slug === wanted) ?? sections[0];
  text.textContent = section.body.trim();
  for (const link of toc.querySelectorAll("a")) {
    link.classList.toggle("current", link.getAttribute("href") === address(section));
  }
}

function address(section) {
  return section.slug ? `#docs/${section.slug}` : "#docs";
}
