import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createAuth, InvalidTokenError, MemoryStore, type RevocationNotice, type TokenVerifier } from '../../src/index.js';
import { testClock, TEST_SECRET } from '../support/test-clock.js';
import { frameworks } from './support/frameworks.js';
import { serve } from './support/serve.js';

function challenge(realm: string, description: string): string {
  return `Bearer realm="${realm}", error="invalid_token", error_description="${description}"`;
}

/** A memory store that reports, once the test releases it, a revocation made before the process started. */
function storeWithEarlierRevocation(): { store: MemoryStore; release: (notice: RevocationNotice) => void } {
  let release: (notice: RevocationNotice) => void = () => undefined;
  const pending = new Promise<readonly RevocationNotice[]>((resolve) => {
    release = (notice) => resolve([notice]);
  });
  const store = Object.assign(new MemoryStore(), { revokedSince: () => pending });
  return { store, release: (notice) => release(notice) };
}

describe.each(frameworks)('authenticate answers on $name', (framework) => {
  it('answers each refusal with its own realm and reason, the same every time', async () => {
    const clock = testClock();
    const one = createAuth({ issuer: 'https://one.test', audience: 'api', keys: { secret: TEST_SECRET }, clock });
    const two = createAuth({ issuer: 'https://two.test', audience: 'api', keys: { secret: TEST_SECRET }, clock });
    const oneUrl = await serve(framework.app({ verifier: one }));
    const apps: [string, string][] = [
      ['https://one.test', oneUrl],
      ['https://two.test', await serve(framework.app({ verifier: two }))],
    ];
    const issued = await one.issue({ subject: 'alice' });
    const forged = `${issued.accessToken.slice(0, -2)}AA`;
    for (let round = 0; round < 3; round++) {
      for (const [realm, url] of apps) {
        const response = await request(url).get('/api/me').set('Authorization', `Bearer ${forged}`);
        expect(response.status).toBe(401);
        expect(response.headers['www-authenticate']).toBe(challenge(realm, 'The access token is invalid'));
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.body).toEqual({ error: 'invalid_token', error_description: 'The access token is invalid' });
        const bare = await request(url).get('/api/me');
        expect(bare.headers['www-authenticate']).toBe(`Bearer realm="${realm}"`);
        expect(bare.text).toBe('');
      }
    }
    await one.revokeSession(issued.sessionId);
    const revoked = await request(oneUrl).get('/api/me').set('Authorization', `Bearer ${issued.accessToken}`);
    expect(revoked.headers['www-authenticate']).toBe(challenge('https://one.test', 'The access token was revoked'));
    clock.advance(600);
    const fresh = await one.issue({ subject: 'bob' });
    await expect(request(oneUrl).get('/api/me').set('Authorization', `Bearer ${fresh.accessToken}`)).resolves.toMatchObject({ status: 200 });
    clock.advance(600);
    const expired = await request(oneUrl).get('/api/me').set('Authorization', `Bearer ${fresh.accessToken}`);
    expect(expired.body).toEqual({ error: 'invalid_token', error_description: 'The access token expired' });
  });

  it('holds the first requests until the revocations made before the process started are read', async () => {
    const clock = testClock();
    const issuer = createAuth({ issuer: 'https://one.test', audience: 'api', keys: { secret: TEST_SECRET }, clock });
    const { accessToken, sessionId } = await issuer.issue({ subject: 'alice' });
    const { store, release } = storeWithEarlierRevocation();
    const restarted = createAuth({ issuer: 'https://one.test', audience: 'api', keys: { secret: TEST_SECRET }, clock, store });
    const app = framework.app({ verifier: restarted });
    // The store answers as the request arrives: its answer is applied only after `authenticate` started.
    const url = await serve((req, res) => {
      release({ sessionIds: [sessionId], at: clock() });
      app(req, res);
    });
    const response = await request(url).get('/api/me').set('Authorization', `Bearer ${accessToken}`);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe(challenge('https://one.test', 'The access token was revoked'));
    restarted.close();
  });

  it('verifies through a `verify` replaced after creation, such as a spy', async () => {
    const auth = createAuth({ issuer: 'https://one.test', audience: 'api', keys: { secret: TEST_SECRET }, clock: testClock() });
    const url = await serve(framework.app({ verifier: auth }));
    const { accessToken } = await auth.issue({ subject: 'alice' });
    const verify = auth.verify;
    const seen: string[] = [];
    auth.verify = (token, options) => {
      seen.push(token);
      return verify(token, options);
    };
    const response = await request(url).get('/api/me').set('Authorization', `Bearer ${accessToken}`);
    expect(response.status).toBe(200);
    expect(seen).toEqual([accessToken]);
  });

  it('verifies through `verify` alone with a verifier of its own', async () => {
    const verifier: TokenVerifier = {
      realm: 'https://custom.test',
      verify: async (token) => {
        if (token !== 'good') throw new InvalidTokenError('custom_reason');
        return { subject: 'alice', sessionId: 's1', scope: undefined, claims: {}, expiresAt: 0, issuedAt: 0 };
      },
    };
    const url = await serve(framework.app({ verifier }));
    const ok = await request(url).get('/api/me').set('Authorization', 'Bearer good');
    expect(ok.status).toBe(200);
    expect(ok.body.auth).toMatchObject({ subject: 'alice' });
    const refused = await request(url).get('/api/me').set('Authorization', 'Bearer bad');
    expect(refused.headers['www-authenticate']).toBe(challenge('https://custom.test', 'The access token is invalid'));
  });
});
