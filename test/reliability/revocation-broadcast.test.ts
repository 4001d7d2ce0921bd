import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, type Auth } from '../../src/index.js';
import { RedisStore } from '../../src/stores/redis/index.js';
import { startRedisServer, waitFor, type RedisServer } from '../support/redis-server.js';
import { TEST_SECRET } from '../support/test-clock.js';

const CHANNEL = 'tokenlease:revocations';

describe('revocations broadcast over Redis when a subscription drops for a moment', () => {
  let server: RedisServer;
  let admin: Redis;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis({ host: '127.0.0.1', port: server.port });
  });

  afterAll(async () => {
    for (const close of closers) await close();
    admin?.disconnect();
    await server?.stop();
  });

  /** An application instance with the client options the RedisStore TSDoc recommends. */
  async function instance(): Promise<Auth> {
    const client = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    client.on('error', () => undefined);
    await once(client, 'ready');
    const store = new RedisStore({ client });
    const auth = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET }, store });
    closers.push(async () => {
      auth.close();
      await store.close();
      client.disconnect();
    });
    return auth;
  }

  async function subscribers(): Promise<number> {
    const [, count] = (await admin.pubsub('NUMSUB', CHANNEL)) as [string, number];
    return count;
  }

  // Found by this test: pub/sub delivers only to connected subscribers, so an instance whose
  // subscription dropped while another revoked a session accepted that session's access tokens
  // until they expired. A subscription that comes back now reloads the store's recent revocations.
  it('refuses on the other instance, once its subscription is back, a session revoked while it was away', async () => {
    const a = await instance();
    const b = await instance();
    await waitFor(async () => (await subscribers()) === 2, 5_000);
    let missed: string | undefined;
    for (let attempt = 0; attempt < 5 && missed === undefined; attempt++) {
      const tokens = await a.issue({ subject: 'alice' });
      // A network blip on the subscribed connections (ioredis reconnects them after 50 ms)...
      await admin.client('KILL', 'TYPE', 'pubsub');
      await a.revokeSession(tokens.sessionId);
      // ...and the revocation went out while nobody listened: they only come back.
      if ((await subscribers()) === 0) missed = tokens.accessToken;
      await waitFor(async () => (await subscribers()) === 2, 5_000);
    }
    if (missed === undefined) throw new Error('the subscriptions came back before every revocation: nothing was missed');
    const token = missed;
    await expect(a.verify(token)).rejects.toMatchObject({ code: 'invalid_token', reason: 'revoked' });
    await waitFor(() => b.verify(token).then(() => false, () => true), 1_000).catch(() => undefined);
    await expect(b.verify(token)).rejects.toMatchObject({ code: 'invalid_token', reason: 'revoked' });
  });
});
