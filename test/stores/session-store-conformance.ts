import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuth, type Auth, type AuthOptions, type SessionEvent, type SessionStore } from '../../src/index.js';
import { hashRefreshSecret } from '../../src/session/refresh-token.js';
import { testClock, TEST_SECRET, type TestClock } from '../support/test-clock.js';

/** An opened store and how to dispose of it. */
export interface StoreHarness {
  readonly store: SessionStore;
  close(): Promise<void>;
}

const HOUR = 3600;

/**
 * The store conformance suite: every SessionStore runs these same tests, through
 * the core (createAuth with an injected clock), so that the rules hold whatever
 * the store.
 */
export function describeSessionStore(name: string, open: () => Promise<StoreHarness>): void {
  describe(`${name} conformance`, () => {
    let harness: StoreHarness;
    let clock: TestClock;
    let events: SessionEvent[];
    const auths: Auth[] = [];

    const make = (options: Partial<AuthOptions> = {}): Auth => {
      const auth = createAuth({
        issuer: 'https://issuer.test',
        audience: 'api',
        keys: { secret: TEST_SECRET },
        store: harness.store,
        clock,
        onEvent: (event) => events.push(event),
        refreshTokenTtl: HOUR,
        sessionMaxAge: 10 * HOUR,
        ...options,
      });
      auths.push(auth);
      return auth;
    };

    beforeEach(async () => {
      harness = await open();
      clock = testClock();
      events = [];
    });

    afterEach(async () => {
      for (const auth of auths.splice(0)) auth.close();
      await harness.close();
    });

    describe('login', () => {
      it('creates a live session and counts it overall and per subject', async () => {
        const auth = make();
        const tokens = await auth.issue({ subject: 'alice', scope: 'read write', claims: { role: 'admin' } });
        await auth.issue({ subject: 'bob' });
        expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 600, refreshExpiresIn: HOUR, scope: 'read write' });
        expect(await auth.countActiveSessions()).toBe(2);
        expect(await auth.countActiveSessions('alice')).toBe(1);
        expect(await auth.countActiveSessions('carol')).toBe(0);
        const [session] = await auth.listSessions('alice');
        expect(session).toMatchObject({ id: tokens.sessionId, subject: 'alice', createdAt: clock(), expiresAt: clock() + HOUR });
        expect(events.map((event) => event.type)).toEqual(['session.created', 'session.created']);
      });

      it('keeps the claims and scope of the login in every refreshed access token', async () => {
        const auth = make();
        const first = await auth.issue({ subject: 'alice', scope: ['read'], claims: { role: 'admin', tenant: 7 } });
        const next = await auth.refresh(first.refreshToken);
        const verified = await auth.verify(next.accessToken);
        expect(verified).toMatchObject({ subject: 'alice', sessionId: first.sessionId, scope: 'read' });
        expect(verified.claims).toMatchObject({ role: 'admin', tenant: 7 });
      });

      it('revokes the oldest live session beyond maxSessionsPerSubject', async () => {
        const auth = make({ maxSessionsPerSubject: 2 });
        const first = await auth.issue({ subject: 'alice' });
        clock.advance(1);
        const second = await auth.issue({ subject: 'alice' });
        clock.advance(1);
        const third = await auth.issue({ subject: 'alice' });
        expect((await auth.listSessions('alice')).map((session) => session.id)).toEqual([second.sessionId, third.sessionId]);
        await expect(auth.refresh(first.refreshToken)).rejects.toMatchObject({ code: 'invalid_grant', reason: 'revoked' });
        await expect(auth.verify(first.accessToken)).rejects.toMatchObject({ code: 'invalid_token', reason: 'revoked' });
        expect(events).toContainEqual(expect.objectContaining({ type: 'session.revoked', sessionId: first.sessionId, reason: 'limit' }));
      });
    });

    describe('refresh', () => {
      it('rotates the refresh token and slides the session to now + refreshTokenTtl', async () => {
        const auth = make();
        const first = await auth.issue({ subject: 'alice' });
        clock.advance(HOUR - 1);
        const second = await auth.refresh(first.refreshToken);
        expect(second.refreshToken).not.toBe(first.refreshToken);
        expect(second.sessionId).toBe(first.sessionId);
        expect(second.refreshExpiresIn).toBe(HOUR);
        const [session] = await auth.listSessions('alice');
        expect(session).toMatchObject({ refreshedAt: clock(), expiresAt: clock() + HOUR });
        clock.advance(HOUR - 1);
        await expect(auth.refresh(second.refreshToken)).resolves.toMatchObject({ sessionId: first.sessionId });
      });

      it('refuses a refresh at exactly the expiry instant', async () => {
        const auth = make();
        const tokens = await auth.issue({ subject: 'alice' });
        clock.advance(HOUR);
        await expect(auth.refresh(tokens.refreshToken)).rejects.toMatchObject({ code: 'invalid_grant', reason: 'expired' });
        expect(await auth.countActiveSessions()).toBe(0);
      });

      it('never extends a session past sessionMaxAge', async () => {
        const auth = make({ refreshTokenTtl: 4 * HOUR, sessionMaxAge: 6 * HOUR });
        let tokens = await auth.issue({ subject: 'alice' });
        clock.advance(3 * HOUR);
        tokens = await auth.refresh(tokens.refreshToken);
        expect(tokens.refreshExpiresIn).toBe(3 * HOUR);
        clock.advance(3 * HOUR - 1);
        tokens = await auth.refresh(tokens.refreshToken);
        expect(tokens.refreshExpiresIn).toBe(1);
        clock.advance(1);
        await expect(auth.refresh(tokens.refreshToken)).rejects.toMatchObject({ code: 'invalid_grant', reason: 'expired' });
      });

      it('gives a concurrent refresh within the reuse interval the same successor and keeps the session', async () => {
        const auth = make();
        const first = await auth.issue({ subject: 'alice' });
        const winner = await auth.refresh(first.refreshToken);
        clock.advance(4);
        const late = await auth.refresh(first.refreshToken);
        expect(late.refreshToken).toBe(winner.refreshToken);
        await expect(auth.verify(late.accessToken)).resolves.toMatchObject({ subject: 'alice' });
        expect(events.filter((event) => event.type === 'session.refreshed').map((event) => 'concurrent' in event && event.concurrent)).toEqual([false, true]);
        await expect(auth.refresh(winner.refreshToken)).resolves.toMatchObject({ sessionId: first.sessionId });
      });

      it('revokes the whole session when a rotated token comes back after the reuse interval', async () => {
        const auth = make();
        const first = await auth.issue({ subject: 'alice' });
        const second = await auth.refresh(first.refreshToken);
        clock.advance(5);
        await expect(auth.refresh(first.refreshToken)).rejects.toMatchObject({ code: 'invalid_grant', reason: 'reused' });
        await expect(auth.refresh(second.refreshToken)).rejects.toMatchObject({ code: 'invalid_grant', reason: 'revoked' });
        await expect(auth.verify(second.accessToken)).rejects.toMatchObject({ code: 'invalid_token', reason: 'revoked' });
        expect(await auth.countActiveSessions('alice')).toBe(0);
        expect(events).toContainEqual(expect.objectContaining({ type: 'session.reuse_detected', sessionId: first.sessionId, subject: 'alice' }));
        expect(events).toContainEqual(expect.objectContaining({ type: 'session.revoked', sessionId: first.sessionId, reason: 'reuse' }));
      });

      it('treats any older token of the chain as reuse', async () => {
        const auth = make({ reuseInterval: 0 });
        const first = await auth.issue({ subject: 'alice' });
        const second = await auth.refresh(first.refreshToken);
        await auth.refresh(second.refreshToken);
        await expect(auth.refresh(first.refreshToken)).rejects.toMatchObject({ code: 'invalid_grant', reason: 'reused' });
      });

      it('refuses an unknown or near-miss token without harming the real one', async () => {
        const auth = make();
        const tokens = await auth.issue({ subject: 'alice' });
        const [sessionId, secret = ''] = tokens.refreshToken.split('.');
        const flipped = `${sessionId}.${secret.startsWith('A') ? 'B' : 'A'}${secret.slice(1)}`;
        await expect(auth.refresh(flipped)).rejects.toMatchObject({ code: 'invalid_grant', reason: 'unknown' });
        await expect(auth.refresh(`${sessionId}.${'A'.repeat(43)}`)).rejects.toMatchObject({ reason: 'unknown' });
        await expect(auth.refresh(`AAAAAAAAAAAAAAAAAAAAAA.${secret}`)).rejects.toMatchObject({ reason: 'unknown' });
        await expect(auth.refresh(tokens.refreshToken.slice(0, -1))).rejects.toMatchObject({ reason: 'malformed' });
        await expect(auth.refresh(`${tokens.refreshToken}A`)).rejects.toMatchObject({ reason: 'malformed' });
        await expect(auth.refresh(tokens.refreshToken)).resolves.toMatchObject({ sessionId });
      });

      it('ends 50 simultaneous refreshes with one token as some serial order would', async () => {
        const auth = make();
        const first = await auth.issue({ subject: 'alice' });
        const results = await Promise.allSettled(Array.from({ length: 50 }, () => auth.refresh(first.refreshToken)));
        const successors = new Set(results.map((result) => (result.status === 'fulfilled' ? result.value.refreshToken : 'failed')));
        expect([...successors]).toHaveLength(1);
        expect(successors.has('failed')).toBe(false);
        expect(await auth.countActiveSessions()).toBe(1);
        const [successor = ''] = successors;
        await expect(auth.refresh(successor)).resolves.toMatchObject({ sessionId: first.sessionId });
      });
    });

    describe('revocation', () => {
      it('revokes a session by its current or a rotated refresh token (RFC 7009)', async () => {
        const auth = make();
        const a = await auth.issue({ subject: 'alice' });
        const b = await auth.issue({ subject: 'alice' });
        const b2 = await auth.refresh(b.refreshToken);
        await auth.revoke(a.refreshToken);
        await auth.revoke(b.refreshToken);
        await expect(auth.refresh(a.refreshToken)).rejects.toMatchObject({ reason: 'revoked' });
        await expect(auth.refresh(b2.refreshToken)).rejects.toMatchObject({ reason: 'revoked' });
        expect(await auth.countActiveSessions()).toBe(0);
      });

      it('ignores unknown and garbage tokens, and a guessed secret for a real session', async () => {
        const auth = make();
        const tokens = await auth.issue({ subject: 'alice' });
        await expect(auth.revoke('garbage')).resolves.toBeUndefined();
        await expect(auth.revoke(`${tokens.sessionId}.${'B'.repeat(43)}`)).resolves.toBeUndefined();
        expect(await auth.countActiveSessions()).toBe(1);
      });

      it('revokes by session id and by subject, and refuses their access tokens at once', async () => {
        const auth = make();
        const a = await auth.issue({ subject: 'alice' });
        const b = await auth.issue({ subject: 'alice' });
        const c = await auth.issue({ subject: 'bob' });
        expect(await auth.revokeSession(a.sessionId)).toBe(true);
        expect(await auth.revokeSession(a.sessionId)).toBe(false);
        await expect(auth.verify(a.accessToken)).rejects.toMatchObject({ reason: 'revoked' });
        await expect(auth.verify(b.accessToken)).resolves.toMatchObject({ subject: 'alice' });
        expect(await auth.revokeSubject('alice')).toBe(1);
        await expect(auth.verify(b.accessToken)).rejects.toMatchObject({ reason: 'revoked' });
        await expect(auth.refresh(b.refreshToken)).rejects.toMatchObject({ reason: 'revoked' });
        await expect(auth.verify(c.accessToken)).resolves.toMatchObject({ subject: 'bob' });
        expect(await auth.countActiveSessions()).toBe(1);
        const fresh = await auth.issue({ subject: 'alice' });
        await expect(auth.verify(fresh.accessToken)).resolves.toMatchObject({ subject: 'alice' });
      });

      it('checks the session in the store when checkSession asks', async () => {
        const issuer = make();
        const other = make();
        const tokens = await issuer.issue({ subject: 'alice' });
        await expect(other.verify(tokens.accessToken, { checkSession: true })).resolves.toMatchObject({ subject: 'alice' });
        // Revoked in the store alone, with no broadcast, so that only the store read can refuse.
        await harness.store.revoke(tokens.sessionId, clock());
        await expect(other.verify(tokens.accessToken, { checkSession: true })).rejects.toMatchObject({ code: 'invalid_token', reason: 'session_ended' });
      });
    });

    describe('a call that comes back: retried logouts, late writes, restarts', () => {
      /** The store's hash of a refresh token's secret, as the core computes it. */
      const hashOf = (refreshToken: string): string => hashRefreshSecret(refreshToken.split('.')[1] ?? '');

      it('answers a retried revoke with the session as revoked before, writing nothing, for its current or a rotated token', async () => {
        const auth = make();
        const first = await auth.issue({ subject: 'alice' });
        const second = await auth.refresh(first.refreshToken);
        const revokedAt = clock();
        const revoked = await harness.store.revoke(first.sessionId, revokedAt, hashOf(second.refreshToken));
        expect(revoked).toMatchObject({ already: false, session: { id: first.sessionId, revokedAt } });
        clock.advance(30);
        for (const token of [second.refreshToken, first.refreshToken]) {
          const again = await harness.store.revoke(first.sessionId, clock(), hashOf(token));
          expect(again).toMatchObject({ already: true, session: { id: first.sessionId, revokedAt } });
        }
        expect(await harness.store.revoke(first.sessionId, clock(), hashOf(`${first.sessionId}.${'B'.repeat(43)}`))).toBeNull();
        clock.advance(HOUR);
        expect(await harness.store.revoke(first.sessionId, clock())).toBeNull();
      });

      it('refuses the access token after a logout retried once the store had revoked the session late', async () => {
        const auth = make();
        const tokens = await auth.issue({ subject: 'alice' });
        // The first attempt's revocation, made by the store after the core had answered 503.
        await harness.store.revoke(tokens.sessionId, clock(), hashOf(tokens.refreshToken));
        clock.advance(3);
        await auth.revoke(tokens.refreshToken);
        await expect(auth.verify(tokens.accessToken)).rejects.toMatchObject({ code: 'invalid_token', reason: 'revoked' });
        expect(await auth.revokeSession(tokens.sessionId)).toBe(false);
      });

      it('writes nothing for a rotation or a login that reaches it after its deadline, and throws', async () => {
        const auth = make();
        const tokens = await auth.issue({ subject: 'alice' });
        const late = Date.now() - 1;
        const step = {
          sessionId: tokens.sessionId,
          presentedHash: hashOf(tokens.refreshToken),
          successorHash: hashOf(`${tokens.sessionId}.${'C'.repeat(43)}`),
          now: clock(),
          refreshTokenTtl: HOUR,
          reuseInterval: 5,
        };
        await expect(harness.store.rotate({ ...step, deadline: late })).rejects.toMatchObject({ code: 'temporarily_unavailable' });
        const session = { subject: 'bob', createdAt: clock(), refreshedAt: clock(), expiresAt: clock() + HOUR, maxExpiresAt: clock() + HOUR, tokenHash: step.successorHash };
        await expect(harness.store.create(session, clock(), undefined, late)).rejects.toMatchObject({ code: 'temporarily_unavailable' });
        expect(await auth.countActiveSessions()).toBe(1);
        // The token the late rotation would have consumed is still the current one, long after.
        clock.advance(60);
        await expect(auth.refresh(tokens.refreshToken)).resolves.toMatchObject({ sessionId: tokens.sessionId });
        await expect(harness.store.rotate({ ...step, now: clock(), deadline: Date.now() + 60_000 })).resolves.toMatchObject({ outcome: 'superseded' });
      });

      it('gives a process that starts later the revocations of the last access-token lifetime', async (context) => {
        if (harness.store.revokedSince === undefined) context.skip();
        const auth = make();
        const kept = await auth.issue({ subject: 'alice' });
        const longAgo = await auth.issue({ subject: 'alice' });
        await auth.revokeSession(longAgo.sessionId);
        clock.advance(601);
        const byId = await auth.issue({ subject: 'alice' });
        const bySubject = await auth.issue({ subject: 'bob' });
        const reused = await auth.issue({ subject: 'carol' });
        await auth.refresh(reused.refreshToken);
        await auth.revokeSession(byId.sessionId);
        clock.advance(1);
        await auth.revokeSubject('bob');
        clock.advance(10);
        await expect(auth.refresh(reused.refreshToken)).rejects.toMatchObject({ reason: 'reused' });

        const notices = await harness.store.revokedSince?.(clock() - 600);
        const ids = notices?.flatMap((notice) => notice.sessionIds);
        expect(new Set(ids)).toEqual(new Set([byId.sessionId, bySubject.sessionId, reused.sessionId]));
        expect(notices?.filter((notice) => notice.subject !== undefined)).toEqual([expect.objectContaining({ subject: 'bob', at: clock() - 10 })]);

        const restarted = make();
        for (const tokens of [byId, bySubject, reused]) {
          await expect(restarted.verify(tokens.accessToken)).rejects.toMatchObject({ reason: 'revoked' });
        }
        await expect(restarted.verify(kept.accessToken)).rejects.toMatchObject({ reason: 'expired' });
        const after = await restarted.issue({ subject: 'bob' });
        await expect(restarted.verify(after.accessToken)).resolves.toMatchObject({ subject: 'bob' });
      });
    });

    describe('counting and expiry', () => {
      it('counts only sessions that are neither expired nor revoked', async () => {
        const auth = make();
        await auth.issue({ subject: 'alice' });
        clock.advance(HOUR / 2);
        const late = await auth.issue({ subject: 'alice' });
        const revoked = await auth.issue({ subject: 'bob' });
        await auth.revokeSession(revoked.sessionId);
        expect(await auth.countActiveSessions()).toBe(2);
        clock.advance(HOUR / 2);
        expect(await auth.countActiveSessions()).toBe(1);
        expect(await auth.countActiveSessions('alice')).toBe(1);
        expect((await auth.listSessions('alice')).map((session) => session.id)).toEqual([late.sessionId]);
        clock.advance(HOUR / 2);
        expect(await auth.countActiveSessions()).toBe(0);
        expect(await auth.listSessions('alice')).toEqual([]);
      });

      it('agrees with a naive model of the session rules', async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(commandArbitrary, { minLength: 1, maxLength: 25 }), async (commands) => {
            const fresh = await open();
            const runClock = testClock();
            const auth = createAuth({
              issuer: 'https://issuer.test',
              audience: 'api',
              keys: { secret: TEST_SECRET },
              store: fresh.store,
              clock: runClock,
              reuseInterval: 3,
              refreshTokenTtl: 20,
              sessionMaxAge: 50,
            });
            const model = new NaiveSessions(3, 20, 50);
            const tokens: string[] = [];
            try {
              for (const command of commands) await runCommand(command, auth, model, tokens, runClock);
            } finally {
              auth.close();
              await fresh.close();
            }
          }),
          { numRuns: 25 },
        );
      });
    });
  });
}

