import { once } from 'node:events';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, type Auth } from '../../src/index.js';
import { RedisStore } from '../../src/stores/redis/index.js';
import { startRedisCluster, waitFor, type RedisCluster } from '../support/redis-server.js';
import { testClock, TEST_SECRET } from '../support/test-clock.js';
import { describeSessionStore } from './session-store-conformance.js';

let cluster: RedisCluster;
let prefixes = 0;
const clients: Cluster[] = [];

async function connect(): Promise<Cluster> {
  const client = new Cluster(
    cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
    { enableOfflineQueue: false, redisOptions: { maxRetriesPerRequest: 1 } },
  );
  clients.push(client);
  await once(client, 'ready');
  return client;
}

beforeAll(async () => {
  cluster = await startRedisCluster();
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await cluster?.stop();
});

describeSessionStore('RedisStore on Redis Cluster', async () => {
  const client = await connect();
  const store = new RedisStore({ client, prefix: `conformance${++prefixes}` });
  const close = async (): Promise<void> => {
    await store.close();
    await client.quit();
  };
  return { store, close };
});

/** Subscribers of a channel over every master: each node counts only its own connections. */
async function subscribers(client: Cluster, channel: string): Promise<number> {
  const counts = await Promise.all(client.nodes('master').map(async (node) => ((await node.pubsub('NUMSUB', channel)) as [string, number])[1]));
  return counts.reduce((sum, count) => sum + count, 0);
}

describe('RedisStore on a three-master Redis Cluster', () => {
  const clock = testClock();
  const open = async (prefix: string): Promise<{ auth: Auth; store: RedisStore; client: Cluster }> => {
    const client = await connect();
    const store = new RedisStore({ client, prefix });
    const auth = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET }, store, clock });
    return { auth, store, client };
  };

  it('spreads subjects over the masters, each session in one slot, and counts across them', async () => {
    const { auth, store, client } = await open(`spread${++prefixes}`);
    const subjects = Array.from({ length: 32 }, (_, index) => `user-${index}`);
    await Promise.all(client.nodes('master').map((node) => node.flushall()));
    const issued = await Promise.all(subjects.map((subject) => auth.issue({ subject })));
    const keysPerMaster = await Promise.all(client.nodes('master').map((node) => node.dbsize()));
    expect(keysPerMaster.filter((keys) => keys > 0).length).toBeGreaterThan(1);
    await Promise.all(issued.map(({ refreshToken }) => auth.refresh(refreshToken)));
    expect(await auth.countActiveSessions()).toBe(32);
    expect(await auth.countActiveSessions('user-7')).toBe(1);
    expect(await auth.revokeSubject('user-7')).toBe(1);
    expect(await auth.countActiveSessions()).toBe(31);
    auth.close();
    await store.close();
  });

  it('reads back the revocations of every shard over the masters, one command per shard', async () => {
    const prefix = `since${++prefixes}`;
    const { auth, store, client } = await open(prefix);
    const since = clock();
    const issued = await Promise.all(Array.from({ length: 32 }, (_, index) => auth.issue({ subject: `user-${index}` })));
    for (const { sessionId } of issued.slice(1)) await auth.revokeSession(sessionId);
    clock.advance(1);
    expect(await auth.revokeSubject('user-0')).toBe(1);
    const notices = await store.revokedSince(since);
    expect(notices.flatMap((notice) => notice.sessionIds).toSorted()).toEqual(issued.map((tokens) => tokens.sessionId).toSorted());
    expect(notices.filter((notice) => notice.subject !== undefined)).toEqual([{ subject: 'user-0', sessionIds: [], at: since + 1 }]);
    const mastersWithRevocations = await Promise.all(client.nodes('master').map(async (node) => (await node.keys(`{${prefix}:*}:revoked`)).length));
    expect(mastersWithRevocations.filter((keys) => keys > 0).length).toBeGreaterThan(1);
    auth.close();
    await store.close();
  });

  it('calls resync when its subscription becomes active, and again once it is back after the node dropped it', async () => {
    const prefix = `resync${++prefixes}`;
    const client = await connect();
    const store = new RedisStore({ client, prefix });
    const heard: string[] = [];
    let resyncs = 0;
    const stop = store.revocations.subscribe(
      (notice) => heard.push(notice.sessionIds.join()),
      () => resyncs++,
    );
    await waitFor(async () => (await subscribers(client, `${prefix}:revocations`)) === 1, 5_000);
    await store.revocations.publish({ sessionIds: ['first'], at: clock() });
    await waitFor(() => heard.length === 1, 5_000);
    expect(resyncs).toBe(1);
    await Promise.all(client.nodes('master').map((node) => node.client('KILL', 'TYPE', 'pubsub')));
    await waitFor(() => resyncs === 2, 5_000);
    await store.revocations.publish({ sessionIds: ['after-drop'], at: clock() });
    await waitFor(() => heard.length === 2, 5_000);
    expect(heard).toEqual(['first', 'after-drop']);
    expect(resyncs).toBe(2);
    stop();
    await waitFor(async () => (await subscribers(client, `${prefix}:revocations`)) === 0, 5_000);
  });

  it('broadcasts revocations between instances over the Cluster', async () => {
    const prefix = `pubsub${++prefixes}`;
    const a = await open(prefix);
    const b = await open(prefix);
    await waitFor(async () => (await subscribers(a.client, `${prefix}:revocations`)) === 2, 5_000);
    const tokens = await a.auth.issue({ subject: 'alice' });
    await expect(b.auth.verify(tokens.accessToken)).resolves.toMatchObject({ subject: 'alice' });
    await a.auth.revokeSession(tokens.sessionId);
    await waitFor(() => b.auth.verify(tokens.accessToken).then(() => false, () => true), 1_000);
    await expect(b.auth.verify(tokens.accessToken)).rejects.toMatchObject({ code: 'invalid_token', reason: 'revoked' });
    for (const { auth, store } of [a, b]) {
      auth.close();
      await store.close();
    }
  });
});
