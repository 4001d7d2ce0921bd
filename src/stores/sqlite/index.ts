/**
 * `tokenlease/sqlite`: the SQLite session store (better-sqlite3 12).
 *
 * @example
 * ```ts
 * import { SqliteStore } from 'tokenlease/sqlite'
 * const store = new SqliteStore({ path: 'sessions.db' })
 * ```
 *
 * @packageDocumentation
 */
export { SqliteStore } from './sqlite-store.js';
export type { SqliteStoreOptions, SqliteStoreTuning } from './sqlite-store-options.js';
