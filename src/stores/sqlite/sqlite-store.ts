import type BetterSqlite3 from 'better-sqlite3';
import { randomId } from '../../lib/random-id.js';
import { decideRotation } from '../../session/decide-rotation.js';
import type {
  CreatedSession,
  NewSession,
  RotationResult,
  RevocationNotice,
  RevokedSession,
  RotationStep,
  SessionRecord,
  SessionStore,
} from '../../session/session-store.js';
import { checkDeadline } from '../../session/store-deadline.js';
import { migrate } from './schema.js';
import { resolveSqliteStoreOptions, type SqliteStoreOptions } from './sqlite-store-options.js';
import { prepareStatements, toInsertParams, toRecord, type SessionRow, type Statements } from './statements.js';

type WriteTransaction = BetterSqlite3.Transaction<(now: number, step: () => unknown) => unknown>;

/**
 * Sessions in a SQLite file through better-sqlite3: they survive restarts and
 * `kill -9`, and several processes may share the file. Each write is one
 * `BEGIN IMMEDIATE` transaction, so steps of all processes on the file
 * serialize; a refresh applies the core's {@link decideRotation} inside it.
 *
 * The file is switched to WAL; a connection the store opens also gets
 * `synchronous = NORMAL`, under which a commit has reached the WAL file in the
 * operating system's cache before the call returns: a killed process loses no
 * acknowledged write (only a crash of the machine could lose the last ones).
 * The store owns the database's `PRAGMA user_version` (its schema version) and
 * tables named `tokenlease_*`; it migrates them itself on open.
 *
 * @example
 * ```ts
 * import { createAuth } from 'tokenlease'
 * import { SqliteStore } from 'tokenlease/sqlite'
 *
 * const store = new SqliteStore({ path: 'sessions.db' })
 * const auth = createAuth({ issuer, audience, keys, store })
 * // on shutdown
 * store.close()
 * ```
 */
export class SqliteStore implements SessionStore {
  readonly #db: BetterSqlite3.Database;
  readonly #owned: boolean;
  readonly #sql: Statements;
  readonly #write: WriteTransaction;
  readonly #purgeInterval: number;
  readonly #purgeBatchSize: number;
  #nextPurgeAt = Number.NEGATIVE_INFINITY;

