// Apollo Gateway in front of the composed subgraphs, on 127.0.0.1.
//
//   node gateway.mjs --supergraph supergraph.graphql --port 4100
//
// The supergraph is static (`supergraphSdl`, no polling, no Apollo GraphOS): the subgraph URLs are the routing URLs
// compose.mjs wrote into it. A request with the header `Apollo-Query-Plan-Experimental: 1` gets the query plan back
// in `extensions.__queryPlanExperimental`, so the test can see which subgraphs a query went to. Prints one line
// `gateway ready <url>` once it serves.
import { readFile } from "node:fs/promises";

import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

import { argValue } from "./util.mjs";

const supergraphPath = argValue("--supergraph") ?? process.env.SUPERGRAPH;
const port = Number(argValue("--port") ?? process.env.GATEWAY_PORT);
if (!supergraphPath || !Number.isInteger(port) || port <= 0) {
  console.error("gateway: give --supergraph PATH and --port N (or SUPERGRAPH, GATEWAY_PORT)");
  process.exit(2);
}

const gateway = new ApolloGateway({
  supergraphSdl: await readFile(supergraphPath, "utf8"),
  __exposeQueryPlanExperimental: true, // test-only: never expose query plans on a public gateway
});
const server = new ApolloServer({
  gateway,
  includeStacktraceInErrorResponses: true,
  stopOnTerminationSignals: true, // drain and exit on SIGTERM, also when NODE_ENV=test would turn it off
});
const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port } });
console.log(`gateway ready ${url}`);
