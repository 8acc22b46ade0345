// Small helpers shared by the federation test scripts.

/** The value after `name` on the command line (`--port 4000`), or undefined. */
export function argValue(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : undefined;
}

/** A subgraph's SDL from its `_service { sdl }` field, the way a gateway asks for it. */
export async function fetchSubgraphSdl(url, timeoutMs = 10000) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "apollo-require-preflight": "true" },
      body: JSON.stringify({ query: "query SubgraphSdl { _service { sdl } }" }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new Error(`cannot fetch the SDL from ${url}: ${err.cause?.message ?? err.message}`);
  }
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${url} answered ${response.status} with non-JSON: ${text.slice(0, 500)}`);
  }
  const sdl = body?.data?._service?.sdl;
  if (!response.ok || body.errors || typeof sdl !== "string") {
    throw new Error(`${url} did not give its SDL (HTTP ${response.status}): ${text.slice(0, 2000)}`);
  }
  return sdl;
}
