import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RedisStore } from '../../../src/stores/redis/index.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';

const HOUR_MS = 3_600_000;
const NOW = 1_800_000_000;

/**
 * The core's deadlines are by `Date.now()` and Redis judges them by TIME: the store
 * translates them with the offset it measured. Here the application host's clock is
 * an hour off Redis's (only `Date` is faked; timers and sockets stay real), which
 * untranslated deadlines would turn into an hour of slack, or into refusing every step.
 */
describe("RedisStore deadlines on an application host whose clock is far from Redis's", () => {
  let server: RedisServer;
  let prefixes = 0;
  const clients: Redis[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await server?.stop();
  });

  it.each([
    ['ahead of', HOUR_MS],
    ['behind', -HOUR_MS],
  ])('carries out steps within their deadline and refuses late ones with a clock an hour %s Redis', async (_, shiftMs) => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(Date.now() + shiftMs);
    const client = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    clients.push(client);
    await once(client, 'ready');
    const store = new RedisStore({ client, prefix: `offset${++prefixes}` });
    const session = { subject: 'alice', createdAt: NOW, refreshedAt: NOW, expiresAt: NOW + 3600, maxExpiresAt: NOW + 7200, tokenHash: 'A'.repeat(43) };
    const step = { presentedHash: session.tokenHash, successorHash: 'B'.repeat(43), now: NOW + 1, refreshTokenTtl: 3600, reuseInterval: 5 };

    const { session: created } = await store.create(session, NOW, undefined, Date.now() + 60_000);
    const stored = await client.hgetall(`{offset${prefixes}:${created.id[0]}}:s:${created.id}`);
    await expect(store.rotate({ ...step, sessionId: created.id, deadline: Date.now() - 1_000 })).rejects.toMatchObject({
      code: 'temporarily_unavailable',
      reason: 'timeout',
    });
    await expect(store.create({ ...session, subject: 'bob' }, NOW, undefined, Date.now() - 1_000)).rejects.toMatchObject({ reason: 'timeout' });
    expect(await client.hgetall(`{offset${prefixes}:${created.id[0]}}:s:${created.id}`)).toEqual(stored);
    expect(await store.count(NOW + 1)).toBe(1);

    await expect(store.rotate({ ...step, sessionId: created.id, deadline: Date.now() + 60_000 })).resolves.toMatchObject({ outcome: 'rotated' });
    await store.close();
  });
});
