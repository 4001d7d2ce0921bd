import type { NewSession, RevocationNotice, SessionRecord } from '../../session/session-store.js';

/** What a script returns for one session: the flat field/value list of HGETALL. */
export type SessionFields = readonly string[];

/**
 * The field/value pairs of a new session's hash. Numbers travel as JavaScript
 * prints them, so that they read back as the very same numbers.
 */
export function encodeSession(session: NewSession): string[] {
  const pairs = [
    'subject', session.subject,
    'createdAt', String(session.createdAt),
    'refreshedAt', String(session.refreshedAt),
    'expiresAt', String(session.expiresAt),
    'maxExpiresAt', String(session.maxExpiresAt),
    'tokenHash', session.tokenHash,
  ];
  if (session.scope !== undefined) pairs.push('scope', session.scope);
  if (session.claims !== undefined) pairs.push('claims', JSON.stringify(session.claims));
  return pairs;
}

/** A session record from its id and the fields of its hash. */
export function decodeSession(id: string, flat: SessionFields): SessionRecord {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i] as string, flat[i + 1] as string);
  const text = (name: string): string => fields.get(name) ?? '';
  const revokedAt = fields.get('revokedAt');
  const scope = fields.get('scope');
  const claims = fields.get('claims');
  return {
    id,
    subject: text('subject'),
    createdAt: Number(text('createdAt')),
    refreshedAt: Number(text('refreshedAt')),
    expiresAt: Number(text('expiresAt')),
    maxExpiresAt: Number(text('maxExpiresAt')),
    tokenHash: text('tokenHash'),
    ...(revokedAt === undefined ? {} : { revokedAt: Number(revokedAt) }),
    ...(scope === undefined ? {} : { scope }),
    ...(claims === undefined ? {} : { claims: JSON.parse(claims) as Record<string, unknown> }),
  };
}

/** Sessions from a script's `id, fields, id, fields...` reply. */
export function decodeSessions(reply: readonly unknown[]): SessionRecord[] {
  const sessions: SessionRecord[] = [];
  for (let i = 0; i + 1 < reply.length; i += 2) sessions.push(decodeSession(String(reply[i]), reply[i + 1] as SessionFields));
  return sessions;
}

/** What the revoked-since script returns for one shard: `id, time...` and `subject, time...`. */
export type RevocationsReply = readonly [readonly string[], readonly string[]];

/** Notices from every shard's reply: the sessions grouped by revocation time, then one per subject. */
export function decodeRevocations(replies: readonly RevocationsReply[]): RevocationNotice[] {
  const byTime = new Map<number, string[]>();
  const subjects: RevocationNotice[] = [];
  for (const [sessions, notBefore] of replies) {
    for (let i = 0; i + 1 < sessions.length; i += 2) {
      const at = Number(sessions[i + 1]);
      const ids = byTime.get(at) ?? [];
      ids.push(sessions[i] as string);
      byTime.set(at, ids);
    }
    for (let i = 0; i + 1 < notBefore.length; i += 2) {
      subjects.push({ sessionIds: [], subject: notBefore[i] as string, at: Number(notBefore[i + 1]) });
    }
  }
  return [...[...byTime].map(([at, sessionIds]) => ({ sessionIds, at })), ...subjects];
}
