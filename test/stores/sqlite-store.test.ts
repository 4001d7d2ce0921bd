import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuth, type Auth, type AuthOptions } from '../../src/index.js';
import { hashRefreshSecret, parseRefreshToken } from '../../src/session/refresh-token.js';
import { SqliteStore, type SqliteStoreOptions } from '../../src/stores/sqlite/index.js';
import { SCHEMA_VERSION } from '../../src/stores/sqlite/schema.js';
import { SQL } from '../../src/stores/sqlite/statements.js';
import { testClock, TEST_SECRET, type TestClock } from '../support/test-clock.js';
import { describeSessionStore } from './session-store-conformance.js';
import { assertBuilt, lastAcknowledged, startChild } from './sqlite/child-process.js';
import { expectCountersToMatchRows, sampleParameters } from './sqlite/inspect-database.js';

const HOUR = 3600;

describeSessionStore('SqliteStore', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tokenlease-sqlite-'));
  const store = new SqliteStore({ path: join(dir, 'sessions.db') });
  return {
    store,
    close: async () => {
      store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteStore', () => {
  let dir: string;
  let file: string;
  let clock: TestClock;
  const opened: { close(): void }[] = [];

  const open = (options: Partial<SqliteStoreOptions> = {}): SqliteStore => {
    const store = new SqliteStore({ path: file, ...options } as SqliteStoreOptions);
    opened.push(store);
    return store;
  };
  const raw = (): Database.Database => {
    const db = new Database(file);
    opened.push(db);
    return db;
  };
  const issuer = 'https://issuer.test';
  const audience = 'api';
  const authOn = (store: SqliteStore, options: Partial<AuthOptions> = {}): Auth =>
    createAuth({ issuer, audience, keys: { secret: TEST_SECRET }, store, clock, refreshTokenTtl: HOUR, ...options });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tokenlease-sqlite-'));
    file = join(dir, 'sessions.db');
    clock = testClock();
  });

  afterEach(async () => {
    for (const handle of opened.splice(0).reverse()) handle.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('schema', () => {
    it('migrates an empty file on open, records the version, and keeps data on reopen', async () => {
      raw().close();
      const first = open();
      const tokens = await authOn(first).issue({ subject: 'alice', claims: { role: 'admin' } });
      first.close();
      const db = raw();
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
      expect(tables).toEqual([
        'tokenlease_consumed_tokens',
        'tokenlease_session_total',
        'tokenlease_sessions',
        'tokenlease_subject_counts',
        'tokenlease_subject_revocations',
      ]);
      db.close();
      const reopened = open();
      expect(await reopened.find(tokens.sessionId)).toMatchObject({ subject: 'alice', claims: { role: 'admin' } });
      await expect(authOn(reopened).refresh(tokens.refreshToken)).resolves.toMatchObject({ sessionId: tokens.sessionId });
    });

    it('upgrades a file of schema version 1, keeping its sessions, and then replays its revocations', async () => {
      const first = open();
      const auth = authOn(first);
      const kept = await auth.issue({ subject: 'alice' });
      const revoked = await auth.issue({ subject: 'alice' });
      await auth.revokeSession(revoked.sessionId);
      first.close();
      // What version 1 wrote: no revocation index and no subject revocations.
      const db = raw();
      db.exec('DROP INDEX tokenlease_sessions_by_revocation; DROP TABLE tokenlease_subject_revocations; PRAGMA user_version = 1');
      db.close();
      const upgraded = authOn(open());
      await expect(upgraded.verify(revoked.accessToken)).rejects.toMatchObject({ reason: 'revoked' });
      await expect(upgraded.refresh(kept.refreshToken)).resolves.toMatchObject({ sessionId: kept.sessionId });
      expect(raw().pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    });

    it('refuses a file written by a newer schema version and leaves it untouched', () => {
      const db = raw();
      db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      expect(() => open()).toThrow(expect.objectContaining({ code: 'invalid_configuration', reason: 'path' }));
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE 'tokenlease%'").pluck().get()).toBe(0);
    });

    it('switches the file to WAL', () => {
      open();
      expect(raw().pragma('journal_mode', { simple: true })).toBe('wal');
    });

    it('shares a database handed in, next to its own tables, and leaves it open on close', async () => {
      const db = raw();
      db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES (\'alice\')');
      const store = new SqliteStore({ database: db });
      await authOn(store).issue({ subject: 'alice' });
      store.close();
      expect(db.open).toBe(true);
      expect(db.prepare('SELECT name FROM users').pluck().all()).toEqual(['alice']);
      expect(db.prepare('SELECT count(*) FROM tokenlease_sessions').pluck().get()).toBe(1);
    });

    it('checks its options once and names the bad one', () => {
      const db = raw();
      const bad = (options: unknown): (() => SqliteStore) => () => new SqliteStore(options as SqliteStoreOptions);
      expect(bad({ path: file, database: db })).toThrow(expect.objectContaining({ code: 'invalid_configuration', reason: 'path' }));
      expect(bad({ path: '' })).toThrow(expect.objectContaining({ code: 'invalid_configuration', reason: 'path' }));
      expect(bad({ database: {} })).toThrow(expect.objectContaining({ code: 'invalid_configuration', reason: 'database' }));
      expect(bad({ path: file, purgeBatchSize: 0 })).toThrow(expect.objectContaining({ reason: 'purgeBatchSize' }));
      expect(bad({ path: file, purgeInterval: -1 })).toThrow(expect.objectContaining({ reason: 'purgeInterval' }));
      expect(bad({ path: file, busyTimeout: 'soon' })).toThrow(expect.objectContaining({ reason: 'busyTimeout' }));
    });
  });

  it('survives a restart: rotated tokens, revocations and counts are as they were', async () => {
    const before = authOn(open());
    const kept = await before.issue({ subject: 'alice' });
    const rotated = await before.refresh(kept.refreshToken);
    const dropped = await before.issue({ subject: 'alice' });
    await before.revokeSession(dropped.sessionId);
    opened.splice(0).forEach((handle) => handle.close());
    const after = authOn(open());
    expect(await after.countActiveSessions('alice')).toBe(1);
    await expect(after.refresh(dropped.refreshToken)).rejects.toMatchObject({ code: 'invalid_grant', reason: 'revoked' });
    await expect(after.refresh(rotated.refreshToken)).resolves.toMatchObject({ sessionId: kept.sessionId });
    clock.advance(5);
    await expect(after.refresh(kept.refreshToken)).rejects.toMatchObject({ code: 'invalid_grant', reason: 'reused' });
  });

  describe('purge', () => {
    async function seed(auth: Auth): Promise<{ early: string[]; late: string[] }> {
      const early: string[] = [];
      for (let i = 0; i < 5; i++) {
        const tokens = await auth.issue({ subject: `early-${i % 2}` });
        await auth.refresh(tokens.refreshToken);
        early.push(tokens.sessionId);
      }
      await auth.revokeSession(early[0] ?? '');
      clock.advance(HOUR / 2);
      const late: string[] = [];
      for (let i = 0; i < 3; i++) {
        const tokens = await auth.issue({ subject: 'early-0' });
        await auth.refresh(tokens.refreshToken);
        late.push(tokens.sessionId);
      }
      await auth.revokeSession(late[0] ?? '');
      clock.advance(HOUR / 2);
      return { early, late };
    }

    it('removes expired sessions (revoked or not) and their consumed hashes in bounded batches, and nothing else', async () => {
      const store = open({ purgeInterval: '1000d' });
      const { early, late } = await seed(authOn(store));
      const db = raw();
      const countBefore = await store.count(clock());
      expect([1, 2, 3, 4].map(() => store.purgeExpired(clock(), 2))).toEqual([2, 2, 1, 0]);
      expect(db.prepare('SELECT id FROM tokenlease_sessions ORDER BY id').pluck().all()).toEqual([...late].sort());
      expect(db.prepare('SELECT DISTINCT session_id FROM tokenlease_consumed_tokens ORDER BY 1').pluck().all()).toEqual([...late].sort());
      expect(await store.count(clock())).toBe(countBefore);
      expect(await store.count(clock(), 'early-0')).toBe(2);
      expect(await store.find(late[0] ?? '')).toMatchObject({ revokedAt: expect.any(Number) });
      expect(await store.find(early[1] ?? '')).toBeNull();
      expectCountersToMatchRows(db);
    });

    it('runs on writes at most once per purgeInterval of the core clock, and again at once after a full batch', async () => {
      const store = open({ purgeInterval: 60, purgeBatchSize: 2 });
      const auth = authOn(store);
      await seed(auth);
      const db = raw();
      const rows = (): number => db.prepare('SELECT count(*) FROM tokenlease_sessions').pluck().get() as number;
      expect(rows()).toBe(8);
      await auth.issue({ subject: 'writer' });
      expect(rows()).toBe(9 - 2);
      await auth.issue({ subject: 'writer' });
      expect(rows()).toBe(10 - 4);
      await auth.issue({ subject: 'writer' });
      expect(rows()).toBe(11 - 5);
      clock.advance(59);
      await auth.issue({ subject: 'writer' });
      expect(rows()).toBe(7);
      expectCountersToMatchRows(db);
    });
  });

  it('counts, lists and purges through indexes, never a scan of the sessions table', async () => {
    const auth = authOn(open());
    for (let i = 0; i < 20; i++) await auth.issue({ subject: `user-${i % 4}` });
    const db = raw();
    const plans = Object.entries(SQL).map(([name, sql]) => {
      const lines = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...sampleParameters(sql, clock())) as { detail: string }[];
      return [name, lines.map((line) => line.detail).filter((detail) => / tokenlease_sessions\b/.test(detail))] as const;
    });
    const byName = Object.fromEntries(plans);
    for (const [, details] of plans) for (const detail of details) expect(detail).toMatch(/^SEARCH /);
    expect(byName.count).toEqual([expect.stringContaining('USING COVERING INDEX tokenlease_sessions_by_expiry')]);
    expect(byName.countOfSubject).toEqual([expect.stringContaining('USING COVERING INDEX tokenlease_sessions_by_subject')]);
    expect(byName.list).toEqual([expect.stringContaining('USING INDEX tokenlease_sessions_by_subject')]);
    expect(byName.purge).toContainEqual(expect.stringContaining('tokenlease_sessions_by_expiry'));
  });
});

describe('SqliteStore shared by processes (needs `npm run build`)', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore | undefined;
  const now = 1_800_000_000;
  const child = { issuer: 'https://issuer.test', audience: 'api', secret: TEST_SECRET, now };
  const authOn = (opened: SqliteStore): Auth =>
    createAuth({ issuer: child.issuer, audience: child.audience, keys: { secret: TEST_SECRET }, store: opened, clock: () => now });

  beforeAll(assertBuilt);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tokenlease-sqlite-'));
    file = join(dir, 'sessions.db');
  });

  afterEach(async () => {
    store?.close();
    store = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('ends 50 simultaneous refreshes of one token from two processes as some serial order would', async () => {
    store = new SqliteStore({ path: file });
    const auth = authOn(store);
    const first = await auth.issue({ subject: 'alice' });
    const children = [0, 1].map(() => startChild('refresh-race.mjs', { ...child, file, token: first.refreshToken, count: 25 }));
    await Promise.all(children.map((racer) => racer.waitFor((lines) => lines.includes('ready'))));
    children.forEach((racer) => racer.send('go\n'));
    await Promise.all(children.map((racer) => racer.waitFor((lines) => lines.length === 2)));
    const results = children.flatMap((racer) => JSON.parse(racer.lines[1] ?? '[]') as { refreshToken?: string; reason?: string }[]);
    expect(results).toHaveLength(50);
    const successors = new Set(results.map((result) => result.refreshToken ?? `failed: ${result.reason}`));
    expect([...successors]).toEqual([expect.any(String)]);
    const [successor = ''] = successors;
    const session = await store.find(first.sessionId);
    expect(session).toMatchObject({ tokenHash: hashRefreshSecret(parseRefreshToken(successor)?.secret ?? '') });
    expect(session?.revokedAt).toBeUndefined();
    expect(await auth.countActiveSessions()).toBe(1);
    await expect(auth.refresh(successor)).resolves.toMatchObject({ sessionId: first.sessionId });
    for (const racer of children) expect(await racer.ended).toMatchObject({ code: 0 });
  });

  it('keeps every acknowledged rotation and revocation of a process killed with SIGKILL', async () => {
    const chains = 12;
    const load = startChild('refresh-load.mjs', { ...child, file, chains });
    await load.waitFor((lines) => lines.length >= 400 && lines.filter((line) => line.includes('"revoked"')).length === 4);
    load.kill('SIGKILL');
    expect(await load.ended).toMatchObject({ signal: 'SIGKILL' });
    const db = new Database(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    store = new SqliteStore({ path: file });
    const auth = authOn(store);
    const chainsLeft = lastAcknowledged(load.lines, chains);
    for (const { token, revoked } of chainsLeft) {
      if (revoked) await expect(auth.refresh(token)).rejects.toMatchObject({ code: 'invalid_grant', reason: 'revoked' });
      else await expect(auth.refresh(token)).resolves.toMatchObject({ tokenType: 'Bearer' });
    }
    expect(await auth.countActiveSessions()).toBe(chainsLeft.filter((state) => !state.revoked).length);
  });
});
