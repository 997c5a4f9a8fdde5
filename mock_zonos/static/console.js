// Query console: any GraphQL document against POST /graphql with the chosen token, the raw
// JSON answer, and a schema reference built from introspection. It works offline,
// unlike the GraphiQL page at GET /graphql, which loads its scripts from a CDN.

import { graphql } from "./api.js";
import { busy, el } from "./dom.js";
import * as scope from "./scope.js";

const EXAMPLE = `query Webhooks($first: Int) {
  webhooks(first: $first) {
    totalCount
    edges { node { id type url status createdAt headers { key } } }
  }
}`;

const INTROSPECTION = `{
  __schema {
    types {
      name kind description
      fields { name description args { name type { ...Ref } } type { ...Ref } }
      inputFields { name description type { ...Ref } }
      enumValues { name }
    }
  }
}
fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`;

const ROOTS = ["Query", "Mutation"];

const form = document.getElementById("console-form");
const output = document.getElementById("console-result");
const reference = document.getElementById("schema-reference");
let referenceLoaded = false;

export function initConsole() {
  form.elements.query.value = EXAMPLE;
  form.elements.variables.value = '{"first": 20}';
  form.elements.token.value = scope.token();
  scope.on("scope", () => {
    form.elements.token.value = scope.token();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form.querySelector("button[type=submit]"), run);
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
}

// Called when the panel is first shown: introspection costs a request, so not before.
export function showConsole() {
  if (!referenceLoaded) {
    referenceLoaded = true;
    loadReference();
  }
}

async function run() {
  let variables;
  try {
    variables = JSON.parse(form.elements.variables.value.trim() || "{}");
  } catch (error) {
    output.textContent = `Variables are not valid JSON: ${error.message}`;
    return;
  }
  try {
    const token = form.elements.token.value.trim();
    const { status, payload } = await graphql(form.elements.query.value, variables, token);
    output.textContent = `HTTP ${status}\n${JSON.stringify(payload, null, 2)}`;
  } catch (error) {
    output.textContent = error.message;
  }
}

async function loadReference() {
  try {
    const { payload } = await graphql(INTROSPECTION, {}, "");
    const types = payload.data.__schema.types.filter((type) => !type.name.startsWith("__"));
    types.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
    reference.replaceChildren(...types.map(describeType));
  } catch (error) {
    const problem = el("p", { dataset: { kind: "error" } }, `Introspection failed: ${error.message}`);
    reference.replaceChildren(problem);
  }
}

// The roots first, then every type by name.
function rank(type) {
  const root = ROOTS.indexOf(type.name);
  return root === -1 ? ROOTS.length : root;
}

function describeType(type) {
  const members = [
    ...(type.fields ?? []).map(describeField),
    ...(type.inputFields ?? []).map((field) =>
      member(`${field.name}: ${typeName(field.type)}`, field.description),
    ),
    ...(type.enumValues ?? []).map((value) => member(value.name)),
  ];
  return el(
    "details",
    { className: "schema-type", open: ROOTS.includes(type.name) },
    el("summary", {}, el("span", { className: "kind" }, kindName(type.kind)), type.name),
    type.description && el("p", { className: "muted" }, type.description),
    members.length > 0 && el("ul", {}, ...members),
  );
}

// "INPUT_OBJECT" → "input object"
function kindName(kind) {
  return kind.toLowerCase().replace("_", " ");
}

function describeField(field) {
  const args = field.args.map((arg) => `${arg.name}: ${typeName(arg.type)}`).join(", ");
  return member(`${field.name}${args ? `(${args})` : ""}: ${typeName(field.type)}`, field.description);
}

function member(signature, description) {
  const note = description && el("span", { className: "muted" }, ` — ${description}`);
  return el("li", {}, el("code", {}, signature), note);
}

// An introspected type reference as SDL writes it: [Webhook!]!
function typeName(ref) {
  if (ref.kind === "NON_NULL") return `${typeName(ref.ofType)}!`;
  if (ref.kind === "LIST") return `[${typeName(ref.ofType)}]`;
  return ref.name;
}
