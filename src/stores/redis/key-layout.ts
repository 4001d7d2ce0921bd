import { createHash } from 'node:crypto';
import { randomId } from '../../lib/random-id.js';

/**
 * Key names of one shard, after its hash-tagged base `{<prefix>:<shard>}`. The
 * Lua prelude builds the same names from these parts, so the layout is written
 * once.
 */
export const KEY_PARTS = {
  /** Hash of one session: `<base>:s:<id>`. */
  session: ':s:',
  /** Hash of the token hashes a session consumed, each with its time: `<base>:c:<id>`. */
  consumed: ':c:',
  /** Sorted set of a subject's live session ids by `expiresAt`: `<base>:u:<subject>`. */
  subject: ':u:',
  /** Sorted set of the shard's live session ids by `expiresAt`. */
  live: ':live',
  /** Counter that orders logins of the same second. */
  sequence: ':seq',
  /** Sorted set of the shard's revoked session ids by `revokedAt`, kept for `revokedSince`. */
  revoked: ':revoked',
  /** Sorted set of the shard's subjects by their latest "not before" time (`revokeSubject`). */
  notBefore: ':not-before',
} as const;

/** The sixteen shards: one hex digit, from SHA-256 of the subject. */
export const SHARDS: readonly string[] = Array.from({ length: 16 }, (_, index) => index.toString(16));

const SESSION_ID = /^[0-9a-f][A-Za-z0-9_-]{22}$/;

/** The shard of a subject: every session of a subject lives in it, so one script sees them all. */
export function shardOfSubject(subject: string): string {
  const first = createHash('sha256').update(subject).digest()[0] ?? 0;
  return (first >> 4).toString(16);
}

/** A fresh session id: the shard of its subject, then 128 random bits in base64url. */
export function newSessionId(shard: string): string {
  return `${shard}${randomId(16)}`;
}

/** The shard a session id names, or `undefined` when the id cannot be one of this store's. */
export function shardOfSession(sessionId: string): string | undefined {
  return SESSION_ID.test(sessionId) ? sessionId[0] : undefined;
}

/** The hash-tagged base of a shard's keys: every key of the shard lands in one Redis Cluster slot. */
export function shardBase(prefix: string, shard: string): string {
  return `{${prefix}:${shard}}`;
}

/** The hash of one session. */
export function sessionKey(base: string, sessionId: string): string {
  return `${base}${KEY_PARTS.session}${sessionId}`;
}

/** The sorted set of a subject's live sessions by expiry. */
export function subjectKey(base: string, subject: string): string {
  return `${base}${KEY_PARTS.subject}${subject}`;
}

/** The sorted set of a shard's live sessions by expiry. */
export function liveKey(base: string): string {
  return `${base}${KEY_PARTS.live}`;
}

/** The sorted set of a shard's revoked sessions by revocation time. */
export function revokedKey(base: string): string {
  return `${base}${KEY_PARTS.revoked}`;
}

/** The sorted set of a shard's subjects by their latest "not before" time. */
export function notBeforeKey(base: string): string {
  return `${base}${KEY_PARTS.notBefore}`;
}
