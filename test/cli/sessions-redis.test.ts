import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/stores/redis/index.js';
import { startRedisServer, waitFor, type RedisServer } from '../support/redis-server.js';
import { requireBuiltBin, runCli } from './run-cli.js';
import { applicationOn, describeSessionsCommands } from './sessions-commands.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

function connect(): Redis {
  return new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 1 });
}

describeSessionsCommands('Redis', async () => {
  const client = connect();
  const store = new RedisStore({ client });
  return {
    location: `redis://127.0.0.1:${server.port}`,
    store,
    close: async () => {
      await store.close();
      await client.quit();
    },
  };
});

describe('tokenlease sessions revoke on Redis, seen by a running application', () => {
  let client: Redis;
  let store: RedisStore;
  let running: ReturnType<typeof applicationOn>;
  const revoke = (...args: string[]) => runCli(['sessions', 'revoke', ...args, '--store', `redis://127.0.0.1:${server.port}`, '--prefix', 'app']);

  beforeAll(async () => {
    requireBuiltBin();
    client = connect();
    store = new RedisStore({ client, prefix: 'app' });
    running = applicationOn(store);
  });
  afterAll(async () => {
    running?.close();
    await store?.close();
    await client?.quit();
  });

  it('refuses the access tokens of a revoked subject within moments, over pub/sub', async () => {
    const first = await running.issue({ subject: 'frank' });
    const second = await running.issue({ subject: 'frank' });
    const bystander = await running.issue({ subject: 'grace' });
    await expect(running.verify(first.accessToken)).resolves.toMatchObject({ subject: 'frank' });
    expect(await revoke('--subject', 'frank')).toMatchObject({ code: 0, stdout: '2\n', stderr: '' });
    await waitFor(() => running.verify(first.accessToken).then(() => false, () => true), 5_000);
    for (const tokens of [first, second]) {
      await expect(running.verify(tokens.accessToken)).rejects.toMatchObject({ code: 'invalid_token', reason: 'revoked' });
    }
    await expect(running.verify(bystander.accessToken)).resolves.toMatchObject({ subject: 'grace' });
  });

  it('refuses the access tokens of one revoked session, and only those', async () => {
    const dropped = await running.issue({ subject: 'heidi' });
    const kept = await running.issue({ subject: 'heidi' });
    expect(await revoke('--session', dropped.sessionId)).toMatchObject({ code: 0, stdout: '1\n' });
    await waitFor(() => running.verify(dropped.accessToken).then(() => false, () => true), 5_000);
    await expect(running.verify(dropped.accessToken)).rejects.toMatchObject({ code: 'invalid_token', reason: 'revoked' });
    await expect(running.verify(kept.accessToken)).resolves.toMatchObject({ subject: 'heidi', sessionId: kept.sessionId });
  });

  it('reaches only the sessions under its --prefix', async () => {
    await running.issue({ subject: 'ivan' });
    const count = (prefix: string) =>
      runCli(['sessions', 'count', '--subject', 'ivan', '--store', `redis://127.0.0.1:${server.port}`, '--prefix', prefix]);
    expect(await count('app')).toMatchObject({ code: 0, stdout: '1\n' });
    expect(await count('other')).toMatchObject({ code: 0, stdout: '0\n' });
  });
});

describe('tokenlease sessions on an unreachable Redis', () => {
  it('exits 1 at once with the cause, and never prints the password of the URL', async () => {
    const run = await runCli(['sessions', 'count', '--store', 'redis://operator:hunter2@127.0.0.1:1']);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe('tokenlease: cannot open Redis at redis://127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1\n');
    // The issue asks for a quick failure: the client allows itself one 2 s connection attempt.
    expect(run.ms).toBeLessThan(10_000);
  });
});
