import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, type Auth, type AuthOptions, type RevocationNotice } from '../../src/index.js';
import { RedisStore } from '../../src/stores/redis/index.js';
import { REVOCATION_HORIZON_S, TTL_MARGIN_MS } from '../../src/stores/redis/lua/prelude.js';
import { startRedisServer, waitFor, type RedisServer } from '../support/redis-server.js';
import { testClock, TEST_SECRET } from '../support/test-clock.js';
import type { RefreshOutcome, RefreshRequest } from './redis/refresh-child.js';
import { describeSessionStore } from './session-store-conformance.js';

const HOUR = 3600;
/** The client options the RedisStore TSDoc recommends: fail fast while Redis is down. */
const FAIL_FAST: RedisOptions = { host: '127.0.0.1', maxRetriesPerRequest: 1, enableOfflineQueue: false };

let server: RedisServer;
let admin: Redis;
let prefixes = 0;
const clients: Redis[] = [];

async function connect(lazy = false): Promise<Redis> {
  const client = new Redis({ ...FAIL_FAST, port: server.port, lazyConnect: lazy });
  clients.push(client);
  if (!lazy) await once(client, 'ready');
  return client;
}

beforeAll(async () => {
  server = await startRedisServer();
  admin = await connect();
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.stop();
});

describeSessionStore('RedisStore', async () => {
  const client = await connect();
  const store = new RedisStore({ client, prefix: `conformance${++prefixes}` });
  const close = async (): Promise<void> => {
    await store.close();
    await client.quit();
  };
  return { store, close };
});

