import type BetterSqlite3 from 'better-sqlite3';
import { ConfigurationError } from '../../errors.js';

/** Keeps the per-subject and overall counts of unrevoked rows when one leaves that state. */
const FORGET_UNREVOKED = `
  UPDATE tokenlease_subject_counts SET unrevoked = unrevoked - 1 WHERE subject = OLD.subject;
  DELETE FROM tokenlease_subject_counts WHERE subject = OLD.subject AND unrevoked = 0;
  UPDATE tokenlease_session_total SET unrevoked = unrevoked - 1 WHERE id = 0;`;

/**
 * The schema, one script per version: entry `i` moves a database from
 * `user_version` `i` to `i + 1`. Released entries are never edited; a change
 * appends one.
 *
 * Counting stays O(log n): triggers keep the number of unrevoked rows (overall
 * and per subject), and a count subtracts the rows that expired but are not yet
 * purged, a range of the expiry index no longer than the purge backlog.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE tokenlease_sessions (
    id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    created_at NUMERIC NOT NULL,
    refreshed_at NUMERIC NOT NULL,
    expires_at NUMERIC NOT NULL,
    max_expires_at NUMERIC NOT NULL,
    revoked_at NUMERIC,
    token_hash TEXT NOT NULL,
    scope TEXT,
    claims TEXT
  );
  CREATE INDEX tokenlease_sessions_by_expiry ON tokenlease_sessions (expires_at, revoked_at);
  CREATE INDEX tokenlease_sessions_by_subject ON tokenlease_sessions (subject, revoked_at, expires_at);

  CREATE TABLE tokenlease_consumed_tokens (
    session_id TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    consumed_at NUMERIC NOT NULL,
    PRIMARY KEY (session_id, token_hash)
  ) WITHOUT ROWID;

  CREATE TABLE tokenlease_subject_counts (subject TEXT PRIMARY KEY, unrevoked INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE tokenlease_session_total (id INTEGER PRIMARY KEY CHECK (id = 0), unrevoked INTEGER NOT NULL);
  INSERT INTO tokenlease_session_total (id, unrevoked) VALUES (0, 0);

  CREATE TRIGGER tokenlease_session_opened AFTER INSERT ON tokenlease_sessions WHEN NEW.revoked_at IS NULL
  BEGIN
    INSERT INTO tokenlease_subject_counts (subject, unrevoked) VALUES (NEW.subject, 1)
      ON CONFLICT (subject) DO UPDATE SET unrevoked = unrevoked + 1;
    UPDATE tokenlease_session_total SET unrevoked = unrevoked + 1 WHERE id = 0;
  END;
  CREATE TRIGGER tokenlease_session_revoked AFTER UPDATE OF revoked_at ON tokenlease_sessions
    WHEN OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL
  BEGIN ${FORGET_UNREVOKED}
  END;
  CREATE TRIGGER tokenlease_unrevoked_session_dropped AFTER DELETE ON tokenlease_sessions WHEN OLD.revoked_at IS NULL
  BEGIN ${FORGET_UNREVOKED}
  END;
  CREATE TRIGGER tokenlease_session_dropped AFTER DELETE ON tokenlease_sessions
  BEGIN
    DELETE FROM tokenlease_consumed_tokens WHERE session_id = OLD.id;
  END;
  `,
  // 2: what a restarted process reloads into its revocation list (SessionStore.revokedSince).
  `
  CREATE INDEX tokenlease_sessions_by_revocation ON tokenlease_sessions (revoked_at) WHERE revoked_at IS NOT NULL;
  CREATE TABLE tokenlease_subject_revocations (subject TEXT PRIMARY KEY, not_before NUMERIC NOT NULL) WITHOUT ROWID;
  CREATE INDEX tokenlease_subject_revocations_by_time ON tokenlease_subject_revocations (not_before);
  `,
];

/** The schema version this release writes to `PRAGMA user_version`. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database to {@link SCHEMA_VERSION} in one immediate transaction,
 * so that two processes opening one file at once migrate it once. A database
 * from a newer release is refused rather than written with older rules.
 */
export function migrate(db: BetterSqlite3.Database, option: 'path' | 'database'): void {
  db.transaction(() => {
    // Number(): a connection opened with defaultSafeIntegers(true) reads pragmas as BigInt.
    const version = Number(db.pragma('user_version', { simple: true }));
    if (!Number.isSafeInteger(version) || version < 0 || version > SCHEMA_VERSION) {
      throw new ConfigurationError(option, `holds tokenlease schema version ${version}; this release knows versions up to ${SCHEMA_VERSION}`);
    }
    for (const script of MIGRATIONS.slice(version)) db.exec(script);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
