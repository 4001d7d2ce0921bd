// The load generator: autocannon on loopback, 10 connections, each request carrying a token.
import autocannon from 'autocannon';

const CONNECTIONS = 10;

/**
 * Clients reusing their tokens: one request per `Authorization` value, built once; every
 * connection cycles through them all.
 */
export function reusedTokens(headers) {
  const requests = headers.map((authorization) => ({ method: 'GET', path: '/api', headers: { authorization } }));
  return { requests, repeated: false };
}

/**
 * A token never seen before on every request: one cursor shared by all connections, so no
 * value repeats until all were sent (then `repeated` turns true).
 */
export function freshTokens(headers) {
  let sent = 0;
  const setupRequest = (request) => {
    request.headers.authorization = headers[sent++ % headers.length];
    return request;
  };
  return {
    requests: [{ method: 'GET', path: '/api', setupRequest }],
    get repeated() {
      return sent > headers.length;
    },
  };
}

/**
 * Loads `GET /api` of a started server for `seconds` with the requests of `source`; every
 * answer must have status `expect`, else this throws (a peer refusing the shared tokens would
 * measure nothing). Returns requests per second, the 99th percentile latency in milliseconds,
 * and the server's CPU time per request in microseconds (steadier than req/s on a busy machine).
 */
export async function load({ server, source, seconds, expect }) {
  const { port } = server;
  const cpuBefore = await server.cpuSeconds();
  const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: seconds, requests: source.requests });
  const cpu = (await server.cpuSeconds()) - cpuBefore;
  const answered = result.requests.total;
  const matching = result.statusCodeStats[String(expect)]?.count ?? 0;
  if (answered === 0 || matching !== answered || result.errors > 0 || result.timeouts > 0) {
    const stats = JSON.stringify(result.statusCodeStats);
    throw new Error(`port ${port}: expected ${answered} answers ${expect}, got ${stats}, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return { rate: answered / result.duration, p99: result.latency.p99, cpuPerRequest: (cpu * 1e6) / answered };
}
