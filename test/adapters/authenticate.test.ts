import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createAuth } from '../../src/index.js';
import { TEST_SECRET } from '../support/test-clock.js';
import { ISSUER, testAuth } from './support/auth-fixture.js';
import { frameworks } from './support/frameworks.js';
import { serve } from './support/serve.js';

const CHALLENGE = `Bearer realm="${ISSUER}"`;

function invalid(error: string, description: string): string {
  return `${CHALLENGE}, error="${error}", error_description="${description}"`;
}

describe.each(frameworks)('authenticate on $name', (framework) => {
  async function setup(protect = {}) {
    const { auth, clock, store } = testAuth();
    const url = await serve(framework.app({ verifier: auth, protect }));
    return { auth, clock, store, url };
  }

  it('answers 401 with a bare challenge and no body when no bearer credentials are sent', async () => {
    const { url } = await setup();
    for (const authorization of [undefined, 'Bearer', 'bearer', 'Basic YWxpY2U6c2VjcmV0']) {
      const call = request(url).get('/api/me');
      const response = await (authorization === undefined ? call : call.set('Authorization', authorization));
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(CHALLENGE);
      expect(response.text).toBe('');
    }
  });

  it('verifies a token under a case-insensitive scheme followed by several spaces', async () => {
    const { auth, url } = await setup();
    const { accessToken, sessionId } = await auth.issue({ subject: 'alice', scope: 'read' });
    for (const scheme of ['Bearer ', 'bearer ', 'BEARER   ']) {
      const response = await request(url).get('/api/me').set('Authorization', `${scheme}${accessToken}`);
      expect(response.status).toBe(200);
      expect(response.body.auth).toMatchObject({ subject: 'alice', sessionId, scope: 'read' });
    }
  });

  it('answers 401 invalid_token for an expired, revoked or forged token, without echoing it', async () => {
    const { auth, clock, url } = await setup();
    const expired = (await auth.issue({ subject: 'alice' })).accessToken;
    clock.advance(600);
    const revoked = await auth.issue({ subject: 'bob' });
    await auth.revokeSession(revoked.sessionId);
    const cases = [
      [expired, 'The access token expired'],
      [revoked.accessToken, 'The access token was revoked'],
      ['eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl', 'The access token is invalid'],
    ] as const;
    for (const [token, description] of cases) {
      const response = await request(url).get('/api/me').set('Authorization', `Bearer ${token}`);
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(invalid('invalid_token', description));
      expect(response.body).toEqual({ error: 'invalid_token', error_description: description });
      expect(response.headers['www-authenticate']).not.toContain(token);
    }
  });

  it('refuses malformed requests with 400 invalid_request (RFC 6750 section 3.1)', async () => {
    const { auth, url } = await setup();
    const { accessToken } = await auth.issue({ subject: 'alice' });
    const cases: [string, (call: request.Test) => request.Test, string][] = [
      ['two headers', (call) => call.set({ Authorization: [`Bearer ${accessToken}`, `Bearer ${accessToken}`] }), 'More than one Authorization header'],
      ['a list', (call) => call.set('Authorization', `Bearer ${accessToken}, Bearer ${accessToken}`), 'The Authorization header holds a list'],
      ['an empty header', (call) => call.set('Authorization', ''), 'The Authorization header is empty'],
      ['a character outside b64token', (call) => call.set('Authorization', 'Bearer abc$def'), 'The bearer token has characters outside RFC 6750 b64token'],
      ['padding inside the token', (call) => call.set('Authorization', 'Bearer abc=def'), 'The bearer token has characters outside RFC 6750 b64token'],
      ['a token in the query', (call) => call.query({ access_token: accessToken }), 'Access tokens are not accepted in the query string'],
    ];
    for (const [, send, description] of cases) {
      const response = await send(request(url).get('/api/me'));
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: 'invalid_request', error_description: description });
      expect(response.headers['www-authenticate']).toBe(invalid('invalid_request', description));
    }
  });

  it('lets CORS preflight requests through without checking anything, but no other OPTIONS', async () => {
    const { url } = await setup({ scope: 'admin' });
    const preflight = await request(url).options('/api/me').set('Origin', 'https://app.test').set('Access-Control-Request-Method', 'GET');
    expect(preflight.status).toBe(200);
    expect(preflight.body).toEqual({ method: 'OPTIONS', auth: null });
    expect((await request(url).options('/api/me')).status).toBe(401);
    expect((await request(url).options('/api/me').set('Access-Control-Request-Method', 'GET').set('Authorization', 'Bearer forged')).status).toBe(401);
  });

  it('with optional, lets anonymous requests through but still refuses a bad token', async () => {
    const { auth, url } = await setup({ optional: true });
    expect((await request(url).get('/api/me')).body).toEqual({ method: 'GET', auth: null });
    const { accessToken } = await auth.issue({ subject: 'alice' });
    expect((await request(url).get('/api/me').set('Authorization', `Bearer ${accessToken}`)).body.auth.subject).toBe('alice');
    const bad = await request(url).get('/api/me').set('Authorization', 'Bearer forged.token.here');
    expect(bad.status).toBe(401);
    expect(bad.body.error).toBe('invalid_token');
  });

  it('answers 403 insufficient_scope naming every required scope, and passes when all are granted', async () => {
    const { auth, url } = await setup({ scope: ['read', 'write'] });
    const readOnly = await auth.issue({ subject: 'alice', scope: 'read' });
    const refused = await request(url).get('/api/me').set('Authorization', `Bearer ${readOnly.accessToken}`);
    expect(refused.status).toBe(403);
    expect(refused.headers['www-authenticate']).toBe(
      `${invalid('insufficient_scope', 'The access token lacks a required scope')}, scope="read write"`,
    );
    expect(refused.body).toEqual({ error: 'insufficient_scope', error_description: 'The access token lacks a required scope' });
    const both = await auth.issue({ subject: 'alice', scope: 'write admin read' });
    expect((await request(url).get('/api/me').set('Authorization', `Bearer ${both.accessToken}`)).status).toBe(200);
  });

  it('with checkSession, refuses a token whose session another process revoked in the shared store', async () => {
    const { auth: issuer, clock, store } = testAuth();
    const reader = createAuth({ issuer: ISSUER, audience: 'api', keys: { secret: TEST_SECRET }, clock, store });
    const plain = await serve(framework.app({ verifier: reader }));
    const checking = await serve(framework.app({ verifier: reader, protect: { checkSession: true } }));
    const { accessToken, refreshToken } = await issuer.issue({ subject: 'alice' });
    const bearer = `Bearer ${accessToken}`;
    expect((await request(checking).get('/api/me').set('Authorization', bearer)).status).toBe(200);
    await issuer.revoke(refreshToken);
    expect((await request(plain).get('/api/me').set('Authorization', bearer)).status).toBe(200);
    const refused = await request(checking).get('/api/me').set('Authorization', bearer);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe(invalid('invalid_token', 'The session of the access token ended'));
  });
});
