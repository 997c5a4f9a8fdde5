// Apollo Server over schema.graphql with in-memory webhooks: the baseline a
// Node GraphQL server sets for mock-zonos. Usage: node server.mjs SCHEMA PORT
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

const [schemaPath, port] = process.argv.slice(2);
const webhooks = []; // oldest first; lists read it backwards, newest first

function createWebhook({ url, type, status, headers = [] }) {
  const now = new Date().toISOString();
  const webhook = {
    id: `webhook_${randomUUID()}`,
    url, type, status,
    headers: headers.map(({ key }) => ({ key })),
    mode: "TEST",
    organizationId: "organization_benchmark",
    query: "query OrderCreated($id: ID!) { order(id: $id) { id } }",
    secret: `whsec_${randomBytes(32).toString("base64")}`,
    createdAt: now, updatedAt: now, createdBy: "user_benchmark", updatedBy: "user_benchmark",
  };
  webhooks.push(webhook);
  return webhook;
}

for (let i = 0; i < 10; i += 1) {
  createWebhook({ url: `http://127.0.0.1:9/hook/${i}`, type: "ORDER_CREATED", status: "ENABLED" });
}

const resolvers = {
  Query: {
    webhooks: (_, { first = 20 }) => {
      const nodes = webhooks.slice(-first).reverse();
      return {
        totalCount: webhooks.length,
        edges: nodes.map((node) => ({ cursor: node.id, node })),
        pageInfo: {
          hasNextPage: webhooks.length > first,
          hasPreviousPage: false,
          startCursor: nodes.length ? nodes[0].id : null,
          endCursor: nodes.length ? nodes[nodes.length - 1].id : null,
        },
      };
    },
  },
  Mutation: {
    webhookCreate: (_, { input }) => createWebhook(input),
  },
};

const server = new ApolloServer({ typeDefs: readFileSync(schemaPath, "utf8"), resolvers });
const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port: Number(port) } });
console.log(`listening ${url}`);
