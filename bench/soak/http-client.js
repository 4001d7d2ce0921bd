// HTTP for the soak: node's http with one keep-alive agent per app process, no extra dependency.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/** A request that takes longer than this is abandoned and counted as a hang. */
export const HANG_MS = 10_000;

/**
 * One app process as the clients see it: its port and a keep-alive agent that
 * holds up to `maxSockets` connections (one per simulated client is enough).
 */
export function createTarget(port, { maxSockets = 256 } = {}) {
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  return { port, agent, close: () => agent.destroy() };
}

/**
 * Sends one request and never rejects. Resolves `{ status, headers, body, started, ms }`
 * (`body` parsed when JSON), or `{ status: 0, error, started, ms }` when no answer came
 * (a refused or reset connection, or `HANG_MS` without an answer: `error` is 'hang').
 * `form` is sent as application/x-www-form-urlencoded, `json` as JSON.
 *
 * A request reset on a kept-alive connection before any answer is sent once more on a new
 * one, as browsers do and Node's documentation advises (`request.reusedSocket`): the server
 * closed that idle connection as the request left, and never read it.
 */
export async function send(target, outgoing) {
  const started = performance.now();
  const first = await sendOnce(target, outgoing);
  const { resetWhenReused, ...answer } = first.resetWhenReused ? await sendOnce(target, outgoing, { fresh: true }) : first;
  return { ...answer, started, ms: performance.now() - started };
}

function sendOnce(target, { method = 'GET', path, headers = {}, form, json }, { fresh = false } = {}) {
  const payload = form !== undefined ? new URLSearchParams(form).toString() : json !== undefined ? JSON.stringify(json) : undefined;
  const type = form !== undefined ? 'application/x-www-form-urlencoded' : 'application/json';
  const allHeaders = payload === undefined ? headers : { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(payload) };
  return new Promise((resolve) => {
    let done = false;
    let answered = false;
    const finish = (result) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(result);
    };
    const agent = fresh ? false : target.agent;
    const outgoing = request({ host: '127.0.0.1', port: target.port, method, path, headers: allHeaders, agent }, (response) => {
      answered = true;
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('error', (error) => finish({ status: 0, error: error.code ?? error.message }));
      response.on('end', () => finish({ status: response.statusCode, headers: response.headers, body: parseBody(response, chunks) }));
    });
    const timer = setTimeout(() => {
      finish({ status: 0, error: 'hang' });
      outgoing.destroy();
    }, HANG_MS);
    outgoing.on('error', (error) => {
      const resetWhenReused = !answered && outgoing.reusedSocket && error.code === 'ECONNRESET';
      finish({ status: 0, error: error.code ?? error.message, resetWhenReused });
    });
    outgoing.end(payload);
  });
}

function parseBody(response, chunks) {
  const text = Buffer.concat(chunks).toString();
  if (!String(response.headers['content-type'] ?? '').includes('json') || text === '') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Seconds of a `Retry-After` header (delta-seconds), or undefined when absent or not a number. */
export function retryAfterOf(answer) {
  const value = Number(answer.headers?.['retry-after']);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}
