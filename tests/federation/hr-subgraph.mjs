// A tiny HR subgraph for the federation test: employees who reference the hub's offers by id only.
//
//   HR_OFFER_IDS='["egov-campus:k00"]' node hr-subgraph.mjs --port 4101
//
// `Offer` is a stub (`resolvable: false`): this subgraph knows offer ids, the hub owns everything else, so a
// gateway has to fetch titles, prices and providers from the hub through `_entities`. Listens on 127.0.0.1
// only; the port comes from `--port N` or `HR_PORT`. Prints one line `hr-subgraph ready <url>` once it serves.
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";

import { argValue } from "./util.mjs";

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])

  type Employee @key(fields: "id") {
    id: ID!
    name: String!
    role: String!
    recommendedOffers: [Offer!]!
  }

  type Offer @key(fields: "id", resolvable: false) {
    id: ID!
  }

  type Query {
    employees: [Employee!]!
    employee(id: ID!): Employee
  }
`);

function offerIds() {
  const raw = process.env.HR_OFFER_IDS ?? "[]";
  const ids = JSON.parse(raw);
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string")) {
    throw new Error(`HR_OFFER_IDS must be a JSON list of strings, got ${raw}`);
  }
  return ids;
}

// Each employee gets a different slice of the offers, so the test sees that each reference is resolved.
function employees(ids) {
  return [
    { id: "e1", name: "Anna Becker", role: "Sachbearbeiterin Bürgerbüro", offerIds: ids },
    { id: "e2", name: "Jonas Weber", role: "IT-Sicherheitsbeauftragter", offerIds: ids.slice(0, 1) },
    { id: "e3", name: "Leyla Demir", role: "Prozessmanagerin", offerIds: [] },
  ];
}

const staff = employees(offerIds());
const byId = new Map(staff.map((e) => [e.id, e]));

const resolvers = {
  Query: {
    employees: () => staff,
    employee: (_root, { id }) => byId.get(id) ?? null,
  },
  Employee: {
    __resolveReference: (ref) => byId.get(ref.id) ?? null,
    recommendedOffers: (employee) => employee.offerIds.map((id) => ({ __typename: "Offer", id })),
  },
};

const port = Number(argValue("--port") ?? process.env.HR_PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error("hr-subgraph: give the port with --port N or HR_PORT");
  process.exit(2);
}

const server = new ApolloServer({
  schema: buildSubgraphSchema([{ typeDefs, resolvers }]), // the array form: the only one @apollo/subgraph 2.15+ accepts
  plugins: [ApolloServerPluginInlineTraceDisabled()], // no GraphOS here: skip the "enabling inline tracing" notice
  stopOnTerminationSignals: true, // drain and exit on SIGTERM, also when NODE_ENV=test would turn it off
});
const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port } });
console.log(`hr-subgraph ready ${url}`);
