import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { testAuth } from './support/auth-fixture.js';
import { frameworks } from './support/frameworks.js';
import { serve } from './support/serve.js';

const FORM = 'application/x-www-form-urlencoded';
const ALICE = { username: 'alice', password: 'alice-password' };
const JSON_REFUSED = 'The body must be one UTF-8 JSON object without repeated members';

/** Sends a form body as raw chunks: chunked (no Content-Length), so that only a running byte count can stop it. */
function postChunked(url: string, path: string, chunks: readonly (string | Buffer)[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const call = httpRequest(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': FORM } }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    call.on('error', reject);
    for (const chunk of chunks) call.write(chunk);
    call.end();
  });
}

describe.each(frameworks)('token router on $name', (framework) => {
  async function setup(maxBodySize?: number) {
    const { auth, clock } = testAuth();
    const router = { auth, ...(maxBodySize === undefined ? {} : { maxBodySize }) };
    return { auth, clock, url: await serve(framework.app({ verifier: auth, router })) };
  }

  function expectNoStore(response: request.Response): void {
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['pragma']).toBe('no-cache');
  }

  it('logs in from a form or a JSON body with an RFC 6749 section 5.1 answer', async () => {
    const { url } = await setup();
    const form = await request(url).post('/auth/login').type('form').send({ ...ALICE, scope: 'read write' });
    const json = await request(url).post('/auth/login').send(ALICE);
    for (const response of [form, json]) {
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/json');
      expectNoStore(response);
    }
    expect(Object.keys(form.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    expect(form.body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'read write' });
    expect(json.body.scope).toBeUndefined();
    const me = await request(url).get('/api/me').set('Authorization', `Bearer ${json.body.access_token}`);
    expect(me.body.auth.subject).toBe('alice');
  });

  it('answers 401 invalid_credentials when login returns null', async () => {
    const { url } = await setup();
    const response = await request(url).post('/auth/login').type('form').send({ username: 'alice', password: 'wrong' });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: 'invalid_credentials', error_description: 'The credentials are invalid' });
    expectNoStore(response);
  });

  it('rotates the refresh token, and answers unknown and revoked tokens identically with invalid_grant', async () => {
    const { auth, clock, url } = await setup();
    const login = (await request(url).post('/auth/login').send(ALICE)).body;
    const refreshed = await request(url).post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: login.refresh_token });
    expect(refreshed.status).toBe(200);
    expectNoStore(refreshed);
    expect(refreshed.body.refresh_token).not.toBe(login.refresh_token);
    const viaJson = await request(url).post('/auth/token').send({ grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token });
    expect(viaJson.status).toBe(200);

    const revoked = await auth.issue({ subject: 'bob' });
    await auth.revoke(revoked.refreshToken);
    const unknown = `${'A'.repeat(22)}.${'B'.repeat(43)}`;
    clock.advance(10);
    for (const token of [revoked.refreshToken, unknown]) {
      const response = await request(url).post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: token });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: 'invalid_grant', error_description: 'The refresh token is invalid, expired or revoked' });
      expectNoStore(response);
    }
  });

  it('refuses malformed token requests with the RFC 6749 section 5.2 code', async () => {
    const { url } = await setup();
    const token = (await request(url).post('/auth/login').send(ALICE)).body.refresh_token as string;
    const post = () => request(url).post('/auth/token');
    const cases: [request.Test, string, string][] = [
      [post().type('form').send({ refresh_token: token }), 'invalid_request', 'The parameter grant_type is required'],
      [post().type('form').send({ grant_type: '', refresh_token: token }), 'invalid_request', 'The parameter grant_type is required'],
      [post().type('form').send('grant_type=password&username=alice'), 'unsupported_grant_type', 'Only the refresh_token grant is supported'],
      [post().type('form').send({ grant_type: 'refresh_token' }), 'invalid_request', 'The parameter refresh_token is required'],
      [post().type('form').send(`grant_type=refresh_token&refresh_token=${token}&refresh_token=${token}`), 'invalid_request', 'A form parameter is repeated'],
      [post().type('json').send('{"grant_type":'), 'invalid_request', JSON_REFUSED],
      [post().type('json').send('["refresh_token"]'), 'invalid_request', JSON_REFUSED],
      [post().type('json').send('{"grant_type":"refresh_token","grant_type":"refresh_token"}'), 'invalid_request', JSON_REFUSED],
      [post().type('json').send({ grant_type: 'refresh_token', refresh_token: 42 }), 'invalid_request', 'The parameter refresh_token must be a string'],
      [post().type('text').send('grant_type=refresh_token'), 'invalid_request', 'The body must be application/x-www-form-urlencoded or application/json'],
      [request(url).post(`/auth/token?grant_type=refresh_token&refresh_token=${token}`), 'invalid_request', 'Parameters must be sent in the body, not the query string'],
    ];
    for (const [call, error, description] of cases) {
      const response = await call;
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error, error_description: description });
      expectNoStore(response);
    }
    const latin1 = await postChunked(url, '/auth/token', [Buffer.from('grant_type=refresh_token&refresh_token=\xff', 'latin1')]);
    expect(latin1.status).toBe(400);
    expect(JSON.parse(latin1.body)).toEqual({ error: 'invalid_request', error_description: 'The body is not valid UTF-8' });
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const { url } = await setup();
    for (const path of ['/auth/login', '/auth/token', '/auth/revoke', '/auth/logout']) {
      const response = await request(url).get(path);
      expect(response.status).toBe(405);
      expect(response.headers['allow']).toBe('POST');
      expectNoStore(response);
    }
    const jwks = await request(url).post('/auth/jwks.json');
    expect(jwks.status).toBe(405);
    expect(jwks.headers['allow']).toBe('GET, HEAD');
  });

  it('refuses a body beyond maxBodySize with 413, by Content-Length or by counting a chunked stream', async () => {
    const { url } = await setup(1024);
    const declared = await request(url).post('/auth/token').type('form').send(`grant_type=refresh_token&pad=${'x'.repeat(1100)}`);
    expect(declared.status).toBe(413);
    expect(declared.body).toEqual({ error: 'invalid_request', error_description: 'The request body is larger than 1024 bytes' });
    const chunked = await postChunked(url, '/auth/token', ['grant_type=refresh_token&pad=', 'x'.repeat(600), 'x'.repeat(600)]);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ error: 'invalid_request' });
    const { url: defaults } = await setup();
    const large = await request(defaults).post('/auth/login').send({ ...ALICE, pad: 'x'.repeat(16_384) });
    expect(large.status).toBe(413);
  });

  it('revokes per RFC 7009: 200 for any well-formed request, unknown tokens included', async () => {
    const { url } = await setup();
    const login = (await request(url).post('/auth/login').send(ALICE)).body;
    const revoked = await request(url).post('/auth/revoke').type('form').send({ token: login.refresh_token, token_type_hint: 'refresh_token' });
    expect(revoked.status).toBe(200);
    expect(revoked.text).toBe('');
    expectNoStore(revoked);
    const refresh = await request(url).post('/auth/token').send({ grant_type: 'refresh_token', refresh_token: login.refresh_token });
    expect(refresh.body.error).toBe('invalid_grant');
    expect((await request(url).post('/auth/revoke').type('form').send({ token: 'no-such-token' })).status).toBe(200);
    const missing = await request(url).post('/auth/revoke').type('form').send({ token_type_hint: 'refresh_token' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: 'invalid_request', error_description: 'The parameter token is required' });
    const access = await request(url).post('/auth/revoke').type('form').send({ token: login.access_token });
    expect(access.status).toBe(400);
    expect(access.body).toEqual({ error: 'unsupported_token_type', error_description: 'Only refresh tokens can be revoked' });
  });

  it('logs out with 204, after which the refresh token and access token are refused', async () => {
    const { url } = await setup();
    const login = (await request(url).post('/auth/login').send(ALICE)).body;
    const logout = await request(url).post('/auth/logout').send({ refresh_token: login.refresh_token });
    expect(logout.status).toBe(204);
    expectNoStore(logout);
    expect(logout.headers['set-cookie']).toBeUndefined();
    const refresh = await request(url).post('/auth/token').send({ grant_type: 'refresh_token', refresh_token: login.refresh_token });
    expect(refresh.body.error).toBe('invalid_grant');
    const me = await request(url).get('/api/me').set('Authorization', `Bearer ${login.access_token}`);
    expect(me.body.error).toBe('invalid_token');
    const missing = await request(url).post('/auth/logout');
    expect(missing.body).toEqual({ error: 'invalid_request', error_description: 'The parameter refresh_token is required' });
  });

  it('publishes the JWK Set, cacheable', async () => {
    const { url } = await setup();
    const response = await request(url).get('/auth/jwks.json');
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.body).toEqual({ keys: [] });
    expect((await request(url).head('/auth/jwks.json')).status).toBe(200);
  });
});