  constructor(options: SqliteStoreOptions) {
    const config = resolveSqliteStoreOptions(options);
    this.#db = config.db;
    this.#owned = config.owned;
    this.#purgeInterval = config.purgeInterval;
    this.#purgeBatchSize = config.purgeBatchSize;
    try {
      // busy_timeout first: switching to WAL waits for other processes' locks on the file.
      this.#db.pragma(`busy_timeout = ${config.busyTimeoutMs}`);
      this.#db.pragma('journal_mode = WAL');
      // Under WAL, NORMAL has a commit's frames written to the WAL (the OS cache) before the call
      // returns: durable against a killed process; only a crash of the machine may lose the last commits.
      if (config.owned) this.#db.pragma('synchronous = NORMAL');
      migrate(this.#db, config.option);
      this.#sql = prepareStatements(this.#db);
    } catch (error) {
      if (config.owned) this.#db.close();
      throw error;
    }
    this.#write = this.#db.transaction((now: number, step: () => unknown) => {
      const result = step();
      this.#purgeIfDue(now);
      return result;
    });
  }

  async create(session: NewSession, now: number, limit?: number, deadline?: number): Promise<CreatedSession> {
    return this.#inWrite(now, () => {
      // Checked once the write lock is held: waiting for it may be what made the call late.
      checkDeadline(deadline);
      const evicted = limit === undefined ? [] : this.#evict(session.subject, now, limit);
      const record: SessionRecord = { ...session, id: randomId(16) };
      this.#sql.insert.run(toInsertParams(record));
      return { session: record, evicted };
    });
  }

  async rotate(step: RotationStep): Promise<RotationResult> {
    return this.#inWrite(step.now, () => {
      checkDeadline(step.deadline);
      const row = this.#row(step.sessionId);
      const session = row === undefined ? null : toRecord(row);
      const presentedIsCurrent = session === null || session.tokenHash === step.presentedHash;
      const consumedAt = presentedIsCurrent ? undefined : this.#consumedAt(step.sessionId, step.presentedHash);
      const decision = decideRotation(session, consumedAt, step);
      if (decision.write && decision.session !== null) {
        const { id, refreshedAt, expiresAt, tokenHash, revokedAt } = decision.session;
        // Reuse revokes and changes nothing else; a rotation or a grace refresh never revokes.
        if (revokedAt !== undefined) this.#sql.revoke.run({ id, now: revokedAt });
        else this.#sql.refresh.run({ id, refreshedAt, expiresAt, tokenHash });
        if (decision.consume) this.#sql.consume.run(step.sessionId, step.presentedHash, step.now);
      }
      return { outcome: decision.outcome, session: decision.session };
    });
  }

  async find(sessionId: string): Promise<SessionRecord | null> {
    const row = this.#row(sessionId);
    return row === undefined ? null : toRecord(row);
  }

  async revoke(sessionId: string, now: number, tokenHash?: string): Promise<RevokedSession | null> {
    return this.#inWrite(now, () => {
      const row = this.#row(sessionId);
      if (row === undefined || row.expires_at <= now) return null;
      const owns = tokenHash === undefined || tokenHash === row.token_hash || this.#consumedAt(sessionId, tokenHash) !== undefined;
      if (!owns) return null;
      if (row.revoked_at !== null) return { session: toRecord(row), already: true };
      return { session: this.#revokeRow(row, now), already: false };
    });
  }

  async revokeSubject(subject: string, now: number): Promise<readonly string[]> {
    return this.#inWrite(now, () => {
      this.#sql.subjectNotBefore.run({ subject, now });
      const rows = this.#sql.revokeSubject.all({ subject, now }) as { id: string }[];
      return rows.map((row) => row.id);
    });
  }

  /**
   * Sessions revoked at or after `since`, one notice per revocation time, and
   * each subject's latest "not before" time at or after it. A revoked session
   * is kept until its expiry, so this reaches back as far as any access token
   * of it can live unless the session expires first.
   */
  async revokedSince(since: number): Promise<readonly RevocationNotice[]> {
    const sessions = this.#sql.revokedSince.all({ since }) as { id: string; revoked_at: number }[];
    const subjects = this.#sql.subjectsRevokedSince.all({ since }) as { subject: string; not_before: number }[];
    const byTime = new Map<number, string[]>();
    for (const { id, revoked_at: at } of sessions) {
      const ids = byTime.get(at);
      if (ids === undefined) byTime.set(at, [id]);
      else ids.push(id);
    }
    return [
      ...[...byTime].map(([at, sessionIds]) => ({ sessionIds, at })),
      ...subjects.map(({ subject, not_before: at }) => ({ sessionIds: [], subject, at })),
    ];
  }

  async count(now: number, subject?: string): Promise<number> {
    const counted = subject === undefined ? this.#sql.count.get({ now }) : this.#sql.countOfSubject.get({ subject, now });
    return (counted as { live: number }).live;
  }

  async list(subject: string, now: number): Promise<readonly SessionRecord[]> {
    const rows = this.#sql.list.all({ subject, now }) as SessionRow[];
    return rows.map(toRecord);
  }

  /**
   * Removes up to `batchSize` sessions expired at `now` (revoked or not) and the
   * token hashes they consumed, in one short transaction; returns how many
   * sessions it removed. Writes call it on their own; operators may run it in
   * a loop until it returns less than `batchSize`.
   */
  purgeExpired(now: number, batchSize: number = this.#purgeBatchSize): number {
    if (!Number.isFinite(now)) throw new RangeError(`now must be a finite number of seconds, got ${now}`);
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    return this.#sql.purge.run({ now, limit: batchSize }).changes;
  }

  /** Closes the database if the store opened it (from `path`); a `database` handed in stays open. */
  close(): void {
    if (this.#owned && this.#db.open) this.#db.close();
  }

  #inWrite<T>(now: number, step: () => T): T {
    return this.#write.immediate(now, step) as T;
  }

  #purgeIfDue(now: number): void {
    if (now < this.#nextPurgeAt) return;
    const removed = this.purgeExpired(now);
    // A full batch means a backlog: the next write takes another batch instead of waiting an interval.
    this.#nextPurgeAt = removed < this.#purgeBatchSize ? now + this.#purgeInterval : now;
  }

  #evict(subject: string, now: number, limit: number): SessionRecord[] {
    const { live } = this.#sql.countOfSubject.get({ subject, now }) as { live: number };
    if (live < limit) return [];
    const rows = this.#sql.oldest.all({ subject, now, limit: live - limit + 1 }) as SessionRow[];
    return rows.map((row) => this.#revokeRow(row, now));
  }

  #revokeRow(row: SessionRow, now: number): SessionRecord {
    this.#sql.revoke.run({ id: row.id, now });
    return { ...toRecord(row), revokedAt: now };
  }

  #row(sessionId: string): SessionRow | undefined {
    return this.#sql.find.get(sessionId) as SessionRow | undefined;
  }

  #consumedAt(sessionId: string, tokenHash: string): number | undefined {
    const row = this.#sql.consumedAt.get(sessionId, tokenHash) as { consumed_at: number } | undefined;
    return row?.consumed_at;
  }
}