describe('RedisStore on a standalone redis-server', () => {
  const clock = testClock();
  const open = async (
    prefix = `specific${++prefixes}`,
    lazy = false,
    options: Partial<AuthOptions> = {},
  ): Promise<{ auth: Auth; store: RedisStore }> => {
    const store = new RedisStore({ client: await connect(lazy), prefix });
    const auth = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET }, store, clock, refreshTokenTtl: HOUR, ...options });
    return { auth, store };
  };

  /**
   * The commands clients sent while `action` ran, as MONITOR shows them, without those
   * that scripts ran inside Redis: what travelled over the network.
   */
  async function commandsDuring(action: () => Promise<unknown>): Promise<Record<string, number>> {
    const monitor = await admin.monitor();
    const calls: Record<string, number> = {};
    let ended = false;
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      const name = (args[0] ?? '').toLowerCase();
      if (name === 'echo' && args[1] === 'end-of-measure') ended = true;
      else if (source !== 'lua') calls[name] = (calls[name] ?? 0) + 1;
    });
    await action();
    await admin.echo('end-of-measure');
    await waitFor(() => ended, 5_000);
    monitor.disconnect();
    return calls;
  }

  async function subscribers(channel: string): Promise<number> {
    const [, count] = (await admin.pubsub('NUMSUB', channel)) as [string, number];
    return count;
  }

  it('refreshes in one round trip: one EVALSHA and no other command', async () => {
    const { auth } = await open();
    let tokens = await auth.issue({ subject: 'alice' });
    tokens = await auth.refresh(tokens.refreshToken);
    const calls = await commandsDuring(async () => {
      for (let i = 0; i < 5; i++) tokens = await auth.refresh(tokens.refreshToken);
    });
    expect(calls).toEqual({ evalsha: 5 });
    auth.close();
  });

  it('counts with one ZCOUNT per shard or subject, never KEYS or SCAN', async () => {
    const { auth } = await open();
    for (const subject of ['alice', 'bob', 'carol', 'alice']) await auth.issue({ subject });
    let counts: number[] = [];
    const calls = await commandsDuring(async () => {
      counts = [await auth.countActiveSessions(), await auth.countActiveSessions('alice')];
    });
    expect(counts).toEqual([4, 2]);
    expect(calls).toEqual({ zcount: 17 });
    auth.close();
  });

  it('gives every key a TTL from the core clock, however far it is from the wall clock', async () => {
    const prefix = `ttl${++prefixes}`;
    const { auth } = await open(prefix);
    const first = await auth.issue({ subject: 'alice' });
    await auth.refresh(first.refreshToken);
    const revoked = await auth.issue({ subject: 'bob' });
    await auth.revokeSession(revoked.sessionId);
    await auth.revokeSubject('carol');
    const keys = await admin.keys(`{${prefix}:*`);
    const ttls = Object.fromEntries(await Promise.all(keys.map(async (key) => [key.replace(/[A-Za-z0-9_-]{23}$/, '<id>'), await admin.pttl(key)] as const)));
    expect(Object.keys(ttls).some((key) => key.endsWith(':s:<id>'))).toBe(true);
    expect(Object.keys(ttls).some((key) => key.endsWith(':c:<id>'))).toBe(true);
    // What revokedSince reads back lives a day past the last revocation, sessions an hour past their last refresh.
    const horizon = (key: string): boolean => key.endsWith(':revoked') || key.endsWith(':not-before');
    expect(Object.keys(ttls).filter(horizon)).toHaveLength(2);
    for (const [key, ttl] of Object.entries(ttls)) {
      const lifetime = horizon(key) ? REVOCATION_HORIZON_S * 1000 : HOUR * 1000;
      expect(ttl).toBeGreaterThan(lifetime - 5_000);
      expect(ttl).toBeLessThanOrEqual(lifetime + TTL_MARGIN_MS);
    }
    auth.close();
  });

  it('does not carry out a refresh that Redis reaches after the core answered 503, so the retried token is not taken for reuse', async () => {
    const { auth } = await open(undefined, false, { storeTimeout: '400ms', reuseInterval: 5 });
    const tokens = await auth.issue({ subject: 'alice' });
    // Redis holds every command for a second: the script runs well after the 503 and its deadline.
    await admin.client('PAUSE', '1000', 'ALL');
    await expect(auth.refresh(tokens.refreshToken)).rejects.toMatchObject({ code: 'temporarily_unavailable', reason: 'timeout' });
    await admin.ping();
    // The client retries with the token it holds, past the reuse interval: still its current one.
    clock.advance(10);
    await expect(auth.refresh(tokens.refreshToken)).resolves.toMatchObject({ sessionId: tokens.sessionId });
    auth.close();
  });

  it('reads back the revocations of every shard since a time, by every kind of revocation, one command per shard', async () => {
    const prefix = `since${++prefixes}`;
    const { auth, store } = await open(prefix, false, { maxSessionsPerSubject: 2 });
    const before = await auth.issue({ subject: 'early' });
    await auth.revokeSession(before.sessionId);
    clock.advance(10);
    const since = clock();
    const byId = await Promise.all(Array.from({ length: 24 }, (_, index) => auth.issue({ subject: `user-${index}` })));
    for (const { sessionId } of byId) await auth.revokeSession(sessionId);
    const byToken = await auth.issue({ subject: 'dave' });
    await auth.revoke(byToken.refreshToken);
    clock.advance(1);
    const evicted = await auth.issue({ subject: 'erin' });
    await auth.issue({ subject: 'erin' });
    await auth.issue({ subject: 'erin' });
    const reused = await auth.issue({ subject: 'frank' });
    await auth.refresh(reused.refreshToken);
    clock.advance(1);
    const bySubject = await auth.issue({ subject: 'bob' });
    await auth.revokeSubject('bob');
    const subjectAt = clock();
    clock.advance(10);
    await expect(auth.refresh(reused.refreshToken)).rejects.toMatchObject({ reason: 'reused' });

    let notices: readonly RevocationNotice[] = [];
    const calls = await commandsDuring(async () => {
      notices = await store.revokedSince(since);
    });
    expect(calls).toEqual({ evalsha: 16 });
    const ids = notices.flatMap((notice) => notice.sessionIds);
    const expected = [...byId, byToken, evicted, bySubject, reused].map((tokens) => tokens.sessionId);
    expect(ids.toSorted()).toEqual(expected.toSorted());
    expect(new Set(ids.map((id) => id[0])).size).toBeGreaterThan(4);
    expect(notices.filter((notice) => notice.subject !== undefined)).toEqual([{ subject: 'bob', sessionIds: [], at: subjectAt }]);
    const revokedAt = (id: string): number | undefined => notices.find((notice) => notice.sessionIds.includes(id))?.at;
    expect([byId[0], byToken, evicted, bySubject, reused].map((tokens) => revokedAt(tokens?.sessionId ?? ''))).toEqual([
      since,
      since,
      since + 1,
      subjectAt,
      clock(),
    ]);
    // At or after: the boundary is included.
    expect((await store.revokedSince(since - 10)).flatMap((notice) => notice.sessionIds)).toContain(before.sessionId);
    auth.close();
  });

  it('forgets revocations older than a day, trimmed when it records a later one', async () => {
    const prefix = `horizon${++prefixes}`;
    const store = new RedisStore({ client: await connect(), prefix });
    const now = clock();
    const session = { subject: 'alice', createdAt: now, refreshedAt: now, expiresAt: now + 3 * REVOCATION_HORIZON_S, maxExpiresAt: now + 3 * REVOCATION_HORIZON_S };
    const old = await store.create({ ...session, tokenHash: 'A'.repeat(43) }, now);
    const later = await store.create({ ...session, tokenHash: 'B'.repeat(43) }, now);
    await store.revoke(old.session.id, now);
    const nextDay = now + REVOCATION_HORIZON_S + 1;
    expect((await store.revokedSince(0)).flatMap((notice) => notice.sessionIds)).toEqual([old.session.id]);
    await store.revoke(later.session.id, nextDay);
    expect(await store.revokedSince(0)).toEqual([{ sessionIds: [later.session.id], at: nextDay }]);
    await store.close();
  });

  it('calls resync each time its subscription becomes active: the first time, and after every drop', async () => {
    const prefix = `resync${++prefixes}`;
    const store = new RedisStore({ client: await connect(), prefix });
    const heard: string[] = [];
    let resyncs = 0;
    // A listener and a resync that throw must not keep the others from their calls.
    const stopThrowing = store.revocations.subscribe(
      () => {
        throw new Error('listener');
      },
      () => {
        throw new Error('resync');
      },
    );
    const stop = store.revocations.subscribe(
      (notice) => heard.push(notice.sessionIds.join()),
      () => resyncs++,
    );
    await waitFor(async () => (await subscribers(`${prefix}:revocations`)) === 1, 5_000);
    await store.revocations.publish({ sessionIds: ['first'], at: clock() });
    await waitFor(() => heard.length === 1, 5_000);
    expect(resyncs).toBe(1);
    for (const round of [1, 2]) {
      await admin.client('KILL', 'TYPE', 'pubsub');
      await waitFor(() => resyncs === round + 1, 5_000);
      await store.revocations.publish({ sessionIds: [`after-drop-${round}`], at: clock() });
      await waitFor(() => heard.length === round + 1, 5_000);
    }
    expect(heard).toEqual(['first', 'after-drop-1', 'after-drop-2']);
    expect(resyncs).toBe(3);
    stopThrowing();
    stop();
    await waitFor(async () => (await subscribers(`${prefix}:revocations`)) === 0, 5_000);
  });

  it('broadcasts revocations: a revoke on one instance is refused by another within a second', async () => {
    const prefix = `pubsub${++prefixes}`;
    const a = await open(prefix);
    const b = await open(prefix, true);
    await waitFor(async () => (await subscribers(`${prefix}:revocations`)) === 2, 5_000);
    const one = await a.auth.issue({ subject: 'alice' });
    const other = await a.auth.issue({ subject: 'bob' });
    await expect(b.auth.verify(one.accessToken)).resolves.toMatchObject({ subject: 'alice' });

    await a.auth.revokeSession(one.sessionId);
    await waitFor(() => b.auth.verify(one.accessToken).then(() => false, () => true), 1_000);
    await expect(b.auth.verify(one.accessToken)).rejects.toMatchObject({ code: 'invalid_token', reason: 'revoked' });

    await a.auth.revokeSubject('bob');
    await waitFor(() => b.auth.verify(other.accessToken).then(() => false, () => true), 1_000);
    await expect(b.auth.verify(other.accessToken)).rejects.toMatchObject({ code: 'invalid_token', reason: 'revoked' });
    for (const { auth, store } of [a, b]) {
      auth.close();
      await store.close();
    }
    await waitFor(async () => (await subscribers(`${prefix}:revocations`)) === 0, 5_000);
  });

  it('ends 50 simultaneous refreshes split across two processes as some serial order would', async () => {
    const prefix = `processes${++prefixes}`;
    const { auth } = await open(prefix);
    const first = await auth.issue({ subject: 'alice' });
    const children = [1, 2].map(() =>
      fork(new URL('./redis/refresh-child.ts', import.meta.url), [String(server.port), prefix, String(clock())], {
        execArgv: ['--import', new URL('./redis/register-typescript.mjs', import.meta.url).href],
        stdio: 'inherit',
      }),
    );
    try {
      await Promise.all(children.map((child) => once(child, 'message')));
      const replies = children.map((child) => once(child, 'message') as Promise<[RefreshOutcome[]]>);
      for (const child of children) child.send({ refreshToken: first.refreshToken, count: 25 } satisfies RefreshRequest);
      const outcomes = (await Promise.all(replies)).flatMap(([results]) => results);
      const successors = new Set(outcomes.map((outcome) => (outcome.ok ? outcome.refreshToken : `${outcome.code}:${outcome.reason}`)));
      expect(outcomes).toHaveLength(50);
      expect(outcomes.filter((outcome) => !outcome.ok)).toEqual([]);
      expect([...successors]).toHaveLength(1);
      const [successor = ''] = successors;
      expect(await auth.countActiveSessions()).toBe(1);
      await expect(auth.refresh(successor)).resolves.toMatchObject({ sessionId: first.sessionId });
    } finally {
      for (const child of children) child.kill();
      auth.close();
    }
  });

  it('refuses a client with keyPrefix and a prefix that would break the hash tag', () => {
    const lazy = new Redis({ lazyConnect: true, keyPrefix: 'app:' });
    expect(() => new RedisStore({ client: lazy })).toThrow(expect.objectContaining({ code: 'invalid_configuration', reason: 'client' }));
    expect(() => new RedisStore({ client: admin, prefix: 'a{b}' })).toThrow(expect.objectContaining({ code: 'invalid_configuration', reason: 'prefix' }));
    lazy.disconnect();
  });
});
