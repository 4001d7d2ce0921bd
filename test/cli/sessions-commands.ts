import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, type Auth, type SessionInfo, type SessionStore, type TokenSet } from '../../src/index.js';
import { requireBuiltBin, runCli } from './run-cli.js';

/** A store for the CLI to operate on, as an application holds it. */
export interface CliStoreFixture {
  /** What `--store` says to reach it. */
  readonly location: string;
  readonly store: SessionStore;
  close(): Promise<void>;
}

/** The application's view: a core on the store, with the real clock the CLI also uses. */
export function applicationOn(store: SessionStore): Auth {
  return createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: 'a'.repeat(32) }, store });
}

/** What `sessions list` prints for a session `auth.listSessions` returns. */
export function listed(session: SessionInfo): Record<string, unknown> {
  const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
  return {
    ...session,
    createdAtIso: iso(session.createdAt),
    refreshedAtIso: iso(session.refreshedAt),
    expiresAtIso: iso(session.expiresAt),
  };
}

/**
 * The `sessions` commands against one kind of store: each result matches what
 * the library reports, and each revocation is one the library then enforces.
 */
export function describeSessionsCommands(name: string, open: () => Promise<CliStoreFixture>): void {
  describe(`tokenlease sessions on ${name}`, () => {
    let fixture: CliStoreFixture;
    let auth: Auth;
    const sessions = (...args: string[]) => runCli(['sessions', ...args, '--store', fixture.location]);

    beforeAll(async () => {
      requireBuiltBin();
      fixture = await open();
      auth = applicationOn(fixture.store);
      await auth.issue({ subject: 'alice', scope: 'read write' });
      await auth.issue({ subject: 'alice' });
      await auth.issue({ subject: 'bob' });
    });

    afterAll(async () => {
      auth?.close();
      await fixture?.close();
    });

    it('counts the live sessions, overall and of one subject, as countActiveSessions does', async () => {
      const overall = await sessions('count');
      expect(overall).toMatchObject({ code: 0, stdout: `${await auth.countActiveSessions()}\n`, stderr: '' });
      expect(Number(overall.stdout)).toBeGreaterThanOrEqual(3);
      expect(await sessions('count', '--subject', 'alice')).toMatchObject({ code: 0, stdout: '2\n' });
      expect(await sessions('count', '--subject', 'nobody')).toMatchObject({ code: 0, stdout: '0\n' });
    });

    it('lists the live sessions of a subject as a JSON array, oldest first, times in epoch seconds and ISO 8601', async () => {
      const run = await sessions('list', '--subject', 'alice');
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const printed = JSON.parse(run.stdout) as unknown[];
      expect(printed).toEqual((await auth.listSessions('alice')).map(listed));
      expect(printed).toHaveLength(2);
      expect(printed[0]).toMatchObject({ subject: 'alice', scope: 'read write' });
      expect(JSON.stringify(printed)).not.toMatch(/tokenHash|claims/);
      expect(JSON.parse((await sessions('list', '--subject', 'nobody')).stdout)).toEqual([]);
    });

    it('revokes one session by id: its refresh token is refused, the subject keeps the others', async () => {
      const kept = await auth.issue({ subject: 'carol' });
      const dropped = await auth.issue({ subject: 'carol' });
      expect(await sessions('revoke', '--session', dropped.sessionId)).toMatchObject({ code: 0, stdout: '1\n', stderr: '' });
      expect(await sessions('revoke', '--session', dropped.sessionId)).toMatchObject({ code: 0, stdout: '0\n' });
      expect(await sessions('revoke', '--session', 'no-such-session')).toMatchObject({ code: 0, stdout: '0\n' });
      await expect(auth.refresh(dropped.refreshToken)).rejects.toMatchObject({ code: 'invalid_grant', reason: 'revoked' });
      await expect(auth.refresh(kept.refreshToken)).resolves.toMatchObject({ sessionId: kept.sessionId });
    });

    it('revokes every session of a subject and prints how many: their refresh tokens are refused', async () => {
      const issued: TokenSet[] = [await auth.issue({ subject: 'dave' }), await auth.issue({ subject: 'dave' })];
      const other = await auth.issue({ subject: 'erin' });
      expect(await sessions('revoke', '--subject', 'dave')).toMatchObject({ code: 0, stdout: '2\n', stderr: '' });
      expect(await auth.countActiveSessions('dave')).toBe(0);
      for (const tokens of issued) {
        await expect(auth.refresh(tokens.refreshToken)).rejects.toMatchObject({ code: 'invalid_grant', reason: 'revoked' });
      }
      await expect(auth.refresh(other.refreshToken)).resolves.toMatchObject({ sessionId: other.sessionId });
      expect(await sessions('revoke', '--subject', 'dave')).toMatchObject({ code: 0, stdout: '0\n' });
    });
  });
}
