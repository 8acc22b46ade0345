// Compose subgraphs into a supergraph with @apollo/composition, the way `rover supergraph compose` does.
//
//   node compose.mjs --out supergraph.graphql hub=http://127.0.0.1:8000/graphql hr=http://127.0.0.1:4101/
//
// Each `name=source` is a subgraph: its SDL comes from `_service { sdl }` when the source is an http(s) URL (what
// a gateway does), otherwise from the file at that path; the URL is also the routing URL written into the
// supergraph (a file source may add it after a comma: `hub=schema.graphql,http://127.0.0.1:8000/graphql`).
// On success it writes the supergraph SDL to `--out` and prints one JSON line:
//   {"supergraph": "<path>", "entities": {"Offer": {"hub": ["id"], "hr": ["id"]}, ...}, "hints": [...]}
// On failure it prints every composition error with its code and exits with status 1.
import { readFile, writeFile } from "node:fs/promises";

import { composeServices } from "@apollo/composition";
import { Kind, parse } from "graphql";

import { argValue, fetchSubgraphSdl } from "./util.mjs";

function subgraphArgs() {
  const out = [];
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith("--")) {
      i++; // skip the option's value
      continue;
    }
    const eq = args[i].indexOf("=");
    if (eq <= 0) throw new Error(`expected name=source, got ${args[i]}`);
    out.push({ name: args[i].slice(0, eq), source: args[i].slice(eq + 1) });
  }
  if (out.length === 0) throw new Error("no subgraphs given");
  return out;
}

async function loadSubgraph({ name, source }) {
  if (/^https?:\/\//.test(source)) {
    return { name, url: source, sdl: await fetchSubgraphSdl(source) };
  }
  const [path, url = `http://${name}.invalid/graphql`] = source.split(",");
  return { name, url, sdl: await readFile(path, "utf8") };
}

/** Entity types of the supergraph: type → subgraph name → the key field sets it declares there. */
function entitiesOf(supergraphSdl) {
  const doc = parse(supergraphSdl);
  const graphNames = new Map(); // enum value (HUB) → subgraph name (hub)
  const entities = {};
  const arg = (directive, name) => directive.arguments?.find((a) => a.name.value === name)?.value;
  for (const def of doc.definitions) {
    if (def.kind === Kind.ENUM_TYPE_DEFINITION && def.name.value === "join__Graph") {
      for (const value of def.values ?? []) {
        const graph = value.directives?.find((d) => d.name.value === "join__graph");
        graphNames.set(value.name.value, graph ? arg(graph, "name").value : value.name.value);
      }
    }
  }
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    for (const directive of def.directives ?? []) {
      const key = directive.name.value === "join__type" && arg(directive, "key");
      if (!key) continue;
      const graph = graphNames.get(arg(directive, "graph").value);
      const perGraph = (entities[def.name.value] ??= {});
      (perGraph[graph] ??= []).push(key.value);
    }
  }
  return entities;
}

async function main() {
  const outPath = argValue("--out");
  if (!outPath) throw new Error("give the output file with --out PATH");
  const subgraphs = await Promise.all(subgraphArgs().map(loadSubgraph));

  const services = [];
  for (const { name, url, sdl } of subgraphs) {
    try {
      services.push({ name, url, typeDefs: parse(sdl) });
    } catch (err) {
      console.error(`composition failed: the SDL of subgraph "${name}" does not parse: ${err.message}`);
      process.exit(1);
    }
  }

  const result = composeServices(services);
  if (result.errors?.length) {
    console.error(`composition failed with ${result.errors.length} error(s):`);
    for (const error of result.errors) {
      const code = error.extensions?.code ?? "UNKNOWN";
      console.error(`  [${code}] ${error.message}`);
    }
    process.exit(1);
  }

  await writeFile(outPath, result.supergraphSdl, "utf8");
  const hints = (result.hints ?? []).map((h) => `[${h.definition?.code ?? "HINT"}] ${h.message}`);
  console.log(JSON.stringify({ supergraph: outPath, entities: entitiesOf(result.supergraphSdl), hints }));
}

main().catch((err) => {
  console.error(`composition failed: ${err.message ?? err}`);
  process.exit(1);
});
