import { SignJWT } from 'jose';
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
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, typ: 'at+jwt', kid: key.kid }).sign(key.key);
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
