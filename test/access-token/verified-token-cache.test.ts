import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JWK } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { VerifiedTokenCache } from '../../src/access-token/verified-token-cache.js';
import { createAuth, createVerifier, generateSigningKey, type VerifiedToken } from '../../src/index.js';
import { testClock, TEST_SECRET } from '../support/test-clock.js';

const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

/** Serves a JWK Set on loopback; `publish` replaces what it serves. */
async function publishJwks(first: object): Promise<{ url: string; publish: (jwks: object) => void }> {
  let published = first;
  const server = createServer((_, response) => response.end(JSON.stringify(published)));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    publish: (jwks) => {
      published = jwks;
    },
  };
}

describe('the verified-token cache never changes an answer', () => {
  it('refuses a cached token at exactly its exp', async () => {
    const clock = testClock();
    const auth = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET }, clock });
    const { accessToken } = await auth.issue({ subject: 'alice' });
    await auth.verify(accessToken);
    clock.advance(599);
    await expect(auth.verify(accessToken)).resolves.toMatchObject({ subject: 'alice' });
    clock.advance(1);
    await expect(auth.verify(accessToken)).rejects.toMatchObject({ code: 'invalid_token', reason: 'expired' });
  });

  it('refuses a cached token once its session is revoked', async () => {
    const auth = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET }, clock: testClock() });
    const tokens = await auth.issue({ subject: 'alice' });
    await auth.verify(tokens.accessToken);
    await auth.revokeSession(tokens.sessionId);
    await expect(auth.verify(tokens.accessToken)).rejects.toMatchObject({ code: 'invalid_token', reason: 'revoked' });
  });

  it('refuses forged tokens that share a prefix with a cached one', async () => {
    const auth = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET }, clock: testClock() });
    const { accessToken } = await auth.issue({ subject: 'alice' });
    await auth.verify(accessToken);
    const last = accessToken.at(-1) === 'A' ? 'B' : 'A';
    await expect(auth.verify(`${accessToken.slice(0, -1)}${last}`)).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(auth.verify(`${accessToken}A`)).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(auth.verify(accessToken.slice(0, -2))).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(auth.verify(`${accessToken.slice(0, accessToken.lastIndexOf('.'))}.${'A'.repeat(43)}`)).rejects.toMatchObject({ reason: 'bad_signature' });
  });

  /** Rotations of a remote JWK Set: the new key, and what a token of the old key must then get. */
  const rotations: [string, (old: JWK) => JWK, string][] = [
    ['forgets tokens of a key removed from a remote JWK Set', () => generateSigningKey('EdDSA'), 'unknown_key'],
    // A careless rotation: new key material published under the old kid.
    ['refuses a cached token once its kid names other key material', (old) => ({ ...generateSigningKey('EdDSA'), kid: old.kid as string }), 'bad_signature'],
  ];
  it.each(rotations)('%s', async (_, rotate, reason) => {
    const oldKey = generateSigningKey('EdDSA');
    const clock = testClock(Math.floor(Date.now() / 1000));
    const before = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { signing: oldKey }, clock });
    const after = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { signing: rotate(oldKey) }, clock });
    const jwks = await publishJwks(before.jwks());
    const verifier = createVerifier({ issuer: 'https://issuer.test', audience: 'api', jwksUrl: jwks.url, clock, jwksCacheMaxAge: '100ms', jwksCooldown: 0 });
    const oldToken = (await before.issue({ subject: 'alice' })).accessToken;
    await expect(verifier.verify(oldToken)).resolves.toMatchObject({ subject: 'alice' });
    jwks.publish(after.jwks());
    // jose times the freshness of a remote JWK Set with the wall clock: wait until it is stale.
    await sleep(150);
    await expect(verifier.verify((await after.issue({ subject: 'bob' })).accessToken)).resolves.toMatchObject({ subject: 'bob' });
    await expect(verifier.verify(oldToken)).rejects.toMatchObject({ code: 'invalid_token', reason });
  });
});

describe('VerifiedTokenCache', () => {
  const verified = (expiresAt: number) => ({ expiresAt }) as VerifiedToken;
  const policy = { maxLength: 100, clockTolerance: 0 };

  it('holds at most its maximum, dropping the oldest generation', () => {
    const cache = new VerifiedTokenCache(4);
    for (let i = 0; i < 10; i++) cache.set(`token-${i}`, verified(100));
    const held = Array.from({ length: 10 }, (_, i) => cache.get(`token-${i}`, policy, 0) !== undefined);
    expect(held.filter(Boolean)).toHaveLength(4);
    expect(held.slice(6)).toEqual([true, true, true, true]);
  });

  it('holds nothing when its size is 0, and never looks up over-long tokens', () => {
    const off = new VerifiedTokenCache(0);
    off.set('token', verified(100));
    expect(off.get('token', policy, 0)).toBeUndefined();
    const cache = new VerifiedTokenCache(10);
    const long = 'x'.repeat(101);
    cache.set(long, verified(100));
    expect(cache.get(long, policy, 0)).toBeUndefined();
  });
});
