import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, type Auth } from '../../src/index.js';
import { RedisStore } from '../../src/stores/redis/index.js';
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
  const open = async (prefix = `specific${++prefixes}`, lazy = false): Promise<{ auth: Auth; store: RedisStore }> => {
    const store = new RedisStore({ client: await connect(lazy), prefix });
    const auth = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET }, store, clock, refreshTokenTtl: HOUR });
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
    const keys = await admin.keys(`{${prefix}:*`);
    const ttls = Object.fromEntries(await Promise.all(keys.map(async (key) => [key.replace(/[A-Za-z0-9_-]{23}$/, '<id>'), await admin.pttl(key)] as const)));
    expect(Object.keys(ttls).some((key) => key.endsWith(':s:<id>'))).toBe(true);
    expect(Object.keys(ttls).some((key) => key.endsWith(':c:<id>'))).toBe(true);
    for (const ttl of Object.values(ttls)) {
      expect(ttl).toBeGreaterThan(HOUR * 1000 - 5_000);
      expect(ttl).toBeLessThanOrEqual(HOUR * 1000 + 60_000);
    }
    auth.close();
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
