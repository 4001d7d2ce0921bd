import type Database from 'better-sqlite3';
import { expect } from 'vitest';

/** Values for every parameter of a statement, named (`@now`) or positional (`?`). */
export function sampleParameters(sql: string, now: number): unknown[] {
  const names = [...sql.matchAll(/@(\w+)/g)].map((match) => match[1] ?? '');
  if (names.length > 0) return [Object.fromEntries(names.map((name) => [name, name === 'subject' ? 'user-1' : now]))];
  return [...sql.matchAll(/\?/g)].map(() => 'x');
}

/** The trigger-kept counters must equal what a full count of the rows says. */
export function expectCountersToMatchRows(db: Database.Database): void {
  const total = db.prepare('SELECT unrevoked FROM tokenlease_session_total').pluck().get();
  expect(total).toBe(db.prepare('SELECT count(*) FROM tokenlease_sessions WHERE revoked_at IS NULL').pluck().get());
  const perSubject = db.prepare('SELECT subject, unrevoked FROM tokenlease_subject_counts ORDER BY subject').all();
  const counted = db.prepare('SELECT subject, count(*) AS unrevoked FROM tokenlease_sessions WHERE revoked_at IS NULL GROUP BY subject ORDER BY subject').all();
  expect(perSubject).toEqual(counted);
}
