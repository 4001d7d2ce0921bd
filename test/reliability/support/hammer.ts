import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { retryAfterOf, send, type Answer, type OutgoingRequest, type Target } from '../../../bench/soak/http-client.js';

// A real collection before each heap sample, without asking the test runner for --expose-gc.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** What the load saw of one kind of request: answers by status, the slowest, 503s without Retry-After. */
export interface Tally {
  count: number;
  statuses: Record<string, number>;
  slowest: number;
  withoutRetryAfter: number;
}

/** The heap after a full collection, and how many requests had been answered then. */
export interface HeapSample {
  readonly requests: number;
  readonly bytes: number;
}

/** What {@link hammer} measured. */
export interface Hammered {
  /** Logins and refreshes: the requests that need the store. */
  readonly store: Tally;
  /** `GET /api/me` with a valid access token: no store call. */
  readonly api: Tally;
  /** Every 500 ms from the third second on. */
  readonly heap: readonly HeapSample[];
}

const ALICE = { username: 'alice', password: 'alice-password' };

/**
 * Drives an app with `clients` clients that never wait (they ignore
 * Retry-After: the most a slow store can be asked) for `seconds`: nine in ten
 * requests log in or refresh, one calls the API with `accessToken`.
 */
export async function hammer(target: Target, { clients, seconds, accessToken, refreshToken }: { clients: number; seconds: number; accessToken: string; refreshToken: string }): Promise<Hammered> {
  const store = tally();
  const api = tally();
  const heap: HeapSample[] = [];
  const start = performance.now();
  const until = start + seconds * 1_000;
  let turn = 0;
  const client = async (_: unknown, index: number): Promise<void> => {
    // Clients arrive over the first second, as load does, not in one tick.
    await sleep(index * (1_000 / clients));
    while (performance.now() < until) {
      const kind = turn++ % 10;
      if (kind === 0) count(api, await send(target, { path: '/api/me', headers: { authorization: `Bearer ${accessToken}` } }));
      else count(store, await send(target, storeRequest(kind, refreshToken)));
    }
  };
  const sampler = async (): Promise<void> => {
    for (let at = 3_000; at < seconds * 1_000; at += 500) {
      await sleep(start + at - performance.now());
      heap.push({ requests: store.count + api.count, bytes: heapAfterGc() });
    }
  };
  await Promise.all([...Array.from({ length: clients }, client), sampler()]);
  return { store, api, heap };
}

/** The least-squares slope of heap bytes by requests answered: the bytes each request leaves behind. */
export function bytesPerRequest(samples: readonly HeapSample[]): number {
  const meanX = samples.reduce((sum, sample) => sum + sample.requests, 0) / samples.length;
  const meanY = samples.reduce((sum, sample) => sum + sample.bytes, 0) / samples.length;
  const covariance = samples.reduce((sum, sample) => sum + (sample.requests - meanX) * (sample.bytes - meanY), 0);
  const variance = samples.reduce((sum, sample) => sum + (sample.requests - meanX) ** 2, 0);
  return covariance / variance;
}

function tally(): Tally {
  return { count: 0, statuses: {}, slowest: 0, withoutRetryAfter: 0 };
}

function count(into: Tally, answer: Answer): void {
  into.count++;
  const key = answer.status === 0 ? String(answer.error) : String(answer.status);
  into.statuses[key] = (into.statuses[key] ?? 0) + 1;
  into.slowest = Math.max(into.slowest, answer.ms);
  if (answer.status === 503 && retryAfterOf(answer) === undefined) into.withoutRetryAfter++;
}

/** A login or a refresh, in turn: both need the store. */
function storeRequest(kind: number, refreshToken: string): OutgoingRequest {
  if (kind % 2 === 0) return { method: 'POST', path: '/auth/login', json: ALICE };
  return { method: 'POST', path: '/auth/token', form: { grant_type: 'refresh_token', refresh_token: refreshToken } };
}

function heapAfterGc(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
