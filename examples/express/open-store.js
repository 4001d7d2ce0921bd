// Opens the session store named by TOKENLEASE_STORE: `sqlite:PATH` or `redis://host:port`.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { RedisStore } from 'tokenlease/redis';
import { SqliteStore } from 'tokenlease/sqlite';

/**
 * Opens a store from its description. Returns the store, `ready` (resolves once
 * the store can answer: at once for SQLite, on the first connection for Redis)
 * and `close()`, which releases the store and its connection.
 */
export function openStore(description) {
  if (description.startsWith('sqlite:')) return openSqlite(description.slice('sqlite:'.length));
  if (description.startsWith('redis://') || description.startsWith('rediss://')) return openRedis(description);
  throw new Error(`TOKENLEASE_STORE must be sqlite:PATH or redis://host:port, not ${JSON.stringify(description)}`);
}

function openSqlite(path) {
  if (path === '') throw new Error('TOKENLEASE_STORE=sqlite:PATH needs a path, such as sqlite:data/tokenlease.db');
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const store = new SqliteStore({ path });
  return { store, ready: Promise.resolve(), close: async () => store.close() };
}

function openRedis(url) {
  // Without an offline queue a request during an outage fails at once (503) instead of waiting.
  const client = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  const where = new URL(url).host; // never the URL: it may carry a password
  let reported = false;
  client.on('error', (error) => {
    // ioredis reconnects by itself and emits an error per attempt: report an outage once.
    if (!reported) console.error(`Redis at ${where}: ${error.message}`);
    reported = true;
  });
  client.on('ready', () => {
    reported = false;
  });
  const ready = new Promise((resolveReady) => client.once('ready', () => resolveReady()));
  const store = new RedisStore({ client });
  return {
    store,
    ready,
    async close() {
      await store.close();
      await client.quit().catch(() => client.disconnect());
    },
  };
}
