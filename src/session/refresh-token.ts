import { createHmac } from 'node:crypto';
import { randomId } from '../lib/random-id.js';
import { sha256 } from '../lib/sha256.js';

/** A refresh token split into the session it names and its secret. */
export interface RefreshToken {
  readonly sessionId: string;
  readonly secret: string;
}

const SECRET_BYTES = 32;
const SECRET_LENGTH = 43;
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/**
 * A new refresh token for a session: `<sessionId>.<secret>`, the secret 256
 * bits from the CSPRNG, base64url (DESIGN section 3). The session id lets a
 * store find the session in one step (and, in Redis Cluster, its hash slot);
 * only the secret proves possession.
 */
export function mintRefreshSecret(): string {
  return randomId(SECRET_BYTES);
}

/** Joins a session id and a secret into the token the client holds. */
export function formatRefreshToken(token: RefreshToken): string {
  return `${token.sessionId}.${token.secret}`;
}

/** Splits a presented token, or returns `undefined` when it cannot be one of ours. */
export function parseRefreshToken(token: unknown): RefreshToken | undefined {
  if (typeof token !== 'string' || token.length > 64 + 1 + SECRET_LENGTH) return undefined;
  const dot = token.lastIndexOf('.');
  const sessionId = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (dot < 1 || !SESSION_ID.test(sessionId) || !SECRET.test(secret)) return undefined;
  return { sessionId, secret };
}

/** What a store keeps of a refresh token: the SHA-256 of its secret. */
export function hashRefreshSecret(secret: string): string {
  return sha256(secret);
}

/**
 * The successor of a presented token: HMAC-SHA-256 under a key derived from the
 * signing key. Deterministic, so that a concurrent refresh with the same token
 * within the reuse interval gets the very successor the first one stored,
 * and no second chain can be born (DESIGN section 3, concurrent refresh).
 */
export function deriveSuccessorSecret(key: Uint8Array, token: RefreshToken): string {
  return createHmac('sha256', key).update(`${token.sessionId}.${token.secret}`).digest('base64url');
}
