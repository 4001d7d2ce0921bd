import { describe, expect, it } from 'vitest';
import { createAuth } from '../src/create-auth.js';
import type { AuthOptions } from '../src/auth-options.js';
import { MemoryStore } from '../src/stores/memory-store.js';
import type { SessionStore } from '../src/session/session-store.js';
import { decodeJws } from './support/forge.js';
import { testClock, TEST_SECRET } from './support/test-clock.js';

const base = { issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET } } as const;

describe('createAuth options', () => {
  const bad: [string, Partial<Record<keyof AuthOptions, unknown>>][] = [
    ['issuer', { issuer: '' }],
    ['audience', { audience: 42 }],
    ['accessTokenTtl', { accessTokenTtl: 0 }],
    ['accessTokenTtl', { accessTokenTtl: '10 minutes' }],
    ['refreshTokenTtl', { refreshTokenTtl: -1 }],
    ['sessionMaxAge', { sessionMaxAge: Number.POSITIVE_INFINITY }],
    ['reuseInterval', { reuseInterval: -5 }],
    ['clockTolerance', { clockTolerance: 'soon' }],
    ['maxSessionsPerSubject', { maxSessionsPerSubject: 1.5 }],
    ['maxTokenLength', { maxTokenLength: 0 }],
    ['storeTimeout', { storeTimeout: 0 }],
    ['clock', { clock: 17 }],
    ['onEvent', { onEvent: 'log' }],
  ];

  it.each(bad)('refuses a bad %s at start, naming it', (option, patch) => {
    expect(() => createAuth({ ...base, ...patch } as AuthOptions)).toThrow(expect.objectContaining({ code: 'invalid_configuration', reason: option }));
  });

  it('takes durations as seconds or strings', async () => {
    const clock = testClock();
    const auth = createAuth({ ...base, clock, accessTokenTtl: '15m', refreshTokenTtl: '2h', sessionMaxAge: '1d', reuseInterval: '250ms' });
    const tokens = await auth.issue({ subject: 'alice' });
    expect(tokens).toMatchObject({ expiresIn: 900, refreshExpiresIn: 7200 });
    expect(decodeJws(tokens.accessToken).payload).toMatchObject({ exp: clock() + 900, iat: clock() });
  });

  it('defaults to a 10-minute access token and a 14-day sliding session', async () => {
    const tokens = await createAuth(base).issue({ subject: 'alice' });
    expect(tokens).toMatchObject({ expiresIn: 600, refreshExpiresIn: 14 * 86_400, tokenType: 'Bearer' });
  });
});

describe('issue', () => {
  const auth = createAuth({ ...base, clock: testClock() });

  it('signs the registered claims of DESIGN section 4, custom claims beside them', async () => {
    const tokens = await auth.issue({ subject: 'alice', scope: ['read', 'write', 'read'], claims: { role: 'admin' } });
    const { header, payload } = decodeJws(tokens.accessToken);
    expect(header).toMatchObject({ alg: 'HS256', typ: 'at+jwt' });
    expect(typeof header['kid']).toBe('string');
    expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'role', 'scope', 'sid', 'sub']);
    expect(payload).toMatchObject({ sub: 'alice', sid: tokens.sessionId, scope: 'read write', role: 'admin' });
    expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it('refuses custom claims that override registered ones, and bad subjects or scopes', async () => {
    await expect(auth.issue({ subject: 'alice', claims: { sub: 'root' } })).rejects.toMatchObject({ code: 'invalid_configuration', reason: 'claims' });
    await expect(auth.issue({ subject: 'alice', claims: JSON.parse('{"__proto__":{"admin":true}}') })).rejects.toMatchObject({ reason: 'claims' });
    await expect(auth.issue({ subject: '' })).rejects.toMatchObject({ reason: 'subject' });
    await expect(auth.issue({ subject: 'alice', scope: 'read "write"' })).rejects.toMatchObject({ reason: 'scope' });
  });
});

describe('store failures', () => {
  const failing = (behaviour: 'throw' | 'hang'): SessionStore => {
    const fail = (): Promise<never> => (behaviour === 'throw' ? Promise.reject(new Error('connection refused')) : new Promise<never>(() => undefined));
    const memory = new MemoryStore();
    return { create: fail, rotate: fail, find: fail, revoke: fail, revokeSubject: fail, count: fail, list: (s, n) => memory.list(s, n) };
  };

  it.each(['throw', 'hang'] as const)('answers temporarily_unavailable (503) when the store does %s, and still verifies', async (behaviour) => {
    const working = createAuth({ ...base, clock: testClock() });
    const tokens = await working.issue({ subject: 'alice' });
    const auth = createAuth({ ...base, clock: testClock(), store: failing(behaviour), storeTimeout: '50ms' });
    const reason = behaviour === 'throw' ? 'failed' : 'timeout';
    await expect(auth.issue({ subject: 'alice' })).rejects.toMatchObject({ code: 'temporarily_unavailable', status: 503, reason });
    await expect(auth.refresh(tokens.refreshToken)).rejects.toMatchObject({ code: 'temporarily_unavailable', reason });
    await expect(auth.countActiveSessions()).rejects.toMatchObject({ code: 'temporarily_unavailable' });
    await expect(auth.verify(tokens.accessToken)).resolves.toMatchObject({ subject: 'alice' });
    await expect(auth.verify(tokens.accessToken, { checkSession: true })).rejects.toMatchObject({ code: 'temporarily_unavailable' });
  });

  it('refuses at once beyond maxPendingStoreCalls, counting timed-out calls until the store answers', async () => {
    const answers: (() => void)[] = [];
    const memory = new MemoryStore();
    const slow: SessionStore = {
      ...failing('hang'),
      count: (now, subject) => new Promise((resolve) => answers.push(() => resolve(memory.count(now, subject)))),
    };
    const auth = createAuth({ ...base, clock: testClock(), store: slow, storeTimeout: '20ms', maxPendingStoreCalls: 2 });
    const first = auth.countActiveSessions();
    const second = auth.countActiveSessions();
    await expect(auth.countActiveSessions()).rejects.toMatchObject({ code: 'temporarily_unavailable', reason: 'overloaded' });
    await expect(first).rejects.toMatchObject({ reason: 'timeout' });
    await expect(second).rejects.toMatchObject({ reason: 'timeout' });
    await expect(auth.countActiveSessions()).rejects.toMatchObject({ reason: 'overloaded' });
    const flush = () => new Promise((resolve) => setImmediate(resolve));
    for (const answer of answers.splice(0)) answer();
    await flush();
    const third = auth.countActiveSessions();
    await flush();
    for (const answer of answers.splice(0)) answer();
    await expect(third).resolves.toBe(0);
  });

  it('does not fail a login because an event listener threw', async () => {
    const auth = createAuth({ ...base, onEvent: () => { throw new Error('logger down'); } });
    await expect(auth.issue({ subject: 'alice' })).resolves.toMatchObject({ tokenType: 'Bearer' });
  });
});
