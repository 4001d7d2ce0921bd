import express from 'express';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, tokenRouter } from '../../adapters/express/index.js';
import { createAuth, MemoryStore, type AuthOptions } from '../../src/index.js';
import { createTarget, send, type Target } from '../../bench/soak/http-client.js';
import { serve } from '../adapters/support/serve.js';
import { testClock, TEST_SECRET } from '../support/test-clock.js';
import { bytesPerRequest, hammer, type Hammered } from './support/hammer.js';
import { slowStore, type SlowStore } from './support/slow-store.js';

/** The core's default storeTimeout: the bound every answer must keep. */
const BOUND_MS = 2_000;
/** Slack for a loaded machine: the deadline's timer and the event loop may run late. */
const MARGIN_MS = 1_000;
const ALICE = { username: 'alice', password: 'alice-password' };

interface SlowApp {
  readonly store: SlowStore;
  readonly target: Target;
  readonly accessToken: string;
  readonly refreshToken: string;
}

const targets: Target[] = [];
afterEach(() => targets.splice(0).forEach((target) => target.close()));

/** The example's routes on createAuth (default limits unless `options` says), with a store that can be made slow. */
async function startApp({ serial = false, ...options }: { serial?: boolean } & Partial<AuthOptions> = {}): Promise<SlowApp> {
  const store = slowStore(new MemoryStore(), { serial });
  const auth = createAuth({ issuer: 'http://slow.test', audience: 'api', keys: { secret: TEST_SECRET }, store, ...options });
  const app = express();
  app.use('/auth', tokenRouter(auth, { login: ({ body }) => (body.username === ALICE.username && body.password === ALICE.password ? { subject: 'alice' } : null) }));
  app.get('/api/me', authenticate(auth), (req, res) => {
    res.json({ subject: req.auth?.subject });
  });
  const target = createTarget(Number(new URL(await serve(app)).port), { maxSockets: 1_000 });
  targets.push(target);
  const login = await send(target, { method: 'POST', path: '/auth/login', json: ALICE });
  expect(login.status).toBe(200);
  return { store, target, accessToken: login.body.access_token, refreshToken: login.body.refresh_token };
}

function expectAll503WithinBound(result: Hammered): void {
  expect(result.store.statuses).toEqual({ 503: result.store.count });
  expect(result.store.withoutRetryAfter).toBe(0);
  expect(result.store.slowest).toBeLessThan(BOUND_MS + MARGIN_MS);
  expect(result.api.statuses).toEqual({ 200: result.api.count });
}

describe('a store that answers every call 3 s late', () => {
  let result: Hammered;

  beforeAll(async () => {
    const app = await startApp();
    app.store.delay.ms = 3_000;
    result = await hammer(app.target, { clients: 800, seconds: 8, accessToken: app.accessToken, refreshToken: app.refreshToken });
    app.store.delay.ms = 0;
  }, 30_000);

  it('answers every login and refresh 503 with Retry-After at the 2 s bound, and keeps verifying access tokens', () => {
    expect(result.store.count).toBeGreaterThan(2_000);
    expectAll503WithinBound(result);
    // The calls the store held waited for the deadline: a timeout, not an early refusal.
    expect(result.store.slowest).toBeGreaterThanOrEqual(BOUND_MS - 50);
  });
});

describe('a store that queues its calls, one at a time, 3 s each', () => {
  it('refuses at once beyond 1,000 calls in flight, so memory stays flat however many requests come', async () => {
    const app = await startApp({ serial: true });
    app.store.delay.ms = 3_000;
    const result = await hammer(app.target, { clients: 800, seconds: 8, accessToken: app.accessToken, refreshToken: app.refreshToken });
    app.store.delay.ms = 0;
    expect(result.store.count).toBeGreaterThan(5_000);
    expectAll503WithinBound(result);
    // Unbounded (maxPendingStoreCalls: 1e9), the queue measured about 2 KB per request here.
    expect(bytesPerRequest(result.heap)).toBeLessThan(512);
  }, 30_000);
});

describe('a logout whose first attempt timed out while the store went on to revoke', () => {
  // Known gap, flips when fixed: the store's late revocation is dropped by the deadline, and the
  // acknowledged retry finds the session already revoked, so the core neither applies nor
  // broadcasts the revocation: the access token stays valid until it expires.
  it.fails('refuses the session access token once the retry is acknowledged', async () => {
    const app = await startApp({ storeTimeout: '100ms' });
    const logout = { method: 'POST', path: '/auth/logout', form: { refresh_token: app.refreshToken } };
    app.store.delay.ms = 300;
    expect((await send(app.target, logout)).status).toBe(503);
    await app.store.settled();
    app.store.delay.ms = 0;
    expect((await send(app.target, logout)).status).toBe(204);
    const me = await send(app.target, { path: '/api/me', headers: { authorization: `Bearer ${app.accessToken}` } });
    expect([me.status, me.body.error]).toEqual([401, 'invalid_token']);
  });
});

describe('a refresh whose first attempt timed out while the store went on to rotate', () => {
  // Known gap, flips when fixed: the store commits the rotation after the deadline answered 503,
  // so the client keeps the token it presented and, retrying once the store is fast again, is
  // past the reuse interval: the retry reads as reuse of a stolen token and ends the session
  // (with no session.reuse_detected event, since the late answer is dropped).
  it.fails('still works when retried after the reuse interval', async () => {
    const clock = testClock();
    const app = await startApp({ clock, storeTimeout: '100ms' });
    const refresh = { method: 'POST', path: '/auth/token', form: { grant_type: 'refresh_token', refresh_token: app.refreshToken } };
    app.store.delay.ms = 300;
    expect((await send(app.target, refresh)).status).toBe(503);
    await app.store.settled();
    app.store.delay.ms = 0;
    clock.advance(6);
    const retried = await send(app.target, refresh);
    expect([retried.status, retried.body.error]).toEqual([200, undefined]);
  });
});
