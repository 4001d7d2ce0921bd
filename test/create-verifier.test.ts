import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../src/create-auth.js';
import { createVerifier } from '../src/create-verifier.js';
import { generateSigningKey } from '../src/keys/generate-signing-key.js';
import { MemoryStore } from '../src/stores/memory-store.js';
import { testClock, TEST_SECRET } from './support/test-clock.js';

const clock = testClock();
const signing = generateSigningKey('ES256');
const issuer = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { signing }, clock });
let server: Server;
let jwksUrl: string;
let jwksRequests = 0;

beforeAll(async () => {
  server = createServer((_, response) => {
    jwksRequests++;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(issuer.jwks()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createVerifier', () => {
  it('verifies tokens of another instance against its JWK Set served on loopback, fetching it once', async () => {
    const verifier = createVerifier({ issuer: 'https://issuer.test', audience: 'api', jwksUrl, clock });
    const tokens = await issuer.issue({ subject: 'alice', scope: 'read' });
    await expect(verifier.verify(tokens.accessToken)).resolves.toMatchObject({ subject: 'alice', scope: 'read' });
    await expect(verifier.verify(tokens.accessToken)).resolves.toMatchObject({ subject: 'alice' });
    expect(jwksRequests).toBe(1);
    expect(verifier.realm).toBe('https://issuer.test');
  });

  it('refuses tokens of an unknown key, another issuer or audience, and expired ones', async () => {
    const verifier = createVerifier({ issuer: 'https://issuer.test', audience: 'api', jwksUrl, clock });
    const stranger = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { signing: generateSigningKey('ES256') }, clock });
    await expect(verifier.verify((await stranger.issue({ subject: 'mallory' })).accessToken)).rejects.toMatchObject({ code: 'invalid_token', reason: 'unknown_key' });
    const strict = createVerifier({ issuer: 'https://other.test', audience: 'api', jwksUrl, clock });
    await expect(strict.verify((await issuer.issue({ subject: 'alice' })).accessToken)).rejects.toMatchObject({ reason: 'wrong_issuer' });
    const token = (await issuer.issue({ subject: 'alice' })).accessToken;
    const later = createVerifier({ issuer: 'https://issuer.test', audience: 'api', jwksUrl, clock: () => clock() + 600 });
    await expect(later.verify(token)).rejects.toMatchObject({ reason: 'expired' });
  });

  it('answers 503 when the JWK Set cannot be fetched', async () => {
    const verifier = createVerifier({ issuer: 'https://issuer.test', audience: 'api', jwksUrl: 'http://127.0.0.1:1/jwks.json', clock });
    await expect(verifier.verify((await issuer.issue({ subject: 'alice' })).accessToken)).rejects.toMatchObject({ code: 'temporarily_unavailable', status: 503 });
  });

  it('verifies with local keys: a JWK Set or a shared secret', async () => {
    const fromSet = createVerifier({ issuer: 'https://issuer.test', audience: 'api', keys: issuer.jwks(), clock });
    await expect(fromSet.verify((await issuer.issue({ subject: 'alice' })).accessToken)).resolves.toMatchObject({ subject: 'alice' });
    const hs = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET }, clock });
    const fromSecret = createVerifier({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET }, clock });
    await expect(fromSecret.verify((await hs.issue({ subject: 'bob' })).accessToken)).resolves.toMatchObject({ subject: 'bob' });
  });

  it('applies revocations and session checks of a shared store', async () => {
    const store = new MemoryStore();
    const shared = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET }, clock, store });
    const verifier = createVerifier({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET }, clock, store });
    const tokens = await shared.issue({ subject: 'alice' });
    await expect(verifier.verify(tokens.accessToken, { checkSession: true })).resolves.toBeDefined();
    await shared.revokeSession(tokens.sessionId);
    await expect(verifier.verify(tokens.accessToken, { checkSession: true })).rejects.toMatchObject({ reason: 'session_ended' });
  });

  it('refuses bad options at creation', () => {
    expect(() => createVerifier({ issuer: 'https://issuer.test', audience: 'api' })).toThrow(expect.objectContaining({ code: 'invalid_configuration', reason: 'jwksUrl' }));
    expect(() => createVerifier({ issuer: '', audience: 'api', jwksUrl })).toThrow(expect.objectContaining({ reason: 'issuer' }));
    expect(() => createVerifier({ issuer: 'https://issuer.test', audience: 'api', keys: { keys: [] } })).toThrow(expect.objectContaining({ reason: 'keys' }));
  });
});
