import { parseDuration, type Duration } from './duration.js';
import { ConfigurationError } from './errors.js';
import { createKeySet, type KeySet } from './keys/key-set.js';
import type { KeyOptions } from './keys/key-options.js';
import type { SessionEvent } from './session-event.js';
import type { SessionStore } from './session/session-store.js';
import { MemoryStore } from './stores/memory-store.js';

/** Options of {@link createAuth}. Durations are seconds or strings such as `'15m'`. */
export interface AuthOptions {
  /** The `iss` of every access token, and the realm of `WWW-Authenticate`. */
  readonly issuer: string;
  /** The `aud` of every access token: the API the tokens are for. */
  readonly audience: string;
  /** The signing key and the keys that still verify. */
  readonly keys: KeyOptions;
  /** Lifetime of an access token. @default '10m' */
  readonly accessTokenTtl?: Duration;
  /** A session expires this long after its last refresh (sliding). @default '14d' */
  readonly refreshTokenTtl?: Duration;
  /** A session never lives longer than this after login. @default '30d' */
  readonly sessionMaxAge?: Duration;
  /** A rotated refresh token still yields its successor this long (concurrent refresh). @default 5 */
  readonly reuseInterval?: Duration;
  /** Leeway for `exp`, `nbf` and `iat` when verifying. @default 0 */
  readonly clockTolerance?: Duration;
  /** Where sessions live. @default new MemoryStore() */
  readonly store?: SessionStore;
  /** A new login beyond this many live sessions of one subject revokes its oldest. @default unlimited */
  readonly maxSessionsPerSubject?: number;
  /** Access tokens longer than this many characters are refused before decoding. @default 8192 */
  readonly maxTokenLength?: number;
  /**
   * The most verified access tokens remembered, so that a client reusing its
   * token costs a lookup; 0 turns the cache off. Revocations apply to cached
   * tokens too, and no entry outlives its token's `exp`.
   * @default 10000
   */
  readonly verifyCacheSize?: number;
  /** A store call that takes longer fails with 503. @default 2 */
  readonly storeTimeout?: Duration;
  /**
   * Store calls in flight beyond this fail at once with 503, so that a slow
   * store cannot build an unbounded queue. A call that timed out counts until
   * the store answers it.
   * @default 1000
   */
  readonly maxPendingStoreCalls?: number;
  /** The time in epoch seconds. Tests inject it. @default () => Math.floor(Date.now() / 1000) */
  readonly clock?: () => number;
  /** Called for every session event; exceptions it throws are ignored. */
  readonly onEvent?: (event: SessionEvent) => void;
}

/** {@link AuthOptions}, checked once, with every default applied. */
export interface ResolvedAuthOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly keys: KeySet;
  readonly accessTokenTtl: number;
  readonly refreshTokenTtl: number;
  readonly sessionMaxAge: number;
  readonly reuseInterval: number;
  readonly clockTolerance: number;
  readonly store: SessionStore;
  readonly maxSessionsPerSubject: number | undefined;
  readonly maxTokenLength: number;
  readonly verifyCacheSize: number;
  readonly storeTimeoutMs: number;
  readonly maxPendingStoreCalls: number;
  readonly clock: () => number;
  readonly onEvent: (event: SessionEvent) => void;
}

/** Checks every option once; a bad one throws a {@link ConfigurationError} that names it. */
export function resolveAuthOptions(options: AuthOptions): ResolvedAuthOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigurationError('options', 'must be an object');
  return {
    issuer: nonEmptyString(options.issuer, 'issuer'),
    audience: nonEmptyString(options.audience, 'audience'),
    keys: createKeySet(options.keys),
    accessTokenTtl: parseDuration(options.accessTokenTtl ?? '10m', 'accessTokenTtl'),
    refreshTokenTtl: parseDuration(options.refreshTokenTtl ?? '14d', 'refreshTokenTtl'),
    sessionMaxAge: parseDuration(options.sessionMaxAge ?? '30d', 'sessionMaxAge'),
    reuseInterval: parseDuration(options.reuseInterval ?? 5, 'reuseInterval', true),
    clockTolerance: parseDuration(options.clockTolerance ?? 0, 'clockTolerance', true),
    store: options.store ?? new MemoryStore(),
    maxSessionsPerSubject: optionalCount(options.maxSessionsPerSubject, 'maxSessionsPerSubject'),
    maxTokenLength: optionalCount(options.maxTokenLength, 'maxTokenLength') ?? 8192,
    verifyCacheSize: optionalCount(options.verifyCacheSize, 'verifyCacheSize', 0) ?? 10_000,
    storeTimeoutMs: parseDuration(options.storeTimeout ?? 2, 'storeTimeout') * 1000,
    maxPendingStoreCalls: optionalCount(options.maxPendingStoreCalls, 'maxPendingStoreCalls') ?? 1000,
    clock: optionalFunction(options.clock, 'clock') ?? (() => Math.floor(Date.now() / 1000)),
    onEvent: optionalFunction(options.onEvent, 'onEvent') ?? (() => undefined),
  };
}

function nonEmptyString(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new ConfigurationError(option, 'must be a non-empty string');
  return value;
}

function optionalCount(value: unknown, option: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || (value as number) < min) throw new ConfigurationError(option, `must be an integer of at least ${min}`);
  return value as number;
}

function optionalFunction<F>(value: F | undefined, option: string): F | undefined {
  if (value !== undefined && typeof value !== 'function') throw new ConfigurationError(option, 'must be a function');
  return value;
}
