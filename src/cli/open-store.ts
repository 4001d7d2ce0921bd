import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { ConfigurationError } from '../errors.js';
import type { SessionStore } from '../session/session-store.js';
import { messageOf } from './message-of.js';
import { describeStoreLocation, type StoreLocation } from './store-location.js';

/** A store the CLI opened, with what it takes to let go of it. */
export interface OpenedStore {
  readonly store: SessionStore;
  /** Closes the store and the connection or file the CLI opened for it. */
  close(): Promise<void>;
}

/**
 * Opens the store at `location`. Drivers load here, by dynamic import, so that
 * commands without a store never load one. Fails at once, with a message that
 * names the location (never a password), when the store cannot be reached.
 */
export async function openStore(location: StoreLocation, prefix?: string): Promise<OpenedStore> {
  try {
    return location.kind === 'sqlite' ? await openSqlite(location.path) : await openRedis(location.url, prefix);
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw new Error(`cannot open ${describeStoreLocation(location)}: ${messageOf(error)}`, { cause: error });
  }
}

async function openSqlite(path: string): Promise<OpenedStore> {
  // SqliteStore creates a missing file: a mistyped path must fail, not report an empty store.
  await access(path, constants.R_OK | constants.W_OK).catch((error: unknown) => {
    throw (error as { code?: unknown }).code === 'ENOENT' ? new Error('no such file') : error;
  });
  const { SqliteStore } = await import('../stores/sqlite/index.js');
  const store = new SqliteStore({ path });
  return { store, close: async () => store.close() };
}

async function openRedis(url: string, prefix: string | undefined): Promise<OpenedStore> {
  const { Redis } = await import('ioredis');
  const { RedisStore } = await import('../stores/redis/index.js');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // One attempt: an operator's command must fail fast, not wait in a reconnect loop.
    retryStrategy: () => null,
  });
  let lastError: unknown;
  client.on('error', (error: unknown) => void (lastError = error));
  // Built before connecting, so that a bad prefix is refused without a round trip.
  const store = new RedisStore({ client, ...(prefix === undefined ? {} : { prefix }) });
  try {
    await client.connect();
  } catch (error) {
    // connect() only says "Connection is closed"; the error event had the cause (ECONNREFUSED, a timeout).
    // Disconnecting a client that has already ended would hold the process for connectTimeout.
    if (client.status !== 'end') client.disconnect();
    throw lastError ?? error;
  }
  return { store, close: () => closeRedis(store, client) };
}

async function closeRedis(store: { close(): Promise<void> }, client: { quit(): Promise<unknown>; disconnect(): void }): Promise<void> {
  await store.close();
  await client.quit().catch(() => client.disconnect());
}
