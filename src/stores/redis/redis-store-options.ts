import type { Cluster, Redis } from 'ioredis';
import { ConfigurationError } from '../../errors.js';

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /**
   * An ioredis `Redis` or `Cluster` client, owned by the caller (the store never
   * closes it). It must not set `keyPrefix`: give the store a `prefix` instead.
   */
  readonly client: Redis | Cluster;
  /** The start of every key and of the revocation channel; no `{` or `}`. @default 'tokenlease' */
  readonly prefix?: string;
}

/** {@link RedisStoreOptions}, checked, with defaults applied. */
export interface ResolvedRedisStoreOptions {
  readonly client: Redis | Cluster;
  readonly prefix: string;
}

/** Checks the options once; a bad one throws a {@link ConfigurationError} that names it. */
export function resolveRedisStoreOptions(options: RedisStoreOptions): ResolvedRedisStoreOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigurationError('options', 'must be an object');
  const { client, prefix = 'tokenlease' } = options;
  if (typeof client !== 'object' || client === null || typeof client.defineCommand !== 'function') {
    throw new ConfigurationError('client', 'must be an ioredis Redis or Cluster client');
  }
  // Keys built inside the Lua scripts would miss ioredis's keyPrefix, and leave the hash slot.
  if (keyPrefixOf(client) !== '') throw new ConfigurationError('client', 'must not set keyPrefix; use the prefix option');
  if (typeof prefix !== 'string' || prefix === '' || /[{}]/.test(prefix)) {
    throw new ConfigurationError('prefix', 'must be a non-empty string without { or }');
  }
  return { client, prefix };
}

function keyPrefixOf(client: Redis | Cluster): string {
  const options: { keyPrefix?: string | undefined; redisOptions?: { keyPrefix?: string | undefined } | undefined } = client.options ?? {};
  return options.keyPrefix || options.redisOptions?.keyPrefix || '';
}
