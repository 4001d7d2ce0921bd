import { webcrypto, type KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import { ConfigurationError } from '../errors.js';
import type { SigningKey } from '../keys/key-set.js';
import { randomId } from '../lib/random-id.js';
import { REGISTERED_CLAIMS } from './access-token-claims.js';

/** What an access token is issued for. */
export interface AccessTokenGrant {
  readonly subject: string;
  readonly sessionId: string;
  readonly scope?: string | undefined;
  readonly claims?: Readonly<Record<string, unknown>> | undefined;
}

/** Issuer settings an access token is signed with. */
export interface AccessTokenSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly lifetime: number;
}

const UTF8 = new TextEncoder();

/** Signs an RFC 9068 access token (`typ: at+jwt`) with jose. `now` is epoch seconds. */
export async function issueAccessToken(
  grant: AccessTokenGrant,
  key: SigningKey,
  settings: AccessTokenSettings,
  now: number,
): Promise<string> {
  const issuedAt = Math.floor(now);
  const payload: Record<string, unknown> = {
    ...grant.claims,
    iss: settings.issuer,
    sub: grant.subject,
    aud: settings.audience,
    iat: issuedAt,
    exp: issuedAt + Math.floor(settings.lifetime),
    jti: randomId(16),
    sid: grant.sessionId,
  };
  if (grant.scope !== undefined && grant.scope !== '') payload['scope'] = grant.scope;
  // The JSON of the claims is what SignJWT would sign, byte for byte, without its copy and checks of
  // a claims set built right here.
  const header = { alg: key.alg, typ: 'at+jwt', kid: key.kid };
  return new CompactSign(UTF8.encode(JSON.stringify(payload))).setProtectedHeader(header).sign(await joseKey(key));
}

/**
 * HS256 keys as WebCrypto keys, each imported once: handed a secret KeyObject,
 * jose imports it afresh for every signature, which costs more than signing.
 * (jose keeps the keys it imports from asymmetric KeyObjects itself.)
 */
const HMAC_KEYS = new WeakMap<KeyObject, Promise<webcrypto.CryptoKey>>();

function joseKey(key: SigningKey): KeyObject | Promise<webcrypto.CryptoKey> {
  if (key.alg !== 'HS256') return key.key;
  let imported = HMAC_KEYS.get(key.key);
  if (imported === undefined) {
    imported = webcrypto.subtle.importKey('raw', key.key.export(), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    // A failed import is not kept: the next signature tries again.
    imported.catch(() => HMAC_KEYS.delete(key.key));
    HMAC_KEYS.set(key.key, imported);
  }
  return imported;
}

/**
 * Checks custom claims at login: a plain JSON object none of whose members is a
 * registered claim. Returns a copy, so that later changes by the caller do not
 * leak into the session.
 */
export function checkCustomClaims(claims: unknown): Readonly<Record<string, unknown>> | undefined {
  if (claims === undefined) return undefined;
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new ConfigurationError('claims', 'must be a plain object');
  }
  const copy = JSON.parse(JSON.stringify(claims)) as Record<string, unknown>;
  const clash = Object.keys(copy).find((name) => REGISTERED_CLAIMS.has(name) || name === '__proto__');
  if (clash !== undefined) throw new ConfigurationError('claims', `may not set the registered claim "${clash}"`);
  return copy;
}
