import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { testAuth } from './support/auth-fixture.js';
import { frameworks } from './support/frameworks.js';
import { serve } from './support/serve.js';

const APP = 'https://app.example.com';
const ALICE = { username: 'alice', password: 'alice-password' };
const FOURTEEN_DAYS = 14 * 86_400;
const FORBIDDEN = { error: 'invalid_request', error_description: 'origin not allowed' };

/** The value of our cookie in a response's Set-Cookie. */
function cookieValue(response: request.Response): string {
  const header = String(response.headers['set-cookie']?.[0] ?? '');
  return header.slice(header.indexOf('=') + 1, header.indexOf(';'));
}

describe.each(frameworks)('cookie mode on $name', (framework) => {
  async function setup(cookie: { secure?: boolean; name?: string } = {}) {
    const { auth, clock } = testAuth();
    const router = { auth, cookie: { allowedOrigins: [APP], ...cookie } };
    const url = await serve(framework.app({ verifier: auth, router }));
    const login = await request(url).post('/auth/login').set('Origin', APP).send(ALICE);
    return { auth, clock, url, login, token: cookieValue(login) };
  }

  it('sets the refresh token only in an HttpOnly, Secure, SameSite=Strict cookie scoped to the mount path', async () => {
    const { login, token } = await setup();
    expect(login.status).toBe(200);
    expect(login.body.refresh_token).toBeUndefined();
    expect(login.body).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    expect(login.headers['set-cookie']).toEqual([
      `tokenlease_refresh=${token}; Path=/auth; Max-Age=${FOURTEEN_DAYS}; HttpOnly; Secure; SameSite=Strict`,
    ]);
  });

  it('refreshes from the cookie for an allowed Origin and sets the rotated cookie', async () => {
    const { url, token } = await setup();
    const refreshed = await request(url)
      .post('/auth/token')
      .set('Origin', APP)
      .set('Cookie', `theme=dark; tokenlease_refresh=${token}`)
      .type('form')
      .send({ grant_type: 'refresh_token' });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).toBeUndefined();
    expect(refreshed.headers['cache-control']).toBe('no-store');
    const rotated = cookieValue(refreshed);
    expect(rotated).not.toBe(token);
    expect(refreshed.headers['set-cookie']?.[0]).toBe(
      `tokenlease_refresh=${rotated}; Path=/auth; Max-Age=${FOURTEEN_DAYS}; HttpOnly; Secure; SameSite=Strict`,
    );
  });

  it('refuses requests that carry or would set the cookie unless their Origin is allowed (CSRF)', async () => {
    const { url, token } = await setup();
    const cookie = `tokenlease_refresh=${token}`;
    const calls = [
      request(url).post('/auth/token').set('Cookie', cookie).send({ grant_type: 'refresh_token' }),
      request(url).post('/auth/token').set('Cookie', cookie).set('Origin', 'https://evil.example').send({ grant_type: 'refresh_token' }),
      request(url).post('/auth/token').set('Cookie', cookie).set('Origin', 'null').send({ grant_type: 'refresh_token' }),
      request(url).post('/auth/logout').set('Cookie', cookie).set('Origin', 'https://app.example.com.evil.example'),
      request(url).post('/auth/revoke').set('Cookie', cookie).type('form').send({ token }),
      request(url).post('/auth/login').set('Origin', 'https://evil.example').send(ALICE),
      request(url).post('/auth/login').send(ALICE),
    ];
    for (const call of calls) {
      const response = await call;
      expect(response.status).toBe(403);
      expect(response.body).toEqual(FORBIDDEN);
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    const stillValid = await request(url).post('/auth/token').set('Origin', APP).set('Cookie', cookie).send({ grant_type: 'refresh_token' });
    expect(stillValid.status).toBe(200);
  });

  it('uses an explicit refresh_token without falling back to the cookie', async () => {
    const { url, token } = await setup();
    const wrong = `${'A'.repeat(22)}.${'B'.repeat(43)}`;
    const response = await request(url)
      .post('/auth/token')
      .set('Origin', APP)
      .set('Cookie', `tokenlease_refresh=${token}`)
      .send({ grant_type: 'refresh_token', refresh_token: wrong });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_grant');
  });

  it('refuses a repeated cookie name', async () => {
    const { url, token } = await setup();
    const response = await request(url)
      .post('/auth/token')
      .set('Origin', APP)
      .set('Cookie', `tokenlease_refresh=${token}; tokenlease_refresh=planted`)
      .send({ grant_type: 'refresh_token' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'invalid_request', error_description: 'The cookie tokenlease_refresh is repeated' });
  });

  it('logs out from the cookie: 204, the cookie cleared, the session revoked', async () => {
    const { url, token } = await setup();
    const cookie = `tokenlease_refresh=${token}`;
    const logout = await request(url).post('/auth/logout').set('Origin', APP).set('Cookie', cookie);
    expect(logout.status).toBe(204);
    expect(logout.headers['set-cookie']).toEqual(['tokenlease_refresh=; Path=/auth; Max-Age=0; HttpOnly; Secure; SameSite=Strict']);
    const refresh = await request(url).post('/auth/token').set('Origin', APP).set('Cookie', cookie).send({ grant_type: 'refresh_token' });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('names the cookie as configured and drops Secure only when told', async () => {
    const { login, token } = await setup({ name: '__app_rt', secure: false });
    expect(login.headers['set-cookie']).toEqual([`__app_rt=${token}; Path=/auth; Max-Age=${FOURTEEN_DAYS}; HttpOnly; SameSite=Strict`]);
  });
});
