import Database from 'better-sqlite3';
import { parseDuration, type Duration } from '../../duration.js';
import { ConfigurationError } from '../../errors.js';

/** Options of {@link SqliteStore} besides where the database is. */
export interface SqliteStoreTuning {
  /**
   * How long a write waits for another process's transaction on the same file
   * before it fails (a 503). The wait blocks this process's event loop, so the
   * default is the core's default `storeTimeout`.
   * @default 2
   */
  readonly busyTimeout?: Duration;
  /**
   * Expired sessions are purged on writes at most this often, measured on the
   * core's clock; a purge that finds a full batch lets the next write take
   * another. `0` purges on every write.
   * @default '1m'
   */
  readonly purgeInterval?: Duration;
  /** The most sessions one purge removes, so that it never holds the write lock long. @default 500 */
  readonly purgeBatchSize?: number;
}

/**
 * Options of {@link SqliteStore}: a file `path` the store opens (and closes), or
 * an open better-sqlite3 `database` the caller keeps owning.
 */
export type SqliteStoreOptions = SqliteStoreTuning &
  (
    | {
        /** The database file; created if missing. */
        readonly path: string;
        /** Not with `path`. */
        readonly database?: never;
      }
    | {
        /** An open, writable better-sqlite3 connection; `close()` leaves it open. */
        readonly database: Database.Database;
        /** Not with `database`. */
        readonly path?: never;
      }
  );

/** {@link SqliteStoreOptions}, checked, with the connection opened when a path was given. */
export interface ResolvedSqliteStoreOptions {
  readonly db: Database.Database;
  /** True when the store opened the connection and must close it. */
  readonly owned: boolean;
  readonly option: 'path' | 'database';
  readonly busyTimeoutMs: number;
  readonly purgeInterval: number;
  readonly purgeBatchSize: number;
}

/** Checks the options once and opens the file of `path`; a bad option throws a {@link ConfigurationError} naming it. */
export function resolveSqliteStoreOptions(options: SqliteStoreOptions): ResolvedSqliteStoreOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigurationError('options', 'must be an object');
  const busyTimeoutMs = Math.round(parseDuration(options.busyTimeout ?? 2, 'busyTimeout', true) * 1000);
  const purgeInterval = parseDuration(options.purgeInterval ?? '1m', 'purgeInterval', true);
  const purgeBatchSize = options.purgeBatchSize ?? 500;
  if (!Number.isSafeInteger(purgeBatchSize) || purgeBatchSize < 1) throw new ConfigurationError('purgeBatchSize', 'must be a positive integer');
  const tuning = { busyTimeoutMs, purgeInterval, purgeBatchSize };
  if (options.path !== undefined && options.database !== undefined) throw new ConfigurationError('path', 'and "database" exclude each other');
  if (options.database !== undefined) return { ...tuning, db: checkDatabase(options.database), owned: false, option: 'database' };
  if (typeof options.path !== 'string' || options.path === '') throw new ConfigurationError('path', 'must be a non-empty file path, or give "database"');
  return { ...tuning, db: new Database(options.path, { timeout: busyTimeoutMs }), owned: true, option: 'path' };
}

function checkDatabase(database: unknown): Database.Database {
  // Duck-typed: the caller's better-sqlite3 may be another copy of the module than ours.
  const db = database as Partial<Database.Database> | null;
  if (typeof db !== 'object' || db === null || typeof db.prepare !== 'function' || typeof db.transaction !== 'function') {
    throw new ConfigurationError('database', 'must be an open better-sqlite3 Database');
  }
  if (db.open !== true || db.readonly === true) throw new ConfigurationError('database', 'must be open and writable');
  return db as Database.Database;
}
