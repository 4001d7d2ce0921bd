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
  // Found by this test: the retry found the session already revoked, and the core then neither
  // applied nor broadcast the revocation, so the access token stayed valid until it expired.
  it('refuses the session access token once the retry is acknowledged', async () => {
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

describe('a refresh or a login whose first attempt timed out while the store queued it', () => {
  // Found by this test: the store carried out the rotation after the 503, so the client, still
  // holding the token it presented, retried past the reuse interval and its retry read as reuse
  // of a stolen token, ending the session. The store now refuses steps past their deadline.
  it('still works when retried after the reuse interval', async () => {
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

  it('leaves no session behind a login answered 503', async () => {
    const app = await startApp({ storeTimeout: '100ms' });
    app.store.delay.ms = 300;
    expect((await send(app.target, { method: 'POST', path: '/auth/login', json: ALICE })).status).toBe(503);
    await app.store.settled();
    app.store.delay.ms = 0;
    // Only the login startApp made: the late one was refused by the store, not created for nobody.
    expect(await app.store.count(Math.floor(Date.now() / 1000), 'alice')).toBe(1);
  });
});
