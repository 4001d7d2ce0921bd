import type BetterSqlite3 from 'better-sqlite3';
import type { SessionRecord } from '../../session/session-store.js';

const LIVE_OF_SUBJECT = `SELECT * FROM tokenlease_sessions
  WHERE subject = @subject AND revoked_at IS NULL AND expires_at > @now ORDER BY created_at, rowid`;

/** The SQL of every statement the store runs, each prepared once per store. */
export const SQL = {
  find: 'SELECT * FROM tokenlease_sessions WHERE id = ?',
  consumedAt: 'SELECT consumed_at FROM tokenlease_consumed_tokens WHERE session_id = ? AND token_hash = ?',
  insert: `INSERT INTO tokenlease_sessions
    (id, subject, created_at, refreshed_at, expires_at, max_expires_at, token_hash, scope, claims)
    VALUES (@id, @subject, @createdAt, @refreshedAt, @expiresAt, @maxExpiresAt, @tokenHash, @scope, @claims)`,
  // A refresh leaves revoked_at alone: naming it would run the revocation trigger's test for nothing.
  refresh: `UPDATE tokenlease_sessions
    SET refreshed_at = @refreshedAt, expires_at = @expiresAt, token_hash = @tokenHash
    WHERE id = @id`,
  consume: `INSERT INTO tokenlease_consumed_tokens (session_id, token_hash, consumed_at) VALUES (?, ?, ?)
    ON CONFLICT DO UPDATE SET consumed_at = excluded.consumed_at`,
  revoke: 'UPDATE tokenlease_sessions SET revoked_at = @now WHERE id = @id',
  revokeSubject: `UPDATE tokenlease_sessions SET revoked_at = @now
    WHERE subject = @subject AND revoked_at IS NULL AND expires_at > @now RETURNING id`,
  count: `SELECT (SELECT unrevoked FROM tokenlease_session_total WHERE id = 0)
    - (SELECT count(*) FROM tokenlease_sessions WHERE expires_at <= @now AND revoked_at IS NULL) AS live`,
  countOfSubject: `SELECT coalesce((SELECT unrevoked FROM tokenlease_subject_counts WHERE subject = @subject), 0)
    - (SELECT count(*) FROM tokenlease_sessions WHERE subject = @subject AND revoked_at IS NULL AND expires_at <= @now) AS live`,
  revokedSince: `SELECT id, revoked_at FROM tokenlease_sessions WHERE revoked_at >= @since ORDER BY revoked_at`,
  subjectNotBefore: `INSERT INTO tokenlease_subject_revocations (subject, not_before) VALUES (@subject, @now)
    ON CONFLICT DO UPDATE SET not_before = max(not_before, excluded.not_before)`,
  subjectsRevokedSince: 'SELECT subject, not_before FROM tokenlease_subject_revocations WHERE not_before >= @since',
  list: LIVE_OF_SUBJECT,
  oldest: `${LIVE_OF_SUBJECT} LIMIT @limit`,
  purge: `DELETE FROM tokenlease_sessions WHERE rowid IN
    (SELECT rowid FROM tokenlease_sessions WHERE expires_at <= @now ORDER BY expires_at LIMIT @limit)`,
} as const;

/** The prepared statements of one store. */
export type Statements = { readonly [Name in keyof typeof SQL]: BetterSqlite3.Statement };

/** Prepares {@link SQL} on `db`, reading numbers as JavaScript numbers whatever the connection's default. */
export function prepareStatements(db: BetterSqlite3.Database): Statements {
  const entries = Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql).safeIntegers(false)]);
  return Object.fromEntries(entries) as Statements;
}

/** A row of `tokenlease_sessions`. */
export interface SessionRow {
  readonly id: string;
  readonly subject: string;
  readonly created_at: number;
  readonly refreshed_at: number;
  readonly expires_at: number;
  readonly max_expires_at: number;
  readonly revoked_at: number | null;
  readonly token_hash: string;
  readonly scope: string | null;
  readonly claims: string | null;
}

/** A stored row as the core's record; claims are kept as JSON text. */
export function toRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    subject: row.subject,
    createdAt: row.created_at,
    refreshedAt: row.refreshed_at,
    expiresAt: row.expires_at,
    maxExpiresAt: row.max_expires_at,
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
    tokenHash: row.token_hash,
    ...(row.scope === null ? {} : { scope: row.scope }),
    ...(row.claims === null ? {} : { claims: JSON.parse(row.claims) as Record<string, unknown> }),
  };
}

/** The named parameters of {@link SQL.insert} for a record. */
export function toInsertParams(record: SessionRecord): Record<string, string | number | null> {
  return {
    id: record.id,
    subject: record.subject,
    createdAt: record.createdAt,
    refreshedAt: record.refreshedAt,
    expiresAt: record.expiresAt,
    maxExpiresAt: record.maxExpiresAt,
    tokenHash: record.tokenHash,
    scope: record.scope ?? null,
    claims: record.claims === undefined ? null : JSON.stringify(record.claims),
  };
}
