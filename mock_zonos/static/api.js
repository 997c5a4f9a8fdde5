// Talking to the server: the mock's control plane under /_mock/, and GraphQL like any client.
// Failures become an Error whose message is the server's own words.

async function readJson(response) {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status}: ${text.slice(0, 200) || response.statusText}`);
  }
}

function headersFor(token, hasBody) {
  const headers = {};
  if (token) headers.credentialToken = token;
  if (hasBody) headers["Content-Type"] = "application/json";
  return headers;
}

// GET (or POST with `body`) a /_mock/ endpoint; resolves to its JSON, rejects with its error.
export async function control(path, { body, token } = {}) {
  const response = await fetch(path, {
    method: body === undefined ? "GET" : "POST",
    headers: headersFor(token, body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = await readJson(response);
  if (!response.ok) throw new Error(payload.error ?? `HTTP ${response.status}`);
  return payload;
}

// The raw answer of POST /graphql: { status, payload }, errors included.
export async function graphql(query, variables, token) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: headersFor(token, true),
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, payload: await readJson(response) };
}

// The `data` of a GraphQL request that must succeed; its errors' messages otherwise.
export async function graphqlData(query, variables, token) {
  const { payload } = await graphql(query, variables, token);
  if (payload.errors?.length) throw new Error(payload.errors.map((e) => e.message).join(" "));
  return payload.data;
}

// The values of a GraphQL enum, such as OrderStatus, read by introspection (which needs no token).
export async function enumValues(typeName) {
  const query = "query Enum($name: String!) { __type(name: $name) { enumValues { name } } }";
  const data = await graphqlData(query, { name: typeName });
  return data.__type.enumValues.map((value) => value.name);
}
