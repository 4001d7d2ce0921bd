import { KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, type JSONWebKeySet, type JWTHeaderParameters } from 'jose';
import type { TokenVerifier, VerifiedToken, VerifyOptions } from './access-token/access-token-claims.js';
import { readAccessToken, refusal, verifyReadToken } from './access-token/verify-access-token.js';
import { parseDuration, type Duration } from './duration.js';
import { ConfigurationError, StoreUnavailableError } from './errors.js';
import { importVerificationKeys, type VerificationKey } from './keys/key-set.js';
import type { Algorithm, Secret } from './keys/key-options.js';
import { VerifiedTokenCache } from './access-token/verified-token-cache.js';
import { checkRevocation, checkStoredSession } from './session/check-token-session.js';
import { RevocationList } from './session/revocation-list.js';
import type { SessionStore } from './session/session-store.js';

/** Options of {@link createVerifier}: where the keys come from, and what tokens must say. */
export interface VerifierOptions {
  /** The `iss` tokens must carry: the issuing app's `issuer`. */
  readonly issuer: string;
  /** The `aud` tokens must carry. */
  readonly audience: string;
  /** The issuer's JWK Set URL (`/jwks.json` of its token router); fetched and cached by jose. */
  readonly jwksUrl?: string | URL;
  /** Or the keys themselves: a JWK Set, or a shared HS256 secret. */
  readonly keys?: JSONWebKeySet | {
    /** The issuer's HS256 secret. */
    readonly secret: Secret;
  };
  /** The issuer's access-token lifetime: longer-lived tokens are refused. @default '10m' */
  readonly accessTokenTtl?: Duration;
  /** @default 0 */
  readonly clockTolerance?: Duration;
  /** @default 8192 */
  readonly maxTokenLength?: number;
  /** How long the remote JWK Set is trusted before a refetch. @default '10m' */
  readonly jwksCacheMaxAge?: Duration;
  /** The least time between two refetches caused by an unknown `kid`. @default 30 */
  readonly jwksCooldown?: Duration;
  /** The most verified tokens remembered; 0 turns the cache off. @default 10000 */
  readonly verifyCacheSize?: number;
  /** A store shared with the issuer: its revocation broadcasts apply here, and `checkSession` reads it. */
  readonly store?: SessionStore;
  /** @default () => Math.floor(Date.now() / 1000) */
  readonly clock?: () => number;
}

/**
 * A verify-only {@link TokenVerifier} for services that trust tokens issued
 * elsewhere, built on jose's remote JWK Set (cached, refetched on an unknown
 * `kid` at most once per cooldown).
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ issuer: 'https://auth.example.com', audience: 'api', jwksUrl: 'https://auth.example.com/auth/jwks.json' })
 * app.use(authenticate(verifier))
 * ```
 */
export function createVerifier(options: VerifierOptions): TokenVerifier & {
  /** Stops listening for revocations of the shared store, if any. */
  close(): void;
} {
  const issuer = required(options.issuer, 'issuer');
  const policy = {
    issuer,
    audience: required(options.audience, 'audience'),
    maxLifetime: parseDuration(options.accessTokenTtl ?? '10m', 'accessTokenTtl'),
    clockTolerance: parseDuration(options.clockTolerance ?? 0, 'clockTolerance', true),
    maxLength: options.maxTokenLength ?? 8192,
  };
  const clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
  const keys = keySource(options);
  const cache = new VerifiedTokenCache(options.verifyCacheSize ?? 10_000);
  const revocations = new RevocationList(policy.maxLifetime + policy.clockTolerance);
  const store = options.store;
  const unsubscribe = store?.revocations?.subscribe((notice) => revocations.apply(notice, clock())) ?? (() => undefined);
  async function verifyFresh(token: string): Promise<VerifiedToken> {
    const jws = readAccessToken(token, policy.maxLength);
    const key = await keys.find(jws.header as JWTHeaderParameters, jws.kid);
    if (keys.changed()) cache.clear();
    return cache.set(token, verifyReadToken(jws, key, policy, clock()));
  }

  return {
    realm: issuer,
    async verify(token: string, verifyOptions?: VerifyOptions): Promise<VerifiedToken> {
      const now = clock();
      const verified = (keys.fresh() ? cache.get(token, policy, now) : undefined) ?? (await verifyFresh(token));
      checkRevocation(verified, now, revocations);
      if (verifyOptions?.checkSession !== true) return verified;
      return checkStoredSession(verified, now, store && ((id) => store.find(id, now)));
    },
    close: unsubscribe,
  };
}

/** Where a verifier's keys come from, and whether they may have changed. */
interface KeySource {
  find(header: JWTHeaderParameters, kid: string): Promise<VerificationKey | undefined>;
  /** False once a remote set is due for a refetch: cached tokens are then verified afresh. */
  fresh(): boolean;
  /** True, once, after the set of keys changed: cached verifications must be forgotten. */
  changed(): boolean;
}

function keySource(options: VerifierOptions): KeySource {
  if ((options.jwksUrl === undefined) === (options.keys === undefined)) {
    throw new ConfigurationError('jwksUrl', 'or "keys" is required, and only one of them');
  }
  if (options.keys !== undefined) {
    const local = localKeys(options.keys);
    return { find: async (_, kid) => local.get(kid), fresh: () => true, changed: () => false };
  }
  const remote = createRemoteJWKSet(new URL(options.jwksUrl as string | URL), {
    cacheMaxAge: parseDuration(options.jwksCacheMaxAge ?? '10m', 'jwksCacheMaxAge') * 1000,
    cooldownDuration: parseDuration(options.jwksCooldown ?? 30, 'jwksCooldown', true) * 1000,
  });
  const imported = new WeakMap<object, VerificationKey>();
  let seen = '';
  const changed = (): boolean => {
    const current = JSON.stringify(remote.jwks() ?? null);
    const differs = seen !== '' && current !== seen;
    seen = current;
    return differs;
  };
  const find: KeySource['find'] = async (header, kid) => {
    try {
      const cryptoKey = await remote(header);
      let key = imported.get(cryptoKey);
      if (key === undefined) imported.set(cryptoKey, (key = fromRemote(cryptoKey, kid)));
      return key;
    } catch (error) {
      if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) return undefined;
      if (error instanceof joseErrors.JOSENotSupported || error instanceof joseErrors.JWKInvalid) throw refusal('unknown_key');
      throw new StoreUnavailableError('jwks', error);
    }
  };
  return { find, fresh: () => remote.fresh, changed };
}

function localKeys(keys: NonNullable<VerifierOptions['keys']>): ReadonlyMap<string, VerificationKey> {
  if ('secret' in keys) return importVerificationKeys([keys.secret], 'keys.secret');
  if (!Array.isArray(keys.keys) || keys.keys.length === 0) throw new ConfigurationError('keys', 'must be a non-empty JWK Set');
  return importVerificationKeys(keys.keys, 'keys.keys');
}

function fromRemote(cryptoKey: Parameters<typeof KeyObject.from>[0], kid: string): VerificationKey {
  const key = KeyObject.from(cryptoKey);
  const alg: Algorithm = key.asymmetricKeyType === 'ed25519' ? 'EdDSA' : key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256';
  return { kid, alg, key };
}

function required(value: unknown, option: string): string {
  if (typeof value !== 'string' || value === '') throw new ConfigurationError(option, 'must be a non-empty string');
  return value;
}
