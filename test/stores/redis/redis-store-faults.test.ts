import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, type Auth, type TokenSet } from '../../../src/index.js';
import { RedisStore } from '../../../src/stores/redis/index.js';
import { startRedisServer, waitFor, type RedisServer } from '../../support/redis-server.js';
import { testClock, TEST_SECRET } from '../../support/test-clock.js';

const run = promisify(execFile);

describe('RedisStore while redis-server is down', () => {
  const clock = testClock();
  let server: RedisServer;

  beforeAll(async () => {
    server = await startRedisServer({ appendOnly: true });
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** An application instance on its own client with the options the RedisStore TSDoc recommends. */
  async function instance(): Promise<{ auth: Auth; close(): Promise<void> }> {
    const client = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    client.on('error', () => undefined);
    await once(client, 'ready');
    const store = new RedisStore({ client });
    const auth = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET }, store, clock });
    const close = async (): Promise<void> => {
      auth.close();
      await store.close();
      client.disconnect();
    };
    return { auth, close };
  }

  async function subscribers(): Promise<number> {
    const { stdout } = await run('redis-cli', ['-p', String(server.port), 'pubsub', 'numsub', 'tokenlease:revocations']);
    return Number(stdout.trim().split('\n')[1]);
  }

  it('answers 503 within 2 s, keeps verifying access tokens, and recovers by itself, broadcasts included, once Redis is back', async () => {
    const a = await instance();
    const b = await instance();
    const { auth } = a;
    try {
      const tokens = await auth.issue({ subject: 'alice' });
      await waitFor(async () => (await subscribers()) === 2, 5_000);
      await server.kill('SIGKILL');

      const started = performance.now();
      await expect(auth.refresh(tokens.refreshToken)).rejects.toMatchObject({ code: 'temporarily_unavailable', status: 503 });
      expect(performance.now() - started).toBeLessThan(2_000);
      await expect(auth.verify(tokens.accessToken)).resolves.toMatchObject({ subject: 'alice', sessionId: tokens.sessionId });

      await server.restart();
      let outcome: TokenSet | { code: string } | undefined;
      await waitFor(async () => {
        outcome = await auth.refresh(tokens.refreshToken).catch((error: { code: string }) => error);
        return !('code' in outcome) || outcome.code !== 'temporarily_unavailable';
      }, 15_000);
      expect(outcome).toMatchObject({ sessionId: tokens.sessionId });

      // The other instance's subscription came back with the server: revocations still reach it.
      await waitFor(async () => (await subscribers()) === 2, 10_000);
      await auth.revokeSession(tokens.sessionId);
      await waitFor(() => b.auth.verify(tokens.accessToken).then(() => false, () => true), 1_000);
      await expect(b.auth.verify(tokens.accessToken)).rejects.toMatchObject({ code: 'invalid_token', reason: 'revoked' });
    } finally {
      await a.close();
      await b.close();
    }
  });
});
