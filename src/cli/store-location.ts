import { UsageError } from './usage-error.js';

/** Where the sessions of `tokenlease sessions` are: a SQLite file or a Redis server. */
export type StoreLocation = { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'redis'; readonly url: string };

/**
 * Reads `--store`: `sqlite:<path>` or a `redis://` / `rediss://` URL. Anything
 * else is a {@link UsageError}.
 */
export function parseStoreLocation(store: string | undefined): StoreLocation {
  if (store === undefined) throw new UsageError('sessions', '--store is required: sqlite:<path> or redis://host:port');
  if (store.startsWith('sqlite:')) {
    const path = store.slice('sqlite:'.length);
    if (path === '') throw new UsageError('sessions', '--store sqlite: needs a file path, as in sqlite:sessions.db');
    return { kind: 'sqlite', path };
  }
  if (/^rediss?:\/\//.test(store)) {
    if (!URL.canParse(store)) throw new UsageError('sessions', '--store has a malformed Redis URL');
    return { kind: 'redis', url: store };
  }
  throw new UsageError('sessions', '--store must start with sqlite: or redis:// (or rediss://)');
}

/** The location for messages, such as `the SQLite file sessions.db`; a Redis URL loses its user name and password. */
export function describeStoreLocation(location: StoreLocation): string {
  if (location.kind === 'sqlite') return `the SQLite file ${location.path}`;
  const url = new URL(location.url);
  return `Redis at ${url.protocol}//${url.hostname}:${url.port || '6379'}`;
}