type Command =
  | { readonly kind: 'login'; readonly subject: string }
  | { readonly kind: 'refresh' | 'revoke'; readonly pick: number }
  | { readonly kind: 'advance'; readonly seconds: number }
  | { readonly kind: 'count'; readonly subject: string | undefined };

const subjectArbitrary = fc.constantFrom('alice', 'bob');
const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('login' as const), subject: subjectArbitrary }),
  fc.record({ kind: fc.constantFrom('refresh' as const, 'revoke' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('advance' as const), seconds: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant('count' as const), subject: fc.option(subjectArbitrary, { nil: undefined }) }),
);

async function runCommand(command: Command, auth: Auth, model: NaiveSessions, tokens: string[], clock: TestClock): Promise<void> {
  const now = clock();
  if (command.kind === 'advance') return clock.advance(command.seconds);
  if (command.kind === 'count') return expect(await auth.countActiveSessions(command.subject)).toBe(model.count(now, command.subject));
  if (command.kind === 'login') {
    const issued = await auth.issue({ subject: command.subject });
    model.login(issued.refreshToken, command.subject, now);
    tokens.push(issued.refreshToken);
    return;
  }
  const token = tokens[command.pick % Math.max(1, tokens.length)];
  if (token === undefined) return;
  if (command.kind === 'revoke') {
    await auth.revoke(token);
    return model.revoke(token, now);
  }
  const expected = model.refresh(token, now);
  const actual = await auth.refresh(token).then(
    (set) => ({ ok: true as const, token: set.refreshToken }),
    (error: { reason: string }) => ({ ok: false as const, reason: error.reason }),
  );
  // A store may already have dropped an expired session: it then no longer knows the token.
  const accepted = expected === 'expired' ? ['expired', 'unknown'] : [expected];
  expect(accepted).toContain(actual.ok ? 'ok' : actual.reason);
  if (actual.ok) {
    model.succeeded(token, actual.token, now);
    tokens.push(actual.token);
  }
}

interface ModelSession {
  subject: string;
  createdAt: number;
  expiresAt: number;
  revoked: boolean;
  current: string;
  consumed: Map<string, { at: number; successor: string }>;
}

/** The session rules of DESIGN section 3, written as plainly as possible. */
class NaiveSessions {
  readonly sessions: ModelSession[] = [];

  readonly reuseInterval: number;
  readonly ttl: number;
  readonly maxAge: number;

  constructor(reuseInterval: number, ttl: number, maxAge: number) {
    this.reuseInterval = reuseInterval;
    this.ttl = ttl;
    this.maxAge = maxAge;
  }

  login(token: string, subject: string, now: number): void {
    this.sessions.push({ subject, createdAt: now, expiresAt: now + this.ttl, revoked: false, current: token, consumed: new Map() });
  }

  owner(token: string): ModelSession | undefined {
    return this.sessions.find((session) => session.current === token || session.consumed.has(token));
  }

  refresh(token: string, now: number): string {
    const session = this.owner(token);
    if (session === undefined) return 'unknown';
    if (session.revoked) return 'revoked';
    if (session.expiresAt <= now) return 'expired';
    if (session.current === token) return 'ok';
    const consumed = session.consumed.get(token);
    if (consumed !== undefined && now < consumed.at + this.reuseInterval) return consumed.successor === session.current ? 'ok' : 'superseded';
    session.revoked = true;
    return 'reused';
  }

  succeeded(token: string, successor: string, now: number): void {
    const session = this.owner(token);
    if (session === undefined) return;
    if (session.current === token) {
      session.consumed.set(token, { at: now, successor });
      session.current = successor;
    }
    session.expiresAt = Math.min(now + this.ttl, session.createdAt + this.maxAge);
  }

  revoke(token: string, now: number): void {
    const session = this.owner(token);
    if (session !== undefined && session.expiresAt > now) session.revoked = true;
  }

  count(now: number, subject: string | undefined): number {
    return this.sessions.filter((session) => !session.revoked && session.expiresAt > now && (subject === undefined || session.subject === subject)).length;
  }
}
